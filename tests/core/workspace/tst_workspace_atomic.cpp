// Workspace saves are atomic (issue 7): a child process saves a large workspace in a loop and is killed with
// SIGKILL at varying moments; after every kill the file must still load, and be one whole generation.
#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include "TestSupport.h"
#include "TestWorkspaceData.h"
#include "workspace/WorkspaceFile.h"

using namespace tb;

class TestWorkspaceAtomic final : public QObject
{
    Q_OBJECT

private slots:
    void killedMidSaveKeepsAWholeFile();
    void failedSaveLeavesNoTemporaryFile();
    void saveFollowsASymlink();
};

void TestWorkspaceAtomic::killedMidSaveKeepsAWholeFile()
{
    const QString helper = qEnvironmentVariable("TB_SAVE_LOOP");
    QVERIFY2(QFileInfo::exists(helper), "TB_SAVE_LOOP names the helper executable");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.tbws"));
    QVERIFY(workspace::saveWorkspaceFile(path, test::generationData(1), nullptr));
    QRandomGenerator random(7); // fixed: the same kill points on every run
    qint64 lastGeneration = 1;
    int newer = 0;
    for (int round = 1; round <= 20; ++round) {
        QProcess child;
        child.start(helper, {path, QString::number(round)});
        QVERIFY(child.waitForStarted());
        QVERIFY2(child.waitForReadyRead(120000), "the helper saves once before the kill window opens");
        QThread::msleep(random.bounded(400)); // anywhere in the following saves
        child.kill();                         // SIGKILL: no handler, no clean-up
        QVERIFY(child.waitForFinished());
        const auto loaded = workspace::parseWorkspace(test::readFileBytes(path), nullptr);
        QVERIFY2(loaded, qPrintable(QStringLiteral("round %1: %2").arg(round).arg(loaded.error().message)));
        QVERIFY2(test::isWholeGeneration(loaded->data),
                 qPrintable(QStringLiteral("round %1: a mixed file").arg(round)));
        const auto generation = qint64(loaded->data.settings.value(QStringLiteral("generation")).toDouble());
        QVERIFY(generation >= round * 1000000 + 1 && generation <= round * 1000000 + 3); // this round's helper
        newer += generation != lastGeneration;
        lastGeneration = generation;
    }
    QCOMPARE(newer, 20);
    // A kill during a save leaves its hidden temporary file behind (never the target): count them for the log.
    const QStringList leftovers =
        QDir(dir.path()).entryList({QStringLiteral(".big.tbws.tmp-*")}, QDir::Hidden | QDir::Files);
    qInfo("%lld of 20 kills landed inside a save (a temporary file was left)", qlonglong(leftovers.size()));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // only big.tbws is visible
}

void TestWorkspaceAtomic::failedSaveLeavesNoTemporaryFile()
{
    // The rename fails (a folder stands at the path) after the bytes were written: the temporary file goes.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ws.tbws"));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("ws.tbws")));
    const auto refused = workspace::saveWorkspaceFile(path, test::generationData(4), nullptr);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::IoError);
    QCOMPARE(refused.error().message, QStringLiteral("Cannot write %1: Is a directory.").arg(path));
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("ws.tbws")});
}

void TestWorkspaceAtomic::saveFollowsASymlink()
{
    QTemporaryDir dir;
    const QString real = dir.filePath(QStringLiteral("real.tbws"));
    const QString link = dir.filePath(QStringLiteral("link.tbws"));
    QVERIFY(workspace::saveWorkspaceFile(real, test::generationData(5), nullptr));
    QVERIFY(QFile::link(real, link));
    QVERIFY(workspace::saveWorkspaceFile(link, test::generationData(6), nullptr));
    QVERIFY(QFileInfo(link).isSymLink());
    const auto loaded = workspace::parseWorkspace(test::readFileBytes(real), nullptr);
    QVERIFY(loaded);
    QCOMPARE(loaded->data.settings.value(QStringLiteral("generation")).toInt(), 6);
    QCOMPARE(QFileInfo(real).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
}

QTEST_GUILESS_MAIN(TestWorkspaceAtomic)
#include "tst_workspace_atomic.moc"
