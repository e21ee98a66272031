#pragma once

#include <optional>
#include <vector>

#include <QColor>
#include <QRectF>
#include <QString>
#include <QWidget>

class QPainter;

namespace tb::ui {

// One row of a timeline. Times are seconds on the view's axis (seconds since 00:00 for the simulator,
// seconds since the epoch for tokens).
struct TimelineBar
{
    enum Style
    {
        Solid, // a credential's life
        Band,  // a tolerance band (leeway), drawn light and hatched
        Alert, // the stolen credential being accepted, an outage
    };
    double start = 0;
    double end = 0;
    QString label;
    QString tooltip;
    QColor color;
    Style style = Solid;
};

struct TimelineMarker
{
    double at = 0;
    QString kind; // "issue", "expiry", "compromise", "revocation", ... (picks the glyph and colour)
    QString label;
};

struct TimelineShade
{
    double start = 0;
    double end = 0;
    QString label;   // "exposure 900 s"
    QString tooltip; // the formula, then this run's numbers
};

struct TimelineLane
{
    QString title;
    QString subtitle;
    std::vector<TimelineBar> bars;
    std::vector<TimelineMarker> markers;
    std::vector<TimelineShade> shades;
};

// Lanes as rows over one time axis: bars, markers, shaded windows (formula on hover) and a movable "now".
// Wheel zooms around the pointer, dragging pans, dragging the now line moves it, double-click fits;
// keys: + and - zoom, arrows pan, Home fits, comma and period move now.
// The geometry functions are public and pure so tests can check them.
class TimelineView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineView)

public:
    enum AxisStyle
    {
        TimeOfDay,   // seconds since 00:00, shown as HH:MM:SS (+Nd past a day)
        UtcDateTime, // seconds since the epoch, shown in UTC
    };

    struct Metrics
    {
        double labelWidth; // the lane titles column
        double rightMargin;
        double axisHeight;
        double laneHeight;
    };

    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    void setLanes(std::vector<TimelineLane> lanes);
    [[nodiscard]] const std::vector<TimelineLane>& lanes() const { return m_lanes; }
    void setAxisStyle(AxisStyle style);
    // The full extent (what double-click fits to) and the visible part.
    void setTimeRange(double start, double end);
    void setViewRange(double start, double end);
    void fitView();
    [[nodiscard]] double viewStart() const { return m_viewStart; }
    [[nodiscard]] double viewEnd() const { return m_viewEnd; }
    [[nodiscard]] double rangeStart() const { return m_rangeStart; }
    [[nodiscard]] double rangeEnd() const { return m_rangeEnd; }
    void setNow(double now);
    [[nodiscard]] double now() const { return m_now; }
    void setNowVisible(bool visible);
    void setPresentationMode(bool on);
    [[nodiscard]] bool presentationMode() const { return m_presentation; }
    void setTitle(const QString& title);
    // A lane drawn as selected on screen (not in exports); -1 for none.
    void setSelectedLane(int lane);
    [[nodiscard]] int selectedLane() const { return m_selected; }
    // Zooms by `factor` (> 1 zooms in) keeping time `anchor` at the same x.
    void zoom(double factor, double anchor);
    void pan(double seconds);

    // Pure geometry.
    [[nodiscard]] static Metrics metricsFor(bool presentation);
    [[nodiscard]] static double timeToX(double t, double viewStart, double viewEnd, double left, double right);
    [[nodiscard]] static double xToTime(double x, double viewStart, double viewEnd, double left, double right);
    [[nodiscard]] static double laneTop(int lane, const Metrics& m) { return m.axisHeight + lane * m.laneHeight; }
    // A "nice" tick step in seconds so that ticks are at least `minPixels` apart.
    [[nodiscard]] static double tickStep(double span, double pixels, double minPixels);
    [[nodiscard]] static QString timeText(double t, AxisStyle style, double step);

    // Geometry of this widget at its current size.
    [[nodiscard]] Metrics metrics() const { return metricsFor(m_presentation); }
    [[nodiscard]] double plotLeft() const { return metrics().labelWidth; }
    [[nodiscard]] double plotRight() const { return width() - metrics().rightMargin; }
    [[nodiscard]] double xForTime(double t) const;
    [[nodiscard]] double timeForX(double x) const;
    [[nodiscard]] std::optional<QRectF> barRect(int lane, int bar) const;
    [[nodiscard]] std::optional<QRectF> shadeRect(int lane, int shade) const;
    // A marker's label as painted: right of its glyph, elided to end before the next marker's glyph, left out
    // where an earlier label still runs or too little room is left (the tooltip keeps the full text).
    struct MarkerLabel
    {
        int marker; // index in the lane's markers
        QRectF rect;
        QString text;
    };
    [[nodiscard]] std::vector<MarkerLabel> markerLabels(int lane, double width) const;
    // The tooltip text for a point (shade formula, bar or marker label), empty when nothing is there.
    [[nodiscard]] QString toolTipAt(const QPointF& pos) const;
    [[nodiscard]] int laneAt(double y) const;

    // Export at the widget's size (or `size` when valid). PNG through QImage, SVG through QSvgGenerator.
    [[nodiscard]] QImage renderImage(QSize size = {}) const;
    bool exportPng(const QString& path, QSize size = {}) const;
    bool exportSvg(const QString& path, QSize size = {}) const;
    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

signals:
    void nowChanged(double now);
    void viewChanged(double start, double end);
    void laneClicked(int lane);

protected:
    bool event(QEvent* e) override;
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    enum class Drag
    {
        None,
        Pan,
        Now,
    };
    void paint(QPainter& p, QSize size) const;
    void fitHeight();
    [[nodiscard]] double xFor(double t, double width) const;
    [[nodiscard]] QFont smallFont() const;
    [[nodiscard]] double glyphSize() const { return m_presentation ? 7 : 5; }

    std::vector<TimelineLane> m_lanes;
    AxisStyle m_axis = TimeOfDay;
    QString m_title;
    double m_rangeStart = 0;
    double m_rangeEnd = 3600;
    double m_viewStart = 0;
    double m_viewEnd = 3600;
    double m_now = 0;
    bool m_nowVisible = true;
    bool m_presentation = false;
    int m_selected = -1;
    double m_basePointSize = 0;
    Drag m_drag = Drag::None;
    double m_dragX = 0;
    double m_dragViewStart = 0;
};

} // namespace tb::ui
