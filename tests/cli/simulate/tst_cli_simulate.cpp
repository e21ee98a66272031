#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"

using namespace tb::test;

namespace {

QJsonObject laneOf(const QJsonObject& doc, const QString& id)
{
    for (const QJsonValue& v : doc.value(QStringLiteral("lanes")).toArray()) {
        if (v.toObject().value(QStringLiteral("id")).toString() == id) {
            return v.toObject();
        }
    }
    return {};
}

} // namespace

class TestCliSimulate : public QObject
{
    Q_OBJECT

private slots:
    void listNamesTheEighteenScenarios()
    {
        const auto run = runCli({QStringLiteral("simulate"), QStringLiteral("--list")});
        QCOMPARE(run.code, 0);
        const QList<QByteArray> lines = run.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 18);
        QCOMPARE(lines.first(), QByteArray("S1    02:00 compromise"));
        QCOMPARE(lines.last(), QByteArray("S18   Hybrid / BFF"));
    }

    void builtinS1JsonHasTheContractKeys()
    {
        const auto run = runCli(
            {QStringLiteral("simulate"), QStringLiteral("--builtin"), QStringLiteral("S1"), QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.endsWith('\n'));
        const QJsonObject doc = jsonObject(run.out);
        QCOMPARE(doc.value(QStringLiteral("scenario")).toString(), QStringLiteral("S1"));
        const QJsonArray lanes = doc.value(QStringLiteral("lanes")).toArray();
        QCOMPARE(lanes.size(), 6);
        const QStringList ids = {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"),
                                 QStringLiteral("D"), QStringLiteral("E"), QStringLiteral("F")};
        for (qsizetype i = 0; i < lanes.size(); ++i) {
            const QJsonObject l = lanes[i].toObject();
            QCOMPARE(l.value(QStringLiteral("id")).toString(), ids[i]);
            for (const char* key : {"name", "exposure_window_s", "attacker_requests_accepted_after_revocation",
                                    "bytes_per_request", "store_ops_per_s"}) {
                QVERIFY2(l.contains(QLatin1String(key)), key);
            }
            QVERIFY(l.value(QStringLiteral("auth_latency_ms")).toObject().contains(QStringLiteral("p50")));
            QVERIFY(l.value(QStringLiteral("auth_latency_ms")).toObject().contains(QStringLiteral("p99")));
        }
        QCOMPARE(laneOf(doc, QStringLiteral("A")).value(QStringLiteral("exposure_window_s")).toDouble(), 0.0);
        QCOMPARE(laneOf(doc, QStringLiteral("B")).value(QStringLiteral("exposure_window_s")).toDouble(), 900.0);
        QCOMPARE(laneOf(doc, QStringLiteral("C")).value(QStringLiteral("exposure_window_s")).toDouble(), 5.0);
    }

    void setMovesTheWindow()
    {
        const auto run =
            runCli({QStringLiteral("simulate"), QStringLiteral("--builtin"), QStringLiteral("S1"),
                    QStringLiteral("--set"), QStringLiteral("detection_delay_s=300"), QStringLiteral("--set"),
                    QStringLiteral("denylist_propagation_s=20"), QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        const QJsonObject doc = jsonObject(run.out);
        QCOMPARE(laneOf(doc, QStringLiteral("B")).value(QStringLiteral("exposure_window_s")).toDouble(), 600.0);
        QCOMPARE(laneOf(doc, QStringLiteral("C")).value(QStringLiteral("exposure_window_s")).toDouble(), 20.0);
    }

    void seedGivesSameBytes()
    {
        const QStringList args = {QStringLiteral("simulate"), QStringLiteral("--builtin"), QStringLiteral("S2"),
                                  QStringLiteral("--seed"),   QStringLiteral("99"),        QStringLiteral("--json")};
        const auto a = runCli(args);
        const auto b = runCli(args);
        QCOMPARE(a.code, 0);
        QCOMPARE(a.out, b.out);
        QCOMPARE(jsonObject(a.out).value(QStringLiteral("seed")).toString(), QStringLiteral("99"));
    }

    void tableIsReadable()
    {
        const auto run = runCli({QStringLiteral("simulate"), QStringLiteral("--builtin"), QStringLiteral("s1")});
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.startsWith("S1  02:00 compromise\n"));
        QVERIFY(run.out.contains("exposure_s"));
        QVERIFY(run.out.contains("\nB             900           900"));
    }

    void scenarioFromFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("mine.json"));
        QVERIFY(tb::test::writeFileBytes(
            path, R"({"id":"mine","title":"t","teaches":"t","lanes":["B"],"parameters":{"users":10},
                     "events":[{"type":"login","at":"02:00"},{"type":"theft","at":"02:00","steals":"access"},
                               {"type":"revoke","at":"02:05"}]})"));
        const auto run = runCli({QStringLiteral("simulate"), path, QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        const QJsonObject doc = jsonObject(run.out);
        QCOMPARE(doc.value(QStringLiteral("scenario")).toString(), QStringLiteral("mine"));
        QCOMPARE(laneOf(doc, QStringLiteral("B")).value(QStringLiteral("exposure_window_s")).toDouble(), 600.0);
    }

    void badInputExitsTwoWithAMessage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("stdinBytes");
        QTest::addColumn<QString>("message");
        const QString sim = QStringLiteral("simulate");
        QTest::newRow("no scenario") << QStringList{sim} << QByteArray() << QStringLiteral("give exactly one scenario");
        QTest::newRow("both") << QStringList{sim, QStringLiteral("x.json"), QStringLiteral("--builtin"),
                                             QStringLiteral("S1")}
                              << QByteArray() << QStringLiteral("give exactly one scenario");
        QTest::newRow("unknown builtin") << QStringList{sim, QStringLiteral("--builtin"), QStringLiteral("S99")}
                                         << QByteArray() << QStringLiteral("no built-in scenario 'S99'");
        QTest::newRow("missing file") << QStringList{sim, QStringLiteral("/nonexistent/x.json")} << QByteArray()
                                      << QStringLiteral("Cannot read /nonexistent/x.json");
        QTest::newRow("unknown key") << QStringList{sim, QStringLiteral("--builtin"), QStringLiteral("S1"),
                                                    QStringLiteral("--set"), QStringLiteral("colour=red")}
                                     << QByteArray() << QStringLiteral("unknown parameter 'colour'");
        QTest::newRow("bad value") << QStringList{sim, QStringLiteral("--builtin"), QStringLiteral("S1"),
                                                  QStringLiteral("--set"), QStringLiteral("leeway_s=soon")}
                                   << QByteArray() << QStringLiteral("parameter 'leeway_s' expects a number");
        QTest::newRow("bad seed") << QStringList{sim, QStringLiteral("--builtin"), QStringLiteral("S1"),
                                                 QStringLiteral("--seed"), QStringLiteral("-3")}
                                  << QByteArray() << QStringLiteral("--seed expects a non-negative integer");
        QTest::newRow("stdin missing field") << QStringList{sim, QStringLiteral("-")}
                                             << QByteArray(R"({"id":"X","teaches":"t","lanes":["A"],"events":[]})")
                                             << QStringLiteral("title: missing required field.");
        QTest::newRow("stdin unknown lane")
            << QStringList{sim, QStringLiteral("-")}
            << QByteArray(R"({"id":"X","title":"t","teaches":"t","lanes":["Z"],"events":[]})")
            << QStringLiteral("lanes[0]: unknown lane 'Z'");
        QTest::newRow("stdin garbage") << QStringList{sim, QStringLiteral("-")} << QByteArray("\x00\xff garbage", 10)
                                       << QStringLiteral("not valid JSON");
    }

    void badInputExitsTwoWithAMessage()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, stdinBytes);
        QFETCH(QString, message);
        const auto run = runCli(args, stdinBytes);
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.startsWith("error: "), run.err.constData());
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
        QVERIFY(run.out.isEmpty());
    }

    void terminalStdinIsRefusedNotAwaited()
    {
        const auto run = runCli({QStringLiteral("simulate"), QStringLiteral("-")}, {}, true);
        QCOMPARE(run.code, 2);
        QVERIFY(run.err.startsWith("error: no scenario on standard input"));
    }

    // --json members in the order CLI.md lists them, for the document and each lane.
    void jsonMembersInContractOrder()
    {
        const auto run = runCliBinary(
            {QStringLiteral("simulate"), QStringLiteral("--builtin"), QStringLiteral("S1"), QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        const QRegularExpression lane(QStringLiteral(
            "\\{\"id\":\"[A-F]\",\"name\":\"[^\"]+\",\"exposure_window_s\":[-0-9.e+]+,"
            "\"attacker_requests_accepted_after_revocation\":[0-9]+,\"auth_latency_ms\":\\{\"p50\":[-0-9.e+]+,"
            "\"p99\":[-0-9.e+]+[,}].*?\"bytes_per_request\":[0-9.e+]+,\"store_ops_per_s\":[-0-9.e+]+,"));
        QVERIFY2(run.out.startsWith("{\"scenario\":\"S1\",\"lanes\":[{\"id\":\"A\","), run.out.left(300).constData());
        QCOMPARE(QString::fromUtf8(run.out).count(lane), 6);
    }

    void realBinary()
    {
        const auto list = runCliBinary({QStringLiteral("simulate"), QStringLiteral("--list")});
        QCOMPARE(list.code, 0);
        QCOMPARE(list.out.count('\n'), 18);
        const auto run = runCliBinary(
            {QStringLiteral("simulate"), QStringLiteral("--builtin"), QStringLiteral("S1"), QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        const QJsonObject doc = jsonObject(run.out);
        QCOMPARE(laneOf(doc, QStringLiteral("B")).value(QStringLiteral("exposure_window_s")).toDouble(), 900.0);
        QCOMPARE(laneOf(doc, QStringLiteral("A")).value(QStringLiteral("exposure_window_s")).toDouble(), 0.0);
        const auto bad = runCliBinary({QStringLiteral("simulate"), QStringLiteral("--builtin"), QStringLiteral("S1"),
                                       QStringLiteral("--set"), QStringLiteral("bogus=1")});
        QCOMPARE(bad.code, 2);
        QCOMPARE(bad.err, QByteArray("error: unknown parameter 'bogus'.\n"));
    }
};

QTEST_GUILESS_MAIN(TestCliSimulate)
#include "tst_cli_simulate.moc"
