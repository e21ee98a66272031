#include "SequenceDiagram.h"

#include <algorithm>
#include <cmath>

#include "support/PaintExport.h"
#include <QPainter>
#include <QPainterPath>

namespace tb::ui {

namespace {

constexpr double sideMargin = 24;

QString latencyText(double ms)
{
    if (ms >= 1) {
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', ms >= 10 ? 0 : 2);
    }
    return QStringLiteral("%1 µs").arg(ms * 1000, 0, 'f', ms * 1000 >= 10 ? 0 : 1);
}

} // namespace

SequenceDiagram::SequenceDiagram(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("sequenceDiagram"));
    setAccessibleName(tr("Sequence diagram of one request"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_basePointSize = font().pointSizeF();
}

SequenceDiagram::~SequenceDiagram() = default;

void SequenceDiagram::setMessages(const QString& title, std::vector<SequenceMessage> messages)
{
    m_title = title;
    m_messages = std::move(messages);
    m_participants.clear();
    for (const SequenceMessage& msg : m_messages) {
        for (const QString& who : {msg.from, msg.to}) {
            if (!m_participants.contains(who)) {
                m_participants.append(who);
            }
        }
    }
    QStringList accessible;
    for (const SequenceMessage& msg : m_messages) {
        accessible.append(QStringLiteral("%1 → %2: %3").arg(msg.from, msg.to, msg.label));
    }
    setAccessibleDescription(accessible.join(QLatin1Char('\n')));
    setToolTip(accessible.join(QLatin1Char('\n')));
    updateGeometry();
    update();
}

void SequenceDiagram::setPresentationMode(bool on)
{
    m_presentation = on;
    QFont f = font();
    f.setPointSizeF(on ? std::max(15.0, m_basePointSize * 1.6) : m_basePointSize);
    setFont(f);
    updateGeometry();
    update();
}

double SequenceDiagram::participantX(int index, double width) const
{
    const auto n = std::max<qsizetype>(m_participants.size(), 1);
    const double column = (width - 2 * sideMargin) / double(n);
    return sideMargin + column * (index + 0.5);
}

double SequenceDiagram::messageY(int index) const
{
    return headHeight() + rowHeight() * (index + 0.75);
}

QSize SequenceDiagram::sizeHint() const
{
    return {760, int(headHeight() + rowHeight() * (double(m_messages.size()) + 1.2) + 28)};
}

QSize SequenceDiagram::minimumSizeHint() const
{
    return {420, int(headHeight() + rowHeight() * 2)};
}

QImage SequenceDiagram::renderImage(QSize size) const
{
    if (!size.isValid() || size.isEmpty()) {
        size = this->size().isEmpty() ? sizeHint() : this->size();
    }
    return renderToImage([this](QPainter& p, QSize s) { paint(p, s); }, size);
}

bool SequenceDiagram::exportPng(const QString& path, QSize size) const
{
    return renderImage(size).save(path, "PNG");
}

bool SequenceDiagram::exportSvg(const QString& path, QSize size) const
{
    if (!size.isValid() || size.isEmpty()) {
        size = this->size().isEmpty() ? sizeHint() : this->size();
    }
    return exportSvgFile([this](QPainter& p, QSize s) { paint(p, s); }, size, path,
                         m_title.isEmpty() ? tr("tokenbench sequence diagram") : m_title);
}

void SequenceDiagram::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paint(p, size());
}

void SequenceDiagram::paint(QPainter& p, QSize size) const
{
    const QPalette& pal = palette();
    const QColor background = m_presentation ? QColor(Qt::white) : pal.color(QPalette::Base);
    const QColor text = m_presentation ? QColor(Qt::black) : pal.color(QPalette::Text);
    const bool dark = !m_presentation && background.lightness() < 128;
    const QColor boxFill = dark ? QColor(0x26, 0x3a, 0x52) : QColor(0xe3, 0xf2, 0xfd);
    const QColor boxEdge = dark ? QColor(0x64, 0xb5, 0xf6) : QColor(0x15, 0x65, 0xc0);
    const QColor lifeLine = m_presentation ? QColor(0x66, 0x66, 0x66) : pal.color(QPalette::Mid);
    const QColor arrow = m_presentation ? QColor(Qt::black) : text;
    const QColor cost = dark ? QColor(0xff, 0xb7, 0x4d) : QColor(0xbf, 0x36, 0x0c);
    const double lw = m_presentation ? 2.2 : 1.3;
    const double w = size.width();

    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRectF(QPointF(0, 0), QSizeF(size)), background);
    QFont base = font();
    QFont bold = base;
    bold.setBold(true);
    QFont small = base;
    small.setPointSizeF(base.pointSizeF() * 0.85);
    const QFontMetricsF fm(base);

    p.setFont(bold);
    p.setPen(text);
    p.drawText(QRectF(sideMargin, 4, w - 2 * sideMargin, fm.height() + 4), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(bold).elidedText(m_title, Qt::ElideRight, w - 2 * sideMargin));
    if (m_participants.isEmpty()) {
        p.setFont(base);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(0, 0, w, size.height()), Qt::AlignCenter, tr("Run a scenario to see one request."));
        return;
    }

    const double column = (w - 2 * sideMargin) / double(m_participants.size());
    const double boxTop = fm.height() + 14;
    const double boxHeight = headHeight() - boxTop - 8;
    const double bottom = messageY(int(m_messages.size()) - 1) + rowHeight() * 0.6;
    for (int i = 0; i < m_participants.size(); ++i) {
        const double x = participantX(i, w);
        const double bw =
            std::min(column - 12, std::max(110.0, QFontMetricsF(bold).horizontalAdvance(m_participants[i]) + 24));
        const QRectF box(x - bw / 2, boxTop, bw, boxHeight);
        p.setPen(QPen(boxEdge, lw));
        p.setBrush(boxFill);
        p.drawRoundedRect(box, 5, 5);
        p.setBrush(Qt::NoBrush);
        p.setFont(bold);
        p.setPen(text);
        p.drawText(box, Qt::AlignCenter, QFontMetricsF(bold).elidedText(m_participants[i], Qt::ElideRight, bw - 8));
        p.setPen(QPen(lifeLine, lw, Qt::DashLine));
        p.drawLine(QPointF(x, box.bottom()), QPointF(x, bottom));
    }

    double total = 0;
    for (int i = 0; i < int(m_messages.size()); ++i) {
        const SequenceMessage& msg = m_messages[std::size_t(i)];
        total += msg.latencyMs;
        const double x0 = participantX(int(m_participants.indexOf(msg.from)), w);
        const double x1 = participantX(int(m_participants.indexOf(msg.to)), w);
        const double y = messageY(i);
        const bool reply =
            i > 0 && m_messages[std::size_t(i - 1)].to == msg.from && m_messages[std::size_t(i - 1)].from == msg.to;
        p.setPen(QPen(arrow, lw, reply ? Qt::DashLine : Qt::SolidLine));
        const double head = m_presentation ? 11 : 8;
        QString label = QStringLiteral("%1. %2").arg(i + 1).arg(msg.label);
        QRectF labelRect;
        if (x0 == x1) {
            // Work done in place: a loop to the right.
            const double loop = std::min(46.0, column * 0.3);
            QPainterPath path(QPointF(x0, y - rowHeight() * 0.3));
            path.lineTo(x0 + loop, y - rowHeight() * 0.3);
            path.lineTo(x0 + loop, y);
            path.lineTo(x0 + 2, y);
            p.drawPath(path);
            p.setPen(QPen(arrow, lw));
            p.drawLine(QPointF(x0 + 2, y), QPointF(x0 + 2 + head, y - head / 2));
            p.drawLine(QPointF(x0 + 2, y), QPointF(x0 + 2 + head, y + head / 2));
            labelRect =
                QRectF(x0 + loop + 6, y - rowHeight() * 0.3 - fm.height() / 2, w - x0 - loop - 10, fm.height() * 1.6);
        } else {
            p.drawLine(QPointF(x0, y), QPointF(x1, y));
            const double dir = x1 > x0 ? -1 : 1;
            p.setPen(QPen(arrow, lw));
            p.drawLine(QPointF(x1, y), QPointF(x1 + dir * head, y - head / 2));
            p.drawLine(QPointF(x1, y), QPointF(x1 + dir * head, y + head / 2));
            const double l = std::min(x0, x1);
            // Centred on the arrow; a long label may run past its ends while the diagram has room.
            const double want = std::max(std::abs(x1 - x0) - 12, fm.horizontalAdvance(label) + 8);
            const double labelWidth = std::min(want, w - 2 * sideMargin);
            const double cx =
                std::clamp(l + std::abs(x1 - x0) / 2, sideMargin + labelWidth / 2, w - sideMargin - labelWidth / 2);
            labelRect = QRectF(cx - labelWidth / 2, y - fm.height() - 3, labelWidth, fm.height());
        }
        p.setFont(base);
        p.setPen(text);
        QString shown = label;
        if (x0 != x1) {
            shown = fm.elidedText(label, Qt::ElideRight, std::max(40.0, labelRect.width()));
            p.drawText(labelRect, Qt::AlignHCenter | Qt::AlignBottom, shown);
        } else {
            p.drawText(labelRect, Qt::AlignLeft | Qt::AlignTop,
                       fm.elidedText(label, Qt::ElideRight, labelRect.width()));
        }
        if (msg.latencyMs > 0) {
            p.setFont(small);
            p.setPen(cost);
            const QString c = latencyText(msg.latencyMs);
            if (x0 == x1) {
                p.drawText(QRectF(labelRect.left(), y - QFontMetricsF(small).height() / 2 + 2, labelRect.width(),
                                  QFontMetricsF(small).height()),
                           Qt::AlignLeft | Qt::AlignVCenter, c);
            } else {
                const double l = std::min(x0, x1);
                p.drawText(QRectF(l, y + 2, std::abs(x1 - x0), QFontMetricsF(small).height()),
                           Qt::AlignHCenter | Qt::AlignTop, c);
            }
        }
    }
    p.setFont(bold);
    p.setPen(cost);
    p.drawText(QRectF(sideMargin, bottom + 2, w - 2 * sideMargin, fm.height() + 6), Qt::AlignRight | Qt::AlignVCenter,
               tr("authentication cost of this request ≈ %1").arg(latencyText(total)));
}

} // namespace tb::ui
