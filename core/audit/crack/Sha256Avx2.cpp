// 8-lane HMAC-SHA256: one candidate per 32-bit lane of a ymm register. Compiled for AVX2 only in this file;
// Sha256Lanes.cpp calls it only when the CPU has AVX2.
#include "audit/crack/Sha256Lanes.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cstdint>

#pragma GCC push_options
#pragma GCC target("avx2")
#if defined(__clang__)
// clang ignores #pragma GCC target (the fuzz build uses clang): give this file's functions the same target.
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#endif

namespace tb::audit::crack {

#include "audit/crack/Sha256LaneBody.h"
#include "audit/crack/Sha512LaneBody.h"

using V8 = std::uint32_t __attribute__((vector_size(32)));

void hmacSha256Avx2(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests)
{
    hmacLanes<V8, 8>(wk, blocks, keyWords, digests);
}

using U4 = std::uint64_t __attribute__((vector_size(32)));

void hmacSha512Avx2(bool sha384, const std::uint64_t* wk, int blocks, const std::uint64_t* keyWords,
                    std::uint64_t* digests)
{
    hmacLanes64<U4, 4>(sha384 ? kSha384Iv : kSha512Iv, sha384 ? 6 : 8, wk, blocks, keyWords, digests);
}

} // namespace tb::audit::crack

#if defined(__clang__)
#pragma clang attribute pop
#endif
#pragma GCC pop_options

#endif // x86
