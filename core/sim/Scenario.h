#pragma once

#include <optional>
#include <vector>

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "base/Error.h"
#include "sim/Params.h"

namespace tb::sim {

enum class EventType
{
    Login,           // the victim logs in (on `devices` devices) and makes a first request
    Request,         // one extra request by the victim or the attacker
    Theft,           // the attacker copies a credential (steals: session|access|refresh|all|api_token)
    Revoke,          // the compromise is known: the operator revokes the stolen credential
    Logout,          // the victim logs out
    PasswordChange,  // all of the victim's credentials should die
    AccountDisabled, // same, for a disabled account
    RoleChange,      // a privilege is removed: the old claims become stale
    StoreOutage,     // the session / denylist / AS store is unreachable for `outage_s`
    KeyRotation,     // signing-key rotation (emergency: the old key is withdrawn at once)
    RefreshRace,     // two tabs refresh with the same refresh token, `race_gap_ms` apart
    AttackerRefresh, // the attacker redeems the stolen refresh token
    FixationPlant,   // the attacker plants a session id in the victim's browser before login
    GuessAttack,     // the attacker starts guessing session ids
    Leave,           // the victim stops using the app without logging out
};

QString eventTypeName(EventType type);

struct ScriptEvent
{
    EventType type = EventType::Login;
    double atS = 0;                           // seconds since 00:00, before `plus`
    std::optional<P> plus;                    // a duration parameter added to `at` (e.g. detection_delay_s)
    QString steals;                           // Theft
    QString actor = QStringLiteral("victim"); // Request
    bool emergency = false;                   // KeyRotation
    bool malleate = false;                    // Theft: the attacker re-encodes the token (ECDSA s -> n-s)
};

struct LaneSpec
{
    QChar id;        // A..F
    QString variant; // optional label when a lane appears twice
    QJsonObject set; // per-lane parameter overrides
};

struct Scenario
{
    QString id;
    QString title;
    QString teaches;
    QString expected; // the reference's expected outcome, in words
    std::vector<LaneSpec> lanes;
    QJsonObject parameters;
    std::vector<ScriptEvent> events;
};

inline constexpr int maxScenarioEvents = 10000;

// Parses and validates a scenario file; every error names the offending field ("events[2].at: ...").
Result<Scenario> parseScenario(const QByteArray& json);

// The parameters a lane runs with: defaults, the file's preset and parameters, the lane's overrides, then
// `--set KEY=VALUE` assignments (a preset given with --set is applied before the other --set keys).
Result<Params> resolveParams(const Scenario& scenario, const QStringList& sets, const LaneSpec* lane = nullptr);

struct BuiltinInfo
{
    QString id;
    QString title;
    QString teaches;
};

// The 18 scenarios embedded in the library (resources/scenarios), in order S1..S18.
std::vector<BuiltinInfo> builtinScenarios();
Result<QByteArray> builtinScenarioBytes(const QString& id);

QString laneName(QChar id);

} // namespace tb::sim
