#pragma once

#include <vector>

#include <QByteArray>
#include <QString>

#include "base/Error.h"
#include "session/CookieLint.h"

namespace tb::session {

// One recorded request/response pair of a session, as a proxy would log it (SESSION-REFERENCE.md §2.2).
struct FlowExchange
{
    enum class Kind
    {
        Request, // any request made with the session
        Login,   // the request that authenticates (or raises privilege)
        Logout,
    };
    Kind kind = Kind::Request;
    qint64 time = 0;                   // epoch seconds (recorded, or virtual)
    QByteArray sentId;                 // the session cookie's value sent with the request ("" if none)
    bool authenticated = false;        // the server answered as to a logged-in user
    std::vector<SetCookie> setCookies; // Set-Cookie headers of the response
    std::vector<std::pair<QByteArray, QByteArray>> headers; // other response headers, lower-case names
};

struct FlowPolicy
{
    qint64 idleLimit = 30 * 60;       // ASVS 4.0.3 3.3.2 L2: 30 minutes
    qint64 absoluteLimit = 12 * 3600; // ASVS 4.0.3 3.3.2 L2/L3: 12 hours
    qint64 renewalGrace = 60;         // how long a replaced ID may still work (OWASP "Renewal Timeout")
};

// FL-01 ID not renewed at login, FL-02 unissued ID accepted, FL-03 ID accepted after logout,
// FL-04 no idle / absolute timeout, FL-06 replaced ID still accepted, CK-31 logout neither expires the
// cookie nor sends Clear-Site-Data.
// A recorded flow as JSON: {"session_cookie": "sid", "exchanges": [{"kind": "request"|"login"|"logout",
// "time": EPOCH_S, "sent": "ID", "authenticated": bool, "set_cookie": ["sid=…; Secure", …],
// "headers": {"clear-site-data": "…"}}, …]}. Fails with a sentence naming the bad member.
struct RecordedFlow
{
    QByteArray sessionCookie;
    std::vector<FlowExchange> exchanges;
};
inline constexpr qsizetype maxFlowExchanges = 100000;
Result<RecordedFlow> parseFlowJson(const QByteArray& json);

std::vector<CookieFinding> lintFlow(const std::vector<FlowExchange>& flow, const QByteArray& sessionCookie,
                                    const FlowPolicy& policy = {});

} // namespace tb::session
