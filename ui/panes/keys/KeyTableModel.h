#pragma once

#include <QAbstractTableModel>
#include <QHash>

namespace tb::ui {

class Workspace;

// The workspace key store as a table: name, type, algorithm, size/curve, kid, RFC 7638 thumbprint, part.
class KeyTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyTableModel)

public:
    enum Column
    {
        Name,
        Type,
        Algorithm,
        Size,
        Kid,
        Thumbprint,
        Part,
        ColumnCount,
    };

    explicit KeyTableModel(Workspace* workspace, QObject* parent = nullptr);
    ~KeyTableModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

private:
    Workspace* m_workspace = nullptr;
    mutable QHash<const void*, QString> m_thumbprints;
};

} // namespace tb::ui
