#pragma once

#include "panes/PaneBase.h"
#include <QWidget>

#include "base/Error.h"
#include "validate/Verifier.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;

namespace tb::ui {

class TokenEdit;
class Workspace;

// Verify: token, key and policy always visible; the verdict as core's list of checks
// (validate::verifyToken, the one verify path). Verifying never changes the token.
class VerifyPane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VerifyPane)

public:
    enum KeySource
    {
        FromStore,
        Pasted,
        Secret,
    };

    explicit VerifyPane(Workspace* workspace, QWidget* parent = nullptr);
    ~VerifyPane() override;

    void prepareScreenshot() override;

    void setToken(const QByteArray& token);
    [[nodiscard]] QByteArray token() const;
    // Runs the verification now; also bound to the Verify button and Ctrl+Return.
    void verify();
    // For screenshots: picks the first store key and verifies.
    void runSampleVerification();

signals:
    void verified(bool valid);

private:
    [[nodiscard]] Result<validate::KeyInput> keyInput() const;
    [[nodiscard]] Result<validate::Policy> policy() const;
    void refreshKeys();
    void showError(const QString& sentence);

    Workspace* m_workspace = nullptr;
    TokenEdit* m_token = nullptr;
    QComboBox* m_source = nullptr;
    QStackedWidget* m_sourceStack = nullptr;
    QComboBox* m_storeKey = nullptr;
    QPlainTextEdit* m_pasted = nullptr;
    QLineEdit* m_secret = nullptr;
    QComboBox* m_encoding = nullptr;
    QPushButton* m_browse = nullptr;
    QCheckBox* m_fittingOnly = nullptr;
    QList<QCheckBox*> m_algs;
    QDoubleSpinBox* m_leeway = nullptr;
    QLineEdit* m_issuer = nullptr;
    QLineEdit* m_audience = nullptr;
    QLineEdit* m_required = nullptr;
    QCheckBox* m_trustEmbedded = nullptr;
    QLabel* m_now = nullptr;
    QPushButton* m_verify = nullptr;
    QLabel* m_verdict = nullptr;
    QListWidget* m_checks = nullptr;
    QLabel* m_keyUsed = nullptr;
    QListWidget* m_warnings = nullptr;
};

} // namespace tb::ui
