#pragma once

#include "panes/PaneBase.h"
#include <QWidget>

#include "keys/Key.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace tb::ui {

class KeyTableModel;
class Workspace;

// Keys: the workspace key store. Import (file or paste: PEM, DER, JWK, JWKS, certificates, encrypted
// PKCS#8), generate (RSA-4096 off the GUI thread), export (PEM / JWK / JWKS, private files 0600), copy
// the public JWK. Secret material stays masked until revealed.
class KeysPane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeysPane)

public:
    explicit KeysPane(Workspace* workspace, QWidget* parent = nullptr);
    ~KeysPane() override;

    void prepareScreenshot() override;

    // Imports one key or every key of a JWK Set; asks for a passphrase when the key is encrypted.
    bool importBytes(const QByteArray& bytes, const QString& origin);
    bool importFile(const QString& path);
    // Exports the selected key in the chosen format to `path`; false with a message on failure.
    bool exportTo(const QString& path);
    void generate();
    [[nodiscard]] int selectedRow() const;
    void selectRow(int row);

signals:

private:
    void updateDetails();
    void updateGenerateOptions();
    [[nodiscard]] keys::KeyPtr selectedKey() const;

    Workspace* m_workspace = nullptr;
    KeyTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QLineEdit* m_filter = nullptr;
    QTableView* m_table = nullptr;
    QPlainTextEdit* m_paste = nullptr;
    QComboBox* m_genAlg = nullptr;
    QComboBox* m_genSize = nullptr;
    QComboBox* m_exportFormat = nullptr;
    QLabel* m_details = nullptr;
    QPlainTextEdit* m_material = nullptr;
    QCheckBox* m_reveal = nullptr;
    QPushButton* m_generate = nullptr;
};

} // namespace tb::ui
