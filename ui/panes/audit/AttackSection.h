#pragma once

#include <QByteArray>
#include <QWidget>

#include "audit/attacks/Attacks.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace tb::ui {

class Workspace;
namespace attacks = audit::attacks;

// The attack gallery: every kind of core/audit/attacks with its explanation; the crafted tokens of the chosen kind
// with copy buttons; keys from the workspace for the kinds that need one; export of the whole attack corpus.
class AttackSection final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttackSection)

public:
    explicit AttackSection(Workspace* workspace, QWidget* parent = nullptr);
    ~AttackSection() override;

    void setToken(const QByteArray& token);
    void selectKind(const QString& kind);
    // Crafts the tokens of the selected kind (off the GUI thread: some kinds generate keys).
    void generate();
    void exportCorpus();

signals:
    void statusMessage(const QString& text);
    void generated(bool ok);

private:
    [[nodiscard]] attacks::AttackInput input() const;
    void showKind();
    void showResult(const attacks::AttackResult& result);
    void copy(const QByteArray& bytes, const QString& what);
    void refreshKeys();

    Workspace* m_workspace = nullptr;
    QByteArray m_token;
    QListWidget* m_kinds = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_explanation = nullptr;
    QLabel* m_needs = nullptr;
    QComboBox* m_signingKey = nullptr;
    QComboBox* m_publicKey = nullptr;
    QLineEdit* m_url = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_export = nullptr;
    QTableWidget* m_tokens = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace tb::ui
