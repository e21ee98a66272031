#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include "base/Error.h"
#include "base/SecretBytes.h"
#include "keys/Key.h"

namespace tb::keys {

// Reads one key, detecting the format: PEM (SPKI, PKCS#8 — encrypted too —, PKCS#1, SEC1, X.509 certificate),
// DER (the same structures), a JWK, or a JWK Set holding exactly one key. `passphrase` decrypts an encrypted
// PKCS#8/PEM key; without one such a key fails with PassphraseRequired. Bounded by limits::maxKeyFileBytes.
Result<KeyPtr> importKey(QByteArrayView bytes, const SecretBytes* passphrase = nullptr);
// A single JWK object (RFC 7517/7518/8037): RSA (with CRT members), EC P-256/384/521/secp256k1, OKP, oct.
Result<KeyPtr> importJwk(const QJsonObject& jwk);

struct JwkSet
{
    QList<KeyPtr> keys;      // in file order
    QStringList skipped;     // one sentence per member that could not be used, with its index
    QStringList skippedKids; // the kid of each skipped member that has one (duplicates still count)
};
// A JWK Set ({"keys": [...]}), at most limits::maxJwksKeys keys.
Result<JwkSet> importJwks(QByteArrayView bytes);

// Raw secret bytes for HMAC.
KeyPtr secretKey(QByteArrayView bytes);

enum class KeyPart
{
    Public,
    Private,
};

// PEM: PKCS#8 "PrivateKeyInfo" or SPKI "SubjectPublicKeyInfo". With a passphrase the private key is
// encrypted (AES-256-CBC, PBKDF2). Oct keys have no PEM form.
Result<QByteArray> exportPem(const Key& key, KeyPart part, const SecretBytes* passphrase = nullptr);
// JWK JSON text with members in RFC order (kty first, then the key members, then use/alg/kid when set).
Result<QByteArray> exportJwk(const Key& key, KeyPart part, const KeyMeta& meta = {});
// RFC 7638 thumbprint: base64url(SHA-256(canonical JSON of the required public members)).
Result<QString> thumbprint(const Key& key);
// The canonical JSON the thumbprint hashes.
Result<QByteArray> thumbprintInput(const Key& key);

// Generates a key for `alg`: HS* a random secret of `bits` (default the hash size), RS*/PS* RSA of `bits`
// (default 2048, 2048..16384), ES* the algorithm's curve, EdDSA Ed25519 (or Ed448 when `curve` says so).
Result<KeyPtr> generateKey(jose::Alg alg, int bits = 0, const QString& curve = {});

} // namespace tb::keys
