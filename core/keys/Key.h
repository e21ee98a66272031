#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include <openssl/types.h>

#include <QString>
#include <QStringList>

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
struct MacCtxFree
{
    void operator()(EVP_MAC_CTX* p) const;
};

// An immutable key: an OpenSSL EVP_PKEY (RSA, EC, OKP) or a secret (oct). Shared read-only between
// threads once built; keys are parsed once and kept (parsing costs far more than a verify).
class Key
{
public:
    // Takes ownership of `pkey`.
    static std::shared_ptr<Key> fromPkey(EVP_PKEY* pkey, bool hasPrivate);
    static std::shared_ptr<Key> fromSecret(SecretBytes secret);

    [[nodiscard]] KeyType type() const { return m_type; }
    [[nodiscard]] bool hasPrivate() const { return m_private; }
    // Modulus bits (RSA), curve bits (EC/OKP), secret bits (oct).
    [[nodiscard]] int bits() const;
    // JWK curve name: "P-256", "P-384", "P-521", "secp256k1", "Ed25519", "Ed448", "X25519", "X448"; empty otherwise.
    [[nodiscard]] QString curve() const { return m_curve; }
    [[nodiscard]] QString typeName() const; // JWK kty: "oct", "RSA", "EC", "OKP"
    // e.g. "RSA 2048-bit private key", "EC P-256 public key", "HMAC secret (32 bytes)".
    [[nodiscard]] QString describe() const;

    [[nodiscard]] const KeyMeta& meta() const { return m_meta; }
    void setMeta(KeyMeta meta) { m_meta = std::move(meta); }

    // Whether `alg` can run with this key at all (type and curve), ignoring JWK metadata.
    [[nodiscard]] bool fits(jose::Alg alg) const;
    // Algorithms that fit, in the order of jose::allAlgs() (never None).
    [[nodiscard]] QList<jose::Alg> fittingAlgs() const;

    // Crypto internals: valid for the key's lifetime.
    [[nodiscard]] EVP_PKEY* pkey() const { return m_pkey.get(); }
    [[nodiscard]] const SecretBytes& secret() const { return m_secret; }
    // A keyed HMAC context to duplicate per MAC (built on first use, then shared read-only).
    [[nodiscard]] EVP_MAC_CTX* macTemplate(jose::Alg alg) const;

private:
    Key() = default;

    KeyType m_type = KeyType::Oct;
    bool m_private = false;
    QString m_curve;
    KeyMeta m_meta;
    std::unique_ptr<EVP_PKEY, PkeyFree> m_pkey;
    SecretBytes m_secret;
    mutable std::mutex m_macMutex;
    mutable std::unique_ptr<EVP_MAC_CTX, MacCtxFree> m_mac[3];
};

using KeyPtr = std::shared_ptr<const Key>;

} // namespace tb::keys
