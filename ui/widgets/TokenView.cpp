#include "TokenView.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <QAccessible>
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

#include "TokenViewAccessible.h"
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

bool isContinuation(char c)
{
    return (uchar(c) & 0xC0) == 0x80;
}

int sequenceLength(uchar lead)
{
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        return 3;
    }
    return lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
}

struct Decoded
{
    char32_t ch;
    int length;
};

// The character starting at p; a byte that starts no well-formed character is one U+FFFD of length 1.
Decoded decodeUtf8(QByteArrayView bytes, qsizetype p)
{
    const auto lead = uchar(bytes[p]);
    const int n = sequenceLength(lead);
    if (n == 1) {
        return {lead, 1};
    }
    constexpr Decoded invalid{QChar::ReplacementCharacter, 1};
    if (n == 0 || p + n > bytes.size()) {
        return invalid;
    }
    char32_t ch = lead & (0x7F >> n);
    for (int i = 1; i < n; ++i) {
        if (!isContinuation(bytes[p + i])) {
            return invalid;
        }
        ch = (ch << 6) | (uchar(bytes[p + i]) & 0x3F);
    }
    static constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    const bool surrogate = ch >= 0xD800 && ch <= 0xDFFF;
    return ch < smallest[n] || surrogate || ch > 0x10FFFF ? invalid : Decoded{ch, n};
}

int utf16Units(char32_t ch)
{
    return ch > 0xFFFF ? 2 : 1;
}

// East Asian Wide and Fullwidth ranges and emoji shown wide (UAX #11, as terminals use them). All are 3- or
// 4-byte characters, which keeps a row's columns within its bytes.
bool isWide(char32_t ch)
{
    static constexpr std::pair<char32_t, char32_t> ranges[] = {
        {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
        {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
        {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
        {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
        {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
        {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
        {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
        {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
        {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
        {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
        {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
        {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
        {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};
    const auto* it = std::upper_bound(std::cbegin(ranges), std::cend(ranges), ch,
                                      [](char32_t c, const auto& range) { return c < range.first; });
    return it != std::cbegin(ranges) && ch <= std::prev(it)->second;
}

// Combining marks, format characters (ZWJ, variation selectors) and skin-tone modifiers join the character
// before them in one cell.
bool joinsPrevious(char32_t ch)
{
    if (ch < 0x300) {
        return false;
    }
    if (ch >= 0x1F3FB && ch <= 0x1F3FF) {
        return true;
    }
    const QChar::Category category = QChar::category(ch);
    return category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing || category == QChar::Other_Format;
}

bool isRegionalIndicator(char32_t ch)
{
    return ch >= 0x1F1E6 && ch <= 0x1F1FF;
}

// Plain mode's words for Ctrl+Left/Right: non-ASCII bytes count as letters, so a word edge is always
// next to an ASCII byte and never inside a UTF-8 character.
bool isWordByte(char c)
{
    const auto u = uchar(c);
    return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || c == '_';
}

constexpr char32_t zeroWidthJoiner = 0x200D;
constexpr qsizetype indexBlock = 4096;

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
    static const bool accessible = (QAccessible::installFactory(&TokenViewAccessible::create), true);
    Q_UNUSED(accessible)
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
    m_atRowEnd = false;
    m_goalColumn = -1;
    m_index.clear();
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
    // Whole characters only, so a copy is never a broken UTF-8 sequence.
    const qsizetype low = characterStart(std::min(from, to));
    qsizetype high = std::max(from, to);
    high = characterStart(high) < high ? characterEnd(high) : std::clamp<qsizetype>(high, 0, m_token.size());
    m_anchor = from <= to ? low : high;
    m_cursor = from <= to ? high : low;
    m_atRowEnd = false;
    m_goalColumn = -1;
    selectionChanged();
}

void TokenView::selectionChanged()
{
    viewport()->update();
    if (QAccessible::isActive()) {
        QAccessibleTextSelectionEvent event(this, int(characterOffset(selectionStart())),
                                            int(characterOffset(selectionEnd())));
        event.setCursorPosition(int(characterOffset(m_cursor)));
        QAccessible::updateAccessibility(&event);
    }
}

void TokenView::cursorMoved()
{
    viewport()->update();
    if (QAccessible::isActive()) {
        QAccessibleTextCursorEvent event(this, int(characterOffset(m_cursor)));
        QAccessible::updateAccessibility(&event);
    }
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

qsizetype TokenView::characterStart(qsizetype pos) const
{
    pos = std::clamp<qsizetype>(pos, 0, m_token.size());
    if (!m_plain || pos == m_token.size()) {
        return pos;
    }
    // A character is at most 4 bytes: its lead byte is within 3 continuation bytes back.
    qsizetype lead = pos;
    while (lead > 0 && pos - lead < 3 && isContinuation(m_token.at(lead))) {
        --lead;
    }
    return lead < pos && lead + decodeUtf8(m_token, lead).length > pos ? lead : pos;
}

qsizetype TokenView::characterEnd(qsizetype pos) const
{
    const qsizetype start = characterStart(pos);
    if (start == m_token.size()) {
        return start;
    }
    return start + (m_plain ? decodeUtf8(m_token, start).length : 1);
}

qsizetype TokenView::bytesPerRow() const
{
    // Plain rows keep a spare column: a row that starts inside a character takes all of it.
    return m_plain ? std::max(4, columns() - 1) : columns();
}

qsizetype TokenView::rowCount() const
{
    return (m_token.size() + bytesPerRow() - 1) / bytesPerRow();
}

qsizetype TokenView::rowStart(qsizetype row) const
{
    return characterStart(std::min(m_token.size(), row * bytesPerRow()));
}

qsizetype TokenView::rowOf(qsizetype pos) const
{
    const qsizetype rows = rowCount();
    if (rows == 0) {
        return 0;
    }
    qsizetype row = std::min(rows - 1, std::max<qsizetype>(0, pos) / bytesPerRow());
    if (row > 0 && pos < rowStart(row)) {
        --row;
    } else if (row + 1 < rows && pos >= rowStart(row + 1)) {
        ++row;
    }
    return row;
}

void TokenView::layoutRow(qsizetype row, std::vector<Cell>& cells) const
{
    cells.clear();
    const qsizetype from = rowStart(row);
    const qsizetype to = rowStart(row + 1);
    int column = 0;
    bool join = false;
    bool flagOpen = false; // the last cell is a lone regional indicator
    for (qsizetype p = from; p < to;) {
        const Decoded d = m_plain ? decodeUtf8(m_token, p) : Decoded{uchar(m_token.at(p)), 1};
        const qsizetype end = std::min(to, p + d.length);
        const bool regional = m_plain && isRegionalIndicator(d.ch);
        if (m_plain && !cells.empty() && (join || joinsPrevious(d.ch))) {
            cells.back().to = end;
        } else if (regional && flagOpen) {
            // Two regional indicators are one flag, two columns (8 bytes, so the row still fits).
            cells.back().to = end;
            cells.back().width = 2;
            ++column;
        } else {
            const int width = m_plain && isWide(d.ch) ? 2 : 1;
            cells.push_back({p, end, column, width});
            column += width;
        }
        flagOpen = regional && !flagOpen;
        join = m_plain && d.ch == zeroWidthJoiner;
        p = end;
    }
}

QString TokenView::characters(qsizetype fromByte, qsizetype toByte) const
{
    fromByte = characterStart(fromByte);
    toByte = std::max(fromByte, characterStart(toByte));
    if (!m_plain) {
        return QString::fromLatin1(m_token.sliced(fromByte, toByte - fromByte));
    }
    QString out;
    out.reserve(toByte - fromByte);
    for (qsizetype p = fromByte; p < toByte;) {
        const Decoded d = decodeUtf8(m_token, p);
        out += QStringView(QChar::fromUcs4(d.ch));
        p += d.length;
    }
    return out;
}

QString TokenView::cellText(const Cell& cell) const
{
    return characters(cell.from, cell.to);
}

QString TokenView::rowText(qsizetype row) const
{
    return characters(rowStart(row), rowStart(row + 1));
}

const std::vector<TokenView::IndexEntry>& TokenView::characterIndex() const
{
    if (!m_index.empty()) {
        return m_index;
    }
    // One entry per 4 KB block: a character offset is then found in O(log n) plus a 4 KB walk.
    qsizetype units = 0;
    qsizetype next = 0;
    for (qsizetype p = 0; p < m_token.size();) {
        for (; p >= next; next += indexBlock) {
            m_index.push_back({p, units});
        }
        const Decoded d = decodeUtf8(m_token, p);
        units += utf16Units(d.ch);
        p += d.length;
    }
    if (m_index.empty()) {
        m_index.push_back({0, 0});
    }
    return m_index;
}

qsizetype TokenView::characterOffset(qsizetype bytePos) const
{
    bytePos = characterStart(bytePos);
    if (!m_plain) {
        return bytePos;
    }
    const auto& index = characterIndex();
    const IndexEntry& entry = index.at(std::min<std::size_t>(index.size() - 1, std::size_t(bytePos / indexBlock)));
    qsizetype units = entry.units;
    for (qsizetype p = entry.byte; p < bytePos;) {
        const Decoded d = decodeUtf8(m_token, p);
        units += utf16Units(d.ch);
        p += d.length;
    }
    return units;
}

qsizetype TokenView::bytePosition(qsizetype offset) const
{
    if (!m_plain) {
        return std::clamp<qsizetype>(offset, 0, m_token.size());
    }
    const auto& index = characterIndex();
    auto it = std::upper_bound(index.cbegin(), index.cend(), offset,
                               [](qsizetype o, const IndexEntry& e) { return o < e.units; });
    const IndexEntry& entry = it == index.cbegin() ? index.front() : *std::prev(it);
    qsizetype units = entry.units;
    qsizetype p = entry.byte;
    while (p < m_token.size()) {
        const Decoded d = decodeUtf8(m_token, p);
        if (units + utf16Units(d.ch) > offset) {
            break;
        }
        units += utf16Units(d.ch);
        p += d.length;
    }
    return p;
}

qsizetype TokenView::characterCount() const
{
    return characterOffset(m_token.size());
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

qsizetype TokenView::rowAtY(int y) const
{
    return std::max(0, (y - margin) / m_lineHeight) + verticalScrollBar()->value();
}

qreal TokenView::columnAtX(int x) const
{
    return (x - margin) / m_charWidth;
}

qsizetype TokenView::cellStartAt(qsizetype row, qreal column, qreal share) const
{
    std::vector<Cell> cells;
    layoutRow(row, cells);
    for (const Cell& cell : cells) {
        if (column < cell.column + cell.width * share) {
            return cell.from;
        }
    }
    return -1;
}

qsizetype TokenView::positionAt(const QPoint& p) const
{
    // A caret position: the nearer edge of the cell under the mouse.
    const qsizetype row = rowAtY(p.y());
    if (row >= rowCount()) {
        return m_token.size();
    }
    const qsizetype at = cellStartAt(row, columnAtX(p.x()), 0.5);
    return at >= 0 ? at : rowStart(row + 1);
}

qsizetype TokenView::characterAt(const QPoint& p) const
{
    const qsizetype row = rowAtY(p.y());
    if (row >= rowCount()) {
        return m_token.size();
    }
    const qsizetype at = cellStartAt(row, columnAtX(p.x()), 1.0);
    return at >= 0 ? at : m_token.size();
}

int TokenView::columnOf(const std::vector<Cell>& cells, qsizetype pos) const
{
    for (const Cell& cell : cells) {
        if (cell.to > pos) {
            return cell.column;
        }
    }
    return cells.empty() ? 0 : cells.back().column + cells.back().width;
}

qreal TokenView::xOf(const std::vector<Cell>& cells, qsizetype pos) const
{
    return margin + columnOf(cells, pos) * m_charWidth;
}

QRectF TokenView::characterRect(qsizetype pos) const
{
    const qsizetype row = rowOf(pos);
    std::vector<Cell> cells;
    layoutRow(row, cells);
    const qreal y = margin + qreal(row - verticalScrollBar()->value()) * m_lineHeight;
    const auto cell = std::find_if(cells.cbegin(), cells.cend(), [pos](const Cell& c) { return c.to > pos; });
    const qreal width = cell == cells.cend() ? 0 : cell->width * m_charWidth;
    return {xOf(cells, pos), y, width, qreal(m_lineHeight)};
}

void TokenView::scrollToPosition(qsizetype pos)
{
    scrollToRow(rowOf(pos));
}

void TokenView::scrollToRow(qsizetype row)
{
    QScrollBar* bar = verticalScrollBar();
    if (row < bar->value()) {
        bar->setValue(int(row));
    } else if (row >= bar->value() + bar->pageStep()) {
        bar->setValue(int(row - bar->pageStep() + 1));
    }
}

qsizetype TokenView::caretRow() const
{
    const qsizetype row = rowOf(m_cursor);
    return m_atRowEnd && row > 0 && m_cursor == rowStart(row) ? row - 1 : row;
}

QRect TokenView::caretRect() const
{
    const qsizetype row = caretRow();
    std::vector<Cell> cells;
    layoutRow(row, cells);
    const int x = int(std::lround(xOf(cells, m_cursor)));
    return {x, margin + int(row - verticalScrollBar()->value()) * m_lineHeight, 1, m_lineHeight};
}

void TokenView::updateMetrics()
{
    m_advances.clear();
    const QFontMetricsF fm(font());
    m_charWidth = std::max<qreal>(1, fm.horizontalAdvance(QLatin1Char('M')));
    m_lineHeight = std::max(1, int(std::ceil(fm.lineSpacing())));
    m_ascent = int(std::ceil(fm.ascent()));
    updateScrollBar();
}

void TokenView::updateScrollBar()
{
    const qsizetype rows = rowCount();
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

void TokenView::paintPlainRow(QPainter& painter, const std::vector<Cell>& cells, qreal y) const
{
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::Text));
    const auto ascii = [this](const Cell& c) { return c.to - c.from == 1 && uchar(m_token.at(c.from)) < 0x80; };
    for (auto it = cells.cbegin(); it != cells.cend();) {
        if (!ascii(*it)) {
            paintWideCell(painter, *it++, y);
            continue;
        }
        // A run of ASCII is one drawText, as in token mode.
        const auto end = std::find_if_not(it, cells.cend(), ascii);
        QString run = QString::fromLatin1(m_token.sliced(it->from, std::prev(end)->to - it->from));
        for (QChar& c : run) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7F) {
                c = QLatin1Char(' '); // a newline or tab drawn by the font would not keep its column
            }
        }
        painter.drawText(QPointF(margin + it->column * m_charWidth, y + m_ascent), run);
        it = end;
    }
}

void TokenView::paintWideCell(QPainter& painter, const Cell& cell, qreal y) const
{
    // A fallback font's glyph is measured and fitted into its cells: centred, or narrowed if it is wider.
    const QString glyphs = cellText(cell);
    const QList<uint> ucs4 = QStringView(glyphs).toUcs4();
    const char32_t key = ucs4.size() == 1 ? ucs4.front() : 0; // one character: its advance is cached
    auto cached = key ? m_advances.constFind(key) : m_advances.cend();
    const qreal advance =
        cached != m_advances.cend() ? *cached : QFontMetricsF(painter.font()).horizontalAdvance(glyphs);
    if (key && cached == m_advances.cend()) {
        m_advances.insert(key, advance);
    }
    const qreal room = cell.width * m_charWidth;
    const qreal x = margin + cell.column * m_charWidth;
    if (advance <= room + 0.5) {
        painter.drawText(QPointF(x + (room - advance) / 2, y + m_ascent), glyphs);
        return;
    }
    painter.save();
    painter.translate(x, y + m_ascent);
    painter.scale(room / advance, 1);
    painter.drawText(QPointF(0, 0), glyphs);
    painter.restore();
}

void TokenView::paintEvent(QPaintEvent*)
{
    QPainter painter(viewport());
    if (m_token.isEmpty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect().adjusted(margin, margin, -margin, -margin),
                         Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, m_placeholder);
    } else {
        paintRows(painter);
    }
    if (hasFocus()) {
        painter.fillRect(caretRect(), palette().color(QPalette::Text));
    }
}

void TokenView::paintRows(QPainter& painter) const
{
    const qsizetype first = verticalScrollBar()->value();
    const qsizetype rows = rowCount();
    const qsizetype selFrom = std::min(m_anchor, m_cursor);
    const qsizetype selTo = std::max(m_anchor, m_cursor);
    const QColor highlight = palette().color(hasFocus() ? QPalette::Active : QPalette::Inactive, QPalette::Highlight);
    std::vector<Cell> cells;
    for (qsizetype row = first; row < rows && margin + (row - first) * m_lineHeight < viewport()->height(); ++row) {
        const qreal y = margin + qreal(row - first) * m_lineHeight;
        const qsizetype start = rowStart(row);
        const qsizetype end = rowStart(row + 1);
        layoutRow(row, cells);
        const qsizetype a = std::max(start, selFrom);
        const qsizetype b = std::min(end, selTo);
        if (a < b) {
            const qreal left = xOf(cells, a);
            painter.fillRect(QRectF(left, y, xOf(cells, b) - left, m_lineHeight), highlight);
        }
        if (m_plain) {
            paintPlainRow(painter, cells, y);
        } else {
            paintRow(painter, start, end, y);
        }
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
    placeCursor(event->position().toPoint());
    if (!(event->modifiers() & Qt::ShiftModifier)) {
        m_anchor = m_cursor;
    }
    selectionChanged();
}

void TokenView::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton) {
        placeCursor(event->position().toPoint());
        selectionChanged();
    }
}

void TokenView::placeCursor(const QPoint& viewportPoint)
{
    m_cursor = positionAt(viewportPoint);
    // Past the end of a row the position is the next row's start: the caret stays where the click was.
    m_atRowEnd = rowOf(m_cursor) > rowAtY(viewportPoint.y());
    m_goalColumn = -1;
}

void TokenView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (m_token.isEmpty()) {
        return;
    }
    const int segment = segmentAt(std::min(characterAt(event->position().toPoint()), m_token.size() - 1));
    select(segmentStart(segment), segmentEnd(segment));
}

void TokenView::keyPressEvent(QKeyEvent* event)
{
    if (event == QKeySequence::Copy) {
        copy();
    } else if (event == QKeySequence::SelectAll) {
        selectAll();
    } else if (const auto move = keyMotion(event)) {
        moveCursor(*move);
    } else {
        QAbstractScrollArea::keyPressEvent(event);
    }
}

bool TokenView::event(QEvent* event)
{
    // The caret keys are the view's, not a window shortcut's (as in QPlainTextEdit).
    if (event->type() == QEvent::ShortcutOverride && keyMotion(static_cast<QKeyEvent*>(event))) {
        event->accept();
        return true;
    }
    return QAbstractScrollArea::event(event);
}

std::optional<TokenView::KeyMotion> TokenView::keyMotion(const QKeyEvent* event)
{
    struct Binding
    {
        QKeySequence::StandardKey move;
        QKeySequence::StandardKey select;
        Motion motion;
    };
    static constexpr Binding bindings[] = {
        {QKeySequence::MoveToPreviousChar, QKeySequence::SelectPreviousChar, Motion::PreviousChar},
        {QKeySequence::MoveToNextChar, QKeySequence::SelectNextChar, Motion::NextChar},
        {QKeySequence::MoveToPreviousWord, QKeySequence::SelectPreviousWord, Motion::PreviousWord},
        {QKeySequence::MoveToNextWord, QKeySequence::SelectNextWord, Motion::NextWord},
        {QKeySequence::MoveToStartOfLine, QKeySequence::SelectStartOfLine, Motion::RowStart},
        {QKeySequence::MoveToEndOfLine, QKeySequence::SelectEndOfLine, Motion::RowEnd},
        {QKeySequence::MoveToStartOfDocument, QKeySequence::SelectStartOfDocument, Motion::Start},
        {QKeySequence::MoveToEndOfDocument, QKeySequence::SelectEndOfDocument, Motion::End},
        {QKeySequence::MoveToPreviousLine, QKeySequence::SelectPreviousLine, Motion::PreviousRow},
        {QKeySequence::MoveToNextLine, QKeySequence::SelectNextLine, Motion::NextRow},
        {QKeySequence::MoveToPreviousPage, QKeySequence::SelectPreviousPage, Motion::PreviousPage},
        {QKeySequence::MoveToNextPage, QKeySequence::SelectNextPage, Motion::NextPage},
    };
    for (const Binding& b : bindings) {
        if (event->matches(b.move) || event->matches(b.select)) {
            return KeyMotion{b.motion, event->matches(b.select)};
        }
    }
    return std::nullopt;
}

void TokenView::moveCursor(KeyMotion move)
{
    const bool vertical = move.motion == Motion::PreviousRow || move.motion == Motion::NextRow ||
                          move.motion == Motion::PreviousPage || move.motion == Motion::NextPage;
    if (!vertical) {
        m_goalColumn = -1;
    }
    const qsizetype oldAnchor = m_anchor;
    const qsizetype oldCursor = m_cursor;
    const bool oldRowEnd = m_atRowEnd;
    const Caret to = target(move.motion, move.extend);
    m_cursor = to.pos;
    m_atRowEnd = to.rowEnd;
    if (!move.extend) {
        m_anchor = m_cursor;
    }
    scrollToRow(caretRow());
    if (oldAnchor != oldCursor || m_anchor != m_cursor) {
        selectionChanged();
    } else if (m_cursor != oldCursor || m_atRowEnd != oldRowEnd) {
        cursorMoved();
    }
}

TokenView::Caret TokenView::target(Motion motion, bool extend)
{
    const bool collapse = !extend && m_anchor != m_cursor;
    switch (motion) {
    case Motion::PreviousChar:
        return {collapse ? selectionStart() : characterStart(m_cursor - 1), false};
    case Motion::NextChar:
        return {collapse ? selectionEnd() : characterEnd(m_cursor), false};
    case Motion::PreviousWord:
        return {m_plain ? wordStop(false) : segmentStop(false), false};
    case Motion::NextWord:
        return {m_plain ? wordStop(true) : segmentStop(true), false};
    case Motion::RowStart:
        return {rowStart(caretRow()), false};
    case Motion::RowEnd:
        return {rowStart(caretRow() + 1), true};
    case Motion::Start:
        return {0, false};
    case Motion::End:
        return {m_token.size(), false};
    case Motion::PreviousRow:
        return rowMove(-1);
    case Motion::NextRow:
        return rowMove(1);
    case Motion::PreviousPage:
    case Motion::NextPage: {
        // The view scrolls by the same page, so the caret keeps its place on screen.
        const int page = verticalScrollBar()->pageStep() * (motion == Motion::NextPage ? 1 : -1);
        verticalScrollBar()->setValue(verticalScrollBar()->value() + page);
        return rowMove(page);
    }
    }
    return {m_cursor, m_atRowEnd};
}

qsizetype TokenView::segmentStop(bool forward) const
{
    // The stops are both sides of every dot and the two ends of the token.
    const auto dot = std::lower_bound(m_dots.cbegin(), m_dots.cend(), m_cursor); // the first dot at or after
    if (forward) {
        return dot == m_dots.cend() ? m_token.size() : *dot == m_cursor ? m_cursor + 1 : *dot;
    }
    if (dot == m_dots.cbegin()) {
        return 0;
    }
    const qsizetype before = *std::prev(dot);
    return before + 1 < m_cursor ? before + 1 : before;
}

qsizetype TokenView::wordStop(bool forward) const
{
    // Forward to the end of this or the next word, back to the start of this or the previous one.
    qsizetype p = m_cursor;
    if (forward) {
        while (p < m_token.size() && !isWordByte(m_token.at(p))) {
            ++p;
        }
        while (p < m_token.size() && isWordByte(m_token.at(p))) {
            ++p;
        }
        return p;
    }
    while (p > 0 && !isWordByte(m_token.at(p - 1))) {
        --p;
    }
    while (p > 0 && isWordByte(m_token.at(p - 1))) {
        --p;
    }
    return p;
}

TokenView::Caret TokenView::rowMove(qsizetype rows)
{
    const qsizetype from = caretRow();
    if (m_goalColumn < 0) {
        std::vector<Cell> cells;
        layoutRow(from, cells);
        m_goalColumn = columnOf(cells, m_cursor);
    }
    const qsizetype row = from + rows;
    if (row < 0) {
        return {0, false};
    }
    if (row >= rowCount()) {
        return {m_token.size(), false};
    }
    // The cell the goal column falls in, or its right edge past the middle; past the row's end, its end.
    const qsizetype at = cellStartAt(row, m_goalColumn, 0.5);
    return at >= 0 ? Caret{at, false} : Caret{rowStart(row + 1), true};
}

void TokenView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu menu(this);
    QAction* copyAction = menu.addAction(tr("&Copy"), this, &TokenView::copy);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setEnabled(m_anchor != m_cursor);
    if (!m_token.isEmpty() && !m_plain) {
        const qsizetype pos = std::min(characterAt(viewport()->mapFromGlobal(event->globalPos())), m_token.size() - 1);
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
        const qsizetype pos = characterAt(help->pos());
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
