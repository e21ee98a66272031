// The refusals and checks of the one verify path (issue: foundation), each with its exact sentence.
#include <atomic>
#include <thread>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <QJsonArray>
#include <QTest>

#include "TestSupport.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using namespace tb;
using jose::Alg;

namespace {

const double now = 1700000000;

keys::KeyPtr generated(Alg alg)
{
    static QHash<int, keys::KeyPtr> cache;
    if (!cache.contains(int(alg))) {
        cache.insert(int(alg), keys::generateKey(alg).value());
    }
    return cache.value(int(alg));
}

keys::KeyPtr publicHalf(const keys::KeyPtr& key)
{
    return keys::importKey(keys::exportPem(*key, keys::KeyPart::Public).value()).value();
}

QByteArray sign(Alg alg, const keys::KeyPtr& key, const QByteArray& payload, const QByteArray& header = {})
{
    return jose::signCompact(alg, key.get(), header.isEmpty() ? jose::defaultHeader(alg) : header, payload).value();
}

validate::Report verify(const QByteArray& token, const keys::KeyPtr& key, validate::Policy policy = {})
{
    if (policy.now == 0) {
        policy.now = now;
    }
    auto r = validate::verifyToken(token, {key, {}, QStringLiteral("test key")}, policy);
    if (!r) {
        qWarning("verifyToken failed: %s", qPrintable(r.error().message));
        return {};
    }
    return *r;
}

const validate::Check* check(const validate::Report& r, const QString& name)
{
    for (const auto& c : r.checks) {
        if (c.name == name) {
            return &c;
        }
    }
    return nullptr;
}

QByteArray b64(const QByteArray& s)
{
    return jose::base64UrlEncode(s);
}

// A PS256 signature over `input` with a salt of `saltBytes` (RFC 7518 wants 32), made with OpenSSL directly.
QByteArray pssSignature(const keys::Key& key, const QByteArray& input, int saltBytes)
{
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    char pad[] = OSSL_PKEY_RSA_PAD_MODE_PSS;
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, pad, 0),
                                 OSSL_PARAM_construct_int(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, &saltBytes),
                                 OSSL_PARAM_construct_end()};
    QByteArray sig(512, '\0');
    std::size_t len = std::size_t(sig.size());
    const bool ok =
        EVP_DigestSignInit_ex(ctx, &pctx, "SHA256", nullptr, nullptr, key.pkey(), nullptr) == 1 &&
        EVP_PKEY_CTX_set_params(pctx, params) == 1 &&
        EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(input.constData()), std::size_t(input.size())) == 1;
    EVP_MD_CTX_free(ctx);
    return ok ? sig.left(qsizetype(len)) : QByteArray();
}

} // namespace

class TestVerify : public QObject
{
    Q_OBJECT

private slots:
    void everyAlgorithmSignsAndVerifies_data()
    {
        QTest::addColumn<int>("alg");
        for (Alg alg : jose::allAlgs()) {
            if (alg != Alg::None) {
                QTest::newRow(qPrintable(jose::algName(alg))) << int(alg);
            }
        }
    }

    void everyAlgorithmSignsAndVerifies()
    {
        QFETCH(int, alg);
        const Alg a = Alg(alg);
        const keys::KeyPtr key = generated(a);
        const QByteArray token = sign(a, key, R"({"sub":"42","exp":1700000900})");
        const keys::KeyPtr verifier = key->type() == keys::KeyType::Oct ? key : publicHalf(key);
        const auto r = verify(token, verifier);
        QVERIFY(r.valid);
        QCOMPARE(r.signature, validate::SignatureState::Valid);
        QCOMPARE(r.alg.value(), jose::algName(a));
        // One flipped bit in the signature makes it invalid.
        QByteArray sig = jose::base64UrlDecode(token.split('.')[2]).value();
        sig[sig.size() / 2] = char(sig[sig.size() / 2] ^ 1);
        const QByteArray tampered = token.left(token.lastIndexOf('.') + 1) + b64(sig);
        const auto bad = verify(tampered, verifier);
        QVERIFY(!bad.valid);
        QCOMPARE(bad.signature, validate::SignatureState::Invalid);
        QCOMPARE(bad.firstFailure()->name, QStringLiteral("signature"));
    }

    void noneInEveryLetterCaseIsRefused_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<bool>("trailingDot");
        for (const char* name : {"none", "None", "NONE", "nOnE"}) {
            QTest::addRow("%s with dot", name) << QString::fromLatin1(name) << true;
            QTest::addRow("%s with signature", name) << QString::fromLatin1(name) << false;
        }
    }

    void noneInEveryLetterCaseIsRefused()
    {
        QFETCH(QString, alg);
        QFETCH(bool, trailingDot);
        const QByteArray token = b64("{\"alg\":\"" + alg.toUtf8() + "\"}") + '.' + b64(R"({"sub":"x"})") + '.' +
                                 (trailingDot ? QByteArray() : b64("sig"));
        const auto r = verify(token, generated(Alg::HS256));
        QVERIFY(!r.valid);
        QCOMPARE(r.firstFailure()->name, QStringLiteral("alg"));
        QCOMPARE(r.signature, validate::SignatureState::NotChecked);
        // Allowing none by name still needs the exact spelling and an empty signature.
        validate::Policy p;
        p.allowedAlgs = QList<Alg>{Alg::None};
        const auto allowed = verify(token, {}, p);
        QCOMPARE(allowed.valid, alg == QStringLiteral("none") && trailingDot);
    }

    void noneWithoutTrailingDotIsMalformed()
    {
        const QByteArray token = b64(R"({"alg":"none"})") + '.' + b64(R"({"sub":"x"})");
        auto r = validate::verifyToken(token, {generated(Alg::HS256), {}, {}}, {});
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::MalformedToken);
    }

    void emptySignatureIsRefused()
    {
        const QByteArray token = sign(Alg::HS256, generated(Alg::HS256), "{}");
        const auto r = verify(token.left(token.lastIndexOf('.') + 1), generated(Alg::HS256));
        QVERIFY(!r.valid);
        QCOMPARE(check(r, QStringLiteral("signature"))->detail, QStringLiteral("The signature is empty."));
    }

    void algorithmConfusionIsRefused_data()
    {
        QTest::addColumn<int>("publicAlg");
        QTest::newRow("RSA") << int(Alg::RS256);
        QTest::newRow("EC") << int(Alg::ES256);
    }

    void algorithmConfusionIsRefused()
    {
        QFETCH(int, publicAlg);
        const keys::KeyPtr pub = publicHalf(generated(Alg(publicAlg)));
        const QByteArray pem = keys::exportPem(*pub, keys::KeyPart::Public).value();
        // The attacker signs HS256 with the public key's PEM text as the secret.
        const QByteArray token = sign(Alg::HS256, keys::secretKey(pem), R"({"admin":true})");
        const auto r = verify(token, pub);
        QVERIFY(!r.valid);
        QCOMPARE(r.firstFailure()->name, QStringLiteral("alg"));
        QCOMPARE(r.firstFailure()->detail, QStringLiteral("HS256 is not among the allowed algorithms for this key."));
        QCOMPARE(r.signature, validate::SignatureState::NotChecked);
        // Given the PEM text as an HMAC secret, tokenbench names the attack instead of accepting it.
        const auto asSecret = verify(token, keys::secretKey(pem));
        QVERIFY(!asSecret.valid);
        QCOMPARE(check(asSecret, QStringLiteral("key"))->detail,
                 QStringLiteral("The HMAC secret is a public key's text: verifying HS256 with public-key bytes is the "
                                "algorithm-confusion attack, so it is refused."));
    }

    void psychicSignatureIsRefused_data()
    {
        QTest::addColumn<int>("alg");
        QTest::newRow("ES256") << int(Alg::ES256);
        QTest::newRow("ES384") << int(Alg::ES384);
        QTest::newRow("ES512") << int(Alg::ES512);
    }

    void psychicSignatureIsRefused()
    {
        QFETCH(int, alg);
        const Alg a = Alg(alg);
        const int n = crypto::ecdsaCoordBytes(a);
        const QByteArray token = sign(a, generated(a), R"({"sub":"x"})");
        const QByteArray prefix = token.left(token.lastIndexOf('.') + 1);
        const auto zero = verify(prefix + b64(QByteArray(2 * n, '\0')), publicHalf(generated(a)));
        QVERIFY(!zero.valid);
        QCOMPARE(check(zero, QStringLiteral("signature"))->detail,
                 QStringLiteral("The ECDSA value r is zero: it must lie between 1 and the group order minus 1 "
                                "(CVE-2022-21449, psychic signatures)."));
        // r = s = n (the order) is as bad as zero.
        const QByteArray full(n, '\xff');
        const auto big = verify(prefix + b64(full + full), publicHalf(generated(a)));
        QVERIFY(!big.valid);
        QVERIFY(check(big, QStringLiteral("signature"))
                    ->detail.startsWith(QStringLiteral("The ECDSA value r is not below the order")));
    }

    void derAndWrongLengthEcdsaAreRefused()
    {
        const QByteArray token = sign(Alg::ES256, generated(Alg::ES256), R"({"sub":"x"})");
        const QByteArray prefix = token.left(token.lastIndexOf('.') + 1);
        const QByteArray raw = jose::base64UrlDecode(token.split('.')[2]).value();
        const QByteArray der = crypto::ecdsaRawToDer(raw, 32).value();
        const auto r = verify(prefix + b64(der), publicHalf(generated(Alg::ES256)));
        QVERIFY(!r.valid);
        QCOMPARE(
            check(r, QStringLiteral("signature"))->detail,
            QStringLiteral("An ES256 signature must be exactly 64 bytes (raw r||s); this one is %1 bytes and looks "
                           "DER-encoded.")
                .arg(der.size()));
        const auto shortSig = verify(prefix + b64(raw.left(63)), publicHalf(generated(Alg::ES256)));
        QCOMPARE(check(shortSig, QStringLiteral("signature"))->detail,
                 QStringLiteral("An ES256 signature must be exactly 64 bytes (raw r||s); this one is 63 bytes."));
    }

    void ecdsaDerConversionRoundTrips()
    {
        // Leading zero bytes, high bits set and all-0xff values hit every branch of the DER INTEGER encoding.
        quint32 state = 12345;
        const auto next = [&state] {
            state = state * 1103515245u + 12345u;
            return char(state >> 16);
        };
        for (int n : {32, 48, 66}) {
            for (int i = 0; i < 600; ++i) {
                QByteArray raw(2 * n, '\0');
                for (char& b : raw) {
                    b = next();
                }
                if (i % 3 == 0) {
                    raw[0] = 0;
                    raw[1] = char(i % 5 == 0 ? 0 : 0x80);
                }
                if (i % 7 == 0) {
                    raw[n] = char(0xff);
                }
                const QByteArray der = crypto::ecdsaRawToDer(raw, n).value();
                QCOMPARE(crypto::ecdsaDerToRaw(der, n).value(), raw);
            }
        }
        QVERIFY(!crypto::ecdsaRawToDer(QByteArray(63, 'x'), 32));
    }

    void highSIsAcceptedButReported()
    {
        // s -> n - s still verifies in ECDSA: the malleability the audit pane shows. Here: it stays valid.
        const QByteArray token = sign(Alg::ES256, generated(Alg::ES256), R"({"sub":"x"})");
        QVERIFY(verify(token, publicHalf(generated(Alg::ES256))).valid);
    }

    void embeddedJwkIsNotUsedUnlessAsked()
    {
        const keys::KeyPtr attacker = keys::generateKey(Alg::RS256).value();
        const QByteArray jwk = keys::exportJwk(*attacker, keys::KeyPart::Public).value();
        const QByteArray header = R"({"alg":"RS256","jwk":)" + jwk + "}";
        const QByteArray token = sign(Alg::RS256, attacker, R"({"admin":true})", header);
        const auto pinned = verify(token, publicHalf(generated(Alg::RS256)));
        QVERIFY(!pinned.valid);
        QCOMPARE(
            pinned.warnings.last(),
            QStringLiteral("The header offers its own key material in \"jwk\"; it is self-asserted and was not used."));
        validate::Policy trusting;
        trusting.trustEmbeddedKey = true;
        const auto selfAsserted = verify(token, {}, trusting);
        QVERIFY(selfAsserted.valid);
        QVERIFY(selfAsserted.selfAsserted);
        QVERIFY(selfAsserted.keyUsed.endsWith(QStringLiteral("(self-asserted by the token)")));
    }

    void unknownCritIsRefused()
    {
        const QByteArray token =
            sign(Alg::HS256, generated(Alg::HS256), "{}", R"({"alg":"HS256","crit":["exp2"],"exp2":1})");
        const auto r = verify(token, generated(Alg::HS256));
        QVERIFY(!r.valid);
        QCOMPARE(r.signature, validate::SignatureState::Valid);
        QCOMPARE(r.firstFailure()->name, QStringLiteral("crit"));
        QCOMPARE(
            r.firstFailure()->detail,
            QStringLiteral("\"crit\" lists the extension \"exp2\", which tokenbench does not implement, so the token "
                           "must be rejected (RFC 7515 §4.1.11)."));
    }

    void duplicateHeaderMembersAreRefused()
    {
        const QByteArray token = sign(Alg::HS256, generated(Alg::HS256), "{}", R"({"alg":"HS256","alg":"HS256"})");
        const auto r = verify(token, generated(Alg::HS256));
        QVERIFY(!r.valid);
        QCOMPARE(r.firstFailure()->name, QStringLiteral("header"));
        QVERIFY(r.firstFailure()->detail.startsWith(
            QStringLiteral("The header has the member \"alg\" twice (line 1, column 16)")));
    }

    void timeChecksFollowRfc7519_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<double>("leeway");
        QTest::addColumn<QString>("failing");
        QTest::addColumn<QString>("detail");
        QTest::newRow("exp == now expires") << QByteArray(R"({"exp":1700000000})") << 0.0 << QStringLiteral("exp")
                                            << QStringLiteral("Expired at 2023-11-14T22:13:20Z, 0 s ago.");
        QTest::newRow("exp in leeway") << QByteArray(R"({"exp":1699999990})") << 10.5 << QString() << QString();
        QTest::newRow("exp at leeway edge")
            << QByteArray(R"({"exp":1699999990})") << 10.0 << QStringLiteral("exp")
            << QStringLiteral("Expired at 2023-11-14T22:13:10Z, 10 s ago (leeway 10 s).");
        QTest::newRow("nbf in future") << QByteArray(R"({"nbf":1700000060})") << 0.0 << QStringLiteral("nbf")
                                       << QStringLiteral("Not valid before 2023-11-14T22:14:20Z, in 1 min.");
        QTest::newRow("nbf within leeway") << QByteArray(R"({"nbf":1700000060})") << 60.0 << QString() << QString();
        QTest::newRow("iat in future") << QByteArray(R"({"iat":1700003600})") << 0.0 << QStringLiteral("iat")
                                       << QStringLiteral(
                                              "Issued in the future: 2023-11-14T23:13:20Z is 1 h after now.");
        QTest::newRow("exp not a number")
            << QByteArray(R"({"exp":"1700000900"})") << 0.0 << QStringLiteral("exp")
            << QStringLiteral("\"exp\" must be a number of seconds since the epoch (RFC 7519 §2 NumericDate).");
        QTest::newRow("fractional exp") << QByteArray(R"({"exp":1700000000.5})") << 0.0 << QString() << QString();
    }

    void timeChecksFollowRfc7519()
    {
        QFETCH(QByteArray, payload);
        QFETCH(double, leeway);
        QFETCH(QString, failing);
        QFETCH(QString, detail);
        validate::Policy p;
        p.leeway = leeway;
        const auto r = verify(sign(Alg::HS256, generated(Alg::HS256), payload), generated(Alg::HS256), p);
        QCOMPARE(r.signature, validate::SignatureState::Valid);
        if (failing.isEmpty()) {
            QVERIFY(r.valid);
            return;
        }
        QVERIFY(!r.valid);
        QCOMPARE(r.firstFailure()->name, failing);
        QCOMPARE(r.firstFailure()->detail, detail);
    }

    void issuerAndAudience()
    {
        const QByteArray token =
            sign(Alg::HS256, generated(Alg::HS256), "{\"iss\":\"https://idp\",\"aud\":[\"api\",\"web\"]}");
        validate::Policy p;
        p.issuer = QStringLiteral("https://idp");
        p.audience = QStringLiteral("web");
        QVERIFY(verify(token, generated(Alg::HS256), p).valid);
        p.audience = QStringLiteral("admin");
        const auto r = verify(token, generated(Alg::HS256), p);
        QCOMPARE(r.firstFailure()->name, QStringLiteral("aud"));
        QCOMPARE(r.firstFailure()->detail, QStringLiteral("The audience does not include \"admin\"."));
        p.audience.reset();
        p.issuer = QStringLiteral("https://other");
        QCOMPARE(verify(token, generated(Alg::HS256), p).firstFailure()->detail,
                 QStringLiteral("The issuer is \"https://idp\", not \"https://other\"."));
    }

    void allowListBoundToKeyType()
    {
        const QByteArray token = sign(Alg::RS256, generated(Alg::RS256), "{}");
        validate::Policy onlyHs;
        onlyHs.allowedAlgs = QList<Alg>{Alg::HS256};
        auto r = validate::verifyToken(token, {publicHalf(generated(Alg::RS256)), {}, {}}, onlyHs);
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::KeyMismatch);
        QCOMPARE(r.error().message,
                 QStringLiteral("None of the allowed algorithms (HS256) can be used with RSA 2048-bit public key."));
        validate::Policy onlyPs;
        onlyPs.allowedAlgs = QList<Alg>{Alg::PS256};
        onlyPs.now = now;
        auto ps = validate::verifyToken(token, {publicHalf(generated(Alg::RS256)), {}, {}}, onlyPs);
        QVERIFY(ps && !ps->valid);
        QCOMPARE(ps->firstFailure()->detail, QStringLiteral("RS256 is not among the allowed algorithms for this key."));
    }

    void nonCanonicalSignatureSegmentFails()
    {
        const QByteArray token = sign(Alg::HS256, generated(Alg::HS256), "{}");
        // 32 bytes encode to 43 characters with 2 unused bits: bump the last character's unused bit.
        QByteArray sig = token.split('.')[2];
        const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        sig.back() = alphabet[alphabet.indexOf(sig.back()) | 1];
        const auto r = verify(token.left(token.lastIndexOf('.') + 1) + sig, generated(Alg::HS256));
        QVERIFY(!r.valid);
        QCOMPARE(r.firstFailure()->name, QStringLiteral("signature"));
        QVERIFY(
            r.firstFailure()->detail.startsWith(QStringLiteral("The signature segment is not canonical base64url")));
    }

    void jweIsNotVerified()
    {
        auto r = validate::verifyToken("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aaaa.bbbb.cccc",
                                       {generated(Alg::HS256), {}, {}}, {});
        QVERIFY(!r);
        QCOMPARE(r.error().message, QStringLiteral("this is a JWE; use decrypt."));
    }

    void jwksRefusesAmbiguousOrMixedSets()
    {
        const QByteArray token =
            sign(Alg::HS256, keys::secretKey(QByteArray(32, 'a')), "{}", R"({"alg":"HS256","kid":"k"})");
        const keys::JwkSet dup =
            keys::importJwks(R"({"keys":[{"kty":"oct","kid":"k","k":"YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE"},)"
                             R"({"kty":"oct","kid":"k","k":"YmJi"}]})")
                .value();
        validate::Policy p;
        p.now = now;
        auto r = validate::verifyToken(token, {{}, dup, {}}, p);
        QVERIFY(r && !r->valid);
        QCOMPARE(r->firstFailure()->detail,
                 QStringLiteral("The JWK Set has 2 keys with kid \"k\": the choice is ambiguous, so it is refused."));
        const keys::JwkSet mixed =
            keys::importJwks(
                "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"k\",\"k\":\"YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWE\"}," +
                keys::exportJwk(*generated(Alg::ES256), keys::KeyPart::Public).value() + "]}")
                .value();
        r = validate::verifyToken(token, {{}, mixed, {}}, p);
        QVERIFY(r && !r->valid);
        QVERIFY(r->firstFailure()->detail.startsWith(
            QStringLiteral("The JWK Set mixes secret (oct) keys with public keys")));
    }

    void jwkMembersRestrictUse()
    {
        const QByteArray token = sign(Alg::PS256, generated(Alg::PS256), "{}");
        QByteArray jwk =
            keys::exportJwk(*generated(Alg::PS256), keys::KeyPart::Public, {{}, QStringLiteral("PS512"), {}, {}})
                .value();
        auto r = verify(token, keys::importKey(jwk).value());
        QCOMPARE(r.firstFailure()->detail,
                 QStringLiteral("The key cannot verify PS256: the key is for PS512, not PS256."));
        jwk =
            keys::exportJwk(*generated(Alg::PS256), keys::KeyPart::Public, {{}, {}, QStringLiteral("enc"), {}}).value();
        r = verify(token, keys::importKey(jwk).value());
        QCOMPARE(r.firstFailure()->detail,
                 QStringLiteral("The key cannot verify PS256: the key's use is \"enc\", not \"sig\"."));
    }

    void jwksChoosesByKidThenByFit()
    {
        const keys::KeyPtr a = generated(Alg::ES256);
        const keys::KeyPtr b = generated(Alg::RS256);
        const QByteArray set =
            "{\"keys\":[" + keys::exportJwk(*a, keys::KeyPart::Public, {QStringLiteral("a"), {}, {}, {}}).value() +
            "," +
            keys::exportJwk(*b, keys::KeyPart::Public, {QStringLiteral("b"), {}, QStringLiteral("sig"), {}}).value() +
            "]}";
        const keys::JwkSet jwks = keys::importJwks(set).value();
        validate::Policy p;
        p.now = now;
        // An allow-list no key of the set fits names every kind of key in the set, not just the first.
        validate::Policy onlyHs = p;
        onlyHs.allowedAlgs = QList<Alg>{Alg::HS256};
        auto noFit = validate::verifyToken(sign(Alg::ES256, a, "{}"), {{}, jwks, {}}, onlyHs);
        QVERIFY(!noFit);
        QCOMPARE(noFit.error().message, QStringLiteral("None of the allowed algorithms (HS256) can be used with any of "
                                                       "the 2 keys given (EC P-256 public key, RSA 2048-bit public "
                                                       "key)."));
        validate::Policy es384 = p;
        es384.allowedAlgs = QList<Alg>{Alg::ES384, Alg::ES256};
        auto misfit = validate::verifyToken(sign(Alg::ES384, generated(Alg::ES384), "{}"), {{}, jwks, {}}, es384);
        QVERIFY(misfit && !misfit->valid);
        QCOMPARE(misfit->firstFailure()->detail.text(),
                 QStringLiteral("ES384 is allowed, but cannot be used with any of the 2 keys given (EC P-256 public "
                                "key, RSA 2048-bit public key)."));
        auto byKid =
            validate::verifyToken(sign(Alg::RS256, b, "{}", R"({"alg":"RS256","kid":"b"})"), {{}, jwks, {}}, p);
        QVERIFY(byKid && byKid->valid);
        auto wrongKid =
            validate::verifyToken(sign(Alg::RS256, b, "{}", R"({"alg":"RS256","kid":"zz"})"), {{}, jwks, {}}, p);
        QVERIFY(wrongKid && !wrongKid->valid);
        QCOMPARE(wrongKid->firstFailure()->detail, QStringLiteral("No key in the JWK Set has kid \"zz\"."));
        auto byFit = validate::verifyToken(sign(Alg::ES256, a, "{}"), {{}, jwks, {}}, p);
        QVERIFY(byFit && byFit->valid);
        QVERIFY(byFit->keyUsed.contains(QStringLiteral("kid \"a\"")));
        const QString aLabel =
            jwks.keys.first()->describe() + QStringLiteral(", kid \"a\", thumbprint ") + a->thumbprint();
        QCOMPARE(byFit->keyUsed.text(), aLabel);
        auto noOrigin = validate::verifyToken(sign(Alg::ES256, a, "{}"), {a, {}, {}}, p);
        QVERIFY(noOrigin && noOrigin->valid);
        QCOMPARE(noOrigin->keyUsed.text(), a->describe() + QStringLiteral(", thumbprint ") + a->thumbprint());
    }

    // The passing sentences are written when read (not during the verify): each kind, read in full.
    // A key keeps one prepared verify context per alg: RS256, RS512 and PS256 with one RSA key each verify their own
    // tokens and refuse a signature relabelled with a sibling alg, in any order and from several threads at once.
    void preparedContextsPerAlgAndThreadSafe()
    {
        const keys::KeyPtr rsa = generated(Alg::RS256);
        const keys::KeyPtr pub = publicHalf(rsa);
        QCOMPARE(pub->verifyTemplate(Alg::HS256), nullptr);
        QCOMPARE(pub->verifyTemplate(Alg::ES256), nullptr);
        const QByteArray payload = R"({"sub":"prepared","exp":1700000900})";
        QList<QByteArray> good;
        QList<QByteArray> relabelled;
        for (Alg alg : {Alg::RS256, Alg::RS512, Alg::PS256}) {
            const QByteArray token = sign(alg, rsa, payload);
            good << token;
            const Alg other = alg == Alg::RS256 ? Alg::RS512 : Alg::RS256;
            relabelled << b64(jose::defaultHeader(other)) + token.mid(token.indexOf('.'));
        }
        for (int round = 0; round < 2; ++round) {
            for (const QByteArray& token : good) {
                QVERIFY(verify(token, pub).valid);
            }
            for (const QByteArray& token : relabelled) {
                QCOMPARE(verify(token, pub).signature, validate::SignatureState::Invalid);
            }
        }
        const EVP_MD_CTX* rs256 = pub->verifyTemplate(Alg::RS256);
        QVERIFY(rs256 != nullptr);
        QCOMPARE(pub->verifyTemplate(Alg::RS256), rs256); // built once, then kept
        QVERIFY(pub->verifyTemplate(Alg::RS512) != rs256);

        const keys::KeyPtr fresh = publicHalf(rsa); // its contexts are first built under contention
        std::atomic<int> wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 60; ++i) {
                    const qsizetype k = (t + i) % good.size();
                    if (!verify(good[k], fresh).valid || verify(relabelled[k], fresh).valid) {
                        ++wrong;
                    }
                }
            });
        }
        for (std::thread& thread : threads) {
            thread.join();
        }
        QCOMPARE(wrong.load(), 0);
    }

    // The prepared PS256 context checks salt = hash length; another salt is told apart by a second, fresh context.
    void pssSaltOtherThanHashLengthIsNamed()
    {
        const keys::KeyPtr rsa = generated(Alg::RS256);
        const QByteArray input = b64(jose::defaultHeader(Alg::PS256)) + '.' + b64(R"({"sub":"salt"})");
        const QByteArray zeroSalt = pssSignature(*rsa, input, 0);
        QVERIFY(!zeroSalt.isEmpty());
        const auto r = verify(input + '.' + b64(zeroSalt), publicHalf(rsa));
        QVERIFY(!r.valid);
        QCOMPARE(r.signature, validate::SignatureState::Invalid);
        QCOMPARE(check(r, QStringLiteral("signature"))->detail.text(),
                 QStringLiteral("The PS256 signature uses a salt length other than the hash length, which RFC 7518 "
                                "§3.5 requires."));
        QVERIFY(verify(input + '.' + b64(pssSignature(*rsa, input, 32)), publicHalf(rsa)).valid);
    }

    void passingSentencesReadInFull()
    {
        validate::Policy p;
        p.leeway = 30;
        const keys::KeyPtr key = generated(Alg::HS256);
        const auto r = verify(sign(Alg::HS256, key, R"({"exp":1700000600,"nbf":1699999900,"iat":1699999900})"), key, p);
        QVERIFY(r.valid);
        QCOMPARE(check(r, QStringLiteral("alg"))->detail, QStringLiteral("HS256 is allowed."));
        QCOMPARE(check(r, QStringLiteral("exp"))->detail,
                 QStringLiteral("Expires at 2023-11-14T22:23:20Z, in 10 min (leeway 30 s)."));
        QCOMPARE(check(r, QStringLiteral("nbf"))->detail,
                 QStringLiteral("Valid since 2023-11-14T22:11:40Z (leeway 30 s)."));
        QCOMPARE(check(r, QStringLiteral("iat"))->detail, QStringLiteral("Issued at 2023-11-14T22:11:40Z."));
        QCOMPARE(r.keyUsed.text(),
                 key->describe() + QStringLiteral(", thumbprint ") + key->thumbprint() + QStringLiteral(" (test key)"));
        QVERIFY(!r.keyUsed.isEmpty());
        // Read twice, and through the QString and QVariant conversions the GUI uses: the same text each time.
        const QString once = check(r, QStringLiteral("exp"))->detail;
        QCOMPARE(QVariant(check(r, QStringLiteral("exp"))->detail).toString(), once);
        QCOMPARE(check(r, QStringLiteral("exp"))->detail.text(), once);
        QVERIFY(validate::Sentence().isEmpty());
        QVERIFY(!validate::Sentence::allowed(QStringLiteral("RS256")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestVerify)
#include "tst_verify.moc"
