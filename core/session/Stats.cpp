#include "Stats.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tb::session::stats {

namespace {

// FIPS 140-2 run-length intervals at 20,000 bits (lengths 1..5, ≥ 6), rng-tools fips.c.
constexpr std::array<std::array<double, 2>, 6> fipsRunBounds{
    {{2315, 2685}, {1114, 1386}, {527, 723}, {240, 384}, {103, 209}, {103, 209}}};
// Two-sided normal quantile of the FIPS monobit level (α ≈ 1.0e-4): calibrates σ of the run counts.
constexpr double fipsZ = 3.8906;
constexpr double pokerLow = 2.16;
constexpr double pokerHigh = 46.17;
constexpr double fipsLongRunTail = 6e-4;

// Regularised lower incomplete gamma P(a, x) by its series (x < a + 1).
double gammaSeries(double a, double x)
{
    double sum = 1.0 / a;
    double term = sum;
    for (int n = 1; n < 100000; ++n) {
        term *= x / (a + n);
        sum += term;
        if (std::fabs(term) < std::fabs(sum) * 1e-15) {
            break;
        }
    }
    return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Regularised upper incomplete gamma Q(a, x) by its continued fraction (x ≥ a + 1), Lentz's method.
double gammaContinuedFraction(double a, double x)
{
    constexpr double tiny = 1e-300;
    double b = x + 1.0 - a;
    double c = 1.0 / tiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i < 100000; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::fabs(d) < tiny) {
            d = tiny;
        }
        c = b + an / c;
        if (std::fabs(c) < tiny) {
            c = tiny;
        }
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1.0) < 1e-15) {
            break;
        }
    }
    return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

double gammaQ(double a, double x)
{
    if (x <= 0) {
        return 1.0;
    }
    return x < a + 1.0 ? 1.0 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

double twoSided(double lowerTail, double upperTail)
{
    return std::min(1.0, 2.0 * std::min(lowerTail, upperTail));
}

} // namespace

qsizetype BitSeq::ones() const
{
    qsizetype total = 0;
    for (const std::uint64_t w : words) {
        total += std::popcount(w);
    }
    return total;
}

double normalTwoSidedP(double z)
{
    return std::erfc(std::fabs(z) / std::sqrt(2.0));
}

double chiSquareUpperP(double x, double df)
{
    return gammaQ(df / 2.0, x / 2.0);
}

double chiSquareLowerP(double x, double df)
{
    return 1.0 - gammaQ(df / 2.0, x / 2.0);
}

Monobit monobit(const BitSeq& bits)
{
    Monobit r;
    r.n = bits.size;
    if (r.n == 0) {
        r.p = 0;
        r.pass = false;
        return r;
    }
    r.ones = bits.ones();
    const double n = double(r.n);
    r.z = std::fabs(2.0 * double(r.ones) - n) / std::sqrt(n);
    r.p = normalTwoSidedP(r.z);
    const double half = 275.0 * std::sqrt(n / double(fipsBits));
    r.low = n / 2.0 - half;
    r.high = n / 2.0 + half;
    r.pass = double(r.ones) > r.low && double(r.ones) < r.high;
    return r;
}

Poker poker(const BitSeq& bits)
{
    Poker r;
    r.nibbles = bits.size / 4;
    r.applicable = r.nibbles >= 80;
    if (!r.applicable) {
        return r;
    }
    for (qsizetype i = 0; i < r.nibbles; ++i) {
        int v = 0;
        for (int j = 0; j < 4; ++j) {
            v = (v << 1) | (bits.at(i * 4 + j) ? 1 : 0);
        }
        ++r.counts[std::size_t(v)];
    }
    double sumSquares = 0;
    for (const qsizetype c : r.counts) {
        sumSquares += double(c) * double(c);
    }
    const double k = double(r.nibbles);
    r.x = 16.0 / k * sumSquares - k;
    r.p = twoSided(chiSquareLowerP(r.x, 15), chiSquareUpperP(r.x, 15));
    r.pass = r.x > pokerLow && r.x < pokerHigh;
    return r;
}

Runs runs(const BitSeq& bits)
{
    Runs r;
    if (bits.size == 0) {
        r.p = 0;
        r.pass = false;
        return r;
    }
    qsizetype length = 1;
    bool current = bits.at(0);
    auto close = [&r](bool value, qsizetype len) {
        auto& table = value ? r.ones : r.zeros;
        ++table[std::size_t(std::min<qsizetype>(len, 6) - 1)];
    };
    for (qsizetype i = 1; i < bits.size; ++i) {
        const bool b = bits.at(i);
        if (b == current) {
            ++length;
        } else {
            close(current, length);
            current = b;
            length = 1;
        }
    }
    close(current, length);

    const double scale = double(bits.size) / double(fipsBits);
    double minP = 1.0;
    for (std::size_t i = 0; i < 6; ++i) {
        const double centre = (fipsRunBounds[i][0] + fipsRunBounds[i][1]) / 2.0 * scale;
        const double half = (fipsRunBounds[i][1] - fipsRunBounds[i][0]) / 2.0 * std::sqrt(scale);
        r.low[i] = centre - half;
        r.high[i] = centre + half;
        const double sigma = half / fipsZ;
        for (const qsizetype count : {r.zeros[i], r.ones[i]}) {
            if (double(count) < r.low[i] || double(count) > r.high[i]) {
                r.pass = false;
            }
            minP = std::min(minP, normalTwoSidedP((double(count) - centre) / sigma));
        }
    }
    r.p = std::min(1.0, 12.0 * minP);
    return r;
}

LongRun longRun(const BitSeq& bits)
{
    LongRun r;
    const double n = double(bits.size);
    if (bits.size == 0) {
        r.p = 0;
        r.pass = false;
        return r;
    }
    qsizetype length = 1;
    r.longest = 1;
    for (qsizetype i = 1; i < bits.size; ++i) {
        length = bits.at(i) == bits.at(i - 1) ? length + 1 : 1;
        r.longest = std::max(r.longest, length);
    }
    // Runs of length ≥ m (either value) occur about n/2^m times: Poisson tails for "too long" and "too short".
    const double longest = double(r.longest);
    const double atLeast = -std::expm1(-n / std::exp2(longest));
    const double atMost = std::exp(-n / std::exp2(longest + 1.0));
    r.p = twoSided(atMost, atLeast);
    r.failAtOrAbove = 26 + qsizetype(std::lround(std::log2(n / double(fipsBits))));
    r.failAtOrAbove = std::max<qsizetype>(r.failAtOrAbove, 2);
    // Largest L with P(longest ≤ L) below half the FIPS long-run level.
    r.failAtOrBelow = 0;
    for (qsizetype l = 1; l < 64; ++l) {
        if (std::exp(-n / std::exp2(double(l) + 1.0)) < fipsLongRunTail / 2.0) {
            r.failAtOrBelow = l;
        } else {
            break;
        }
    }
    r.pass = r.longest < r.failAtOrAbove && r.longest > r.failAtOrBelow;
    return r;
}

ChiSquare uniformChiSquare(const std::vector<qsizetype>& counts)
{
    ChiSquare r;
    qsizetype total = 0;
    for (const qsizetype c : counts) {
        total += c;
    }
    const double cells = double(counts.size());
    if (counts.size() < 2 || total == 0) {
        return r;
    }
    const double expected = double(total) / cells;
    r.applicable = expected >= 5.0;
    r.df = cells - 1.0;
    for (const qsizetype c : counts) {
        const double d = double(c) - expected;
        r.x += d * d / expected;
    }
    r.p = chiSquareUpperP(r.x, r.df);
    return r;
}

} // namespace tb::session::stats
