#include <array>

#include "crypto/Ossl.h"
#include "keys/Key.h"

namespace tb::keys {

namespace {

// The odd primes of the smallest primorial (2 to 167) the ROCA key generator uses (Nemec et al., CCS 2017).
constexpr std::array<unsigned, 38> rocaPrimes = {3,   5,   7,   11,  13,  17,  19,  23,  29,  31,  37,  41,  43,
                                                 47,  53,  59,  61,  67,  71,  73,  79,  83,  89,  97,  101, 103,
                                                 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};

bool inSubgroupOf65537(unsigned residue, unsigned p)
{
    const unsigned g = 65537 % p;
    unsigned x = 1;
    for (unsigned i = 0; i < p; ++i) {
        if (x == residue) {
            return true;
        }
        x = x * g % p;
    }
    return false;
}

crypto::BnPtr rsaParam(const Key& key, const char* name)
{
    BIGNUM* bn = nullptr;
    EVP_PKEY_get_bn_param(key.pkey(), name, &bn);
    return crypto::BnPtr(bn);
}

} // namespace

bool hasRocaFingerprint(const Key& key)
{
    if (key.type() != KeyType::Rsa) {
        return false;
    }
    const crypto::BnPtr n = rsaParam(key, OSSL_PKEY_PARAM_RSA_N);
    if (!n) {
        return false;
    }
    for (unsigned p : rocaPrimes) {
        const BN_ULONG r = BN_mod_word(n.get(), p);
        if (r == static_cast<BN_ULONG>(-1) || !inSubgroupOf65537(static_cast<unsigned>(r), p)) {
            return false;
        }
    }
    return true;
}

QString unsafeKeyReason(const Key& key)
{
    if (key.type() == KeyType::Oct && key.secret().empty()) {
        return QStringLiteral("The HMAC secret is empty: anyone can compute its MACs.");
    }
    if (key.type() != KeyType::Rsa) {
        return {};
    }
    const crypto::BnPtr e = rsaParam(key, OSSL_PKEY_PARAM_RSA_E);
    if (!e || BN_is_one(e.get()) || !BN_is_odd(e.get()) || BN_is_word(e.get(), 0)) {
        return QStringLiteral("The RSA public exponent is 1 or even: signatures under this key can be forged.");
    }
    if (hasRocaFingerprint(key)) {
        return QStringLiteral("The RSA modulus has the ROCA fingerprint (CVE-2017-15361): its private key can be "
                              "computed from the public key.");
    }
    return {};
}

} // namespace tb::keys
