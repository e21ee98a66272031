#include "sim/Params.h"

#include <cmath>
#include <vector>

#include <QJsonValue>

namespace tb::sim {

namespace {

constexpr double big = 1e12;
constexpr double day = 86400;

// Defaults: SIMULATION-REFERENCE.md §6.2 where a number is sourced; otherwise marked "assumption".
constexpr ParamSpec kSpecs[] = {
    {P::Start, "start", Kind::Time, 7200, 0, 366 * day, nullptr, "start of the simulated window (HH:MM[:SS])"},
    {P::End, "end", Kind::Time, 9000, 0, 366 * day, nullptr, "end of the simulated window"},
    {P::Users, "users", Kind::Integer, 1000, 0, 10000000, nullptr, "background users generating load"},
    {P::RequestsPerMin, "requests_per_min", Kind::Number, 6, 0.001, 6000, nullptr, "requests per user per minute"},
    {P::AppServers, "app_servers", Kind::Integer, 4, 1, 10000, nullptr, "app / resource servers"},
    {P::Fanout, "fanout", Kind::Integer, 1, 1, 100, nullptr, "services that authenticate each request"},
    {P::StoreRttMs, "store_rtt_ms", Kind::Number, 0.2, 0.001, 10000, nullptr,
     "session/denylist store round trip, median (Redis on 1 GbE: 0.2 ms)"},
    {P::StoreRttP99Ms, "store_rtt_p99_ms", Kind::Number, 0.274, 0.001, 10000, nullptr,
     "store round trip p99 (loopback p99/p50 ratio 1.37 applied to 0.2 ms)"},
    {P::StoreReplicationS, "store_replication_s", Kind::Duration, 0, 0, day, nullptr,
     "delay before a deletion is seen by every reader of the store"},
    {P::FailPolicy, "fail_policy", Kind::Choice, FailClosed, 0, 1, "closed|open", "when the store is down"},
    {P::OutageS, "outage_s", Kind::Duration, 60, 0, 30 * day, nullptr, "length of a store_outage event"},
    {P::Alg, "alg", Kind::Choice, AlgRS256, 0, 5, "HS256|RS256|RS3072|ES256|ES384|EdDSA", "JWT signing algorithm"},
    {P::AccessTokenLifetimeS, "access_token_lifetime_s", Kind::Duration, 900, 1, 366 * day, nullptr,
     "access token lifetime (seed post: 15 min)"},
    {P::RefreshTokenIdleS, "refresh_token_idle_s", Kind::Duration, 1800, 0, 366 * day, nullptr,
     "refresh token idle expiry (0: none)"},
    {P::RefreshTokenAbsoluteS, "refresh_token_absolute_s", Kind::Duration, 36000, 0, 366 * day, nullptr,
     "refresh token absolute expiry (0: none)"},
    {P::RefreshRotation, "refresh_rotation", Kind::Bool, 1, 0, 1, nullptr, "rotate the refresh token on use"},
    {P::ReuseDetection, "reuse_detection", Kind::Bool, 1, 0, 1, nullptr,
     "revoke the family when a rotated token is reused"},
    {P::RefreshGraceS, "refresh_grace_s", Kind::Duration, 0, 0, 30 * day, nullptr,
     "rotated token still accepted this long (Curity/Cognito default 0)"},
    {P::GraceMultiGeneration, "grace_multi_generation", Kind::Bool, 0, 0, 1, nullptr,
     "buggy grace: any older generation accepted during the grace (django-oauth-toolkit #1617)"},
    {P::LeewayS, "leeway_s", Kind::Duration, 0, 0, day, nullptr, "exp/nbf leeway at the resource server"},
    {P::ClockSkewS, "clock_skew_s", Kind::Number, 0, -day, day, nullptr,
     "issuer clock minus resource-server clock (positive: issuer ahead)"},
    {P::SessionIdleTimeoutS, "session_idle_timeout_s", Kind::Duration, 1800, 0, 366 * day, nullptr,
     "session idle timeout (0: none)"},
    {P::SessionAbsoluteTimeoutS, "session_absolute_timeout_s", Kind::Duration, 28800, 0, 366 * day, nullptr,
     "session absolute timeout (0: none)"},
    {P::RotateOnLogin, "rotate_on_login", Kind::Bool, 1, 0, 1, nullptr, "issue a new session id at login"},
    {P::StrictStore, "strict_store", Kind::Bool, 1, 0, 1, nullptr, "refuse session ids the server never issued"},
    {P::SessionRenewalS, "session_renewal_s", Kind::Duration, 0, 0, 366 * day, nullptr,
     "periodic session id renewal (0: off)"},
    {P::RenewalOverlapS, "renewal_overlap_s", Kind::Duration, 30, 0, day, nullptr,
     "old id still accepted after a renewal"},
    {P::DenylistKey, "denylist_key", Kind::Choice, KeyJti, 0, 2, "jti|token_hash|user_not_before",
     "what the denylist stores"},
    {P::DenylistPropagationS, "denylist_propagation_s", Kind::Duration, 5, 0, day, nullptr,
     "revocation to every verifier (assumption: pub/sub fan-out, not sourced)"},
    {P::IntrospectionCacheTtlS, "introspection_cache_ttl_s", Kind::Duration, 5, 0, day, nullptr,
     "resource-server cache of introspection answers (RFC 7662; 0/5/60 s)"},
    {P::IntrospectionRttMs, "introspection_rtt_ms", Kind::Number, 1.0, 0.001, 10000, nullptr,
     "introspection call, median (assumption: LAN HTTP + AS store read)"},
    {P::BffTokenLifetimeS, "bff_token_lifetime_s", Kind::Duration, 300, 1, day, nullptr,
     "lifetime of the BFF's API token (lane F)"},
    {P::JwksCacheTtlS, "jwks_cache_ttl_s", Kind::Duration, 3600, 1, 30 * day, nullptr, "JWKS cache at each server"},
    {P::JwksRefreshOnUnknownKid, "jwks_refresh_on_unknown_kid", Kind::Bool, 0, 0, 1, nullptr,
     "refetch the JWKS once on an unknown kid"},
    {P::NextKeyPrepublished, "next_key_prepublished", Kind::Bool, 1, 0, 1, nullptr,
     "the next signing key is in the JWKS before it is used"},
    {P::Transport, "transport", Kind::Choice, TransportHeader, 0, 1, "header|cookie", "how the JWT travels"},
    {P::HttpVersion, "http_version", Kind::Choice, Http11, 0, 1, "1.1|2",
     "HTTP/1.1 (full every time) or HTTP/2 (HPACK)"},
    {P::Http2NeverIndex, "http2_never_index", Kind::Bool, 1, 0, 1, nullptr,
     "HTTP/2: Authorization sent never-indexed (RFC 7541 §7.1.3)"},
    {P::Groups, "groups", Kind::Integer, 0, 0, 100000, nullptr, "group claims in the token (Entra: 52 B each)"},
    {P::Permissions, "permissions", Kind::Integer, 0, 0, 100000, nullptr, "permission claims (Auth0: 23 B each)"},
    {P::GroupClaimCap, "group_claim_cap", Kind::Integer, 200, 0, 100000, nullptr,
     "past this many groups an overage claim replaces them (Entra: 200)"},
    {P::CookieLimitBytes, "cookie_limit_bytes", Kind::Integer, 4096, 1, 1 << 24, nullptr, "browser cookie limit"},
    {P::HeaderLimitBytes, "header_limit_bytes", Kind::Integer, 8192, 1, 1 << 24, nullptr,
     "server header limit (nginx 8 KB, Apache 8 190, Node 16 KiB)"},
    {P::DetectionDelayS, "detection_delay_s", Kind::Duration, 0, 0, 366 * day, nullptr,
     "compromise to detection and revocation"},
    {P::AttackerIntervalS, "attacker_interval_s", Kind::Duration, 1, 0.001, day, nullptr,
     "the attacker tries the stolen credential this often"},
    {P::Cae, "cae", Kind::Bool, 0, 0, 1, nullptr, "Entra continuous access evaluation for lane B"},
    {P::CaePropagationS, "cae_propagation_s", Kind::Duration, 900, 0, day, nullptr,
     "CAE enforcement delay (<= 15 min)"},
    {P::IdGenerator, "id_generator", Kind::Choice, IdCsprng128, 0, 1, "csprng128|counter_epoch_ms",
     "session id generator"},
    {P::TimestampGapMs, "timestamp_gap_ms", Kind::Integer, 150, 1, 100000000, nullptr,
     "width of the epoch-ms gap the attacker searches (WebGoat)"},
    {P::AttackerGuessRate, "attacker_guess_rate", Kind::Number, 100, 0.001, 1e12, nullptr, "guesses per second"},
    {P::RaceGapMs, "race_gap_ms", Kind::Number, 50, 0, 60000, nullptr, "second tab's refresh after the first"},
    {P::Devices, "devices", Kind::Integer, 1, 1, 1000, nullptr, "sessions / devices of the victim"},
    {P::TokenBaseBytes, "token_base_bytes", Kind::Integer, 805, 64, 1 << 24, nullptr,
     "JWT size with RS256 and no groups (Auth0-style 805 B; Entra v2 1 362 B)"},
    {P::EmergencyRotation, "emergency_rotation", Kind::Bool, 0, 0, 1, nullptr,
     "treat every key_rotation event as an emergency (old key withdrawn at once)"},
    {P::LogoutsPerUserPerHour, "logouts_per_user_per_hour", Kind::Number, 0, 0, 3600, nullptr,
     "background users log out (and straight back in) at this rate: fills lane C's denylist"},
    {P::Preset, "preset", Kind::Choice, 0, 0, 9, "none|seed|keycloak|auth0|okta|entra|entra_cae|cognito|curity|hydra",
     "identity-server defaults (SIMULATION-REFERENCE §3.2)"},
};
static_assert(std::size(kSpecs) == std::size_t(P::Count));

} // namespace

std::span<const ParamSpec> paramSpecs()
{
    return kSpecs;
}

const ParamSpec& spec(P id)
{
    return kSpecs[std::size_t(id)];
}

const ParamSpec* findSpec(const QString& key)
{
    for (const ParamSpec& s : kSpecs) {
        if (key == QLatin1String(s.key)) {
            return &s;
        }
    }
    return nullptr;
}

QStringList choicesOf(const ParamSpec& s)
{
    return s.choices ? QString::fromLatin1(s.choices).split(u'|') : QStringList{};
}

std::optional<double> parseClock(const QString& text)
{
    bool ok = false;
    const double seconds = text.toDouble(&ok);
    if (ok) {
        return std::isfinite(seconds) ? std::optional<double>(seconds) : std::nullopt;
    }
    const QStringList parts = text.split(u':');
    if (parts.size() < 2 || parts.size() > 3) {
        return std::nullopt;
    }
    double total = 0;
    const double limits[] = {1e6, 60, 60};
    for (qsizetype i = 0; i < parts.size(); ++i) {
        bool partOk = false;
        const double v = parts[i].toDouble(&partOk);
        if (!partOk || v < 0 || v >= limits[i] || parts[i].isEmpty()) {
            return std::nullopt;
        }
        total = total * 60 + v;
    }
    if (parts.size() == 2) {
        total *= 60;
    }
    return total;
}

QString clockText(std::int64_t us)
{
    const bool negative = us < 0;
    const std::int64_t a = negative ? -us : us;
    const std::int64_t s = a / 1000000;
    const std::int64_t frac = a % 1000000;
    QString text = QStringLiteral("%1:%2:%3")
                       .arg(s / 3600 % 24, 2, 10, QLatin1Char('0'))
                       .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
                       .arg(s % 60, 2, 10, QLatin1Char('0'));
    if (frac != 0) {
        QString f = QStringLiteral("%1").arg(frac, 6, 10, QLatin1Char('0'));
        while (f.endsWith(u'0')) {
            f.chop(1);
        }
        text += u'.' + f;
    }
    if (s >= 86400) {
        text += QStringLiteral(" +%1d").arg(s / 86400);
    }
    return negative ? u'-' + text : text;
}

double verifyMicros(int alg)
{
    // openssl speed on Debian 12 / OpenSSL 3.0.19 (SIMULATION-REFERENCE §6.2, M).
    static constexpr double table[] = {2.2, 20, 44, 79, 920, 141};
    return table[std::size_t(alg)];
}

double signMicros(int alg)
{
    static constexpr double table[] = {2.2, 680, 2050, 26, 920, 54};
    return table[std::size_t(alg)];
}

QString algName(int alg)
{
    return choicesOf(spec(P::Alg)).value(alg);
}

Params::Params()
{
    for (const ParamSpec& s : kSpecs) {
        m_values[std::size_t(s.id)] = s.defaultValue;
    }
}

std::int64_t Params::us(P id) const
{
    return std::llround((*this)[id] * 1e6);
}

void Params::setRaw(P id, double value)
{
    m_values[std::size_t(id)] = value;
    m_set[std::size_t(id)] = true;
}

Result<void> Params::store(const ParamSpec& s, double value, const QString& where)
{
    if (!std::isfinite(value)) {
        return fail(ErrorCode::InvalidScenario, QStringLiteral("%1 must be a finite number.").arg(where));
    }
    if ((s.kind == Kind::Duration || s.kind == Kind::Time) && value < 0) {
        return fail(ErrorCode::InvalidScenario,
                    QStringLiteral("%1 must not be negative (got %2).").arg(where).arg(value));
    }
    if (s.kind == Kind::Integer && value != std::floor(value)) {
        return fail(ErrorCode::InvalidScenario,
                    QStringLiteral("%1 must be a whole number (got %2).").arg(where).arg(value));
    }
    if (value < s.min || value > s.max) {
        return fail(
            ErrorCode::InvalidScenario,
            QStringLiteral("%1 must be between %2 and %3 (got %4).").arg(where).arg(s.min).arg(s.max).arg(value));
    }
    if (s.id == P::Preset) {
        m_set[std::size_t(P::Preset)] = true;
        m_values[std::size_t(P::Preset)] = value;
        return applyPreset(int(value));
    }
    setRaw(s.id, value);
    return {};
}

Result<void> Params::setText(const QString& key, const QString& text)
{
    const ParamSpec* s = findSpec(key);
    if (!s) {
        return fail(ErrorCode::InvalidScenario, QStringLiteral("unknown parameter '%1'.").arg(key));
    }
    const QString where = QStringLiteral("parameter '%1'").arg(key);
    const QString t = text.trimmed();
    switch (s->kind) {
    case Kind::Time: {
        const auto v = parseClock(t);
        if (!v) {
            return fail(ErrorCode::InvalidScenario,
                        QStringLiteral("%1 expects a time as HH:MM[:SS] or seconds (got '%2').").arg(where, t));
        }
        return store(*s, *v, where);
    }
    case Kind::Bool:
        if (t == QLatin1String("true") || t == QLatin1String("1") || t == QLatin1String("on")) {
            return store(*s, 1, where);
        }
        if (t == QLatin1String("false") || t == QLatin1String("0") || t == QLatin1String("off")) {
            return store(*s, 0, where);
        }
        return fail(ErrorCode::InvalidScenario, QStringLiteral("%1 expects true or false (got '%2').").arg(where, t));
    case Kind::Choice: {
        const QStringList choices = choicesOf(*s);
        const qsizetype i = choices.indexOf(t);
        if (i < 0) {
            return fail(ErrorCode::InvalidScenario,
                        QStringLiteral("%1 expects one of %2 (got '%3').").arg(where, choices.join(u", "), t));
        }
        return store(*s, double(i), where);
    }
    default: {
        bool ok = false;
        const double v = t.toDouble(&ok);
        if (!ok) {
            return fail(ErrorCode::InvalidScenario, QStringLiteral("%1 expects a number (got '%2').").arg(where, t));
        }
        return store(*s, v, where);
    }
    }
}

Result<void> Params::setJson(const QString& key, const QJsonValue& value, const QString& where)
{
    const ParamSpec* s = findSpec(key);
    if (!s) {
        return fail(ErrorCode::InvalidScenario, QStringLiteral("%1: unknown parameter '%2'.").arg(where, key));
    }
    switch (s->kind) {
    case Kind::Time:
        if (value.isDouble()) {
            return store(*s, value.toDouble(), where);
        }
        if (value.isString()) {
            const auto v = parseClock(value.toString());
            if (v) {
                return store(*s, *v, where);
            }
        }
        return fail(ErrorCode::InvalidScenario,
                    QStringLiteral("%1 must be a time as \"HH:MM[:SS]\" or seconds.").arg(where));
    case Kind::Bool:
        if (!value.isBool()) {
            return fail(ErrorCode::InvalidScenario, QStringLiteral("%1 must be true or false.").arg(where));
        }
        return store(*s, value.toBool() ? 1 : 0, where);
    case Kind::Choice: {
        const QStringList choices = choicesOf(*s);
        if (!value.isString() || !choices.contains(value.toString())) {
            return fail(ErrorCode::InvalidScenario,
                        QStringLiteral("%1 must be one of %2.").arg(where, choices.join(u", ")));
        }
        return store(*s, double(choices.indexOf(value.toString())), where);
    }
    default:
        if (!value.isDouble()) {
            return fail(ErrorCode::InvalidScenario, QStringLiteral("%1 must be a number.").arg(where));
        }
        return store(*s, value.toDouble(), where);
    }
}

Result<void> Params::applyPreset(int choiceIndex)
{
    struct Entry
    {
        P id;
        double value;
    };
    // SIMULATION-REFERENCE.md §3.2; Auth0's refresh idle/absolute defaults (15 / 30 days) are K (docs), re-check.
    static const std::vector<std::vector<Entry>> presets = {
        {},
        {{P::AccessTokenLifetimeS, 900}},
        {{P::AccessTokenLifetimeS, 300},
         {P::SessionIdleTimeoutS, 1800},
         {P::SessionAbsoluteTimeoutS, 36000},
         {P::RefreshTokenIdleS, 1800},
         {P::RefreshTokenAbsoluteS, 36000},
         {P::RefreshRotation, 0}},
        {{P::AccessTokenLifetimeS, 86400},
         {P::RefreshRotation, 1},
         {P::ReuseDetection, 1},
         {P::RefreshTokenIdleS, 1296000},
         {P::RefreshTokenAbsoluteS, 2592000}},
        {{P::AccessTokenLifetimeS, 3600}, {P::RefreshTokenIdleS, 7776000}, {P::RefreshTokenAbsoluteS, 0}},
        {{P::AccessTokenLifetimeS, 4500}, {P::Cae, 0}},
        {{P::AccessTokenLifetimeS, 86400}, {P::Cae, 1}, {P::CaePropagationS, 900}},
        {{P::AccessTokenLifetimeS, 3600}, {P::RefreshRotation, 1}, {P::RefreshGraceS, 0}},
        {{P::RefreshRotation, 1}, {P::RefreshGraceS, 0}},
        {{P::RefreshRotation, 1}, {P::RefreshGraceS, 300}},
    };
    if (choiceIndex < 0 || std::size_t(choiceIndex) >= presets.size()) {
        return fail(ErrorCode::InvalidScenario, QStringLiteral("unknown preset."));
    }
    for (const Entry& e : presets[std::size_t(choiceIndex)]) {
        setRaw(e.id, e.value);
    }
    return {};
}

Result<void> Params::validate() const
{
    if ((*this)[P::End] <= (*this)[P::Start]) {
        return fail(ErrorCode::InvalidScenario, QStringLiteral("parameter 'end' must be after 'start'."));
    }
    if ((*this)[P::StoreRttP99Ms] < (*this)[P::StoreRttMs]) {
        return fail(ErrorCode::InvalidScenario,
                    QStringLiteral("parameter 'store_rtt_p99_ms' must not be below 'store_rtt_ms'."));
    }
    return {};
}

QString Params::display(P id) const
{
    const ParamSpec& s = spec(id);
    const double v = (*this)[id];
    switch (s.kind) {
    case Kind::Time:
        return clockText(us(id));
    case Kind::Bool:
        return v != 0 ? QStringLiteral("true") : QStringLiteral("false");
    case Kind::Choice:
        return choicesOf(s).value(int(v));
    default:
        return QString::number(v, 'g', 12);
    }
}

} // namespace tb::sim
