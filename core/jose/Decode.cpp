#include "Decode.h"

namespace tb::jose {

Result<DecodedToken> decodeToken(QByteArrayView text)
{
    auto compact = parseCompactView(text);
    if (!compact) {
        return std::unexpected(compact.error());
    }
    DecodedToken d;
    d.compact = std::move(*compact);
    d.headerScan = scanJson(d.compact.header);
    if (d.headerScan.error) {
        return std::unexpected(toError(*d.headerScan.error, QStringLiteral("The header")));
    }
    if (!d.headerScan.topLevelIsObject) {
        return fail(ErrorCode::BadJson, QStringLiteral("The header is valid JSON but not an object; a JOSE header "
                                                       "must be a JSON object."));
    }
    d.warnings = d.compact.warnings;
    d.warnings << duplicateKeyWarnings(d.headerScan, QStringLiteral("header"));
    if (d.isJws() && !d.compact.payload.isEmpty()) {
        d.payloadScan = scanJson(d.compact.payload);
        const auto& error = d.payloadScan.error;
        // A payload need not be JSON, but one past the JSON limits is refused like any other input.
        if (error && error->kind != JsonErrorKind::Syntax) {
            return std::unexpected(toError(*error, QStringLiteral("The payload")));
        }
        if (d.payloadIsObject()) {
            d.warnings << duplicateKeyWarnings(d.payloadScan, QStringLiteral("payload"));
        }
    }
    return d;
}

QStringList duplicateKeyWarnings(const JsonScan& scan, const QString& where)
{
    QStringList out;
    for (const JsonDuplicateKey& d : scan.duplicates) {
        const QString object =
            d.path.isEmpty() ? QStringLiteral("the %1").arg(where) : QStringLiteral("%1 of the %2").arg(d.path, where);
        out << QStringLiteral("Duplicate key \"%1\" in %2 at line %3, column %4 (first at line %5, column %6).")
                   .arg(d.key, object)
                   .arg(d.duplicate.line)
                   .arg(d.duplicate.column)
                   .arg(d.first.line)
                   .arg(d.first.column);
    }
    return out;
}

} // namespace tb::jose
