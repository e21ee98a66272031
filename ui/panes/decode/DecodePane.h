#pragma once

#include "panes/PaneBase.h"
#include <optional>

#include <QWidget>

#include "base/Error.h"
#include "jose/Compact.h"

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;
class QRadioButton;
class QTableView;

namespace tb::ui {

class ClaimsModel;
class JsonEditor;
class TokenEdit;
class Workspace;

// Decode & Edit: the token as given, its header and payload as editable JSON text (the exact bytes typed
// are what gets encoded and signed), the claims explained, and explicit signature actions.
class DecodePane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DecodePane)

public:
    explicit DecodePane(Workspace* workspace, QWidget* parent = nullptr);
    ~DecodePane() override;

    // Shows `token` as the original (replacing any edit).
    void openToken(const QByteArray& token);
    // The token built from the editors and the chosen signature action.
    [[nodiscard]] QByteArray resultToken() const { return m_result; }

signals:
    void verifyRequested(const QByteArray& token);

private:
    void inputChanged();
    void applyParsed(const QByteArray& raw, const Result<jose::CompactToken>& parsed);
    void reencode();
    void refreshKeys();
    void refreshAlgs();
    void alignHeaderAlg();
    void updateNow();
    void setSegmentState(QLabel* label, const QString& what, bool identical);
    void copyText(const QString& text, const QString& what);

    Workspace* m_workspace = nullptr;
    TokenEdit* m_input = nullptr;
    QLabel* m_inputStatus = nullptr;
    QLabel* m_inputSize = nullptr;
    JsonEditor* m_header = nullptr;
    JsonEditor* m_payload = nullptr;
    QLabel* m_headerState = nullptr;
    QLabel* m_payloadState = nullptr;
    QLabel* m_signatureState = nullptr;
    QLabel* m_jweNote = nullptr;
    QRadioButton* m_keep = nullptr;
    QRadioButton* m_strip = nullptr;
    QRadioButton* m_resign = nullptr;
    QComboBox* m_key = nullptr;
    QComboBox* m_alg = nullptr;
    QLabel* m_signError = nullptr;
    TokenEdit* m_output = nullptr;
    QLabel* m_outputSize = nullptr;
    QPushButton* m_copyToken = nullptr;
    QPushButton* m_copyBearer = nullptr;
    QPushButton* m_copyCurl = nullptr;
    QPushButton* m_verify = nullptr;
    QCheckBox* m_nowOverride = nullptr;
    QDateTimeEdit* m_nowEdit = nullptr;
    QTableView* m_claimsView = nullptr;
    ClaimsModel* m_claims = nullptr;

    std::optional<jose::CompactToken> m_original;
    QByteArray m_result;
    bool m_loading = false;
    int m_parseGeneration = 0;
};

} // namespace tb::ui
