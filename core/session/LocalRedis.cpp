#include "LocalRedis.h"

#include <QElapsedTimer>
#include <QStandardPaths>
#include <QThread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "session/RedisStore.h"

namespace tb::session {

int freeLoopbackPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return 0;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        port = ntohs(addr.sin_port);
    }
    ::close(fd);
    return port;
}

QString LocalRedisServer::executable()
{
    return QStandardPaths::findExecutable(QStringLiteral("redis-server"));
}

Result<std::unique_ptr<LocalRedisServer>> LocalRedisServer::start(int readyTimeoutMs)
{
    const QString program = executable();
    if (program.isEmpty()) {
        return fail(ErrorCode::StoreUnavailable, QStringLiteral("redis-server is not installed (not found on PATH)."));
    }
    QString lastError;
    for (int attempt = 0; attempt < 3; ++attempt) { // another process may take the port in between
        std::unique_ptr<LocalRedisServer> server(new LocalRedisServer);
        server->m_port = freeLoopbackPort();
        if (server->m_port == 0 || !server->m_dir.isValid()) {
            return fail(ErrorCode::StoreUnavailable,
                        QStringLiteral("No free loopback port or temporary folder for redis-server."));
        }
        server->m_process.setProcessChannelMode(QProcess::MergedChannels);
        server->m_process.start(program,
                                {QStringLiteral("--port"), QString::number(server->m_port), QStringLiteral("--bind"),
                                 QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                 QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                                 server->m_dir.path(), QStringLiteral("--daemonize"), QStringLiteral("no"),
                                 QStringLiteral("--loglevel"), QStringLiteral("warning")});
        if (!server->m_process.waitForStarted(readyTimeoutMs)) {
            return fail(ErrorCode::StoreUnavailable, QStringLiteral("redis-server did not start."),
                        server->m_process.errorString());
        }
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < readyTimeoutMs && server->m_process.state() == QProcess::Running) {
            if (auto store = RedisStore::connect(server->host(), server->m_port, 200)) {
                return server;
            } else {
                lastError = store.error().message;
            }
            QThread::msleep(20);
        }
        lastError = QString::fromUtf8(server->m_process.readAll()).trimmed().left(300);
    }
    return fail(ErrorCode::StoreUnavailable, QStringLiteral("redis-server did not become ready."), lastError);
}

LocalRedisServer::~LocalRedisServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(3000)) {
            m_process.kill();
            m_process.waitForFinished(1000);
        }
    }
}

} // namespace tb::session
