#include "Cookie.h"

#include <QDate>
#include <QDateTime>
#include <QTime>

#include "base/Bytes.h"

namespace tb::session {

namespace {

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

QByteArray trimWsp(QByteArrayView s)
{
    qsizetype b = 0;
    qsizetype e = s.size();
    while (b < e && isWsp(s[b])) {
        ++b;
    }
    while (e > b && isWsp(s[e - 1])) {
        --e;
    }
    return s.sliced(b, e - b).toByteArray();
}

bool hasCtl(QByteArrayView s)
{
    for (const char c : s) {
        const auto u = std::uint8_t(c);
        if ((u <= 0x08) || (u >= 0x0A && u <= 0x1F) || u == 0x7F) {
            return true;
        }
    }
    return false;
}

bool isDelimiter(char c)
{
    const auto u = std::uint8_t(c);
    return u == 0x09 || (u >= 0x20 && u <= 0x2F) || (u >= 0x3B && u <= 0x40) || (u >= 0x5B && u <= 0x60) ||
           (u >= 0x7B && u <= 0x7E);
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Leading 1..max digits of a token, followed by anything (the cookie-date grammar allows trailing junk).
std::optional<int> leadingDigits(QByteArrayView token, int minDigits, int maxDigits)
{
    int n = 0;
    while (n < token.size() && isDigit(token[n])) {
        ++n;
    }
    if (n < minDigits || n > maxDigits) {
        return std::nullopt;
    }
    return token.first(n).toInt();
}

std::optional<QTime> parseTimeToken(QByteArrayView token)
{
    const QList<QByteArray> parts = token.toByteArray().split(':');
    if (parts.size() != 3) {
        return std::nullopt;
    }
    const auto h = leadingDigits(parts[0], 1, 2);
    const auto m = leadingDigits(parts[1], 1, 2);
    const auto s = leadingDigits(parts[2], 1, 2);
    if (!h || !m || !s || parts[0].size() > 2 || parts[1].size() > 2) {
        return std::nullopt;
    }
    if (*h > 23 || *m > 59 || *s > 59) {
        return std::nullopt;
    }
    return QTime(*h, *m, *s);
}

int monthIndex(QByteArrayView token)
{
    static const char* const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};
    if (token.size() < 3) {
        return 0;
    }
    const QByteArray prefix = token.first(3).toByteArray().toLower();
    for (int i = 0; i < 12; ++i) {
        if (prefix == months[i]) {
            return i + 1;
        }
    }
    return 0;
}

bool equalsIgnoreCase(QByteArrayView a, const char* b)
{
    return a.compare(QByteArrayView(b), Qt::CaseInsensitive) == 0;
}

void applyAttribute(SetCookie& c, const CookieAttribute& a)
{
    if (a.value.size() > maxAttributeValueOctets) {
        return; // 6265bis: the attribute is ignored
    }
    const QByteArrayView n = a.name;
    if (equalsIgnoreCase(n, "Expires")) {
        c.expiresText = a.value;
        if (const auto t = parseCookieDate(a.value)) {
            c.expires = *t;
        }
    } else if (equalsIgnoreCase(n, "Max-Age")) {
        const QByteArray& v = a.value;
        if (v.isEmpty() || !(isDigit(v[0]) || v[0] == '-')) {
            return;
        }
        bool ok = false;
        const qint64 secs = v.toLongLong(&ok);
        if (ok) {
            c.maxAge = secs;
        } else if (v.size() > 1 && std::all_of(v.begin() + 1, v.end(), isDigit)) {
            c.maxAge = v[0] == '-' ? std::numeric_limits<qint64>::min() : std::numeric_limits<qint64>::max();
        }
    } else if (equalsIgnoreCase(n, "Domain")) {
        if (a.value.isEmpty()) {
            return;
        }
        QByteArray d = a.value.toLower();
        if (d.startsWith('.')) {
            d.remove(0, 1);
        }
        c.domain = d;
    } else if (equalsIgnoreCase(n, "Path")) {
        c.path = a.value;
    } else if (equalsIgnoreCase(n, "Secure")) {
        c.secure = true;
    } else if (equalsIgnoreCase(n, "HttpOnly")) {
        c.httpOnly = true;
    } else if (equalsIgnoreCase(n, "Partitioned")) {
        c.partitioned = true;
    } else if (equalsIgnoreCase(n, "SameSite")) {
        c.sameSiteText = a.value;
        c.sameSite = equalsIgnoreCase(a.value, "Strict") ? SameSite::Strict
                     : equalsIgnoreCase(a.value, "Lax")  ? SameSite::Lax
                     : equalsIgnoreCase(a.value, "None") ? SameSite::None
                                                         : SameSite::Unknown;
    }
}

} // namespace

const CookieAttribute* SetCookie::attribute(QByteArrayView attributeName) const
{
    for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
        if (equalsIgnoreCase(it->name, attributeName.toByteArray().constData())) {
            return &*it;
        }
    }
    return nullptr;
}

int SetCookie::attributeCount(QByteArrayView attributeName) const
{
    int n = 0;
    for (const CookieAttribute& a : attributes) {
        n += a.name.compare(attributeName, Qt::CaseInsensitive) == 0 ? 1 : 0;
    }
    return n;
}

std::optional<qint64> parseCookieDate(QByteArrayView text)
{
    std::optional<QTime> time;
    int day = 0;
    int month = 0;
    int year = -1;
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && isDelimiter(text[i])) {
            ++i;
        }
        qsizetype j = i;
        while (j < text.size() && !isDelimiter(text[j])) {
            ++j;
        }
        if (j == i) {
            break;
        }
        const QByteArrayView token = text.sliced(i, j - i);
        i = j;
        if (!time) {
            if (const auto t = parseTimeToken(token)) {
                time = t;
                continue;
            }
        }
        if (day == 0) {
            if (const auto d = leadingDigits(token, 1, 2)) {
                day = *d;
                continue;
            }
        }
        if (month == 0) {
            if (const int m = monthIndex(token)) {
                month = m;
                continue;
            }
        }
        if (year < 0) {
            if (const auto y = leadingDigits(token, 2, 4)) {
                year = *y;
                continue;
            }
        }
    }
    if (year >= 70 && year <= 99) {
        year += 1900;
    } else if (year >= 0 && year <= 69) {
        year += 2000;
    }
    if (!time || day < 1 || day > 31 || month == 0 || year < 1601) {
        return std::nullopt;
    }
    const QDate date(year, month, day);
    if (!date.isValid()) {
        return std::nullopt;
    }
    return QDateTime(date, *time, Qt::UTC).toSecsSinceEpoch();
}

bool isImfFixdate(QByteArrayView text)
{
    // "Sun, 06 Nov 1994 08:49:37 GMT": fixed widths, English names.
    static const char* const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    if (text.size() != 29 || text.sliced(3, 2) != ", " || text.sliced(25) != " GMT") {
        return false;
    }
    bool dayOk = false;
    for (const char* d : days) {
        dayOk = dayOk || text.first(3) == QByteArrayView(d);
    }
    const QByteArrayView rest = text.sliced(5, 20); // "06 Nov 1994 08:49:37"
    if (!dayOk || rest[2] != ' ' || rest[6] != ' ' || rest[11] != ' ' || rest[14] != ':' || rest[17] != ':') {
        return false;
    }
    for (const int k : {0, 1, 7, 8, 9, 10, 12, 13, 15, 16, 18, 19}) {
        if (!isDigit(rest[k])) {
            return false;
        }
    }
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    bool monthOk = false;
    for (const char* m : months) {
        monthOk = monthOk || rest.sliced(3, 3) == QByteArrayView(m);
    }
    return monthOk && parseCookieDate(text).has_value();
}

SetCookie parseSetCookie(QByteArrayView headerValue, int line)
{
    SetCookie c;
    c.raw = headerValue.toByteArray();
    c.line = line;
    c.hasControlChars = hasCtl(headerValue);
    const qsizetype semi = headerValue.indexOf(';');
    const QByteArrayView pair = semi < 0 ? headerValue : headerValue.first(semi);
    const qsizetype eq = pair.indexOf('=');
    if (eq < 0) {
        c.hasEquals = false;
        c.value = trimWsp(pair);
    } else {
        c.name = trimWsp(pair.first(eq));
        c.value = trimWsp(pair.sliced(eq + 1));
    }
    if (semi < 0) {
        return c;
    }
    const QList<QByteArray> parts = headerValue.sliced(semi + 1).toByteArray().split(';');
    for (const QByteArray& part : parts) {
        const qsizetype aeq = part.indexOf('=');
        CookieAttribute a;
        a.name = trimWsp(aeq < 0 ? QByteArrayView(part) : QByteArrayView(part).first(aeq));
        if (aeq >= 0) {
            a.value = trimWsp(QByteArrayView(part).sliced(aeq + 1));
            a.hasValue = true;
        }
        if (a.name.isEmpty() && !a.hasValue) {
            continue; // "; ;" or a trailing ';'
        }
        c.attributes.push_back(a);
        applyAttribute(c, a);
    }
    return c;
}

std::vector<CookiePair> parseCookieHeader(QByteArrayView headerValue)
{
    std::vector<CookiePair> pairs;
    for (const QByteArray& part : headerValue.toByteArray().split(';')) {
        const QByteArray item = trimWsp(part);
        if (item.isEmpty()) {
            continue;
        }
        const qsizetype eq = item.indexOf('=');
        pairs.push_back(
            eq < 0 ? CookiePair{QByteArray(), item}
                   : CookiePair{trimWsp(QByteArrayView(item).first(eq)), trimWsp(QByteArrayView(item).sliced(eq + 1))});
    }
    return pairs;
}

Result<CookieInput> parseCookieInput(QByteArrayView text)
{
    if (text.size() > maxCookieInputBytes) {
        return fail(
            ErrorCode::TooLarge,
            QStringLiteral("The input is larger than the %1-byte limit for cookie headers.").arg(maxCookieInputBytes));
    }
    CookieInput input;
    int lineNo = 0;
    for (const QByteArray& rawLine : text.toByteArray().split('\n')) {
        ++lineNo;
        QByteArray line = rawLine;
        if (line.endsWith('\r')) {
            line.chop(1);
        }
        if (bytes::trimmed(line).isEmpty()) {
            continue;
        }
        if (line.startsWith("HTTP/")) {
            input.fullResponse = true;
            continue;
        }
        // A header line has a token name before ':' (no '=' or space in it); anything else is a bare cookie.
        const qsizetype colon = line.indexOf(':');
        const QByteArray head = colon > 0 ? line.first(colon) : QByteArray();
        const bool isHeader = colon > 0 && !head.contains('=') && !head.contains(' ') && !head.contains(';');
        if (!isHeader) {
            // A bare "name=value; attributes" line; a line without '=' is neither a header nor a cookie.
            if (!line.contains('=')) {
                return fail(
                    ErrorCode::InvalidData,
                    QStringLiteral("Line %1 is neither a header nor a cookie (expected 'Set-Cookie: name=value; ...').")
                        .arg(lineNo));
            }
            input.setCookies.push_back(parseSetCookie(bytes::trimmed(line), lineNo));
            continue;
        }
        const QByteArray name = head.toLower();
        const QByteArrayView value = bytes::trimmed(QByteArrayView(line).sliced(colon + 1));
        if (name == "set-cookie") {
            input.setCookies.push_back(parseSetCookie(value, lineNo));
        } else if (name == "cookie") {
            input.cookieHeaders.push_back(parseCookieHeader(value));
        } else {
            input.otherHeaders.emplace_back(name, value.toByteArray());
            input.fullResponse = true;
        }
    }
    if (input.setCookies.empty() && input.cookieHeaders.empty()) {
        return fail(ErrorCode::InvalidData, QStringLiteral("No Set-Cookie or Cookie header found in the input."));
    }
    return input;
}

} // namespace tb::session
