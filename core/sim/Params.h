#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include "base/Error.h"

namespace tb::sim {

// Every model parameter, by index. Values are doubles; choices and booleans are stored as their index.
enum class P : int
{
    Start,
    End,
    Users,
    RequestsPerMin,
    AppServers,
    Fanout,
    StoreRttMs,
    StoreRttP99Ms,
    StoreReplicationS,
    FailPolicy,
    OutageS,
    Alg,
    AccessTokenLifetimeS,
    RefreshTokenIdleS,
    RefreshTokenAbsoluteS,
    RefreshRotation,
    ReuseDetection,
    RefreshGraceS,
    GraceMultiGeneration,
    LeewayS,
    ClockSkewS,
    SessionIdleTimeoutS,
    SessionAbsoluteTimeoutS,
    RotateOnLogin,
    StrictStore,
    SessionRenewalS,
    RenewalOverlapS,
    DenylistKey,
    DenylistPropagationS,
    IntrospectionCacheTtlS,
    IntrospectionRttMs,
    BffTokenLifetimeS,
    JwksCacheTtlS,
    JwksRefreshOnUnknownKid,
    NextKeyPrepublished,
    Transport,
    HttpVersion,
    Http2NeverIndex,
    Groups,
    Permissions,
    GroupClaimCap,
    CookieLimitBytes,
    HeaderLimitBytes,
    DetectionDelayS,
    AttackerIntervalS,
    Cae,
    CaePropagationS,
    IdGenerator,
    TimestampGapMs,
    AttackerGuessRate,
    RaceGapMs,
    Devices,
    TokenBaseBytes,
    EmergencyRotation,
    LogoutsPerUserPerHour,
    Preset,
    Count
};

enum class Kind
{
    Time,     // "HH:MM[:SS]" or seconds since 00:00
    Duration, // seconds, >= 0
    Number,   // any double within [min, max]
    Integer,
    Bool,
    Choice,
};

struct ParamSpec
{
    P id;
    const char* key;
    Kind kind;
    double defaultValue;
    double min;
    double max;
    const char* choices; // '|'-separated, for Kind::Choice
    const char* help;
};

std::span<const ParamSpec> paramSpecs();
const ParamSpec& spec(P id);
const ParamSpec* findSpec(const QString& key);
QStringList choicesOf(const ParamSpec& s);

// Choice indices, in the order of the spec's choices.
enum FailPolicyChoice
{
    FailClosed = 0,
    FailOpen = 1
};
enum AlgChoice
{
    AlgHS256 = 0,
    AlgRS256,
    AlgRS3072,
    AlgES256,
    AlgES384,
    AlgEdDSA
};
enum DenylistKeyChoice
{
    KeyJti = 0,
    KeyTokenHash = 1,
    KeyUserNotBefore = 2
};
enum TransportChoice
{
    TransportHeader = 0,
    TransportCookie = 1
};
enum HttpChoice
{
    Http11 = 0,
    Http2 = 1
};
enum IdGenChoice
{
    IdCsprng128 = 0,
    IdCounterEpochMs = 1
};

class Params
{
public:
    Params(); // defaults

    double operator[](P id) const { return m_values[std::size_t(id)]; }
    [[nodiscard]] std::int64_t us(P id) const; // a Time/Duration parameter in microseconds
    [[nodiscard]] int integer(P id) const { return int((*this)[id]); }
    [[nodiscard]] bool flag(P id) const { return (*this)[id] != 0.0; }
    [[nodiscard]] bool isSet(P id) const { return m_set[std::size_t(id)]; }

    // Parses `text` for `key` (what --set passes) and stores it; the error names the key.
    Result<void> setText(const QString& key, const QString& text);
    // Stores an already-typed JSON value (from a scenario file); `where` prefixes the error ("parameters.users").
    Result<void> setJson(const QString& key, const QJsonValue& value, const QString& where);
    void setRaw(P id, double value);
    // Applies a named identity-server preset (keycloak, auth0, okta, entra, entra_cae, cognito, curity, hydra, seed).
    Result<void> applyPreset(int choiceIndex);
    // Cross-field checks (end after start, p99 >= p50, ...).
    [[nodiscard]] Result<void> validate() const;

    // Display text of a value ("02:00:00", "true", "RS256", "900").
    [[nodiscard]] QString display(P id) const;

private:
    Result<void> store(const ParamSpec& s, double value, const QString& where);

    std::array<double, std::size_t(P::Count)> m_values{};
    std::array<bool, std::size_t(P::Count)> m_set{};
};

// "HH:MM[:SS]" (or a number of seconds) to seconds; nullopt when malformed.
std::optional<double> parseClock(const QString& text);
// Seconds since 00:00 as "HH:MM:SS" (with fractions when not whole; days as "+Nd" when past 24 h).
QString clockText(std::int64_t us);
// Verification cost per algorithm in microseconds (SIMULATION-REFERENCE §6.2, measured with openssl speed).
double verifyMicros(int alg);
double signMicros(int alg);
QString algName(int alg);

} // namespace tb::sim
