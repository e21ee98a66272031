#include "ClaimsModel.h"

#include <cmath>

#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QSet>

#include "base/Bytes.h"
#include "validate/Verifier.h"

namespace tb::ui {

namespace {
bool isTimeClaim(const QString& name)
{
    return name == QLatin1String("exp") || name == QLatin1String("nbf") || name == QLatin1String("iat") ||
           name == QLatin1String("auth_time") || name == QLatin1String("updated_at");
}

constexpr qsizetype previewChars = 4096;

QString capped(QString text)
{
    if (text.size() > previewChars) {
        text.truncate(previewChars);
        text += QChar(0x2026);
    }
    return text;
}

// A string as its text; any other value as its JSON, whitespace dropped, stopping with an ellipsis after
// previewChars: a claim holding a 1 MB array is previewed without copying all of it on the GUI thread.
QString valueText(const jose::JsonObjectView& claims, QByteArrayView name)
{
    if (const std::optional<QString> text = claims.string(name)) {
        return capped(*text);
    }
    const QByteArray json = claims.compactRaw(name, previewChars + 1);
    return capped(QString::fromUtf8(json));
}
} // namespace

ClaimsModel::ClaimsModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

ClaimsModel::~ClaimsModel() = default;

bool ClaimsModel::setClaims(const jose::JsonObjectView& claims)
{
    QList<Row> rows;
    const QStringList names = claims.keys();
    rows.reserve(names.size());
    QSet<QString> seen;
    for (const QString& name : names) {
        if (seen.contains(name)) {
            continue;
        }
        seen.insert(name);
        const QByteArray key = name.toUtf8();
        rows.append({name, valueText(claims, key), claims.number(key)});
    }
    // Registered claims first, in RFC 7519 order; the rest as they stand in the payload.
    static const QStringList order = {QStringLiteral("iss"), QStringLiteral("sub"), QStringLiteral("aud"),
                                      QStringLiteral("exp"), QStringLiteral("nbf"), QStringLiteral("iat"),
                                      QStringLiteral("jti")};
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        const qsizetype ia = order.indexOf(a.name);
        const qsizetype ib = order.indexOf(b.name);
        return (ia < 0 ? order.size() : ia) < (ib < 0 ? order.size() : ib);
    });
    // Typing in a value keeps the names: update the changed rows in place, not the whole view.
    const bool sameNames = std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(), m_rows.cend(),
                                      [](const Row& a, const Row& b) { return a.name == b.name; });
    if (!sameNames) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return true;
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (rows.at(i).text != m_rows.at(i).text || rows.at(i).number != m_rows.at(i).number) {
            m_rows[i] = rows.at(i);
            emit dataChanged(index(int(i), 0), index(int(i), ColumnCount - 1));
        }
    }
    return false;
}

void ClaimsModel::setNow(double now)
{
    m_now = now;
    if (!m_rows.isEmpty()) {
        emit dataChanged(index(0, Relative), index(int(m_rows.size()) - 1, Relative));
    }
}

int ClaimsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ClaimsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClaimsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& row = m_rows.at(index.row());
    const bool time = isTimeClaim(row.name) && row.number.has_value();
    const double epoch = row.number.value_or(0);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Name:
            return row.name;
        case Value: {
            // A cell is one line: measuring and eliding a long value costs as much as the whole view while typing.
            const QString& text = row.text;
            constexpr qsizetype shown = 256;
            return role == Qt::DisplayRole && text.size() > shown ? text.first(shown) + QChar(0x2026) : text;
        }
        case Meaning:
            return meaning(row.name);
        case Utc:
            return time ? bytes::utcString(epoch) : QString();
        case Local:
            if (!time) {
                return QString();
            }
            return QDateTime::fromSecsSinceEpoch(qint64(epoch)).toLocalTime().toString(Qt::ISODate);
        case Relative:
            return time ? relativeText(row.name, epoch, m_now) : QString();
        default:
            break;
        }
    }
    if (role == Qt::FontRole && index.column() == Name && !meaning(row.name).isEmpty()) {
        QFont f;
        f.setBold(true);
        return f;
    }
    return {};
}

QVariant ClaimsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case Name:
        return tr("Claim");
    case Value:
        return tr("Value");
    case Meaning:
        return tr("Meaning");
    case Utc:
        return tr("UTC");
    case Local:
        return tr("Local time");
    case Relative:
        return tr("Relative to now");
    default:
        return {};
    }
}

QString ClaimsModel::relativeText(const QString& claim, double epoch, double now)
{
    const double delta = epoch - now;
    const QString span = validate::formatDuration(std::fabs(delta));
    const bool future = delta > 0;
    if (claim == QLatin1String("exp")) {
        return future ? tr("expires in %1").arg(span) : tr("expired %1 ago").arg(span);
    }
    if (claim == QLatin1String("nbf")) {
        return future ? tr("not valid for another %1").arg(span) : tr("valid since %1 ago").arg(span);
    }
    if (claim == QLatin1String("iat")) {
        return future ? tr("issued in the future (in %1)").arg(span) : tr("issued %1 ago").arg(span);
    }
    return future ? tr("in %1").arg(span) : tr("%1 ago").arg(span);
}

QString ClaimsModel::meaning(const QString& claim)
{
    static const QHash<QString, QString> meanings = {
        {QStringLiteral("iss"), tr("Issuer: who created and signed the token.")},
        {QStringLiteral("sub"), tr("Subject: the principal the token is about (usually a user id).")},
        {QStringLiteral("aud"), tr("Audience: the recipients that must accept the token.")},
        {QStringLiteral("exp"), tr("Expiration time: the token must not be accepted on or after it.")},
        {QStringLiteral("nbf"), tr("Not before: the token must not be accepted before it.")},
        {QStringLiteral("iat"), tr("Issued at: when the token was created.")},
        {QStringLiteral("jti"), tr("JWT ID: a unique id, used to prevent replay.")},
        {QStringLiteral("scope"), tr("OAuth 2.0 scopes granted (RFC 8693).")},
        {QStringLiteral("azp"), tr("Authorized party: the client the token was issued to (OIDC).")},
        {QStringLiteral("nonce"), tr("OIDC nonce: binds the ID token to the client's session.")},
        {QStringLiteral("auth_time"), tr("When the user authenticated (OIDC).")},
        {QStringLiteral("client_id"), tr("OAuth 2.0 client identifier (RFC 8693).")},
        {QStringLiteral("cnf"), tr("Confirmation: the key the holder must prove possession of (RFC 7800).")},
    };
    return meanings.value(claim);
}

} // namespace tb::ui
