#pragma once

#include <memory>

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include "base/Error.h"

namespace tb::session {

// A throw-away redis-server on a free loopback port (no persistence), for tests, the bench and the pane's
// live store comparison. Stopped (terminate, then kill) when destroyed.
class LocalRedisServer
{
public:
    // Path of redis-server on PATH, or empty.
    static QString executable();
    // Starts the server and waits until it answers PING, at most `readyTimeoutMs`.
    static Result<std::unique_ptr<LocalRedisServer>> start(int readyTimeoutMs = 5000);
    ~LocalRedisServer();
    LocalRedisServer(const LocalRedisServer&) = delete;
    LocalRedisServer& operator=(const LocalRedisServer&) = delete;

    [[nodiscard]] int port() const { return m_port; }
    [[nodiscard]] QString host() const { return QStringLiteral("127.0.0.1"); }

private:
    LocalRedisServer() = default;
    QProcess m_process;
    QTemporaryDir m_dir;
    int m_port = 0;
};

// A loopback TCP port that was free a moment ago (bound to port 0, then released).
int freeLoopbackPort();

} // namespace tb::session
