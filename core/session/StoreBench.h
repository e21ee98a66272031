#pragma once

#include <atomic>
#include <functional>

#include "base/Error.h"
#include "jose/Algorithm.h"
#include "session/SessionStore.h"

namespace tb::session {

struct LatencySummary
{
    int samples = 0;
    double p50Us = 0;
    double p99Us = 0;
    double meanUs = 0;
};

// Latency of `lookups` look-ups (random picks among `sessions` sessions created first) on one store: what the
// pane and the bench print next to JWT verification. Progress in percent; `cancel` stops with Cancelled.
Result<LatencySummary> measureLookupLatency(SessionStore& store, int sessions, int lookups, qint64 nowMs,
                                            const std::function<void(int)>& progress = {},
                                            const std::atomic<bool>* cancel = nullptr);

// Latency of `count` verifications of one ~300-byte JWT signed with `alg` (a key generated for it first, and
// parsed once) through tb::validate::verifyToken, the path the Verify pane and the CLI take: the other side of
// the "a store lookup costs milliseconds, a JWT verification microseconds" comparison.
Result<LatencySummary> measureJwtVerifyLatency(jose::Alg alg, int count, const std::function<void(int)>& progress = {},
                                               const std::atomic<bool>* cancel = nullptr);

// p-th percentile (0..100) by nearest rank of samples that the function sorts.
double percentile(std::vector<double>& samples, double p);

} // namespace tb::session
