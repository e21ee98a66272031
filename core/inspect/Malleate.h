#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/Error.h"
#include "validate/Verifier.h"

namespace tb::inspect {

// Which denylist keys a variant slips past: a denylist keyed on that value misses the variant.
struct Defeats
{
    bool tokenHash = false;      // hash of the raw token text
    bool signatureHash = false;  // hash of the signature segment text
    bool signatureBytes = false; // hash of the decoded signature bytes
    bool jti = false;            // the jti claim's value
    bool issJti = false;         // the (iss, jti) pair
};

struct Variant
{
    QString name;        // "high-s", "noncanonical-header", "padded-signature", "payload-whitespace", ...
    QString segment;     // "header", "payload", "signature"
    QString description; // one sentence: what changed
    QByteArray token;
    QStringList verifiesUnder;       // kinds of verifier that accept it
    QStringList failsUnder;          // kinds of verifier that reject it
    bool tokenbenchExpected = false; // what tokenbench's signature check is expected to say (true = valid)
    // Filled when keys were given: tokenbench's own verify of the variant.
    std::optional<validate::SignatureState> signature;
    std::optional<bool> valid;
    QStringList warnings;
    Defeats defeats;
};

struct MalleabilityReport
{
    QString alg;
    bool hasJti = false;
    bool hasIss = false;
    std::optional<validate::SignatureState> originalSignature; // with keys
    std::optional<bool> originalValid;
    QList<Variant> variants;
    QStringList notes; // variants that could not be made, and why
};

// Builds the byte-different variants of a compact JWS. With `keys`, each (and the original) goes through
// validate::verifyToken under `policy`. Fails (bad input) when the token is not a JWS with a JSON header.
Result<MalleabilityReport> malleate(QByteArrayView token, const validate::KeyInput* keys,
                                    const validate::Policy& policy);

QByteArray malleabilityToJson(const MalleabilityReport& report);
QByteArray malleabilityToText(const MalleabilityReport& report);

// s -> n - s for a raw ECDSA r||s signature of `alg` (ES256, ES384, ES512, ES256K). Empty when not ECDSA or
// the length is wrong.
QByteArray flipEcdsaS(QByteArrayView rawSignature, jose::Alg alg);

} // namespace tb::inspect
