#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/Error.h"
#include "keys/Key.h"

namespace tb::inspect {

// One difference between two JSON documents, at a JSON Pointer path (RFC 6901). Objects are recursed;
// arrays and scalars are compared as whole values by their whitespace-free text.
struct Change
{
    enum class Op
    {
        Added,
        Removed,
        Changed,
    };
    QString path;
    Op op = Op::Changed;
    QByteArray a; // compact JSON text of A's value; empty when added
    QByteArray b; // compact JSON text of B's value; empty when removed
};

QString opName(Change::Op op); // "added", "removed", "changed"

struct TimeDelta
{
    QString name; // "iat", "nbf", "exp" or "lifetime" (exp - iat, else exp - nbf)
    std::optional<double> a;
    std::optional<double> b;
    [[nodiscard]] std::optional<double> delta() const { return a && b ? std::optional<double>(*b - *a) : std::nullopt; }
};

// One segment compared as raw text (the base64url characters exactly as received).
struct SegmentDiff
{
    QString name; // "header", "payload", "signature"; JWE: "header", "encrypted_key", "iv", "ciphertext", "tag"
    qsizetype lengthA = 0;
    qsizetype lengthB = 0;
    qsizetype firstDiff = -1; // first differing offset, -1 when equal
    [[nodiscard]] bool equal() const { return firstDiff < 0; }
};

struct TokenDiff
{
    bool identical = false; // byte-identical tokens
    QString kindA;          // "JWS" or "JWE"
    QString kindB;
    QList<Change> header;
    QList<Change> payload; // JWE: always empty (the payload is encrypted)
    QByteArray algA;       // compact JSON of the header's alg/kid, empty when absent
    QByteArray algB;
    QByteArray kidA;
    QByteArray kidB;
    bool sameAlg = false; // equal alg members (both absent counts as equal)
    bool sameKid = false; // equal kid members (both absent counts as equal)
    QString thumbprintA;  // RFC 7638 thumbprint of the given key, or of an embedded "jwk" header
    QString thumbprintB;
    std::optional<bool> sameKey; // set when both thumbprints are known
    QList<TimeDelta> times;      // only names present in either token
    QList<SegmentDiff> segments;
    QStringList notes; // e.g. "Same claims, different key order or spacing."
};

// Compares two compact tokens (JWS or JWE). Fails (bad input) when either does not parse, or its header is not
// a JSON object. `keyA`/`keyB` (optional) give the thumbprints compared in sameKey.
Result<TokenDiff> diffTokens(QByteArrayView a, QByteArrayView b, const keys::Key* keyA = nullptr,
                             const keys::Key* keyB = nullptr);

// The CLI.md `diff --json` object (one line, final newline).
QByteArray diffToJson(const TokenDiff& diff);
// A readable report: changes with A's and B's values side by side, times, key facts and segments.
QByteArray diffToText(const TokenDiff& diff);

} // namespace tb::inspect
