#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"

#include "audit/crack/Crack.h"
#include "jose/Base64Url.h"

namespace crack = tb::audit::crack;
using namespace tb::test;

namespace {

const QByteArray kJwtIo =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0Ij"
    "oxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

QByteArray makeToken(const QByteArray& alg, const QByteArray& secret, const QByteArray& payload = "{\"sub\":\"a\"}")
{
    const QByteArray si =
        tb::jose::base64UrlEncode("{\"alg\":\"" + alg + "\"}") + '.' + tb::jose::base64UrlEncode(payload);
    const crack::HmacAlg a = alg == "HS256"   ? crack::HmacAlg::HS256
                             : alg == "HS384" ? crack::HmacAlg::HS384
                                              : crack::HmacAlg::HS512;
    return si + '.' + tb::jose::base64UrlEncode(crack::referenceHmac(a, secret, si).value());
}

} // namespace

class TestCliCrack : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void foundPrintsSecretExit0()
    {
        const QString list = write("w.txt", "alpha\nbeta\nyour-256-bit-secret\ngamma\n");
        const auto r =
            runCli({QStringLiteral("crack"), QString::fromLatin1(kJwtIo), QStringLiteral("--wordlist"), list});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("your-256-bit-secret\n"));
        QCOMPARE(r.err, QByteArray());
    }

    void foundJson()
    {
        const QString list = write("w2.txt", "alpha\nbeta\nyour-256-bit-secret\ngamma\n");
        const auto r = runCli({QStringLiteral("crack"), QStringLiteral("--json"), QStringLiteral("--threads"),
                               QStringLiteral("1"), QStringLiteral("--wordlist"), list},
                              kJwtIo + "\n");
        QCOMPARE(r.code, 0);
        const QJsonObject o = jsonObject(r.out);
        QCOMPARE(o.value(QStringLiteral("found")).toBool(false), true);
        QCOMPARE(o.value(QStringLiteral("secret")).toString(), QStringLiteral("your-256-bit-secret"));
        QCOMPARE(o.value(QStringLiteral("secret_hex")).toString(),
                 QString::fromLatin1(QByteArray("your-256-bit-secret").toHex()));
        QCOMPARE(o.value(QStringLiteral("candidates")).toInteger(), 3);
        QVERIFY(o.value(QStringLiteral("seconds")).isDouble());
        QVERIFY(r.out.endsWith('\n'));
    }

    void nonUtf8SecretIsHexTagged()
    {
        const QByteArray secret("p\xff\x00q", 4);
        const QString list = write("w3.txt", "a\n" + secret + "\n");
        const auto r = runCli({QStringLiteral("crack"), QString::fromLatin1(makeToken("HS256", secret)),
                               QStringLiteral("--wordlist"), list, QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("secret_hex")).toString(), QStringLiteral("70ff0071"));
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("secret")).toString(), QStringLiteral("$HEX[70ff0071]"));
    }

    void notFoundExit1()
    {
        const QString list = write("w4.txt", "alpha\nbeta\n");
        const auto r = runCli({QStringLiteral("crack"), QString::fromLatin1(kJwtIo), QStringLiteral("--wordlist"), list,
                               QStringLiteral("--json")});
        QCOMPARE(r.code, 1);
        const QJsonObject o = jsonObject(r.out);
        QCOMPARE(o.value(QStringLiteral("found")).toBool(true), false);
        QCOMPARE(o.value(QStringLiteral("candidates")).toInteger(), 2);
        QVERIFY(!o.contains(QStringLiteral("secret")));
        const auto plain =
            runCli({QStringLiteral("crack"), QString::fromLatin1(kJwtIo), QStringLiteral("--wordlist"), list});
        QCOMPARE(plain.code, 1);
        QVERIFY(plain.out.startsWith("not found (2 candidates"));
    }

    void maskWithIncrementAndRules()
    {
        const auto m = runCli({QStringLiteral("crack"), QString::fromLatin1(makeToken("HS256", "7x")),
                               QStringLiteral("--mask"), QStringLiteral("?d?l?l"), QStringLiteral("--increment")});
        QCOMPARE(m.code, 0);
        QCOMPARE(m.out, QByteArray("7x\n"));
        const QString list = write("w5.txt", "winter\n");
        const auto r = runCli({QStringLiteral("crack"), QString::fromLatin1(makeToken("HS512", "Winter2025")),
                               QStringLiteral("--wordlist"), list, QStringLiteral("--rules")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("Winter2025\n"));
    }

    void builtinAndTokenWords()
    {
        const auto b = runCli({QStringLiteral("crack"), QString::fromLatin1(kJwtIo), QStringLiteral("--builtin")});
        QCOMPARE(b.code, 0);
        QCOMPARE(b.out, QByteArray("your-256-bit-secret\n"));
        const QByteArray t = makeToken("HS384", "issuer-co",
                                       "{\"iss\":\"https:/"
                                       "/login.issuer-co.example\"}");
        const auto w = runCli({QStringLiteral("crack"), QString::fromLatin1(t), QStringLiteral("--builtin")});
        QCOMPARE(w.code, 0);
        QCOMPARE(w.out, QByteArray("issuer-co\n"));
    }

    void limitAndResume()
    {
        const QByteArray t = makeToken("HS256", "4321");
        const auto a = runCli({QStringLiteral("crack"), QString::fromLatin1(t), QStringLiteral("--mask"),
                               QStringLiteral("?d?d?d?d"), QStringLiteral("--limit"), QStringLiteral("4000"),
                               QStringLiteral("--json")});
        QCOMPARE(a.code, 1);
        QCOMPARE(jsonObject(a.out).value(QStringLiteral("position")).toInteger(), 4000);
        QCOMPARE(jsonObject(a.out).value(QStringLiteral("stopped")).toBool(false), true);
        QVERIFY(a.err.contains("continue with --resume 4000"));
        const auto b = runCli({QStringLiteral("crack"), QString::fromLatin1(t), QStringLiteral("--mask"),
                               QStringLiteral("?d?d?d?d"), QStringLiteral("--resume"), QStringLiteral("4000"),
                               QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(b.code, 0);
        QCOMPARE(jsonObject(b.out).value(QStringLiteral("candidates")).toInteger(), 4321 - 4000 + 1);
    }

    // --save-progress writes a session file; --resume FILE continues from its position (and keeps updating it).
    void sessionFileResume()
    {
        const QByteArray t = makeToken("HS256", "7321");
        const QString session = m_dir.filePath(QStringLiteral("crack.session"));
        const auto a = runCli({QStringLiteral("crack"), QString::fromLatin1(t), QStringLiteral("--mask"),
                               QStringLiteral("?d?d?d?d"), QStringLiteral("--limit"), QStringLiteral("5000"),
                               QStringLiteral("--save-progress"), session, QStringLiteral("--json")});
        QCOMPARE(a.code, 1);
        QCOMPARE(a.err, QByteArray("warning: stopped at position 5000 of 10000; continue with --resume ") +
                            session.toUtf8() + '\n');
        const QJsonObject saved = jsonObject(tb::test::readFileBytes(session));
        QCOMPARE(saved.value(QStringLiteral("position")).toString(), QStringLiteral("5000"));
        QCOMPARE(saved.value(QStringLiteral("units")).toString(), QStringLiteral("10000"));
        QCOMPARE(saved.value(QStringLiteral("source")).toString(), QStringLiteral("mask:?d?d?d?d"));
        QCOMPARE(saved.value(QStringLiteral("finished")).toBool(true), false);
        QVERIFY(!tb::test::readFileBytes(session).contains("7321")); // no secret, no token in the file
        QCOMPARE(QFile::permissions(session) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());

        // Another mask is another search: refused, the session is untouched.
        const auto other = runCli({QStringLiteral("crack"), QString::fromLatin1(t), QStringLiteral("--mask"),
                                   QStringLiteral("?d?d?d"), QStringLiteral("--resume"), session});
        QCOMPARE(other.code, 2);
        QVERIFY(other.err.contains("resume with the same options"));
        const auto otherToken =
            runCli({QStringLiteral("crack"), QString::fromLatin1(makeToken("HS256", "1")), QStringLiteral("--mask"),
                    QStringLiteral("?d?d?d?d"), QStringLiteral("--resume"), session});
        QCOMPARE(otherToken.code, 2);
        QCOMPARE(otherToken.err, QByteArray("error: The session belongs to another token.\n"));

        const auto b = runCli({QStringLiteral("crack"), QString::fromLatin1(t), QStringLiteral("--mask"),
                               QStringLiteral("?d?d?d?d"), QStringLiteral("--resume"), session,
                               QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--json")});
        QCOMPARE(b.code, 0);
        QCOMPARE(jsonObject(b.out).value(QStringLiteral("secret")).toString(), QStringLiteral("7321"));
        QCOMPARE(jsonObject(b.out).value(QStringLiteral("candidates")).toInteger(),
                 7321 - 5000 + 1); // none before 5000
        const QJsonObject done = jsonObject(tb::test::readFileBytes(session));
        QCOMPARE(done.value(QStringLiteral("found")).toBool(false), true);
        QCOMPARE(done.value(QStringLiteral("finished")).toBool(false), true);
        QCOMPARE(done.value(QStringLiteral("candidates")).toString(), QStringLiteral("7322"));
        const auto damaged = runCli({QStringLiteral("crack"), QString::fromLatin1(t), QStringLiteral("--mask"),
                                     QStringLiteral("?d"), QStringLiteral("--resume"), write("bad.session", "{}")});
        QCOMPARE(damaged.code, 2);
        QVERIFY(damaged.err.startsWith("error: This is not a tokenbench crack session"));
    }

    // --wordlist - reads the words from standard input (raw bytes, as from a file); the token must be an argument.
    void wordlistFromStdin()
    {
        const QByteArray secret("sp ace\xff", 7);
        const auto r = runCli({QStringLiteral("crack"), QString::fromLatin1(makeToken("HS384", secret)),
                               QStringLiteral("--wordlist"), QStringLiteral("-"), QStringLiteral("--json")},
                              "alpha\r\nbeta\n" + secret + "\r\ngamma\n");
        QCOMPARE(r.code, 0);
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("secret_hex")).toString(), QString::fromLatin1(secret.toHex()));
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("units")).toInteger(), 4);
        for (const QStringList& args :
             {QStringList{QStringLiteral("crack"), QStringLiteral("-"), QStringLiteral("--wordlist"),
                          QStringLiteral("-")},
              QStringList{QStringLiteral("crack"), QStringLiteral("--wordlist"), QStringLiteral("-")}}) {
            const auto both = runCli(args, kJwtIo + "\nyour-256-bit-secret\n");
            QCOMPARE(both.code, 2);
            QCOMPARE(both.err, QByteArray("error: --wordlist - reads the words from standard input, so give the token "
                                          "as an argument.\n"));
            QVERIFY(both.out.isEmpty());
        }
        const auto real = tb::test::runCliBinary(
            {QStringLiteral("crack"), QString::fromLatin1(kJwtIo), QStringLiteral("--wordlist"), QStringLiteral("-")},
            "a\nyour-256-bit-secret\n");
        QCOMPARE(real.code, 0);
        QCOMPARE(real.out, QByteArray("your-256-bit-secret\n"));
    }

    void exports()
    {
        const auto hc = runCli({QStringLiteral("crack"), QString::fromLatin1(kJwtIo), QStringLiteral("--export"),
                                QStringLiteral("hashcat")});
        QCOMPARE(hc.code, 0);
        QCOMPARE(hc.out, kJwtIo + "\n");
        const auto john = runCli(
            {QStringLiteral("crack"), QString::fromLatin1(kJwtIo), QStringLiteral("--export"), QStringLiteral("john")});
        QCOMPARE(john.code, 0);
        QCOMPARE(john.out, kJwtIo.left(kJwtIo.lastIndexOf('.')) +
                               "#49f94ac7044948c78a285d904f87f0a4c7897f7e8f3a4eb2255fda750b2cc397\n");
        const auto bad = runCli(
            {QStringLiteral("crack"), QString::fromLatin1(kJwtIo), QStringLiteral("--export"), QStringLiteral("jtr")});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.startsWith("error: "));
    }

    void nonHsTokenExit2()
    {
        const auto seg = [](const QByteArray& s) { return tb::jose::base64UrlEncode(s); };
        for (const QByteArray& t : {seg(R"({"alg":"RS256"})") + '.' + seg("{}") + '.' + seg(QByteArray(256, 's')),
                                    seg(R"({"alg":"none"})") + '.' + seg("{}") + '.',
                                    seg(R"({"alg":"RSA-OAEP","enc":"A256GCM"})") + ".AAAA.AAAA.AAAA.AAAA"}) {
            const auto r = runCli({QStringLiteral("crack"), QString::fromLatin1(t), QStringLiteral("--builtin")});
            QCOMPARE(r.code, 2);
            QVERIFY(r.err.startsWith("error: "));
            QVERIFY2(r.err.contains("Cracking applies only to HS256/HS384/HS512 tokens"), r.err.constData());
        }
    }

    void badInputExit2_data()
    {
        QTest::addColumn<QStringList>("args");
        const QString tok = QString::fromLatin1(kJwtIo);
        QTest::newRow("no mode") << QStringList{QStringLiteral("crack"), tok};
        QTest::newRow("malformed") << QStringList{QStringLiteral("crack"), QStringLiteral("abc.def"),
                                                  QStringLiteral("--builtin")};
        QTest::newRow("missing wordlist") << QStringList{QStringLiteral("crack"), tok, QStringLiteral("--wordlist"),
                                                         QStringLiteral("/nonexistent/list.txt")};
        QTest::newRow("bad mask") << QStringList{QStringLiteral("crack"), tok, QStringLiteral("--mask"),
                                                 QStringLiteral("?z")};
        QTest::newRow("bad threads") << QStringList{QStringLiteral("crack"), tok, QStringLiteral("--builtin"),
                                                    QStringLiteral("--threads"), QStringLiteral("0")};
        QTest::newRow("bad resume") << QStringList{QStringLiteral("crack"), tok, QStringLiteral("--builtin"),
                                                   QStringLiteral("--resume"), QStringLiteral("-3")};
        QTest::newRow("resume past end") << QStringList{QStringLiteral("crack"),    tok,
                                                        QStringLiteral("--mask"),   QStringLiteral("?d"),
                                                        QStringLiteral("--resume"), QStringLiteral("11")};
        QTest::newRow("bad kernel") << QStringList{QStringLiteral("crack"), tok, QStringLiteral("--builtin"),
                                                   QStringLiteral("--kernel"), QStringLiteral("gpu")};
        QTest::newRow("unknown flag") << QStringList{QStringLiteral("crack"), tok, QStringLiteral("--bogus")};
    }
    void badInputExit2()
    {
        QFETCH(QStringList, args);
        const auto r = runCli(args);
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("error: "));
        QCOMPARE(r.err.count('\n'), 1);
    }

    void noTokenOnTerminalDoesNotWait()
    {
        const auto r = runCli({QStringLiteral("crack"), QStringLiteral("--builtin")}, {}, true);
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.startsWith("error: "));
    }

    void realBinary()
    {
        const auto r = tb::test::runCliBinary(
            {QStringLiteral("crack"), QStringLiteral("-"), QStringLiteral("--builtin"), QStringLiteral("--json")},
            kJwtIo);
        QCOMPARE(r.code, 0);
        QCOMPARE(jsonObject(r.out).value(QStringLiteral("secret")).toString(), QStringLiteral("your-256-bit-secret"));
    }

    // --json members in the order CLI.md lists them: found, secret, secret_hex, candidates, seconds.
    void jsonMembersInContractOrder()
    {
        const QString words = write("order-words.txt", "nope\nyour-256-bit-secret\n");
        const auto r = tb::test::runCliBinary({QStringLiteral("crack"), QString::fromLatin1(kJwtIo),
                                               QStringLiteral("--wordlist"), words, QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("{\"found\":true,\"secret\":\"your-256-bit-secret\",\"secret_hex\":\"" +
                                  QByteArray("your-256-bit-secret").toHex() + "\",\"candidates\":2,\"seconds\":"),
                 r.out.constData());
    }

    // A second token is a usage error, not silently dropped while the first one is searched.
    void secondTokenIsUsageError()
    {
        const auto r = tb::test::runCliBinary({QStringLiteral("crack"), QString::fromLatin1(kJwtIo),
                                               QString::fromLatin1(kJwtIo), QStringLiteral("--builtin")});
        QCOMPARE(r.code, 2);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(r.err, QByteArray("error: crack takes one token (see 'tokenbench-cli crack --help').\n"));
    }

private:
    QString write(const char* name, const QByteArray& bytes)
    {
        return tb::test::writeFileIn(m_dir, QString::fromLatin1(name), bytes);
    }
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestCliCrack)
#include "tst_cli_crack.moc"
