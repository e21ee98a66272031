// Every JWE lint rule: a header (and key) that triggers it, with the exact id, severity, sentence and reference,
// and near misses that do not; the RFC 7520 cookbook tokens lint as their headers say.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "TestSupport.h"
#include "audit/lint/JweLint.h"
#include "audit/lint/Lint.h"
#include "jose/Base64Url.h"
#include "keys/KeyIo.h"

using namespace tb;
using audit::Severity;

namespace {

// A compact JWE with the given protected header; the other four segments are never read by lint.
QByteArray jwe(const QByteArray& header)
{
    return jose::base64UrlEncode(header) + ".ZWs.aXY.Y3Q.dGFn";
}

QJsonObject publicJwk(jose::Alg alg)
{
    const auto key = keys::generateKey(alg);
    return QJsonDocument::fromJson(*keys::exportJwk(**key, keys::KeyPart::Public)).object();
}

QByteArray json(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// An RSA-1024 public key (keys::generateKey refuses under 2048 bits).
keys::KeyPtr rsa1024()
{
    const QByteArray pem = "-----BEGIN PUBLIC KEY-----\n"
                           "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7kRm4cc7w8DN2EXzFJUx2fF3W\n"
                           "x6CXvplGUsbZJpB6NWuJeW9UBkfAmjlqWZrPiV+Ysy6l02BXwn6x3c5U+J1cBgXP\n"
                           "1PDdQq9ciT/VEYr1p6gMFbmkYtj29GYrJgxB5qdpRDYP7F8ni8JRy12vVY6ED1Ow\n"
                           "tAGOSqoDIw0pP55OAQIDAQAB\n"
                           "-----END PUBLIC KEY-----\n";
    return keys::importKey(pem).value_or(keys::KeyPtr());
}

keys::KeyPtr keyNamed(const QString& name)
{
    if (name == QStringLiteral("oct32")) {
        return keys::secretKey(QByteArray::fromHex("8d1e6bc3a45f0297e13bd84c6a2f5e90b7d3184ac96e2f0153a8dc47be6190f2"));
    }
    if (name == QStringLiteral("oct16")) {
        return keys::secretKey(QByteArray::fromHex("8d1e6bc3a45f0297e13bd84c6a2f5e90"));
    }
    if (name == QStringLiteral("text16")) {
        return keys::secretKey("correct horse ba");
    }
    if (name == QStringLiteral("repeated16")) {
        return keys::secretKey("abababababababab");
    }
    if (name == QStringLiteral("secret")) {
        return keys::secretKey("secret");
    }
    if (name == QStringLiteral("long password")) {
        return keys::secretKey("Tr0ub4dor&3-horse-battery-staple");
    }
    if (name == QStringLiteral("rsa1024")) {
        return rsa1024();
    }
    if (name == QStringLiteral("rsa2048")) {
        return *keys::generateKey(jose::Alg::RS256, 2048);
    }
    if (name == QStringLiteral("P-384")) {
        return *keys::generateKey(jose::Alg::ES384);
    }
    if (name == QStringLiteral("P-256")) {
        return *keys::generateKey(jose::Alg::ES256);
    }
    return {};
}

QList<audit::Finding> lint(const QByteArray& token, const keys::KeyPtr& key = {})
{
    audit::LintOptions o;
    o.now = 1700000000;
    o.key = key;
    auto r = audit::lintJwe(token, o);
    if (!r) {
        qWarning("lintJwe failed: %s", qPrintable(r.error().message));
        return {};
    }
    return *r;
}

const audit::Finding* find(const QList<audit::Finding>& findings, const QString& id)
{
    for (const auto& f : findings) {
        if (f.id == id) {
            return &f;
        }
    }
    return nullptr;
}

QString ids(const QList<audit::Finding>& findings)
{
    QStringList out;
    for (const auto& f : findings) {
        out << f.id;
    }
    return out.join(QLatin1Char(' '));
}

const QByteArray salt8 = "\"p2s\":\"AAAAAAAAAAA\""; // 8 bytes

} // namespace

class TestJweLint : public QObject
{
    Q_OBJECT

private slots:
    void cleanHeaderHasNoFindings()
    {
        const QByteArray t = jwe("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"kid\":\"k1\"}");
        QCOMPARE(ids(lint(t, keyNamed(QStringLiteral("rsa2048")))), QString());
    }

    void everyRuleIsDescribed()
    {
        QStringList seen;
        for (const auto& r : audit::jweLintRules()) {
            QVERIFY(r.id.startsWith(QStringLiteral("JWE-")));
            QVERIFY(!r.title.isEmpty());
            QVERIFY(!r.reference.isEmpty());
            QVERIFY2(!seen.contains(r.id), qPrintable(r.id));
            seen << r.id;
        }
        QCOMPARE(seen.size(), 19);
    }

    void rule_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("reference");
        const auto row = [](const char* name, const QByteArray& token, const char* key, const char* id, Severity s,
                            const QString& message, const char* reference) {
            QTest::newRow(name) << token << QString::fromLatin1(key) << QString::fromLatin1(id) << int(s) << message
                                << QString::fromUtf8(reference);
        };
        row("RSA1_5", jwe("{\"alg\":\"RSA1_5\",\"enc\":\"A128GCM\"}"), "", "JWE-ALG-RSA1_5", Severity::High,
            QStringLiteral("RSA1_5 (RSAES-PKCS1-v1_5) key encryption is open to Bleichenbacher padding-oracle attacks: "
                           "a recipient whose errors or timing differ leaks the content key; use RSA-OAEP-256."),
            "RFC 8725 §3.2");
        row("alg missing", jwe("{\"enc\":\"A128GCM\"}"), "", "JWE-ALG-MISSING", Severity::High,
            QStringLiteral("The JWE header has no string \"alg\": no recipient can know how the content key was "
                           "protected."),
            "RFC 7516 §4.1.1");
        row("alg not a string", jwe("{\"alg\":7,\"enc\":\"A128GCM\"}"), "", "JWE-ALG-MISSING", Severity::High,
            QStringLiteral("The JWE header has no string \"alg\": no recipient can know how the content key was "
                           "protected."),
            "RFC 7516 §4.1.1");
        row("alg is a JWS alg", jwe("{\"alg\":\"HS256\",\"enc\":\"A128GCM\"}"), "", "JWE-ALG-UNKNOWN", Severity::High,
            QStringLiteral("\"HS256\" is not a JWE key management algorithm."), "RFC 7518 §4.1");
        row("enc missing", jwe("{\"alg\":\"dir\"}"), "", "JWE-ENC-MISSING", Severity::High,
            QStringLiteral("The JWE header has no string \"enc\": no recipient can know how the content was "
                           "encrypted."),
            "RFC 7516 §4.1.2");
        row("enc unknown", jwe("{\"alg\":\"dir\",\"enc\":\"A128CBC\"}"), "", "JWE-ENC-UNKNOWN", Severity::High,
            QStringLiteral("\"A128CBC\" is not a JWE content encryption algorithm."), "RFC 7518 §5.1");
        row("p2c above the cap",
            jwe("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\"," + salt8 + ",\"p2c\":2000000}"), "",
            "JWE-P2C-HIGH", Severity::High,
            QStringLiteral("p2c asks for 2000000 PBES2 iterations, above the cap of 1000000: a recipient without a "
                           "cap burns CPU on every such token before it can reject it (denial of service)."),
            "CVE-2022-36083");
        row("p2c under 1000", jwe("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\"," + salt8 + ",\"p2c\":999}"), "",
            "JWE-P2C-LOW", Severity::Medium,
            QStringLiteral("p2c is 999 PBES2 iterations, under the 1000 recommended: each password guess costs an "
                           "attacker almost nothing."),
            "RFC 7518 §4.8.1.2");
        row("p2s 3 bytes", jwe("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2s\":\"AAAA\",\"p2c\":4096}"),
            "", "JWE-P2S-SHORT", Severity::Medium,
            QStringLiteral("The PBES2 salt p2s is 3 bytes, not the 8 or more bytes required: one precomputed table "
                           "of password guesses serves many tokens."),
            "RFC 7518 §4.8.1.1");
        row("zip DEF", jwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\",\"zip\":\"DEF\"}"), "", "JWE-ZIP", Severity::Medium,
            QStringLiteral("zip DEF compresses the plaintext before encryption: the ciphertext length then leaks the "
                           "content (CRIME/BREACH-style), and a recipient that inflates without a cap can be hit by a "
                           "zip bomb."),
            "RFC 8725 §3.6");
        row("epk on secp256k1",
            jwe("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AA\","
                "\"y\":\"AA\"}}"),
            "", "JWE-EPK-CURVE", Severity::High,
            QStringLiteral("\"EC\"/\"secp256k1\" is not a curve ECDH-ES uses (P-256, P-384, P-521, X25519, X448): an "
                           "invalid-curve attack sends points on a weak curve to learn the private key."),
            "RFC 8725 §3.4");
        {
            QJsonObject epk = publicJwk(jose::Alg::ES256);
            epk.insert(QStringLiteral("d"), QStringLiteral("AAAA"));
            row("epk with d", jwe("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":" + json(epk) + "}"), "",
                "JWE-EPK-CURVE", Severity::High,
                QStringLiteral("The ephemeral key carries its private part \"d\": the sender leaked it, and with it "
                               "the content key."),
                "RFC 8725 §3.4");
        }
        row("epk P-256, key P-384",
            jwe("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":" + json(publicJwk(jose::Alg::ES256)) + "}"), "P-384",
            "JWE-EPK-CURVE", Severity::High,
            QStringLiteral("The ephemeral key is on P-256 but the chosen key is on P-384: a curve mismatch is refused "
                           "(invalid-curve attack)."),
            "RFC 8725 §3.4");
        row("epk with RSA-OAEP",
            jwe("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\",\"epk\":" + json(publicJwk(jose::Alg::ES256)) + "}"), "",
            "JWE-EPK-CURVE", Severity::High,
            QStringLiteral("RSA-OAEP does not use an ephemeral key: an epk here is unexpected."), "RFC 8725 §3.4");
        row("jku", jwe("{\"alg\":\"A128KW\",\"enc\":\"A128GCM\",\"jku\":\"https://attacker.example/k\"}"), "",
            "JWE-HDR-JKU", Severity::High,
            QStringLiteral("The JWE header names a key set URL (jku): a recipient that follows it fetches what the "
                           "sender chose (and may make internal requests)."),
            "RFC 8725 §3.10");
        row("x5u", jwe("{\"alg\":\"A128KW\",\"enc\":\"A128GCM\",\"x5u\":\"https://attacker.example/c\"}"), "",
            "JWE-HDR-X5U", Severity::High,
            QStringLiteral("The JWE header names a certificate URL (x5u): a recipient that follows it fetches what the "
                           "sender chose (and may make internal requests)."),
            "RFC 8725 §3.10");
        row("jwk", jwe("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\",\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}}"), "",
            "JWE-HDR-JWK", Severity::Medium,
            QStringLiteral("The JWE header carries a key (jwk): the decryption key must come from the recipient's own "
                           "store, never from the token."),
            "RFC 8725 §3.10");
        row("x5c", jwe("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\",\"x5c\":[\"AA==\"]}"), "", "JWE-HDR-JWK",
            Severity::Medium,
            QStringLiteral("The JWE header carries a key (x5c): the decryption key must come from the recipient's own "
                           "store, never from the token."),
            "RFC 8725 §3.10");
        row("crit", jwe("{\"alg\":\"A128KW\",\"enc\":\"A128GCM\",\"crit\":[\"exp\"],\"exp\":1}"), "",
            "JWE-CRIT-PRESENT", Severity::Medium,
            QStringLiteral("The JWE header has \"crit\": recipients that do not implement every listed extension must "
                           "reject the token."),
            "RFC 7516 §4.1.13");
        row("cty JWT", jwe("{\"alg\":\"A128KW\",\"enc\":\"A128GCM\",\"cty\":\"JWT\"}"), "", "JWE-NESTED", Severity::Low,
            QStringLiteral("cty \"JWT\" marks a nested JWT: after decryption the inner token must be verified too, "
                           "with its own keys and policy."),
            "RFC 7519 §5.2");
        row("duplicate enc", jwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\",\"enc\":\"A256GCM\"}"), "", "JWE-HDR-DUPLICATE",
            Severity::High,
            QStringLiteral("The protected header has the member \"enc\" twice (line 1, column 30): recipients "
                           "disagree on which value counts."),
            "RFC 7516 §4");
        row("dir with a 32-byte key for A128GCM", jwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}"), "oct32", "JWE-KEY-WEAK",
            Severity::High, QStringLiteral("dir with A128GCM needs a 16-byte key; this one has 32 bytes."),
            "RFC 7518 §8.9");
        row("dir with text as the key", jwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}"), "text16", "JWE-KEY-WEAK",
            Severity::High,
            QStringLiteral("The chosen key is printable text, not random bytes: a password used directly as an AES "
                           "key is far weaker than its length suggests; passwords belong with PBES2 (RFC 7518 §8.9)."),
            "RFC 7518 §8.9");
        row("A128KW with a repetitive key", jwe("{\"alg\":\"A128KW\",\"enc\":\"A128GCM\"}"), "repeated16",
            "JWE-KEY-WEAK", Severity::High,
            QStringLiteral("The chosen key repeats a few byte values (2 distinct in 16 bytes): it is not random "
                           "(RFC 7518 §8.9)."),
            "RFC 7518 §8.9");
        row("RSA-OAEP with RSA-1024", jwe("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\"}"), "rsa1024", "JWE-KEY-WEAK",
            Severity::High,
            QStringLiteral("The chosen RSA key has 1024 bits; RFC 7518 §4.2 and §4.3 require at least 2048."),
            "RFC 7518 §8.9");
        row("PBES2 with a 6-byte password",
            jwe("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\"," + salt8 + ",\"p2c\":4096}"), "secret",
            "JWE-KEY-WEAK", Severity::High,
            QStringLiteral("A 6-byte password falls quickly to offline guessing: anyone holding the token can test "
                           "passwords at leisure (RFC 7518 §8.8)."),
            "RFC 7518 §8.9");
        row("PBES2 with a common password",
            jwe("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\"," + salt8 + ",\"p2c\":4096}"), "secret",
            "JWE-KEY-COMMON", Severity::Critical,
            QStringLiteral("The PBES2 password is in the built-in list of common secrets: anyone holding the token "
                           "can find it in seconds and read the content."),
            "RFC 7518 §8.8");
        row("ECDH-ES with an RSA key",
            jwe("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":" + json(publicJwk(jose::Alg::ES256)) + "}"),
            "rsa2048", "JWE-KEY-WEAK", Severity::High,
            QStringLiteral("The chosen key (%1) cannot be used with ECDH-ES.")
                .arg(keyNamed(QStringLiteral("rsa2048"))->describe()),
            "RFC 7518 §8.9");
        const QByteArray unprotected =
            "{\"protected\":\"" + jose::base64UrlEncode("{\"enc\":\"A128GCM\"}") +
            "\",\"unprotected\":{\"jku\":\"https://x.example/k\"},\"header\":{\"alg\":\"A128KW\"},"
            "\"encrypted_key\":\"AAAA\",\"iv\":\"AAAA\",\"ciphertext\":\"AAAA\",\"tag\":\"AAAA\"}";
        row("JSON serialisation with unprotected members", unprotected, "", "JWE-UNPROTECTED", Severity::Medium,
            QStringLiteral("jku, alg stand outside the protected header: anyone on the way can change them without "
                           "breaking decryption."),
            "RFC 7516 §7.2.1");
    }

    void rule()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, key);
        QFETCH(QString, id);
        QFETCH(int, severity);
        QFETCH(QString, message);
        QFETCH(QString, reference);
        const auto findings = lint(token, keyNamed(key));
        const audit::Finding* f = find(findings, id);
        QVERIFY2(f, qPrintable(QStringLiteral("%1 not in: %2").arg(id, ids(findings))));
        QCOMPARE(int(f->severity), severity);
        QCOMPARE(f->message, message);
        QCOMPARE(f->reference, reference);
    }

    void epkOffTheCurve()
    {
        QJsonObject epk = publicJwk(jose::Alg::ES256);
        epk.insert(QStringLiteral("y"), QString::fromLatin1(jose::base64UrlEncode(QByteArray(32, '\x01'))));
        const auto imported = keys::importJwk(epk);
        QVERIFY(!imported); // OpenSSL refuses a point that is not on P-256
        const auto findings = lint(jwe("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":" + json(epk) + "}"));
        const audit::Finding* f = find(findings, QStringLiteral("JWE-EPK-CURVE"));
        QVERIFY(f);
        QCOMPARE(f->message, QStringLiteral("The ephemeral key is not a valid point on P-256 (%1): an invalid-curve "
                                            "attack; refused.")
                                 .arg(imported.error().message));
    }

    void nearMissesDoNotTrigger_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("id");
        const auto row = [](const char* name, const QByteArray& token, const char* key, const char* id) {
            QTest::newRow(name) << token << QString::fromLatin1(key) << QString::fromLatin1(id);
        };
        const QByteArray pbes2 = "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\"," + salt8;
        row("p2c 1000", jwe(pbes2 + ",\"p2c\":1000}"), "", "JWE-P2C-LOW");
        row("p2c at the cap", jwe(pbes2 + ",\"p2c\":1000000}"), "", "JWE-P2C-HIGH");
        row("p2s 8 bytes", jwe(pbes2 + ",\"p2c\":4096}"), "", "JWE-P2S-SHORT");
        row("long random password", jwe(pbes2 + ",\"p2c\":4096}"), "long password", "JWE-KEY-COMMON");
        row("long password is not weak", jwe(pbes2 + ",\"p2c\":4096}"), "long password", "JWE-KEY-WEAK");
        row("RSA-OAEP-256", jwe("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A128GCM\"}"), "", "JWE-ALG-RSA1_5");
        row("RSA-2048", jwe("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A128GCM\"}"), "rsa2048", "JWE-KEY-WEAK");
        row("dir with 16 random bytes", jwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}"), "oct16", "JWE-KEY-WEAK");
        row("A256KW with 32 random bytes", jwe("{\"alg\":\"A256KW\",\"enc\":\"A128GCM\"}"), "oct32", "JWE-KEY-WEAK");
        row("epk P-256, key P-256",
            jwe("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":" + json(publicJwk(jose::Alg::ES256)) + "}"), "P-256",
            "JWE-EPK-CURVE");
        row("epk P-256, no key",
            jwe("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":" + json(publicJwk(jose::Alg::ES256)) + "}"), "",
            "JWE-EPK-CURVE");
        row("cty json", jwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\",\"cty\":\"json\"}"), "", "JWE-NESTED");
        row("no zip", jwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}"), "", "JWE-ZIP");
        row("kid only", jwe("{\"alg\":\"dir\",\"enc\":\"A128GCM\",\"kid\":\"k\"}"), "", "JWE-HDR-JWK");
        const QByteArray flat =
            "{\"protected\":\"" + jose::base64UrlEncode("{\"alg\":\"A128KW\",\"enc\":\"A128GCM\"}") +
            "\",\"encrypted_key\":\"AAAA\",\"iv\":\"AAAA\",\"ciphertext\":\"AAAA\",\"tag\":\"AAAA\"}";
        row("flattened, all protected", flat, "", "JWE-UNPROTECTED");
    }

    void nearMissesDoNotTrigger()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, key);
        QFETCH(QString, id);
        const auto findings = lint(token, keyNamed(key));
        QVERIFY2(!find(findings, id), qPrintable(ids(findings)));
    }

    // RFC 7520 cookbook tokens: the rules their headers call for, and no others (without a key).
    void cookbook_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("form");
        QTest::addColumn<QString>("expected");
        const QString rsa15 = QStringLiteral("5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json");
        const QString oaep = QStringLiteral("5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json");
        const QString pbes2 = QStringLiteral("5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json");
        const QString zip = QStringLiteral("5_9.compressed_content.json");
        const QString fields = QStringLiteral("5_11.protecting_specific_header_fields.json");
        QTest::newRow("RFC 7520 5.1 compact") << rsa15 << "compact"
                                              << "JWE-ALG-RSA1_5";
        QTest::newRow("RFC 7520 5.1 json_flat") << rsa15 << "json_flat"
                                                << "JWE-ALG-RSA1_5";
        QTest::newRow("RFC 7520 5.2 compact") << oaep << "compact"
                                              << "";
        QTest::newRow("RFC 7520 5.3 compact") << pbes2 << "compact"
                                              << "";
        QTest::newRow("RFC 7520 5.9 compact") << zip << "compact"
                                              << "JWE-ZIP";
        QTest::newRow("RFC 7520 5.9 json") << zip << "json"
                                           << "JWE-ZIP";
        QTest::newRow("RFC 7520 5.11 json_flat") << fields << "json_flat"
                                                 << "JWE-UNPROTECTED";
    }

    void cookbook()
    {
        QFETCH(QString, file);
        QFETCH(QString, form);
        QFETCH(QString, expected);
        const QJsonObject v = test::loadVectorFile(QStringLiteral("jose-cookbook/jwe/") + file);
        const QJsonValue out = v.value(QStringLiteral("output")).toObject().value(form);
        const QByteArray token = out.isString() ? out.toString().toUtf8() : json(out.toObject());
        QVERIFY(!token.isEmpty());
        QCOMPARE(ids(lint(token)), expected);
    }

    // Through lintToken: the JWE rules are listed with the others, ordered by severity, and located in the
    // protected header (compact) or on the whole token (JSON serialisation).
    void throughLintToken()
    {
        QVERIFY(audit::findRule(QStringLiteral("JWE-ALG-RSA1_5")));
        const QByteArray header = "{\"alg\":\"RSA1_5\",\"enc\":\"A128GCM\",\"zip\":\"DEF\"}";
        const QByteArray t = jwe(header);
        audit::LintOptions o;
        o.key = keys::secretKey("secret");
        auto findings = audit::lintToken(t, o);
        QVERIFY2(findings, qPrintable(findings ? QString() : findings.error().message));
        QCOMPARE(ids(*findings), QStringLiteral("JWE-ALG-RSA1_5 JWE-KEY-WEAK JWE-ZIP"));
        const audit::FindingLocation& zip = findings->at(2).locations.value(0);
        QCOMPARE(zip.segment, QStringLiteral("header"));
        QCOMPARE(zip.pointer, QStringLiteral("/zip"));
        QCOMPARE(header.mid(zip.jsonOffset, zip.jsonLength), QByteArray("\"zip\":\"DEF\""));
        QVERIFY(zip.tokenOffset + zip.tokenLength <= t.indexOf('.'));
        // The JSON serialisation: the same findings, on the whole token.
        const QByteArray flat =
            "{\"protected\":\"" + jose::base64UrlEncode(header) +
            "\",\"encrypted_key\":\"AAAA\",\"iv\":\"AAAA\",\"ciphertext\":\"AAAA\",\"tag\":\"AAAA\"}";
        findings = audit::lintToken(flat, {});
        QVERIFY(findings);
        QCOMPARE(ids(*findings), QStringLiteral("JWE-ALG-RSA1_5 JWE-ZIP"));
        QCOMPARE(findings->at(0).locations.value(0).segment, QStringLiteral("token"));
        QCOMPARE(findings->at(0).locations.value(0).tokenLength, flat.size());
    }

    void badInputIsAnError()
    {
        audit::LintOptions o;
        QVERIFY(!audit::lintJwe("a.b.c", o));
        QVERIFY(!audit::lintJwe(jose::base64UrlEncode("{\"alg\":\"HS256\"}") + ".e30.", o)); // a JWS
        QVERIFY(!audit::lintJwe(jose::base64UrlEncode("[1]") + ".a.b.c.d", o));
        QVERIFY(!audit::lintJwe("{\"protected\":1}", o)); // JSON without ciphertext
    }
};

QTEST_GUILESS_MAIN(TestJweLint)
#include "tst_jwe_lint.moc"
