#include "Jws.h"

#include "base/Bytes.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "jose/JsonText.h"

namespace tb::jose {

QByteArray defaultHeader(Alg alg, const QString& kid)
{
    QByteArray header = "{\"alg\":" + jsonQuote(algName(alg)) + ",\"typ\":\"JWT\"";
    if (!kid.isEmpty()) {
        header += ",\"kid\":" + jsonQuote(kid);
    }
    return header + '}';
}

Result<QByteArray> prepareHeader(QByteArrayView headerJson, Alg alg, const QString& kid)
{
    auto header = setTopLevelMember(bytes::trimmed(headerJson), QStringLiteral("alg"), jsonQuote(algName(alg)),
                                    InsertAt::AtStart);
    if (header && !kid.isEmpty()) {
        header = setTopLevelMember(*header, QStringLiteral("kid"), jsonQuote(kid), InsertAt::AtEnd);
    }
    return header;
}

Result<QByteArray> signCompact(Alg alg, const keys::Key* key, QByteArrayView headerJson, QByteArrayView payload)
{
    QByteArray input = base64UrlEncode(bytes::trimmed(headerJson)) + '.' + base64UrlEncode(bytes::trimmed(payload));
    if (alg == Alg::None) {
        return input + '.';
    }
    if (key == nullptr) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("%1 needs a key.").arg(algName(alg)));
    }
    auto signature = crypto::signBytes(alg, *key, input);
    if (!signature) {
        return std::unexpected(signature.error());
    }
    return input + '.' + base64UrlEncode(*signature);
}

} // namespace tb::jose
