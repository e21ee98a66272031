#include "SessionCharts.h"

#include <algorithm>
#include <cmath>

#include <QContextMenuEvent>
#include <QFileInfo>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>

#include "support/FileDialog.h"
#include "support/MessageBox.h"
#include "support/PaintExport.h"
#include "support/Theme.h"

namespace tb::ui {

namespace {

constexpr qreal titleHeight = 22;
constexpr qreal axisGap = 4;

QColor faded(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

QColor gridColor(const QPalette& palette)
{
    return faded(palette.color(QPalette::Text), 40);
}

QColor axisTextColor(const QPalette& palette)
{
    return faded(palette.color(QPalette::Text), 170);
}

// Every k-th label so that labels of `labelWidth` pixels do not collide over `count` slots.
int labelStep(int count, qreal width, qreal labelWidth)
{
    if (count <= 0 || width <= 0) {
        return 1;
    }
    const int fit = std::max(1, int(width / labelWidth));
    int step = std::max(1, (count + fit - 1) / fit);
    for (const int nice : {1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200, 256, 500}) {
        if (nice >= step) {
            return nice;
        }
    }
    return step;
}

} // namespace

QString formatMicros(double us)
{
    if (us >= 1000.0) {
        return QStringLiteral("%1 ms").arg(us / 1000.0, 0, 'g', 3);
    }
    return QStringLiteral("%1 µs").arg(us, 0, 'g', us < 10 ? 2 : 3);
}

// ---------------------------------------------------------------------------------------------------- ChartWidget

ChartWidget::ChartWidget(const QString& title, QWidget* parent)
    : QWidget(parent)
    , m_title(title)
    , m_emptyText(tr("No data yet."))
{
    setAccessibleName(title);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ChartWidget::setEmptyText(const QString& text)
{
    m_emptyText = text;
    update();
}

void ChartWidget::paint(QPainter& p, QSize size) const
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF whole(QPointF(0, 0), QSizeF(size));
    p.fillRect(whole, palette().color(QPalette::Base));
    p.setPen(faded(palette().color(QPalette::Text), 60));
    p.drawRect(whole.adjusted(0.5, 0.5, -0.5, -0.5));
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().color(QPalette::Text));
    const QRectF titleRect(10, 4, whole.width() - 20, titleHeight);
    p.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter, m_title);
    const qreal titleWidth = QFontMetricsF(bold).horizontalAdvance(m_title);
    p.setFont(font());
    const QFontMetricsF fm(font());
    qreal top = titleRect.bottom() + 6;
    const auto items = hasData() ? legend() : std::vector<std::pair<QColor, QString>>{};
    if (!items.empty()) {
        // The legend sits beside the title when both fit, else on a line of its own.
        const bool beside = titleWidth + legendWidth(items) + 24 <= titleRect.width();
        const qreal y = beside ? titleRect.top() + (titleHeight - fm.height()) / 2 : top - 4;
        paintLegend(p, QPointF(titleRect.right(), y), items);
        top += beside ? 0 : fm.height();
    }
    const QRectF area(10, top, whole.width() - 20, whole.height() - top - 6);
    if (hasData()) {
        paintPlot(p, area);
    } else {
        p.setPen(axisTextColor(palette()));
        p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    }
    p.restore();
}

qreal ChartWidget::legendWidth(const std::vector<std::pair<QColor, QString>>& items) const
{
    const QFontMetricsF fm(font());
    qreal width = 0;
    for (const auto& item : items) {
        width += fm.horizontalAdvance(item.second) + 26;
    }
    return width;
}

bool ChartWidget::exportPng(const QString& path) const
{
    return renderToImage([this](QPainter& p, QSize s) { paint(p, s); }, size()).save(path, "PNG");
}

bool ChartWidget::exportSvg(const QString& path) const
{
    return exportSvgFile([this](QPainter& p, QSize s) { paint(p, s); }, size(), path, m_title);
}

void ChartWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paint(p, size());
}

void ChartWidget::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    QAction* png = menu.addAction(tr("Save as PNG…"));
    QAction* svg = menu.addAction(tr("Save as SVG…"));
    png->setEnabled(hasData());
    svg->setEnabled(hasData());
    QAction* chosen = menu.exec(event->globalPos());
    if (chosen == nullptr) {
        return;
    }
    const bool asPng = chosen == png;
    const QString path = FileDialog::saveFileName(this, tr("Save chart"),
                                                  asPng ? QStringLiteral("chart.png") : QStringLiteral("chart.svg"),
                                                  asPng ? tr("PNG images (*.png)") : tr("SVG drawings (*.svg)"));
    if (path.isEmpty()) {
        return;
    }
    if (!(asPng ? exportPng(path) : exportSvg(path))) {
        MessageBox::critical(this, tr("Save chart"), tr("Could not write %1.").arg(QFileInfo(path).fileName()));
    }
}

void ChartWidget::paintLegend(QPainter& p, QPointF topRight, const std::vector<std::pair<QColor, QString>>& items) const
{
    const QFontMetricsF fm(font());
    qreal x = topRight.x();
    for (auto it = items.rbegin(); it != items.rend(); ++it) {
        const qreal w = fm.horizontalAdvance(it->second);
        x -= w;
        p.setPen(axisTextColor(palette()));
        p.drawText(QPointF(x, topRight.y() + fm.ascent()), it->second);
        x -= 14;
        p.fillRect(QRectF(x, topRight.y() + (fm.height() - 10) / 2, 10, 10), it->first);
        x -= 12;
    }
}

// --------------------------------------------------------------------------------------------------- EntropyChart

EntropyChart::EntropyChart(QWidget* parent)
    : ChartWidget(tr("Bits per character position"), parent)
{
    setObjectName(QStringLiteral("entropyChart"));
    setEmptyText(tr("Analyse a sample to see which character positions carry entropy."));
}

void EntropyChart::setPositions(std::vector<Position> positions, const QString& level)
{
    m_positions = std::move(positions);
    m_level = level;
    update();
}

std::vector<std::pair<QColor, QString>> EntropyChart::legend() const
{
    return {{theme::okColor(palette()), tr("effective at %1").arg(m_level)},
            {faded(theme::failColor(palette()), 150), tr("failed")},
            {faded(palette().color(QPalette::Text), 70), tr("static")}};
}

void EntropyChart::paintPlot(QPainter& p, const QRectF& area) const
{
    const QFontMetricsF fm(font());
    const QColor ok = theme::okColor(palette());
    const QColor bad = theme::failColor(palette());
    const QColor idle = faded(palette().color(QPalette::Text), 70);
    int maxBits = 1;
    for (const Position& pos : m_positions) {
        maxBits = std::max(maxBits, pos.bits);
    }
    const qreal yLabel = fm.horizontalAdvance(QStringLiteral("88")) + axisGap;
    const QRectF plot(area.left() + yLabel, area.top() + 4, area.width() - yLabel, area.height() - fm.height() - 8);
    const auto yOf = [&](double bits) { return plot.bottom() - bits / maxBits * plot.height(); };

    p.setPen(axisTextColor(palette()));
    const int yStep = maxBits > 8 ? (maxBits + 3) / 4 : 1;
    for (int b = 0; b <= maxBits; b += yStep) {
        const qreal y = yOf(b);
        p.setPen(gridColor(palette()));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(axisTextColor(palette()));
        p.drawText(QRectF(area.left(), y - fm.height() / 2, yLabel - axisGap, fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(b));
    }

    const int n = int(m_positions.size());
    const qreal slot = plot.width() / n;
    const qreal barWidth = std::max<qreal>(1.0, slot * 0.72);
    const int step = labelStep(n, plot.width(), fm.horizontalAdvance(QStringLiteral("888")) + 6);
    for (int i = 0; i < n; ++i) {
        const Position& pos = m_positions[std::size_t(i)];
        const qreal x = plot.left() + i * slot + (slot - barWidth) / 2;
        if (pos.isStatic || pos.bits == 0) {
            p.fillRect(QRectF(x, plot.top(), barWidth, plot.height()), QBrush(idle, Qt::BDiagPattern));
        } else {
            p.fillRect(QRectF(x, yOf(pos.bits), barWidth, yOf(pos.effective) - yOf(pos.bits)), faded(bad, 150));
            p.fillRect(QRectF(x, yOf(pos.effective), barWidth, plot.bottom() - yOf(pos.effective)), ok);
        }
        if (i % step == 0) {
            p.setPen(axisTextColor(palette()));
            p.drawText(QRectF(plot.left() + i * slot - 20, plot.bottom() + 2, slot + 40, fm.height()),
                       Qt::AlignHCenter | Qt::AlignTop, QString::number(pos.position));
        }
    }
    p.setPen(axisTextColor(palette()));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
}

// ----------------------------------------------------------------------------------------------------- BitHeatMap

BitHeatMap::BitHeatMap(QWidget* parent)
    : ChartWidget(tr("Bit-level tests (one cell per bit position)"), parent)
{
    setObjectName(QStringLiteral("bitHeatMap"));
    setEmptyText(tr("Analyse a sample to see which bit positions pass each test."));
}

void BitHeatMap::setRows(std::vector<Row> rows, const QString& level)
{
    m_rows = std::move(rows);
    m_level = level;
    update();
}

std::vector<std::pair<QColor, QString>> BitHeatMap::legend() const
{
    return {{theme::okColor(palette()), tr("pass at %1").arg(m_level)},
            {theme::failColor(palette()), tr("fail")},
            {faded(palette().color(QPalette::Text), 30), tr("n/a")}};
}

void BitHeatMap::paintPlot(QPainter& p, const QRectF& area) const
{
    const QFontMetricsF fm(font());
    const QColor pass = theme::okColor(palette());
    const QColor failed = theme::failColor(palette());
    const QColor na = faded(palette().color(QPalette::Text), 30);
    qreal labelWidth = 0;
    for (const Row& row : m_rows) {
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(row.test));
    }
    labelWidth += 8;
    const QRectF plot(area.left() + labelWidth, area.top() + 4, area.width() - labelWidth,
                      area.height() - fm.height() - 8);
    const int bits = int(m_rows.front().cells.size());
    const qreal cw = plot.width() / bits;
    const qreal ch = plot.height() / qreal(m_rows.size());
    p.setRenderHint(QPainter::Antialiasing, false);
    for (std::size_t r = 0; r < m_rows.size(); ++r) {
        const Row& row = m_rows[r];
        const qreal y = plot.top() + qreal(r) * ch;
        p.setPen(axisTextColor(palette()));
        p.drawText(QRectF(area.left(), y, labelWidth - 6, ch), Qt::AlignRight | Qt::AlignVCenter, row.test);
        for (int b = 0; b < bits && b < int(row.cells.size()); ++b) {
            const Cell c = row.cells[std::size_t(b)];
            const QColor color = c == Pass ? faded(pass, 190) : c == Fail ? failed : na;
            QRectF cell(plot.left() + b * cw, y, cw, ch);
            if (cw >= 4) {
                cell.adjust(0, 0, -1, 0);
            }
            p.fillRect(cell.adjusted(0, 1, 0, -1), color);
        }
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    const int step = labelStep(bits, plot.width(), fm.horizontalAdvance(QStringLiteral("8888")) + 6);
    p.setPen(axisTextColor(palette()));
    for (int b = 0; b < bits; b += step) {
        p.drawText(QRectF(plot.left() + b * cw - 20, plot.bottom() + 2, 40 + cw, fm.height()),
                   Qt::AlignHCenter | Qt::AlignTop, QString::number(b));
    }
}

// ------------------------------------------------------------------------------------------------- PhaseSpacePlot

PhaseSpacePlot::PhaseSpacePlot(QWidget* parent)
    : ChartWidget(tr("Phase space: ID n → ID n+1"), parent)
{
    setObjectName(QStringLiteral("phaseSpace"));
    setEmptyText(tr("Consecutive IDs plotted against each other: a line or a lattice means the next ID follows "
                    "from the last."));
}

void PhaseSpacePlot::setPoints(std::vector<std::pair<double, double>> points)
{
    m_points = std::move(points);
    update();
}

void PhaseSpacePlot::paintPlot(QPainter& p, const QRectF& area) const
{
    const QFontMetricsF fm(font());
    const qreal margin = fm.height() + 6;
    const qreal side = std::max<qreal>(20, std::min(area.width() - margin, area.height() - margin));
    const QRectF plot(area.left() + margin + (area.width() - margin - side) / 2, area.top(), side, side);
    p.fillRect(plot, faded(palette().color(QPalette::Text), 8));
    p.setPen(gridColor(palette()));
    for (const double f : {0.25, 0.5, 0.75}) {
        p.drawLine(QPointF(plot.left() + f * side, plot.top()), QPointF(plot.left() + f * side, plot.bottom()));
        p.drawLine(QPointF(plot.left(), plot.top() + f * side), QPointF(plot.right(), plot.top() + f * side));
    }
    p.setPen(axisTextColor(palette()));
    p.drawRect(plot);
    p.drawText(QRectF(plot.left(), plot.bottom() + 2, side, fm.height()), Qt::AlignCenter, tr("ID n"));
    p.save();
    p.translate(plot.left() - 4, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-side / 2, -fm.height(), side, fm.height()), Qt::AlignCenter, tr("ID n+1"));
    p.restore();

    QColor dot = theme::keyColor(palette());
    dot.setAlpha(m_points.size() > 2000 ? 90 : 160);
    p.setPen(QPen(dot, m_points.size() > 2000 ? 2.0 : 3.0, Qt::SolidLine, Qt::RoundCap));
    QPolygonF polygon;
    polygon.reserve(qsizetype(m_points.size()));
    for (const auto& [x, y] : m_points) {
        polygon << QPointF(plot.left() + x * side, plot.bottom() - y * side);
    }
    p.drawPoints(polygon);
}

// --------------------------------------------------------------------------------------------------- LatencyChart

LatencyChart::LatencyChart(QWidget* parent)
    : ChartWidget(tr("Latency per operation (log scale)"), parent)
{
    setObjectName(QStringLiteral("latencyChart"));
    setEmptyText(tr("Run the benchmark to compare session-store lookups with JWT verification on this machine."));
}

void LatencyChart::setBars(std::vector<Bar> bars)
{
    m_bars = std::move(bars);
    update();
}

std::vector<std::pair<QColor, QString>> LatencyChart::legend() const
{
    return {{theme::keyColor(palette()), tr("store lookup")},
            {theme::payloadColor(palette()), tr("JWT verification")},
            {faded(theme::warnColor(palette()), 60), tr("claim: 1–2 ms")}};
}

void LatencyChart::paintPlot(QPainter& p, const QRectF& area) const
{
    const QFontMetricsF fm(font());
    const QColor store = theme::keyColor(palette());
    const QColor jwt = theme::payloadColor(palette());
    const QColor claim = theme::warnColor(palette());
    double lo = 1e9;
    double hi = 2000; // keep the claimed 1–2 ms range on the axis
    qreal labelWidth = 0;
    for (const Bar& b : m_bars) {
        lo = std::min(lo, std::max(0.01, b.p50Us));
        hi = std::max(hi, b.p99Us);
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(b.label));
    }
    const int firstDecade = int(std::floor(std::log10(lo / 2))); // room for the shortest bar
    const int lastDecade = int(std::ceil(std::log10(hi)));
    labelWidth += 10;
    const qreal valueWidth = fm.horizontalAdvance(QStringLiteral("p50 888 µs · p99 8888 µs")) + 8;
    const QRectF plot(area.left() + labelWidth, area.top() + fm.height() + 4,
                      std::max<qreal>(40, area.width() - labelWidth - valueWidth),
                      area.height() - 2 * fm.height() - 10);
    const auto xOf = [&](double us) {
        const double t = (std::log10(std::max(us, 0.001)) - firstDecade) / double(lastDecade - firstDecade);
        return plot.left() + std::clamp(t, 0.0, 1.0) * plot.width();
    };

    // The seed's claim for a Redis lookup, 1–2 ms.
    const QRectF band(QPointF(xOf(1000), plot.top()), QPointF(xOf(2000), plot.bottom()));
    p.fillRect(band, faded(claim, 45));
    p.setPen(claim);
    p.drawText(QRectF(band.center().x() - 90, area.top(), 180, fm.height()), Qt::AlignCenter,
               tr("seed's claim for Redis"));

    for (int d = firstDecade; d <= lastDecade; ++d) {
        const qreal x = xOf(std::pow(10.0, d));
        p.setPen(gridColor(palette()));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(axisTextColor(palette()));
        p.drawText(QRectF(x - 40, plot.bottom() + 2, 80, fm.height()), Qt::AlignCenter,
                   formatMicros(std::pow(10.0, d)));
    }

    const qreal rowHeight = std::min<qreal>(44, plot.height() / qreal(m_bars.size()));
    const qreal barHeight = std::clamp<qreal>(rowHeight * 0.55, 4, 22);
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        const Bar& b = m_bars[i];
        const qreal y = plot.top() + qreal(i) * rowHeight + (rowHeight - barHeight) / 2;
        const QColor color = b.jwt ? jwt : store;
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF(area.left(), y - 4, labelWidth - 10, barHeight + 8), Qt::AlignRight | Qt::AlignVCenter,
                   b.label);
        p.fillRect(QRectF(QPointF(plot.left(), y), QPointF(xOf(b.p50Us), y + barHeight)), color);
        p.fillRect(QRectF(QPointF(xOf(b.p50Us), y + barHeight * 0.2), QPointF(xOf(b.p99Us), y + barHeight * 0.8)),
                   faded(color, 90));
        p.setPen(axisTextColor(palette()));
        p.drawText(QRectF(xOf(b.p99Us) + 6, y - 4, valueWidth + 200, barHeight + 8), Qt::AlignLeft | Qt::AlignVCenter,
                   tr("p50 %1 · p99 %2").arg(formatMicros(b.p50Us), formatMicros(b.p99Us)));
    }
    p.setPen(axisTextColor(palette()));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
}

} // namespace tb::ui
