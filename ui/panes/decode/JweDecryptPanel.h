#pragma once

#include <QWidget>

#include "base/Error.h"
#include "jose/jwe/Jwe.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace tb::ui {

class JweHeaderModel;
class Workspace;

// The Decrypt tab of Decode & Edit: a JWE's header with every member explained and the dangerous ones flagged,
// a key from the workspace store (or a password for PBES2), and the plaintext. Decryption runs off the GUI
// thread (PBES2 with a high p2c, RSA-4096) with progress and cancel.
class JweDecryptPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JweDecryptPanel)

public:
    explicit JweDecryptPanel(Workspace* workspace, QWidget* parent = nullptr);
    ~JweDecryptPanel() override;

    // Shows `token` (compact or JSON serialisation) with its header read by jose::jwe::readHeader.
    void setJwe(const QByteArray& token, const jose::jwe::HeaderView& view);
    // No JWE: the panel says what it is for.
    void clear();
    [[nodiscard]] bool hasJwe() const { return !m_token.isEmpty(); }
    [[nodiscard]] QByteArray plaintext() const { return m_plaintext; }

signals:
    // A successful decryption; `nestedJws` when the plaintext is a JWS (cty JWT, or a compact JWS).
    void decrypted(const QByteArray& plaintext, bool nestedJws);
    void statusMessage(const QString& text);

private:
    void refreshKeys();
    void refreshNotes();
    void decrypt();
    void showResult(const Result<jose::jwe::Decrypted>& result, const QString& keyName);
    void setStatus(const QString& text, const QColor& colour);
    [[nodiscard]] keys::KeyPtr currentKey(QString* name) const;
    [[nodiscard]] std::optional<jose::jwe::KeyAlg> headerAlg() const;

    Workspace* m_workspace = nullptr;
    QLabel* m_intro = nullptr;
    QTableView* m_table = nullptr;
    JweHeaderModel* m_model = nullptr;
    QLabel* m_summary = nullptr;
    QComboBox* m_key = nullptr;
    QLabel* m_passwordLabel = nullptr;
    QLineEdit* m_password = nullptr;
    QPushButton* m_decrypt = nullptr;
    QLabel* m_status = nullptr;
    QPlainTextEdit* m_plaintextView = nullptr;
    QPushButton* m_copy = nullptr;

    QByteArray m_token;
    jose::jwe::HeaderView m_view;
    QByteArray m_plaintext;
    int m_generation = 0;
};

} // namespace tb::ui
