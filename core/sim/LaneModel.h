#pragma once

// Internal to core/sim: the state and behaviour of one lane (A..F) in a run. Not a public API.

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include <QString>

#include "sim/Engine.h"
#include "sim/Histogram.h"
#include "sim/Rng.h"

namespace tb::sim::detail {

using i64 = std::int64_t;
using u64 = std::uint64_t;
constexpr i64 kInf = std::numeric_limits<i64>::max() / 4;
constexpr i64 kSecond = 1000000;

double inverseNormal(double p);

// Log-normal latency given its median and p99, sampled through a 1024-entry quantile table (no libm per sample).
class Dist
{
public:
    Dist() = default;
    Dist(double medianUs, double p99Us)
    {
        const double sigma = p99Us > medianUs ? std::log(p99Us / medianUs) / 2.3263478740408408 : 0.0;
        for (std::size_t i = 0; i < m_table.size(); ++i) {
            const double p = (double(i) + 0.5) / double(m_table.size());
            m_table[i] = u64(std::llround(medianUs * 1000.0 * std::exp(sigma * inverseNormal(p))));
        }
    }
    u64 sampleNs(Rng& rng) const { return m_table[rng.next() >> 54]; }
    [[nodiscard]] double medianMs() const { return double(m_table[m_table.size() / 2]) / 1e6; }

private:
    std::array<u64, 1024> m_table{};
};

enum class Verdict
{
    Accepted,
    NoCredential,
    NotYetValid,
    Expired,
    Denylisted,
    SessionGone,
    IdleTimeout,
    AbsoluteTimeout,
    Inactive,
    FamilyRevoked,
    StoreDown,
    KeyUnknown,
    CaeRevoked,
    ClaimsRefreshed,
};

QString verdictText(Verdict v);

// State every lane can read: the store, the signing keys.
struct World
{
    bool storeDown = false;
    i64 rotationAt = kInf;
    bool emergency = false;
    bool hasRotation = false;
    i64 start = 0;
    i64 end = 0;
};

struct Jwt
{
    u64 jti = 0;
    i64 issuedAt = 0;
    i64 from = 0;  // first instant the resource server accepts it (nbf − leeway, in its clock)
    i64 until = 0; // first instant it rejects it (exp + leeway)
    int kid = 1;
    u64 hash = 0; // stands for SHA-256 of the exact bytes
    bool valid = false;
};

struct Sess
{
    u64 id = 0;
    u64 held = 0; // the id in the victim's browser (differs from id once the attacker wins a renewal)
    i64 created = 0;
    i64 lastTouch = 0;
    i64 deletedAt = kInf;
    u64 prevId = 0;
    i64 prevUntil = 0;
    i64 nextRenewal = kInf;
    bool exists = false;
};

struct Family
{
    u64 id = 0;
    int gen = 0;
    i64 created = 0;
    i64 lastUse = 0;
    i64 lastRotation = -kInf;
    bool revoked = false;
    bool exists = false;
};

struct Opaque
{
    bool active = false;
    i64 issuedAt = 0;
    i64 exp = 0;
    i64 cacheUntil = 0;
    i64 fetchedAt = -kInf;
    bool cacheActive = false;
};

struct Device
{
    Sess sess;
    Jwt at;
    Family fam;
    int rtGen = 0;
    Opaque op;
    Jwt api;
};

struct DenyEntry
{
    int key = KeyJti;
    u64 value = 0;     // jti or hash
    i64 notBefore = 0; // user_not_before: tokens issued before this are refused
    i64 visibleAt = 0;
    i64 expires = 0;
};

enum class InternalType : int
{
    Recheck,
    OutageEnd,
    RaceSecond,
    GuessSuccess,
    VictimRequest,
    AttackerProbe,
    Sample,
};

// What a lane may ask of the engine: events at later instants, and the attacker's periodic requests.
class Scheduler
{
public:
    virtual void schedule(std::int64_t at, InternalType type, int lane, int arg = 0) = 0;
    virtual void startProbing(std::int64_t now, std::int64_t interval) = 0;

protected:
    ~Scheduler() = default;
};

class Lane
{
public:
    Lane(const LaneSpec& spec, Params params, Scheduler& engine, const World& world, u64 seed, int index);

    void initUsers(std::uint32_t users, const std::vector<i64>& phase, i64 interval);
    void background(std::uint32_t u, i64 now, bool logout);

    void login(i64 now, int devices);
    void theft(i64 now, const ScriptEvent& e);
    void revoke(i64 now, bool byVictim);
    void massInvalidate(i64 now);
    void roleChange(i64 now);
    void keyRotation(i64 now, bool emergency);
    void outageEdge(i64 now, bool down);
    void refreshRace(i64 now);
    void raceSecond(i64 now, int gen);
    void attackerRefresh(i64 now);
    void fixationPlant(i64 now);
    void guessAttack(i64 now);
    void guessSuccess(i64 now);
    void victimRequest(i64 now);
    void attackerProbe(i64 now);
    void sample(i64 now, i64 interval);

    void track(i64 now);
    LaneResult finish(i64 end);
    [[nodiscard]] QChar id() const { return m_id; }
    // With an explicit attacker_refresh in the script, the attacker holds the stolen refresh token unused until then.
    void setAttackerWaits(bool waits) { m_attackerWaits = waits; }

private:
    Family& attackerFamily() { return m_attFamDetached ? m_attFam : m_dev[0].fam; }
    Opaque& attackerOpaque() { return m_attOpDetached ? m_stolenOp : m_dev[0].op; }
    const Opaque& attackerOpaque() const { return m_attOpDetached ? m_stolenOp : m_dev[0].op; }
    bool isSessionLane() const { return m_id == u'A' || m_id == u'F'; }
    bool isJwtLane() const { return m_id == u'B' || m_id == u'C' || m_id == u'D'; }
    Jwt makeJwt(i64 now, i64 lifetime);
    void issue(Device& d, i64 now);
    void watch(i64 at);
    void markKnown(i64 now);
    void marker(i64 now, const QString& kind, const QString& label);
    void deny(const Jwt& t, u64 hash, i64 now);

    Verdict sessVerdict(u64 sid, i64 now) const;
    Verdict jwtVerdict(const Jwt& t, u64 hash, i64 now) const;
    Verdict opaqueVerdict(const Opaque& op, i64 now) const;
    Verdict attackerVerdict(i64 now) const;
    bool denied(const Jwt& t, u64 hash, i64 now) const;

    bool refresh(Family& f, int& gen, i64 now, bool attacker);
    void introspect(Opaque& op, i64 now);
    void forcedRelogin(i64 now);
    void backgroundLogout(std::uint32_t u, i64 now);
    void recordLatency(u64 ns) { m_hist.add(ns); }
    void countRequest(bool accepted)
    {
        ++m_r.requests;
        if (!accepted) {
            ++m_r.rejected;
        }
    }

    QChar m_id;
    Params m_p;
    Scheduler& m_engine;
    const World& m_world;
    Rng m_rng;
    int m_index = 0;
    Histogram m_hist;
    LaneResult m_r;

    // Cached parameters (microseconds).
    i64 m_life = 0, m_bffLife = 0, m_leeway = 0, m_skew = 0, m_repl = 0, m_prop = 0, m_ttl = 0, m_grace = 0;
    i64 m_idle = 0, m_abs = 0, m_rtIdle = 0, m_rtAbs = 0, m_renewal = 0, m_overlap = 0, m_caeProp = 0, m_jwksTtl = 0;
    int m_fanout = 1, m_servers = 1;
    bool m_failOpen = false, m_overLimit = false;
    Dist m_rtt, m_verify, m_introspect;
    u64 m_signNs = 0;

    // Background users (one slot per live credential).
    std::vector<i64> m_userExp;
    std::vector<i64> m_serverFetch;

    // Victim and attacker.
    std::vector<Device> m_dev;
    u64 m_nextId = 1;
    bool m_stolen = false;
    i64 m_theftAt = 0;
    bool m_known = false;
    i64 m_knownAt = 0;
    bool m_hasSid = false;
    u64 m_attSid = 0;
    bool m_hasJwt = false;
    Jwt m_attJwt;
    u64 m_attHash = 0;
    u64 m_stolenHash = 0;
    bool m_hasRt = false;
    int m_attGen = 0;
    bool m_hasOpaque = false;
    bool m_attOpDetached = false;
    bool m_attFamDetached = false;
    bool m_attackerWaits = false; // holds a stolen refresh token unused until an attacker_refresh event
    Family m_attFam;
    Opaque m_stolenOp; // the attacker's opaque token once the victim has moved on to a new one
    bool m_planted = false;
    u64 m_plantedId = 0;
    u64 m_guessesNeeded = 0;
    i64 m_roleChangedAt = kInf;
    i64 m_caeNotBefore = -kInf;
    i64 m_caeVisibleAt = kInf;
    std::vector<DenyEntry> m_deny;

    // Exposure bookkeeping.
    bool m_acc = false;
    i64 m_accFrom = 0;
    Verdict m_endReason = Verdict::NoCredential;
    std::vector<std::pair<i64, i64>> m_accepted;
    i64 m_outageFrom = 0;
    u64 m_lastOps = 0, m_lastRefresh = 0, m_lastRejected = 0;
    std::vector<i64> m_bgDeny; // min-heap of the expiry of background denylist entries (lane C)
    u64 m_bgLogouts = 0;
};

} // namespace tb::sim::detail
