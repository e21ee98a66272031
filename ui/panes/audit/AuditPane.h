#pragma once

#include <QByteArray>

#include "panes/PaneBase.h"

class QLabel;
class QTabWidget;

namespace tb::ui {

class AttackSection;
class CrackSection;
class LintSection;
class MalleateSection;
class TokenEdit;
class Workspace;

// Audit: what a pentester asks of a token. The token (the workspace's current one, or one pasted here) and what it
// is (core/inspect/Identify); its lint findings; then the attack gallery, the weak-secret search and the
// malleability explorer as tabs. The pane only calls into core/audit and core/inspect.
class AuditPane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditPane)

public:
    explicit AuditPane(Workspace* workspace, QWidget* parent = nullptr);
    ~AuditPane() override;

    void prepareScreenshot() override;

    void setToken(const QByteArray& token);
    [[nodiscard]] QByteArray token() const { return m_current; }
    [[nodiscard]] LintSection* lint() const { return m_lint; }
    [[nodiscard]] AttackSection* attacks() const { return m_attacks; }
    [[nodiscard]] CrackSection* crack() const { return m_crack; }
    [[nodiscard]] MalleateSection* malleate() const { return m_malleate; }
    void showCrackTab();

private:
    void tokenEdited();

    Workspace* m_workspace = nullptr;
    QByteArray m_current;
    TokenEdit* m_token = nullptr;
    QLabel* m_identity = nullptr;
    QTabWidget* m_tabs = nullptr;
    LintSection* m_lint = nullptr;
    AttackSection* m_attacks = nullptr;
    CrackSection* m_crack = nullptr;
    MalleateSection* m_malleate = nullptr;
};

} // namespace tb::ui
