#include "LintSection.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include "LintModel.h"
#include "Workspace.h"
#include "keys/KeyIo.h"
#include "support/Async.h"
#include "support/Preferences.h"

namespace tb::ui {

namespace {
// Above this, lint (JSON scans, regular expressions over every string) runs off the GUI thread (DESIGN 7).
constexpr qsizetype kSyncLintBytes = 256 * 1024;
} // namespace

LintSection::LintSection(Workspace* workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    m_maxLifetime = new QSpinBox(this);
    m_maxLifetime->setObjectName(QStringLiteral("lintMaxLifetime"));
    m_maxLifetime->setAccessibleName(tr("Access-token maximum lifetime in minutes"));
    m_maxLifetime->setRange(1, 7 * 24 * 60);
    m_maxLifetime->setValue(Preferences::instance().maxAccessLifetimeMinutes());
    m_maxLifetime->setSuffix(tr(" min"));
    m_maxLifetime->setToolTip(tr("A token that lives longer than this (exp − iat) is reported (JWT-LIFETIME-LONG)."));
    m_key = new QComboBox(this);
    m_key->setObjectName(QStringLiteral("lintKey"));
    m_key->setAccessibleName(tr("Known key for the key-strength rules"));
    m_key->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_key->setMinimumContentsLength(18);
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("lintSecret"));
    m_secret->setAccessibleName(tr("Known HMAC secret"));
    m_secret->setPlaceholderText(tr("or type the HMAC secret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setClearButtonEnabled(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Max. access-token lifetime:"), this));
    controls->addWidget(m_maxLifetime);
    controls->addSpacing(16);
    controls->addWidget(new QLabel(tr("Known key:"), this));
    controls->addWidget(m_key, 1);
    controls->addWidget(m_secret, 1);

    m_model = new LintModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("lintTable"));
    m_table->setAccessibleName(tr("Lint findings"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setIconSize(QSize(16, 16));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(LintModel::SeverityColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LintModel::RuleColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(LintModel::MessageColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(LintModel::ReferenceColumn, QHeaderView::ResizeToContents);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    auto* links = new LinkDelegate(m_table);
    m_table->setItemDelegateForColumn(LintModel::ReferenceColumn, links);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("lintSummary"));
    m_summary->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    connect(links, &LinkDelegate::linkActivated, this, [this](const QUrl& url) {
        // Opening a reference is the user's explicit request; nothing else here touches the network.
        QDesktopServices::openUrl(url);
        emit statusMessage(tr("Opened %1 in the browser.").arg(url.toString()));
    });
    connect(m_maxLifetime, &QSpinBox::valueChanged, this, &LintSection::relint);
    connect(m_key, &QComboBox::currentIndexChanged, this, &LintSection::relint);
    connect(m_secret, &QLineEdit::textChanged, this, &LintSection::relint);
    connect(m_workspace, &Workspace::keysChanged, this, &LintSection::refreshKeys);
    connect(m_workspace, &Workspace::nowChanged, this, &LintSection::relint);
    refreshKeys();
}

LintSection::~LintSection() = default;

void LintSection::setToken(const QByteArray& token)
{
    m_token = token;
    relint();
}

void LintSection::refreshKeys()
{
    const QString previous = m_key->currentText();
    const QSignalBlocker block(m_key);
    m_key->clear();
    m_key->addItem(tr("None"), -1);
    const auto& list = m_workspace->keys();
    for (int i = 0; i < list.size(); ++i) {
        m_key->addItem(QStringLiteral("%1 — %2").arg(list.at(i).name, list.at(i).key->describe()), i);
    }
    m_key->setCurrentIndex(std::max(0, m_key->findText(previous)));
    relint();
}

keys::KeyPtr LintSection::knownKey() const
{
    if (!m_secret->text().isEmpty()) {
        return keys::secretKey(m_secret->text().toUtf8());
    }
    const int row = m_key->currentData().toInt();
    const auto& list = m_workspace->keys();
    return row >= 0 && row < list.size() ? list.at(row).key : keys::KeyPtr();
}

void LintSection::relint()
{
    ++m_generation;
    if (m_token.isEmpty()) {
        m_model->setFindings({});
        m_summary->setText(tr("Paste a token above, or open one in Decode & Edit."));
        return;
    }
    audit::LintOptions options;
    options.now = m_workspace->now();
    options.maxLifetime = m_maxLifetime->value() * 60.0;
    options.key = knownKey();
    const auto finish = [this](const Result<QList<audit::Finding>>& result) {
        if (!result) {
            m_model->setFindings({});
            m_summary->setText(tr("Not linted: %1").arg(result.error().message));
            emit linted(-1);
            return;
        }
        show(*result);
    };
    if (m_token.size() <= kSyncLintBytes) {
        finish(audit::lintToken(m_token, options));
        return;
    }
    const int generation = m_generation;
    runAsync<Result<QList<audit::Finding>>>(
        this, tr("Linting a large token…"),
        [token = m_token, options](QPromise<Result<QList<audit::Finding>>>&) {
            return audit::lintToken(token, options);
        },
        [this, generation, finish](const Result<QList<audit::Finding>>& result) {
            if (generation == m_generation) {
                finish(result);
            }
        });
}

void LintSection::show(const QList<audit::Finding>& findings)
{
    m_model->setFindings(findings);
    int counts[5] = {};
    for (const auto& f : findings) {
        ++counts[int(f.severity)];
    }
    QStringList parts;
    for (int s = 4; s >= 0; --s) {
        if (counts[s] > 0) {
            parts << QStringLiteral("%1 %2").arg(counts[s]).arg(severityName(Severity(s)));
        }
    }
    m_summary->setText(
        findings.isEmpty()
            ? tr("No findings: none of the %1 rules applies to this token.").arg(audit::lintRules().size())
            : tr("%1: %2. Click a reference to read the source.")
                  .arg(findings.size() == 1 ? tr("1 finding") : tr("%1 findings").arg(findings.size()))
                  .arg(parts.join(QStringLiteral(", "))));
    emit linted(int(findings.size()));
}

} // namespace tb::ui
