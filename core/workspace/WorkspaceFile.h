#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QList>
#include <QStringList>

#include "base/Error.h"
#include "base/SecretBytes.h"
#include "inspect/Lifecycle.h"
#include "keys/Key.h"
#include "workspace/Sealed.h"

namespace tb::workspace {

inline constexpr int workspaceFormatVersion = 1;

struct NamedKey
{
    QString name;
    keys::KeyPtr key;
};

// What a workspace file holds: tokens (as raw bytes), named keys, free-form settings and the Timeline's marks
// (saved under "timeline" when there are any; files without it load with none, so the format version stays 1).
struct WorkspaceData
{
    QList<QByteArray> tokens;
    QList<NamedKey> keys;
    QJsonObject settings;
    inspect::TimelineMarks timeline;
};

struct LoadedWorkspace
{
    WorkspaceData data;
    QStringList notes; // one sentence per thing left out (secrets not saved, or not unlocked)
};

// JSON text of the workspace. Without `passphrase`, private keys are saved as their public half and HMAC
// secrets are left out (DESIGN decision 5). With it, private keys and secrets are also saved, sealed with
// scrypt + AES-256-GCM (Sealed.h).
Result<QByteArray> serializeWorkspace(const WorkspaceData& data, const SecretBytes* passphrase,
                                      const ScryptParams& params = {});
// serializeWorkspace, then files::writeFileAtomic with mode 0600: a crash or kill during the save leaves the
// previous file intact.
Result<void> saveWorkspaceFile(const QString& path, const WorkspaceData& data, const SecretBytes* passphrase,
                               const ScryptParams& params = {});
// Whether the file holds sealed secrets (so the caller can ask for a passphrase first).
bool hasSealedSecrets(QByteArrayView bytes);
// Reads a workspace. InvalidData for a damaged file (the sentence names what and where), Unsupported for
// a newer format version, WrongPassphrase when secrets do not open. Without a passphrase, sealed secrets
// are skipped and listed in `notes`; keys that do not import, and damaged timeline marks, are skipped and listed
// too.
Result<LoadedWorkspace> parseWorkspace(QByteArrayView bytes, const SecretBytes* passphrase);

} // namespace tb::workspace
