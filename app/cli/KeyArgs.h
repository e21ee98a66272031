#pragma once

#include <optional>

#include <QList>
#include <QString>

#include "Command.h"
#include "jose/Algorithm.h"
#include "keys/KeyIo.h"

namespace tb::cli {

// Loading keys named by options, shared by sign, verify, keygen and jwk.
Result<keys::KeyPtr> loadKeyFile(const QString& path, const QString& passphraseFile, const Io& io);
Result<keys::KeyPtr> loadSecretFile(const QString& path, const Io& io);
Result<keys::JwkSet> loadJwksFile(const QString& path, const Io& io);
// The key of decrypt/encrypt: exactly one of --key (PEM/JWK), --secret-file (raw bytes) or --password-file
// (its first line, for PBES2).
Result<keys::KeyPtr> loadJweKey(const ArgParser& parser, const Io& io);
// One algorithm name, exactly as JOSE spells it ("unknown algorithm" otherwise).
Result<jose::Alg> parseAlg(const QString& name);
// A comma-separated allow-list.
Result<QList<jose::Alg>> parseAlgList(const QString& list);
// Weak keys (CLI.md edge case 14): short HMAC secrets, RSA under 2048 bits.
QStringList weakKeyWarnings(const keys::Key& key, jose::Alg alg);

} // namespace tb::cli
