#include "SimulatePane.h"

#include <algorithm>
#include <cmath>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEventLoop>
#include <QFileInfo>
#include <QFormLayout>
#include <QFrame>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "sim/Params.h"
#include "support/Async.h"
#include "support/FileDialog.h"
#include "widgets/SequenceDiagram.h"
#include "widgets/SeriesChart.h"
#include "widgets/TimelineView.h"

namespace tb::ui {

namespace {

// The main parameters, in the order of the form (core keys, the same as `simulate --set`).
constexpr const char* formKeys[] = {
    "preset",
    "detection_delay_s",
    "access_token_lifetime_s",
    "denylist_propagation_s",
    "store_replication_s",
    "introspection_cache_ttl_s",
    "refresh_grace_s",
    "leeway_s",
    "clock_skew_s",
    "store_rtt_ms",
    "alg",
    "users",
    "requests_per_min",
};

constexpr int scrubberSteps = 1000;

// The series core/sim records per lane (LaneTimeline::series), in the picker's order, with a readable name.
struct SeriesName
{
    const char* key;
    const char* text;
};
constexpr SeriesName seriesNames[] = {
    {"denylist_size", QT_TRANSLATE_NOOP("SimulatePane", "Denylist size")},
    {"store_ops_per_s", QT_TRANSLATE_NOOP("SimulatePane", "Store ops/s")},
    {"rejected_per_s", QT_TRANSLATE_NOOP("SimulatePane", "Refused requests/s")},
    {"refresh_per_s", QT_TRANSLATE_NOOP("SimulatePane", "Refreshes/s")},
    {"attacker_accepted", QT_TRANSLATE_NOOP("SimulatePane", "Stolen credential accepted (1 = yes)")},
};

// One colour per lane position, the same in every chart.
QColor laneColor(std::size_t lane)
{
    static constexpr QRgb colors[] = {0x1976d2, 0xc62828, 0x2e7d32, 0x6a1b9a, 0xef6c00, 0x00897b, 0x5d4037};
    return QColor::fromRgb(colors[lane % std::size(colors)]);
}
constexpr double usPerS = 1e6;

QString number(double v)
{
    return QString::number(v, 'g', 10);
}

QString exposureText(const sim::LaneResult& lane)
{
    if (!lane.stolen) {
        return QStringLiteral("—");
    }
    return (lane.exposureOpenEnded ? QStringLiteral("≥ ") : QString()) + number(lane.exposureWindowS) +
           QStringLiteral(" s");
}

QLabel* valueLabel(const QString& name, const QString& text, QWidget* parent)
{
    auto* l = new QLabel(text, parent);
    l->setObjectName(name);
    l->setAccessibleName(name);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    l->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QFont f = l->font();
    f.setBold(true);
    l->setFont(f);
    return l;
}

} // namespace

SimulatePane::SimulatePane(Workspace* workspace, QWidget* parent)
    : PaneBase(parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("simulatePane"));

    // Left column: scenario, parameters, run.
    auto* scenarioBox = new QGroupBox(tr("Scenario"), this);
    m_scenarios = new QComboBox(scenarioBox);
    m_scenarios->setObjectName(QStringLiteral("scenarioPicker"));
    m_scenarios->setAccessibleName(tr("Built-in scenario"));
    for (const sim::BuiltinInfo& info : sim::builtinScenarios()) {
        m_scenarios->addItem(QStringLiteral("%1 — %2").arg(info.id, info.title), info.id);
        m_scenarios->setItemData(m_scenarios->count() - 1, info.teaches, Qt::ToolTipRole);
    }
    m_teaches = new QLabel(scenarioBox);
    m_teaches->setObjectName(QStringLiteral("scenarioTeaches"));
    m_teaches->setWordWrap(true);
    m_teaches->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_expected = new QLabel(scenarioBox);
    m_expected->setObjectName(QStringLiteral("scenarioExpected"));
    m_expected->setWordWrap(true);
    m_expected->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_expected->setForegroundRole(QPalette::PlaceholderText);
    auto* scenarioLayout = new QVBoxLayout(scenarioBox);
    scenarioLayout->addWidget(m_scenarios);
    scenarioLayout->addWidget(m_teaches);
    scenarioLayout->addWidget(m_expected);

    auto* paramBox = new QGroupBox(tr("Parameters"), this);
    auto* form = new QFormLayout(paramBox);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const char* key : formKeys) {
        const sim::ParamSpec* s = sim::findSpec(QLatin1String(key));
        if (!s) {
            continue;
        }
        Field f;
        f.key = QLatin1String(key);
        QWidget* editor = nullptr;
        if (s->kind == sim::Kind::Choice || s->kind == sim::Kind::Bool) {
            f.choice = new QComboBox(paramBox);
            f.choice->addItems(s->kind == sim::Kind::Bool ? QStringList{QStringLiteral("false"), QStringLiteral("true")}
                                                          : sim::choicesOf(*s));
            editor = f.choice;
        } else {
            f.number = new QDoubleSpinBox(paramBox);
            f.number->setRange(s->min, std::min(s->max, 1e9));
            f.number->setDecimals(s->kind == sim::Kind::Number ? 3 : 0);
            if (s->kind == sim::Kind::Duration) {
                f.number->setSuffix(tr(" s"));
            } else if (f.key.endsWith(QLatin1String("_ms"))) {
                f.number->setSuffix(tr(" ms"));
            }
            f.number->setKeyboardTracking(false);
            editor = f.number;
        }
        editor->setObjectName(QStringLiteral("param_") + f.key);
        editor->setAccessibleName(f.key);
        editor->setToolTip(QStringLiteral("%1\n--set %2=…").arg(QString::fromUtf8(s->help), f.key));
        form->addRow(f.key + QLatin1Char(':'), editor);
        m_fields.push_back(f);
    }
    m_seed = new QSpinBox(paramBox);
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seed->setAccessibleName(tr("Random seed"));
    m_seed->setRange(0, 1'000'000'000);
    m_seed->setValue(1);
    form->addRow(tr("seed:"), m_seed);

    m_run = new QPushButton(tr("&Run"), this);
    m_run->setObjectName(QStringLiteral("runSimulation"));
    m_run->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelSimulation"));
    m_cancel->setEnabled(false);
    m_runState = new QLabel(this);
    m_runState->setObjectName(QStringLiteral("runState"));
    m_runState->setWordWrap(true);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_cancel);

    auto* leftInner = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(leftInner);
    leftLayout->addWidget(scenarioBox);
    leftLayout->addWidget(paramBox);
    leftLayout->addLayout(runRow);
    leftLayout->addWidget(m_runState);
    leftLayout->addStretch(1);
    auto* left = new QScrollArea(this);
    m_controls = left;
    left->setObjectName(QStringLiteral("simulateControls"));
    left->setWidget(leftInner);
    left->setWidgetResizable(true);
    left->setFrameShape(QFrame::NoFrame);
    left->setMinimumWidth(300);
    left->setMaximumWidth(370);
    left->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    // Timeline with its transport controls.
    m_timeline = new TimelineView(this);
    m_timeline->setObjectName(QStringLiteral("simTimeline"));
    m_timeline->setAxisStyle(TimelineView::TimeOfDay);
    auto tool = [this](const QString& name, const QString& text, const QString& tip) {
        auto* b = new QToolButton(this);
        b->setObjectName(name);
        b->setText(text);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        return b;
    };
    m_rewind = tool(QStringLiteral("rewind"), tr("Start"), tr("Back to the start"));
    m_play = tool(QStringLiteral("play"), tr("Play"), tr("Play / pause"));
    m_play->setCheckable(true);
    m_step = tool(QStringLiteral("step"), tr("Step"), tr("Step to the next event"));
    m_rewind->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_step->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
    for (QToolButton* b : {m_rewind, m_play, m_step}) {
        b->setToolButtonStyle(Qt::ToolButtonIconOnly);
    }
    m_scrubber = new QSlider(Qt::Horizontal, this);
    m_scrubber->setObjectName(QStringLiteral("scrubber"));
    m_scrubber->setAccessibleName(tr("Time scrubber"));
    m_scrubber->setRange(0, scrubberSteps);
    m_nowLabel = new QLabel(this);
    m_nowLabel->setObjectName(QStringLiteral("simNow"));
    m_nowLabel->setMinimumWidth(90);
    m_presentation = tool(QStringLiteral("presentationMode"), tr("Presentation"),
                          tr("Presentation mode: large fonts, high contrast"));
    m_presentation->setCheckable(true);
    auto* exportTimeline =
        tool(QStringLiteral("exportTimeline"), tr("Export…"), tr("Export the timeline as PNG or SVG"));
    auto* exportSeries = tool(QStringLiteral("exportSeries"), tr("Export chart…"),
                              tr("Export the metric charts under the timeline as PNG or SVG"));
    m_seriesMetric = new QComboBox(this);
    m_seriesMetric->setObjectName(QStringLiteral("seriesMetric"));
    m_seriesMetric->setAccessibleName(tr("Metric shown over time under the timeline"));
    m_seriesMetric->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_seriesMetric->setMinimumContentsLength(14);
    m_seriesMetric->setToolTip(tr("Metric over time, one small chart per lane that records it"));
    auto* transport = new QHBoxLayout;
    transport->addWidget(m_rewind);
    transport->addWidget(m_play);
    transport->addWidget(m_step);
    transport->addWidget(m_scrubber, 1);
    transport->addWidget(m_nowLabel);
    transport->addWidget(m_seriesMetric);
    transport->addWidget(exportSeries);
    transport->addWidget(m_presentation);
    transport->addWidget(exportTimeline);
    auto* timelineBox = new QWidget(this);
    auto* timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(0, 0, 0, 0);
    timelineLayout->addLayout(transport);
    // The series charts share the timeline's width, hence its time axis.
    auto* timelineScroll = new QScrollArea(this);
    timelineScroll->setWidget(m_timeline);
    timelineScroll->setWidgetResizable(true);
    timelineScroll->setFrameShape(QFrame::NoFrame);
    timelineScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    timelineLayout->addWidget(timelineScroll, 1);
    // The series charts stay in sight under the scrolling lanes. The lanes' scroll bar is always there and the
    // charts leave its width free, so both are equally wide and share the time axis.
    timelineScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_series = new SeriesChart(this);
    auto* seriesRow = new QHBoxLayout;
    seriesRow->setContentsMargins(0, 0, timelineScroll->verticalScrollBar()->sizeHint().width(), 0);
    seriesRow->addWidget(m_series);
    timelineLayout->addLayout(seriesRow);
    m_playTimer = new QTimer(this);
    m_playTimer->setInterval(40);

    // Metric cards.
    m_cards = new QWidget(this);
    m_cards->setObjectName(QStringLiteral("metricCards"));
    m_cardsLayout = new QGridLayout(m_cards);
    m_cardsLayout->setContentsMargins(0, 0, 0, 0);
    m_cardsLayout->setHorizontalSpacing(4);
    m_cardsLayout->setVerticalSpacing(1);
    m_cardsScroll = new QScrollArea(this);
    m_cardsScroll->setWidget(m_cards);
    m_cardsScroll->setWidgetResizable(true);
    m_cardsScroll->setFrameShape(QFrame::NoFrame);
    m_cardsScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    // Sequence diagram of one request.
    m_seqLane = new QComboBox(this);
    m_seqLane->setObjectName(QStringLiteral("sequenceLane"));
    m_seqLane->setAccessibleName(tr("Lane of the sequence diagram"));
    auto* exportDiagram = tool(QStringLiteral("exportDiagram"), tr("Export…"), tr("Export the diagram as PNG or SVG"));
    m_diagram = new SequenceDiagram(this);
    auto* seqRow = new QHBoxLayout;
    seqRow->addWidget(new QLabel(tr("One request in lane:"), this));
    seqRow->addWidget(m_seqLane, 1);
    seqRow->addWidget(exportDiagram);
    auto* seqBox = new QWidget(this);
    auto* seqLayout = new QVBoxLayout(seqBox);
    seqLayout->setContentsMargins(0, 0, 0, 0);
    seqLayout->addLayout(seqRow);
    auto* diagramScroll = new QScrollArea(this);
    diagramScroll->setWidget(m_diagram);
    diagramScroll->setWidgetResizable(true);
    diagramScroll->setFrameShape(QFrame::NoFrame);
    seqLayout->addWidget(diagramScroll, 1);

    auto* right = new QSplitter(Qt::Vertical, this);
    m_split = right;
    right->setObjectName(QStringLiteral("simulateSplitter"));
    right->addWidget(timelineBox);
    right->addWidget(m_cardsScroll);
    right->addWidget(seqBox);
    right->setStretchFactor(0, 5);
    right->setStretchFactor(1, 0);
    right->setStretchFactor(2, 3);
    right->setChildrenCollapsible(false);

    auto* layout = new QHBoxLayout(this);
    layout->addWidget(left);
    layout->addWidget(right, 1);

    connect(m_scenarios, &QComboBox::currentIndexChanged, this, &SimulatePane::scenarioChanged);
    connect(m_run, &QPushButton::clicked, this, &SimulatePane::run);
    connect(m_cancel, &QPushButton::clicked, this, &SimulatePane::cancel);
    for (const Field& f : m_fields) {
        if (f.key == QLatin1String("preset")) {
            connect(f.choice, &QComboBox::activated, this, [this, combo = f.choice] {
                const QString text = combo->currentText();
                loadBaseline(text == m_baselinePreset ? QStringList{} : QStringList{QStringLiteral("preset=") + text});
            });
        }
    }
    connect(m_scrubber, &QSlider::valueChanged, this, &SimulatePane::setNowFromScrubber);
    connect(m_timeline, &TimelineView::nowChanged, this, &SimulatePane::nowMoved);
    connect(m_timeline, &TimelineView::nowChanged, m_series, &SeriesChart::setNow);
    connect(m_timeline, &TimelineView::viewChanged, m_series, &SeriesChart::setViewRange);
    connect(m_seriesMetric, &QComboBox::currentIndexChanged, this, &SimulatePane::showSeries);
    connect(m_timeline, &TimelineView::laneClicked, this, &SimulatePane::showSequenceOf);
    connect(m_play, &QToolButton::toggled, this, [this](bool on) {
        if (on && m_timeline->now() >= m_timeline->rangeEnd()) {
            m_timeline->setNow(m_timeline->rangeStart());
        }
        on ? m_playTimer->start() : m_playTimer->stop();
        m_play->setIcon(style()->standardIcon(on ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    });
    connect(m_playTimer, &QTimer::timeout, this, &SimulatePane::tick);
    connect(m_step, &QToolButton::clicked, this, &SimulatePane::stepToNextEvent);
    connect(m_rewind, &QToolButton::clicked, this, [this] { m_timeline->setNow(m_timeline->rangeStart()); });
    connect(m_presentation, &QToolButton::toggled, this, &SimulatePane::setPresentationMode);
    connect(m_seqLane, &QComboBox::currentIndexChanged, this, &SimulatePane::showSequenceOf);
    connect(exportTimeline, &QToolButton::clicked, this, &SimulatePane::exportTimeline);
    connect(exportDiagram, &QToolButton::clicked, this, &SimulatePane::exportDiagram);
    connect(exportSeries, &QToolButton::clicked, this, &SimulatePane::exportSeries);

    scenarioChanged(m_scenarios->currentIndex());
}

SimulatePane::~SimulatePane()
{
    if (m_cancelFlag) {
        *m_cancelFlag = true;
    }
}

void SimulatePane::prepareScreenshot()
{
    selectScenario(QStringLiteral("S1"));
    QEventLoop loop;
    connect(this, &SimulatePane::simulationFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    run();
    if (isRunning()) {
        loop.exec();
    }
}

QIcon SimulatePane::navIcon()
{
    QPixmap pm(32, 32);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRectF(4, 7, 22, 5), QColor(0x19, 0x76, 0xd2));
    p.fillRect(QRectF(4, 15, 9, 5), QColor(0x19, 0x76, 0xd2));
    p.fillRect(QRectF(13, 14, 8, 7), QColor(0xd3, 0x2f, 0x2f, 120));
    p.fillRect(QRectF(4, 23, 16, 5), QColor(0x19, 0x76, 0xd2));
    p.setPen(QPen(QColor(0xe6, 0x51, 0x00), 2));
    p.drawLine(QPointF(13, 3), QPointF(13, 30));
    return QIcon(pm);
}

bool SimulatePane::selectScenario(const QString& id)
{
    const int index = m_scenarios->findData(id);
    if (index < 0) {
        return false;
    }
    m_scenarios->setCurrentIndex(index);
    return true;
}

QString SimulatePane::scenarioId() const
{
    return m_scenarios->currentData().toString();
}

void SimulatePane::scenarioChanged(int index)
{
    const QString id = m_scenarios->itemData(index).toString();
    const auto bytes = sim::builtinScenarioBytes(id);
    m_scenario.reset();
    if (bytes) {
        if (auto parsed = sim::parseScenario(*bytes)) {
            m_scenario = std::move(*parsed);
        } else {
            m_runState->setText(parsed.error().message);
        }
    } else {
        m_runState->setText(bytes.error().message);
    }
    m_teaches->setText(m_scenario ? m_scenario->teaches : QString());
    m_expected->setText(m_scenario ? tr("Expected: %1").arg(m_scenario->expected) : QString());
    m_baseline.reset();
    m_baselinePreset.clear();
    loadBaseline({});
    m_run->setEnabled(m_scenario.has_value());
    if (isVisible() && m_scenario) {
        run();
    }
}

void SimulatePane::loadBaseline(const QStringList& sets)
{
    if (!m_scenario) {
        return;
    }
    const auto params = sim::resolveParams(*m_scenario, sets);
    if (!params) {
        m_runState->setText(params.error().message);
        return;
    }
    if (sets.isEmpty()) {
        m_baseline = *params;
        m_baselinePreset = params->display(sim::P::Preset);
    }
    for (const Field& f : m_fields) {
        const sim::ParamSpec* s = sim::findSpec(f.key);
        const double v = (*params)[s->id];
        if (f.number) {
            f.number->setValue(v);
        } else {
            f.choice->setCurrentIndex(int(v));
        }
    }
}

QString SimulatePane::fieldText(const Field& f) const
{
    if (f.number) {
        return number(f.number->value());
    }
    return f.choice->currentText();
}

QStringList SimulatePane::parameterSets() const
{
    QStringList sets;
    if (!m_baseline) {
        return sets;
    }
    // A changed preset goes first: core applies it before the other keys anyway.
    sim::Params reference = *m_baseline;
    for (const Field& f : m_fields) {
        if (f.key == QLatin1String("preset") && f.choice->currentText() != m_baselinePreset) {
            sets.append(QStringLiteral("preset=") + f.choice->currentText());
            if (m_scenario) {
                if (auto withPreset = sim::resolveParams(*m_scenario, sets)) {
                    reference = *withPreset;
                }
            }
        }
    }
    for (const Field& f : m_fields) {
        if (f.key == QLatin1String("preset")) {
            continue;
        }
        const sim::ParamSpec* s = sim::findSpec(f.key);
        const double ref = reference[s->id];
        const bool same = f.number ? std::abs(f.number->value() - ref) <= 1e-9 * std::max(1.0, std::abs(ref))
                                   : f.choice->currentIndex() == int(ref);
        if (!same) {
            sets.append(f.key + QLatin1Char('=') + fieldText(f));
        }
    }
    return sets;
}

bool SimulatePane::setParameter(const QString& key, const QString& value)
{
    for (const Field& f : m_fields) {
        if (f.key != key) {
            continue;
        }
        if (f.number) {
            bool ok = false;
            const double v = value.toDouble(&ok);
            if (!ok) {
                return false;
            }
            f.number->setValue(v);
            return true;
        }
        const int index = f.choice->findText(value);
        if (index < 0) {
            return false;
        }
        f.choice->setCurrentIndex(index);
        if (key == QLatin1String("preset")) {
            loadBaseline(value == m_baselinePreset ? QStringList{} : QStringList{QStringLiteral("preset=") + value});
        }
        return true;
    }
    return false;
}

void SimulatePane::run()
{
    if (!m_scenario) {
        return;
    }
    cancel();
    auto flag = std::make_shared<std::atomic<bool>>(false);
    m_cancelFlag = flag;
    sim::RunOptions options;
    options.seed = std::uint64_t(m_seed->value());
    options.sets = parameterSets();
    const sim::Scenario scenario = *m_scenario;
    m_running = true;
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_runState->setText(
        options.sets.isEmpty()
            ? tr("Running %1…").arg(scenario.id)
            : tr("Running %1 with --set %2…").arg(scenario.id, options.sets.join(QStringLiteral(" --set "))));
    auto work = [scenario, options, flag](QPromise<Outcome>& promise) {
        sim::RunOptions withCancel = options;
        withCancel.cancel = flag.get();
        promise.setProgressRange(0, 1000);
        withCancel.progress = [&promise](double done) { promise.setProgressValue(int(done * 1000)); };
        Outcome out;
        auto r = sim::run(scenario, withCancel);
        if (r) {
            out.result = std::move(*r);
        } else {
            out.error = r.error().message;
        }
        return out;
    };
    m_future = runAsync<Outcome>(this, tr("Simulating %1…").arg(scenario.id), std::move(work),
                                 [this, flag](const Outcome& outcome) {
                                     if (flag == m_cancelFlag) {
                                         showOutcome(outcome);
                                     }
                                 });
    // The progress dialog's Cancel cancels the future; the engine polls this flag.
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcherBase::canceled, this, [flag] { *flag = true; });
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, flag] {
        watcher->deleteLater();
        if (flag == m_cancelFlag && watcher->isCanceled()) {
            m_running = false;
            m_run->setEnabled(true);
            m_cancel->setEnabled(false);
            m_runState->setText(tr("Cancelled."));
            emit simulationFinished(false);
        }
    });
    watcher->setFuture(m_future);
}

void SimulatePane::cancel()
{
    if (!m_running) {
        return;
    }
    if (m_cancelFlag) {
        *m_cancelFlag = true;
    }
    m_future.cancel();
}

void SimulatePane::showOutcome(const Outcome& outcome)
{
    m_running = false;
    m_run->setEnabled(true);
    m_cancel->setEnabled(false);
    if (!outcome.result) {
        m_runState->setText(outcome.error);
        emit statusMessage(outcome.error);
        emit simulationFinished(false);
        return;
    }
    m_result = outcome.result;
    const sim::RunResult& r = *m_result;
    m_runState->setText(
        tr("%1: %L2 events, seed %3%4")
            .arg(r.scenarioId)
            .arg(r.events)
            .arg(r.seed)
            .arg(r.sets.isEmpty() ? QString() : tr(", --set %1").arg(r.sets.join(QStringLiteral(" --set ")))));

    std::vector<TimelineLane> lanes;
    for (const sim::LaneResult& lane : r.lanes) {
        TimelineLane row;
        row.title = QStringLiteral("%1 · %2").arg(lane.id).arg(lane.variant.isEmpty() ? lane.name : lane.variant);
        row.subtitle = lane.variant.isEmpty() ? QString() : lane.name;
        if (lane.stolen) {
            const QString exposure = tr("exposure %1").arg(exposureText(lane));
            row.subtitle = row.subtitle.isEmpty() ? exposure : row.subtitle + QLatin1Char('\n') + exposure;
        }
        for (const sim::TimelineInterval& in : lane.timeline.intervals) {
            const double s = double(in.startUs) / usPerS;
            const double e = double(in.endUs) / usPerS;
            if (in.kind == QLatin1String("exposure")) {
                TimelineShade shade{s, e, tr("exposure %1").arg(exposureText(lane)), in.label};
                if (lane.timeline.hasExposure) {
                    shade.tooltip = tr("Exposure window: %1\n%2")
                                        .arg(lane.timeline.exposure.formula, lane.timeline.exposure.explained);
                }
                row.shades.push_back(shade);
            } else if (in.kind == QLatin1String("credential")) {
                row.bars.push_back({s, e, in.label, in.label, {}, TimelineBar::Solid});
            } else if (in.kind == QLatin1String("outage")) {
                row.bars.push_back({s, e, in.label, in.label, QColor(0x8d, 0x6e, 0x63), TimelineBar::Alert});
            } else {
                row.bars.push_back({s, e, in.label, in.label, {}, TimelineBar::Alert});
            }
        }
        for (const sim::TimelineMarker& mk : lane.timeline.markers) {
            row.markers.push_back({double(mk.atUs) / usPerS, mk.kind, mk.label});
        }
        lanes.push_back(std::move(row));
    }
    m_timeline->setTitle(QStringLiteral("%1 %2").arg(r.scenarioId, r.title));
    m_timeline->setLanes(std::move(lanes));
    m_timeline->setTimeRange(double(r.startUs) / usPerS, double(r.endUs) / usPerS);
    m_timeline->setNow(double(r.startUs) / usPerS);
    nowMoved(m_timeline->now());

    rebuildSeriesPicker();
    rebuildCards();
    fitSplitter();
    const int previous = m_seqLane->currentIndex();
    {
        const QSignalBlocker block(m_seqLane);
        m_seqLane->clear();
        for (const sim::LaneResult& lane : r.lanes) {
            m_seqLane->addItem(QStringLiteral("%1 · %2").arg(lane.id).arg(lane.name));
        }
    }
    showSequenceOf(std::clamp(previous, 0, m_seqLane->count() - 1));
    emit simulationFinished(true);
}

void SimulatePane::rebuildCards()
{
    while (QLayoutItem* item = m_cardsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (!m_result) {
        return;
    }
    // One card per lane (a column), the metric names once on the left.
    const QStringList names = {tr("Exposure window"), tr("Accepted after revoke"), tr("Latency p50 / p99"),
                               tr("Bytes / request"), tr("Store ops/s")};
    for (int i = 0; i < names.size(); ++i) {
        auto* n = new QLabel(names[i], m_cards);
        n->setForegroundRole(QPalette::PlaceholderText);
        m_cardsLayout->addWidget(n, i + 1, 0);
    }
    QStringList used;
    int column = 1;
    for (const sim::LaneResult& lane : m_result->lanes) {
        QString key = QString(lane.id);
        if (used.contains(key)) {
            key += QString::number(used.size());
        }
        used.append(key);
        auto* card = new QFrame(m_cards);
        card->setObjectName(QStringLiteral("card_") + key);
        card->setFrameShape(QFrame::StyledPanel);
        card->setAutoFillBackground(true);
        card->setBackgroundRole(QPalette::Base);
        m_cardsLayout->addWidget(card, 0, column, names.size() + 1, 1);
        const QString full =
            QStringLiteral("%1 · %2").arg(lane.id).arg(lane.variant.isEmpty() ? lane.name : lane.variant);
        auto* title = new QLabel(m_cards);
        QFont tf = title->font();
        tf.setBold(true);
        title->setFont(tf);
        title->setText(QFontMetrics(tf).elidedText(full, Qt::ElideRight, 124));
        title->setToolTip(lane.name);
        title->setAlignment(Qt::AlignCenter);
        title->setContentsMargins(4, 3, 4, 0);
        m_cardsLayout->addWidget(title, 0, column);
        int row = 1;
        auto add = [&](const QString& metric, const QString& text, const QString& tip) {
            QLabel* v = valueLabel(QStringLiteral("metric_%1_%2").arg(key, metric), text, m_cards);
            v->setToolTip(tip);
            v->setAlignment(Qt::AlignCenter);
            v->setContentsMargins(4, 0, 4, row == names.size() ? 3 : 0);
            m_cardsLayout->addWidget(v, row, column);
            ++row;
        };
        add(QStringLiteral("exposure"), exposureText(lane),
            lane.timeline.hasExposure
                ? lane.timeline.exposure.formula + QLatin1Char('\n') + lane.timeline.exposure.explained
                : tr("Nothing was stolen from this lane."));
        add(QStringLiteral("accepted"), QString::number(lane.attackerAcceptedAfterKnown),
            tr("%1 of %2 attacker requests were accepted in all").arg(lane.attackerAccepted).arg(lane.attackerTries));
        add(QStringLiteral("latency"),
            QStringLiteral("%1 / %2 ms").arg(lane.p50Ms, 0, 'f', 3).arg(lane.p99Ms, 0, 'f', 3),
            tr("mean %1 ms").arg(lane.meanMs, 0, 'f', 3));
        add(QStringLiteral("bytes"), QStringLiteral("%1 B").arg(lane.bytesPerRequest),
            tr("credential %1 B; first request %2 B").arg(lane.credentialBytes).arg(lane.bytesFirstRequest));
        add(QStringLiteral("storeops"), QString::number(lane.storeOpsPerS(), 'f', 1),
            tr("%L1 store operations over %2 s").arg(lane.storeOps).arg(lane.windowS));
        ++column;
    }
    m_cardsLayout->setColumnStretch(column, 1);
    // Children added to a visible parent are shown later (queued); show them now so the size hint counts them.
    const QList<QWidget*> children = m_cards->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly);
    for (QWidget* w : children) {
        w->show();
    }
    m_cardsLayout->activate();
    m_cardsScroll->setMinimumHeight(m_cards->sizeHint().height() + 4 +
                                    (m_cards->sizeHint().width() > m_cardsScroll->viewport()->width()
                                         ? m_cardsScroll->horizontalScrollBar()->sizeHint().height()
                                         : 0));
}

QString SimulatePane::seriesMetric() const
{
    return m_seriesMetric->currentData().toString();
}

bool SimulatePane::selectSeries(const QString& name)
{
    const int index = m_seriesMetric->findData(name);
    if (index < 0) {
        return false;
    }
    m_seriesMetric->setCurrentIndex(index);
    return true;
}

void SimulatePane::rebuildSeriesPicker()
{
    const QString previous = seriesMetric();
    {
        const QSignalBlocker block(m_seriesMetric);
        m_seriesMetric->clear();
        for (const SeriesName& n : seriesNames) {
            const bool recorded = std::any_of(m_result->lanes.begin(), m_result->lanes.end(), [&](const auto& lane) {
                return std::any_of(lane.timeline.series.begin(), lane.timeline.series.end(),
                                   [&](const sim::MetricSeries& s) { return s.name == QLatin1String(n.key); });
            });
            if (recorded) {
                m_seriesMetric->addItem(tr(n.text), QLatin1String(n.key));
            }
        }
        // The denylist is what this chart is for; otherwise keep the reader's choice across runs.
        int index = m_seriesMetric->findData(QStringLiteral("denylist_size"));
        if (index < 0) {
            index = std::max(0, m_seriesMetric->findData(previous));
        }
        m_seriesMetric->setCurrentIndex(index);
    }
    showSeries();
}

void SimulatePane::showSeries()
{
    std::vector<SeriesRow> rows;
    const QString name = seriesMetric();
    if (m_result) {
        for (std::size_t i = 0; i < m_result->lanes.size(); ++i) {
            const sim::LaneResult& lane = m_result->lanes[i];
            for (const sim::MetricSeries& s : lane.timeline.series) {
                if (s.name != name) {
                    continue;
                }
                SeriesRow row;
                row.title =
                    QStringLiteral("%1 · %2").arg(lane.id).arg(lane.variant.isEmpty() ? lane.name : lane.variant);
                row.unit = s.unit;
                row.color = laneColor(i);
                row.points.reserve(s.points.size());
                for (const sim::SeriesPoint& p : s.points) {
                    row.points.emplace_back(double(p.atUs) / usPerS, p.value);
                }
                rows.push_back(std::move(row));
            }
        }
    }
    m_series->setRows(std::move(rows));
    m_series->setTitle(name.isEmpty() ? scenarioId()
                                      : QStringLiteral("%1 · %2").arg(scenarioId(), m_seriesMetric->currentText()));
    m_series->setViewRange(m_timeline->viewStart(), m_timeline->viewEnd());
    m_series->setNow(m_timeline->now());
}

void SimulatePane::showSequenceOf(int lane)
{
    if (!m_result || lane < 0 || std::size_t(lane) >= m_result->lanes.size()) {
        m_diagram->setMessages({}, {});
        return;
    }
    if (m_seqLane->currentIndex() != lane) {
        m_seqLane->setCurrentIndex(lane);
        return; // currentIndexChanged comes back here
    }
    const sim::LaneResult& l = m_result->lanes[std::size_t(lane)];
    std::vector<SequenceMessage> messages;
    for (const sim::SequenceStep& s : l.timeline.sequence) {
        messages.push_back({s.from, s.to, s.label, s.latencyMs});
    }
    m_diagram->setMessages(tr("One authenticated request — %1 · %2").arg(l.id).arg(l.name), std::move(messages));
}

void SimulatePane::fitSplitter()
{
    const int total = m_split->height();
    const int timelineHeight =
        std::min(m_timeline->sizeHint().height() + m_series->sizeHint().height() + 40, total * 3 / 5);
    const int cardsHeight = m_cardsScroll->minimumHeight();
    m_split->setSizes({timelineHeight, cardsHeight, std::max(total - timelineHeight - cardsHeight, 120)});
}

void SimulatePane::setPresentationMode(bool on)
{
    // The room goes to the pictures: the scenario form steps aside.
    m_controls->setVisible(!on);
    m_timeline->setPresentationMode(on);
    m_series->setPresentationMode(on);
    m_diagram->setPresentationMode(on);
    QFont cardsFont = font();
    if (on) {
        cardsFont.setPointSizeF(cardsFont.pointSizeF() * 1.35);
    }
    m_cards->setFont(cardsFont);
    rebuildCards();
    fitSplitter();
    if (m_presentation->isChecked() != on) {
        m_presentation->setChecked(on);
    }
}

void SimulatePane::setNowFromScrubber(int value)
{
    const double t =
        m_timeline->rangeStart() + (m_timeline->rangeEnd() - m_timeline->rangeStart()) * double(value) / scrubberSteps;
    m_timeline->setNow(t);
}

void SimulatePane::nowMoved(double now)
{
    const double span = m_timeline->rangeEnd() - m_timeline->rangeStart();
    const int pos = span > 0 ? int(std::lround((now - m_timeline->rangeStart()) / span * scrubberSteps)) : 0;
    {
        const QSignalBlocker block(m_scrubber);
        m_scrubber->setValue(std::clamp(pos, 0, scrubberSteps));
    }
    m_nowLabel->setText(TimelineView::timeText(now, TimelineView::TimeOfDay, 1));
}

void SimulatePane::stepToNextEvent()
{
    const double now = m_timeline->now();
    double next = m_timeline->rangeEnd();
    for (const TimelineLane& lane : m_timeline->lanes()) {
        for (const TimelineMarker& mk : lane.markers) {
            if (mk.at > now + 1e-6) {
                next = std::min(next, mk.at);
            }
        }
        for (const TimelineShade& s : lane.shades) {
            for (const double t : {s.start, s.end}) {
                if (t > now + 1e-6) {
                    next = std::min(next, t);
                }
            }
        }
    }
    m_timeline->setNow(next);
}

void SimulatePane::tick()
{
    const double span = m_timeline->rangeEnd() - m_timeline->rangeStart();
    const double next = m_timeline->now() + span / 400;
    if (next >= m_timeline->rangeEnd()) {
        m_timeline->setNow(m_timeline->rangeEnd());
        m_play->setChecked(false);
        return;
    }
    m_timeline->setNow(next);
}

namespace {

QString exportPath(QWidget* parent, const QString& caption, const QString& suggested)
{
    QString path =
        FileDialog::saveFileName(parent, caption, suggested, QObject::tr("PNG image (*.png);;SVG image (*.svg)"));
    if (!path.isEmpty() && QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".png");
    }
    return path;
}

} // namespace

void SimulatePane::exportTimeline()
{
    const QString path = exportPath(this, tr("Export the timeline"), scenarioId() + QStringLiteral("-timeline.png"));
    if (path.isEmpty()) {
        return;
    }
    const bool svg = QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0;
    const bool ok = svg ? m_timeline->exportSvg(path) : m_timeline->exportPng(path);
    emit statusMessage(ok ? tr("Exported the timeline to %1.").arg(path) : tr("Could not write %1.").arg(path));
}

void SimulatePane::exportDiagram()
{
    const QString path =
        exportPath(this, tr("Export the sequence diagram"), scenarioId() + QStringLiteral("-sequence.png"));
    if (path.isEmpty()) {
        return;
    }
    const bool svg = QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0;
    const bool ok = svg ? m_diagram->exportSvg(path) : m_diagram->exportPng(path);
    emit statusMessage(ok ? tr("Exported the diagram to %1.").arg(path) : tr("Could not write %1.").arg(path));
}

void SimulatePane::exportSeries()
{
    const QString metric = seriesMetric().isEmpty() ? QStringLiteral("series") : seriesMetric();
    const QString path =
        exportPath(this, tr("Export the metric charts"), QStringLiteral("%1-%2.png").arg(scenarioId(), metric));
    if (path.isEmpty()) {
        return;
    }
    const bool svg = QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0;
    const bool ok = svg ? m_series->exportSvg(path) : m_series->exportPng(path);
    emit statusMessage(ok ? tr("Exported the metric charts to %1.").arg(path) : tr("Could not write %1.").arg(path));
}

void SimulatePane::showEvent(QShowEvent* event)
{
    PaneBase::showEvent(event);
    if (!m_result && !m_running && m_scenario) {
        run();
    }
}

} // namespace tb::ui
