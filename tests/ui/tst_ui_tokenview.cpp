// TokenView in plain (UTF-8) mode: rows never split a character, wide characters take two columns for
// painting and hit-testing alike, copy is byte-exact, and screen readers get the exact text.
#include <QAccessible>
#include <QAccessibleInterface>
#include <QApplication>
#include <QClipboard>
#include <QFontMetricsF>
#include <QHelpEvent>
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
};

QTEST_MAIN(TestTokenView)
#include "tst_ui_tokenview.moc"
