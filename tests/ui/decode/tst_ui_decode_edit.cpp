// Decode & Edit colours kept right by the incremental paths that keep typing fluid: JSON colours redone
// only where the new scan differs, and read-only tokens inserted already coloured.
#include <QApplication>
#include <QClipboard>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextLayout>

#include "Workspace.h"
#include "jose/Base64Url.h"
#include "panes/decode/DecodePane.h"
#include "support/Theme.h"
#include "widgets/JsonEditor.h"
#include "widgets/TokenView.h"

using namespace tb;

namespace {

// The highlighter's foreground at `column` of line `line`, invalid when uncoloured.
QColor highlightAt(QPlainTextEdit* edit, int line, int column)
{
    const QTextBlock block = edit->document()->findBlockByNumber(line);
    for (const QTextLayout::FormatRange& r : block.layout()->formats()) {
        if (r.start <= column && column < r.start + r.length && r.format.hasProperty(QTextFormat::ForegroundBrush)) {
            return r.format.foreground().color();
        }
    }
    return {};
}

} // namespace

class TestDecodeEdit : public QObject
{
    Q_OBJECT

private slots:
    // Opening a string on line 2 changes the colours of line 3 too: they are redone, and again when undone.
    void laterLinesRecolouredAfterAnEdit()
    {
        ui::JsonEditor editor(QStringLiteral("payload"), QStringLiteral("Payload"));
        editor.show();
        editor.setBytes("{\n  \"a\": 1,\n  \"b\": 2\n}");
        auto* edit = editor.editor();
        const QColor key = ui::theme::keyColor(editor.palette());
        QTRY_COMPARE(highlightAt(edit, 2, 3), key); // "b" is a member name
        QTextCursor c(edit->document()->findBlockByNumber(1));
        c.setPosition(c.position() + 7); // before the 1
        edit->setTextCursor(c);
        edit->setFocus();
        QTest::keyClick(edit, '"');
        QVERIFY(editor.scan().error.has_value());
        QVERIFY(highlightAt(edit, 2, 3) != key); // no longer a member name: the scan stops at the error
        QTest::keyClick(edit, Qt::Key_Backspace);
        QCOMPARE(editor.bytes(), QByteArray("{\n  \"a\": 1,\n  \"b\": 2\n}"));
        QVERIFY(!editor.scan().error.has_value());
        QCOMPARE(highlightAt(edit, 2, 3), key);
    }

    // A long single line is coloured around the view only (layout cost grows with the square of its colour
    // ranges); scrolling to its end colours the end, and an error underline is kept wherever it is.
    void longLineColouredAroundTheView()
    {
        ui::JsonEditor editor(QStringLiteral("payload"), QStringLiteral("Payload"));
        editor.resize(400, 200);
        editor.show();
        QByteArray json = "{\"first\":1";
        for (int i = 0; json.size() < 20000; ++i) {
            json += ",\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i);
        }
        const QByteArray text = json + ",\"last\":2}";
        editor.setBytes(text);
        auto* edit = editor.editor();
        const QColor key = ui::theme::keyColor(editor.palette());
        const int last = int(text.indexOf("\"last\"")) + 1;
        QTRY_COMPARE(highlightAt(edit, 0, 1), key);     // "first", at the top
        QCOMPARE(highlightAt(edit, 0, last), QColor()); // far below the view
        edit->verticalScrollBar()->setValue(edit->verticalScrollBar()->maximum());
        QTRY_COMPARE(highlightAt(edit, 0, last), key);
        QCOMPARE(highlightAt(edit, 0, 1), QColor()); // the top is out of the window now

        // Typing at the end keeps its colours right; an error at the end is underlined even when scrolled away.
        QTextCursor c(edit->document());
        c.setPosition(last + 5); // after "last":
        edit->setTextCursor(c);
        edit->setFocus();
        QTest::keyClick(edit, '@');
        QVERIFY(editor.scan().error.has_value());
        edit->verticalScrollBar()->setValue(0);
        QTRY_COMPARE(highlightAt(edit, 0, 1), key);
        bool underlined = false;
        for (const QTextLayout::FormatRange& r : edit->document()->firstBlock().layout()->formats()) {
            underlined |= r.start <= last + 5 && last + 5 < r.start + r.length &&
                          r.format.underlineStyle() == QTextCharFormat::WaveUnderline;
        }
        QVERIFY(underlined);
    }

    // The read-only resulting token is coloured segment by segment without a highlighter pass.
    void resultTokenColouredBySegment()
    {
        ui::Workspace ws;
        ui::DecodePane pane(&ws);
        pane.show();
        const QByteArray token =
            jose::base64UrlEncode("{\"alg\":\"none\"}") + '.' + jose::base64UrlEncode("{\"sub\":\"x\"}") + '.';
        pane.openToken(token);
        QCOMPARE(pane.resultToken(), token);
        auto* output = pane.findChild<ui::TokenView*>(QStringLiteral("outputToken"));
        QVERIFY(output);
        QCOMPARE(output->token(), token);
        const int dot = int(token.indexOf('.'));
        QCOMPARE(output->colourAt(0), ui::theme::headerColor(output->palette()));
        QCOMPARE(output->colourAt(dot - 1), ui::theme::headerColor(output->palette()));
        QCOMPARE(output->colourAt(dot + 1), ui::theme::payloadColor(output->palette()));
        QCOMPARE(output->colourAt(token.size() - 2), ui::theme::payloadColor(output->palette()));
        QVERIFY(output->isBoldAt(dot));
        QVERIFY(!output->isBoldAt(dot + 1));
        QCOMPARE(output->segmentAt(dot + 1), 1);
        // Selecting and copying gives the exact bytes.
        output->select(dot + 1, token.size() - 1);
        QCOMPARE(output->selectedBytes(), token.sliced(dot + 1, token.size() - dot - 2));
        output->setFocus();
        QTest::keyClick(output, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(output, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QString::fromLatin1(token));
    }
};

QTEST_MAIN(TestDecodeEdit)
#include "tst_ui_decode_edit.moc"
