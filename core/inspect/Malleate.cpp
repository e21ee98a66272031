#include "Malleate.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "base/Bytes.h"
#include "crypto/Signature.h"
#include "inspect/JsonTree.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"

namespace tb::inspect {

namespace {

const char b64urlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

QByteArray curveOrder(jose::Alg alg)
{
    switch (alg) {
    case jose::Alg::ES256:
        return QByteArray::fromHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
    case jose::Alg::ES256K:
        return QByteArray::fromHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
    case jose::Alg::ES384:
        return QByteArray::fromHex(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973");
    case jose::Alg::ES512: // 66 bytes
        return QByteArray::fromHex("01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                                   "fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409");
    default:
        return {};
    }
}

// a - b for equal-length big-endian numbers with a > b.
QByteArray subtract(const QByteArray& a, QByteArrayView b)
{
    QByteArray out(a.size(), '\0');
    int borrow = 0;
    for (qsizetype i = a.size() - 1; i >= 0; --i) {
        int v = int(static_cast<unsigned char>(a[i])) - int(static_cast<unsigned char>(b[i])) - borrow;
        borrow = v < 0 ? 1 : 0;
        out[i] = char(v + (borrow ? 256 : 0));
    }
    return out;
}

// The same segment with the unused low bits of its final character set; empty when it has none.
QByteArray nonCanonical(const QByteArray& segment)
{
    const qsizetype rem = segment.size() % 4;
    if (rem != 2 && rem != 3) {
        return {};
    }
    const char* at = std::strchr(b64urlAlphabet, segment.back());
    if (!at || segment.back() == 0) {
        return {};
    }
    const int index = int(at - b64urlAlphabet) | 1; // the lowest unused bit
    QByteArray out = segment;
    out.back() = b64urlAlphabet[index];
    return out;
}

QByteArray padded(const QByteArray& segment)
{
    const qsizetype rem = segment.size() % 4;
    return rem == 2 ? segment + "==" : rem == 3 ? segment + "=" : QByteArray();
}

QByteArray reordered(const JsonNode& object)
{
    QByteArray out = "{";
    for (qsizetype i = object.keys.size() - 1; i >= 0; --i) {
        out += jose::jsonQuote(object.keys[i]) + ':' + object.children[i].compact;
        if (i) {
            out += ',';
        }
    }
    return out + '}';
}

QString stateName(validate::SignatureState s)
{
    switch (s) {
    case validate::SignatureState::Valid:
        return QStringLiteral("valid");
    case validate::SignatureState::Invalid:
        return QStringLiteral("invalid");
    case validate::SignatureState::NotChecked:
        break;
    }
    return QStringLiteral("not-checked");
}

const QString openSslVerifiers = QStringLiteral("verifiers that hand the signature to OpenSSL or another library "
                                                "without a low-S rule (tokenbench, jwcrypto/cryptography, jwt-cpp, "
                                                "Node crypto)");
const QString reserialisers = QStringLiteral("verifiers that re-serialise the decoded JSON before checking the "
                                             "signature (a known bug pattern)");
const QString correctVerifiers = QStringLiteral("verifiers that check the signature over the segments as received "
                                                "(RFC 7515 §5.2), tokenbench included");

// Who accepts a segment whose base64url text changed but whose decoded bytes did not. The python-jwcrypto
// behaviour is checked in tests/core/inspect (jwcrypto decodes each segment and re-encodes it canonically).
void textVariantClaims(Variant& v, bool signatureSegment)
{
    if (signatureSegment) {
        // The signing input is untouched; only the signature's text changed.
        v.verifiesUnder << QStringLiteral("verifiers whose base64url decoder ignores padding and unused final bits "
                                          "(python-jwcrypto 1.x, Python's urlsafe_b64decode, Node's Buffer)");
        v.failsUnder << QStringLiteral("verifiers with a strict base64url decoder (RFC 7515 §2), tokenbench "
                                       "included (CLI.md edge case 10)");
        v.tokenbenchExpected = false;
    } else {
        // The signing input is the segments' text, so this changes it: only a verifier that rebuilds the signing
        // input from the decoded bytes accepts it.
        v.verifiesUnder << QStringLiteral("verifiers that decode the header and payload and re-encode them to build "
                                          "the signing input (python-jwcrypto 1.x)");
        v.failsUnder << QStringLiteral("verifiers that sign the segments as received (RFC 7515 §5.2), tokenbench "
                                       "included (it also warns about the segment)");
        v.tokenbenchExpected = false;
    }
}

} // namespace

QByteArray flipEcdsaS(QByteArrayView raw, jose::Alg alg)
{
    const QByteArray n = curveOrder(alg);
    const int coord = crypto::ecdsaCoordBytes(alg);
    if (n.isEmpty() || coord <= 0 || raw.size() != 2 * coord) {
        return {};
    }
    const QByteArray order = n.size() < coord ? QByteArray(coord - n.size(), '\0') + n : n;
    const QByteArrayView s = raw.sliced(coord);
    if (std::all_of(s.begin(), s.end(), [](char c) { return c == 0; }) || QByteArrayView(order) <= s) {
        return {};
    }
    return raw.first(coord).toByteArray() + subtract(order, s);
}

Result<MalleabilityReport> malleate(QByteArrayView text, const validate::KeyInput* keys, const validate::Policy& policy)
{
    auto parsed = jose::parseCompact(bytes::trimmed(text));
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    const jose::CompactToken& token = *parsed;
    if (token.kind != jose::TokenKind::Jws) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("This is a JWE: malleate works on signed tokens (JWS)."));
    }
    auto header = parseJsonTree(token.header);
    if (!header || !header->isObject()) {
        return fail(ErrorCode::BadJson, QStringLiteral("The header is not a JSON object."));
    }
    std::optional<JsonNode> payload;
    if (auto p = parseJsonTree(token.payload); p && p->isObject()) {
        payload = std::move(*p);
    }
    MalleabilityReport report;
    const JsonNode* algNode = header->member(QStringLiteral("alg"));
    report.alg =
        algNode && algNode->type == JsonNode::Type::String ? jose::jsonStringValue(algNode->compact) : QString();
    report.hasJti = payload && payload->member(QStringLiteral("jti"));
    report.hasIss = payload && payload->member(QStringLiteral("iss"));
    const auto alg = jose::algFromName(report.alg);

    const QByteArray& h = token.segments[0];
    const QByteArray& p = token.segments[1];
    const QByteArray& s = token.segments[2];
    auto add = [&](Variant v, const QByteArray& nh, const QByteArray& np, const QByteArray& ns) {
        v.token = nh + '.' + np + '.' + ns;
        v.defeats.tokenHash = v.token != token.raw;
        v.defeats.signatureHash = ns != s;
        v.defeats.signatureBytes = false;
        // Values are unchanged by every variant, so keys built from claims still match.
        v.defeats.jti = false;
        v.defeats.issJti = false;
        report.variants.append(std::move(v));
    };

    // 1. ECDSA high-S.
    if (alg && jose::algFamily(*alg) == jose::AlgFamily::Ecdsa) {
        const QByteArray flipped = token.signatureCanonical ? flipEcdsaS(token.signature, *alg) : QByteArray();
        if (!flipped.isEmpty()) {
            Variant v;
            v.name = QStringLiteral("high-s");
            v.segment = QStringLiteral("signature");
            v.description = QStringLiteral("ECDSA s replaced by n - s: (r, n - s) is the other valid signature of the "
                                           "same message.");
            v.verifiesUnder << openSslVerifiers;
            v.failsUnder << QStringLiteral("verifiers that require low-S signatures (as Bitcoin's libsecp256k1 does)");
            v.tokenbenchExpected = true;
            add(std::move(v), h, p, jose::base64UrlEncode(flipped));
            report.variants.back().defeats.signatureBytes = true;
        } else {
            report.notes << QStringLiteral("No high-S variant: the signature segment is not a canonical raw r||s of "
                                           "the curve's size.");
        }
    } else {
        report.notes << QStringLiteral("No high-S variant: %1 is not ECDSA (RSA and HMAC signatures have one valid "
                                       "form; OpenSSL rejects Ed25519's S + L).")
                            .arg(report.alg.isEmpty() ? QStringLiteral("the alg") : report.alg);
    }

    // 2 and 3. Base64url text variants of each segment.
    const struct
    {
        const char* name;
        const QByteArray* segment;
    } segments[] = {{"header", &h}, {"payload", &p}, {"signature", &s}};
    for (const auto& seg : segments) {
        const QString name = QString::fromLatin1(seg.name);
        const bool isSig = name == QStringLiteral("signature");
        const auto make = [&](const QByteArray& changed) {
            return std::array<QByteArray, 3>{isSig || name == QStringLiteral("payload") ? h : changed,
                                             name == QStringLiteral("payload") ? changed : p, isSig ? changed : s};
        };
        if (const QByteArray nc = nonCanonical(*seg.segment); !nc.isEmpty()) {
            Variant v;
            v.name = QStringLiteral("noncanonical-") + name;
            v.segment = name;
            v.description = QStringLiteral("The %1 segment's final character carries non-zero unused bits; it "
                                           "decodes to the same bytes.")
                                .arg(name);
            textVariantClaims(v, isSig);
            const auto parts = make(nc);
            add(std::move(v), parts[0], parts[1], parts[2]);
        } else if (!seg.segment->isEmpty()) {
            report.notes << QStringLiteral("No non-canonical %1 variant: its length is a multiple of 4, so its final "
                                           "character has no unused bits.")
                                .arg(name);
        }
        if (const QByteArray pd = padded(*seg.segment); !pd.isEmpty()) {
            Variant v;
            v.name = QStringLiteral("padded-") + name;
            v.segment = name;
            v.description =
                QStringLiteral("'=' padding appended to the %1 segment; it decodes to the same bytes.").arg(name);
            textVariantClaims(v, isSig);
            const auto parts = make(pd);
            add(std::move(v), parts[0], parts[1], parts[2]);
        }
    }

    // 4. JSON re-serialisation variants: the signature no longer matches the bytes, so only verifiers that
    // re-serialise the JSON before checking accept them.
    auto jsonVariant = [&](const QString& name, const QString& segment, const QString& description,
                           const QByteArray& json) {
        Variant v;
        v.name = name;
        v.segment = segment;
        v.description = description;
        v.verifiesUnder << reserialisers;
        v.failsUnder << correctVerifiers;
        v.tokenbenchExpected = false;
        const QByteArray enc = jose::base64UrlEncode(json);
        add(std::move(v), segment == QStringLiteral("header") ? enc : h, segment == QStringLiteral("payload") ? enc : p,
            s);
    };
    if (payload) {
        if (auto pretty = jose::prettyJson(token.payload); pretty && *pretty != token.payload) {
            jsonVariant(QStringLiteral("payload-whitespace"), QStringLiteral("payload"),
                        QStringLiteral("The payload JSON re-spaced (pretty-printed): the same claims, other bytes."),
                        *pretty);
        }
        if (payload->keys.size() >= 2) {
            jsonVariant(QStringLiteral("payload-key-order"), QStringLiteral("payload"),
                        QStringLiteral("The payload's top-level members in reverse order: the same claims, other "
                                       "bytes."),
                        reordered(*payload));
        } else {
            report.notes << QStringLiteral("No payload key-order variant: fewer than two claims.");
        }
    }
    if (header->keys.size() >= 2) {
        jsonVariant(QStringLiteral("header-key-order"), QStringLiteral("header"),
                    QStringLiteral("The header's members in reverse order: the same header, other bytes."),
                    reordered(*header));
    }
    if (!report.hasJti) {
        report.notes << QStringLiteral("The token has no jti: a jti or (iss, jti) denylist cannot name it at all.");
    }

    if (keys) {
        if (auto r = validate::verifyToken(token.raw, *keys, policy)) {
            report.originalSignature = r->signature;
            report.originalValid = r->valid;
        } else {
            return std::unexpected(r.error());
        }
        for (Variant& v : report.variants) {
            if (auto r = validate::verifyToken(v.token, *keys, policy)) {
                v.signature = r->signature;
                v.valid = r->valid;
                v.warnings = r->warnings;
            } else {
                v.signature = validate::SignatureState::NotChecked;
                v.valid = false;
                v.warnings << r.error().message;
            }
        }
    }
    return report;
}

QByteArray malleabilityToJson(const MalleabilityReport& r)
{
    QJsonArray variants;
    for (const Variant& v : r.variants) {
        QJsonObject tb{
            {QStringLiteral("expected"), v.tokenbenchExpected ? QStringLiteral("valid") : QStringLiteral("invalid")}};
        tb.insert(QStringLiteral("signature"), v.signature ? stateName(*v.signature) : QStringLiteral("not-checked"));
        tb.insert(QStringLiteral("valid"), v.valid ? QJsonValue(*v.valid) : QJsonValue());
        tb.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(v.warnings));
        variants.append(QJsonObject{
            {QStringLiteral("name"), v.name},
            {QStringLiteral("segment"), v.segment},
            {QStringLiteral("description"), v.description},
            {QStringLiteral("token"), QString::fromLatin1(v.token)},
            {QStringLiteral("verifies_under"), QJsonArray::fromStringList(v.verifiesUnder)},
            {QStringLiteral("fails_under"), QJsonArray::fromStringList(v.failsUnder)},
            {QStringLiteral("tokenbench"), tb},
            {QStringLiteral("defeats"), QJsonObject{{QStringLiteral("token_hash"), v.defeats.tokenHash},
                                                    {QStringLiteral("signature_hash"), v.defeats.signatureHash},
                                                    {QStringLiteral("signature_bytes_hash"), v.defeats.signatureBytes},
                                                    {QStringLiteral("jti"), v.defeats.jti},
                                                    {QStringLiteral("iss_jti"), v.defeats.issJti}}},
        });
    }
    QJsonObject original{{QStringLiteral("signature"),
                          r.originalSignature ? stateName(*r.originalSignature) : QStringLiteral("not-checked")},
                         {QStringLiteral("valid"), r.originalValid ? QJsonValue(*r.originalValid) : QJsonValue()}};
    const QJsonObject o{
        {QStringLiteral("alg"), r.alg},         {QStringLiteral("has_jti"), r.hasJti},
        {QStringLiteral("has_iss"), r.hasIss},  {QStringLiteral("original"), original},
        {QStringLiteral("variants"), variants}, {QStringLiteral("notes"), QJsonArray::fromStringList(r.notes)}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray malleabilityToText(const MalleabilityReport& r)
{
    QString out = QStringLiteral("%1 byte-different variant(s) of this %2 token.\n")
                      .arg(r.variants.size())
                      .arg(r.alg.isEmpty() ? QStringLiteral("(no alg)") : r.alg);
    if (r.originalSignature) {
        const auto accepted = std::count_if(r.variants.begin(), r.variants.end(), [](const Variant& v) {
            return v.signature == validate::SignatureState::Valid;
        });
        out += QStringLiteral("Original: signature %1. tokenbench's verify accepts the signature of %2 variant(s).\n")
                   .arg(stateName(*r.originalSignature))
                   .arg(accepted);
    }
    for (const Variant& v : r.variants) {
        out += QStringLiteral("\n%1 (%2)\n  %3\n  %4\n")
                   .arg(v.name, v.segment, v.description, QString::fromLatin1(v.token));
        out += QStringLiteral("  verifies under: %1\n").arg(v.verifiesUnder.join(QStringLiteral("; ")));
        out += QStringLiteral("  fails under: %1\n").arg(v.failsUnder.join(QStringLiteral("; ")));
        out += QStringLiteral("  tokenbench: expected %1")
                   .arg(v.tokenbenchExpected ? QStringLiteral("valid") : QStringLiteral("invalid"));
        if (v.signature) {
            out += QStringLiteral(", signature %1").arg(stateName(*v.signature));
        }
        out += u'\n';
        for (const QString& w : v.warnings) {
            out += QStringLiteral("    warning: ") + w + u'\n';
        }
        QStringList defeated;
        QStringList held;
        (v.defeats.tokenHash ? defeated : held) << QStringLiteral("token hash");
        (v.defeats.signatureHash ? defeated : held) << QStringLiteral("signature hash");
        (v.defeats.signatureBytes ? defeated : held) << QStringLiteral("signature-bytes hash");
        (v.defeats.jti ? defeated : held) << QStringLiteral("jti");
        (v.defeats.issJti ? defeated : held) << QStringLiteral("(iss, jti)");
        out += QStringLiteral("  slips past a denylist keyed on: %1\n")
                   .arg(defeated.isEmpty() ? QStringLiteral("nothing") : defeated.join(QStringLiteral(", ")));
        out += QStringLiteral("  caught by a denylist keyed on: %1\n")
                   .arg(held.isEmpty() ? QStringLiteral("nothing") : held.join(QStringLiteral(", ")));
    }
    if (!r.notes.isEmpty()) {
        out += QStringLiteral("\nNotes:\n");
        for (const QString& n : r.notes) {
            out += QStringLiteral("  - ") + n + u'\n';
        }
    }
    return out.toUtf8();
}

} // namespace tb::inspect
