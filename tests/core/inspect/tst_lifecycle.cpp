// Token roles, grants (refresh/access pairs, rotations) and session lifetimes for the Timeline pane.
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include "inspect/Lifecycle.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"

using namespace tb;
using inspect::SessionLife;
using inspect::SessionSpec;
using inspect::TokenRole;

namespace {

QByteArray token(const QByteArray& header, const QByteArray& payload)
{
    static const keys::KeyPtr key = keys::secretKey(QByteArrayLiteral("lifecycle-secret-of-thirty-two-bytes"));
    const auto t = jose::signCompact(jose::Alg::HS256, key.get(), header, payload);
    return t ? *t : QByteArray();
}

inspect::TokenFacts facts(const QByteArray& payload, const QByteArray& header = "{\"alg\":\"HS256\"}")
{
    return inspect::tokenFacts(token(header, payload)).value_or(inspect::TokenFacts{});
}

QStringList texts(std::initializer_list<const char*> lines)
{
    QStringList out;
    for (const char* line : lines) {
        out << QString::fromUtf8(line);
    }
    return out;
}
} // namespace

class TestLifecycle final : public QObject
{
    Q_OBJECT

private slots:
    void rolesFromClaims_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<TokenRole>("role");
        const QByteArray plain = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        QTest::newRow("keycloak refresh") << plain << QByteArray("{\"typ\":\"Refresh\"}") << TokenRole::Refresh;
        QTest::newRow("keycloak offline") << plain << QByteArray("{\"typ\":\"Offline\"}") << TokenRole::Refresh;
        QTest::newRow("keycloak bearer") << plain << QByteArray("{\"typ\":\"Bearer\"}") << TokenRole::Access;
        QTest::newRow("keycloak id") << plain << QByteArray("{\"typ\":\"ID\"}") << TokenRole::Id;
        QTest::newRow("cognito access") << plain << QByteArray("{\"token_use\":\"access\"}") << TokenRole::Access;
        QTest::newRow("cognito id") << plain << QByteArray("{\"token_use\":\"id\"}") << TokenRole::Id;
        QTest::newRow("rfc 9068") << QByteArray("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}") << QByteArray("{}")
                                  << TokenRole::Access;
        QTest::newRow("at_hash") << plain << QByteArray("{\"at_hash\":\"x\"}") << TokenRole::Id;
        QTest::newRow("nothing") << plain << QByteArray("{\"sub\":\"a\"}") << TokenRole::Unknown;
    }

    void rolesFromClaims()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, payload);
        QFETCH(TokenRole, role);
        const auto f = inspect::tokenFacts(token(header, payload));
        QVERIFY(f.has_value());
        QCOMPARE(f->role, role);
    }

    void factsOfAToken()
    {
        const auto f = facts("{\"iss\":\"i\",\"sub\":\"u\",\"session_state\":\"s1\",\"iat\":100,\"nbf\":110,"
                             "\"exp\":1000,\"jti\":\"j\",\"typ\":\"Bearer\"}");
        QCOMPARE(f.iat, std::optional<double>(100));
        QCOMPARE(f.start(), std::optional<double>(110));
        QCOMPARE(f.exp, std::optional<double>(1000));
        QCOMPARE(f.sid, QStringLiteral("s1"));
        QCOMPARE(f.typ, QStringLiteral("Bearer"));
        QCOMPARE(f.alg, QStringLiteral("HS256"));
        QVERIFY(!inspect::tokenFacts("a.b").has_value());
        QVERIFY(!inspect::tokenFacts(token("{\"alg\":\"HS256\"}", "[1]")).has_value());
    }

    void refreshAndAccessPairsWithRotation()
    {
        // Login at 1000: RT1 (10 h) and AT1 (15 min). Refresh at 1900 rotates: RT2 and AT2. Another user's AT.
        const QList<inspect::TokenFacts> tokens = {
            facts("{\"sub\":\"u\",\"iat\":1000,\"exp\":37000,\"typ\":\"Refresh\"}"), // 0 RT1
            facts("{\"sub\":\"u\",\"iat\":1000,\"exp\":1900,\"typ\":\"Bearer\"}"),   // 1 AT1
            facts("{\"sub\":\"u\",\"iat\":1900,\"exp\":2800,\"typ\":\"Bearer\"}"),   // 2 AT2
            facts("{\"sub\":\"u\",\"iat\":1900,\"exp\":37900,\"typ\":\"Refresh\"}"), // 3 RT2
            facts("{\"sub\":\"v\",\"iat\":1900,\"exp\":2800,\"typ\":\"Bearer\"}"),   // 4 someone else
            facts("{\"sub\":\"u\",\"exp\":2800}"),                                   // 5 no start time
        };
        const inspect::Grants g = inspect::groupByGrant(tokens, {});
        QCOMPARE(g.issuedWith, (QList<int>{-1, 0, 3, -1, -1, -1}));
        QCOMPARE(g.rotatedTo, (QList<int>{3, -1, -1, -1, -1, -1}));
        // The user says token 4 is a refresh token of its own grant; token 3 an access token.
        const inspect::Grants h =
            inspect::groupByGrant(tokens, {TokenRole::Refresh, TokenRole::Access, TokenRole::Access, TokenRole::Access,
                                           TokenRole::Refresh, TokenRole::Unknown});
        QCOMPARE(h.issuedWith, (QList<int>{-1, 0, 0, 0, -1, -1}));
        QCOMPARE(h.rotatedTo, (QList<int>{-1, -1, -1, -1, -1, -1}));
    }

    void sidDecidesTheGrant()
    {
        // Same sub, two sessions: each access token goes with its own session's refresh token.
        const QList<inspect::TokenFacts> tokens = {
            facts("{\"sub\":\"u\",\"sid\":\"a\",\"iat\":100,\"exp\":9000,\"typ\":\"Refresh\"}"),
            facts("{\"sub\":\"u\",\"sid\":\"b\",\"iat\":200,\"exp\":9000,\"typ\":\"Refresh\"}"),
            facts("{\"sub\":\"u\",\"sid\":\"a\",\"iat\":300,\"exp\":1200,\"typ\":\"Bearer\"}"),
            facts("{\"sub\":\"u\",\"iat\":300,\"exp\":1200,\"iss\":\"x\"}"),
        };
        const inspect::Grants g = inspect::groupByGrant(tokens, {});
        // Token 3 has no sid: by sub it joins the latest refresh token issued before it (token 1).
        QCOMPARE(g.issuedWith, (QList<int>{-1, -1, 0, 1}));
        QCOMPARE(g.rotatedTo, (QList<int>{-1, -1, -1, -1}));
        // A refresh token that has expired issues nothing.
        const QList<inspect::TokenFacts> late = {
            facts("{\"sub\":\"u\",\"iat\":100,\"exp\":200,\"typ\":\"Refresh\"}"),
            facts("{\"sub\":\"u\",\"iat\":200,\"exp\":300}"),
        };
        QCOMPARE(inspect::groupByGrant(late, {}).issuedWith, (QList<int>{-1, -1}));
    }

    void sessionIdleTimeoutSlidesWithRequests()
    {
        SessionSpec s;
        s.created = 0;
        s.idleTimeout = 1800;
        s.absoluteTimeout = 28800;
        s.activity = {1200, 600, 5000}; // 5000 comes after the idle deadline 1200 + 1800 = 3000
        const SessionLife life = inspect::sessionLife(s, 99999);
        QCOMPARE(life.touches, (QList<double>{600, 1200}));
        QCOMPARE(life.lastTouch, 1200.0);
        QCOMPARE(life.idleDeadline, std::optional<double>(3000));
        QCOMPARE(life.absoluteDeadline, std::optional<double>(28800));
        QCOMPARE(life.end, 3000.0);
        QCOMPARE(life.reason, SessionLife::Reason::IdleTimeout);
        QCOMPARE(inspect::reasonText(life.reason), QStringLiteral("idle timeout"));
    }

    void sessionEndsAtLogoutOrAbsoluteTimeout()
    {
        SessionSpec s;
        s.created = 1000;
        s.idleTimeout = 1800;
        s.absoluteTimeout = 28800;
        s.activity = {1500, 2500, 2600};
        s.endedAt = 2000;
        SessionLife life = inspect::sessionLife(s, 0);
        QCOMPARE(life.end, 2000.0);
        QCOMPARE(life.reason, SessionLife::Reason::Logout);
        QCOMPARE(life.touches, QList<double>{1500});
        QCOMPARE(life.idleDeadline, std::optional<double>(3300));
        s.endedByLogout = false;
        QCOMPARE(inspect::sessionLife(s, 0).reason, SessionLife::Reason::Revoked);

        // An attacker pinging every 1000 s never trips the idle timeout; the absolute timeout still ends it.
        s.endedAt.reset();
        s.activity.clear();
        for (int t = 2000; t <= 40000; t += 1000) {
            s.activity.append(t);
        }
        life = inspect::sessionLife(s, 0);
        QCOMPARE(life.end, 29800.0);
        QCOMPARE(life.reason, SessionLife::Reason::AbsoluteTimeout);
        QCOMPARE(life.lastTouch, 29000.0);
        QCOMPARE(life.idleDeadline, std::optional<double>(30800));

        // A request exactly at the idle deadline comes too late.
        SessionSpec edge;
        edge.created = 0;
        edge.idleTimeout = 100;
        edge.activity = {100};
        life = inspect::sessionLife(edge, 0);
        QVERIFY(life.touches.isEmpty());
        QCOMPARE(life.end, 100.0);
        QVERIFY(!life.absoluteDeadline);

        // No timeouts, no logout: open to the end of the view.
        SessionSpec open;
        open.created = 50;
        life = inspect::sessionLife(open, 500);
        QCOMPARE(life.end, 500.0);
        QCOMPARE(life.reason, SessionLife::Reason::Open);
        QVERIFY(!life.idleDeadline);
    }

    void sessionJsonBothWays()
    {
        SessionSpec s;
        s.label = QStringLiteral("Browser");
        s.sid = QStringLiteral("s-1");
        s.created = 1700000000;
        s.idleTimeout = 1800;
        s.absoluteTimeout = 28800;
        s.activity = {1700000300, 1700000600.5};
        s.endedAt = 1700001000;
        s.endedByLogout = false;
        const QByteArray json =
            "{\"absolute_timeout\":28800,\"created\":1700000000,\"ended_at\":1700001000,\"ended_by\":\"revocation\","
            "\"idle_timeout\":1800,\"label\":\"Browser\",\"requests\":[1700000300,1700000600.5],\"sid\":\"s-1\"}";
        QCOMPARE(QJsonDocument(inspect::sessionSpecToJson(s)).toJson(QJsonDocument::Compact), json);
        const auto back = inspect::sessionSpecFromJson(QJsonDocument::fromJson(json).object());
        QVERIFY(back.has_value());
        QCOMPARE(back->label, s.label);
        QCOMPARE(back->sid, s.sid);
        QCOMPARE(back->created, s.created);
        QCOMPARE(back->idleTimeout, s.idleTimeout);
        QCOMPARE(back->absoluteTimeout, s.absoluteTimeout);
        QCOMPARE(back->activity, s.activity);
        QCOMPARE(back->endedAt, s.endedAt);
        QCOMPARE(back->endedByLogout, false);

        // An open session has no ended_at/ended_by; the optional fields default.
        SessionSpec open;
        open.created = 5;
        QCOMPARE(QJsonDocument(inspect::sessionSpecToJson(open)).toJson(QJsonDocument::Compact),
                 QByteArray("{\"absolute_timeout\":0,\"created\":5,\"idle_timeout\":0,\"label\":\"\",\"requests\":[],"
                            "\"sid\":\"\"}"));
        const auto minimal = inspect::sessionSpecFromJson(QJsonDocument::fromJson("{\"created\":7}").object());
        QVERIFY(minimal.has_value());
        QCOMPARE(minimal->created, 7.0);
        QVERIFY(!minimal->endedAt);
        QVERIFY(minimal->activity.isEmpty());
    }

    void timelineJsonBothWays()
    {
        QCOMPARE(inspect::tokenDigest("abc"), QStringLiteral("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0"));
        const QList<QByteArray> tokens{"tok.en.A", "tok.en.B", "tok.en.C"};
        inspect::TimelineMarks marks;
        SessionSpec s;
        s.label = QStringLiteral("S");
        s.created = 100;
        s.endedAt = 400;
        marks.sessions = {s};
        marks.roles.insert("tok.en.B", TokenRole::Refresh);
        marks.roles.insert("not.in.workspace", TokenRole::Access); // left out: nothing to attach it to
        marks.revoked.insert("tok.en.B", {150});
        marks.revoked.insert("tok.en.C", {200, 300});
        const QByteArray json =
            "{\"sessions\":[{\"absolute_timeout\":0,\"created\":100,\"ended_at\":400,\"ended_by\":\"logout\","
            "\"idle_timeout\":0,\"label\":\"S\",\"requests\":[],\"sid\":\"\"}],\"tokens\":["
            "{\"revoked\":[150],\"role\":\"refresh\",\"sha256\":\"O8Be4Awxe4O_ZbfGGrb9ilpFENbhm2N2P6Jw3Aullv4\"},"
            "{\"revoked\":[200,300],\"sha256\":\"1dgtARJb-x_HSxn1g54syxbG6LSj1HACsI-QdvwtFV0\"}]}";
        QCOMPARE(QJsonDocument(inspect::timelineToJson(marks, tokens)).toJson(QJsonDocument::Compact), json);

        const auto back = inspect::timelineFromJson(QJsonDocument::fromJson(json).object(), tokens);
        QCOMPARE(back.notes, QStringList());
        QCOMPARE(back.marks.sessions.size(), 1);
        QCOMPARE(back.marks.sessions[0].endedAt, std::optional<double>(400));
        QVERIFY(back.marks.sessions[0].endedByLogout);
        QCOMPARE(back.marks.roles.size(), 1);
        QCOMPARE(back.marks.roles.value("tok.en.B"), TokenRole::Refresh);
        QCOMPARE(back.marks.revoked.size(), 2);
        QCOMPARE(back.marks.revoked.value("tok.en.B"), QList<double>{150});
        QCOMPARE(back.marks.revoked.value("tok.en.C"), (QList<double>{200, 300}));

        // No "timeline" key (an older file): no marks, no notes.
        const auto none = inspect::timelineFromJson(QJsonValue(QJsonValue::Undefined), tokens);
        QVERIFY(none.marks.isEmpty());
        QVERIFY(none.notes.isEmpty());
    }

    // The view (leeway, visible range, "now") goes under "view", each part only when set; it alone makes the
    // marks worth writing.
    void timelineViewBothWays()
    {
        inspect::TimelineMarks marks;
        QVERIFY(marks.isEmpty());
        marks.view.leeway = 300;
        marks.view.range = std::pair{-120.5, 7200.25};
        marks.view.now = 1000000450;
        QVERIFY(!marks.isEmpty());
        const QByteArray json = "{\"sessions\":[],\"tokens\":[],\"view\":{\"end\":7200.25,\"leeway\":300,"
                                "\"now\":1000000450,\"start\":-120.5}}";
        QCOMPARE(QJsonDocument(inspect::timelineToJson(marks, {})).toJson(QJsonDocument::Compact), json);
        const auto back = inspect::timelineFromJson(QJsonDocument::fromJson(json).object(), {});
        QCOMPARE(back.notes, QStringList());
        QCOMPARE(back.marks.view.leeway, std::optional<double>(300));
        QCOMPARE(back.marks.view.range, (std::optional<std::pair<double, double>>(std::pair{-120.5, 7200.25})));
        QCOMPARE(back.marks.view.now, std::optional<double>(1000000450));

        // Only the leeway: the other parts stay unset (the pane keeps its defaults).
        marks.view = {};
        marks.view.leeway = 0;
        const QJsonObject leewayOnly = inspect::timelineToJson(marks, {});
        QCOMPARE(QJsonDocument(leewayOnly.value(QStringLiteral("view")).toObject()).toJson(QJsonDocument::Compact),
                 QByteArray("{\"leeway\":0}"));
        const auto partial = inspect::timelineFromJson(leewayOnly, {});
        QCOMPARE(partial.marks.view, marks.view);

        // A file from before the view was saved: nothing set, no note.
        const auto old = inspect::timelineFromJson(QJsonDocument::fromJson("{\"sessions\":[]}").object(), {});
        QVERIFY(old.marks.view.isEmpty());
        QCOMPARE(old.notes, QStringList());
    }

    // Bad view parts are each dropped with their own note; the good ones are still restored.
    void damagedTimelineView_data()
    {
        QTest::addColumn<QByteArray>("view");
        QTest::addColumn<bool>("leeway");
        QTest::addColumn<bool>("range");
        QTest::addColumn<bool>("now");
        QTest::addColumn<QStringList>("notes");
        const QString leewayNote =
            QStringLiteral("The timeline's leeway was not restored: it is not a number of seconds from 0 to 86400.");
        const QString rangeNote = QStringLiteral("The timeline's visible range was not restored: its start and end "
                                                 "are not two times (up to year 9999) with the start first.");
        const QString nowNote = QStringLiteral("The timeline's \"now\" was not restored: it is not a time (seconds "
                                               "since 1970, up to year 9999).");
        QTest::newRow("not an object") << QByteArray("[60]") << false << false << false
                                       << texts({"The timeline view was not restored: it is not a JSON object."});
        QTest::newRow("negative leeway") << QByteArray("{\"leeway\":-1,\"start\":1,\"end\":2,\"now\":3}") << false
                                         << true << true << QStringList{leewayNote};
        QTest::newRow("leeway over a day")
            << QByteArray("{\"leeway\":86401,\"now\":3}") << false << false << true << QStringList{leewayNote};
        QTest::newRow("leeway text") << QByteArray("{\"leeway\":\"60\"}") << false << false << false
                                     << QStringList{leewayNote};
        QTest::newRow("range backwards") << QByteArray("{\"leeway\":5,\"start\":10,\"end\":10}") << true << false
                                         << false << QStringList{rangeNote};
        QTest::newRow("range without end")
            << QByteArray("{\"start\":10,\"now\":4}") << false << false << true << QStringList{rangeNote};
        QTest::newRow("range past 9999") << QByteArray("{\"start\":0,\"end\":1e300}") << false << false << false
                                         << QStringList{rangeNote};
        QTest::newRow("now before 1970") << QByteArray("{\"start\":-5,\"end\":5,\"now\":-1}") << false << true << false
                                         << QStringList{nowNote};
        QTest::newRow("all bad") << QByteArray("{\"leeway\":null,\"end\":[],\"now\":{}}") << false << false << false
                                 << QStringList{leewayNote, rangeNote, nowNote};
    }

    void damagedTimelineView()
    {
        QFETCH(QByteArray, view);
        QFETCH(bool, leeway);
        QFETCH(bool, range);
        QFETCH(bool, now);
        QFETCH(QStringList, notes);
        const QJsonDocument doc = QJsonDocument::fromJson("{\"view\":" + view + "}");
        QVERIFY(doc.isObject());
        const auto loaded = inspect::timelineFromJson(doc.object(), {});
        QCOMPARE(loaded.notes, notes);
        QCOMPARE(loaded.marks.view.leeway.has_value(), leeway);
        QCOMPARE(loaded.marks.view.range.has_value(), range);
        QCOMPARE(loaded.marks.view.now.has_value(), now);
    }

    // Marks of tokens that left the workspace are counted: one per role override, one per revocation time.
    void marksLeftOutAreCounted()
    {
        inspect::TimelineMarks marks;
        marks.roles.insert("kept", TokenRole::Refresh);
        marks.roles.insert("gone.1", TokenRole::Id);
        marks.revoked.insert("kept", {5});
        marks.revoked.insert("gone.1", {1, 2});
        marks.revoked.insert("gone.2", {3});
        QCOMPARE(inspect::timelineMarksLeftOut(marks, {"kept", "other"}), 4);
        QCOMPARE(inspect::timelineMarksLeftOut(marks, {"kept", "gone.1", "gone.2"}), 0);
        QCOMPARE(inspect::timelineMarksLeftOut(marks, {}), 6);
    }

    void damagedTimelineEntries_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("sessions");
        QTest::addColumn<int>("tokenMarks");
        QTest::addColumn<QStringList>("notes");
        const QByteArray b = "\"O8Be4Awxe4O_ZbfGGrb9ilpFENbhm2N2P6Jw3Aullv4\"";
        QTest::newRow("not an object") << QByteArray("[1]") << 0 << 0
                                       << texts({"The timeline marks were skipped: they are not a JSON object."});
        QTest::newRow("sessions not a list") << QByteArray("{\"sessions\":{\"created\":1}}") << 0 << 0
                                             << texts({"The timeline sessions were skipped: they are not a list."});
        QTest::newRow("bad sessions")
            << QByteArray("{\"sessions\":[{\"created\":1},7,{\"label\":\"x\"},{\"created\":-1},{\"created\":1e300},"
                          "{\"created\":1,\"label\":5},{\"created\":1,\"sid\":[]},{\"created\":1,\"idle_timeout\":-5},"
                          "{\"created\":1,\"absolute_timeout\":\"8h\"},{\"created\":1,\"requests\":[1,\"x\"]},"
                          "{\"created\":1,\"ended_at\":2},{\"created\":1,\"ended_at\":\"2\",\"ended_by\":\"logout\"},"
                          "{\"created\":2,\"ended_at\":3,\"ended_by\":\"revocation\"}]}")
            << 2 << 0
            << texts(
                   {"Timeline session 2 was skipped: it is not a JSON object.",
                    "Timeline session 3 was skipped: its created time is missing or not a time (seconds since 1970, up "
                    "to year 9999).",
                    "Timeline session 4 was skipped: its created time is missing or not a time (seconds since 1970, up "
                    "to year 9999).",
                    "Timeline session 5 was skipped: its created time is missing or not a time (seconds since 1970, up "
                    "to year 9999).",
                    "Timeline session 6 was skipped: its label is not a string of at most 200 characters.",
                    "Timeline session 7 was skipped: its sid is not a string of at most 200 characters.",
                    "Timeline session 8 was skipped: its idle_timeout is not a number of seconds from 0 to 31622400.",
                    "Timeline session 9 was skipped: its absolute_timeout is not a number of seconds from 0 to "
                    "31622400.",
                    "Timeline session 10 was skipped: its requests are not a list of at most 1000 times.",
                    "Timeline session 11 was skipped: its ended_by is neither logout nor revocation.",
                    "Timeline session 12 was skipped: its ended_at is not a time."});
        QTest::newRow("bad token marks")
            << QByteArray("{\"tokens\":[\"x\",{\"sha256\":\"short\",\"role\":\"access\"},"
                          "{\"sha256\":\"ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0\",\"role\":\"access\"},"
                          "{\"sha256\":" +
                          b + ",\"role\":\"admin\"},{\"sha256\":" + b + ",\"revoked\":[1,-2]},{\"sha256\":" + b +
                          "},{\"sha256\":" + b + ",\"role\":\"id\"},{\"sha256\":" + b + ",\"revoked\":[9]}]}")
            << 0 << 1
            << texts({"Timeline token mark 1 was skipped: it is not a JSON object.",
                      "Timeline token mark 2 was skipped: its sha256 is not a base64url SHA-256 digest.",
                      "Timeline token mark 3 was skipped: its token is not in the workspace.",
                      "Timeline token mark 4 was skipped: its role is not one of access, refresh, id, unknown.",
                      "Timeline token mark 5 was skipped: its revoked times are not a list of at most 100 times.",
                      "Timeline token mark 6 was skipped: it holds neither a role nor a revocation.",
                      "Timeline token mark 8 was skipped: its token already has a mark."});
        // Counts past the bounds: the first ones are read, the rest named in one note.
        QByteArray many = "{\"sessions\":[";
        for (int i = 0; i < inspect::maxTimelineSessions + 3; ++i) {
            many += (i ? "," : "") + QByteArray("{\"created\":") + QByteArray::number(i) + "}";
        }
        many += "],\"tokens\":\"no\"}";
        QTest::newRow("too many sessions") << many << inspect::maxTimelineSessions << 0
                                           << texts({"The timeline's 3 sessions beyond the first 64 were skipped.",
                                                     "The timeline token marks were skipped: they are not a list."});
        QByteArray requests = "{\"sessions\":[{\"created\":1,\"requests\":[";
        for (int i = 0; i <= inspect::maxSessionRequests; ++i) {
            requests += (i ? "," : "") + QByteArray::number(i + 2);
        }
        requests += "]}]}";
        QTest::newRow("too many requests")
            << requests << 0 << 0
            << texts({"Timeline session 1 was skipped: its requests are not a list of at most 1000 times."});
    }

    void damagedTimelineEntries()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, sessions);
        QFETCH(int, tokenMarks);
        QFETCH(QStringList, notes);
        const QJsonDocument doc = QJsonDocument::fromJson(json);
        QVERIFY(!doc.isNull());
        const QJsonValue value = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
        const auto loaded = inspect::timelineFromJson(value, {"tok.en.A", "tok.en.B"});
        QCOMPARE(loaded.notes, notes);
        QCOMPARE(loaded.marks.sessions.size(), sessions);
        QCOMPARE(loaded.marks.roles.size() + loaded.marks.revoked.size(), tokenMarks);
    }
};

QTEST_GUILESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
