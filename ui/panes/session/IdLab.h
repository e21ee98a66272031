#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <QByteArray>
#include <QString>
#include <QWidget>

#include "session/Analyzer.h"
#include "session/DemoGenerators.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace tb::ui {

class BitHeatMap;
class EntropyChart;
class PhaseSpacePlot;

// Session IDs: a CSPRNG generator with its entropy and time to guess, and the Sequencer-style analysis of a
// sample (a demo generator, pasted IDs or a file) off the GUI thread, with verdict, structure, effective
// entropy per significance level and three charts.
class IdLab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdLab)

public:
    // What one analysis run produced (on a worker thread).
    struct Outcome
    {
        std::optional<session::Analysis> analysis;
        std::vector<std::pair<double, double>> phase;
        QString source; // "demo generator counter (5,000 IDs)", "pasted sample", "file ids.txt"
        QString error;
    };

    explicit IdLab(QWidget* parent = nullptr);
    ~IdLab() override;

    // Start an analysis off the GUI thread (a running one is cancelled); analysisFinished reports the end.
    void analyseDemo(session::DemoKind kind, int count);
    void analyseText(const QByteArray& text);
    void analyseFile(const QString& path);
    void cancel();
    // Fills the generator's output with fresh IDs from the form's settings.
    void generateSample();
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] const std::optional<session::Analysis>& analysis() const { return m_analysis; }
    // Selects the significance level (percent, one of session::significanceLevels) the charts use.
    void setLevel(double percent);

signals:
    void analysisFinished(bool ok);
    void statusMessage(const QString& text);

private:
    struct Job
    {
        std::optional<session::DemoKind> demo;
        int count = 0;
        QByteArray text;
        QString path;
        QString source;
    };
    QWidget* buildGenerator();
    QWidget* buildGuessForm();
    QWidget* buildSampleForm();
    QWidget* buildResults();
    void updateEncoding();
    void updateGuess();
    void start(Job job);
    void finish(const Outcome& outcome);
    void showAnalysis();
    void showCharts();
    void setVerdict(const QString& headline, const QString& detail, const QColor& color);
    [[nodiscard]] double level() const;

    // Generator
    QSpinBox* m_bits = nullptr;
    QComboBox* m_encoding = nullptr;
    QLineEdit* m_alphabet = nullptr;
    QSpinBox* m_count = nullptr;
    QPlainTextEdit* m_generated = nullptr;
    QLabel* m_entropy = nullptr;
    // Time to guess
    QDoubleSpinBox* m_guessBits = nullptr;
    QDoubleSpinBox* m_guessRate = nullptr;
    QDoubleSpinBox* m_liveSessions = nullptr;
    QLabel* m_guessResult = nullptr;
    // Sample
    QComboBox* m_demo = nullptr;
    QSpinBox* m_demoCount = nullptr;
    QPlainTextEdit* m_sample = nullptr;
    QPushButton* m_analyseDemo = nullptr;
    QPushButton* m_analysePasted = nullptr;
    QPushButton* m_openFile = nullptr;
    QPushButton* m_cancel = nullptr;
    // Results
    QLabel* m_verdict = nullptr;
    QLabel* m_reliability = nullptr;
    QComboBox* m_level = nullptr;
    std::vector<QLabel*> m_levelValues;
    QTabWidget* m_details = nullptr;
    QListWidget* m_structure = nullptr;
    QTableWidget* m_tests = nullptr;
    QListWidget* m_notes = nullptr;
    QLabel* m_caveat = nullptr;
    EntropyChart* m_entropyChart = nullptr;
    BitHeatMap* m_heatMap = nullptr;
    PhaseSpacePlot* m_phase = nullptr;

    std::optional<session::Analysis> m_analysis;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    bool m_running = false;
};

} // namespace tb::ui
