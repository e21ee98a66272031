#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "inspect/TokenDiff.h"

namespace tb::ui {

// The header and claim differences of a token diff as one table: part, member, change, A's value, B's value.
// Rows are coloured by the change (added, removed, changed).
class DiffTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffTableModel)

public:
    enum Column
    {
        PartColumn,
        PathColumn,
        OpColumn,
        AColumn,
        BColumn,
        ColumnCount,
    };

    explicit DiffTableModel(QObject* parent = nullptr);
    ~DiffTableModel() override;

    // Header changes first, then payload changes, each in the diff's order. nullptr clears the table.
    void setDiff(const inspect::TokenDiff* diff);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString part; // "header" or "payload"
        inspect::Change change;
    };
    QList<Row> m_rows;
};

} // namespace tb::ui
