// Workspace files (core/workspace). Property: what loads saves (without secrets) to a file that loads to the
// same tokens, the same public keys (by thumbprint, private keys as their public half) and the same settings;
// secret (oct) keys are left out of a save without a passphrase (DESIGN decision 5).
#include "FuzzSupport.h"

#include "keys/KeyIo.h"
#include "workspace/WorkspaceFile.h"

using namespace tb;

namespace {

QStringList thumbprints(const workspace::WorkspaceData& data)
{
    QStringList out;
    for (const workspace::NamedKey& k : data.keys) {
        if (k.key->type() == keys::KeyType::Oct) {
            continue;
        }
        out << k.name + QLatin1Char(' ') + keys::thumbprint(*k.key).value_or(QString());
    }
    return out;
}

} // namespace

TB_FUZZ_TARGET(workspace)
{
    const QByteArray bytes = fuzz::copy(data, size);
    (void)workspace::hasSealedSecrets(bytes);
    const auto loaded = workspace::parseWorkspace(bytes, nullptr);
    if (!loaded) {
        TB_FUZZ_CHECK(!loaded.error().message.isEmpty());
        return 0;
    }
    const auto saved = workspace::serializeWorkspace(loaded->data, nullptr);
    TB_FUZZ_CHECK(saved.has_value());
    const auto again = workspace::parseWorkspace(*saved, nullptr);
    TB_FUZZ_CHECK(again.has_value());
    TB_FUZZ_CHECK(again->data.tokens == loaded->data.tokens);
    TB_FUZZ_CHECK(again->data.settings == loaded->data.settings);
    TB_FUZZ_CHECK_MSG(thumbprints(again->data) == thumbprints(loaded->data),
                      thumbprints(again->data).join(QLatin1Char(',')) + QStringLiteral(" != ") +
                          thumbprints(loaded->data).join(QLatin1Char(',')) + QLatin1Char(' ') +
                          again->notes.join(QLatin1Char(' ')));
    return 0;
}
