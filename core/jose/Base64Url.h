#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringList>

#include "base/Error.h"

namespace tb::jose {

// What a lenient decode tolerated; each is reported, never hidden.
enum Base64Quirk : unsigned
{
    QuirkNone = 0,
    QuirkPadding = 1u << 0,      // trailing '=' characters
    QuirkStdAlphabet = 1u << 1,  // '+' or '/' (standard base64) instead of '-' or '_'
    QuirkNonCanonical = 1u << 2, // unused low bits of the final character are not zero
};

struct LenientDecoded
{
    QByteArray bytes;
    unsigned quirks = QuirkNone;
};

// Unpadded base64url (RFC 7515 §2).
QByteArray base64UrlEncode(QByteArrayView bytes);
// Strict: base64url alphabet, no padding, canonical final bits. For signatures and key members.
Result<QByteArray> base64UrlDecode(QByteArrayView text);
// Lenient: also accepts padding and the standard alphabet, and records each quirk.
// Still refuses characters outside both alphabets and impossible lengths.
Result<LenientDecoded> base64UrlDecodeLenient(QByteArrayView text);
// Standard base64 with padding (x5c, PEM bodies); whitespace is not accepted.
Result<QByteArray> base64Decode(QByteArrayView text);
// One sentence per quirk, for warnings lists; `what` names the segment ("header", "payload").
QStringList describeQuirks(unsigned quirks, const QString& what);

} // namespace tb::jose
