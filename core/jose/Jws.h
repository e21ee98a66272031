#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "base/Error.h"
#include "jose/Algorithm.h"
#include "keys/Key.h"

namespace tb::jose {

// The header sign() uses when the caller gives none: {"alg":ALG,"typ":"JWT"} plus "kid" when set.
QByteArray defaultHeader(Alg alg, const QString& kid = {});
// Sets "alg" (in place, or first) and "kid" (in place, or last) in a header text the caller wrote,
// keeping every other byte (CLI.md edge case 8).
Result<QByteArray> prepareHeader(QByteArrayView headerJson, Alg alg, const QString& kid = {});

// Signs the exact bytes of the header and payload texts (trimmed of surrounding whitespace, never
// re-serialised) and returns the compact JWS. `key` may be null only for Alg::None.
Result<QByteArray> signCompact(Alg alg, const keys::Key* key, QByteArrayView headerJson, QByteArrayView payload);

} // namespace tb::jose
