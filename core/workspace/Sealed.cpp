#include "Sealed.h"

#include <openssl/kdf.h>

#include "crypto/Ossl.h"
#include "crypto/Random.h"
#include "jose/Base64Url.h"

namespace tb::workspace {

namespace {

using KdfPtr = std::unique_ptr<EVP_KDF, crypto::Deleter<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, crypto::Deleter<EVP_KDF_CTX_free>>;

constexpr int keyBytes = 32;
constexpr int ivBytes = 12;
constexpr int tagBytes = 16;
constexpr int saltBytes = 16;

Result<SecretBytes> deriveKey(const SecretBytes& passphrase, const QByteArray& salt, const ScryptParams& params)
{
    KdfPtr kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr));
    if (!kdf) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("scrypt is not available in this OpenSSL."),
                    crypto::takeOpensslErrors());
    }
    KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
    if (!ctx) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("Could not set up scrypt."), crypto::takeOpensslErrors());
    }
    uint64_t n = params.n;
    uint32_t r = params.r;
    uint32_t p = params.p;
    // The passphrase pointer is never null (SecretBytes::data), so an empty passphrase still derives a key.
    OSSL_PARAM ps[] = {
        OSSL_PARAM_construct_octet_string("pass", const_cast<std::uint8_t*>(passphrase.data()), passphrase.size()),
        OSSL_PARAM_construct_octet_string("salt", const_cast<char*>(salt.constData()), std::size_t(salt.size())),
        OSSL_PARAM_construct_uint64("n", &n),
        OSSL_PARAM_construct_uint32("r", &r),
        OSSL_PARAM_construct_uint32("p", &p),
        OSSL_PARAM_construct_uint64("maxmem_bytes", nullptr),
        OSSL_PARAM_construct_end(),
    };
    uint64_t maxmem = 256ull * 1024 * 1024;
    ps[5] = OSSL_PARAM_construct_uint64("maxmem_bytes", &maxmem);
    std::vector<std::uint8_t> out(keyBytes);
    if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), ps) != 1) {
        cleanse(out.data(), out.size());
        return fail(ErrorCode::CryptoFailure, QStringLiteral("scrypt failed to derive the workspace key."),
                    crypto::takeOpensslErrors());
    }
    SecretBytes key(out);
    cleanse(out.data(), out.size());
    return key;
}

} // namespace

Result<QJsonObject> seal(const SecretBytes& plaintext, const SecretBytes& passphrase, QByteArrayView aad,
                         const ScryptParams& params)
{
    const auto salt = crypto::randomBytes(saltBytes);
    const auto iv = crypto::randomBytes(ivBytes);
    if (!salt || !iv) {
        return std::unexpected(!salt ? salt.error() : iv.error());
    }
    const auto key = deriveKey(passphrase, *salt, params);
    if (!key) {
        return std::unexpected(key.error());
    }
    crypto::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray ct(qsizetype(plaintext.size()) + 16, Qt::Uninitialized);
    QByteArray tag(tagBytes, Qt::Uninitialized);
    int len = 0;
    int total = 0;
    const auto* ivp = reinterpret_cast<const unsigned char*>(iv->constData());
    auto* ctp = reinterpret_cast<unsigned char*>(ct.data());
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key->data(), ivp, nullptr) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          int(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), ctp, &len, plaintext.data(), int(plaintext.size())) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("AES-256-GCM encryption failed."),
                    crypto::takeOpensslErrors());
    }
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), ctp + total, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tagBytes, tag.data()) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("AES-256-GCM encryption failed."),
                    crypto::takeOpensslErrors());
    }
    total += len;
    ct.resize(total);
    QJsonObject o;
    o.insert(QStringLiteral("kdf"), QStringLiteral("scrypt"));
    o.insert(QStringLiteral("n"), double(params.n));
    o.insert(QStringLiteral("r"), double(params.r));
    o.insert(QStringLiteral("p"), double(params.p));
    o.insert(QStringLiteral("cipher"), QStringLiteral("A256GCM"));
    o.insert(QStringLiteral("salt"), QString::fromLatin1(jose::base64UrlEncode(*salt)));
    o.insert(QStringLiteral("iv"), QString::fromLatin1(jose::base64UrlEncode(*iv)));
    o.insert(QStringLiteral("ct"), QString::fromLatin1(jose::base64UrlEncode(ct)));
    o.insert(QStringLiteral("tag"), QString::fromLatin1(jose::base64UrlEncode(tag)));
    return o;
}

Result<SecretBytes> open(const QJsonObject& sealed, const SecretBytes& passphrase, QByteArrayView aad)
{
    const auto bad = [] {
        return fail(ErrorCode::InvalidData, QStringLiteral("The encrypted secrets section is damaged."));
    };
    if (sealed.value(QStringLiteral("kdf")).toString() != QStringLiteral("scrypt") ||
        sealed.value(QStringLiteral("cipher")).toString() != QStringLiteral("A256GCM")) {
        return fail(ErrorCode::Unsupported,
                    QStringLiteral("The secrets are encrypted with a method this version does not know."));
    }
    ScryptParams params;
    const double n = sealed.value(QStringLiteral("n")).toDouble(-1);
    const double r = sealed.value(QStringLiteral("r")).toDouble(-1);
    const double p = sealed.value(QStringLiteral("p")).toDouble(-1);
    if (n < 2 || n > double(1u << 20) || r < 1 || p < 1 || r * p > 64) {
        return bad();
    }
    params.n = quint64(n);
    params.r = quint32(r);
    params.p = quint32(p);
    const auto field = [&](const char* name) {
        return jose::base64UrlDecode(sealed.value(QLatin1String(name)).toString().toLatin1());
    };
    const auto salt = field("salt");
    const auto iv = field("iv");
    const auto ct = field("ct");
    const auto tag = field("tag");
    if (!salt || !iv || !ct || !tag || iv->size() != ivBytes || tag->size() != tagBytes) {
        return bad();
    }
    const auto key = deriveKey(passphrase, *salt, params);
    if (!key) {
        return std::unexpected(key.error());
    }
    crypto::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    std::vector<std::uint8_t> out(std::size_t(ct->size()) + 16);
    int len = 0;
    int total = 0;
    QByteArray tagCopy = *tag;
    const bool ok =
        ctx &&
        EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key->data(),
                            reinterpret_cast<const unsigned char*>(iv->constData()), nullptr) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                          int(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), out.data(), &len, reinterpret_cast<const unsigned char*>(ct->constData()),
                          int(ct->size())) == 1 &&
        (total = len, EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tagBytes, tagCopy.data()) == 1) &&
        EVP_DecryptFinal_ex(ctx.get(), out.data() + total, &len) == 1;
    crypto::takeOpensslErrors();
    if (!ok) {
        cleanse(out.data(), out.size());
        return fail(ErrorCode::WrongPassphrase,
                    QStringLiteral("The passphrase is wrong, or the encrypted secrets were altered."));
    }
    total += len;
    SecretBytes plain(std::span<const std::uint8_t>(out.data(), std::size_t(total)));
    cleanse(out.data(), out.size());
    return plain;
}

} // namespace tb::workspace
