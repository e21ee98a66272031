#pragma once

#include <optional>
#include <vector>

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include "base/Severity.h"
#include "session/Cookie.h"
#include "session/PublicSuffix.h"

namespace tb::session {

using tb::Severity;
using tb::severityFromName;
using tb::severityName;

// One finding of the cookie analyser. IDs are stable (SESSION-REFERENCE.md §2): CK-xx for single headers,
// FL-xx for flows. The message is one sentence naming the cookie; the reference names the source.
struct CookieFinding
{
    QString id;
    Severity severity = Severity::Info;
    QString message;
    QString reference;
    QByteArray cookie; // the cookie name the finding is about (may be empty)
    int line = 0;      // input line, 0 when not tied to one
};

struct CookieLintOptions
{
    QUrl url;                         // the response's URL, when known (origin and Domain checks)
    QList<QByteArray> sessionCookies; // names of the session cookies; empty = guess from the name
    qint64 now = 0;                   // epoch seconds, for Expires lifetimes (injected)
    // The list CK-15 checks Domain against; nullptr: PublicSuffixList::system(). When it holds an error, only
    // single-label domains count as public suffixes and an info finding says the check was incomplete.
    const PublicSuffixSource* publicSuffixes = nullptr;
};

// Names that look like a session cookie: framework defaults and names containing sess/sid/auth/token.
bool looksLikeSessionCookie(QByteArrayView name);
// Rough entropy upper bound of one value from its length and character class (a single value cannot show
// randomness); nullopt when the value is structured (JWT, JSON) and the estimate would mean nothing.
std::optional<double> estimateValueEntropy(QByteArrayView value);

std::vector<CookieFinding> lintCookies(const CookieInput& input, const CookieLintOptions& options);

// Recommended header (OWASP session-management cheat sheet, ASVS 5 V3.3): __Host- name, Secure, HttpOnly,
// SameSite=Strict, Path=/, no Domain, non-persistent unless maxAgeSeconds is given.
struct RecommendedCookie
{
    QByteArray name = "__Host-session"; // a "__Host-" prefix is added when missing
    QByteArray value;                   // empty: a fresh 128-bit base64url ID
    std::optional<qint64> maxAgeSeconds;
};
Result<QByteArray> recommendedSetCookie(const RecommendedCookie& spec);

} // namespace tb::session
