#include "TokenView.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include "support/Theme.h"

namespace tb::ui {

namespace {

QString segmentName(int segment, int segments)
{
    if (segments == 1) {
        return QObject::tr("text");
    }
    if (segments == 5) {
        static const char* const jwe[] = {QT_TR_NOOP("protected header"), QT_TR_NOOP("encrypted key"),
                                          QT_TR_NOOP("initialisation vector"), QT_TR_NOOP("ciphertext"),
                                          QT_TR_NOOP("authentication tag")};
        return QObject::tr(jwe[segment]);
    }
    static const char* const jws[] = {QT_TR_NOOP("header"), QT_TR_NOOP("payload"), QT_TR_NOOP("signature")};
    return segment < 3 ? QObject::tr(jws[segment]) : QObject::tr("segment %1").arg(segment + 1);
}

} // namespace

TokenView::TokenView(QWidget* parent)
    : QAbstractScrollArea(parent)
{
    setFont(theme::codeFont());
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    viewport()->setCursor(Qt::IBeamCursor);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setAutoFillBackground(true);
    updateMetrics();
}

TokenView::~TokenView() = default;

void TokenView::setToken(const QByteArray& token)
{
    if (token == m_token) {
        return;
    }
    m_token = token;
    m_dots.clear();
    for (qsizetype i = m_plain ? -1 : m_token.indexOf('.'); i >= 0; i = m_token.indexOf('.', i + 1)) {
        m_dots.push_back(i);
    }
    m_anchor = m_cursor = 0;
    setAccessibleDescription(
        tr("%n byte(s) in %1 segment(s)", nullptr, int(m_token.size())).arg(m_token.isEmpty() ? 0 : m_dots.size() + 1));
    updateScrollBar();
    viewport()->update();
}

void TokenView::setPlain(bool plain)
{
    m_plain = plain;
    const QByteArray token = std::exchange(m_token, {});
    setToken(token); // re-finds the segments
}

void TokenView::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    viewport()->update();
}

QByteArray TokenView::selectedBytes() const
{
    const qsizetype from = std::min(m_anchor, m_cursor);
    const qsizetype to = std::max(m_anchor, m_cursor);
    return m_token.sliced(from, to - from);
}

void TokenView::select(qsizetype from, qsizetype to)
{
    m_anchor = std::clamp<qsizetype>(from, 0, m_token.size());
    m_cursor = std::clamp<qsizetype>(to, 0, m_token.size());
    viewport()->update();
}

void TokenView::selectAll()
{
    select(0, m_token.size());
}

void TokenView::copy() const
{
    const QByteArray bytes = selectedBytes();
    if (!bytes.isEmpty()) {
        QApplication::clipboard()->setText(text(bytes));
    }
}

QString TokenView::text(QByteArrayView bytes) const
{
    return m_plain ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes);
}

int TokenView::segmentAt(qsizetype pos) const
{
    // Dots before pos (a dot itself counts with the segment it closes).
    return int(std::lower_bound(m_dots.cbegin(), m_dots.cend(), pos) - m_dots.cbegin());
}

qsizetype TokenView::segmentStart(int segment) const
{
    return segment == 0 ? 0 : m_dots.at(std::size_t(segment - 1)) + 1;
}

qsizetype TokenView::segmentEnd(int segment) const
{
    return std::size_t(segment) < m_dots.size() ? m_dots.at(std::size_t(segment)) : m_token.size();
}

QColor TokenView::colourAt(qsizetype pos) const
{
    if (m_plain || isBoldAt(pos)) {
        return palette().color(QPalette::Text);
    }
    switch (segmentAt(pos) % 3) {
    case 0:
        return theme::headerColor(palette());
    case 1:
        return theme::payloadColor(palette());
    default:
        return theme::signatureColor(palette());
    }
}

bool TokenView::isBoldAt(qsizetype pos) const
{
    return !m_plain && pos >= 0 && pos < m_token.size() && m_token.at(pos) == '.';
}

int TokenView::columns() const
{
    const qreal width = viewport()->width() - 2 * margin;
    return std::max(1, int(std::floor(width / m_charWidth)));
}

qsizetype TokenView::positionAt(const QPoint& p) const
{
    const qsizetype row = std::max(0, (p.y() - margin) / m_lineHeight) + verticalScrollBar()->value();
    const qsizetype col = std::clamp<qsizetype>(qsizetype(std::lround((p.x() - margin) / m_charWidth)), 0, columns());
    return std::clamp<qsizetype>(row * columns() + col, 0, m_token.size());
}

void TokenView::updateMetrics()
{
    const QFontMetricsF fm(font());
    m_charWidth = std::max<qreal>(1, fm.horizontalAdvance(QLatin1Char('M')));
    m_lineHeight = std::max(1, int(std::ceil(fm.lineSpacing())));
    m_ascent = int(std::ceil(fm.ascent()));
    updateScrollBar();
}

void TokenView::updateScrollBar()
{
    const qsizetype rows = (m_token.size() + columns() - 1) / columns();
    const int visible = std::max(1, (viewport()->height() - 2 * margin) / m_lineHeight);
    verticalScrollBar()->setRange(0, int(std::max<qsizetype>(0, rows - visible)));
    verticalScrollBar()->setPageStep(visible);
    verticalScrollBar()->setSingleStep(1);
}

void TokenView::paintRow(QPainter& painter, qsizetype start, qsizetype end, qreal y) const
{
    const QFont regular = font();
    QFont bold = regular;
    bold.setBold(true);
    for (qsizetype a = start; a < end;) {
        // One run: up to the next dot, or the dot itself.
        qsizetype b = a + 1;
        if (!isBoldAt(a)) {
            const auto next = std::lower_bound(m_dots.cbegin(), m_dots.cend(), a);
            b = std::min(end, next == m_dots.cend() ? end : *next);
        }
        painter.setFont(isBoldAt(a) ? bold : regular);
        painter.setPen(colourAt(a));
        painter.drawText(QPointF(margin + qreal(a - start) * m_charWidth, y + m_ascent),
                         text(QByteArrayView(m_token.constData() + a, b - a)));
        a = b;
    }
}

void TokenView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    if (m_token.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect().adjusted(margin, margin, -margin, -margin),
                         Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_placeholder);
        return;
    }
    const int cols = columns();
    const qsizetype first = verticalScrollBar()->value();
    const qsizetype selFrom = std::min(m_anchor, m_cursor);
    const qsizetype selTo = std::max(m_anchor, m_cursor);
    const QColor highlight = palette().color(hasFocus() ? QPalette::Active : QPalette::Inactive, QPalette::Highlight);
    for (qreal y = margin; y < viewport()->height(); y += m_lineHeight) {
        const qsizetype start = (first + qsizetype((y - margin) / m_lineHeight)) * cols;
        if (start >= m_token.size()) {
            break;
        }
        const qsizetype end = std::min(m_token.size(), start + cols);
        const qsizetype a = std::max(start, selFrom);
        const qsizetype b = std::min(end, selTo);
        if (a < b) {
            painter.fillRect(
                QRectF(margin + qreal(a - start) * m_charWidth, y, qreal(b - a) * m_charWidth, m_lineHeight),
                highlight);
        }
        paintRow(painter, start, end, y);
    }
}

void TokenView::resizeEvent(QResizeEvent* event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBar();
}

void TokenView::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::FontChange) {
        updateMetrics();
    }
    QAbstractScrollArea::changeEvent(event);
}

void TokenView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) {
        return;
    }
    const qsizetype pos = positionAt(event->position().toPoint());
    m_cursor = pos;
    if (!(event->modifiers() & Qt::ShiftModifier)) {
        m_anchor = pos;
    }
    viewport()->update();
}

void TokenView::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton) {
        m_cursor = positionAt(event->position().toPoint());
        viewport()->update();
    }
}

void TokenView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (m_token.isEmpty()) {
        return;
    }
    const int segment = segmentAt(std::min(positionAt(event->position().toPoint()), m_token.size() - 1));
    select(segmentStart(segment), segmentEnd(segment));
}

void TokenView::keyPressEvent(QKeyEvent* event)
{
    if (event == QKeySequence::Copy) {
        copy();
    } else if (event == QKeySequence::SelectAll) {
        selectAll();
    } else {
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void TokenView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    QAction* copyAction = menu.addAction(tr("&Copy"), this, &TokenView::copy);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(m_anchor != m_cursor);
    if (!m_token.isEmpty() && !m_plain) {
        const qsizetype pos = std::min(positionAt(viewport()->mapFromGlobal(event->globalPos())), m_token.size() - 1);
        const int segment = segmentAt(pos);
        menu.addAction(tr("Copy the %1").arg(segmentName(segment, int(m_dots.size()) + 1)), this, [this, segment] {
            QApplication::clipboard()->setText(QString::fromLatin1(
                m_token.sliced(segmentStart(segment), segmentEnd(segment) - segmentStart(segment))));
        });
        menu.addAction(tr("Copy the whole token"), this, [this] { QApplication::clipboard()->setText(text(m_token)); });
    }
    menu.addSeparator();
    menu.addAction(tr("Select &All"), this, &TokenView::selectAll)->setShortcut(QKeySequence::SelectAll);
    menu.exec(event->globalPos());
}

bool TokenView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && !m_token.isEmpty()) {
        auto* help = static_cast<QHelpEvent*>(event);
        const qsizetype pos = positionAt(help->pos());
        if (pos < m_token.size()) {
            const int segment = segmentAt(pos);
            QToolTip::showText(help->globalPos(),
                               tr("%1 · byte %2 of %3 · %4 bytes")
                                   .arg(segmentName(segment, int(m_dots.size()) + 1))
                                   .arg(pos + 1)
                                   .arg(m_token.size())
                                   .arg(segmentEnd(segment) - segmentStart(segment)),
                               viewport());
            return true;
        }
    }
    return QAbstractScrollArea::viewportEvent(event);
}

QSize TokenView::sizeHint() const
{
    return {int(m_charWidth * 64) + 2 * margin + verticalScrollBar()->sizeHint().width(), m_lineHeight * 6};
}

QSize TokenView::minimumSizeHint() const
{
    return {int(m_charWidth * 16), m_lineHeight * 2 + 2 * margin};
}

} // namespace tb::ui
