#pragma once

#include <QHash>

#include "session/SessionStore.h"

namespace tb::session {

// Sessions in a hash table: the baseline of the latency comparison. Not thread-safe.
class MemoryStore final : public SessionStore
{
public:
    explicit MemoryStore(TimeoutPolicy policy = {})
        : SessionStore(policy)
    {}
    [[nodiscard]] QString kind() const override { return QStringLiteral("memory"); }
    Result<std::optional<StoredSession>> lookup(const QByteArray& id, qint64 nowMs) override;
    Result<bool> touch(const QByteArray& id, qint64 nowMs) override;
    Result<bool> remove(const QByteArray& id) override;
    Result<int> removeAllOfUser(const QString& userId) override;
    Result<qsizetype> count() override { return m_sessions.size(); }

protected:
    Result<void> insert(const StoredSession& s) override;

private:
    QHash<QByteArray, StoredSession> m_sessions;
};

} // namespace tb::session
