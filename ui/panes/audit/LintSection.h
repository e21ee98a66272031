#pragma once

#include <QByteArray>
#include <QWidget>

#include "audit/lint/Lint.h"
#include "keys/Key.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace tb::ui {

class LintModel;
class Workspace;

// Lint findings of the pane's token as a table (core/audit/lint), with the access-token maximum lifetime and an
// optional known key or secret (so the key-strength rules run). Re-lints whenever an input changes.
class LintSection final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LintSection)

public:
    explicit LintSection(Workspace* workspace, QWidget* parent = nullptr);
    ~LintSection() override;

    void setToken(const QByteArray& token);
    [[nodiscard]] LintModel* model() const { return m_model; }

signals:
    void statusMessage(const QString& text);
    void linted(int findings);

private:
    void relint();
    void show(const QList<audit::Finding>& findings);
    [[nodiscard]] keys::KeyPtr knownKey() const;
    void refreshKeys();

    Workspace* m_workspace = nullptr;
    QByteArray m_token;
    QSpinBox* m_maxLifetime = nullptr;
    QComboBox* m_key = nullptr;
    QLineEdit* m_secret = nullptr;
    QTableView* m_table = nullptr;
    LintModel* m_model = nullptr;
    QLabel* m_summary = nullptr;
    int m_generation = 0; // drops results of a superseded background lint
};

} // namespace tb::ui
