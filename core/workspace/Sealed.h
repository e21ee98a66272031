#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>

#include "base/Error.h"
#include "base/SecretBytes.h"

namespace tb::workspace {

// Passphrase encryption for the secrets of a saved workspace: key = scrypt(passphrase, salt, N, r, p)
// (OpenSSL EVP_KDF "SCRYPT"), then AES-256-GCM with a random 96-bit IV and the header JSON as AAD.
// The result is a JSON object {"kdf":"scrypt","n","r","p","salt","iv","ct","tag"} (binary in base64url).
struct ScryptParams
{
    quint64 n = 1u << 15; // 32 MiB with r = 8
    quint32 r = 8;
    quint32 p = 1;
};

Result<QJsonObject> seal(const SecretBytes& plaintext, const SecretBytes& passphrase, QByteArrayView aad,
                         const ScryptParams& params = {});
// Fails with WrongPassphrase when the tag does not match (wrong passphrase or altered data), InvalidData
// when the object is malformed or its parameters are out of range (n at most 2^20, r*p at most 64).
Result<SecretBytes> open(const QJsonObject& sealed, const SecretBytes& passphrase, QByteArrayView aad);

} // namespace tb::workspace
