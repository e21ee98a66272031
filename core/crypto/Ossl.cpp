#include "Ossl.h"

#include <QStringList>

#include <openssl/err.h>

namespace tb::crypto {

QString takeOpensslErrors()
{
    QStringList parts;
    unsigned long code = 0;
    while ((code = ERR_get_error_all(nullptr, nullptr, nullptr, nullptr, nullptr)) != 0) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        parts << QString::fromLatin1(buffer);
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace tb::crypto
