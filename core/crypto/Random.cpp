#include "Random.h"

#include <vector>

#include <openssl/err.h>
#include <openssl/rand.h>

#include "Ossl.h"

namespace tb::crypto {

Result<QByteArray> randomBytes(qsizetype count)
{
    if (count < 0 || count > (1 << 24)) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A random byte count must be between 0 and 16 MiB."));
    }
    QByteArray out(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("The random number generator failed."),
                    takeOpensslErrors());
    }
    return out;
}

Result<SecretBytes> secretRandomBytes(qsizetype count)
{
    if (count < 0 || count > (1 << 20)) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("A secret byte count must be between 0 and 1 MiB."));
    }
    std::vector<std::uint8_t> buffer(static_cast<std::size_t>(count));
    if (count > 0 && RAND_priv_bytes(buffer.data(), static_cast<int>(count)) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("The random number generator failed."),
                    takeOpensslErrors());
    }
    SecretBytes secret{std::span<const std::uint8_t>(buffer)};
    cleanse(buffer.data(), buffer.size());
    return secret;
}

} // namespace tb::crypto
