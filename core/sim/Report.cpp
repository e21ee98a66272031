#include "sim/Report.h"

#include <cmath>

#include <QJsonArray>

namespace tb::sim {

namespace {

// Rounds to 6 significant decimals so the JSON is stable and readable.
double round6(double v)
{
    return std::round(v * 1e6) / 1e6;
}

QJsonObject paramsJson(const Params& p)
{
    QJsonObject o;
    for (const ParamSpec& s : paramSpecs()) {
        switch (s.kind) {
        case Kind::Bool:
            o.insert(QLatin1String(s.key), p.flag(s.id));
            break;
        case Kind::Choice:
        case Kind::Time:
            o.insert(QLatin1String(s.key), p.display(s.id));
            break;
        default:
            o.insert(QLatin1String(s.key), p[s.id]);
            break;
        }
    }
    return o;
}

QJsonObject timelineJson(const LaneTimeline& t)
{
    QJsonArray intervals;
    for (const TimelineInterval& i : t.intervals) {
        intervals.append(QJsonObject{{QStringLiteral("start"), clockText(i.startUs)},
                                     {QStringLiteral("end"), clockText(i.endUs)},
                                     {QStringLiteral("kind"), i.kind},
                                     {QStringLiteral("label"), i.label}});
    }
    QJsonArray markers;
    for (const TimelineMarker& m : t.markers) {
        markers.append(QJsonObject{{QStringLiteral("at"), clockText(m.atUs)},
                                   {QStringLiteral("kind"), m.kind},
                                   {QStringLiteral("label"), m.label}});
    }
    QJsonObject series;
    for (const MetricSeries& s : t.series) {
        QJsonArray points;
        for (const SeriesPoint& p : s.points) {
            points.append(QJsonArray{double(p.atUs) / 1e6, round6(p.value)});
        }
        series.insert(s.name, QJsonObject{{QStringLiteral("unit"), s.unit}, {QStringLiteral("points"), points}});
    }
    QJsonArray sequence;
    for (const SequenceStep& s : t.sequence) {
        sequence.append(QJsonObject{{QStringLiteral("from"), s.from},
                                    {QStringLiteral("to"), s.to},
                                    {QStringLiteral("label"), s.label},
                                    {QStringLiteral("latency_ms"), s.latencyMs}});
    }
    return QJsonObject{{QStringLiteral("intervals"), intervals},
                       {QStringLiteral("markers"), markers},
                       {QStringLiteral("series"), series},
                       {QStringLiteral("sequence"), sequence}};
}

} // namespace

QJsonObject toJson(const RunResult& result, bool timeline)
{
    QJsonArray lanes;
    for (const LaneResult& l : result.lanes) {
        QJsonObject o{
            {QStringLiteral("id"), QString(l.id)},
            {QStringLiteral("name"), l.name},
            {QStringLiteral("exposure_window_s"), round6(l.exposureWindowS)},
            {QStringLiteral("attacker_requests_accepted_after_revocation"), double(l.attackerAcceptedAfterKnown)},
            {QStringLiteral("auth_latency_ms"), QJsonObject{{QStringLiteral("p50"), round6(l.p50Ms)},
                                                            {QStringLiteral("p99"), round6(l.p99Ms)},
                                                            {QStringLiteral("mean"), round6(l.meanMs)}}},
            {QStringLiteral("bytes_per_request"), l.bytesPerRequest},
            {QStringLiteral("bytes_first_request"), l.bytesFirstRequest},
            {QStringLiteral("credential_bytes"), l.credentialBytes},
            {QStringLiteral("store_ops_per_s"), round6(l.storeOpsPerS())},
            {QStringLiteral("store_ops"), double(l.storeOps)},
            {QStringLiteral("exposure_applies"), l.stolen},
            {QStringLiteral("exposure_formula"), l.timeline.exposure.formula},
            {QStringLiteral("exposure_explained"), l.timeline.exposure.explained},
            {QStringLiteral("exposure_end_reason"), l.exposureEndReason},
            {QStringLiteral("exposure_open_ended"), l.exposureOpenEnded},
            {QStringLiteral("exposure_from_theft_s"), round6(l.exposureFromTheftS)},
            {QStringLiteral("compromise_known"), l.known},
            {QStringLiteral("theft_at"), l.stolen ? QJsonValue(clockText(l.theftUs)) : QJsonValue()},
            {QStringLiteral("known_at"), l.stolen ? QJsonValue(clockText(l.knownUs)) : QJsonValue()},
            {QStringLiteral("attacker_requests"), double(l.attackerTries)},
            {QStringLiteral("attacker_requests_accepted"), double(l.attackerAccepted)},
            {QStringLiteral("requests"), double(l.requests)},
            {QStringLiteral("requests_rejected"), double(l.rejected)},
            {QStringLiteral("availability"), round6(l.availability())},
            {QStringLiteral("victim_requests_rejected"), double(l.victimRejected)},
            {QStringLiteral("verify_ops"), double(l.verifyOps)},
            {QStringLiteral("refreshes"), double(l.refreshes)},
            {QStringLiteral("refresh_per_s"), round6(l.refreshPerS())},
            {QStringLiteral("token_mints"), double(l.mints)},
            {QStringLiteral("forced_relogins"), double(l.forcedRelogins)},
            {QStringLiteral("limit_hits"), double(l.limitHits)},
            {QStringLiteral("key_rejections"), double(l.keyRejections)},
            {QStringLiteral("jwks_fetches"), double(l.jwksFetches)},
            {QStringLiteral("reuse_detections"), double(l.reuseDetections)},
            {QStringLiteral("denylist_peak"), double(l.denylistPeak)},
        };
        if (!l.variant.isEmpty()) {
            o.insert(QStringLiteral("variant"), l.variant);
        }
        for (auto it = l.extra.begin(); it != l.extra.end(); ++it) {
            o.insert(it.key(), it.value());
        }
        if (timeline) {
            o.insert(QStringLiteral("timeline"), timelineJson(l.timeline));
        }
        lanes.append(o);
    }
    const Params& p = result.lanes.empty() ? Params() : result.lanes.front().params;
    return QJsonObject{{QStringLiteral("scenario"), result.scenarioId},
                       {QStringLiteral("title"), result.title},
                       {QStringLiteral("teaches"), result.teaches},
                       {QStringLiteral("expected"), result.expected},
                       {QStringLiteral("seed"), QString::number(result.seed)},
                       {QStringLiteral("start"), clockText(result.startUs)},
                       {QStringLiteral("end"), clockText(result.endUs)},
                       {QStringLiteral("events"), double(result.events)},
                       {QStringLiteral("set"), QJsonArray::fromStringList(result.sets)},
                       {QStringLiteral("parameters"), paramsJson(p)},
                       {QStringLiteral("lanes"), lanes}};
}

QString toTable(const RunResult& result)
{
    QString out = QStringLiteral("%1  %2\n%3\n\n").arg(result.scenarioId, result.title, result.teaches);
    out += QStringLiteral("window %1 – %2, seed %3, %4 events\n\n")
               .arg(clockText(result.startUs), clockText(result.endUs))
               .arg(result.seed)
               .arg(result.events);
    out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9\n")
               .arg(QStringLiteral("lane"), -5)
               .arg(QStringLiteral("exposure_s"), 11)
               .arg(QStringLiteral("att.accepted"), 13)
               .arg(QStringLiteral("p50_ms"), 9)
               .arg(QStringLiteral("p99_ms"), 9)
               .arg(QStringLiteral("bytes"), 6)
               .arg(QStringLiteral("store_ops/s"), 12)
               .arg(QStringLiteral("avail"), 7)
               .arg(QStringLiteral("relogins"), 9);
    for (const LaneResult& l : result.lanes) {
        out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9  %10\n")
                   .arg(QString(l.id) + (l.variant.isEmpty() ? QString() : QStringLiteral("*")), -5)
                   .arg(l.stolen ? QString::number(l.exposureWindowS, 'g', 10) +
                                       (l.exposureOpenEnded ? QStringLiteral("+") : QString())
                                 : QStringLiteral("-"),
                        11)
                   .arg(l.stolen ? QString::number(l.attackerAcceptedAfterKnown) : QStringLiteral("-"), 13)
                   .arg(QString::number(l.p50Ms, 'f', 4), 9)
                   .arg(QString::number(l.p99Ms, 'f', 4), 9)
                   .arg(l.bytesPerRequest, 6)
                   .arg(QString::number(l.storeOpsPerS(), 'f', 2), 12)
                   .arg(QString::number(l.availability(), 'f', 4), 7)
                   .arg(l.forcedRelogins, 9)
                   .arg(l.name + (l.variant.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(l.variant)));
    }
    out += u'\n';
    for (const LaneResult& l : result.lanes) {
        if (l.stolen) {
            out += QStringLiteral("%1: %2\n   %3\n")
                       .arg(QString(l.id), l.timeline.exposure.formula, l.timeline.exposure.explained);
        }
    }
    return out;
}

} // namespace tb::sim
