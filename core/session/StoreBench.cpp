#include "StoreBench.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <QElapsedTimer>

namespace tb::session {

double percentile(std::vector<double>& samples, double p)
{
    if (samples.empty()) {
        return 0;
    }
    std::sort(samples.begin(), samples.end());
    const auto rank = std::size_t(std::ceil(p / 100.0 * double(samples.size())));
    return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

Result<LatencySummary> measureLookupLatency(SessionStore& store, int sessions, int lookups, qint64 nowMs,
                                            const std::function<void(int)>& progress, const std::atomic<bool>* cancel)
{
    if (sessions < 1 || lookups < 1) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The benchmark needs at least one session and one look-up."));
    }
    std::vector<QByteArray> ids;
    for (int i = 0; i < sessions; ++i) {
        auto s = store.create(QStringLiteral("user%1").arg(i % 100), nowMs);
        if (!s) {
            return std::unexpected(s.error());
        }
        ids.push_back(s->id);
    }
    std::vector<double> micros;
    micros.reserve(std::size_t(lookups));
    quint64 pick = 0x9E3779B97F4A7C15ULL;
    QElapsedTimer timer;
    for (int i = 0; i < lookups; ++i) {
        if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
            return fail(ErrorCode::Cancelled, QStringLiteral("The store benchmark was cancelled."));
        }
        pick = pick * 6364136223846793005ULL + 1442695040888963407ULL;
        const QByteArray& id = ids[std::size_t((pick >> 33) % ids.size())];
        timer.start();
        auto found = store.lookup(id, nowMs + 1);
        const double us = double(timer.nsecsElapsed()) / 1000.0;
        if (!found) {
            return std::unexpected(found.error());
        }
        if (!found->has_value()) {
            return fail(ErrorCode::InvalidData,
                        QStringLiteral("The %1 store lost a session during the benchmark.").arg(store.kind()));
        }
        micros.push_back(us);
        if (progress && i % 256 == 0) {
            progress(int(100LL * i / lookups));
        }
    }
    LatencySummary r;
    r.samples = int(micros.size());
    r.meanUs = std::accumulate(micros.begin(), micros.end(), 0.0) / double(micros.size());
    r.p50Us = percentile(micros, 50);
    r.p99Us = percentile(micros, 99);
    if (progress) {
        progress(100);
    }
    return r;
}

} // namespace tb::session
