// Token roles, grants (refresh/access pairs, rotations) and session lifetimes for the Timeline pane.
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
};

QTEST_GUILESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
