#include "TokenViewAccessible.h"

#include <algorithm>

#include <QScrollBar>
#include <QTextBoundaryFinder>

#include "TokenView.h"

namespace tb::ui {

namespace {

// How far around an offset a word, sentence or paragraph is looked for: long enough for any real one,
// short enough that a multi-megabyte text is never decoded whole.
constexpr int boundaryWindow = 4096;

} // namespace

TokenViewAccessible::TokenViewAccessible(TokenView* view)
    : QAccessibleWidget(view, QAccessible::EditableText)
{}

QAccessibleInterface* TokenViewAccessible::create(const QString&, QObject* object)
{
    auto* view = qobject_cast<TokenView*>(object);
    return view ? new TokenViewAccessible(view) : nullptr;
}

TokenView* TokenViewAccessible::view() const
{
    return static_cast<TokenView*>(widget());
}

void* TokenViewAccessible::interface_cast(QAccessible::InterfaceType type)
{
    if (type == QAccessible::TextInterface) {
        return static_cast<QAccessibleTextInterface*>(this);
    }
    return QAccessibleWidget::interface_cast(type);
}

QAccessible::State TokenViewAccessible::state() const
{
    QAccessible::State s = QAccessibleWidget::state();
    s.readOnly = true;
    s.multiLine = true;
    s.selectableText = true;
    return s;
}

QString TokenViewAccessible::text(QAccessible::Text type) const
{
    if (type != QAccessible::Value) {
        return QAccessibleWidget::text(type);
    }
    // The rows on screen, not the whole (possibly multi-megabyte) text.
    const TokenView* v = view();
    const qsizetype first = v->verticalScrollBar()->value();
    return v->characters(v->rowStart(first), v->rowStart(first + v->verticalScrollBar()->pageStep()));
}

void TokenViewAccessible::selection(int selectionIndex, int* startOffset, int* endOffset) const
{
    *startOffset = *endOffset = 0;
    if (selectionIndex == 0 && selectionCount() == 1) {
        *startOffset = int(view()->characterOffset(view()->selectionStart()));
        *endOffset = int(view()->characterOffset(view()->selectionEnd()));
    }
}

int TokenViewAccessible::selectionCount() const
{
    return view()->selectionStart() < view()->selectionEnd() ? 1 : 0;
}

void TokenViewAccessible::addSelection(int startOffset, int endOffset)
{
    setSelection(0, startOffset, endOffset);
}

void TokenViewAccessible::removeSelection(int selectionIndex)
{
    if (selectionIndex == 0) {
        view()->select(view()->cursorPosition(), view()->cursorPosition());
    }
}

void TokenViewAccessible::setSelection(int selectionIndex, int startOffset, int endOffset)
{
    if (selectionIndex == 0) {
        view()->select(view()->bytePosition(startOffset), view()->bytePosition(endOffset));
    }
}

int TokenViewAccessible::cursorPosition() const
{
    return int(view()->characterOffset(view()->cursorPosition()));
}

void TokenViewAccessible::setCursorPosition(int position)
{
    const qsizetype pos = view()->bytePosition(position);
    view()->select(pos, pos);
    view()->scrollToPosition(pos);
}

QString TokenViewAccessible::text(int startOffset, int endOffset) const
{
    // Offsets may fall inside a surrogate pair: decode whole characters, then cut to the exact units.
    const TokenView* v = view();
    startOffset = std::clamp(startOffset, 0, characterCount());
    endOffset = std::clamp(endOffset, startOffset, characterCount());
    const qsizetype from = v->bytePosition(startOffset);
    const qsizetype to = v->bytePosition(endOffset);
    const qsizetype head = startOffset - v->characterOffset(from);
    const bool tail = endOffset > v->characterOffset(to);
    return v->characters(from, tail ? v->characterEnd(to) : to).sliced(head, endOffset - startOffset);
}

void TokenViewAccessible::boundaryAround(int offset, QAccessible::TextBoundaryType type, int* start, int* end) const
{
    const int from = std::max(0, offset - boundaryWindow);
    const QString window = text(from, std::min(characterCount(), offset + boundaryWindow));
    const int at = offset - from;
    if (type == QAccessible::ParagraphBoundary) {
        const qsizetype before = at > 0 ? window.lastIndexOf(QLatin1Char('\n'), at - 1) : -1;
        const qsizetype after = window.indexOf(QLatin1Char('\n'), at);
        *start = from + int(before + 1);
        *end = from + int(after < 0 ? window.size() : after + 1);
        return;
    }
    QTextBoundaryFinder finder(
        type == QAccessible::WordBoundary ? QTextBoundaryFinder::Word : QTextBoundaryFinder::Sentence, window);
    finder.setPosition(at);
    const qsizetype left = finder.isAtBoundary() ? at : finder.toPreviousBoundary();
    finder.setPosition(at);
    const qsizetype right = finder.toNextBoundary();
    *start = from + int(std::max<qsizetype>(0, left));
    *end = from + int(right < 0 ? window.size() : right);
}

QString TokenViewAccessible::textAtOffset(int offset, QAccessible::TextBoundaryType boundaryType, int* startOffset,
                                          int* endOffset) const
{
    const TokenView* v = view();
    const int count = characterCount();
    offset = std::clamp(offset, 0, count);
    *startOffset = *endOffset = offset;
    if (boundaryType == QAccessible::NoBoundary) {
        *startOffset = 0;
        *endOffset = count;
    } else if (offset == count) {
        return {};
    } else if (boundaryType == QAccessible::CharBoundary) {
        const qsizetype pos = v->bytePosition(offset);
        *startOffset = int(v->characterOffset(pos));
        *endOffset = int(v->characterOffset(v->characterEnd(pos)));
    } else if (boundaryType == QAccessible::LineBoundary) {
        const qsizetype row = v->rowOf(v->bytePosition(offset));
        *startOffset = int(v->characterOffset(v->rowStart(row)));
        *endOffset = int(v->characterOffset(v->rowStart(row + 1)));
    } else {
        boundaryAround(offset, boundaryType, startOffset, endOffset);
    }
    return text(*startOffset, *endOffset);
}

QString TokenViewAccessible::textBeforeOffset(int offset, QAccessible::TextBoundaryType boundaryType, int* startOffset,
                                              int* endOffset) const
{
    int start = 0;
    int end = 0;
    textAtOffset(offset, boundaryType, &start, &end);
    if (start <= 0 || boundaryType == QAccessible::NoBoundary) {
        *startOffset = *endOffset = 0;
        return {};
    }
    return textAtOffset(start - 1, boundaryType, startOffset, endOffset);
}

QString TokenViewAccessible::textAfterOffset(int offset, QAccessible::TextBoundaryType boundaryType, int* startOffset,
                                             int* endOffset) const
{
    int start = 0;
    int end = 0;
    textAtOffset(offset, boundaryType, &start, &end);
    if (end >= characterCount() || boundaryType == QAccessible::NoBoundary) {
        *startOffset = *endOffset = characterCount();
        return {};
    }
    return textAtOffset(end, boundaryType, startOffset, endOffset);
}

int TokenViewAccessible::characterCount() const
{
    return int(view()->characterCount());
}

QRect TokenViewAccessible::characterRect(int offset) const
{
    const QRectF r = view()->characterRect(view()->bytePosition(offset));
    return {view()->viewport()->mapToGlobal(r.topLeft().toPoint()), r.size().toSize()};
}

int TokenViewAccessible::offsetAtPoint(const QPoint& point) const
{
    const QPoint local = view()->viewport()->mapFromGlobal(point);
    if (!view()->viewport()->rect().contains(local)) {
        return -1;
    }
    const qsizetype pos = view()->characterAt(local);
    return pos < view()->token().size() ? int(view()->characterOffset(pos)) : -1;
}

void TokenViewAccessible::scrollToSubstring(int startIndex, int)
{
    view()->scrollToPosition(view()->bytePosition(startIndex));
}

QString TokenViewAccessible::attributes(int offset, int* startOffset, int* endOffset) const
{
    // No text attributes: one run over the whole text.
    Q_UNUSED(offset)
    *startOffset = 0;
    *endOffset = characterCount();
    return {};
}

} // namespace tb::ui
