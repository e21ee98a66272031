#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "jose/Algorithm.h"
#include "session/StoreBench.h"

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace tb::ui {

class LatencyChart;

// Stores: session-store lookup latency (memory, SQLite, Redis on a throw-away loopback redis-server) beside JWT
// verification per algorithm, measured in one run off the GUI thread, as a chart and a table.
class StoreLab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreLab)

public:
    struct Row
    {
        QString label;
        bool jwt = false;
        session::LatencySummary latency;
    };
    struct Outcome
    {
        std::vector<Row> rows;
        QStringList notes; // steps that could not run, and why
        QString error;
    };
    struct Plan
    {
        bool memory = true;
        bool sqlite = true;
        bool redis = true;
        QList<jose::Alg> algs;
        int sessions = 10000;
        int lookups = 20000;
        int verifications = 2000;
    };

    explicit StoreLab(QWidget* parent = nullptr);
    ~StoreLab() override;

    // The form's choices; setPlan() fills the form (Redis stays off when redis-server is missing).
    [[nodiscard]] Plan plan() const;
    void setPlan(const Plan& plan);
    void run();
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_running; }
    [[nodiscard]] const std::vector<Row>& rows() const { return m_rows; }
    [[nodiscard]] static bool redisAvailable();

signals:
    void benchmarkFinished(bool ok);
    void statusMessage(const QString& text);

private:
    QWidget* buildForm();
    QWidget* buildResults();
    void finish(const Outcome& outcome);
    void showRows();
    [[nodiscard]] QString claimSummary() const;

    QSpinBox* m_sessions = nullptr;
    QSpinBox* m_lookups = nullptr;
    QSpinBox* m_verifications = nullptr;
    QCheckBox* m_memory = nullptr;
    QCheckBox* m_sqlite = nullptr;
    QCheckBox* m_redis = nullptr;
    std::vector<std::pair<jose::Alg, QCheckBox*>> m_algs;
    QPushButton* m_run = nullptr;
    QPushButton* m_cancel = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_claim = nullptr;
    LatencyChart* m_chart = nullptr;
    QTableWidget* m_table = nullptr;

    std::vector<Row> m_rows;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    bool m_running = false;
};

} // namespace tb::ui
