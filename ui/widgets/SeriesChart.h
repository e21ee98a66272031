#pragma once

#include <optional>
#include <vector>

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <QWidget>

class QPainter;

namespace tb::ui {

// One small chart: a metric of one lane over time (x: seconds on the timeline's axis, y: the value).
struct SeriesRow
{
    QString title; // "C · JWT + denylist"
    QString unit;  // "entries"
    std::vector<QPointF> points;
    QColor color;
};

// Small multiples under a TimelineView: one row per lane, the same time axis (same label column and right
// margin, so a time has the same x in both when they are equally wide), the now line, and the value at now.
// The geometry functions are public and pure so tests can check them.
class SeriesChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SeriesChart)

public:
    struct Metrics
    {
        double labelWidth;
        double rightMargin;
        double rowHeight;
        double padding; // above the largest value and below zero, inside a row
    };

    explicit SeriesChart(QWidget* parent = nullptr);
    ~SeriesChart() override;

    void setRows(std::vector<SeriesRow> rows);
    [[nodiscard]] const std::vector<SeriesRow>& rows() const { return m_rows; }
    void setViewRange(double start, double end);
    void setNow(double now);
    void setPresentationMode(bool on);
    // Drawn above the rows in exports ("S7 · Denylist size").
    void setTitle(const QString& title) { m_title = title; }
    [[nodiscard]] const QString& title() const { return m_title; }

    // Exports: the title, the rows as on screen and a time axis under them, at the chart's width (its size
    // hint's when it has none yet).
    [[nodiscard]] QSize exportSize() const;
    [[nodiscard]] QImage renderImage() const;
    bool exportPng(const QString& path) const;
    bool exportSvg(const QString& path) const;

    [[nodiscard]] static Metrics metricsFor(bool presentation);
    // 1, 2 or 5 times a power of ten, at least `max` (1 for an empty or all-zero series).
    [[nodiscard]] static double niceCeiling(double max);
    // y of `value` in the row whose top is `top`, for a scale from 0 to `ceiling`.
    [[nodiscard]] static double valueToY(double value, double ceiling, double top, const Metrics& m);
    // The series' value at `t`: the last sample at or before it (samples hold until the next one).
    [[nodiscard]] static std::optional<double> valueAt(const SeriesRow& row, double t);

    [[nodiscard]] Metrics metrics() const { return metricsFor(m_presentation); }
    [[nodiscard]] double xForTime(double t) const;
    [[nodiscard]] double rowTop(int row) const { return row * metrics().rowHeight; }
    // The scale's top of a row (niceCeiling of its largest value).
    [[nodiscard]] double ceilingOf(int row) const;
    // Where the row draws its sample `index`; nullopt when out of range.
    [[nodiscard]] std::optional<QPointF> pointPos(int row, int index) const;
    [[nodiscard]] QString toolTipAt(const QPointF& pos) const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    bool event(QEvent* e) override;
    void paintEvent(QPaintEvent* event) override;

private:
    [[nodiscard]] double xAt(double t, double width) const;
    [[nodiscard]] std::optional<QPointF> pointAt(int row, int index, double width) const;
    [[nodiscard]] double rowsHeight() const;
    void paintRows(QPainter& p, double width) const;
    void paintExport(QPainter& p, QSize size) const;

    std::vector<SeriesRow> m_rows;
    QString m_title;
    double m_viewStart = 0;
    double m_viewEnd = 1;
    double m_now = 0;
    bool m_presentation = false;
    double m_basePointSize = 0;
};

} // namespace tb::ui
