#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QStyledItemDelegate>

#include "audit/lint/Lint.h"

namespace tb::ui {

// Lint findings as rows: severity (with an icon), rule ID, the sentence, and the reference (a link: UrlRole).
class LintModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LintModel)

public:
    enum Column
    {
        SeverityColumn,
        RuleColumn,
        MessageColumn,
        ReferenceColumn,
        ColumnCount,
    };
    static constexpr int UrlRole = Qt::UserRole + 1; // the reference's web address (ReferenceColumn)

    explicit LintModel(QObject* parent = nullptr);
    ~LintModel() override;

    void setFindings(QList<audit::Finding> findings);
    [[nodiscard]] const QList<audit::Finding>& findings() const { return m_findings; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QIcon severityIcon(Severity severity);

private:
    QList<audit::Finding> m_findings;
};

// Paints the reference column as a link and emits linkActivated on a click.
class LinkDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LinkDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    ~LinkDelegate() override = default;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

signals:
    void linkActivated(const QUrl& url);
};

} // namespace tb::ui
