#pragma once

#include <optional>

#include <QByteArray>
#include <QFuture>
#include <QWidget>

#include "inspect/Malleate.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QTableWidget;

namespace tb::ui {

class Workspace;

// The malleability explorer (core/inspect/Malleate): byte-different variants of the token, whether each verifies
// (with a key from the store: tokenbench's own verify; without: what tokenbench is expected to say), and which
// denylist keys it slips past. One row per variant, with a copy button. The variants are built off the GUI thread
// (a 1.4 MB token takes ~0.14 s): a newer token or key supersedes the run in flight, which is cancelled.
class MalleateSection final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MalleateSection)

public:
    enum Column
    {
        VariantColumn,
        ChangeColumn,
        VerifiesColumn,
        TokenHashColumn,
        SignatureHashColumn,
        JtiColumn,
        IssJtiColumn,
        CopyColumn,
        ColumnCount,
    };

    explicit MalleateSection(Workspace* workspace, QWidget* parent = nullptr);
    ~MalleateSection() override;

    void setToken(const QByteArray& token);
    void explore();
    [[nodiscard]] const inspect::MalleabilityReport& report() const { return m_report; }
    // True while the variants of the current token are being built (the table is empty meanwhile).
    [[nodiscard]] bool isBusy() const;

signals:
    void statusMessage(const QString& text);
    // The table and summary show the current token's result (or why there is none).
    void explored();

private:
    using Outcome = std::optional<Result<inspect::MalleabilityReport>>; // nullopt: cancelled before it ran
    void refreshKeys();
    void finish(const Result<inspect::MalleabilityReport>& report);
    void showReport();

    Workspace* m_workspace = nullptr;
    QByteArray m_token;
    QComboBox* m_key = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_summary = nullptr;
    QProgressBar* m_busy = nullptr;
    inspect::MalleabilityReport m_report;
    QFuture<Outcome> m_future;
    int m_generation = 0; // bumped by every explore(): an older run's result is dropped
};

} // namespace tb::ui
