#pragma once

#include <optional>

#include <QByteArray>
#include <QString>

#include "base/Error.h"

namespace tb::session {

// Server-side session state. Time is injected: every call takes `nowMs` (epoch milliseconds).
struct StoredSession
{
    QByteArray id; // the session ID the client holds (128-bit base64url from the CSPRNG)
    QString userId;
    qint64 createdMs = 0;
    qint64 lastSeenMs = 0;
    QByteArray data; // opaque application data
};

struct TimeoutPolicy
{
    qint64 idleMs = 30LL * 60 * 1000;       // ASVS 4.0.3 3.3.2 L2
    qint64 absoluteMs = 12LL * 3600 * 1000; // ASVS 4.0.3 3.3.2 L2/L3
};

// True when the session is past its idle or absolute timeout at `nowMs`.
bool isExpired(const StoredSession& s, const TimeoutPolicy& policy, qint64 nowMs);

// One interface over the in-memory, SQLite and Redis stores. Expired sessions are never returned (and are
// removed when met). Failures of the backing store are errors (StoreUnavailable / Timeout), never hangs.
class SessionStore
{
public:
    explicit SessionStore(TimeoutPolicy policy)
        : m_policy(policy)
    {}
    virtual ~SessionStore() = default;
    SessionStore(const SessionStore&) = delete;
    SessionStore& operator=(const SessionStore&) = delete;

    [[nodiscard]] virtual QString kind() const = 0; // "memory", "sqlite", "redis"
    [[nodiscard]] const TimeoutPolicy& policy() const { return m_policy; }

    // A new session with a fresh ID for `userId`.
    virtual Result<StoredSession> create(const QString& userId, qint64 nowMs, const QByteArray& data = {});
    // The live session, or nullopt when unknown or expired.
    virtual Result<std::optional<StoredSession>> lookup(const QByteArray& id, qint64 nowMs) = 0;
    // Marks activity (slides the idle timeout); false when unknown or expired.
    virtual Result<bool> touch(const QByteArray& id, qint64 nowMs) = 0;
    // false when the ID was not there.
    virtual Result<bool> remove(const QByteArray& id) = 0;
    // Ends every session of a user (password change, "log out everywhere"); returns how many.
    virtual Result<int> removeAllOfUser(const QString& userId) = 0;
    // Replaces the ID (login, privilege change) keeping user, creation time and data; the old ID stops working.
    virtual Result<StoredSession> rotate(const QByteArray& oldId, qint64 nowMs);
    // Number of stored sessions (live or not yet purged).
    virtual Result<qsizetype> count() = 0;

protected:
    virtual Result<void> insert(const StoredSession& s) = 0;
    static Result<QByteArray> newId();

private:
    TimeoutPolicy m_policy;
};

} // namespace tb::session
