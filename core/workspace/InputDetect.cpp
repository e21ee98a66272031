#include "InputDetect.h"

#include <algorithm>

#include <QJsonArray>
#include <QJsonObject>

#include "base/Bytes.h"
#include "base/Limits.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"

namespace tb::workspace {

namespace {

bool startsWithNoCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && text.first(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

DetectedInput asToken(QByteArrayView text, const QString& source)
{
    const QByteArrayView t = bytes::trimmed(text);
    if (t.isEmpty() || t.contains(' ')) {
        return {};
    }
    const auto parsed = jose::parseCompact(t);
    if (!parsed) {
        return {};
    }
    return {parsed->kind == jose::TokenKind::Jwe ? InputKind::Jwe : InputKind::Jws, t.toByteArray(), source};
}

DetectedInput fromCookies(QByteArrayView list, const QString& header)
{
    for (const QByteArray& part : list.toByteArray().split(';')) {
        const qsizetype eq = part.indexOf('=');
        if (eq <= 0) {
            continue;
        }
        QByteArrayView value = bytes::trimmed(QByteArrayView(part).sliced(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.sliced(1, value.size() - 2);
        }
        const QString name = QString::fromUtf8(bytes::trimmed(QByteArrayView(part).first(eq)));
        DetectedInput found = asToken(value, QStringLiteral("cookie '%1' of a %2 header").arg(name, header));
        if (found.kind != InputKind::Unknown) {
            return found;
        }
    }
    return {};
}

// "Name: value" with an HTTP token as the name, or a status line: what a copied header block holds.
bool isHeaderLine(QByteArrayView line)
{
    if (startsWithNoCase(line, "HTTP/")) {
        return true;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0) {
        return false;
    }
    return std::all_of(line.begin(), line.begin() + colon, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// The header lines of a pasted block (a body or stray text is left out), one a line.
QByteArray headerLines(const QList<QByteArray>& lines)
{
    QByteArray out;
    for (const QByteArray& rawLine : lines) {
        const QByteArrayView line = bytes::trimmed(rawLine);
        if (isHeaderLine(line)) {
            out += line;
            out += '\n';
        }
    }
    out.chop(1);
    return out;
}

} // namespace

DetectedInput detectInput(QByteArrayView text)
{
    if (std::size_t(text.size()) > limits::maxTokenBytes) {
        return {};
    }
    const QByteArrayView t = bytes::trimmed(text);
    if (t.startsWith("-----BEGIN ")) {
        return {InputKind::Pem, t.toByteArray(), QStringLiteral("a PEM block")};
    }
    if (t.startsWith('{')) {
        const auto object = jose::parseObject(t);
        if (!object) {
            return {};
        }
        if (object->value(QStringLiteral("keys")).isArray()) {
            return {InputKind::Jwks, t.toByteArray(), QStringLiteral("a JWK Set")};
        }
        if (object->value(QStringLiteral("kty")).isString()) {
            return {InputKind::Jwk, t.toByteArray(), QStringLiteral("a JWK")};
        }
        return {};
    }
    // Headers may come as a block of several lines (copied from a proxy): look at each.
    const QList<QByteArray> lines = t.toByteArray().split('\n');
    int setCookieLines = 0;
    int cookieLines = 0;
    for (const QByteArray& rawLine : lines) {
        const QByteArrayView line = bytes::trimmed(rawLine);
        if (startsWithNoCase(line, "authorization:")) {
            QByteArrayView value = bytes::trimmed(line.sliced(14));
            if (startsWithNoCase(value, "bearer ")) {
                value = value.sliced(7);
            }
            DetectedInput found = asToken(value, QStringLiteral("an Authorization header"));
            if (found.kind != InputKind::Unknown) {
                return found;
            }
        } else if (startsWithNoCase(line, "set-cookie:")) {
            const QByteArrayView value = line.sliced(11);
            setCookieLines += bytes::trimmed(value).isEmpty() ? 0 : 1;
            const qsizetype semi = value.indexOf(';');
            DetectedInput found = fromCookies(semi < 0 ? value : value.first(semi), QStringLiteral("Set-Cookie"));
            if (found.kind != InputKind::Unknown) {
                return found;
            }
        } else if (startsWithNoCase(line, "cookie:")) {
            cookieLines += bytes::trimmed(line.sliced(7)).isEmpty() ? 0 : 1;
            DetectedInput found = fromCookies(line.sliced(7), QStringLiteral("Cookie"));
            if (found.kind != InputKind::Unknown) {
                return found;
            }
        }
    }
    // No token in them: the cookie headers themselves are the input (the cookie analyser's).
    if (setCookieLines > 0) {
        return {InputKind::SetCookieHeader, headerLines(lines),
                setCookieLines == 1 ? QStringLiteral("a Set-Cookie header")
                                    : QStringLiteral("%1 Set-Cookie headers").arg(setCookieLines)};
    }
    if (cookieLines > 0) {
        return {InputKind::CookieHeader, headerLines(lines), QStringLiteral("a Cookie header")};
    }
    if (startsWithNoCase(t, "bearer ")) {
        return asToken(t.sliced(7), QStringLiteral("a Bearer credential"));
    }
    QByteArrayView bare = t;
    if (bare.size() >= 2 && bare.front() == '"' && bare.back() == '"') {
        bare = bare.sliced(1, bare.size() - 2);
    }
    return asToken(bare, QStringLiteral("the pasted text"));
}

} // namespace tb::workspace
