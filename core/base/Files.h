#pragma once

#include <QByteArray>
#include <QString>

#include "base/Error.h"

namespace tb::files {

// Writes `bytes` to `path` created with POSIX `mode` (0600 for private keys, DESIGN decision 5).
// Refuses (AlreadyExists) to replace an existing file unless `overwrite`; the mode is applied on replace too.
Result<void> writeFile(const QString& path, const QByteArray& bytes, unsigned mode, bool overwrite);

// Replaces (or creates) `path` atomically: the bytes go to a new file beside it (mode `mode`, e.g. 0600),
// reach the disk (fsync), and only then is that file renamed over `path`; the folder entry is synced too.
// A crash or kill at any moment leaves the previous file or the new one, never a mix; a save that fails
// removes its temporary file. A symbolic link at `path` is followed (its target is replaced).
Result<void> writeFileAtomic(const QString& path, const QByteArray& bytes, unsigned mode);

} // namespace tb::files
