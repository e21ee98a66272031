// base64url strict and lenient, and standard base64. Properties: strict decoding is the inverse of encoding
// (canonical text only), lenient decoding agrees with strict decoding of the canonical form, and a lenient
// decode without quirks is a strict one.
#include "FuzzSupport.h"

#include "jose/Base64Url.h"

using namespace tb;

TB_FUZZ_TARGET(base64url)
{
    const QByteArray text = fuzz::copy(data, size);

    const auto strict = jose::base64UrlDecode(text);
    if (strict) {
        TB_FUZZ_CHECK(jose::base64UrlEncode(*strict) == text);
    }
    const auto lenient = jose::base64UrlDecodeLenient(text);
    if (strict) {
        TB_FUZZ_CHECK(lenient && lenient->bytes == *strict && lenient->quirks == jose::QuirkNone);
    }
    if (lenient) {
        const QByteArray canonical = jose::base64UrlEncode(lenient->bytes);
        const auto again = jose::base64UrlDecode(canonical);
        TB_FUZZ_CHECK(again && *again == lenient->bytes);
        if (lenient->quirks == jose::QuirkNone) {
            TB_FUZZ_CHECK(strict.has_value());
        }
        (void)jose::describeQuirks(lenient->quirks, QStringLiteral("payload"));
    } else {
        TB_FUZZ_CHECK(!strict);
    }

    // The input as bytes: encode, then both decoders give the bytes back.
    const QByteArray encoded = jose::base64UrlEncode(text);
    const auto back = jose::base64UrlDecode(encoded);
    TB_FUZZ_CHECK(back && *back == text);
    const auto backLenient = jose::base64UrlDecodeLenient(encoded);
    TB_FUZZ_CHECK(backLenient && backLenient->bytes == text && backLenient->quirks == jose::QuirkNone);
    const auto standard = jose::base64Decode(text.toBase64());
    TB_FUZZ_CHECK(standard && *standard == text);
    (void)jose::base64Decode(text);
    return 0;
}
