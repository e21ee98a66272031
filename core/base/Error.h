#pragma once

#include <expected>

#include <QString>

namespace tb {

// Stable error codes: callers branch on these, users read the message.
enum class ErrorCode
{
    InvalidArgument, // a caller passed something that cannot be used (usage error)
    TooLarge,        // input past a documented limit; the message names the limit
    TooDeep,         // JSON nesting past the limit
    MalformedToken,  // wrong segment count, illegal characters, empty segments where not allowed
    BadBase64,       // not decodable as base64/base64url
    BadJson,         // not valid JSON where JSON is required
    UnsupportedAlgorithm,
    KeyUnreadable, // bytes that are not a key in any supported format
    KeyMismatch,   // a key that does not fit the algorithm or operation
    PassphraseRequired,
    WrongPassphrase,
    CryptoFailure, // OpenSSL failed; detail holds its error queue
    IoError,
    NotFound,
    AlreadyExists,
    Unsupported,
    Cancelled,
    Timeout,
    StoreUnavailable,
    InvalidScenario,
    InvalidData,
};

struct [[nodiscard]] Error
{
    ErrorCode code = ErrorCode::InvalidArgument;
    QString message; // one human sentence, shown to users as it is
    QString detail;  // optional technical detail (e.g. the OpenSSL error queue); never contains secrets
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for returning an error: `return tb::fail(ErrorCode::BadJson, u"..."_s);`
inline std::unexpected<Error> fail(ErrorCode code, QString message, QString detail = {})
{
    return std::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

} // namespace tb
