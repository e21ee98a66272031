#include "Ossl.h"

#include <QStringList>

#include <openssl/err.h>

namespace tb::crypto {

bool setPssParams(EVP_PKEY_CTX* pctx, const char* saltlen)
{
    char padMode[] = OSSL_PKEY_RSA_PAD_MODE_PSS;
    char salt[16] = {};
    qstrncpy(salt, saltlen, sizeof salt);
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, padMode, 0),
                                 OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN, salt, 0),
                                 OSSL_PARAM_construct_end()};
    return EVP_PKEY_CTX_set_params(pctx, params) == 1;
}

QString takeOpensslErrors(bool* fatal)
{
    QStringList parts;
    unsigned long code = 0;
    while ((code = ERR_get_error_all(nullptr, nullptr, nullptr, nullptr, nullptr)) != 0) {
        if (fatal != nullptr && ERR_FATAL_ERROR(code)) {
            *fatal = true;
        }
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        parts << QString::fromLatin1(buffer);
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace tb::crypto
