#pragma once

#include <optional>
#include <utility>

#include <QByteArrayView>
#include <QList>
#include <QString>

#include "base/Error.h"
#include "base/Severity.h"
#include "keys/Key.h"

namespace tb::audit {

using tb::Severity;
using tb::severityFromName;
using tb::severityName;

// One rule of the token linter. IDs are stable (tools and CI configurations refer to them).
struct LintRule
{
    QString id;
    Severity severity = Severity::Info;
    QString title;     // what the rule looks for, one short phrase
    QString reference; // RFC section, OWASP cheat sheet or CVE
};

// Where a finding points in the token: a segment and, when one JSON member is to blame, that member.
struct FindingLocation
{
    QString segment;           // "header", "payload", "signature", or "token" for the whole token
    QString pointer;           // JSON Pointer of the member ("/alg", "/contact/email"); "" for the whole segment
    qsizetype jsonOffset = -1; // the member's bytes in the decoded segment (key through value); -1: no member
    qsizetype jsonLength = 0;
    qsizetype tokenOffset = 0; // in the token text: the segment, or the base64url characters that encode the member
    qsizetype tokenLength = 0;
};

struct Finding
{
    QString id;
    Severity severity = Severity::Info;
    QString message; // one sentence about this token
    QString reference;
    QList<FindingLocation> locations; // most findings have one; a few (base64, sensitive data) have several
};

struct LintOptions
{
    double now = 0;                // epoch seconds (injected, DESIGN 4)
    double maxLifetime = 900;      // longest acceptable access-token lifetime, seconds (default 15 min)
    double farFuture = 30 * 86400; // an exp further than this from now is "far in the future"
    keys::KeyPtr key;              // the verification key or HMAC secret, when known (key-strength rules)
};

// Every rule, in the order lintToken reports ties.
const QList<LintRule>& lintRules();
const LintRule* findRule(const QString& id);
// A finding of the rule `id` (one of lintRules(): a programming error otherwise) about one token.
Finding ruleFinding(const char* id, const QString& message, QList<FindingLocation> where = {});

// Lints a compact JWS, or a JWE in compact or JSON serialisation (the JWE-* rules of JweLint.h: its header, and
// `options.key` when given). Fails (bad input) when the token is neither or its header is not a JSON object;
// everything else is a finding. Findings are ordered by severity (highest first), then by rule order.
Result<QList<Finding>> lintToken(QByteArrayView token, const LintOptions& options);

// Helpers the rules use, public for tests.
bool luhnValid(QStringView digits);
// The smallest run of base64url characters [first, end) that encodes the decoded bytes [offset, offset + length).
std::pair<qsizetype, qsizetype> base64CharRange(qsizetype offset, qsizetype length);
// A web address for a rule's reference ("RFC 8725 §3.1", "CVE-2018-0114", "OWASP JWT Cheat Sheet"); empty if none.
QString referenceUrl(const QString& reference);

} // namespace tb::audit
