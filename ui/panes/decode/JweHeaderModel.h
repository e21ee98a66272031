#pragma once

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QList>
#include <QPalette>

#include "jose/jwe/Jwe.h"

namespace tb::ui {

// A JWE header, one member a row: its value, what it means, and, when it is dangerous, why (the danger column
// is empty for harmless members; dangerous rows are coloured and carry the reason as a tooltip).
class JweHeaderModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JweHeaderModel)

public:
    enum Column
    {
        Member,
        Value,
        Meaning,
        Danger,
        ColumnCount,
    };

    explicit JweHeaderModel(QObject* parent = nullptr);
    ~JweHeaderModel() override;

    // `notes` from jose::jwe::explainHeader over `header`; values are read from `header`.
    void setNotes(const QJsonObject& header, const QList<jose::jwe::HeaderNote>& notes);
    void setPalette(const QPalette& palette);
    [[nodiscard]] int dangerCount() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A member's value as one line of JSON text, cut to `maxChars`.
    static QString valueText(const QJsonValue& value, int maxChars = 28);

private:
    struct Row
    {
        jose::jwe::HeaderNote note;
        QString value;     // cut for the table
        QString fullValue; // the tooltip
    };
    QList<Row> m_rows;
    QPalette m_palette;
};

} // namespace tb::ui
