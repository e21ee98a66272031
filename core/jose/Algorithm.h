#pragma once

#include <optional>

#include <QList>
#include <QString>
#include <QStringView>

namespace tb::jose {

// The JWS algorithms of RFC 7518 §3, RFC 8812 (ES256K) and RFC 8037 (EdDSA).
enum class Alg
{
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    ES256K,
    EdDSA,
    None,
};

enum class AlgFamily
{
    Hmac,
    RsaPkcs1,
    RsaPss,
    Ecdsa,
    EdDsa,
    Unsecured,
};

// Exact, case-sensitive names (RFC 7515 §4.1.1): "none" is the only spelling of None.
std::optional<Alg> algFromName(QStringView name);
QString algName(Alg alg);
AlgFamily algFamily(Alg alg);
// OpenSSL digest name ("SHA256", ...), or nullptr for EdDSA and none.
const char* algDigest(Alg alg);
// Hash output length in bytes (0 for EdDSA and none).
int algHashBytes(Alg alg);
// For ECDSA: the curve's JWK name ("P-256", "P-384", "P-521", "secp256k1"); empty otherwise.
QString algCurve(Alg alg);
QList<Alg> allAlgs();
// A case-insensitive match of "none" that is not exactly "none": a classic filter bypass.
bool isNoneVariant(QStringView name);

} // namespace tb::jose
