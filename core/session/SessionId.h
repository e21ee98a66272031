#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "base/Error.h"

namespace tb::session {

enum class IdEncoding
{
    Base64Url, // unpadded, RFC 4648 §5
    Hex,       // lower case
    Custom,    // characters of a caller's alphabet, unbiased (rejection sampling)
};

struct IdSpec
{
    int bits = 128; // entropy per ID; a multiple of 8 for base64url/hex
    IdEncoding encoding = IdEncoding::Base64Url;
    QByteArray alphabet; // Custom only: 2..256 distinct bytes
};

inline constexpr int minIdBits = 8;
inline constexpr int maxIdBits = 4096;
inline constexpr int maxIdCount = 1000000;

// Checks the spec without generating anything (for argument errors before any output).
Result<void> validate(const IdSpec& spec);
// IDs from the OpenSSL CSPRNG (RAND_bytes). Fails on a bad spec or an RNG failure.
Result<QList<QByteArray>> generateIds(const IdSpec& spec, int count);
// Characters per ID for the spec (22 for 128-bit base64url, 32 for hex).
int idLength(const IdSpec& spec);

// Expected time to guess one live ID: B bits of entropy, A guesses per second, S live sessions.
// mean = 2^B / (2·A·S) (a uniform search finds one of S targets halfway on average);
// owasp = 2^B / (A·S), the figure the OWASP pages quote (64 bits, 10,000/s, 100,000 sessions ≈ 585 years).
struct GuessEstimate
{
    double meanSeconds = 0;
    double owaspSeconds = 0;
    QString formula;
};
GuessEstimate guessTime(double bits, double guessesPerSecond, double liveSessions);
// "584.9 years", "3.2 hours", …
QString humanDuration(double seconds);

} // namespace tb::session
