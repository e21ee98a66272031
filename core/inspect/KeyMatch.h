#pragma once

#include <QByteArrayView>
#include <QList>

#include "keys/Key.h"

namespace tb::inspect {

// Index in `candidates` of the first key under which the JWS `token` has a valid signature, or -1: none
// verifies, or the token is not a JWS. Goes through validate::verifyToken with the algorithms that fit each
// key (never `none`); time claims do not matter here, only the signature.
qsizetype verifyingKey(QByteArrayView token, const QList<keys::KeyPtr>& candidates);

} // namespace tb::inspect
