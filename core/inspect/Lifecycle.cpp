#include "Lifecycle.h"

#include <algorithm>
#include <limits>

#include "base/Bytes.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"

namespace tb::inspect {

namespace {

constexpr double never = std::numeric_limits<double>::infinity();

// token_use (Cognito), the payload's typ (Keycloak: Bearer, Refresh, Offline, ID), the header's typ (RFC 9068).
TokenRole roleFrom(const QString& tokenUse, const QString& payloadTyp, const QString& headerTyp, bool hasAtHash)
{
    const QString headerType = headerTyp.toLower();
    if (headerType == QLatin1String("at+jwt") || headerType == QLatin1String("application/at+jwt")) {
        return TokenRole::Access;
    }
    for (const QString& value : {tokenUse.toLower(), payloadTyp.toLower()}) {
        if (value.contains(QLatin1String("refresh")) || value == QLatin1String("offline")) {
            return TokenRole::Refresh;
        }
        if (value == QLatin1String("id") || value == QLatin1String("id_token")) {
            return TokenRole::Id;
        }
        if (value == QLatin1String("access") || value == QLatin1String("bearer") ||
            value == QLatin1String("access_token")) {
            return TokenRole::Access;
        }
    }
    return hasAtHash ? TokenRole::Id : TokenRole::Unknown; // at_hash only appears in ID tokens (OIDC core 3.1.3.6)
}

bool sameGrant(const TokenFacts& a, const TokenFacts& b)
{
    if (!a.sid.isEmpty() && !b.sid.isEmpty()) {
        return a.sid == b.sid;
    }
    if (a.sub.isEmpty() || a.sub != b.sub) {
        return false;
    }
    return a.iss.isEmpty() || b.iss.isEmpty() || a.iss == b.iss;
}

bool alive(const TokenFacts& t, double at)
{
    return !t.exp || at < *t.exp;
}

} // namespace

QString roleName(TokenRole role)
{
    switch (role) {
    case TokenRole::Access:
        return QStringLiteral("access");
    case TokenRole::Refresh:
        return QStringLiteral("refresh");
    case TokenRole::Id:
        return QStringLiteral("id");
    case TokenRole::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

std::optional<TokenFacts> tokenFacts(QByteArrayView token)
{
    const auto compact = jose::parseCompact(bytes::trimmed(token));
    if (!compact || compact->kind != jose::TokenKind::Jws) {
        return std::nullopt;
    }
    const jose::JsonScan payloadScan = jose::scanJson(compact->payload);
    if (payloadScan.error || !payloadScan.topLevelIsObject) {
        return std::nullopt;
    }
    const jose::JsonObjectView claims(compact->payload, payloadScan);
    TokenFacts t;
    t.iat = claims.number("iat");
    t.nbf = claims.number("nbf");
    t.exp = claims.number("exp");
    t.iss = claims.string("iss").value_or(QString());
    t.sub = claims.string("sub").value_or(QString());
    t.sid = claims.string("sid").value_or(claims.string("session_state").value_or(QString()));
    t.jti = claims.string("jti").value_or(QString());
    const QString tokenUse = claims.string("token_use").value_or(QString());
    const QString payloadTyp = claims.string("typ").value_or(QString());
    QString headerTyp;
    const jose::JsonScan headerScan = jose::scanJson(compact->header);
    if (!headerScan.error && headerScan.topLevelIsObject) {
        const jose::JsonObjectView header(compact->header, headerScan);
        t.alg = header.string("alg").value_or(QString());
        headerTyp = header.string("typ").value_or(QString());
    }
    t.typ = !tokenUse.isEmpty() ? tokenUse : !payloadTyp.isEmpty() ? payloadTyp : headerTyp;
    t.role = roleFrom(tokenUse, payloadTyp, headerTyp, claims.contains("at_hash"));
    return t;
}

Grants groupByGrant(const QList<TokenFacts>& tokens, const QList<TokenRole>& roles)
{
    const auto n = tokens.size();
    Grants g{QList<int>(n, -1), QList<int>(n, -1)};
    auto isRefresh = [&](qsizetype i) { return roles.value(i, tokens[i].role) == TokenRole::Refresh; };
    for (qsizetype i = 0; i < n; ++i) {
        const auto at = tokens[i].start();
        if (!at) {
            continue;
        }
        if (isRefresh(i)) {
            // The next refresh token of the grant, issued while this one was still alive: a rotation.
            double best = never;
            for (qsizetype j = 0; j < n; ++j) {
                const auto next = tokens[j].start();
                if (j != i && isRefresh(j) && next && *next > *at && *next < best && alive(tokens[i], *next) &&
                    sameGrant(tokens[i], tokens[j])) {
                    best = *next;
                    g.rotatedTo[i] = int(j);
                }
            }
            continue;
        }
        double best = -never;
        for (qsizetype j = 0; j < n; ++j) {
            const auto issued = tokens[j].start();
            if (isRefresh(j) && issued && *issued <= *at && *issued > best && alive(tokens[j], *at) &&
                sameGrant(tokens[i], tokens[j])) {
                best = *issued;
                g.issuedWith[i] = int(j);
            }
        }
    }
    return g;
}

QString reasonText(SessionLife::Reason reason)
{
    switch (reason) {
    case SessionLife::Reason::IdleTimeout:
        return QStringLiteral("idle timeout");
    case SessionLife::Reason::AbsoluteTimeout:
        return QStringLiteral("absolute timeout");
    case SessionLife::Reason::Logout:
        return QStringLiteral("logout");
    case SessionLife::Reason::Revoked:
        return QStringLiteral("revoked");
    case SessionLife::Reason::Open:
        break;
    }
    return QStringLiteral("still open");
}

SessionLife sessionLife(const SessionSpec& s, double openEnd)
{
    SessionLife life;
    life.lastTouch = s.created;
    const double absolute = s.absoluteTimeout > 0 ? s.created + s.absoluteTimeout : never;
    const double ended = s.endedAt && *s.endedAt >= s.created ? *s.endedAt : never;
    auto idleEnd = [&] { return s.idleTimeout > 0 ? life.lastTouch + s.idleTimeout : never; };
    QList<double> activity = s.activity;
    std::sort(activity.begin(), activity.end());
    for (const double a : activity) {
        if (a < s.created) {
            continue;
        }
        if (a >= std::min({idleEnd(), absolute, ended})) {
            break; // the session is gone: a later request starts nothing
        }
        life.touches.append(a);
        life.lastTouch = a;
    }
    const double idle = idleEnd();
    if (idle < never) {
        life.idleDeadline = idle;
    }
    if (absolute < never) {
        life.absoluteDeadline = absolute;
    }
    // An explicit end wins a tie; then the absolute bound.
    life.end = std::min({ended, absolute, idle});
    if (life.end == never) {
        life.end = std::max(openEnd, s.created);
        life.reason = SessionLife::Reason::Open;
    } else if (life.end == ended) {
        life.reason = s.endedByLogout ? SessionLife::Reason::Logout : SessionLife::Reason::Revoked;
    } else if (life.end == absolute) {
        life.reason = SessionLife::Reason::AbsoluteTimeout;
    } else {
        life.reason = SessionLife::Reason::IdleTimeout;
    }
    return life;
}

} // namespace tb::inspect
