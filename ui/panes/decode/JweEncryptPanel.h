#pragma once

#include <QWidget>

#include "base/Error.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace tb::ui {

class TokenEdit;
class Workspace;

// The Encrypt tab of Decode & Edit: encrypt the payload text, or the current JWS as a nested token (cty JWT),
// with a key from the store (or a password for PBES2) and any RFC 7518 alg and enc; the compact JWE comes
// out with a copy button. Encryption runs off the GUI thread (PBES2 iterations, RSA-4096).
class JweEncryptPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JweEncryptPanel)

public:
    explicit JweEncryptPanel(Workspace* workspace, QWidget* parent = nullptr);
    ~JweEncryptPanel() override;

    // What can be encrypted: the payload editor's bytes and the resulting JWS (empty when there is none).
    void setSources(const QByteArray& payloadText, const QByteArray& jws);
    [[nodiscard]] QByteArray result() const { return m_result; }

signals:
    void statusMessage(const QString& text);
    // "Open in the editor" on the encrypted token.
    void openRequested(const QByteArray& token);

private:
    void refreshKeys();
    void algChanged();
    void encrypt();
    void setStatus(const QString& text, const QColor& colour);

    Workspace* m_workspace = nullptr;
    QRadioButton* m_fromPayload = nullptr;
    QRadioButton* m_fromJws = nullptr;
    QComboBox* m_alg = nullptr;
    QComboBox* m_enc = nullptr;
    QComboBox* m_key = nullptr;
    QLabel* m_passwordLabel = nullptr;
    QLineEdit* m_password = nullptr;
    QCheckBox* m_zip = nullptr;
    QPushButton* m_encrypt = nullptr;
    QLabel* m_status = nullptr;
    TokenEdit* m_output = nullptr;
    QPushButton* m_copy = nullptr;
    QPushButton* m_open = nullptr;

    QByteArray m_payload;
    QByteArray m_jws;
    QByteArray m_result;
    int m_generation = 0;
};

} // namespace tb::ui
