#include "MemoryStore.h"

namespace tb::session {

Result<void> MemoryStore::insert(const StoredSession& s)
{
    m_sessions.insert(s.id, s);
    return {};
}

Result<std::optional<StoredSession>> MemoryStore::lookup(const QByteArray& id, qint64 nowMs)
{
    const auto it = m_sessions.constFind(id);
    if (it == m_sessions.constEnd()) {
        return std::optional<StoredSession>();
    }
    if (isExpired(*it, policy(), nowMs)) {
        m_sessions.erase(it);
        return std::optional<StoredSession>();
    }
    return std::optional<StoredSession>(*it);
}

Result<bool> MemoryStore::touch(const QByteArray& id, qint64 nowMs)
{
    auto found = lookup(id, nowMs);
    if (!found || !found->has_value()) {
        return false;
    }
    m_sessions[id].lastSeenMs = nowMs;
    return true;
}

Result<bool> MemoryStore::remove(const QByteArray& id)
{
    return m_sessions.remove(id) > 0;
}

Result<int> MemoryStore::removeAllOfUser(const QString& userId)
{
    int removed = 0;
    for (auto it = m_sessions.begin(); it != m_sessions.end();) {
        if (it->userId == userId) {
            it = m_sessions.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
    return removed;
}

} // namespace tb::session
