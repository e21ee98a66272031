#include <QAction>
#include <QFile>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/crypto.h>

#include "MainWindow.h"
#include "TestSupport.h"
#include "support/MessageBox.h"

using tb::ui::MainWindow;
using tb::ui::MessageBox;

namespace {

// RFC 7515 A.1, as a file would hold it (with a final newline).
QByteArray rfcToken()
{
    const auto vectors = tb::test::loadVectorFile(QStringLiteral("rfc7515_appendix_a.json"));
    return vectors.value(QStringLiteral("vectors"))
        .toArray()
        .first()
        .toObject()
        .value(QStringLiteral("compact"))
        .toString()
        .toUtf8();
}

QAction* aboutAction(const MainWindow& window)
{
    for (QAction* action : window.findChildren<QAction*>()) {
        if (action->menuRole() == QAction::AboutRole) {
            return action;
        }
    }
    return nullptr;
}

} // namespace

// What the desktop integration relies on: the About box names the versions in use, and a file given on
// the command line (as the .desktop entry's %f passes it) opens by its type.
class TestUiDesktop : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { MessageBox::resetHooks(); }

    void aboutNamesTheVersions()
    {
        MainWindow window;
        QAction* about = aboutAction(window);
        QVERIFY(about != nullptr);
        MessageBox::setNextAnswer(QMessageBox::Ok);
        about->trigger();
        const QString text = MessageBox::lastText();
        QVERIFY2(text.startsWith(QStringLiteral("tokenbench " TB_VERSION "\n")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("\nQt %1 (built with %2)\n")
                                   .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))),
                 qPrintable(text));
        const QString openssl = QString::fromLatin1(OpenSSL_version(OPENSSL_VERSION));
        QVERIFY(openssl.startsWith(QStringLiteral("OpenSSL 3.")));
        QVERIFY2(text.contains(u'\n' + openssl + u'\n'), qPrintable(text));
    }

    void tokenFileOpensInDecode()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a1.jwt"));
        QVERIFY(tb::test::writeFileBytes(path, rfcToken() + '\n'));
        MainWindow window;
        window.showPane(MainWindow::KeysIndex);
        QVERIFY(window.openPath(path));
        QCOMPARE(window.currentPane(), MainWindow::DecodeIndex);
        auto* input = window.findChild<QPlainTextEdit*>(QStringLiteral("tokenInput"));
        QVERIFY(input != nullptr);
        QCOMPARE(input->toPlainText().trimmed().toUtf8(), rfcToken());
    }

    // The same bytes in a .tbws file are read as a workspace, and refused as one.
    void workspaceFileOpensAsWorkspace()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a1.tbws"));
        QVERIFY(tb::test::writeFileBytes(path, rfcToken()));
        MainWindow window;
        MessageBox::setNextAnswer(QMessageBox::Ok);
        QVERIFY(!window.openPath(path));
        QVERIFY2(MessageBox::lastText().endsWith(QStringLiteral("\n\nThe current workspace was not changed.")),
                 qPrintable(MessageBox::lastText()));
        auto* input = window.findChild<QPlainTextEdit*>(QStringLiteral("tokenInput"));
        QVERIFY(input != nullptr);
        QVERIFY(input->toPlainText().isEmpty());
    }
};

QTEST_MAIN(TestUiDesktop)
#include "tst_ui_desktop.moc"
