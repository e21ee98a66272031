#pragma once

#include <algorithm>
#include <optional>
#include <vector>

#include <QAbstractScrollArea>
#include <QByteArray>
#include <QHash>

namespace tb::ui {

// A read-only compact token, wrapped anywhere in a monospace font with its segments coloured header /
// payload / signature (a JWE's five parts cycle through the same colours), dots bold. It lays nothing
// out: rows are fixed-width slices of the bytes, so showing a new token and painting cost only what is
// visible, whatever the token's size (QPlainTextEdit re-shapes the whole token on every change).
// In plain (UTF-8) mode a row start moves back to the lead byte of the character it falls in, so no
// character is split, and East Asian wide characters and emoji take two columns; a row holds at most
// columns - 1 bytes so that it always fits. Mouse selection, double-click selects a segment, Ctrl+A,
// Ctrl+C and a context menu copy. A caret moves as in a read-only QPlainTextEdit (the platform's key
// bindings; Shift extends the selection): Left/Right by character (never inside a UTF-8 character),
// Ctrl+Left/Right to the nearest segment edge (either side of a dot) in token mode and to the start or end
// of a word (a run of letters, digits, '_' and non-ASCII bytes) in plain mode, Home/End to the row's
// edges, Ctrl+Home/End to the text's, Up/Down by a row keeping the column, PageUp/PageDown by the rows on
// screen. Left/Right without Shift collapse a selection to its edge. Tab still moves the focus on.
// Screen readers get a text interface (TokenViewAccessible) and caret and selection events.
class TokenView final : public QAbstractScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenView)

public:
    explicit TokenView(QWidget* parent = nullptr);
    ~TokenView() override;

    void setToken(const QByteArray& token);
    [[nodiscard]] QByteArray token() const { return m_token; }
    // Plain: any bytes (a large JSON text), one colour, no segments.
    void setPlain(bool plain);
    [[nodiscard]] bool isPlain() const { return m_plain; }
    void setPlaceholderText(const QString& text);

    // The selected bytes (empty without a selection).
    [[nodiscard]] QByteArray selectedBytes() const;
    void selectAll();
    void select(qsizetype from, qsizetype to);
    void copy() const;

    // What paint uses, for tests: the segment index of byte `pos` (dots belong to the segment before them),
    // its colour, and whether it is drawn bold (the dots).
    [[nodiscard]] int segmentAt(qsizetype pos) const;
    [[nodiscard]] QColor colourAt(qsizetype pos) const;
    [[nodiscard]] bool isBoldAt(qsizetype pos) const;
    // The byte under a viewport point, clamped to [0, size].
    [[nodiscard]] qsizetype positionAt(const QPoint& viewportPoint) const;
    // The first byte of the character under a viewport point, or size() past the end of its row.
    [[nodiscard]] qsizetype characterAt(const QPoint& viewportPoint) const;

    // Rows as painted: their count, first byte, the row holding byte `pos`, the text drawn for a row
    // (undecodable bytes as U+FFFD) and the viewport rectangle of the character starting at `pos`.
    [[nodiscard]] qsizetype rowCount() const;
    [[nodiscard]] qsizetype rowStart(qsizetype row) const;
    [[nodiscard]] qsizetype rowOf(qsizetype pos) const;
    [[nodiscard]] QString rowText(qsizetype row) const;
    [[nodiscard]] QRectF characterRect(qsizetype pos) const;
    void scrollToPosition(qsizetype pos);
    // The caret as painted (viewport coordinates), also off screen. At the end of a row that is not the
    // last (after End, or Down to a shorter row) it stays on that row rather than the next row's start.
    [[nodiscard]] QRect caretRect() const;

    // The text as characters (QString offsets), for the accessible interface: plain text is indexed
    // lazily, once, the first time one of these is asked for.
    [[nodiscard]] qsizetype characterCount() const;
    [[nodiscard]] qsizetype characterOffset(qsizetype bytePos) const;
    [[nodiscard]] qsizetype bytePosition(qsizetype characterOffset) const;
    [[nodiscard]] QString characters(qsizetype fromByte, qsizetype toByte) const;
    [[nodiscard]] qsizetype selectionStart() const { return std::min(m_anchor, m_cursor); }
    [[nodiscard]] qsizetype selectionEnd() const { return std::max(m_anchor, m_cursor); }
    [[nodiscard]] qsizetype cursorPosition() const { return m_cursor; }
    // The start of the character holding byte `pos` (itself in token mode) and the end of that character.
    [[nodiscard]] qsizetype characterStart(qsizetype pos) const;
    [[nodiscard]] qsizetype characterEnd(qsizetype pos) const;

    [[nodiscard]] QSize sizeHint() const override;
    [[nodiscard]] QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool viewportEvent(QEvent* event) override;

private:
    struct Cell
    {
        qsizetype from;
        qsizetype to;
        int column;
        int width;
    };
    struct IndexEntry
    {
        qsizetype byte;  // the first character start at or after a block boundary
        qsizetype units; // QString units before it
    };
    enum class Motion
    {
        PreviousChar,
        NextChar,
        PreviousWord,
        NextWord,
        RowStart,
        RowEnd,
        Start,
        End,
        PreviousRow,
        NextRow,
        PreviousPage,
        NextPage
    };
    struct KeyMotion
    {
        Motion motion;
        bool extend; // Shift: the anchor stays
    };
    struct Caret
    {
        qsizetype pos;
        bool rowEnd; // shown at the end of the row before, when pos starts a row
    };

    void updateMetrics();
    [[nodiscard]] qsizetype bytesPerRow() const;
    void layoutRow(qsizetype row, std::vector<Cell>& cells) const;
    // The start of the first cell of `row` whose left `share` of its width reaches past `column`; -1 past
    // them all.
    [[nodiscard]] qsizetype cellStartAt(qsizetype row, qreal column, qreal share) const;
    [[nodiscard]] qreal columnAtX(int x) const;
    [[nodiscard]] int columnOf(const std::vector<Cell>& cells, qsizetype pos) const;
    [[nodiscard]] QString cellText(const Cell& cell) const;
    [[nodiscard]] qreal xOf(const std::vector<Cell>& cells, qsizetype pos) const;
    [[nodiscard]] qsizetype rowAtY(int y) const;
    void paintPlainRow(QPainter& painter, const std::vector<Cell>& cells, qreal y) const;
    void paintWideCell(QPainter& painter, const Cell& cell, qreal y) const;
    void selectionChanged();
    void cursorMoved();
    [[nodiscard]] static std::optional<KeyMotion> keyMotion(const QKeyEvent* event);
    void moveCursor(KeyMotion move);
    [[nodiscard]] Caret target(Motion motion, bool extend);
    [[nodiscard]] qsizetype segmentStop(bool forward) const;
    [[nodiscard]] qsizetype wordStop(bool forward) const;
    [[nodiscard]] Caret rowMove(qsizetype rows);
    [[nodiscard]] qsizetype caretRow() const;
    void placeCursor(const QPoint& viewportPoint);
    void scrollToRow(qsizetype row);
    void paintRows(QPainter& painter) const;
    const std::vector<IndexEntry>& characterIndex() const;
    void updateScrollBar();
    [[nodiscard]] int columns() const;
    [[nodiscard]] qsizetype segmentStart(int segment) const;
    [[nodiscard]] qsizetype segmentEnd(int segment) const;
    [[nodiscard]] QString text(QByteArrayView bytes) const; // tokens are Latin-1, plain text UTF-8
    void paintRow(QPainter& painter, qsizetype start, qsizetype end, qreal y) const;

    QByteArray m_token;
    std::vector<qsizetype> m_dots;           // positions of the '.' separators
    mutable std::vector<IndexEntry> m_index; // plain mode, built on the first character-offset query
    mutable QHash<char32_t, qreal> m_advances;
    QString m_placeholder;
    bool m_plain = false;
    qsizetype m_anchor = 0;
    qsizetype m_cursor = 0;
    bool m_atRowEnd = false; // see caretRect()
    int m_goalColumn = -1;   // the column Up/Down keep, from the first of a run of them
    qreal m_charWidth = 8;
    int m_lineHeight = 16;
    int m_ascent = 12;
    static constexpr int margin = 4;
};

} // namespace tb::ui
