#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "base/Error.h"
#include "sim/Params.h"
#include "sim/Scenario.h"
#include "sim/Timeline.h"

namespace tb::sim {

struct LaneResult
{
    QChar id;
    QString name;
    QString variant;
    Params params;

    bool stolen = false; // the scenario stole something this lane uses
    bool known = false;  // the compromise became known (revocation, logout, reuse detection, ...)
    std::int64_t theftUs = 0;
    std::int64_t knownUs = 0;       // == theftUs when it never became known
    double exposureWindowS = 0;     // accepted time of the stolen credential after knownUs
    double exposureFromTheftS = 0;  // accepted time after the theft
    bool exposureOpenEnded = false; // still accepted when the run ended: a lower bound
    QString exposureEndReason;
    std::uint64_t attackerTries = 0;
    std::uint64_t attackerAccepted = 0;
    std::uint64_t attackerAcceptedAfterKnown = 0;

    std::uint64_t requests = 0; // background + victim requests
    std::uint64_t rejected = 0;
    std::uint64_t victimRejected = 0;
    std::uint64_t storeOps = 0;
    std::uint64_t verifyOps = 0;
    std::uint64_t refreshes = 0;
    std::uint64_t mints = 0;
    std::uint64_t forcedRelogins = 0;
    std::uint64_t limitHits = 0;
    std::uint64_t keyRejections = 0;
    std::uint64_t jwksFetches = 0;
    std::uint64_t reuseDetections = 0;
    std::uint64_t denylistPeak = 0;
    double p50Ms = 0;
    double p99Ms = 0;
    double meanMs = 0;
    int bytesPerRequest = 0;
    int bytesFirstRequest = 0;
    int credentialBytes = 0;
    double windowS = 0;
    QJsonObject extra; // scenario-specific figures (guessing, bytes of the API hop, ...)
    LaneTimeline timeline;

    [[nodiscard]] double storeOpsPerS() const { return windowS > 0 ? double(storeOps) / windowS : 0; }
    [[nodiscard]] double refreshPerS() const { return windowS > 0 ? double(refreshes) / windowS : 0; }
    [[nodiscard]] double availability() const { return requests ? double(requests - rejected) / double(requests) : 1; }
};

struct RunResult
{
    QString scenarioId;
    QString title;
    QString teaches;
    QString expected;
    std::uint64_t seed = 0;
    std::int64_t startUs = 0;
    std::int64_t endUs = 0;
    std::uint64_t events = 0;     // events taken off the queues
    std::uint64_t laneSteps = 0;  // event x lane evaluations
    std::uint64_t peakQueued = 0; // largest number of pending events
    QStringList sets;
    std::vector<LaneResult> lanes;
};

struct RunOptions
{
    std::uint64_t seed = 1;
    QStringList sets;                           // --set KEY=VALUE
    std::uint64_t maxEvents = 2'000'000'000ULL; // refuse scenarios predicted to need more
    const std::atomic<bool>* cancel = nullptr;  // checked every ~1M events
    // Called every ~1M events with the fraction of the simulated window done (0..1), on the running thread.
    std::function<void(double)> progress;
    // Also replay the script with the compromise moved to this many evenly spaced instants over the access
    // token's lifetime (no background load) and report each lane's mean exposure ("mean_exposure_uniform_s").
    int uniformSamples = 0;
};

// Runs every lane of `scenario` over the same event script. Deterministic for a seed.
Result<RunResult> run(const Scenario& scenario, const RunOptions& options);

} // namespace tb::sim
