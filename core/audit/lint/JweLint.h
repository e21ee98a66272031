#pragma once

#include <functional>

#include <QByteArrayView>
#include <QList>

#include "audit/lint/Lint.h"
#include "base/Error.h"

namespace tb::audit {

// The JWE rules (IDs JWE-*), in report order; lintRules() lists them after the JWS rules.
const QList<LintRule>& jweLintRules();

// Where a header member stands in the token (lintToken supplies it; without one, findings carry no location).
using MemberLocator = std::function<FindingLocation(const QString& member)>;

// Lints a JWE in compact or JSON serialisation: its (joint) header, and `options.key` when given (the key that
// decrypts it, or the PBES2 password). Fails (bad input) when the token is not a JWE or a header is not a JSON
// object. Findings are unsorted (lintToken orders them).
Result<QList<Finding>> lintJwe(QByteArrayView token, const LintOptions& options, const MemberLocator& locate = {});

} // namespace tb::audit
