// Key import: PEM (SPKI, PKCS#8, PKCS#1, SEC1, X.509), DER, JWK and JWK Sets. Property: an imported key
// exports (JWK and PEM, public and private) to text that imports to a key with the same RFC 7638 thumbprint.
#include "FuzzSupport.h"

#include "keys/KdfCost.h"
#include "keys/Key.h"
#include "keys/KeyIo.h"

using namespace tb;

namespace {

void checkReimport(const keys::Key& key, const QString& thumb, keys::KeyPart part)
{
    if (auto jwk = keys::exportJwk(key, part)) {
        const auto back = keys::importKey(*jwk);
        TB_FUZZ_CHECK_MSG(back.has_value(), back.error().message + QLatin1Char(' ') + QString::fromLatin1(*jwk));
        TB_FUZZ_CHECK(keys::thumbprint(**back).value_or(QString()) == thumb);
        TB_FUZZ_CHECK((*back)->hasPrivate() == (part == keys::KeyPart::Private));
    }
    if (key.type() == keys::KeyType::Oct) {
        return;
    }
    if (auto pem = keys::exportPem(key, part)) {
        const auto back = keys::importKey(*pem);
        TB_FUZZ_CHECK_MSG(back.has_value(), back.error().message + QLatin1Char(' ') + QString::fromLatin1(*pem));
        TB_FUZZ_CHECK(keys::thumbprint(**back).value_or(QString()) == thumb);
    }
}

void exercise(const keys::Key& key)
{
    (void)key.describe();
    (void)key.unsafeReason();
    (void)key.fittingAlgs();
    const auto thumb = keys::thumbprint(key);
    if (!thumb) {
        return;
    }
    TB_FUZZ_CHECK(key.thumbprint() == *thumb);
    if (key.type() != keys::KeyType::Oct) {
        checkReimport(key, *thumb, keys::KeyPart::Public);
    }
    if (key.hasPrivate()) {
        checkReimport(key, *thumb, keys::KeyPart::Private);
    }
}

} // namespace

TB_FUZZ_TARGET(keys)
{
    const QByteArray bytes = fuzz::copy(data, size);
    if (const auto key = keys::importKey(bytes)) {
        exercise(**key);
    } else {
        TB_FUZZ_CHECK(!key.error().message.isEmpty());
    }
    // The passphrase-KDF cost check reads the file's ASN.1 before any passphrase is tried.
    if (const auto affordable = keys::checkKdfCost(bytes); !affordable) {
        TB_FUZZ_CHECK(affordable.error().code == ErrorCode::TooLarge);
    }
    if (const auto set = keys::importJwks(bytes)) {
        for (const keys::KeyPtr& key : set->keys) {
            exercise(*key);
        }
    }
    return 0;
}
