#include "SeriesChart.h"

#include <algorithm>
#include <cmath>

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include "support/PaintExport.h"
#include "support/ToolTip.h"
#include "widgets/TimelineView.h"

namespace tb::ui {

namespace {

QString valueText(double v)
{
    return QString::number(v, 'g', 4);
}

QString rowText(const SeriesRow& row, double v)
{
    return row.unit.isEmpty() ? valueText(v) : QStringLiteral("%1 %2").arg(valueText(v), row.unit);
}

} // namespace

SeriesChart::SeriesChart(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("seriesChart"));
    setAccessibleName(tr("Metric over time, per lane"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_basePointSize = font().pointSizeF();
}

SeriesChart::~SeriesChart() = default;

void SeriesChart::setRows(std::vector<SeriesRow> rows)
{
    m_rows = std::move(rows);
    setFixedHeight(sizeHint().height());
    updateGeometry();
    update();
}

void SeriesChart::setViewRange(double start, double end)
{
    m_viewStart = start;
    m_viewEnd = end > start ? end : start + 1;
    update();
}

void SeriesChart::setNow(double now)
{
    m_now = now;
    update();
}

void SeriesChart::setPresentationMode(bool on)
{
    m_presentation = on;
    QFont f = font();
    f.setPointSizeF(on ? std::max(15.0, m_basePointSize * 1.6) : m_basePointSize);
    setFont(f);
    setFixedHeight(sizeHint().height());
    update();
}

SeriesChart::Metrics SeriesChart::metricsFor(bool presentation)
{
    // The label column and right margin of TimelineView::metricsFor, so both share their x axis.
    const TimelineView::Metrics t = TimelineView::metricsFor(presentation);
    return presentation ? Metrics{t.labelWidth, t.rightMargin, 76, 10} : Metrics{t.labelWidth, t.rightMargin, 48, 7};
}

double SeriesChart::niceCeiling(double max)
{
    if (!(max > 0) || !std::isfinite(max)) {
        return 1;
    }
    const double power = std::pow(10.0, std::floor(std::log10(max)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * power >= max * (1 - 1e-12)) {
            return step * power;
        }
    }
    return 10 * power;
}

double SeriesChart::valueToY(double value, double ceiling, double top, const Metrics& m)
{
    const double bottom = top + m.rowHeight - m.padding;
    const double high = top + m.padding;
    return bottom - std::clamp(value / ceiling, 0.0, 1.0) * (bottom - high);
}

std::optional<double> SeriesChart::valueAt(const SeriesRow& row, double t)
{
    const auto after =
        std::upper_bound(row.points.begin(), row.points.end(), t, [](double x, const QPointF& p) { return x < p.x(); });
    if (after == row.points.begin()) {
        return std::nullopt;
    }
    return std::prev(after)->y();
}

double SeriesChart::xForTime(double t) const
{
    return xAt(t, width());
}

double SeriesChart::xAt(double t, double width) const
{
    const Metrics m = metrics();
    return TimelineView::timeToX(t, m_viewStart, m_viewEnd, m.labelWidth, width - m.rightMargin);
}

double SeriesChart::ceilingOf(int row) const
{
    double max = 0;
    for (const QPointF& p : m_rows[std::size_t(row)].points) {
        max = std::max(max, p.y());
    }
    return niceCeiling(max);
}

std::optional<QPointF> SeriesChart::pointPos(int row, int index) const
{
    return pointAt(row, index, width());
}

std::optional<QPointF> SeriesChart::pointAt(int row, int index, double width) const
{
    if (row < 0 || std::size_t(row) >= m_rows.size() || index < 0 ||
        std::size_t(index) >= m_rows[std::size_t(row)].points.size()) {
        return std::nullopt;
    }
    const QPointF& p = m_rows[std::size_t(row)].points[std::size_t(index)];
    return QPointF(xAt(p.x(), width), valueToY(p.y(), ceilingOf(row), rowTop(row), metrics()));
}

QString SeriesChart::toolTipAt(const QPointF& pos) const
{
    const Metrics m = metrics();
    const int row = int(std::floor(pos.y() / m.rowHeight));
    if (row < 0 || std::size_t(row) >= m_rows.size() || pos.x() < m.labelWidth) {
        return {};
    }
    const double t = TimelineView::xToTime(pos.x(), m_viewStart, m_viewEnd, m.labelWidth, width() - m.rightMargin);
    const SeriesRow& r = m_rows[std::size_t(row)];
    const auto v = valueAt(r, t);
    if (!v) {
        return {};
    }
    return QStringLiteral("%1 — %2: %3")
        .arg(r.title, TimelineView::timeText(t, TimelineView::TimeOfDay, 1), rowText(r, *v));
}

double SeriesChart::rowsHeight() const
{
    return double(std::max<std::size_t>(m_rows.size(), 1)) * metrics().rowHeight;
}

QSize SeriesChart::sizeHint() const
{
    return {900, int(rowsHeight()) + 2};
}

QSize SeriesChart::minimumSizeHint() const
{
    return {int(metrics().labelWidth + 200), sizeHint().height()};
}

bool SeriesChart::event(QEvent* e)
{
    return handleToolTipEvent(this, e, [this](const QPoint& at) { return toolTipAt(at); }) || QWidget::event(e);
}

void SeriesChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    paintRows(p, width());
}

void SeriesChart::paintRows(QPainter& p, double width) const
{
    p.setRenderHint(QPainter::Antialiasing);
    const Metrics m = metrics();
    const QPalette pal = palette();
    const double left = m.labelWidth;
    const double right = width - m.rightMargin;
    QFont bold = font();
    bold.setBold(true);
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(110);
    if (m_rows.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(left, 0, right - left, m.rowHeight), Qt::AlignCenter, tr("No series for this metric."));
        return;
    }
    for (int i = 0; i < int(m_rows.size()); ++i) {
        const SeriesRow& row = m_rows[std::size_t(i)];
        const double top = rowTop(i);
        if (i % 2 == 1) {
            p.fillRect(QRectF(0, top, width, m.rowHeight), pal.color(QPalette::AlternateBase));
        }
        const double ceiling = ceilingOf(i);
        const auto now = valueAt(row, m_now);
        p.setFont(bold);
        p.setPen(pal.color(QPalette::Text));
        const QRectF labels(8, top + 3, left - 14, m.rowHeight - 6);
        p.drawText(labels, Qt::AlignLeft | Qt::AlignTop,
                   QFontMetricsF(bold).elidedText(row.title, Qt::ElideRight, labels.width()));
        p.setFont(small);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(labels, Qt::AlignLeft | Qt::AlignBottom,
                   now ? tr("%1 at now").arg(rowText(row, *now)) : tr("before the first sample"));

        // Scale: zero and the ceiling.
        const double y0 = valueToY(0, ceiling, top, m);
        const double y1 = valueToY(ceiling, ceiling, top, m);
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(left, y0), QPointF(right, y0));
        p.setPen(QPen(grid, 1, Qt::DotLine));
        p.drawLine(QPointF(left, y1), QPointF(right, y1));
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(left + 3, y1, 80, QFontMetricsF(small).height()), Qt::AlignLeft | Qt::AlignTop,
                   valueText(ceiling));

        p.save();
        p.setClipRect(QRectF(QPointF(left, top), QPointF(right + 1, top + m.rowHeight)));
        QPainterPath line;
        QPainterPath area;
        for (int k = 0; k < int(row.points.size()); ++k) {
            const QPointF at = *pointAt(i, k, width);
            if (k == 0) {
                line.moveTo(at);
                area.moveTo(at.x(), y0);
                area.lineTo(at);
            } else {
                // Each sample holds until the next one.
                line.lineTo(at.x(), line.currentPosition().y());
                line.lineTo(at);
                area.lineTo(at.x(), area.currentPosition().y());
                area.lineTo(at);
            }
        }
        if (!row.points.empty()) {
            area.lineTo(area.currentPosition().x(), y0);
            area.closeSubpath();
        }
        QColor fill = row.color.isValid() ? row.color : QColor(0x19, 0x76, 0xd2);
        const QColor stroke = fill;
        fill.setAlpha(50);
        p.fillPath(area, fill);
        p.setPen(QPen(stroke, m_presentation ? 2.5 : 1.5));
        p.drawPath(line);
        const double nowX = xAt(m_now, width);
        p.setPen(QPen(QColor(0xe6, 0x51, 0x00), m_presentation ? 3 : 2, Qt::DashLine));
        p.drawLine(QPointF(nowX, top), QPointF(nowX, top + m.rowHeight));
        if (now) {
            p.setBrush(stroke);
            p.setPen(Qt::NoPen);
            p.drawEllipse(QPointF(nowX, valueToY(*now, ceiling, top, m)), 3.5, 3.5);
        }
        p.restore();
    }
    p.setPen(QPen(grid, 1));
    p.drawLine(QPointF(left, 0), QPointF(left, rowsHeight()));
}

namespace {

double headerHeight(const QFont& font)
{
    return QFontMetricsF(font).height() * 1.8;
}

double axisHeight(const QFont& font)
{
    return QFontMetricsF(font).height() * 2.8;
}

} // namespace

QSize SeriesChart::exportSize() const
{
    const int w = width() > metrics().labelWidth + 100 ? width() : sizeHint().width();
    return {w, int(std::ceil(headerHeight(font()) + rowsHeight() + axisHeight(font())))};
}

void SeriesChart::paintExport(QPainter& p, QSize size) const
{
    const QPalette pal = palette();
    const Metrics m = metrics();
    p.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), pal.color(QPalette::Base));
    QFont bold = font();
    bold.setBold(true);
    const double header = headerHeight(font());
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRectF(8, 0, size.width() - 16, header), Qt::AlignLeft | Qt::AlignVCenter, m_title);
    p.save();
    p.translate(0, header);
    paintRows(p, size.width());
    p.restore();

    // The time axis the rows share with the simulator's timeline (which is not part of this picture).
    const double top = header + rowsHeight();
    const double left = m.labelWidth;
    const double right = size.width() - m.rightMargin;
    const QFontMetricsF fm(font());
    p.setFont(font());
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.drawLine(QPointF(left, top), QPointF(right, top));
    const double step = TimelineView::tickStep(m_viewEnd - m_viewStart, right - left, m_presentation ? 150 : 95);
    for (double t = std::ceil(m_viewStart / step) * step; t <= m_viewEnd + step * 1e-9; t += step) {
        const double x = xAt(t, size.width());
        p.setPen(QPen(pal.color(QPalette::Mid), 1));
        p.drawLine(QPointF(x, top), QPointF(x, top + 4));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(x - 60, top + 5, 120, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   TimelineView::timeText(t, TimelineView::TimeOfDay, step));
    }
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRectF(8, top + 5, left - 14, fm.height()), Qt::AlignLeft | Qt::AlignTop, tr("simulated time"));
}

QImage SeriesChart::renderImage() const
{
    return renderToImage([this](QPainter& p, QSize s) { paintExport(p, s); }, exportSize());
}

bool SeriesChart::exportPng(const QString& path) const
{
    return renderImage().save(path, "PNG");
}

bool SeriesChart::exportSvg(const QString& path) const
{
    return exportSvgFile([this](QPainter& p, QSize s) { paintExport(p, s); }, exportSize(), path,
                         m_title.isEmpty() ? tr("tokenbench series chart") : m_title);
}

} // namespace tb::ui
