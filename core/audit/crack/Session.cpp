#include "audit/crack/Session.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "crypto/Signature.h"

namespace tb::audit::crack {

namespace {

const QString kFormat = QStringLiteral("tokenbench-crack-session/1");
constexpr qint64 kMaxSessionBytes = 64 * 1024;

// JSON numbers are doubles: positions travel as decimal strings so that every 64-bit value survives.
QString count(std::uint64_t v)
{
    return QString::number(v);
}

std::optional<std::uint64_t> readCount(const QJsonObject& o, const QString& key)
{
    bool ok = false;
    const qulonglong v = o.value(key).toString().toULongLong(&ok);
    return ok ? std::optional<std::uint64_t>(v) : std::nullopt;
}

} // namespace

QString sessionTokenDigest(const Target& target)
{
    const auto d = crypto::digest("SHA256", target.signingInput + '.' + target.signature);
    return d ? QString::fromLatin1(d->toHex()) : QString();
}

QByteArray sessionToJson(const CrackSession& s)
{
    const QJsonObject o{{QStringLiteral("format"), kFormat},
                        {QStringLiteral("token_sha256"), s.tokenDigest},
                        {QStringLiteral("source"), s.source},
                        {QStringLiteral("units"), count(s.units)},
                        {QStringLiteral("position"), count(s.position)},
                        {QStringLiteral("candidates"), count(s.candidates)},
                        {QStringLiteral("finished"), s.finished},
                        {QStringLiteral("found"), s.found}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

Result<CrackSession> sessionFromJson(QByteArrayView json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    const QJsonObject o = doc.object();
    if (!doc.isObject() || o.value(QStringLiteral("format")).toString() != kFormat) {
        return fail(ErrorCode::BadJson, QStringLiteral("This is not a tokenbench crack session (%1).").arg(kFormat));
    }
    CrackSession s;
    s.tokenDigest = o.value(QStringLiteral("token_sha256")).toString();
    s.source = o.value(QStringLiteral("source")).toString();
    const auto units = readCount(o, QStringLiteral("units"));
    const auto position = readCount(o, QStringLiteral("position"));
    const auto candidates = readCount(o, QStringLiteral("candidates"));
    if (!units || !position || !candidates || *position > *units || s.tokenDigest.size() != 64) {
        return fail(ErrorCode::BadJson, QStringLiteral("The crack session is damaged (units, position, candidates or "
                                                       "token_sha256 missing or out of range)."));
    }
    s.units = *units;
    s.position = *position;
    s.candidates = *candidates;
    s.finished = o.value(QStringLiteral("finished")).toBool();
    s.found = o.value(QStringLiteral("found")).toBool();
    return s;
}

Result<void> saveSession(const QString& path, const CrackSession& session)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return fail(ErrorCode::IoError, QStringLiteral("Cannot write %1: %2.").arg(path, file.errorString()));
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(sessionToJson(session));
    if (!file.commit()) {
        return fail(ErrorCode::IoError, QStringLiteral("Cannot write %1: %2.").arg(path, file.errorString()));
    }
    return {};
}

Result<CrackSession> loadSession(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::IoError, QStringLiteral("Cannot read %1: %2.").arg(path, file.errorString()));
    }
    const QByteArray bytes = file.read(kMaxSessionBytes + 1);
    if (bytes.size() > kMaxSessionBytes) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("%1 is larger than a crack session can be (64 KiB).").arg(path));
    }
    return sessionFromJson(bytes);
}

Result<std::uint64_t> resumePosition(const CrackSession& saved, const CrackSession& current)
{
    if (saved.tokenDigest != current.tokenDigest) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The session belongs to another token."));
    }
    if (saved.source != current.source) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The session searched \"%1\", not \"%2\"; resume with the same options.")
                        .arg(saved.source, current.source));
    }
    if (saved.units != current.units) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The session's source had %1 units, this one has %2 (the wordlist changed?).")
                        .arg(saved.units)
                        .arg(current.units));
    }
    return saved.position;
}

} // namespace tb::audit::crack
