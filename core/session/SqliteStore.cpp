#include "SqliteStore.h"

#include <atomic>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace tb::session {

namespace {

QString keyOf(const QByteArray& id)
{
    return QString::fromLatin1(QCryptographicHash::hash(id, QCryptographicHash::Sha256).toHex());
}

std::unexpected<Error> sqlError(const QString& what, const QSqlError& e)
{
    return std::unexpected(Error{ErrorCode::StoreUnavailable,
                                 QStringLiteral("The SQLite session store failed to %1.").arg(what), e.text()});
}

} // namespace

SqliteStore::SqliteStore(QString connection, TimeoutPolicy policy)
    : SessionStore(policy)
    , m_connection(std::move(connection))
{}

SqliteStore::~SqliteStore()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QString SqliteStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/sessions.sqlite");
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const QString& path, TimeoutPolicy policy)
{
    static std::atomic<int> serial{0};
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        return fail(ErrorCode::StoreUnavailable, QStringLiteral("Qt's SQLite driver (QSQLITE) is not installed."));
    }
    if (path != QStringLiteral(":memory:")) {
        const QString folder = QFileInfo(path).absolutePath();
        if (!QDir().mkpath(folder)) {
            return fail(ErrorCode::StoreUnavailable,
                        QStringLiteral("Cannot create the folder %1 for the session store.").arg(folder));
        }
    }
    const QString connection = QStringLiteral("tb-session-%1").arg(serial.fetch_add(1));
    std::unique_ptr<SqliteStore> store(new SqliteStore(connection, policy));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
    db.setDatabaseName(path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=2000"));
    if (!db.open()) {
        return fail(ErrorCode::StoreUnavailable, QStringLiteral("Cannot open the SQLite session store %1.").arg(path),
                    db.lastError().text());
    }
    QSqlQuery q(db);
    const char* const schema[] = {
        "CREATE TABLE IF NOT EXISTS sessions (key TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_ms INTEGER NOT "
        "NULL, last_seen_ms INTEGER NOT NULL, data BLOB)",
        "CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id)",
    };
    for (const char* sql : schema) {
        if (!q.exec(QString::fromLatin1(sql))) {
            return fail(ErrorCode::StoreUnavailable,
                        QStringLiteral("The file %1 is not a usable SQLite session store.").arg(path),
                        q.lastError().text());
        }
    }
    return store;
}

Result<void> SqliteStore::insert(const StoredSession& s)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO sessions (key, user_id, created_ms, last_seen_ms, data) "
                             "VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(keyOf(s.id));
    q.addBindValue(s.userId);
    q.addBindValue(s.createdMs);
    q.addBindValue(s.lastSeenMs);
    q.addBindValue(s.data);
    if (!q.exec()) {
        return sqlError(QStringLiteral("store a session"), q.lastError());
    }
    return {};
}

Result<std::optional<StoredSession>> SqliteStore::lookup(const QByteArray& id, qint64 nowMs)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT user_id, created_ms, last_seen_ms, data FROM sessions WHERE key = ?"));
    q.addBindValue(keyOf(id));
    if (!q.exec()) {
        return sqlError(QStringLiteral("look up a session"), q.lastError());
    }
    if (!q.next()) {
        return std::optional<StoredSession>();
    }
    StoredSession s{id, q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                    q.value(3).toByteArray()};
    if (isExpired(s, policy(), nowMs)) {
        if (auto removed = remove(id); !removed) {
            return std::unexpected(removed.error());
        }
        return std::optional<StoredSession>();
    }
    return std::optional<StoredSession>(s);
}

Result<bool> SqliteStore::touch(const QByteArray& id, qint64 nowMs)
{
    auto found = lookup(id, nowMs);
    if (!found) {
        return std::unexpected(found.error());
    }
    if (!found->has_value()) {
        return false;
    }
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE sessions SET last_seen_ms = ? WHERE key = ?"));
    q.addBindValue(nowMs);
    q.addBindValue(keyOf(id));
    if (!q.exec()) {
        return sqlError(QStringLiteral("update a session"), q.lastError());
    }
    return true;
}

Result<bool> SqliteStore::remove(const QByteArray& id)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM sessions WHERE key = ?"));
    q.addBindValue(keyOf(id));
    if (!q.exec()) {
        return sqlError(QStringLiteral("delete a session"), q.lastError());
    }
    return q.numRowsAffected() > 0;
}

Result<int> SqliteStore::removeAllOfUser(const QString& userId)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM sessions WHERE user_id = ?"));
    q.addBindValue(userId);
    if (!q.exec()) {
        return sqlError(QStringLiteral("delete a user's sessions"), q.lastError());
    }
    return q.numRowsAffected();
}

Result<qsizetype> SqliteStore::count()
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM sessions")) || !q.next()) {
        return sqlError(QStringLiteral("count sessions"), q.lastError());
    }
    return q.value(0).toLongLong();
}

} // namespace tb::session
