#include "SessionId.h"

#include <cmath>
#include <set>

#include "crypto/Random.h"
#include "jose/Base64Url.h"

namespace tb::session {

namespace {

int customLength(int bits, int alphabetSize)
{
    return int(std::ceil(double(bits) / std::log2(double(alphabetSize)) - 1e-9));
}

Result<QByteArray> customId(int length, const QByteArray& alphabet)
{
    // Accept bytes below the largest multiple of the alphabet size so every character is equally likely.
    const int k = int(alphabet.size());
    const int limit = 256 - 256 % k;
    QByteArray out;
    while (out.size() < length) {
        auto pool = crypto::randomBytes(length * 2);
        if (!pool) {
            return std::unexpected(pool.error());
        }
        for (const char c : *pool) {
            const int v = std::uint8_t(c);
            if (v < limit && out.size() < length) {
                out.append(alphabet[v % k]);
            }
        }
    }
    return out;
}

} // namespace

Result<void> validate(const IdSpec& spec)
{
    if (spec.bits < minIdBits || spec.bits > maxIdBits) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The ID size must be between %1 and %2 bits.").arg(minIdBits).arg(maxIdBits));
    }
    if (spec.encoding == IdEncoding::Custom) {
        const std::set<char> distinct(spec.alphabet.begin(), spec.alphabet.end());
        if (spec.alphabet.size() < 2 || spec.alphabet.size() > 256 ||
            qsizetype(distinct.size()) != spec.alphabet.size()) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("A custom alphabet needs 2 to 256 distinct characters."));
        }
        return {};
    }
    if (spec.bits % 8 != 0) {
        return fail(
            ErrorCode::InvalidArgument,
            QStringLiteral("The ID size must be a multiple of 8 bits for base64url and hex (got %1).").arg(spec.bits));
    }
    return {};
}

int idLength(const IdSpec& spec)
{
    switch (spec.encoding) {
    case IdEncoding::Hex:
        return spec.bits / 4;
    case IdEncoding::Base64Url:
        return (spec.bits + 5) / 6;
    case IdEncoding::Custom:
        break;
    }
    return customLength(spec.bits, int(spec.alphabet.size()));
}

Result<QList<QByteArray>> generateIds(const IdSpec& spec, int count)
{
    if (auto ok = validate(spec); !ok) {
        return std::unexpected(ok.error());
    }
    if (count < 1 || count > maxIdCount) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("The count must be between 1 and %1.").arg(maxIdCount));
    }
    QList<QByteArray> ids;
    ids.reserve(count);
    for (int i = 0; i < count; ++i) {
        if (spec.encoding == IdEncoding::Custom) {
            auto id = customId(idLength(spec), spec.alphabet);
            if (!id) {
                return std::unexpected(id.error());
            }
            ids << *id;
            continue;
        }
        auto raw = crypto::randomBytes(spec.bits / 8);
        if (!raw) {
            return std::unexpected(raw.error());
        }
        ids << (spec.encoding == IdEncoding::Hex ? raw->toHex() : jose::base64UrlEncode(*raw));
    }
    return ids;
}

GuessEstimate guessTime(double bits, double guessesPerSecond, double liveSessions)
{
    GuessEstimate e;
    if (guessesPerSecond <= 0 || liveSessions <= 0 || bits < 0) {
        return e;
    }
    const double space = std::exp2(bits);
    e.owaspSeconds = space / (guessesPerSecond * liveSessions);
    e.meanSeconds = e.owaspSeconds / 2.0;
    e.formula =
        QStringLiteral("expected time = 2^B / (2·A·S) seconds (mean of a uniform search for any of S live IDs); "
                       "OWASP quotes 2^B / (A·S)");
    return e;
}

QString humanDuration(double seconds)
{
    constexpr double minute = 60;
    constexpr double hour = 3600;
    constexpr double day = 86400;
    constexpr double year = 365.25 * day;
    if (!std::isfinite(seconds)) {
        return QStringLiteral("forever");
    }
    if (seconds < minute) {
        return QStringLiteral("%1 seconds").arg(seconds, 0, 'g', 3);
    }
    if (seconds < hour) {
        return QStringLiteral("%1 minutes").arg(seconds / minute, 0, 'f', 1);
    }
    if (seconds < day) {
        return QStringLiteral("%1 hours").arg(seconds / hour, 0, 'f', 1);
    }
    if (seconds < year) {
        return QStringLiteral("%1 days").arg(seconds / day, 0, 'f', 1);
    }
    if (seconds < 1e6 * year) {
        return QStringLiteral("%1 years").arg(seconds / year, 0, 'f', 1);
    }
    return QStringLiteral("%1 years").arg(seconds / year, 0, 'e', 2);
}

} // namespace tb::session
