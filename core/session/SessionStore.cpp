#include "SessionStore.h"

#include "session/SessionId.h"

namespace tb::session {

bool isExpired(const StoredSession& s, const TimeoutPolicy& policy, qint64 nowMs)
{
    return nowMs - s.lastSeenMs >= policy.idleMs || nowMs - s.createdMs >= policy.absoluteMs;
}

Result<QByteArray> SessionStore::newId()
{
    auto ids = generateIds(IdSpec{}, 1);
    if (!ids) {
        return std::unexpected(ids.error());
    }
    return ids->first();
}

Result<StoredSession> SessionStore::create(const QString& userId, qint64 nowMs, const QByteArray& data)
{
    auto id = newId();
    if (!id) {
        return std::unexpected(id.error());
    }
    StoredSession s{*id, userId, nowMs, nowMs, data};
    if (auto ok = insert(s); !ok) {
        return std::unexpected(ok.error());
    }
    return s;
}

Result<StoredSession> SessionStore::rotate(const QByteArray& oldId, qint64 nowMs)
{
    auto old = lookup(oldId, nowMs);
    if (!old) {
        return std::unexpected(old.error());
    }
    if (!old->has_value()) {
        return fail(ErrorCode::NotFound, QStringLiteral("No live session has that ID, so it cannot be rotated."));
    }
    auto id = newId();
    if (!id) {
        return std::unexpected(id.error());
    }
    StoredSession next = **old;
    next.id = *id;
    next.lastSeenMs = nowMs;
    if (auto ok = insert(next); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto removed = remove(oldId); !removed) {
        return std::unexpected(removed.error());
    }
    return next;
}

} // namespace tb::session
