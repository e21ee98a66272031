#include "CookieFindingsModel.h"

#include <array>

#include <QPainter>
#include <QPixmap>

namespace tb::ui {

namespace {

QColor severityColor(Severity s)
{
    switch (s) {
    case Severity::Critical:
        return QColor(0x8e, 0x10, 0x10);
    case Severity::High:
        return QColor(0xd3, 0x2f, 0x2f);
    case Severity::Medium:
        return QColor(0xef, 0x8a, 0x00);
    case Severity::Low:
        return QColor(0x1e, 0x78, 0xc8);
    case Severity::Info:
        break;
    }
    return QColor(0x75, 0x75, 0x75);
}

} // namespace

CookieFindingsModel::CookieFindingsModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

QIcon CookieFindingsModel::severityIcon(Severity severity)
{
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(severityColor(severity));
    p.drawEllipse(QRectF(2, 2, 28, 28));
    QFont f = p.font();
    f.setPixelSize(18);
    f.setBold(true);
    p.setFont(f);
    p.setPen(Qt::white);
    p.drawText(QRectF(0, 0, 32, 32), Qt::AlignCenter, severityName(severity).left(1).toUpper());
    p.end();
    return QIcon(pm);
}

void CookieFindingsModel::setFindings(std::vector<session::CookieFinding> findings)
{
    beginResetModel();
    m_findings = std::move(findings);
    endResetModel();
}

int CookieFindingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int CookieFindingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CookieFindingsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_findings.size())) {
        return {};
    }
    const session::CookieFinding& f = m_findings[std::size_t(index.row())];
    if (role == Qt::UserRole) {
        return int(f.severity);
    }
    if (role == Qt::DecorationRole && index.column() == SeverityColumn) {
        QIcon& icon = m_icons.at(std::size_t(f.severity));
        if (icon.isNull()) {
            icon = severityIcon(f.severity);
        }
        return icon;
    }
    if (role == Qt::ToolTipRole && index.column() == MessageColumn) {
        return f.line > 0 ? tr("%1 (input line %2)").arg(f.message).arg(f.line) : f.message;
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(index.column())) {
    case SeverityColumn:
        return severityName(f.severity);
    case RuleColumn:
        return f.id;
    case CookieColumn:
        return QString::fromUtf8(f.cookie);
    case MessageColumn:
        return f.message;
    case SourceColumn:
        return f.reference;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant CookieFindingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (Column(section)) {
    case SeverityColumn:
        return tr("Severity");
    case RuleColumn:
        return tr("Rule");
    case CookieColumn:
        return tr("Cookie");
    case MessageColumn:
        return tr("Finding");
    case SourceColumn:
        return tr("Source");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace tb::ui
