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
class QTabWidget;
class QTableView;

namespace tb::ui {

class ClaimsModel;
class IdentityBanner;
class JsonEditor;
class JweDecryptPanel;
class JweEncryptPanel;
class TokenEdit;
class TokenView;
class Workspace;
struct DecodedInput;

// Decode & Edit: first what the pasted string is (core/inspect/Identify), then the token as given, its header
// and payload as editable JSON text (the exact bytes typed are what gets encoded and signed), the claims
// explained, and explicit actions: sign (JWS only), decrypt a JWE (its header explained; a nested JWS opens in
// the editors) and encrypt the payload or the JWS as a JWE.
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

    // The tabs under the token.
    enum ActionTab
    {
        SignTab,
        DecryptTab,
        EncryptTab,
    };

signals:
    void verifyRequested(const QByteArray& token);

private:
    // What the editors hold: nothing yet, a JWS (or a JWS being built), a JWE, or a look-alike that is no JWT.
    enum class Mode
    {
        Empty,
        Jws,
        Jwe,
        Other,
    };

    QWidget* buildInputBox();
    QWidget* buildSignTab();
    QWidget* buildEditors();
    void connectSignals();
    void inputChanged();
    void applyDecoded(const DecodedInput& decoded);
    void showJws(const DecodedInput& decoded);
    void showJwe(const DecodedInput& decoded);
    void showOther(const DecodedInput& decoded);
    void decryptedPlaintext(const QByteArray& plaintext, bool nestedJws);
    void updateActions();
    [[nodiscard]] bool signable() const;
    [[nodiscard]] QString notSignableReason() const;
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
    IdentityBanner* m_banner = nullptr;
    QTabWidget* m_actions = nullptr;
    JweDecryptPanel* m_decrypt = nullptr;
    JweEncryptPanel* m_encrypt = nullptr;
    QRadioButton* m_keep = nullptr;
    QRadioButton* m_strip = nullptr;
    QRadioButton* m_resign = nullptr;
    QComboBox* m_key = nullptr;
    QComboBox* m_alg = nullptr;
    QLabel* m_signError = nullptr;
    TokenView* m_output = nullptr;
    QLabel* m_outputSize = nullptr;
    QPushButton* m_copyToken = nullptr;
    QPushButton* m_copyBearer = nullptr;
    QPushButton* m_copyCurl = nullptr;
    QPushButton* m_verify = nullptr;
    QCheckBox* m_nowOverride = nullptr;
    QDateTimeEdit* m_nowEdit = nullptr;
    QTableView* m_claimsView = nullptr;
    ClaimsModel* m_claims = nullptr;

    std::optional<jose::CompactToken> m_original; // the JWS in the editors (a JWE's nested JWS once decrypted)
    Mode m_mode = Mode::Empty;
    QByteArray m_jwe;      // the JWE as given, in Jwe mode
    bool m_nested = false; // Jwe mode: the editors hold the decrypted nested JWS
    QString m_otherReason; // Other mode: why signing does not apply
    QByteArray m_result;
    bool m_loading = false;
    int m_parseGeneration = 0;
};

} // namespace tb::ui
