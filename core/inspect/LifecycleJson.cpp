// Timeline marks (sessions, role overrides, revocations) and view to and from a workspace file's JSON.
#include <cmath>

#include <QCryptographicHash>
#include <QJsonArray>
#include <QSet>

#include "Lifecycle.h"

namespace tb::inspect {

namespace {

constexpr double maxTime = 253402300799.0; // 9999-12-31T23:59:59Z

const QString kLabel = QStringLiteral("label");
const QString kSid = QStringLiteral("sid");
const QString kCreated = QStringLiteral("created");
const QString kIdle = QStringLiteral("idle_timeout");
const QString kAbsolute = QStringLiteral("absolute_timeout");
const QString kRequests = QStringLiteral("requests");
const QString kEndedAt = QStringLiteral("ended_at");
const QString kEndedBy = QStringLiteral("ended_by");
const QString kSessions = QStringLiteral("sessions");
const QString kTokens = QStringLiteral("tokens");
const QString kSha256 = QStringLiteral("sha256");
const QString kRole = QStringLiteral("role");
const QString kRevoked = QStringLiteral("revoked");
const QString kView = QStringLiteral("view");
const QString kLeeway = QStringLiteral("leeway");
const QString kStart = QStringLiteral("start");
const QString kEnd = QStringLiteral("end");
const QString kNow = QStringLiteral("now");

bool isTime(const QJsonValue& v)
{
    return v.isDouble() && std::isfinite(v.toDouble()) && v.toDouble() >= 0 && v.toDouble() <= maxTime;
}

bool isTimeout(const QJsonValue& v)
{
    return v.isUndefined() || (v.isDouble() && v.toDouble() >= 0 && v.toDouble() <= maxSessionTimeout);
}

// A list of at most `max` times, in the order given; nullopt when it is anything else.
std::optional<QList<double>> timeList(const QJsonValue& v, int max)
{
    if (v.isUndefined()) {
        return QList<double>{};
    }
    if (!v.isArray() || v.toArray().size() > max) {
        return std::nullopt;
    }
    QList<double> out;
    for (const QJsonValue& t : v.toArray()) {
        if (!isTime(t)) {
            return std::nullopt;
        }
        out.append(t.toDouble());
    }
    return out;
}

std::optional<QString> shortText(const QJsonValue& v)
{
    if (v.isUndefined()) {
        return QString();
    }
    if (!v.isString() || v.toString().size() > maxSessionTextLength) {
        return std::nullopt;
    }
    return v.toString();
}

std::unexpected<Error> bad(const QString& clause)
{
    return fail(ErrorCode::InvalidData, clause);
}

std::optional<TokenRole> roleFromName(const QJsonValue& v)
{
    for (const TokenRole r : {TokenRole::Access, TokenRole::Refresh, TokenRole::Id, TokenRole::Unknown}) {
        if (v.isString() && v.toString() == roleName(r)) {
            return r;
        }
    }
    return std::nullopt;
}

QJsonArray timesJson(const QList<double>& times)
{
    QJsonArray out;
    for (const double t : times) {
        out.append(t);
    }
    return out;
}

// Reads one token mark into `marks`; the clause says why it was skipped.
std::optional<QString> readTokenMark(const QJsonValue& value, const QHash<QString, QByteArray>& byDigest,
                                     TimelineMarks& marks)
{
    if (!value.isObject()) {
        return QStringLiteral("it is not a JSON object");
    }
    const QJsonObject o = value.toObject();
    const QByteArray token = byDigest.value(o.value(kSha256).toString());
    if (!o.value(kSha256).isString() || o.value(kSha256).toString().size() != 43) {
        return QStringLiteral("its sha256 is not a base64url SHA-256 digest");
    }
    if (token.isEmpty()) {
        return QStringLiteral("its token is not in the workspace");
    }
    if (marks.roles.contains(token) || marks.revoked.contains(token)) {
        return QStringLiteral("its token already has a mark");
    }
    const QJsonValue role = o.value(kRole);
    const auto parsedRole = roleFromName(role);
    if (!role.isUndefined() && !parsedRole) {
        return QStringLiteral("its role is not one of access, refresh, id, unknown");
    }
    const auto revoked = timeList(o.value(kRevoked), maxTokenRevocations);
    if (!revoked) {
        return QStringLiteral("its revoked times are not a list of at most %1 times").arg(maxTokenRevocations);
    }
    if (!parsedRole && revoked->isEmpty()) {
        return QStringLiteral("it holds neither a role nor a revocation");
    }
    if (parsedRole) {
        marks.roles.insert(token, *parsedRole);
    }
    if (!revoked->isEmpty()) {
        marks.revoked.insert(token, *revoked);
    }
    return std::nullopt;
}

// A view range may begin before 1970 (the padding around early tokens); it stays within ±year 9999.
bool isRangeEnd(const QJsonValue& v)
{
    return v.isDouble() && std::isfinite(v.toDouble()) && std::abs(v.toDouble()) <= maxTime;
}

QJsonObject viewJson(const TimelineViewState& view)
{
    QJsonObject o;
    if (view.leeway) {
        o.insert(kLeeway, *view.leeway);
    }
    if (view.range) {
        o.insert(kStart, view.range->first);
        o.insert(kEnd, view.range->second);
    }
    if (view.now) {
        o.insert(kNow, *view.now);
    }
    return o;
}

// Each part of the view that is damaged is left at the pane's default, with a note.
TimelineViewState readView(const QJsonValue& value, QStringList& notes)
{
    TimelineViewState view;
    if (value.isUndefined()) {
        return view;
    }
    if (!value.isObject()) {
        notes.append(QStringLiteral("The timeline view was not restored: it is not a JSON object."));
        return view;
    }
    const QJsonObject o = value.toObject();
    const QJsonValue leeway = o.value(kLeeway);
    if (leeway.isDouble() && leeway.toDouble() >= 0 && leeway.toDouble() <= maxTimelineLeeway) {
        view.leeway = leeway.toDouble();
    } else if (!leeway.isUndefined()) {
        notes.append(QStringLiteral("The timeline's leeway was not restored: it is not a number of seconds from 0 "
                                    "to %1.")
                         .arg(qint64(maxTimelineLeeway)));
    }
    const QJsonValue start = o.value(kStart);
    const QJsonValue end = o.value(kEnd);
    if (isRangeEnd(start) && isRangeEnd(end) && start.toDouble() < end.toDouble()) {
        view.range = std::pair{start.toDouble(), end.toDouble()};
    } else if (!start.isUndefined() || !end.isUndefined()) {
        notes.append(QStringLiteral("The timeline's visible range was not restored: its start and end are not two "
                                    "times (up to year 9999) with the start first."));
    }
    const QJsonValue now = o.value(kNow);
    if (isTime(now)) {
        view.now = now.toDouble();
    } else if (!now.isUndefined()) {
        notes.append(QStringLiteral("The timeline's \"now\" was not restored: it is not a time (seconds since 1970, up "
                                    "to year 9999)."));
    }
    return view;
}

} // namespace

QString tokenDigest(QByteArrayView token)
{
    return QString::fromLatin1(QCryptographicHash::hash(token, QCryptographicHash::Sha256)
                                   .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QJsonObject sessionSpecToJson(const SessionSpec& s)
{
    QJsonObject o;
    o.insert(kLabel, s.label);
    o.insert(kSid, s.sid);
    o.insert(kCreated, s.created);
    o.insert(kIdle, s.idleTimeout);
    o.insert(kAbsolute, s.absoluteTimeout);
    o.insert(kRequests, timesJson(s.activity));
    if (s.endedAt) {
        o.insert(kEndedAt, *s.endedAt);
        o.insert(kEndedBy, s.endedByLogout ? QStringLiteral("logout") : QStringLiteral("revocation"));
    }
    return o;
}

Result<SessionSpec> sessionSpecFromJson(const QJsonValue& value)
{
    if (!value.isObject()) {
        return bad(QStringLiteral("it is not a JSON object"));
    }
    const QJsonObject o = value.toObject();
    SessionSpec s;
    const auto label = shortText(o.value(kLabel));
    const auto sid = shortText(o.value(kSid));
    if (!label || !sid) {
        return bad(QStringLiteral("its %1 is not a string of at most %2 characters")
                       .arg(label ? kSid : kLabel)
                       .arg(maxSessionTextLength));
    }
    if (!isTime(o.value(kCreated))) {
        return bad(QStringLiteral("its created time is missing or not a time (seconds since 1970, up to year 9999)"));
    }
    for (const QString& key : {kIdle, kAbsolute}) {
        if (!isTimeout(o.value(key))) {
            return bad(QStringLiteral("its %1 is not a number of seconds from 0 to %2")
                           .arg(key)
                           .arg(qint64(maxSessionTimeout)));
        }
    }
    const auto requests = timeList(o.value(kRequests), maxSessionRequests);
    if (!requests) {
        return bad(QStringLiteral("its requests are not a list of at most %1 times").arg(maxSessionRequests));
    }
    const QJsonValue endedAt = o.value(kEndedAt);
    const QString endedBy = o.value(kEndedBy).toString();
    if (!endedAt.isUndefined() && !isTime(endedAt)) {
        return bad(QStringLiteral("its ended_at is not a time"));
    }
    if (!endedAt.isUndefined() && endedBy != QLatin1String("logout") && endedBy != QLatin1String("revocation")) {
        return bad(QStringLiteral("its ended_by is neither logout nor revocation"));
    }
    s.label = *label;
    s.sid = *sid;
    s.created = o.value(kCreated).toDouble();
    s.idleTimeout = o.value(kIdle).toDouble(0);
    s.absoluteTimeout = o.value(kAbsolute).toDouble(0);
    s.activity = *requests;
    if (!endedAt.isUndefined()) {
        s.endedAt = endedAt.toDouble();
        s.endedByLogout = endedBy == QLatin1String("logout");
    }
    return s;
}

QJsonObject timelineToJson(const TimelineMarks& marks, const QList<QByteArray>& tokens)
{
    QJsonArray sessions;
    for (const SessionSpec& s : marks.sessions) {
        sessions.append(sessionSpecToJson(s));
    }
    QJsonArray tokenMarks;
    QSet<QByteArray> written;
    for (const QByteArray& token : tokens) {
        const auto role = marks.roles.constFind(token);
        const QList<double> revoked = marks.revoked.value(token);
        if ((role == marks.roles.constEnd() && revoked.isEmpty()) || written.contains(token)) {
            continue;
        }
        written.insert(token);
        QJsonObject o;
        o.insert(kSha256, tokenDigest(token));
        if (role != marks.roles.constEnd()) {
            o.insert(kRole, roleName(*role));
        }
        if (!revoked.isEmpty()) {
            o.insert(kRevoked, timesJson(revoked));
        }
        tokenMarks.append(o);
    }
    QJsonObject out;
    out.insert(kSessions, sessions);
    out.insert(kTokens, tokenMarks);
    if (!marks.view.isEmpty()) {
        out.insert(kView, viewJson(marks.view));
    }
    return out;
}

int timelineMarksLeftOut(const TimelineMarks& marks, const QList<QByteArray>& tokens)
{
    const QSet<QByteArray> kept(tokens.cbegin(), tokens.cend());
    qsizetype count = 0;
    for (auto it = marks.roles.cbegin(); it != marks.roles.cend(); ++it) {
        count += kept.contains(it.key()) ? 0 : 1;
    }
    for (auto it = marks.revoked.cbegin(); it != marks.revoked.cend(); ++it) {
        count += kept.contains(it.key()) ? 0 : it.value().size();
    }
    return int(count);
}

LoadedTimeline timelineFromJson(const QJsonValue& value, const QList<QByteArray>& tokens)
{
    LoadedTimeline out;
    if (value.isUndefined()) {
        return out;
    }
    if (!value.isObject()) {
        out.notes.append(QStringLiteral("The timeline marks were skipped: they are not a JSON object."));
        return out;
    }
    const QJsonObject o = value.toObject();
    auto list = [&](const QString& key, const QString& what, int max) {
        const QJsonValue v = o.value(key);
        if (!v.isUndefined() && !v.isArray()) {
            out.notes.append(QStringLiteral("The timeline %1 were skipped: they are not a list.").arg(what));
        }
        QJsonArray a = v.toArray();
        if (a.size() > max) {
            out.notes.append(QStringLiteral("The timeline's %1 %2 beyond the first %3 were skipped.")
                                 .arg(a.size() - max)
                                 .arg(what)
                                 .arg(max));
            while (a.size() > max) {
                a.removeLast();
            }
        }
        return a;
    };
    const QJsonArray sessions = list(kSessions, QStringLiteral("sessions"), maxTimelineSessions);
    for (qsizetype i = 0; i < sessions.size(); ++i) {
        const auto s = sessionSpecFromJson(sessions.at(i));
        if (s) {
            out.marks.sessions.append(*s);
        } else {
            out.notes.append(QStringLiteral("Timeline session %1 was skipped: %2.").arg(i + 1).arg(s.error().message));
        }
    }
    QHash<QString, QByteArray> byDigest;
    for (const QByteArray& token : tokens) {
        byDigest.insert(tokenDigest(token), token);
    }
    const QJsonArray tokenMarks = list(kTokens, QStringLiteral("token marks"), maxTimelineTokenMarks);
    for (qsizetype i = 0; i < tokenMarks.size(); ++i) {
        if (const auto why = readTokenMark(tokenMarks.at(i), byDigest, out.marks)) {
            out.notes.append(QStringLiteral("Timeline token mark %1 was skipped: %2.").arg(i + 1).arg(*why));
        }
    }
    out.marks.view = readView(o.value(kView), out.notes);
    return out;
}

} // namespace tb::inspect
