#pragma once

#include <QJsonObject>
#include <QList>

#include "audit/lint/Lint.h"

namespace tb::audit {

// The token's source, SARIF's artifact. Regions count bytes of the artifact: the token's own text, or a file
// whose token starts after `offset` bytes of leading whitespace.
struct SarifArtifact
{
    QString uri = QStringLiteral("token"); // "token" (an argument or standard input) or the file's name
    qsizetype offset = 0;                  // where the token starts in the artifact
    qsizetype length = -1;                 // the artifact's size in bytes, -1 when unknown
    QByteArray contents;                   // embedded as the artifact's text when set (the token itself)
};

// A SARIF 2.1.0 log of one lint run: every rule in runs[0].tool.driver.rules, the artifact in runs[0].artifacts,
// one result per finding (level error for critical/high, warning for medium, note for low/info) whose locations
// are physical (artifact + byte region of the segment, or of the base64url characters that encode the offending
// JSON member) and logical (the JSON Pointer of the member).
QJsonObject sarifLog(const QList<Finding>& findings, const QString& toolVersion, const SarifArtifact& artifact = {});

} // namespace tb::audit
