// `tokenbench-cli attack`: the CLI.md contract (--list, --json shape, corpus, exit codes, bad input).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"
#include "jose/Compact.h"

using namespace tb::test;

class TestCliAttack : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_token;   // RS256
    QByteArray m_esToken; // ES256

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("RS256"),
                         QStringLiteral("--out"), path(QStringLiteral("rsa"))})
                     .code,
                 0);
        QCOMPARE(runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                         QStringLiteral("--out"), path(QStringLiteral("ec"))})
                     .code,
                 0);
        const QString payload = QStringLiteral("{\"sub\":\"u\",\"exp\":1700000600}");
        auto r =
            runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("RS256"), QStringLiteral("--key"),
                    path(QStringLiteral("rsa.key")), QStringLiteral("--payload"), payload});
        QCOMPARE(r.code, 0);
        m_token = r.out.trimmed();
        r = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("--key"),
                    path(QStringLiteral("ec.key")), QStringLiteral("--payload"), payload});
        QCOMPARE(r.code, 0);
        m_esToken = r.out.trimmed();
    }

    void list()
    {
        const auto r = runCli({QStringLiteral("attack"), QStringLiteral("--list")});
        QCOMPARE(r.code, 0);
        for (const char* kind : {"none", "null-signature", "empty-key", "confusion", "embedded-jwk", "jku", "x5u",
                                 "x5c", "kid", "psychic", "malleability", "tamper", "exp", "corpus"}) {
            QVERIFY2(r.out.contains("\n" + QByteArray(kind) + ' ') || r.out.startsWith(QByteArray(kind) + ' '), kind);
        }
        const auto json = runCli({QStringLiteral("attack"), QStringLiteral("--list"), QStringLiteral("--json")});
        QCOMPARE(json.code, 0);
        QCOMPARE(QJsonDocument::fromJson(json.out).object().value(QStringLiteral("kinds")).toArray().size(), 14);
    }

    void jsonShape_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("count");
        QTest::newRow("none") << QStringList() << "none" << 8;
        QTest::newRow("null-signature") << QStringList() << "null-signature" << 1;
        QTest::newRow("empty-key") << QStringList() << "empty-key" << 3;
        QTest::newRow("confusion") << QStringList{QStringLiteral("--key"), QStringLiteral("rsa.pub")} << "confusion"
                                   << 18;
        QTest::newRow("embedded-jwk") << QStringList() << "embedded-jwk" << 2;
        QTest::newRow("jku") << QStringList{QStringLiteral("--url"), QStringLiteral("https://a.example/k.json")}
                             << "jku" << 1;
        QTest::newRow("x5u") << QStringList{QStringLiteral("--url"), QStringLiteral("https://a.example/c.pem")} << "x5u"
                             << 1;
        QTest::newRow("x5c") << QStringList() << "x5c" << 1;
        QTest::newRow("kid") << QStringList() << "kid" << 3;
        QTest::newRow("psychic") << QStringList() << "psychic" << 6;
        QTest::newRow("tamper") << QStringList{QStringLiteral("--set"), QStringLiteral("role=admin"),
                                               QStringLiteral("--key"), QStringLiteral("rsa.key")}
                                << "tamper" << 2;
        QTest::newRow("exp") << QStringList() << "exp" << 2;
    }

    void jsonShape()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, kind);
        QFETCH(int, count);
        for (QString& e : extra) {
            if (e.endsWith(QStringLiteral(".pub")) || e.endsWith(QStringLiteral(".key"))) {
                e = path(e);
            }
        }
        const auto r = runCli(QStringList{QStringLiteral("attack"), kind, QString::fromLatin1(m_token)} + extra +
                              QStringList{QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out.count('\n'), 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), kind);
        QVERIFY(!o.value(QStringLiteral("explanation")).toString().isEmpty());
        const QJsonArray tokens = o.value(QStringLiteral("tokens")).toArray();
        QCOMPARE(tokens.size(), count);
        for (const auto v : tokens) {
            const QJsonObject t = v.toObject();
            QVERIFY(!t.value(QStringLiteral("variant")).toString().isEmpty());
            QVERIFY2(tb::jose::parseCompact(t.value(QStringLiteral("token")).toString().toLatin1()).has_value(),
                     qPrintable(t.value(QStringLiteral("variant")).toString()));
            // tokenbench's own verify refuses every crafted token (except one re-signed with the real key).
            if (t.value(QStringLiteral("variant")).toString().endsWith(QStringLiteral("re-signed"))) {
                continue;
            }
            const auto v2 =
                runCli({QStringLiteral("verify"), t.value(QStringLiteral("token")).toString(), QStringLiteral("--key"),
                        path(QStringLiteral("rsa.pub")), QStringLiteral("--now"), QStringLiteral("1700000000")});
            QCOMPARE(v2.code, 1);
        }
        if (kind == QStringLiteral("jku")) {
            QVERIFY(o.value(QStringLiteral("jwks")).toObject().value(QStringLiteral("keys")).isArray());
        }
    }

    void textOutput()
    {
        const auto r =
            runCli({QStringLiteral("attack"), QStringLiteral("null-signature"), QString::fromLatin1(m_token)});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("empty-signature\n"));
        QVERIFY(r.out.contains(m_token.left(m_token.lastIndexOf('.') + 1) + '\n'));
    }

    void stdinToken()
    {
        const auto r = runCli(
            {QStringLiteral("attack"), QStringLiteral("malleability"), QStringLiteral("-"), QStringLiteral("--json")},
            m_esToken + "\n");
        QCOMPARE(r.code, 0);
        QCOMPARE(
            stringsOf(QJsonDocument::fromJson(r.out).object(), QStringLiteral("tokens"), QStringLiteral("variant")),
            (QStringList{QStringLiteral("s-to-n-minus-s"), QStringLiteral("der-encoded-signature")}));
    }

    void corpus()
    {
        const QString out = path(QStringLiteral("corpus.json"));
        const auto r = runCli({QStringLiteral("attack"), QStringLiteral("corpus"), QString::fromLatin1(m_esToken),
                               QStringLiteral("--key"), path(QStringLiteral("ec.pub")), QStringLiteral("--url"),
                               QStringLiteral("https://a.example/x"), QStringLiteral("--out"), out});
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(tb::test::readFileBytes(out)).object();
        QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("corpus"));
        QCOMPARE(o.value(QStringLiteral("attacks")).toArray().size(), 13);
        QVERIFY(o.value(QStringLiteral("skipped")).toArray().isEmpty());
        const QStringList all = stringsOf(o, QStringLiteral("tokens"), QStringLiteral("variant"));
        QVERIFY(all.contains(QStringLiteral("psychic/es256-raw-zero")));
        QVERIFY(all.contains(QStringLiteral("confusion/hs256/spki-pem-lf")));
        QVERIFY(all.contains(QStringLiteral("malleability/s-to-n-minus-s")));
        // Without --out the corpus goes to standard output.
        const auto stdoutRun =
            runCli({QStringLiteral("attack"), QStringLiteral("corpus"), QString::fromLatin1(m_token)});
        QCOMPARE(stdoutRun.code, 0);
        QCOMPARE(QJsonDocument::fromJson(stdoutRun.out).object().value(QStringLiteral("kind")).toString(),
                 QStringLiteral("corpus"));
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no kind") << QStringList{QStringLiteral("attack")};
        QTest::newRow("unknown kind") << QStringList{QStringLiteral("attack"), QStringLiteral("frob"),
                                                     QStringLiteral("a.b.c")};
        QTest::newRow("malformed token") << QStringList{QStringLiteral("attack"), QStringLiteral("none"),
                                                        QStringLiteral("abc")};
        QTest::newRow("jku without url") << QStringList{QStringLiteral("attack"), QStringLiteral("jku"),
                                                        QStringLiteral("eyJhbGciOiJIUzI1NiJ9.e30.AA")};
        QTest::newRow("confusion without key") << QStringList{QStringLiteral("attack"), QStringLiteral("confusion"),
                                                              QStringLiteral("eyJhbGciOiJIUzI1NiJ9.e30.AA")};
        QTest::newRow("malleability of HS256") << QStringList{QStringLiteral("attack"), QStringLiteral("malleability"),
                                                              QStringLiteral("eyJhbGciOiJIUzI1NiJ9.e30.AA")};
        QTest::newRow("bad --alg") << QStringList{QStringLiteral("attack"), QStringLiteral("x5c"),
                                                  QStringLiteral("eyJhbGciOiJIUzI1NiJ9.e30.AA"),
                                                  QStringLiteral("--alg"), QStringLiteral("RS1")};
        QTest::newRow("bad --set") << QStringList{QStringLiteral("attack"), QStringLiteral("tamper"),
                                                  QStringLiteral("eyJhbGciOiJIUzI1NiJ9.e30.AA"),
                                                  QStringLiteral("--set"), QStringLiteral("novalue")};
        QTest::newRow("missing key file") << QStringList{QStringLiteral("attack"), QStringLiteral("confusion"),
                                                         QStringLiteral("eyJhbGciOiJIUzI1NiJ9.e30.AA"),
                                                         QStringLiteral("--key"), QStringLiteral("/nonexistent.pem")};
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        expectUsageError(runCli(args));
    }

    void terminalStdinDoesNotWait()
    {
        expectUsageError(runCli({QStringLiteral("attack"), QStringLiteral("none")}, {}, true));
    }

    // --json members in the order CLI.md lists them: kind, tokens (variant, token), explanation.
    void jsonMembersInContractOrder()
    {
        const auto r = runCliBinary(
            {QStringLiteral("attack"), QStringLiteral("none"), QString::fromLatin1(m_token), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("{\"kind\":\"none\",\"tokens\":[{\"variant\":\""), r.out.constData());
        const qsizetype explanation = r.out.indexOf("],\"explanation\":\"");
        QVERIFY2(explanation > 0 && r.out.lastIndexOf("\"token\":\"") < explanation, r.out.constData());
    }

    void binaryEndToEnd()
    {
        const auto r = runCliBinary(
            {QStringLiteral("attack"), QStringLiteral("none"), QString::fromLatin1(m_token), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QStringLiteral("tokens")).toArray().size(), 8);
    }
};

QTEST_GUILESS_MAIN(TestCliAttack)
#include "tst_cli_attack.moc"
