#pragma once

#include <optional>

#include "jose/jwe/Jwe.h"
#include "keys/Key.h"

class QComboBox;

namespace tb::ui {

class Workspace;

// Fills `combo` with the workspace keys that can run `alg` (every key when alg is unknown), keeping the current
// choice when it is still listed. Decrypting needs the private half of RSA/EC/OKP keys. Item data: the
// workspace row, or -1 for the "no key fits" line.
void fillJweKeys(QComboBox* combo, const Workspace& workspace, std::optional<jose::jwe::KeyAlg> alg, bool decrypting);
// The key the combo points at, or null.
keys::KeyPtr chosenJweKey(const QComboBox* combo, const Workspace& workspace);
// Whether `alg` takes a password (PBES2).
bool isPasswordAlg(std::optional<jose::jwe::KeyAlg> alg);

} // namespace tb::ui
