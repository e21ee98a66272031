#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include "base/Error.h"
#include "keys/Key.h"

namespace tb::audit::attacks {

// One crafted token, ready to copy.
struct Variant
{
    QString name;
    QByteArray token;
};

// A file the attacker hosts or keeps (the JWKS behind a jku, the certificate behind an x5u, a fresh private key).
struct Artifact
{
    QString name; // a file name, e.g. "jwks.json"
    QByteArray content;
};

struct AttackResult
{
    QString kind;
    QList<Variant> tokens;
    QString explanation; // why this works / what a correct verifier does
    QList<Artifact> artifacts;
};

struct AttackInput
{
    QByteArray token;                         // the original compact JWS
    keys::KeyPtr signingKey;                  // a known private key or HMAC secret, for re-signing (tamper, exp)
    keys::KeyPtr publicKey;                   // the verifier's public key, for algorithm confusion
    QByteArray publicKeyFile;                 // that key's file as given (a certificate PEM is used as it stands)
    QString url;                              // jku / x5u: where the attacker hosts the artifact
    QList<QPair<QString, QByteArray>> claims; // tamper: claim name -> JSON value text (default admin/role)
    double extendBy = 10.0 * 365 * 86400;     // exp: seconds added to exp
    QString freshAlg; // embedded-jwk/jku/x5u/x5c: the algorithm of the fresh key (default from the token)
};

struct KindInfo
{
    QString kind;
    QString summary;
    QString needs;       // the options the kind needs, "" when the token alone is enough
    QString explanation; // the paragraph runAttack also returns: why it works, what a correct verifier does
};

const QList<KindInfo>& attackKinds();

// Runs one kind. Fails (bad input) when the token is not a JWS, the kind is unknown, or an input the kind
// needs is missing or unfit (the message says which).
Result<AttackResult> runAttack(const QString& kind, const AttackInput& input);

// Every kind that can run with `input`, as one JSON object a team can replay: {"kind": "corpus", "token",
// "attacks": [{kind, tokens, explanation, artifacts}], "skipped": [{kind, reason}], "tokens": all variants
// as "kind/variant", "explanation"}.
Result<QJsonObject> attackCorpus(const AttackInput& input);
QJsonObject attackJson(const AttackResult& result);

} // namespace tb::audit::attacks
