#pragma once

#include <optional>

#include <QString>

namespace tb {

// Severity of a lint finding, shared by the token linter and the cookie analyser (the CLI contract prints
// both the same way: "critical" | "high" | "medium" | "low" | "info").
enum class Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
};
QString severityName(Severity s);
std::optional<Severity> severityFromName(const QString& name);

} // namespace tb
