#pragma once

#include <QByteArray>
#include <QString>

#include "base/Error.h"

namespace tb::files {

// Writes `bytes` to `path` created with POSIX `mode` (0600 for private keys, DESIGN decision 5).
// Refuses (AlreadyExists) to replace an existing file unless `overwrite`; the mode is applied on replace too.
Result<void> writeFile(const QString& path, const QByteArray& bytes, unsigned mode, bool overwrite);

} // namespace tb::files
