#include "Bytes.h"

#include <algorithm>
#include <cmath>

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

qsizetype utcChars(double epoch, char (&out)[20])
{
    // Beyond year 9999 the fixed format no longer holds; callers show the epoch alone then.
    constexpr double maxEpoch = 253402300799.0; // 9999-12-31T23:59:59Z
    constexpr double minEpoch = -62135596800.0; // 0001-01-01T00:00:00Z
    if (!std::isfinite(epoch) || epoch > maxEpoch || epoch < minEpoch) {
        return 0;
    }
    // Civil date from days since the epoch (H. Hinnant's algorithm): this runs on every verify, and
    // QDateTime formatting costs more than the HMAC itself.
    const auto seconds = static_cast<qint64>(std::floor(epoch));
    qint64 days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
    const qint64 secondOfDay = seconds - days * 86400;
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const qint64 dayOfEra = days - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 mp = (5 * dayOfYear + 2) / 153;
    const qint64 day = dayOfYear - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    constexpr char pattern[20] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0',
                                  'T', '0', '0', ':', '0', '0', ':', '0', '0', 'Z'};
    std::copy(std::begin(pattern), std::end(pattern), std::begin(out));
    const auto put = [&out](int at, qint64 value, int width) {
        for (int i = at + width - 1; i >= at; --i, value /= 10) {
            out[i] = char('0' + value % 10);
        }
    };
    put(0, year, 4);
    put(5, month, 2);
    put(8, day, 2);
    put(11, secondOfDay / 3600, 2);
    put(14, secondOfDay % 3600 / 60, 2);
    put(17, secondOfDay % 60, 2);
    return qsizetype(sizeof out);
}

QString utcString(double epoch)
{
    char out[20];
    const qsizetype n = utcChars(epoch, out);
    return n == 0 ? QString() : QString::fromLatin1(out, n);
}

} // namespace tb::bytes
