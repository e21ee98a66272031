#include "audit/crack/Sha256Lanes.h"

#include <cstdint>

#include "audit/crack/Sha256LaneBody.h"

namespace tb::audit::crack {

void hmacSha256Scalar(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests)
{
    hmacLanes<std::uint32_t, 1>(wk, blocks, keyWords, digests);
}

} // namespace tb::audit::crack
