#pragma once

#include <optional>
#include <utility>

#include <QByteArrayView>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/Error.h"

namespace tb::inspect {

// What a token is for, as far as its claims tell (or the user says).
enum class TokenRole
{
    Unknown,
    Access,
    Refresh,
    Id,
};
QString roleName(TokenRole role); // "unknown", "access", "refresh", "id"

// The claims a timeline needs from one JWS.
struct TokenFacts
{
    std::optional<double> iat;
    std::optional<double> nbf;
    std::optional<double> exp;
    QString alg;
    QString typ; // token_use, else the payload's typ, else the header's typ
    QString iss;
    QString sub;
    QString sid;
    QString jti;
    TokenRole role = TokenRole::Unknown; // guessed from typ/token_use (RFC 9068 at+jwt, Keycloak, Cognito)

    // nbf, else iat: when the token starts to be accepted.
    [[nodiscard]] std::optional<double> start() const { return nbf ? nbf : iat; }
};

// nullopt when `token` is not a compact JWS whose payload is a JSON object.
std::optional<TokenFacts> tokenFacts(QByteArrayView token);

// How the tokens of a workspace hang together, by grant (same sid; else same sub and issuer).
struct Grants
{
    // Per token: the refresh token it was issued with (the latest refresh token of its grant issued at or
    // before it, and not expired then), or -1. Refresh tokens themselves get -1.
    QList<int> issuedWith;
    // Per token: for a refresh token, the next refresh token of its grant (it was rotated then), or -1.
    QList<int> rotatedTo;
};
// `roles` (same size as `tokens`) overrides the guessed roles.
Grants groupByGrant(const QList<TokenFacts>& tokens, const QList<TokenRole>& roles);

// A server-side session as the user describes it on the timeline.
struct SessionSpec
{
    QString label;
    QString sid; // tokens whose sid claim equals it belong to the session
    double created = 0;
    double idleTimeout = 0;     // seconds; 0: none
    double absoluteTimeout = 0; // seconds; 0: none
    QList<double> activity;     // requests that touch the session (slide the idle timeout)
    std::optional<double> endedAt;
    bool endedByLogout = true; // false: revoked by an operator
};

struct SessionLife
{
    enum class Reason
    {
        Open, // nothing ends it before `openEnd`
        IdleTimeout,
        AbsoluteTimeout,
        Logout,
        Revoked,
    };
    double end = 0; // the first instant the session no longer authenticates
    Reason reason = Reason::Open;
    double lastTouch = 0;                   // created, or the last request that counted
    std::optional<double> idleDeadline;     // lastTouch + idle timeout
    std::optional<double> absoluteDeadline; // created + absolute timeout
    QList<double> touches;                  // the requests that counted (before the end, in time order)
};
QString reasonText(SessionLife::Reason reason); // "idle timeout", "absolute timeout", "logout", ...

// When the session ends and why. A request at or after the session's end does not revive it; the idle
// deadline is last request + idle timeout (a session expires at its deadline, as exp does).
SessionLife sessionLife(const SessionSpec& session, double openEnd);

// How the Timeline was looked at, saved with its marks; each part is restored only when it was saved.
struct TimelineViewState
{
    std::optional<double> leeway;                   // seconds
    std::optional<std::pair<double, double>> range; // the visible start and end (start < end)
    std::optional<double> now;                      // the movable "now"
    [[nodiscard]] bool isEmpty() const { return !leeway && !range && !now; }
    bool operator==(const TimelineViewState&) const = default;
};

// The Timeline's own marks, saved with a workspace. Token marks are keyed by the token's bytes.
struct TimelineMarks
{
    QList<SessionSpec> sessions;
    QHash<QByteArray, TokenRole> roles;       // the role the user set (instead of the guess)
    QHash<QByteArray, QList<double>> revoked; // when the user marked the token revoked
    TimelineViewState view;
    [[nodiscard]] bool isEmpty() const
    {
        return sessions.isEmpty() && roles.isEmpty() && revoked.isEmpty() && view.isEmpty();
    }
};

// Bounds on what a (possibly hostile) file may hold; more is skipped with a note.
inline constexpr int maxTimelineSessions = 64;
inline constexpr int maxSessionRequests = 1000;
inline constexpr int maxTimelineTokenMarks = 64;
inline constexpr int maxTokenRevocations = 100;
inline constexpr int maxSessionTextLength = 200;
inline constexpr double maxSessionTimeout = 366 * 86400.0;
inline constexpr double maxTimelineLeeway = 86400.0;

// {"label", "sid", "created", "idle_timeout", "absolute_timeout", "requests": [...]} plus "ended_at" and
// "ended_by" ("logout" or "revocation") when the session was ended.
QJsonObject sessionSpecToJson(const SessionSpec& session);
// InvalidData with a clause naming what is wrong ("its created time is missing or not ..."), no full stop.
Result<SessionSpec> sessionSpecFromJson(const QJsonValue& value);

// {"sessions": [...], "tokens": [{"sha256": digest, "role": "refresh", "revoked": [...]}]}, plus
// "view": {"leeway", "start", "end", "now"} with the parts of the view that are set. Token marks are
// keyed by the base64url SHA-256 of the token's bytes, in the order of `tokens`; marks of tokens not in
// `tokens` are left out (timelineMarksLeftOut counts them).
QJsonObject timelineToJson(const TimelineMarks& marks, const QList<QByteArray>& tokens);
// The marks timelineToJson leaves out because their token is not in `tokens`: each role override and each
// revocation time counts one.
int timelineMarksLeftOut(const TimelineMarks& marks, const QList<QByteArray>& tokens);
struct LoadedTimeline
{
    TimelineMarks marks;
    QStringList notes; // one sentence per entry skipped
};
// Reads what timelineToJson wrote (an undefined value: no marks). Damaged or hostile entries are skipped,
// each with a note; token marks attach to the token of `tokens` with that digest.
LoadedTimeline timelineFromJson(const QJsonValue& value, const QList<QByteArray>& tokens);
// The key timelineToJson uses for a token: base64url (no padding) SHA-256 of its bytes.
QString tokenDigest(QByteArrayView token);

} // namespace tb::inspect
