#include "Structure.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>

#include <QJsonDocument>
#include <QJsonObject>

#include "base/Bytes.h"
#include "jose/Base64Url.h"

namespace tb::session {

namespace {

constexpr qint64 dayMs = 86400000;
constexpr double majority = 0.9;
// 100-ns intervals between 1582-10-15 (UUID v1 epoch) and 1970-01-01.
constexpr qint64 uuidEpochOffset = 0x01B21DD213814000LL;

bool isHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}
bool isAlnum(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

QString utc(qint64 ms)
{
    return bytes::utcString(double(ms) / 1000.0);
}

QString printable(QByteArrayView s)
{
    QString out;
    for (const char c : s) {
        out += (c >= 0x20 && c < 0x7f) ? QChar(QLatin1Char(c)) : QChar(u'?');
    }
    return out;
}

// "kind" of a field by its characters, for the delimiter finding.
QString charsetName(const QList<QByteArray>& values)
{
    bool dec = true;
    bool hex = true;
    bool b64 = true;
    for (const QByteArray& v : values) {
        for (const char c : v) {
            dec = dec && isDigit(c);
            hex = hex && isHex(c);
            b64 = b64 && (isAlnum(c) || c == '-' || c == '_');
        }
    }
    return dec   ? QStringLiteral("decimal")
           : hex ? QStringLiteral("hex")
           : b64 ? QStringLiteral("base64url")
                 : QStringLiteral("text");
}

std::optional<qint64> parseNumber(QByteArrayView s, int base)
{
    if (s.isEmpty() || s.size() > (base == 10 ? 18 : 15)) {
        return std::nullopt;
    }
    bool ok = false;
    const qint64 v = QByteArray(s.data(), s.size()).toLongLong(&ok, base);
    return ok ? std::optional<qint64>(v) : std::nullopt;
}

// Which unit (s, ms, µs) puts most values within a day of the capture time.
std::optional<QString> timestampUnit(const std::vector<qint64>& values, qint64 captureMs)
{
    if (captureMs <= 0 || values.empty()) {
        return std::nullopt;
    }
    const std::pair<QString, double> units[] = {{QStringLiteral("seconds"), 1000.0},
                                                {QStringLiteral("milliseconds"), 1.0},
                                                {QStringLiteral("microseconds"), 0.001}};
    for (const auto& [unit, toMs] : units) {
        const auto near = std::count_if(values.begin(), values.end(), [&, toMs = toMs](qint64 v) {
            return std::fabs(double(v) * toMs - double(captureMs)) <= double(dayMs);
        });
        if (double(near) >= majority * double(values.size())) {
            return unit;
        }
    }
    return std::nullopt;
}

struct Field
{
    QString label;
    QList<QByteArray> values;
    int base = 0; // 10 or 16 when numeric
    std::vector<qint64> numbers;
    std::optional<QString> timeUnit;
};

struct Detector
{
    const QList<QByteArray>& ids;
    qint64 captureMs;
    std::vector<StructureFinding> out;

    void add(const QString& kind, const QString& detail, bool predictable = false)
    {
        out.push_back({kind, detail, predictable});
    }

    void lengths()
    {
        qsizetype lo = ids.first().size();
        qsizetype hi = lo;
        for (const QByteArray& id : ids) {
            lo = std::min(lo, id.size());
            hi = std::max(hi, id.size());
        }
        if (lo != hi) {
            add(QStringLiteral("length"),
                QStringLiteral("The IDs vary in length from %1 to %2 characters.").arg(lo).arg(hi));
        }
    }

    void staticPositions()
    {
        if (ids.size() < 2) {
            return;
        }
        qsizetype minLen = ids.first().size();
        for (const QByteArray& id : ids) {
            minLen = std::min(minLen, id.size());
        }
        QStringList ranges;
        int count = 0;
        qsizetype p = 0;
        while (p < minLen) {
            auto fixed = [this](qsizetype pos) {
                return std::all_of(ids.begin(), ids.end(),
                                   [&](const QByteArray& id) { return id[pos] == ids[0][pos]; });
            };
            if (!fixed(p)) {
                ++p;
                continue;
            }
            qsizetype end = p;
            while (end + 1 < minLen && fixed(end + 1)) {
                ++end;
            }
            count += int(end - p + 1);
            const QString text = printable(QByteArrayView(ids[0]).sliced(p, end - p + 1));
            ranges << (end == p ? QStringLiteral("%1 ('%2')").arg(p).arg(text)
                                : QStringLiteral("%1-%2 ('%3')").arg(p).arg(end).arg(text.left(40)));
            p = end + 1;
        }
        if (count > 0) {
            add(QStringLiteral("static"), QStringLiteral("%1 of %2 character positions never change: %3.")
                                              .arg(count)
                                              .arg(minLen)
                                              .arg(ranges.mid(0, 12).join(QStringLiteral(", "))));
        }
    }

    bool uuid()
    {
        auto isUuid = [](const QByteArray& s) {
            if (s.size() != 36) {
                return false;
            }
            for (int i = 0; i < 36; ++i) {
                const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? s[i] != '-' : !isHex(s[i])) {
                    return false;
                }
            }
            return true;
        };
        const auto matching = std::count_if(ids.begin(), ids.end(), isUuid);
        if (double(matching) < majority * double(ids.size())) {
            return false;
        }
        std::map<char, int> versions;
        for (const QByteArray& id : ids) {
            if (isUuid(id)) {
                ++versions[id[14]];
            }
        }
        const char version = std::max_element(versions.begin(), versions.end(), [](auto& a, auto& b) {
                                 return a.second < b.second;
                             })->first;
        std::vector<qint64> times;
        QString timeText;
        if (version == '1') {
            for (const QByteArray& id : ids) {
                if (!isUuid(id)) {
                    continue;
                }
                const QByteArray hex = id.mid(15, 3) + id.mid(9, 4) + id.mid(0, 8);
                const qint64 ticks = hex.toLongLong(nullptr, 16);
                times.push_back((ticks - uuidEpochOffset) / 10000);
            }
            const bool nodeFixed = std::all_of(ids.begin(), ids.end(),
                                               [this](const QByteArray& id) { return id.mid(24) == ids[0].mid(24); });
            add(QStringLiteral("uuid"),
                QStringLiteral("UUID v1 (RFC 9562): a 60-bit timestamp, a clock sequence and a node ID%1; little of "
                               "it is random.")
                    .arg(nodeFixed ? QStringLiteral(" (node %1 in every ID)").arg(QString::fromLatin1(ids[0].mid(24)))
                                   : QString()));
        } else if (version == '7') {
            for (const QByteArray& id : ids) {
                if (isUuid(id)) {
                    times.push_back((id.mid(0, 8) + id.mid(9, 4)).toLongLong(nullptr, 16));
                }
            }
            add(QStringLiteral("uuid"),
                QStringLiteral("UUID v7 (RFC 9562): a 48-bit Unix time in milliseconds and 74 "
                               "random bits, under the 128 bits ASVS 5 asks of session tokens."));
        } else if (version == '4') {
            add(QStringLiteral("uuid"),
                QStringLiteral("UUID v4 (RFC 9562): 122 random bits and 6 fixed version and variant bits."));
        } else {
            add(QStringLiteral("uuid"), QStringLiteral("UUID version %1 (RFC 9562).").arg(QLatin1Char(version)));
        }
        if (!times.empty()) {
            const auto [lo, hi] = std::minmax_element(times.begin(), times.end());
            const bool near = timestampUnit(times, captureMs).has_value();
            add(QStringLiteral("timestamp"),
                QStringLiteral("The UUID time field runs from %1 to %2%3: IDs can be predicted from the time.")
                    .arg(utc(*lo), utc(*hi), near ? QStringLiteral(", within a day of the capture time") : QString()),
                true);
        }
        return true;
    }

    bool jwt()
    {
        const QList<QByteArray> parts = ids.first().split('.');
        if (parts.size() != 3 && parts.size() != 5) {
            return false;
        }
        auto header = jose::base64UrlDecodeLenient(parts[0]);
        if (!header) {
            return false;
        }
        const QJsonDocument doc = QJsonDocument::fromJson(header->bytes);
        if (!doc.isObject() || !doc.object().contains(QStringLiteral("alg"))) {
            return false;
        }
        add(QStringLiteral("jwt"),
            QStringLiteral("The IDs are JWTs (alg %1): self-contained tokens whose claims anyone can read.")
                .arg(doc.object().value(QStringLiteral("alg")).toString()));
        return true;
    }

    void embeddedJson(const Field& f)
    {
        int hits = 0;
        QStringList keys;
        const qsizetype probe = std::min<qsizetype>(f.values.size(), 20);
        for (qsizetype i = 0; i < probe; ++i) {
            auto decoded = jose::base64UrlDecodeLenient(f.values[i]);
            if (!decoded) {
                continue;
            }
            const QJsonDocument doc = QJsonDocument::fromJson(decoded->bytes);
            if (doc.isObject()) {
                ++hits;
                keys = doc.object().keys();
            }
        }
        if (probe > 0 && hits * 2 > probe) {
            add(QStringLiteral("json"), QStringLiteral("%1 decodes (base64) to a JSON object with members: %2.")
                                            .arg(f.label, keys.mid(0, 8).join(QStringLiteral(", "))));
        }
    }

    // Delimiter characters are non-alphanumeric bytes that occur equally often in every ID.
    QByteArray delimiters() const
    {
        // Candidates are the non-alphanumeric bytes of the first ID; one histogram per ID keeps this linear.
        std::array<qsizetype, 256> first{};
        for (const char c : ids.first()) {
            ++first[std::uint8_t(c)];
        }
        std::vector<int> candidates;
        for (int c = 0x21; c < 0x7f; ++c) {
            if (!isAlnum(char(c)) && first[std::size_t(c)] > 0) {
                candidates.push_back(c);
            }
        }
        std::vector<bool> consistent(candidates.size(), true);
        for (const QByteArray& id : ids) {
            if (candidates.empty()) {
                break;
            }
            std::array<qsizetype, 256> counts{};
            for (const char c : id) {
                ++counts[std::uint8_t(c)];
            }
            for (std::size_t i = 0; i < candidates.size(); ++i) {
                const auto c = std::size_t(candidates[i]);
                consistent[i] = consistent[i] && counts[c] == first[c];
            }
        }
        QByteArray found;
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            if (consistent[i]) {
                found.append(char(candidates[i]));
            }
        }
        return found;
    }

    static QList<QByteArray> splitAny(const QByteArray& s, const QByteArray& delims)
    {
        QList<QByteArray> parts;
        QByteArray current;
        for (const char c : s) {
            if (delims.contains(c)) {
                parts << current;
                current.clear();
            } else {
                current += c;
            }
        }
        parts << current;
        return parts;
    }

    std::vector<Field> fields()
    {
        const QByteArray delims = delimiters();
        std::vector<Field> result;
        if (delims.isEmpty()) {
            Field f{QStringLiteral("The ID"), ids, 0, {}, {}};
            result.push_back(f);
            return result;
        }
        const qsizetype count = splitAny(ids.first(), delims).size();
        result.resize(std::size_t(count));
        for (const QByteArray& id : ids) {
            const QList<QByteArray> parts = splitAny(id, delims);
            for (qsizetype i = 0; i < count && i < parts.size(); ++i) {
                result[std::size_t(i)].values << parts[i];
            }
        }
        QStringList kinds;
        for (std::size_t i = 0; i < result.size(); ++i) {
            result[i].label = QStringLiteral("Field %1").arg(i + 1);
            kinds << QStringLiteral("%1 (%2)").arg(i + 1).arg(charsetName(result[i].values));
        }
        QString shown;
        for (const char c : delims) {
            shown += QStringLiteral("'%1' ").arg(QLatin1Char(c));
        }
        add(QStringLiteral("delimiter"), QStringLiteral("Every ID splits into %1 fields at %2: %3.")
                                             .arg(count)
                                             .arg(shown.trimmed(), kinds.join(QStringLiteral(", "))));
        return result;
    }

    // Numeric value of a field, ignoring a prefix that never changes (zero padding).
    void numeric(Field& f)
    {
        const QString cs = charsetName(f.values);
        const int base = cs == QStringLiteral("decimal") ? 10 : cs == QStringLiteral("hex") ? 16 : 0;
        if (base == 0) {
            return;
        }
        qsizetype minLen = f.values.first().size();
        for (const QByteArray& v : f.values) {
            minLen = std::min(minLen, v.size());
        }
        qsizetype prefix = 0;
        while (prefix < minLen && std::all_of(f.values.begin(), f.values.end(), [&](const QByteArray& v) {
                   return v[prefix] == f.values.first()[prefix];
               })) {
            ++prefix;
        }
        prefix = std::min(prefix, minLen - 1);
        for (const QByteArray& v : f.values) {
            // Keep leading static digits when they are significant (a timestamp's high digits).
            const auto whole = parseNumber(v, base);
            const auto tail = parseNumber(QByteArrayView(v).sliced(prefix), base);
            if (!whole && !tail) {
                f.numbers.clear();
                return;
            }
            f.numbers.push_back(whole ? *whole : *tail);
        }
        f.base = base;
    }

    void timestamp(Field& f)
    {
        f.timeUnit = timestampUnit(f.numbers, captureMs);
        if (f.timeUnit) {
            const auto [lo, hi] = std::minmax_element(f.numbers.begin(), f.numbers.end());
            const double toMs = *f.timeUnit == QStringLiteral("seconds")        ? 1000.0
                                : *f.timeUnit == QStringLiteral("milliseconds") ? 1.0
                                                                                : 0.001;
            add(QStringLiteral("timestamp"),
                QStringLiteral("%1 is a Unix time in %2 (%3 to %4), within a day of the capture time.")
                    .arg(f.label, *f.timeUnit, utc(qint64(double(*lo) * toMs)), utc(qint64(double(*hi) * toMs))),
                true);
        }
    }

    // A time prefix inside a longer hex/decimal field (Mongo ObjectId: 8 hex of seconds; 12 hex of ms).
    void timePrefix(const Field& f)
    {
        if (f.timeUnit || f.values.first().size() < 10) {
            return;
        }
        const QString cs = charsetName(f.values);
        const std::vector<std::pair<int, int>> probes =
            cs == QStringLiteral("decimal") ? std::vector<std::pair<int, int>>{{10, 10}, {13, 10}}
            : cs == QStringLiteral("hex")   ? std::vector<std::pair<int, int>>{{8, 16}, {12, 16}}
                                            : std::vector<std::pair<int, int>>{};
        for (const auto& [digits, base] : probes) {
            std::vector<qint64> values;
            for (const QByteArray& v : f.values) {
                if (v.size() <= digits) {
                    return;
                }
                const auto number = parseNumber(QByteArrayView(v).first(digits), base);
                if (!number) {
                    return;
                }
                values.push_back(*number);
            }
            if (const auto unit = timestampUnit(values, captureMs)) {
                add(QStringLiteral("timestamp"),
                    QStringLiteral("The first %1 characters of %2 are a Unix time in %3.")
                        .arg(digits)
                        .arg(f.label.toLower(), *unit),
                    true);
                return;
            }
        }
    }

    void counter(const Field& f, const Field* clock)
    {
        if (f.timeUnit || f.numbers.size() < 3) {
            return;
        }
        std::map<qint64, int> steps;
        qsizetype up = 0;
        qsizetype down = 0;
        for (std::size_t i = 1; i < f.numbers.size(); ++i) {
            const qint64 d = f.numbers[i] - f.numbers[i - 1];
            up += d > 0 ? 1 : 0;
            down += d < 0 ? 1 : 0;
            ++steps[d];
        }
        const double pairs = double(f.numbers.size() - 1);
        const bool increasing = double(up) >= majority * pairs;
        if (!increasing && double(down) < majority * pairs) {
            return;
        }
        const auto mode =
            std::max_element(steps.begin(), steps.end(), [](auto& a, auto& b) { return a.second < b.second; });
        const qint64 step = mode->first;
        // A counter moves by one typical step most of the time; random values do not.
        if (double(mode->second) < 0.5 * pairs) {
            return;
        }
        QStringList gaps;
        qsizetype gapCount = 0;
        for (std::size_t i = 1; i < f.numbers.size(); ++i) {
            const qint64 d = f.numbers[i] - f.numbers[i - 1];
            if ((increasing && d > step) || (!increasing && d < step)) {
                ++gapCount;
                if (gaps.size() < 5) {
                    const qint64 missing = step != 0 ? d / step - 1 : 0;
                    QString text =
                        QStringLiteral("%1 → %2 (%3 missing)").arg(f.numbers[i - 1]).arg(f.numbers[i]).arg(missing);
                    if (clock != nullptr && i < clock->numbers.size()) {
                        const qint64 window = clock->numbers[i] - clock->numbers[i - 1] + 1;
                        text += QStringLiteral(", its time lies in a window of %1 values").arg(window);
                    }
                    gaps << text;
                }
            }
        }
        QString detail = QStringLiteral("%1 is a %2 counter: it %3 by %4 from one ID to the next")
                             .arg(f.label, f.base == 16 ? QStringLiteral("hex") : QStringLiteral("decimal"),
                                  increasing ? QStringLiteral("increases") : QStringLiteral("decreases"))
                             .arg(std::llabs(step));
        detail += gapCount == 0 ? QStringLiteral(", with no gaps.")
                                : QStringLiteral("; %1 gap(s), each an ID issued to someone else: %2.")
                                      .arg(gapCount)
                                      .arg(gaps.join(QStringLiteral("; ")));
        add(QStringLiteral("counter"), detail, true);
    }

    void run()
    {
        lengths();
        staticPositions();
        if (uuid() || jwt()) {
            return;
        }
        std::vector<Field> fs = fields();
        for (Field& f : fs) {
            numeric(f);
            if (!f.numbers.empty()) {
                timestamp(f);
            }
        }
        const Field* clock = nullptr;
        for (const Field& f : fs) {
            if (f.timeUnit) {
                clock = &f;
                break;
            }
        }
        for (Field& f : fs) {
            if (!f.numbers.empty()) {
                counter(f, clock);
            }
            timePrefix(f);
            embeddedJson(f);
        }
    }
};

} // namespace

std::vector<StructureFinding> detectStructure(const QList<QByteArray>& ids, qint64 captureMs)
{
    if (ids.isEmpty()) {
        return {};
    }
    Detector d{ids, captureMs, std::vector<StructureFinding>{}};
    d.run();
    return d.out;
}

} // namespace tb::session
