#include "Lint.h"

#include <algorithm>
#include <cmath>

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include "audit/crack/Candidates.h"
#include "audit/lint/JweLint.h"
#include "jose/Algorithm.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"
#include "validate/Verifier.h"

namespace tb::audit {

namespace {

const QString rfc8725 = QStringLiteral("RFC 8725 §%1");
const QString owasp = QStringLiteral("OWASP JWT Cheat Sheet");

QList<LintRule> buildRules()
{
    const auto r = [](const char* id, Severity s, const char* title, QString ref) {
        return LintRule{QString::fromLatin1(id), s, QString::fromUtf8(title), std::move(ref)};
    };
    return {
        r("JWT-ALG-NONE", Severity::Critical, "Unsecured token (alg none or a letter-case variant)",
          rfc8725.arg(QStringLiteral("3.1"))),
        r("JWT-HMAC-WEAK-SECRET", Severity::Critical, "HMAC secret found in the built-in list of common secrets",
          rfc8725.arg(QStringLiteral("3.5"))),
        r("JWT-ALG-MISSING", Severity::High, "Header without a string alg", QStringLiteral("RFC 7515 §4.1.1")),
        r("JWT-ALG-UNKNOWN", Severity::High, "Algorithm that is not a registered JWS algorithm",
          QStringLiteral("RFC 7518 §3.1")),
        r("JWT-SIG-EMPTY", Severity::High, "Signed algorithm with an empty signature",
          rfc8725.arg(QStringLiteral("3.1"))),
        r("JWT-HMAC-SHORT-SECRET", Severity::High, "HMAC secret shorter than the hash output",
          QStringLiteral("RFC 7518 §3.2")),
        r("JWT-RSA-SHORT-KEY", Severity::High, "RSA key under 2048 bits", QStringLiteral("RFC 7518 §3.3")),
        r("JWT-HDR-JKU", Severity::High, "jku header: a key URL chosen by the token",
          rfc8725.arg(QStringLiteral("3.10"))),
        r("JWT-HDR-X5U", Severity::High, "x5u header: a certificate URL chosen by the token",
          rfc8725.arg(QStringLiteral("3.10"))),
        r("JWT-HDR-JWK", Severity::High, "jwk header: a key embedded in the token", QStringLiteral("CVE-2018-0114")),
        r("JWT-KID-PATH", Severity::High, "kid with path traversal characters", owasp),
        r("JWT-KID-SQL", Severity::High, "kid with SQL metacharacters", owasp),
        r("JWT-KID-SHELL", Severity::High, "kid with shell metacharacters", owasp),
        r("JWT-KID-NOSQL", Severity::High, "kid with NoSQL operator characters", owasp),
        r("JWT-JSON-DUPLICATE", Severity::High, "Duplicate JSON member names", QStringLiteral("RFC 7515 §5.2")),
        r("JWT-PII-SECRET", Severity::High, "Payload member named like a password, secret or SSN", owasp),
        r("JWT-PII-CARD", Severity::High, "Payload value that looks like a card number (passes Luhn)", owasp),
        r("JWT-EXP-MISSING", Severity::Medium, "No exp claim", QStringLiteral("RFC 7519 §4.1.4")),
        r("JWT-LIFETIME-LONG", Severity::Medium, "Lifetime longer than the access-token maximum", owasp),
        r("JWT-EXP-FAR", Severity::Medium, "exp far in the future", owasp),
        r("JWT-IAT-FUTURE", Severity::Medium, "iat in the future", QStringLiteral("RFC 7519 §4.1.6")),
        r("JWT-NBF-AFTER-EXP", Severity::Medium, "nbf at or after exp: never valid", QStringLiteral("RFC 7519 §4.1.5")),
        r("JWT-TIME-NOT-NUMBER", Severity::Medium, "Time claim that is not a NumericDate",
          QStringLiteral("RFC 7519 §2")),
        r("JWT-TIME-PRECISION", Severity::Medium, "Time claim above 2^53 or in exponent form",
          QStringLiteral("RFC 7493 §2.2")),
        r("JWT-CRIT-PRESENT", Severity::Medium, "crit header present", QStringLiteral("RFC 7515 §4.1.11")),
        r("JWT-HDR-X5C", Severity::Medium, "x5c header: a certificate chain carried by the token",
          rfc8725.arg(QStringLiteral("3.10"))),
        r("JWT-B64-NONCANONICAL", Severity::Medium, "Segment not in canonical base64url",
          QStringLiteral("RFC 7515 §2")),
        r("JWT-SIZE-8K", Severity::Medium, "Token over 8 KB (common HTTP header limits)",
          QStringLiteral("RFC 9110 §5.4")),
        r("JWT-PII-EMAIL", Severity::Medium, "E-mail address readable in the payload", owasp),
        r("JWT-PII-PHONE", Severity::Medium, "Phone number readable in the payload", owasp),
        r("JWT-ALG-RSA-PKCS1", Severity::Low, "RSASSA-PKCS1-v1_5 (RS*): not recommended", owasp),
        r("JWT-ISS-MISSING", Severity::Low, "No iss claim", rfc8725.arg(QStringLiteral("3.8"))),
        r("JWT-AUD-MISSING", Severity::Low, "No aud claim", rfc8725.arg(QStringLiteral("3.9"))),
        r("JWT-AUD-SHAPE", Severity::Low, "aud that is not a string or a non-empty array of strings",
          QStringLiteral("RFC 7519 §4.1.3")),
        r("JWT-TYP-MISSING", Severity::Low, "No typ header", rfc8725.arg(QStringLiteral("3.11"))),
        r("JWT-SIZE-4K", Severity::Low, "Token over 4 KB (the cookie size limit)", QStringLiteral("RFC 6265 §6.1")),
        r("JWT-PII-IP", Severity::Low, "IP address readable in the payload", owasp),
        r("JWT-NESTED", Severity::Low, "Nested JWT (cty JWT)", QStringLiteral("RFC 7519 §5.2")),
        r("JWT-TYP-GENERIC", Severity::Info, "typ JWT instead of an explicit type",
          rfc8725.arg(QStringLiteral("3.11"))),
        r("JWT-PAYLOAD-NOT-OBJECT", Severity::Info, "Payload that is not a JSON object",
          QStringLiteral("RFC 7519 §7.2")),
    };
}

// Index of the token just past the JSON value that starts at token `i`.
qsizetype skipValue(const QList<jose::JsonToken>& tokens, qsizetype i)
{
    const jose::JsonToken& first = tokens[i];
    if (first.type != jose::JsonTokenType::BeginObject && first.type != jose::JsonTokenType::BeginArray) {
        return i + 1;
    }
    qsizetype j = i + 1;
    while (j < tokens.size() &&
           !(tokens[j].depth == first.depth &&
             (tokens[j].type == jose::JsonTokenType::EndObject || tokens[j].type == jose::JsonTokenType::EndArray))) {
        ++j;
    }
    return j + 1;
}

// The byte range of the member (key through value) or array element at `path`, or nullopt when absent.
// A duplicated key resolves to its last occurrence, the one JSON.parse keeps.
std::optional<std::pair<qsizetype, qsizetype>> memberRange(QByteArrayView text, const jose::JsonScan& scan,
                                                           const QStringList& path)
{
    const QList<jose::JsonToken>& t = scan.tokens;
    if (scan.error || t.isEmpty() || path.isEmpty()) {
        return std::nullopt;
    }
    qsizetype value = 0;
    qsizetype start = 0;
    for (const QString& step : path) {
        const jose::JsonToken& container = t[value];
        qsizetype found = -1;
        qsizetype foundStart = 0;
        qsizetype j = value + 1;
        qsizetype index = 0;
        while (j < t.size() && t[j].depth > container.depth) {
            if (container.type == jose::JsonTokenType::BeginObject && t[j].isKey && j + 2 < t.size()) {
                if (jose::jsonStringValue(text.sliced(t[j].offset, t[j].length)) == step) {
                    found = j + 2;
                    foundStart = t[j].offset;
                }
                j = skipValue(t, j + 2);
            } else if (container.type == jose::JsonTokenType::BeginArray && t[j].type != jose::JsonTokenType::Comma) {
                if (QString::number(index++) == step) {
                    found = j;
                    foundStart = t[j].offset;
                }
                j = skipValue(t, j);
            } else {
                ++j;
            }
        }
        if (found < 0) {
            return std::nullopt;
        }
        value = found;
        start = foundStart;
    }
    const jose::JsonToken& last = t[skipValue(t, value) - 1];
    return std::pair{start, last.offset + last.length - start};
}

QString jsonPointer(const QStringList& path)
{
    QString out;
    for (QString step : path) {
        out += QLatin1Char('/') +
               step.replace(QLatin1Char('~'), QStringLiteral("~0")).replace(QLatin1Char('/'), QStringLiteral("~1"));
    }
    return out;
}

const char* const segmentNames[3] = {"header", "payload", "signature"};

struct Context
{
    const jose::CompactToken& token;
    const jose::JsonScan& headerScan;
    const jose::JsonObjectView& header;
    const jose::JsonScan& payloadScan;
    const jose::JsonObjectView& claims;
    const QJsonObject& payloadTree; // for the recursive value rules
    const LintOptions& options;
    QList<Finding>& out;

    void add(const char* id, const QString& message, QList<FindingLocation> where = {}) const
    {
        out.append(ruleFinding(id, message, std::move(where)));
    }
    [[nodiscard]] FindingLocation wholeToken() const
    {
        return {QStringLiteral("token"), {}, -1, 0, 0, token.raw.size()};
    }
    // Segment 0, 1 or 2 of the token text.
    [[nodiscard]] FindingLocation segment(int index) const
    {
        qsizetype offset = 0;
        for (int i = 0; i < index; ++i) {
            offset += token.segments.value(i).size() + 1;
        }
        return {QString::fromLatin1(segmentNames[index]), {}, -1, 0, offset, token.segments.value(index).size()};
    }
    // The member at `path` of the header (0) or payload (1); the whole segment when it cannot be found.
    [[nodiscard]] FindingLocation member(int index, const QStringList& path) const
    {
        FindingLocation loc = segment(index);
        const auto range =
            memberRange(index == 0 ? token.header : token.payload, index == 0 ? headerScan : payloadScan, path);
        if (!range) {
            return loc;
        }
        const auto [first, end] = base64CharRange(range->first, range->second);
        loc.pointer = jsonPointer(path);
        loc.jsonOffset = range->first;
        loc.jsonLength = range->second;
        loc.tokenOffset += std::min(first, loc.tokenLength);
        loc.tokenLength = std::min(end, loc.tokenLength) - std::min(first, loc.tokenLength);
        return loc;
    }
    [[nodiscard]] QList<FindingLocation> members(int index, const QList<QStringList>& paths) const
    {
        QList<FindingLocation> found;
        for (const QStringList& path : paths) {
            found.append(member(index, path));
        }
        return found;
    }
    // The second occurrence of a duplicated key: its key through its value.
    [[nodiscard]] FindingLocation duplicate(int index, const jose::JsonDuplicateKey& d) const
    {
        FindingLocation loc = segment(index);
        const QList<jose::JsonToken>& t = (index == 0 ? headerScan : payloadScan).tokens;
        for (qsizetype i = 0; i + 2 < t.size(); ++i) {
            if (t[i].isKey && t[i].offset == d.duplicate.offset) {
                const jose::JsonToken& last = t[skipValue(t, i + 2) - 1];
                const auto [first, end] = base64CharRange(t[i].offset, last.offset + last.length - t[i].offset);
                loc.pointer = jsonPointer(d.path.split(QLatin1Char('/'), Qt::SkipEmptyParts) + QStringList{d.key});
                loc.jsonOffset = t[i].offset;
                loc.jsonLength = last.offset + last.length - t[i].offset;
                loc.tokenOffset += std::min(first, loc.tokenLength);
                loc.tokenLength = std::min(end, loc.tokenLength) - std::min(first, loc.tokenLength);
                break;
            }
        }
        return loc;
    }
    [[nodiscard]] FindingLocation headerAt(const char* name) const { return member(0, {QString::fromLatin1(name)}); }
    [[nodiscard]] FindingLocation claimAt(const char* name) const { return member(1, {QString::fromLatin1(name)}); }
    [[nodiscard]] std::optional<jose::Alg> alg() const
    {
        const auto name = header.string("alg");
        return name ? jose::algFromName(*name) : std::nullopt;
    }
};

// A value's JSON text for a message, cut to 64 bytes.
QString clip(QByteArrayView raw)
{
    return QString::fromUtf8(raw.first(std::min<qsizetype>(raw.size(), 64)));
}

QString seconds(double s)
{
    return QString::number(s, 'g', 15);
}

// "1 h (3600 s)": readable first, exact second.
QString span(double s)
{
    return QStringLiteral("%1 (%2 s)").arg(validate::formatDuration(s), seconds(s));
}

// ---- algorithm and key ----

void ruleAlg(const Context& c)
{
    const std::optional<QString> name = c.header.string("alg");
    if (!name) {
        c.add("JWT-ALG-MISSING",
              QStringLiteral("The header has no string \"alg\", so no verifier can know how the token is "
                             "protected."),
              {c.headerAt("alg")});
        return;
    }
    if (*name == QStringLiteral("none") || jose::isNoneVariant(*name)) {
        c.add("JWT-ALG-NONE",
              QStringLiteral("The token is unsecured (alg \"%1\"): anyone can forge it, and a verifier "
                             "must never accept it.")
                  .arg(*name),
              {c.headerAt("alg")});
        return;
    }
    const auto alg = jose::algFromName(*name);
    if (!alg) {
        c.add("JWT-ALG-UNKNOWN", QStringLiteral("\"%1\" is not a registered JWS algorithm.").arg(*name),
              {c.headerAt("alg")});
        return;
    }
    if (jose::algFamily(*alg) == jose::AlgFamily::RsaPkcs1) {
        c.add("JWT-ALG-RSA-PKCS1",
              QStringLiteral("%1 uses RSASSA-PKCS1-v1_5, which is not recommended: prefer PS*, ES* "
                             "or EdDSA.")
                  .arg(*name),
              {c.headerAt("alg")});
    }
    if (c.token.segments.value(2).isEmpty()) {
        c.add("JWT-SIG-EMPTY", QStringLiteral("The header says %1 but the signature segment is empty.").arg(*name),
              {c.segment(2)});
    }
}

void ruleKeyStrength(const Context& c)
{
    const keys::KeyPtr& key = c.options.key;
    if (!key) {
        return;
    }
    if (key->type() == keys::KeyType::Rsa && key->bits() < 2048) {
        c.add("JWT-RSA-SHORT-KEY",
              QStringLiteral("The RSA key has %1 bits; at least 2048 are required.").arg(key->bits()), {c.segment(2)});
    }
    if (key->type() != keys::KeyType::Oct) {
        return;
    }
    const auto alg = c.alg();
    const int hashBytes = alg && jose::algFamily(*alg) == jose::AlgFamily::Hmac ? jose::algHashBytes(*alg) : 32;
    const QByteArray secret = key->secret().reveal();
    if (secret.size() < hashBytes) {
        c.add("JWT-HMAC-SHORT-SECRET",
              QStringLiteral("The HMAC secret is %1 bytes, shorter than the %2 bytes of the hash.")
                  .arg(secret.size())
                  .arg(hashBytes),
              {c.segment(2)});
    }
    const QByteArrayView list = crack::builtinWordlist();
    qsizetype pos = 0;
    while (pos <= list.size()) {
        qsizetype end = list.indexOf('\n', pos);
        if (end < 0) {
            end = list.size();
        }
        QByteArrayView line = list.sliced(pos, end - pos);
        if (line.endsWith('\r')) {
            line.chop(1);
        }
        if (line == QByteArrayView(secret) && (!line.isEmpty() || end < list.size())) {
            c.add("JWT-HMAC-WEAK-SECRET",
                  QStringLiteral("The HMAC secret is in the built-in list of common JWT secrets: "
                                 "anyone can find it in seconds."),
                  {c.segment(2)});
            break;
        }
        pos = end + 1;
    }
    QByteArray wipe = secret;
    cleanse(wipe);
}

// ---- header ----

void ruleTyp(const Context& c)
{
    const std::optional<QString> typ = c.header.string("typ");
    if (!typ) {
        c.add("JWT-TYP-MISSING",
              QStringLiteral("The header has no \"typ\": give each kind of token an explicit type "
                             "(e.g. \"at+jwt\") so one kind cannot be used as another."),
              {c.segment(0)});
        return;
    }
    const QString t = typ->toLower();
    if (t == QStringLiteral("jwt") || t == QStringLiteral("application/jwt")) {
        c.add("JWT-TYP-GENERIC",
              QStringLiteral("typ \"%1\" is generic: an explicit type such as \"at+jwt\" keeps tokens "
                             "of one kind from being accepted as another.")
                  .arg(*typ),
              {c.headerAt("typ")});
    }
}

void ruleCrit(const Context& c)
{
    if (c.header.contains("crit")) {
        c.add("JWT-CRIT-PRESENT",
              QStringLiteral("The header has \"crit\": verifiers that do not implement every listed "
                             "extension must reject the token."),
              {c.headerAt("crit")});
    }
}

void ruleKeyHeaders(const Context& c)
{
    if (c.header.contains("jku")) {
        c.add("JWT-HDR-JKU",
              QStringLiteral("The header names a key set URL (jku): a verifier that follows it fetches "
                             "keys the attacker chose (and may be led to make internal requests)."),
              {c.headerAt("jku")});
    }
    if (c.header.contains("x5u")) {
        c.add("JWT-HDR-X5U",
              QStringLiteral("The header names a certificate URL (x5u): a verifier that follows it trusts a "
                             "certificate the attacker chose."),
              {c.headerAt("x5u")});
    }
    if (c.header.contains("jwk")) {
        c.add("JWT-HDR-JWK",
              QStringLiteral("The header embeds a public key (jwk): a verifier that uses it accepts tokens "
                             "signed with any key."),
              {c.headerAt("jwk")});
    }
    if (c.header.contains("x5c")) {
        c.add("JWT-HDR-X5C",
              QStringLiteral("The header carries a certificate chain (x5c): it proves nothing unless the "
                             "chain is validated against a pinned trust anchor."),
              {c.headerAt("x5c")});
    }
}

void ruleKid(const Context& c)
{
    const std::optional<QString> kid = c.header.string("kid");
    if (!kid) {
        return;
    }
    const QString& k = *kid;
    static const QRegularExpression path(QStringLiteral("(^|[/\\\\])\\.\\.([/\\\\]|$)|^/|^[A-Za-z]:\\\\|%2e%2e|\\x{0}"),
                                         QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression sql(
        QStringLiteral("['\"`;]|--|/\\*|\\bunion\\s+(all\\s+)?select\\b|\\b(or|and)\\s+\\d|"
                       "\\bsleep\\s*\\(|\\bdrop\\s+table\\b"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression shell(QStringLiteral("[|&;`<>]|\\$\\(|\\$\\{|\\n"));
    static const QRegularExpression nosql(
        QStringLiteral("[{}]|\\$(ne|gt|gte|lt|lte|regex|where|in|nin|or|and|exists)\\b"));
    if (path.match(k).hasMatch()) {
        c.add("JWT-KID-PATH",
              QStringLiteral("kid \"%1\" contains path traversal: a server that reads the key from a file "
                             "by kid can be pointed at any file (e.g. /dev/null, an empty key).")
                  .arg(k),
              {c.headerAt("kid")});
    }
    if (sql.match(k).hasMatch()) {
        c.add("JWT-KID-SQL",
              QStringLiteral("kid \"%1\" contains SQL metacharacters: a server that looks the key up with "
                             "string-built SQL can be made to return a key the attacker chose.")
                  .arg(k),
              {c.headerAt("kid")});
    }
    if (shell.match(k).hasMatch()) {
        c.add("JWT-KID-SHELL",
              QStringLiteral("kid \"%1\" contains shell metacharacters: a server that passes kid to a "
                             "command can be made to run other commands.")
                  .arg(k),
              {c.headerAt("kid")});
    }
    if (nosql.match(k).hasMatch()) {
        c.add("JWT-KID-NOSQL",
              QStringLiteral("kid \"%1\" contains NoSQL operator characters: a server that builds a "
                             "query from kid can be made to match any key.")
                  .arg(k),
              {c.headerAt("kid")});
    }
}

void ruleNested(const Context& c)
{
    const std::optional<QString> cty = c.header.string("cty");
    if (cty && cty->compare(QStringLiteral("JWT"), Qt::CaseInsensitive) == 0) {
        c.add("JWT-NESTED",
              QStringLiteral("cty \"%1\" marks a nested JWT: the inner token must be verified too, with "
                             "its own keys and policy.")
                  .arg(*cty),
              {c.headerAt("cty")});
    }
}

// ---- encoding and size ----

void ruleDuplicates(const Context& c)
{
    for (const auto* scan : {&c.headerScan, &c.payloadScan}) {
        for (const auto& d : scan->duplicates) {
            c.add("JWT-JSON-DUPLICATE",
                  QStringLiteral("The %1 has the member \"%2\" twice (line %3, column %4): "
                                 "parsers disagree on which value counts.")
                      .arg(scan == &c.headerScan ? QStringLiteral("header") : QStringLiteral("payload"),
                           d.path.isEmpty() ? d.key : d.path + QLatin1Char('/') + d.key)
                      .arg(d.duplicate.line)
                      .arg(d.duplicate.column),
                  {c.duplicate(scan == &c.headerScan ? 0 : 1, d)});
        }
    }
}

void ruleBase64(const Context& c)
{
    QStringList parts;
    QList<FindingLocation> locations;
    const bool odd[3] = {c.token.headerQuirks != jose::QuirkNone, c.token.payloadQuirks != jose::QuirkNone,
                         !c.token.signatureCanonical};
    for (int i = 0; i < 3; ++i) {
        if (odd[i]) {
            parts << QString::fromLatin1(segmentNames[i]);
            locations << c.segment(i);
        }
    }
    if (!parts.isEmpty()) {
        c.add("JWT-B64-NONCANONICAL",
              QStringLiteral("The %1 segment is not canonical base64url (padding, '+' or '/', or "
                             "non-zero final bits): one token gets several spellings.")
                  .arg(parts.join(QStringLiteral(", "))),
              locations);
    }
}

void ruleSize(const Context& c)
{
    const qsizetype size = c.token.raw.size();
    if (size > 8192) {
        c.add("JWT-SIZE-8K",
              QStringLiteral("The token is %1 bytes, over the 8 KB many servers allow for a header.").arg(size),
              {c.wholeToken()});
    } else if (size > 4096) {
        c.add("JWT-SIZE-4K",
              QStringLiteral("The token is %1 bytes, over the 4 KB a browser keeps in one cookie.").arg(size),
              {c.wholeToken()});
    }
}

// ---- claims ----

// Whether a JSON number's integer part is above 2^53 in magnitude (from its text: a double rounds 2^53 + 1 down).
bool beyond2p53(QByteArrayView raw)
{
    if (raw.startsWith('-')) {
        raw = raw.sliced(1);
    }
    qsizetype end = raw.indexOf('.');
    QByteArrayView digits = end < 0 ? raw : raw.first(end);
    while (digits.size() > 1 && digits.startsWith('0')) {
        digits = digits.sliced(1);
    }
    const QByteArrayView limit = "9007199254740992";
    if (digits.size() != limit.size()) {
        return digits.size() > limit.size();
    }
    return digits.compare(limit) > 0 ||
           (digits == limit && end >= 0 && raw.sliced(end + 1).toByteArray().toULongLong() > 0);
}

void ruleTimes(const Context& c)
{
    if (!c.claims.isObject()) {
        return;
    }
    std::optional<double> times[3];
    const char* names[3] = {"exp", "nbf", "iat"};
    for (int i = 0; i < 3; ++i) {
        const QByteArrayView raw = c.claims.raw(names[i]);
        if (raw.isEmpty()) {
            continue;
        }
        times[i] = c.claims.number(names[i]);
        const QString name = QString::fromLatin1(names[i]);
        if (!times[i]) {
            c.add("JWT-TIME-NOT-NUMBER",
                  QStringLiteral("\"%1\" is %2, not a number of seconds since the epoch.").arg(name, clip(raw)),
                  {c.claimAt(names[i])});
            continue;
        }
        if (raw.contains('e') || raw.contains('E') || beyond2p53(raw)) {
            c.add("JWT-TIME-PRECISION",
                  QStringLiteral("\"%1\" is written %2: past 2^53 or in exponent form, parsers "
                                 "read different instants.")
                      .arg(name, clip(raw)),
                  {c.claimAt(names[i])});
        }
    }
    const auto& [exp, nbf, iat] = times;
    const double now = c.options.now;
    if (!c.claims.contains("exp")) {
        c.add("JWT-EXP-MISSING",
              QStringLiteral("The token has no \"exp\": it never expires, so a stolen copy works forever."),
              {c.segment(1)});
    }
    if (exp) {
        const std::optional<double> start = iat ? iat : nbf;
        if (start && *exp - *start > c.options.maxLifetime) {
            c.add("JWT-LIFETIME-LONG",
                  QStringLiteral("The token lives %1 from %2 to exp, longer than the access-token maximum of %3.")
                      .arg(span(*exp - *start), iat ? QStringLiteral("iat") : QStringLiteral("nbf"),
                           span(c.options.maxLifetime)),
                  {c.claimAt("exp")});
        }
        if (*exp - now > c.options.farFuture) {
            c.add("JWT-EXP-FAR",
                  QStringLiteral("exp is %1 after now, more than %2 in the future.")
                      .arg(span(*exp - now), span(c.options.farFuture)),
                  {c.claimAt("exp")});
        }
        if (nbf && *nbf >= *exp) {
            c.add("JWT-NBF-AFTER-EXP",
                  QStringLiteral("nbf (%1) is not before exp (%2): the token is never valid.")
                      .arg(seconds(*nbf), seconds(*exp)),
                  {c.claimAt("nbf")});
        }
    }
    if (iat && *iat > now) {
        c.add("JWT-IAT-FUTURE",
              QStringLiteral("iat is %1 after now: the token claims to be issued in the future.").arg(span(*iat - now)),
              {c.claimAt("iat")});
    }
}

void ruleIdentity(const Context& c)
{
    if (!c.claims.isObject()) {
        return;
    }
    if (!c.claims.contains("iss")) {
        c.add("JWT-ISS-MISSING",
              QStringLiteral("The token has no \"iss\": a verifier cannot tell which issuer (and which "
                             "keys) it belongs to."),
              {c.segment(1)});
    }
    if (!c.claims.contains("aud")) {
        c.add("JWT-AUD-MISSING",
              QStringLiteral("The token has no \"aud\": any service that trusts the issuer accepts it."),
              {c.segment(1)});
        return;
    }
    const QJsonValue aud = c.payloadTree.value(QStringLiteral("aud"));
    bool ok = aud.isString() && !aud.toString().isEmpty();
    if (aud.isArray()) {
        const QJsonArray list = aud.toArray();
        ok = !list.isEmpty() && std::all_of(list.begin(), list.end(), [](const QJsonValue& v) {
            return v.isString() && !v.toString().isEmpty();
        });
    }
    if (!ok) {
        c.add("JWT-AUD-SHAPE",
              QStringLiteral("\"aud\" is %1: it must be a non-empty string or a non-empty array of them.")
                  .arg(clip(c.claims.raw("aud"))),
              {c.claimAt("aud")});
    }
}

bool sensitiveName(const QString& key)
{
    QString k = key.toLower();
    k.remove(QLatin1Char('_')).remove(QLatin1Char('-')).remove(QLatin1Char(' '));
    static const QStringList exact = {QStringLiteral("pwd"),
                                      QStringLiteral("pass"),
                                      QStringLiteral("ssn"),
                                      QStringLiteral("cvv"),
                                      QStringLiteral("cvc"),
                                      QStringLiteral("pin"),
                                      QStringLiteral("apikey"),
                                      QStringLiteral("privatekey"),
                                      QStringLiteral("creditcard"),
                                      QStringLiteral("cardnumber"),
                                      QStringLiteral("socialsecuritynumber")};
    return k.contains(QStringLiteral("password")) || k.contains(QStringLiteral("passwd")) ||
           k.contains(QStringLiteral("secret")) || k.endsWith(QStringLiteral("ssn")) || exact.contains(k);
}

// What the sensitive-data rules found, with the JSON path of each hit (for the finding's locations).
struct ValueScan
{
    QStringList secretNames;
    QStringList emails;
    QStringList phones;
    QStringList cards;
    QStringList ips;
    QList<QStringList> secretPaths;
    QList<QStringList> emailPaths;
    QList<QStringList> phonePaths;
    QList<QStringList> cardPaths;
    QList<QStringList> ipPaths;
};

bool isIpv4(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$"));
    const auto m = re.match(s);
    if (!m.hasMatch()) {
        return false;
    }
    for (int i = 1; i <= 4; ++i) {
        if (m.captured(i).toInt() > 255) {
            return false;
        }
    }
    return true;
}

bool isIpv6(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("^[0-9A-Fa-f:]+$"));
    if (s.count(QLatin1Char(':')) < 2 || s.size() < 3 || s.size() > 39 || !re.match(s).hasMatch()) {
        return false;
    }
    const QStringList groups = s.split(QLatin1Char(':'));
    const int empties = int(std::count_if(groups.begin(), groups.end(), [](const QString& g) { return g.isEmpty(); }));
    const bool allShort = std::all_of(groups.begin(), groups.end(), [](const QString& g) { return g.size() <= 4; });
    return allShort && (s.contains(QStringLiteral("::")) ? groups.size() <= 8 : groups.size() == 8 && empties == 0);
}

// Remembers where a hit is; a payload full of hits gets a bounded list of locations.
void addPath(QList<QStringList>& paths, const QStringList& path)
{
    if (paths.size() < 16) {
        paths.append(path);
    }
}

void scanString(const QString& value, const QStringList& path, ValueScan& scan)
{
    static const QRegularExpression email(
        QStringLiteral("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"));
    static const QRegularExpression phone(QStringLiteral("^\\+?[0-9][0-9 ().-]{5,22}[0-9]$"));
    static const QRegularExpression card(QStringLiteral("^[0-9][0-9 -]{11,22}[0-9]$"));
    static const QRegularExpression isoDate(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}"));
    const QString v = value.trimmed();
    if (const auto m = email.match(v); m.hasMatch()) {
        scan.emails << m.captured(0);
        addPath(scan.emailPaths, path);
    }
    if (isIpv4(v) || isIpv6(v)) {
        scan.ips << v;
        addPath(scan.ipPaths, path);
        return;
    }
    QString digits = v;
    digits.remove(QRegularExpression(QStringLiteral("[^0-9]")));
    if (card.match(v).hasMatch() && digits.size() >= 13 && digits.size() <= 19 && luhnValid(digits)) {
        scan.cards << v;
        addPath(scan.cardPaths, path);
        return;
    }
    const bool formatted = v.startsWith(QLatin1Char('+')) || v.contains(QLatin1Char(' ')) ||
                           v.contains(QLatin1Char('-')) || v.contains(QLatin1Char('('));
    if (phone.match(v).hasMatch() && formatted && digits.size() >= 7 && digits.size() <= 15 &&
        !isoDate.match(v).hasMatch()) {
        scan.phones << v;
        addPath(scan.phonePaths, path);
    }
}

void scanValue(const QJsonValue& value, QStringList& path, ValueScan& scan, int depth)
{
    if (depth > limits::maxJsonDepth) {
        return;
    }
    if (value.isString()) {
        scanString(value.toString(), path, scan);
    } else if (value.isArray()) {
        const QJsonArray list = value.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            path.append(QString::number(i));
            scanValue(list.at(i), path, scan, depth + 1);
            path.removeLast();
        }
    } else if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            path.append(it.key());
            if (sensitiveName(it.key())) {
                if (!scan.secretNames.contains(it.key())) {
                    scan.secretNames << it.key();
                }
                addPath(scan.secretPaths, path);
            }
            scanValue(it.value(), path, scan, depth + 1);
            path.removeLast();
        }
    }
}

QString listed(const QStringList& items)
{
    QStringList quoted;
    for (const QString& s : items.mid(0, 3)) {
        quoted << QStringLiteral("\"%1\"").arg(s);
    }
    return quoted.join(QStringLiteral(", ")) + (items.size() > 3 ? QStringLiteral(", …") : QString());
}

void ruleSensitiveData(const Context& c)
{
    if (!c.claims.isObject()) {
        return;
    }
    ValueScan scan;
    QStringList path;
    scanValue(c.payloadTree, path, scan, 0);
    const QString readable = QStringLiteral("anyone holding the token can read it (the payload is only base64url).");
    if (!scan.secretNames.isEmpty()) {
        c.add("JWT-PII-SECRET",
              QStringLiteral("The payload has members named like secrets (%1): %2")
                  .arg(listed(scan.secretNames), readable),
              c.members(1, scan.secretPaths));
    }
    if (!scan.cards.isEmpty()) {
        c.add("JWT-PII-CARD",
              QStringLiteral("The payload holds what looks like a card number (%1): %2")
                  .arg(listed(scan.cards), readable),
              c.members(1, scan.cardPaths));
    }
    if (!scan.emails.isEmpty()) {
        c.add("JWT-PII-EMAIL",
              QStringLiteral("The payload holds an e-mail address (%1): %2").arg(listed(scan.emails), readable),
              c.members(1, scan.emailPaths));
    }
    if (!scan.phones.isEmpty()) {
        c.add("JWT-PII-PHONE",
              QStringLiteral("The payload holds a phone number (%1): %2").arg(listed(scan.phones), readable),
              c.members(1, scan.phonePaths));
    }
    if (!scan.ips.isEmpty()) {
        c.add("JWT-PII-IP", QStringLiteral("The payload holds an IP address (%1): %2").arg(listed(scan.ips), readable),
              c.members(1, scan.ipPaths));
    }
}

void rulePayloadShape(const Context& c)
{
    if (!c.claims.isObject()) {
        c.add("JWT-PAYLOAD-NOT-OBJECT",
              QStringLiteral("The payload is not a JSON object, so it carries no claims to check."), {c.segment(1)});
    }
}

} // namespace

const QList<LintRule>& lintRules()
{
    static const QList<LintRule> rules = buildRules() + jweLintRules();
    return rules;
}

const LintRule* findRule(const QString& id)
{
    for (const auto& r : lintRules()) {
        if (r.id == id) {
            return &r;
        }
    }
    return nullptr;
}

Finding ruleFinding(const char* id, const QString& message, QList<FindingLocation> where)
{
    const LintRule* rule = findRule(QString::fromLatin1(id));
    Q_ASSERT_X(rule, "ruleFinding", id);
    if (rule == nullptr) { // an id missing from the rule table is a bug: keep the finding rather than crash
        return {QString::fromLatin1(id), Severity::Info, message, {}, std::move(where)};
    }
    return {rule->id, rule->severity, message, rule->reference, std::move(where)};
}

bool luhnValid(QStringView digits)
{
    int sum = 0;
    bool twice = false;
    for (qsizetype i = digits.size() - 1; i >= 0; --i) {
        const QChar ch = digits[i];
        if (!ch.isDigit()) {
            return false;
        }
        int d = ch.digitValue();
        if (twice) {
            d *= 2;
            d = d > 9 ? d - 9 : d;
        }
        sum += d;
        twice = !twice;
    }
    return !digits.isEmpty() && sum % 10 == 0;
}

std::pair<qsizetype, qsizetype> base64CharRange(qsizetype offset, qsizetype length)
{
    // Byte i holds bits 8i..8i+7; character j carries bits 6j..6j+5.
    if (length <= 0) {
        return {offset * 8 / 6, offset * 8 / 6};
    }
    return {offset * 8 / 6, ((offset + length) * 8 - 1) / 6 + 1};
}

QString referenceUrl(const QString& reference)
{
    static const QRegularExpression rfc(QStringLiteral("^RFC (\\d+)(?: §([0-9.]+))?"));
    static const QRegularExpression cve(QStringLiteral("^CVE-\\d{4}-\\d+$"));
    if (const auto m = rfc.match(reference); m.hasMatch()) {
        const QString base = QStringLiteral("https://www.rfc-editor.org/rfc/rfc%1").arg(m.captured(1));
        return m.captured(2).isEmpty() ? base : base + QStringLiteral("#section-") + m.captured(2);
    }
    if (cve.match(reference).hasMatch()) {
        return QStringLiteral("https://www.cve.org/CVERecord?id=") + reference;
    }
    if (reference == owasp) {
        return QStringLiteral(
            "https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html");
    }
    return {};
}

namespace {

void sortFindings(QList<Finding>& out)
{
    const auto order = [](const Finding& f) {
        const auto& rules = lintRules();
        return std::find_if(rules.begin(), rules.end(), [&f](const LintRule& r) { return r.id == f.id; }) -
               rules.begin();
    };
    std::stable_sort(out.begin(), out.end(), [&](const Finding& a, const Finding& b) {
        return a.severity != b.severity ? a.severity > b.severity : order(a) < order(b);
    });
}

// A JWE: the JWE rules (JweLint.cpp), located in the protected header (compact) or the whole token (JSON).
Result<QList<Finding>> lintJweToken(QByteArrayView text, const std::optional<jose::CompactToken>& token,
                                    const LintOptions& options)
{
    Result<QList<Finding>> found;
    if (!token) {
        const qsizetype size = text.size();
        found = lintJwe(text, options, [size](const QString&) {
            return FindingLocation{QStringLiteral("token"), {}, -1, 0, 0, size};
        });
    } else {
        const jose::JsonScan headerScan = jose::scanJson(token->header);
        const jose::JsonScan none = jose::scanJson(QByteArrayView());
        const jose::JsonObjectView header(token->header, headerScan);
        const jose::JsonObjectView claims(QByteArrayView(), none);
        const QJsonObject tree;
        QList<Finding> unused;
        const Context c{*token, headerScan, header, none, claims, tree, options, unused};
        found = lintJwe(text, options, [&c](const QString& member) {
            return member.isEmpty() ? c.segment(0) : c.member(0, {member});
        });
    }
    if (found) {
        sortFindings(*found);
    }
    return found;
}

} // namespace

Result<QList<Finding>> lintToken(QByteArrayView text, const LintOptions& options)
{
    if (!text.isEmpty() && text.front() == '{') {
        return lintJweToken(text, std::nullopt, options);
    }
    auto token = jose::parseCompact(text);
    if (!token) {
        return std::unexpected(token.error());
    }
    if (token->kind == jose::TokenKind::Jwe) {
        return lintJweToken(text, *token, options);
    }
    const jose::JsonScan headerScan = jose::scanJson(token->header);
    if (headerScan.error || !headerScan.topLevelIsObject) {
        return fail(ErrorCode::BadJson, QStringLiteral("The header is not a JSON object: %1")
                                            .arg(headerScan.error ? jose::toError(*headerScan.error).message
                                                                  : QStringLiteral("The JSON text is not an object.")));
    }
    const jose::JsonScan payloadScan = jose::scanJson(token->payload);
    if (payloadScan.error && payloadScan.error->kind != jose::JsonErrorKind::Syntax) {
        return fail(jose::toError(*payloadScan.error).code,
                    QStringLiteral("The payload is not usable: %1").arg(jose::toError(*payloadScan.error).message));
    }
    const jose::JsonObjectView header(token->header, headerScan);
    const jose::JsonObjectView claims(token->payload, payloadScan);
    QJsonObject tree;
    if (claims.isObject()) {
        tree = jose::parseObject(token->payload, payloadScan).value_or(QJsonObject());
    }
    QList<Finding> out;
    const Context c{*token, headerScan, header, payloadScan, claims, tree, options, out};
    using Rule = void (*)(const Context&);
    for (Rule rule : {ruleAlg, ruleKeyStrength, ruleTyp, ruleCrit, ruleKeyHeaders, ruleKid, ruleNested, ruleDuplicates,
                      ruleBase64, ruleSize, rulePayloadShape, ruleTimes, ruleIdentity, ruleSensitiveData}) {
        rule(c);
    }
    sortFindings(out);
    return out;
}

} // namespace tb::audit
