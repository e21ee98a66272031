#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QString>

#include "session/SessionStore.h"

struct redisContext;

namespace tb::session {

// Sessions in Redis through hiredis: a hash per session keyed by SHA-256 of the ID ("tb:s:<hex>") and a set
// per user ("tb:u:<user>"). Connecting and every command are bounded by `timeoutMs`: an unreachable or mute
// server gives an error (Timeout or StoreUnavailable) within that time, never a hang. Not thread-safe.
class RedisStore final : public SessionStore
{
public:
    static Result<std::unique_ptr<RedisStore>> connect(const QString& host, int port, int timeoutMs = 1000,
                                                       TimeoutPolicy policy = {});
    ~RedisStore() override;

    [[nodiscard]] QString kind() const override { return QStringLiteral("redis"); }
    Result<std::optional<StoredSession>> lookup(const QByteArray& id, qint64 nowMs) override;
    Result<bool> touch(const QByteArray& id, qint64 nowMs) override;
    Result<bool> remove(const QByteArray& id) override;
    Result<int> removeAllOfUser(const QString& userId) override;
    Result<qsizetype> count() override;
    // PING round trip, for health checks.
    Result<void> ping();

protected:
    Result<void> insert(const StoredSession& s) override;

private:
    struct Reply;
    RedisStore(redisContext* context, QString endpoint, int timeoutMs, TimeoutPolicy policy);
    Result<std::shared_ptr<Reply>> command(const QList<QByteArray>& args);
    Result<void> expireAt(const QByteArray& key, const StoredSession& s, qint64 nowMs);

    redisContext* m_context;
    QString m_endpoint;
    int m_timeoutMs;
};

} // namespace tb::session
