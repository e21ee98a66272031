#include "SessionPane.h"

#include <QEventLoop>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "panes/session/CookieLab.h"
#include "panes/session/IdLab.h"
#include "panes/session/StoreLab.h"

namespace tb::ui {

SessionPane::SessionPane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_tabs(new QTabWidget(this))
    , m_ids(new IdLab(m_tabs))
    , m_cookies(new CookieLab(m_tabs))
    , m_stores(new StoreLab(m_tabs))
{
    Q_UNUSED(workspace) // the lab works on its own inputs; the workspace's tokens are not session IDs
    setObjectName(QStringLiteral("sessionPane"));
    m_tabs->setObjectName(QStringLiteral("sessionTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_ids, tr("Session IDs"));
    m_tabs->addTab(m_cookies, tr("Cookies"));
    m_tabs->addTab(m_stores, tr("Stores vs JWT"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_tabs);
    connect(m_ids, &IdLab::statusMessage, this, &PaneBase::statusMessage);
    connect(m_cookies, &CookieLab::statusMessage, this, &PaneBase::statusMessage);
    connect(m_stores, &StoreLab::statusMessage, this, &PaneBase::statusMessage);
}

SessionPane::~SessionPane() = default;

void SessionPane::showSection(Section section)
{
    m_tabs->setCurrentIndex(int(section));
}

SessionPane::Section SessionPane::currentSection() const
{
    return Section(m_tabs->currentIndex());
}

void SessionPane::openCookieHeaders(const QByteArray& text)
{
    showSection(CookiesSection);
    m_cookies->setHeaders(text);
}

void SessionPane::prepareScreenshot()
{
    m_cookies->loadExamples();
    m_ids->generateSample();
    showSection(IdsSection);
    QEventLoop loop;
    connect(m_ids, &IdLab::analysisFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    m_ids->analyseDemo(session::DemoKind::CounterEpochMs, 5000);
    if (m_ids->isRunning()) {
        loop.exec();
    }
}

} // namespace tb::ui
