#pragma once

#include <QJsonObject>
#include <QList>

#include "audit/lint/Lint.h"

namespace tb::audit {

// A SARIF 2.1.0 log of one lint run: every rule in runs[0].tool.driver.rules, one result per finding
// (level error for critical/high, warning for medium, note for low/info). `artifact` names the token's
// source when known ("-" or a file name); results then carry it as their location.
QJsonObject sarifLog(const QList<Finding>& findings, const QString& toolVersion, const QString& artifact = {});

} // namespace tb::audit
