#include "ClaimsModel.h"

#include <cmath>

#include <QDateTime>
#include <QFont>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include "base/Bytes.h"
#include "jose/JsonText.h"
#include "validate/Verifier.h"

namespace tb::ui {

namespace {
bool isTimeClaim(const QString& name)
{
    return name == QLatin1String("exp") || name == QLatin1String("nbf") || name == QLatin1String("iat") ||
           name == QLatin1String("auth_time") || name == QLatin1String("updated_at");
}

QString numberText(double d)
{
    return d == std::floor(d) && std::fabs(d) < 1e15 ? QString::number(qint64(d))
                                                     : QString::number(d, 'g', QLocale::FloatingPointShortest);
}

void appendQuoted(QString& out, const QString& text)
{
    out += QString::fromUtf8(jose::jsonQuote(text));
}

// Compact JSON of `v`, stopping with an ellipsis once `out` reaches `budget` characters: a claim holding a
// 1 MB array is previewed without serialising all of it on the GUI thread.
void appendCompact(QString& out, const QJsonValue& v, qsizetype budget)
{
    if (out.size() >= budget) {
        return;
    }
    switch (v.type()) {
    case QJsonValue::String:
        appendQuoted(out, v.toString());
        break;
    case QJsonValue::Double:
        out += numberText(v.toDouble());
        break;
    case QJsonValue::Bool:
        out += v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        break;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += QStringLiteral("null");
        break;
    case QJsonValue::Array: {
        out += QLatin1Char('[');
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size() && out.size() < budget; ++i) {
            if (i > 0) {
                out += QLatin1Char(',');
            }
            appendCompact(out, a.at(i), budget);
        }
        out += QLatin1Char(']');
        break;
    }
    case QJsonValue::Object: {
        out += QLatin1Char('{');
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end() && out.size() < budget; ++it) {
            if (it != o.begin()) {
                out += QLatin1Char(',');
            }
            appendQuoted(out, it.key());
            out += QLatin1Char(':');
            appendCompact(out, it.value(), budget);
        }
        out += QLatin1Char('}');
        break;
    }
    }
}

constexpr qsizetype previewChars = 4096;

QString valueText(const QJsonValue& v)
{
    if (v.isString()) {
        const QString text = v.toString();
        return text.size() > previewChars ? text.first(previewChars) + QChar(0x2026) : text;
    }
    QString out;
    appendCompact(out, v, previewChars);
    if (out.size() >= previewChars) {
        out.truncate(previewChars);
        out += QChar(0x2026);
    }
    return out;
}
} // namespace

ClaimsModel::ClaimsModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

ClaimsModel::~ClaimsModel() = default;

bool ClaimsModel::setClaims(const QJsonObject& claims)
{
    QList<Row> rows;
    rows.reserve(claims.size());
    for (auto it = claims.begin(); it != claims.end(); ++it) {
        rows.append({it.key(), it.value(), valueText(it.value())});
    }
    // Registered claims first, in RFC 7519 order; the rest alphabetically (QJsonObject order).
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
        if (rows.at(i).value != m_rows.at(i).value) {
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
    const bool time = isTimeClaim(row.name) && row.value.isDouble();
    const double epoch = row.value.toDouble();
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
