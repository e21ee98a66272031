#include "TokenDiff.h"

#include <algorithm>
#include <cmath>

#include <QJsonObject>

#include "base/Bytes.h"
#include "inspect/JsonTree.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

namespace tb::inspect {

namespace {

void diffNodes(const JsonNode& a, const JsonNode& b, const QString& path, QList<Change>& out)
{
    if (a.isObject() && b.isObject()) {
        for (qsizetype i = 0; i < a.keys.size(); ++i) {
            const QString p = path + u'/' + pointerToken(a.keys[i]);
            if (const JsonNode* other = b.member(a.keys[i])) {
                diffNodes(a.children[i], *other, p, out);
            } else {
                out.append(Change{p, Change::Op::Removed, a.children[i].compact, {}});
            }
        }
        for (qsizetype i = 0; i < b.keys.size(); ++i) {
            if (!a.member(b.keys[i])) {
                out.append(Change{path + u'/' + pointerToken(b.keys[i]), Change::Op::Added, {}, b.children[i].compact});
            }
        }
        return;
    }
    if (a.compact != b.compact) {
        out.append(Change{path, Change::Op::Changed, a.compact, b.compact});
    }
}

// A payload that is not JSON is compared as a whole: a JSON string of its text (or of its hex when binary).
QByteArray payloadValue(const QByteArray& payload, const std::optional<JsonNode>& tree)
{
    if (tree) {
        return tree->compact;
    }
    const QString text = QString::fromUtf8(payload);
    if (text.toUtf8() == payload) {
        return jose::jsonQuote(text);
    }
    return jose::jsonQuote(QStringLiteral("hex:") + QString::fromLatin1(payload.toHex()));
}

struct Side
{
    jose::CompactToken token;
    JsonNode header;
    std::optional<JsonNode> payload; // JWS with a payload that is valid JSON
    QString thumbprint;
};

Result<Side> readSide(QByteArrayView text, const keys::Key* key, const QString& label)
{
    auto token = jose::parseCompact(bytes::trimmed(text));
    if (!token) {
        Error e = token.error();
        e.message = QStringLiteral("Token %1: %2").arg(label, e.message);
        return std::unexpected(e);
    }
    auto header = parseJsonTree(token->header);
    if (!header) {
        Error e = header.error();
        e.message = QStringLiteral("Token %1: the header: %2").arg(label, e.message);
        return std::unexpected(e);
    }
    if (!header->isObject()) {
        return fail(ErrorCode::BadJson,
                    QStringLiteral("Token %1: the header is valid JSON but not an object; a JOSE header must be a "
                                   "JSON object.")
                        .arg(label));
    }
    Side side{std::move(*token), std::move(*header), std::nullopt, {}};
    if (side.token.kind == jose::TokenKind::Jws && !side.token.payload.isEmpty()) {
        auto payload = parseJsonTree(side.token.payload);
        if (payload) {
            side.payload = std::move(*payload);
        } else if (payload.error().code != ErrorCode::BadJson) {
            Error e = payload.error();
            e.message = QStringLiteral("Token %1: the payload: %2").arg(label, e.message);
            return std::unexpected(e);
        }
    }
    if (key) {
        side.thumbprint = key->thumbprint();
    } else if (const JsonNode* jwk = side.header.member(QStringLiteral("jwk")); jwk && jwk->isObject()) {
        if (auto object = jose::parseObject(jwk->compact)) {
            if (auto imported = keys::importJwk(*object)) {
                side.thumbprint = (*imported)->thumbprint();
            }
        }
    }
    return side;
}

std::optional<double> numberMember(const std::optional<JsonNode>& payload, const QString& name)
{
    if (!payload || !payload->isObject()) {
        return std::nullopt;
    }
    const JsonNode* n = payload->member(name);
    if (!n || n->type != JsonNode::Type::Number) {
        return std::nullopt;
    }
    bool ok = false;
    const double v = n->compact.toDouble(&ok);
    return ok && std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

std::optional<double> lifetime(const std::optional<JsonNode>& payload)
{
    const auto exp = numberMember(payload, QStringLiteral("exp"));
    auto start = numberMember(payload, QStringLiteral("iat"));
    if (!start) {
        start = numberMember(payload, QStringLiteral("nbf"));
    }
    return exp && start ? std::optional<double>(*exp - *start) : std::nullopt;
}

QStringList segmentNames(jose::TokenKind kind)
{
    if (kind == jose::TokenKind::Jwe) {
        return {QStringLiteral("header"), QStringLiteral("encrypted_key"), QStringLiteral("iv"),
                QStringLiteral("ciphertext"), QStringLiteral("tag")};
    }
    return {QStringLiteral("header"), QStringLiteral("payload"), QStringLiteral("signature")};
}

QByteArray rawMember(const JsonNode& header, const QString& name)
{
    const JsonNode* n = header.member(name);
    return n ? n->compact : QByteArray();
}

QString kindName(jose::TokenKind kind)
{
    return kind == jose::TokenKind::Jwe ? QStringLiteral("JWE") : QStringLiteral("JWS");
}

} // namespace

QString opName(Change::Op op)
{
    switch (op) {
    case Change::Op::Added:
        return QStringLiteral("added");
    case Change::Op::Removed:
        return QStringLiteral("removed");
    case Change::Op::Changed:
        break;
    }
    return QStringLiteral("changed");
}

Result<TokenDiff> diffTokens(QByteArrayView a, QByteArrayView b, const keys::Key* keyA, const keys::Key* keyB)
{
    auto sa = readSide(a, keyA, QStringLiteral("A"));
    if (!sa) {
        return std::unexpected(sa.error());
    }
    auto sb = readSide(b, keyB, QStringLiteral("B"));
    if (!sb) {
        return std::unexpected(sb.error());
    }
    TokenDiff d;
    d.identical = sa->token.raw == sb->token.raw;
    d.kindA = kindName(sa->token.kind);
    d.kindB = kindName(sb->token.kind);
    diffNodes(sa->header, sb->header, QString(), d.header);
    const bool jwsA = sa->token.kind == jose::TokenKind::Jws;
    const bool jwsB = sb->token.kind == jose::TokenKind::Jws;
    if (jwsA && jwsB) {
        if (sa->payload && sb->payload) {
            diffNodes(*sa->payload, *sb->payload, QString(), d.payload);
        } else if (sa->token.payload != sb->token.payload) {
            d.payload.append(Change{QString(), Change::Op::Changed, payloadValue(sa->token.payload, sa->payload),
                                    payloadValue(sb->token.payload, sb->payload)});
        }
    } else if (jwsA != jwsB) {
        d.notes << QStringLiteral("A is a %1 and B a %2: only their headers and segments are compared.")
                       .arg(d.kindA, d.kindB);
    } else {
        d.notes << QStringLiteral("Both are JWEs: the payloads are encrypted, so only the protected headers and the "
                                  "segments are compared.");
    }
    d.algA = rawMember(sa->header, QStringLiteral("alg"));
    d.algB = rawMember(sb->header, QStringLiteral("alg"));
    d.kidA = rawMember(sa->header, QStringLiteral("kid"));
    d.kidB = rawMember(sb->header, QStringLiteral("kid"));
    d.sameAlg = d.algA == d.algB;
    d.sameKid = d.kidA == d.kidB;
    d.thumbprintA = sa->thumbprint;
    d.thumbprintB = sb->thumbprint;
    if (!d.thumbprintA.isEmpty() && !d.thumbprintB.isEmpty()) {
        d.sameKey = d.thumbprintA == d.thumbprintB;
    }

    for (const QString& name : {QStringLiteral("iat"), QStringLiteral("nbf"), QStringLiteral("exp")}) {
        TimeDelta t{name, numberMember(sa->payload, name), numberMember(sb->payload, name)};
        if (t.a || t.b) {
            d.times.append(t);
        }
    }
    TimeDelta life{QStringLiteral("lifetime"), lifetime(sa->payload), lifetime(sb->payload)};
    if (life.a || life.b) {
        d.times.append(life);
    }

    const QStringList namesA = segmentNames(sa->token.kind);
    const qsizetype count = std::max(sa->token.segments.size(), sb->token.segments.size());
    const QStringList names = sa->token.kind == sb->token.kind
                                  ? namesA
                                  : QStringList{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2"),
                                                QStringLiteral("3"), QStringLiteral("4")};
    for (qsizetype i = 0; i < count; ++i) {
        const QByteArray x = sa->token.segments.value(i);
        const QByteArray y = sb->token.segments.value(i);
        SegmentDiff s{names[i], x.size(), y.size(), -1};
        if (x != y) {
            const qsizetype n = std::min(x.size(), y.size());
            qsizetype k = 0;
            while (k < n && x[k] == y[k]) {
                ++k;
            }
            s.firstDiff = k;
        }
        d.segments.append(s);
    }

    if (!d.identical && d.header.isEmpty() && d.payload.isEmpty() && jwsA && jwsB) {
        const bool headerBytes = sa->token.header != sb->token.header;
        const bool payloadBytes = sa->token.payload != sb->token.payload;
        if (headerBytes || payloadBytes) {
            d.notes << QStringLiteral("Same members and values, but the JSON text differs (key order or spacing).");
        } else if (sa->token.segments[0] != sb->token.segments[0] || sa->token.segments[1] != sb->token.segments[1]) {
            d.notes << QStringLiteral("Same decoded bytes, different base64url text (padding or non-canonical "
                                      "final characters).");
        } else {
            d.notes << QStringLiteral("Only the signature differs.");
        }
    }
    return d;
}

namespace {

QByteArray optionalJson(const std::optional<double>& v)
{
    return v ? numberJson(*v) : QByteArray("null");
}

QByteArray orNull(const QByteArray& v)
{
    return v.isEmpty() ? QByteArray("null") : v;
}

QByteArray changesJson(const QList<Change>& changes)
{
    QByteArray out = "[";
    for (qsizetype i = 0; i < changes.size(); ++i) {
        const Change& c = changes[i];
        out +=
            (i ? ",{\"path\":" : "{\"path\":") + jose::jsonQuote(c.path) + ",\"op\":" + jose::jsonQuote(opName(c.op));
        // Both values always present: null for the side where the member is absent.
        out += ",\"a\":" + orNull(c.a) + ",\"b\":" + orNull(c.b) + '}';
    }
    return out + ']';
}

} // namespace

QByteArray diffToJson(const TokenDiff& d)
{
    QByteArray out = "{\"identical\":";
    out += d.identical ? "true" : "false";
    out += ",\"kind_a\":" + jose::jsonQuote(d.kindA) + ",\"kind_b\":" + jose::jsonQuote(d.kindB);
    out += ",\"header\":" + changesJson(d.header);
    out += ",\"payload\":" + changesJson(d.payload);
    out += ",\"same_alg\":";
    out += d.sameAlg ? "true" : "false";
    out += ",\"same_kid\":";
    out += d.sameKid ? "true" : "false";
    out += ",\"alg\":{\"a\":" + orNull(d.algA) + ",\"b\":" + orNull(d.algB) + '}';
    out += ",\"kid\":{\"a\":" + orNull(d.kidA) + ",\"b\":" + orNull(d.kidB) + '}';
    out += ",\"same_key\":";
    out += d.sameKey ? (*d.sameKey ? "true" : "false") : "null";
    out += ",\"thumbprint\":{\"a\":" + (d.thumbprintA.isEmpty() ? QByteArray("null") : jose::jsonQuote(d.thumbprintA)) +
           ",\"b\":" + (d.thumbprintB.isEmpty() ? QByteArray("null") : jose::jsonQuote(d.thumbprintB)) + '}';
    out += ",\"times\":{";
    for (qsizetype i = 0; i < d.times.size(); ++i) {
        const TimeDelta& t = d.times[i];
        out += (i ? "," : "") + jose::jsonQuote(t.name) + ":{\"a\":" + optionalJson(t.a) +
               ",\"b\":" + optionalJson(t.b) + ",\"delta\":" + optionalJson(t.delta()) + '}';
    }
    out += "},\"segments\":{";
    for (qsizetype i = 0; i < d.segments.size(); ++i) {
        const SegmentDiff& s = d.segments[i];
        out += (i ? "," : "") + jose::jsonQuote(s.name) + ":{\"equal\":" + (s.equal() ? "true" : "false") +
               ",\"length_a\":" + QByteArray::number(s.lengthA) + ",\"length_b\":" + QByteArray::number(s.lengthB) +
               ",\"first_diff\":" + (s.equal() ? QByteArray("null") : QByteArray::number(s.firstDiff)) + '}';
    }
    out += "},\"notes\":[";
    for (qsizetype i = 0; i < d.notes.size(); ++i) {
        out += (i ? "," : "") + jose::jsonQuote(d.notes[i]);
    }
    return out + "]}\n";
}

namespace {

QString shown(const QByteArray& value)
{
    return value.isEmpty() ? QStringLiteral("(absent)") : QString::fromUtf8(value);
}

QString signedDuration(double seconds)
{
    if (seconds == 0) {
        return QStringLiteral("0 s");
    }
    return (seconds > 0 ? QStringLiteral("+") : QStringLiteral("-")) + validate::formatDuration(std::fabs(seconds));
}

void changesText(const QString& title, const QList<Change>& changes, QString& out)
{
    out += title + u'\n';
    if (changes.isEmpty()) {
        out += QStringLiteral("  (no differences)\n");
        return;
    }
    qsizetype width = 0;
    for (const Change& c : changes) {
        width = std::max(width, c.path.isEmpty() ? qsizetype(3) : c.path.size());
    }
    for (const Change& c : changes) {
        out += QStringLiteral("  %1  %2  %3  ->  %4\n")
                   .arg((c.path.isEmpty() ? QStringLiteral("(whole)") : c.path).leftJustified(width),
                        opName(c.op).leftJustified(7), shown(c.a), shown(c.b));
    }
}

QString timeCell(const TimeDelta& t, const std::optional<double>& v)
{
    if (!v) {
        return QStringLiteral("(absent)");
    }
    if (t.name == QStringLiteral("lifetime")) {
        return validate::formatDuration(*v);
    }
    const QString utc = bytes::utcString(*v);
    return QString::fromLatin1(numberJson(*v)) + (utc.isEmpty() ? QString() : QStringLiteral(" ") + utc);
}

} // namespace

QByteArray diffToText(const TokenDiff& d)
{
    QString out;
    if (d.identical) {
        out += QStringLiteral("The tokens are byte-identical (%1).\n").arg(d.kindA);
    } else {
        out += QStringLiteral("The tokens differ (A: %1, B: %2).\n").arg(d.kindA, d.kindB);
    }
    for (const QString& n : d.notes) {
        out += QStringLiteral("Note: ") + n + u'\n';
    }
    out += u'\n';
    changesText(QStringLiteral("Header (A -> B):"), d.header, out);
    if (d.kindA == QStringLiteral("JWS") && d.kindB == QStringLiteral("JWS")) {
        out += u'\n';
        changesText(QStringLiteral("Payload (A -> B):"), d.payload, out);
    }
    if (!d.times.isEmpty()) {
        out += QStringLiteral("\nTimes:\n  %1  %2  %3  B - A\n")
                   .arg(QStringLiteral("claim").leftJustified(8), QStringLiteral("A").leftJustified(32),
                        QStringLiteral("B").leftJustified(32));
        for (const TimeDelta& t : d.times) {
            const auto delta = t.delta();
            out += QStringLiteral("  %1  %2  %3  %4\n")
                       .arg(t.name.leftJustified(8), timeCell(t, t.a).leftJustified(32),
                            timeCell(t, t.b).leftJustified(32), delta ? signedDuration(*delta) : QStringLiteral("-"));
        }
    }
    out += QStringLiteral("\nSame alg: %1 (A %2, B %3)\n")
               .arg(d.sameAlg ? QStringLiteral("yes") : QStringLiteral("no"), shown(d.algA), shown(d.algB));
    out += QStringLiteral("Same kid: %1 (A %2, B %3)\n")
               .arg(d.sameKid ? QStringLiteral("yes") : QStringLiteral("no"), shown(d.kidA), shown(d.kidB));
    if (d.sameKey) {
        out += QStringLiteral("Same key: %1 (thumbprints A %2, B %3)\n")
                   .arg(*d.sameKey ? QStringLiteral("yes") : QStringLiteral("no"), d.thumbprintA, d.thumbprintB);
    } else {
        out += QStringLiteral("Same key: unknown (give both keys to compare thumbprints)\n");
    }
    out += QStringLiteral("\nSegments (base64url text):\n");
    qsizetype width = 0;
    for (const SegmentDiff& s : d.segments) {
        width = std::max(width, s.name.size());
    }
    for (const SegmentDiff& s : d.segments) {
        out += QStringLiteral("  %1  %2  A %3 chars, B %4 chars\n")
                   .arg(s.name.leftJustified(width),
                        (s.equal() ? QStringLiteral("equal") : QStringLiteral("differ at offset %1").arg(s.firstDiff))
                            .leftJustified(22))
                   .arg(s.lengthA)
                   .arg(s.lengthB);
    }
    return out.toUtf8();
}

} // namespace tb::inspect
