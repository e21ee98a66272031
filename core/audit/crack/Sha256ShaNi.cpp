// HMAC-SHA256 with the x86 SHA extensions (sha256rnds2/msg1/msg2), two candidates interleaved (measured best on Zen
// 3: 4.4M/s vs 3.7M/s with four, which spill) so that the latency of one chain hides behind the others. Compiled for
// SHA + SSE4.1 only in this file; Sha256Lanes.cpp calls it only when the CPU has them.
#include "audit/crack/Sha256Lanes.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cstdint>

#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("sha,sse4.1")
#if defined(__clang__)
// clang ignores #pragma GCC target (the fuzz build uses clang): give this file's functions the same target.
#pragma clang attribute push(__attribute__((target("sha,sse4.1"))), apply_to = function)
#endif

namespace tb::audit::crack {

#include "audit/crack/Sha256LaneBody.h"

namespace {

constexpr int kLanes = 2;

// The state in the ABEF/CDGH register order sha256rnds2 uses.
struct NiState
{
    __m128i abef;
    __m128i cdgh;
};

inline __attribute__((always_inline)) NiState niIv()
{
    const __m128i abcd = _mm_set_epi32(int(kSha256Iv[3]), int(kSha256Iv[2]), int(kSha256Iv[1]), int(kSha256Iv[0]));
    const __m128i efgh = _mm_set_epi32(int(kSha256Iv[7]), int(kSha256Iv[6]), int(kSha256Iv[5]), int(kSha256Iv[4]));
    // Lanes low to high: ABEF = {F, E, B, A}, CDGH = {H, G, D, C}.
    const __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    const __m128i dcba = _mm_shuffle_epi32(abcd, 0x1B);
    return {_mm_unpackhi_epi64(hgfe, dcba), _mm_unpacklo_epi64(hgfe, dcba)};
}

// Four rounds on every lane; `wk[l]` holds W[t..t+3] + K[t..t+3] of lane l.
inline __attribute__((always_inline)) void niRounds4(NiState* s, const __m128i* wk)
{
    for (int l = 0; l < kLanes; ++l) {
        s[l].cdgh = _mm_sha256rnds2_epu32(s[l].cdgh, s[l].abef, wk[l]);
    }
    for (int l = 0; l < kLanes; ++l) {
        s[l].abef = _mm_sha256rnds2_epu32(s[l].abef, s[l].cdgh, _mm_shuffle_epi32(wk[l], 0x0E));
    }
}

// Full compression of the lanes' 16-word messages m[group][lane] (groups of 4 words, W0 in the low lane).
inline __attribute__((always_inline)) void niCompressFull(NiState* s, __m128i (*m)[kLanes])
{
    NiState save[kLanes];
    for (int l = 0; l < kLanes; ++l) {
        save[l] = s[l];
    }
    __m128i wk[kLanes];
    for (int g = 0; g < 16; ++g) {
        const __m128i k = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kSha256K + 4 * g));
        for (int l = 0; l < kLanes; ++l) {
            if (g >= 4) {
                // W[4g..4g+3] from the four previous groups (in place over a ring of 4).
                __m128i x = _mm_sha256msg1_epu32(m[(g - 4) & 3][l], m[(g - 3) & 3][l]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(m[(g - 1) & 3][l], m[(g - 2) & 3][l], 4));
                m[g & 3][l] = _mm_sha256msg2_epu32(x, m[(g - 1) & 3][l]);
            }
            wk[l] = _mm_add_epi32(m[g & 3][l], k);
        }
        niRounds4(s, wk);
    }
    for (int l = 0; l < kLanes; ++l) {
        s[l].abef = _mm_add_epi32(s[l].abef, save[l].abef);
        s[l].cdgh = _mm_add_epi32(s[l].cdgh, save[l].cdgh);
    }
}

// Compression of a constant block whose W + K was computed once per token (same for every lane).
inline __attribute__((always_inline)) void niCompressPre(NiState* s, const std::uint32_t* wkWords)
{
    NiState save[kLanes];
    for (int l = 0; l < kLanes; ++l) {
        save[l] = s[l];
    }
    __m128i wk[kLanes];
    for (int g = 0; g < 16; ++g) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(wkWords + 4 * g));
        for (int l = 0; l < kLanes; ++l) {
            wk[l] = x;
        }
        niRounds4(s, wk);
    }
    for (int l = 0; l < kLanes; ++l) {
        s[l].abef = _mm_add_epi32(s[l].abef, save[l].abef);
        s[l].cdgh = _mm_add_epi32(s[l].cdgh, save[l].cdgh);
    }
}

// ABEF/CDGH back to the natural order: ABCD (A in the low lane) and EFGH.
inline __attribute__((always_inline)) void niToWords(const NiState& s, __m128i* abcd, __m128i* efgh)
{
    const __m128i abef = _mm_shuffle_epi32(s.abef, 0x1B); // {A, B, E, F}
    const __m128i cdgh = _mm_shuffle_epi32(s.cdgh, 0x1B); // {C, D, G, H}
    *abcd = _mm_unpacklo_epi64(abef, cdgh);
    *efgh = _mm_unpackhi_epi64(abef, cdgh);
}

inline __attribute__((always_inline)) void niLoadKey(const std::uint32_t* keyWords, int lane, std::uint32_t pad,
                                                     __m128i (*m)[kLanes])
{
    const __m128i p = _mm_set1_epi32(int(pad));
    for (int g = 0; g < 4; ++g) {
        const std::uint32_t* k = keyWords + 4 * g * kLanes + lane;
        m[g][lane] = _mm_xor_si128(_mm_set_epi32(int(k[3 * kLanes]), int(k[2 * kLanes]), int(k[kLanes]), int(k[0])), p);
    }
}

} // namespace

void hmacSha256ShaNi(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests)
{
    __m128i m[4][kLanes];
    NiState inner[kLanes];
    NiState outer[kLanes];
    const NiState iv = niIv();
    for (int l = 0; l < kLanes; ++l) {
        niLoadKey(keyWords, l, 0x36363636u, m);
        inner[l] = iv;
        outer[l] = iv;
    }
    niCompressFull(inner, m);
    for (int blk = 0; blk < blocks; ++blk) {
        niCompressPre(inner, wk + 64 * blk);
    }
    for (int l = 0; l < kLanes; ++l) {
        niLoadKey(keyWords, l, 0x5c5c5c5cu, m);
    }
    niCompressFull(outer, m);
    for (int l = 0; l < kLanes; ++l) {
        niToWords(inner[l], &m[0][l], &m[1][l]);
        m[2][l] = _mm_set_epi32(0, 0, 0, int(0x80000000u));
        m[3][l] = _mm_set_epi32((64 + 32) * 8, 0, 0, 0);
    }
    niCompressFull(outer, m);
    for (int l = 0; l < kLanes; ++l) {
        alignas(16) std::uint32_t out[8];
        __m128i abcd;
        __m128i efgh;
        niToWords(outer[l], &abcd, &efgh);
        _mm_store_si128(reinterpret_cast<__m128i*>(out), abcd);
        _mm_store_si128(reinterpret_cast<__m128i*>(out + 4), efgh);
        for (int i = 0; i < 8; ++i) {
            digests[i * kLanes + l] = out[i];
        }
    }
}

} // namespace tb::audit::crack

#if defined(__clang__)
#pragma clang attribute pop
#endif
#pragma GCC pop_options

#endif // x86
