#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>

#include "Workspace.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "panes/simulate/SimulatePane.h"
#include "panes/timeline/TimelinePane.h"
#include "sim/Engine.h"
#include "sim/Scenario.h"
#include "support/FileDialog.h"
#include "widgets/SequenceDiagram.h"
#include "widgets/SeriesChart.h"
#include "widgets/TimelineView.h"

using namespace tb;
using tb::ui::SequenceDiagram;
using tb::ui::SeriesChart;
using tb::ui::SimulatePane;
using tb::ui::TimelinePane;
using tb::ui::TimelineView;

namespace {

constexpr double kIat = 1'000'000'000;

QByteArray tokenWith(const QByteArray& payload)
{
    const auto key = keys::secretKey(QByteArrayLiteral("a-test-secret-of-at-least-32-bytes!!"));
    return *jose::signCompact(jose::Alg::HS256, key.get(), QByteArrayLiteral("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"),
                              payload);
}

QByteArray timedToken(double iat, std::optional<double> nbf, double exp, const QByteArray& sub)
{
    QByteArray payload = "{\"sub\":\"" + sub + "\",\"iat\":" + QByteArray::number(qint64(iat));
    if (nbf) {
        payload += ",\"nbf\":" + QByteArray::number(qint64(*nbf));
    }
    payload += ",\"exp\":" + QByteArray::number(qint64(exp)) + ",\"jti\":\"" + sub + "-1\"}";
    return tokenWith(payload);
}

QString metric(const QWidget& pane, const QString& lane, const char* name)
{
    const auto* label = pane.findChild<QLabel*>(QStringLiteral("metric_%1_%2").arg(lane, QLatin1String(name)));
    return label ? label->text() : QStringLiteral("<missing>");
}

bool runPane(SimulatePane& pane)
{
    QSignalSpy spy(&pane, &SimulatePane::simulationFinished);
    pane.run();
    if (!spy.wait(60000)) {
        return false;
    }
    return spy.first().first().toBool();
}

} // namespace

class TestSimulateUi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        Q_INIT_RESOURCE(tokenbench_ui);
        QStandardPaths::setTestModeEnabled(true);
    }

    void timelineGeometryForKnownInputs()
    {
        QCOMPARE(TimelineView::timeToX(450, 0, 900, 100, 1000), 550.0);
        QCOMPARE(TimelineView::timeToX(0, 0, 900, 100, 1000), 100.0);
        QCOMPARE(TimelineView::xToTime(550, 0, 900, 100, 1000), 450.0);
        const TimelineView::Metrics m = TimelineView::metricsFor(false);
        QCOMPARE(TimelineView::laneTop(0, m), m.axisHeight);
        QCOMPARE(TimelineView::laneTop(2, m), m.axisHeight + 2 * m.laneHeight);
        QCOMPARE(TimelineView::tickStep(1800, 1000, 95), 300.0);
        QCOMPARE(TimelineView::tickStep(60, 1000, 95), 10.0);
        QCOMPARE(TimelineView::timeText(7200, TimelineView::TimeOfDay, 300), QStringLiteral("02:00"));
        QCOMPARE(TimelineView::timeText(7265, TimelineView::TimeOfDay, 1), QStringLiteral("02:01:05"));
        QCOMPARE(TimelineView::timeText(kIat, TimelineView::UtcDateTime, 1), QStringLiteral("01:46:40"));

        // 02:00-02:30 over a 1210 px widget: the plot runs from x 190 to 1190, 1000 px for 1800 s.
        TimelineView view;
        view.resize(1210, 300);
        view.setTimeRange(7200, 9000);
        QCOMPARE(view.plotLeft(), 190.0);
        QCOMPARE(view.plotRight(), 1190.0);
        QCOMPARE(view.xForTime(7200), 190.0);
        QCOMPARE(view.xForTime(8100), 690.0);
        QCOMPARE(view.xForTime(9000), 1190.0);
        QCOMPARE(view.timeForX(440), 7650.0);

        ui::TimelineLane lane;
        lane.title = QStringLiteral("B · JWT only");
        lane.bars.push_back({7200, 8100, QStringLiteral("access token"), {}, {}, ui::TimelineBar::Solid});
        lane.shades.push_back({7200, 8100, QStringLiteral("exposure 900 s"), QStringLiteral("exp − known")});
        lane.markers.push_back({7200, QStringLiteral("compromise"), QStringLiteral("stolen")});
        view.setLanes({lane});
        const QRectF bar = *view.barRect(0, 0);
        QCOMPARE(bar.left(), 190.0);
        QCOMPARE(bar.right(), 690.0);
        QCOMPARE(bar.top(), m.axisHeight + 0.30 * m.laneHeight);
        QVERIFY(!view.barRect(0, 1));
        QVERIFY(!view.barRect(1, 0));
        QCOMPARE(view.laneAt(m.axisHeight + 1), 0);
        QCOMPARE(view.laneAt(m.axisHeight - 1), -1);
        QCOMPARE(view.toolTipAt(QPointF(600, m.axisHeight + 0.9 * m.laneHeight)), QStringLiteral("exp − known"));
        QVERIFY(view.toolTipAt(QPointF(190, m.axisHeight + 5)).contains(QStringLiteral("stolen")));

        // Zoom keeps the anchor in place; pan shifts the view; the range stays.
        view.zoom(2, 8100);
        QCOMPARE(view.viewStart(), 7650.0);
        QCOMPARE(view.viewEnd(), 8550.0);
        QCOMPARE(view.xForTime(8100), 690.0);
        view.pan(100);
        QCOMPARE(view.viewStart(), 7750.0);
        view.fitView();
        QCOMPARE(view.viewStart(), 7200.0);
        QCOMPARE(view.viewEnd(), 9000.0);

        QSignalSpy nowSpy(&view, &TimelineView::nowChanged);
        view.setNow(7500);
        QCOMPARE(nowSpy.count(), 1);
        // Presentation mode: larger rows, same time mapping rule.
        view.setPresentationMode(true);
        const TimelineView::Metrics big = TimelineView::metricsFor(true);
        QVERIFY(big.laneHeight > m.laneHeight);
        QCOMPARE(view.xForTime(7200), big.labelWidth);
    }

    void timelineMouseAndKeys()
    {
        TimelineView view;
        view.resize(1210, 300);
        view.setTimeRange(7200, 9000); // 1000 px for 1800 s from x 190
        view.setNow(7200);
        // The wheel zooms around the pointer: 02:15 (x 690) stays put.
        QWheelEvent wheel(QPointF(690, 100), view.mapToGlobal(QPointF(690, 100)), QPoint(), QPoint(0, 120),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QCOMPARE(view.viewStart(), 8100 - 900 / 1.25);
        QCOMPARE(view.viewEnd(), 8100 + 900 / 1.25);
        QCOMPARE(view.xForTime(8100), 690.0);
        // Dragging the plot pans; dragging the now line moves now.
        view.fitView();
        QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(500, 100));
        QTest::mouseMove(&view, QPoint(400, 100));
        QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(400, 100));
        QCOMPARE(view.viewStart(), 7200 + 100 * 1.8);
        view.fitView();
        QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(190, 100));
        QTest::mouseMove(&view, QPoint(690, 100));
        QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(690, 100));
        QCOMPARE(view.now(), 8100.0);
        QCOMPARE(view.viewStart(), 7200.0);
        QTest::keyClick(&view, Qt::Key_Period);
        QCOMPARE(view.now(), 8118.0);
        QTest::keyClick(&view, Qt::Key_Plus);
        QCOMPARE(view.viewEnd() - view.viewStart(), 1800 / 1.25);
        QTest::keyClick(&view, Qt::Key_Home);
        QCOMPARE(view.viewStart(), 7200.0);
    }

    void simulatorS1MatchesTheCli()
    {
        ui::Workspace ws;
        SimulatePane pane(&ws);
        pane.resize(1360, 860);
        QVERIFY(pane.selectScenario(QStringLiteral("S1")));
        QVERIFY(pane.parameterSets().isEmpty());
        QVERIFY(runPane(pane));
        // simulate --builtin S1: A 0 s, B 900 s, C 5 s (the headline case of issue 6).
        QCOMPARE(metric(pane, QStringLiteral("A"), "exposure"), QStringLiteral("0 s"));
        QCOMPARE(metric(pane, QStringLiteral("B"), "exposure"), QStringLiteral("900 s"));
        QCOMPARE(metric(pane, QStringLiteral("C"), "exposure"), QStringLiteral("5 s"));
        QCOMPARE(metric(pane, QStringLiteral("B"), "accepted"), QStringLiteral("900"));
        QCOMPARE(metric(pane, QStringLiteral("A"), "accepted"), QStringLiteral("0"));
        QCOMPARE(metric(pane, QStringLiteral("A"), "bytes"), QStringLiteral("41 B"));
        QCOMPARE(metric(pane, QStringLiteral("B"), "bytes"), QStringLiteral("827 B"));
        QCOMPARE(metric(pane, QStringLiteral("B"), "storeops"), QStringLiteral("0.0"));

        // Every card against the engine the CLI runs, same seed.
        const auto scenario = sim::parseScenario(*sim::builtinScenarioBytes(QStringLiteral("S1")));
        QVERIFY(scenario.has_value());
        const auto direct = sim::run(*scenario, sim::RunOptions{});
        QVERIFY(direct.has_value());
        QCOMPARE(pane.result()->lanes.size(), direct->lanes.size());
        for (const sim::LaneResult& lane : direct->lanes) {
            const QString id(lane.id);
            QCOMPARE(metric(pane, id, "exposure"),
                     QString::number(lane.exposureWindowS, 'g', 10) + QStringLiteral(" s"));
            QCOMPARE(metric(pane, id, "accepted"), QString::number(lane.attackerAcceptedAfterKnown));
            QCOMPARE(metric(pane, id, "latency"),
                     QStringLiteral("%1 / %2 ms").arg(lane.p50Ms, 0, 'f', 3).arg(lane.p99Ms, 0, 'f', 3));
            QCOMPARE(metric(pane, id, "storeops"), QString::number(lane.storeOpsPerS(), 'f', 1));
        }

        // The lanes side by side, the exposure shaded with its formula.
        TimelineView* view = pane.timelineView();
        QCOMPARE(view->lanes().size(), std::size_t(6));
        QCOMPARE(view->rangeStart(), 7200.0);
        QCOMPARE(view->rangeEnd(), 9000.0);
        const ui::TimelineLane& b = view->lanes()[1];
        QCOMPARE(b.shades.size(), std::size_t(1));
        QCOMPARE(b.shades[0].start, 7200.0);
        QCOMPARE(b.shades[0].end, 8100.0);
        QVERIFY(b.shades[0].tooltip.contains(QStringLiteral("exp + leeway_s")));

        // One request per lane: A goes to the store.
        pane.showSequenceOf(0);
        QVERIFY(pane.sequenceDiagram()->participants().contains(QStringLiteral("Store")));
        pane.showSequenceOf(1);
        QVERIFY(!pane.sequenceDiagram()->participants().contains(QStringLiteral("Store")));

        // --set detection_delay_s=300: B's window shrinks to exp - known = 600 s; C stays at the propagation.
        QVERIFY(pane.setParameter(QStringLiteral("detection_delay_s"), QStringLiteral("300")));
        QCOMPARE(pane.parameterSets(), QStringList{QStringLiteral("detection_delay_s=300")});
        QVERIFY(runPane(pane));
        QCOMPARE(metric(pane, QStringLiteral("B"), "exposure"), QStringLiteral("600 s"));
        QCOMPARE(metric(pane, QStringLiteral("C"), "exposure"), QStringLiteral("5 s"));
        QCOMPARE(metric(pane, QStringLiteral("A"), "exposure"), QStringLiteral("0 s"));

        // A preset is a --set too, applied first; the form shows its values (simulate --set preset=keycloak).
        QVERIFY(pane.setParameter(QStringLiteral("detection_delay_s"), QStringLiteral("0")));
        QVERIFY(pane.setParameter(QStringLiteral("preset"), QStringLiteral("keycloak")));
        QCOMPARE(pane.parameterSets(), QStringList{QStringLiteral("preset=keycloak")});
        auto* lifetime = pane.findChild<QDoubleSpinBox*>(QStringLiteral("param_access_token_lifetime_s"));
        QVERIFY(lifetime);
        QCOMPARE(lifetime->value(), 300.0);
        QVERIFY(runPane(pane));
        QCOMPARE(metric(pane, QStringLiteral("B"), "exposure"), QStringLiteral("300 s"));
        QCOMPARE(metric(pane, QStringLiteral("D"), "storeops"), QStringLiteral("6.7"));
        QCOMPARE(metric(pane, QStringLiteral("E"), "storeops"), QStringLiteral("101.0"));
    }

    void seriesChartGeometryForKnownInputs()
    {
        QCOMPARE(SeriesChart::niceCeiling(0), 1.0);
        QCOMPARE(SeriesChart::niceCeiling(1), 1.0);
        QCOMPARE(SeriesChart::niceCeiling(3), 5.0);
        QCOMPARE(SeriesChart::niceCeiling(10), 10.0);
        QCOMPARE(SeriesChart::niceCeiling(125), 200.0);
        const SeriesChart::Metrics m = SeriesChart::metricsFor(false);
        // The same label column and right margin as the timeline: one x axis for both.
        QCOMPARE(m.labelWidth, TimelineView::metricsFor(false).labelWidth);
        QCOMPARE(m.rightMargin, TimelineView::metricsFor(false).rightMargin);
        // A 48 px row with 7 px padding: 0 at y 41, the ceiling at y 7, 3 of 5 at 41 - 0.6 x 34 = 20.6.
        QCOMPARE(SeriesChart::valueToY(0, 5, 0, m), 41.0);
        QCOMPARE(SeriesChart::valueToY(5, 5, 0, m), 7.0);
        QCOMPARE(SeriesChart::valueToY(3, 5, 0, m), 20.6);
        QCOMPARE(SeriesChart::valueToY(3, 5, 48, m), 68.6);
        ui::SeriesRow row{QStringLiteral("C"), QStringLiteral("entries"), {{100, 0}, {200, 3}, {300, 1}}, {}};
        QVERIFY(!SeriesChart::valueAt(row, 99));
        QCOMPARE(*SeriesChart::valueAt(row, 100), 0.0);
        QCOMPARE(*SeriesChart::valueAt(row, 250), 3.0);
        QCOMPARE(*SeriesChart::valueAt(row, 1000), 1.0);

        // 1210 px wide, 0-400 s: the plot runs from x 190 to 1190 (2.5 px a second).
        SeriesChart chart;
        chart.resize(1210, 100);
        chart.setViewRange(0, 400);
        chart.setRows({row, row});
        QCOMPARE(chart.height(), 2 * 48 + 2);
        QCOMPARE(chart.ceilingOf(0), 5.0);
        QCOMPARE(*chart.pointPos(0, 1), QPointF(690, 20.6));
        QCOMPARE(*chart.pointPos(1, 2), QPointF(940, 48 + 41 - 0.2 * 34));
        QVERIFY(!chart.pointPos(2, 0));
        QCOMPARE(chart.toolTipAt(QPointF(815, 60)), QStringLiteral("C — 00:04:10: 3 entries"));
        QVERIFY(chart.toolTipAt(QPointF(100, 10)).isEmpty());
    }

    void simulatorShowsTheSeriesAfterARun()
    {
        ui::Workspace ws;
        SimulatePane pane(&ws);
        pane.resize(1360, 860);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QVERIFY(pane.selectScenario(QStringLiteral("S1")));
        QVERIFY(runPane(pane));
        // S1: lane C denylists the stolen token at 02:00:00; the entry lives to its exp, 02:15:00. Samples every
        // 1800 s / 100 = 18 s from 02:00:18: 49 samples before 02:15:00 count 1 entry, the 50 from then on 0.
        QCOMPARE(pane.seriesMetric(), QStringLiteral("denylist_size"));
        SeriesChart* chart = pane.seriesChart();
        QVERIFY(chart->isVisible());
        QCOMPARE(chart->rows().size(), std::size_t(1));
        const ui::SeriesRow& c = chart->rows()[0];
        QCOMPARE(c.title, QStringLiteral("C · JWT + denylist"));
        QCOMPARE(c.unit, QStringLiteral("entries"));
        QCOMPARE(c.points.size(), std::size_t(99));
        for (std::size_t k = 0; k < c.points.size(); ++k) {
            QCOMPARE(c.points[k], QPointF(7200 + 18.0 * double(k + 1), k < 49 ? 1 : 0));
        }
        // Drawn on the timeline's axis: the same x for the same time; 1 is the top of its scale (y 7), 0 the
        // baseline (y 41).
        TimelineView* view = pane.timelineView();
        QCOMPARE(chart->width(), view->width());
        QCOMPARE(chart->xForTime(8100), view->xForTime(8100));
        QCOMPARE(chart->pointPos(0, 0)->x(), view->xForTime(7218));
        QCOMPARE(chart->pointPos(0, 0)->y(), 7.0);
        QCOMPARE(chart->pointPos(0, 49)->y(), 41.0);
        // It follows now and the zoom.
        view->setNow(7200 + 600);
        QCOMPARE(*SeriesChart::valueAt(c, view->now()), 1.0);
        QCOMPARE(chart->toolTipAt(QPointF(view->xForTime(8400), 20)),
                 QStringLiteral("C · JWT + denylist — 02:20:00: 0 entries"));
        view->zoom(2, 8100);
        QCOMPARE(chart->xForTime(7650), view->xForTime(7650));

        // Another metric: every lane records its store load; the rows carry the engine's numbers.
        auto* picker = pane.findChild<QComboBox*>(QStringLiteral("seriesMetric"));
        QVERIFY(picker);
        QCOMPARE(picker->itemData(0).toString(), QStringLiteral("denylist_size"));
        picker->setCurrentIndex(picker->findData(QStringLiteral("store_ops_per_s")));
        QCOMPARE(chart->rows().size(), pane.result()->lanes.size());
        for (std::size_t i = 0; i < chart->rows().size(); ++i) {
            const auto& lane = pane.result()->lanes[i];
            const auto s =
                std::find_if(lane.timeline.series.begin(), lane.timeline.series.end(),
                             [](const sim::MetricSeries& m) { return m.name == QLatin1String("store_ops_per_s"); });
            QVERIFY(s != lane.timeline.series.end());
            QCOMPARE(chart->rows()[i].points.size(), s->points.size());
            QCOMPARE(chart->rows()[i].points.back().y(), s->points.back().value);
        }
        QVERIFY(!pane.selectSeries(QStringLiteral("nonsense")));
        QVERIFY(pane.selectSeries(QStringLiteral("denylist_size")));
        QCOMPARE(chart->rows().size(), std::size_t(1));
    }

    void scrubberAndStepMoveNow()
    {
        ui::Workspace ws;
        SimulatePane pane(&ws);
        QVERIFY(pane.selectScenario(QStringLiteral("S2")));
        QVERIFY(runPane(pane));
        TimelineView* view = pane.timelineView();
        QCOMPARE(view->now(), view->rangeStart());
        auto* scrubber = pane.findChild<QWidget*>(QStringLiteral("scrubber"));
        QVERIFY(scrubber);
        QMetaObject::invokeMethod(scrubber, "setValue", Q_ARG(int, 500));
        QCOMPARE(view->now(), (view->rangeStart() + view->rangeEnd()) / 2);
        view->setNow(view->rangeStart());
        auto* step = pane.findChild<QWidget*>(QStringLiteral("step"));
        QVERIFY(step);
        QMetaObject::invokeMethod(step, "click");
        QVERIFY(view->now() > view->rangeStart());
        QVERIFY(view->now() <= view->rangeEnd());
    }

    void everyBuiltinScenarioRunsInThePane()
    {
        ui::Workspace ws;
        SimulatePane pane(&ws);
        for (const sim::BuiltinInfo& info : sim::builtinScenarios()) {
            QVERIFY(pane.selectScenario(info.id));
            QVERIFY2(runPane(pane), qPrintable(info.id));
            QCOMPARE(pane.result()->scenarioId, info.id);
            QCOMPARE(pane.timelineView()->lanes().size(), pane.result()->lanes.size());
            for (const ui::TimelineLane& lane : pane.timelineView()->lanes()) {
                for (const ui::TimelineShade& shade : lane.shades) {
                    QVERIFY(shade.end >= shade.start);
                }
            }
            QVERIFY(!pane.findChildren<QLabel*>(QStringLiteral("metric_A_exposure")).isEmpty() ||
                    pane.result()->lanes.front().id != QLatin1Char('A'));
        }
    }

    void aLargeRunCanBeCancelled()
    {
        ui::Workspace ws;
        SimulatePane pane(&ws);
        QVERIFY(pane.selectScenario(QStringLiteral("S1")));
        // 10 million users for 30 minutes: about 1.8e9 events, minutes of work.
        QVERIFY(pane.setParameter(QStringLiteral("users"), QStringLiteral("10000000")));
        QSignalSpy spy(&pane, &SimulatePane::simulationFinished);
        pane.run();
        QVERIFY(pane.isRunning());
        QTest::qWait(200);
        pane.cancel();
        QVERIFY(spy.wait(20000));
        QCOMPARE(spy.first().first().toBool(), false);
        QVERIFY(!pane.isRunning());
        QVERIFY(!pane.result().has_value());
    }

    void exportsAreValidPngAndSvg()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ui::Workspace ws;
        SimulatePane pane(&ws);
        QVERIFY(pane.selectScenario(QStringLiteral("S1")));
        QVERIFY(runPane(pane));
        TimelineView* view = pane.timelineView();
        view->resize(1000, 450);
        const QString png = dir.filePath(QStringLiteral("t.png"));
        QVERIFY(view->exportPng(png));
        QImage image;
        QVERIFY(image.load(png, "PNG"));
        QCOMPARE(image.size(), QSize(1000, 450));
        const QString svg = dir.filePath(QStringLiteral("t.svg"));
        QVERIFY(view->exportSvg(svg));
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.startsWith("<?xml"));
        QVERIFY(text.contains("<svg"));
        QVERIFY(text.contains("width=\"1000\""));

        SequenceDiagram* diagram = pane.sequenceDiagram();
        diagram->resize(800, 300);
        const QString dpng = dir.filePath(QStringLiteral("d.png"));
        QVERIFY(diagram->exportPng(dpng));
        QVERIFY(image.load(dpng, "PNG"));
        QCOMPARE(image.size(), QSize(800, 300));
        const QString dsvg = dir.filePath(QStringLiteral("d.svg"));
        QVERIFY(diagram->exportSvg(dsvg));
        QFile g(dsvg);
        QVERIFY(g.open(QIODevice::ReadOnly));
        const QByteArray dtext = g.readAll();
        QVERIFY(dtext.startsWith("<?xml"));
        QVERIFY(dtext.contains("<svg"));

        // Presentation mode exports too, and the export is not the widget's look only.
        view->setPresentationMode(true);
        QVERIFY(view->exportPng(png, QSize(1600, 900)));
        QVERIFY(image.load(png, "PNG"));
        QCOMPARE(image.size(), QSize(1600, 900));
        QCOMPARE(image.pixelColor(5, 5), QColor(Qt::white));
    }

    void seriesChartsExportThroughTheDialog()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        ui::Workspace ws;
        SimulatePane pane(&ws);
        QVERIFY(pane.selectScenario(QStringLiteral("S1")));
        QVERIFY(runPane(pane));
        QVERIFY(pane.selectSeries(QStringLiteral("store_ops_per_s")));
        SeriesChart* chart = pane.seriesChart();
        chart->resize(1000, chart->sizeHint().height());
        QCOMPARE(chart->title(), QStringLiteral("S1 · Store ops/s"));
        auto* button = pane.findChild<QToolButton*>(QStringLiteral("exportSeries"));
        QVERIFY(button);
        QSignalSpy status(&pane, &ui::PaneBase::statusMessage);

        // PNG: the picked path; the title, one row per lane and the time axis (its height from the font).
        const QString png = dir.filePath(QStringLiteral("chart.png"));
        ui::FileDialog::setNextFileName(png);
        button->click();
        QCOMPARE(ui::FileDialog::lastSuggested(), QStringLiteral("S1-store_ops_per_s.png"));
        QCOMPARE(status.takeLast().at(0).toString(), QStringLiteral("Exported the metric charts to %1.").arg(png));
        QImage image;
        QVERIFY(image.load(png, "PNG"));
        const double lineHeight = QFontMetricsF(chart->font()).height();
        const int rows = int(chart->rows().size());
        QCOMPARE(rows, int(pane.result()->lanes.size()));
        QCOMPARE(image.size(),
                 QSize(1000, int(std::ceil(lineHeight * 1.8 + rows * chart->metrics().rowHeight + lineHeight * 2.8))));
        QCOMPARE(image.size(), chart->exportSize());

        // SVG: the same picture as text: the title, each lane's name, the axis caption and a tick label.
        const QString svg = dir.filePath(QStringLiteral("chart.svg"));
        ui::FileDialog::setNextFileName(svg);
        button->click();
        QCOMPARE(status.takeLast().at(0).toString(), QStringLiteral("Exported the metric charts to %1.").arg(svg));
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QVERIFY(text.startsWith(QStringLiteral("<?xml")));
        QVERIFY(text.contains(QStringLiteral("<title>S1 · Store ops/s</title>")));
        QVERIFY(text.contains(QStringLiteral(">S1 · Store ops/s<")));
        // Lane names as on screen: elided to the label column the rows share with the timeline.
        QFont bold = chart->font();
        bold.setBold(true);
        for (const ui::SeriesRow& row : chart->rows()) {
            const QString shown =
                QFontMetricsF(bold).elidedText(row.title, Qt::ElideRight, chart->metrics().labelWidth - 14);
            QVERIFY2(text.contains(QStringLiteral(">%1<").arg(shown.toHtmlEscaped())), qPrintable(shown));
        }
        QVERIFY(text.contains(QStringLiteral(">C · JWT + denylist<")));
        QVERIFY(text.contains(QStringLiteral(">simulated time<")));
        QVERIFY(text.contains(QStringLiteral(">02:15<"))); // S1 denylists at 02:00, the entry expires at 02:15

        // A path without a suffix gets .png; cancelling writes nothing.
        ui::FileDialog::setNextFileName(dir.filePath(QStringLiteral("bare")));
        button->click();
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("bare.png"))));
        const int before = int(QDir(dir.path()).entryList(QDir::Files).size());
        ui::FileDialog::setNextFileName(QString());
        button->click();
        QCOMPARE(int(QDir(dir.path()).entryList(QDir::Files).size()), before);
    }

    void timelinePaneShowsWorkspaceTokens()
    {
        ui::Workspace ws;
        ws.setNowOverride(kIat + 300);
        ws.setCurrentToken(timedToken(kIat, std::nullopt, kIat + 900, "alice"));
        TimelinePane pane(&ws);
        TimelineView* view = pane.timelineView();
        view->resize(1200, 300);
        QCOMPARE(view->lanes().size(), std::size_t(1));
        // The tokens (iat .. exp) plus a 10 % margin (90 s): [iat - 90, exp + 90].
        QCOMPARE(view->viewStart(), kIat - 90);
        QCOMPARE(view->viewEnd(), kIat + 990);
        QCOMPARE(view->now(), kIat + 300);
        // exp at x = 190 + (990 / 1080) * 990 = 1097.5 in a 1200 px view (plot 190 .. 1180).
        const QRectF valid = *view->barRect(0, 0);
        QCOMPARE(valid.right(), 1097.5);
        QCOMPARE(valid.left(), 190.0 + 90.0 * 990.0 / 1080.0);
        // The leeway band after exp (60 s by default).
        const auto& bars = view->lanes()[0].bars;
        QVERIFY(std::any_of(bars.begin(), bars.end(), [](const ui::TimelineBar& b) {
            return b.style == ui::TimelineBar::Band && b.start == kIat + 900 && b.end == kIat + 960;
        }));
        auto* states = pane.findChild<QLabel*>(QStringLiteral("timelineStates"));
        QVERIFY(states->text().contains(QStringLiteral("valid, expires in 10 min")));

        // A second token joins (most recent first) once the pane is on screen: hidden panes refresh when shown;
        // a revocation mark adds a shaded "still verifies" window.
        ws.setCurrentToken(timedToken(kIat - 600, kIat - 300, kIat + 300, "bob"));
        QCOMPARE(view->lanes().size(), std::size_t(1));
        pane.show();
        QCOMPARE(view->lanes().size(), std::size_t(2));
        pane.markRevokedAtNow(0);
        const ui::TimelineLane& first = view->lanes()[0];
        QVERIFY(std::any_of(first.markers.begin(), first.markers.end(),
                            [](const ui::TimelineMarker& m) { return m.kind == QLatin1String("revocation"); }));
        QCOMPARE(first.shades.size(), std::size_t(1));

        view->setNow(kIat + 1000);
        QVERIFY(states->text().contains(QStringLiteral("expired")));
        pane.setLeeway(0);
        QCOMPARE(view->lanes()[1].bars.size(), std::size_t(1)); // alice: the valid span only
        QCOMPARE(view->lanes()[0].bars.size(), std::size_t(2)); // bob: valid, and iat -> nbf
    }

    void screenshots()
    {
        // With TB_SCREENSHOT_DIR set, renders the two panes the way docs/screenshots shows them.
        const QString dir = qEnvironmentVariable("TB_SCREENSHOT_DIR");
        if (dir.isEmpty()) {
            QSKIP("TB_SCREENSHOT_DIR not set");
        }
        QDir().mkpath(dir);
        ui::Workspace ws;
        const double now = 1772443800; // 2026-03-02 09:30 UTC, as the main window's sample data
        ws.setNowOverride(now);
        ws.setCurrentToken(timedToken(now - 1800, now - 1800, now - 900, "user-4711-old"));
        ws.setCurrentToken(timedToken(now - 900, std::nullopt, now + 2700, "id-token"));
        ws.setCurrentToken(timedToken(now - 300, now - 300, now + 600, "user-4711"));
        {
            SimulatePane pane(&ws);
            pane.resize(1360, 860);
            pane.show();
            QVERIFY(QTest::qWaitForWindowExposed(&pane));
            QVERIFY(pane.selectScenario(QStringLiteral("S1")));
            QVERIFY(runPane(pane));
            pane.timelineView()->setNow(7200 + 300);
            pane.showSequenceOf(2);
            QApplication::processEvents();
            QVERIFY(pane.grab().save(QDir(dir).filePath(QStringLiteral("simulate.png"))));
            QVERIFY(pane.timelineView()->exportSvg(QDir(dir).filePath(QStringLiteral("simulate-timeline.svg"))));
            pane.setPresentationMode(true);
            QApplication::processEvents();
            QVERIFY(pane.grab().save(QDir(dir).filePath(QStringLiteral("simulate-presentation-pane.png"))));
            QVERIFY(pane.timelineView()->exportPng(QDir(dir).filePath(QStringLiteral("simulate-presentation.png")),
                                                   QSize(1600, 900)));
            QVERIFY(pane.sequenceDiagram()->exportPng(QDir(dir).filePath(QStringLiteral("sequence-presentation.png")),
                                                      QSize(1600, 600)));
        }
        {
            TimelinePane pane(&ws);
            pane.resize(1360, 860);
            pane.show();
            QVERIFY(QTest::qWaitForWindowExposed(&pane));
            pane.timelineView()->setNow(now - 120);
            pane.markRevokedAtNow(0);
            pane.timelineView()->setNow(now);
            QApplication::processEvents();
            QVERIFY(pane.grab().save(QDir(dir).filePath(QStringLiteral("timeline.png"))));
        }
    }
};

QTEST_MAIN(TestSimulateUi)
#include "tst_ui_simulate.moc"
