#include "Bytes.h"

#include <cmath>

#include <QDateTime>

namespace tb::bytes {

bool isTrimSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

QByteArrayView trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isTrimSpace(text[begin])) {
        ++begin;
    }
    while (end > begin && isTrimSpace(text[end - 1])) {
        --end;
    }
    return text.sliced(begin, end - begin);
}

QString toHex(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toHex());
}

QString utcString(double epoch)
{
    // Beyond year 9999 the fixed format no longer holds; callers show the epoch alone then.
    constexpr double maxEpoch = 253402300799.0; // 9999-12-31T23:59:59Z
    constexpr double minEpoch = -62135596800.0; // 0001-01-01T00:00:00Z
    if (!std::isfinite(epoch) || epoch > maxEpoch || epoch < minEpoch) {
        return {};
    }
    const auto seconds = static_cast<qint64>(std::floor(epoch));
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

} // namespace tb::bytes
