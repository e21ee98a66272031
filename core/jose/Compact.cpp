#include "Compact.h"

#include <array>
#include <cstring>
#include <optional>

#include "base/Limits.h"
#include "jose/Base64Url.h"

namespace tb::jose {

namespace {

// Characters a compact segment may hold: both base64 alphabets and '=' (padding is judged by the decoder).
constexpr std::array<bool, 256> makeSegmentChars()
{
    std::array<bool, 256> ok{};
    for (int c = 'A'; c <= 'Z'; ++c) {
        ok[c] = true;
    }
    for (int c = 'a'; c <= 'z'; ++c) {
        ok[c] = true;
    }
    for (int c = '0'; c <= '9'; ++c) {
        ok[c] = true;
    }
    ok['-'] = ok['_'] = ok['+'] = ok['/'] = ok['='] = true;
    return ok;
}
constexpr auto segmentChars = makeSegmentChars();

const char* const jwsNames[] = {"header", "payload", "signature"};
const char* const jweNames[] = {"header", "encrypted key", "initialization vector", "ciphertext", "authentication tag"};

QString describeChar(unsigned char c)
{
    if (c >= 0x21 && c < 0x7f) {
        return QStringLiteral("'%1'").arg(QLatin1Char(char(c)));
    }
    if (c == ' ') {
        return QStringLiteral("a space");
    }
    return QStringLiteral("byte 0x%1").arg(int(c), 2, 16, QChar(u'0'));
}

QString segmentCountSentence(qsizetype count)
{
    QString sentence =
        QStringLiteral("A compact token has 3 segments (JWS) or 5 (JWE) separated by '.'; this one has %1.").arg(count);
    if (count == 2) {
        sentence += QStringLiteral(" An unsigned token (alg none) still ends with a '.' after the payload.");
    } else if (count == 1) {
        sentence += QStringLiteral(" This does not look like a JWT.");
    }
    return sentence;
}

// Splits on '.' (memchr-fast); the characters are judged by the decoders, or by foreignCharacter().
Result<qsizetype> splitSegments(QByteArrayView text, std::array<QByteArrayView, 5>& segments)
{
    std::array<qsizetype, 5> dots{};
    qsizetype count = 0;
    const char* const begin = text.data();
    const char* const stop = begin + text.size();
    for (const char* at = begin; at != stop;) {
        const auto* dot = static_cast<const char*>(std::memchr(at, '.', std::size_t(stop - at)));
        if (dot == nullptr) {
            break;
        }
        if (count < qsizetype(dots.size())) {
            dots[std::size_t(count)] = dot - begin;
        }
        ++count;
        at = dot + 1;
    }
    if (count != 2 && count != 4) {
        return fail(ErrorCode::MalformedToken, segmentCountSentence(count + 1));
    }
    qsizetype start = 0;
    for (qsizetype k = 0; k <= count; ++k) {
        const qsizetype end = k < count ? dots[std::size_t(k)] : text.size();
        segments[std::size_t(k)] = text.sliced(start, end - start);
        start = end + 1;
    }
    return count + 1;
}

// The first character outside the segment alphabet, as a MalformedToken error naming its segment.
std::optional<Error> foreignCharacter(QByteArrayView text, qsizetype segmentCount)
{
    const char* const* names = segmentCount == 3 ? jwsNames : jweNames;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    qsizetype segment = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (p[i] == '.') {
            ++segment;
        } else if (!segmentChars[p[i]]) {
            return Error{ErrorCode::MalformedToken,
                         QStringLiteral("The %1 segment holds %2 at position %3 of the token; only base64url "
                                        "characters are allowed.")
                             .arg(QLatin1String(names[segment]), describeChar(p[i]))
                             .arg(i),
                         {}};
        }
    }
    return std::nullopt;
}

Result<LenientDecoded> decodeLenient(QByteArrayView segment, const QString& what)
{
    auto decoded = base64UrlDecodeLenient(segment);
    if (!decoded) {
        return fail(ErrorCode::BadBase64,
                    QStringLiteral("The %1 segment is not valid base64url: %2").arg(what, decoded.error().message));
    }
    return decoded;
}

} // namespace

QByteArray CompactToken::signingInput() const
{
    QByteArray input;
    input.reserve(segments.value(0).size() + 1 + segments.value(1).size());
    input.append(segments.value(0)).append('.').append(segments.value(1));
    return input;
}

Result<CompactView> parseCompactView(QByteArrayView text)
{
    if (text.size() > qsizetype(limits::maxTokenBytes)) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The token is %1 bytes, larger than the 4 MiB limit (%2 bytes).")
                        .arg(text.size())
                        .arg(limits::maxTokenBytes));
    }
    if (text.isEmpty()) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("The token is empty."));
    }
    CompactView token;
    auto count = splitSegments(text, token.segments);
    if (!count) {
        return std::unexpected(count.error());
    }
    // A foreign character anywhere outranks every other problem: report it first.
    auto refuse = [&](const Error& error) -> std::unexpected<Error> {
        return std::unexpected(foreignCharacter(text, *count).value_or(error));
    };
    token.kind = *count == 5 ? TokenKind::Jwe : TokenKind::Jws;
    token.raw = text;
    if (token.segments[0].isEmpty()) {
        return refuse(Error{ErrorCode::MalformedToken, QStringLiteral("The header segment is empty."), {}});
    }

    auto header = decodeLenient(token.segments[0], QStringLiteral("header"));
    if (!header) {
        return refuse(header.error());
    }
    token.header = std::move(header->bytes);
    token.headerQuirks = header->quirks;
    if (token.kind == TokenKind::Jwe) {
        // The other JWE segments are ciphertext: only their characters are checked here.
        if (auto foreign = foreignCharacter(text, *count)) {
            return std::unexpected(*foreign);
        }
        token.warnings << describeQuirks(token.headerQuirks, QStringLiteral("header"));
        return token;
    }

    auto payload = decodeLenient(token.segments[1], QStringLiteral("payload"));
    if (!payload) {
        return refuse(payload.error());
    }
    token.payload = std::move(payload->bytes);
    token.payloadQuirks = payload->quirks;

    // Strict for the signature: a padded or re-encoded signature is a malleability vector.
    const QByteArrayView signature = token.segments[2];
    if (auto strict = base64UrlDecode(signature)) {
        token.signature = std::move(*strict);
    } else {
        auto lenient = decodeLenient(signature, QStringLiteral("signature"));
        if (!lenient) {
            return refuse(lenient.error());
        }
        token.signatureCanonical = false;
    }
    if (token.headerQuirks | token.payloadQuirks) {
        token.warnings << describeQuirks(token.headerQuirks, QStringLiteral("header"));
        token.warnings << describeQuirks(token.payloadQuirks, QStringLiteral("payload"));
    }
    if (!token.signatureCanonical) {
        QStringList problems = describeQuirks(base64UrlDecodeLenient(signature)->quirks, QStringLiteral("signature"));
        for (QString& problem : problems) {
            problem += QStringLiteral(" A signature must be canonical base64url: it cannot verify as it stands.");
        }
        token.warnings << problems;
    }
    return token;
}

Result<CompactToken> parseCompact(QByteArrayView text)
{
    auto view = parseCompactView(text);
    if (!view) {
        return std::unexpected(view.error());
    }
    CompactToken token;
    token.kind = view->kind;
    token.raw = text.toByteArray();
    token.segments.reserve(view->segmentCount());
    for (qsizetype k = 0; k < view->segmentCount(); ++k) {
        // Slices of the copied raw text, as the segments stood in it.
        const QByteArrayView segment = view->segments[std::size_t(k)];
        token.segments.append(
            QByteArrayView(token.raw).sliced(segment.data() - text.data(), segment.size()).toByteArray());
    }
    token.header = std::move(view->header);
    token.payload = std::move(view->payload);
    token.signature = std::move(view->signature);
    token.headerQuirks = view->headerQuirks;
    token.payloadQuirks = view->payloadQuirks;
    token.signatureCanonical = view->signatureCanonical;
    token.warnings = std::move(view->warnings);
    return token;
}

} // namespace tb::jose
