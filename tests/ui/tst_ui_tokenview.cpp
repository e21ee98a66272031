// TokenView in plain (UTF-8) mode: rows never split a character, wide characters take two columns for
// painting and hit-testing alike, copy is byte-exact, and screen readers get the exact text.
// The keyboard caret: exact byte positions and selections for every caret key, in both modes.
#include <QAccessible>
#include <QAccessibleInterface>
#include <QApplication>
#include <QClipboard>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLineEdit>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTest>
#include <QToolTip>

#include "widgets/TokenView.h"

using namespace tb;

namespace {

const QByteArray euro = "\xE2\x82\xAC";         // 3 bytes, one column
const QByteArray grinning = "\xF0\x9F\x98\x80"; // 4 bytes, two columns, a surrogate pair in QString
const QByteArray han = "\xE6\xBC\xA2";          // 3 bytes, two columns
const QString replacement(QChar::ReplacementCharacter);

// Bytes per row of a plain view, found on an ASCII text (a row of ASCII is never adjusted).
qsizetype bytesPerRow(ui::TokenView& view)
{
    view.setToken(QByteArray(4096, 'a'));
    const qsizetype perRow = view.rowStart(1);
    view.setToken({});
    return perRow;
}

// 'a's with `euro` straddling the first row edge and `grinning` the second.
QByteArray straddling(qsizetype perRow)
{
    QByteArray text(perRow - 1, 'a');
    text += euro;
    text += QByteArray(2 * perRow - 2 - text.size(), 'b');
    text += grinning;
    text += QByteArray(perRow, 'c');
    return text;
}

void mouse(QWidget* viewport, QEvent::Type type, QPointF at)
{
    QMouseEvent event(type, at, viewport->mapToGlobal(at), Qt::LeftButton,
                      type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(viewport, &event);
}

void keys(QWidget* widget, Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier, int times = 1)
{
    for (int i = 0; i < times; ++i) {
        QTest::keyClick(widget, key, modifiers);
    }
}

// A token view shown and focused in a window with a line edit after it (for Tab).
struct FocusedView
{
    QWidget window;
    ui::TokenView* view = new ui::TokenView(&window);
    QLineEdit* next = new QLineEdit(&window);

    explicit FocusedView(bool plain)
    {
        auto* layout = new QHBoxLayout(&window);
        layout->addWidget(view, 1);
        layout->addWidget(next);
        view->setPlain(plain);
        window.resize(460, 200);
        window.show();
        window.activateWindow();
        view->setFocus();
    }
};

} // namespace

class TestTokenView : public QObject
{
    Q_OBJECT

private slots:
    void rowsBreakOnlyAtCharacterBoundaries()
    {
        ui::TokenView view;
        view.setPlain(true);
        view.resize(400, 200);
        view.show();
        const qsizetype perRow = bytesPerRow(view);
        QVERIFY(perRow > 8);
        const QByteArray text = straddling(perRow);
        QCOMPARE(text.indexOf(euro), perRow - 1);
        QCOMPARE(text.indexOf(grinning), 2 * perRow - 2);
        view.setToken(text);
        // Each straddling character starts the next row whole.
        QCOMPARE(view.rowStart(1), perRow - 1);
        QCOMPARE(view.rowStart(2), 2 * perRow - 2);
        QCOMPARE(view.rowText(0), QString(perRow - 1, QLatin1Char('a')));
        QCOMPARE(view.rowText(1), QString::fromUtf8(euro) + QString(perRow - 4, QLatin1Char('b')));
        QVERIFY(view.rowText(2).startsWith(QString::fromUtf8(grinning) + QLatin1Char('c')));
        QString all;
        for (qsizetype row = 0; row < view.rowCount(); ++row) {
            QVERIFY2(!view.rowText(row).contains(replacement), qPrintable(QString::number(row)));
            all += view.rowText(row);
        }
        QCOMPARE(all, QString::fromUtf8(text));
        QCOMPARE(view.rowOf(perRow - 1), 1);
        QCOMPARE(view.rowOf(perRow), 1);
        QCOMPARE(view.rowOf(2 * perRow - 3), 1);
        QCOMPARE(view.rowOf(2 * perRow - 2), 2);
        // A byte that is not UTF-8 is shown as what it is, and the rows still cover every byte once.
        view.setToken(QByteArray(perRow - 1, 'a') + "\xE2\x82" + QByteArray(perRow, 'z'));
        QCOMPARE(view.rowText(0), QString(perRow - 1, QLatin1Char('a')) + replacement);
        QCOMPARE(view.rowText(1).left(2), replacement + QLatin1Char('z'));
        QVERIFY(!view.grab().isNull());
    }

    void mouseSelectionAcrossARowEdgeCopiesExactBytes()
    {
        ui::TokenView view;
        view.setPlain(true);
        view.resize(400, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const qsizetype perRow = bytesPerRow(view);
        const QByteArray text = straddling(perRow);
        view.setToken(text);
        // From the left edge of the third-last 'a' to past the euro sign, at the start of row 1.
        const QRectF from = view.characterRect(perRow - 3);
        const QRectF to = view.characterRect(perRow - 1);
        QCOMPARE(from.top(), view.characterRect(0).top());
        QCOMPARE(to.left(), view.characterRect(0).left());
        mouse(view.viewport(), QEvent::MouseButtonPress, QPointF(from.left() + 1, from.center().y()));
        mouse(view.viewport(), QEvent::MouseMove, QPointF(to.right() - 1, to.center().y()));
        mouse(view.viewport(), QEvent::MouseButtonRelease, QPointF(to.right() - 1, to.center().y()));
        QCOMPARE(view.selectedBytes(), QByteArray("aa") + euro);
        view.setFocus();
        QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("aa") + QString::fromUtf8(euro));
        // A selection ending inside the emoji takes it whole; one starting inside it starts at its lead byte.
        view.select(2 * perRow - 3, 2 * perRow);
        QCOMPARE(view.selectedBytes(), QByteArray("b") + grinning);
        view.select(2 * perRow + 1, 2 * perRow + 3);
        QCOMPARE(view.selectedBytes(), grinning + QByteArray("c"));
        view.copy();
        QCOMPARE(QApplication::clipboard()->text(), QString::fromUtf8(grinning) + QLatin1Char('c'));
    }

    void hitTestingFollowsWideCharacters()
    {
        ui::TokenView view;
        view.setPlain(true);
        view.resize(400, 200);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const qreal cw = QFontMetricsF(view.font()).horizontalAdvance(QLatin1Char('M'));
        // "ab", a wide character (columns 2-3), "c" (column 4), an emoji (columns 5-6), "d" (column 7).
        const QByteArray text = QByteArray("ab") + han + "c" + grinning + "d";
        view.setToken(text);
        const qreal left = view.characterRect(0).left();
        const int y = int(view.characterRect(0).center().y());
        const auto at = [&](qreal column) { return view.characterAt(QPoint(int(left + column * cw), y)); };
        const auto nearest = [&](qreal column) { return view.positionAt(QPoint(int(left + column * cw), y)); };
        QCOMPARE(at(1.5), 1);
        QCOMPARE(at(2.2), 2);
        QCOMPARE(at(3.6), 2); // the right half of the wide character is still that character
        QCOMPARE(at(4.5), 5);
        QCOMPARE(at(5.5), 6);
        QCOMPARE(at(6.6), 6);
        QCOMPARE(at(7.5), 10);
        QCOMPARE(at(9.5), text.size()); // past the end of the text
        QCOMPARE(nearest(2.8), 2);
        QCOMPARE(nearest(3.3), 5);
        QCOMPARE(nearest(6.3), 10);
        QCOMPARE(view.characterRect(2).width(), view.characterRect(0).width() * 2);
        QCOMPARE(view.characterRect(5).left(), view.characterRect(2).right());
        // A flag (two regional indicators) is one two-column character; a lone indicator is one column.
        const QByteArray japan = "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5";
        view.setToken("a" + japan + "b" + japan.left(4) + "c");
        QCOMPARE(at(2.5), 1);
        QCOMPARE(at(3.5), 9);
        QCOMPARE(at(4.5), 10);
        QCOMPARE(at(5.5), 14);
        QCOMPARE(view.rowText(0), QStringLiteral("a") + QString::fromUtf8(japan) + QLatin1Char('b') +
                                      QString::fromUtf8(japan.left(4)) + QLatin1Char('c'));
        // A row of wide characters: the byte under column 2k + 1.5 is the k-th character's first byte.
        QByteArray cjk;
        for (int i = 0; i < 12; ++i) {
            cjk += han;
        }
        view.setToken(cjk);
        for (int k = 0; k < 12; ++k) {
            QCOMPARE(at(2 * k + 1.5), 3 * k);
            QCOMPARE(nearest(2 * k + 1.2), 3 * (k + 1));
        }
        // The tooltip names the byte under the mouse: the third wide character starts at byte 7 (1-based).
        const QPoint point(int(left + 5.5 * cw), y);
        QHelpEvent help(QEvent::ToolTip, point, view.viewport()->mapToGlobal(point));
        QApplication::sendEvent(view.viewport(), &help);
        QCOMPARE(QToolTip::text(), QStringLiteral("text · byte 7 of 36 · 36 bytes"));
        QToolTip::hideText();
        // Double-click still selects the segment (plain text: all of it).
        QTest::mouseDClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, point);
        QCOMPARE(view.selectedBytes(), cjk);
    }

    void accessibleTextIsExact()
    {
        ui::TokenView view;
        view.setPlain(true);
        view.setAccessibleName(QStringLiteral("payload"));
        view.resize(400, 200);
        view.show();
        // Over three 4 KB index blocks, with surrogate pairs and characters straddling the blocks.
        QByteArray bytes;
        for (int i = 0; bytes.size() < 14000; ++i) {
            bytes += "{\"k" + QByteArray::number(i) + "\":\"" + han + grinning + euro + "\xC3\xA9\"},\n";
        }
        view.setToken(bytes);
        const QString text = QString::fromUtf8(bytes);
        QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(&view);
        QVERIFY(iface);
        QAccessibleTextInterface* textIface = iface->textInterface();
        QVERIFY(textIface);
        QCOMPARE(iface->text(QAccessible::Name), QStringLiteral("payload"));
        QVERIFY(iface->state().readOnly);
        QCOMPARE(textIface->characterCount(), int(text.size()));
        for (const auto& [from, to] :
             {std::pair{0, 40}, {7, 9}, {4090, 4200}, {8190, 8195}, {9000, int(text.size())}}) {
            QCOMPARE(textIface->text(from, to), text.mid(from, to - from));
        }
        // The first grinning face is a surrogate pair at offsets 8 and 9.
        QCOMPARE(text.indexOf(QString::fromUtf8(grinning)), 8);
        int start = -1;
        int end = -1;
        QCOMPARE(textIface->textAtOffset(8, QAccessible::CharBoundary, &start, &end), QString::fromUtf8(grinning));
        QCOMPARE(std::pair(start, end), std::pair(8, 10));
        // A line is a painted row.
        const qsizetype row1 = view.rowStart(1);
        const int row1Offset = int(QString::fromUtf8(bytes.left(row1)).size());
        QCOMPARE(textIface->textAtOffset(row1Offset + 1, QAccessible::LineBoundary, &start, &end), view.rowText(1));
        QCOMPARE(start, row1Offset);
        // Selection both ways, in characters, while the view holds bytes.
        textIface->setSelection(0, 7, 11);
        QCOMPARE(view.selectedBytes(), text.mid(7, 4).toUtf8());
        textIface->selection(0, &start, &end);
        QCOMPARE(std::pair(start, end), std::pair(7, 11));
        QCOMPARE(textIface->selectionCount(), 1);
        QCOMPARE(textIface->cursorPosition(), 11);
        const int far = int(text.size()) - 20;
        view.select(bytes.size() - QString(text.mid(far)).toUtf8().size(), bytes.size());
        textIface->selection(0, &start, &end);
        QCOMPARE(std::pair(start, end), std::pair(far, int(text.size())));
        // Value is only the rows on screen.
        const QString visible = iface->text(QAccessible::Value);
        QVERIFY(text.startsWith(visible));
        QVERIFY(visible.size() < text.size() / 10);
        QCOMPARE(textIface->offsetAtPoint(view.viewport()->mapToGlobal(view.characterRect(row1).center().toPoint())),
                 row1Offset);
    }

    void keyboardCaretMovesBySegmentAndRow()
    {
        FocusedView f(false);
        ui::TokenView& view = *f.view;
        const qsizetype perRow = bytesPerRow(view);
        QVERIFY(perRow > 24);
        // Three rows: a 5-byte header, the payload (longer than a row), a signature of one row's length.
        const QByteArray payload(perRow + 3, 'p');
        const QByteArray token = QByteArray(5, 'h') + '.' + payload + '.' + QByteArray(perRow, 's');
        view.setToken(token);
        QCOMPARE(view.rowCount(), 3);
        const qsizetype secondDot = perRow + 9;
        QCOMPARE(token.lastIndexOf('.'), secondDot);
        // A byte at a time; Shift keeps the anchor; Left/Right without it collapse to the selection's edge.
        keys(&view, Qt::Key_Right, Qt::NoModifier, 2);
        QCOMPARE(view.cursorPosition(), 2);
        keys(&view, Qt::Key_Left);
        QCOMPARE(view.cursorPosition(), 1);
        keys(&view, Qt::Key_Right, Qt::ShiftModifier, 2);
        QCOMPARE(view.selectionStart(), 1);
        QCOMPARE(view.cursorPosition(), 3);
        QCOMPARE(view.selectedBytes(), QByteArray("hh"));
        keys(&view, Qt::Key_Left);
        QCOMPARE(view.cursorPosition(), 1);
        QCOMPARE(view.selectedBytes(), QByteArray());
        keys(&view, Qt::Key_Right, Qt::ShiftModifier, 2);
        keys(&view, Qt::Key_Right);
        QCOMPARE(view.cursorPosition(), 3);
        QCOMPARE(view.selectedBytes(), QByteArray());
        keys(&view, Qt::Key_Left, Qt::NoModifier, 5);
        QCOMPARE(view.cursorPosition(), 0);
        // Ctrl+Right stops on both sides of each dot: Ctrl+Shift+Right from the payload's start takes it whole.
        keys(&view, Qt::Key_Right, Qt::ControlModifier);
        QCOMPARE(view.cursorPosition(), 5);
        keys(&view, Qt::Key_Right, Qt::ControlModifier);
        QCOMPARE(view.cursorPosition(), 6);
        keys(&view, Qt::Key_Right, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(view.cursorPosition(), secondDot);
        QCOMPARE(view.selectedBytes(), payload);
        keys(&view, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QString::fromLatin1(payload));
        keys(&view, Qt::Key_Right, Qt::ControlModifier, 2);
        QCOMPARE(view.cursorPosition(), token.size());
        QCOMPARE(view.selectedBytes(), QByteArray());
        keys(&view, Qt::Key_Right, Qt::ControlModifier);
        QCOMPARE(view.cursorPosition(), token.size());
        for (const qsizetype stop : {secondDot + 1, secondDot, qsizetype(6), qsizetype(5), qsizetype(0)}) {
            keys(&view, Qt::Key_Left, Qt::ControlModifier);
            QCOMPARE(view.cursorPosition(), stop);
        }
        // End stays on its row (the caret at the row's right edge, not the next row's start); Home returns.
        keys(&view, Qt::Key_Right, Qt::NoModifier, 3);
        keys(&view, Qt::Key_End, Qt::ShiftModifier);
        QCOMPARE(view.cursorPosition(), perRow);
        QCOMPARE(view.selectedBytes(), token.sliced(3, perRow - 3));
        QCOMPARE(view.caretRect().top(), int(view.characterRect(0).top()));
        QCOMPARE(view.caretRect().left(), qRound(view.characterRect(perRow - 1).right()));
        keys(&view, Qt::Key_End);
        QCOMPARE(view.cursorPosition(), perRow);
        QCOMPARE(view.selectedBytes(), QByteArray());
        keys(&view, Qt::Key_Home);
        QCOMPARE(view.cursorPosition(), 0);
        // Up and Down keep the column; below the last row is the end, above the first the start.
        keys(&view, Qt::Key_Right, Qt::NoModifier, 4);
        keys(&view, Qt::Key_Down);
        QCOMPARE(view.cursorPosition(), perRow + 4);
        QCOMPARE(view.caretRect().top(), int(view.characterRect(perRow).top()));
        keys(&view, Qt::Key_Down);
        QCOMPARE(view.cursorPosition(), 2 * perRow + 4);
        keys(&view, Qt::Key_Down);
        QCOMPARE(view.cursorPosition(), token.size());
        keys(&view, Qt::Key_Up);
        QCOMPARE(view.cursorPosition(), perRow + 4);
        keys(&view, Qt::Key_Right, Qt::NoModifier, 16);
        keys(&view, Qt::Key_Down, Qt::ShiftModifier); // column 20: the last row has 10
        QCOMPARE(view.cursorPosition(), token.size());
        QCOMPARE(view.selectedBytes(), token.sliced(perRow + 20));
        keys(&view, Qt::Key_Up);
        QCOMPARE(view.cursorPosition(), perRow + 20);
        keys(&view, Qt::Key_Up);
        QCOMPARE(view.cursorPosition(), 20);
        keys(&view, Qt::Key_Up);
        QCOMPARE(view.cursorPosition(), 0);
        keys(&view, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(view.cursorPosition(), token.size());
        keys(&view, Qt::Key_Home, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(view.cursorPosition(), 0);
        QCOMPARE(view.selectedBytes(), token);
        // A click past a row's end leaves the caret on that row too, so Home goes to its start.
        const QRectF last = view.characterRect(perRow - 1);
        const QPointF pastEnd(last.right() + 2, last.center().y());
        mouse(view.viewport(), QEvent::MouseButtonPress, pastEnd);
        mouse(view.viewport(), QEvent::MouseButtonRelease, pastEnd);
        QCOMPARE(view.cursorPosition(), perRow);
        QCOMPARE(view.caretRect().top(), int(last.top()));
        keys(&view, Qt::Key_Home);
        QCOMPARE(view.cursorPosition(), 0);
        // Ctrl+A is unchanged, and Tab and Backtab still move the focus.
        keys(&view, Qt::Key_Right);
        keys(&view, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(view.selectedBytes(), token);
        QVERIFY(QTest::qWaitForWindowActive(&f.window));
        view.setFocus();
        QVERIFY(view.hasFocus());
        keys(&view, Qt::Key_Tab);
        QVERIFY(f.next->hasFocus());
        QCOMPARE(view.selectedBytes(), token);
        keys(f.next, Qt::Key_Backtab, Qt::ShiftModifier);
        QVERIFY(view.hasFocus());
    }

    void pageKeysMoveAScreenOfRows()
    {
        FocusedView f(false);
        ui::TokenView& view = *f.view;
        const qsizetype perRow = bytesPerRow(view);
        const QByteArray token(40 * perRow, 'x');
        view.setToken(token);
        const int page = view.verticalScrollBar()->pageStep();
        QVERIFY(page > 2 && page < 20);
        keys(&view, Qt::Key_Right, Qt::NoModifier, 2);
        keys(&view, Qt::Key_PageDown);
        QCOMPARE(view.cursorPosition(), page * perRow + 2);
        QCOMPARE(view.verticalScrollBar()->value(), page);
        keys(&view, Qt::Key_PageDown, Qt::ShiftModifier);
        QCOMPARE(view.cursorPosition(), 2 * page * perRow + 2);
        QCOMPARE(view.selectedBytes().size(), page * perRow);
        QCOMPARE(view.verticalScrollBar()->value(), 2 * page);
        keys(&view, Qt::Key_PageUp, Qt::NoModifier, 3);
        QCOMPARE(view.cursorPosition(), 0);
        QCOMPARE(view.verticalScrollBar()->value(), 0);
        // The caret is scrolled into view.
        keys(&view, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(view.verticalScrollBar()->value(), view.verticalScrollBar()->maximum());
        QVERIFY(view.viewport()->rect().contains(view.caretRect()));
        keys(&view, Qt::Key_Home, Qt::ControlModifier);
        QCOMPARE(view.verticalScrollBar()->value(), 0);
    }

    void keyboardCaretKeepsUtf8CharactersWhole()
    {
        FocusedView f(true);
        ui::TokenView& view = *f.view;
        // s a y _ h e-acute(5-6) l l o , _ han(12-14) han(15-17) _ w _ 1 !
        const QByteArray text = QByteArray("say h") + "\xC3\xA9" + "llo, " + han + han + " w_1!";
        QCOMPARE(text.size(), 23);
        view.setToken(text);
        const QList<qsizetype> stops = {1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 15, 18, 19, 20, 21, 22, 23, 23};
        for (const qsizetype stop : stops) {
            keys(&view, Qt::Key_Right);
            QCOMPARE(view.cursorPosition(), stop);
        }
        for (qsizetype i = stops.size() - 3; i >= 0; --i) {
            keys(&view, Qt::Key_Left);
            QCOMPARE(view.cursorPosition(), stops.at(i));
        }
        keys(&view, Qt::Key_Left);
        QCOMPARE(view.cursorPosition(), 0);
        keys(&view, Qt::Key_Right, Qt::NoModifier, 5);
        keys(&view, Qt::Key_Right, Qt::ShiftModifier);
        QCOMPARE(view.selectedBytes(), QByteArray("\xC3\xA9"));
        keys(&view, Qt::Key_Right, Qt::NoModifier, 6); // the first collapses the selection at 7
        QCOMPARE(view.cursorPosition(), 12);
        keys(&view, Qt::Key_Right, Qt::ShiftModifier, 2);
        QCOMPARE(view.selectedBytes(), han + han);
        // Words: runs of letters, digits, '_' and non-ASCII; Ctrl+Right to a word's end, Ctrl+Left to its start.
        keys(&view, Qt::Key_Home, Qt::ControlModifier);
        for (const qsizetype stop : {3, 10, 18, 22, 23}) {
            keys(&view, Qt::Key_Right, Qt::ControlModifier);
            QCOMPARE(view.cursorPosition(), stop);
        }
        for (const qsizetype stop : {19, 12, 4, 0}) {
            keys(&view, Qt::Key_Left, Qt::ControlModifier);
            QCOMPARE(view.cursorPosition(), stop);
        }
        keys(&view, Qt::Key_Right, Qt::ControlModifier | Qt::ShiftModifier, 2);
        QCOMPARE(view.selectedBytes(), QByteArray("say h\xC3\xA9llo"));

        // Rows of different widths: a row of 'a's, then 8 wide characters (16 columns in 24 bytes) and 'b's.
        const qsizetype perRow = bytesPerRow(view);
        QVERIFY(perRow > 24);
        QByteArray cjk;
        for (int i = 0; i < 8; ++i) {
            cjk += han;
        }
        view.setToken(QByteArray(perRow, 'a') + cjk + QByteArray(perRow - 24, 'b') + "ccccc");
        QCOMPARE(view.rowStart(1), perRow);
        QCOMPARE(view.rowStart(2), 2 * perRow);
        keys(&view, Qt::Key_Right, Qt::NoModifier, 2);
        keys(&view, Qt::Key_Down); // column 2: the second wide character's left edge
        QCOMPARE(view.cursorPosition(), perRow + 3);
        keys(&view, Qt::Key_Up);
        QCOMPARE(view.cursorPosition(), 2);
        keys(&view, Qt::Key_Right);
        keys(&view, Qt::Key_Down); // column 3 is inside it: its right edge
        QCOMPARE(view.cursorPosition(), perRow + 6);
        keys(&view, Qt::Key_Up); // back to column 3, not 4
        QCOMPARE(view.cursorPosition(), 3);
        // Down from the end of row 0 lands at the end of the shorter row 1, and stays on it.
        keys(&view, Qt::Key_End);
        keys(&view, Qt::Key_Down);
        QCOMPARE(view.cursorPosition(), 2 * perRow);
        QCOMPARE(view.caretRect().top(), int(view.characterRect(perRow).top()));
        QCOMPARE(view.caretRect().left(), qRound(view.characterRect(2 * perRow - 1).right()));
        keys(&view, Qt::Key_Home, Qt::ShiftModifier);
        QCOMPARE(view.cursorPosition(), perRow);
        QCOMPARE(view.selectedBytes(), cjk + QByteArray(perRow - 24, 'b'));
    }

    void caretIsPaintedWithFocus()
    {
        FocusedView f(true);
        ui::TokenView& view = *f.view;
        QVERIFY(QTest::qWaitForWindowActive(&f.window));
        view.setFocus();
        QVERIFY(view.hasFocus());
        view.setToken("abc");
        const QColor text = view.palette().color(QPalette::Text);
        const QColor base = view.palette().color(QPalette::Base);
        QVERIFY(text != base);
        const auto pixel = [&view](QPoint at) { return view.viewport()->grab().toImage().pixelColor(at); };
        keys(&view, Qt::Key_End);
        const QRect end = view.caretRect();
        QCOMPARE(end.left(), qRound(view.characterRect(2).right()));
        QCOMPARE(end.height(), int(view.characterRect(0).height()));
        QCOMPARE(pixel(end.center()), text);
        QCOMPARE(pixel(end.center() + QPoint(3, 0)), base);
        keys(&view, Qt::Key_Home);
        QCOMPARE(pixel(end.center()), base);
        QCOMPARE(pixel(view.caretRect().center()), text);
        f.next->setFocus();
        QCOMPARE(pixel(view.caretRect().center()), base);
    }

    void accessibleInterfaceFollowsTheKeyboard()
    {
        FocusedView f(true);
        ui::TokenView& view = *f.view;
        // Bytes: h, e-acute (1-2), an emoji (3-6), l, l, o. Characters: h, e-acute, a surrogate pair (2-3), l, l, o.
        view.setToken(QByteArray("h\xC3\xA9") + grinning + "llo");
        QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(&view);
        QVERIFY(iface);
        QAccessibleTextInterface* textIface = iface->textInterface();
        QVERIFY(textIface);
        int start = -1;
        int end = -1;
        keys(&view, Qt::Key_Right, Qt::NoModifier, 2);
        QCOMPARE(view.cursorPosition(), 3);
        QCOMPARE(textIface->cursorPosition(), 2);
        QCOMPARE(textIface->selectionCount(), 0);
        keys(&view, Qt::Key_Right, Qt::ShiftModifier, 2);
        QCOMPARE(textIface->cursorPosition(), 5);
        QCOMPARE(textIface->selectionCount(), 1);
        textIface->selection(0, &start, &end);
        QCOMPARE(std::pair(start, end), std::pair(2, 5));
        QCOMPARE(textIface->text(start, end), QString::fromUtf8(grinning) + QLatin1Char('l'));
        keys(&view, Qt::Key_Left, Qt::ShiftModifier, 3);
        QCOMPARE(view.cursorPosition(), 1);
        QCOMPARE(textIface->cursorPosition(), 1);
        textIface->selection(0, &start, &end);
        QCOMPARE(std::pair(start, end), std::pair(1, 2));
        // And the other way: the interface moves the caret the keyboard then moves on from.
        textIface->setCursorPosition(4);
        QCOMPARE(view.cursorPosition(), 7);
        QCOMPARE(textIface->selectionCount(), 0);
        keys(&view, Qt::Key_Right);
        QCOMPARE(textIface->cursorPosition(), 5);
        textIface->setSelection(0, 1, 4);
        QCOMPARE(view.selectedBytes(), QByteArray("\xC3\xA9") + grinning);
        keys(&view, Qt::Key_Right, Qt::ShiftModifier);
        textIface->selection(0, &start, &end);
        QCOMPARE(std::pair(start, end), std::pair(1, 5));
    }
};

QTEST_MAIN(TestTokenView)
#include "tst_ui_tokenview.moc"
