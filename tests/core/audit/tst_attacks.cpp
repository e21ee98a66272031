// Every attack: the crafted tokens have the exact expected shape, and the one verify path rejects them with the
// expected failing check (issue 4).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "audit/attacks/Attacks.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using namespace tb;
using audit::attacks::AttackInput;
using audit::attacks::AttackResult;
using jose::Alg;

namespace {

const double now = 1700000000;
const QByteArray payload = "{\"sub\":\"user-42\",\"iat\":1700000000,\"exp\":1700000600}";

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

AttackInput inputFor(const QByteArray& token)
{
    AttackInput in;
    in.token = token;
    return in;
}

QByteArray headerFor(Alg alg)
{
    return "{\"alg\":\"" + jose::algName(alg).toLatin1() + "\",\"typ\":\"JWT\",\"kid\":\"k1\"}";
}

QByteArray signedToken(Alg alg, const keys::KeyPtr& key)
{
    return jose::signCompact(alg, key.get(), headerFor(alg), payload).value();
}

AttackResult attack(const QString& kind, const AttackInput& input)
{
    auto r = audit::attacks::runAttack(kind, input);
    if (!r) {
        qWarning("runAttack(%s) failed: %s", qPrintable(kind), qPrintable(r.error().message));
        return {};
    }
    return *r;
}

validate::Report verify(const QByteArray& token, const keys::KeyPtr& key, validate::Policy policy = {})
{
    policy.now = now;
    auto r = validate::verifyToken(token, {key, {}, QStringLiteral("test key")}, policy);
    if (!r) {
        qWarning("verifyToken failed: %s", qPrintable(r.error().message));
        return {};
    }
    return *r;
}

QString failure(const QByteArray& token, const keys::KeyPtr& key)
{
    const validate::Report r = verify(token, key);
    if (r.valid) {
        return QStringLiteral("(accepted)");
    }
    const validate::Check* f = r.firstFailure();
    return f ? f->name : QStringLiteral("(no failing check)");
}

jose::CompactToken parts(const QByteArray& token)
{
    return jose::parseCompact(token).value();
}

QByteArray tokenOf(const AttackResult& r, const QString& variant)
{
    for (const auto& v : r.tokens) {
        if (v.name == variant) {
            return v.token;
        }
    }
    qWarning("no variant %s", qPrintable(variant));
    return {};
}

QStringList names(const AttackResult& r)
{
    QStringList out;
    for (const auto& v : r.tokens) {
        out << v.name;
    }
    return out;
}

QByteArray artifact(const AttackResult& r, const QString& name)
{
    for (const auto& a : r.artifacts) {
        if (a.name == name) {
            return a.content;
        }
    }
    return {};
}

QByteArray mac(Alg alg, const QByteArray& secret, const QByteArray& token)
{
    return crypto::hmac(alg, *keys::secretKey(secret), parts(token).signingInput()).value();
}

} // namespace

class TestAttacks : public QObject
{
    Q_OBJECT

private:
    keys::KeyPtr m_rsa;
    keys::KeyPtr m_rsaPublic;
    QByteArray m_token; // RS256

private slots:
    void initTestCase()
    {
        m_rsa = generated(Alg::RS256);
        m_rsaPublic = publicHalf(m_rsa);
        m_token = signedToken(Alg::RS256, m_rsa);
        QVERIFY(verify(m_token, m_rsaPublic).valid); // the original is genuine
    }

    void listsEveryKind()
    {
        QStringList kinds;
        for (const auto& k : audit::attacks::attackKinds()) {
            kinds << k.kind;
            QVERIFY(!k.summary.isEmpty());
        }
        QCOMPARE(kinds, (QStringList{QStringLiteral("none"), QStringLiteral("null-signature"),
                                     QStringLiteral("empty-key"), QStringLiteral("confusion"),
                                     QStringLiteral("embedded-jwk"), QStringLiteral("jku"), QStringLiteral("x5u"),
                                     QStringLiteral("x5c"), QStringLiteral("kid"), QStringLiteral("psychic"),
                                     QStringLiteral("malleability"), QStringLiteral("tamper"), QStringLiteral("exp")}));
        // The gallery shows each explanation before a run: the same paragraph the run returns.
        for (const QString& kind : {QStringLiteral("none"), QStringLiteral("null-signature"), QStringLiteral("x5c"),
                                    QStringLiteral("kid"), QStringLiteral("tamper"), QStringLiteral("exp")}) {
            const auto result = audit::attacks::runAttack(kind, inputFor(m_token));
            QVERIFY2(result.has_value(), qPrintable(kind));
            const auto info = std::find_if(audit::attacks::attackKinds().begin(), audit::attacks::attackKinds().end(),
                                           [&](const auto& k) { return k.kind == kind; });
            QCOMPARE(info->explanation, result->explanation);
        }
        for (const auto& k : audit::attacks::attackKinds()) {
            QVERIFY2(k.explanation.size() > 200, qPrintable(k.kind));
        }
        QVERIFY(!audit::attacks::runAttack(QStringLiteral("nope"), inputFor(m_token)));
        QVERIFY(!audit::attacks::runAttack(QStringLiteral("none"), inputFor("not.a")));
    }

    void algNone()
    {
        const AttackResult r = attack(QStringLiteral("none"), inputFor(m_token));
        QCOMPARE(r.kind, QStringLiteral("none"));
        QVERIFY(r.explanation.contains(QStringLiteral("correct verifier")));
        QCOMPARE(r.tokens.size(), 8);
        const jose::CompactToken original = parts(m_token);
        for (const char* name : {"none", "None", "NONE", "nOnE"}) {
            const QString n = QString::fromLatin1(name);
            const QByteArray bare = tokenOf(r, QStringLiteral("alg-") + n);
            const QByteArray withSig = tokenOf(r, QStringLiteral("alg-%1-with-signature").arg(n));
            QCOMPARE(parts(bare).header, "{\"alg\":\"" + QByteArray(name) + "\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
            QCOMPARE(parts(bare).segments[1], original.segments[1]);
            QVERIFY(bare.endsWith('.'));
            QCOMPARE(parts(bare).segments[2], QByteArray());
            QCOMPARE(parts(withSig).header, parts(bare).header);
            QCOMPARE(parts(withSig).segments[2], original.segments[2]);
            QCOMPARE(failure(bare, m_rsaPublic), QStringLiteral("alg"));
            QCOMPARE(failure(withSig, m_rsaPublic), QStringLiteral("alg"));
        }
    }

    void nullSignature()
    {
        const AttackResult r = attack(QStringLiteral("null-signature"), inputFor(m_token));
        QCOMPARE(names(r), QStringList{QStringLiteral("empty-signature")});
        const jose::CompactToken original = parts(m_token);
        QCOMPARE(r.tokens[0].token, original.segments[0] + '.' + original.segments[1] + '.');
        QCOMPARE(failure(r.tokens[0].token, m_rsaPublic), QStringLiteral("signature"));
    }

    void emptyKey()
    {
        const AttackResult r = attack(QStringLiteral("empty-key"), inputFor(m_token));
        QCOMPARE(names(r), (QStringList{QStringLiteral("hs256-empty-key"), QStringLiteral("hs384-empty-key"),
                                        QStringLiteral("hs512-empty-key")}));
        const keys::KeyPtr hs = generated(Alg::HS256);
        for (Alg alg : {Alg::HS256, Alg::HS384, Alg::HS512}) {
            const QByteArray t = r.tokens[int(alg) - int(Alg::HS256)].token;
            QCOMPARE(parts(t).header,
                     "{\"alg\":\"" + jose::algName(alg).toLatin1() + "\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
            QCOMPARE(parts(t).payload, payload);
            QCOMPARE(parts(t).signature, mac(alg, QByteArray(), t));
            QCOMPARE(failure(t, m_rsaPublic), QStringLiteral("alg"));
        }
        // Against an HMAC verifier with its real secret the MAC does not match.
        const QByteArray hsToken = signedToken(Alg::HS256, hs);
        const AttackResult h = attack(QStringLiteral("empty-key"), inputFor(hsToken));
        QCOMPARE(failure(tokenOf(h, QStringLiteral("hs256-empty-key")), hs), QStringLiteral("signature"));
    }

    void confusionRsa()
    {
        AttackInput in = inputFor(m_token);
        in.publicKey = m_rsaPublic;
        const QByteArray pem = keys::exportPem(*m_rsaPublic, keys::KeyPart::Public).value();
        in.publicKeyFile = pem;
        const AttackResult r = attack(QStringLiteral("confusion"), in);
        const QStringList forms = {
            QStringLiteral("spki-pem-lf"), QStringLiteral("spki-pem-crlf"), QStringLiteral("spki-pem-no-final-newline"),
            QStringLiteral("pkcs1-pem"),   QStringLiteral("spki-der"),      QStringLiteral("jwk")};
        QStringList expected;
        for (const QString& alg : {QStringLiteral("hs256"), QStringLiteral("hs384"), QStringLiteral("hs512")}) {
            for (const QString& f : forms) {
                expected << alg + QLatin1Char('/') + f;
            }
        }
        QCOMPARE(names(r), expected);
        QVERIFY(pem.endsWith("-----END PUBLIC KEY-----\n"));
        QByteArray crlf = pem;
        crlf.replace("\n", "\r\n");
        const QByteArray jwk = keys::exportJwk(*m_rsaPublic, keys::KeyPart::Public).value();
        const QByteArray t1 = tokenOf(r, QStringLiteral("hs256/spki-pem-lf"));
        QCOMPARE(parts(t1).header, QByteArray("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}"));
        QCOMPARE(parts(t1).signature, mac(Alg::HS256, pem, t1));
        const QByteArray t2 = tokenOf(r, QStringLiteral("hs384/spki-pem-crlf"));
        QCOMPARE(parts(t2).signature, mac(Alg::HS384, crlf, t2));
        const QByteArray t3 = tokenOf(r, QStringLiteral("hs512/spki-pem-no-final-newline"));
        QCOMPARE(parts(t3).signature, mac(Alg::HS512, pem.chopped(1), t3));
        const QByteArray t4 = tokenOf(r, QStringLiteral("hs256/jwk"));
        QCOMPARE(parts(t4).signature, mac(Alg::HS256, jwk, t4));
        // The PKCS#1 and DER forms are the same key (they import back to it).
        for (const auto& v : r.tokens) {
            QCOMPARE(failure(v.token, m_rsaPublic), QStringLiteral("alg"));
        }
        // A verifier configured with the PEM text as an HMAC secret (the vulnerable setup) still refuses.
        QCOMPARE(failure(t1, keys::secretKey(pem)), QStringLiteral("key"));
    }

    void confusionCertificate()
    {
        // A certificate from the x5c attack stands in for the verifier's certificate.
        const AttackResult x5c = attack(QStringLiteral("x5c"), inputFor(m_token));
        const QByteArray certPem = artifact(x5c, QStringLiteral("cert.pem"));
        QVERIFY(certPem.startsWith("-----BEGIN CERTIFICATE-----\n"));
        AttackInput in = inputFor(m_token);
        in.publicKey = keys::importKey(certPem).value();
        in.publicKeyFile = certPem;
        const AttackResult r = attack(QStringLiteral("confusion"), in);
        const QByteArray t = tokenOf(r, QStringLiteral("hs256/certificate-pem"));
        QCOMPARE(parts(t).signature, mac(Alg::HS256, certPem, t));
        QVERIFY(names(r).contains(QStringLiteral("hs512/certificate-pem-no-final-newline")));
        for (const auto& v : r.tokens) {
            QCOMPARE(failure(v.token, in.publicKey), QStringLiteral("alg"));
        }
        QVERIFY(!audit::attacks::runAttack(QStringLiteral("confusion"), inputFor(m_token))); // needs a key
    }

    void embeddedJwk()
    {
        const AttackResult r = attack(QStringLiteral("embedded-jwk"), inputFor(m_token));
        QCOMPARE(names(r), (QStringList{QStringLiteral("jwk-rs256-fresh-key"),
                                        QStringLiteral("jwk-rs256-fresh-key-kid-thumbprint")}));
        for (const auto& v : r.tokens) {
            const QJsonObject header = QJsonDocument::fromJson(parts(v.token).header).object();
            QCOMPARE(header.value(QStringLiteral("alg")).toString(), QStringLiteral("RS256"));
            QCOMPARE(header.value(QStringLiteral("jwk")).toObject().value(QStringLiteral("kty")).toString(),
                     QStringLiteral("RSA"));
            QVERIFY(!header.value(QStringLiteral("jwk")).toObject().contains(QStringLiteral("d")));
            QCOMPARE(parts(v.token).payload, payload);
            // Self-consistent: it verifies with the key it carries ...
            validate::Policy trusting;
            trusting.trustEmbeddedKey = true;
            QVERIFY(verify(v.token, m_rsaPublic, trusting).valid);
            // ... and the default policy with the real key rejects it.
            QCOMPARE(failure(v.token, m_rsaPublic), QStringLiteral("signature"));
        }
        QVERIFY(artifact(r, QStringLiteral("attacker-key.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        // An ES256 token gets a fresh P-256 key.
        const AttackResult ec =
            attack(QStringLiteral("embedded-jwk"), inputFor(signedToken(Alg::ES256, generated(Alg::ES256))));
        QCOMPARE(ec.tokens[0].name, QStringLiteral("jwk-es256-fresh-key"));
        QCOMPARE(failure(ec.tokens[0].token, publicHalf(generated(Alg::ES256))), QStringLiteral("signature"));
    }

    void jku()
    {
        AttackInput in = inputFor(m_token);
        in.url = QStringLiteral("https://attacker.example/jwks.json");
        const AttackResult r = attack(QStringLiteral("jku"), in);
        QCOMPARE(names(r), QStringList{QStringLiteral("jku-attacker-url")});
        const QByteArray t = r.tokens[0].token;
        const QJsonObject header = QJsonDocument::fromJson(parts(t).header).object();
        QCOMPARE(header.value(QStringLiteral("jku")).toString(), in.url);
        const QByteArray jwks = artifact(r, QStringLiteral("jwks.json"));
        const keys::JwkSet set = keys::importJwks(jwks).value();
        QCOMPARE(set.keys.size(), 1);
        QCOMPARE(set.keys[0]->meta().kid, header.value(QStringLiteral("kid")).toString());
        // The hosted JWK Set verifies it (what a jku-following verifier would do) ...
        validate::KeyInput hosted{nullptr, set, QStringLiteral("hosted")};
        validate::Policy p;
        p.now = now;
        QVERIFY(validate::verifyToken(t, hosted, p).value().valid);
        // ... the real key does not.
        QCOMPARE(failure(t, m_rsaPublic), QStringLiteral("signature"));
        QVERIFY(!audit::attacks::runAttack(QStringLiteral("jku"), inputFor(m_token))); // needs --url
    }

    void x5u()
    {
        AttackInput in = inputFor(m_token);
        in.url = QStringLiteral("https://attacker.example/cert.pem");
        const AttackResult r = attack(QStringLiteral("x5u"), in);
        const QByteArray t = tokenOf(r, QStringLiteral("x5u-attacker-url"));
        QCOMPARE(QJsonDocument::fromJson(parts(t).header).object().value(QStringLiteral("x5u")).toString(), in.url);
        const keys::KeyPtr cert = keys::importKey(artifact(r, QStringLiteral("cert.pem"))).value();
        QVERIFY(verify(t, cert).valid);
        QCOMPARE(failure(t, m_rsaPublic), QStringLiteral("signature"));
    }

    void x5c()
    {
        const AttackResult r = attack(QStringLiteral("x5c"), inputFor(m_token));
        const QByteArray t = tokenOf(r, QStringLiteral("x5c-self-signed"));
        const QJsonArray chain =
            QJsonDocument::fromJson(parts(t).header).object().value(QStringLiteral("x5c")).toArray();
        QCOMPARE(chain.size(), 1);
        const QByteArray der = QByteArray::fromBase64(chain[0].toString().toLatin1());
        QCOMPARE(der.at(0), '\x30');
        const keys::KeyPtr cert = keys::importKey(der).value();
        QVERIFY(verify(t, cert).valid);
        QCOMPARE(failure(t, m_rsaPublic), QStringLiteral("signature"));
        validate::Policy trusting;
        trusting.trustEmbeddedKey = true;
        const validate::Report selfAsserted = verify(t, m_rsaPublic, trusting);
        QVERIFY(selfAsserted.selfAsserted); // only an explicit opt-in uses the token's own certificate
    }

    void kidInjection()
    {
        const AttackResult r = attack(QStringLiteral("kid"), inputFor(m_token));
        QCOMPARE(names(r), (QStringList{QStringLiteral("kid-path-traversal-dev-null"),
                                        QStringLiteral("kid-absolute-dev-null"), QStringLiteral("kid-sql-injection")}));
        const QByteArray path = tokenOf(r, QStringLiteral("kid-path-traversal-dev-null"));
        QCOMPARE(parts(path).header,
                 QByteArray("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"../../../../../../../../dev/null\"}"));
        QCOMPARE(parts(path).signature, mac(Alg::HS256, QByteArray(), path));
        const QByteArray sql = tokenOf(r, QStringLiteral("kid-sql-injection"));
        QCOMPARE(parts(sql).header,
                 QByteArray("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"x' UNION SELECT 'tokenbench-sqli' -- \"}"));
        QCOMPARE(parts(sql).signature, mac(Alg::HS256, "tokenbench-sqli", sql));
        const keys::KeyPtr hs = generated(Alg::HS256);
        for (const auto& v : r.tokens) {
            QCOMPARE(failure(v.token, m_rsaPublic), QStringLiteral("alg"));
            QCOMPARE(failure(v.token, hs), QStringLiteral("signature"));
        }
        // What /dev/null yields, an empty secret, is refused outright.
        QCOMPARE(failure(path, keys::secretKey(QByteArray())), QStringLiteral("key"));
    }

    void psychic()
    {
        const AttackResult r = attack(QStringLiteral("psychic"), inputFor(m_token));
        QCOMPARE(r.tokens.size(), 6);
        for (Alg alg : {Alg::ES256, Alg::ES384, Alg::ES512}) {
            const QString lower = jose::algName(alg).toLower();
            const int n = crypto::ecdsaCoordBytes(alg);
            const QByteArray raw = tokenOf(r, lower + QStringLiteral("-raw-zero"));
            const QByteArray der = tokenOf(r, lower + QStringLiteral("-der-zero"));
            QCOMPARE(parts(raw).header,
                     "{\"alg\":\"" + jose::algName(alg).toLatin1() + "\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
            QCOMPARE(parts(raw).signature, QByteArray(2 * n, '\0'));
            QCOMPARE(parts(der).signature, QByteArray::fromHex("3006020100020100"));
            const keys::KeyPtr ec = publicHalf(generated(alg));
            QCOMPARE(failure(raw, ec), QStringLiteral("signature"));
            QCOMPARE(failure(der, ec), QStringLiteral("signature"));
            const validate::Report report = verify(raw, ec);
            QVERIFY2(report.firstFailure()->detail.contains(QStringLiteral("CVE-2022-21449")),
                     qPrintable(report.firstFailure()->detail));
            QCOMPARE(failure(raw, m_rsaPublic), QStringLiteral("alg"));
        }
    }

    void malleability()
    {
        for (Alg alg : {Alg::ES256, Alg::ES384, Alg::ES512}) {
            const keys::KeyPtr key = generated(alg);
            const keys::KeyPtr pub = publicHalf(key);
            const QByteArray original = signedToken(alg, key);
            const AttackResult r = attack(QStringLiteral("malleability"), inputFor(original));
            QCOMPARE(names(r),
                     (QStringList{QStringLiteral("s-to-n-minus-s"), QStringLiteral("der-encoded-signature")}));
            const int n = crypto::ecdsaCoordBytes(alg);
            const QByteArray flipped = tokenOf(r, QStringLiteral("s-to-n-minus-s"));
            QCOMPARE(parts(flipped).signingInput(), parts(original).signingInput());
            QCOMPARE(parts(flipped).signature.size(), 2 * n);
            QCOMPARE(parts(flipped).signature.first(n), parts(original).signature.first(n)); // r unchanged
            QVERIFY(parts(flipped).signature.sliced(n) != parts(original).signature.sliced(n));
            QVERIFY(flipped != original);
            // (r, n - s) is a mathematically valid ECDSA signature: no verifier can reject it without refusing
            // high-s signatures, which common signers (OpenSSL among them) produce half of the time. The claims are
            // the original's; the defence is revocation by jti, not by token bytes.
            QVERIFY(verify(flipped, pub).valid);
            QCOMPARE(failure(tokenOf(r, QStringLiteral("der-encoded-signature")), pub), QStringLiteral("signature"));
        }
        QVERIFY(!audit::attacks::runAttack(QStringLiteral("malleability"), inputFor(m_token))); // RS256: not ECDSA
    }

    void tamper()
    {
        AttackInput in = inputFor(m_token);
        const AttackResult plain = attack(QStringLiteral("tamper"), in);
        QCOMPARE(names(plain), QStringList{QStringLiteral("tampered-original-signature")});
        const QByteArray t = plain.tokens[0].token;
        QCOMPARE(parts(t).payload,
                 QByteArray("{\"sub\":\"user-42\",\"iat\":1700000000,\"exp\":1700000600,\"admin\":true,"
                            "\"role\":\"admin\"}"));
        QCOMPARE(parts(t).segments[0], parts(m_token).segments[0]);
        QCOMPARE(parts(t).segments[2], parts(m_token).segments[2]);
        QCOMPARE(failure(t, m_rsaPublic), QStringLiteral("signature"));

        in.signingKey = m_rsa;
        in.claims = {{QStringLiteral("sub"), "\"admin\""}};
        const AttackResult resigned = attack(QStringLiteral("tamper"), in);
        QCOMPARE(names(resigned),
                 (QStringList{QStringLiteral("tampered-original-signature"), QStringLiteral("tampered-re-signed")}));
        const QByteArray rs = tokenOf(resigned, QStringLiteral("tampered-re-signed"));
        QCOMPARE(parts(rs).payload, QByteArray("{\"sub\":\"admin\",\"iat\":1700000000,\"exp\":1700000600}"));
        QCOMPARE(failure(tokenOf(resigned, QStringLiteral("tampered-original-signature")), m_rsaPublic),
                 QStringLiteral("signature"));
        // Re-signed with the real key, the token is genuine: the only defence is keeping the key secret.
        QVERIFY(verify(rs, m_rsaPublic).valid);
        QCOMPARE(failure(rs, publicHalf(generated(Alg::PS256))), QStringLiteral("signature"));
        // A public key cannot re-sign.
        in.signingKey = m_rsaPublic;
        QVERIFY(!audit::attacks::runAttack(QStringLiteral("tamper"), in));
    }

    void expExtension()
    {
        AttackInput in = inputFor(m_token);
        in.extendBy = 3600;
        const AttackResult r = attack(QStringLiteral("exp"), in);
        QCOMPARE(names(r), (QStringList{QStringLiteral("exp-extended-original-signature"),
                                        QStringLiteral("exp-9999999999-original-signature")}));
        QCOMPARE(parts(r.tokens[0].token).payload,
                 QByteArray("{\"sub\":\"user-42\",\"iat\":1700000000,\"exp\":1700004200}"));
        QCOMPARE(parts(r.tokens[1].token).payload,
                 QByteArray("{\"sub\":\"user-42\",\"iat\":1700000000,\"exp\":9999999999}"));
        for (const auto& v : r.tokens) {
            QCOMPARE(failure(v.token, m_rsaPublic), QStringLiteral("signature"));
        }
        // After the original expired, the extended copies are still refused (signature first, then exp).
        auto report = validate::verifyToken(r.tokens[0].token, {m_rsaPublic, {}, {}},
                                            [] {
                                                validate::Policy p;
                                                p.now = 1700001000;
                                                return p;
                                            }())
                          .value();
        QVERIFY(!report.valid);
        QCOMPARE(report.signature, validate::SignatureState::Invalid);
        const keys::KeyPtr hs = generated(Alg::HS256);
        in = inputFor(signedToken(Alg::HS256, hs));
        in.signingKey = hs;
        const AttackResult resigned = attack(QStringLiteral("exp"), in);
        QVERIFY(verify(tokenOf(resigned, QStringLiteral("exp-extended-re-signed")), hs).valid);
    }

    void corpusReplaysAgainstVerify()
    {
        AttackInput in = inputFor(m_token);
        in.publicKey = m_rsaPublic;
        in.signingKey = m_rsa;
        in.url = QStringLiteral("https://attacker.example/k");
        const QJsonObject corpus = audit::attacks::attackCorpus(in).value();
        QCOMPARE(corpus.value(QStringLiteral("kind")).toString(), QStringLiteral("corpus"));
        QCOMPARE(corpus.value(QStringLiteral("token")).toString(), QString::fromLatin1(m_token));
        const QJsonArray attacks = corpus.value(QStringLiteral("attacks")).toArray();
        QCOMPARE(attacks.size(), 12); // every kind except malleability (an RS256 token)
        const QJsonArray skipped = corpus.value(QStringLiteral("skipped")).toArray();
        QCOMPARE(skipped.size(), 1);
        QCOMPARE(skipped[0].toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("malleability"));
        for (const auto a : attacks) {
            QVERIFY(!a.toObject().value(QStringLiteral("explanation")).toString().isEmpty());
            QVERIFY(!a.toObject().value(QStringLiteral("tokens")).toArray().isEmpty());
        }
        const QJsonArray tokens = corpus.value(QStringLiteral("tokens")).toArray();
        QVERIFY(tokens.size() > 40);
        int accepted = 0;
        for (const auto v : tokens) {
            const QString variant = v.toObject().value(QStringLiteral("variant")).toString();
            const QByteArray t = v.toObject().value(QStringLiteral("token")).toString().toLatin1();
            const validate::Report report = verify(t, m_rsaPublic);
            if (variant.endsWith(QStringLiteral("re-signed"))) {
                ++accepted; // made with the real private key, which the caller supplied
                continue;
            }
            QVERIFY2(!report.valid, qPrintable(variant));
        }
        QCOMPARE(accepted, 2);
    }
};

QTEST_GUILESS_MAIN(TestAttacks)
#include "tst_attacks.moc"
