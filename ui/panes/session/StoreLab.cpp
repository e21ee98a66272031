#include "StoreLab.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QVBoxLayout>

#include "panes/session/LabJob.h"
#include "panes/session/SessionCharts.h"
#include "session/LocalRedis.h"
#include "session/MemoryStore.h"
#include "session/RedisStore.h"
#include "session/SqliteStore.h"
#include "support/Theme.h"

namespace tb::ui {

namespace {

constexpr int redisTimeoutMs = 1000;

// "0.025×", "8.2×", "48.1×": two significant digits below 10.
QString ratioText(double ratio)
{
    return QStringLiteral("%1×").arg(QString::number(ratio, ratio < 10 ? 'g' : 'f', ratio < 10 ? 2 : 1));
}

QSpinBox* countBox(int minimum, int maximum, int value, const QString& objectName, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setObjectName(objectName);
    box->setRange(minimum, maximum);
    box->setValue(value);
    box->setGroupSeparatorShown(true);
    box->setSingleStep(1000);
    return box;
}

// One step of the run: the store or the algorithm, measured with progress in [base, base + 100).
using Step = std::function<Result<StoreLab::Row>(const std::function<void(int)>&, const std::atomic<bool>*)>;

Step storeStep(const QString& kind, const StoreLab::Plan& plan, qint64 nowMs)
{
    return [kind, plan, nowMs](const std::function<void(int)>& progress,
                               const std::atomic<bool>* cancel) -> Result<StoreLab::Row> {
        // Stores are created on this worker thread: Qt Sql and hiredis connections belong to one thread.
        std::unique_ptr<session::SessionStore> store;
        std::unique_ptr<session::LocalRedisServer> server;
        QTemporaryDir dir;
        QString label;
        if (kind == QStringLiteral("memory")) {
            store = std::make_unique<session::MemoryStore>();
            label = QObject::tr("Memory store lookup");
        } else if (kind == QStringLiteral("sqlite")) {
            auto opened = session::SqliteStore::open(dir.filePath(QStringLiteral("bench.sqlite")));
            if (!opened) {
                return std::unexpected(opened.error());
            }
            store = std::move(*opened);
            label = QObject::tr("SQLite store lookup (file)");
        } else {
            auto started = session::LocalRedisServer::start();
            if (!started) {
                return std::unexpected(started.error());
            }
            server = std::move(*started);
            auto connected = session::RedisStore::connect(server->host(), server->port(), redisTimeoutMs);
            if (!connected) {
                return std::unexpected(connected.error());
            }
            store = std::move(*connected);
            label = QObject::tr("Redis store lookup (loopback)");
        }
        auto latency = session::measureLookupLatency(*store, plan.sessions, plan.lookups, nowMs, progress, cancel);
        if (!latency) {
            return std::unexpected(latency.error());
        }
        return StoreLab::Row{label, false, *latency};
    };
}

Step jwtStep(jose::Alg alg, int verifications)
{
    return [alg, verifications](const std::function<void(int)>& progress,
                                const std::atomic<bool>* cancel) -> Result<StoreLab::Row> {
        auto latency = session::measureJwtVerifyLatency(alg, verifications, progress, cancel);
        if (!latency) {
            return std::unexpected(latency.error());
        }
        return StoreLab::Row{QObject::tr("%1 JWT verification").arg(jose::algName(alg)), true, *latency};
    };
}

StoreLab::Outcome runPlan(const StoreLab::Plan& plan, QPromise<StoreLab::Outcome>& promise, std::atomic<bool>& flag)
{
    std::vector<std::pair<QString, Step>> steps;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (const jose::Alg alg : plan.algs) {
        steps.emplace_back(jose::algName(alg), jwtStep(alg, plan.verifications));
    }
    const std::pair<bool, QString> stores[] = {{plan.memory, QStringLiteral("memory")},
                                               {plan.sqlite, QStringLiteral("sqlite")},
                                               {plan.redis, QStringLiteral("redis")}};
    for (const auto& [enabled, kind] : stores) {
        if (enabled) {
            steps.emplace_back(kind, storeStep(kind, plan, nowMs));
        }
    }
    StoreLab::Outcome out;
    if (steps.empty()) {
        out.error = QObject::tr("Choose at least one store or algorithm.");
        return out;
    }
    promise.setProgressRange(0, int(steps.size()) * 100);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        auto row = steps[i].second(progressInto(promise, flag, int(i) * 100), &flag);
        if (flag) {
            out.error = QObject::tr("The benchmark was cancelled.");
            return out;
        }
        if (row) {
            out.rows.push_back(*row);
        } else {
            out.notes << QObject::tr("%1 skipped: %2").arg(steps[i].first, row.error().message);
        }
    }
    return out;
}

} // namespace

StoreLab::StoreLab(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("storeLab"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildForm());
    layout->addWidget(buildResults(), 1);
}

StoreLab::~StoreLab()
{
    cancel();
}

bool StoreLab::redisAvailable()
{
    return !session::LocalRedisServer::executable().isEmpty();
}

QWidget* StoreLab::buildForm()
{
    auto* box = new QGroupBox(tr("Benchmark"), this);
    box->setMaximumWidth(360);
    box->setMinimumWidth(300);
    m_sessions = countBox(1, 1000000, 10000, QStringLiteral("benchSessions"), box);
    m_lookups = countBox(1, 1000000, 20000, QStringLiteral("benchLookups"), box);
    m_verifications = countBox(1, 1000000, 2000, QStringLiteral("benchVerifications"), box);
    auto* form = new QFormLayout;
    form->addRow(tr("Sessions stored:"), m_sessions);
    form->addRow(tr("Lookups per store:"), m_lookups);
    form->addRow(tr("Verifications per alg:"), m_verifications);

    auto* stores = new QGroupBox(tr("Session stores"), box);
    m_memory = new QCheckBox(tr("Memory (hash table)"), stores);
    m_memory->setObjectName(QStringLiteral("benchMemory"));
    m_sqlite = new QCheckBox(tr("SQLite (a temporary file, Qt Sql)"), stores);
    m_sqlite->setObjectName(QStringLiteral("benchSqlite"));
    m_redis = new QCheckBox(tr("Redis (a throw-away redis-server on loopback)"), stores);
    m_redis->setObjectName(QStringLiteral("benchRedis"));
    auto* storeLayout = new QVBoxLayout(stores);
    for (QCheckBox* c : {m_memory, m_sqlite, m_redis}) {
        c->setChecked(true);
        storeLayout->addWidget(c);
    }
    if (!redisAvailable()) {
        m_redis->setChecked(false);
        m_redis->setEnabled(false);
        auto* missing =
            theme::captionLabel(tr("redis-server is not installed (not on PATH), so Redis cannot be measured here: "
                                   "install Debian's redis-server package."),
                                stores);
        missing->setObjectName(QStringLiteral("redisMissing"));
        storeLayout->addWidget(missing);
    }

    auto* algs = new QGroupBox(tr("JWT verification (tb::validate::verifyToken)"), box);
    auto* algLayout = new QGridLayout(algs);
    const jose::Alg choices[] = {jose::Alg::HS256, jose::Alg::RS256, jose::Alg::PS256,
                                 jose::Alg::ES256, jose::Alg::ES384, jose::Alg::EdDSA};
    int i = 0;
    for (const jose::Alg alg : choices) {
        auto* check = new QCheckBox(jose::algName(alg), algs);
        check->setObjectName(QStringLiteral("benchAlg_%1").arg(jose::algName(alg)));
        check->setChecked(alg != jose::Alg::ES384);
        algLayout->addWidget(check, i / 3, i % 3);
        m_algs.emplace_back(alg, check);
        ++i;
    }

    m_run = new QPushButton(tr("Run benchmark"), box);
    m_run->setObjectName(QStringLiteral("runBenchmark"));
    m_cancel = new QPushButton(tr("Cancel"), box);
    m_cancel->setObjectName(QStringLiteral("cancelBenchmark"));
    m_cancel->setEnabled(false);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_run, 1);
    buttons->addWidget(m_cancel);
    m_state =
        theme::captionLabel(tr("Wall-clock latency of single calls on this machine, one thread; keys are generated and "
                               "parsed once, stores are filled first."),
                            box);
    m_state->setObjectName(QStringLiteral("benchState"));

    auto* layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addWidget(stores);
    layout->addWidget(algs);
    layout->addLayout(buttons);
    layout->addWidget(m_state);
    layout->addSpacing(8);
    layout->addWidget(
        theme::captionLabel(tr("<b>How to read it.</b> p50 and p99 are wall-clock times of single calls. A JWT "
                               "verification is the full path: parse, header, alg allow-list, time checks and "
                               "signature, with the key parsed once. A store lookup fetches a random stored "
                               "session. The Redis server runs on loopback, so no network round trip is "
                               "included."),
                            box));
    layout->addStretch(1);

    connect(m_run, &QPushButton::clicked, this, &StoreLab::run);
    connect(m_cancel, &QPushButton::clicked, this, &StoreLab::cancel);
    return box;
}

QWidget* StoreLab::buildResults()
{
    auto* panel = new QWidget(this);
    m_claim = new QLabel(tr("The seed claims “a Redis lookup takes 1–2 ms, JWT verification microseconds”. Run the "
                            "benchmark to measure both on this machine."),
                         panel);
    m_claim->setObjectName(QStringLiteral("claimSummary"));
    m_claim->setWordWrap(true);
    m_claim->setTextFormat(Qt::RichText);
    m_chart = new LatencyChart(panel);
    m_table = new QTableWidget(0, 6, panel);
    m_table->setObjectName(QStringLiteral("benchTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Operation"), tr("p50"), tr("p99"), tr("mean"), tr("samples"), tr("p50 vs HS256")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setMaximumHeight(300);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);

    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 0, 0, 0);
    layout->addWidget(m_claim);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_table);
    return panel;
}

StoreLab::Plan StoreLab::plan() const
{
    Plan p;
    p.memory = m_memory->isChecked();
    p.sqlite = m_sqlite->isChecked();
    p.redis = m_redis->isChecked() && m_redis->isEnabled();
    for (const auto& [alg, check] : m_algs) {
        if (check->isChecked()) {
            p.algs << alg;
        }
    }
    p.sessions = m_sessions->value();
    p.lookups = m_lookups->value();
    p.verifications = m_verifications->value();
    return p;
}

void StoreLab::setPlan(const Plan& p)
{
    m_memory->setChecked(p.memory);
    m_sqlite->setChecked(p.sqlite);
    m_redis->setChecked(p.redis && m_redis->isEnabled());
    for (const auto& [alg, check] : m_algs) {
        check->setChecked(p.algs.contains(alg));
    }
    m_sessions->setValue(p.sessions);
    m_lookups->setValue(p.lookups);
    m_verifications->setValue(p.verifications);
}

void StoreLab::run()
{
    cancel();
    auto flag = std::make_shared<std::atomic<bool>>(false);
    m_cancelFlag = flag;
    m_running = true;
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_state->setText(tr("Measuring…"));
    emit statusMessage(tr("Running the store and JWT benchmark…"));
    const Plan p = plan();
    runLabJob<Outcome>(
        this, tr("Measuring store lookups and JWT verification…"), flag,
        [p](QPromise<Outcome>& promise, std::atomic<bool>& stop) { return runPlan(p, promise, stop); },
        [this, flag](const Outcome& outcome) {
            if (flag == m_cancelFlag) {
                finish(outcome);
            }
        },
        [this, flag] {
            if (flag == m_cancelFlag) {
                finish(Outcome{{}, {}, tr("The benchmark was cancelled.")});
            }
        });
}

void StoreLab::cancel()
{
    if (m_cancelFlag) {
        *m_cancelFlag = true;
    }
}

void StoreLab::finish(const Outcome& outcome)
{
    m_running = false;
    m_run->setEnabled(true);
    m_cancel->setEnabled(false);
    if (!outcome.error.isEmpty()) {
        m_state->setText(outcome.error);
        emit statusMessage(outcome.error);
        emit benchmarkFinished(false);
        return;
    }
    m_rows = outcome.rows;
    showRows();
    m_state->setText(outcome.notes.isEmpty() ? tr("Done: %n measurement(s).", nullptr, int(m_rows.size()))
                                             : outcome.notes.join(QLatin1Char('\n')));
    emit statusMessage(tr("Benchmark done."));
    emit benchmarkFinished(true);
}

void StoreLab::showRows()
{
    double hs256 = 0;
    for (const Row& r : m_rows) {
        if (r.jwt && r.label.startsWith(QStringLiteral("HS256"))) {
            hs256 = r.latency.p50Us;
        }
    }
    m_table->setRowCount(0);
    std::vector<LatencyChart::Bar> bars;
    for (const Row& r : m_rows) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const QStringList cells{r.label,
                                formatMicros(r.latency.p50Us),
                                formatMicros(r.latency.p99Us),
                                formatMicros(r.latency.meanUs),
                                QLocale().toString(r.latency.samples),
                                hs256 > 0 ? ratioText(r.latency.p50Us / hs256) : QString()};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setTextAlignment(c == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(row, c, item);
        }
        bars.push_back({r.label, r.latency.p50Us, r.latency.p99Us, r.jwt});
    }
    m_chart->setBars(std::move(bars));
    // Tall enough for every row without a scroll bar, up to a third of the results.
    const int rowHeight = m_table->rowCount() > 0 ? m_table->rowHeight(0) : 0;
    const int rowsHeight = m_table->horizontalHeader()->height() + m_table->rowCount() * rowHeight + 4;
    m_table->setMinimumHeight(std::min(rowsHeight, 300));
    m_claim->setText(claimSummary());
}

QString StoreLab::claimSummary() const
{
    const Row* redis = nullptr;
    const Row* fastestJwt = nullptr;
    const Row* slowestJwt = nullptr;
    for (const Row& r : m_rows) {
        if (r.jwt) {
            fastestJwt = fastestJwt == nullptr || r.latency.p50Us < fastestJwt->latency.p50Us ? &r : fastestJwt;
            slowestJwt = slowestJwt == nullptr || r.latency.p50Us > slowestJwt->latency.p50Us ? &r : slowestJwt;
        } else if (r.label.startsWith(QStringLiteral("Redis"))) {
            redis = &r;
        }
    }
    QStringList parts;
    if (redis != nullptr) {
        const bool inClaim = redis->latency.p50Us >= 1000 && redis->latency.p50Us <= 2000;
        parts << tr("A Redis lookup took <b>%1</b> (p50; p99 %2) on loopback: %3 the claimed 1–2 ms. A Redis on "
                    "another host adds its network round trip.")
                     .arg(formatMicros(redis->latency.p50Us), formatMicros(redis->latency.p99Us),
                          inClaim ? tr("within") : (redis->latency.p50Us < 1000 ? tr("below") : tr("above")));
    } else {
        parts << tr("Redis was not measured.");
    }
    if (fastestJwt != nullptr) {
        parts << tr("JWT verification took <b>%1</b> (%2) to <b>%3</b> (%4) at p50.")
                     .arg(formatMicros(fastestJwt->latency.p50Us), fastestJwt->label.section(u' ', 0, 0),
                          formatMicros(slowestJwt->latency.p50Us), slowestJwt->label.section(u' ', 0, 0));
    }
    if (redis != nullptr && fastestJwt != nullptr) {
        parts << tr("The Redis lookup costs %1× the fastest verification.")
                     .arg(redis->latency.p50Us / fastestJwt->latency.p50Us, 0, 'f', 1);
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace tb::ui
