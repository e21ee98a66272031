#include "DiffTableModel.h"

#include <QApplication>
#include <QPalette>

#include "support/Theme.h"

namespace tb::ui {

namespace {

constexpr qsizetype shownChars = 160; // longer values are elided in the cell; the tooltip has them whole

QString valueText(const QByteArray& value)
{
    return value.isEmpty() ? QObject::tr("(absent)") : QString::fromUtf8(value);
}

QColor opColor(inspect::Change::Op op, const QPalette& palette)
{
    switch (op) {
    case inspect::Change::Op::Added:
        return theme::okColor(palette);
    case inspect::Change::Op::Removed:
        return theme::failColor(palette);
    case inspect::Change::Op::Changed:
        break;
    }
    return theme::warnColor(palette);
}

} // namespace

DiffTableModel::DiffTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

DiffTableModel::~DiffTableModel() = default;

void DiffTableModel::setDiff(const inspect::TokenDiff* diff)
{
    beginResetModel();
    m_rows.clear();
    if (diff) {
        for (const inspect::Change& c : diff->header) {
            m_rows.append(Row{QStringLiteral("header"), c});
        }
        for (const inspect::Change& c : diff->payload) {
            m_rows.append(Row{QStringLiteral("payload"), c});
        }
    }
    endResetModel();
}

int DiffTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DiffTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DiffTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size()) {
        return {};
    }
    const Row& row = m_rows[index.row()];
    const inspect::Change& c = row.change;
    const QByteArray& value = index.column() == AColumn ? c.a : c.b;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case PartColumn:
            return row.part;
        case PathColumn:
            return c.path.isEmpty() ? tr("(whole payload)") : c.path;
        case OpColumn:
            return inspect::opName(c.op);
        case AColumn:
        case BColumn: {
            const QString text = valueText(value);
            return text.size() > shownChars ? text.left(shownChars) + QStringLiteral("…") : text;
        }
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == AColumn || index.column() == BColumn) {
            return valueText(value);
        }
        return QStringLiteral("%1 %2: %3").arg(row.part, c.path, inspect::opName(c.op));
    case Qt::BackgroundRole: {
        QColor tint = opColor(c.op, QApplication::palette());
        tint.setAlpha(40);
        return tint;
    }
    case Qt::ForegroundRole:
        if (index.column() == OpColumn) {
            return opColor(c.op, QApplication::palette());
        }
        if ((index.column() == AColumn && c.a.isEmpty()) || (index.column() == BColumn && c.b.isEmpty())) {
            return QApplication::palette().color(QPalette::PlaceholderText);
        }
        return {};
    default:
        return {};
    }
}

QVariant DiffTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case PartColumn:
        return tr("Part");
    case PathColumn:
        return tr("Member");
    case OpColumn:
        return tr("Change");
    case AColumn:
        return tr("A");
    case BColumn:
        return tr("B");
    default:
        return {};
    }
}

} // namespace tb::ui
