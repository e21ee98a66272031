#pragma once

#include "panes/PaneBase.h"
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include <QFuture>
#include <QIcon>
#include <QWidget>

#include "sim/Engine.h"
#include "sim/Scenario.h"

class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QSlider;
class QSpinBox;
class QSplitter;
class QTimer;
class QToolButton;
class QWidget;

namespace tb::ui {

class SeriesChart;
class SequenceDiagram;
class TimelineView;
class Workspace;

// Simulator: pick a built-in scenario (S1..S18), adjust its main parameters (core's --set), run it off the
// GUI thread, and read the lanes side by side: timeline with shaded exposure windows, metric cards, a
// sequence diagram of one request per lane, play/pause/step and a scrubber for "now".
class SimulatePane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimulatePane)

public:
    struct Outcome
    {
        std::optional<sim::RunResult> result;
        QString error;
    };

    explicit SimulatePane(Workspace* workspace, QWidget* parent = nullptr);
    ~SimulatePane() override;

    void prepareScreenshot() override;

    static QIcon navIcon();

    // Selects a built-in scenario by id ("S1"); false when unknown.
    bool selectScenario(const QString& id);
    [[nodiscard]] QString scenarioId() const;
    // Sets a form parameter by its core key ("detection_delay_s"); false when the form has no such field.
    bool setParameter(const QString& key, const QString& value);
    // The --set assignments the form differs from the scenario by.
    [[nodiscard]] QStringList parameterSets() const;
    // Starts a run (cancelling one in flight); simulationFinished reports the end.
    void run();
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] const std::optional<sim::RunResult>& result() const { return m_result; }
    [[nodiscard]] TimelineView* timelineView() const { return m_timeline; }
    [[nodiscard]] SequenceDiagram* sequenceDiagram() const { return m_diagram; }
    // The metric series under the timeline: one small chart per lane that records the chosen metric.
    [[nodiscard]] SeriesChart* seriesChart() const { return m_series; }
    [[nodiscard]] QString seriesMetric() const;
    // Picks the metric by its core name ("denylist_size"); false when no lane of the last run records it.
    bool selectSeries(const QString& name);
    void setPresentationMode(bool on);
    void showSequenceOf(int lane);

signals:
    void simulationFinished(bool ok);

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Field
    {
        QString key;
        QDoubleSpinBox* number = nullptr;
        QComboBox* choice = nullptr;
    };

    void scenarioChanged(int index);
    void loadBaseline(const QStringList& sets);
    [[nodiscard]] QString fieldText(const Field& f) const;
    void showOutcome(const Outcome& outcome);
    void rebuildCards();
    void rebuildSeriesPicker();
    void showSeries();
    void fitSplitter();
    void setNowFromScrubber(int value);
    void nowMoved(double now);
    void stepToNextEvent();
    void tick();
    void exportTimeline();
    void exportDiagram();
    void exportSeries();

    Workspace* m_workspace = nullptr;
    std::optional<sim::Scenario> m_scenario;
    std::optional<sim::Params> m_baseline;
    QString m_baselinePreset;
    std::optional<sim::RunResult> m_result;
    bool m_running = false;
    QFuture<Outcome> m_future;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;

    QWidget* m_controls = nullptr;
    QComboBox* m_scenarios = nullptr;
    QLabel* m_teaches = nullptr;
    QLabel* m_expected = nullptr;
    std::vector<Field> m_fields;
    QSpinBox* m_seed = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_runState = nullptr;
    TimelineView* m_timeline = nullptr;
    QToolButton* m_play = nullptr;
    QToolButton* m_step = nullptr;
    QToolButton* m_rewind = nullptr;
    QSlider* m_scrubber = nullptr;
    QLabel* m_nowLabel = nullptr;
    QComboBox* m_seriesMetric = nullptr;
    SeriesChart* m_series = nullptr;
    QToolButton* m_presentation = nullptr;
    QTimer* m_playTimer = nullptr;
    QWidget* m_cards = nullptr;
    QGridLayout* m_cardsLayout = nullptr;
    QScrollArea* m_cardsScroll = nullptr;
    QSplitter* m_split = nullptr;
    QComboBox* m_seqLane = nullptr;
    SequenceDiagram* m_diagram = nullptr;
};

} // namespace tb::ui
