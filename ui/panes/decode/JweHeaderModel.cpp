#include "JweHeaderModel.h"

#include <QJsonArray>
#include <QJsonDocument>

#include "support/Theme.h"

namespace tb::ui {

JweHeaderModel::JweHeaderModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

JweHeaderModel::~JweHeaderModel() = default;

QString JweHeaderModel::valueText(const QJsonValue& value, int maxChars)
{
    QString text;
    if (value.isUndefined()) {
        text = tr("(missing)");
    } else if (value.isString()) {
        text = QLatin1Char('"') + value.toString() + QLatin1Char('"');
    } else if (value.isObject() || value.isArray()) {
        const QJsonDocument doc = value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(value.toArray());
        text = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    } else {
        text = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    }
    return text.size() > maxChars ? text.left(maxChars - 1) + QChar(0x2026) : text;
}

void JweHeaderModel::setNotes(const QJsonObject& header, const QList<jose::jwe::HeaderNote>& notes)
{
    beginResetModel();
    m_rows.clear();
    for (const auto& n : notes) {
        m_rows.append({n, valueText(header.value(n.member)), valueText(header.value(n.member), 4096)});
    }
    endResetModel();
}

void JweHeaderModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (!m_rows.isEmpty()) {
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1), {Qt::ForegroundRole});
    }
}

int JweHeaderModel::dangerCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return !r.note.danger.isEmpty(); }));
}

int JweHeaderModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JweHeaderModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JweHeaderModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size()) {
        return {};
    }
    const Row& row = m_rows.at(index.row());
    const bool dangerous = !row.note.danger.isEmpty();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Member:
            return dangerous ? QStringLiteral("\u26a0 ") + row.note.member : row.note.member;
        case Value:
            return row.value;
        case Meaning:
            return row.note.meaning;
        case Danger:
            return row.note.danger;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Value) {
            return row.fullValue;
        }
        return dangerous ? row.note.meaning + QStringLiteral("\n\n") + row.note.danger : row.note.meaning;
    case Qt::ForegroundRole:
        if (dangerous && (index.column() == Member || index.column() == Danger)) {
            return theme::failColor(m_palette);
        }
        return {};
    case Qt::UserRole:
        return row.note.member;
    default:
        return {};
    }
}

QVariant JweHeaderModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Member:
        return tr("Member");
    case Value:
        return tr("Value");
    case Meaning:
        return tr("Meaning");
    case Danger:
        return tr("Danger");
    default:
        return {};
    }
}

} // namespace tb::ui
