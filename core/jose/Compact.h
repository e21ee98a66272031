#pragma once

#include <array>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QStringList>

#include "base/Error.h"

namespace tb::jose {

enum class TokenKind
{
    Jws, // 3 segments
    Jwe, // 5 segments
};

// A compact token split into its segments, each kept exactly as it stood (DESIGN decision 1).
struct CompactToken
{
    TokenKind kind = TokenKind::Jws;
    QByteArray raw;                 // the whole token as given (already trimmed by the caller)
    QList<QByteArray> segments;     // 3 (JWS) or 5 (JWE) raw base64url segments
    QByteArray header;              // decoded bytes of segment 0 (the protected header's JSON text)
    QByteArray payload;             // JWS: decoded bytes of segment 1; JWE: empty
    QByteArray signature;           // JWS: decoded bytes of segment 2 when strictly canonical, else empty
    unsigned headerQuirks = 0;      // Base64Quirk flags of the header segment
    unsigned payloadQuirks = 0;     // Base64Quirk flags of the payload segment
    bool signatureCanonical = true; // false when segment 2 is padded, uses '+'/'/', or has non-zero unused bits
    QStringList warnings;           // one sentence per quirk (and per signature problem)

    // segments[0] + '.' + segments[1]: the JWS signing input, exactly as received.
    [[nodiscard]] QByteArray signingInput() const;
    [[nodiscard]] bool isUnsigned() const { return kind == TokenKind::Jws && segments.value(2).isEmpty(); }
};

// The same parse with the segments as views into the text it was given (which must outlive it): what the
// verify path uses, since copying the segments costs more than checking them.
struct CompactView
{
    TokenKind kind = TokenKind::Jws;
    QByteArrayView raw;
    std::array<QByteArrayView, 5> segments; // the first 3 (JWS) or 5 (JWE) are set
    QByteArray header;
    QByteArray payload;
    QByteArray signature;
    unsigned headerQuirks = 0;
    unsigned payloadQuirks = 0;
    bool signatureCanonical = true;
    QStringList warnings;

    [[nodiscard]] qsizetype segmentCount() const { return kind == TokenKind::Jws ? 3 : 5; }
    [[nodiscard]] QByteArrayView signingInput() const { return raw.first(segments[0].size() + 1 + segments[1].size()); }
};

// Splits and decodes a compact JWS or JWE. Fails (MalformedToken/BadBase64/TooLarge) on: a segment count
// other than 3 or 5, characters outside base64url in any segment, an empty header, a header segment that does
// not decode, a size past limits::maxTokenBytes. Does not parse the header JSON (see JsonText.h).
// Header/payload base64 quirks are tolerated and reported; a non-canonical signature segment is reported
// and leaves `signature` empty with signatureCanonical = false.
Result<CompactToken> parseCompact(QByteArrayView text);
Result<CompactView> parseCompactView(QByteArrayView text);

} // namespace tb::jose
