#pragma once

#include <cstdint>
#include <vector>

#include <QString>

namespace tb::sim {

// What a GUI needs to draw one lane: bars, markers, the shaded exposure window, metric curves and the
// sequence diagram of one request. Times are microseconds since 00:00 of the simulated day.
struct TimelineInterval
{
    std::int64_t startUs = 0;
    std::int64_t endUs = 0;
    QString kind;  // "credential", "attacker-accepted", "outage", "exposure"
    QString label; // "victim access token jti 1", ...
};

struct TimelineMarker
{
    std::int64_t atUs = 0;
    QString kind; // "issue", "expiry", "compromise", "revocation", "logout", "detection", "refresh", "reuse", ...
    QString label;
};

struct SeriesPoint
{
    std::int64_t atUs = 0;
    double value = 0;
};

struct MetricSeries
{
    QString name; // "denylist_size", "store_ops_per_s", "refresh_per_s", "rejected_per_s"
    QString unit;
    std::vector<SeriesPoint> points;
};

struct SequenceStep
{
    QString from; // "Browser", "App server", "Store", "IdP/AS", "BFF", "API", "Attacker"
    QString to;
    QString label;
    double latencyMs = 0; // typical cost of the step (median), 0 when negligible
};

struct ExposureWindow
{
    std::int64_t startUs = 0; // when the compromise became known
    std::int64_t endUs = 0;   // when the stolen credential stopped working (or the end of the run)
    QString formula;          // symbolic formula of the lane
    QString explained;        // the formula with this run's numbers
};

struct LaneTimeline
{
    std::vector<TimelineInterval> intervals;
    std::vector<TimelineMarker> markers;
    std::vector<MetricSeries> series;
    std::vector<SequenceStep> sequence;
    bool hasExposure = false;
    ExposureWindow exposure;
};

} // namespace tb::sim
