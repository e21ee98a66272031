#include <QDir>
#include <QProcess>
#include <QTest>

#include "TestSupport.h"
#include "jose/JsonText.h"

using namespace tb::test;

namespace {

CliRun decodeJson(const QByteArray& text)
{
    return runCli({QStringLiteral("decode"), QString::fromUtf8(text), QStringLiteral("--json")});
}

QString describe(const CliRun& run)
{
    return QStringLiteral("exit %1\nstdout: %2\nstderr: %3")
        .arg(run.code)
        .arg(QString::fromUtf8(run.out.left(2000)), QString::fromUtf8(run.err.left(2000)));
}

} // namespace

class TestCliDecode : public QObject
{
    Q_OBJECT

private slots:
    void rfcVectors_data()
    {
        QTest::addColumn<QJsonObject>("vector");
        const QStringList files = QDir(tb::test::vectorsDir()).entryList({QStringLiteral("rfc*.json")}, QDir::Files);
        QVERIFY(files.size() >= 4);
        int rows = 0;
        for (const QString& file : files) {
            for (const auto& v : tb::test::loadVectorFile(file).value(QStringLiteral("vectors")).toArray()) {
                const QJsonObject vector = v.toObject();
                if (!vector.contains(QStringLiteral("compact"))) {
                    continue; // RFC 7638's vector is a thumbprint, not a token
                }
                QTest::newRow(qPrintable(vector.value(QStringLiteral("id")).toString())) << vector;
                ++rows;
            }
        }
        QCOMPARE(rows, 12);
    }
    void rfcVectors()
    {
        QFETCH(QJsonObject, vector);
        auto str = [&](const char* key) { return vector.value(QLatin1String(key)).toString(); };
        const CliRun run = decodeJson(str("compact").toUtf8());
        QVERIFY2(run.code == 0, qPrintable(describe(run)));
        QCOMPARE(run.err, QByteArray());
        const QJsonObject out = stdoutJson(run);
        QCOMPARE(out.value(QStringLiteral("kind")).toString(), QStringLiteral("JWS"));
        QCOMPARE(out.value(QStringLiteral("payload_b64")).toString(), str("payload_b64"));
        QCOMPARE(out.value(QStringLiteral("signature_b64")).toString(), str("signature_b64"));
        QCOMPARE(out.value(QStringLiteral("alg")).toString(), str("alg"));
        QCOMPARE(out.value(QStringLiteral("times")).toObject(), vector.value(QStringLiteral("times")).toObject());
        QCOMPARE(out.value(QStringLiteral("warnings")).toArray(), QJsonArray());

        // The header is the protected header's own members, in their order and spelling.
        const QByteArray headerText = str("protected_header").toUtf8();
        QCOMPARE(out.value(QStringLiteral("header")).toObject(), QJsonDocument::fromJson(headerText).object());
        QVERIFY(run.out.contains("\"header\":" + tb::jose::compactJson(headerText).value() + ','));

        const bool isObject = vector.value(QStringLiteral("payload_is_json_object")).toBool();
        if (isObject) {
            QCOMPARE(out.value(QStringLiteral("payload")).toObject(),
                     QJsonDocument::fromJson(str("payload").toUtf8()).object());
        } else {
            QVERIFY(out.value(QStringLiteral("payload")).isNull());
        }
        // Integral epochs are printed as integers.
        if (vector.value(QStringLiteral("times")).toObject().contains(QStringLiteral("exp"))) {
            QVERIFY(run.out.contains("\"exp\":{\"epoch\":1300819380,\"utc\":\"2011-03-22T18:43:00Z\"}"));
        }
    }

    void jweReportsKindAndHeader()
    {
        const QJsonObject file =
            tb::test::loadVectorFile(QStringLiteral("jose-cookbook/jwe/5_6.direct_encryption_using_aes-gcm.json"));
        const QString compact =
            file.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString();
        QVERIFY(!compact.isEmpty());
        const CliRun run = decodeJson(compact.toUtf8());
        QVERIFY2(run.code == 0, qPrintable(describe(run)));
        QVERIFY(run.out.startsWith(
            "{\"kind\":\"JWE\",\"header\":{\"alg\":\"dir\",\"kid\":\"77c7e2b8-6e13-45cf-8672-617b5b45243a\","
            "\"enc\":\"A128GCM\"},"));
        const QJsonObject out = stdoutJson(run);
        QCOMPARE(out.value(QStringLiteral("kind")).toString(), QStringLiteral("JWE"));
        QCOMPARE(out.value(QStringLiteral("alg")).toString(), QStringLiteral("dir"));
        QCOMPARE(
            out.value(QStringLiteral("header")).toObject(),
            file.value(QStringLiteral("encrypting_content")).toObject().value(QStringLiteral("protected")).toObject());
        QVERIFY(out.value(QStringLiteral("payload")).isNull());
        const QJsonObject jwe = out.value(QStringLiteral("jwe")).toObject();
        QCOMPARE(jwe.value(QStringLiteral("encrypted_key_b64")).toString(), QString());
        QCOMPARE(jwe.value(QStringLiteral("iv_b64")).toString(), QStringLiteral("refa467QzzKx6QAB"));
        QCOMPARE(jwe.value(QStringLiteral("tag_b64")).toString(), QStringLiteral("vbb32Xvllea2OtmHAdccRQ"));

        const CliRun text = runCli({QStringLiteral("decode"), compact});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.startsWith("JWE (alg dir)\n"));
        QVERIFY(text.out.contains("IV: refa467QzzKx6QAB\n"));
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("stdinBytes");
        QTest::addColumn<bool>("terminal");
        QTest::addColumn<QString>("needle");
        const QString decode = QStringLiteral("decode");
        const QString json = QStringLiteral("--json");
        const QString dash = QStringLiteral("-");
        auto arg = [&](const QByteArray& t) { return QStringList{decode, QString::fromUtf8(t), json}; };
        QTest::newRow("garbage") << arg("hello world") << QByteArray() << false
                                 << QStringLiteral("error: A compact token has 3 segments (JWS) or 5 (JWE)");
        QTest::newRow("garbage-no-dots") << arg("garbage") << QByteArray() << false
                                         << QStringLiteral("this one has 1. This does not look like a JWT.");
        QTest::newRow("2-segments-alg-none-without-dot")
            << arg("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0") << QByteArray() << false
            << QStringLiteral("this one has 2. An unsigned token (alg none) still ends with a '.' after the payload.");
        QTest::newRow("4-segments") << arg("eyJhbGciOiJub25lIn0.e30.e30.e30") << QByteArray() << false
                                    << QStringLiteral("3 segments (JWS) or 5 (JWE) separated by '.'; this one has 4.");
        QTest::newRow("bad-base64url-signature")
            << arg("eyJhbGciOiJub25lIn0.e30.abcde") << QByteArray() << false
            << QStringLiteral("The signature segment is not valid base64url: A base64url text cannot have a length "
                              "of 4k+1 characters (5).");
        QTest::newRow("bad-base64url-header")
            << arg("e.e30.") << QByteArray() << false << QStringLiteral("The header segment is not valid base64url");
        QTest::newRow("illegal-character") << arg("eyJhbGciOiJub25lIn0.e3?0.") << QByteArray() << false
                                           << QStringLiteral("The payload segment holds '?' at position 22");
        QTest::newRow("empty-header-segment")
            << arg(".e30.") << QByteArray() << false << QStringLiteral("The header segment is empty.");
        QTest::newRow("non-json-header") << arg(compactToken("not json", "{}")) << QByteArray() << false
                                         << QStringLiteral("The header is not valid JSON at line 1, column 1: Expected "
                                                           "a JSON value, found 'n' (literals are true, false and "
                                                           "null).");
        QTest::newRow("header-not-object") << arg(compactToken("[\"alg\"]", "{}")) << QByteArray() << false
                                           << QStringLiteral("The header is valid JSON but not an object");
        QTest::newRow("header-300-deep")
            << arg(compactToken("{\"alg\":" + QByteArray(299, '[') + QByteArray(299, ']') + "}", "{}")) << QByteArray()
            << false
            << QStringLiteral("The header is not valid JSON at line 1, column 263: The JSON nesting is deeper "
                              "than the limit of 256 levels.");
        QTest::newRow("payload-300-deep")
            << arg(compactToken("{\"alg\":\"none\"}", QByteArray(300, '[') + QByteArray(300, ']'))) << QByteArray()
            << false
            << QStringLiteral("The payload is not valid JSON at line 1, column 257: The "
                              "JSON nesting is deeper than the limit of 256 levels.");
        const QByteArray tenMb = "eyJhbGciOiJub25lIn0." + QByteArray(10 * 1000 * 1000, 'A') + '.';
        QTest::newRow("10MB-stdin") << QStringList{decode, dash} << tenMb << false
                                    << QStringLiteral("The token is larger than the 4 MiB limit (4194304 bytes).");
        QTest::newRow("10MB-argument") << arg(tenMb) << QByteArray() << false
                                       << QStringLiteral("The token is larger than the 4 MiB limit (4194304 bytes).");
        QTest::newRow("empty-stdin") << QStringList{decode, json} << QByteArray() << false
                                     << QStringLiteral("error: The token is empty.");
        QTest::newRow("blank-stdin") << QStringList{decode, dash} << QByteArray(" \r\n\t") << false
                                     << QStringLiteral("error: The token is empty.");
        QTest::newRow("terminal-without-token")
            << QStringList{decode, json} << QByteArray() << true << QStringLiteral("error: no token given");
        QTest::newRow("two-tokens") << QStringList{decode, QStringLiteral("a.b.c"), QStringLiteral("d.e.f")}
                                    << QByteArray() << false << QStringLiteral("decode takes one token");
        QTest::newRow("unknown-option") << QStringList{decode, QStringLiteral("--jsn")} << QByteArray() << false
                                        << QStringLiteral(
                                               "error: Unknown option 'jsn' (see 'tokenbench-cli decode --help').");
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, stdinBytes);
        QFETCH(bool, terminal);
        QFETCH(QString, needle);
        const CliRun run = runCli(args, stdinBytes, terminal);
        QVERIFY2(run.code == 2, qPrintable(describe(run)));
        QCOMPARE(run.out, QByteArray());
        QVERIFY2(run.err.startsWith("error: "), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(run.err.endsWith('\n'));
        QVERIFY2(QString::fromUtf8(run.err).contains(needle), run.err.constData());
    }

    void surroundingWhitespaceIsTrimmed()
    {
        const QByteArray t = compactToken("{\"alg\":\"none\"}", "{\"sub\":\"x\"}");
        const CliRun viaStdin =
            runCli({QStringLiteral("decode"), QStringLiteral("-"), QStringLiteral("--json")}, " \r\n\t" + t + "\r\n");
        QVERIFY2(viaStdin.code == 0, qPrintable(describe(viaStdin)));
        const CliRun viaArg = decodeJson("\n " + t + " \t");
        QCOMPARE(viaArg.code, 0);
        QCOMPARE(viaArg.out, viaStdin.out);
        QCOMPARE(stdoutJson(viaArg).value(QStringLiteral("payload")).toObject().value(QStringLiteral("sub")).toString(),
                 QStringLiteral("x"));
    }

    void emptyPayloadSegment()
    {
        const CliRun run = decodeJson("eyJhbGciOiJub25lIn0..");
        QVERIFY2(run.code == 0, qPrintable(describe(run)));
        QCOMPARE(run.out, QByteArray("{\"kind\":\"JWS\",\"header\":{\"alg\":\"none\"},\"payload\":null,\"payload_b64\":"
                                     "\"\",\"signature_b64\":\"\",\"alg\":\"none\",\"times\":{},\"warnings\":[]}\n"));
    }

    void duplicateKeysWarn()
    {
        const CliRun run =
            decodeJson(compactToken("{\"alg\":\"HS256\",\n\"alg\":\"none\"}", "{\"a\":{\"b\":1,\"b\":2}}", "AAAA"));
        QVERIFY2(run.code == 0, qPrintable(describe(run)));
        const QJsonArray warnings = stdoutJson(run).value(QStringLiteral("warnings")).toArray();
        QCOMPARE(
            warnings,
            (QJsonArray{
                QStringLiteral("Duplicate key \"alg\" in the header at line 2, column 1 (first at line 1, column 2)."),
                QStringLiteral(
                    "Duplicate key \"b\" in /a of the payload at line 1, column 13 (first at line 1, column 7)."),
            }));
        // The header is shown as it stood, both members included.
        QVERIFY(run.out.contains("\"header\":{\"alg\":\"HS256\",\"alg\":\"none\"}"));
    }

    void base64QuirksWarn()
    {
        // Header {"alg":"none"} padded; payload with '+' and non-zero unused bits.
        const QByteArray header = b64u("{\"alg\":\"none\"}") + "=";
        QCOMPARE(header.size() % 4, 0);
        const CliRun run = decodeJson(header + ".+h.");
        QVERIFY2(run.code == 0, qPrintable(describe(run)));
        const QJsonObject out = stdoutJson(run);
        QCOMPARE(out.value(QStringLiteral("warnings")).toArray(),
                 (QJsonArray{
                     QStringLiteral("The header segment is padded with '=' (base64url in JOSE has no padding)."),
                     QStringLiteral("The payload segment uses the standard base64 alphabet ('+' or '/')."),
                     QStringLiteral("The payload segment is non-canonical base64url: the unused bits of its last "
                                    "character are not zero."),
                 }));
        QCOMPARE(out.value(QStringLiteral("payload_b64")).toString(), QStringLiteral("+h"));
        QVERIFY(out.value(QStringLiteral("payload")).isNull()); // a binary payload is not a warning
    }

    void nonCanonicalSignatureWarns()
    {
        const CliRun run = decodeJson(compactToken("{\"alg\":\"HS256\"}", "{}", "AAE="));
        QVERIFY2(run.code == 0, qPrintable(describe(run)));
        const QJsonObject out = stdoutJson(run);
        QCOMPARE(out.value(QStringLiteral("signature_b64")).toString(), QStringLiteral("AAE="));
        QCOMPARE(out.value(QStringLiteral("warnings")).toArray().size(), 1);
        QVERIFY(out.value(QStringLiteral("warnings"))
                    .toArray()
                    .first()
                    .toString()
                    .startsWith(QStringLiteral("The signature segment is padded")));
    }

    void timesAndAlgEdgeCases()
    {
        const CliRun run = decodeJson(compactToken("{\"typ\":\"JWT\",\"alg\":7}",
                                                   "{\"exp\":1300819380.75,\"nbf\":-1,\"iat\":\"soon\",\"x\":1e3}"));
        QVERIFY2(run.code == 0, qPrintable(describe(run)));
        QVERIFY(run.out.contains("\"times\":{\"exp\":{\"epoch\":1300819380.75,\"utc\":\"2011-03-22T18:43:00Z\"},"
                                 "\"nbf\":{\"epoch\":-1,\"utc\":\"1969-12-31T23:59:59Z\"}}"));
        QVERIFY(run.out.contains("\"payload\":{\"exp\":1300819380.75,\"nbf\":-1,\"iat\":\"soon\",\"x\":1e3}"));
        const QJsonObject out = stdoutJson(run);
        QVERIFY(out.value(QStringLiteral("alg")).isNull());
        QCOMPARE(out.value(QStringLiteral("warnings")).toArray(),
                 QJsonArray{QStringLiteral("The header member \"alg\" is not a string.")});

        const CliRun noAlg = decodeJson(compactToken("{\"typ\":\"JWT\"}", "[1,2]"));
        QCOMPARE(noAlg.code, 0);
        const QJsonObject o = stdoutJson(noAlg);
        QVERIFY(o.value(QStringLiteral("alg")).isNull());
        QVERIFY(o.value(QStringLiteral("payload")).isNull());
        QCOMPARE(o.value(QStringLiteral("times")).toObject(), QJsonObject());
        QCOMPARE(o.value(QStringLiteral("warnings")).toArray(), QJsonArray());

        const CliRun far = decodeJson(compactToken("{\"alg\":\"none\"}", "{\"exp\":1e300}"));
        QCOMPARE(far.code, 0);
        QVERIFY(far.out.contains("\"exp\":{\"epoch\":1e+300,\"utc\":null}"));

        // Valid JSON beyond the double range: the payload is shown as it stood, the claim named, not timed.
        const CliRun beyond = decodeJson(compactToken("{\"alg\":\"none\"}", "{\"exp\":1e400,\"iat\":1}"));
        QVERIFY2(beyond.code == 0, qPrintable(describe(beyond)));
        QVERIFY(beyond.out.contains(",\"payload\":{\"exp\":1e400,\"iat\":1},"));
        QVERIFY(beyond.out.contains(
            ",\"times\":{\"iat\":{\"epoch\":1,\"utc\":\"1970-01-01T00:00:01Z\"}},\"warnings\":[\"The payload member "
            "\\\"exp\\\" is a number beyond the range of a double; it is not shown as a time.\"]"));
    }

    void textReport()
    {
        const QJsonObject file = tb::test::loadVectorFile(QStringLiteral("rfc7515_appendix_a.json"));
        const QJsonArray vectors = file.value(QStringLiteral("vectors")).toArray();
        const QString a1 = vectors.at(0).toObject().value(QStringLiteral("compact")).toString();
        const CliRun run = runCli({QStringLiteral("decode"), a1});
        QVERIFY2(run.code == 0, qPrintable(describe(run)));
        QCOMPARE(run.out, QByteArray("JWS (alg HS256)\n"
                                     "\n"
                                     "Header:\n"
                                     "  {\n"
                                     "    \"typ\": \"JWT\",\n"
                                     "    \"alg\": \"HS256\"\n"
                                     "  }\n"
                                     "\n"
                                     "Payload:\n"
                                     "  {\n"
                                     "    \"iss\": \"joe\",\n"
                                     "    \"exp\": 1300819380,\n"
                                     "    \"http://example.com/is_root\": true\n"
                                     "  }\n"
                                     "\n"
                                     "Times:\n"
                                     "  exp  1300819380  2011-03-22T18:43:00Z\n"
                                     "\n"
                                     "Signature: dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk (32 bytes)\n"));

        const QString a4 = vectors.at(3).toObject().value(QStringLiteral("compact")).toString();
        const CliRun text = runCli({QStringLiteral("decode"), a4});
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains("\nPayload (7 bytes, not a JSON object):\n  Payload\n"));
        QVERIFY(text.out.contains("(132 bytes)\n"));

        const CliRun warned = runCli({QStringLiteral("decode"), QStringLiteral("eyJhbGciOiJub25lIn0=.e30.")});
        QCOMPARE(warned.code, 0);
        QVERIFY(warned.out.contains("Signature: (none: unsigned token)\n"));
        QVERIFY(warned.out.endsWith("\nWarnings:\n  - The header segment is padded with '=' (base64url in JOSE has "
                                    "no padding).\n"));
    }

    void help()
    {
        const CliRun run = runCli({QStringLiteral("decode"), QStringLiteral("--help")});
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.startsWith("Usage: tokenbench-cli decode [TOKEN|-] [--json]\n"));
        QVERIFY(run.out.contains("--json"));
    }

    // Edge cases 1 and 4: whitespace around a token is trimmed, so it does not count toward the 4 MiB limit,
    // however much of it there is (here ~100 KB of blank lines after a token of exactly 4 MiB).
    void longWhitespaceAroundATokenAtTheLimit()
    {
        const QByteArray header = "eyJhbGciOiJub25lIn0.";
        const QByteArray atLimit = header + QByteArray(4 * 1024 * 1024 - header.size() - 1, 'A') + '.';
        const QByteArray lead = " \t\r\n";
        const QByteArray tail = QByteArray(50000, '\n') + QByteArray(50000, ' ');
        const CliRun ok = runCliBinary({QStringLiteral("decode"), QStringLiteral("--json")}, lead + atLimit + tail);
        QVERIFY2(ok.code == 0, qPrintable(describe(ok)));
        QCOMPARE(ok.err, QByteArray());
        QVERIFY(ok.out.startsWith(
            "{\"kind\":\"JWS\",\"header\":{\"alg\":\"none\"},\"payload\":null,\"payload_b64\":\"AAAA"));

        const CliRun over = runCliBinary({QStringLiteral("decode"), QStringLiteral("-")}, lead + 'A' + atLimit + tail);
        QCOMPARE(over.code, 2);
        QCOMPARE(over.out, QByteArray());
        QCOMPARE(over.err, QByteArray("error: The token is larger than the 4 MiB limit (4194304 bytes).\n"));

        // Whitespace is free, but an endless stream of it ends too: past 16 times the limit.
        const CliRun endless =
            runCli({QStringLiteral("decode"), QStringLiteral("-")}, QByteArray(16 * 4 * 1024 * 1024 + 1, ' '));
        QCOMPARE(endless.code, 2);
        QCOMPARE(endless.err, QByteArray("error: The input is larger than 67108864 bytes, even with the whitespace "
                                         "around the token.\n"));
    }

    // Output that cannot be written (a full disk) is not a success; input that cannot be read (standard input
    // is a directory) is not an empty token. Both exit 2 with the reason.
    void unwritableOutputAndUnreadableInput()
    {
        const QStringList args = {QStringLiteral("decode"), QStringLiteral("--json"),
                                  QStringLiteral("eyJhbGciOiJub25lIn0.e30.")};
        QProcess full;
        full.setStandardOutputFile(QStringLiteral("/dev/full"));
        full.start(qEnvironmentVariable("TB_CLI"), args);
        QVERIFY(full.waitForFinished(60000));
        QCOMPARE(full.exitStatus(), QProcess::NormalExit);
        QCOMPARE(full.exitCode(), 2);
        QCOMPARE(full.readAllStandardError(),
                 QByteArray("error: cannot write to standard output: No space left on device.\n"));

        QProcess directory;
        directory.setStandardInputFile(QDir::tempPath());
        directory.start(qEnvironmentVariable("TB_CLI"), {QStringLiteral("decode"), QStringLiteral("-")});
        QVERIFY(directory.waitForFinished(60000));
        QCOMPARE(directory.exitCode(), 2);
        QCOMPARE(directory.readAllStandardOutput(), QByteArray());
        QCOMPARE(directory.readAllStandardError(), QByteArray("error: Cannot read standard input: Is a directory.\n"));
    }

    void realBinary()
    {
        const QByteArray a1 =
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQog"
            "Imh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        const CliRun inProcess = decodeJson(a1);
        const CliRun binary = runCliBinary({QStringLiteral("decode"), QStringLiteral("--json")}, a1 + '\n');
        QVERIFY2(binary.code == 0, qPrintable(describe(binary)));
        QCOMPARE(binary.out, inProcess.out);
        QCOMPARE(binary.err, QByteArray());

        const CliRun garbage = runCliBinary({QStringLiteral("decode"), QStringLiteral("not-a-token")});
        QCOMPARE(garbage.code, 2);
        QVERIFY(garbage.err.startsWith("error: A compact token has 3 segments"));

        const CliRun huge = runCliBinary({QStringLiteral("decode"), QStringLiteral("--json")},
                                         "e30." + QByteArray(10 * 1000 * 1000, 'A') + '.');
        QCOMPARE(huge.code, 2);
        QCOMPARE(huge.out, QByteArray());
        QCOMPARE(huge.err, QByteArray("error: The token is larger than the 4 MiB limit (4194304 bytes).\n"));

        const CliRun help = runCliBinary({QStringLiteral("decode"), QStringLiteral("--help")});
        QCOMPARE(help.code, 0);
        QVERIFY(help.out.startsWith("Usage: tokenbench-cli decode"));
    }
};

QTEST_GUILESS_MAIN(TestCliDecode)
#include "tst_cli_decode.moc"
