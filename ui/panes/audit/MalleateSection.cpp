#include "MalleateSection.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "Workspace.h"
#include "support/Async.h"
#include "support/Theme.h"

namespace tb::ui {

namespace {

constexpr qsizetype kTooltipBytes = 400;

// `verifies`: a variant that no verifier accepts bypasses nothing that matters, so its cells are muted.
QTableWidgetItem* defeatItem(bool defeated, bool verifies, const QPalette& pal)
{
    auto* item = new QTableWidgetItem(defeated ? QObject::tr("✘ bypassed") : QObject::tr("✔ caught"));
    item->setForeground(!verifies  ? pal.color(QPalette::Disabled, QPalette::Text)
                        : defeated ? theme::failColor(pal)
                                   : theme::okColor(pal));
    item->setData(Qt::UserRole, defeated);
    item->setToolTip(defeated ? QObject::tr("A denylist keyed on this value does not recognise the variant.")
                              : QObject::tr("A denylist keyed on this value still recognises the variant."));
    return item;
}

} // namespace

MalleateSection::MalleateSection(Workspace* workspace, QWidget* parent)
    : QWidget(parent)
    , m_workspace(workspace)
{
    m_key = new QComboBox(this);
    m_key->setObjectName(QStringLiteral("malleateKey"));
    m_key->setAccessibleName(tr("Key to verify the variants with"));
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(new QLabel(tr("Verify the variants with:"), this));
    keyRow->addWidget(m_key, 1);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("malleateTable"));
    m_table->setAccessibleName(tr("Malleable variants"));
    m_table->setHorizontalHeaderLabels({tr("Variant"), tr("What changed"), tr("Verifies"), tr("Token hash"),
                                        tr("Signature hash"), tr("jti"), tr("(iss, jti)"), QString()});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(true);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    QHeaderView* header = m_table->horizontalHeader();
    for (int c = 0; c < ColumnCount; ++c) {
        header->setSectionResizeMode(c, c == ChangeColumn ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
    }
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("malleateSummary"));
    m_summary->setWordWrap(true);
    m_busy = new QProgressBar(this);
    m_busy->setObjectName(QStringLiteral("malleateBusy"));
    m_busy->setAccessibleName(tr("Building the variants"));
    m_busy->setRange(0, 0); // busy: core reports no progress for this one call
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(8);
    m_busy->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(keyRow);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_busy);
    layout->addWidget(m_summary);

    connect(m_key, &QComboBox::currentIndexChanged, this, &MalleateSection::explore);
    connect(m_workspace, &Workspace::keysChanged, this, &MalleateSection::refreshKeys);
    refreshKeys();
}

MalleateSection::~MalleateSection()
{
    // The work holds copies of its inputs only: a run that already started finishes unseen.
    m_future.cancel();
}

bool MalleateSection::isBusy() const
{
    return m_busy->isVisibleTo(this);
}

void MalleateSection::setToken(const QByteArray& token)
{
    m_token = token;
    explore();
}

void MalleateSection::refreshKeys()
{
    const QString previous = m_key->currentText();
    {
        const QSignalBlocker block(m_key);
        m_key->clear();
        m_key->addItem(tr("No key (show what tokenbench is expected to say)"), -1);
        const auto& list = m_workspace->keys();
        for (int i = 0; i < list.size(); ++i) {
            m_key->addItem(QStringLiteral("%1 — %2").arg(list.at(i).name, list.at(i).key->describe()), i);
        }
        m_key->setCurrentIndex(std::max(0, m_key->findText(previous)));
    }
    explore();
}

void MalleateSection::explore()
{
    const int generation = ++m_generation;
    m_future.cancel(); // a run not started never runs; a running one's result is discarded
    m_table->setRowCount(0);
    m_report = {};
    if (m_token.isEmpty()) {
        m_busy->hide();
        m_summary->setText(tr("Paste a signed token above to see its malleable variants."));
        emit explored();
        return;
    }
    validate::KeyInput keysIn;
    const int row = m_key->currentData().toInt();
    const auto& list = m_workspace->keys();
    const bool withKey = row >= 0 && row < list.size();
    if (withKey) {
        keysIn.key = list.at(row).key;
        keysIn.origin = list.at(row).name;
    }
    validate::Policy policy;
    policy.now = m_workspace->now();
    m_busy->show();
    m_summary->setText(tr("Building the variants of this %1 token…").arg(QLocale().formattedDataSize(m_token.size())));
    m_future = runInBackground<Outcome>(
        this,
        [token = m_token, keysIn, withKey, policy](QPromise<Outcome>& promise) -> Outcome {
            if (promise.isCanceled()) {
                return std::nullopt;
            }
            return inspect::malleate(token, withKey ? &keysIn : nullptr, policy);
        },
        [this, generation](const Outcome& outcome) {
            if (generation == m_generation && outcome) {
                finish(*outcome);
            }
        });
}

void MalleateSection::finish(const Result<inspect::MalleabilityReport>& report)
{
    m_busy->hide();
    if (!report) {
        m_summary->setText(tr("No variants: %1").arg(report.error().message));
    } else {
        m_report = *report;
        showReport();
    }
    emit explored();
}

void MalleateSection::showReport()
{
    const QPalette pal = palette();
    int bypassing = 0;
    for (const inspect::Variant& v : std::as_const(m_report.variants)) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        auto* name = new QTableWidgetItem(v.name);
        // A megabyte tooltip would cover the screen: its start is enough to tell variants apart.
        name->setToolTip(QString::fromLatin1(v.token.left(kTooltipBytes)) +
                         (v.token.size() > kTooltipBytes ? QStringLiteral("…") : QString()));
        name->setData(Qt::UserRole, v.token);
        m_table->setItem(row, VariantColumn, name);
        auto* change = new QTableWidgetItem(v.description);
        change->setToolTip(
            tr("Accepted by: %1\nRejected by: %2")
                .arg(v.verifiesUnder.join(QStringLiteral(", ")), v.failsUnder.join(QStringLiteral(", "))));
        m_table->setItem(row, ChangeColumn, change);
        const bool checked = v.valid.has_value();
        const bool ok = checked ? *v.valid : v.tokenbenchExpected;
        auto* verifies = new QTableWidgetItem(checked ? (ok ? tr("valid") : tr("rejected"))
                                                      : (ok ? tr("expected valid") : tr("expected rejected")));
        verifies->setForeground(ok ? theme::warnColor(pal) : theme::okColor(pal));
        verifies->setData(Qt::UserRole, ok);
        verifies->setToolTip(v.warnings.join(QLatin1Char('\n')));
        m_table->setItem(row, VerifiesColumn, verifies);
        m_table->setItem(row, TokenHashColumn, defeatItem(v.defeats.tokenHash, ok, pal));
        m_table->setItem(row, SignatureHashColumn, defeatItem(v.defeats.signatureHash, ok, pal));
        m_table->setItem(row, JtiColumn, defeatItem(v.defeats.jti, ok, pal));
        m_table->setItem(row, IssJtiColumn, defeatItem(v.defeats.issJti, ok, pal));
        auto* copy = new QToolButton(m_table);
        copy->setObjectName(QStringLiteral("copyVariant_") + v.name);
        copy->setText(tr("Copy"));
        copy->setAutoRaise(true);
        copy->setToolTip(tr("Copy the %1 variant").arg(v.name));
        connect(copy, &QToolButton::clicked, this, [this, token = v.token, n = v.name] {
            QApplication::clipboard()->setText(QString::fromLatin1(token));
            emit statusMessage(tr("Copied the %1 variant.").arg(n));
        });
        m_table->setCellWidget(row, CopyColumn, copy);
        if (ok && v.defeats.tokenHash) {
            ++bypassing;
        }
    }
    QString summary =
        tr("%1 of this %2 token.")
            .arg(m_report.variants.size() == 1 ? tr("1 variant") : tr("%1 variants").arg(m_report.variants.size()),
                 m_report.alg);
    if (bypassing > 0) {
        summary += QLatin1Char(' ') + tr("%1 of them verify yet slip past a denylist keyed on the token's hash: revoke "
                                         "by jti (or the verified claims) instead.")
                                          .arg(bypassing);
    }
    for (const QString& note : std::as_const(m_report.notes)) {
        summary += QLatin1Char(' ') + note;
    }
    m_summary->setText(summary);
}

} // namespace tb::ui
