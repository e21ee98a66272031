#pragma once

#include <vector>

#include <QAbstractScrollArea>
#include <QByteArray>

namespace tb::ui {

// A read-only compact token, wrapped anywhere in a monospace font with its segments coloured header /
// payload / signature (a JWE's five parts cycle through the same colours), dots bold. It lays nothing
// out: rows are fixed-width slices of the bytes, so showing a new token and painting cost only what is
// visible, whatever the token's size (QPlainTextEdit re-shapes the whole token on every change).
// Mouse selection, double-click selects a segment, Ctrl+A, Ctrl+C and a context menu copy.
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
    void contextMenuEvent(QContextMenuEvent* event) override;
    bool viewportEvent(QEvent* event) override;

private:
    void updateMetrics();
    void updateScrollBar();
    [[nodiscard]] int columns() const;
    [[nodiscard]] qsizetype segmentStart(int segment) const;
    [[nodiscard]] qsizetype segmentEnd(int segment) const;
    [[nodiscard]] QString text(QByteArrayView bytes) const; // tokens are Latin-1, plain text UTF-8
    void paintRow(QPainter& painter, qsizetype start, qsizetype end, qreal y) const;

    QByteArray m_token;
    std::vector<qsizetype> m_dots; // positions of the '.' separators
    QString m_placeholder;
    bool m_plain = false;
    qsizetype m_anchor = 0;
    qsizetype m_cursor = 0;
    qreal m_charWidth = 8;
    int m_lineHeight = 16;
    int m_ascent = 12;
    static constexpr int margin = 4;
};

} // namespace tb::ui
