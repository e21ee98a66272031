#include "TimelineView.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

#include "support/PaintExport.h"
#include "support/ToolTip.h"
#include <QDateTime>
#include <QHelpEvent>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>

namespace tb::ui {

namespace {

// A bar's label, drawn after the markers so that a marker line crossing the bar does not cut through it.
struct BarLabel
{
    QRectF rect;
    QString text;
    QColor colour;
};

constexpr double minSpan = 0.01; // seconds
constexpr double nowGrab = 5;    // pixels either side of the now line that start dragging it

struct Palette
{
    QColor background;
    QColor laneAlt;
    QColor text;
    QColor dim;
    QColor grid;
    QColor now;
    QColor shade;
    QColor shadeEdge;
};

Palette paletteFor(bool presentation, const QPalette& pal)
{
    if (presentation) {
        return {Qt::white,
                QColor(0xee, 0xee, 0xee),
                Qt::black,
                QColor(0x33, 0x33, 0x33),
                QColor(0x99, 0x99, 0x99),
                QColor(0xe6, 0x51, 0x00),
                QColor(0xd3, 0x2f, 0x2f, 70),
                QColor(0xb7, 0x1c, 0x1c)};
    }
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    QColor alt = pal.color(QPalette::AlternateBase);
    if (alt == pal.color(QPalette::Base)) {
        alt = dark ? pal.color(QPalette::Base).lighter(115) : pal.color(QPalette::Base).darker(104);
    }
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    return {pal.color(QPalette::Base),
            alt,
            pal.color(QPalette::Text),
            pal.color(QPalette::PlaceholderText),
            grid,
            dark ? QColor(0xff, 0xa7, 0x26) : QColor(0xe6, 0x51, 0x00),
            QColor(0xe5, 0x39, 0x35, dark ? 80 : 55),
            dark ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28)};
}

QColor markerColor(const QString& kind)
{
    struct Entry
    {
        const char* kind;
        QRgb rgb;
    };
    static constexpr std::array<Entry, 14> table{{
        {"issue", 0x2e7d32},
        {"expiry", 0x546e7a},
        {"exp", 0x546e7a},
        {"compromise", 0xc62828},
        {"theft", 0xc62828},
        {"detection", 0xef6c00},
        {"revocation", 0x6a1b9a},
        {"logout", 0x1565c0},
        {"relogin", 0x1565c0},
        {"refresh", 0x00897b},
        {"reuse", 0xad1457},
        {"outage", 0x8d6e63},
        {"rotation", 0x5e35b1},
        {"activity", 0x78909c},
    }};
    for (const Entry& e : table) {
        if (kind == QLatin1String(e.kind)) {
            return QColor::fromRgb(e.rgb);
        }
    }
    return QColor::fromRgb(0x45, 0x5a, 0x64);
}

// The glyph of a marker kind centred at `at`: a triangle for compromise, a square for revocation and logout,
// a dot for issue, a diamond for the rest.
QPainterPath markerGlyph(const QString& kind, QPointF at, double g)
{
    QPainterPath glyph;
    if (kind == QLatin1String("compromise") || kind == QLatin1String("theft")) {
        glyph.moveTo(at + QPointF(0, g));
        glyph.lineTo(at + QPointF(-g, -g));
        glyph.lineTo(at + QPointF(g, -g));
        glyph.closeSubpath();
    } else if (kind == QLatin1String("revocation") || kind == QLatin1String("logout")) {
        glyph.addRect(QRectF(at - QPointF(g * 0.8, g * 0.8), QSizeF(g * 1.6, g * 1.6)));
    } else if (kind == QLatin1String("issue")) {
        glyph.addEllipse(at, g * 0.8, g * 0.8);
    } else {
        glyph.moveTo(at + QPointF(0, -g));
        glyph.lineTo(at + QPointF(g, 0));
        glyph.lineTo(at + QPointF(0, g));
        glyph.lineTo(at + QPointF(-g, 0));
        glyph.closeSubpath();
    }
    return glyph;
}

QColor barColor(const TimelineBar& bar)
{
    if (bar.color.isValid()) {
        return bar.color;
    }
    switch (bar.style) {
    case TimelineBar::Solid:
        return QColor::fromRgb(0x19, 0x76, 0xd2);
    case TimelineBar::Band:
        return QColor::fromRgb(0x64, 0xb5, 0xf6);
    case TimelineBar::Alert:
        return QColor::fromRgb(0xd3, 0x2f, 0x2f);
    }
    return Qt::gray;
}

// The vertical band of a bar inside its lane, as fractions of the lane height.
std::pair<double, double> barBand(TimelineBar::Style style)
{
    return style == TimelineBar::Alert ? std::pair{0.64, 0.84} : std::pair{0.30, 0.58};
}

QString clockOfDay(double t, double step)
{
    const bool negative = t < 0;
    double a = std::abs(t);
    const auto days = static_cast<long long>(a / 86400);
    a -= double(days) * 86400;
    const auto h = static_cast<int>(a / 3600);
    const auto m = static_cast<int>((a - h * 3600) / 60);
    const double s = a - h * 3600 - m * 60;
    QString text = QStringLiteral("%1:%2").arg(h, 2, 10, QLatin1Char('0')).arg(m, 2, 10, QLatin1Char('0'));
    if (step < 60 || std::abs(s) > 1e-9) {
        if (step < 1) {
            text += QStringLiteral(":%1").arg(s, step < 0.1 ? 6 : 4, 'f', step < 0.1 ? 3 : 1, QLatin1Char('0'));
        } else {
            text += QStringLiteral(":%1").arg(static_cast<int>(std::lround(s)), 2, 10, QLatin1Char('0'));
        }
    }
    if (days > 0) {
        text = QStringLiteral("+%1d ").arg(days) + text;
    }
    return negative ? QStringLiteral("−") + text : text;
}

} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("timelineView"));
    setAccessibleName(tr("Timeline"));
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_basePointSize = font().pointSizeF();
}

TimelineView::~TimelineView() = default;

void TimelineView::setLanes(std::vector<TimelineLane> lanes)
{
    m_lanes = std::move(lanes);
    fitHeight();
    update();
}

void TimelineView::setAxisStyle(AxisStyle style)
{
    m_axis = style;
    update();
}

void TimelineView::setTimeRange(double start, double end)
{
    if (!(end - start >= minSpan)) {
        end = start + 1;
    }
    m_rangeStart = start;
    m_rangeEnd = end;
    setViewRange(start, end);
}

void TimelineView::setViewRange(double start, double end)
{
    if (!(end - start >= minSpan)) {
        const double mid = (start + end) / 2;
        start = mid - minSpan / 2;
        end = mid + minSpan / 2;
    }
    const double maxSpan = std::max(m_rangeEnd - m_rangeStart, minSpan) * 100;
    if (end - start > maxSpan) {
        const double mid = (start + end) / 2;
        start = mid - maxSpan / 2;
        end = mid + maxSpan / 2;
    }
    if (start == m_viewStart && end == m_viewEnd) {
        return;
    }
    m_viewStart = start;
    m_viewEnd = end;
    update();
    emit viewChanged(start, end);
}

void TimelineView::fitView()
{
    setViewRange(m_rangeStart, m_rangeEnd);
}

void TimelineView::setNow(double now)
{
    if (now == m_now) {
        return;
    }
    m_now = now;
    update();
    emit nowChanged(now);
}

void TimelineView::setNowVisible(bool visible)
{
    m_nowVisible = visible;
    update();
}

void TimelineView::setPresentationMode(bool on)
{
    m_presentation = on;
    QFont f = font();
    f.setPointSizeF(on ? std::max(15.0, m_basePointSize * 1.6) : m_basePointSize);
    setFont(f);
    fitHeight();
    update();
}

void TimelineView::fitHeight()
{
    // Every lane stays readable: in a scroll area the view scrolls rather than cut lanes off.
    const Metrics m = metrics();
    setMinimumHeight(int(laneTop(int(std::max<std::size_t>(m_lanes.size(), 1)), m) + 8));
    updateGeometry();
}

void TimelineView::setTitle(const QString& title)
{
    m_title = title;
    update();
}

void TimelineView::setSelectedLane(int lane)
{
    m_selected = lane;
    update();
}

void TimelineView::zoom(double factor, double anchor)
{
    if (!(factor > 0)) {
        return;
    }
    const double start = anchor - (anchor - m_viewStart) / factor;
    const double end = anchor + (m_viewEnd - anchor) / factor;
    setViewRange(start, end);
}

void TimelineView::pan(double seconds)
{
    setViewRange(m_viewStart + seconds, m_viewEnd + seconds);
}

TimelineView::Metrics TimelineView::metricsFor(bool presentation)
{
    return presentation ? Metrics{260, 24, 44, 92} : Metrics{190, 20, 30, 64};
}

double TimelineView::timeToX(double t, double viewStart, double viewEnd, double left, double right)
{
    return left + (t - viewStart) * (right - left) / (viewEnd - viewStart);
}

double TimelineView::xToTime(double x, double viewStart, double viewEnd, double left, double right)
{
    return viewStart + (x - left) * (viewEnd - viewStart) / (right - left);
}

double TimelineView::tickStep(double span, double pixels, double minPixels)
{
    static constexpr std::array<double, 31> steps{
        0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1,  0.2,   0.5,   1,     2,      5,      10,     15,      30,      60,
        120,   300,   600,   900,  1800, 3600, 7200, 10800, 21600, 43200, 86400., 172800, 604800, 2592000, 31536000};
    if (!(span > 0) || !(pixels > 0)) {
        return 1;
    }
    for (const double s : steps) {
        if (s * pixels / span >= minPixels) {
            return s;
        }
    }
    return steps.back() * std::ceil(minPixels * span / pixels / steps.back());
}

QString TimelineView::timeText(double t, AxisStyle style, double step)
{
    if (style == TimeOfDay) {
        return clockOfDay(t, step);
    }
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(std::llround(t * 1000)), Qt::UTC);
    if (step >= 86400) {
        return dt.toString(QStringLiteral("yyyy-MM-dd"));
    }
    if (step >= 3600) {
        return dt.toString(QStringLiteral("dd MMM HH:mm"));
    }
    if (step >= 60) {
        return dt.toString(QStringLiteral("HH:mm"));
    }
    return dt.toString(step >= 1 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm:ss.zzz"));
}

double TimelineView::xFor(double t, double w) const
{
    const Metrics m = metrics();
    return timeToX(t, m_viewStart, m_viewEnd, m.labelWidth, w - m.rightMargin);
}

double TimelineView::xForTime(double t) const
{
    return xFor(t, width());
}

double TimelineView::timeForX(double x) const
{
    return xToTime(x, m_viewStart, m_viewEnd, plotLeft(), plotRight());
}

std::optional<QRectF> TimelineView::barRect(int lane, int bar) const
{
    if (lane < 0 || std::size_t(lane) >= m_lanes.size() || bar < 0 ||
        std::size_t(bar) >= m_lanes[std::size_t(lane)].bars.size()) {
        return std::nullopt;
    }
    const Metrics m = metrics();
    const TimelineBar& b = m_lanes[std::size_t(lane)].bars[std::size_t(bar)];
    const auto [top, bottom] = barBand(b.style);
    const double y = laneTop(lane, m);
    return QRectF(QPointF(xForTime(b.start), y + top * m.laneHeight),
                  QPointF(xForTime(b.end), y + bottom * m.laneHeight));
}

std::optional<QRectF> TimelineView::shadeRect(int lane, int shade) const
{
    if (lane < 0 || std::size_t(lane) >= m_lanes.size() || shade < 0 ||
        std::size_t(shade) >= m_lanes[std::size_t(lane)].shades.size()) {
        return std::nullopt;
    }
    const Metrics m = metrics();
    const TimelineShade& s = m_lanes[std::size_t(lane)].shades[std::size_t(shade)];
    const double y = laneTop(lane, m);
    return QRectF(QPointF(xForTime(s.start), y + 2), QPointF(xForTime(s.end), y + m.laneHeight - 2));
}

int TimelineView::laneAt(double y) const
{
    const Metrics m = metrics();
    if (y < m.axisHeight) {
        return -1;
    }
    const auto lane = static_cast<int>((y - m.axisHeight) / m.laneHeight);
    return std::size_t(lane) < m_lanes.size() ? lane : -1;
}

QString TimelineView::toolTipAt(const QPointF& pos) const
{
    const int lane = laneAt(pos.y());
    if (lane < 0) {
        return {};
    }
    const TimelineLane& l = m_lanes[std::size_t(lane)];
    if (pos.x() < plotLeft()) {
        return l.subtitle.isEmpty() ? l.title : l.title + QLatin1Char('\n') + l.subtitle;
    }
    const double x = pos.x();
    for (const TimelineMarker& mk : l.markers) {
        if (std::abs(xForTime(mk.at) - x) <= 4) {
            return QStringLiteral("%1 — %2\n%3").arg(timeText(mk.at, m_axis, 1), mk.kind, mk.label);
        }
    }
    for (int i = 0; i < int(l.bars.size()); ++i) {
        const QRectF r = *barRect(lane, i);
        if (r.adjusted(-3, 0, 3, 0).contains(pos)) {
            const TimelineBar& b = l.bars[std::size_t(i)];
            const QString span =
                QStringLiteral("%1 → %2").arg(timeText(b.start, m_axis, 1), timeText(b.end, m_axis, 1));
            return (b.tooltip.isEmpty() ? b.label : b.tooltip) + QLatin1Char('\n') + span;
        }
    }
    for (int i = 0; i < int(l.shades.size()); ++i) {
        const QRectF r = *shadeRect(lane, i);
        if (r.adjusted(-4, 0, 4, 0).contains(pos)) {
            const TimelineShade& s = l.shades[std::size_t(i)];
            return s.tooltip.isEmpty() ? s.label : s.tooltip;
        }
    }
    return {};
}

QSize TimelineView::sizeHint() const
{
    const Metrics m = metrics();
    return {900, int(m.axisHeight + std::max<std::size_t>(m_lanes.size(), 2) * m.laneHeight + 8)};
}

QSize TimelineView::minimumSizeHint() const
{
    const Metrics m = metrics();
    return {int(m.labelWidth + 200), int(m.axisHeight + m.laneHeight)};
}

QImage TimelineView::renderImage(QSize size) const
{
    if (!size.isValid() || size.isEmpty()) {
        size = this->size().isEmpty() ? sizeHint() : this->size();
    }
    return renderToImage([this](QPainter& p, QSize s) { paint(p, s); }, size);
}

bool TimelineView::exportPng(const QString& path, QSize size) const
{
    return renderImage(size).save(path, "PNG");
}

bool TimelineView::exportSvg(const QString& path, QSize size) const
{
    if (!size.isValid() || size.isEmpty()) {
        size = this->size().isEmpty() ? sizeHint() : this->size();
    }
    return exportSvgFile([this](QPainter& p, QSize s) { paint(p, s); }, size, path,
                         m_title.isEmpty() ? tr("tokenbench timeline") : m_title);
}

QFont TimelineView::smallFont() const
{
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    return small;
}

std::vector<TimelineView::MarkerLabel> TimelineView::markerLabels(int lane, double width) const
{
    std::vector<MarkerLabel> out;
    if (lane < 0 || lane >= int(m_lanes.size())) {
        return out;
    }
    const std::vector<TimelineMarker>& markers = m_lanes[std::size_t(lane)].markers;
    std::vector<int> order(markers.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return markers[std::size_t(a)].at < markers[std::size_t(b)].at; });
    const Metrics m = metrics();
    const QFontMetricsF fm(smallFont());
    const double g = glyphSize();
    const double right = width - m.rightMargin;
    const double y = laneTop(lane, m) + 0.16 * m.laneHeight - fm.height() / 2;
    // Fewer characters than this read as noise: such a label is left to the tooltip.
    const double minimum = fm.horizontalAdvance(QStringLiteral("abc…"));
    double labelEnd = -1e9;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const TimelineMarker& mk = markers[std::size_t(order[i])];
        const double x = xFor(mk.at, width);
        double limit = right;
        for (std::size_t j = i + 1; j < order.size(); ++j) {
            const double next = xFor(markers[std::size_t(order[j])].at, width);
            if (next > x + g) { // a marker at the same place shares this glyph
                limit = std::min(limit, next - g - 3);
                break;
            }
        }
        const double start = x + g + 3;
        const double room = limit - start;
        if (start <= labelEnd || room < minimum) {
            continue;
        }
        const QString full = mk.label.isEmpty() ? mk.kind : mk.label;
        const QString text = fm.horizontalAdvance(full) <= room ? full : fm.elidedText(full, Qt::ElideRight, room);
        const double tw = fm.horizontalAdvance(text);
        out.push_back({order[i], QRectF(start, y, tw + 2, fm.height()), text});
        labelEnd = start + tw + 8;
    }
    return out;
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paint(p, size());
    if (m_selected >= 0 && m_selected < int(m_lanes.size())) {
        const Metrics m = metrics();
        QColor accent = palette().color(QPalette::Highlight);
        p.fillRect(QRectF(0, laneTop(m_selected, m), 4, m.laneHeight), accent);
        accent.setAlpha(28);
        p.fillRect(QRectF(0, laneTop(m_selected, m), width(), m.laneHeight), accent);
    }
}

void TimelineView::paint(QPainter& p, QSize size) const
{
    const Metrics m = metrics();
    const Palette c = paletteFor(m_presentation, palette());
    const double w = size.width();
    const double left = m.labelWidth;
    const double right = w - m.rightMargin;
    const double lanesBottom = laneTop(int(m_lanes.size()), m);
    const double lineWidth = m_presentation ? 2.5 : 1.5;
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), c.background);
    QFont base = font();
    QFont bold = base;
    bold.setBold(true);
    const QFont small = smallFont();
    const QFontMetricsF smallMetrics(small);
    p.setFont(base);

    // Lane backgrounds and titles.
    for (int i = 0; i < int(m_lanes.size()); ++i) {
        const TimelineLane& lane = m_lanes[std::size_t(i)];
        const QRectF row(0, laneTop(i, m), w, m.laneHeight);
        if (i % 2 == 1) {
            p.fillRect(row, c.laneAlt);
        }
        const QRectF titleRect = row.adjusted(8, 4, -(w - left) - 6, -4);
        p.setPen(c.text);
        p.setFont(bold);
        const QFontMetricsF fmBold(bold);
        const QString title = fmBold.elidedText(lane.title, Qt::ElideRight, titleRect.width());
        p.drawText(titleRect, Qt::AlignLeft | Qt::AlignTop, title);
        if (!lane.subtitle.isEmpty()) {
            p.setFont(small);
            p.setPen(c.dim);
            const QRectF subRect = titleRect.adjusted(0, fmBold.height() + 2, 0, 0);
            p.drawText(subRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, lane.subtitle);
        }
    }
    p.setFont(base);

    // Axis: ticks, labels and the grid.
    const double step = tickStep(m_viewEnd - m_viewStart, right - left, m_presentation ? 150 : 95);
    p.setPen(QPen(c.grid, 1));
    p.drawLine(QPointF(left, m.axisHeight - 1), QPointF(right, m.axisHeight - 1));
    const QFontMetricsF fm(base);
    const QString nowText = tr("now %1").arg(timeText(m_now, m_axis, 1));
    const double nowX = xFor(m_now, w);
    const double nowTagWidth = fm.horizontalAdvance(nowText) + 10;
    const QRectF nowTag(std::min(nowX + 2, right - nowTagWidth), 1, nowTagWidth, m.axisHeight - 6);
    for (double t = std::ceil(m_viewStart / step) * step; t <= m_viewEnd + step * 1e-9; t += step) {
        const double x = xFor(t, w);
        p.setPen(QPen(c.grid, 1, Qt::DotLine));
        p.drawLine(QPointF(x, m.axisHeight - 5), QPointF(x, std::max(lanesBottom, m.axisHeight + 4)));
        const QString label = timeText(t, m_axis, step);
        const double tw = fm.horizontalAdvance(label);
        // The first and last labels may shift to stay inside; none is drawn under the now tag.
        const double cx = std::clamp(x, left + tw / 2 + 3, std::max(left + tw / 2 + 3, w - tw / 2 - 3));
        const QRectF labelRect(cx - tw / 2 - 2, 0, tw + 4, m.axisHeight - 6);
        if (std::abs(cx - x) > tw || (m_nowVisible && labelRect.intersects(nowTag))) {
            continue;
        }
        p.setPen(c.text);
        p.drawText(labelRect, Qt::AlignHCenter | Qt::AlignBottom, label);
    }
    if (!m_title.isEmpty()) {
        p.setFont(bold);
        p.setPen(c.text);
        p.drawText(QRectF(8, 0, left - 14, m.axisHeight - 6), Qt::AlignLeft | Qt::AlignBottom,
                   QFontMetricsF(bold).elidedText(m_title, Qt::ElideRight, left - 14));
        p.setFont(base);
    }

    // Everything time-based is clipped to the plot area.
    p.save();
    p.setClipRect(QRectF(QPointF(left, 0), QPointF(right + 1, size.height())));
    for (int i = 0; i < int(m_lanes.size()); ++i) {
        const TimelineLane& lane = m_lanes[std::size_t(i)];
        const double top = laneTop(i, m);
        std::vector<BarLabel> barLabels;
        for (const TimelineShade& s : lane.shades) {
            const double x0 = xFor(s.start, w);
            const double x1 = std::max(xFor(s.end, w), x0);
            const QRectF r(QPointF(x0, top + 2), QPointF(x1, top + m.laneHeight - 2));
            p.fillRect(r, c.shade);
            p.fillRect(r, QBrush(c.shadeEdge, Qt::BDiagPattern));
            p.setPen(QPen(c.shadeEdge, lineWidth));
            p.drawLine(r.topLeft(), r.bottomLeft());
            p.drawLine(r.topRight(), r.bottomRight());
            if (!s.label.isEmpty()) {
                p.setFont(small);
                const QFontMetricsF fms(small);
                const double lw = fms.horizontalAdvance(s.label);
                p.setPen(c.shadeEdge);
                p.drawText(QRectF(x1 + 4, top + m.laneHeight - fms.height() - 3, lw + 4, fms.height()),
                           Qt::AlignLeft | Qt::AlignVCenter, s.label);
                p.setFont(base);
            }
        }
        for (const TimelineBar& b : lane.bars) {
            const auto [f0, f1] = barBand(b.style);
            const double x0 = xFor(b.start, w);
            const double x1 = std::max(xFor(b.end, w), x0 + 1);
            const QRectF r(QPointF(x0, top + f0 * m.laneHeight), QPointF(x1, top + f1 * m.laneHeight));
            const QColor col = barColor(b);
            if (b.style == TimelineBar::Band) {
                QColor fill = col;
                fill.setAlpha(90);
                p.fillRect(r, fill);
                p.fillRect(r, QBrush(col, Qt::FDiagPattern));
                p.setPen(QPen(col, 1));
                p.drawRect(r);
            } else {
                p.setPen(QPen(col.darker(130), 1));
                p.setBrush(col);
                p.drawRoundedRect(r, 3, 3);
                p.setBrush(Qt::NoBrush);
            }
            const QRectF visible = r.intersected(QRectF(QPointF(left, r.top()), QPointF(right, r.bottom())));
            if (!b.label.isEmpty() && b.style != TimelineBar::Band && visible.width() > 30) {
                const QString text = smallMetrics.elidedText(b.label, Qt::ElideRight, visible.width() - 9);
                barLabels.push_back(
                    {QRectF(visible.left() + 5, r.top(), smallMetrics.horizontalAdvance(text) + 2, r.height()), text,
                     col});
            }
        }
        // Markers: a line through the lane and a glyph; labels where they do not collide.
        const double g = glyphSize();
        for (const TimelineMarker& mk : lane.markers) {
            const double x = xFor(mk.at, w);
            const QColor col = markerColor(mk.kind);
            p.setPen(QPen(col, lineWidth));
            p.drawLine(QPointF(x, top + 0.22 * m.laneHeight), QPointF(x, top + 0.9 * m.laneHeight));
            p.fillPath(markerGlyph(mk.kind, QPointF(x, top + 0.16 * m.laneHeight), g), col);
        }
        // Bar labels over the marker lines that cross them, on the bar's own colour so they stay readable.
        p.setFont(small);
        for (const BarLabel& label : barLabels) {
            p.fillRect(label.rect.adjusted(-2, 1, 2, -1), label.colour);
            p.setPen(Qt::white);
            p.drawText(label.rect, Qt::AlignLeft | Qt::AlignVCenter, label.text);
        }
        for (const MarkerLabel& label : markerLabels(i, w)) {
            p.setPen(markerColor(lane.markers[std::size_t(label.marker)].kind).darker(m_presentation ? 140 : 110));
            p.drawText(label.rect, Qt::AlignLeft | Qt::AlignVCenter, label.text);
        }
        p.setFont(base);
    }

    // The now line over everything.
    if (m_nowVisible) {
        p.setPen(QPen(c.now, m_presentation ? 3 : 2, Qt::DashLine));
        p.drawLine(QPointF(nowX, m.axisHeight - 2), QPointF(nowX, std::max(lanesBottom, double(size.height()))));
        p.fillRect(nowTag, c.now);
        p.setPen(Qt::white);
        p.drawText(nowTag, Qt::AlignCenter, nowText);
    }
    p.restore();

    p.setPen(QPen(c.grid, 1));
    p.drawLine(QPointF(left, 0), QPointF(left, std::max(lanesBottom, double(size.height()))));
    if (m_lanes.empty()) {
        p.setPen(c.dim);
        p.drawText(QRectF(left, m.axisHeight, right - left, m.laneHeight), Qt::AlignCenter, tr("Nothing to show yet."));
    }
}

bool TimelineView::event(QEvent* e)
{
    return handleToolTipEvent(this, e, [this](const QPoint& at) { return toolTipAt(at); }) || QWidget::event(e);
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        const double dx = event->angleDelta().x() / 120.0;
        pan(-dx * (m_viewEnd - m_viewStart) / 10);
        event->accept();
        return;
    }
    const double x = std::clamp(event->position().x(), plotLeft(), plotRight());
    zoom(std::pow(1.25, steps), timeForX(x));
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        QWidget::mousePressEvent(event);
        return;
    }
    const double x = event->position().x();
    if (const int lane = laneAt(event->position().y()); lane >= 0) {
        emit laneClicked(lane);
    }
    if (m_nowVisible && std::abs(x - xForTime(m_now)) <= nowGrab) {
        m_drag = Drag::Now;
    } else if (x >= plotLeft() && event->position().y() < metrics().axisHeight && m_nowVisible) {
        // A click on the axis puts "now" there.
        m_drag = Drag::Now;
        setNow(timeForX(x));
    } else if (x >= plotLeft()) {
        m_drag = Drag::Pan;
        m_dragX = x;
        m_dragViewStart = m_viewStart;
        setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    const double x = event->position().x();
    switch (m_drag) {
    case Drag::Now:
        setNow(timeForX(std::clamp(x, plotLeft(), plotRight())));
        break;
    case Drag::Pan: {
        const double perPixel = (m_viewEnd - m_viewStart) / (plotRight() - plotLeft());
        const double start = m_dragViewStart - (x - m_dragX) * perPixel;
        setViewRange(start, start + (m_viewEnd - m_viewStart));
        break;
    }
    case Drag::None:
        setCursor(m_nowVisible && std::abs(x - xForTime(m_now)) <= nowGrab ? Qt::SizeHorCursor : Qt::ArrowCursor);
        break;
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    m_drag = Drag::None;
    unsetCursor();
    QWidget::mouseReleaseEvent(event);
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event)
{
    fitView();
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    const double span = m_viewEnd - m_viewStart;
    const double mid = (m_viewStart + m_viewEnd) / 2;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoom(1.25, mid);
        break;
    case Qt::Key_Minus:
        zoom(0.8, mid);
        break;
    case Qt::Key_Left:
        pan(-span / 10);
        break;
    case Qt::Key_Right:
        pan(span / 10);
        break;
    case Qt::Key_Home:
    case Qt::Key_0:
        fitView();
        break;
    case Qt::Key_Comma:
        setNow(m_now - span / 100);
        break;
    case Qt::Key_Period:
        setNow(m_now + span / 100);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace tb::ui
