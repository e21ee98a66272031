// `tokenbench-cli lint`: the CLI.md contract (JSON and SARIF shapes, --fail-on, exit codes, bad input).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "TestSupport.h"
#include "jose/Base64Url.h"

using namespace tb::test;

namespace {

// Findings: critical JWT-ALG-NONE, low JWT-ISS-MISSING / JWT-AUD-MISSING, info JWT-TYP-GENERIC, medium JWT-EXP-MISSING.
const QByteArray noneToken = compactToken("{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"sub\":\"u\"}", QByteArray());
// Only a low finding (RS256) and nothing else.
const QByteArray lowToken =
    compactToken("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}",
                 "{\"iss\":\"https://i.example\",\"aud\":\"api\",\"iat\":1700000000,\"exp\":1700000600}",
                 tb::jose::base64UrlEncode(QByteArray(256, '\x01')));
const QByteArray cleanToken =
    compactToken("{\"alg\":\"ES256\",\"typ\":\"at+jwt\"}",
                 "{\"iss\":\"https://i.example\",\"aud\":\"api\",\"iat\":1700000000,\"exp\":1700000600}",
                 tb::jose::base64UrlEncode(QByteArray(64, '\x01')));

QStringList lint(std::initializer_list<QString> extra)
{
    return QStringList{QStringLiteral("lint")} + QStringList(extra) +
           QStringList{QStringLiteral("--now"), QStringLiteral("1700000000")};
}

} // namespace

class TestCliLint : public QObject
{
    Q_OBJECT

private slots:
    void jsonShape()
    {
        const auto r = runCli(lint({QString::fromLatin1(noneToken), QStringLiteral("--json")}));
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.endsWith('\n'));
        QCOMPARE(r.out.count('\n'), 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY(o.value(QStringLiteral("findings")).isArray());
        const QJsonArray findings = o.value(QStringLiteral("findings")).toArray();
        QVERIFY(!findings.isEmpty());
        const QStringList severities = {QStringLiteral("critical"), QStringLiteral("high"), QStringLiteral("medium"),
                                        QStringLiteral("low"), QStringLiteral("info")};
        for (const auto v : findings) {
            const QJsonObject f = v.toObject();
            QVERIFY(f.value(QStringLiteral("id")).isString());
            QVERIFY(severities.contains(f.value(QStringLiteral("severity")).toString()));
            QVERIFY(!f.value(QStringLiteral("message")).toString().isEmpty());
            QVERIFY(!f.value(QStringLiteral("reference")).toString().isEmpty());
        }
        const QJsonObject first = findings.first().toObject();
        QCOMPARE(first.value(QStringLiteral("id")).toString(), QStringLiteral("JWT-ALG-NONE"));
        QCOMPARE(first.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QCOMPARE(first.value(QStringLiteral("reference")).toString(), QStringLiteral("RFC 8725 §3.1"));
        QCOMPARE(findingIds(r.out), (QStringList{QStringLiteral("JWT-ALG-NONE"), QStringLiteral("JWT-EXP-MISSING"),
                                                 QStringLiteral("JWT-ISS-MISSING"), QStringLiteral("JWT-AUD-MISSING"),
                                                 QStringLiteral("JWT-TYP-GENERIC")}));
    }

    void cleanTokenHasNoFindings()
    {
        const auto r = runCli(lint({QString::fromLatin1(cleanToken), QStringLiteral("--json")}));
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("{\"findings\":[]}\n"));
        const auto text =
            runCli(lint({QString::fromLatin1(cleanToken), QStringLiteral("--fail-on"), QStringLiteral("low")}));
        QCOMPARE(text.code, 0);
        QCOMPARE(text.out, QByteArray("no findings\n"));
    }

    void sarifShape()
    {
        const auto r = runCli(lint({QString::fromLatin1(noneToken), QStringLiteral("--sarif")}));
        QCOMPARE(r.code, 0);
        QJsonParseError error{};
        const QJsonObject log = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("2.1.0"));
        QVERIFY(log.value(QStringLiteral("$schema")).toString().contains(QStringLiteral("sarif")));
        const QJsonArray runs = log.value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 1);
        const QJsonObject driver =
            runs[0].toObject().value(QStringLiteral("tool")).toObject().value(QStringLiteral("driver")).toObject();
        QCOMPARE(driver.value(QStringLiteral("name")).toString(), QStringLiteral("tokenbench"));
        const QJsonArray rules = driver.value(QStringLiteral("rules")).toArray();
        QVERIFY(rules.size() >= 35);
        QStringList ruleIds;
        for (const auto v : rules) {
            ruleIds << v.toObject().value(QStringLiteral("id")).toString();
            QVERIFY(!v.toObject()
                         .value(QStringLiteral("shortDescription"))
                         .toObject()
                         .value(QStringLiteral("text"))
                         .toString()
                         .isEmpty());
        }
        const QJsonArray results = runs[0].toObject().value(QStringLiteral("results")).toArray();
        QCOMPARE(results.size(), 5);
        const QStringList levels = {QStringLiteral("error"), QStringLiteral("warning"), QStringLiteral("note"),
                                    QStringLiteral("none")};
        for (const auto v : results) {
            const QJsonObject res = v.toObject();
            const QString id = res.value(QStringLiteral("ruleId")).toString();
            QVERIFY(ruleIds.contains(id));
            QCOMPARE(ruleIds.at(res.value(QStringLiteral("ruleIndex")).toInt()), id);
            QVERIFY(levels.contains(res.value(QStringLiteral("level")).toString()));
            QVERIFY(
                !res.value(QStringLiteral("message")).toObject().value(QStringLiteral("text")).toString().isEmpty());
        }
        QCOMPARE(results[0].toObject().value(QStringLiteral("ruleId")).toString(), QStringLiteral("JWT-ALG-NONE"));
        QCOMPARE(results[0].toObject().value(QStringLiteral("level")).toString(), QStringLiteral("error"));
    }

    // Every result has a physical location: the artifact ("token", or the @FILE given) and the bytes of the segment
    // or of the member's base64url characters, counted in that artifact; plus the member's JSON Pointer.
    void sarifLocations()
    {
        const auto r = runCli(lint({QString::fromLatin1(noneToken), QStringLiteral("--sarif")}));
        QCOMPARE(r.code, 0);
        const QJsonObject run =
            QJsonDocument::fromJson(r.out).object().value(QStringLiteral("runs")).toArray()[0].toObject();
        const QJsonObject artifact = run.value(QStringLiteral("artifacts")).toArray()[0].toObject();
        QCOMPARE(artifact.value(QStringLiteral("location")).toObject().value(QStringLiteral("uri")).toString(),
                 QStringLiteral("token"));
        QCOMPARE(artifact.value(QStringLiteral("length")).toInt(), noneToken.size());
        QCOMPARE(artifact.value(QStringLiteral("contents")).toObject().value(QStringLiteral("text")).toString(),
                 QString::fromLatin1(noneToken));
        const QJsonArray results = run.value(QStringLiteral("results")).toArray();
        const auto location = [&](int i) {
            return results[i].toObject().value(QStringLiteral("locations")).toArray()[0].toObject();
        };
        // JWT-ALG-NONE: "alg":"none" is bytes 1..12 of the header, characters 1..17 of the token.
        QCOMPARE(results[0].toObject().value(QStringLiteral("ruleId")).toString(), QStringLiteral("JWT-ALG-NONE"));
        const QJsonObject physical = location(0).value(QStringLiteral("physicalLocation")).toObject();
        QCOMPARE(physical.value(QStringLiteral("artifactLocation")).toObject().value(QStringLiteral("uri")).toString(),
                 QStringLiteral("token"));
        QCOMPARE(physical.value(QStringLiteral("artifactLocation")).toObject().value(QStringLiteral("index")).toInt(-1),
                 0);
        const QJsonObject region = physical.value(QStringLiteral("region")).toObject();
        QCOMPARE(region.value(QStringLiteral("byteOffset")).toInt(), 1);
        QCOMPARE(region.value(QStringLiteral("byteLength")).toInt(), 17);
        QCOMPARE(region.value(QStringLiteral("snippet")).toObject().value(QStringLiteral("text")).toString(),
                 QString::fromLatin1(noneToken.mid(1, 17)));
        const QJsonObject logical = location(0).value(QStringLiteral("logicalLocations")).toArray()[0].toObject();
        QCOMPARE(logical.value(QStringLiteral("fullyQualifiedName")).toString(), QStringLiteral("header/alg"));
        QCOMPARE(logical.value(QStringLiteral("kind")).toString(), QStringLiteral("property"));
        const QJsonObject props = location(0).value(QStringLiteral("properties")).toObject();
        QCOMPARE(props.value(QStringLiteral("jsonPointer")).toString(), QStringLiteral("/alg"));
        QCOMPARE(props.value(QStringLiteral("jsonByteOffset")).toInt(), 1);
        QCOMPARE(props.value(QStringLiteral("jsonByteLength")).toInt(), 12);
        // JWT-EXP-MISSING: the whole payload segment.
        QCOMPARE(results[1].toObject().value(QStringLiteral("ruleId")).toString(), QStringLiteral("JWT-EXP-MISSING"));
        const QJsonObject payloadRegion =
            location(1).value(QStringLiteral("physicalLocation")).toObject().value(QStringLiteral("region")).toObject();
        const int dot = int(noneToken.indexOf('.'));
        QCOMPARE(payloadRegion.value(QStringLiteral("byteOffset")).toInt(), dot + 1);
        QCOMPARE(payloadRegion.value(QStringLiteral("byteLength")).toInt(),
                 int(noneToken.indexOf('.', dot + 1)) - dot - 1);

        // @FILE: the file is the artifact, and offsets count its leading whitespace.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("token.jwt"));
        QVERIFY(tb::test::writeFileBytes(path, "\n  " + noneToken + "\n"));
        const auto f = runCli(lint({QLatin1Char('@') + path, QStringLiteral("--sarif")}));
        QCOMPARE(f.code, 0);
        const QJsonObject fileRun =
            QJsonDocument::fromJson(f.out).object().value(QStringLiteral("runs")).toArray()[0].toObject();
        const QJsonObject fileResult = fileRun.value(QStringLiteral("results")).toArray()[0].toObject();
        const QJsonObject filePhysical = fileResult.value(QStringLiteral("locations"))
                                             .toArray()[0]
                                             .toObject()
                                             .value(QStringLiteral("physicalLocation"))
                                             .toObject();
        const QString uri = QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded);
        QCOMPARE(
            filePhysical.value(QStringLiteral("artifactLocation")).toObject().value(QStringLiteral("uri")).toString(),
            uri);
        QCOMPARE(filePhysical.value(QStringLiteral("region")).toObject().value(QStringLiteral("byteOffset")).toInt(),
                 4);
        QCOMPARE(
            fileRun.value(QStringLiteral("artifacts")).toArray()[0].toObject().value(QStringLiteral("length")).toInt(),
            noneToken.size() + 4);
        // The JSON output (CLI.md) is unchanged by all this.
        QCOMPARE(runCli(lint({QLatin1Char('@') + path, QStringLiteral("--json")})).out,
                 runCli(lint({QString::fromLatin1(noneToken), QStringLiteral("--json")})).out);
        const auto missing = runCli(lint({QStringLiteral("@/nonexistent/token.jwt")}));
        expectUsageError(missing);
    }

    void failOn_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("level");
        QTest::addColumn<int>("code");
        QTest::newRow("critical present") << noneToken << "critical" << 1;
        QTest::newRow("high below critical") << noneToken << "high" << 1;
        QTest::newRow("low only, fail on medium") << lowToken << "medium" << 0;
        QTest::newRow("low only, fail on low") << lowToken << "low" << 1;
        QTest::newRow("low only, fail on high") << lowToken << "high" << 0;
        QTest::newRow("clean, fail on low") << cleanToken << "low" << 0;
    }

    void failOn()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, level);
        QFETCH(int, code);
        for (const QString& format : {QStringLiteral("--json"), QStringLiteral("--sarif"), QString()}) {
            QStringList args = lint({QString::fromLatin1(token), QStringLiteral("--fail-on"), level});
            if (!format.isEmpty()) {
                args << format;
            }
            const auto r = runCli(args);
            QCOMPARE(r.code, code);
            QVERIFY(r.err.isEmpty());
        }
        // Without --fail-on lint always exits 0.
        QCOMPARE(runCli(lint({QString::fromLatin1(token)})).code, 0);
    }

    void stdinAndWhitespace()
    {
        const auto r = runCli(lint({QStringLiteral("-"), QStringLiteral("--json")}), "\n  " + noneToken + " \r\n");
        QCOMPARE(r.code, 0);
        QCOMPARE(findingIds(r.out).first(), QStringLiteral("JWT-ALG-NONE"));
        const auto absent = runCli(lint({QStringLiteral("--json")}), noneToken);
        QCOMPARE(absent.code, 0);
    }

    // A token of exactly 4 MiB in a file with more than 4 KiB of whitespace around it is within the limit;
    // SARIF still counts the whole file and places the finding after the leading whitespace.
    void fileTokenAtTheLimitWithWhitespace()
    {
        const QByteArray header = "eyJhbGciOiJub25lIn0.";
        const QByteArray atLimit = header + QByteArray(4 * 1024 * 1024 - header.size() - 1, 'A') + '.';
        const QByteArray file = QByteArray(5000, ' ') + atLimit + QByteArray(5000, '\n');
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.jwt"));
        QVERIFY(tb::test::writeFileBytes(path, file));
        const auto json = runCliBinary({QStringLiteral("lint"), QLatin1Char('@') + path, QStringLiteral("--json")});
        QCOMPARE(json.err, QByteArray());
        QCOMPARE(json.code, 0);
        QCOMPARE(findingIds(json.out).first(), QStringLiteral("JWT-ALG-NONE"));
        const auto sarif = runCliBinary({QStringLiteral("lint"), QLatin1Char('@') + path, QStringLiteral("--sarif")});
        QCOMPARE(sarif.code, 0);
        const QJsonObject run =
            QJsonDocument::fromJson(sarif.out).object().value(QStringLiteral("runs")).toArray().first().toObject();
        QCOMPARE(run.value(QStringLiteral("artifacts")).toArray().first().toObject().value(QStringLiteral("length")),
                 QJsonValue(file.size()));
        const QJsonObject region = run.value(QStringLiteral("results"))
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(QStringLiteral("locations"))
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(QStringLiteral("physicalLocation"))
                                       .toObject()
                                       .value(QStringLiteral("region"))
                                       .toObject();
        QCOMPARE(region.value(QStringLiteral("byteOffset")), QJsonValue(5001));
        QVERIFY(tb::test::writeFileBytes(path, QByteArray(5000, ' ') + 'A' + atLimit));
        const auto tooLarge = runCliBinary({QStringLiteral("lint"), QLatin1Char('@') + path});
        QCOMPARE(tooLarge.code, 2);
        QCOMPARE(tooLarge.err, QByteArray("error: The token is larger than the 4 MiB limit (4194304 bytes).\n"));
    }

    void maxLifetimeAndSecret()
    {
        const QByteArray hs = compactToken("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}",
                                           "{\"iss\":\"i\",\"aud\":\"a\",\"iat\":1700000000,\"exp\":1700003600}",
                                           tb::jose::base64UrlEncode(QByteArray(32, '\x01')));
        QVERIFY(findingIds(runCli(lint({QString::fromLatin1(hs), QStringLiteral("--json")})).out)
                    .contains(QStringLiteral("JWT-LIFETIME-LONG")));
        QVERIFY(!findingIds(runCli(lint({QString::fromLatin1(hs), QStringLiteral("--json"),
                                         QStringLiteral("--max-lifetime"), QStringLiteral("3600")}))
                                .out)
                     .contains(QStringLiteral("JWT-LIFETIME-LONG")));
        QTemporaryDir dir;
        const QString secret = dir.filePath(QStringLiteral("secret"));
        QVERIFY(tb::test::writeFileBytes(secret, "secret"));
        const auto r = runCli(lint({QString::fromLatin1(hs), QStringLiteral("--json"), QStringLiteral("--secret-file"),
                                    secret, QStringLiteral("--fail-on"), QStringLiteral("critical")}));
        QCOMPARE(r.code, 1);
        QVERIFY(findingIds(r.out).contains(QStringLiteral("JWT-HMAC-WEAK-SECRET")));
        QVERIFY(findingIds(r.out).contains(QStringLiteral("JWT-HMAC-SHORT-SECRET")));
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("stdinBytes");
        QTest::newRow("malformed") << QStringList{QStringLiteral("lint"), QStringLiteral("abc")} << QByteArray();
        QTest::newRow("two segments") << QStringList{QStringLiteral("lint"), QStringLiteral("eyJhbGciOiJub25lIn0.e30")}
                                      << QByteArray();
        QTest::newRow("header not object")
            << QStringList{QStringLiteral("lint"), QStringLiteral("WzFd.e30.")} << QByteArray();
        QTest::newRow("unknown fail-on") << QStringList{QStringLiteral("lint"), QString::fromLatin1(noneToken),
                                                        QStringLiteral("--fail-on"), QStringLiteral("severe")}
                                         << QByteArray();
        QTest::newRow("json and sarif") << QStringList{QStringLiteral("lint"), QString::fromLatin1(noneToken),
                                                       QStringLiteral("--json"), QStringLiteral("--sarif")}
                                        << QByteArray();
        QTest::newRow("bad now") << QStringList{QStringLiteral("lint"), QString::fromLatin1(noneToken),
                                                QStringLiteral("--now"), QStringLiteral("soon")}
                                 << QByteArray();
        QTest::newRow("missing key file") << QStringList{QStringLiteral("lint"), QString::fromLatin1(noneToken),
                                                         QStringLiteral("--key"), QStringLiteral("/nonexistent/k.pem")}
                                          << QByteArray();
        QTest::newRow("empty stdin") << QStringList{QStringLiteral("lint"), QStringLiteral("-")} << QByteArray(" \n");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("lint"), QStringLiteral("--frobnicate")}
                                        << QByteArray();
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, stdinBytes);
        expectUsageError(runCli(args, stdinBytes));
    }

    void terminalStdinDoesNotWait() { expectUsageError(runCli({QStringLiteral("lint")}, {}, true)); }

    // --json members in the order CLI.md lists them: id, severity, message, reference.
    void jsonMembersInContractOrder()
    {
        const auto r = runCliBinary({QStringLiteral("lint"), QString::fromLatin1(noneToken), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("{\"findings\":[{\"id\":\"JWT-ALG-NONE\",\"severity\":\"critical\",\"message\":"
                                  "\"The token is unsecured (alg \\\"none\\\"): anyone can forge it, and a verifier "
                                  "must never accept it.\",\"reference\":\"RFC 8725 \xc2\xa7"
                                  "3.1\"}"),
                 r.out.constData());
    }

    void binaryEndToEnd()
    {
        const auto r = runCliBinary({QStringLiteral("lint"), QString::fromLatin1(noneToken), QStringLiteral("--json"),
                                     QStringLiteral("--fail-on"), QStringLiteral("critical")});
        QCOMPARE(r.code, 1);
        QCOMPARE(findingIds(r.out).first(), QStringLiteral("JWT-ALG-NONE"));
    }
};

QTEST_GUILESS_MAIN(TestCliLint)
#include "tst_cli_lint.moc"
