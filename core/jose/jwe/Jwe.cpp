#include "jose/jwe/Jwe.h"

#include <array>
#include <climits>
#include <cmath>
#include <cstring>
#include <utility>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <zlib.h>

#include "base/Limits.h"
#include "base/SecretBytes.h"
#include "crypto/Ossl.h"
#include "crypto/Random.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "keys/KeyIo.h"

namespace tb::jose::jwe {

namespace {

using crypto::CipherCtxPtr;
using crypto::PkeyCtxPtr;
using crypto::PkeyPtr;

struct CipherFree
{
    void operator()(EVP_CIPHER* p) const { EVP_CIPHER_free(p); }
};
using CipherPtr = std::unique_ptr<EVP_CIPHER, CipherFree>;

// A byte buffer wiped when it goes out of scope (CEKs, KEKs, shared secrets).
struct Wiped
{
    QByteArray bytes;
    Wiped() = default;
    explicit Wiped(QByteArray b)
        : bytes(std::move(b))
    {}
    Wiped(const Wiped&) = delete;
    Wiped& operator=(const Wiped&) = delete;
    ~Wiped() { tb::cleanse(bytes); }
};

struct KeyAlgInfo
{
    KeyAlg alg;
    const char* name;
};

constexpr std::array<KeyAlgInfo, 17> keyAlgTable{{
    {KeyAlg::Rsa1_5, "RSA1_5"},
    {KeyAlg::RsaOaep, "RSA-OAEP"},
    {KeyAlg::RsaOaep256, "RSA-OAEP-256"},
    {KeyAlg::A128Kw, "A128KW"},
    {KeyAlg::A192Kw, "A192KW"},
    {KeyAlg::A256Kw, "A256KW"},
    {KeyAlg::Dir, "dir"},
    {KeyAlg::EcdhEs, "ECDH-ES"},
    {KeyAlg::EcdhEsA128Kw, "ECDH-ES+A128KW"},
    {KeyAlg::EcdhEsA192Kw, "ECDH-ES+A192KW"},
    {KeyAlg::EcdhEsA256Kw, "ECDH-ES+A256KW"},
    {KeyAlg::A128GcmKw, "A128GCMKW"},
    {KeyAlg::A192GcmKw, "A192GCMKW"},
    {KeyAlg::A256GcmKw, "A256GCMKW"},
    {KeyAlg::Pbes2Hs256A128Kw, "PBES2-HS256+A128KW"},
    {KeyAlg::Pbes2Hs384A192Kw, "PBES2-HS384+A192KW"},
    {KeyAlg::Pbes2Hs512A256Kw, "PBES2-HS512+A256KW"},
}};

struct EncAlgInfo
{
    EncAlg enc;
    const char* name;
    int keyBytes;
};

constexpr std::array<EncAlgInfo, 6> encAlgTable{{
    {EncAlg::A128CbcHs256, "A128CBC-HS256", 32},
    {EncAlg::A192CbcHs384, "A192CBC-HS384", 48},
    {EncAlg::A256CbcHs512, "A256CBC-HS512", 64},
    {EncAlg::A128Gcm, "A128GCM", 16},
    {EncAlg::A192Gcm, "A192GCM", 24},
    {EncAlg::A256Gcm, "A256GCM", 32},
}};

const unsigned char* bytesOf(QByteArrayView v)
{
    static const unsigned char empty = 0;
    return v.isEmpty() ? &empty : reinterpret_cast<const unsigned char*>(v.data());
}

unsigned char* bytesOf(QByteArray& v)
{
    return reinterpret_cast<unsigned char*>(v.data());
}

std::unexpected<Error> decryptionFailed()
{
    return fail(ErrorCode::InvalidData, decryptionFailedMessage());
}

std::unexpected<Error> cryptoFailed(const QString& what)
{
    return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL failed to %1.").arg(what),
                crypto::takeOpensslErrors());
}

bool isGcm(EncAlg enc)
{
    return enc == EncAlg::A128Gcm || enc == EncAlg::A192Gcm || enc == EncAlg::A256Gcm;
}

int kwKeyBytes(KeyAlg alg)
{
    switch (alg) {
    case KeyAlg::A128Kw:
    case KeyAlg::EcdhEsA128Kw:
    case KeyAlg::A128GcmKw:
    case KeyAlg::Pbes2Hs256A128Kw:
        return 16;
    case KeyAlg::A192Kw:
    case KeyAlg::EcdhEsA192Kw:
    case KeyAlg::A192GcmKw:
    case KeyAlg::Pbes2Hs384A192Kw:
        return 24;
    case KeyAlg::A256Kw:
    case KeyAlg::EcdhEsA256Kw:
    case KeyAlg::A256GcmKw:
    case KeyAlg::Pbes2Hs512A256Kw:
        return 32;
    default:
        return 0;
    }
}

bool isAesKw(KeyAlg a)
{
    return a == KeyAlg::A128Kw || a == KeyAlg::A192Kw || a == KeyAlg::A256Kw;
}
bool isGcmKw(KeyAlg a)
{
    return a == KeyAlg::A128GcmKw || a == KeyAlg::A192GcmKw || a == KeyAlg::A256GcmKw;
}
bool isRsa(KeyAlg a)
{
    return a == KeyAlg::Rsa1_5 || a == KeyAlg::RsaOaep || a == KeyAlg::RsaOaep256;
}
bool isEcdh(KeyAlg a)
{
    return a == KeyAlg::EcdhEs || a == KeyAlg::EcdhEsA128Kw || a == KeyAlg::EcdhEsA192Kw || a == KeyAlg::EcdhEsA256Kw;
}
bool isPbes2(KeyAlg a)
{
    return a == KeyAlg::Pbes2Hs256A128Kw || a == KeyAlg::Pbes2Hs384A192Kw || a == KeyAlg::Pbes2Hs512A256Kw;
}

Result<CipherPtr> fetchCipher(const char* name)
{
    CipherPtr c(EVP_CIPHER_fetch(nullptr, name, nullptr));
    if (!c) {
        return cryptoFailed(QStringLiteral("load the cipher %1").arg(QString::fromLatin1(name)));
    }
    return c;
}

const char* aesName(qsizetype keyBytes, const char* mode)
{
    static const char* const names[3][3] = {{"AES-128-WRAP", "AES-128-GCM", "AES-128-CBC"},
                                            {"AES-192-WRAP", "AES-192-GCM", "AES-192-CBC"},
                                            {"AES-256-WRAP", "AES-256-GCM", "AES-256-CBC"}};
    const int row = keyBytes == 16 ? 0 : keyBytes == 24 ? 1 : keyBytes == 32 ? 2 : -1;
    const int col = std::strcmp(mode, "WRAP") == 0 ? 0 : std::strcmp(mode, "GCM") == 0 ? 1 : 2;
    return row < 0 ? nullptr : names[row][col];
}

// --- AES-GCM ---------------------------------------------------------------------------------------------

Result<detail::Sealed> gcmSeal(QByteArrayView key, QByteArrayView iv, QByteArrayView aad, QByteArrayView plaintext)
{
    const char* name = aesName(key.size(), "GCM");
    if (!name || iv.size() != 12) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("AES-GCM needs a 16, 24 or 32-byte key and a 12-byte IV."));
    }
    auto cipher = fetchCipher(name);
    if (!cipher) {
        return std::unexpected(cipher.error());
    }
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    detail::Sealed out;
    out.ciphertext.resize(plaintext.size());
    out.tag.resize(16);
    int len = 0;
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), cipher->get(), bytesOf(key), bytesOf(iv), nullptr) != 1 ||
        (!aad.isEmpty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytesOf(aad), int(aad.size())) != 1) ||
        EVP_EncryptUpdate(ctx.get(), bytesOf(out.ciphertext), &len, bytesOf(plaintext), int(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), bytesOf(out.ciphertext) + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, out.tag.data()) != 1) {
        return cryptoFailed(QStringLiteral("encrypt with AES-GCM"));
    }
    return out;
}

Result<QByteArray> gcmOpen(QByteArrayView key, QByteArrayView iv, QByteArrayView aad, QByteArrayView ciphertext,
                           QByteArrayView tag)
{
    const char* name = aesName(key.size(), "GCM");
    if (!name) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("AES-GCM needs a 16, 24 or 32-byte key."));
    }
    if (iv.size() != 12 || tag.size() != 16) {
        return decryptionFailed(); // RFC 7518 §5.3: 96-bit IV, 128-bit tag, nothing else
    }
    auto cipher = fetchCipher(name);
    if (!cipher) {
        return std::unexpected(cipher.error());
    }
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out(ciphertext.size(), Qt::Uninitialized);
    QByteArray tagCopy = tag.toByteArray();
    int len = 0;
    if (!ctx || EVP_DecryptInit_ex2(ctx.get(), cipher->get(), bytesOf(key), bytesOf(iv), nullptr) != 1 ||
        (!aad.isEmpty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytesOf(aad), int(aad.size())) != 1) ||
        EVP_DecryptUpdate(ctx.get(), bytesOf(out), &len, bytesOf(ciphertext), int(ciphertext.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, tagCopy.data()) != 1) {
        ERR_clear_error();
        return decryptionFailed();
    }
    int finalLen = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), bytesOf(out) + len, &finalLen) != 1) {
        ERR_clear_error();
        tb::cleanse(out);
        return decryptionFailed();
    }
    return out;
}

// --- AES-CBC + HMAC-SHA2 (RFC 7518 §5.2) ----------------------------------------------------------------

const char* cbcDigest(EncAlg enc)
{
    return enc == EncAlg::A128CbcHs256 ? "SHA256" : enc == EncAlg::A192CbcHs384 ? "SHA384" : "SHA512";
}

Result<QByteArray> cbcTag(EncAlg enc, QByteArrayView macKey, QByteArrayView aad, QByteArrayView iv,
                          QByteArrayView ciphertext)
{
    QByteArray input;
    input.reserve(aad.size() + iv.size() + ciphertext.size() + 8);
    input.append(aad).append(iv).append(ciphertext);
    const quint64 al = quint64(aad.size()) * 8;
    for (int i = 7; i >= 0; --i) {
        input.append(char((al >> (8 * i)) & 0xff));
    }
    unsigned char mac[64];
    size_t macLen = 0;
    if (!EVP_Q_mac(nullptr, "HMAC", nullptr, cbcDigest(enc), nullptr, bytesOf(macKey), size_t(macKey.size()),
                   bytesOf(input), size_t(input.size()), mac, sizeof mac, &macLen)) {
        return cryptoFailed(QStringLiteral("compute HMAC"));
    }
    // T = the first half of the MAC (as long as the MAC key).
    return QByteArray(reinterpret_cast<const char*>(mac), macKey.size());
}

Result<detail::Sealed> cbcSeal(EncAlg enc, QByteArrayView cek, QByteArrayView iv, QByteArrayView aad,
                               QByteArrayView plaintext)
{
    const qsizetype half = cek.size() / 2;
    if (cek.size() != cekBytes(enc) || iv.size() != 16) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("%1 needs a %2-byte key and a 16-byte IV.").arg(encAlgName(enc)).arg(cekBytes(enc)));
    }
    const QByteArrayView macKey = cek.first(half);
    const QByteArrayView encKey = cek.sliced(half);
    auto cipher = fetchCipher(aesName(half, "CBC"));
    if (!cipher) {
        return std::unexpected(cipher.error());
    }
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    detail::Sealed out;
    out.ciphertext.resize(plaintext.size() + 16);
    int len = 0;
    int finalLen = 0;
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), cipher->get(), bytesOf(encKey), bytesOf(iv), nullptr) != 1 ||
        EVP_EncryptUpdate(ctx.get(), bytesOf(out.ciphertext), &len, bytesOf(plaintext), int(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), bytesOf(out.ciphertext) + len, &finalLen) != 1) {
        return cryptoFailed(QStringLiteral("encrypt with AES-CBC"));
    }
    out.ciphertext.resize(len + finalLen);
    auto tag = cbcTag(enc, macKey, aad, iv, out.ciphertext);
    if (!tag) {
        return std::unexpected(tag.error());
    }
    out.tag = *tag;
    return out;
}

Result<QByteArray> cbcOpen(EncAlg enc, QByteArrayView cek, QByteArrayView iv, QByteArrayView aad,
                           QByteArrayView ciphertext, QByteArrayView tag)
{
    const qsizetype half = cek.size() / 2;
    if (cek.size() != cekBytes(enc)) {
        return decryptionFailed();
    }
    if (iv.size() != 16 || tag.size() != half || ciphertext.isEmpty() || ciphertext.size() % 16 != 0) {
        return decryptionFailed();
    }
    auto expected = cbcTag(enc, cek.first(half), aad, iv, ciphertext);
    if (!expected) {
        return std::unexpected(expected.error());
    }
    // The tag is checked first, in constant time; the padding is looked at only under a valid tag.
    if (CRYPTO_memcmp(expected->constData(), tag.data(), size_t(half)) != 0) {
        return decryptionFailed();
    }
    auto cipher = fetchCipher(aesName(half, "CBC"));
    if (!cipher) {
        return std::unexpected(cipher.error());
    }
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out(ciphertext.size() + 16, Qt::Uninitialized);
    int len = 0;
    int finalLen = 0;
    if (!ctx || EVP_DecryptInit_ex2(ctx.get(), cipher->get(), bytesOf(cek.sliced(half)), bytesOf(iv), nullptr) != 1 ||
        EVP_DecryptUpdate(ctx.get(), bytesOf(out), &len, bytesOf(ciphertext), int(ciphertext.size())) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), bytesOf(out) + len, &finalLen) != 1) {
        ERR_clear_error();
        tb::cleanse(out);
        return decryptionFailed();
    }
    out.resize(len + finalLen);
    return out;
}

// --- RSA -------------------------------------------------------------------------------------------------

Result<QByteArray> rsaCrypt(KeyAlg alg, EVP_PKEY* pkey, QByteArrayView input, bool decrypt)
{
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    if (!ctx) {
        return cryptoFailed(QStringLiteral("prepare an RSA operation"));
    }
    char pkcs1[] = OSSL_PKEY_RSA_PAD_MODE_PKCSV15;
    char oaep[] = OSSL_PKEY_RSA_PAD_MODE_OAEP;
    char sha1[] = "SHA1";
    char sha256[] = "SHA256";
    char* digest = alg == KeyAlg::RsaOaep256 ? sha256 : sha1;
    OSSL_PARAM params[4];
    int n = 0;
    params[n++] =
        OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_PAD_MODE, alg == KeyAlg::Rsa1_5 ? pkcs1 : oaep, 0);
    if (alg != KeyAlg::Rsa1_5) {
        params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_OAEP_DIGEST, digest, 0);
        params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_ASYM_CIPHER_PARAM_MGF1_DIGEST, digest, 0);
    }
    params[n] = OSSL_PARAM_construct_end();
    const int init =
        decrypt ? EVP_PKEY_decrypt_init_ex(ctx.get(), params) : EVP_PKEY_encrypt_init_ex(ctx.get(), params);
    if (init <= 0) {
        return cryptoFailed(QStringLiteral("prepare an RSA operation"));
    }
    size_t outLen = 0;
    auto op = decrypt ? EVP_PKEY_decrypt : EVP_PKEY_encrypt;
    if (op(ctx.get(), nullptr, &outLen, bytesOf(input), size_t(input.size())) <= 0) {
        return decrypt ? decryptionFailed() : cryptoFailed(QStringLiteral("encrypt with RSA"));
    }
    QByteArray out(qsizetype(outLen), Qt::Uninitialized);
    if (op(ctx.get(), bytesOf(out), &outLen, bytesOf(input), size_t(input.size())) <= 0) {
        ERR_clear_error();
        tb::cleanse(out);
        return decrypt ? decryptionFailed() : cryptoFailed(QStringLiteral("encrypt with RSA"));
    }
    out.resize(qsizetype(outLen));
    return out;
}

// --- ECDH ------------------------------------------------------------------------------------------------

Result<QByteArray> ecdhDerive(EVP_PKEY* priv, EVP_PKEY* peer)
{
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, priv, nullptr));
    size_t len = 0;
    // validate_peer = 1: OpenSSL checks the peer's point again before deriving.
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer_ex(ctx.get(), peer, 1) <= 0) {
        return fail(ErrorCode::KeyMismatch,
                    QStringLiteral("The ephemeral public key (epk) is not a valid point of the key's curve."),
                    crypto::takeOpensslErrors());
    }
    if (EVP_PKEY_derive(ctx.get(), nullptr, &len) <= 0) {
        return cryptoFailed(QStringLiteral("derive an ECDH secret"));
    }
    QByteArray z(qsizetype(len), Qt::Uninitialized);
    if (EVP_PKEY_derive(ctx.get(), bytesOf(z), &len) <= 0) {
        return cryptoFailed(QStringLiteral("derive an ECDH secret"));
    }
    z.resize(qsizetype(len));
    return z;
}

Result<QByteArray> b64Member(const QJsonObject& header, const char* name, bool required)
{
    const QJsonValue v = header.value(QLatin1String(name));
    if (v.isUndefined()) {
        if (required) {
            return fail(ErrorCode::MalformedToken, QStringLiteral("The header lacks \"%1\".").arg(QLatin1String(name)));
        }
        return QByteArray();
    }
    if (!v.isString()) {
        return fail(ErrorCode::MalformedToken,
                    QStringLiteral("The header member \"%1\" must be a string.").arg(QLatin1String(name)));
    }
    auto bytes = base64UrlDecode(v.toString().toUtf8());
    if (!bytes) {
        return fail(ErrorCode::BadBase64,
                    QStringLiteral("The header member \"%1\" is not valid base64url.").arg(QLatin1String(name)));
    }
    return *bytes;
}

QByteArray kwAlgorithmId(KeyAlg alg, EncAlg enc)
{
    return (alg == KeyAlg::EcdhEs ? encAlgName(enc) : keyAlgName(alg)).toUtf8();
}

int ecdhKeyBits(KeyAlg alg, EncAlg enc)
{
    return 8 * (alg == KeyAlg::EcdhEs ? cekBytes(enc) : kwKeyBytes(alg));
}

// --- header helpers --------------------------------------------------------------------------------------

Result<QJsonObject> parseHeaderObject(QByteArrayView text, const QString& what)
{
    const JsonScan scan = scanJson(text);
    if (scan.error) {
        return std::unexpected(toError(*scan.error, what));
    }
    if (!scan.topLevelIsObject) {
        return fail(ErrorCode::BadJson, QStringLiteral("%1 is not a JSON object.").arg(what));
    }
    if (!scan.duplicates.isEmpty()) {
        return fail(ErrorCode::BadJson, QStringLiteral("%1 has the member \"%2\" twice (RFC 7516 §4 forbids it).")
                                            .arg(what, scan.duplicates.first().key));
    }
    return parseObject(text);
}

QString describeKey(const keys::Key& key)
{
    return key.describe();
}

Result<void> checkKeyMeta(const keys::Key& key, KeyAlg alg, EncAlg enc)
{
    const keys::KeyMeta& meta = key.meta();
    if (!meta.use.isEmpty() && meta.use != QStringLiteral("enc")) {
        return fail(ErrorCode::KeyMismatch,
                    QStringLiteral("The key's \"use\" is \"%1\", not \"enc\": it must not decrypt.").arg(meta.use));
    }
    if (!meta.alg.isEmpty() && meta.alg != keyAlgName(alg) && !(alg == KeyAlg::Dir && meta.alg == encAlgName(enc))) {
        return fail(ErrorCode::KeyMismatch,
                    QStringLiteral("The key is bound to \"%1\" (its JWK alg) but the token uses %2.")
                        .arg(meta.alg, keyAlgName(alg)));
    }
    return {};
}

Result<void> checkKeyFits(const keys::Key& key, KeyAlg alg, EncAlg enc, bool needPrivate)
{
    if (!keyFits(alg, key)) {
        return fail(ErrorCode::KeyMismatch,
                    QStringLiteral("%1 cannot be used with this key (%2).").arg(keyAlgName(alg), describeKey(key)));
    }
    if (needPrivate && key.type() != keys::KeyType::Oct && !key.hasPrivate()) {
        return fail(ErrorCode::KeyMismatch, QStringLiteral("Decrypting with %1 needs a private key; this is a %2.")
                                                .arg(keyAlgName(alg), describeKey(key)));
    }
    const qsizetype len = qsizetype(key.secret().size());
    if (alg == KeyAlg::Dir && len != cekBytes(enc)) {
        return fail(ErrorCode::KeyMismatch, QStringLiteral("dir with %1 needs a %2-byte key; this one has %3 bytes.")
                                                .arg(encAlgName(enc))
                                                .arg(cekBytes(enc))
                                                .arg(len));
    }
    if ((isAesKw(alg) || isGcmKw(alg)) && len != kwKeyBytes(alg)) {
        return fail(ErrorCode::KeyMismatch, QStringLiteral("%1 needs a %2-byte key; this one has %3 bytes.")
                                                .arg(keyAlgName(alg))
                                                .arg(kwKeyBytes(alg))
                                                .arg(len));
    }
    return {};
}

QByteArrayView secretOf(const keys::Key& key)
{
    return QByteArrayView(reinterpret_cast<const char*>(key.secret().data()), qsizetype(key.secret().size()));
}

Result<QByteArray> randomCek(qsizetype n)
{
    auto r = crypto::secretRandomBytes(n);
    if (!r) {
        return std::unexpected(r.error());
    }
    return r->reveal();
}

// The parts of one JWE, whatever the serialisation.
struct Parts
{
    QByteArray protectedB64;  // as it stood (the AAD is built from it)
    QByteArray protectedJson; // decoded
    QJsonObject header;       // joint header
    QByteArray aadB64;        // JSON serialisation "aad" member as it stood, or empty
    bool hasAad = false;
    QByteArray encryptedKey;
    QByteArray iv;
    QByteArray ciphertext;
    QByteArray tag;
};

Result<QByteArray> unwrapCek(const Parts& p, const keys::Key& key, KeyAlg alg, EncAlg enc,
                             const DecryptOptions& options)
{
    const int cekLen = cekBytes(enc);
    switch (alg) {
    case KeyAlg::Dir:
        if (!p.encryptedKey.isEmpty()) {
            return fail(ErrorCode::MalformedToken, QStringLiteral("dir takes an empty encrypted key segment."));
        }
        return secretOf(key).toByteArray();
    case KeyAlg::A128Kw:
    case KeyAlg::A192Kw:
    case KeyAlg::A256Kw:
        return detail::aesKeyUnwrap(secretOf(key), p.encryptedKey);
    case KeyAlg::Rsa1_5: {
        // Bleichenbacher (RFC 7516 §11.5): any failure continues with a random CEK, so a bad padding and a bad
        // tag end in the same sentence after the same work.
        auto fallback = randomCek(cekLen);
        if (!fallback) {
            return fallback;
        }
        auto cek = rsaCrypt(alg, key.pkey(), p.encryptedKey, true);
        ERR_clear_error();
        // Pick the decrypted or the random CEK with a mask rather than a branch on the outcome.
        const QByteArray decrypted = cek ? *cek : QByteArray();
        const auto good = static_cast<unsigned char>(0u - unsigned(cek.has_value() && decrypted.size() == cekLen));
        QByteArray chosen(cekLen, Qt::Uninitialized);
        for (qsizetype i = 0; i < cekLen; ++i) {
            const auto d = static_cast<unsigned char>(i < decrypted.size() ? decrypted.at(i) : 0);
            const auto r = static_cast<unsigned char>(fallback->at(i));
            chosen[i] = static_cast<char>((d & good) | (r & static_cast<unsigned char>(~good)));
        }
        tb::cleanse(*fallback);
        if (cek) {
            tb::cleanse(*cek);
        }
        return chosen;
    }
    case KeyAlg::RsaOaep:
    case KeyAlg::RsaOaep256:
        return rsaCrypt(alg, key.pkey(), p.encryptedKey, true);
    case KeyAlg::A128GcmKw:
    case KeyAlg::A192GcmKw:
    case KeyAlg::A256GcmKw: {
        auto iv = b64Member(p.header, "iv", true);
        if (!iv) {
            return iv;
        }
        auto tag = b64Member(p.header, "tag", true);
        if (!tag) {
            return tag;
        }
        return gcmOpen(secretOf(key), *iv, {}, p.encryptedKey, *tag);
    }
    case KeyAlg::Pbes2Hs256A128Kw:
    case KeyAlg::Pbes2Hs384A192Kw:
    case KeyAlg::Pbes2Hs512A256Kw: {
        auto p2s = b64Member(p.header, "p2s", true);
        if (!p2s) {
            return p2s;
        }
        const QJsonValue p2cValue = p.header.value(QStringLiteral("p2c"));
        if (!p2cValue.isDouble()) {
            return fail(ErrorCode::MalformedToken,
                        QStringLiteral("The header lacks a numeric \"p2c\" (PBES2 iteration count)."));
        }
        const double p2c = p2cValue.toDouble();
        if (p2c != std::floor(p2c) || p2c < 1) {
            return fail(ErrorCode::MalformedToken, QStringLiteral("\"p2c\" must be a positive integer."));
        }
        if (p2c > double(options.maxP2c)) {
            return fail(
                ErrorCode::TooLarge,
                QStringLiteral("\"p2c\" is %1 PBES2 iterations, above the cap of %2 (a denial-of-service vector).")
                    .arg(qint64(std::min(p2c, 9e15)))
                    .arg(options.maxP2c));
        }
        auto kek = detail::pbes2Kek(alg, secretOf(key), *p2s, qint64(p2c));
        if (!kek) {
            return kek;
        }
        Wiped kekWiped(std::move(*kek));
        return detail::aesKeyUnwrap(kekWiped.bytes, p.encryptedKey);
    }
    case KeyAlg::EcdhEs:
    case KeyAlg::EcdhEsA128Kw:
    case KeyAlg::EcdhEsA192Kw:
    case KeyAlg::EcdhEsA256Kw: {
        const QJsonValue epkValue = p.header.value(QStringLiteral("epk"));
        if (!epkValue.isObject()) {
            return fail(ErrorCode::MalformedToken,
                        QStringLiteral("ECDH-ES needs an \"epk\" JWK object in the header."));
        }
        const QJsonObject epkJwk = epkValue.toObject();
        if (epkJwk.contains(QStringLiteral("d"))) {
            return fail(ErrorCode::MalformedToken,
                        QStringLiteral("The ephemeral key (epk) carries a private member \"d\"."));
        }
        auto epk = keys::importJwk(epkJwk);
        if (!epk) {
            // EVP_PKEY_fromdata refuses a point that is not on the curve: the invalid-curve attack stops here.
            return fail(ErrorCode::KeyMismatch,
                        QStringLiteral("The ephemeral public key (epk) is refused: %1").arg(epk.error().message),
                        epk.error().detail);
        }
        if ((*epk)->type() != key.type() || (*epk)->curve() != key.curve()) {
            return fail(
                ErrorCode::KeyMismatch,
                QStringLiteral("The ephemeral key (epk) is on %1 but the key is on %2 (invalid-curve attack refused).")
                    .arg((*epk)->curve().isEmpty() ? (*epk)->typeName() : (*epk)->curve(), key.curve()));
        }
        auto z = ecdhDerive(key.pkey(), (*epk)->pkey());
        if (!z) {
            return z;
        }
        Wiped zWiped(std::move(*z));
        auto apu = b64Member(p.header, "apu", false);
        if (!apu) {
            return apu;
        }
        auto apv = b64Member(p.header, "apv", false);
        if (!apv) {
            return apv;
        }
        auto derived = detail::concatKdf(zWiped.bytes, kwAlgorithmId(alg, enc), *apu, *apv, ecdhKeyBits(alg, enc));
        if (!derived || alg == KeyAlg::EcdhEs) {
            if (alg == KeyAlg::EcdhEs && !p.encryptedKey.isEmpty()) {
                return fail(ErrorCode::MalformedToken, QStringLiteral("ECDH-ES takes an empty encrypted key segment."));
            }
            return derived;
        }
        Wiped kek(std::move(*derived));
        return detail::aesKeyUnwrap(kek.bytes, p.encryptedKey);
    }
    }
    return fail(ErrorCode::UnsupportedAlgorithm, QStringLiteral("Unsupported key management algorithm."));
}

Result<Decrypted> decryptParts(const Parts& p, const keys::Key& key, const DecryptOptions& options)
{
    const QJsonValue algValue = p.header.value(QStringLiteral("alg"));
    const QJsonValue encValue = p.header.value(QStringLiteral("enc"));
    if (!algValue.isString()) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("The JWE header has no \"alg\" string."));
    }
    if (!encValue.isString()) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("The JWE header has no \"enc\" string."));
    }
    const auto alg = keyAlgFromName(algValue.toString());
    if (!alg) {
        return fail(ErrorCode::UnsupportedAlgorithm,
                    QStringLiteral("Unknown JWE key management algorithm \"%1\".").arg(algValue.toString()));
    }
    const auto enc = encAlgFromName(encValue.toString());
    if (!enc) {
        return fail(ErrorCode::UnsupportedAlgorithm,
                    QStringLiteral("Unknown JWE content encryption algorithm \"%1\".").arg(encValue.toString()));
    }
    bool compressed = false;
    if (p.header.contains(QStringLiteral("zip"))) {
        if (p.header.value(QStringLiteral("zip")).toString() != QStringLiteral("DEF")) {
            return fail(ErrorCode::Unsupported, QStringLiteral("Unknown \"zip\" value (only \"DEF\" is defined)."));
        }
        compressed = true;
    }
    if (p.header.contains(QStringLiteral("crit"))) {
        const QJsonValue crit = p.header.value(QStringLiteral("crit"));
        if (!crit.isArray() || crit.toArray().isEmpty()) {
            return fail(ErrorCode::MalformedToken, QStringLiteral("\"crit\" must be a non-empty array of names."));
        }
        return fail(ErrorCode::Unsupported,
                    QStringLiteral("The header marks \"%1\" as critical; tokenbench does not know it.")
                        .arg(crit.toArray().first().toString()));
    }
    if (auto ok = checkKeyMeta(key, *alg, *enc); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = checkKeyFits(key, *alg, *enc, true); !ok) {
        return std::unexpected(ok.error());
    }
    auto cek = unwrapCek(p, key, *alg, *enc, options);
    if (!cek) {
        ERR_clear_error();
        return std::unexpected(cek.error());
    }
    Wiped cekWiped(std::move(*cek));
    if (cekWiped.bytes.size() != cekBytes(*enc)) {
        return decryptionFailed();
    }
    QByteArray aad = p.protectedB64;
    if (p.hasAad) {
        aad += '.' + p.aadB64;
    }
    auto plaintext = detail::decryptContent(*enc, cekWiped.bytes, p.iv, aad, p.ciphertext, p.tag);
    if (!plaintext) {
        return std::unexpected(plaintext.error());
    }
    Decrypted out;
    out.protectedHeader = p.protectedJson;
    out.header = p.header;
    out.alg = *alg;
    out.enc = *enc;
    out.compressed = compressed;
    if (compressed) {
        auto inflated = detail::inflateRaw(*plaintext, options.maxInflatedBytes);
        if (!inflated) {
            return std::unexpected(inflated.error());
        }
        out.plaintext = *inflated;
    } else {
        out.plaintext = *plaintext;
    }
    if (isPbes2(*alg)) {
        auto p2s = b64Member(p.header, "p2s", false);
        if (p2s && p2s->size() < 8) {
            out.warnings << QStringLiteral("The PBES2 salt (p2s) is %1 bytes; RFC 7518 §4.8.1.1 asks for at least 8.")
                                .arg(p2s->size());
        }
    }
    if (*alg == KeyAlg::Rsa1_5) {
        out.warnings << QStringLiteral(
            "RSA1_5 is exposed to padding-oracle attacks (RFC 8725 §3.2); prefer RSA-OAEP-256.");
    }
    return out;
}

Result<QByteArray> decodeSegment(QByteArrayView text, const QString& what)
{
    auto bytes = base64UrlDecode(text);
    if (!bytes) {
        return fail(ErrorCode::BadBase64, QStringLiteral("The %1 is not valid base64url.").arg(what));
    }
    return *bytes;
}

Result<void> mergeInto(QJsonObject& joint, const QJsonObject& more, const QString& what)
{
    for (auto it = more.begin(); it != more.end(); ++it) {
        if (joint.contains(it.key())) {
            return fail(
                ErrorCode::MalformedToken,
                QStringLiteral("The member \"%1\" appears in more than one header (RFC 7516 §7.2.1 forbids it; %2).")
                    .arg(it.key(), what));
        }
        joint.insert(it.key(), it.value());
    }
    return {};
}

Result<Decrypted> decryptJson(QByteArrayView text, const keys::Key& key, const DecryptOptions& options)
{
    auto doc = parseHeaderObject(text, QStringLiteral("The JWE JSON serialisation"));
    if (!doc) {
        return std::unexpected(doc.error());
    }
    const QJsonObject& o = *doc;
    Parts base;
    auto str = [&](const char* name) { return o.value(QLatin1String(name)).toString().toUtf8(); };
    base.protectedB64 = str("protected");
    if (!base.protectedB64.isEmpty()) {
        auto json = decodeSegment(base.protectedB64, QStringLiteral("protected header"));
        if (!json) {
            return std::unexpected(json.error());
        }
        base.protectedJson = *json;
        auto obj = parseHeaderObject(*json, QStringLiteral("The protected header"));
        if (!obj) {
            return std::unexpected(obj.error());
        }
        base.header = *obj;
    }
    if (o.contains(QStringLiteral("unprotected"))) {
        if (auto ok = mergeInto(base.header, o.value(QStringLiteral("unprotected")).toObject(),
                                QStringLiteral("unprotected"));
            !ok) {
            return std::unexpected(ok.error());
        }
    }
    base.hasAad = o.contains(QStringLiteral("aad"));
    base.aadB64 = str("aad");
    for (const char* name : {"iv", "ciphertext", "tag"}) {
        auto bytes = decodeSegment(str(name), QString::fromLatin1(name));
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        (std::strcmp(name, "iv") == 0 ? base.iv : std::strcmp(name, "tag") == 0 ? base.tag : base.ciphertext) = *bytes;
    }
    QJsonArray recipients;
    if (o.contains(QStringLiteral("recipients"))) {
        recipients = o.value(QStringLiteral("recipients")).toArray();
    } else {
        QJsonObject single;
        if (o.contains(QStringLiteral("header"))) {
            single.insert(QStringLiteral("header"), o.value(QStringLiteral("header")));
        }
        if (o.contains(QStringLiteral("encrypted_key"))) {
            single.insert(QStringLiteral("encrypted_key"), o.value(QStringLiteral("encrypted_key")));
        }
        recipients.append(single);
    }
    if (recipients.isEmpty()) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("The JWE JSON serialisation has no recipients."));
    }
    std::optional<Error> firstError;
    for (qsizetype i = 0; i < recipients.size(); ++i) {
        const QJsonObject r = recipients.at(i).toObject();
        Parts p = base;
        if (auto ok =
                mergeInto(p.header, r.value(QStringLiteral("header")).toObject(), QStringLiteral("recipient header"));
            !ok) {
            return std::unexpected(ok.error());
        }
        auto ek = decodeSegment(r.value(QStringLiteral("encrypted_key")).toString().toUtf8(),
                                QStringLiteral("encrypted key"));
        if (!ek) {
            return std::unexpected(ek.error());
        }
        p.encryptedKey = *ek;
        auto result = decryptParts(p, key, options);
        if (result) {
            result->recipient = int(i);
            QStringList unprotectedNames = o.value(QStringLiteral("unprotected")).toObject().keys();
            unprotectedNames += r.value(QStringLiteral("header")).toObject().keys();
            if (!unprotectedNames.isEmpty()) {
                result->warnings << QStringLiteral("Not integrity-protected (unprotected headers): %1.")
                                        .arg(unprotectedNames.join(QStringLiteral(", ")));
            }
            return result;
        }
        // Report the first failure, unless it only says "this key does not fit that recipient" and a later
        // recipient the key did fit failed for a real reason.
        if (!firstError ||
            (firstError->code == ErrorCode::KeyMismatch && result.error().code != ErrorCode::KeyMismatch)) {
            firstError = result.error();
        }
    }
    return std::unexpected(*firstError);
}

} // namespace

QList<KeyAlg> allKeyAlgs()
{
    QList<KeyAlg> out;
    for (const auto& i : keyAlgTable) {
        out << i.alg;
    }
    return out;
}

QList<EncAlg> allEncAlgs()
{
    QList<EncAlg> out;
    for (const auto& i : encAlgTable) {
        out << i.enc;
    }
    return out;
}

QString keyAlgName(KeyAlg alg)
{
    for (const auto& i : keyAlgTable) {
        if (i.alg == alg) {
            return QString::fromLatin1(i.name);
        }
    }
    return {};
}

QString encAlgName(EncAlg enc)
{
    for (const auto& i : encAlgTable) {
        if (i.enc == enc) {
            return QString::fromLatin1(i.name);
        }
    }
    return {};
}

std::optional<KeyAlg> keyAlgFromName(QStringView name)
{
    for (const auto& i : keyAlgTable) {
        if (name == QLatin1String(i.name)) {
            return i.alg;
        }
    }
    return std::nullopt;
}

std::optional<EncAlg> encAlgFromName(QStringView name)
{
    for (const auto& i : encAlgTable) {
        if (name == QLatin1String(i.name)) {
            return i.enc;
        }
    }
    return std::nullopt;
}

int cekBytes(EncAlg enc)
{
    for (const auto& i : encAlgTable) {
        if (i.enc == enc) {
            return i.keyBytes;
        }
    }
    return 0;
}

bool keyFits(KeyAlg alg, const keys::Key& key)
{
    if (isRsa(alg)) {
        return key.type() == keys::KeyType::Rsa;
    }
    if (isEcdh(alg)) {
        const QString c = key.curve();
        return (key.type() == keys::KeyType::Ec &&
                (c == QStringLiteral("P-256") || c == QStringLiteral("P-384") || c == QStringLiteral("P-521"))) ||
               (key.type() == keys::KeyType::Okp && (c == QStringLiteral("X25519") || c == QStringLiteral("X448")));
    }
    return key.type() == keys::KeyType::Oct;
}

bool Decrypted::isNested() const
{
    return header.value(QStringLiteral("cty")).toString().compare(QStringLiteral("JWT"), Qt::CaseInsensitive) == 0;
}

QString decryptionFailedMessage()
{
    return QStringLiteral("decryption failed: the key does not fit or the token was altered.");
}

bool isDecryptionFailure(const Error& error)
{
    return error.code == ErrorCode::InvalidData;
}

Result<Decrypted> decrypt(QByteArrayView token, const keys::Key& key, const DecryptOptions& options)
{
    if (size_t(token.size()) > limits::maxTokenBytes) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The token is %1 bytes, larger than the 4 MiB limit (%2 bytes).")
                        .arg(token.size())
                        .arg(limits::maxTokenBytes));
    }
    if (!token.isEmpty() && token.front() == '{') {
        return decryptJson(token, key, options);
    }
    auto compact = parseCompact(token);
    if (!compact) {
        return std::unexpected(compact.error());
    }
    if (compact->kind != TokenKind::Jwe) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("This is a JWS (3 segments), not a JWE (5 segments)."));
    }
    Parts p;
    p.protectedB64 = compact->segments.at(0);
    p.protectedJson = compact->header;
    auto header = parseHeaderObject(compact->header, QStringLiteral("The protected header"));
    if (!header) {
        return std::unexpected(header.error());
    }
    p.header = *header;
    const QString names[] = {QStringLiteral("encrypted key"), QStringLiteral("IV"), QStringLiteral("ciphertext"),
                             QStringLiteral("authentication tag")};
    QByteArray* targets[] = {&p.encryptedKey, &p.iv, &p.ciphertext, &p.tag};
    for (int i = 0; i < 4; ++i) {
        auto bytes = decodeSegment(compact->segments.at(i + 1), names[i]);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        *targets[i] = *bytes;
    }
    return decryptParts(p, key, options);
}

Result<QByteArray> encryptCompact(const keys::Key& key, KeyAlg alg, EncAlg enc, QByteArrayView plaintext,
                                  QByteArrayView extraHeader)
{
    if (auto ok = checkKeyFits(key, alg, enc, false); !ok) {
        return std::unexpected(ok.error());
    }
    if (isPbes2(alg) && key.secret().empty()) {
        return fail(ErrorCode::KeyMismatch, QStringLiteral("PBES2 needs a non-empty password."));
    }
    // The protected header: the caller's members in their order, then alg, enc and the generated ones.
    QByteArray head = "{";
    QJsonObject extra;
    const QByteArrayView trimmedExtra = extraHeader.trimmed();
    if (!trimmedExtra.isEmpty()) {
        auto parsed = parseHeaderObject(trimmedExtra, QStringLiteral("The header"));
        if (!parsed) {
            return std::unexpected(parsed.error());
        }
        extra = *parsed;
        for (const char* name : {"epk", "iv", "tag", "p2s"}) {
            if (extra.contains(QLatin1String(name))) {
                return fail(
                    ErrorCode::InvalidArgument,
                    QStringLiteral("The header must not set \"%1\": it is generated.").arg(QLatin1String(name)));
            }
        }
        if (extra.contains(QStringLiteral("alg")) && extra.value(QStringLiteral("alg")).toString() != keyAlgName(alg)) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The header's alg disagrees with %1.").arg(keyAlgName(alg)));
        }
        if (extra.contains(QStringLiteral("enc")) && extra.value(QStringLiteral("enc")).toString() != encAlgName(enc)) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("The header's enc disagrees with %1.").arg(encAlgName(enc)));
        }
        const QByteArrayView inner = trimmedExtra.sliced(1, trimmedExtra.size() - 2).trimmed();
        if (!inner.isEmpty()) {
            head += inner.toByteArray() + ',';
        }
    }
    const auto addMember = [&head](const char* name, const QByteArray& jsonValue) {
        head += '"' + QByteArray(name) + "\":" + jsonValue + ',';
    };
    const auto quoted = [](const QString& s) { return '"' + s.toUtf8() + '"'; };
    if (!extra.contains(QStringLiteral("alg"))) {
        addMember("alg", quoted(keyAlgName(alg)));
    }
    if (!extra.contains(QStringLiteral("enc"))) {
        addMember("enc", quoted(encAlgName(enc)));
    }
    bool compress = false;
    if (extra.contains(QStringLiteral("zip"))) {
        if (extra.value(QStringLiteral("zip")).toString() != QStringLiteral("DEF")) {
            return fail(ErrorCode::Unsupported, QStringLiteral("Unknown \"zip\" value (only \"DEF\" is defined)."));
        }
        compress = true;
    }

    auto cekRandom = randomCek(cekBytes(enc));
    if (!cekRandom) {
        return std::unexpected(cekRandom.error());
    }
    Wiped cek(std::move(*cekRandom));
    QByteArray encryptedKey;
    switch (alg) {
    case KeyAlg::Dir:
        cek.bytes = secretOf(key).toByteArray();
        break;
    case KeyAlg::A128Kw:
    case KeyAlg::A192Kw:
    case KeyAlg::A256Kw: {
        auto w = detail::aesKeyWrap(secretOf(key), cek.bytes);
        if (!w) {
            return w;
        }
        encryptedKey = *w;
        break;
    }
    case KeyAlg::Rsa1_5:
    case KeyAlg::RsaOaep:
    case KeyAlg::RsaOaep256: {
        auto w = rsaCrypt(alg, key.pkey(), cek.bytes, false);
        if (!w) {
            return w;
        }
        encryptedKey = *w;
        break;
    }
    case KeyAlg::A128GcmKw:
    case KeyAlg::A192GcmKw:
    case KeyAlg::A256GcmKw: {
        auto iv = crypto::randomBytes(12);
        if (!iv) {
            return std::unexpected(iv.error());
        }
        auto w = detail::aesGcmKeyWrap(secretOf(key), *iv, cek.bytes);
        if (!w) {
            return std::unexpected(w.error());
        }
        encryptedKey = w->ciphertext;
        addMember("iv", '"' + base64UrlEncode(*iv) + '"');
        addMember("tag", '"' + base64UrlEncode(w->tag) + '"');
        break;
    }
    case KeyAlg::Pbes2Hs256A128Kw:
    case KeyAlg::Pbes2Hs384A192Kw:
    case KeyAlg::Pbes2Hs512A256Kw: {
        auto salt = crypto::randomBytes(16);
        if (!salt) {
            return std::unexpected(salt.error());
        }
        qint64 p2c = 600000;
        if (extra.contains(QStringLiteral("p2c"))) {
            p2c = qint64(extra.value(QStringLiteral("p2c")).toDouble());
            if (p2c < 1 || p2c > defaultMaxP2c) {
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("\"p2c\" must be between 1 and the cap of %1.").arg(defaultMaxP2c));
            }
        } else {
            addMember("p2s", '"' + base64UrlEncode(*salt) + '"');
            addMember("p2c", QByteArray::number(p2c));
        }
        if (extra.contains(QStringLiteral("p2c"))) {
            addMember("p2s", '"' + base64UrlEncode(*salt) + '"');
        }
        auto kek = detail::pbes2Kek(alg, secretOf(key), *salt, p2c);
        if (!kek) {
            return kek;
        }
        Wiped kekWiped(std::move(*kek));
        auto w = detail::aesKeyWrap(kekWiped.bytes, cek.bytes);
        if (!w) {
            return w;
        }
        encryptedKey = *w;
        break;
    }
    case KeyAlg::EcdhEs:
    case KeyAlg::EcdhEsA128Kw:
    case KeyAlg::EcdhEsA192Kw:
    case KeyAlg::EcdhEsA256Kw: {
        const QByteArray curve = key.curve().toUtf8();
        EVP_PKEY* eph = key.type() == keys::KeyType::Ec ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.constData())
                                                        : EVP_PKEY_Q_keygen(nullptr, nullptr, curve.constData());
        if (!eph) {
            return cryptoFailed(QStringLiteral("generate an ephemeral key"));
        }
        auto ephKey = keys::Key::fromPkeyChecked(eph, true);
        if (!ephKey) {
            return std::unexpected(ephKey.error());
        }
        auto epkJson = keys::exportJwk(**ephKey, keys::KeyPart::Public);
        if (!epkJson) {
            return std::unexpected(epkJson.error());
        }
        addMember("epk", epkJson->trimmed());
        auto z = ecdhDerive((*ephKey)->pkey(), key.pkey());
        if (!z) {
            return z;
        }
        Wiped zWiped(std::move(*z));
        auto apu = b64Member(extra, "apu", false);
        if (!apu) {
            return apu;
        }
        auto apv = b64Member(extra, "apv", false);
        if (!apv) {
            return apv;
        }
        auto derived = detail::concatKdf(zWiped.bytes, kwAlgorithmId(alg, enc), *apu, *apv, ecdhKeyBits(alg, enc));
        if (!derived) {
            return derived;
        }
        if (alg == KeyAlg::EcdhEs) {
            cek.bytes = *derived;
        } else {
            Wiped kek(std::move(*derived));
            auto w = detail::aesKeyWrap(kek.bytes, cek.bytes);
            if (!w) {
                return w;
            }
            encryptedKey = *w;
        }
        break;
    }
    }
    head.chop(1);
    head += '}';
    auto iv = crypto::randomBytes(isGcm(enc) ? 12 : 16);
    if (!iv) {
        return std::unexpected(iv.error());
    }
    return detail::assembleCompact(head, encryptedKey, enc, cek.bytes, *iv, plaintext, compress);
}

Result<HeaderView> readHeader(QByteArrayView token)
{
    if (size_t(token.size()) > limits::maxTokenBytes) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The token is %1 bytes, larger than the 4 MiB limit (%2 bytes).")
                        .arg(token.size())
                        .arg(limits::maxTokenBytes));
    }
    HeaderView view;
    if (!token.isEmpty() && token.front() == '{') {
        auto doc = parseHeaderObject(token, QStringLiteral("The JWE JSON serialisation"));
        if (!doc) {
            return std::unexpected(doc.error());
        }
        if (!doc->contains(QStringLiteral("ciphertext"))) {
            return fail(ErrorCode::MalformedToken, QStringLiteral("The JSON object has no \"ciphertext\": not a JWE."));
        }
        view.json = true;
        const QByteArray prot = doc->value(QStringLiteral("protected")).toString().toUtf8();
        if (!prot.isEmpty()) {
            auto json = decodeSegment(prot, QStringLiteral("protected header"));
            if (!json) {
                return std::unexpected(json.error());
            }
            auto obj = parseHeaderObject(*json, QStringLiteral("The protected header"));
            if (!obj) {
                return std::unexpected(obj.error());
            }
            view.protectedHeader = *json;
            view.header = *obj;
        }
        const QJsonArray recipients = doc->value(QStringLiteral("recipients")).toArray();
        view.recipients = doc->contains(QStringLiteral("recipients")) ? int(recipients.size()) : 1;
        const QJsonObject unprotected = doc->value(QStringLiteral("unprotected")).toObject();
        const QJsonObject first =
            (recipients.isEmpty() ? *doc : recipients.first().toObject()).value(QStringLiteral("header")).toObject();
        for (const auto& [more, what] : {std::pair{unprotected, QStringLiteral("unprotected")},
                                         std::pair{first, QStringLiteral("recipient header")}}) {
            if (auto ok = mergeInto(view.header, more, what); !ok) {
                return std::unexpected(ok.error());
            }
            view.unprotectedMembers += more.keys();
        }
        return view;
    }
    auto compact = parseCompact(token);
    if (!compact) {
        return std::unexpected(compact.error());
    }
    if (compact->kind != TokenKind::Jwe) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("This is a JWS (3 segments), not a JWE (5 segments)."));
    }
    auto header = parseHeaderObject(compact->header, QStringLiteral("The protected header"));
    if (!header) {
        return std::unexpected(header.error());
    }
    view.protectedHeader = compact->header;
    view.header = *header;
    return view;
}

namespace {

bool ecdhCurve(const QString& kty, const QString& crv)
{
    if (kty == QStringLiteral("EC")) {
        return crv == QStringLiteral("P-256") || crv == QStringLiteral("P-384") || crv == QStringLiteral("P-521");
    }
    return kty == QStringLiteral("OKP") && (crv == QStringLiteral("X25519") || crv == QStringLiteral("X448"));
}

// Why the bytes of a symmetric key are a poor AES key, or empty.
QString weakSymmetricKey(QByteArrayView bytes)
{
    if (bytes.isEmpty()) {
        return QStringLiteral("The chosen key is empty.");
    }
    std::array<bool, 256> seen{};
    int distinct = 0;
    bool text = true;
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        distinct += seen[b] ? 0 : 1;
        seen[b] = true;
        text = text && b >= 0x20 && b < 0x7f;
    }
    if (distinct * 2 < bytes.size()) {
        return QStringLiteral("The chosen key repeats a few byte values (%1 distinct in %2 bytes): it is not random "
                              "(RFC 7518 §8.9).")
            .arg(distinct)
            .arg(bytes.size());
    }
    if (text) {
        return QStringLiteral("The chosen key is printable text, not random bytes: a password used directly as an "
                              "AES key is far weaker than its length suggests; passwords belong with PBES2 "
                              "(RFC 7518 §8.9).");
    }
    return {};
}

} // namespace

QString keyProblem(KeyAlg alg, std::optional<EncAlg> enc, const keys::Key& key)
{
    if (!keyFits(alg, key)) {
        return QStringLiteral("The chosen key (%1) cannot be used with %2.").arg(key.describe(), keyAlgName(alg));
    }
    if (isRsa(alg)) {
        return key.bits() < 2048 ? QStringLiteral("The chosen RSA key has %1 bits; RFC 7518 §4.2 and §4.3 require at "
                                                  "least 2048.")
                                       .arg(key.bits())
                                 : QString();
    }
    if (isEcdh(alg)) {
        return {};
    }
    const QByteArrayView secret = secretOf(key);
    if (isPbes2(alg)) {
        return secret.size() < 8 ? QStringLiteral("A %1-byte password falls quickly to offline guessing: anyone "
                                                  "holding the token can test passwords at leisure (RFC 7518 §8.8).")
                                       .arg(secret.size())
                                 : QString();
    }
    if (alg == KeyAlg::Dir && !enc) {
        return weakSymmetricKey(secret);
    }
    if (auto ok = checkKeyFits(key, alg, enc.value_or(EncAlg::A128Gcm), false); !ok) {
        return ok.error().message;
    }
    return weakSymmetricKey(secret);
}

namespace {

QString epkDanger(const QJsonValue& epk, const QJsonObject& header, const keys::Key* key)
{
    const auto alg = keyAlgFromName(header.value(QStringLiteral("alg")).toString());
    if (alg && !isEcdh(*alg)) {
        return QStringLiteral("%1 does not use an ephemeral key: an epk here is unexpected.").arg(keyAlgName(*alg));
    }
    const QJsonObject o = epk.toObject();
    const QString kty = o.value(QStringLiteral("kty")).toString();
    const QString crv = o.value(QStringLiteral("crv")).toString();
    if (!epk.isObject() || !ecdhCurve(kty, crv)) {
        return QStringLiteral("\"%1\"/\"%2\" is not a curve ECDH-ES uses (P-256, P-384, P-521, X25519, X448): an "
                              "invalid-curve attack sends points on a weak curve to learn the private key.")
            .arg(kty, crv);
    }
    if (o.contains(QStringLiteral("d"))) {
        return QStringLiteral("The ephemeral key carries its private part \"d\": the sender leaked it, and with it "
                              "the content key.");
    }
    if (auto imported = keys::importJwk(o); !imported) {
        return QStringLiteral("The ephemeral key is not a valid point on %1 (%2): an invalid-curve attack; refused.")
            .arg(crv, imported.error().message);
    }
    if (key && !key->curve().isEmpty() && key->curve() != crv) {
        return QStringLiteral("The ephemeral key is on %1 but the chosen key is on %2: a curve mismatch is refused "
                              "(invalid-curve attack).")
            .arg(crv, key->curve());
    }
    return {};
}

} // namespace

QList<HeaderNote> explainHeader(const QJsonObject& header, const DecryptOptions& options, const keys::Key* key)
{
    QList<HeaderNote> notes;
    const auto text = [&header](const char* name) { return header.value(QLatin1String(name)).toString(); };
    const auto add = [&notes, &header](const char* name, QString meaning, QString danger = {}) {
        if (header.contains(QLatin1String(name))) {
            notes.append({QString::fromLatin1(name), std::move(meaning), std::move(danger)});
        }
    };
    const QString alg = text("alg");
    const auto keyAlg = keyAlgFromName(alg);
    const auto encAlg = encAlgFromName(text("enc"));
    QString algDanger;
    if (alg == QStringLiteral("RSA1_5")) {
        algDanger = QStringLiteral("RSA1_5 is open to Bleichenbacher padding-oracle attacks (RFC 8725 §3.2).");
    } else if (!keyAlg) {
        algDanger = QStringLiteral("\"%1\" is not a JWE key management algorithm.").arg(alg);
    }
    if (keyAlg && key) {
        const QString kd = keyProblem(*keyAlg, encAlg, *key);
        algDanger = algDanger.isEmpty() ? kd : kd.isEmpty() ? algDanger : algDanger + u' ' + kd;
    }
    if (!header.contains(QStringLiteral("alg"))) {
        notes.append({QStringLiteral("alg"), QStringLiteral("Key management algorithm: missing."),
                      QStringLiteral("A JWE must name its key management algorithm (RFC 7516 §4.1.1).")});
    }
    add("alg", QStringLiteral("Key management algorithm: how the content key is encrypted or agreed."), algDanger);
    if (!header.contains(QStringLiteral("enc"))) {
        notes.append({QStringLiteral("enc"), QStringLiteral("Content encryption algorithm: missing."),
                      QStringLiteral("A JWE must name its content encryption algorithm (RFC 7516 §4.1.2).")});
    }
    add("enc", QStringLiteral("Content encryption algorithm (authenticated)."),
        encAlg ? QString() : QStringLiteral("\"%1\" is not a JWE content encryption algorithm.").arg(text("enc")));
    add("zip", QStringLiteral("Compression of the plaintext before encryption (DEF = raw DEFLATE)."),
        text("zip") == QStringLiteral("DEF")
            ? QStringLiteral("Compressing before encrypting can leak the plaintext through its length "
                             "(CRIME-style); the inflated size is capped at %1 MiB against zip bombs.")
                  .arg(double(options.maxInflatedBytes) / (1024.0 * 1024.0))
            : QStringLiteral("Only \"DEF\" is defined: a token with another zip value is refused."));
    add("kid", QStringLiteral("Key ID: a hint for choosing the decryption key."));
    add("cty", QStringLiteral("Content type of the plaintext; \"JWT\" marks a nested token to verify in turn."));
    add("typ", QStringLiteral("Media type of the whole JWE."));
    const QString crv = header.value(QStringLiteral("epk")).toObject().value(QStringLiteral("crv")).toString();
    add("epk",
        QStringLiteral("Ephemeral public key of the sender (ECDH-ES)%1; checked to lie on the recipient key's curve "
                       "before any derivation.")
            .arg(crv.isEmpty() ? QString() : QStringLiteral(", on %1").arg(crv)),
        epkDanger(header.value(QStringLiteral("epk")), header, key));
    add("apu", QStringLiteral("Agreement PartyUInfo: producer information mixed into the Concat KDF."));
    add("apv", QStringLiteral("Agreement PartyVInfo: recipient information mixed into the Concat KDF."));
    add("iv", QStringLiteral("IV of the AES-GCM key wrap (AxxxGCMKW)."));
    add("tag", QStringLiteral("Authentication tag of the AES-GCM key wrap (AxxxGCMKW)."));
    add("p2s", QStringLiteral("PBES2 salt input."),
        b64Member(header, "p2s", false).value_or(QByteArray(8, 'x')).size() < 8
            ? QStringLiteral("Shorter than the 8 bytes RFC 7518 §4.8.1.1 asks for.")
            : QString());
    if (header.contains(QStringLiteral("p2c"))) {
        const double p2c = header.value(QStringLiteral("p2c")).toDouble();
        QString danger;
        if (p2c > double(options.maxP2c)) {
            danger = QStringLiteral("%1 iterations is above the cap of %2: a denial-of-service vector, refused.")
                         .arg(qint64(std::min(p2c, 9e15)))
                         .arg(options.maxP2c);
        } else if (p2c < 1000) {
            danger = QStringLiteral("Fewer than 1,000 iterations makes password guessing cheap (RFC 7518 §4.8.1.2).");
        }
        notes.append({QStringLiteral("p2c"), QStringLiteral("PBES2 iteration count."), danger});
    }
    for (const char* name : {"jku", "jwk", "x5u", "x5c"}) {
        add(name, QStringLiteral("A key or key location carried by the token itself."),
            QStringLiteral("Never choose the decryption key from the token: an attacker controls it."));
    }
    add("crit", QStringLiteral("Extensions the recipient must understand."),
        QStringLiteral("tokenbench understands no JWE extension: a token with crit is refused."));
    static const QStringList known = {QStringLiteral("alg"), QStringLiteral("enc"), QStringLiteral("zip"),
                                      QStringLiteral("kid"), QStringLiteral("cty"), QStringLiteral("typ"),
                                      QStringLiteral("epk"), QStringLiteral("apu"), QStringLiteral("apv"),
                                      QStringLiteral("iv"),  QStringLiteral("tag"), QStringLiteral("p2s"),
                                      QStringLiteral("p2c"), QStringLiteral("jku"), QStringLiteral("jwk"),
                                      QStringLiteral("x5u"), QStringLiteral("x5c"), QStringLiteral("crit")};
    for (const QString& k : header.keys()) {
        if (!known.contains(k)) {
            notes.append({k, QStringLiteral("Not a registered JWE header parameter."), QString()});
        }
    }
    return notes;
}

namespace detail {

Result<Sealed> encryptContent(EncAlg enc, QByteArrayView cek, QByteArrayView iv, QByteArrayView aad,
                              QByteArrayView plaintext)
{
    if (cek.size() != cekBytes(enc)) {
        return fail(ErrorCode::KeyMismatch,
                    QStringLiteral("%1 needs a %2-byte content key.").arg(encAlgName(enc)).arg(cekBytes(enc)));
    }
    return isGcm(enc) ? gcmSeal(cek, iv, aad, plaintext) : cbcSeal(enc, cek, iv, aad, plaintext);
}

Result<QByteArray> decryptContent(EncAlg enc, QByteArrayView cek, QByteArrayView iv, QByteArrayView aad,
                                  QByteArrayView ciphertext, QByteArrayView tag)
{
    if (cek.size() != cekBytes(enc)) {
        return decryptionFailed();
    }
    return isGcm(enc) ? gcmOpen(cek, iv, aad, ciphertext, tag) : cbcOpen(enc, cek, iv, aad, ciphertext, tag);
}

Result<QByteArray> aesKeyWrap(QByteArrayView kek, QByteArrayView keyData)
{
    const char* name = aesName(kek.size(), "WRAP");
    if (!name) {
        return fail(
            ErrorCode::KeyMismatch,
            QStringLiteral("AES key wrap needs a 16, 24 or 32-byte key; this one has %1 bytes.").arg(kek.size()));
    }
    if (keyData.size() < 16 || keyData.size() % 8 != 0) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("AES key wrap takes a multiple of 8 bytes, at least 16."));
    }
    auto cipher = fetchCipher(name);
    if (!cipher) {
        return std::unexpected(cipher.error());
    }
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out(keyData.size() + 8, Qt::Uninitialized);
    int len = 0;
    int finalLen = 0;
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), cipher->get(), bytesOf(kek), nullptr, nullptr) != 1 ||
        EVP_EncryptUpdate(ctx.get(), bytesOf(out), &len, bytesOf(keyData), int(keyData.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), bytesOf(out) + len, &finalLen) != 1) {
        return cryptoFailed(QStringLiteral("wrap a key with AES-KW"));
    }
    out.resize(len + finalLen);
    return out;
}

Result<QByteArray> aesKeyUnwrap(QByteArrayView kek, QByteArrayView wrapped)
{
    const char* name = aesName(kek.size(), "WRAP");
    if (!name) {
        return fail(
            ErrorCode::KeyMismatch,
            QStringLiteral("AES key wrap needs a 16, 24 or 32-byte key; this one has %1 bytes.").arg(kek.size()));
    }
    if (wrapped.size() < 24 || wrapped.size() % 8 != 0) {
        return decryptionFailed();
    }
    auto cipher = fetchCipher(name);
    if (!cipher) {
        return std::unexpected(cipher.error());
    }
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out(wrapped.size(), Qt::Uninitialized);
    int len = 0;
    int finalLen = 0;
    if (!ctx || EVP_DecryptInit_ex2(ctx.get(), cipher->get(), bytesOf(kek), nullptr, nullptr) != 1 ||
        EVP_DecryptUpdate(ctx.get(), bytesOf(out), &len, bytesOf(wrapped), int(wrapped.size())) <= 0 ||
        EVP_DecryptFinal_ex(ctx.get(), bytesOf(out) + len, &finalLen) != 1) {
        ERR_clear_error();
        tb::cleanse(out);
        return decryptionFailed(); // the RFC 3394 integrity check failed
    }
    out.resize(len + finalLen);
    return out;
}

Result<Sealed> aesGcmKeyWrap(QByteArrayView kek, QByteArrayView iv, QByteArrayView cek)
{
    return gcmSeal(kek, iv, {}, cek);
}

Result<QByteArray> concatKdf(QByteArrayView z, QByteArrayView algorithmId, QByteArrayView apu, QByteArrayView apv,
                             int keyBits)
{
    const auto be32 = [](quint32 v) {
        QByteArray b(4, Qt::Uninitialized);
        b[0] = char(v >> 24);
        b[1] = char(v >> 16);
        b[2] = char(v >> 8);
        b[3] = char(v);
        return b;
    };
    QByteArray otherInfo = be32(quint32(algorithmId.size())) + algorithmId.toByteArray() + be32(quint32(apu.size())) +
                           apu.toByteArray() + be32(quint32(apv.size())) + apv.toByteArray() + be32(quint32(keyBits));
    const int keyBytes = keyBits / 8;
    QByteArray out;
    crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
    for (quint32 counter = 1; out.size() < keyBytes; ++counter) {
        unsigned char digest[32];
        unsigned int len = 0;
        const QByteArray c = be32(counter);
        if (!ctx || EVP_DigestInit_ex2(ctx.get(), EVP_sha256(), nullptr) != 1 ||
            EVP_DigestUpdate(ctx.get(), c.constData(), 4) != 1 ||
            EVP_DigestUpdate(ctx.get(), bytesOf(z), size_t(z.size())) != 1 ||
            EVP_DigestUpdate(ctx.get(), otherInfo.constData(), size_t(otherInfo.size())) != 1 ||
            EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
            return cryptoFailed(QStringLiteral("compute the Concat KDF"));
        }
        out.append(reinterpret_cast<const char*>(digest), int(len));
        OPENSSL_cleanse(digest, sizeof digest);
    }
    out.truncate(keyBytes);
    return out;
}

Result<QByteArray> pbes2Kek(KeyAlg alg, QByteArrayView password, QByteArrayView p2s, qint64 p2c)
{
    if (!isPbes2(alg)) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("Not a PBES2 algorithm."));
    }
    const EVP_MD* md = alg == KeyAlg::Pbes2Hs256A128Kw   ? EVP_sha256()
                       : alg == KeyAlg::Pbes2Hs384A192Kw ? EVP_sha384()
                                                         : EVP_sha512();
    // Salt = UTF8(alg) || 0x00 || p2s (RFC 7518 §4.8.1.1).
    const QByteArray salt = keyAlgName(alg).toUtf8() + '\0' + p2s.toByteArray();
    QByteArray out(kwKeyBytes(alg), Qt::Uninitialized);
    if (p2c < 1 || p2c > INT_MAX ||
        PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(bytesOf(password)), int(password.size()), bytesOf(salt),
                          int(salt.size()), int(p2c), md, int(out.size()), bytesOf(out)) != 1) {
        return cryptoFailed(QStringLiteral("derive a PBES2 key"));
    }
    return out;
}

Result<QByteArray> inflateRaw(QByteArrayView data, qsizetype maxBytes)
{
    z_stream s{};
    if (inflateInit2(&s, -15) != Z_OK) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("zlib failed to start inflating."));
    }
    s.next_in = const_cast<Bytef*>(bytesOf(data));
    s.avail_in = uInt(data.size());
    QByteArray out;
    char chunk[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        s.next_out = reinterpret_cast<Bytef*>(chunk);
        s.avail_out = sizeof chunk;
        rc = inflate(&s, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&s);
            return fail(ErrorCode::MalformedToken,
                        QStringLiteral("The decrypted content is not valid raw DEFLATE data (zip: DEF)."));
        }
        const qsizetype produced = qsizetype(sizeof chunk - s.avail_out);
        if (out.size() + produced > maxBytes) {
            inflateEnd(&s);
            return fail(ErrorCode::TooLarge,
                        QStringLiteral("The decompressed plaintext exceeds the cap of %1 MiB (%2 bytes): zip bomb "
                                       "refused.")
                            .arg(double(maxBytes) / (1024.0 * 1024.0))
                            .arg(maxBytes));
        }
        out.append(chunk, produced);
        if (rc == Z_OK && produced == 0 && s.avail_in == 0) {
            inflateEnd(&s);
            return fail(ErrorCode::MalformedToken, QStringLiteral("The DEFLATE data is truncated (zip: DEF)."));
        }
    }
    inflateEnd(&s);
    return out;
}

Result<QByteArray> deflateRaw(QByteArrayView data)
{
    z_stream s{};
    if (deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("zlib failed to start deflating."));
    }
    QByteArray out(qsizetype(deflateBound(&s, uLong(data.size()))), Qt::Uninitialized);
    s.next_in = const_cast<Bytef*>(bytesOf(data));
    s.avail_in = uInt(data.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = uInt(out.size());
    const int rc = deflate(&s, Z_FINISH);
    deflateEnd(&s);
    if (rc != Z_STREAM_END) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("zlib failed to deflate."));
    }
    out.resize(qsizetype(s.total_out));
    return out;
}

Result<QByteArray> assembleCompact(QByteArrayView protectedHeader, QByteArrayView encryptedKey, EncAlg enc,
                                   QByteArrayView cek, QByteArrayView iv, QByteArrayView plaintext, bool compress)
{
    QByteArray content = plaintext.toByteArray();
    if (compress) {
        auto d = deflateRaw(plaintext);
        if (!d) {
            return d;
        }
        content = *d;
    }
    const QByteArray headerB64 = base64UrlEncode(protectedHeader);
    auto sealed = encryptContent(enc, cek, iv, headerB64, content);
    if (!sealed) {
        return std::unexpected(sealed.error());
    }
    return headerB64 + '.' + base64UrlEncode(encryptedKey) + '.' + base64UrlEncode(iv) + '.' +
           base64UrlEncode(sealed->ciphertext) + '.' + base64UrlEncode(sealed->tag);
}

} // namespace detail

} // namespace tb::jose::jwe
