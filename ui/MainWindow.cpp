#include "MainWindow.h"

#include <openssl/crypto.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QListWidget>
#include <QMenuBar>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTimer>

#include "PreferencesDialog.h"
#include "Workspace.h"
#include "base/Bytes.h"
#include "base/Files.h"
#include "base/Limits.h"
#include "inspect/Identify.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "panes/audit/AuditPane.h"
#include "panes/compare/ComparePane.h"
#include "panes/decode/DecodePane.h"
#include "panes/keys/KeysPane.h"
#include "panes/session/SessionPane.h"
#include "panes/simulate/SimulatePane.h"
#include "panes/timeline/TimelinePane.h"
#include "panes/utilities/UtilitiesPane.h"
#include "panes/verify/VerifyPane.h"
#include "support/Async.h"
#include "support/FileDialog.h"
#include "support/MessageBox.h"
#include "workspace/InputDetect.h"
#include "workspace/WorkspaceFile.h"

namespace tb::ui {

namespace {
constexpr int maxRecent = 8;
const QString kRecentKey = QStringLiteral("workspace/recent");
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_workspace(new Workspace(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/tokenbench.svg")));
    setAcceptDrops(true);

    m_nav = new QListWidget(this);
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_nav->setAccessibleName(tr("Panes"));
    m_nav->setIconSize(QSize(24, 24));
    m_nav->setSpacing(2);
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setMaximumWidth(200);
    m_nav->setMinimumWidth(150);

    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("panes"));
    m_decode = new DecodePane(m_workspace, m_stack);
    m_verify = new VerifyPane(m_workspace, m_stack);
    m_keys = new KeysPane(m_workspace, m_stack);
    m_utilities = new UtilitiesPane(m_workspace, m_stack);
    registerPane(DecodeIndex, m_decode, QStringLiteral("decode"), tr("Decode & Edit"),
                 QIcon(QStringLiteral(":/icons/decode.svg")),
                 tr("Decode a token, edit its header and payload, re-sign it"));
    registerPane(VerifyIndex, m_verify, QStringLiteral("verify"), tr("Verify"),
                 QIcon(QStringLiteral(":/icons/verify.svg")), tr("Verify a token against a key and a policy"));
    registerPane(KeysIndex, m_keys, QStringLiteral("keys"), tr("Keys"), QIcon(QStringLiteral(":/icons/keys.svg")),
                 tr("Import, generate and export keys"));
    registerPane(UtilitiesIndex, m_utilities, QStringLiteral("utilities"), tr("Utilities"),
                 QIcon(QStringLiteral(":/icons/utilities.svg")), tr("Base64, hashes, HMAC and secret generation"));
    registerPane(SimulateIndex, new SimulatePane(m_workspace, m_stack), QStringLiteral("simulate"), tr("Simulator"),
                 SimulatePane::navIcon(), tr("Session vs JWT designs side by side on one timeline"));
    registerPane(TimelineIndex, new TimelinePane(m_workspace, m_stack), QStringLiteral("timeline"), tr("Timeline"),
                 TimelinePane::navIcon(), tr("The workspace's tokens on one time axis"));
    registerPane(AuditIndex, new AuditPane(m_workspace, m_stack), QStringLiteral("audit"), tr("Audit"),
                 QIcon(QStringLiteral(":/icons/audit.svg")),
                 tr("Lint findings, the known attacks, the weak-secret search and malleable variants"));
    registerPane(SessionIndex, new SessionPane(m_workspace, m_stack), QStringLiteral("session"), tr("Session Lab"),
                 QIcon(QStringLiteral(":/icons/session.svg")),
                 tr("Session IDs and their randomness, Set-Cookie analysis, session stores vs JWT verification"));
    registerPane(CompareIndex, new ComparePane(m_workspace, m_stack), QStringLiteral("compare"), tr("Compare"),
                 ComparePane::navIcon(), tr("Two tokens side by side: claims, times, keys and bytes"));
    buildNavigation();
    connect(m_nav, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_nav);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    connect(m_decode, &DecodePane::verifyRequested, this, [this](const QByteArray& token) {
        m_verify->setToken(token);
        showPane(VerifyIndex);
    });
    connect(m_workspace, &Workspace::modifiedChanged, this, &MainWindow::updateTitle);

    buildMenus();
    statusBar()->showMessage(tr("Ready. Paste a token, header, cookie or key anywhere with Ctrl+V, or drop a file."));

    QSettings settings;
    resize(1280, 800);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_nav->setCurrentRow(std::clamp(settings.value(QStringLiteral("window/pane"), 0).toInt(), 0, PaneCount - 1));
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::registerPane(Pane index, PaneBase* pane, const QString& id, const QString& title, const QIcon& icon,
                              const QString& tip)
{
    Q_ASSERT(m_panes.at(index).pane == nullptr);
    m_panes.at(index) = PaneEntry{pane, id, title, icon, tip};
    pane->setAccessibleName(title);
    connect(pane, &PaneBase::statusMessage, this, [this](const QString& s) { statusBar()->showMessage(s, 5000); });
}

void MainWindow::buildNavigation()
{
    for (const PaneEntry& entry : m_panes) {
        Q_ASSERT(entry.pane != nullptr);
        auto* item = new QListWidgetItem(entry.icon, entry.title, m_nav);
        item->setToolTip(entry.tip);
        item->setData(Qt::AccessibleTextRole, entry.title);
        item->setSizeHint(QSize(0, 36));
        m_stack->addWidget(entry.pane);
    }
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Token or Key File…"), this, &MainWindow::openFile);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* openWs = file->addAction(tr("Open &Workspace…"), this, &MainWindow::openWorkspace);
    openWs->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_recentMenu = file->addMenu(tr("Open &Recent Workspace"));
    QAction* save = file->addAction(tr("&Save Workspace"), this, [this] { saveWorkspace(false); });
    save->setShortcut(QKeySequence::Save);
    QAction* saveAs = file->addAction(tr("Save Workspace &As…"), this, [this] { saveWorkspace(true); });
    saveAs->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    // Text fields handle Ctrl+V themselves (they take the shortcut first); elsewhere it routes the clipboard.
    QAction* paste = edit->addAction(tr("&Paste Token, Header or Key"), this, &MainWindow::pasteFromClipboard);
    paste->setShortcut(QKeySequence::Paste);
    QAction* pasteNew = edit->addAction(tr("Paste as &New Input"), this, &MainWindow::pasteFromClipboard);
    pasteNew->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    edit->addSeparator();
    QAction* prefs = edit->addAction(tr("Pre&ferences…"), this, &MainWindow::showPreferences);
    prefs->setObjectName(QStringLiteral("preferencesAction"));
    prefs->setShortcut(QKeySequence::Preferences);
    prefs->setMenuRole(QAction::PreferencesRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < PaneCount; ++i) {
        QAction* a = view->addAction(m_panes.at(i).icon, m_panes.at(i).title, this, [this, i] { showPane(Pane(i)); });
        if (i < 9) {
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        }
    }
    view->addSeparator();
    QAction* full =
        view->addAction(tr("&Full Screen"), this, [this](bool on) { on ? showFullScreen() : showNormal(); });
    full->setCheckable(true);
    full->setShortcut(QKeySequence::FullScreen);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* aboutAction = help->addAction(tr("&About tokenbench"), this, &MainWindow::about);
    aboutAction->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    rebuildRecentMenu();
}

void MainWindow::showPreferences()
{
    // Window-modal and non-blocking: OK stores and applies (tests find the dialog as a child).
    auto* dialog = new PreferencesDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showPane(Pane pane)
{
    m_nav->setCurrentRow(int(pane));
}

MainWindow::Pane MainWindow::currentPane() const
{
    return Pane(m_stack->currentIndex());
}

bool MainWindow::routeInput(const QByteArray& text)
{
    // Refused before any look at it: detecting and identifying 10 MB would hold the window for nothing.
    if (std::size_t(text.size()) > limits::maxTokenBytes) {
        statusBar()->showMessage(tr("The pasted text is %1 bytes, larger than the 4 MiB input limit (%2 bytes): "
                                    "nothing was opened.")
                                     .arg(QLocale().toString(text.size()), QLocale().toString(limits::maxTokenBytes)),
                                 15000);
        return false;
    }
    const workspace::DetectedInput input = workspace::detectInput(text);
    switch (input.kind) {
    case workspace::InputKind::Jws:
    case workspace::InputKind::Jwe:
        m_decode->openToken(input.payload);
        m_verify->setToken(input.payload);
        showPane(DecodeIndex);
        statusBar()->showMessage(tr("Opened a token from %1.").arg(input.source), 5000);
        return true;
    case workspace::InputKind::Pem:
    case workspace::InputKind::Jwk:
    case workspace::InputKind::Jwks:
        showPane(KeysIndex);
        return m_keys->importBytes(input.payload, input.source);
    case workspace::InputKind::SetCookieHeader:
    case workspace::InputKind::CookieHeader:
        if (auto* session = qobject_cast<SessionPane*>(m_panes.at(SessionIndex).pane)) {
            session->openCookieHeaders(input.payload);
            showPane(SessionIndex);
            statusBar()->showMessage(tr("Opened %1 in the Session Lab's cookie analyser.").arg(input.source), 5000);
            return true;
        }
        break;
    case workspace::InputKind::Unknown:
        if (routeLookAlike(text)) {
            return true;
        }
        break;
    }
    statusBar()->showMessage(tr("Nothing recognised: expected a JWT, an Authorization or cookie header, a PEM "
                                "block, a JWK or a JWK Set."),
                             8000);
    return false;
}

// Fernet, PASETO, itsdangerous, ... are no JWTs, but Decode & Edit's identify banner explains them.
bool MainWindow::routeLookAlike(const QByteArray& text)
{
    const QByteArray trimmed = bytes::trimmed(text).toByteArray();
    const inspect::Identification id = inspect::identify(trimmed);
    if (id.kind == QLatin1String("unknown") || id.kind == QLatin1String("opaque")) {
        return false;
    }
    m_decode->openToken(trimmed);
    showPane(DecodeIndex);
    statusBar()->showMessage(tr("Not a JWT (%1): opened in Decode & Edit, which explains it.").arg(id.kind), 8000);
    return true;
}

void MainWindow::pasteFromClipboard()
{
    routeInput(QApplication::clipboard()->text().toUtf8());
}

bool MainWindow::openInputFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        MessageBox::critical(this, tr("Open"), tr("Could not open %1: %2").arg(path, f.errorString()));
        return false;
    }
    const QByteArray bytes = f.read(qint64(limits::maxTokenBytes) + 1);
    if (std::size_t(bytes.size()) > limits::maxTokenBytes) {
        MessageBox::critical(this, tr("Open"), tr("%1 is larger than the 4 MiB input limit.").arg(path));
        return false;
    }
    // DER keys and certificates are binary: let the key store try them directly.
    if (workspace::detectInput(bytes).kind == workspace::InputKind::Unknown && bytes.contains('\0')) {
        showPane(KeysIndex);
        return m_keys->importBytes(bytes, QFileInfo(path).fileName());
    }
    return routeInput(bytes);
}

bool MainWindow::openPath(const QString& path)
{
    return path.endsWith(QStringLiteral(".tbws"), Qt::CaseInsensitive) ? loadWorkspaceFrom(path) : openInputFile(path);
}

void MainWindow::openFile()
{
    const QString path = FileDialog::openFileName(this, tr("Open a token or key file"),
                                                  tr("All files (*);;Tokens (*.jwt *.txt);;Keys (*.pem *.der "
                                                     "*.crt *.jwk *.json)"));
    if (!path.isEmpty()) {
        openInputFile(path);
    }
}

bool MainWindow::saveWorkspaceTo(const QString& path)
{
    const workspace::WorkspaceData snapshot = m_workspace->snapshot();
    const bool hasSecrets = std::any_of(snapshot.keys.cbegin(), snapshot.keys.cend(),
                                        [](const workspace::NamedKey& k) { return k.key->hasPrivate(); });
    std::optional<SecretBytes> passphrase;
    if (hasSecrets) {
        const auto answer = MessageBox::question(
            this, tr("Save workspace"),
            tr("The key store holds private keys or secrets. Save them too, encrypted with a passphrase? "
               "Choose No to save only public keys (secrets are left out)."),
            QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::No);
        if (answer == QMessageBox::Cancel) {
            return false;
        }
        if (answer == QMessageBox::Yes) {
            const auto first = MessageBox::passphrase(this, tr("Save workspace"), tr("Passphrase for the secrets:"));
            if (!first) {
                return false;
            }
            const auto again = MessageBox::passphrase(this, tr("Save workspace"), tr("The same passphrase again:"));
            if (!again) {
                return false;
            }
            if (*first != *again || first->isEmpty()) {
                MessageBox::warning(this, tr("Save workspace"),
                                    first->isEmpty() ? tr("The passphrase is empty; nothing was saved.")
                                                     : tr("The passphrases differ; nothing was saved."));
                return false;
            }
            QByteArray utf8 = first->toUtf8();
            passphrase = SecretBytes::fromByteArray(utf8);
            cleanse(utf8);
        }
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const SecretBytes* key = passphrase ? &*passphrase : nullptr;
    const auto bytes =
        runAndWait<Result<QByteArray>>([&snapshot, key] { return workspace::serializeWorkspace(snapshot, key); });
    QApplication::restoreOverrideCursor();
    if (!bytes) {
        MessageBox::critical(this, tr("Save workspace"), bytes.error().message);
        return false;
    }
    // Temporary file, fsync, rename (core/base/Files): a crash or kill mid-save leaves the previous file.
    if (const auto written = files::writeFileAtomic(path, *bytes, 0600); !written) {
        MessageBox::critical(this, tr("Save workspace"), written.error().message);
        return false;
    }
    m_workspacePath = path;
    m_workspace->setModified(false);
    addRecent(path);
    updateTitle();
    QString saved =
        passphrase ? tr("Saved the workspace with its secrets encrypted.") : tr("Saved the workspace (no secrets).");
    // Marks of tokens that left the workspace (it keeps the most recent ones) have nothing to attach to in the file.
    const int dropped = inspect::timelineMarksLeftOut(snapshot.timeline, snapshot.tokens);
    if (dropped > 0) {
        saved += QLatin1Char(' ') +
                 (dropped == 1 ? tr("1 timeline mark was not saved: its token is no longer among the workspace's %1 "
                                    "most recent tokens.")
                                     .arg(Workspace::maxTokens)
                               : tr("%1 timeline marks were not saved: their tokens are no longer among the "
                                    "workspace's %2 most recent tokens.")
                                     .arg(dropped)
                                     .arg(Workspace::maxTokens));
    }
    statusBar()->showMessage(saved, dropped > 0 ? 15000 : 5000);
    return true;
}

bool MainWindow::loadWorkspaceFrom(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        MessageBox::critical(this, tr("Open workspace"), tr("Could not open %1: %2").arg(path, f.errorString()));
        return false;
    }
    const QByteArray bytes = f.read(qint64(limits::maxWorkspaceBytes) + 1);
    std::optional<SecretBytes> passphrase;
    if (workspace::hasSealedSecrets(bytes)) {
        const auto typed = MessageBox::passphrase(
            this, tr("Open workspace"),
            tr("This workspace holds encrypted secrets. Passphrase (cancel to open it without them):"));
        if (typed) {
            QByteArray utf8 = typed->toUtf8();
            passphrase = SecretBytes::fromByteArray(utf8);
            cleanse(utf8);
        }
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const SecretBytes* key = passphrase ? &*passphrase : nullptr;
    const auto loaded = runAndWait<decltype(workspace::parseWorkspace(bytes, key))>(
        [&bytes, key] { return workspace::parseWorkspace(bytes, key); });
    QApplication::restoreOverrideCursor();
    if (!loaded) {
        // The current workspace is left exactly as it was.
        MessageBox::critical(this, tr("Open workspace"),
                             tr("%1\n\nThe current workspace was not changed.").arg(loaded.error().message));
        return false;
    }
    m_workspace->replace(loaded->data);
    m_workspacePath = path;
    addRecent(path);
    updateTitle();
    if (!loaded->notes.isEmpty()) {
        MessageBox::information(this, tr("Open workspace"), loaded->notes.join(QLatin1Char('\n')));
    }
    statusBar()->showMessage(tr("Opened workspace %1.").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

void MainWindow::openWorkspace()
{
    const QString path = FileDialog::openFileName(this, tr("Open workspace"),
                                                  tr("tokenbench workspaces (*.tbws *.json);;All files (*)"));
    if (!path.isEmpty()) {
        loadWorkspaceFrom(path);
    }
}

void MainWindow::saveWorkspace(bool askPath)
{
    QString path = m_workspacePath;
    if (askPath || path.isEmpty()) {
        path = FileDialog::saveFileName(this, tr("Save workspace"), QStringLiteral("workspace.tbws"),
                                        tr("tokenbench workspaces (*.tbws)"));
    }
    if (!path.isEmpty()) {
        saveWorkspaceTo(path);
    }
}

void MainWindow::addRecent(const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > maxRecent) {
        recent.removeLast();
    }
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    for (const QString& path : recent) {
        m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { loadWorkspaceFrom(path); })
            ->setToolTip(path);
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateTitle()
{
    const QString name = m_workspacePath.isEmpty() ? tr("Untitled workspace") : QFileInfo(m_workspacePath).fileName();
    setWindowTitle(QStringLiteral("%1[*] — tokenbench").arg(name));
    setWindowModified(m_workspace->isModified());
}

void MainWindow::about()
{
    MessageBox::information(this, tr("About tokenbench"),
                            tr("tokenbench %1\nA workbench for authentication tokens: decode, edit, sign and "
                               "verify JWTs; manage keys.\n\nQt %2 (built with %3)\n%4\n\nEverything stays on this "
                               "machine.")
                                .arg(QStringLiteral(TB_VERSION), QString::fromLatin1(qVersion()),
                                     QStringLiteral(QT_VERSION_STR),
                                     QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION))));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/pane"), m_stack->currentIndex());
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls() || event->mimeData()->hasText()) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls() && mime->urls().first().isLocalFile()) {
        openInputFile(mime->urls().first().toLocalFile());
    } else if (mime->hasText()) {
        routeInput(mime->text().toUtf8());
    }
    event->acceptProposedAction();
}

void MainWindow::loadSampleData()
{
    // A fixed "now" so the sample's relative times read the same in every screenshot.
    const double now = double(QDateTime(QDate(2026, 3, 2), QTime(9, 30), Qt::UTC).toSecsSinceEpoch());
    m_workspace->setNowOverride(now);
    auto secret = keys::secretKey(QByteArrayLiteral("demo-secret-for-screenshots-0123456789abcdef"));
    m_workspace->addKey(secret, tr("Demo HMAC secret"));
    if (auto ec = keys::generateKey(jose::Alg::ES256)) {
        m_workspace->addKey(*ec, tr("Signing key (ES256)"));
    }
    if (auto rsa = keys::generateKey(jose::Alg::RS256, 2048)) {
        m_workspace->addKey(*rsa, tr("Partner RSA key"));
    }
    if (auto ed = keys::generateKey(jose::Alg::EdDSA)) {
        m_workspace->addKey(*ed, tr("Device key (Ed25519)"));
    }
    const qint64 iat = qint64(now) - 300;
    const QByteArray header = QByteArrayLiteral("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"demo-hs256\"}");
    const QByteArray payload =
        QStringLiteral("{\n  \"iss\": \"https://login.example.com\",\n  \"sub\": \"user-4711\",\n"
                       "  \"aud\": \"api://orders\",\n  \"iat\": %1,\n  \"nbf\": %1,\n"
                       "  \"exp\": %2,\n  \"jti\": \"b5d0f3c2-93e1-4c1e-9f4f-3f8b2d1a7c11\",\n"
                       "  \"scope\": \"orders:read orders:write\",\n  \"name\": \"Ada Lovelace\"\n}")
            .arg(iat)
            .arg(iat + 900)
            .toUtf8();
    const auto token = jose::signCompact(jose::Alg::HS256, secret.get(), header, payload);
    if (token) {
        m_decode->openToken(*token);
        m_verify->setToken(*token);
    }
    m_utilities->loadSample();
    m_workspace->setModified(false);
}

bool MainWindow::renderScreenshots(const QString& dir)
{
    QDir().mkpath(dir);
    bool ok = true;
    for (int i = 0; i < PaneCount; ++i) {
        showPane(Pane(i));
        m_panes.at(i).pane->prepareScreenshot();
        QApplication::processEvents();
        QApplication::processEvents();
        if (!grab().save(QDir(dir).filePath(m_panes.at(i).id + QStringLiteral(".png")))) {
            ok = false;
        }
    }
    return ok;
}

} // namespace tb::ui
