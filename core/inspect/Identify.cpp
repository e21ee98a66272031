#include "Identify.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <zlib.h>

#include "base/Bytes.h"
#include "base/Limits.h"
#include "jose/Algorithm.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"

namespace tb::inspect {

namespace {

constexpr qsizetype maxBase62Chars = 4096;
constexpr qsizetype maxInflatedBytes = 1024 * 1024;
const char base62Alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool isB64UrlChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool isBase62Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool allOf(QByteArrayView text, bool (*pred)(char))
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), pred);
}

std::optional<QByteArray> b64url(QByteArrayView text)
{
    if (text.isEmpty()) {
        return QByteArray();
    }
    auto d = jose::base64UrlDecodeLenient(text);
    return d ? std::optional<QByteArray>(d->bytes) : std::nullopt;
}

// Standard or URL-safe base64, padded or not.
std::optional<QByteArray> b64any(QByteArrayView text)
{
    if (text.isEmpty()) {
        return std::nullopt;
    }
    for (const auto alphabet : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        auto r = QByteArray::fromBase64Encoding(text.toByteArray(), alphabet | QByteArray::AbortOnBase64DecodingErrors);
        if (r) {
            return r.decoded;
        }
    }
    return std::nullopt;
}

std::optional<quint64> base62Number(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 10) {
        return std::nullopt;
    }
    quint64 v = 0;
    for (const char c : text) {
        const char* at = std::strchr(base62Alphabet, c);
        if (!at || c == 0) {
            return std::nullopt;
        }
        v = v * 62 + quint64(at - base62Alphabet);
    }
    return v;
}

// Base62 to bytes (big-endian), as Branca encodes; bounded input.
std::optional<QByteArray> base62Decode(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > maxBase62Chars || !allOf(text, isBase62Char)) {
        return std::nullopt;
    }
    QByteArray out; // little-endian accumulator
    for (const char c : text) {
        int carry = int(std::strchr(base62Alphabet, c) - base62Alphabet);
        for (auto& byte : out) {
            const int v = int(static_cast<unsigned char>(byte)) * 62 + carry;
            byte = char(v & 0xff);
            carry = v >> 8;
        }
        while (carry) {
            out.append(char(carry & 0xff));
            carry >>= 8;
        }
    }
    for (const char c : text) { // leading zero characters stand for zero bytes
        if (c != '0') {
            break;
        }
        out.append('\0');
    }
    std::reverse(out.begin(), out.end());
    return out;
}

std::optional<QByteArray> inflate(QByteArrayView data, bool raw)
{
    z_stream s{};
    if (inflateInit2(&s, raw ? -15 : 15) != Z_OK) {
        return std::nullopt;
    }
    QByteArray out;
    std::array<char, 16384> chunk{};
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    s.avail_in = uInt(data.size());
    int rc = Z_OK;
    while (rc == Z_OK) {
        s.next_out = reinterpret_cast<Bytef*>(chunk.data());
        s.avail_out = uInt(chunk.size());
        rc = ::inflate(&s, Z_NO_FLUSH);
        out.append(chunk.data(), qsizetype(chunk.size() - s.avail_out));
        if (out.size() > maxInflatedBytes || (rc == Z_BUF_ERROR && s.avail_in == 0)) {
            break;
        }
    }
    inflateEnd(&s);
    return rc == Z_STREAM_END ? std::optional<QByteArray>(out) : std::nullopt;
}

quint64 bigEndian(QByteArrayView bytes)
{
    quint64 v = 0;
    for (const char c : bytes) {
        v = (v << 8) | static_cast<unsigned char>(c);
    }
    return v;
}

bool isJsonValue(QByteArrayView text)
{
    const auto scan = jose::scanJson(text);
    return !scan.error && !scan.tokens.isEmpty();
}

QJsonValue jsonOrText(const QByteArray& bytes)
{
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (doc.isObject()) {
        return doc.object();
    }
    if (doc.isArray()) {
        return doc.array();
    }
    const QString text = QString::fromUtf8(bytes);
    if (text.toUtf8() == bytes) {
        return text;
    }
    return QStringLiteral("hex:") + QString::fromLatin1(bytes.toHex());
}

QJsonObject timeJson(double epoch)
{
    return {{QStringLiteral("epoch"), epoch}, {QStringLiteral("utc"), bytes::utcString(epoch)}};
}

bool plausibleEpoch(double epoch)
{
    return epoch >= 946684800.0 && epoch <= 4102444800.0; // 2000-01-01 .. 2100-01-01
}

double shannonBitsPerChar(QByteArrayView text)
{
    std::array<int, 256> counts{};
    for (const char c : text) {
        ++counts[static_cast<unsigned char>(c)];
    }
    double h = 0;
    for (const int n : counts) {
        if (n) {
            const double p = double(n) / double(text.size());
            h -= p * std::log2(p);
        }
    }
    return h;
}

const QString notJwsCannot =
    QStringLiteral("It is not a JWT: tokenbench's verify, crack, attack, lint and malleate apply only to JWS tokens.");

// ---- JOSE ---------------------------------------------------------------------------------------------------

std::optional<Identification> identifyCompact(QByteArrayView text)
{
    const qsizetype dots = text.count('.');
    if (dots != 2 && dots != 4) {
        return std::nullopt;
    }
    auto token = jose::parseCompact(text);
    if (!token) {
        return std::nullopt;
    }
    const jose::JsonScan scan = jose::scanJson(token->header);
    if (scan.error || !scan.topLevelIsObject) {
        return std::nullopt;
    }
    const jose::JsonObjectView header(token->header, scan);
    const auto alg = header.string("alg");
    Identification id;
    id.details.insert(QStringLiteral("header"), jsonOrText(token->header));
    if (token->kind == jose::TokenKind::Jwe) {
        const auto enc = header.string("enc");
        if (!alg && !enc) {
            return std::nullopt;
        }
        id.kind = QStringLiteral("jwe");
        id.reason = QStringLiteral("Five base64url segments whose first decodes to a JOSE header with %1: a JWE in "
                                   "compact serialisation (RFC 7516).")
                        .arg(enc ? QStringLiteral("\"enc\": \"%1\"").arg(*enc) : QStringLiteral("\"alg\""));
        id.can << QStringLiteral("Show the protected header (alg, enc, kid, ...) with every member explained, and "
                                 "lint it.")
               << QStringLiteral("Decrypt it with the recipient's key (decrypt).");
        id.cannot << QStringLiteral("Read the claims without the key: the payload is encrypted.")
                  << QStringLiteral("Verify, crack or attack it as a JWS: there is no signature to check; an HMAC "
                                    "cracker on a JWE finds nothing.");
        id.actions << QStringLiteral("decode") << QStringLiteral("decrypt") << QStringLiteral("lint")
                   << QStringLiteral("diff");
        return id;
    }
    if (!alg) {
        return std::nullopt; // three segments but no alg: perhaps a look-alike (itsdangerous)
    }
    id.details.insert(QStringLiteral("alg"), *alg);
    if (isJsonValue(token->payload)) {
        id.details.insert(QStringLiteral("payload"), jsonOrText(token->payload));
    }
    if (*alg == QStringLiteral("none") || jose::isNoneVariant(*alg)) {
        id.kind = QStringLiteral("unsecured-jwt");
        id.reason = QStringLiteral("Three segments with the header \"alg\": \"%1\"%2: an unsecured JWT (RFC 7519 §6), "
                                   "nothing protects its claims.")
                        .arg(*alg, token->isUnsigned() ? QStringLiteral(" and an empty signature")
                                                       : QStringLiteral(" but a non-empty signature segment"));
        id.can << QStringLiteral("Decode and edit the claims; lint it; accept it only with an explicit --alg none.");
        id.cannot << QStringLiteral("Verify a signature or crack a secret: there is none.");
        id.actions << QStringLiteral("decode") << QStringLiteral("lint") << QStringLiteral("verify")
                   << QStringLiteral("attack") << QStringLiteral("diff");
        return id;
    }
    id.kind = QStringLiteral("jws");
    id.reason = QStringLiteral("Three base64url segments whose first decodes to a JOSE header with \"alg\": \"%1\": "
                               "a JWS in compact serialisation (RFC 7515).")
                    .arg(*alg);
    id.can << QStringLiteral("Decode, verify with a key, lint, craft attack variants and explore malleability.");
    id.actions << QStringLiteral("decode") << QStringLiteral("verify") << QStringLiteral("lint")
               << QStringLiteral("attack") << QStringLiteral("malleate") << QStringLiteral("diff");
    if (alg->startsWith(QStringLiteral("HS"))) {
        id.can << QStringLiteral("Search for a weak HMAC secret (crack).");
        id.actions << QStringLiteral("crack");
    } else {
        id.cannot << QStringLiteral("Crack it: only HMAC (HS*) secrets can be searched; %1 needs the signer's "
                                    "public key to verify.")
                         .arg(*alg);
    }
    return id;
}

std::optional<Identification> identifyJsonObject(QByteArrayView text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray());
    if (!doc.isObject()) {
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    Identification id;
    if (o.contains(QStringLiteral("ciphertext")) &&
        (o.contains(QStringLiteral("protected")) || o.contains(QStringLiteral("recipients")) ||
         o.contains(QStringLiteral("encrypted_key")))) {
        id.kind = QStringLiteral("jwe");
        id.reason = QStringLiteral("A JSON object with \"ciphertext\": a JWE in JSON serialisation (RFC 7516 §7.2).");
        id.details.insert(QStringLiteral("serialization"), QStringLiteral("json"));
        id.can << QStringLiteral("Show the joint header with every member explained, and lint it.")
               << QStringLiteral("Decrypt it with the key of one of its recipients (decrypt).");
        id.cannot << QStringLiteral("Read the claims without the key: the payload is encrypted.")
                  << QStringLiteral("Verify, crack or attack it: it is encrypted, not signed.");
        id.actions << QStringLiteral("decrypt") << QStringLiteral("lint");
        if (auto prot = b64url(o.value(QStringLiteral("protected")).toString().toLatin1())) {
            id.details.insert(QStringLiteral("protected"), jsonOrText(*prot));
        }
        return id;
    }
    if (o.contains(QStringLiteral("payload")) &&
        (o.value(QStringLiteral("signatures")).isArray() || o.contains(QStringLiteral("signature")))) {
        id.kind = QStringLiteral("jws-json");
        id.reason =
            QStringLiteral("A JSON object with \"payload\" and %1: a JWS in JSON serialisation (RFC 7515 §7.2).")
                .arg(o.contains(QStringLiteral("signatures")) ? QStringLiteral("\"signatures\"")
                                                              : QStringLiteral("\"signature\" (flattened)"));
        QJsonArray sigs = o.value(QStringLiteral("signatures")).toArray();
        if (sigs.isEmpty()) {
            sigs.append(o);
        }
        const QString payload = o.value(QStringLiteral("payload")).toString();
        QJsonArray compact;
        bool unprotected = false;
        for (const QJsonValue& s : std::as_const(sigs)) {
            const QJsonObject so = s.toObject();
            unprotected = unprotected || so.contains(QStringLiteral("header"));
            compact.append(so.value(QStringLiteral("protected")).toString() + u'.' + payload + u'.' +
                           so.value(QStringLiteral("signature")).toString());
        }
        id.details.insert(QStringLiteral("signatures"), qsizetype(sigs.size()));
        id.details.insert(QStringLiteral("compact"), compact);
        if (auto p = b64url(payload.toLatin1())) {
            id.details.insert(QStringLiteral("payload"), jsonOrText(*p));
        }
        id.can << QStringLiteral("Each signature rewritten as a compact JWS (details.compact) can be decoded, "
                                 "verified, linted and attacked.");
        if (unprotected) {
            id.cannot << QStringLiteral("Carry the unprotected \"header\" members into the compact form: they are "
                                        "not signed and are dropped.");
        }
        id.actions << QStringLiteral("verify") << QStringLiteral("lint") << QStringLiteral("decode");
        return id;
    }
    const bool v2 = o.value(QStringLiteral("v")).toInt() == 2 &&
                    (o.contains(QStringLiteral("i")) || o.contains(QStringLiteral("i64"))) &&
                    (o.contains(QStringLiteral("s")) || o.contains(QStringLiteral("s64")));
    const bool v1 = o.contains(QStringLiteral("identifier")) && o.contains(QStringLiteral("signature")) &&
                    (o.contains(QStringLiteral("caveats")) || o.contains(QStringLiteral("location")));
    if (v1 || v2) {
        id.kind = QStringLiteral("macaroon");
        id.reason = QStringLiteral("A JSON object with a macaroon's identifier and signature members (%1 JSON format).")
                        .arg(v2 ? QStringLiteral("v2") : QStringLiteral("v1"));
        id.details.insert(QStringLiteral("format"), v2 ? QStringLiteral("v2-json") : QStringLiteral("v1-json"));
        const QJsonArray caveats = o.value(v2 ? QStringLiteral("c") : QStringLiteral("caveats")).toArray();
        id.details.insert(QStringLiteral("caveats"), qsizetype(caveats.size()));
        id.details.insert(QStringLiteral("location"), o.value(v2 ? QStringLiteral("l") : QStringLiteral("location")));
        id.can << QStringLiteral("Show its location, identifier and caveats.");
        id.cannot << QStringLiteral("Verify its HMAC chain: that needs the root key and a macaroon library.")
                  << notJwsCannot;
        return id;
    }
    return std::nullopt;
}

// ---- look-alikes ---------------------------------------------------------------------------------------------

std::optional<Identification> identifyPaseto(QByteArrayView text)
{
    static const QRegularExpression re(
        QStringLiteral("^v([1-4])\\.(local|public)\\.([A-Za-z0-9_-]+)(?:\\.([A-Za-z0-9_-]+))?$"));
    const auto m = re.match(QString::fromLatin1(text));
    if (!m.hasMatch()) {
        return std::nullopt;
    }
    const int version = m.captured(1).toInt();
    const bool local = m.captured(2) == QStringLiteral("local");
    const auto body = b64url(m.captured(3).toLatin1());
    if (!body) {
        return std::nullopt;
    }
    Identification id;
    id.kind = QStringLiteral("paseto");
    id.reason =
        QStringLiteral("The prefix \"v%1.%2.\" and a base64url body: a PASETO v%1 %3 token.")
            .arg(version)
            .arg(m.captured(2), local ? QStringLiteral("local (encrypted)") : QStringLiteral("public (signed)"));
    id.details.insert(QStringLiteral("version"), QStringLiteral("v%1").arg(version));
    id.details.insert(QStringLiteral("purpose"), m.captured(2));
    if (!m.captured(4).isEmpty()) {
        if (auto footer = b64url(m.captured(4).toLatin1())) {
            id.details.insert(QStringLiteral("footer"), jsonOrText(*footer));
        }
    }
    if (local) {
        static constexpr std::array<int, 5> nonce{0, 32, 24, 32, 32};
        static constexpr std::array<int, 5> tag{0, 48, 16, 48, 32};
        const qsizetype ct = body->size() - nonce[size_t(version)] - tag[size_t(version)];
        id.details.insert(QStringLiteral("ciphertext_bytes"), std::max<qsizetype>(ct, 0));
        id.can << QStringLiteral("Show the version, purpose and footer (the footer is authenticated, not encrypted).");
        id.cannot << QStringLiteral("Read the claims: a local token is encrypted with a symmetric key.");
    } else {
        static constexpr std::array<int, 5> sig{0, 256, 64, 96, 64};
        const qsizetype n = body->size() - sig[size_t(version)];
        if (n >= 0) {
            id.details.insert(QStringLiteral("payload"), jsonOrText(body->left(n)));
            id.details.insert(QStringLiteral("signature_bytes"), sig[size_t(version)]);
        }
        id.can << QStringLiteral("Show the version, purpose, footer and the claims (a public token is signed, not "
                                 "encrypted).");
        id.cannot << QStringLiteral("Verify the PASETO signature: tokenbench verifies JOSE only.");
    }
    id.cannot << notJwsCannot;
    return id;
}

std::optional<Identification> identifyFernet(QByteArrayView text)
{
    if (text.size() < 100 || !text.startsWith("gAAAAA")) {
        return std::nullopt;
    }
    auto r = QByteArray::fromBase64Encoding(text.toByteArray(),
                                            QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!r) {
        return std::nullopt;
    }
    const QByteArray& d = r.decoded;
    if (d.size() < 73 || static_cast<unsigned char>(d[0]) != 0x80 || (d.size() - 57) % 16 != 0) {
        return std::nullopt;
    }
    Identification id;
    id.kind = QStringLiteral("fernet");
    id.reason = QStringLiteral("URL-safe base64 that decodes to version byte 0x80, a timestamp, a 16-byte IV, "
                               "AES-CBC blocks and a 32-byte HMAC: a Fernet token.");
    id.details.insert(QStringLiteral("version"), 128);
    id.details.insert(QStringLiteral("timestamp"), timeJson(double(bigEndian(d.mid(1, 8)))));
    id.details.insert(QStringLiteral("iv_hex"), QString::fromLatin1(d.mid(9, 16).toHex()));
    id.details.insert(QStringLiteral("ciphertext_bytes"), d.size() - 57);
    id.can << QStringLiteral("Show its version, creation time, IV and ciphertext length.");
    id.cannot << QStringLiteral("Decrypt or authenticate it: that needs the Fernet key (AES-128-CBC + HMAC-SHA256).")
              << notJwsCannot;
    return id;
}

std::optional<Identification> identifyBranca(QByteArrayView text)
{
    if (text.size() < 61 || !allOf(text, isBase62Char)) {
        return std::nullopt;
    }
    const auto d = base62Decode(text);
    if (!d || d->size() < 45 || static_cast<unsigned char>(d->at(0)) != 0xBA) {
        return std::nullopt;
    }
    Identification id;
    id.kind = QStringLiteral("branca");
    id.reason = QStringLiteral("Base62 text that decodes to version byte 0xBA, a timestamp, a 24-byte nonce, "
                               "ciphertext and a 16-byte Poly1305 tag: a Branca token.");
    id.details.insert(QStringLiteral("timestamp"), timeJson(double(bigEndian(d->mid(1, 4)))));
    id.details.insert(QStringLiteral("nonce_hex"), QString::fromLatin1(d->mid(5, 24).toHex()));
    id.details.insert(QStringLiteral("ciphertext_bytes"), d->size() - 45);
    id.can << QStringLiteral("Show its creation time, nonce and ciphertext length.");
    id.cannot << QStringLiteral("Decrypt it: that needs the XChaCha20-Poly1305 key.") << notJwsCannot;
    return id;
}

// A payload part: base64url JSON, or '.'-prefixed zlib-compressed base64url JSON.
std::optional<QJsonValue> signedPayload(QByteArrayView part, bool compressed, bool& wasJson)
{
    wasJson = false;
    const auto raw = b64url(part);
    if (!raw) {
        return std::nullopt;
    }
    QByteArray data = *raw;
    if (compressed) {
        const auto inflated = inflate(*raw, false);
        if (!inflated) {
            return std::nullopt;
        }
        data = *inflated;
    }
    wasJson = isJsonValue(data);
    return jsonOrText(data);
}

bool isMacLength(qsizetype bytes)
{
    return bytes == 20 || bytes == 32 || bytes == 48 || bytes == 64;
}

std::optional<Identification> identifyItsdangerous(QByteArrayView text)
{
    QByteArrayView rest = text;
    const bool compressed = rest.startsWith('.');
    if (compressed) {
        rest = rest.sliced(1);
    }
    const QList<QByteArray> parts = rest.toByteArray().split('.');
    if (parts.size() < 2 || parts.size() > 3) {
        return std::nullopt;
    }
    for (const QByteArray& p : parts) {
        if (!allOf(p, isB64UrlChar)) {
            return std::nullopt;
        }
    }
    const auto sig = b64url(parts.last());
    if (!sig || !isMacLength(sig->size())) {
        return std::nullopt;
    }
    std::optional<double> stamp;
    if (parts.size() == 3) {
        const auto ts = b64url(parts[1]);
        if (!ts || ts->size() < 4 || ts->size() > 8) {
            return std::nullopt;
        }
        stamp = double(bigEndian(*ts));
        if (!plausibleEpoch(*stamp) && plausibleEpoch(*stamp + 1293840000.0)) {
            stamp = *stamp + 1293840000.0; // itsdangerous < 1.0 counted from 2011-01-01
        }
        if (!plausibleEpoch(*stamp)) {
            return std::nullopt;
        }
    }
    bool json = false;
    const auto payload = signedPayload(parts[0], compressed, json);
    if (!stamp && !json) {
        return std::nullopt; // "word.word" is too weak to call
    }
    Identification id;
    id.kind = QStringLiteral("itsdangerous");
    id.reason =
        QStringLiteral("%1 parts joined by '.': %2%3a %4-byte base64url signature: an itsdangerous "
                       "(Flask session cookie style) signed value.")
            .arg(parts.size())
            .arg(json ? (compressed ? QStringLiteral("zlib-compressed base64url JSON, ")
                                    : QStringLiteral("base64url JSON, "))
                      : QStringLiteral("a value, "),
                 stamp ? QStringLiteral("a base64url timestamp (%1), ").arg(bytes::utcString(*stamp)) : QString())
            .arg(sig->size());
    if (payload && json) {
        id.details.insert(QStringLiteral("payload"), *payload);
    } else {
        id.details.insert(QStringLiteral("value"), QString::fromLatin1(parts[0]));
    }
    id.details.insert(QStringLiteral("compressed"), compressed);
    if (stamp) {
        id.details.insert(QStringLiteral("timestamp"), timeJson(*stamp));
    }
    id.details.insert(QStringLiteral("signature_bytes"), sig->size());
    id.details.insert(QStringLiteral("likely_digest"), sig->size() == 20
                                                           ? QStringLiteral("HMAC-SHA1 (default)")
                                                           : QStringLiteral("HMAC-SHA%1").arg(sig->size() * 8));
    id.can << QStringLiteral("Show the payload (it is signed, not encrypted) and the signing time.");
    id.cannot << QStringLiteral("Verify or crack the signature: itsdangerous derives its key from the secret and a "
                                "salt (flask-unsign does this for Flask).")
              << notJwsCannot;
    return id;
}

std::optional<Identification> identifyDjango(QByteArrayView text)
{
    const QList<QByteArray> parts = text.toByteArray().split(':');
    if (parts.size() < 2) {
        return std::nullopt;
    }
    const QByteArray& sigText = parts.last();
    if (!allOf(sigText, isB64UrlChar) || (sigText.size() != 27 && sigText.size() != 43 && sigText.size() != 86)) {
        return std::nullopt;
    }
    std::optional<double> stamp;
    if (parts.size() >= 3) {
        const auto n = base62Number(parts[parts.size() - 2]);
        if (n && plausibleEpoch(double(*n))) {
            stamp = double(*n);
        }
    }
    const QByteArray value = parts.mid(0, parts.size() - (stamp ? 2 : 1)).join(':');
    bool json = false;
    const bool compressed = value.startsWith('.');
    const auto payload = signedPayload(compressed ? value.mid(1) : value, compressed, json);
    if (!stamp && !json) {
        return std::nullopt;
    }
    Identification id;
    id.kind = QStringLiteral("django-signed");
    id.reason = QStringLiteral("Parts joined by ':': %1%2a %3-character base64url HMAC: a Django signed value "
                               "(django.core.signing).")
                    .arg(json ? (compressed ? QStringLiteral("compressed base64url JSON (signing.dumps), ")
                                            : QStringLiteral("base64url JSON (signing.dumps), "))
                              : QStringLiteral("a value, "),
                         stamp ? QStringLiteral("a base62 timestamp (%1), ").arg(bytes::utcString(*stamp)) : QString())
                    .arg(sigText.size());
    if (json && payload) {
        id.details.insert(QStringLiteral("payload"), *payload);
    } else {
        id.details.insert(QStringLiteral("value"), QString::fromUtf8(value));
    }
    id.details.insert(QStringLiteral("compressed"), compressed);
    if (stamp) {
        id.details.insert(QStringLiteral("timestamp"), timeJson(*stamp));
    }
    id.details.insert(QStringLiteral("likely_digest"), sigText.size() == 27 ? QStringLiteral("HMAC-SHA1 (Django < 3.1)")
                                                                            : QStringLiteral("HMAC-SHA256"));
    id.can << QStringLiteral("Show the value (signed, not encrypted) and the signing time.");
    id.cannot << QStringLiteral("Verify or crack the signature: Django derives its key from SECRET_KEY and a salt.")
              << notJwsCannot;
    return id;
}

// What a binary macaroon says about itself, whichever version wrote it.
struct MacaroonFields
{
    QString location;
    QString identifier;
    int caveats = 0;
    bool signature = false;
};

// v2: fields of (type varint, length varint, data); the first section is [location] identifier EOS.
std::optional<MacaroonFields> macaroonV2Fields(const QByteArray& d)
{
    MacaroonFields f;
    qsizetype i = 1;
    int sections = 0; // sections closed by an end-of-section field: the macaroon's own, then one per caveat
    bool sectionHasFields = false;
    auto varint = [&](quint64& v) {
        v = 0;
        for (int shift = 0; i < d.size() && shift < 63; shift += 7) {
            const auto b = static_cast<unsigned char>(d[i++]);
            v |= quint64(b & 0x7f) << shift;
            if (!(b & 0x80)) {
                return true;
            }
        }
        return false;
    };
    while (i < d.size()) {
        quint64 type = 0;
        if (!varint(type) || type > 6) {
            return std::nullopt;
        }
        if (type == 0) {
            if (!sectionHasFields) {
                continue; // the empty section that ends the caveat list
            }
            ++sections;
            sectionHasFields = false;
            continue;
        }
        quint64 len = 0;
        if (!varint(len) || len > quint64(d.size() - i)) {
            return std::nullopt;
        }
        const QByteArray value = d.mid(i, qsizetype(len));
        i += qsizetype(len);
        sectionHasFields = true;
        if (sections == 0 && type == 1) {
            f.location = QString::fromUtf8(value);
        } else if (sections == 0 && type == 2) {
            f.identifier = QString::fromUtf8(value);
        } else if (type == 6) {
            f.signature = true;
            sectionHasFields = false;
        }
    }
    f.caveats = std::max(sections - 1, 0);
    return f;
}

// v1: packets "HHHHkey value\n" where HHHH is the packet length in hex.
std::optional<MacaroonFields> macaroonV1Fields(const QByteArray& d)
{
    MacaroonFields f;
    qsizetype i = 0;
    while (i + 4 <= d.size()) {
        bool ok = false;
        const int len = d.mid(i, 4).toInt(&ok, 16);
        if (!ok || len < 6 || i + len > d.size() || d[i + len - 1] != '\n') {
            return std::nullopt;
        }
        const QByteArray packet = d.mid(i + 4, len - 5);
        const qsizetype space = packet.indexOf(' ');
        if (space <= 0) {
            return std::nullopt;
        }
        const QByteArray key = packet.left(space);
        const QByteArray value = packet.mid(space + 1);
        if (key == "location") {
            f.location = QString::fromUtf8(value);
        } else if (key == "identifier") {
            f.identifier = QString::fromUtf8(value);
        } else if (key == "cid") {
            ++f.caveats;
        } else if (key == "signature") {
            f.signature = true;
        } else if (key != "vid" && key != "cl") {
            return std::nullopt;
        }
        i += len;
    }
    return f;
}

std::optional<Identification> macaroonFromBinary(const QByteArray& d)
{
    const bool v2 = d.size() >= 6 && static_cast<unsigned char>(d[0]) == 0x02;
    const std::optional<MacaroonFields> f = v2 ? macaroonV2Fields(d) : macaroonV1Fields(d);
    if (!f || f->identifier.isEmpty() || !f->signature) {
        return std::nullopt;
    }
    Identification id;
    id.kind = QStringLiteral("macaroon");
    id.cannot << QStringLiteral("Verify its HMAC chain: that needs the root key and a macaroon library.")
              << notJwsCannot;
    id.can << QStringLiteral("Show its location, identifier and number of caveats.");
    id.reason = v2 ? QStringLiteral("Base64 that decodes to macaroon v2 binary fields (version byte 2, location and "
                                    "identifier fields).")
                   : QStringLiteral("Base64 that decodes to macaroon v1 packets (hex length, \"location\", "
                                    "\"identifier\", \"signature\").");
    id.details.insert(QStringLiteral("format"), v2 ? QStringLiteral("v2-binary") : QStringLiteral("v1-binary"));
    id.details.insert(QStringLiteral("location"), f->location);
    id.details.insert(QStringLiteral("identifier"), f->identifier);
    id.details.insert(QStringLiteral("caveats"), f->caveats);
    return id;
}

bool looksLikeSamlXml(const QByteArray& xml)
{
    const QByteArray t = bytes::trimmed(xml.startsWith("\xEF\xBB\xBF") ? xml.mid(3) : xml).toByteArray();
    if (!t.startsWith('<')) {
        return false;
    }
    const QByteArray lower = t.left(8192).toLower();
    return lower.contains("urn:oasis:names:tc:saml") || lower.contains("<saml") || lower.contains(":assertion") ||
           lower.contains("<samlp:");
}

Identification samlFrom(const QByteArray& xml, const QString& encoding)
{
    Identification id;
    id.kind = QStringLiteral("saml");
    id.reason =
        QStringLiteral("%1 XML with SAML names (urn:oasis:names:tc:SAML): a SAML message or assertion.").arg(encoding);
    static const QRegularExpression root(QStringLiteral("<([A-Za-z0-9_.-]+:)?([A-Za-z0-9_.-]+)[\\s>/]"));
    QString text = QString::fromUtf8(xml.left(65536));
    qsizetype from = 0;
    QRegularExpressionMatch m;
    while ((m = root.match(text, from)).hasMatch()) { // skip <?xml ...?> and comments
        if (m.captured(0).startsWith(QStringLiteral("<?")) || m.captured(0).startsWith(QStringLiteral("<!"))) {
            from = m.capturedEnd();
            continue;
        }
        id.details.insert(QStringLiteral("root"), m.captured(2));
        break;
    }
    static const QRegularExpression issuer(QStringLiteral("<(?:[A-Za-z0-9_.-]+:)?Issuer[^>]*>([^<]*)<"));
    if (const auto im = issuer.match(text); im.hasMatch()) {
        id.details.insert(QStringLiteral("issuer"), im.captured(1).trimmed());
    }
    id.details.insert(QStringLiteral("encoding"), encoding);
    id.details.insert(QStringLiteral("signed"), xml.contains("Signature"));
    id.details.insert(QStringLiteral("xml_bytes"), xml.size());
    id.can << QStringLiteral("Decode it to XML and show the root element and issuer.");
    id.cannot << QStringLiteral("Verify its XML signature: that needs an XML-DSig implementation.") << notJwsCannot;
    return id;
}

QByteArray percentDecoded(QByteArrayView text)
{
    QByteArray t = text.toByteArray();
    const qsizetype eq = t.indexOf('=');
    if (t.startsWith("SAMLRequest=") || t.startsWith("SAMLResponse=")) {
        t = t.mid(eq + 1);
        const qsizetype amp = t.indexOf('&');
        if (amp >= 0) {
            t.truncate(amp);
        }
    }
    return t.contains('%') ? QByteArray::fromPercentEncoding(t) : t;
}

std::optional<Identification> identifyEncodedBlob(QByteArrayView text)
{
    if (text.size() < 16) {
        return std::nullopt;
    }
    if (looksLikeSamlXml(text.toByteArray())) {
        return samlFrom(text.toByteArray(), QStringLiteral("Plain"));
    }
    const QByteArray candidate = percentDecoded(text);
    const auto decoded = b64any(candidate);
    if (!decoded) {
        return std::nullopt;
    }
    if (looksLikeSamlXml(*decoded)) {
        return samlFrom(*decoded, QStringLiteral("Base64"));
    }
    if (auto inflated = inflate(*decoded, true); inflated && looksLikeSamlXml(*inflated)) {
        return samlFrom(*inflated, QStringLiteral("Deflate + base64 (HTTP-Redirect binding)"));
    }
    if (auto m = macaroonFromBinary(*decoded)) {
        return m;
    }
    return std::nullopt;
}

std::optional<Identification> identifyOpaque(QByteArrayView text)
{
    static const QRegularExpression uuid(
        QStringLiteral("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-([0-9a-fA-F])[0-9a-fA-F]{3}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"));
    Identification id;
    id.kind = QStringLiteral("opaque");
    id.cannot << QStringLiteral("Decode anything: an opaque token means something only to the server that issued "
                                "it (a session store lookup or introspection).")
              << notJwsCannot;
    id.can << QStringLiteral("Estimate its entropy; many samples can be analysed for randomness (session analyze).");
    id.actions << QStringLiteral("session analyze");
    if (const auto m = uuid.match(QString::fromLatin1(text)); m.hasMatch()) {
        const int version = m.captured(1).toInt(nullptr, 16);
        id.entropyBits = version == 4 ? 122 : 0;
        id.reason = QStringLiteral("A UUID (version %1)%2.")
                        .arg(version)
                        .arg(version == 4 ? QStringLiteral(": 122 random bits")
                                          : QStringLiteral(": built from time, names or counters, not random"));
        id.details.insert(QStringLiteral("format"), QStringLiteral("uuid"));
        id.details.insert(QStringLiteral("uuid_version"), version);
        return id;
    }
    if (text.size() < 16) {
        return std::nullopt;
    }
    struct Alphabet
    {
        const char* name;
        double bits;
        bool (*pred)(char);
    };
    static const Alphabet alphabets[] = {
        {"hex", 4.0, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }},
        {"base62", std::log2(62.0), isBase62Char},
        {"base64url", 6.0, isB64UrlChar},
        {"base64", 6.0, [](char c) { return isBase62Char(c) || c == '+' || c == '/' || c == '='; }},
    };
    QByteArrayView body = text;
    while (body.endsWith('=')) {
        body.chop(1);
    }
    for (const Alphabet& a : alphabets) {
        if (!allOf(body, a.pred)) {
            continue;
        }
        // Hex in one case only counts as hex; mixed-case hex is still hex.
        const double perChar = a.bits;
        const double shannon = shannonBitsPerChar(body);
        const double maxShannon = std::min(perChar, std::log2(double(body.size())));
        if (shannon < 0.75 * maxShannon) {
            return std::nullopt; // repetitive: not random-looking
        }
        id.entropyBits = std::floor(double(body.size()) * perChar);
        id.reason = QStringLiteral("%1 %2 characters with no structure tokenbench recognises and a character "
                                   "spread typical of random data: an opaque token, at most about %3 bits of "
                                   "entropy.")
                        .arg(body.size())
                        .arg(QString::fromLatin1(a.name))
                        .arg(id.entropyBits);
        id.details.insert(QStringLiteral("alphabet"), QString::fromLatin1(a.name));
        id.details.insert(QStringLiteral("length"), body.size());
        id.details.insert(QStringLiteral("shannon_bits_per_char"), std::round(shannon * 1000) / 1000);
        return id;
    }
    return std::nullopt;
}

} // namespace

namespace {

Identification identifyText(QByteArrayView input, bool allowScheme);

} // namespace

Identification identify(QByteArrayView input)
{
    return identifyText(input, true);
}

namespace {

Identification identifyText(QByteArrayView input, bool allowScheme)
{
    const QByteArrayView text = bytes::trimmed(input);
    Identification unknown;
    unknown.kind = QStringLiteral("unknown");
    unknown.cannot << QStringLiteral("Do anything specific with it: no token format matched.");
    if (text.isEmpty()) {
        unknown.reason = QStringLiteral("The input is empty.");
        return unknown;
    }
    if (qsizetype(limits::maxTokenBytes) < text.size()) {
        unknown.reason = QStringLiteral("The input is larger than the token limit of %1 bytes.")
                             .arg(qsizetype(limits::maxTokenBytes));
        return unknown;
    }
    // An Authorization header value pasted whole: identify the credential after the scheme.
    if (allowScheme && text.size() > 7 && QByteArrayView(text.first(7)).compare("Bearer ", Qt::CaseInsensitive) == 0) {
        Identification id = identifyText(text.sliced(7), false); // once: "Bearer Bearer ..." never recurses deeper
        id.reason = QStringLiteral("After the \"Bearer \" scheme of an Authorization header: ") + id.reason;
        return id;
    }
    if (text.startsWith('{')) {
        if (auto id = identifyJsonObject(text)) {
            return *id;
        }
        unknown.reason = QStringLiteral("A JSON value, but not a JWS/JWE JSON serialisation or a macaroon.");
        return unknown;
    }
    for (auto* probe : {identifyPaseto, identifyCompact, identifyFernet, identifyItsdangerous, identifyDjango,
                        identifyBranca, identifyEncodedBlob, identifyOpaque}) {
        if (auto id = probe(text)) {
            return *id;
        }
    }
    const auto parts = text.count('.');
    unknown.reason = parts == 2 || parts == 4
                         ? QStringLiteral("It has the dots of a JWT, but its first segment is not a base64url JOSE "
                                          "header with \"alg\": not a JWT, and no other format matched.")
                         : QStringLiteral("No known token format matched, and it does not look random enough to be "
                                          "an opaque token.");
    return unknown;
}

} // namespace

QByteArray identificationToJson(const Identification& id)
{
    QJsonObject o{{QStringLiteral("kind"), id.kind},
                  {QStringLiteral("reason"), id.reason},
                  {QStringLiteral("can"), QJsonArray::fromStringList(id.can)},
                  {QStringLiteral("cannot"), QJsonArray::fromStringList(id.cannot)},
                  {QStringLiteral("actions"), QJsonArray::fromStringList(id.actions)},
                  {QStringLiteral("details"), id.details}};
    if (id.entropyBits >= 0) {
        o.insert(QStringLiteral("entropy_bits"), id.entropyBits);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray identificationToText(const Identification& id)
{
    QString out = id.kind + u'\n' + id.reason + u'\n';
    if (id.entropyBits >= 0) {
        out += QStringLiteral("Estimated entropy: %1 bits\n").arg(id.entropyBits);
    }
    if (!id.details.isEmpty()) {
        out += QStringLiteral("\nDecoded:\n");
        for (auto it = id.details.begin(); it != id.details.end(); ++it) {
            const QJsonValue v = it.value();
            QString shown;
            if (v.isObject() || v.isArray()) {
                shown = QString::fromUtf8(v.isObject() ? QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)
                                                       : QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
            } else {
                shown = v.toVariant().toString();
            }
            out += QStringLiteral("  %1: %2\n").arg(it.key(), shown);
        }
    }
    auto list = [&out](const QString& title, const QStringList& items) {
        if (!items.isEmpty()) {
            out += u'\n' + title + u'\n';
            for (const QString& s : items) {
                out += QStringLiteral("  - ") + s + u'\n';
            }
        }
    };
    list(QStringLiteral("tokenbench can:"), id.can);
    list(QStringLiteral("tokenbench cannot:"), id.cannot);
    out += QStringLiteral("\nActions: %1\n")
               .arg(id.actions.isEmpty() ? QStringLiteral("(none)") : id.actions.join(QStringLiteral(", ")));
    return out.toUtf8();
}

} // namespace tb::inspect
