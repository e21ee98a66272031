#include "CookieLab.h"

#include <algorithm>

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "panes/session/CookieFindingsModel.h"
#include "session/Cookie.h"
#include "session/CookieFlow.h"
#include "session/CookieLint.h"
#include "support/Theme.h"

namespace tb::ui {

namespace {

const char* const exampleHeaders = "HTTP/1.1 200 OK\n"
                                   "Set-Cookie: JSESSIONID=8F3A2C41D9; Path=/; Domain=example.com\n"
                                   "Set-Cookie: prefs=eyJ1c2VyIjoiYWRhIiwicm9sZSI6ImFkbWluIn0; Max-Age=63072000; "
                                   "SameSite=None";
const char* const exampleUrl = "https://shop.example.com/login";

// A login that keeps the anonymous ID, a logout the server ignores, and an hour without an idle timeout.
const char* const exampleFlow =
    "{\n"
    "  \"session_cookie\": \"sid\",\n"
    "  \"exchanges\": [\n"
    "    {\"kind\": \"request\", \"time\": 1795000000, \"sent\": \"\", \"authenticated\": false,\n"
    "     \"set_cookie\": [\"sid=Zk3q9Xw1LmP4vB8nR2tY6u; Path=/; Secure; HttpOnly; SameSite=Lax\"]},\n"
    "    {\"kind\": \"login\", \"time\": 1795000030, \"sent\": \"Zk3q9Xw1LmP4vB8nR2tY6u\", \"authenticated\": true},\n"
    "    {\"kind\": \"request\", \"time\": 1795003630, \"sent\": \"Zk3q9Xw1LmP4vB8nR2tY6u\", \"authenticated\": "
    "true},\n"
    "    {\"kind\": \"logout\", \"time\": 1795003700, \"sent\": \"Zk3q9Xw1LmP4vB8nR2tY6u\", \"authenticated\": "
    "false},\n"
    "    {\"kind\": \"request\", \"time\": 1795003760, \"sent\": \"Zk3q9Xw1LmP4vB8nR2tY6u\", \"authenticated\": true}\n"
    "  ]\n"
    "}\n";

// The bare name the builder should prefix: "__Host-" and "__Secure-" (any case) are dropped.
QByteArray bareName(QByteArray name)
{
    for (const QByteArrayView prefix : {QByteArrayView("__host-"), QByteArrayView("__secure-")}) {
        if (name.size() > prefix.size() && name.first(prefix.size()).toLower() == prefix) {
            name = name.sliced(prefix.size());
        }
    }
    return name;
}

// The session cookie's name: the one the user gave, else the first name that looks like a session cookie.
QByteArray sessionNameOf(const session::CookieInput& input, const QByteArray& given)
{
    if (!given.isEmpty()) {
        return given;
    }
    for (const session::SetCookie& c : input.setCookies) {
        if (session::looksLikeSessionCookie(c.name)) {
            return c.name;
        }
    }
    for (const auto& header : input.cookieHeaders) {
        for (const session::CookiePair& pair : header) {
            if (session::looksLikeSessionCookie(pair.name)) {
                return pair.name;
            }
        }
    }
    return {};
}

} // namespace

CookieLab::CookieLab(QWidget* parent)
    : QWidget(parent)
    , m_model(new CookieFindingsModel(this))
    , m_flowModel(new CookieFindingsModel(this))
    , m_debounce(new QTimer(this))
{
    setObjectName(QStringLiteral("cookieLab"));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildInputs());
    splitter->addWidget(buildResults());
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    connect(m_debounce, &QTimer::timeout, this, &CookieLab::analyse);
    showRecommended({});
}

QWidget* CookieLab::buildInputs()
{
    auto* panel = new QWidget(this);
    panel->setMinimumWidth(300);
    auto* headersBox = new QGroupBox(tr("Set-Cookie and Cookie headers"), panel);
    m_input = new QPlainTextEdit(headersBox);
    m_input->setObjectName(QStringLiteral("cookieInput"));
    m_input->setFont(theme::codeFont());
    m_input->setPlaceholderText(tr("Paste response or request headers, e.g.\nSet-Cookie: sid=…; Path=/; Secure; "
                                   "HttpOnly; SameSite=Lax\nCookie: sid=…; theme=dark"));
    m_url = new QLineEdit(headersBox);
    m_url->setObjectName(QStringLiteral("cookieUrl"));
    m_url->setPlaceholderText(tr("https://app.example.com/ (enables the origin and Domain rules)"));
    m_sessionName = new QLineEdit(headersBox);
    m_sessionName->setObjectName(QStringLiteral("sessionCookieName"));
    m_sessionName->setPlaceholderText(tr("guessed from the names (sid, session, PHPSESSID…)"));
    auto* analyseButton = new QPushButton(tr("Analyse"), headersBox);
    analyseButton->setObjectName(QStringLiteral("analyseCookies"));
    auto* example = new QPushButton(tr("Load examples"), headersBox);
    example->setObjectName(QStringLiteral("cookieExamples"));
    auto* form = new QFormLayout;
    form->addRow(tr("Response URL:"), m_url);
    form->addRow(tr("Session cookie:"), m_sessionName);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(example);
    buttons->addWidget(analyseButton);
    auto* headersLayout = new QVBoxLayout(headersBox);
    headersLayout->addWidget(m_input, 1);
    headersLayout->addLayout(form);
    headersLayout->addLayout(buttons);

    auto* flowBox = new QGroupBox(tr("Recorded session flow (JSON)"), panel);
    m_flow = new QPlainTextEdit(flowBox);
    m_flow->setObjectName(QStringLiteral("flowInput"));
    m_flow->setFont(theme::codeFont());
    m_flow->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_flow->setPlaceholderText(
        tr("{\"session_cookie\": \"sid\", \"exchanges\": [{\"kind\": \"login\", \"time\": …, \"sent\": \"…\", "
           "\"authenticated\": true, \"set_cookie\": […]}, …]}"));
    auto* check = new QPushButton(tr("Check flow"), flowBox);
    check->setObjectName(QStringLiteral("checkFlow"));
    auto* flowButtons = new QHBoxLayout;
    flowButtons->addWidget(theme::captionLabel(tr("Renewal at login, logout, idle and absolute timeouts."), flowBox),
                           1);
    flowButtons->addWidget(check);
    auto* flowLayout = new QVBoxLayout(flowBox);
    flowLayout->addWidget(m_flow, 1);
    flowLayout->addLayout(flowButtons);

    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(headersBox, 3);
    layout->addWidget(flowBox, 2);

    connect(analyseButton, &QPushButton::clicked, this, &CookieLab::analyse);
    connect(example, &QPushButton::clicked, this, &CookieLab::loadExamples);
    connect(check, &QPushButton::clicked, this, &CookieLab::checkFlow);
    connect(m_input, &QPlainTextEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_url, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_sessionName, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    return panel;
}

QTableView* CookieLab::makeTable(CookieFindingsModel* model, const QString& objectName)
{
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model);
    proxy->setSortRole(Qt::UserRole);
    auto* table = new QTableView(this);
    table->setObjectName(objectName);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(CookieFindingsModel::SeverityColumn, Qt::DescendingOrder);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(true);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QHeaderView* header = table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(CookieFindingsModel::MessageColumn, QHeaderView::Stretch);
    table->setColumnWidth(CookieFindingsModel::SeverityColumn, 88);
    table->setColumnWidth(CookieFindingsModel::RuleColumn, 56);
    table->setColumnWidth(CookieFindingsModel::CookieColumn, 100);
    table->setColumnWidth(CookieFindingsModel::SourceColumn, 250);
    return table;
}

QWidget* CookieLab::buildResults()
{
    auto* panel = new QWidget(this);
    m_summary = new QLabel(tr("Paste headers to analyse them."), panel);
    m_summary->setObjectName(QStringLiteral("cookieSummary"));
    m_summary->setWordWrap(true);
    auto* findings = makeTable(m_model, QStringLiteral("cookieFindings"));

    auto* recommendedBox = new QGroupBox(tr("Recommended header"), panel);
    m_recommended = new QLineEdit(recommendedBox);
    m_recommended->setObjectName(QStringLiteral("recommendedHeader"));
    m_recommended->setReadOnly(true);
    m_recommended->setFont(theme::codeFont());
    auto* copy = new QPushButton(tr("Copy"), recommendedBox);
    copy->setObjectName(QStringLiteral("copyRecommended"));
    auto* row = new QHBoxLayout;
    row->addWidget(m_recommended, 1);
    row->addWidget(copy);
    auto* recommendedLayout = new QVBoxLayout(recommendedBox);
    recommendedLayout->addLayout(row);
    recommendedLayout->addWidget(
        theme::captionLabel(tr("OWASP Session Management CS and ASVS 5 V3.3: a __Host- name, Secure, "
                               "HttpOnly, SameSite=Strict, Path=/, no Domain, not persistent; a "
                               "fresh 128-bit ID from the CSPRNG."),
                            recommendedBox));

    m_flowSummary = new QLabel(tr("Flow rules: paste a recorded flow and press Check flow."), panel);
    m_flowSummary->setObjectName(QStringLiteral("flowSummary"));
    m_flowSummary->setWordWrap(true);
    auto* flowFindings = makeTable(m_flowModel, QStringLiteral("flowFindings"));

    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(findings, 3);
    layout->addWidget(recommendedBox);
    layout->addWidget(m_flowSummary);
    layout->addWidget(flowFindings, 2);

    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_recommended->text());
        emit statusMessage(tr("Copied the recommended Set-Cookie header."));
    });
    return panel;
}

void CookieLab::setHeaders(const QByteArray& text)
{
    m_input->setPlainText(QString::fromUtf8(text));
    analyse();
}

QByteArray CookieLab::headers() const
{
    return m_input->toPlainText().toUtf8();
}

void CookieLab::setUrl(const QString& url)
{
    m_url->setText(url);
}

void CookieLab::setSessionCookie(const QString& name)
{
    m_sessionName->setText(name);
}

void CookieLab::analyse()
{
    m_debounce->stop();
    const QByteArray text = headers();
    if (text.trimmed().isEmpty()) {
        m_model->setFindings({});
        m_summary->setText(tr("Paste headers to analyse them."));
        showRecommended({});
        return;
    }
    auto input = session::parseCookieInput(text);
    if (!input) {
        m_model->setFindings({});
        m_summary->setText(input.error().message);
        showRecommended({});
        return;
    }
    session::CookieLintOptions options;
    options.now = QDateTime::currentSecsSinceEpoch();
    QString urlNote;
    const QString urlText = m_url->text().trimmed();
    if (!urlText.isEmpty()) {
        const QUrl url(urlText, QUrl::StrictMode);
        if (url.isValid() && !url.host().isEmpty() &&
            (url.scheme() == QStringLiteral("http") || url.scheme() == QStringLiteral("https"))) {
            options.url = url;
        } else {
            urlNote = tr(" The URL is not an absolute http(s) URL: origin and Domain rules were skipped.");
        }
    }
    const QByteArray given = m_sessionName->text().trimmed().toUtf8();
    if (!given.isEmpty()) {
        options.sessionCookies << given;
    }
    m_model->setFindings(session::lintCookies(*input, options));
    m_summary->setText(tr("%1 Set-Cookie and %2 Cookie header(s): %3.%4")
                           .arg(input->setCookies.size())
                           .arg(input->cookieHeaders.size())
                           .arg(summary(*m_model), urlNote));
    QByteArray sessionName = sessionNameOf(*input, given);
    // A framework's default name gives the stack away (CK-26): the builder's own name replaces it.
    const auto& findings = m_model->findings();
    if (std::any_of(findings.begin(), findings.end(), [&](const session::CookieFinding& f) {
            return f.id == QStringLiteral("CK-26") && f.cookie == sessionName;
        })) {
        sessionName.clear();
    }
    showRecommended(sessionName);
}

QString CookieLab::summary(const CookieFindingsModel& model) const
{
    if (model.findings().empty()) {
        return tr("no findings");
    }
    QStringList parts;
    for (const Severity s : {Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Info}) {
        const auto n = std::count_if(model.findings().begin(), model.findings().end(),
                                     [s](const session::CookieFinding& f) { return f.severity == s; });
        if (n > 0) {
            parts << QStringLiteral("%1 %2").arg(n).arg(severityName(s));
        }
    }
    return tr("%n finding(s) (%1)", nullptr, int(model.findings().size())).arg(parts.join(QStringLiteral(", ")));
}

void CookieLab::showRecommended(const QByteArray& sessionName)
{
    session::RecommendedCookie spec;
    if (!sessionName.isEmpty()) {
        spec.name = bareName(sessionName);
    }
    auto header = session::recommendedSetCookie(spec);
    if (!header) {
        // A name that is no HTTP token: fall back to the builder's default name.
        header = session::recommendedSetCookie(session::RecommendedCookie{});
    }
    m_recommended->setText(header ? QString::fromUtf8(*header) : header.error().message);
    m_recommended->setCursorPosition(0);
}

QString CookieLab::recommendedHeader() const
{
    return m_recommended->text();
}

void CookieLab::setFlow(const QByteArray& json)
{
    m_flow->setPlainText(QString::fromUtf8(json));
}

void CookieLab::checkFlow()
{
    auto flow = session::parseFlowJson(m_flow->toPlainText().toUtf8());
    if (!flow) {
        m_flowModel->setFindings({});
        m_flowSummary->setText(tr("Flow: %1").arg(flow.error().message));
        return;
    }
    m_flowModel->setFindings(session::lintFlow(flow->exchanges, flow->sessionCookie));
    m_flowSummary->setText(tr("Flow of %n exchange(s) for cookie '%1': %2.", nullptr, int(flow->exchanges.size()))
                               .arg(QString::fromUtf8(flow->sessionCookie), summary(*m_flowModel)));
}

void CookieLab::loadExamples()
{
    m_url->setText(QString::fromLatin1(exampleUrl));
    m_sessionName->clear();
    setHeaders(exampleHeaders);
    setFlow(exampleFlow);
    checkFlow();
}

} // namespace tb::ui
