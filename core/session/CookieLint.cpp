#include "CookieLint.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

#include <cmath>

#include "jose/Base64Url.h"
#include "session/SessionId.h"

namespace tb::session {

namespace {

constexpr qint64 maxLifetimeSeconds = 400LL * 86400;
constexpr qsizetype jwtHeadroomOctets = 3500;

// Sources, as in SESSION-REFERENCE.md §2.1.
namespace ref {
const char* const secure = "OWASP Session Management CS \"Secure Attribute\"; ASVS 4.0.3 3.4.1; ASVS 5.0 3.3.1";
const char* const httpOnly = "OWASP Session Management CS \"HttpOnly Attribute\"; ASVS 4.0.3 3.4.2; ASVS 5.0 3.3.4";
const char* const sameSite = "OWASP Session Management CS \"SameSite Attribute\"; ASVS 4.0.3 3.4.3; ASVS 5.0 3.3.2";
const char* const noneSecure = "RFC 6265bis §5.7 storage step 19; OWASP Session Management CS";
const char* const sessionNone = "OWASP Session Management CS \"SameSite Attribute\"";
const char* const unknownSameSite = "RFC 6265bis §5.6.7 (unknown value enforced as \"Default\")";
const char* const hostPrefix = "ASVS 4.0.3 3.4.4; ASVS 5.0 3.3.3; OWASP Session Management CS";
const char* const hostRules = "RFC 6265bis §4.1.3.2 \"The __Host- Prefix\"; §5.7 storage step 21";
const char* const secureRules = "RFC 6265bis §4.1.3.1 \"The __Secure- Prefix\"; §5.7 storage step 20";
const char* const anyPrefix = "ASVS 5.0 3.3.1";
const char* const prefixCase = "RFC 6265bis §4.1.3 (prefixes match case-insensitively)";
const char* const insecureOrigin = "RFC 6265bis §5.7 storage step 13";
const char* const overlay = "RFC 6265bis §5.7 storage step 16";
const char* const domain = "OWASP Session Management CS \"Domain and Path Attributes\"";
const char* const domainMatch = "RFC 6265bis §5.7 storage steps 9-10";
const char* const path = "ASVS 4.0.3 3.4.5; RFC 6265bis §8.5 (Path is not a security boundary)";
const char* const persistent = "OWASP Session Management CS \"Expire and Max-Age Attributes\"";
const char* const lifetime = "RFC 6265bis §5.5 \"Cookie Lifetime Limits\" (400 days)";
const char* const dates = "RFC 6265bis §4.1.1 (sane-cookie-date); OWASP Session Management CS";
const char* const size = "RFC 6265bis §5.6 step 5; ASVS 5.0 3.3.5";
const char* const attrSize = "RFC 6265bis §5.6 (attribute values over 1024 octets are ignored)";
const char* const octets = "RFC 6265bis §4.1.1 cookie-octet";
const char* const ctl = "RFC 6265bis §5.6 step 1 (control characters: the cookie is ignored)";
const char* const emptyName = "RFC 6265bis §4.1.1 and §5.7 storage step 22";
const char* const duplicate = "RFC 6265bis §5.6 (the last attribute of a name wins)";
const char* const fingerprint = "OWASP Session Management CS \"Session ID Name Fingerprinting\"";
const char* const content = "OWASP Session Management CS \"Session ID Content (or Value)\"; WSTG-SESS-01";
const char* const entropy64 = "OWASP Session Management CS \"Session ID Entropy\"; ASVS 4.0.3 3.2.2";
const char* const entropy128 = "ASVS 5.0 7.2.3 (128 bits for reference tokens)";
const char* const cache = "OWASP Session Management CS \"Web Content Caching\"";
const char* const inUrl = "ASVS 4.0.3 3.1.1; OWASP Session Management CS \"Session ID Exchange Mechanism\"";
} // namespace ref

const QList<QByteArray> frameworkNames = {
    "phpsessid",    "jsessionid",      "asp.net_sessionid",   "cfid",      "cftoken",
    "connect.sid",  "laravel_session", "ci_session",          "sessionid", "_session_id",
    "rack.session", "express:sess",    "wordpress_logged_in",
};

bool startsWithIgnoreCase(QByteArrayView s, const char* prefix)
{
    const QByteArrayView p(prefix);
    return s.size() >= p.size() && s.first(p.size()).compare(p, Qt::CaseInsensitive) == 0;
}

QString name(QByteArrayView n)
{
    return n.isEmpty() ? QStringLiteral("(nameless)") : QString::fromUtf8(n.toByteArray()).left(80);
}

bool isCookieOctet(char c)
{
    const auto u = std::uint8_t(c);
    return u == 0x21 || (u >= 0x23 && u <= 0x2B) || (u >= 0x2D && u <= 0x3A) || (u >= 0x3C && u <= 0x5B) ||
           (u >= 0x5D && u <= 0x7E);
}

bool secureOrigin(const QUrl& url)
{
    const QString host = url.host().toLower();
    return url.scheme() == QStringLiteral("https") || url.scheme() == QStringLiteral("wss") ||
           host == QStringLiteral("localhost") || host.endsWith(QStringLiteral(".localhost")) ||
           host == QStringLiteral("127.0.0.1") || host == QStringLiteral("::1");
}

std::optional<QString> meaningfulContent(QByteArrayView value)
{
    const QByteArray decoded = QByteArray::fromPercentEncoding(value.toByteArray());
    const QList<QByteArray> parts = decoded.split('.');
    if (parts.size() == 3) {
        if (auto header = jose::base64UrlDecodeLenient(parts[0])) {
            const QJsonDocument doc = QJsonDocument::fromJson(header->bytes);
            if (doc.isObject() && doc.object().contains(QStringLiteral("alg"))) {
                return QStringLiteral("a JWT whose claims anyone can read");
            }
        }
    }
    if (QJsonDocument::fromJson(decoded).isObject()) {
        return QStringLiteral("a JSON object");
    }
    if (decoded.size() >= 8) {
        if (auto b64 = jose::base64UrlDecodeLenient(decoded)) {
            if (QJsonDocument::fromJson(b64->bytes).isObject()) {
                return QStringLiteral("base64 of a JSON object");
            }
        }
    }
    static const QRegularExpression email(QStringLiteral("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+"));
    const QString text = QString::fromUtf8(decoded);
    if (email.match(text).hasMatch()) {
        return QStringLiteral("an e-mail address");
    }
    static const QRegularExpression ipv4(QStringLiteral("(^|[^0-9.])(\\d{1,3}\\.){3}\\d{1,3}($|[^0-9.])"));
    if (ipv4.match(text).hasMatch()) {
        return QStringLiteral("an IP address");
    }
    static const QRegularExpression userField(QStringLiteral("(user|uid|role|admin|name)[=:]"),
                                              QRegularExpression::CaseInsensitiveOption);
    if (userField.match(text).hasMatch()) {
        return QStringLiteral("readable user fields");
    }
    return std::nullopt;
}

struct Linter
{
    const CookieInput& input;
    const CookieLintOptions& options;
    std::vector<CookieFinding> out;

    void add(const char* id, Severity s, const QString& message, const char* reference, const QByteArray& cookie,
             int line)
    {
        out.push_back({QString::fromLatin1(id), s, message, QString::fromUtf8(reference), cookie, line});
    }

    const PublicSuffixSource& publicSuffixes() const
    {
        return options.publicSuffixes != nullptr ? *options.publicSuffixes : PublicSuffixList::system();
    }
    const PublicSuffixList* publicSuffixList() const
    {
        const PublicSuffixSource& source = publicSuffixes();
        return source && *source ? source->get() : nullptr;
    }
    // Without the list only its implicit "*" rule is left: a single label is a public suffix.
    bool isPublicSuffix(const QByteArray& domain) const
    {
        const PublicSuffixList* list = publicSuffixList();
        return list != nullptr ? list->isPublicSuffix(domain) : !domain.contains('.');
    }

    bool isSession(QByteArrayView cookieName) const
    {
        if (!options.sessionCookies.isEmpty()) {
            return options.sessionCookies.contains(cookieName.toByteArray());
        }
        return looksLikeSessionCookie(cookieName);
    }

    void valueRules(const QByteArray& cookie, const QByteArray& value, bool session, int line)
    {
        const QString n = name(cookie);
        const QByteArray lower = cookie.toLower();
        if (frameworkNames.contains(lower) || lower.startsWith("aspsessionid")) {
            add("CK-26", Severity::Info,
                QStringLiteral("Cookie '%1' uses a framework's default name, which tells attackers the stack.").arg(n),
                ref::fingerprint, cookie, line);
        }
        if (!session) {
            return;
        }
        if (const auto what = meaningfulContent(value)) {
            add("CK-27", Severity::Medium,
                QStringLiteral("The value of session cookie '%1' decodes to %2; a session ID should be meaningless.")
                    .arg(n, *what),
                ref::content, cookie, line);
            return;
        }
        if (const auto bits = estimateValueEntropy(value)) {
            if (*bits < 64) {
                add("CK-28", Severity::Critical,
                    QStringLiteral("Session cookie '%1' holds at most %2 bits of entropy, under the 64-bit minimum.")
                        .arg(n)
                        .arg(int(*bits)),
                    ref::entropy64, cookie, line);
            } else if (*bits < 128) {
                add("CK-29", Severity::Medium,
                    QStringLiteral("Session cookie '%1' holds at most %2 bits of entropy; 128 are recommended.")
                        .arg(n)
                        .arg(int(*bits)),
                    ref::entropy128, cookie, line);
            }
        }
    }

    void prefixRules(const SetCookie& c, bool session)
    {
        const QString n = name(c.name);
        const bool host = startsWithIgnoreCase(c.name, "__Host-");
        const bool sec = startsWithIgnoreCase(c.name, "__Secure-");
        if ((host && !c.name.startsWith("__Host-")) || (sec && !c.name.startsWith("__Secure-"))) {
            add("CK-11", Severity::Low,
                QStringLiteral("Cookie '%1' spells its prefix in non-canonical case; servers may not treat it as "
                               "prefixed.")
                    .arg(n),
                ref::prefixCase, c.name, c.line);
        }
        if (host) {
            QStringList problems;
            if (c.attribute("Domain") != nullptr) {
                problems << QStringLiteral("has a Domain attribute");
            }
            if (c.path != QByteArray("/")) {
                problems << QStringLiteral("lacks Path=/");
            }
            if (!c.secure) {
                problems << QStringLiteral("lacks Secure");
            }
            if (!problems.isEmpty()) {
                add("CK-08", Severity::High,
                    QStringLiteral("__Host- cookie '%1' %2: browsers reject it.")
                        .arg(n, problems.join(QStringLiteral(" and "))),
                    ref::hostRules, c.name, c.line);
            }
        } else if (sec && !c.secure) {
            add("CK-09", Severity::High,
                QStringLiteral("__Secure- cookie '%1' lacks Secure: browsers reject it.").arg(n), ref::secureRules,
                c.name, c.line);
        }
        if (session && !host) {
            add("CK-07", Severity::Medium,
                QStringLiteral("Session cookie '%1' is not named __Host-…, which would pin it to this host over HTTPS.")
                    .arg(n),
                ref::hostPrefix, c.name, c.line);
        } else if (!session && !host && !sec && !c.name.isEmpty()) {
            add("CK-10", Severity::Low,
                QStringLiteral("Cookie '%1' has neither a __Host- nor a __Secure- prefix.").arg(n), ref::anyPrefix,
                c.name, c.line);
        }
    }

    void sizeAndSyntaxRules(const SetCookie& c)
    {
        const QString n = name(c.name);
        const qsizetype total = c.name.size() + c.value.size();
        if (total > maxNameValueOctets) {
            add("CK-20", Severity::High,
                QStringLiteral("Cookie '%1' has %2 octets of name and value, over 4096: browsers ignore it.")
                    .arg(n)
                    .arg(total),
                ref::size, c.name, c.line);
        } else if (total > jwtHeadroomOctets) {
            add("CK-21", Severity::Medium,
                QStringLiteral(
                    "Cookie '%1' has %2 octets of name and value, close to the 4096 limit (typical of a JWT).")
                    .arg(n)
                    .arg(total),
                ref::size, c.name, c.line);
        }
        for (const CookieAttribute& a : c.attributes) {
            if (a.value.size() > maxAttributeValueOctets) {
                add("CK-22", Severity::Medium,
                    QStringLiteral("Attribute %1 of cookie '%2' is %3 octets long, over 1024: browsers ignore it.")
                        .arg(QString::fromUtf8(a.name).left(40), n)
                        .arg(a.value.size()),
                    ref::attrSize, c.name, c.line);
            }
        }
        QByteArray v = c.value;
        if (v.size() >= 2 && v.startsWith('"') && v.endsWith('"')) {
            v = v.mid(1, v.size() - 2);
        }
        if (!std::all_of(v.begin(), v.end(), isCookieOctet)) {
            add("CK-23", Severity::Low,
                QStringLiteral("The value of cookie '%1' has octets outside cookie-octet (space, quote, comma, "
                               "semicolon, backslash or non-ASCII); encode it, e.g. base64url.")
                    .arg(n),
                ref::octets, c.name, c.line);
        }
        if (!c.hasEquals || c.name.isEmpty()) {
            const bool prefixed =
                startsWithIgnoreCase(c.value, "__Host-") || startsWithIgnoreCase(c.value, "__Secure-");
            add("CK-24", prefixed ? Severity::High : Severity::Medium,
                prefixed ? QStringLiteral("A nameless cookie whose value starts with a cookie prefix is rejected by "
                                          "browsers (it could forge a prefixed cookie).")
                         : QStringLiteral("A cookie with an empty name: servers must not send nameless cookies."),
                ref::emptyName, c.name, c.line);
        }
        QStringList duplicates;
        QList<QByteArray> seen;
        for (const CookieAttribute& a : c.attributes) {
            const QByteArray key = a.name.toLower();
            if (c.attributeCount(a.name) > 1 && !seen.contains(key)) {
                duplicates << QString::fromUtf8(a.name).left(40);
                seen << key;
            }
        }
        if (!duplicates.isEmpty()) {
            add("CK-25", Severity::Low,
                QStringLiteral("Cookie '%1' repeats %2; the last occurrence wins.")
                    .arg(n, duplicates.join(QStringLiteral(", "))),
                ref::duplicate, c.name, c.line);
        }
    }

    void attributeRules(const SetCookie& c, bool session)
    {
        const QString n = name(c.name);
        if (session && !c.secure) {
            add("CK-01", Severity::High,
                QStringLiteral("Session cookie '%1' lacks Secure: it can travel over plain HTTP.").arg(n), ref::secure,
                c.name, c.line);
        }
        if (session && !c.httpOnly) {
            add("CK-02", Severity::High,
                QStringLiteral("Session cookie '%1' lacks HttpOnly: scripts (and XSS) can read it.").arg(n),
                ref::httpOnly, c.name, c.line);
        }
        switch (c.sameSite) {
        case SameSite::Absent:
            add("CK-03", Severity::Medium,
                QStringLiteral("Cookie '%1' has no SameSite attribute and relies on the browser default.").arg(n),
                ref::sameSite, c.name, c.line);
            break;
        case SameSite::Unknown:
            add("CK-06", Severity::Low,
                QStringLiteral("Cookie '%1' has SameSite=%2, which browsers do not know and treat as the default.")
                    .arg(n, QString::fromUtf8(c.sameSiteText).left(40)),
                ref::unknownSameSite, c.name, c.line);
            break;
        case SameSite::None:
            if (!c.secure) {
                add("CK-04", Severity::High,
                    QStringLiteral("Cookie '%1' has SameSite=None without Secure: browsers reject it.").arg(n),
                    ref::noneSecure, c.name, c.line);
            }
            if (session) {
                add("CK-05", Severity::Medium,
                    QStringLiteral("Session cookie '%1' has SameSite=None: it is sent on cross-site requests.").arg(n),
                    ref::sessionNone, c.name, c.line);
            }
            break;
        case SameSite::Strict:
        case SameSite::Lax:
            break;
        }
        if (session && c.domain) {
            add("CK-14", Severity::Medium,
                QStringLiteral("Session cookie '%1' sets Domain=%2, so every subdomain receives it.")
                    .arg(n, QString::fromUtf8(*c.domain)),
                ref::domain, c.name, c.line);
        }
        if (session && c.persistent()) {
            add("CK-17", Severity::Low,
                QStringLiteral(
                    "Session cookie '%1' is persistent (Expires or Max-Age); it outlives the browser session.")
                    .arg(n),
                ref::persistent, c.name, c.line);
        }
        lifetimeRules(c);
    }

    void lifetimeRules(const SetCookie& c)
    {
        const QString n = name(c.name);
        std::optional<qint64> lifetime;
        if (c.maxAge) {
            lifetime = *c.maxAge;
        } else if (c.expires && options.now > 0) {
            lifetime = *c.expires - options.now;
        }
        if (lifetime && *lifetime > maxLifetimeSeconds) {
            add("CK-18", Severity::Info,
                QStringLiteral("Cookie '%1' asks for %2 days; browsers cap lifetimes at 400 days.")
                    .arg(n)
                    .arg(*lifetime / 86400),
                ref::lifetime, c.name, c.line);
        }
        if (c.attribute("Expires") != nullptr && c.attribute("Max-Age") != nullptr) {
            add("CK-19", Severity::Info,
                QStringLiteral("Cookie '%1' has both Expires and Max-Age; Max-Age wins.").arg(n), ref::dates, c.name,
                c.line);
        }
        if (c.expiresText && c.expiresText->size() <= maxAttributeValueOctets) {
            if (!c.expires) {
                add("CK-19", Severity::Low,
                    QStringLiteral("Cookie '%1' has Expires=%2, which is not a date: browsers ignore it.")
                        .arg(n, QString::fromUtf8(*c.expiresText).left(60)),
                    ref::dates, c.name, c.line);
            } else if (!isImfFixdate(*c.expiresText)) {
                add("CK-19", Severity::Low,
                    QStringLiteral("Cookie '%1' has Expires=%2, not in the IMF-fixdate form "
                                   "(\"Sun, 06 Nov 1994 08:49:37 GMT\").")
                        .arg(n, QString::fromUtf8(*c.expiresText).left(60)),
                    ref::dates, c.name, c.line);
            }
        }
    }

    void urlRules(const SetCookie& c)
    {
        if (!options.url.isValid() || options.url.host().isEmpty()) {
            return;
        }
        const QString n = name(c.name);
        if (c.secure && !secureOrigin(options.url)) {
            add("CK-12", Severity::High,
                QStringLiteral("Cookie '%1' is Secure but is set from the non-secure origin %2: browsers reject it.")
                    .arg(n, options.url.toString(QUrl::RemovePath | QUrl::RemoveQuery)),
                ref::insecureOrigin, c.name, c.line);
        }
        if (c.domain) {
            const QByteArray host = canonicalDomain(options.url.host(QUrl::FullyEncoded).toUtf8());
            const QByteArray d = canonicalDomain(*c.domain);
            const bool isIp = host.contains(':') || std::all_of(host.begin(), host.end(), [](char ch) {
                                  return (ch >= '0' && ch <= '9') || ch == '.';
                              });
            const bool suffix = isPublicSuffix(d) && d != host;
            const bool matches = host == d || (!isIp && host.endsWith("." + d));
            if (!suffix && matches && !publicSuffixList()) {
                add("CK-15", Severity::Info,
                    QStringLiteral("Cookie '%1' sets Domain=%2, which was not checked against the Public Suffix "
                                   "List: %3")
                        .arg(n, QString::fromUtf8(d), publicSuffixes().error().message),
                    ref::domainMatch, c.name, c.line);
            }
            if (suffix || !matches) {
                add("CK-15", Severity::High,
                    suffix ? QStringLiteral("Cookie '%1' sets Domain=%2, a public suffix: browsers reject it.")
                                 .arg(n, QString::fromUtf8(d))
                           : QStringLiteral("Cookie '%1' sets Domain=%2, which does not domain-match %3: browsers "
                                            "reject it.")
                                 .arg(n, QString::fromUtf8(d), QString::fromUtf8(host)),
                    ref::domainMatch, c.name, c.line);
            }
        }
        const QString urlPath = options.url.path();
        const bool appUnderFolder = urlPath.indexOf(u'/', 1) > 1;
        if (c.path == QByteArray("/") && appUnderFolder && !startsWithIgnoreCase(c.name, "__Host-")) {
            add("CK-16", Severity::Info,
                QStringLiteral("Cookie '%1' has Path=/ although the app lives under %2; other apps on this host "
                               "receive it (Path is not a security boundary).")
                    .arg(n, urlPath.left(urlPath.indexOf(u'/', 1) + 1)),
                ref::path, c.name, c.line);
        }
    }

    void sessionInUrl()
    {
        QList<QByteArray> sessionNames;
        QList<QByteArray> sessionValues;
        for (const SetCookie& c : input.setCookies) {
            if (isSession(c.name)) {
                sessionNames << c.name.toLower();
                if (c.value.size() >= 8) {
                    sessionValues << c.value;
                }
            }
        }
        sessionNames << options.sessionCookies;
        QStringList where;
        auto scan = [&](const QString& label, const QString& url) {
            const QByteArray lower = url.toLower().toUtf8();
            const bool hasName = std::any_of(sessionNames.begin(), sessionNames.end(), [&](const QByteArray& nm) {
                return !nm.isEmpty() &&
                       (lower.contains("?" + nm.toLower() + "=") || lower.contains("&" + nm.toLower() + "=") ||
                        lower.contains(";" + nm.toLower() + "="));
            });
            const bool hasValue = std::any_of(sessionValues.begin(), sessionValues.end(),
                                              [&](const QByteArray& v) { return url.toUtf8().contains(v); });
            if (hasName || hasValue || lower.contains(";jsessionid=") || lower.contains("phpsessid=")) {
                where << label;
            }
        };
        if (options.url.isValid()) {
            scan(QStringLiteral("the response URL"), options.url.toString(QUrl::FullyEncoded));
        }
        for (const auto& [header, value] : input.otherHeaders) {
            if (header == "location" || header == "content-location" || header == "refresh") {
                scan(QStringLiteral("the %1 header").arg(QString::fromLatin1(header)), QString::fromUtf8(value));
            }
        }
        if (!where.isEmpty()) {
            add("CK-32", Severity::High,
                QStringLiteral("The session ID appears in %1: URLs leak through logs, history and Referer.")
                    .arg(where.join(QStringLiteral(" and "))),
                ref::inUrl, QByteArray(), 0);
        }
    }

    void cacheRule()
    {
        if (!input.fullResponse) {
            return;
        }
        const bool setsSession = std::any_of(input.setCookies.begin(), input.setCookies.end(),
                                             [this](const SetCookie& c) { return isSession(c.name); });
        const bool noStore = std::any_of(input.otherHeaders.begin(), input.otherHeaders.end(), [](const auto& h) {
            return h.first == "cache-control" && h.second.toLower().contains("no-store");
        });
        if (setsSession && !noStore) {
            add("CK-30", Severity::Low,
                QStringLiteral("The response that sets the session cookie lacks Cache-Control: no-store."), ref::cache,
                QByteArray(), 0);
        }
    }

    void run()
    {
        QList<QByteArray> secureNames;
        for (const SetCookie& c : input.setCookies) {
            const bool session = isSession(c.name);
            if (c.hasControlChars) {
                add("CK-23", Severity::High,
                    QStringLiteral("The Set-Cookie header for '%1' contains control characters: browsers ignore the "
                                   "whole cookie.")
                        .arg(name(c.name)),
                    ref::ctl, c.name, c.line);
                continue;
            }
            sizeAndSyntaxRules(c);
            attributeRules(c, session);
            prefixRules(c, session);
            urlRules(c);
            if (!c.secure && secureNames.contains(c.name)) {
                add("CK-13", Severity::Medium,
                    QStringLiteral("Non-secure cookie '%1' would overlay the secure cookie of the same name set "
                                   "earlier: browsers refuse it.")
                        .arg(name(c.name)),
                    ref::overlay, c.name, c.line);
            }
            if (c.secure) {
                secureNames << c.name;
            }
            valueRules(c.name, c.value, session, c.line);
        }
        for (const auto& header : input.cookieHeaders) {
            for (const CookiePair& p : header) {
                if (p.name.isEmpty()) {
                    add("CK-24", Severity::Medium, QStringLiteral("The Cookie header carries a nameless cookie."),
                        ref::emptyName, p.name, 0);
                }
                valueRules(p.name, p.value, isSession(p.name), 0);
            }
        }
        sessionInUrl();
        cacheRule();
    }
};

} // namespace

bool looksLikeSessionCookie(QByteArrayView cookieName)
{
    QByteArray n = cookieName.toByteArray().toLower();
    for (const char* prefix : {"__host-", "__secure-"}) {
        if (n.startsWith(prefix)) {
            n.remove(0, qsizetype(qstrlen(prefix)));
        }
    }
    if (frameworkNames.contains(n) || n.startsWith("aspsessionid")) {
        return true;
    }
    for (const char* part : {"sess", "sid", "auth", "token", "jwt", "login"}) {
        if (n.contains(part)) {
            return true;
        }
    }
    return n == "id" || n == "s";
}

std::optional<double> estimateValueEntropy(QByteArrayView value)
{
    QByteArray v = value.toByteArray();
    if (v.size() >= 2 && v.startsWith('"') && v.endsWith('"')) {
        v = v.mid(1, v.size() - 2);
    }
    while (v.endsWith('=')) {
        v.chop(1);
    }
    if (v.isEmpty()) {
        return 0.0;
    }
    if (v.count('.') == 2 || v.startsWith('{')) {
        return std::nullopt;
    }
    auto all = [&v](auto pred) { return std::all_of(v.begin(), v.end(), pred); };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto hex = [&](char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); };
    auto alnum = [&](char c) { return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    double perChar = std::log2(94.0);
    if (all(digit)) {
        perChar = std::log2(10.0);
    } else if (all(hex)) {
        perChar = 4.0;
    } else if (all(alnum)) {
        perChar = std::log2(62.0);
    } else if (all([&](char c) { return alnum(c) || c == '-' || c == '_' || c == '+' || c == '/'; })) {
        perChar = 6.0;
    }
    return perChar * double(v.size());
}

std::vector<CookieFinding> lintCookies(const CookieInput& input, const CookieLintOptions& options)
{
    Linter linter{input, options, {}};
    linter.run();
    std::stable_sort(linter.out.begin(), linter.out.end(),
                     [](const CookieFinding& a, const CookieFinding& b) { return a.severity > b.severity; });
    return std::move(linter.out);
}

Result<QByteArray> recommendedSetCookie(const RecommendedCookie& spec)
{
    QByteArray cookieName = spec.name;
    if (cookieName.isEmpty()) {
        cookieName = "session";
    }
    if (!cookieName.startsWith("__Host-")) {
        cookieName.prepend("__Host-");
    }
    for (const char c : cookieName) {
        if (!isCookieOctet(c) || c == '=' || c == '(' || c == ')' || c == '@' || c == '/' || c == ':' || c == '?') {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("A cookie name must be an HTTP token."));
        }
    }
    QByteArray value = spec.value;
    if (value.isEmpty()) {
        auto ids = generateIds(IdSpec{}, 1);
        if (!ids) {
            return std::unexpected(ids.error());
        }
        value = ids->first();
    }
    if (!std::all_of(value.begin(), value.end(), isCookieOctet)) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A cookie value must use cookie-octets only."));
    }
    QByteArray header = "Set-Cookie: " + cookieName + '=' + value + "; Path=/; Secure; HttpOnly; SameSite=Strict";
    if (spec.maxAgeSeconds) {
        header += "; Max-Age=" + QByteArray::number(*spec.maxAgeSeconds);
    }
    return header;
}

} // namespace tb::session
