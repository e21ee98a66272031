#include "sim/Histogram.h"

#include <cmath>

namespace tb::sim {

double Histogram::lower(int i)
{
    if (i < sub) {
        return double(i);
    }
    const int e = i / sub - 1 + subBits;
    const int s = i % sub;
    return std::ldexp(double(sub + s), e - subBits);
}

double Histogram::width(int i)
{
    if (i < sub) {
        return 1.0;
    }
    const int e = i / sub - 1 + subBits;
    return std::ldexp(1.0, e - subBits);
}

double Histogram::quantileNs(double q) const
{
    if (m_total == 0) {
        return 0.0;
    }
    auto rank = std::uint64_t(std::ceil(q * double(m_total)));
    rank = rank == 0 ? 1 : rank;
    std::uint64_t seen = 0;
    for (int i = 0; i < bucketCount; ++i) {
        seen += m_counts[std::size_t(i)];
        if (seen >= rank) {
            return i < sub ? lower(i) : lower(i) + width(i) / 2;
        }
    }
    return 0.0;
}

} // namespace tb::sim
