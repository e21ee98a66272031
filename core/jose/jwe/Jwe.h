#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/Error.h"
#include "base/Limits.h"
#include "keys/Key.h"

namespace tb::jose::jwe {

// Key management algorithms (RFC 7518 §4).
enum class KeyAlg
{
    Rsa1_5,
    RsaOaep,
    RsaOaep256,
    A128Kw,
    A192Kw,
    A256Kw,
    Dir,
    EcdhEs,
    EcdhEsA128Kw,
    EcdhEsA192Kw,
    EcdhEsA256Kw,
    A128GcmKw,
    A192GcmKw,
    A256GcmKw,
    Pbes2Hs256A128Kw,
    Pbes2Hs384A192Kw,
    Pbes2Hs512A256Kw,
};

// Content encryption algorithms (RFC 7518 §5).
enum class EncAlg
{
    A128CbcHs256,
    A192CbcHs384,
    A256CbcHs512,
    A128Gcm,
    A192Gcm,
    A256Gcm,
};

QList<KeyAlg> allKeyAlgs();
QList<EncAlg> allEncAlgs();
QString keyAlgName(KeyAlg alg);
QString encAlgName(EncAlg enc);
std::optional<KeyAlg> keyAlgFromName(QStringView name);
std::optional<EncAlg> encAlgFromName(QStringView name);
// Bytes of the content encryption key (CBC-HS: MAC key + AES key).
int cekBytes(EncAlg enc);
// Whether `alg` can run with this kind of key (type and curve; lengths are checked when used).
bool keyFits(KeyAlg alg, const keys::Key& key);

inline constexpr qint64 defaultMaxP2c = limits::maxPbes2Iterations;               // a DoS vector
inline constexpr qsizetype defaultMaxInflatedBytes = limits::maxJweInflatedBytes; // zip bombs

struct DecryptOptions
{
    qint64 maxP2c = defaultMaxP2c;
    qsizetype maxInflatedBytes = defaultMaxInflatedBytes;
};

struct Decrypted
{
    QByteArray protectedHeader; // decoded JSON text of the protected header, exactly as it stood
    QJsonObject header;         // joint header (protected, shared unprotected, recipient): for reading only
    KeyAlg alg = KeyAlg::Dir;
    EncAlg enc = EncAlg::A128Gcm;
    bool compressed = false;
    QByteArray plaintext;
    QStringList warnings;
    int recipient = 0; // JSON serialisation: index of the recipient that decrypted

    // cty says JWT (RFC 7519 §5.2): the plaintext is a nested JWS or JWE.
    [[nodiscard]] bool isNested() const;
};

// The one sentence every failed decryption gives (wrong key, tampered segment, bad RSA1_5 padding: RFC 7516
// §11.5 asks that they be indistinguishable).
QString decryptionFailedMessage();
// True for that well-formed negative answer (CLI exit 1); every other error is bad input (exit 2).
bool isDecryptionFailure(const Error& error);

// Decrypts a compact JWE, or a flattened/general JSON serialisation (the first recipient that decrypts).
// `key`: RSA/EC/OKP private key, or an oct key (AES key, dir CEK, PBES2 password bytes). A JWK `alg`
// on the key must match the header (or `enc` for dir); `use` must be absent or "enc".
// Fails with TooLarge naming the cap for p2c or the inflated size, KeyMismatch for a key that does not fit
// (type, curve, length), and decryptionFailedMessage() (InvalidData) for every authentication failure.
Result<Decrypted> decrypt(QByteArrayView token, const keys::Key& key, const DecryptOptions& options = {});

// Encrypts `plaintext` as a compact JWE. `extraHeader` (optional) is a JSON object text whose members are
// kept in order ahead of the generated ones (kid, cty, zip "DEF", apu/apv, p2c); alg/enc in it must agree.
// Public keys suffice for RSA and ECDH-ES.
Result<QByteArray> encryptCompact(const keys::Key& key, KeyAlg alg, EncAlg enc, QByteArrayView plaintext,
                                  QByteArrayView extraHeader = {});

// The header of a JWE read without decrypting it (compact, flattened or general JSON serialisation).
struct HeaderView
{
    QByteArray protectedHeader; // decoded JSON text of the protected header, exactly as it stood
    QJsonObject header;         // joint header (protected, shared unprotected, first recipient): for reading
    bool json = false;          // a JSON serialisation
    int recipients = 1;
    QStringList unprotectedMembers; // members that are not integrity-protected (JSON serialisation only)
};
// Fails like decrypt() does on malformed input (bad base64url, a header that is not one JSON object, a member
// in two headers, a JWS); never needs a key.
Result<HeaderView> readHeader(QByteArrayView token);

// One protected-header member explained, for the Decode & Edit pane and lint: what it means and, when it is
// dangerous, why (empty `danger` otherwise).
struct HeaderNote
{
    QString member;
    QString meaning;
    QString danger;
};
// Every member of a JWE header in a stable order (known members first, in RFC order, then the others); a
// missing alg or enc gets a note of its own. With `key` (the key about to decrypt or encrypt), the alg and epk
// notes also flag what is wrong with that key: a type or curve that does not fit, a wrong length for dir or
// AES key wrap, text or low-entropy bytes used as an AES key, short PBES2 passwords, RSA under 2048 bits.
QList<HeaderNote> explainHeader(const QJsonObject& header, const DecryptOptions& options = {},
                                const keys::Key* key = nullptr);
// Why `key` is a poor choice for `alg` (and `enc` when known), one sentence, or empty: a type or curve that does
// not fit, RSA under 2048 bits, a wrong length for dir or AES key wrap, text or repetitive bytes as an AES key, a
// PBES2 password under 8 bytes. The explanation's alg note includes it; lint reports it as JWE-KEY-WEAK.
QString keyProblem(KeyAlg alg, std::optional<EncAlg> enc, const keys::Key& key);

// Building blocks, public for known-answer tests (RFC 7516/7520 re-encryption with published CEKs and IVs).
namespace detail {

struct Sealed
{
    QByteArray ciphertext;
    QByteArray tag;
};
Result<Sealed> encryptContent(EncAlg enc, QByteArrayView cek, QByteArrayView iv, QByteArrayView aad,
                              QByteArrayView plaintext);
Result<QByteArray> decryptContent(EncAlg enc, QByteArrayView cek, QByteArrayView iv, QByteArrayView aad,
                                  QByteArrayView ciphertext, QByteArrayView tag);
Result<QByteArray> aesKeyWrap(QByteArrayView kek, QByteArrayView keyData);
Result<QByteArray> aesKeyUnwrap(QByteArrayView kek, QByteArrayView wrapped);
Result<Sealed> aesGcmKeyWrap(QByteArrayView kek, QByteArrayView iv, QByteArrayView cek);
// RFC 7518 §4.6.2 with SHA-256; `algorithmId` is enc (ECDH-ES) or alg (ECDH-ES+AxxxKW).
Result<QByteArray> concatKdf(QByteArrayView z, QByteArrayView algorithmId, QByteArrayView apu, QByteArrayView apv,
                             int keyBits);
Result<QByteArray> pbes2Kek(KeyAlg alg, QByteArrayView password, QByteArrayView p2s, qint64 p2c);
Result<QByteArray> inflateRaw(QByteArrayView data, qsizetype maxBytes);
Result<QByteArray> deflateRaw(QByteArrayView data);
// A compact JWE from a finished protected header text, an encrypted key, a CEK and an IV.
Result<QByteArray> assembleCompact(QByteArrayView protectedHeader, QByteArrayView encryptedKey, EncAlg enc,
                                   QByteArrayView cek, QByteArrayView iv, QByteArrayView plaintext, bool compress);

} // namespace detail

} // namespace tb::jose::jwe
