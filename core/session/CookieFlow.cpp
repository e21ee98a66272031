#include "CookieFlow.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QSet>

namespace tb::session {

namespace {

struct IdState
{
    qint64 issued = 0;
    qint64 lastUse = 0;
    qint64 replacedAt = -1; // when a newer ID replaced it
    bool loggedOut = false;
};

// The value a response gives the session cookie; an empty value or an expiry deletes it.
struct Issued
{
    bool present = false;
    bool deletes = false;
    QByteArray value;
};

Issued issuedBy(const FlowExchange& e, const QByteArray& cookie)
{
    Issued r;
    for (const SetCookie& c : e.setCookies) {
        if (c.name != cookie) {
            continue;
        }
        r.present = true;
        r.value = c.value;
        r.deletes =
            c.value.isEmpty() || (c.maxAge && *c.maxAge <= 0) || (!c.maxAge && c.expires && *c.expires <= e.time);
    }
    return r;
}

QString label(const FlowExchange& e, std::size_t index)
{
    return QStringLiteral("exchange %1").arg(index + 1) +
           (e.time > 0 ? QStringLiteral(" (t=%1)").arg(e.time) : QString());
}

} // namespace

Result<RecordedFlow> parseFlowJson(const QByteArray& json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        return fail(ErrorCode::BadJson, QStringLiteral("The flow is not a JSON object (%1 at offset %2).")
                                            .arg(error.errorString())
                                            .arg(error.offset));
    }
    const QJsonObject root = doc.object();
    RecordedFlow flow;
    flow.sessionCookie = root.value(QStringLiteral("session_cookie")).toString().toUtf8();
    if (flow.sessionCookie.isEmpty()) {
        return fail(ErrorCode::InvalidData,
                    QStringLiteral("The flow needs \"session_cookie\": the session cookie's name."));
    }
    const QJsonValue list = root.value(QStringLiteral("exchanges"));
    if (!list.isArray() || list.toArray().isEmpty()) {
        return fail(ErrorCode::InvalidData, QStringLiteral("The flow needs a non-empty \"exchanges\" array."));
    }
    if (list.toArray().size() > maxFlowExchanges) {
        return fail(ErrorCode::TooLarge, QStringLiteral("The flow has more than %1 exchanges.").arg(maxFlowExchanges));
    }
    int index = 0;
    for (const QJsonValue v : list.toArray()) {
        ++index;
        const QJsonObject o = v.toObject();
        const QString kind = o.value(QStringLiteral("kind")).toString(QStringLiteral("request"));
        FlowExchange e;
        if (kind == QStringLiteral("request")) {
            e.kind = FlowExchange::Kind::Request;
        } else if (kind == QStringLiteral("login")) {
            e.kind = FlowExchange::Kind::Login;
        } else if (kind == QStringLiteral("logout")) {
            e.kind = FlowExchange::Kind::Logout;
        } else {
            return fail(ErrorCode::InvalidData,
                        QStringLiteral("Exchange %1 has kind \"%2\" (use request, login or logout).")
                            .arg(index)
                            .arg(kind.left(40)));
        }
        if (!v.isObject() || !o.value(QStringLiteral("time")).isDouble()) {
            return fail(ErrorCode::InvalidData,
                        QStringLiteral("Exchange %1 needs a numeric \"time\" (epoch seconds).").arg(index));
        }
        e.time = qint64(o.value(QStringLiteral("time")).toDouble());
        e.sentId = o.value(QStringLiteral("sent")).toString().toUtf8();
        e.authenticated = o.value(QStringLiteral("authenticated")).toBool();
        for (const QJsonValue h : o.value(QStringLiteral("set_cookie")).toArray()) {
            e.setCookies.push_back(parseSetCookie(h.toString().toUtf8(), index));
        }
        const QJsonObject headers = o.value(QStringLiteral("headers")).toObject();
        for (auto it = headers.begin(); it != headers.end(); ++it) {
            e.headers.emplace_back(it.key().toLower().toUtf8(), it.value().toString().toUtf8());
        }
        flow.exchanges.push_back(std::move(e));
    }
    return flow;
}

std::vector<CookieFinding> lintFlow(const std::vector<FlowExchange>& flow, const QByteArray& sessionCookie,
                                    const FlowPolicy& policy)
{
    std::vector<CookieFinding> out;
    QSet<QString> reported;
    auto add = [&](const char* id, Severity s, const QString& message, const char* reference) {
        if (reported.contains(QString::fromLatin1(id))) {
            return; // one finding per rule: the first exchange that shows it
        }
        reported.insert(QString::fromLatin1(id));
        out.push_back({QString::fromLatin1(id), s, message, QString::fromUtf8(reference), sessionCookie, 0});
    };
    QHash<QByteArray, IdState> ids;
    QByteArray current;
    for (std::size_t i = 0; i < flow.size(); ++i) {
        const FlowExchange& e = flow[i];
        const Issued issued = issuedBy(e, sessionCookie);
        const QByteArray sent = e.sentId;

        if (!sent.isEmpty() && e.authenticated && e.kind != FlowExchange::Kind::Login) {
            const auto it = ids.constFind(sent);
            if (it == ids.constEnd()) {
                add("FL-02", Severity::High,
                    QStringLiteral("At %1 the server accepted a session ID it never issued in this recording.")
                        .arg(label(e, i)),
                    "OWASP Session Management CS \"Session ID Generation and Verification: Permissive and Strict\"");
            } else {
                if (it->loggedOut) {
                    add("FL-03", Severity::Critical,
                        QStringLiteral("At %1 the server still accepted an ID after its logout.").arg(label(e, i)),
                        "ASVS 4.0.3 3.3.1; ASVS 5.0 7.4.1; WSTG-SESS-06");
                }
                if (it->replacedAt >= 0 && e.time - it->replacedAt > policy.renewalGrace) {
                    add("FL-06", Severity::Medium,
                        QStringLiteral("At %1 a replaced ID still worked %2 s after its renewal (grace %3 s).")
                            .arg(label(e, i))
                            .arg(e.time - it->replacedAt)
                            .arg(policy.renewalGrace),
                        "OWASP Session Management CS \"Renewal Timeout\"");
                }
                if (e.time - it->lastUse > policy.idleLimit) {
                    add("FL-04", Severity::Medium,
                        QStringLiteral("At %1 an ID idle for %2 s was accepted: no idle timeout (limit %3 s).")
                            .arg(label(e, i))
                            .arg(e.time - it->lastUse)
                            .arg(policy.idleLimit),
                        "OWASP Session Management CS \"Session Expiration\"; ASVS 5.0 7.3.1");
                } else if (e.time - it->issued > policy.absoluteLimit) {
                    add("FL-04", Severity::Medium,
                        QStringLiteral(
                            "At %1 an ID issued %2 s earlier was accepted: no absolute timeout (limit %3 s).")
                            .arg(label(e, i))
                            .arg(e.time - it->issued)
                            .arg(policy.absoluteLimit),
                        "OWASP Session Management CS \"Session Expiration\"; ASVS 5.0 7.3.2");
                }
            }
        }
        if (!sent.isEmpty() && ids.contains(sent) && e.authenticated) {
            ids[sent].lastUse = e.time;
        }

        if (e.kind == FlowExchange::Kind::Login) {
            const bool renewed = issued.present && !issued.deletes && issued.value != sent;
            const QByteArray before = sent.isEmpty() ? current : sent;
            if (!before.isEmpty() && !renewed) {
                add("FL-01", Severity::Critical,
                    QStringLiteral("At %1 the login kept the pre-login session ID: session fixation.").arg(label(e, i)),
                    "OWASP Session Management CS \"Renew the Session ID After Any Privilege Level Change\"; ASVS 4.0.3 "
                    "3.2.1; ASVS 5.0 7.2.4; WSTG-SESS-03");
            }
        }
        if (e.kind == FlowExchange::Kind::Logout) {
            const QByteArray ended = sent.isEmpty() ? current : sent;
            if (ids.contains(ended)) {
                ids[ended].loggedOut = true;
            }
            const bool clears = std::any_of(e.headers.begin(), e.headers.end(),
                                            [](const auto& h) { return h.first == "clear-site-data"; });
            if (!(issued.present && issued.deletes) && !clears) {
                add("CK-31", Severity::Low,
                    QStringLiteral("The logout response at %1 neither expires the session cookie nor sends "
                                   "Clear-Site-Data.")
                        .arg(label(e, i)),
                    "OWASP Session Management CS \"Session Expiration\" and \"Clear-Site-Data\"");
            }
        }
        if (issued.present && !issued.deletes && issued.value != current) {
            if (!current.isEmpty() && ids.contains(current) && ids[current].replacedAt < 0) {
                ids[current].replacedAt = e.time;
            }
            IdState& s = ids[issued.value];
            s.issued = e.time;
            s.lastUse = e.time;
            current = issued.value;
        } else if (issued.present && issued.deletes) {
            current.clear();
        }
    }
    return out;
}

} // namespace tb::session
