#pragma once

#include <optional>

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

struct Finding
{
    QString id;
    Severity severity = Severity::Info;
    QString message; // one sentence about this token
    QString reference;
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

// Lints a compact JWS. Fails (bad input) when the token is not a JWS or its header is not a JSON object;
// everything else is a finding. Findings are ordered by severity (highest first), then by rule order.
Result<QList<Finding>> lintToken(QByteArrayView token, const LintOptions& options);

// Helpers the rules use, public for tests.
bool luhnValid(QStringView digits);

} // namespace tb::audit
