// JWE decryption of hostile input (compact, flattened and general JSON): header parsing, the p2c and inflate
// caps, key-size checks. Authentication cannot be forged by a fuzzer, so the keys are fixed and the interest is
// everything before and around the tag check. The PBES2 cap is lowered to keep each run fast.
#include "FuzzSupport.h"

#include "jose/JsonText.h"
#include "jose/jwe/Jwe.h"
#include "keys/KeyIo.h"

using namespace tb;

namespace {

const QList<keys::KeyPtr>& fuzzKeys()
{
    static const QList<keys::KeyPtr> list = [] {
        QList<keys::KeyPtr> out;
        out << keys::secretKey(QByteArray(16, 'k')) << keys::secretKey(QByteArray(32, 'k'))
            << keys::secretKey(QByteArray(64, 'k'));
        if (auto ec = keys::generateKey(jose::Alg::ES256)) {
            out << *ec;
        }
        return out;
    }();
    return list;
}

} // namespace

TB_FUZZ_TARGET(jwe)
{
    const QByteArray text = fuzz::copy(data, size);
    jose::jwe::DecryptOptions options;
    options.maxP2c = 2000;
    options.maxInflatedBytes = 1024 * 1024;
    for (const keys::KeyPtr& key : fuzzKeys()) {
        const auto result = jose::jwe::decrypt(text, *key, options);
        if (!result) {
            TB_FUZZ_CHECK(!result.error().message.isEmpty());
            continue;
        }
        (void)jose::jwe::explainHeader(result->header, options);
    }
    if (auto header = jose::parseObject(text)) {
        (void)jose::jwe::explainHeader(*header, options);
    }
    return 0;
}
