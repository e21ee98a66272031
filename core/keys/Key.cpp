#include "Key.h"

#include <openssl/err.h>

#include "crypto/Ossl.h"
#include "keys/KeyIo.h"

namespace tb::keys {

void PkeyFree::operator()(EVP_PKEY* p) const
{
    EVP_PKEY_free(p);
}

void MdCtxFree::operator()(EVP_MD_CTX* p) const
{
    EVP_MD_CTX_free(p);
}

namespace {

QString curveOf(EVP_PKEY* pkey)
{
    if (EVP_PKEY_is_a(pkey, "ED25519")) {
        return QStringLiteral("Ed25519");
    }
    if (EVP_PKEY_is_a(pkey, "ED448")) {
        return QStringLiteral("Ed448");
    }
    if (EVP_PKEY_is_a(pkey, "X25519")) {
        return QStringLiteral("X25519");
    }
    if (EVP_PKEY_is_a(pkey, "X448")) {
        return QStringLiteral("X448");
    }
    char group[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &len) != 1) {
        return {};
    }
    const QByteArray name(group, static_cast<qsizetype>(len));
    if (name == "prime256v1" || name == "P-256") {
        return QStringLiteral("P-256");
    }
    if (name == "secp384r1" || name == "P-384") {
        return QStringLiteral("P-384");
    }
    if (name == "secp521r1" || name == "P-521") {
        return QStringLiteral("P-521");
    }
    if (name == "secp256k1") {
        return QStringLiteral("secp256k1");
    }
    return QString::fromLatin1(name);
}

} // namespace

std::shared_ptr<Key> Key::fromPkey(EVP_PKEY* pkey, bool hasPrivate)
{
    std::shared_ptr<Key> key(new Key);
    key->m_pkey.reset(pkey);
    key->m_private = hasPrivate;
    if (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "RSA-PSS")) {
        key->m_type = KeyType::Rsa;
    } else if (EVP_PKEY_is_a(pkey, "EC")) {
        key->m_type = KeyType::Ec;
    } else {
        key->m_type = KeyType::Okp;
    }
    key->m_curve = curveOf(pkey);
    key->m_description = key->makeDescription();
    return key;
}

Result<std::shared_ptr<Key>> Key::fromPkeyChecked(EVP_PKEY* pkey, bool hasPrivate)
{
    std::shared_ptr<Key> key = fromPkey(pkey, hasPrivate);
    static const QStringList okpCurves = {QStringLiteral("Ed25519"), QStringLiteral("Ed448"), QStringLiteral("X25519"),
                                          QStringLiteral("X448")};
    const bool okp = okpCurves.contains(key->m_curve);
    const bool known = key->m_type == KeyType::Rsa || (key->m_type == KeyType::Ec && !key->m_curve.isEmpty() && !okp) ||
                       (key->m_type == KeyType::Okp && okp);
    if (!known) {
        return fail(ErrorCode::KeyUnreadable,
                    QStringLiteral("The key is not an RSA, EC or OKP (Ed25519, Ed448, X25519, "
                                   "X448) key, or OpenSSL could not tell its type."));
    }
    // OpenSSL takes n = 0 (or 1) from a JWK or a hand-made SPKI; no signature can verify under such a "modulus".
    if (key->m_type == KeyType::Rsa && key->bits() < 2) {
        return fail(ErrorCode::KeyUnreadable,
                    QStringLiteral("The RSA key's modulus n is %1, which is not a modulus.")
                        .arg(key->bits() == 0 ? QStringLiteral("zero") : QStringLiteral("1")));
    }
    return key;
}

std::shared_ptr<Key> Key::fromSecret(SecretBytes secret)
{
    std::shared_ptr<Key> key(new Key);
    key->m_type = KeyType::Oct;
    key->m_private = true;
    key->m_secret = std::move(secret);
    key->m_description = key->makeDescription();
    return key;
}

int Key::bits() const
{
    if (m_type == KeyType::Oct) {
        return static_cast<int>(m_secret.size() * 8);
    }
    return EVP_PKEY_get_bits(m_pkey.get());
}

QString Key::typeName() const
{
    switch (m_type) {
    case KeyType::Oct:
        return QStringLiteral("oct");
    case KeyType::Rsa:
        return QStringLiteral("RSA");
    case KeyType::Ec:
        return QStringLiteral("EC");
    case KeyType::Okp:
        return QStringLiteral("OKP");
    }
    return {};
}

const QString& Key::thumbprint() const
{
    if (m_thumbprintReady.load(std::memory_order_acquire)) {
        return m_thumbprint;
    }
    const std::lock_guard lock(m_cacheMutex);
    if (!m_thumbprintReady.load(std::memory_order_relaxed)) {
        auto computed = keys::thumbprint(*this);
        if (!computed || computed->isEmpty()) {
            static const QString none;
            return none;
        }
        m_thumbprint = std::move(*computed);
        m_thumbprintReady.store(true, std::memory_order_release);
    }
    return m_thumbprint;
}

const QString& Key::unsafeReason() const
{
    std::call_once(m_unsafeOnce, [this] { m_unsafe = unsafeKeyReason(*this); });
    return m_unsafe;
}

QString Key::makeDescription() const
{
    const QString half = m_private ? QStringLiteral("private") : QStringLiteral("public");
    switch (m_type) {
    case KeyType::Oct:
        return QStringLiteral("HMAC secret (%1 bytes)").arg(m_secret.size());
    case KeyType::Rsa:
        return QStringLiteral("RSA %1-bit %2 key").arg(bits()).arg(half);
    case KeyType::Ec:
        return QStringLiteral("EC %1 %2 key").arg(m_curve, half);
    case KeyType::Okp:
        return QStringLiteral("OKP %1 %2 key").arg(m_curve, half);
    }
    return {};
}

bool Key::fits(jose::Alg alg) const
{
    using jose::AlgFamily;
    switch (jose::algFamily(alg)) {
    case AlgFamily::Hmac:
        return m_type == KeyType::Oct;
    case AlgFamily::RsaPkcs1:
    case AlgFamily::RsaPss:
        return m_type == KeyType::Rsa;
    case AlgFamily::Ecdsa:
        return m_type == KeyType::Ec && m_curve == jose::algCurve(alg);
    case AlgFamily::EdDsa:
        return m_type == KeyType::Okp && (m_curve == QStringLiteral("Ed25519") || m_curve == QStringLiteral("Ed448"));
    case AlgFamily::Unsecured:
        return false;
    }
    return false;
}

QList<jose::Alg> Key::fittingAlgs() const
{
    QList<jose::Alg> out;
    for (const jose::Alg alg : jose::allAlgs()) {
        if (fits(alg)) {
            out << alg;
        }
    }
    return out;
}

namespace {

std::optional<HmacPads> buildPads(const char* digestName, QByteArrayView secret)
{
    static const crypto::MdPtr sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    static const crypto::MdPtr sha384(EVP_MD_fetch(nullptr, "SHA384", nullptr));
    static const crypto::MdPtr sha512(EVP_MD_fetch(nullptr, "SHA512", nullptr));
    const EVP_MD* md = qstrcmp(digestName, "SHA256") == 0   ? sha256.get()
                       : qstrcmp(digestName, "SHA384") == 0 ? sha384.get()
                                                            : sha512.get();
    if (md == nullptr) {
        return std::nullopt;
    }
    const int block = EVP_MD_get_block_size(md);
    std::array<unsigned char, 128> key{}; // the largest block (SHA-512)
    if (block <= 0 || block > int(key.size())) {
        return std::nullopt;
    }
    // RFC 2104: a key longer than the block is hashed first; a shorter one is padded with zeros.
    if (secret.size() > block) {
        unsigned int len = 0;
        if (EVP_Digest(secret.data(), std::size_t(secret.size()), key.data(), &len, md, nullptr) != 1) {
            return std::nullopt;
        }
    } else {
        std::copy(secret.begin(), secret.end(), key.begin());
    }
    HmacPads pads{std::unique_ptr<EVP_MD_CTX, MdCtxFree>(EVP_MD_CTX_new()),
                  std::unique_ptr<EVP_MD_CTX, MdCtxFree>(EVP_MD_CTX_new())};
    std::array<unsigned char, 128> pad{};
    bool ok = pads.inner && pads.outer;
    for (auto [ctx, byte] : {std::pair{pads.inner.get(), 0x36}, std::pair{pads.outer.get(), 0x5c}}) {
        for (int i = 0; i < block; ++i) {
            pad[std::size_t(i)] = key[std::size_t(i)] ^ static_cast<unsigned char>(byte);
        }
        ok = ok && EVP_DigestInit_ex2(ctx, md, nullptr) == 1 &&
             EVP_DigestUpdate(ctx, pad.data(), std::size_t(block)) == 1;
    }
    OPENSSL_cleanse(key.data(), key.size());
    OPENSSL_cleanse(pad.data(), pad.size());
    return ok ? std::optional<HmacPads>(std::move(pads)) : std::nullopt;
}

std::unique_ptr<EVP_MD_CTX, MdCtxFree> buildVerifyContext(jose::Alg alg, EVP_PKEY* pkey)
{
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    const bool ok =
        ctx && EVP_DigestVerifyInit_ex(ctx.get(), &pctx, jose::algDigest(alg), nullptr, nullptr, pkey, nullptr) == 1 &&
        (jose::algFamily(alg) != jose::AlgFamily::RsaPss ||
         crypto::setPssParams(pctx, OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST));
    ERR_clear_error();
    return ok ? std::move(ctx) : nullptr;
}

} // namespace

const EVP_MD_CTX* Key::verifyTemplate(jose::Alg alg) const
{
    const auto family = jose::algFamily(alg);
    if (!m_pkey || family == jose::AlgFamily::Hmac || family == jose::AlgFamily::Unsecured || !fits(alg)) {
        return nullptr;
    }
    const auto slot = std::size_t(alg);
    if (m_verifyReady[slot].load(std::memory_order_acquire)) {
        return m_verify[slot].get();
    }
    const std::lock_guard lock(m_cacheMutex);
    if (!m_verifyReady[slot].load(std::memory_order_relaxed)) {
        m_verify[slot] = buildVerifyContext(alg, m_pkey.get());
        if (!m_verify[slot]) {
            return nullptr;
        }
        m_verifyReady[slot].store(true, std::memory_order_release);
    }
    return m_verify[slot].get();
}

const HmacPads* Key::hmacPads(jose::Alg alg) const
{
    if (m_type != KeyType::Oct || jose::algFamily(alg) != jose::AlgFamily::Hmac) {
        return nullptr;
    }
    const int slot = alg == jose::Alg::HS256 ? 0 : alg == jose::Alg::HS384 ? 1 : 2;
    if (m_padsReady[slot].load(std::memory_order_acquire)) {
        return &*m_pads[slot];
    }
    const std::lock_guard lock(m_cacheMutex);
    if (!m_padsReady[slot].load(std::memory_order_relaxed)) {
        m_pads[slot] = buildPads(jose::algDigest(alg), QByteArrayView(m_secret.data(), m_secret.size()));
        if (!m_pads[slot]) {
            return nullptr;
        }
        m_padsReady[slot].store(true, std::memory_order_release);
    }
    return &*m_pads[slot];
}

} // namespace tb::keys
