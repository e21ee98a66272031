#pragma once

#include <memory>

#include <QString>

#include "session/SessionStore.h"

namespace tb::session {

// Sessions in an SQLite file through Qt Sql (the embedded default). Rows are keyed by SHA-256 of the ID, so
// a copied database file holds no usable session IDs. One instance per thread (Qt Sql's rule).
class SqliteStore final : public SessionStore
{
public:
    // `path` is a file, or ":memory:"; the file and its folder are created when missing.
    static Result<std::unique_ptr<SqliteStore>> open(const QString& path, TimeoutPolicy policy = {});
    // <app data folder>/sessions.sqlite (QStandardPaths::AppDataLocation).
    static QString defaultPath();
    ~SqliteStore() override;

    [[nodiscard]] QString kind() const override { return QStringLiteral("sqlite"); }
    Result<std::optional<StoredSession>> lookup(const QByteArray& id, qint64 nowMs) override;
    Result<bool> touch(const QByteArray& id, qint64 nowMs) override;
    Result<bool> remove(const QByteArray& id) override;
    Result<int> removeAllOfUser(const QString& userId) override;
    Result<qsizetype> count() override;

protected:
    Result<void> insert(const StoredSession& s) override;

private:
    SqliteStore(QString connection, TimeoutPolicy policy);
    QString m_connection;
};

} // namespace tb::session
