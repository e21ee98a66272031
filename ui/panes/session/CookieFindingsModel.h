#pragma once

#include <array>
#include <vector>

#include <QAbstractTableModel>
#include <QIcon>

#include "session/CookieLint.h"

namespace tb::ui {

// The cookie analyser's findings as a table: severity (with an icon), rule ID, cookie, sentence, source.
// Qt::UserRole on any column holds the severity as an int, for sorting the most severe first.
class CookieFindingsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CookieFindingsModel)

public:
    enum Column
    {
        SeverityColumn,
        RuleColumn,
        CookieColumn,
        MessageColumn,
        SourceColumn,
        ColumnCount,
    };
    explicit CookieFindingsModel(QObject* parent = nullptr);
    ~CookieFindingsModel() override = default;

    void setFindings(std::vector<session::CookieFinding> findings);
    [[nodiscard]] const std::vector<session::CookieFinding>& findings() const { return m_findings; }
    // A coloured disc with the severity's initial: the same icon everywhere a severity is shown.
    static QIcon severityIcon(Severity severity);

    [[nodiscard]] int rowCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex& parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;

private:
    std::vector<session::CookieFinding> m_findings;
    mutable std::array<QIcon, 5> m_icons; // one per Severity, drawn on first use
};

} // namespace tb::ui
