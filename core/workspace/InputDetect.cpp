#include "InputDetect.h"

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
            const qsizetype semi = value.indexOf(';');
            DetectedInput found = fromCookies(semi < 0 ? value : value.first(semi), QStringLiteral("Set-Cookie"));
            if (found.kind != InputKind::Unknown) {
                return found;
            }
        } else if (startsWithNoCase(line, "cookie:")) {
            DetectedInput found = fromCookies(line.sliced(7), QStringLiteral("Cookie"));
            if (found.kind != InputKind::Unknown) {
                return found;
            }
        }
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
