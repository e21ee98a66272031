#include "Base64Url.h"

#include <array>

namespace tb::jose {

namespace {

constexpr char urlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// One entry per byte: the 6-bit value, plus flags for '+'/'/' (standard), '-'/'_' (url) and invalid bytes.
enum : std::uint16_t
{
    FlagStd = 0x100,
    FlagUrl = 0x200,
    FlagInvalid = 0x400,
};

struct DecodeTable
{
    std::array<std::uint16_t, 256> entry{};
    constexpr DecodeTable()
    {
        entry.fill(FlagInvalid);
        for (int i = 0; i < 64; ++i) {
            entry[static_cast<unsigned char>(urlAlphabet[i])] = static_cast<std::uint16_t>(i);
        }
        entry['-'] |= FlagUrl;
        entry['_'] |= FlagUrl;
        entry['+'] = 62 | FlagStd;
        entry['/'] = 63 | FlagStd;
    }
};
constexpr DecodeTable table;

// The same entries pre-shifted into place for each position of a quantum, flags in the top byte: a quantum
// is four lookups OR-ed together (the verify path decodes every token's segments).
struct QuantumTables
{
    std::array<std::array<std::uint32_t, 256>, 4> at{};
    constexpr QuantumTables()
    {
        for (int c = 0; c < 256; ++c) {
            const std::uint16_t e = table.entry[std::size_t(c)];
            const std::uint32_t flags = std::uint32_t(e >> 8) << 24;
            for (int k = 0; k < 4; ++k) {
                at[std::size_t(k)][std::size_t(c)] = flags | (std::uint32_t(e & 63) << (18 - 6 * k));
            }
        }
    }
};
constexpr QuantumTables quantum;

// The error for the first byte outside both alphabets (the fast loop only knows that there is one).
Q_NEVER_INLINE std::unexpected<Error> invalidCharacter(QByteArrayView text)
{
    qsizetype i = 0;
    while (i < text.size() && !(table.entry[static_cast<unsigned char>(text[i])] & FlagInvalid)) {
        ++i;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    return fail(ErrorCode::BadBase64,
                QStringLiteral("Character %1 at position %2 is not allowed in base64url.")
                    .arg(c >= 0x21 && c < 0x7f ? QStringLiteral("'%1'").arg(QLatin1Char(char(c)))
                                               : QStringLiteral("0x%1").arg(c, 2, 16, QChar(u'0')))
                    .arg(i));
}

enum class Mode
{
    Strict,
    Lenient,
    Standard
};

Result<LenientDecoded> decode(QByteArrayView text, Mode mode)
{
    LenientDecoded out;
    qsizetype n = text.size();
    qsizetype pads = 0;
    while (n > 0 && text[n - 1] == '=') {
        --n;
        ++pads;
    }
    if (pads > 0) {
        if (mode == Mode::Strict) {
            return fail(ErrorCode::BadBase64, QStringLiteral("base64url must not be padded with '='."));
        }
        // Padding completes the last quantum: exactly what makes the length a multiple of 4, never more.
        if (pads > 2 || n % 4 == 0 || (n + pads) % 4 != 0) {
            return fail(ErrorCode::BadBase64, QStringLiteral("The base64 padding is wrong."));
        }
        out.quirks |= QuirkPadding;
    } else if (mode == Mode::Standard && n % 4 != 0) {
        return fail(ErrorCode::BadBase64,
                    QStringLiteral("Standard base64 must be padded to a multiple of 4 characters."));
    }
    if (n % 4 == 1) {
        return fail(ErrorCode::BadBase64,
                    QStringLiteral("A base64url text cannot have a length of 4k+1 characters (%1).").arg(n));
    }
    out.bytes = QByteArray(n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1), Qt::Uninitialized);
    auto* dst = reinterpret_cast<std::uint8_t*>(out.bytes.data());
    const auto* src = reinterpret_cast<const std::uint8_t*>(text.data());
    // Four characters at a time; the flag bits of the entries are OR-ed and judged once at the end.
    std::uint32_t flags = 0;
    qsizetype i = 0;
    std::uint32_t quantumFlags = 0;
    for (; i + 4 <= n; i += 4) {
        const std::uint32_t v =
            quantum.at[0][src[i]] | quantum.at[1][src[i + 1]] | quantum.at[2][src[i + 2]] | quantum.at[3][src[i + 3]];
        quantumFlags |= v;
        dst[0] = static_cast<std::uint8_t>(v >> 16);
        dst[1] = static_cast<std::uint8_t>(v >> 8);
        dst[2] = static_cast<std::uint8_t>(v);
        dst += 3;
    }
    flags |= (quantumFlags >> 24) << 8;
    std::uint32_t acc = 0;
    int bits = 0;
    for (; i < n; ++i) {
        const std::uint16_t e = table.entry[src[i]];
        flags |= e;
        acc = (acc << 6) | (e & 63u);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            *dst++ = static_cast<std::uint8_t>(acc >> bits);
        }
    }
    if (flags & FlagInvalid) {
        return invalidCharacter(text.first(n));
    }
    const bool sawStd = flags & FlagStd;
    const bool sawUrl = flags & FlagUrl;
    if (sawStd && mode == Mode::Strict) {
        return fail(ErrorCode::BadBase64, QStringLiteral("'+' and '/' belong to standard base64, not base64url."));
    }
    if (sawUrl && mode == Mode::Standard) {
        return fail(ErrorCode::BadBase64, QStringLiteral("'-' and '_' belong to base64url, not standard base64."));
    }
    if (sawStd && mode == Mode::Lenient) {
        out.quirks |= QuirkStdAlphabet;
    }
    if ((acc & ((1u << bits) - 1)) != 0) {
        if (mode != Mode::Lenient) {
            return fail(ErrorCode::BadBase64,
                        QStringLiteral("The last character has non-zero unused bits (non-canonical encoding)."));
        }
        out.quirks |= QuirkNonCanonical;
    }
    return out;
}

} // namespace

QByteArray base64UrlEncode(QByteArrayView bytes)
{
    const auto* src = reinterpret_cast<const std::uint8_t*>(bytes.data());
    const qsizetype n = bytes.size();
    QByteArray out((n + 2) / 3 * 4 - (n % 3 == 0 ? 0 : 3 - n % 3), Qt::Uninitialized);
    char* dst = out.data();
    qsizetype i = 0;
    for (; i + 3 <= n; i += 3) {
        const std::uint32_t v = (std::uint32_t(src[i]) << 16) | (std::uint32_t(src[i + 1]) << 8) | src[i + 2];
        *dst++ = urlAlphabet[(v >> 18) & 63];
        *dst++ = urlAlphabet[(v >> 12) & 63];
        *dst++ = urlAlphabet[(v >> 6) & 63];
        *dst++ = urlAlphabet[v & 63];
    }
    if (n - i == 1) {
        const std::uint32_t v = std::uint32_t(src[i]) << 16;
        *dst++ = urlAlphabet[(v >> 18) & 63];
        *dst++ = urlAlphabet[(v >> 12) & 63];
    } else if (n - i == 2) {
        const std::uint32_t v = (std::uint32_t(src[i]) << 16) | (std::uint32_t(src[i + 1]) << 8);
        *dst++ = urlAlphabet[(v >> 18) & 63];
        *dst++ = urlAlphabet[(v >> 12) & 63];
        *dst++ = urlAlphabet[(v >> 6) & 63];
    }
    return out;
}

Result<QByteArray> base64UrlDecode(QByteArrayView text)
{
    auto r = decode(text, Mode::Strict);
    if (!r) {
        return std::unexpected(r.error());
    }
    return std::move(r->bytes);
}

Result<LenientDecoded> base64UrlDecodeLenient(QByteArrayView text)
{
    return decode(text, Mode::Lenient);
}

Result<QByteArray> base64Decode(QByteArrayView text)
{
    auto r = decode(text, Mode::Standard);
    if (!r) {
        return std::unexpected(r.error());
    }
    return std::move(r->bytes);
}

QStringList describeQuirks(unsigned quirks, const QString& what)
{
    QStringList out;
    if (quirks & QuirkPadding) {
        out << QStringLiteral("The %1 segment is padded with '=' (base64url in JOSE has no padding).").arg(what);
    }
    if (quirks & QuirkStdAlphabet) {
        out << QStringLiteral("The %1 segment uses the standard base64 alphabet ('+' or '/').").arg(what);
    }
    if (quirks & QuirkNonCanonical) {
        out << QStringLiteral("The %1 segment is non-canonical base64url: the unused bits of its last character are "
                              "not zero.")
                   .arg(what);
    }
    return out;
}

} // namespace tb::jose
