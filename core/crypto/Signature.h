#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "base/Error.h"
#include "jose/Algorithm.h"
#include "keys/Key.h"

namespace tb::crypto {

// JWS signature primitives over the exact signing input. ECDSA signatures are raw r||s of fixed length
// (RFC 7518 §3.4); RSA-PSS uses salt = hash length (§3.5). None of these accepts Alg::None.

// Fails with KeyMismatch when the key does not fit `alg` or has no private half.
Result<QByteArray> signBytes(jose::Alg alg, const keys::Key& key, QByteArrayView input);

struct SignatureVerdict
{
    bool valid = false;
    QString reason; // one sentence: why it is valid, or exactly why not
    // False when OpenSSL failed before it could decide (out of memory, an internal error): `valid` is false, but
    // the signature was not found wrong; `reason` says what failed.
    bool checked = true;
};

// Whether a valid verdict carries its sentence: a caller that writes it only when read (validate::Sentence)
// asks for FailuresOnly and gets an empty reason on success.
enum class Wording
{
    Always,
    FailuresOnly,
};

// Fails (KeyMismatch) only when the key cannot run `alg`; a bad signature is a verdict, not an error.
Result<SignatureVerdict> verifyBytes(jose::Alg alg, const keys::Key& key, QByteArrayView input,
                                     QByteArrayView signature, Wording wording = Wording::Always);

// The reason of a valid verdict: "The RS256 signature verifies with the RSA 2048-bit public key."
QString validSentence(jose::Alg alg, const keys::Key& key);

// ECDSA format conversions with exact lengths: `coordBytes` is 32, 48 or 66.
Result<QByteArray> ecdsaRawToDer(QByteArrayView raw, int coordBytes);
Result<QByteArray> ecdsaDerToRaw(QByteArrayView der, int coordBytes);
int ecdsaCoordBytes(jose::Alg alg);

// HMAC of `input` with the key's secret (HS256/384/512).
Result<QByteArray> hmac(jose::Alg alg, const keys::Key& key, QByteArrayView input);
// One-shot digests ("SHA256", "SHA384", "SHA512", "SHA1", "MD5").
Result<QByteArray> digest(const char* name, QByteArrayView input);

} // namespace tb::crypto
