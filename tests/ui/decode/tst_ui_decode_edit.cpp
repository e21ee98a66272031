// Decode & Edit colours kept right by the incremental paths that keep typing fluid: JSON colours redone
// only where the new scan differs, and read-only tokens inserted already coloured.
#include <QPlainTextEdit>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextLayout>

#include "Workspace.h"
#include "jose/Base64Url.h"
#include "panes/decode/DecodePane.h"
#include "support/Theme.h"
#include "widgets/JsonEditor.h"

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
        auto* output = pane.findChild<QPlainTextEdit*>(QStringLiteral("outputToken"));
        QVERIFY(output->isReadOnly());
        QCOMPARE(output->toPlainText(), QString::fromLatin1(token));
        const auto colourAt = [&](int pos) {
            QTextCursor c(output->document());
            c.setPosition(pos + 1); // the format of the character before the cursor
            return c.charFormat().foreground().color();
        };
        const int dot = int(token.indexOf('.'));
        QCOMPARE(colourAt(0), ui::theme::headerColor(output->palette()));
        QCOMPARE(colourAt(dot - 1), ui::theme::headerColor(output->palette()));
        QCOMPARE(colourAt(dot + 1), ui::theme::payloadColor(output->palette()));
        QVERIFY(isBold(output, dot));
    }

private:
    static bool isBold(QPlainTextEdit* output, int pos)
    {
        QTextCursor c(output->document());
        c.setPosition(pos + 1);
        return c.charFormat().fontWeight() == QFont::Bold;
    }
};

QTEST_MAIN(TestDecodeEdit)
#include "tst_ui_decode_edit.moc"
