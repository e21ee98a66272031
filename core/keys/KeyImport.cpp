#include <QJsonArray>
#include <QJsonDocument>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "base/Bytes.h"
#include "base/Limits.h"
#include "crypto/Ossl.h"
#include "jose/Base64Url.h"
#include "jose/JsonText.h"
#include "keys/KdfCost.h"
#include "keys/KeyIo.h"

namespace tb::keys {

using namespace tb::crypto;

namespace {

int refusePassphrase(char*, std::size_t, std::size_t*, const OSSL_PARAM[], void*)
{
    return 0; // no passphrase given: never fall back to a terminal prompt
}

// Tries one decoder pass; returns null when the bytes are not of this shape.
PkeyPtr decodeWith(QByteArrayView bytes, const char* inputType, int selection, const SecretBytes* passphrase)
{
    EVP_PKEY* pkey = nullptr;
    DecoderCtxPtr ctx(OSSL_DECODER_CTX_new_for_pkey(&pkey, inputType, nullptr, nullptr, selection, nullptr, nullptr));
    if (!ctx || OSSL_DECODER_CTX_get_num_decoders(ctx.get()) == 0) {
        return {};
    }
    if (passphrase != nullptr) {
        OSSL_DECODER_CTX_set_passphrase(ctx.get(), passphrase->data(), passphrase->size());
    } else {
        OSSL_DECODER_CTX_set_passphrase_cb(ctx.get(), refusePassphrase, nullptr);
    }
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t len = static_cast<std::size_t>(bytes.size());
    if (OSSL_DECODER_from_data(ctx.get(), &data, &len) != 1) {
        EVP_PKEY_free(pkey);
        return {};
    }
    return PkeyPtr(pkey);
}

// Whether an EC private scalar and the public point stored beside it belong together. A SEC1 or PKCS#8 file
// carries both and the decoders do not compare them: a damaged or crafted file would sign with one key and
// show (thumbprint, verify, export) another.
bool ecPairMatches(EVP_PKEY* pkey)
{
    ERR_set_mark();
    PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    const bool ok = check && EVP_PKEY_pairwise_check(check.get()) == 1;
    ERR_pop_to_mark();
    return ok;
}

// One DER tag and definite length at `p`, advancing `p` past them; false past the end.
bool derHeader(QByteArrayView der, qsizetype& p, unsigned char& tag, qsizetype& length)
{
    if (p < 0 || p + 2 > der.size()) {
        return false;
    }
    tag = static_cast<unsigned char>(der[p++]);
    length = static_cast<unsigned char>(der[p++]);
    if (length & 0x80) {
        const qsizetype n = length & 0x7f;
        if (n == 0 || n > 4 || p + n > der.size()) {
            return false;
        }
        length = 0;
        for (qsizetype i = 0; i < n; ++i) {
            length = (length << 8) | static_cast<unsigned char>(der[p++]);
        }
    }
    return true;
}

// Whether DER bytes are shaped like a private key: PKCS#8, PKCS#1 RSAPrivateKey and SEC1 open with a one-byte
// version INTEGER; EncryptedPrivateKeyInfo has an OCTET STRING after its algorithm. SPKI (algorithm, then a
// BIT STRING) and RSAPublicKey (n first) are public.
bool derLooksPrivate(QByteArrayView der)
{
    qsizetype p = 0;
    unsigned char tag = 0;
    qsizetype length = 0;
    if (!derHeader(der, p, tag, length) || tag != 0x30 || !derHeader(der, p, tag, length)) {
        return false;
    }
    if (tag == 0x02) {
        return length == 1;
    }
    if (tag != 0x30) {
        return false;
    }
    p += length;
    return derHeader(der, p, tag, length) && tag == 0x04;
}

Result<KeyPtr> fromCertificate(QByteArrayView bytes, bool pem)
{
    X509Ptr cert;
    if (pem) {
        BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
        cert.reset(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    } else {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
        cert.reset(d2i_X509(nullptr, &p, static_cast<long>(bytes.size())));
    }
    EVP_PKEY* pkey = cert ? X509_get_pubkey(cert.get()) : nullptr;
    if (pkey == nullptr) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The certificate could not be read."),
                    takeOpensslErrors());
    }
    return Key::fromPkeyChecked(pkey, false);
}

Result<KeyPtr> fromPemOrDer(QByteArrayView bytes, const SecretBytes* passphrase)
{
    const bool pem = bytes.contains("-----BEGIN");
    if (pem && bytes.contains("-----BEGIN CERTIFICATE-----")) {
        return fromCertificate(bytes, true);
    }
    const bool encrypted = pem && (bytes.contains("ENCRYPTED PRIVATE KEY") || bytes.contains("Proc-Type: 4,ENCRYPTED"));
    if (encrypted && passphrase == nullptr) {
        return fail(ErrorCode::PassphraseRequired,
                    QStringLiteral("The private key is encrypted: a passphrase is needed."));
    }
    if (passphrase != nullptr) {
        if (const auto affordable = checkKdfCost(bytes); !affordable) {
            return std::unexpected(affordable.error());
        }
    }
    const char* type = pem ? "PEM" : "DER";
    // A PEM label says which half it holds; trying the private decoders on a public key doubles the cost.
    const bool labelledPublic = pem && bytes.contains("PUBLIC KEY-----");
    const bool privateShape = !labelledPublic && (pem ? bytes.contains("PRIVATE KEY-----") : derLooksPrivate(bytes));
    ERR_set_mark();
    PkeyPtr pkey = labelledPublic ? PkeyPtr() : decodeWith(bytes, type, EVP_PKEY_KEYPAIR, passphrase);
    const bool hasPrivate = static_cast<bool>(pkey);
    // A private key that does not decode as one is damaged, or OpenSSL ran out of memory: reading just its
    // public half would quietly turn a signing key into a verify-only one (found by tests/failinject).
    if (!pkey && !privateShape) {
        pkey = decodeWith(bytes, type, EVP_PKEY_PUBLIC_KEY, passphrase);
    }
    ERR_pop_to_mark();
    if (pkey && hasPrivate && EVP_PKEY_is_a(pkey.get(), "EC") && !ecPairMatches(pkey.get())) {
        return fail(ErrorCode::KeyUnreadable,
                    QStringLiteral("The EC private key does not match the public point stored with it."));
    }
    if (pkey) {
        return Key::fromPkeyChecked(pkey.release(), hasPrivate);
    }
    if (encrypted) {
        return fail(ErrorCode::WrongPassphrase, QStringLiteral("The passphrase does not decrypt the private key."));
    }
    if (!pem) {
        ERR_set_mark();
        auto cert = fromCertificate(bytes, false);
        ERR_pop_to_mark();
        if (cert) {
            return cert;
        }
    }
    return fail(
        ErrorCode::KeyUnreadable,
        pem ? QStringLiteral("The PEM block is not a supported key (SPKI, PKCS#8, PKCS#1, SEC1 or certificate).")
            : QStringLiteral("The data is not a key: expected PEM, DER, a JWK or a JWK Set."));
}

// ---- JWK ----

Result<QByteArray> member(const QJsonObject& jwk, const char* name, bool required)
{
    const QJsonValue v = jwk.value(QLatin1String(name));
    if (v.isUndefined()) {
        if (required) {
            return fail(ErrorCode::KeyUnreadable,
                        QStringLiteral("The JWK has no \"%1\" member.").arg(QLatin1String(name)));
        }
        return QByteArray();
    }
    if (!v.isString()) {
        return fail(ErrorCode::KeyUnreadable,
                    QStringLiteral("The JWK member \"%1\" must be a base64url string.").arg(QLatin1String(name)));
    }
    auto bytes = jose::base64UrlDecode(v.toString().toLatin1());
    if (!bytes) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The JWK member \"%1\" is not valid base64url: %2")
                                                  .arg(QLatin1String(name), bytes.error().message));
    }
    if (required && bytes->isEmpty()) {
        return fail(ErrorCode::KeyUnreadable,
                    QStringLiteral("The JWK member \"%1\" is empty.").arg(QLatin1String(name)));
    }
    return *bytes;
}

bool pushBn(OSSL_PARAM_BLD* bld, const char* key, const QByteArray& bytes, std::vector<SecretBnPtr>& keep)
{
    BIGNUM* bn =
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.constData()), static_cast<int>(bytes.size()), nullptr);
    if (bn == nullptr) {
        return false;
    }
    keep.emplace_back(bn);
    return OSSL_PARAM_BLD_push_BN(bld, key, bn) == 1;
}

Result<KeyPtr> buildPkey(const char* type, OSSL_PARAM_BLD* bld, bool priv, const QString& what)
{
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &pkey, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The %1 JWK does not describe a valid key.").arg(what),
                    takeOpensslErrors());
    }
    return Key::fromPkeyChecked(pkey, priv);
}

Result<KeyPtr> rsaFromJwk(const QJsonObject& jwk)
{
    auto n = member(jwk, "n", true);
    auto e = member(jwk, "e", true);
    auto d = member(jwk, "d", false);
    if (!n || !e || !d) {
        return std::unexpected(!n ? n.error() : !e ? e.error() : d.error());
    }
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    std::vector<SecretBnPtr> keep;
    // OSSL_PARAM_BLD_push_* do not check for a null builder (found by tests/failinject).
    bool ok =
        bld && pushBn(bld.get(), OSSL_PKEY_PARAM_RSA_N, *n, keep) && pushBn(bld.get(), OSSL_PKEY_PARAM_RSA_E, *e, keep);
    const bool priv = !d->isEmpty();
    if (priv) {
        ok = ok && pushBn(bld.get(), OSSL_PKEY_PARAM_RSA_D, *d, keep);
        static const char* const crt[][2] = {{"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
                                             {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
                                             {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
                                             {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
                                             {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1}};
        int present = 0;
        for (const auto& m : crt) {
            present += jwk.contains(QLatin1String(m[0])) ? 1 : 0;
        }
        if (present != 0 && present != 5) {
            return fail(ErrorCode::KeyUnreadable,
                        QStringLiteral("The RSA JWK has some but not all of p, q, dp, dq and qi."));
        }
        for (const auto& m : crt) {
            if (present == 0) {
                break;
            }
            auto v = member(jwk, m[0], true);
            if (!v) {
                return std::unexpected(v.error());
            }
            ok = ok && pushBn(bld.get(), m[1], *v, keep);
        }
    }
    if (!ok) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Could not build the RSA key."), takeOpensslErrors());
    }
    return buildPkey("RSA", bld.get(), priv, QStringLiteral("RSA"));
}

struct CurveInfo
{
    const char* jwk;
    const char* openssl;
    int bytes;
};

constexpr CurveInfo curves[] = {{"P-256", "prime256v1", 32},
                                {"P-384", "secp384r1", 48},
                                {"P-521", "secp521r1", 66},
                                {"secp256k1", "secp256k1", 32}};

Result<KeyPtr> ecFromJwk(const QJsonObject& jwk)
{
    const QString crv = jwk.value(QStringLiteral("crv")).toString();
    const CurveInfo* curve = nullptr;
    for (const auto& c : curves) {
        if (crv == QLatin1String(c.jwk)) {
            curve = &c;
        }
    }
    if (curve == nullptr) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The EC JWK curve \"%1\" is not supported (P-256, P-384, "
                                                             "P-521, secp256k1).")
                                                  .arg(crv));
    }
    auto x = member(jwk, "x", true);
    auto y = member(jwk, "y", true);
    auto d = member(jwk, "d", false);
    if (!x || !y || !d) {
        return std::unexpected(!x ? x.error() : !y ? y.error() : d.error());
    }
    if (x->size() != curve->bytes || y->size() != curve->bytes || (!d->isEmpty() && d->size() != curve->bytes)) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The %1 JWK members x, y and d must be exactly %2 bytes "
                                                             "each (RFC 7518 §6.2.1).")
                                                  .arg(crv)
                                                  .arg(curve->bytes));
    }
    const QByteArray point = QByteArray(1, '\x04') + *x + *y;
    ParamBldPtr bld(OSSL_PARAM_BLD_new());
    std::vector<SecretBnPtr> keep;
    bool ok = bld && OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->openssl, 0) == 1 &&
              OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                               static_cast<std::size_t>(point.size())) == 1;
    const bool priv = !d->isEmpty();
    if (priv) {
        ok = ok && pushBn(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, *d, keep);
    }
    if (!ok) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Could not build the EC key."), takeOpensslErrors());
    }
    auto key = buildPkey("EC", bld.get(), priv, QStringLiteral("EC"));
    if (key && priv && !ecPairMatches((*key)->pkey())) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The EC JWK's private value d does not match x and y."));
    }
    return key;
}

Result<KeyPtr> okpFromJwk(const QJsonObject& jwk)
{
    const QString crv = jwk.value(QStringLiteral("crv")).toString();
    const char* type = crv == QStringLiteral("Ed25519")  ? "ED25519"
                       : crv == QStringLiteral("Ed448")  ? "ED448"
                       : crv == QStringLiteral("X25519") ? "X25519"
                       : crv == QStringLiteral("X448")   ? "X448"
                                                         : nullptr;
    if (type == nullptr) {
        return fail(
            ErrorCode::KeyUnreadable,
            QStringLiteral("The OKP JWK curve \"%1\" is not supported (Ed25519, Ed448, X25519, X448).").arg(crv));
    }
    auto x = member(jwk, "x", true);
    auto d = member(jwk, "d", false);
    if (!x || !d) {
        return std::unexpected(!x ? x.error() : d.error());
    }
    const auto* xp = reinterpret_cast<const unsigned char*>(x->constData());
    if (d->isEmpty()) {
        EVP_PKEY* pkey =
            EVP_PKEY_new_raw_public_key_ex(nullptr, type, nullptr, xp, static_cast<std::size_t>(x->size()));
        if (pkey == nullptr) {
            return fail(ErrorCode::KeyUnreadable, QStringLiteral("The %1 JWK's x has the wrong length.").arg(crv),
                        takeOpensslErrors());
        }
        return Key::fromPkeyChecked(pkey, false);
    }
    PkeyPtr pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, type, nullptr,
                                                 reinterpret_cast<const unsigned char*>(d->constData()),
                                                 static_cast<std::size_t>(d->size())));
    QByteArray derived(x->size(), '\0');
    std::size_t len = static_cast<std::size_t>(derived.size());
    if (!pkey || EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char*>(derived.data()), &len) != 1) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The %1 JWK's d has the wrong length.").arg(crv),
                    takeOpensslErrors());
    }
    if (derived != *x) {
        return fail(ErrorCode::KeyUnreadable,
                    QStringLiteral("The %1 JWK's private value d does not match x.").arg(crv));
    }
    return Key::fromPkeyChecked(pkey.release(), true);
}

Result<KeyMeta> metaOf(const QJsonObject& jwk)
{
    KeyMeta meta;
    for (const char* name : {"kid", "alg", "use"}) {
        const QJsonValue v = jwk.value(QLatin1String(name));
        if (!v.isUndefined() && !v.isString()) {
            return fail(ErrorCode::KeyUnreadable,
                        QStringLiteral("The JWK member \"%1\" must be a string.").arg(QLatin1String(name)));
        }
    }
    meta.kid = jwk.value(QStringLiteral("kid")).toString();
    meta.alg = jwk.value(QStringLiteral("alg")).toString();
    meta.use = jwk.value(QStringLiteral("use")).toString();
    if (jwk.contains(QStringLiteral("key_ops"))) {
        const QJsonValue ops = jwk.value(QStringLiteral("key_ops"));
        if (!ops.isArray()) {
            return fail(ErrorCode::KeyUnreadable, QStringLiteral("The JWK member \"key_ops\" must be an array."));
        }
        QStringList list;
        for (const auto& op : ops.toArray()) {
            list << op.toString();
        }
        meta.keyOps = list;
    }
    return meta;
}

} // namespace

Result<KeyPtr> importJwk(const QJsonObject& jwk)
{
    auto meta = metaOf(jwk);
    if (!meta) {
        return std::unexpected(meta.error());
    }
    const QJsonValue ktyValue = jwk.value(QStringLiteral("kty"));
    if (!ktyValue.isString()) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The JWK has no \"kty\" string member."));
    }
    const QString kty = ktyValue.toString();
    Result<KeyPtr> key = fail(ErrorCode::KeyUnreadable, QStringLiteral("The JWK key type \"%1\" is not supported "
                                                                       "(RSA, EC, OKP, oct).")
                                                            .arg(kty));
    ERR_clear_error();
    if (kty == QStringLiteral("RSA")) {
        key = rsaFromJwk(jwk);
    } else if (kty == QStringLiteral("EC")) {
        key = ecFromJwk(jwk);
    } else if (kty == QStringLiteral("OKP")) {
        key = okpFromJwk(jwk);
    } else if (kty == QStringLiteral("oct")) {
        auto k = member(jwk, "k", false);
        if (!k) {
            return std::unexpected(k.error());
        }
        if (!jwk.contains(QStringLiteral("k"))) {
            return fail(ErrorCode::KeyUnreadable, QStringLiteral("The JWK has no \"k\" member."));
        }
        key = secretKey(*k);
        cleanse(*k);
    }
    if (!key) {
        return key;
    }
    auto copy = std::const_pointer_cast<Key>(*key);
    copy->setMeta(*meta);
    return KeyPtr(copy);
}

Result<JwkSet> importJwks(QByteArrayView bytes)
{
    if (bytes.size() > qsizetype(limits::maxKeyFileBytes)) {
        return fail(ErrorCode::TooLarge, QStringLiteral("The JWK Set is %1 bytes, larger than the 1 MiB key file limit "
                                                        "(%2 bytes).")
                                             .arg(bytes.size())
                                             .arg(limits::maxKeyFileBytes));
    }
    auto object = jose::parseObject(bytes::trimmed(bytes));
    if (!object) {
        return fail(object.error().code,
                    QStringLiteral("The JWK Set is not a JSON object: %1").arg(object.error().message));
    }
    const QJsonValue keys = object->value(QStringLiteral("keys"));
    if (!keys.isArray()) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The JWK Set has no \"keys\" array."));
    }
    const QJsonArray array = keys.toArray();
    if (array.size() > qsizetype(limits::maxJwksKeys)) {
        return fail(ErrorCode::TooLarge, QStringLiteral("The JWK Set has %1 keys, more than the limit of %2.")
                                             .arg(array.size())
                                             .arg(limits::maxJwksKeys));
    }
    JwkSet set;
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto key = array[i].isObject()
                       ? importJwk(array[i].toObject())
                       : Result<KeyPtr>(fail(ErrorCode::KeyUnreadable, QStringLiteral("it is not a JSON object.")));
        if (key) {
            set.keys << *key;
        } else if (key.error().code == ErrorCode::CryptoFailure) {
            return std::unexpected(key.error()); // OpenSSL failed: dropping the key would change the verdicts
        } else {
            set.skipped << QStringLiteral("Key #%1 skipped: %2").arg(i).arg(key.error().message);
            const QJsonValue kid = array[i].toObject().value(QStringLiteral("kid"));
            if (kid.isString()) {
                set.skippedKids << kid.toString();
            }
        }
    }
    return set;
}

KeyPtr secretKey(QByteArrayView bytes)
{
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    return Key::fromSecret(SecretBytes(std::span<const std::uint8_t>(p, static_cast<std::size_t>(bytes.size()))));
}

Result<KeyPtr> importKey(QByteArrayView bytes, const SecretBytes* passphrase)
{
    if (bytes.size() > qsizetype(limits::maxKeyFileBytes)) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The key file is %1 bytes, larger than the 1 MiB limit (%2 bytes).")
                        .arg(bytes.size())
                        .arg(limits::maxKeyFileBytes));
    }
    const QByteArrayView text = bytes::trimmed(bytes);
    if (text.isEmpty()) {
        return fail(ErrorCode::KeyUnreadable, QStringLiteral("The key file is empty."));
    }
    if (text.front() == '{') {
        auto object = jose::parseObject(text);
        if (!object) {
            return fail(ErrorCode::KeyUnreadable,
                        QStringLiteral("The key looks like JSON but is not valid: %1").arg(object.error().message));
        }
        if (object->contains(QStringLiteral("keys"))) {
            auto set = importJwks(text);
            if (!set) {
                return std::unexpected(set.error());
            }
            if (set->keys.size() != 1 || !set->skipped.isEmpty()) {
                return fail(ErrorCode::KeyUnreadable,
                            QStringLiteral("This is a JWK Set with %1 usable keys: pass it with --jwks.")
                                .arg(set->keys.size()));
            }
            return set->keys.first();
        }
        return importJwk(*object);
    }
    ERR_clear_error();
    return fromPemOrDer(text.front() == '-' ? text : bytes, passphrase);
}

} // namespace tb::keys
