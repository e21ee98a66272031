// tokenbench-cli diff, identify and malleate (CLI.md: diff and identify are checked from outside).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"

using namespace tb::test;

namespace {

const QByteArray tokenA = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0."
                          "eyJzdWIiOiJhbGljZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwfQ."
                          "2wrInHzNWAiJ19JrVo00bYz5HYnKUNCHyZThiPaelQU";
const QByteArray tokenB =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsyIn0."
    "eyJzdWIiOiJib2IiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwNzIwMCwiY3R4Ijp7ImlwIjoiMTAuMC4wLjEifX0."
    "FuCQJ30FHvUHk-O8dNiyeIu6al5m9uq9N_TMIVzMn00";
const QByteArray secret = "0123456789abcdef0123456789abcdef"; // signs both

QString python()
{
    return QStringLiteral("/usr/bin/python3");
}

bool havePython(const QString& module)
{
    QProcess p;
    p.start(python(), {QStringLiteral("-c"), QStringLiteral("import ") + module});
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

QByteArray runPython(const QString& script)
{
    QProcess p;
    p.start(python(), {QStringLiteral("-c"), script});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        return {};
    }
    return p.readAllStandardOutput().trimmed();
}

} // namespace

class TstCliInspect : public QObject
{
    Q_OBJECT

private slots:
    void diffText()
    {
        const auto r = runCli({QStringLiteral("diff"), QString::fromLatin1(tokenA), QString::fromLatin1(tokenB)});
        QCOMPARE(r.code, 1);
        QCOMPARE(
            QString::fromUtf8(r.out),
            QStringLiteral("The tokens differ (A: JWS, B: JWS).\n"
                           "\n"
                           "Header (A -> B):\n"
                           "  /kid  changed  \"k1\"  ->  \"k2\"\n"
                           "\n"
                           "Payload (A -> B):\n"
                           "  /sub  changed  \"alice\"  ->  \"bob\"\n"
                           "  /exp  changed  1700003600  ->  1700007200\n"
                           "  /ctx  added    (absent)  ->  {\"ip\":\"10.0.0.1\"}\n"
                           "\n"
                           "Times:\n"
                           "  claim     A                                 B                                 B - A\n"
                           "  iat       1700000000 2023-11-14T22:13:20Z   1700000000 2023-11-14T22:13:20Z   0 s\n"
                           "  exp       1700003600 2023-11-14T23:13:20Z   1700007200 2023-11-15T00:13:20Z   +1 h\n"
                           "  lifetime  1 h                               2 h                               +1 h\n"
                           "\n"
                           "Same alg: yes (A \"HS256\", B \"HS256\")\n"
                           "Same kid: no (A \"k1\", B \"k2\")\n"
                           "Same key: unknown (give both keys to compare thumbprints)\n"
                           "\n"
                           "Segments (base64url text):\n"
                           "  header     differ at offset 47     A 51 chars, B 51 chars\n"
                           "  payload    differ at offset 11     A 66 chars, B 95 chars\n"
                           "  signature  differ at offset 0      A 43 chars, B 43 chars\n"));
    }

    void diffJson()
    {
        const auto r = runCli({QStringLiteral("diff"), QString::fromLatin1(tokenA), QString::fromLatin1(tokenB),
                               QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.endsWith('\n') && r.out.count('\n') == 1);
        const QJsonObject o = jsonObject(r.out);
        QCOMPARE(QString::fromUtf8(
                     QJsonDocument(o.value(QStringLiteral("header")).toArray()).toJson(QJsonDocument::Compact)),
                 QStringLiteral("[{\"a\":\"k1\",\"b\":\"k2\",\"op\":\"changed\",\"path\":\"/kid\"}]"));
        QCOMPARE(QString::fromUtf8(
                     QJsonDocument(o.value(QStringLiteral("payload")).toArray()).toJson(QJsonDocument::Compact)),
                 QStringLiteral("[{\"a\":\"alice\",\"b\":\"bob\",\"op\":\"changed\",\"path\":\"/sub\"},"
                                "{\"a\":1700003600,\"b\":1700007200,\"op\":\"changed\",\"path\":\"/exp\"},"
                                "{\"a\":null,\"b\":{\"ip\":\"10.0.0.1\"},\"op\":\"added\",\"path\":\"/ctx\"}]"));
        QCOMPARE(o.value(QStringLiteral("same_alg")), QJsonValue(true));
        QCOMPARE(o.value(QStringLiteral("same_kid")), QJsonValue(false));
        const QJsonObject exp = o.value(QStringLiteral("times")).toObject().value(QStringLiteral("exp")).toObject();
        QCOMPARE(exp.value(QStringLiteral("delta")).toDouble(), 3600.0);
        const QJsonObject segments = o.value(QStringLiteral("segments")).toObject();
        QCOMPARE(segments.keys(),
                 (QStringList{QStringLiteral("header"), QStringLiteral("payload"), QStringLiteral("signature")}));
        QCOMPARE(segments.value(QStringLiteral("payload")).toObject().value(QStringLiteral("first_diff")).toInt(), 11);
    }

    void diffExitCodes()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("a.jwt"));
        QVERIFY(tb::test::writeFileBytes(file, tokenA + "\n"));
        // Byte-identical (also through @FILE, and with surrounding whitespace): 0.
        auto r = runCli({QStringLiteral("diff"), QStringLiteral("@") + file, QString::fromLatin1(tokenA),
                         QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("header")).toArray().size(), 0);
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("same_kid")), QJsonValue(true));
        r = runCli({QStringLiteral("diff"), QStringLiteral(" ") + QString::fromLatin1(tokenA), QStringLiteral("-")},
                   tokenA + "\n");
        QCOMPARE(r.code, 0);
        // An unreadable @FILE: 2.
        r = runCli(
            {QStringLiteral("diff"), QString::fromLatin1(tokenA), QStringLiteral("@") + file + QStringLiteral("x")});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("error: "));
        // Bad input or usage: 2, one line on stderr starting with "error:".
        const QList<QStringList> bad = {
            {QStringLiteral("diff")},
            {QStringLiteral("diff"), QString::fromLatin1(tokenA)},
            {QStringLiteral("diff"), QString::fromLatin1(tokenA), QStringLiteral("not.a")},
            {QStringLiteral("diff"), QStringLiteral("x.y.z"), QString::fromLatin1(tokenA)},
            {QStringLiteral("diff"), QString::fromLatin1(tokenA), QString::fromLatin1(tokenB), QStringLiteral("extra")},
            {QStringLiteral("diff"), QStringLiteral("-"), QStringLiteral("-")},
        };
        for (const QStringList& args : bad) {
            r = runCli(args);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.startsWith("error: ") && r.err.count('\n') == 1, r.err.constData());
        }
    }

    void diffBinary()
    {
        const auto r = runCliBinary({QStringLiteral("diff"), QString::fromLatin1(tokenA), QString::fromLatin1(tokenB),
                                     QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("same_kid")), QJsonValue(false));
        QCOMPARE(runCliBinary({QStringLiteral("diff"), QString::fromLatin1(tokenA), QString::fromLatin1(tokenA)}).code,
                 0);
        QCOMPARE(runCliBinary({QStringLiteral("diff"), QString::fromLatin1(tokenA), QStringLiteral("garbage")}).code,
                 2);
    }

    // A token of exactly 4 MiB in a file ending with a newline (as editors save it) is within the limit:
    // the whitespace around it is trimmed and does not count.
    void diffFileTokenAtTheLimit()
    {
        QTemporaryDir dir;
        const QByteArray header = "eyJhbGciOiJub25lIn0.";
        const QByteArray atLimit = header + QByteArray(4 * 1024 * 1024 - header.size() - 1, 'A') + '.';
        const QString path = dir.filePath(QStringLiteral("big.jwt"));
        const QString over = dir.filePath(QStringLiteral("over.jwt"));
        const QList<std::pair<QString, QByteArray>> files = {{path, atLimit + '\n'}, {over, 'A' + atLimit + '\n'}};
        for (const auto& [file, bytes] : files) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(bytes), bytes.size());
        }
        const QString at = QLatin1Char('@') + path;
        const auto same = runCliBinary({QStringLiteral("diff"), at, at});
        QCOMPARE(same.err, QByteArray());
        QCOMPARE(same.code, 0);
        QVERIFY(same.out.startsWith("The tokens are byte-identical (JWS).\n"));
        const auto tooLarge = runCliBinary({QStringLiteral("diff"), at, QLatin1Char('@') + over});
        QCOMPARE(tooLarge.code, 2);
        QCOMPARE(tooLarge.out, QByteArray());
        QCOMPARE(tooLarge.err, QByteArray("error: The token is larger than the 4 MiB limit (4194304 bytes).\n"));
    }

    // identify --json starts {"kind": K, "reason": "...", as CLI.md writes it.
    void identifyJsonKindFirst()
    {
        const auto r =
            runCliBinary({QStringLiteral("identify"), QString::fromLatin1(tokenA), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("{\"kind\":\"jws\",\"reason\":\"Three base64url segments"), r.out.constData());
        QVERIFY(r.out.endsWith("}\n"));
        const auto unknown =
            runCliBinary({QStringLiteral("identify"), QStringLiteral("abc"), QStringLiteral("--json")});
        QCOMPARE(unknown.code, 0);
        QVERIFY2(unknown.out.startsWith("{\"kind\":\"unknown\",\"reason\":\""), unknown.out.constData());
        QCOMPARE(QJsonDocument::fromJson(unknown.out).object().value(QStringLiteral("details")),
                 QJsonValue(QJsonObject()));
    }

    void diffKeys()
    {
        QTemporaryDir dir;
        const QString k1 = dir.filePath(QStringLiteral("k1"));
        const QString k2 = dir.filePath(QStringLiteral("k2"));
        for (const QString& k : {k1, k2}) {
            QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                             QStringLiteral("--out"), k})
                         .code,
                     0);
        }
        auto sign = [](const QString& key) {
            return QString::fromLatin1(runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                                               QStringLiteral("--key"), key + QStringLiteral(".key"),
                                               QStringLiteral("--payload"), QStringLiteral("{}")})
                                           .out.trimmed());
        };
        const QString a = sign(k1);
        const QString b = sign(k2);
        auto r = runCli({QStringLiteral("diff"), a, b, QStringLiteral("--key-a"), k1 + QStringLiteral(".pub"),
                         QStringLiteral("--key-b"), k2 + QStringLiteral(".pub"), QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("same_key")), QJsonValue(false));
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("payload")).toArray().size(), 0);
        r = runCli({QStringLiteral("diff"), a, sign(k1), QStringLiteral("--key-a"), k1 + QStringLiteral(".pub"),
                    QStringLiteral("--key-b"), k1 + QStringLiteral(".key"), QStringLiteral("--json")});
        QCOMPARE(r.code, 1); // ECDSA signatures differ on every signing
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("same_key")), QJsonValue(true));
        QCOMPARE(runCli({QStringLiteral("diff"), a, b, QStringLiteral("--key-a"), QStringLiteral("/nonexistent")}).code,
                 2);
    }

    void identifyJson_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("kind");
        QTest::newRow("jws") << tokenA << QStringLiteral("jws");
        QTest::newRow("unsecured") << QByteArray("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.")
                                   << QStringLiteral("unsecured-jwt");
        QTest::newRow("jwe") << QByteArray(
                                    "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXZpdml2aXZpdml2.Y3Q.dGFndGFndGFndGFn")
                             << QStringLiteral("jwe");
        QTest::newRow("paseto")
            << QByteArray("v4.local.YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh")
            << QStringLiteral("paseto");
        QTest::newRow("flask") << QByteArray("eyJ1c2VyIjoiYWxpY2UiLCJjc3JmIjoieCJ9.awj-lA.rUh0kNpUKOMFmGQsSbbAmGNEtyU")
                               << QStringLiteral("itsdangerous");
        QTest::newRow("django") << QByteArray("abc123value:1xWn12:p0nIPc7f9iJ7lS0UJ-p-xT2oAt-VRwhxqcQff8BbMBE")
                                << QStringLiteral("django-signed");
        QTest::newRow("opaque") << QByteArray("Zm9vYmFyYmF6cXV4X-quux_0123456789ABCDEF") << QStringLiteral("opaque");
        QTest::newRow("unknown") << QByteArray("just some words") << QStringLiteral("unknown");
    }

    void identifyJson()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, kind);
        // As an argument, and on stdin with surrounding whitespace.
        for (const auto& r : {runCli({QStringLiteral("identify"), QString::fromLatin1(text), QStringLiteral("--json")}),
                              runCli({QStringLiteral("identify"), QStringLiteral("--json")}, "  " + text + "\r\n")}) {
            QCOMPARE(r.code, 0);
            const QJsonObject o = jsonObject(r.out);
            QCOMPARE(o.value(QStringLiteral("kind")).toString(), kind);
            QVERIFY(!o.value(QStringLiteral("reason")).toString().isEmpty());
        }
        const auto text_ = runCli({QStringLiteral("identify"), QString::fromLatin1(text)});
        QCOMPARE(text_.code, 0);
        QVERIFY(text_.out.startsWith(kind.toUtf8() + '\n'));
    }

    void identifyUnreadable()
    {
        auto r = runCli({QStringLiteral("identify")}, {}, true); // stdin is a terminal: never wait
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("error: "));
        r = runCli({QStringLiteral("identify"), QStringLiteral("a"), QStringLiteral("b")});
        QCOMPARE(r.code, 2);
        r = runCli({QStringLiteral("identify"), QStringLiteral("--json")}, QByteArray(5 * 1024 * 1024, 'a'));
        QCOMPARE(r.code, 2);
    }

    void identifyLiveSamples_data()
    {
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("kind");
        QTest::newRow("flask-session") << QStringLiteral("itsdangerous")
                                       << QStringLiteral("from itsdangerous import URLSafeTimedSerializer as S\n"
                                                         "print(S('k', salt='cookie-session').dumps({'user': 'a'}))")
                                       << QStringLiteral("itsdangerous");
        QTest::newRow("itsdangerous-compressed")
            << QStringLiteral("itsdangerous")
            << QStringLiteral(
                   "from itsdangerous import URLSafeTimedSerializer as S\nprint(S('k').dumps({'d': 'x' * 500}))")
            << QStringLiteral("itsdangerous");
        QTest::newRow("django-dumps")
            << QStringLiteral("django")
            << QStringLiteral("from django.conf import settings\nsettings.configure(SECRET_KEY='s' * 50)\n"
                              "from django.core import signing\nprint(signing.dumps({'u': 1}))")
            << QStringLiteral("django-signed");
        QTest::newRow("django-cookie")
            << QStringLiteral("django")
            << QStringLiteral(
                   "from django.conf import settings\nsettings.configure(SECRET_KEY='s' * 50)\n"
                   "from django.core import signing\nprint(signing.get_cookie_signer(salt='sid').sign('v1'))")
            << QStringLiteral("django-signed");
        QTest::newRow("fernet") << QStringLiteral("cryptography")
                                << QStringLiteral(
                                       "from cryptography.fernet import Fernet\n"
                                       "print(Fernet(Fernet.generate_key()).encrypt(b'hello' * 10).decode())")
                                << QStringLiteral("fernet");
    }

    void identifyLiveSamples()
    {
        QFETCH(QString, module);
        QFETCH(QString, script);
        QFETCH(QString, kind);
        if (!havePython(module)) {
            QSKIP(qPrintable(QStringLiteral("python3-%1 is not installed for /usr/bin/python3").arg(module)));
        }
        for (int i = 0; i < 5; ++i) {
            const QByteArray sample = runPython(script);
            QVERIFY(!sample.isEmpty());
            const auto r = runCli({QStringLiteral("identify"), QString::fromLatin1(sample), QStringLiteral("--json")});
            QCOMPARE(r.code, 0);
            QCOMPARE(jsonObject(r.out).value(QStringLiteral("kind")).toString(), kind);
        }
    }

    void malleateAgreesWithVerify()
    {
        QTemporaryDir dir;
        const QString secretFile = dir.filePath(QStringLiteral("secret"));
        QVERIFY(tb::test::writeFileBytes(secretFile, secret));
        const QString keyPrefix = dir.filePath(QStringLiteral("es"));
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                         QStringLiteral("--out"), keyPrefix})
                     .code,
                 0);
        const auto es =
            runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("--key"),
                    keyPrefix + QStringLiteral(".key"), QStringLiteral("--payload"),
                    QStringLiteral("{\"sub\":\"ab\",\"jti\":\"j1\",\"iss\":\"me\"}")});
        QCOMPARE(es.code, 0);
        const struct
        {
            QByteArray token;
            QString keyOption;
            QString keyFile;
        } cases[] = {{tokenA, QStringLiteral("--secret-file"), secretFile},
                     {es.out.trimmed(), QStringLiteral("--key"), keyPrefix + QStringLiteral(".pub")}};
        for (const auto& c : cases) {
            const auto r = runCli({QStringLiteral("malleate"), QString::fromLatin1(c.token), c.keyOption, c.keyFile,
                                   QStringLiteral("--now"), QStringLiteral("1700000001"), QStringLiteral("--json")});
            QCOMPARE(r.code, 0);
            const QJsonObject o = jsonObject(r.out);
            QCOMPARE(o.value(QStringLiteral("original")).toObject().value(QStringLiteral("signature")).toString(),
                     QStringLiteral("valid"));
            const QJsonArray variants = o.value(QStringLiteral("variants")).toArray();
            QVERIFY(variants.size() >= 4);
            for (const QJsonValue& v : variants) {
                const QJsonObject vo = v.toObject();
                const QString expected =
                    vo.value(QStringLiteral("tokenbench")).toObject().value(QStringLiteral("expected")).toString();
                QCOMPARE(
                    vo.value(QStringLiteral("tokenbench")).toObject().value(QStringLiteral("signature")).toString(),
                    expected);
                QCOMPARE(vo.value(QStringLiteral("defeats")).toObject().value(QStringLiteral("token_hash")),
                         QJsonValue(true));
                QCOMPARE(vo.value(QStringLiteral("defeats")).toObject().value(QStringLiteral("jti")),
                         QJsonValue(false));
                // tokenbench-cli verify says the same (exit 0 valid, 1 invalid).
                const auto verify =
                    runCli({QStringLiteral("verify"), vo.value(QStringLiteral("token")).toString(), c.keyOption,
                            c.keyFile, QStringLiteral("--now"), QStringLiteral("1700000001")});
                QVERIFY2(verify.code == (expected == QStringLiteral("valid") ? 0 : 1),
                         qPrintable(vo.value(QStringLiteral("name")).toString()));
            }
        }
        // Without a key every variant is listed, nothing is checked.
        const auto r = runCli({QStringLiteral("malleate"), QString::fromLatin1(tokenA)});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("slips past a denylist keyed on: token hash"));
    }

    void malleateBadInput()
    {
        for (const QStringList& args :
             {QStringList{QStringLiteral("malleate"), QStringLiteral("x.y")},
              QStringList{
                  QStringLiteral("malleate"),
                  QStringLiteral("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXZpdml2aXZpdml2.Y3Q.dGFndGFndGFndGFn")},
              QStringList{QStringLiteral("malleate"), QString::fromLatin1(tokenA), QStringLiteral("--key"),
                          QStringLiteral("/nonexistent")}}) {
            const auto r = runCli(args);
            QCOMPARE(r.code, 2);
            QVERIFY(r.err.startsWith("error: "));
        }
    }
};

QTEST_GUILESS_MAIN(TstCliInspect)
#include "tst_cli_inspect.moc"
