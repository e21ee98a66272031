#include "sim/Engine.h"

#include <algorithm>
#include <cmath>
#include <queue>

#include "sim/LaneModel.h"
#include "sim/PeriodicQueue.h"

namespace tb::sim {

namespace {

using namespace detail;

struct Internal
{
    i64 at;
    int cls;
    u64 seq;
    InternalType type;
    int lane;
    int arg;
    bool operator>(const Internal& o) const
    {
        if (at != o.at) {
            return at > o.at;
        }
        if (cls != o.cls) {
            return cls > o.cls;
        }
        return seq > o.seq;
    }
};

class Engine final : public Scheduler
{
public:
    void schedule(i64 at, InternalType type, int lane, int arg = 0) override
    {
        if (at >= m_world.end) {
            return;
        }
        at = std::max(at, m_now); // never in the past: a credential's nbf may lie before the present
        const int cls = type == InternalType::VictimRequest   ? 1
                        : type == InternalType::AttackerProbe ? 2
                        : type == InternalType::Sample        ? 3
                                                              : 0;
        m_internal.push(Internal{at, cls, m_seq++, type, lane, arg});
    }
    void startProbing(i64 now, i64 interval) override
    {
        if (!m_probing) {
            m_probing = true;
            m_probeInterval = interval;
            schedule(now, InternalType::AttackerProbe, -1);
        }
    }
    Result<RunResult> run(const Scenario& scenario, const RunOptions& options);

private:
    void script(const ScriptEvent& e, i64 now);
    void internal(const Internal& e);

    World m_world;
    std::vector<Lane> m_lanes;
    std::priority_queue<Internal, std::vector<Internal>, std::greater<>> m_internal;
    u64 m_seq = 0;
    bool m_probing = false;
    i64 m_now = 0;
    i64 m_probeInterval = kSecond;
    bool m_victimActive = false;
    i64 m_victimInterval = kSecond;
    Params m_base;
    u64 m_events = 0;
    u64 m_laneSteps = 0;
    Rng m_rng{1};
};

// ---------------------------------------------------------------- the engine

void Engine::script(const ScriptEvent& e, i64 now)
{
    switch (e.type) {
    case EventType::Login:
        m_victimActive = true;
        for (Lane& lane : m_lanes) {
            lane.login(now, m_base.integer(P::Devices));
            lane.victimRequest(now);
        }
        schedule(now + m_victimInterval, InternalType::VictimRequest, -1);
        break;
    case EventType::Request:
        for (Lane& lane : m_lanes) {
            e.actor == QLatin1String("attacker") ? lane.attackerProbe(now) : lane.victimRequest(now);
        }
        break;
    case EventType::Theft:
        for (Lane& lane : m_lanes) {
            lane.theft(now, e);
        }
        startProbing(now, m_base.us(P::AttackerIntervalS));
        break;
    case EventType::Revoke:
    case EventType::Logout:
        for (Lane& lane : m_lanes) {
            lane.revoke(now, e.type == EventType::Logout);
        }
        if (e.type == EventType::Logout) {
            m_victimActive = false;
        }
        break;
    case EventType::PasswordChange:
    case EventType::AccountDisabled:
        for (Lane& lane : m_lanes) {
            lane.massInvalidate(now);
        }
        m_victimActive = false;
        break;
    case EventType::RoleChange:
        for (Lane& lane : m_lanes) {
            lane.roleChange(now);
        }
        break;
    case EventType::StoreOutage:
        if (!m_world.storeDown) {
            m_world.storeDown = true;
            for (Lane& lane : m_lanes) {
                lane.outageEdge(now, true);
            }
            schedule(now + m_base.us(P::OutageS), InternalType::OutageEnd, -1);
        }
        break;
    case EventType::KeyRotation:
        m_world.rotationAt = now;
        m_world.emergency = e.emergency || m_base.flag(P::EmergencyRotation);
        for (Lane& lane : m_lanes) {
            lane.keyRotation(now, e.emergency);
        }
        break;
    case EventType::RefreshRace:
        for (Lane& lane : m_lanes) {
            lane.refreshRace(now);
        }
        break;
    case EventType::AttackerRefresh:
        for (Lane& lane : m_lanes) {
            lane.attackerRefresh(now);
        }
        break;
    case EventType::FixationPlant:
        for (Lane& lane : m_lanes) {
            lane.fixationPlant(now);
        }
        break;
    case EventType::GuessAttack:
        for (Lane& lane : m_lanes) {
            lane.guessAttack(now);
        }
        break;
    case EventType::Leave:
        m_victimActive = false;
        break;
    }
    for (Lane& lane : m_lanes) {
        lane.track(now);
    }
}

void Engine::internal(const Internal& e)
{
    const i64 now = e.at;
    switch (e.type) {
    case InternalType::Recheck:
        break;
    case InternalType::OutageEnd:
        m_world.storeDown = false;
        for (Lane& lane : m_lanes) {
            lane.outageEdge(now, false);
        }
        break;
    case InternalType::RaceSecond:
        m_lanes[std::size_t(e.lane)].raceSecond(now, e.arg);
        break;
    case InternalType::GuessSuccess:
        m_lanes[std::size_t(e.lane)].guessSuccess(now);
        break;
    case InternalType::VictimRequest:
        if (m_victimActive) {
            for (Lane& lane : m_lanes) {
                lane.victimRequest(now);
            }
            schedule(now + m_victimInterval, InternalType::VictimRequest, -1);
        }
        break;
    case InternalType::AttackerProbe:
        for (Lane& lane : m_lanes) {
            lane.attackerProbe(now);
        }
        schedule(now + m_probeInterval, InternalType::AttackerProbe, -1);
        break;
    case InternalType::Sample: {
        const i64 interval = i64(e.arg) * 1000;
        for (Lane& lane : m_lanes) {
            lane.sample(now, interval);
        }
        schedule(now + interval, InternalType::Sample, -1, e.arg);
        break;
    }
    }
    if (e.lane >= 0) {
        m_lanes[std::size_t(e.lane)].track(now);
    } else {
        for (Lane& lane : m_lanes) {
            lane.track(now);
        }
    }
}

Result<RunResult> Engine::run(const Scenario& scenario, const RunOptions& options)
{
    auto base = resolveParams(scenario, options.sets);
    if (!base) {
        return std::unexpected(base.error());
    }
    m_base = *base;
    m_world.start = m_base.us(P::Start);
    m_world.end = m_base.us(P::End);
    for (const ScriptEvent& e : scenario.events) {
        if (e.type == EventType::KeyRotation) {
            m_world.hasRotation = true;
        }
    }
    const auto users = std::uint32_t(m_base.integer(P::Users));
    m_victimInterval = std::max<i64>(1, std::llround(60e6 / m_base[P::RequestsPerMin]));
    const i64 window = m_world.end - m_world.start;
    // Background requests, plus the victim's and the attacker's (one a period each when they run).
    const double predicted = double(users + 1) * double(window) / double(m_victimInterval) +
                             double(window) / double(std::max<i64>(1, m_base.us(P::AttackerIntervalS)));
    if (predicted > double(options.maxEvents)) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("the scenario needs about %1 events, past the limit of %2: lower users, "
                                   "requests_per_min or the start-end window.")
                        .arg(predicted, 0, 'g', 3)
                        .arg(options.maxEvents));
    }
    m_rng = Rng(options.seed);
    m_lanes.reserve(scenario.lanes.size());
    for (std::size_t i = 0; i < scenario.lanes.size(); ++i) {
        auto params = resolveParams(scenario, options.sets, &scenario.lanes[i]);
        if (!params) {
            return std::unexpected(params.error());
        }
        m_lanes.emplace_back(scenario.lanes[i], *params, *this, m_world, options.seed, int(i));
        m_lanes.back().setAttackerWaits(
            std::any_of(scenario.events.begin(), scenario.events.end(),
                        [](const ScriptEvent& s) { return s.type == EventType::AttackerRefresh; }));
    }

    // Background users: one pending request each, at a random phase of the common interval.
    std::vector<i64> phase(users);
    for (std::uint32_t u = 0; u < users; ++u) {
        phase[u] = m_world.start + i64(m_rng.below(u64(m_victimInterval)));
    }
    // Users are interchangeable: numbering them in phase order makes every per-user array walk
    // sequentially through memory as the clock advances (the hot loop's main cost is cache misses).
    std::sort(phase.begin(), phase.end());
    for (Lane& lane : m_lanes) {
        lane.initUsers(users, phase, m_victimInterval);
    }
    PeriodicQueue queue(std::move(phase), m_victimInterval);

    // Script events in time order; equal times keep the file's order.
    std::vector<std::pair<i64, const ScriptEvent*>> scripted;
    for (const ScriptEvent& e : scenario.events) {
        const i64 at = std::llround(e.atS * 1e6) + (e.plus ? m_base.us(*e.plus) : 0);
        scripted.emplace_back(at, &e);
    }
    std::stable_sort(scripted.begin(), scripted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const int sampleMs = int(std::max<i64>(1000, window / 100 / 1000));
    schedule(m_world.start + i64(sampleMs) * 1000, InternalType::Sample, -1, sampleMs);

    RunResult result;
    std::size_t next = 0;
    u64 peak = queue.size();
    // Chance that a background request is preceded by a logout (and a new login), as a 64-bit threshold.
    const double logoutChance =
        std::min(1.0, m_base[P::LogoutsPerUserPerHour] / 3600.0 * double(m_victimInterval) / 1e6);
    const u64 logoutThreshold = logoutChance >= 1.0 ? ~u64(0) : u64(std::ldexp(logoutChance, 64));
    const auto lanes = u64(m_lanes.size());
    while (true) {
        const i64 tS = next < scripted.size() ? scripted[next].first : kInf;
        const i64 tI = m_internal.empty() ? kInf : m_internal.top().at;
        const i64 limit = std::min({tS, tI, m_world.end});
        // Hot loop: background requests strictly before the next script or internal event.
        while (!queue.empty() && queue.topTime() < limit) {
            i64 now = 0;
            const std::uint32_t u = queue.pop(now);
            const bool logout = logoutThreshold != 0 && m_rng.next() < logoutThreshold;
            for (Lane& lane : m_lanes) {
                lane.background(u, now, logout);
            }
            ++m_events;
            if ((m_events & 0xFFFFF) == 0) {
                peak = std::max<u64>(peak, queue.size() + m_internal.size());
                if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
                    return fail(ErrorCode::Cancelled, QStringLiteral("the simulation was cancelled."));
                }
                if (options.progress && m_world.end > m_world.start) {
                    options.progress(double(now - m_world.start) / double(m_world.end - m_world.start));
                }
            }
        }
        if (limit >= m_world.end) {
            break;
        }
        ++m_events;
        m_now = std::min(tS, tI);
        if (tS <= tI) {
            script(*scripted[next].second, tS);
            ++next;
        } else {
            const Internal e = m_internal.top();
            m_internal.pop();
            internal(e);
        }
    }
    m_laneSteps = m_events * lanes;

    result.scenarioId = scenario.id;
    result.title = scenario.title;
    result.teaches = scenario.teaches;
    result.expected = scenario.expected;
    result.seed = options.seed;
    result.startUs = m_world.start;
    result.endUs = m_world.end;
    result.events = m_events;
    result.laneSteps = m_laneSteps;
    result.peakQueued = peak;
    result.sets = options.sets;
    for (Lane& lane : m_lanes) {
        LaneResult r = lane.finish(m_world.end);
        r.windowS = double(window) / 1e6;
        result.lanes.push_back(std::move(r));
    }
    return result;
}

} // namespace

namespace {

// Mean exposure over a compromise time uniform across the token's life (SIMULATION-REFERENCE §6.1): the
// script's events after the first login are shifted by (k + ½)·L/N for k < N, each replay measured.
Result<void> addUniformMeans(const Scenario& scenario, const RunOptions& options, RunResult& result)
{
    const auto login = std::find_if(scenario.events.begin(), scenario.events.end(),
                                    [](const ScriptEvent& e) { return e.type == EventType::Login; });
    const bool theft = std::any_of(scenario.events.begin(), scenario.events.end(),
                                   [](const ScriptEvent& e) { return e.type == EventType::Theft; });
    if (login == scenario.events.end() || !theft || result.lanes.empty()) {
        return {};
    }
    const double lifetime = result.lanes.front().params[P::AccessTokenLifetimeS];
    // Each replay runs the victim and the attacker only; skip the means when even that would be long.
    const double perReplay =
        double(result.endUs - result.startUs) / std::max(1.0, result.lanes.front().params[P::AttackerIntervalS] * 1e6);
    if (perReplay * options.uniformSamples > 2e7) {
        return {};
    }
    const double loginAt = login->atS;
    std::vector<double> sums(result.lanes.size(), 0.0);
    RunOptions replay = options;
    replay.uniformSamples = 0;
    replay.sets.append(QStringLiteral("users=0"));
    for (int k = 0; k < options.uniformSamples; ++k) {
        Scenario shifted = scenario;
        const double offset = (k + 0.5) * lifetime / options.uniformSamples;
        for (ScriptEvent& e : shifted.events) {
            if (e.type != EventType::Login && e.atS >= loginAt) {
                e.atS += offset;
            }
        }
        auto r = Engine().run(shifted, replay);
        if (!r) {
            return std::unexpected(r.error());
        }
        for (std::size_t i = 0; i < sums.size(); ++i) {
            sums[i] += r->lanes[i].exposureWindowS;
        }
    }
    for (std::size_t i = 0; i < sums.size(); ++i) {
        if (result.lanes[i].stolen) {
            result.lanes[i].extra.insert(QStringLiteral("mean_exposure_uniform_s"),
                                         std::round(sums[i] / options.uniformSamples * 1e6) / 1e6);
        }
    }
    return {};
}

} // namespace

Result<RunResult> run(const Scenario& scenario, const RunOptions& options)
{
    auto result = std::make_unique<Engine>()->run(scenario, options);
    if (result && options.uniformSamples > 0) {
        auto means = addUniformMeans(scenario, options, *result);
        if (!means) {
            return std::unexpected(means.error());
        }
    }
    return result;
}

} // namespace tb::sim
