#pragma once

#include <utility>
#include <vector>

#include <QString>
#include <QWidget>

namespace tb::ui {

// "0.42 µs", "28.1 µs", "1.25 ms": latencies as the charts and tables print them.
QString formatMicros(double us);

// Small self-painting charts of the Session lab. Each draws through one paint(QPainter&, QSize) so that the
// screen, a PNG and an SVG show the same picture (context menu: save as PNG or SVG).
class ChartWidget : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartWidget)

public:
    explicit ChartWidget(const QString& title, QWidget* parent = nullptr);
    ~ChartWidget() override = default;

    [[nodiscard]] const QString& title() const { return m_title; }
    void setEmptyText(const QString& text);
    void paint(QPainter& p, QSize size) const;
    bool exportPng(const QString& path) const;
    bool exportSvg(const QString& path) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    // The plot inside `area` (title and frame already drawn); only called when hasData().
    virtual void paintPlot(QPainter& p, const QRectF& area) const = 0;
    [[nodiscard]] virtual bool hasData() const = 0;
    // Colour swatches and their labels, drawn beside the title (or under it when narrow).
    [[nodiscard]] virtual std::vector<std::pair<QColor, QString>> legend() const { return {}; }

private:
    void paintLegend(QPainter& p, QPointF topRight, const std::vector<std::pair<QColor, QString>>& items) const;
    [[nodiscard]] qreal legendWidth(const std::vector<std::pair<QColor, QString>>& items) const;

    QString m_title;
    QString m_emptyText;
};

// Bits each character position maps to, and how many of them pass every test at the chosen level.
class EntropyChart final : public ChartWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EntropyChart)

public:
    struct Position
    {
        int position = 0;
        int bits = 0;      // bits the position maps to in the bit-level tests
        int effective = 0; // of those, bits whose every test passes at the level
        bool isStatic = false;
    };
    explicit EntropyChart(QWidget* parent = nullptr);
    void setPositions(std::vector<Position> positions, const QString& level);
    [[nodiscard]] const std::vector<Position>& positions() const { return m_positions; }
    [[nodiscard]] QSize sizeHint() const override { return {520, 200}; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {260, 150}; }

protected:
    void paintPlot(QPainter& p, const QRectF& area) const override;
    [[nodiscard]] std::vector<std::pair<QColor, QString>> legend() const override;
    [[nodiscard]] bool hasData() const override { return !m_positions.empty(); }

private:
    std::vector<Position> m_positions;
    QString m_level;
};

// One cell per bit position and test: pass, fail at the chosen level, or not applicable.
class BitHeatMap final : public ChartWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BitHeatMap)

public:
    enum Cell : signed char
    {
        NotApplicable = -1,
        Fail = 0,
        Pass = 1,
    };
    struct Row
    {
        QString test;
        std::vector<Cell> cells; // one per bit position
    };
    explicit BitHeatMap(QWidget* parent = nullptr);
    void setRows(std::vector<Row> rows, const QString& level);
    [[nodiscard]] const std::vector<Row>& rows() const { return m_rows; }
    [[nodiscard]] QSize sizeHint() const override { return {520, 200}; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {260, 150}; }

protected:
    void paintPlot(QPainter& p, const QRectF& area) const override;
    [[nodiscard]] std::vector<std::pair<QColor, QString>> legend() const override;
    [[nodiscard]] bool hasData() const override { return !m_rows.empty() && !m_rows.front().cells.empty(); }

private:
    std::vector<Row> m_rows;
    QString m_level;
};

// (ID n, ID n+1) scatter: a line or lattice means the next ID follows from the last one.
class PhaseSpacePlot final : public ChartWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PhaseSpacePlot)

public:
    explicit PhaseSpacePlot(QWidget* parent = nullptr);
    void setPoints(std::vector<std::pair<double, double>> points);
    [[nodiscard]] qsizetype pointCount() const { return qsizetype(m_points.size()); }
    [[nodiscard]] QSize sizeHint() const override { return {300, 300}; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {200, 200}; }
    [[nodiscard]] bool hasHeightForWidth() const override { return true; }
    [[nodiscard]] int heightForWidth(int w) const override { return w; }

protected:
    void paintPlot(QPainter& p, const QRectF& area) const override;
    [[nodiscard]] bool hasData() const override { return !m_points.empty(); }

private:
    std::vector<std::pair<double, double>> m_points;
};

// Horizontal p50/p99 bars on a logarithmic microsecond axis, with the seed's claimed Redis range shaded.
class LatencyChart final : public ChartWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LatencyChart)

public:
    struct Bar
    {
        QString label;
        double p50Us = 0;
        double p99Us = 0;
        bool jwt = false; // a JWT verification (else a store lookup)
    };
    explicit LatencyChart(QWidget* parent = nullptr);
    void setBars(std::vector<Bar> bars);
    [[nodiscard]] const std::vector<Bar>& bars() const { return m_bars; }
    [[nodiscard]] QSize sizeHint() const override { return {560, 320}; }
    [[nodiscard]] QSize minimumSizeHint() const override { return {320, 180}; }

protected:
    void paintPlot(QPainter& p, const QRectF& area) const override;
    [[nodiscard]] std::vector<std::pair<QColor, QString>> legend() const override;
    [[nodiscard]] bool hasData() const override { return !m_bars.empty(); }

private:
    std::vector<Bar> m_bars;
};

} // namespace tb::ui
