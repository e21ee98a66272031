#pragma once

#include <QByteArrayView>

#include "base/Error.h"

namespace tb::keys {

// An encrypted PKCS#8 key (PEM or DER) names its passphrase KDF and that KDF's work factor in the clear; a
// hostile file asking for 2^31 PBKDF2 iterations would hold the decoder for hours. Fails with TooLarge naming
// the limit when the work is over limits::maxKeyKdfIterations / maxKeyScryptWork; succeeds for anything else,
// including bytes that are no encrypted PKCS#8 (the decoders judge those).
Result<void> checkKdfCost(QByteArrayView bytes);

} // namespace tb::keys
