#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"

using namespace tb::test;

class TestCliSession : public QObject
{
    Q_OBJECT

private slots:
    void genDefaultIsOne128BitBase64UrlId()
    {
        const auto r = runCli({QStringLiteral("session"), QStringLiteral("gen")});
        QCOMPARE(r.code, 0);
        QVERIFY(
            QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]{22}\n$")).match(QString::fromLatin1(r.out)).hasMatch());
        QVERIFY(r.err.isEmpty());
    }

    void genCountHexBits()
    {
        const auto r = runCli({QStringLiteral("session"), QStringLiteral("gen"), QStringLiteral("--count"),
                               QStringLiteral("5"), QStringLiteral("--encoding"), QStringLiteral("hex"),
                               QStringLiteral("--bits"), QStringLiteral("256")});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 5);
        for (const QByteArray& l : lines) {
            QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(QString::fromLatin1(l)).hasMatch());
        }
        QCOMPARE(QSet<QByteArray>(lines.begin(), lines.end()).size(), 5);
    }

    void genCustomAlphabet()
    {
        const auto r = runCli({QStringLiteral("session"), QStringLiteral("gen"), QStringLiteral("--alphabet"),
                               QStringLiteral("01"), QStringLiteral("--bits"), QStringLiteral("16")});
        QCOMPARE(r.code, 0);
        QVERIFY(QRegularExpression(QStringLiteral("^[01]{16}\n$")).match(QString::fromLatin1(r.out)).hasMatch());
    }

    void genExplainPrintsOwaspFigureOnStderr()
    {
        const auto r = runCli({QStringLiteral("session"), QStringLiteral("gen"), QStringLiteral("--bits"),
                               QStringLiteral("64"), QStringLiteral("--explain")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.count('\n'), 1);
        QVERIFY(r.err.contains("292.3 years"));
        QVERIFY(r.err.contains("584.5 years"));
    }

    void genBadArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("bits not multiple of 8") << QStringList{QStringLiteral("--bits"), QStringLiteral("12")};
        QTest::newRow("bits too large") << QStringList{QStringLiteral("--bits"), QStringLiteral("99999")};
        QTest::newRow("bits not a number") << QStringList{QStringLiteral("--bits"), QStringLiteral("many")};
        QTest::newRow("encoding") << QStringList{QStringLiteral("--encoding"), QStringLiteral("base32")};
        QTest::newRow("count zero") << QStringList{QStringLiteral("--count"), QStringLiteral("0")};
        QTest::newRow("alphabet repeats") << QStringList{QStringLiteral("--alphabet"), QStringLiteral("aab")};
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")};
        QTest::newRow("unknown option") << QStringList{QStringLiteral("--nope")};
    }

    void genBadArguments()
    {
        QFETCH(QStringList, args);
        expectUsageError(runCli(QStringList{QStringLiteral("session"), QStringLiteral("gen")} + args));
    }

    void unknownOrMissingAction()
    {
        expectUsageError(runCli({QStringLiteral("session")}));
        expectUsageError(runCli({QStringLiteral("session"), QStringLiteral("guess")}));
    }

    void analyzeCsprngPassesWithContractJson()
    {
        const auto ids = runCli(
            {QStringLiteral("session"), QStringLiteral("gen"), QStringLiteral("--count"), QStringLiteral("2000")});
        const auto r = runCli(
            {QStringLiteral("session"), QStringLiteral("analyze"), QStringLiteral("-"), QStringLiteral("--json")},
            ids.out);
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.count('\n'), 1);
        const QJsonObject o = jsonObject(r.out);
        QCOMPARE(o.value(QStringLiteral("samples")).toInt(), 2000);
        QCOMPARE(o.value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
        const QJsonObject e = o.value(QStringLiteral("effective_entropy_bits")).toObject();
        QCOMPARE(e.keys(), QStringList({QStringLiteral("0.001"), QStringLiteral("0.01"), QStringLiteral("0.1"),
                                        QStringLiteral("1"), QStringLiteral("10"), QStringLiteral("5")}));
        QVERIFY(e.value(QStringLiteral("0.001")).toInt() >= 120);
        QVERIFY(e.value(QStringLiteral("0.001")).toInt() >= e.value(QStringLiteral("10")).toInt());
        QVERIFY(o.value(QStringLiteral("structure")).isArray());
        QVERIFY(o.value(QStringLiteral("structure")).toArray().isEmpty());
        QStringList tests;
        for (const auto t : o.value(QStringLiteral("tests")).toArray()) {
            tests << t.toObject().value(QStringLiteral("name")).toString();
        }
        QCOMPARE(tests, QStringList({QStringLiteral("char-count"), QStringLiteral("char-transition"),
                                     QStringLiteral("monobit"), QStringLiteral("poker"), QStringLiteral("runs"),
                                     QStringLiteral("long-run"), QStringLiteral("correlation"),
                                     QStringLiteral("compression")}));
    }

    void analyzeCounterFailsWithStructure()
    {
        const auto ids = runCli({QStringLiteral("session"), QStringLiteral("demo"), QStringLiteral("counter-epochms"),
                                 QStringLiteral("--count"), QStringLiteral("500")});
        QCOMPARE(ids.code, 0);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("ids.txt"));
        QVERIFY(tb::test::writeFileBytes(file, ids.out));
        const auto r = runCli({QStringLiteral("session"), QStringLiteral("analyze"), file, QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        const QJsonObject o = jsonObject(r.out);
        QCOMPARE(o.value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
        const QStringList k = stringsOf(o, QStringLiteral("structure"), QStringLiteral("kind"));
        QVERIFY2(k.contains(QStringLiteral("counter")) && k.contains(QStringLiteral("timestamp")),
                 qPrintable(k.join(u',')));
    }

    void analyzeTextOutput()
    {
        const auto ids = runCli({QStringLiteral("session"), QStringLiteral("demo"), QStringLiteral("padded32"),
                                 QStringLiteral("--count"), QStringLiteral("300")});
        const auto r = runCli({QStringLiteral("session"), QStringLiteral("analyze")}, ids.out);
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.startsWith("verdict: fail\nsamples: 300"));
        QVERIFY(r.out.contains("structure static: 24 of 32 character positions never change"));
    }

    void analyzeInsufficientSample()
    {
        const auto ids =
            runCli({QStringLiteral("session"), QStringLiteral("gen"), QStringLiteral("--count"), QStringLiteral("50")});
        const auto r =
            runCli({QStringLiteral("session"), QStringLiteral("analyze"), QStringLiteral("--json")}, ids.out);
        QCOMPARE(r.code, 1);
        const QJsonObject o = jsonObject(r.out);
        QCOMPARE(o.value(QStringLiteral("verdict")).toString(), QStringLiteral("insufficient"));
        QCOMPARE(o.value(QStringLiteral("samples")).toInt(), 50);
        QCOMPARE(o.value(QStringLiteral("effective_entropy_bits")).toObject().value(QStringLiteral("1")).toInt(), 0);
    }

    void analyzeBadInput()
    {
        expectUsageError(runCli({QStringLiteral("session"), QStringLiteral("analyze")}, "\n\n"));
        expectUsageError(
            runCli({QStringLiteral("session"), QStringLiteral("analyze"), QStringLiteral("/no/such/file")}));
        expectUsageError(runCli({QStringLiteral("session"), QStringLiteral("analyze")}, {}, true)); // terminal: no wait
        expectUsageError(runCli({QStringLiteral("session"), QStringLiteral("analyze")}, QByteArray(5000, 'x')));
        expectUsageError(runCli({QStringLiteral("session"), QStringLiteral("analyze"), QStringLiteral("--capture-time"),
                                 QStringLiteral("soon")},
                                "a\n"));
    }

    void demoKinds()
    {
        expectUsageError(runCli({QStringLiteral("session"), QStringLiteral("demo"), QStringLiteral("dice")}));
        const auto r = runCli({QStringLiteral("session"), QStringLiteral("demo"), QStringLiteral("uuid-v7"),
                               QStringLiteral("--count"), QStringLiteral("3")});
        QCOMPARE(r.code, 0);
        for (const QByteArray& l : r.out.trimmed().split('\n')) {
            QVERIFY(QRegularExpression(
                        QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                        .match(QString::fromLatin1(l))
                        .hasMatch());
        }
    }

    // --json members in CLI.md's order, the significance levels ascending (not "10" before "5").
    void analyzeJsonMembersInContractOrder()
    {
        const auto ids = runCliBinary(
            {QStringLiteral("session"), QStringLiteral("gen"), QStringLiteral("--count"), QStringLiteral("200")});
        QCOMPARE(ids.code, 0);
        const auto r =
            runCliBinary({QStringLiteral("session"), QStringLiteral("analyze"), QStringLiteral("--json")}, ids.out);
        QCOMPARE(r.code, 0);
        const QRegularExpression shape(QStringLiteral(
            "^\\{\"samples\":200,\"verdict\":\"[a-z]+\",\"effective_entropy_bits\":\\{\"0.001\":\\d+,\"0.01\":\\d+,"
            "\"0.1\":\\d+,\"1\":\\d+,\"5\":\\d+,\"10\":\\d+\\},\"structure\":\\[.*\\],\"tests\":\\["));
        QVERIFY2(shape.match(QString::fromUtf8(r.out)).hasMatch(), r.out.left(300).constData());
    }

    void realBinaryRoundTrip()
    {
        const auto ids = runCliBinary({QStringLiteral("session"), QStringLiteral("gen"), QStringLiteral("--count"),
                                       QStringLiteral("200"), QStringLiteral("--encoding"), QStringLiteral("hex")});
        QCOMPARE(ids.code, 0);
        const auto r =
            runCliBinary({QStringLiteral("session"), QStringLiteral("analyze"), QStringLiteral("--json")}, ids.out);
        QCOMPARE(r.code, 0);
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("verdict")).toString(), QStringLiteral("pass"));
        const auto bad = runCliBinary(
            {QStringLiteral("session"), QStringLiteral("gen"), QStringLiteral("--bits"), QStringLiteral("7")});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.startsWith("error: "));
    }
};

QTEST_GUILESS_MAIN(TestCliSession)
#include "tst_cli_session.moc"
