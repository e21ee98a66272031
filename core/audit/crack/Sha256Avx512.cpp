// 16-lane HMAC-SHA256: one candidate per 32-bit lane of a zmm register (vprord, vpternlogd). Compiled for
// AVX-512F only in this file; Sha256Lanes.cpp calls it only when the CPU and the OS support AVX-512F.
#include "audit/crack/Sha256Lanes.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cstdint>

#pragma GCC push_options
#pragma GCC target("avx512f")
#if defined(__clang__)
// clang ignores #pragma GCC target (the fuzz build uses clang): give this file's functions the same target.
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#endif

namespace tb::audit::crack {

#include "audit/crack/Sha256LaneBody.h"
#include "audit/crack/Sha512LaneBody.h"

using V16 = std::uint32_t __attribute__((vector_size(64)));

void hmacSha256Avx512(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests)
{
    hmacLanes<V16, 16>(wk, blocks, keyWords, digests);
}

using U8 = std::uint64_t __attribute__((vector_size(64)));

void hmacSha512Avx512(bool sha384, const std::uint64_t* wk, int blocks, const std::uint64_t* keyWords,
                      std::uint64_t* digests)
{
    hmacLanes64<U8, 8>(sha384 ? kSha384Iv : kSha512Iv, sha384 ? 6 : 8, wk, blocks, keyWords, digests);
}

} // namespace tb::audit::crack

#if defined(__clang__)
#pragma clang attribute pop
#endif
#pragma GCC pop_options

#endif // x86
