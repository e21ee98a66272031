#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace tb::inspect {

// What a pasted string is, and what tokenbench can do with it. `kind` is one of the CLI.md identify kinds:
// jws, jws-json, jwe, unsecured-jwt, itsdangerous, django-signed, paseto, fernet, branca, macaroon, saml,
// opaque, unknown.
struct Identification
{
    QString kind = QStringLiteral("unknown");
    QString reason;          // one sentence: the evidence
    QStringList can;         // what tokenbench can do with it (the decoded parts are in `details`)
    QStringList cannot;      // what it cannot do, and why
    QStringList actions;     // tokenbench-cli subcommands that apply ("verify", "crack", "decrypt", ...)
    QJsonObject details;     // decoded parts: PASETO version/purpose/footer, Fernet timestamp, ...
    double entropyBits = -1; // opaque strings: estimated entropy in bits (-1 when not estimated)
};

// Never fails: input it cannot place is "unknown" with a reason. Reads at most the token size limit; the
// decoders inside are bounded (base62 and inflate have their own small limits).
Identification identify(QByteArrayView text);

// {"kind":K,"reason":"...","can":[...],"cannot":[...],"actions":[...],"details":{...}[,"entropy_bits":N]}
QByteArray identificationToJson(const Identification& id);
QByteArray identificationToText(const Identification& id);

} // namespace tb::inspect
