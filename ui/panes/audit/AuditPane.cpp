#include "AuditPane.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTextCursor>
#include <QVBoxLayout>

#include "AttackSection.h"
#include "CrackSection.h"
#include "LintSection.h"
#include "MalleateSection.h"
#include "Workspace.h"
#include "inspect/Identify.h"
#include "widgets/TokenEdit.h"

namespace tb::ui {

AuditPane::AuditPane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("auditPane"));

    auto* tokenBox = new QGroupBox(tr("Token"), this);
    m_token = new TokenEdit(tokenBox);
    m_token->setObjectName(QStringLiteral("auditToken"));
    m_token->setAccessibleName(tr("Token to audit"));
    m_token->setPlaceholderText(tr("The token to audit (follows the token open in Decode & Edit)"));
    m_token->setMaximumHeight(64);
    auto* take = new QPushButton(tr("Use the current token"), tokenBox);
    take->setObjectName(QStringLiteral("auditTakeCurrent"));
    m_identity = new QLabel(tokenBox);
    m_identity->setObjectName(QStringLiteral("auditIdentity"));
    m_identity->setWordWrap(true);
    m_identity->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* identityRow = new QHBoxLayout;
    identityRow->addWidget(m_identity, 1);
    identityRow->addWidget(take, 0, Qt::AlignTop);
    auto* tokenLayout = new QVBoxLayout(tokenBox);
    tokenLayout->addWidget(m_token);
    tokenLayout->addLayout(identityRow);

    auto* lintBox = new QGroupBox(tr("Lint"), this);
    m_lint = new LintSection(m_workspace, lintBox);
    auto* lintLayout = new QVBoxLayout(lintBox);
    lintLayout->addWidget(m_lint);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("auditTabs"));
    m_attacks = new AttackSection(m_workspace, m_tabs);
    m_crack = new CrackSection(m_workspace, m_tabs);
    m_malleate = new MalleateSection(m_workspace, m_tabs);
    m_tabs->addTab(m_attacks, tr("Attacks"));
    m_tabs->addTab(m_crack, tr("Weak secret"));
    m_tabs->addTab(m_malleate, tr("Malleability"));
    m_tabs->setDocumentMode(true);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("auditSplit"));
    split->addWidget(lintBox);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tokenBox);
    layout->addWidget(split, 1);

    connect(m_token, &TokenEdit::textChanged, this, &AuditPane::tokenEdited);
    connect(take, &QPushButton::clicked, this, [this] { setToken(m_workspace->currentToken()); });
    connect(m_workspace, &Workspace::currentTokenChanged, this,
            [this](const QByteArray& token) { whenShown([this, token] { setToken(token); }); });
    connect(m_lint, &LintSection::statusMessage, this, &PaneBase::statusMessage);
    connect(m_attacks, &AttackSection::statusMessage, this, &PaneBase::statusMessage);
    connect(m_crack, &CrackSection::statusMessage, this, &PaneBase::statusMessage);
    connect(m_malleate, &MalleateSection::statusMessage, this, &PaneBase::statusMessage);
    setToken(m_workspace->currentToken());
}

AuditPane::~AuditPane() = default;

void AuditPane::setToken(const QByteArray& token)
{
    if (m_token->token() != token) {
        m_token->setToken(token); // emits textChanged -> tokenEdited
        m_token->moveCursor(QTextCursor::Start);
    }
    tokenEdited();
}

void AuditPane::tokenEdited()
{
    const QByteArray token = m_token->token();
    if (token == m_current && !m_identity->text().isEmpty()) {
        return;
    }
    m_current = token;
    if (token.isEmpty()) {
        m_identity->setText(tr("No token yet: paste one here or open one in Decode & Edit."));
    } else {
        const inspect::Identification id = inspect::identify(token);
        m_identity->setText(tr("<b>%1</b> — %2").arg(id.kind.toHtmlEscaped(), id.reason.toHtmlEscaped()));
    }
    m_lint->setToken(token);
    m_attacks->setToken(token);
    m_crack->setToken(token);
    m_malleate->setToken(token);
}

void AuditPane::showCrackTab()
{
    m_tabs->setCurrentWidget(m_crack);
}

void AuditPane::prepareScreenshot()
{
    setToken(m_workspace->currentToken());
    showCrackTab();
    if (!m_crack->isAvailable()) {
        return;
    }
    // The sample token's secret (MainWindow::loadSampleData) among a few typed guesses, after the built-in list:
    // the search really runs; nothing about its result is filled in here.
    m_crack->useBuiltinWith(
        QStringLiteral("orders-api\nlogin.example.com\ndemo-secret-for-screenshots-0123456789abcdef"));
    m_crack->start();
    m_crack->waitForFinished();
}

} // namespace tb::ui
