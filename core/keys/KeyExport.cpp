#include <openssl/err.h>

#include "crypto/Ossl.h"
#include "crypto/Random.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "jose/JsonText.h"
#include "keys/KeyIo.h"

namespace tb::keys {

using namespace tb::crypto;

namespace {

// A big-number parameter as exactly `width` bytes (0: minimal length), base64url-encoded.
Result<QByteArray> bnParam(const Key& key, const char* name, int width)
{
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key.pkey(), name, &raw) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("The key has no %1 parameter.").arg(QLatin1String(name)),
                    takeOpensslErrors());
    }
    SecretBnPtr bn(raw);
    const int size = width > 0 ? width : BN_num_bytes(bn.get());
    QByteArray bytes(qMax(size, 1), '\0');
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) < 0) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("A key parameter is too long."));
    }
    QByteArray encoded = jose::base64UrlEncode(bytes);
    cleanse(bytes);
    return encoded;
}

Result<QByteArray> rawKey(const Key& key, bool priv)
{
    std::size_t len = 0;
    auto get = priv ? EVP_PKEY_get_raw_private_key : EVP_PKEY_get_raw_public_key;
    if (get(key.pkey(), nullptr, &len) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("The key has no raw form."), takeOpensslErrors());
    }
    QByteArray bytes(static_cast<qsizetype>(len), '\0');
    if (get(key.pkey(), reinterpret_cast<unsigned char*>(bytes.data()), &len) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("The key has no raw form."), takeOpensslErrors());
    }
    QByteArray encoded = jose::base64UrlEncode(bytes);
    cleanse(bytes);
    return encoded;
}

int ecCoordBytes(const Key& key)
{
    return key.curve() == QStringLiteral("P-384") ? 48 : key.curve() == QStringLiteral("P-521") ? 66 : 32;
}

using Members = QList<std::pair<const char*, QByteArray>>; // name, base64url value

Result<Members> keyMembers(const Key& key, KeyPart part)
{
    Members m;
    const bool priv = part == KeyPart::Private;
    if (priv && !key.hasPrivate()) {
        return fail(ErrorCode::KeyMismatch,
                    QStringLiteral("This is a public key: it has no private members to export."));
    }
    auto add = [&m](const char* name, Result<QByteArray> v) -> bool {
        if (!v) {
            return false;
        }
        m.append({name, *v});
        return true;
    };
    bool ok = true;
    switch (key.type()) {
    case KeyType::Oct:
        m.append({"k", jose::base64UrlEncode(key.secret().reveal())});
        break;
    case KeyType::Rsa:
        ok = add("n", bnParam(key, OSSL_PKEY_PARAM_RSA_N, 0)) && add("e", bnParam(key, OSSL_PKEY_PARAM_RSA_E, 0));
        if (ok && priv) {
            ok = add("d", bnParam(key, OSSL_PKEY_PARAM_RSA_D, 0)) &&
                 add("p", bnParam(key, OSSL_PKEY_PARAM_RSA_FACTOR1, 0)) &&
                 add("q", bnParam(key, OSSL_PKEY_PARAM_RSA_FACTOR2, 0)) &&
                 add("dp", bnParam(key, OSSL_PKEY_PARAM_RSA_EXPONENT1, 0)) &&
                 add("dq", bnParam(key, OSSL_PKEY_PARAM_RSA_EXPONENT2, 0)) &&
                 add("qi", bnParam(key, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, 0));
        }
        break;
    case KeyType::Ec: {
        const int n = ecCoordBytes(key);
        m.append({"crv", key.curve().toUtf8()});
        ok = add("x", bnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, n)) && add("y", bnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, n));
        if (ok && priv) {
            ok = add("d", bnParam(key, OSSL_PKEY_PARAM_PRIV_KEY, n));
        }
        break;
    }
    case KeyType::Okp:
        m.append({"crv", key.curve().toUtf8()});
        ok = add("x", rawKey(key, false));
        if (ok && priv) {
            ok = add("d", rawKey(key, true));
        }
        break;
    }
    if (!ok) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Could not read the key's members."), takeOpensslErrors());
    }
    return m;
}

QByteArray member(const char* name, const QByteArray& value)
{
    return jose::jsonQuote(QLatin1String(name)) + ':' + jose::jsonQuote(QString::fromUtf8(value));
}

} // namespace

Result<QByteArray> exportPem(const Key& key, KeyPart part, const SecretBytes* passphrase)
{
    if (key.type() == KeyType::Oct) {
        return fail(ErrorCode::Unsupported, QStringLiteral("An HMAC secret has no PEM form; export it as a JWK."));
    }
    const bool priv = part == KeyPart::Private;
    if (priv && !key.hasPrivate()) {
        return fail(ErrorCode::KeyMismatch, QStringLiteral("This is a public key: it has no private half to export."));
    }
    ERR_clear_error();
    EncoderCtxPtr ctx(OSSL_ENCODER_CTX_new_for_pkey(key.pkey(), priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, "PEM",
                                                    priv ? "PrivateKeyInfo" : "SubjectPublicKeyInfo", nullptr));
    if (!ctx || OSSL_ENCODER_CTX_get_num_encoders(ctx.get()) == 0) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("No PEM encoder for this key."), takeOpensslErrors());
    }
    if (priv && passphrase != nullptr) {
        if (OSSL_ENCODER_CTX_set_cipher(ctx.get(), "AES-256-CBC", nullptr) != 1 ||
            OSSL_ENCODER_CTX_set_passphrase(ctx.get(), passphrase->data(), passphrase->size()) != 1) {
            return fail(ErrorCode::CryptoFailure, QStringLiteral("Could not set up key encryption."),
                        takeOpensslErrors());
        }
    }
    unsigned char* data = nullptr;
    std::size_t len = 0;
    if (OSSL_ENCODER_to_data(ctx.get(), &data, &len) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Could not encode the key as PEM."), takeOpensslErrors());
    }
    QByteArray pem(reinterpret_cast<const char*>(data), static_cast<qsizetype>(len));
    OPENSSL_clear_free(data, len);
    return pem;
}

Result<QByteArray> exportJwk(const Key& key, KeyPart part, const KeyMeta& meta)
{
    auto members = keyMembers(key, part);
    if (!members) {
        return std::unexpected(members.error());
    }
    QByteArray out = "{" + member("kty", key.typeName().toUtf8());
    for (auto& [name, value] : *members) {
        out += ',' + member(name, value);
        cleanse(value);
    }
    if (!meta.use.isEmpty()) {
        out += ',' + member("use", meta.use.toUtf8());
    }
    if (!meta.alg.isEmpty()) {
        out += ',' + member("alg", meta.alg.toUtf8());
    }
    if (!meta.kid.isEmpty()) {
        out += ',' + member("kid", meta.kid.toUtf8());
    }
    return out + '}';
}

Result<QByteArray> thumbprintInput(const Key& key)
{
    auto members = keyMembers(key, KeyPart::Public);
    if (!members) {
        return std::unexpected(members.error());
    }
    // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
    QList<std::pair<QByteArray, QByteArray>> sorted;
    for (const auto& [name, value] : *members) {
        sorted.append({QByteArray(name), value});
    }
    sorted.append({"kty", key.typeName().toUtf8()});
    std::sort(sorted.begin(), sorted.end());
    QByteArray out = "{";
    for (const auto& [name, value] : sorted) {
        if (out.size() > 1) {
            out += ',';
        }
        out += member(name.constData(), value);
    }
    return out + '}';
}

Result<QString> thumbprint(const Key& key)
{
    auto input = thumbprintInput(key);
    if (!input) {
        return std::unexpected(input.error());
    }
    auto hash = crypto::digest("SHA256", *input);
    if (!hash) {
        return std::unexpected(hash.error());
    }
    return QString::fromLatin1(jose::base64UrlEncode(*hash));
}

Result<KeyPtr> generateKey(jose::Alg alg, int bits, const QString& curve)
{
    using jose::AlgFamily;
    ERR_clear_error();
    EVP_PKEY* pkey = nullptr;
    switch (jose::algFamily(alg)) {
    case AlgFamily::Hmac: {
        const int size = bits > 0 ? bits : jose::algHashBytes(alg) * 8;
        if (size % 8 != 0 || size < jose::algHashBytes(alg) * 8 || size > 8192) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("%1 secrets must be whole bytes from %2 to 8192 bits.")
                            .arg(jose::algName(alg))
                            .arg(jose::algHashBytes(alg) * 8));
        }
        auto secret = crypto::secretRandomBytes(size / 8);
        if (!secret) {
            return std::unexpected(secret.error());
        }
        return KeyPtr(Key::fromSecret(std::move(*secret)));
    }
    case AlgFamily::RsaPkcs1:
    case AlgFamily::RsaPss: {
        const int size = bits > 0 ? bits : 2048;
        if (size < 2048 || size > 16384) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("RSA keys must have 2048 to 16384 bits (RFC 7518 §3.3 "
                                       "requires at least 2048)."));
        }
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(size));
        break;
    }
    case AlgFamily::Ecdsa: {
        const QString c = jose::algCurve(alg);
        const char* group = c == QStringLiteral("P-256")   ? "P-256"
                            : c == QStringLiteral("P-384") ? "P-384"
                            : c == QStringLiteral("P-521") ? "P-521"
                                                           : "secp256k1";
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group);
        break;
    }
    case AlgFamily::EdDsa:
        if (!curve.isEmpty() && curve != QStringLiteral("Ed25519") && curve != QStringLiteral("Ed448")) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("EdDSA keys use the curve Ed25519 or Ed448."));
        }
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, curve == QStringLiteral("Ed448") ? "ED448" : "ED25519");
        break;
    case AlgFamily::Unsecured:
        return fail(ErrorCode::InvalidArgument, QStringLiteral("alg none has no key."));
    }
    if (pkey == nullptr) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Key generation failed."), takeOpensslErrors());
    }
    return Key::fromPkeyChecked(pkey, true);
}

} // namespace tb::keys
