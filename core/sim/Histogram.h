#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace tb::sim {

// Streaming latency histogram in nanoseconds: log-linear buckets (128 per octave, < 0.8 % relative error),
// fixed size whatever the number of samples, so memory never grows with events.
class Histogram
{
public:
    static constexpr int subBits = 7;
    static constexpr int sub = 1 << subBits;
    static constexpr int bucketCount = (64 - subBits + 1) * sub;

    void add(std::uint64_t ns)
    {
        ++m_counts[index(ns)];
        ++m_total;
        m_sum += ns;
    }

    [[nodiscard]] std::uint64_t count() const { return m_total; }
    [[nodiscard]] double meanNs() const { return m_total ? double(m_sum) / double(m_total) : 0.0; }
    // Value at quantile q (0..1): the middle of the bucket holding the ceil(q*n)-th sample; 0 when empty.
    [[nodiscard]] double quantileNs(double q) const;

    static int index(std::uint64_t v)
    {
        if (v < sub) {
            return int(v);
        }
        const int e = 63 - std::countl_zero(v); // >= subBits
        const int s = int((v >> (e - subBits)) & (sub - 1));
        return (e - subBits + 1) * sub + s;
    }
    static double lower(int i);
    static double width(int i);

private:
    std::array<std::uint64_t, bucketCount> m_counts{};
    std::uint64_t m_total = 0;
    unsigned __int128 m_sum = 0;
};

} // namespace tb::sim
