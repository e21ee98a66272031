#pragma once

#include "panes/PaneBase.h"
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace tb::ui {

class Workspace;

// Everyday tools: base64 / base64url encode and decode (text and hex views), SHA-2 hashes and HMAC, and a
// strong secret generator with its entropy and a strength verdict.
class UtilitiesPane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UtilitiesPane)

public:
    explicit UtilitiesPane(Workspace* workspace, QWidget* parent = nullptr);
    ~UtilitiesPane() override;

    void loadSample();

private:
    void updateCodec();
    void updateHash();
    void generateSecret();

    Workspace* m_workspace = nullptr;
    QPlainTextEdit* m_codecInput = nullptr;
    QComboBox* m_codecMode = nullptr;
    QPlainTextEdit* m_codecText = nullptr;
    QPlainTextEdit* m_codecHex = nullptr;
    QLabel* m_codecStatus = nullptr;
    QPlainTextEdit* m_hashInput = nullptr;
    QComboBox* m_hashAlg = nullptr;
    QLineEdit* m_hmacKey = nullptr;
    QComboBox* m_hmacEncoding = nullptr;
    QLineEdit* m_hashHex = nullptr;
    QLineEdit* m_hashB64 = nullptr;
    QLabel* m_hashStatus = nullptr;
    QSpinBox* m_secretBytes = nullptr;
    QComboBox* m_secretFormat = nullptr;
    QLineEdit* m_secretOut = nullptr;
    QLabel* m_secretVerdict = nullptr;
};

} // namespace tb::ui
