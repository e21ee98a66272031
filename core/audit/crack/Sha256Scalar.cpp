#include "audit/crack/Sha256Lanes.h"

#include <cstdint>

#include "audit/crack/Sha256LaneBody.h"
#include "audit/crack/Sha512LaneBody.h"

namespace tb::audit::crack {

void hmacSha256Scalar(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests)
{
    hmacLanes<std::uint32_t, 1>(wk, blocks, keyWords, digests);
}

void hmacSha512Scalar(bool sha384, const std::uint64_t* wk, int blocks, const std::uint64_t* keyWords,
                      std::uint64_t* digests)
{
    hmacLanes64<std::uint64_t, 1>(sha384 ? kSha384Iv : kSha512Iv, sha384 ? 6 : 8, wk, blocks, keyWords, digests);
}

} // namespace tb::audit::crack
