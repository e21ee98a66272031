#pragma once

#include <optional>

#include <QAbstractTableModel>

#include "jose/JsonView.h"

namespace tb::ui {

// The payload's top-level claims: name, value (as written: key order, spelling and escapes kept, whitespace
// dropped), a one-line meaning for registered claims, and for exp/nbf/iat/auth_time the time in UTC, local time
// and relative to "now". Read straight from the payload's scan: no second JSON parse per keystroke.
class ClaimsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClaimsModel)

public:
    enum Column
    {
        Name,
        Value,
        Relative,
        Utc,
        Local,
        Meaning,
        ColumnCount,
    };

    explicit ClaimsModel(QObject* parent = nullptr);
    ~ClaimsModel() override;

    // Registered claims first (RFC 7519 order), the rest in payload order; a duplicated name is one row holding
    // its last value (what verification reads). Returns true when the rows were replaced (other claim names),
    // false when only values changed in place.
    bool setClaims(const jose::JsonObjectView& claims);
    void setNow(double now);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // "expires in 4 min", "expired 2 h ago", ... for a time claim; empty for others.
    static QString relativeText(const QString& claim, double epoch, double now);
    static QString meaning(const QString& claim);

private:
    struct Row
    {
        QString name;
        QString text;                 // the value as one line, made once: views ask for it on every paint
        std::optional<double> number; // a number member's value (within the double range)
    };
    QList<Row> m_rows;
    double m_now = 0;
};

} // namespace tb::ui
