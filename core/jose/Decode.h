#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include "base/Error.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"

namespace tb::jose {

// A compact JWS or JWE decoded for reading, nothing verified: the segments as views into the text it came
// from (which must outlive it), the header and payload decoded and scanned once (strict RFC 8259,
// duplicate keys found) and every warning as a sentence. Values are read through member views, straight
// from the bytes, so no second JSON parse is made (use parseObject where a QJsonObject is needed).
struct DecodedToken
{
    CompactView compact;
    JsonScan headerScan;  // always a valid JSON object
    JsonScan payloadScan; // a JWS payload's scan (its error is set when the payload is not JSON); else empty
    QStringList warnings; // base64url quirks, then duplicate keys of the header, then of the payload

    [[nodiscard]] bool isJws() const { return compact.kind == TokenKind::Jws; }
    [[nodiscard]] bool isUnsigned() const { return isJws() && compact.segments[2].isEmpty(); }
    [[nodiscard]] bool payloadIsObject() const { return !payloadScan.error && payloadScan.topLevelIsObject; }
    // Member views; each call builds the member index, so keep the view. A view must not outlive this object.
    [[nodiscard]] JsonObjectView header() const { return {compact.header, headerScan}; }
    [[nodiscard]] JsonObjectView payload() const { return {compact.payload, payloadScan}; }
};

// Decodes without verifying. Fails on what parseCompactView refuses, on a header that is not valid JSON
// (naming line and column) or not an object, and on a payload past the JSON limits (depth, members).
// A payload that is not JSON, or empty, is not an error.
Result<DecodedToken> decodeToken(QByteArrayView text);

// One sentence per duplicate key, naming its object by JSON Pointer, e.g.
// `Duplicate key "alg" in the header at line 2, column 1 (first at line 1, column 2).`
QStringList duplicateKeyWarnings(const JsonScan& scan, const QString& where);

} // namespace tb::jose
