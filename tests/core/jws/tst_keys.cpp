// Key import (PEM, DER, certificates, JWK, JWK Sets), export, generation and their error sentences.
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"
#include "crypto/Signature.h"
#include "keys/KeyIo.h"

using namespace tb;
using jose::Alg;

namespace {

QJsonObject rfcVector(const QString& file, const QString& id)
{
    for (const auto& v : test::loadVectorFile(file).value(QStringLiteral("vectors")).toArray()) {
        if (v.toObject().value(QStringLiteral("id")).toString() == id) {
            return v.toObject();
        }
    }
    return {};
}

QByteArray pemOf(const QString& id, const QString& form)
{
    return rfcVector(QStringLiteral("rfc7515_appendix_a.json"), id)
        .value(QStringLiteral("pem"))
        .toObject()
        .value(form)
        .toString()
        .toUtf8();
}

// Runs the openssl command-line tool (an independent producer of key files).
QByteArray openssl(const QStringList& args, const QByteArray& input = {})
{
    QProcess p;
    p.start(QStringLiteral("openssl"), args);
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    return p.readAllStandardOutput();
}

bool signsAndVerifies(const keys::KeyPtr& priv, const keys::KeyPtr& pub, Alg alg)
{
    auto sig = crypto::signBytes(alg, *priv, "input");
    auto v = sig ? crypto::verifyBytes(alg, *pub, "input", *sig) : Result<crypto::SignatureVerdict>();
    return sig && v && v->valid;
}

} // namespace

class TestKeys : public QObject
{
    Q_OBJECT

private slots:
    void pemForms_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("form");
        QTest::addColumn<bool>("isPrivate");
        QTest::addColumn<QString>("description");
        QTest::newRow("RSA PKCS#8") << "RFC7515-A.2"
                                    << "private_pkcs8" << true << "RSA 2048-bit private key";
        QTest::newRow("RSA PKCS#1 private") << "RFC7515-A.2"
                                            << "private_pkcs1" << true << "RSA 2048-bit private key";
        QTest::newRow("RSA SPKI") << "RFC7515-A.2"
                                  << "public_spki" << false << "RSA 2048-bit public key";
        QTest::newRow("RSA PKCS#1 public") << "RFC7515-A.2"
                                           << "public_pkcs1" << false << "RSA 2048-bit public key";
        QTest::newRow("EC SEC1") << "RFC7515-A.3"
                                 << "private_sec1" << true << "EC P-256 private key";
        QTest::newRow("EC PKCS#8") << "RFC7515-A.3"
                                   << "private_pkcs8" << true << "EC P-256 private key";
        QTest::newRow("EC P-521 SPKI") << "RFC7515-A.4"
                                       << "public_spki" << false << "EC P-521 public key";
    }

    void pemForms()
    {
        QFETCH(QString, id);
        QFETCH(QString, form);
        QFETCH(bool, isPrivate);
        QFETCH(QString, description);
        auto key = keys::importKey(pemOf(id, form));
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        QCOMPARE((*key)->hasPrivate(), isPrivate);
        QCOMPARE((*key)->describe(), description);
    }

    void derAndCertificate()
    {
        QTemporaryDir dir;
        const QByteArray pem = pemOf(QStringLiteral("RFC7515-A.2"), QStringLiteral("private_pkcs8"));
        const QByteArray der =
            openssl({QStringLiteral("pkey"), QStringLiteral("-outform"), QStringLiteral("DER")}, pem);
        QVERIFY(!der.isEmpty());
        auto fromDer = keys::importKey(der);
        QVERIFY(fromDer && (*fromDer)->hasPrivate());
        const QByteArray pubDer = openssl(
            {QStringLiteral("pkey"), QStringLiteral("-pubout"), QStringLiteral("-outform"), QStringLiteral("DER")},
            pem);
        auto fromPubDer = keys::importKey(pubDer);
        QVERIFY(fromPubDer && !(*fromPubDer)->hasPrivate());
        const QString keyPath = dir.filePath(QStringLiteral("k.pem"));
        QVERIFY(test::writeFileBytes(keyPath, pem));
        const QByteArray cert = openssl(
            {QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-x509"), QStringLiteral("-key"), keyPath,
             QStringLiteral("-subj"), QStringLiteral("/CN=tokenbench"), QStringLiteral("-days"), QStringLiteral("1")});
        QVERIFY(cert.startsWith("-----BEGIN CERTIFICATE-----"));
        auto fromCert = keys::importKey(cert);
        QVERIFY(fromCert);
        QCOMPARE((*fromCert)->describe(), QStringLiteral("RSA 2048-bit public key"));
        QVERIFY(signsAndVerifies(*fromDer, *fromCert, Alg::RS256));
        const QByteArray certDer =
            openssl({QStringLiteral("x509"), QStringLiteral("-outform"), QStringLiteral("DER")}, cert);
        auto fromCertDer = keys::importKey(certDer);
        QVERIFY(fromCertDer && !(*fromCertDer)->hasPrivate());
    }

    void encryptedPkcs8()
    {
        const QByteArray pem = pemOf(QStringLiteral("RFC7515-A.3"), QStringLiteral("private_pkcs8"));
        const QByteArray encrypted =
            openssl({QStringLiteral("pkcs8"), QStringLiteral("-topk8"), QStringLiteral("-v2"),
                     QStringLiteral("aes-256-cbc"), QStringLiteral("-passout"), QStringLiteral("pass:correct horse")},
                    pem);
        QVERIFY(encrypted.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        auto missing = keys::importKey(encrypted);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::PassphraseRequired);
        QCOMPARE(missing.error().message, QStringLiteral("The private key is encrypted: a passphrase is needed."));
        const SecretBytes wrong = SecretBytes::fromByteArray("wrong");
        auto bad = keys::importKey(encrypted, &wrong);
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, ErrorCode::WrongPassphrase);
        const SecretBytes right = SecretBytes::fromByteArray("correct horse");
        auto good = keys::importKey(encrypted, &right);
        QVERIFY(good && (*good)->hasPrivate());
        // Our own encrypted export reads back with the same passphrase.
        auto exported = keys::exportPem(**good, keys::KeyPart::Private, &right);
        QVERIFY(exported && exported->startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        QVERIFY(keys::importKey(*exported, &right));
    }

    void jwkRoundTrips_data()
    {
        QTest::addColumn<int>("alg");
        QTest::addColumn<QString>("curve");
        for (Alg a : {Alg::HS256, Alg::RS256, Alg::ES256, Alg::ES384, Alg::ES512, Alg::ES256K, Alg::EdDSA}) {
            QTest::newRow(qPrintable(jose::algName(a))) << int(a) << QString();
        }
        QTest::newRow("EdDSA Ed448") << int(Alg::EdDSA) << QStringLiteral("Ed448");
    }

    void jwkRoundTrips()
    {
        QFETCH(int, alg);
        QFETCH(QString, curve);
        const Alg a = Alg(alg);
        auto key = keys::generateKey(a, 0, curve);
        QVERIFY(key);
        auto priv = keys::exportJwk(**key, keys::KeyPart::Private, {QStringLiteral("k1"), jose::algName(a), {}, {}});
        QVERIFY(priv && priv->startsWith("{\"kty\":"));
        QVERIFY(priv->endsWith(",\"alg\":\"" + jose::algName(a).toUtf8() + "\",\"kid\":\"k1\"}"));
        auto back = keys::importKey(*priv);
        QVERIFY2(back, back ? "" : qPrintable(back.error().message));
        QCOMPARE((*back)->meta().kid, QStringLiteral("k1"));
        QCOMPARE(keys::thumbprint(**back).value(), keys::thumbprint(**key).value());
        if ((*key)->type() != keys::KeyType::Oct) {
            auto pubJwk = keys::exportJwk(**key, keys::KeyPart::Public);
            QVERIFY(pubJwk && !pubJwk->contains("\"d\""));
            auto pub = keys::importKey(*pubJwk);
            QVERIFY(pub && !(*pub)->hasPrivate());
            QVERIFY(signsAndVerifies(*back, *pub, a));
            auto pem = keys::exportPem(**key, keys::KeyPart::Private);
            QVERIFY(pem && pem->startsWith("-----BEGIN PRIVATE KEY-----"));
        } else {
            QVERIFY(signsAndVerifies(*back, *key, a));
        }
    }

    void rsaJwkWithoutCrtMembers()
    {
        QJsonObject jwk = rfcVector(QStringLiteral("rfc7515_appendix_a.json"), QStringLiteral("RFC7515-A.2"))
                              .value(QStringLiteral("jwk"))
                              .toObject();
        for (const char* m : {"p", "q", "dp", "dq", "qi"}) {
            jwk.remove(QLatin1String(m));
        }
        auto key = keys::importJwk(jwk);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        QVERIFY((*key)->hasPrivate());
        jwk.insert(QStringLiteral("p"), QStringLiteral("AQAB"));
        auto partial = keys::importJwk(jwk);
        QVERIFY(!partial);
        QCOMPARE(partial.error().message, QStringLiteral("The RSA JWK has some but not all of p, q, dp, dq and qi."));
    }

    void badJwks_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("no kty") << QByteArray(R"({"n":"AQAB"})")
                                << QStringLiteral("The JWK has no \"kty\" string member.");
        QTest::newRow("unknown kty") << QByteArray(R"({"kty":"DSA"})")
                                     << QStringLiteral(
                                            "The JWK key type \"DSA\" is not supported (RSA, EC, OKP, oct).");
        QTest::newRow("RSA without e") << QByteArray(R"({"kty":"RSA","n":"AQAB"})")
                                       << QStringLiteral("The JWK has no \"e\" member.");
        QTest::newRow("EC short x")
            << QByteArray(R"({"kty":"EC","crv":"P-256","x":"AQAB","y":"AQAB"})")
            << QStringLiteral("The P-256 JWK members x, y and d must be exactly 32 bytes each (RFC 7518 §6.2.1).");
        QTest::newRow("EC unknown curve")
            << QByteArray(R"({"kty":"EC","crv":"P-192","x":"AQAB","y":"AQAB"})")
            << QStringLiteral("The EC JWK curve \"P-192\" is not supported (P-256, P-384, P-521, secp256k1).");
        QTest::newRow("bad base64url") << QByteArray(R"({"kty":"oct","k":"a+b/"})")
                                       << QStringLiteral("The JWK member \"k\" is not valid base64url: '+' and '/' "
                                                         "belong to standard base64, not base64url.");
        QTest::newRow("kid not string") << QByteArray(R"({"kty":"oct","k":"AQAB","kid":7})")
                                        << QStringLiteral("The JWK member \"kid\" must be a string.");
        QTest::newRow("RSA zero modulus") << QByteArray(R"({"kty":"RSA","n":"AAAA","e":"AQAB"})")
                                          << QStringLiteral("The RSA key's modulus n is zero, which is not a modulus.");
        QTest::newRow("RSA modulus 1") << QByteArray(R"({"kty":"RSA","n":"AQ","e":"AQAB"})")
                                       << QStringLiteral("The RSA key's modulus n is 1, which is not a modulus.");
        QTest::newRow("OKP wrong length") << QByteArray(R"({"kty":"OKP","crv":"Ed25519","x":"AQAB"})")
                                          << QStringLiteral("The Ed25519 JWK's x has the wrong length.");
    }

    void badJwks()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        auto key = keys::importKey(json);
        QVERIFY(!key);
        QCOMPARE(key.error().code, ErrorCode::KeyUnreadable);
        QCOMPARE(key.error().message, message);
    }

    void pointNotOnCurveIsRefused()
    {
        QJsonObject jwk = rfcVector(QStringLiteral("rfc7515_appendix_a.json"), QStringLiteral("RFC7515-A.3"))
                              .value(QStringLiteral("public_jwk"))
                              .toObject();
        jwk.insert(QStringLiteral("y"), QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"));
        auto key = keys::importJwk(jwk);
        QVERIFY(!key);
        QCOMPARE(key.error().message, QStringLiteral("The EC JWK does not describe a valid key."));
    }

    void notAKey_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray("  \n") << QStringLiteral("The key file is empty.");
        QTest::newRow("garbage") << QByteArray("hello world")
                                 << QStringLiteral("The data is not a key: expected PEM, DER, a JWK or a JWK Set.");
        QTest::newRow("bad pem")
            << QByteArray("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
            << QStringLiteral("The PEM block is not a supported key (SPKI, PKCS#8, PKCS#1, SEC1 or certificate).");
        QTest::newRow("broken json") << QByteArray("{\"kty\":") << QString();
        QTest::newRow("too large")
            << QByteArray(1024 * 1024 + 1, 'A')
            << QStringLiteral("The key file is 1048577 bytes, larger than the 1 MiB limit (1048576 bytes).");
    }

    void notAKey()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        auto key = keys::importKey(bytes);
        QVERIFY(!key);
        if (!message.isEmpty()) {
            QCOMPARE(key.error().message, message);
        } else {
            QVERIFY(key.error().message.startsWith(QStringLiteral("The key looks like JSON but is not valid: ")));
        }
    }

    void jwksLimitsAndSkips()
    {
        QByteArray many = "{\"keys\":[";
        for (int i = 0; i < 1001; ++i) {
            many += (i ? "," : "") + QByteArray(R"({"kty":"oct","k":"AQAB"})");
        }
        many += "]}";
        auto tooMany = keys::importJwks(many);
        QVERIFY(!tooMany);
        QCOMPARE(tooMany.error().message, QStringLiteral("The JWK Set has 1001 keys, more than the limit of 1000."));
        auto mixed = keys::importJwks(R"({"keys":[{"kty":"oct","k":"AQAB"},{"kty":"XX"},7]})");
        QVERIFY(mixed);
        QCOMPARE(mixed->keys.size(), 1);
        QCOMPARE(mixed->skipped,
                 (QStringList{
                     QStringLiteral("Key #1 skipped: The JWK key type \"XX\" is not supported (RSA, EC, OKP, oct)."),
                     QStringLiteral("Key #2 skipped: it is not a JSON object.")}));
    }

    void unsafeKeys()
    {
        // Wycheproof json_web_key_test.json tcId 7: an RSA key from a ROCA-affected generator.
        const QJsonObject doc = test::loadVectorFile(QStringLiteral("wycheproof/json_web_key_test.json"));
        QJsonObject roca;
        for (const auto& g : doc.value(QStringLiteral("testGroups")).toArray()) {
            if (g.toObject().value(QStringLiteral("comment")).toString() == QStringLiteral("jws_rsa_roca_key")) {
                roca = g.toObject()
                           .value(QStringLiteral("public"))
                           .toObject()
                           .value(QStringLiteral("keys"))
                           .toArray()
                           .first()
                           .toObject();
            }
        }
        auto key = keys::importJwk(roca);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message + key.error().detail));
        QVERIFY(keys::hasRocaFingerprint(**key));
        QCOMPARE(keys::unsafeKeyReason(**key),
                 QStringLiteral("The RSA modulus has the ROCA fingerprint (CVE-2017-15361): its "
                                "private key can be computed from the public key."));
        QVERIFY(!keys::hasRocaFingerprint(*keys::generateKey(Alg::RS256).value()));
        QCOMPARE(keys::unsafeKeyReason(*keys::secretKey({})),
                 QStringLiteral("The HMAC secret is empty: anyone can compute its MACs."));
        QCOMPARE(keys::unsafeKeyReason(*keys::secretKey("x")), QString());
    }

    void generationRules()
    {
        QCOMPARE(keys::generateKey(Alg::RS256, 1024).error().message,
                 QStringLiteral("RSA keys must have 2048 to 16384 bits (RFC 7518 §3.3 requires at least 2048)."));
        QCOMPARE(keys::generateKey(Alg::HS512, 256).error().message,
                 QStringLiteral("HS512 secrets must be whole bytes from 512 to 8192 bits."));
        QCOMPARE(keys::generateKey(Alg::HS384).value()->bits(), 384);
        QCOMPARE(keys::generateKey(Alg::ES512).value()->curve(), QStringLiteral("P-521"));
        QCOMPARE(keys::generateKey(Alg::ES256K).value()->curve(), QStringLiteral("secp256k1"));
        QCOMPARE(keys::generateKey(Alg::EdDSA, 0, QStringLiteral("Ed448")).value()->curve(), QStringLiteral("Ed448"));
        QCOMPARE(keys::generateKey(Alg::RS256, 3072).value()->bits(), 3072);
    }
};

QTEST_GUILESS_MAIN(TestKeys)
#include "tst_keys.moc"
