#include "LintModel.h"

#include <QApplication>
#include <QIcon>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QUrl>

namespace tb::ui {

namespace {

QColor severityColor(Severity s)
{
    switch (s) {
    case Severity::Critical:
        return QColor(0x9b, 0x1c, 0x1c);
    case Severity::High:
        return QColor(0xd9, 0x48, 0x2b);
    case Severity::Medium:
        return QColor(0xe0, 0x8e, 0x0b);
    case Severity::Low:
        return QColor(0x2f, 0x6f, 0xb3);
    case Severity::Info:
        break;
    }
    return QColor(0x7a, 0x7f, 0x87);
}

// A round badge with the severity's first letter, drawn so it reads the same on light and dark palettes.
QIcon makeBadge(Severity s)
{
    QIcon icon;
    for (int size : {16, 24, 32}) {
        QPixmap pm(size, size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(severityColor(s));
        p.drawEllipse(QRectF(0.5, 0.5, size - 1, size - 1));
        QFont f = QApplication::font();
        f.setBold(true);
        f.setPixelSize(size * 9 / 16);
        p.setFont(f);
        p.setPen(Qt::white);
        p.drawText(QRect(0, 0, size, size), Qt::AlignCenter, severityName(s).left(1).toUpper());
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

} // namespace

LintModel::LintModel(QObject* parent)
    : QAbstractTableModel(parent)
{}

LintModel::~LintModel() = default;

QIcon LintModel::severityIcon(Severity severity)
{
    static const QIcon icons[] = {makeBadge(Severity::Info), makeBadge(Severity::Low), makeBadge(Severity::Medium),
                                  makeBadge(Severity::High), makeBadge(Severity::Critical)};
    const int i = int(severity);
    return i >= 0 && i < 5 ? icons[i] : QIcon();
}

void LintModel::setFindings(QList<audit::Finding> findings)
{
    beginResetModel();
    m_findings = std::move(findings);
    endResetModel();
}

int LintModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}

int LintModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LintModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_findings.size()) {
        return {};
    }
    const audit::Finding& f = m_findings.at(index.row());
    switch (index.column()) {
    case SeverityColumn:
        if (role == Qt::DisplayRole || role == Qt::AccessibleTextRole) {
            return severityName(f.severity);
        }
        if (role == Qt::DecorationRole) {
            return severityIcon(f.severity);
        }
        if (role == Qt::UserRole) {
            return int(f.severity);
        }
        break;
    case RuleColumn:
        if (role == Qt::DisplayRole) {
            return f.id;
        }
        if (role == Qt::ToolTipRole) {
            const audit::LintRule* rule = audit::findRule(f.id);
            return rule ? rule->title : QVariant();
        }
        break;
    case MessageColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
            return f.message;
        }
        break;
    case ReferenceColumn:
        if (role == Qt::DisplayRole) {
            return f.reference;
        }
        if (role == UrlRole || role == Qt::ToolTipRole) {
            const QString url = audit::referenceUrl(f.reference);
            return url.isEmpty() ? QVariant() : QVariant(url);
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant LintModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case RuleColumn:
        return tr("Rule");
    case MessageColumn:
        return tr("Finding");
    case ReferenceColumn:
        return tr("Reference");
    default:
        break;
    }
    return {};
}

void LinkDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    if (index.data(LintModel::UrlRole).toString().isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.font.setUnderline(true);
    opt.palette.setColor(QPalette::Text, opt.palette.color(QPalette::Link));
    opt.palette.setColor(QPalette::HighlightedText, opt.palette.color(QPalette::HighlightedText));
    QStyledItemDelegate::paint(painter, opt, index);
}

bool LinkDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                               const QModelIndex& index)
{
    const QString url = index.data(LintModel::UrlRole).toString();
    if (event->type() == QEvent::MouseButtonRelease && !url.isEmpty() &&
        static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
        emit linkActivated(QUrl(url));
        return true;
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace tb::ui
