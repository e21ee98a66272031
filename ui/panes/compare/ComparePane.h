#pragma once

#include <optional>

#include <QByteArray>
#include <QIcon>
#include <QList>
#include <QString>

#include "inspect/ByteDiff.h"
#include "inspect/TokenDiff.h"
#include "panes/PaneBase.h"
#include "workspace/WorkspaceFile.h"

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableView;
class QTableWidget;
class QTextEdit;
class QTimer;

namespace tb::ui {

class DiffTableModel;
class Workspace;

// Compare: two tokens (JWS or JWE) side by side. Header and claim differences as a coloured table, time
// deltas, whether the same key signed them (alg, kid, and the thumbprints of the workspace keys that verify
// each), and a byte-level diff of every segment in a monospace view. All the logic is core/inspect's.
class ComparePane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ComparePane)

public:
    // What the byte view shows of one segment.
    struct SegmentBytes
    {
        QString name;
        QByteArray a; // decoded bytes, or the base64url text (ByteMode::Base64Url)
        QByteArray b;
        bool binary = false; // shown as hex and compared offset by offset (signatures, IVs, ciphertexts)
        inspect::ByteDiff marks;
    };
    enum class ByteMode
    {
        Decoded,
        Base64Url,
    };
    // One comparison, computed without touching widgets (it may run on a worker thread).
    struct Outcome
    {
        std::optional<inspect::TokenDiff> diff;
        QString error;
        QString keyNameA; // the workspace key that verifies A ("" when none does)
        QString keyNameB;
        QList<SegmentBytes> decoded;
        QList<SegmentBytes> encoded;
    };

    explicit ComparePane(Workspace* workspace, QWidget* parent = nullptr);
    ~ComparePane() override;

    static QIcon navIcon();
    [[nodiscard]] static Outcome compare(const QByteArray& a, const QByteArray& b,
                                         const QList<workspace::NamedKey>& store);

    // Puts the tokens in the inputs and compares them at once (off the GUI thread when they are large).
    void setTokens(const QByteArray& a, const QByteArray& b);
    [[nodiscard]] QByteArray tokenA() const;
    [[nodiscard]] QByteArray tokenB() const;
    void swap();
    void setByteMode(ByteMode mode);
    [[nodiscard]] const std::optional<inspect::TokenDiff>& diff() const { return m_outcome.diff; }
    [[nodiscard]] const QList<SegmentBytes>& segments() const;
    [[nodiscard]] bool isComparing() const { return m_pending > 0; }

    void prepareScreenshot() override;

signals:
    // After every comparison is shown (also one that failed).
    void compared();

private:
    void buildInputs();
    void rebuildPickers();
    void syncPickers();
    void pick(int side, int index);
    void inputChanged();
    void startCompare();
    void showOutcome(const Outcome& outcome);
    void showVerdicts();
    void showTimes();
    void renderBytes();
    void clearResults(const QString& message);

    Workspace* m_workspace = nullptr;
    QComboBox* m_pickA = nullptr;
    QComboBox* m_pickB = nullptr;
    QPlainTextEdit* m_inputA = nullptr;
    QPlainTextEdit* m_inputB = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_sameAlg = nullptr;
    QLabel* m_sameKid = nullptr;
    QLabel* m_sameKey = nullptr;
    DiffTableModel* m_model = nullptr;
    QTableView* m_changes = nullptr;
    QTableWidget* m_times = nullptr;
    QComboBox* m_byteMode = nullptr;
    QTextEdit* m_bytes = nullptr;
    QTimer* m_debounce = nullptr;
    Outcome m_outcome;
    int m_generation = 0; // drops results of comparisons that were superseded
    int m_pending = 0;
};

} // namespace tb::ui
