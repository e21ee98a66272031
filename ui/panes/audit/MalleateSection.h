#pragma once

#include <QByteArray>
#include <QWidget>

#include "inspect/Malleate.h"

class QComboBox;
class QLabel;
class QTableWidget;

namespace tb::ui {

class Workspace;

// The malleability explorer (core/inspect/Malleate): byte-different variants of the token, whether each verifies
// (with a key from the store: tokenbench's own verify; without: what tokenbench is expected to say), and which
// denylist keys it slips past. One row per variant, with a copy button.
class MalleateSection final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MalleateSection)

public:
    enum Column
    {
        VariantColumn,
        ChangeColumn,
        VerifiesColumn,
        TokenHashColumn,
        SignatureHashColumn,
        JtiColumn,
        IssJtiColumn,
        CopyColumn,
        ColumnCount,
    };

    explicit MalleateSection(Workspace* workspace, QWidget* parent = nullptr);
    ~MalleateSection() override;

    void setToken(const QByteArray& token);
    void explore();
    [[nodiscard]] const inspect::MalleabilityReport& report() const { return m_report; }

signals:
    void statusMessage(const QString& text);

private:
    void refreshKeys();
    void showReport();

    Workspace* m_workspace = nullptr;
    QByteArray m_token;
    QComboBox* m_key = nullptr;
    QTableWidget* m_table = nullptr;
    QLabel* m_summary = nullptr;
    inspect::MalleabilityReport m_report;
};

} // namespace tb::ui
