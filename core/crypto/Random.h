#pragma once

#include <QByteArray>

#include "base/Error.h"
#include "base/SecretBytes.h"

namespace tb::crypto {

// Public randomness (session-ID demos, jti, nonces): RAND_bytes.
Result<QByteArray> randomBytes(qsizetype count);
// Secret randomness (keys, HMAC secrets): RAND_priv_bytes, a separate generator instance.
Result<SecretBytes> secretRandomBytes(qsizetype count);

} // namespace tb::crypto
