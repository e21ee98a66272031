#include "RedisStore.h"

#include <algorithm>
#include <vector>

#include <QCryptographicHash>

#include <hiredis/hiredis.h>

namespace tb::session {

namespace {

QByteArray sessionKey(const QByteArray& id)
{
    return "tb:s:" + QCryptographicHash::hash(id, QCryptographicHash::Sha256).toHex();
}

QByteArray userKey(const QString& userId)
{
    return "tb:u:" + userId.toUtf8();
}

timeval toTimeval(int ms)
{
    return timeval{ms / 1000, (ms % 1000) * 1000};
}

bool isTimeout(const char* text)
{
    const QByteArray s(text);
    return s.contains("timed out") || s.contains("temporarily unavailable");
}

} // namespace

struct RedisStore::Reply
{
    explicit Reply(redisReply* r)
        : reply(r)
    {}
    ~Reply() { freeReplyObject(reply); }
    Reply(const Reply&) = delete;
    Reply& operator=(const Reply&) = delete;
    redisReply* reply;
};

RedisStore::RedisStore(redisContext* context, QString endpoint, int timeoutMs, TimeoutPolicy policy)
    : SessionStore(policy)
    , m_context(context)
    , m_endpoint(std::move(endpoint))
    , m_timeoutMs(timeoutMs)
{}

RedisStore::~RedisStore()
{
    redisFree(m_context);
}

Result<std::unique_ptr<RedisStore>> RedisStore::connect(const QString& host, int port, int timeoutMs,
                                                        TimeoutPolicy policy)
{
    if (port <= 0 || port > 65535 || timeoutMs <= 0 || host.isEmpty()) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("A Redis store needs a host, a port 1-65535 and a timeout."));
    }
    const QString endpoint = QStringLiteral("%1:%2").arg(host).arg(port);
    redisContext* context = redisConnectWithTimeout(host.toUtf8().constData(), port, toTimeval(timeoutMs));
    if (context == nullptr) {
        return fail(ErrorCode::StoreUnavailable, QStringLiteral("Cannot allocate a Redis connection."));
    }
    if (context->err != 0) {
        const QString why = QString::fromUtf8(context->errstr);
        const bool timedOut = isTimeout(context->errstr);
        redisFree(context);
        return fail(
            timedOut ? ErrorCode::Timeout : ErrorCode::StoreUnavailable,
            timedOut
                ? QStringLiteral("Redis at %1 did not accept a connection within %2 ms.").arg(endpoint).arg(timeoutMs)
                : QStringLiteral("Cannot reach Redis at %1.").arg(endpoint),
            why);
    }
    redisSetTimeout(context, toTimeval(timeoutMs));
    std::unique_ptr<RedisStore> store(new RedisStore(context, endpoint, timeoutMs, policy));
    if (auto ok = store->ping(); !ok) {
        return std::unexpected(ok.error());
    }
    return store;
}

Result<std::shared_ptr<RedisStore::Reply>> RedisStore::command(const QList<QByteArray>& args)
{
    if (m_context->err != 0 && redisReconnect(m_context) != REDIS_OK) {
        return fail(ErrorCode::StoreUnavailable,
                    QStringLiteral("The connection to Redis at %1 is lost.").arg(m_endpoint),
                    QString::fromUtf8(m_context->errstr));
    }
    if (m_context->err == 0) {
        redisSetTimeout(m_context, toTimeval(m_timeoutMs));
    }
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const QByteArray& a : args) {
        argv.push_back(a.constData());
        lengths.push_back(std::size_t(a.size()));
    }
    auto* raw = static_cast<redisReply*>(redisCommandArgv(m_context, int(argv.size()), argv.data(), lengths.data()));
    if (raw == nullptr) {
        const bool timedOut = isTimeout(m_context->errstr);
        return fail(timedOut ? ErrorCode::Timeout : ErrorCode::StoreUnavailable,
                    timedOut
                        ? QStringLiteral("Redis at %1 did not answer within %2 ms.").arg(m_endpoint).arg(m_timeoutMs)
                        : QStringLiteral("The connection to Redis at %1 failed.").arg(m_endpoint),
                    QString::fromUtf8(m_context->errstr));
    }
    auto reply = std::make_shared<Reply>(raw);
    if (raw->type == REDIS_REPLY_ERROR) {
        return fail(ErrorCode::StoreUnavailable, QStringLiteral("Redis at %1 refused a command.").arg(m_endpoint),
                    QString::fromUtf8(raw->str, int(raw->len)));
    }
    return reply;
}

Result<void> RedisStore::ping()
{
    auto r = command({"PING"});
    if (!r) {
        return std::unexpected(r.error());
    }
    const redisReply* reply = (*r)->reply;
    if (reply->type != REDIS_REPLY_STATUS || QByteArray(reply->str, qsizetype(reply->len)) != "PONG") {
        return fail(ErrorCode::StoreUnavailable,
                    QStringLiteral("The server at %1 does not answer like Redis.").arg(m_endpoint));
    }
    return {};
}

// Redis expires the key itself as a safety net; the stored times decide (time is injected).
Result<void> RedisStore::expireAt(const QByteArray& key, const StoredSession& s, qint64 nowMs)
{
    const qint64 deadline = std::min(s.lastSeenMs + policy().idleMs, s.createdMs + policy().absoluteMs);
    const qint64 remaining = std::max<qint64>(deadline - nowMs, 1) + 1000;
    auto r = command({"PEXPIRE", key, QByteArray::number(remaining)});
    if (!r) {
        return std::unexpected(r.error());
    }
    return {};
}

Result<void> RedisStore::insert(const StoredSession& s)
{
    const QByteArray key = sessionKey(s.id);
    auto r = command({"HSET", key, "u", s.userId.toUtf8(), "c", QByteArray::number(s.createdMs), "l",
                      QByteArray::number(s.lastSeenMs), "d", s.data});
    if (!r) {
        return std::unexpected(r.error());
    }
    if (auto added = command({"SADD", userKey(s.userId), key}); !added) {
        return std::unexpected(added.error());
    }
    return expireAt(key, s, s.lastSeenMs);
}

Result<std::optional<StoredSession>> RedisStore::lookup(const QByteArray& id, qint64 nowMs)
{
    const QByteArray key = sessionKey(id);
    auto r = command({"HMGET", key, "u", "c", "l", "d"});
    if (!r) {
        return std::unexpected(r.error());
    }
    const redisReply* reply = (*r)->reply;
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 4 || reply->element[0]->type != REDIS_REPLY_STRING) {
        return std::optional<StoredSession>();
    }
    auto field = [reply](std::size_t i) {
        const redisReply* e = reply->element[i];
        return e->type == REDIS_REPLY_STRING ? QByteArray(e->str, qsizetype(e->len)) : QByteArray();
    };
    StoredSession s{id, QString::fromUtf8(field(0)), field(1).toLongLong(), field(2).toLongLong(), field(3)};
    if (isExpired(s, policy(), nowMs)) {
        if (auto removed = remove(id); !removed) {
            return std::unexpected(removed.error());
        }
        return std::optional<StoredSession>();
    }
    return std::optional<StoredSession>(s);
}

Result<bool> RedisStore::touch(const QByteArray& id, qint64 nowMs)
{
    auto found = lookup(id, nowMs);
    if (!found) {
        return std::unexpected(found.error());
    }
    if (!found->has_value()) {
        return false;
    }
    const QByteArray key = sessionKey(id);
    if (auto r = command({"HSET", key, "l", QByteArray::number(nowMs)}); !r) {
        return std::unexpected(r.error());
    }
    StoredSession s = **found;
    s.lastSeenMs = nowMs;
    if (auto ok = expireAt(key, s, nowMs); !ok) {
        return std::unexpected(ok.error());
    }
    return true;
}

Result<bool> RedisStore::remove(const QByteArray& id)
{
    const QByteArray key = sessionKey(id);
    auto user = command({"HGET", key, "u"});
    if (!user) {
        return std::unexpected(user.error());
    }
    const redisReply* u = (*user)->reply;
    if (u->type == REDIS_REPLY_STRING) {
        if (auto r = command({"SREM", userKey(QString::fromUtf8(u->str, int(u->len))), key}); !r) {
            return std::unexpected(r.error());
        }
    }
    auto r = command({"DEL", key});
    if (!r) {
        return std::unexpected(r.error());
    }
    return (*r)->reply->type == REDIS_REPLY_INTEGER && (*r)->reply->integer > 0;
}

Result<int> RedisStore::removeAllOfUser(const QString& userId)
{
    auto members = command({"SMEMBERS", userKey(userId)});
    if (!members) {
        return std::unexpected(members.error());
    }
    QList<QByteArray> args{"DEL", userKey(userId)};
    const redisReply* m = (*members)->reply;
    for (std::size_t i = 0; m->type == REDIS_REPLY_ARRAY && i < m->elements; ++i) {
        args << QByteArray(m->element[i]->str, qsizetype(m->element[i]->len));
    }
    auto r = command(args);
    if (!r) {
        return std::unexpected(r.error());
    }
    // DEL counts the user set too when it existed.
    const qint64 deleted = (*r)->reply->integer;
    return int(std::max<qint64>(0, deleted - (args.size() > 2 ? 1 : 0)));
}

Result<qsizetype> RedisStore::count()
{
    qsizetype total = 0;
    QByteArray cursor = "0";
    do {
        auto r = command({"SCAN", cursor, "MATCH", "tb:s:*", "COUNT", "1000"});
        if (!r) {
            return std::unexpected(r.error());
        }
        const redisReply* reply = (*r)->reply;
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2) {
            return fail(ErrorCode::StoreUnavailable,
                        QStringLiteral("Redis at %1 answered SCAN oddly.").arg(m_endpoint));
        }
        cursor = QByteArray(reply->element[0]->str, qsizetype(reply->element[0]->len));
        total += qsizetype(reply->element[1]->elements);
    } while (cursor != "0");
    return total;
}

} // namespace tb::session
