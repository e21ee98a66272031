#include "KeyMatch.h"

#include "validate/Verifier.h"

namespace tb::inspect {

qsizetype verifyingKey(QByteArrayView token, const QList<keys::KeyPtr>& candidates)
{
    for (qsizetype i = 0; i < candidates.size(); ++i) {
        if (!candidates[i]) {
            continue;
        }
        validate::KeyInput input;
        input.key = candidates[i];
        const auto report = validate::verifyToken(token, input, validate::Policy{});
        if (!report) {
            // Not a JWS, or no algorithm of this key can run: the next key may fit.
            continue;
        }
        if (report->signature == validate::SignatureState::Valid) {
            return i;
        }
    }
    return -1;
}

} // namespace tb::inspect
