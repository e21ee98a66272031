#pragma once

#include <optional>
#include <vector>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "base/Error.h"

namespace tb::session {

// Set-Cookie and Cookie parsing by RFC 6265bis §5.6 (the user-agent algorithm), keeping what a linter needs
// that a browser would drop: every attribute as written, duplicates, oversize values, the raw date text.

inline constexpr qsizetype maxNameValueOctets = 4096; // 6265bis §5.6 step 5
inline constexpr qsizetype maxAttributeValueOctets = 1024;
inline constexpr qsizetype maxCookieInputBytes = 1024 * 1024;

struct CookieAttribute
{
    QByteArray name;  // as written (trimmed)
    QByteArray value; // as written (trimmed)
    bool hasValue = false;
};

enum class SameSite
{
    Absent,
    Strict,
    Lax,
    None,
    Unknown, // a value 6265bis maps to "Default"
};

struct SetCookie
{
    QByteArray raw; // the header value, without "Set-Cookie:"
    int line = 0;   // 1-based line in the input
    QByteArray name;
    QByteArray value;
    bool hasEquals = true;        // false: a nameless cookie (6265bis step 3)
    bool hasControlChars = false; // the UA ignores the whole cookie (6265bis step 1)
    std::vector<CookieAttribute> attributes;

    // Effective values after 6265bis processing (the last valid occurrence wins).
    bool secure = false;
    bool httpOnly = false;
    bool partitioned = false;
    SameSite sameSite = SameSite::Absent;
    QByteArray sameSiteText;
    std::optional<QByteArray> domain; // leading '.' removed, lower case
    std::optional<QByteArray> path;
    std::optional<qint64> maxAge; // seconds
    std::optional<QByteArray> expiresText;
    std::optional<qint64> expires; // epoch seconds, when the cookie-date parses

    [[nodiscard]] bool persistent() const { return maxAge.has_value() || expires.has_value(); }
    [[nodiscard]] const CookieAttribute* attribute(QByteArrayView attributeName) const; // last occurrence
    [[nodiscard]] int attributeCount(QByteArrayView attributeName) const;
};

struct CookiePair
{
    QByteArray name;
    QByteArray value;
};

// A parsed HTTP exchange fragment: Set-Cookie lines, Cookie lines and the other header lines that some
// rules read (Cache-Control, Location, Clear-Site-Data).
struct CookieInput
{
    std::vector<SetCookie> setCookies;
    std::vector<std::vector<CookiePair>> cookieHeaders;
    std::vector<std::pair<QByteArray, QByteArray>> otherHeaders; // lower-case name, value
    bool fullResponse = false;                                   // a status line or other headers were present
};

// Parses one Set-Cookie header value (without the "Set-Cookie:" prefix).
SetCookie parseSetCookie(QByteArrayView headerValue, int line = 1);
// Parses a Cookie request header value: "a=b; c=d".
std::vector<CookiePair> parseCookieHeader(QByteArrayView headerValue);
// Lines of "Set-Cookie: …", "Cookie: …", other "Name: value" headers, a status line, or bare
// "name=value; attr" lines (taken as Set-Cookie values). Fails when no cookie is found or past the limit.
Result<CookieInput> parseCookieInput(QByteArrayView text);

// RFC 6265 §5.1.1 cookie-date algorithm (lenient, as browsers parse Expires); epoch seconds.
std::optional<qint64> parseCookieDate(QByteArrayView text);
// True for the strict IMF-fixdate form "Sun, 06 Nov 1994 08:49:37 GMT" (6265bis sane-cookie-date).
bool isImfFixdate(QByteArrayView text);

} // namespace tb::session
