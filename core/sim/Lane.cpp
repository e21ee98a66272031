#include "sim/LaneModel.h"

#include <algorithm>
#include <cmath>

namespace tb::sim::detail {

// Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9).
double inverseNormal(double p)
{
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    const double low = 0.02425;
    if (p < low) {
        const double q = std::sqrt(-2 * std::log(p));
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
        const double q = std::sqrt(-2 * std::log(1 - p));
        return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
               ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    const double q = p - 0.5;
    const double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
           (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

QString verdictText(Verdict v)
{
    switch (v) {
    case Verdict::Accepted:
        return QStringLiteral("accepted");
    case Verdict::NoCredential:
        return QStringLiteral("the attacker holds no usable credential");
    case Verdict::NotYetValid:
        return QStringLiteral("token not yet valid (nbf)");
    case Verdict::Expired:
        return QStringLiteral("token expired (exp + leeway)");
    case Verdict::Denylisted:
        return QStringLiteral("denylist entry reached the verifiers");
    case Verdict::SessionGone:
        return QStringLiteral("session deleted from the store");
    case Verdict::IdleTimeout:
        return QStringLiteral("session idle timeout");
    case Verdict::AbsoluteTimeout:
        return QStringLiteral("session absolute timeout");
    case Verdict::Inactive:
        return QStringLiteral("introspection answers active=false (cache entry expired)");
    case Verdict::FamilyRevoked:
        return QStringLiteral("refresh-token family revoked");
    case Verdict::StoreDown:
        return QStringLiteral("store unreachable (fail-closed)");
    case Verdict::KeyUnknown:
        return QStringLiteral("signing key withdrawn");
    case Verdict::CaeRevoked:
        return QStringLiteral("continuous access evaluation enforced the revocation");
    case Verdict::ClaimsRefreshed:
        return QStringLiteral("the privilege change reached the verifier");
    }
    return {};
}

// ---------------------------------------------------------------- lane set-up

int tokenBytes(const Params& p)
{
    static constexpr int sigChars[] = {43, 342, 512, 86, 128, 86}; // HS256 RS256 RS3072 ES256 ES384 EdDSA
    const int groups = p.integer(P::Groups);
    const int groupBytes = groups > p.integer(P::GroupClaimCap) ? 150 : groups * 52; // overage claim ~150 B
    return p.integer(P::TokenBaseBytes) - sigChars[1] + sigChars[p.integer(P::Alg)] + groupBytes +
           p.integer(P::Permissions) * 23;
}

Lane::Lane(const LaneSpec& spec, Params params, Scheduler& engine, const World& world, u64 seed, int index)
    : m_id(spec.id)
    , m_p(std::move(params))
    , m_engine(engine)
    , m_world(world)
    , m_rng(seed * 0x9e3779b97f4a7c15ULL + u64(index) + 1)
    , m_index(index)
{
    m_r.id = spec.id;
    m_r.name = laneName(spec.id);
    m_r.variant = spec.variant;
    m_r.params = m_p;
    m_life = m_p.us(P::AccessTokenLifetimeS);
    m_bffLife = m_p.us(P::BffTokenLifetimeS);
    m_leeway = m_p.us(P::LeewayS);
    m_skew = std::llround(m_p[P::ClockSkewS] * 1e6);
    m_repl = m_p.us(P::StoreReplicationS);
    m_prop = m_p.us(P::DenylistPropagationS);
    m_ttl = m_p.us(P::IntrospectionCacheTtlS);
    m_grace = m_p.us(P::RefreshGraceS);
    m_idle = m_p.us(P::SessionIdleTimeoutS);
    m_abs = m_p.us(P::SessionAbsoluteTimeoutS);
    m_rtIdle = m_p.us(P::RefreshTokenIdleS);
    m_rtAbs = m_p.us(P::RefreshTokenAbsoluteS);
    m_renewal = m_p.us(P::SessionRenewalS);
    m_overlap = m_p.us(P::RenewalOverlapS);
    m_caeProp = m_p.us(P::CaePropagationS);
    m_jwksTtl = m_p.us(P::JwksCacheTtlS);
    m_fanout = m_p.integer(P::Fanout);
    m_servers = m_p.integer(P::AppServers);
    m_failOpen = m_p.integer(P::FailPolicy) == FailOpen;
    m_rtt = Dist(m_p[P::StoreRttMs] * 1000, m_p[P::StoreRttP99Ms] * 1000);
    const double verify = verifyMicros(m_p.integer(P::Alg));
    m_verify = Dist(verify, verify * 1.2); // assumption: 20 % spread at p99 around openssl speed's figure
    m_introspect = Dist(m_p[P::IntrospectionRttMs] * 1000, m_p[P::IntrospectionRttMs] * 2000);
    m_signNs = u64(signMicros(m_p.integer(P::Alg)) * 1000);

    // Bytes of the credential line (SIMULATION-REFERENCE §6.2): cookie 41 B, Authorization: Bearer + token.
    const bool http2 = m_p.integer(P::HttpVersion) == Http2;
    int line = 0;
    int entry = 0;
    bool neverIndexed = false;
    if (isSessionLane()) {
        line = 41; // "Cookie: __Host-sid=" + 22-char id
        entry = 6 + 33 + 32;
    } else if (m_id == u'E') {
        line = 22 + 43; // "Authorization: Bearer " + 32 random bytes in base64url
        entry = 13 + 7 + 43 + 32;
        neverIndexed = m_p.flag(P::Http2NeverIndex);
    } else {
        const int token = tokenBytes(m_p);
        if (m_p.integer(P::Transport) == TransportCookie) {
            line = 11 + token; // "Cookie: at=" + token
            entry = 6 + 3 + token + 32;
            m_overLimit = 3 + token > m_p.integer(P::CookieLimitBytes);
        } else {
            line = 22 + token;
            entry = 13 + 7 + token + 32;
            neverIndexed = m_p.flag(P::Http2NeverIndex);
            m_overLimit = line > m_p.integer(P::HeaderLimitBytes);
        }
        m_r.credentialBytes = token;
    }
    if (m_r.credentialBytes == 0) {
        m_r.credentialBytes = m_id == u'E' ? 43 : 22;
    }
    m_r.bytesFirstRequest = line;
    m_r.bytesPerRequest = http2 && !neverIndexed && entry <= 4096 ? 1 : line;
    if (m_id == u'F') {
        m_r.extra.insert(QStringLiteral("api_bytes_per_request"), 22 + tokenBytes(m_p));
    }
    if (m_id == u'D') {
        // A rotated refresh token still works this long: the replay window that a grace period opens.
        m_r.extra.insert(QStringLiteral("refresh_replay_window_s"), m_p[P::RefreshGraceS]);
    }
}

void Lane::initUsers(std::uint32_t users, const std::vector<i64>& phase, i64 interval)
{
    if (m_id == u'A' && !m_world.hasRotation) {
        return;
    }
    m_userExp.resize(users);
    const i64 life = m_id == u'F' ? m_bffLife : m_life;
    const u64 spread = u64((life + interval - 1) / interval);
    for (std::uint32_t u = 0; u < users; ++u) {
        // Steady state: each user's credential renews at one of its own request instants, spread over a lifetime.
        m_userExp[u] = m_id == u'E'   ? 0
                       : m_id == u'A' ? m_world.start - 1
                                      : phase[u] + interval * i64(m_rng.below(spread));
    }
    m_serverFetch.assign(std::size_t(m_servers), -kInf);
}

Jwt Lane::makeJwt(i64 now, i64 lifetime)
{
    Jwt t;
    t.jti = m_nextId++;
    t.issuedAt = now;
    t.from = now + m_skew - m_leeway;
    t.until = now + m_skew + lifetime + m_leeway;
    t.kid = now >= m_world.rotationAt ? 2 : 1;
    t.hash = t.jti * 0x9e3779b97f4a7c15ULL;
    t.valid = true;
    watch(t.from);
    watch(t.until);
    return t;
}

void Lane::watch(i64 at)
{
    // Only the victim's and the attacker's credentials are watched: a handful of events, never per user.
    if (at < kInf / 2) {
        m_engine.schedule(std::max(at, m_world.start), InternalType::Recheck, m_index);
    }
}

// ---------------------------------------------------------------- background load (the hot path)

void Lane::backgroundLogout(std::uint32_t u, i64 now)
{
    ++m_bgLogouts;
    switch (m_id.unicode()) {
    case u'A':
        m_r.storeOps += 2; // delete the session, create the next one
        break;
    case u'B':
        ++m_r.mints; // the old token stays valid: nothing to revoke
        m_userExp[u] = now + m_life;
        break;
    case u'C':
        m_bgDeny.push_back(m_userExp[u]); // the entry lives until the revoked token's exp
        std::push_heap(m_bgDeny.begin(), m_bgDeny.end(), std::greater<>());
        m_r.storeOps += 1;
        ++m_r.mints;
        m_userExp[u] = now + m_life;
        break;
    case u'D':
        m_r.storeOps += 2; // revoke the family, start a new one
        m_userExp[u] = now + m_life;
        break;
    case u'E':
        m_r.storeOps += 2; // revoke at the AS, issue a new token (not cached yet)
        m_userExp[u] = 0;
        break;
    case u'F':
        m_r.storeOps += 2;
        m_userExp[u] = 0; // the new session gets a new API token
        break;
    default:
        break;
    }
}

void Lane::background(std::uint32_t u, i64 now, bool logout)
{
    if (m_overLimit) {
        ++m_r.limitHits;
        countRequest(false);
        return;
    }
    if (logout) {
        backgroundLogout(u, now);
    }
    switch (m_id.unicode()) {
    case u'A': {
        if (m_world.hasRotation && m_world.emergency && m_userExp[u] < m_world.rotationAt &&
            now >= m_world.rotationAt) {
            ++m_r.forcedRelogins; // cookie-signing secret rotated: every session cookie is invalid
            m_userExp[u] = now;
            m_r.storeOps += 1;
        }
        if (m_world.storeDown) {
            countRequest(false);
            return;
        }
        m_r.storeOps += 1;
        recordLatency(m_rtt.sampleNs(m_rng));
        countRequest(true);
        return;
    }
    case u'B':
    case u'C':
    case u'D': {
        if (now >= m_userExp[u]) {
            if (m_id == u'D') {
                if (m_world.storeDown) { // the AS cannot rotate the refresh token: the request fails
                    countRequest(false);
                    return;
                }
                ++m_r.refreshes;
                m_r.storeOps += 2; // read the family, write the rotation
            } else {
                ++m_r.mints; // silent re-authentication at the IdP
            }
            m_userExp[u] = now + m_life;
        }
        if (m_world.hasRotation) {
            const i64 issued = m_userExp[u] - m_life;
            const bool newKey = issued >= m_world.rotationAt;
            if (m_world.emergency && !newKey && now >= m_world.rotationAt) {
                if (m_id == u'D') {
                    ++m_r.refreshes; // refresh storm: every client refreshes at once
                    m_r.storeOps += 2;
                } else {
                    ++m_r.forcedRelogins;
                }
                m_userExp[u] = now + m_life;
            } else if (newKey && !m_world.emergency && !m_p.flag(P::NextKeyPrepublished)) {
                const int s = int(u % std::uint32_t(m_servers));
                const i64 offset = m_world.start - m_jwksTtl + m_jwksTtl * s / m_servers;
                const i64 lastFetch = now - (now - offset) % m_jwksTtl;
                if (lastFetch < m_world.rotationAt && m_serverFetch[std::size_t(s)] < m_world.rotationAt) {
                    if (m_p.flag(P::JwksRefreshOnUnknownKid)) {
                        ++m_r.jwksFetches;
                        m_serverFetch[std::size_t(s)] = now;
                    } else {
                        ++m_r.keyRejections;
                        countRequest(false);
                        return;
                    }
                }
            }
        }
        u64 ns = m_verify.sampleNs(m_rng);
        m_r.verifyOps += u64(m_fanout);
        if (m_id == u'C') {
            if (m_world.storeDown) {
                if (!m_failOpen) {
                    countRequest(false);
                    return;
                }
            } else {
                m_r.storeOps += u64(m_fanout);
                ns += m_rtt.sampleNs(m_rng);
            }
        }
        recordLatency(ns);
        countRequest(true);
        return;
    }
    case u'E': {
        if (now < m_userExp[u]) {
            recordLatency(1000); // cache hit: ~1 µs
            countRequest(true);
            return;
        }
        if (m_world.storeDown) {
            countRequest(m_failOpen);
            return;
        }
        m_r.storeOps += 1;
        m_userExp[u] = m_ttl > 0 ? now + m_ttl : 0;
        recordLatency(m_introspect.sampleNs(m_rng));
        countRequest(true);
        return;
    }
    case u'F': {
        if (m_world.storeDown) {
            countRequest(false);
            return;
        }
        m_r.storeOps += 1;
        u64 ns = m_rtt.sampleNs(m_rng) + m_verify.sampleNs(m_rng);
        if (now >= m_userExp[u]) {
            ++m_r.mints; // the BFF mints a fresh API token
            m_userExp[u] = now + m_bffLife;
            ns += m_signNs;
        }
        m_r.verifyOps += u64(m_fanout);
        recordLatency(ns);
        countRequest(true);
        return;
    }
    default:
        return;
    }
}

// ---------------------------------------------------------------- the victim's credentials

void Lane::marker(i64 now, const QString& kind, const QString& label)
{
    m_r.timeline.markers.push_back({now, kind, label});
}

void Lane::issue(Device& d, i64 now)
{
    if (isSessionLane()) {
        d.sess = Sess{};
        d.sess.id = m_nextId++;
        if (m_planted && &d == &m_dev[0]) {
            const bool vulnerable = !m_p.flag(P::RotateOnLogin) && !m_p.flag(P::StrictStore);
            if (vulnerable) {
                d.sess.id = m_plantedId; // the attacker's planted id becomes the authenticated session
            }
        }
        d.sess.held = d.sess.id;
        d.sess.created = now;
        d.sess.lastTouch = now;
        d.sess.exists = true;
        d.sess.nextRenewal = m_renewal > 0 ? now + m_renewal : kInf;
        m_r.storeOps += 1;
        watch(now + m_idle);
        if (m_abs > 0) {
            watch(now + m_abs);
        }
        marker(now, QStringLiteral("issue"), QStringLiteral("session %1").arg(d.sess.id));
        if (m_id == u'F') {
            d.api = makeJwt(now, m_bffLife);
            ++m_r.mints;
        }
        return;
    }
    if (m_id == u'E') {
        if (m_hasOpaque && !m_attOpDetached && &d == &m_dev[0]) {
            m_stolenOp = d.op;
            m_attOpDetached = true;
        }
        d.op = Opaque{true, now, now + m_life, 0, -kInf, false};
        m_r.storeOps += 1;
        watch(d.op.exp);
        marker(now, QStringLiteral("issue"), QStringLiteral("opaque token"));
        return;
    }
    d.at = makeJwt(now, m_life);
    marker(now, QStringLiteral("issue"), QStringLiteral("access token jti %1").arg(d.at.jti));
    if (m_id == u'D') {
        if (m_hasRt && !m_attFamDetached && &d == &m_dev[0]) {
            m_attFam = d.fam; // the victim starts a new grant; the attacker keeps the old one
            m_attFamDetached = true;
        }
        d.fam = Family{m_nextId++, 1, now, now, -kInf, false, true};
        d.rtGen = 1;
        m_r.storeOps += 1;
    }
}

void Lane::login(i64 now, int devices)
{
    m_dev.clear();
    m_dev.reserve(std::size_t(devices) + 8); // room for hijacked sessions without moving the victim's
    m_dev.resize(std::size_t(devices));
    for (Device& d : m_dev) {
        issue(d, now);
    }
    if (m_planted && isSessionLane() && m_dev[0].sess.id == m_plantedId) {
        m_hasSid = true;
        m_attSid = m_plantedId;
        m_stolen = true;
        m_theftAt = now;
        marker(now, QStringLiteral("compromise"), QStringLiteral("planted session id authenticated"));
        m_engine.startProbing(now, m_p.us(P::AttackerIntervalS));
    }
}

void Lane::forcedRelogin(i64 now)
{
    ++m_r.forcedRelogins;
    marker(now, QStringLiteral("relogin"), QStringLiteral("victim forced to log in again"));
    const Sess& s = m_dev[0].sess;
    if (isSessionLane() && m_hasSid && s.exists && s.id == m_attSid && s.held != s.id &&
        m_dev.size() < m_dev.capacity()) {
        m_dev.push_back(m_dev[0]); // the hijacked session lives on beside the victim's new one
    }
    issue(m_dev[0], now);
}

void Lane::markKnown(i64 now)
{
    if (m_stolen && !m_known) {
        m_known = true;
        m_knownAt = now;
        marker(now, QStringLiteral("detection"), QStringLiteral("compromise known"));
    }
}

void Lane::theft(i64 now, const ScriptEvent& e)
{
    if (m_dev.empty()) {
        return;
    }
    const bool browser =
        e.steals == QLatin1String("access") || e.steals == QLatin1String("session") || e.steals == QLatin1String("all");
    const bool api = e.steals == QLatin1String("api_token") || e.steals == QLatin1String("all");
    const bool refreshToken = e.steals == QLatin1String("refresh") || e.steals == QLatin1String("all");
    Device& d = m_dev[0];
    bool got = false;
    if (isSessionLane() && browser) {
        m_hasSid = true;
        m_attSid = d.sess.id;
        got = true;
    }
    if (m_id == u'F' && api) {
        m_hasJwt = true;
        m_attJwt = d.api;
        got = true;
    }
    if (isJwtLane() && (browser || api)) {
        m_hasJwt = true;
        m_attJwt = d.at;
        got = true;
    }
    if (m_hasJwt) {
        m_stolenHash = m_attJwt.hash;
        // An ECDSA (r, n−s) or lax base64url re-encoding: other bytes, same jti, still verifies.
        m_attHash = e.malleate ? m_attJwt.hash ^ 1 : m_attJwt.hash;
    }
    if (m_id == u'D' && refreshToken) {
        m_hasRt = true;
        m_attGen = d.rtGen;
        got = true;
    }
    if (m_id == u'E' && (browser || api)) {
        m_hasOpaque = true;
        got = true;
    }
    if (!got || m_stolen) {
        m_stolen = m_stolen || got;
        return;
    }
    m_stolen = true;
    m_theftAt = now;
    marker(now, QStringLiteral("compromise"), QStringLiteral("credential stolen (%1)").arg(e.steals));
}

void Lane::deny(const Jwt& t, u64 hash, i64 now)
{
    DenyEntry entry;
    entry.key = m_p.integer(P::DenylistKey);
    entry.value = entry.key == KeyTokenHash ? hash : t.jti;
    entry.notBefore = now;
    entry.visibleAt = now + m_prop;
    entry.expires = t.until;
    m_deny.push_back(entry);
    m_r.storeOps += 1;
    watch(entry.visibleAt);
    m_r.denylistPeak = std::max<u64>(m_r.denylistPeak, m_deny.size());
}

void Lane::revoke(i64 now, bool byVictim)
{
    markKnown(now);
    if (m_dev.empty()) {
        return;
    }
    Device& d = m_dev[0];
    marker(now, byVictim ? QStringLiteral("logout") : QStringLiteral("revocation"),
           byVictim ? QStringLiteral("victim logs out") : QStringLiteral("operator revokes the credential"));
    switch (m_id.unicode()) {
    case u'A':
    case u'F':
        d.sess.deletedAt = now;
        m_r.storeOps += 1;
        watch(now + m_repl);
        d.api.valid = false;
        break;
    case u'B':
        if (m_p.flag(P::Cae) && !byVictim) {
            m_caeNotBefore = now;
            m_caeVisibleAt = now + m_caeProp;
            watch(m_caeVisibleAt);
        }
        break;
    case u'C':
        if (m_p.integer(P::DenylistKey) == KeyUserNotBefore) {
            deny(d.at, 0, now);
        } else {
            // The revoked token is the stolen one (its original bytes); the victim's current token too if newer.
            deny(m_hasJwt ? m_attJwt : d.at, m_hasJwt ? m_stolenHash : d.at.hash, now);
            if (m_hasJwt && d.at.jti != m_attJwt.jti) {
                deny(d.at, d.at.hash, now);
            }
        }
        break;
    case u'D':
        d.fam.revoked = true;
        if (m_hasRt) {
            attackerFamily().revoked = true;
        }
        m_r.storeOps += 1;
        break;
    case u'E':
        d.op.active = false;
        attackerOpaque().active = false;
        m_r.storeOps += 1;
        break;
    default:
        break;
    }
}

void Lane::massInvalidate(i64 now)
{
    markKnown(now);
    if (m_dev.empty()) {
        return;
    }
    marker(now, QStringLiteral("revocation"), QStringLiteral("password change / account disabled: all sessions"));
    const u64 k = m_dev.size();
    switch (m_id.unicode()) {
    case u'A':
    case u'F':
        m_r.storeOps += 1 + k; // user -> sessions index, then one delete per session
        for (Device& d : m_dev) {
            d.sess.deletedAt = now;
            d.api.valid = false;
        }
        watch(now + m_repl);
        m_r.forcedRelogins += k;
        break;
    case u'B':
        if (m_p.flag(P::Cae)) {
            m_caeNotBefore = now;
            m_caeVisibleAt = now + m_caeProp;
            watch(m_caeVisibleAt);
            m_r.forcedRelogins += k;
        }
        break;
    case u'C':
        if (m_p.integer(P::DenylistKey) == KeyUserNotBefore) {
            deny(m_dev[0].at, 0, now);
        } else {
            for (std::size_t i = 0; i < m_dev.size(); ++i) {
                const bool stolenHere = i == 0 && m_hasJwt;
                deny(stolenHere ? m_attJwt : m_dev[i].at, stolenHere ? m_stolenHash : m_dev[i].at.hash, now);
            }
        }
        m_r.forcedRelogins += k;
        break;
    case u'D':
        for (Device& d : m_dev) {
            d.fam.revoked = true;
        }
        if (m_hasRt) {
            attackerFamily().revoked = true;
        }
        m_r.storeOps += k;
        m_r.forcedRelogins += k;
        break;
    case u'E':
        for (Device& d : m_dev) {
            d.op.active = false;
        }
        attackerOpaque().active = false;
        m_r.storeOps += k;
        m_r.forcedRelogins += k;
        break;
    default:
        break;
    }
}

void Lane::roleChange(i64 now)
{
    markKnown(now);
    m_roleChangedAt = now;
    marker(now, QStringLiteral("role-change"), QStringLiteral("privilege removed"));
    if (isSessionLane()) {
        m_r.storeOps += 1; // update the session's roles
        watch(now + m_repl);
    }
}

void Lane::keyRotation(i64 now, bool emergency)
{
    marker(now, QStringLiteral("key-rotation"),
           emergency ? QStringLiteral("emergency rotation: old key withdrawn") : QStringLiteral("planned rotation"));
}

void Lane::outageEdge(i64 now, bool down)
{
    if (down) {
        m_outageFrom = now;
        marker(now, QStringLiteral("outage"), QStringLiteral("store unreachable"));
    } else {
        m_r.timeline.intervals.push_back({m_outageFrom, now, QStringLiteral("outage"), QStringLiteral("store outage")});
    }
}

// ---------------------------------------------------------------- verdicts (pure: no state change)

Verdict Lane::sessVerdict(u64 sid, i64 now) const
{
    for (const Device& d : m_dev) {
        const Sess& s = d.sess;
        const bool current = s.id == sid;
        const bool previous = s.prevId == sid && now < s.prevUntil;
        if (!s.exists || (!current && !previous)) {
            continue;
        }
        if (m_world.storeDown) {
            return Verdict::StoreDown;
        }
        if (now >= s.deletedAt + m_repl) {
            return Verdict::SessionGone;
        }
        if (m_world.hasRotation && m_world.emergency && s.created < m_world.rotationAt && now >= m_world.rotationAt) {
            return Verdict::KeyUnknown;
        }
        if (m_idle > 0 && now >= s.lastTouch + m_idle) {
            return Verdict::IdleTimeout;
        }
        if (m_abs > 0 && now >= s.created + m_abs) {
            return Verdict::AbsoluteTimeout;
        }
        return Verdict::Accepted;
    }
    return Verdict::SessionGone;
}

bool Lane::denied(const Jwt& t, u64 hash, i64 now) const
{
    for (const DenyEntry& e : m_deny) {
        if (now < e.visibleAt) {
            continue;
        }
        if ((e.key == KeyJti && e.value == t.jti) || (e.key == KeyTokenHash && e.value == hash) ||
            (e.key == KeyUserNotBefore && t.issuedAt <= e.notBefore)) { // issued at or before the revocation
            return true;
        }
    }
    return false;
}

Verdict Lane::jwtVerdict(const Jwt& t, u64 hash, i64 now) const
{
    if (!t.valid) {
        return Verdict::NoCredential;
    }
    if (now < t.from) {
        return Verdict::NotYetValid;
    }
    if (now >= t.until) {
        return Verdict::Expired;
    }
    if (m_world.hasRotation && m_world.emergency && t.kid == 1 && now >= m_world.rotationAt) {
        return Verdict::KeyUnknown;
    }
    if (m_id == u'B' && t.issuedAt <= m_caeNotBefore && now >= m_caeVisibleAt) {
        return Verdict::CaeRevoked;
    }
    if (m_id == u'C') {
        if (m_world.storeDown) {
            return m_failOpen ? Verdict::Accepted : Verdict::StoreDown;
        }
        if (denied(t, hash, now)) {
            return Verdict::Denylisted;
        }
    }
    return Verdict::Accepted;
}

Verdict Lane::opaqueVerdict(const Opaque& op, i64 now) const
{
    if (now >= op.exp) {
        return Verdict::Expired;
    }
    if (now < op.cacheUntil) {
        return op.cacheActive ? Verdict::Accepted : Verdict::Inactive;
    }
    if (m_world.storeDown) {
        return m_failOpen ? Verdict::Accepted : Verdict::StoreDown;
    }
    return op.active ? Verdict::Accepted : Verdict::Inactive;
}

Verdict Lane::attackerVerdict(i64 now) const
{
    if (m_dev.empty()) {
        return Verdict::NoCredential;
    }
    Verdict v = Verdict::NoCredential;
    bool viaSession = false;
    if (m_hasSid) {
        v = sessVerdict(m_attSid, now);
        viaSession = v == Verdict::Accepted;
    }
    if (v != Verdict::Accepted && m_hasJwt) {
        v = jwtVerdict(m_attJwt, m_attHash, now);
    }
    if (v != Verdict::Accepted && m_hasOpaque) {
        v = opaqueVerdict(attackerOpaque(), now);
    }
    if (v != Verdict::Accepted || m_roleChangedAt >= kInf) {
        return v;
    }
    // After a privilege change, "accepted" means: the old privilege is still honoured.
    if (m_id == u'A') {
        return now >= m_roleChangedAt + m_repl ? Verdict::ClaimsRefreshed : v;
    }
    if (m_id == u'F' && viaSession) {
        const Jwt& api = m_dev[0].api;
        return api.valid && api.issuedAt < m_roleChangedAt && now < api.until ? v : Verdict::ClaimsRefreshed;
    }
    if (m_id == u'E') {
        const Opaque& op = attackerOpaque();
        return now < op.cacheUntil && op.fetchedAt < m_roleChangedAt ? v : Verdict::ClaimsRefreshed;
    }
    return m_attJwt.issuedAt < m_roleChangedAt ? v : Verdict::ClaimsRefreshed;
}

// ---------------------------------------------------------------- requests by the victim and the attacker

void Lane::introspect(Opaque& op, i64 now)
{
    if (now < op.cacheUntil || m_world.storeDown) {
        return;
    }
    m_r.storeOps += 1;
    op.fetchedAt = now;
    op.cacheActive = op.active && now < op.exp;
    op.cacheUntil = m_ttl > 0 ? std::min(now + m_ttl, op.exp) : now; // never cached past exp (RFC 7662)
    if (m_ttl > 0) {
        watch(op.cacheUntil);
    }
}

bool Lane::refresh(Family& f, int& gen, i64 now, bool attacker)
{
    m_r.storeOps += 1;
    if (!f.exists || f.revoked || m_world.storeDown) {
        return false;
    }
    if ((m_rtIdle > 0 && now >= f.lastUse + m_rtIdle) || (m_rtAbs > 0 && now >= f.created + m_rtAbs)) {
        return false;
    }
    const bool rotation = m_p.flag(P::RefreshRotation);
    if (rotation && gen != f.gen) {
        const bool previous = gen == f.gen - 1 || m_p.flag(P::GraceMultiGeneration);
        if (!(m_grace > 0 && previous && now < f.lastRotation + m_grace)) {
            if (m_p.flag(P::ReuseDetection)) {
                f.revoked = true;
                ++m_r.reuseDetections;
                m_r.storeOps += 1;
                marker(now, QStringLiteral("reuse"), QStringLiteral("rotated refresh token reused: family revoked"));
                markKnown(now);
            }
            return false;
        }
        gen = f.gen; // inside the grace: the current token is handed out again
    } else if (rotation) {
        ++f.gen;
        gen = f.gen;
        f.lastRotation = now;
        m_r.storeOps += 1;
    }
    f.lastUse = now;
    ++m_r.refreshes;
    marker(now, QStringLiteral("refresh"),
           attacker ? QStringLiteral("attacker refreshes") : QStringLiteral("victim refreshes"));
    return true;
}

void Lane::victimRequest(i64 now)
{
    if (m_dev.empty()) {
        return;
    }
    Device& d = m_dev[0];
    if (m_overLimit) {
        ++m_r.limitHits;
        countRequest(false);
        return;
    }
    Verdict v = Verdict::Accepted;
    u64 ns = 0;
    switch (m_id.unicode()) {
    case u'A':
    case u'F':
        if (!m_world.storeDown) {
            m_r.storeOps += 1;
        }
        ns = m_rtt.sampleNs(m_rng);
        v = sessVerdict(d.sess.held, now);
        if (v == Verdict::Accepted && d.sess.nextRenewal <= now && d.sess.held == d.sess.id) {
            // Periodic renewal: whoever presents the id first after the deadline gets the new one.
            d.sess.prevId = d.sess.id;
            d.sess.prevUntil = now + m_overlap;
            d.sess.id = m_nextId++;
            d.sess.held = d.sess.id;
            d.sess.nextRenewal = now + m_renewal;
            m_r.storeOps += 1;
            watch(d.sess.prevUntil);
        }
        if (v != Verdict::Accepted && v != Verdict::StoreDown) {
            ++m_r.victimRejected; // this request fails; the victim logs in again
            forcedRelogin(now);
        }
        if (v == Verdict::Accepted) {
            d.sess.lastTouch = now;
            watch(now + m_idle);
            if (m_id == u'F' && (!d.api.valid || now >= d.api.until)) {
                d.api = makeJwt(now, m_bffLife);
                ++m_r.mints;
                ns += m_signNs;
            }
        }
        break;
    case u'B':
    case u'C':
    case u'D':
        if (now >= d.at.until) {
            if (m_id == u'D') {
                if (!refresh(d.fam, d.rtGen, now, false)) {
                    if (!m_world.storeDown) {
                        forcedRelogin(now);
                    }
                } else {
                    d.at = makeJwt(now, m_life);
                }
            } else {
                d.at = makeJwt(now, m_life);
                ++m_r.mints;
            }
        }
        ns = m_verify.sampleNs(m_rng);
        v = jwtVerdict(d.at, d.at.hash, now);
        if (m_id == u'C' && !m_world.storeDown) {
            m_r.storeOps += u64(m_fanout);
            ns += m_rtt.sampleNs(m_rng);
        }
        if (v == Verdict::NotYetValid) {
            ++m_r.victimRejected;
        } else if (v != Verdict::Accepted && v != Verdict::StoreDown) {
            ++m_r.victimRejected;
            forcedRelogin(now);
        }
        break;
    case u'E':
        if (now >= d.op.exp) {
            issue(d, now);
        }
        ns = now < d.op.cacheUntil ? 1000 : m_introspect.sampleNs(m_rng);
        introspect(d.op, now);
        v = opaqueVerdict(d.op, now);
        if (v == Verdict::Inactive) {
            ++m_r.victimRejected;
            forcedRelogin(now);
        }
        break;
    default:
        break;
    }
    recordLatency(ns);
    countRequest(v == Verdict::Accepted);
}

void Lane::attackerRefresh(i64 now)
{
    m_attackerWaits = false; // after its first explicit use the attacker refreshes like a client
    if (!m_hasRt || m_dev.empty()) {
        return;
    }
    int gen = m_attGen;
    if (refresh(attackerFamily(), gen, now, true)) {
        m_attGen = gen;
        m_hasJwt = true;
        m_attJwt = makeJwt(now, m_life);
        m_attHash = m_attJwt.hash;
        // A rotation by the attacker leaves the victim holding the old generation.
    }
}

void Lane::attackerProbe(i64 now)
{
    if (!m_stolen || m_dev.empty()) {
        return;
    }
    ++m_r.attackerTries;
    if (m_hasRt && !m_attackerWaits && (!m_hasJwt || now >= m_attJwt.until)) {
        attackerRefresh(now);
    }
    if (m_hasOpaque) {
        introspect(attackerOpaque(), now);
    }
    if (m_hasSid && !m_world.storeDown) {
        m_r.storeOps += 1;
    }
    if (m_hasJwt && m_id == u'C' && !m_world.storeDown) {
        m_r.storeOps += u64(m_fanout);
    }
    const Verdict v = attackerVerdict(now);
    if (v != Verdict::Accepted) {
        return;
    }
    if (m_hasSid) {
        for (Device& d : m_dev) {
            if (d.sess.exists && (d.sess.id == m_attSid || d.sess.prevId == m_attSid)) {
                if (d.sess.nextRenewal <= now && d.sess.id == m_attSid) {
                    // The attacker presents the id first after the renewal deadline and receives the new id.
                    d.sess.prevId = d.sess.id;
                    d.sess.prevUntil = now + m_overlap;
                    d.sess.id = m_nextId++;
                    d.sess.nextRenewal = now + m_renewal;
                    m_attSid = d.sess.id;
                    m_r.storeOps += 1;
                    watch(d.sess.prevUntil);
                    marker(now, QStringLiteral("renewal"), QStringLiteral("attacker wins the renewal race"));
                }
                d.sess.lastTouch = now; // the attacker's requests keep the session alive
                watch(now + m_idle);
            }
        }
    }
    ++m_r.attackerAccepted;
    if (m_known && now >= m_knownAt) {
        ++m_r.attackerAcceptedAfterKnown;
    }
}

void Lane::refreshRace(i64 now)
{
    if (m_id != u'D' || m_dev.empty()) {
        return;
    }
    Device& d = m_dev[0];
    const int presented = d.rtGen;
    marker(now, QStringLiteral("refresh-race"), QStringLiteral("two tabs refresh with the same token"));
    if (refresh(d.fam, d.rtGen, now, false)) {
        d.at = makeJwt(now, m_life);
    }
    m_engine.schedule(now + std::llround(m_p[P::RaceGapMs] * 1000), InternalType::RaceSecond, m_index, presented);
}

void Lane::raceSecond(i64 now, int gen)
{
    Device& d = m_dev[0];
    int g = gen;
    if (refresh(d.fam, g, now, false)) {
        d.rtGen = g;
        return;
    }
    if (d.fam.revoked) {
        forcedRelogin(now); // the user's own second tab logged them out
    }
}

void Lane::fixationPlant(i64 now)
{
    if (!isSessionLane()) {
        return;
    }
    m_planted = true;
    m_plantedId = m_nextId++;
    marker(now, QStringLiteral("fixation"), QStringLiteral("attacker plants session id %1").arg(m_plantedId));
}

void Lane::guessAttack(i64 now)
{
    if (!isSessionLane()) {
        return;
    }
    const double rate = m_p[P::AttackerGuessRate];
    if (m_p.integer(P::IdGenerator) == IdCounterEpochMs) {
        // WebGoat's counter-epochms ids: a gap in the counter brackets the victim's id to a window of ms.
        const u64 width = u64(m_p.integer(P::TimestampGapMs));
        m_guessesNeeded = 1 + m_rng.below(width);
        m_r.extra.insert(QStringLiteral("guesses_worst_case"), double(width));
        m_r.extra.insert(QStringLiteral("guesses_needed"), double(m_guessesNeeded));
        m_r.extra.insert(QStringLiteral("time_to_hijack_worst_s"), double(width) / rate);
        m_r.extra.insert(QStringLiteral("time_to_hijack_s"), double(m_guessesNeeded) / rate);
        m_engine.schedule(now + std::llround(double(m_guessesNeeded) / rate * 1e6), InternalType::GuessSuccess,
                          m_index);
    } else {
        // 128 random bits: expected guesses 2^127 / live sessions (OWASP session-id length guidance).
        const double live = double(m_p.integer(P::Users) + 1);
        const double years = std::ldexp(1.0, 127) / live / rate / 31557600.0;
        m_r.extra.insert(QStringLiteral("expected_years_to_hijack"), years);
        m_r.extra.insert(QStringLiteral("guesses_needed"), QJsonValue());
    }
    marker(now, QStringLiteral("guessing"), QStringLiteral("attacker starts guessing session ids"));
}

void Lane::guessSuccess(i64 now)
{
    if (m_dev.empty() || m_stolen) {
        return;
    }
    m_hasSid = true;
    m_attSid = m_dev[0].sess.id;
    m_stolen = true;
    m_theftAt = now;
    marker(now, QStringLiteral("compromise"), QStringLiteral("session id guessed"));
    m_engine.startProbing(now, m_p.us(P::AttackerIntervalS));
}

void Lane::sample(i64 now, i64 interval)
{
    auto point = [&](const QString& name, const QString& unit, double value) {
        for (MetricSeries& s : m_r.timeline.series) {
            if (s.name == name) {
                s.points.push_back({now, value});
                return;
            }
        }
        m_r.timeline.series.push_back({name, unit, {{now, value}}});
    };
    const double secs = double(interval) / 1e6;
    point(QStringLiteral("store_ops_per_s"), QStringLiteral("ops/s"), double(m_r.storeOps - m_lastOps) / secs);
    point(QStringLiteral("rejected_per_s"), QStringLiteral("req/s"), double(m_r.rejected - m_lastRejected) / secs);
    if (m_id == u'D') {
        point(QStringLiteral("refresh_per_s"), QStringLiteral("req/s"), double(m_r.refreshes - m_lastRefresh) / secs);
    }
    if (m_id == u'C') {
        while (!m_bgDeny.empty() && m_bgDeny.front() <= now) {
            std::pop_heap(m_bgDeny.begin(), m_bgDeny.end(), std::greater<>());
            m_bgDeny.pop_back();
        }
        const auto live =
            u64(std::count_if(m_deny.begin(), m_deny.end(), [&](const DenyEntry& e) { return e.expires > now; })) +
            u64(m_bgDeny.size());
        m_r.denylistPeak = std::max(m_r.denylistPeak, live);
        point(QStringLiteral("denylist_size"), QStringLiteral("entries"), double(live));
    }
    point(QStringLiteral("attacker_accepted"), QStringLiteral("0/1"), m_acc ? 1.0 : 0.0);
    m_lastOps = m_r.storeOps;
    m_lastRejected = m_r.rejected;
    m_lastRefresh = m_r.refreshes;
}

// ---------------------------------------------------------------- exposure

void Lane::track(i64 now)
{
    if (!m_stolen) {
        return;
    }
    const Verdict v = attackerVerdict(now);
    const bool acc = v == Verdict::Accepted;
    if (acc == m_acc) {
        return;
    }
    if (acc) {
        m_accFrom = now;
    } else {
        m_accepted.emplace_back(m_accFrom, now);
        m_endReason = v;
    }
    m_acc = acc;
}

QString formulaFor(QChar id)
{
    switch (id.unicode()) {
    case u'A':
        return QStringLiteral("min(known + store_replication_s, idle / absolute timeout) − known");
    case u'B':
        return QStringLiteral("exp + leeway_s + clock_skew_s − known (no revocation; with CAE: "
                              "known + cae_propagation_s)");
    case u'C':
        return QStringLiteral("min(known + denylist_propagation_s, exp + leeway_s + clock_skew_s) − known "
                              "(a token_hash key misses a re-encoded copy)");
    case u'D':
        return QStringLiteral("attacker's access token exp + leeway_s − known (family revocation only stops "
                              "refreshes)");
    case u'E':
        return QStringLiteral("min(last introspection + introspection_cache_ttl_s, exp) − known");
    case u'F':
        return QStringLiteral("browser cookie: known + store_replication_s; a stolen API token: its exp "
                              "(≤ bff_token_lifetime_s) − known");
    default:
        return {};
    }
}

std::vector<SequenceStep> sequenceFor(QChar id, const Params& p, int bytes)
{
    const double rtt = p[P::StoreRttMs];
    const double verify = verifyMicros(p.integer(P::Alg)) / 1000.0;
    const QString alg = algName(p.integer(P::Alg));
    const QString browser = QStringLiteral("Browser");
    const QString app = QStringLiteral("App server");
    const QString store = QStringLiteral("Store");
    switch (id.unicode()) {
    case u'A':
        return {{browser, app, QStringLiteral("GET /api, Cookie: __Host-sid=… (%1 B)").arg(bytes), 0},
                {app, store, QStringLiteral("GET session:<id>"), rtt},
                {store, app, QStringLiteral("session data (user, roles, last seen)"), 0},
                {app, browser, QStringLiteral("200"), 0}};
    case u'B':
        return {{browser, app, QStringLiteral("GET /api, Authorization: Bearer <JWT> (%1 B)").arg(bytes), 0},
                {app, app, QStringLiteral("verify %1 signature, check exp/nbf (JWKS cached)").arg(alg), verify},
                {app, browser, QStringLiteral("200"), 0}};
    case u'C':
        return {{browser, app, QStringLiteral("GET /api, Authorization: Bearer <JWT> (%1 B)").arg(bytes), 0},
                {app, app, QStringLiteral("verify %1 signature, check exp/nbf").arg(alg), verify},
                {app, store, QStringLiteral("EXISTS deny:<jti>"), rtt},
                {store, app, QStringLiteral("0 (not revoked)"), 0},
                {app, browser, QStringLiteral("200"), 0}};
    case u'D':
        return {{browser, app, QStringLiteral("GET /api, Authorization: Bearer <JWT> (%1 B)").arg(bytes), 0},
                {app, app, QStringLiteral("verify %1 signature, check exp").arg(alg), verify},
                {app, browser, QStringLiteral("200 (or 401 when expired)"), 0},
                {browser, QStringLiteral("IdP/AS"), QStringLiteral("POST /token grant_type=refresh_token (on expiry)"),
                 rtt},
                {QStringLiteral("IdP/AS"), browser, QStringLiteral("new access token + rotated refresh token"), 0}};
    case u'E':
        return {
            {browser, app, QStringLiteral("GET /api, Authorization: Bearer <opaque> (%1 B)").arg(bytes), 0},
            {app, app, QStringLiteral("look up the introspection cache"), 0.001},
            {app, QStringLiteral("IdP/AS"), QStringLiteral("POST /introspect (on a miss)"), p[P::IntrospectionRttMs]},
            {QStringLiteral("IdP/AS"), app, QStringLiteral("{\"active\": true, …}, cached for the TTL"), 0},
            {app, browser, QStringLiteral("200"), 0}};
    case u'F':
        return {{browser, QStringLiteral("BFF"), QStringLiteral("GET /api, Cookie: __Host-sid=… (%1 B)").arg(bytes), 0},
                {QStringLiteral("BFF"), store, QStringLiteral("GET session:<id>"), rtt},
                {QStringLiteral("BFF"), QStringLiteral("API"), QStringLiteral("Authorization: Bearer <short JWT>"), 0},
                {QStringLiteral("API"), QStringLiteral("API"), QStringLiteral("verify %1").arg(alg), verify},
                {QStringLiteral("API"), QStringLiteral("BFF"), QStringLiteral("200"), 0},
                {QStringLiteral("BFF"), browser, QStringLiteral("200"), 0}};
    default:
        return {};
    }
}

LaneResult Lane::finish(i64 end)
{
    if (m_stolen && m_acc) {
        m_accepted.emplace_back(m_accFrom, end);
        m_r.exposureOpenEnded = true;
    }
    m_r.stolen = m_stolen;
    m_r.known = m_known;
    m_r.theftUs = m_theftAt;
    m_r.knownUs = m_known ? m_knownAt : m_theftAt;
    i64 afterKnown = 0;
    i64 afterTheft = 0;
    i64 lastEnd = m_r.knownUs;
    for (const auto& [from, to] : m_accepted) {
        afterTheft += to - from;
        afterKnown += std::max<i64>(0, to - std::max(from, m_r.knownUs));
        lastEnd = std::max(lastEnd, to);
        m_r.timeline.intervals.push_back(
            {from, to, QStringLiteral("attacker-accepted"), QStringLiteral("the stolen credential works")});
    }
    if (!m_known) {
        m_r.attackerAcceptedAfterKnown = m_r.attackerAccepted;
    }
    m_r.exposureWindowS = double(afterKnown) / 1e6;
    m_r.exposureFromTheftS = double(afterTheft) / 1e6;
    m_r.exposureEndReason = !m_stolen               ? QString()
                            : m_r.exposureOpenEnded ? QStringLiteral("still accepted when the run ended")
                                                    : verdictText(m_endReason);
    if (m_bgLogouts > 0) {
        m_r.extra.insert(QStringLiteral("background_logouts"), double(m_bgLogouts));
    }
    const double logoutRate = m_p[P::LogoutsPerUserPerHour] / 3600.0 * double(m_userExp.size());
    if (m_id == u'C' && logoutRate > 0) {
        // Little's law: revocations/s × mean remaining lifetime of the revoked token (L/2 for a uniform time).
        m_r.extra.insert(QStringLiteral("denylist_size_littles_law"),
                         std::round(logoutRate * m_p[P::AccessTokenLifetimeS] / 2 * 1e3) / 1e3);
        m_r.extra.insert(QStringLiteral("denylist_size_end"), double(m_bgDeny.size()));
    }
    m_r.p50Ms = m_hist.quantileNs(0.50) / 1e6;
    m_r.p99Ms = m_hist.quantileNs(0.99) / 1e6;
    m_r.meanMs = m_hist.meanNs() / 1e6;
    m_r.timeline.sequence = sequenceFor(m_id, m_p, m_r.bytesFirstRequest);
    if (m_stolen) {
        m_r.timeline.hasExposure = true;
        m_r.timeline.exposure.startUs = m_r.knownUs;
        m_r.timeline.exposure.endUs = lastEnd;
        m_r.timeline.exposure.formula = formulaFor(m_id);
        m_r.timeline.exposure.explained =
            QStringLiteral("stolen %1, known %2%3, accepted for %4 s after that (%5)")
                .arg(clockText(m_theftAt), clockText(m_r.knownUs),
                     m_known ? QString() : QStringLiteral(" (never detected: counted from the theft)"))
                .arg(m_r.exposureWindowS)
                .arg(m_r.exposureEndReason);
        m_r.timeline.intervals.push_back({m_r.knownUs, lastEnd, QStringLiteral("exposure"), formulaFor(m_id)});
    }
    return std::move(m_r);
}

} // namespace tb::sim::detail
