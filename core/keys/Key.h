#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include <openssl/types.h>

#include <QString>
#include <QStringList>

#include "base/Error.h"
#include "base/SecretBytes.h"
#include "jose/Algorithm.h"

namespace tb::keys {

enum class KeyType
{
    Oct, // a symmetric secret (HMAC)
    Rsa,
    Ec,
    Okp, // Ed25519 / Ed448 (and X25519 / X448 for JWE)
};

// JWK members that constrain how a key may be used (RFC 7517 §4).
struct KeyMeta
{
    QString kid;
    QString alg;
    QString use;
    std::optional<QStringList> keyOps;
};

struct PkeyFree
{
    void operator()(EVP_PKEY* p) const;
};
struct MdCtxFree
{
    void operator()(EVP_MD_CTX* p) const;
};

// HMAC (RFC 2104) with the key's two padded blocks already absorbed: a MAC then costs two context copies
// and the message's compressions, with no per-MAC key setup.
struct HmacPads
{
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> inner; // after H(K ^ ipad)
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> outer; // after H(K ^ opad)
};

// An immutable key: an OpenSSL EVP_PKEY (RSA, EC, OKP) or a secret (oct). Shared read-only between
// threads once built; keys are parsed once and kept (parsing costs far more than a verify).
class Key
{
public:
    // Takes ownership of `pkey`.
    static std::shared_ptr<Key> fromPkey(EVP_PKEY* pkey, bool hasPrivate);
    // The same, refusing (KeyUnreadable) a key whose type and curve cannot be told: an unsupported type, or
    // OpenSSL failing on the way (out of memory). Such a key would carry a wrong thumbprint and JWK.
    static Result<std::shared_ptr<Key>> fromPkeyChecked(EVP_PKEY* pkey, bool hasPrivate);
    static std::shared_ptr<Key> fromSecret(SecretBytes secret);

    [[nodiscard]] KeyType type() const { return m_type; }
    [[nodiscard]] bool hasPrivate() const { return m_private; }
    // Modulus bits (RSA), curve bits (EC/OKP), secret bits (oct).
    [[nodiscard]] int bits() const;
    // JWK curve name: "P-256", "P-384", "P-521", "secp256k1", "Ed25519", "Ed448", "X25519", "X448"; empty otherwise.
    [[nodiscard]] QString curve() const { return m_curve; }
    [[nodiscard]] QString typeName() const; // JWK kty: "oct", "RSA", "EC", "OKP"
    // e.g. "RSA 2048-bit private key", "EC P-256 public key", "HMAC secret (32 bytes)".
    [[nodiscard]] const QString& describe() const { return m_description; }
    // Computed once per key, since keys are immutable and verification reports name them on every call:
    // the RFC 7638 thumbprint ("" if it cannot be computed) and unsafeKeyReason() below.
    [[nodiscard]] const QString& thumbprint() const;
    [[nodiscard]] const QString& unsafeReason() const;

    [[nodiscard]] const KeyMeta& meta() const { return m_meta; }
    void setMeta(KeyMeta meta) { m_meta = std::move(meta); }

    // Whether `alg` can run with this key at all (type and curve), ignoring JWK metadata.
    [[nodiscard]] bool fits(jose::Alg alg) const;
    // Algorithms that fit, in the order of jose::allAlgs() (never None).
    [[nodiscard]] QList<jose::Alg> fittingAlgs() const;

    // Crypto internals: valid for the key's lifetime.
    [[nodiscard]] EVP_PKEY* pkey() const { return m_pkey.get(); }
    [[nodiscard]] const SecretBytes& secret() const { return m_secret; }
    // The HMAC pads for an HS* alg (built on first use, then shared read-only); null when they cannot be built.
    [[nodiscard]] const HmacPads* hmacPads(jose::Alg alg) const;
    // A digest-verify context set up for `alg` with this key (RSA-PSS: salt = hash length), built on first use
    // and then only copied: setting one up costs about a tenth of an RSA verify. Null for HMAC and when it cannot
    // be built (a failed allocation); callers then set up a context of their own.
    [[nodiscard]] const EVP_MD_CTX* verifyTemplate(jose::Alg alg) const;

private:
    Key() = default;
    [[nodiscard]] QString makeDescription() const;

    KeyType m_type = KeyType::Oct;
    bool m_private = false;
    QString m_curve;
    KeyMeta m_meta;
    std::unique_ptr<EVP_PKEY, PkeyFree> m_pkey;
    SecretBytes m_secret;
    QString m_description;
    // The thumbprint and the HMAC pads are kept once built; a failure to build them (OpenSSL out of memory)
    // is not kept, so the next call tries again instead of the key staying broken. Set once, then read-only.
    mutable std::mutex m_cacheMutex;
    mutable std::atomic<bool> m_thumbprintReady{false};
    mutable QString m_thumbprint;
    mutable std::once_flag m_unsafeOnce;
    mutable QString m_unsafe;
    mutable std::atomic<bool> m_padsReady[3]{};
    mutable std::optional<HmacPads> m_pads[3];
    static constexpr int algCount = int(jose::Alg::None);
    mutable std::atomic<bool> m_verifyReady[algCount]{};
    mutable std::unique_ptr<EVP_MD_CTX, MdCtxFree> m_verify[algCount];
};

using KeyPtr = std::shared_ptr<const Key>;

} // namespace tb::keys

namespace tb::keys {

// Why a key must not be used to verify anything, or empty when it may: an empty HMAC secret, an RSA public
// exponent below 3 or even, an RSA modulus with the ROCA fingerprint (CVE-2017-15361).
QString unsafeKeyReason(const Key& key);
// The ROCA test alone (n mod each odd prime up to 167 lies in the subgroup generated by 65537).
bool hasRocaFingerprint(const Key& key);

} // namespace tb::keys
