#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <QtGlobal>

namespace tb::session::stats {

// A bit sequence packed 64 bits per word, least significant bit first.
struct BitSeq
{
    std::vector<std::uint64_t> words;
    qsizetype size = 0;

    void push(bool bit)
    {
        if ((size & 63) == 0) {
            words.push_back(0);
        }
        words.back() |= std::uint64_t(bit ? 1 : 0) << (size & 63);
        ++size;
    }
    void reserve(qsizetype bits) { words.reserve(std::size_t((bits + 63) / 64)); }
    [[nodiscard]] bool at(qsizetype i) const { return ((words[std::size_t(i >> 6)] >> (i & 63)) & 1u) != 0; }
    [[nodiscard]] qsizetype ones() const;
};

// Probability helpers (no external maths library): upper/lower tails of χ² and the normal distribution.
double normalTwoSidedP(double z);
double chiSquareUpperP(double x, double df);
double chiSquareLowerP(double x, double df);

// FIPS 140-2 style tests (change notice 2001, as in rng-tools fips.c). The pass bounds are the FIPS ones at
// n = 20,000 bits and scale with n (centres ∝ n, half-widths ∝ √n), so any sample size can be judged.
inline constexpr qsizetype fipsBits = 20000;

struct Monobit
{
    qsizetype n = 0;
    qsizetype ones = 0;
    double z = 0;   // |2·ones − n| / √n
    double p = 1;   // two-sided: erfc(z/√2)
    double low = 0; // pass iff low < ones < high (9725 and 10275 at n = 20,000)
    double high = 0;
    bool pass = true;
};
Monobit monobit(const BitSeq& bits);

struct Poker
{
    bool applicable = false; // needs ≥ 80 nibbles (5 expected per cell)
    qsizetype nibbles = 0;
    std::array<qsizetype, 16> counts{};
    double x = 0;     // (16/k)·Σf² − k
    double p = 1;     // two-sided χ²(15)
    bool pass = true; // 2.16 < x < 46.17
};
Poker poker(const BitSeq& bits);

struct Runs
{
    // Index 0..5 = run lengths 1, 2, 3, 4, 5, ≥ 6.
    std::array<qsizetype, 6> zeros{};
    std::array<qsizetype, 6> ones{};
    std::array<double, 6> low{};
    std::array<double, 6> high{};
    double p = 1;     // smallest two-sided p of the 12 counts, Bonferroni-adjusted (×12)
    bool pass = true; // all 12 counts inside [low, high]
};
Runs runs(const BitSeq& bits);

struct LongRun
{
    qsizetype longest = 0;       // longest run of equal bits
    qsizetype failAtOrAbove = 0; // 26 at n = 20,000
    qsizetype failAtOrBelow = 0; // an overly short longest run is suspicious too (Burp)
    double p = 1;
    bool pass = true;
};
LongRun longRun(const BitSeq& bits);

// χ² goodness of fit against a uniform distribution over counts.size() cells (upper tail).
struct ChiSquare
{
    bool applicable = false; // ≥ 2 cells and ≥ 5 expected per cell
    double x = 0;
    double df = 0;
    double p = 1;
};
ChiSquare uniformChiSquare(const std::vector<qsizetype>& counts);

} // namespace tb::session::stats
