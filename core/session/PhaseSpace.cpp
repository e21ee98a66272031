#include "PhaseSpace.h"

#include <algorithm>
#include <array>

namespace tb::session {

namespace {

// Digits past this many add nothing a plot can show (a double holds ~52 bits).
constexpr int maxDigits = 12;

} // namespace

std::vector<std::pair<double, double>> phaseSpace(const QList<QByteArray>& ids, int maxPoints)
{
    std::vector<std::pair<double, double>> points;
    if (ids.size() < 2 || maxPoints < 1) {
        return points;
    }
    qsizetype length = 0;
    for (const QByteArray& id : ids) {
        length = std::max(length, id.size());
    }
    // Varying positions, and the symbols seen at them.
    std::vector<qsizetype> varying;
    std::array<bool, 256> seen{};
    for (qsizetype pos = 0; pos < length && int(varying.size()) < maxDigits; ++pos) {
        const char first = pos < ids.front().size() ? ids.front()[pos] : '\0';
        const bool differs = std::any_of(
            ids.begin(), ids.end(), [&](const QByteArray& id) { return (pos < id.size() ? id[pos] : '\0') != first; });
        if (!differs) {
            continue;
        }
        varying.push_back(pos);
        for (const QByteArray& id : ids) {
            seen[std::uint8_t(pos < id.size() ? id[pos] : '\0')] = true;
        }
    }
    std::array<int, 256> rank{};
    int base = 0;
    for (std::size_t c = 0; c < seen.size(); ++c) {
        rank[c] = base;
        base += seen[c] ? 1 : 0;
    }
    if (varying.empty() || base < 2) {
        return points;
    }
    const auto value = [&](const QByteArray& id) {
        double v = 0;
        double scale = 1.0 / base;
        for (const qsizetype pos : varying) {
            const char c = pos < id.size() ? id[pos] : '\0';
            v += rank[std::uint8_t(c)] * scale;
            scale /= base;
        }
        return v;
    };
    const qsizetype pairs = std::min<qsizetype>(ids.size() - 1, maxPoints);
    std::vector<double> values;
    values.reserve(std::size_t(pairs + 1));
    for (qsizetype i = 0; i <= pairs; ++i) {
        values.push_back(value(ids[i]));
    }
    // Stretch the observed range to the unit square, so a counter over a narrow range still draws its line.
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    const double low = *lo;
    const double span = *hi - *lo;
    if (span <= 0) {
        return points;
    }
    points.reserve(std::size_t(pairs));
    for (std::size_t i = 0; i + 1 < values.size(); ++i) {
        points.emplace_back((values[i] - low) / span, (values[i + 1] - low) / span);
    }
    return points;
}

} // namespace tb::session
