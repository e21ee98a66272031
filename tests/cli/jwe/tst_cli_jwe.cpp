// decrypt and encrypt subcommands (issue 10): exit codes 0 / 1 / 2, "error:" lines, --json members, nested JWS
// verification, key options (--key, --secret-file, --password-file), through runCli and a few real binary runs.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"

using namespace tb::test;

namespace {

const QString fellowship = QStringLiteral("jose-cookbook/jwe/5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json");
const QString rsaOaep = QStringLiteral("jose-cookbook/jwe/5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json");
const QString nesting = QStringLiteral("jose-cookbook/6.nesting_signatures_and_encryption.json");

// The first characters of a base64url header segment whose JSON text starts with `prefix` (a prefix of a multiple
// of three bytes encodes to a fixed prefix).
QByteArray jose64(const QByteArray& prefix)
{
    const QByteArray whole = prefix.left(prefix.size() - prefix.size() % 3);
    return tb::test::b64u(whole);
}

} // namespace

class TestCliJwe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void decryptCookbook_data();
    void decryptCookbook();
    void decryptJson();
    void roundTripSecret_data();
    void roundTripSecret();
    void roundTripPassword();
    void encryptJson();
    void lintJwe();
    void roundTripKeyFiles();
    void tamperedIsExit1();
    void badInputIsExit2_data();
    void badInputIsExit2();
    void p2cCapExit2();
    void nestedVerify();
    void stdinToken();
    void binary();

private:
    QString write(const QString& name, const QByteArray& bytes);
    QString jwkFile(const QString& name, const QJsonObject& jwk);
    QTemporaryDir m_dir;
};

QString TestCliJwe::write(const QString& name, const QByteArray& bytes)
{
    return tb::test::writeFileIn(m_dir, name, bytes);
}

QString TestCliJwe::jwkFile(const QString& name, const QJsonObject& jwk)
{
    return write(name, QJsonDocument(jwk).toJson(QJsonDocument::Compact));
}

void TestCliJwe::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestCliJwe::decryptCookbook_data()
{
    QTest::addColumn<QString>("file");
    for (const QString& f :
         {QStringLiteral("5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json"),
          QStringLiteral("5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json"),
          QStringLiteral("5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json"),
          QStringLiteral("5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json"),
          QStringLiteral("5_6.direct_encryption_using_aes-gcm.json"),
          QStringLiteral("5_7.key_wrap_using_aes-gcm_keywrap_with_aes-cbc-hmac-sha2.json"),
          QStringLiteral("5_8.key_wrap_using_aes-keywrap_with_aes-gcm.json"),
          QStringLiteral("5_9.compressed_content.json")}) {
        QTest::newRow(qPrintable(f.left(3))) << QStringLiteral("jose-cookbook/jwe/") + f;
    }
}

void TestCliJwe::decryptCookbook()
{
    QFETCH(QString, file);
    const QJsonObject v = tb::test::loadVectorFile(file);
    const QJsonObject input = v.value(QStringLiteral("input")).toObject();
    const QString key = jwkFile(QStringLiteral("cookbook.jwk"), input.value(QStringLiteral("key")).toObject());
    const QString token = v.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString();
    const CliRun r = runCli({QStringLiteral("decrypt"), token, QStringLiteral("--key"), key});
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, input.value(QStringLiteral("plaintext")).toString().toUtf8());

    const CliRun j = runCli({QStringLiteral("decrypt"), token, QStringLiteral("--key"), key, QStringLiteral("--json")});
    QCOMPARE(j.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(j.out).object();
    QCOMPARE(o.value(QStringLiteral("alg")).toString(), input.value(QStringLiteral("alg")).toString());
    QCOMPARE(o.value(QStringLiteral("enc")).toString(), input.value(QStringLiteral("enc")).toString());
    QCOMPARE(o.value(QStringLiteral("plaintext")).toString(), input.value(QStringLiteral("plaintext")).toString());
    QCOMPARE(QByteArray::fromBase64(o.value(QStringLiteral("plaintext_b64")).toString().toUtf8(),
                                    QByteArray::Base64UrlEncoding),
             input.value(QStringLiteral("plaintext")).toString().toUtf8());
    QCOMPARE(o.value(QStringLiteral("header")).toObject().value(QStringLiteral("alg")).toString(),
             input.value(QStringLiteral("alg")).toString());
    QVERIFY(o.contains(QStringLiteral("zip")));
    const QJsonArray notes = o.value(QStringLiteral("header_notes")).toArray();
    QVERIFY(!notes.isEmpty());
    QCOMPARE(notes.first().toObject().value(QStringLiteral("member")).toString(), QStringLiteral("alg"));
    // RSA1_5 is flagged; the other cookbook algorithms are not.
    QCOMPARE(notes.first().toObject().value(QStringLiteral("danger")).isString(),
             input.value(QStringLiteral("alg")).toString() == QStringLiteral("RSA1_5"));
    QCOMPARE(o.value(QStringLiteral("zip")).isNull(), !input.contains(QStringLiteral("zip")));
}

void TestCliJwe::decryptJson()
{
    const QJsonObject v =
        tb::test::loadVectorFile(QStringLiteral("jose-cookbook/jwe/5_13.encrypting_to_multiple_recipients.json"));
    const QJsonObject input = v.value(QStringLiteral("input")).toObject();
    const QByteArray token =
        QJsonDocument(v.value(QStringLiteral("output")).toObject().value(QStringLiteral("json")).toObject())
            .toJson(QJsonDocument::Compact);
    const QJsonArray keyList = input.value(QStringLiteral("key")).toArray();
    for (qsizetype i = 0; i < keyList.size(); ++i) {
        const QString key = jwkFile(QStringLiteral("r%1.jwk").arg(i), keyList.at(i).toObject());
        const CliRun r = runCli(
            {QStringLiteral("decrypt"), QStringLiteral("-"), QStringLiteral("--key"), key, QStringLiteral("--json")},
            token);
        QCOMPARE(r.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("recipient")).toInt(), int(i));
        QCOMPARE(o.value(QStringLiteral("plaintext")).toString(), input.value(QStringLiteral("plaintext")).toString());
    }
}

void TestCliJwe::roundTripSecret_data()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QString>("enc");
    QTest::addColumn<int>("bytes");
    QTest::newRow("A128KW A128GCM") << QStringLiteral("A128KW") << QStringLiteral("A128GCM") << 16;
    QTest::newRow("A256KW A256CBC-HS512") << QStringLiteral("A256KW") << QStringLiteral("A256CBC-HS512") << 32;
    QTest::newRow("A192GCMKW A192CBC-HS384") << QStringLiteral("A192GCMKW") << QStringLiteral("A192CBC-HS384") << 24;
    QTest::newRow("dir A128CBC-HS256") << QStringLiteral("dir") << QStringLiteral("A128CBC-HS256") << 32;
    QTest::newRow("dir A256GCM") << QStringLiteral("dir") << QStringLiteral("A256GCM") << 32;
}

void TestCliJwe::roundTripSecret()
{
    QFETCH(QString, alg);
    QFETCH(QString, enc);
    QFETCH(int, bytes);
    const QString secret = write(QStringLiteral("secret.bin"), QByteArray(bytes, '\x7f'));
    const CliRun e = runCli({QStringLiteral("encrypt"), QStringLiteral("--alg"), alg, QStringLiteral("--enc"), enc,
                             QStringLiteral("--secret-file"), secret, QStringLiteral("--header"),
                             QStringLiteral("{\"kid\":\"k\",\"cty\":\"text/plain\"}"), QStringLiteral("--payload"),
                             QStringLiteral("hello, JWE")});
    QCOMPARE(e.code, 0);
    QVERIFY(e.out.endsWith('\n'));
    QCOMPARE(e.out.count('.'), 4);
    const CliRun d = runCli(
        {QStringLiteral("decrypt"), QString::fromLatin1(e.out.trimmed()), QStringLiteral("--secret-file"), secret});
    QCOMPARE(d.code, 0);
    QCOMPARE(d.out, QByteArray("hello, JWE"));
}

void TestCliJwe::roundTripPassword()
{
    const QString pw = write(QStringLiteral("pw.txt"), "Thus from my lips, by yours, my sin is purged.\n");
    const CliRun e = runCli({QStringLiteral("encrypt"), QStringLiteral("--alg"), QStringLiteral("PBES2-HS256+A128KW"),
                             QStringLiteral("--enc"), QStringLiteral("A128GCM"), QStringLiteral("--password-file"), pw,
                             QStringLiteral("--header"), QStringLiteral("{\"p2c\":2000,\"zip\":\"DEF\"}")},
                            "payload from stdin\n");
    QCOMPARE(e.code, 0);
    const CliRun d = runCli({QStringLiteral("decrypt"), QString::fromLatin1(e.out.trimmed()),
                             QStringLiteral("--password-file"), pw, QStringLiteral("--json")});
    QCOMPARE(d.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(d.out).object();
    QCOMPARE(o.value(QStringLiteral("plaintext")).toString(), QStringLiteral("payload from stdin"));
    QCOMPARE(o.value(QStringLiteral("zip")).toString(), QStringLiteral("DEF"));
    // The wrong password: a negative answer.
    const QString wrong = write(QStringLiteral("wrong.txt"), "not it\n");
    const CliRun bad = runCli(
        {QStringLiteral("decrypt"), QString::fromLatin1(e.out.trimmed()), QStringLiteral("--password-file"), wrong});
    QCOMPARE(bad.code, 1);
    QVERIFY(firstLine(bad.err).startsWith("error: decryption failed"));
}

// --json is an extension of the issue 10 contract: the token plus its header explained; the default stays the
// bare token and a newline.
void TestCliJwe::encryptJson()
{
    const QString pw = write(QStringLiteral("pw-json.txt"), "Thus from my lips, by yours, my sin is purged.\n");
    const QStringList args{QStringLiteral("encrypt"),
                           QStringLiteral("--alg"),
                           QStringLiteral("PBES2-HS256+A128KW"),
                           QStringLiteral("--enc"),
                           QStringLiteral("A128CBC-HS256"),
                           QStringLiteral("--password-file"),
                           pw,
                           QStringLiteral("--header"),
                           QStringLiteral("{\"kid\":\"k1\",\"p2c\":500}"),
                           QStringLiteral("--payload"),
                           QStringLiteral("secret plans")};
    const CliRun j = runCli(args + QStringList{QStringLiteral("--json")});
    QCOMPARE(j.code, 0);
    QVERIFY(j.err.isEmpty());
    QVERIFY(j.out.endsWith('\n'));
    const QJsonObject o = QJsonDocument::fromJson(j.out).object();
    QCOMPARE(o.value(QStringLiteral("alg")).toString(), QStringLiteral("PBES2-HS256+A128KW"));
    QCOMPARE(o.value(QStringLiteral("enc")).toString(), QStringLiteral("A128CBC-HS256"));
    const QJsonObject header = o.value(QStringLiteral("header")).toObject();
    QCOMPARE(header.value(QStringLiteral("kid")).toString(), QStringLiteral("k1"));
    QCOMPARE(header.value(QStringLiteral("p2c")).toInt(), 500);
    QCOMPARE(header.keys(), (QStringList{QStringLiteral("alg"), QStringLiteral("enc"), QStringLiteral("kid"),
                                         QStringLiteral("p2c"), QStringLiteral("p2s")}));
    QString p2cDanger;
    for (const QJsonValue n : o.value(QStringLiteral("header_notes")).toArray()) {
        if (n.toObject().value(QStringLiteral("member")).toString() == QStringLiteral("p2c")) {
            p2cDanger = n.toObject().value(QStringLiteral("danger")).toString();
        }
    }
    QCOMPARE(p2cDanger,
             QStringLiteral("Fewer than 1,000 iterations makes password guessing cheap (RFC 7518 §4.8.1.2)."));
    const QString token = o.value(QStringLiteral("token")).toString();
    QCOMPARE(token.count(QLatin1Char('.')), 4);
    const CliRun d = runCli({QStringLiteral("decrypt"), token, QStringLiteral("--password-file"), pw});
    QCOMPARE(d.code, 0);
    QCOMPARE(d.out, QByteArray("secret plans"));
    // Without --json: the bare token, nothing else.
    const CliRun plain = runCli(args);
    QCOMPARE(plain.code, 0);
    QVERIFY(plain.out.startsWith(jose64("{\"kid\":\"k1\",\"p2c\":500,\"alg\":\"PBES2-HS256+A128KW\"")));
    QCOMPARE(plain.out.count('\n'), 1);
    QCOMPARE(plain.out.count('.'), 4);
}

// lint reads JWEs: RFC 7520 §5.1 (RSA1_5) is a high finding; --key adds the key rules.
void TestCliJwe::lintJwe()
{
    const QJsonObject v = tb::test::loadVectorFile(
        QStringLiteral("jose-cookbook/jwe/5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json"));
    const QString token = v.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString();
    const CliRun text = runCli({QStringLiteral("lint"), token});
    QCOMPARE(text.code, 0);
    QCOMPARE(text.out, QByteArray("high JWE-ALG-RSA1_5: RSA1_5 (RSAES-PKCS1-v1_5) key encryption is open to "
                                  "Bleichenbacher padding-oracle attacks: a recipient whose errors or timing differ "
                                  "leaks the content key; use RSA-OAEP-256. [RFC 8725 §3.2]\n"));
    QCOMPARE(runCli({QStringLiteral("lint"), token, QStringLiteral("--fail-on"), QStringLiteral("high")}).code, 1);
    const CliRun json = runCli({QStringLiteral("lint"), token, QStringLiteral("--json")});
    QCOMPARE(json.code, 0);
    const QJsonArray findings = QJsonDocument::fromJson(json.out).object().value(QStringLiteral("findings")).toArray();
    QCOMPARE(findings.size(), 1);
    QCOMPARE(findings.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("JWE-ALG-RSA1_5"));
    // A key that does not fit the token's alg is a finding, not an error.
    const QString secret = write(QStringLiteral("lint-secret.bin"), QByteArray(16, 'k'));
    const CliRun keyed = runCli({QStringLiteral("lint"), token, QStringLiteral("--secret-file"), secret});
    QCOMPARE(keyed.code, 0);
    QVERIFY(keyed.out.contains("JWE-KEY-WEAK"));
}

void TestCliJwe::roundTripKeyFiles()
{
    // RSA-OAEP-256 to the cookbook's RSA key (public half for encrypt, JWK with d for decrypt); ECDH-ES to P-384.
    const QJsonObject rsa = tb::test::loadVectorFile(rsaOaep)
                                .value(QStringLiteral("input"))
                                .toObject()
                                .value(QStringLiteral("key"))
                                .toObject();
    QJsonObject rsaPub = rsa;
    for (const char* m : {"d", "p", "q", "dp", "dq", "qi", "alg"}) {
        rsaPub.remove(QLatin1String(m));
    }
    QJsonObject rsaPriv = rsa;
    rsaPriv.remove(QStringLiteral("alg")); // its JWK alg says RSA-OAEP: unbind it for the -256 round trip
    const QString pub = jwkFile(QStringLiteral("rsa.pub.jwk"), rsaPub);
    const QString priv = jwkFile(QStringLiteral("rsa.jwk"), rsaPriv);
    const CliRun e = runCli({QStringLiteral("encrypt"), QStringLiteral("--alg"), QStringLiteral("RSA-OAEP-256"),
                             QStringLiteral("--enc"), QStringLiteral("A256GCM"), QStringLiteral("--key"), pub,
                             QStringLiteral("--payload"), QStringLiteral("x")});
    QCOMPARE(e.code, 0);
    const CliRun d =
        runCli({QStringLiteral("decrypt"), QString::fromLatin1(e.out.trimmed()), QStringLiteral("--key"), priv});
    QCOMPARE(d.code, 0);
    QCOMPARE(d.out, QByteArray("x"));
    // Decrypting with only the public key: bad input (exit 2), not a negative answer.
    const CliRun p =
        runCli({QStringLiteral("decrypt"), QString::fromLatin1(e.out.trimmed()), QStringLiteral("--key"), pub});
    QCOMPARE(p.code, 2);
    QVERIFY(p.err.startsWith("error: "));
    QVERIFY(p.err.contains("private key"));
}

void TestCliJwe::tamperedIsExit1()
{
    const QJsonObject v = tb::test::loadVectorFile(fellowship);
    const QString key = jwkFile(QStringLiteral("kw.jwk"),
                                v.value(QStringLiteral("input")).toObject().value(QStringLiteral("key")).toObject());
    QList<QByteArray> parts =
        v.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString().toUtf8().split('.');
    for (int segment = 1; segment < 5; ++segment) {
        QList<QByteArray> t = parts;
        QByteArray bytes = QByteArray::fromBase64(t[segment], QByteArray::Base64UrlEncoding);
        bytes[0] = char(bytes[0] ^ 0x40);
        t[segment] = bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const CliRun r =
            runCli({QStringLiteral("decrypt"), QString::fromLatin1(t.join('.')), QStringLiteral("--key"), key});
        QCOMPARE(r.code, 1);
        QCOMPARE(r.out, QByteArray());
        QCOMPARE(firstLine(r.err),
                 QByteArray("error: decryption failed: the key does not fit or the token was altered."));
    }
}

void TestCliJwe::badInputIsExit2_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("needle");
    const QString secret = m_dir.filePath(QStringLiteral("s16.bin"));
    tb::test::writeFileBytes(secret, QByteArray(16, 's'));
    const QByteArray jws = "eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo";
    const QByteArray jwe = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4R0NNIn0.AAAA.AAAA.AAAA.AAAA";
    QTest::newRow("unknown alg") << QStringList{QStringLiteral("encrypt"),
                                                QStringLiteral("--alg"),
                                                QStringLiteral("A512KW"),
                                                QStringLiteral("--enc"),
                                                QStringLiteral("A128GCM"),
                                                QStringLiteral("--secret-file"),
                                                secret,
                                                QStringLiteral("--payload"),
                                                QStringLiteral("x")}
                                 << QByteArray("unknown algorithm");
    QTest::newRow("unknown enc") << QStringList{QStringLiteral("encrypt"),
                                                QStringLiteral("--alg"),
                                                QStringLiteral("A128KW"),
                                                QStringLiteral("--enc"),
                                                QStringLiteral("A128CTR"),
                                                QStringLiteral("--secret-file"),
                                                secret,
                                                QStringLiteral("--payload"),
                                                QStringLiteral("x")}
                                 << QByteArray("unknown content encryption");
    QTest::newRow("wrong key length") << QStringList{QStringLiteral("encrypt"),
                                                     QStringLiteral("--alg"),
                                                     QStringLiteral("A256KW"),
                                                     QStringLiteral("--enc"),
                                                     QStringLiteral("A128GCM"),
                                                     QStringLiteral("--secret-file"),
                                                     secret,
                                                     QStringLiteral("--payload"),
                                                     QStringLiteral("x")}
                                      << QByteArray("32-byte");
    QTest::newRow("wrong key type") << QStringList{QStringLiteral("encrypt"),
                                                   QStringLiteral("--alg"),
                                                   QStringLiteral("RSA-OAEP"),
                                                   QStringLiteral("--enc"),
                                                   QStringLiteral("A128GCM"),
                                                   QStringLiteral("--secret-file"),
                                                   secret,
                                                   QStringLiteral("--payload"),
                                                   QStringLiteral("x")}
                                    << QByteArray("cannot be used with this key");
    QTest::newRow("no key") << QStringList{QStringLiteral("decrypt"), QString::fromLatin1(jwe)}
                            << QByteArray("exactly one of");
    QTest::newRow("two keys") << QStringList{QStringLiteral("decrypt"),         QString::fromLatin1(jwe),
                                             QStringLiteral("--secret-file"),   secret,
                                             QStringLiteral("--password-file"), secret}
                              << QByteArray("exactly one of");
    QTest::newRow("a JWS") << QStringList{QStringLiteral("decrypt"), QString::fromLatin1(jws),
                                          QStringLiteral("--secret-file"), secret}
                           << QByteArray("not a JWE");
    QTest::newRow("4 segments") << QStringList{QStringLiteral("decrypt"), QStringLiteral("a.b.c.d"),
                                               QStringLiteral("--secret-file"), secret}
                                << QByteArray("error: ");
    QTest::newRow("unknown enc in token")
        << QStringList{QStringLiteral("decrypt"),
                       QString::fromLatin1(
                           QByteArray("{\"alg\":\"dir\",\"enc\":\"A128CTR\"}")
                               .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) +
                           "..AAAA.AAAA.AAAA"),
                       QStringLiteral("--secret-file"), secret}
        << QByteArray("A128CTR");
    QTest::newRow("missing key file") << QStringList{QStringLiteral("decrypt"), QString::fromLatin1(jwe),
                                                     QStringLiteral("--key"),
                                                     m_dir.filePath(QStringLiteral("absent.pem"))}
                                      << QByteArray("error: ");
}

void TestCliJwe::badInputIsExit2()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, needle);
    const CliRun r = runCli(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith("error: "), r.err.constData());
    QVERIFY2(r.err.contains(needle), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
}

void TestCliJwe::p2cCapExit2()
{
    const QString pw = write(QStringLiteral("pw2.txt"), "pw");
    const CliRun e = runCli({QStringLiteral("encrypt"), QStringLiteral("--alg"), QStringLiteral("PBES2-HS512+A256KW"),
                             QStringLiteral("--enc"), QStringLiteral("A256GCM"), QStringLiteral("--password-file"), pw,
                             QStringLiteral("--header"), QStringLiteral("{\"p2c\":5000}"), QStringLiteral("--payload"),
                             QStringLiteral("x")});
    QCOMPARE(e.code, 0);
    const CliRun capped =
        runCli({QStringLiteral("decrypt"), QString::fromLatin1(e.out.trimmed()), QStringLiteral("--password-file"), pw,
                QStringLiteral("--max-p2c"), QStringLiteral("4999")});
    QCOMPARE(capped.code, 2);
    QVERIFY2(capped.err.contains("4999"), capped.err.constData());
    const CliRun ok =
        runCli({QStringLiteral("decrypt"), QString::fromLatin1(e.out.trimmed()), QStringLiteral("--password-file"), pw,
                QStringLiteral("--max-p2c"), QStringLiteral("5000")});
    QCOMPARE(ok.code, 0);
}

void TestCliJwe::nestedVerify()
{
    const QJsonObject v = tb::test::loadVectorFile(nesting);
    const QJsonObject enc = v.value(QStringLiteral("encrypt")).toObject();
    const QString key = jwkFile(QStringLiteral("nest-enc.jwk"),
                                enc.value(QStringLiteral("input")).toObject().value(QStringLiteral("key")).toObject());
    QJsonObject signKey = v.value(QStringLiteral("sign"))
                              .toObject()
                              .value(QStringLiteral("input"))
                              .toObject()
                              .value(QStringLiteral("key"))
                              .toObject();
    for (const char* m : {"d", "p", "q", "dp", "dq", "qi"}) {
        signKey.remove(QLatin1String(m));
    }
    const QString verifyKey = jwkFile(QStringLiteral("nest-sig.jwk"), signKey);
    const QString token = enc.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString();
    const CliRun ok =
        runCli({QStringLiteral("decrypt"), token, QStringLiteral("--key"), key, QStringLiteral("--verify-key"),
                verifyKey, QStringLiteral("--now"), QStringLiteral("1300819000"), QStringLiteral("--json")});
    QCOMPARE(ok.code, 0);
    const QJsonObject o = QJsonDocument::fromJson(ok.out).object();
    QVERIFY(o.value(QStringLiteral("nested")).toBool());
    QVERIFY(o.value(QStringLiteral("nested_verify")).toObject().value(QStringLiteral("valid")).toBool());
    // Against the real clock the inner token (exp 2011) is expired: a negative answer, reason on stderr.
    const CliRun expired = runCli(
        {QStringLiteral("decrypt"), token, QStringLiteral("--key"), key, QStringLiteral("--verify-key"), verifyKey});
    QCOMPARE(expired.code, 1);
    QVERIFY2(expired.err.contains("exp"), expired.err.constData());
    // Without --verify-key the nested JWS is printed as it is.
    const CliRun plain = runCli({QStringLiteral("decrypt"), token, QStringLiteral("--key"), key});
    QCOMPARE(plain.code, 0);
    QVERIFY(plain.out.startsWith("eyJhbGciOiJQUzI1NiIsInR5cCI6IkpXVCJ9."));
}

void TestCliJwe::stdinToken()
{
    const QJsonObject v = tb::test::loadVectorFile(fellowship);
    const QString key = jwkFile(QStringLiteral("kw2.jwk"),
                                v.value(QStringLiteral("input")).toObject().value(QStringLiteral("key")).toObject());
    const QByteArray token =
        v.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString().toUtf8();
    const CliRun r = runCli({QStringLiteral("decrypt"), QStringLiteral("--key"), key}, "  " + token + "\r\n");
    QCOMPARE(r.code, 0);
    const CliRun tty = runCli({QStringLiteral("decrypt"), QStringLiteral("--key"), key}, {}, true);
    QCOMPARE(tty.code, 2);
    QVERIFY(tty.err.startsWith("error: "));
}

void TestCliJwe::binary()
{
    const QString secret = write(QStringLiteral("bin.key"), QByteArray(32, '\x01'));
    const CliRun e = runCliBinary({QStringLiteral("encrypt"), QStringLiteral("--alg"), QStringLiteral("dir"),
                                   QStringLiteral("--enc"), QStringLiteral("A128CBC-HS256"),
                                   QStringLiteral("--secret-file"), secret},
                                  "from the real binary");
    QCOMPARE(e.code, 0);
    const CliRun d =
        runCliBinary({QStringLiteral("decrypt"), QStringLiteral("-"), QStringLiteral("--secret-file"), secret}, e.out);
    QCOMPARE(d.code, 0);
    QCOMPARE(d.out, QByteArray("from the real binary"));
    QByteArray bad = e.out.trimmed();
    bad[bad.size() - 2] = bad[bad.size() - 2] == 'A' ? 'B' : 'A';
    const CliRun t =
        runCliBinary({QStringLiteral("decrypt"), QString::fromLatin1(bad), QStringLiteral("--secret-file"), secret});
    QCOMPARE(t.code, 1);
    QVERIFY(t.err.startsWith("error: decryption failed"));
}

QTEST_GUILESS_MAIN(TestCliJwe)
#include "tst_cli_jwe.moc"
