#pragma once

#include <QIcon>
#include <QMainWindow>

#include <array>

class QListWidget;
class QMenu;
class QStackedWidget;

namespace tb::ui {

class DecodePane;
class KeysPane;
class PaneBase;
class VerifyPane;
class UtilitiesPane;
class Workspace;

// The workbench window: a navigation list of panes on the left, the pane on the right, menus, the status
// bar, paste-anywhere and drop routing, and workspace files. Owns the Workspace the panes share.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum Pane
    {
        DecodeIndex,
        VerifyIndex,
        KeysIndex,
        UtilitiesIndex,
        SimulateIndex,
        TimelineIndex,
        AuditIndex,
        SessionIndex,
        CompareIndex,
        // New panes: add the index here (the navigation follows this order) and register the pane in the
        // constructor with registerPane().
        PaneCount,
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    [[nodiscard]] Workspace* workspace() const { return m_workspace; }
    void showPane(Pane pane);
    [[nodiscard]] Pane currentPane() const;
    // Detects what `text` holds (token, header, cookie, PEM, JWK/JWKS) and opens the right pane with it.
    // Returns false (with a status message) when nothing is recognised.
    bool routeInput(const QByteArray& text);
    bool openInputFile(const QString& path);
    // What `tokenbench FILE` and the desktop entry open: a workspace (.tbws), else a token or key file.
    bool openPath(const QString& path);
    bool saveWorkspaceTo(const QString& path);
    bool loadWorkspaceFrom(const QString& path);
    // Fills the workspace with sample tokens and keys (for --screenshot and first-run demos).
    void loadSampleData();
    // Renders every pane to DIR/<pane>.png; false when a file could not be written.
    bool renderScreenshots(const QString& dir);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    bool routeLookAlike(const QByteArray& text);
    struct PaneEntry
    {
        PaneBase* pane = nullptr;
        QString id; // screenshot file name
        QString title;
        QIcon icon;
        QString tip;
    };
    void registerPane(Pane index, PaneBase* pane, const QString& id, const QString& title, const QIcon& icon,
                      const QString& tip);
    void buildNavigation();
    void buildMenus();
    void pasteFromClipboard();
    void openFile();
    void openWorkspace();
    void saveWorkspace(bool askPath);
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    void updateTitle();
    void about();
    void showPreferences();

    Workspace* m_workspace = nullptr;
    QListWidget* m_nav = nullptr;
    QStackedWidget* m_stack = nullptr;
    DecodePane* m_decode = nullptr;
    VerifyPane* m_verify = nullptr;
    KeysPane* m_keys = nullptr;
    UtilitiesPane* m_utilities = nullptr;
    std::array<PaneEntry, PaneCount> m_panes;
    QMenu* m_recentMenu = nullptr;
    QString m_workspacePath;
};

} // namespace tb::ui
