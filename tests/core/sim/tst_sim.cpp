#include <algorithm>
#include <cmath>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "base/Limits.h"
#include "sim/Engine.h"
#include "sim/Histogram.h"
#include "sim/PeriodicQueue.h"
#include "sim/Report.h"
#include "sim/Rng.h"
#include "sim/Scenario.h"

using namespace tb::sim;

namespace {

// Runs a built-in scenario and returns the CLI's JSON document (timeline included).
QJsonObject runBuiltin(const QString& id, const QStringList& sets = {}, std::uint64_t seed = 1)
{
    auto bytes = builtinScenarioBytes(id);
    if (!bytes) {
        qWarning("%s", qPrintable(bytes.error().message));
        return {};
    }
    auto scenario = parseScenario(*bytes);
    if (!scenario) {
        qWarning("%s", qPrintable(scenario.error().message));
        return {};
    }
    RunOptions options;
    options.seed = seed;
    options.sets = sets;
    options.uniformSamples = 60;
    auto result = run(*scenario, options);
    if (!result) {
        qWarning("%s", qPrintable(result.error().message));
        return {};
    }
    return toJson(*result, true);
}

QJsonObject lane(const QJsonObject& doc, int index)
{
    return doc.value(QStringLiteral("lanes")).toArray().at(index).toObject();
}

double num(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toDouble();
}

double window(const QJsonObject& doc, int index)
{
    return num(lane(doc, index), "exposure_window_s");
}

double accepted(const QJsonObject& doc, int index)
{
    return num(lane(doc, index), "attacker_requests_accepted_after_revocation");
}

QString errorOf(const QByteArray& json)
{
    auto s = parseScenario(json);
    return s ? QString() : s.error().message;
}

QString runError(const QString& id, const QStringList& sets)
{
    auto scenario = parseScenario(*builtinScenarioBytes(id));
    RunOptions options;
    options.sets = sets;
    auto result = run(*scenario, options);
    return result ? QString() : result.error().message;
}

} // namespace

class TestSim : public QObject
{
    Q_OBJECT

private slots:
    // ---------------------------------------------------------------- building blocks

    void progressIsReportedInOrder()
    {
        // 20,000 users over S1's 30 minutes make a few million events: the engine reports every ~1M.
        auto scenario = parseScenario(*builtinScenarioBytes(QStringLiteral("S1")));
        QVERIFY(scenario.has_value());
        RunOptions options;
        options.sets = {QStringLiteral("users=20000")};
        QList<double> seen;
        options.progress = [&seen](double done) { seen << done; };
        QVERIFY(run(*scenario, options).has_value());
        QVERIFY(!seen.isEmpty());
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QVERIFY(seen.first() >= 0.0 && seen.last() <= 1.0);
    }

    void rngIsDeterministicAndBounded()
    {
        Rng a(42);
        Rng b(42);
        Rng c(43);
        bool differs = false;
        for (int i = 0; i < 1000; ++i) {
            const auto x = a.next();
            QCOMPARE(x, b.next());
            differs = differs || x != c.next();
            QVERIFY(a.below(7) < 7);
            b.below(7);
        }
        QVERIFY(differs);
    }

    void histogramQuantilesWithinOnePercent()
    {
        Histogram h;
        for (std::uint64_t v = 1; v <= 100000; ++v) {
            h.add(v * 1000); // 1 µs .. 100 ms in ns
        }
        QCOMPARE(h.count(), std::uint64_t(100000));
        QVERIFY(std::abs(h.quantileNs(0.5) - 50000e3) / 50000e3 < 0.01);
        QVERIFY(std::abs(h.quantileNs(0.99) - 99000e3) / 99000e3 < 0.01);
        QCOMPARE(h.meanNs(), 50000.5e3);
        QCOMPARE(Histogram().quantileNs(0.5), 0.0);
    }

    void periodicQueuePopsInTimeOrder()
    {
        PeriodicQueue queue({3, 5, 9}, 10);
        const std::int64_t expected[] = {3, 5, 9, 13, 15, 19, 23};
        const std::uint32_t sources[] = {0, 1, 2, 0, 1, 2, 0};
        for (int i = 0; i < 7; ++i) {
            QCOMPARE(queue.topTime(), expected[i]);
            std::int64_t t = 0;
            QCOMPARE(queue.pop(t), sources[i]);
            QCOMPARE(t, expected[i]);
        }
        QCOMPARE(queue.size(), std::size_t(3)); // one slot per source, however many events
    }

    void builtinsAreAllThereWithTeachingText()
    {
        const auto list = builtinScenarios();
        QCOMPARE(int(list.size()), 18);
        for (int i = 0; i < 18; ++i) {
            QCOMPARE(list[std::size_t(i)].id, QStringLiteral("S%1").arg(i + 1));
            QVERIFY(!list[std::size_t(i)].teaches.isEmpty());
            QVERIFY(parseScenario(*builtinScenarioBytes(list[std::size_t(i)].id)).has_value());
        }
        QCOMPARE(list[0].title, QStringLiteral("02:00 compromise"));
        QVERIFY(!builtinScenarioBytes(QStringLiteral("S19")).has_value());
        QVERIFY(!builtinScenarioBytes(QStringLiteral("../S1")).has_value());
    }

    // ---------------------------------------------------------------- S1, the headline case

    void s1HeadlineDefaults()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S1"));
        // Token issued 02:00:00, lifetime 900 s, stolen 02:00:00, revoked 02:00:00 + detection 0 s.
        QCOMPARE(window(doc, 0), 0.0);   // A: revoke 02:00:00 + replication 0 − known 02:00:00
        QCOMPARE(window(doc, 1), 900.0); // B: exp 02:15:00 + leeway 0 + skew 0 − known 02:00:00
        QCOMPARE(window(doc, 2), 5.0);   // C: min(02:00:00 + propagation 5 s, 02:15:00) − 02:00:00
        QCOMPARE(window(doc, 3), 900.0); // D: attacker's access token exp 02:15:00 − 02:00:00
        QCOMPARE(window(doc, 4), 5.0);   // E: victim's login request cached 02:00:00 + TTL 5 s − 02:00:00
        QCOMPARE(window(doc, 5), 0.0);   // F: BFF session deleted at 02:00:00
        // One attacker request a second from 02:00:00: accepted ones are those in [known, end).
        QCOMPARE(accepted(doc, 0), 0.0);
        QCOMPARE(accepted(doc, 1), 900.0); // 02:00:00 .. 02:14:59
        QCOMPARE(accepted(doc, 2), 5.0);   // 02:00:00 .. 02:00:04
        QCOMPARE(accepted(doc, 3), 900.0);
        QCOMPARE(accepted(doc, 4), 5.0);
        QCOMPARE(accepted(doc, 5), 0.0);
        QCOMPARE(doc.value(QStringLiteral("scenario")).toString(), QStringLiteral("S1"));
        const QJsonObject a = lane(doc, 0);
        QCOMPARE(a.value(QStringLiteral("id")).toString(), QStringLiteral("A"));
        QCOMPARE(a.value(QStringLiteral("exposure_end_reason")).toString(),
                 QStringLiteral("session deleted from the store"));
        QCOMPARE(lane(doc, 1).value(QStringLiteral("exposure_end_reason")).toString(),
                 QStringLiteral("token expired (exp + leeway)"));
        QCOMPARE(lane(doc, 2).value(QStringLiteral("exposure_end_reason")).toString(),
                 QStringLiteral("denylist entry reached the verifiers"));
    }

    void s1StoreOpsAndBytes()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S1"));
        // A over 02:00-02:30 (1 800 s), 1 000 users at one request / 10 s:
        // background 1000 × 180 = 180 000 lookups; victim: login write 1 + login request 1 + 179 periodic
        // requests (02:00:10 .. 02:29:50); revoke delete 1; forced re-login write 1 (at 02:00:10);
        // attacker 1 800 lookups (02:00:00 .. 02:29:59). 180000 + 1 + 1 + 179 + 1 + 1 + 1800 = 181 983.
        QCOMPARE(num(lane(doc, 0), "store_ops"), 181983.0);
        QCOMPARE(num(lane(doc, 0), "store_ops_per_s"), std::round(181983.0 / 1800 * 1e6) / 1e6);
        // C: 180 000 background denylist checks + 180 victim + 1 denylist write + 1 800 attacker = 181 981.
        QCOMPARE(num(lane(doc, 2), "store_ops"), 181981.0);
        QCOMPARE(num(lane(doc, 1), "store_ops"), 0.0); // B never touches a store
        // D: 1 000 users × (1 800 / 900) refreshes = 2 000, two ops each = 4 000; + family write at login
        // + family revoke + the victim's failed refresh read at 02:15:00 + new family at its re-login = 4 004.
        QCOMPARE(num(lane(doc, 3), "refreshes"), 2000.0);
        QCOMPARE(num(lane(doc, 3), "store_ops"), 4004.0);
        // Bytes: cookie line 41 B; "Authorization: Bearer " (22) + 805-B RS256 token = 827; opaque 22 + 43 = 65.
        QCOMPARE(num(lane(doc, 0), "bytes_per_request"), 41.0);
        QCOMPARE(num(lane(doc, 1), "bytes_per_request"), 827.0);
        QCOMPARE(num(lane(doc, 4), "bytes_per_request"), 65.0);
        QCOMPARE(num(lane(doc, 1), "requests"), 180180.0); // 180 000 background + 180 victim
        QCOMPARE(num(lane(doc, 0), "forced_relogins"), 1.0);
        QCOMPARE(num(lane(doc, 1), "forced_relogins"), 0.0); // B: the victim never notices anything
    }

    void s1MeanOverUniformCompromiseTime()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S1"));
        // Compromise (theft and revocation) at 02:00 + (k + ½)·15 s, k = 0..59, over the 900 s token.
        QCOMPARE(num(lane(doc, 0), "mean_exposure_uniform_s"), 0.0);   // A: always 0
        QCOMPARE(num(lane(doc, 1), "mean_exposure_uniform_s"), 450.0); // B: mean of 900 − u = 900 − 450
        QCOMPARE(num(lane(doc, 2), "mean_exposure_uniform_s"), 5.0);   // C: 900 − u ≥ 7.5 > 5 always
        QCOMPARE(num(lane(doc, 3), "mean_exposure_uniform_s"), 450.0); // D: like B
        const QJsonObject late = runBuiltin(QStringLiteral("S1"), {QStringLiteral("detection_delay_s=300")});
        // B: mean of max(0, 900 − u − 300) over u = 7.5, 22.5, …: the 40 values below 600 average 300.
        QCOMPARE(num(lane(late, 1), "mean_exposure_uniform_s"), 200.0); // 40 × 300 / 60
    }

    void s1DetectionDelayMovesTheWindows()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S1"), {QStringLiteral("detection_delay_s=300")});
        QCOMPARE(window(doc, 0), 0.0);   // A: revoked at 02:05:00, dead at once
        QCOMPARE(window(doc, 1), 600.0); // B: 02:15:00 − 02:05:00
        QCOMPARE(window(doc, 2), 5.0);   // C: 02:05:05 − 02:05:00
        QCOMPARE(window(doc, 3), 600.0); // D: 02:15:00 − 02:05:00
        // E: attacker requests refresh the cache every 5 s (02:00:00, :05, …, 02:04:55 → valid until
        // 02:05:00); at the revocation (02:05:00) that entry has just expired: 0 s.
        QCOMPARE(window(doc, 4), 0.0);
        QCOMPARE(accepted(doc, 1), 600.0);
        // Time from the theft, not from detection: A 300, B 900, C 305.
        QCOMPARE(num(lane(doc, 0), "exposure_from_theft_s"), 300.0);
        QCOMPARE(num(lane(doc, 1), "exposure_from_theft_s"), 900.0);
        QCOMPARE(num(lane(doc, 2), "exposure_from_theft_s"), 305.0);
        QCOMPARE(lane(doc, 1).value(QStringLiteral("known_at")).toString(), QStringLiteral("02:05:00"));

        const QJsonObject late = runBuiltin(QStringLiteral("S1"), {QStringLiteral("detection_delay_s=1000")});
        QCOMPARE(window(late, 1), 0.0); // known 02:16:40, after exp 02:15:00
        QCOMPARE(accepted(late, 1), 0.0);
    }

    void s1OtherParametersFollowTheFormulas()
    {
        QCOMPARE(window(runBuiltin(QStringLiteral("S1"), {QStringLiteral("denylist_propagation_s=30")}), 2), 30.0);
        QCOMPARE(window(runBuiltin(QStringLiteral("S1"), {QStringLiteral("access_token_lifetime_s=300")}), 1), 300.0);
        QCOMPARE(window(runBuiltin(QStringLiteral("S1"), {QStringLiteral("leeway_s=60")}), 1), 960.0); // 900 + 60
        const QJsonObject repl = runBuiltin(QStringLiteral("S1"), {QStringLiteral("store_replication_s=2")});
        QCOMPARE(window(repl, 0), 2.0);
        QCOMPARE(window(repl, 5), 2.0);
        QCOMPARE(window(runBuiltin(QStringLiteral("S1"), {QStringLiteral("introspection_cache_ttl_s=60")}), 4), 60.0);
        // Presets: Keycloak 300 s access tokens; Auth0 24 h (runs past the window: open-ended 1 800 s).
        QCOMPARE(window(runBuiltin(QStringLiteral("S1"), {QStringLiteral("preset=keycloak")}), 1), 300.0);
        const QJsonObject auth0 = runBuiltin(QStringLiteral("S1"), {QStringLiteral("preset=auth0")});
        QCOMPARE(window(auth0, 1), 1800.0);
        QVERIFY(lane(auth0, 1).value(QStringLiteral("exposure_open_ended")).toBool());
        // Entra with CAE: 24 h token, but the revocation is enforced after 900 s.
        QCOMPARE(window(runBuiltin(QStringLiteral("S1"), {QStringLiteral("preset=entra_cae")}), 1), 900.0);
    }

    // ---------------------------------------------------------------- S2 .. S18

    void s2Logout()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S2"));
        QCOMPARE(window(doc, 0), 0.0);   // A: session deleted at the 02:10:00 logout
        QCOMPARE(window(doc, 1), 300.0); // B: 02:15:00 − 02:10:00
        QCOMPARE(window(doc, 2), 5.0);   // C: 02:10:05 − 02:10:00
        QCOMPARE(window(doc, 3), 300.0); // D: the access token outlives the revoked refresh token
        QCOMPARE(window(doc, 4), 0.0);   // E: cache entry fetched 02:09:55 expires 02:10:00
        QCOMPARE(window(doc, 5), 0.0);
        QCOMPARE(window(doc, 6), 5.0); // C with a per-user not-before: same 5 s
        QCOMPARE(accepted(doc, 1), 300.0);
        // 1 000 background users log out once an hour: 1000/3600 revocations/s × mean remaining lifetime
        // 450 s = 125 live denylist entries by Little's law; the run measures about that after 02:15 (seeds
        // 1-6 gave 126-166: logouts reset a token's age, so the mean remaining lifetime is a little over L/2).
        const QJsonObject c = lane(doc, 2);
        QCOMPARE(num(c, "denylist_size_littles_law"), 125.0);
        QVERIFY2(num(c, "denylist_size_end") > 90 && num(c, "denylist_size_end") < 190,
                 qPrintable(QString::number(num(c, "denylist_size_end"))));
        QVERIFY(num(c, "background_logouts") > 350 && num(c, "background_logouts") < 650); // ≈ 1000 × 0.5 h
    }

    void s3PasswordChange()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S3"));
        QCOMPARE(window(doc, 0), 0.0);
        QCOMPARE(window(doc, 1), 300.0); // B: nothing dies before exp (02:15:00 − 02:10:00)
        QCOMPARE(window(doc, 2), 5.0);
        QCOMPARE(window(doc, 6), 900.0); // B + Entra CAE: 02:10:00 + 900 s; the token itself lives 24 h
        QCOMPARE(num(lane(doc, 0), "forced_relogins"), 3.0); // devices = 3
        QCOMPARE(num(lane(doc, 1), "forced_relogins"), 0.0);
        QCOMPARE(num(lane(doc, 2), "denylist_peak"), 3.0); // one jti per device
        QCOMPARE(num(lane(doc, 3), "forced_relogins"), 3.0);
        QCOMPARE(num(lane(doc, 6), "forced_relogins"), 3.0);
    }

    void s4StolenRefreshToken()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S4"));
        const QJsonObject d = lane(doc, 0);
        // Attacker refreshes at 02:01:00 (theft): AT until 02:06:00, refresh token rotated to generation 2.
        // Victim refreshes at 02:05:00 with generation 1: reuse detected, family revoked, known 02:05:00.
        QCOMPARE(num(d, "exposure_window_s"), 60.0); // 02:06:00 − 02:05:00
        QCOMPARE(num(d, "attacker_requests_accepted_after_revocation"), 60.0);
        QCOMPARE(num(d, "reuse_detections"), 1.0);
        QCOMPARE(num(d, "forced_relogins"), 1.0);
        QCOMPARE(d.value(QStringLiteral("known_at")).toString(), QStringLiteral("02:05:00"));
        // Rotation off: the attacker refreshes for ever, never detected: 02:01:00 → 02:30:00 = 1 740 s.
        const QJsonObject off = lane(doc, 1);
        QCOMPARE(num(off, "exposure_window_s"), 1740.0);
        QVERIFY(off.value(QStringLiteral("exposure_open_ended")).toBool());
        QVERIFY(!off.value(QStringLiteral("compromise_known")).toBool());
        QCOMPARE(num(off, "attacker_requests_accepted_after_revocation"), 1740.0);
    }

    void s5RefreshRace()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S5"));
        // 02:05:00 two tabs refresh 50 ms apart with generation 1. Grace 0: the second tab trips reuse
        // detection, the family is revoked and the user is logged out by their own tabs.
        QCOMPARE(num(lane(doc, 0), "forced_relogins"), 1.0);
        QCOMPARE(num(lane(doc, 0), "reuse_detections"), 1.0);
        QCOMPARE(window(doc, 0), 0.0); // the attacker's stolen token died with that family
        // Grace 10 s / 60 s: the second tab is inside the grace. The victim rotates again at 02:10:00
        // (generation 3); the attacker replays generation 1 at 02:10:05: not the previous generation,
        // so it is detected (one re-login for the victim) and the attacker gets nothing.
        for (int i : {1, 2}) {
            QCOMPARE(num(lane(doc, i), "reuse_detections"), 1.0);
            QCOMPARE(num(lane(doc, i), "forced_relogins"), 1.0);
            QCOMPARE(window(doc, i), 0.0);
            QCOMPARE(lane(doc, i).value(QStringLiteral("known_at")).toString(), QStringLiteral("02:10:05"));
        }
        QCOMPARE(num(lane(doc, 1), "refresh_replay_window_s"), 10.0);
        QCOMPARE(num(lane(doc, 2), "refresh_replay_window_s"), 60.0);
        // Multi-generation bug (django-oauth-toolkit #1617): the replay is accepted within 60 s of the
        // 02:10:00 rotation; the attacker then refreshes 5 s after each of the victim's rotations, always
        // inside the grace, and is never detected: 02:10:05 → 02:30:00 = 1 195 s.
        QCOMPARE(num(lane(doc, 3), "reuse_detections"), 0.0);
        QCOMPARE(num(lane(doc, 3), "forced_relogins"), 0.0);
        QCOMPARE(window(doc, 3), 1195.0);
        QCOMPARE(accepted(doc, 3), 1195.0);
        QVERIFY(lane(doc, 3).value(QStringLiteral("exposure_open_ended")).toBool());
    }

    void s6StoreOutage()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S6"));
        // 02:00-02:05 = 300 s; 1 000 users × 30 requests + 30 victim requests = 30 030; the outage
        // 02:01:00-02:02:00 holds 6 of each user's 30: 6 000 + 6 = 6 006 rejected → 24 024 / 30 030 = 0.8.
        QCOMPARE(num(lane(doc, 0), "requests"), 30030.0);
        // + 1: the victim's 02:00:10 request with the revoked session fails before it logs in again.
        QCOMPARE(num(lane(doc, 0), "requests_rejected"), 6007.0);
        QCOMPARE(num(lane(doc, 0), "availability"), std::round(24023.0 / 30030 * 1e6) / 1e6);
        QCOMPARE(num(lane(doc, 7), "requests_rejected"), 6007.0); // F: same as A
        QCOMPARE(num(lane(doc, 1), "availability"), 1.0);         // B unaffected
        // C fail-open: only the victim's denylisted 02:00:10 request fails.
        QCOMPARE(num(lane(doc, 3), "availability"), std::round((1.0 - 1.0 / 30030) * 1e6) / 1e6);
        QCOMPARE(num(lane(doc, 2), "requests_rejected"), 6007.0); // C fail-closed: outage + that request
        QCOMPARE(window(doc, 2), 5.0);                            // C fail-closed: propagation only
        QCOMPARE(window(doc, 3), 65.0); // C fail-open: 5 s + the 60 s outage accepts the revoked token
        QCOMPARE(accepted(doc, 3), 65.0);
        QCOMPARE(window(doc, 5), 5.0);   // E fail-closed: cache TTL
        QCOMPARE(window(doc, 6), 65.0);  // E fail-open: 5 + 60
        QCOMPARE(window(doc, 1), 300.0); // B: whole window (exp 02:15 lies past 02:05)
        QVERIFY(lane(doc, 1).value(QStringLiteral("exposure_open_ended")).toBool());
        QVERIFY(num(lane(doc, 4), "availability") < 1.0); // D: refreshes fail during the outage
    }

    void s7KeyRotation()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S7"));
        QCOMPARE(num(lane(doc, 1), "key_rejections"), 0.0); // next key pre-published
        QVERIFY(num(lane(doc, 2), "key_rejections") > 0);   // new tokens refused until the cache expires
        QCOMPARE(num(lane(doc, 3), "key_rejections"), 0.0); // refetch on unknown kid ...
        QCOMPARE(num(lane(doc, 3), "jwks_fetches"), 4.0);   // ... once per app server (4)
        const QJsonObject emergency = runBuiltin(QStringLiteral("S7"), {QStringLiteral("emergency_rotation=true")});
        QCOMPARE(num(lane(emergency, 0), "forced_relogins"), 1000.0); // every session cookie invalid at once
        const double b = num(lane(emergency, 1), "forced_relogins");
        QVERIFY(b > 900 && b <= 1000); // all but the users whose token was due for renewal anyway
        QVERIFY(num(lane(emergency, 4), "refreshes") > num(lane(doc, 4), "refreshes")); // refresh storm
    }

    void s8TokenBloat()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S8"));
        // Entra-style 1 362 B + 200 groups × 52 B = 11 762 B; + "Authorization: Bearer " = 11 784 > 8 192.
        QCOMPARE(num(lane(doc, 1), "bytes_per_request"), 11784.0);
        QCOMPARE(num(lane(doc, 1), "limit_hits"), 60060.0); // every request (1000 × 60 + 60 victim)
        QCOMPARE(num(lane(doc, 1), "availability"), 0.0);
        QCOMPARE(num(lane(doc, 2), "bytes_per_request"), 11773.0); // "Cookie: at=" + token; > 4 096: dropped
        QCOMPARE(num(lane(doc, 2), "limit_hits"), 60060.0);
        QCOMPARE(num(lane(doc, 3), "bytes_per_request"), 3984.0); // 22 + 1362 + 50 × 52
        QCOMPARE(num(lane(doc, 3), "limit_hits"), 0.0);
        QCOMPARE(num(lane(doc, 4), "bytes_per_request"), 1534.0); // 22 + 1362 + 150 (overage claim)
        QCOMPARE(num(lane(doc, 5), "bytes_per_request"), 1.0);    // HTTP/2: entry 13+7+3962+32 ≤ 4 096 → indexed
        QCOMPARE(num(lane(doc, 5), "bytes_first_request"), 3984.0);
        QCOMPARE(num(lane(doc, 0), "bytes_per_request"), 41.0);
    }

    void s9Fixation()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S9"));
        QVERIFY(lane(doc, 0).value(QStringLiteral("exposure_applies")).toBool());
        QCOMPARE(window(doc, 0), 1740.0); // login 02:01:00 → end 02:30:00, never detected
        QVERIFY(!lane(doc, 1).value(QStringLiteral("exposure_applies")).toBool()); // strict store
        QVERIFY(!lane(doc, 2).value(QStringLiteral("exposure_applies")).toBool()); // rotation on login
        QCOMPARE(window(doc, 1), 0.0);
    }

    void s10PredictableIds()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S10"));
        const QJsonObject counter = lane(doc, 0);
        QCOMPARE(num(counter, "guesses_worst_case"), 150.0);
        QCOMPARE(num(counter, "time_to_hijack_worst_s"), 1.5); // 150 guesses / 100 per s
        const double g = num(counter, "guesses_needed");
        QVERIFY(g >= 1 && g <= 150);
        // Hijacked at 02:01:00 + g / 100 s, never detected: exposure = 02:10:00 − that.
        QCOMPARE(num(counter, "exposure_window_s"), std::round((540.0 - g / 100.0) * 1e6) / 1e6);
        // 128 random bits: 2^127 / 1 001 live sessions / 100 guesses/s / 31 557 600 s/year.
        QCOMPARE(num(lane(doc, 1), "expected_years_to_hijack"), std::ldexp(1.0, 127) / 1001 / 100 / 31557600.0);
        QVERIFY(!lane(doc, 1).value(QStringLiteral("exposure_applies")).toBool());
    }

    void s11IdleVersusAbsolute()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S11"));
        QCOMPARE(window(doc, 0), 28800.0); // absolute 8 h: 02:00 → 10:00; pings every 300 s keep idle alive
        QCOMPARE(accepted(doc, 0), 96.0);  // 28 800 / 300 pings: 02:00:00, 02:05:00, …, 09:55:00
        QCOMPARE(lane(doc, 0).value(QStringLiteral("exposure_end_reason")).toString(),
                 QStringLiteral("session absolute timeout"));
        QCOMPARE(window(doc, 1), 30600.0); // no absolute timeout: 02:00 → 10:30 (end), open-ended
        QCOMPARE(accepted(doc, 1), 102.0);
        QCOMPARE(window(doc, 2), 28800.0); // BFF session: same rules
        const QJsonObject slow = runBuiltin(QStringLiteral("S11"), {QStringLiteral("attacker_interval_s=1200")});
        QCOMPARE(window(slow, 0), 900.0); // pings every 20 min: the 15 min idle timeout fires at 02:15
    }

    void s12RenewalRace()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S12"));
        // Renewal due 02:15:05: the attacker's 02:15:05 request comes before the victim's 02:15:10.
        QCOMPARE(window(doc, 0), 1800.0);                             // the attacker keeps the session to the end
        QCOMPARE(num(lane(doc, 0), "forced_relogins"), 1.0);          // victim's old id dies at 02:15:35
        QCOMPARE(num(lane(doc, 0), "victim_requests_rejected"), 1.0); // its 02:15:40 request
        // Renewal due 02:15:00: the victim's request at 02:15:00 wins; the attacker's id dies 30 s later.
        QCOMPARE(window(doc, 1), 930.0); // 02:00:00 → 02:15:30
        QCOMPARE(num(lane(doc, 1), "forced_relogins"), 0.0);
    }

    void s13ClockSkewAndLeeway()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S13"));
        // Issuer 90 s ahead: accepted from 02:00:00 + 90 − leeway, until 02:00:00 + 90 + 900 + leeway.
        QCOMPARE(window(doc, 0), 900.0);  // leeway 0: 02:01:30 → 02:16:30
        QCOMPARE(window(doc, 1), 1020.0); // leeway 60: 02:00:30 → 02:17:30
        QCOMPARE(window(doc, 2), 1290.0); // leeway 300: (02:00:00) → 02:21:30
        // Each fresh victim token is "not yet valid" for 90 − leeway s; the victim asks every 10 s.
        // leeway 0: token 1 [02:01:30, 02:16:30) rejects 02:00:00..02:01:20 (9); its renewal at 02:16:30 is
        // valid from 02:18:00 and rejects 02:16:30..02:17:50 (9): 18.
        QCOMPARE(num(lane(doc, 0), "victim_requests_rejected"), 18.0);
        // leeway 60: [02:00:30, 02:17:30) rejects 02:00:00..02:00:20 (3); renewal at 02:17:30 valid from
        // 02:18:00 rejects 02:17:30..02:17:50 (3): 6.
        QCOMPARE(num(lane(doc, 1), "victim_requests_rejected"), 6.0);
        QCOMPARE(num(lane(doc, 2), "victim_requests_rejected"), 0.0);
    }

    void s14IntrospectionCache()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S14"));
        // Revoked at 02:00:31. TTL 0: no cache. TTL 5: entry fetched 02:00:30 lives to 02:00:35 → 4 s.
        // TTL 60: entry fetched at login 02:00:00 lives to 02:01:00 → 29 s.
        QCOMPARE(window(doc, 0), 0.0);
        QCOMPARE(window(doc, 1), 4.0);
        QCOMPARE(window(doc, 2), 29.0);
        QCOMPARE(accepted(doc, 2), 29.0);
        // AS load: TTL 60 s with a request every 10 s → one miss per 60 s per user: 1 000 / 60 = 16.7/s
        // (+ the victim's and the attacker's introspections); TTL 0 and 5 s miss every time (≥ 100/s).
        QVERIFY(num(lane(doc, 2), "store_ops_per_s") > 1000.0 / 60 &&
                num(lane(doc, 2), "store_ops_per_s") < 1000.0 / 60 + 1);
        QVERIFY(num(lane(doc, 0), "store_ops_per_s") >= 100.0);
    }

    void s15ScaleOut()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S15"));
        // 10 000 users × 6 req/min = 1 000 req/s over 600 s.
        QCOMPARE(num(lane(doc, 0), "store_ops_per_s"), 1000.0); // A: one lookup per request
        QCOMPARE(num(lane(doc, 1), "store_ops_per_s"), 0.0);    // B: none
        QCOMPARE(num(lane(doc, 2), "store_ops_per_s"), 1000.0); // C: one denylist check per request
        QCOMPARE(num(lane(doc, 3), "refresh_per_s"), std::round(10000.0 / 300 * 1e6) / 1e6);   // users / AT lifetime
        QCOMPARE(num(lane(doc, 3), "refreshes"), 20000.0);                                     // 10 000 × 600 / 300
        QCOMPARE(num(lane(doc, 3), "store_ops_per_s"), std::round(40000.0 / 600 * 1e6) / 1e6); // 2 ops each
        QCOMPARE(num(lane(doc, 4), "store_ops_per_s"), 1000.0); // E: TTL 5 s < 10 s interval: every request misses
        QCOMPARE(num(lane(doc, 5), "store_ops_per_s"), 1000.0); // F: BFF session lookup
        QCOMPARE(num(lane(doc, 5), "token_mints"), 20000.0);    // BFF API token every 300 s
        QCOMPARE(num(lane(doc, 1), "verify_ops"), 600000.0);
    }

    void s16StaleClaims()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S16"));
        QCOMPARE(window(doc, 0), 0.0);   // A: roles read from the session: effective at once
        QCOMPARE(window(doc, 1), 480.0); // B: 02:15:00 − 02:07:00
        QCOMPARE(window(doc, 2), 480.0); // C: a role change puts nothing on the denylist
        QCOMPARE(window(doc, 3), 480.0); // D
        QCOMPARE(window(doc, 4), 0.0);   // E: entry fetched 02:06:55 expired at 02:07:00
        QCOMPARE(window(doc, 5), 180.0); // F: BFF's API token minted 02:05:00, expires 02:10:00
    }

    void s17Malleability()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S17"));
        QCOMPARE(window(doc, 0), 900.0); // hash key: the re-encoded copy has another hash → until exp
        QCOMPARE(window(doc, 1), 5.0);   // jti key holds: propagation only
        QCOMPARE(window(doc, 2), 900.0);
        QCOMPARE(num(lane(doc, 0), "bytes_per_request"), 571.0); // ES256: 22 + 805 − 342 + 86
    }

    void s18Bff()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S18"));
        QCOMPARE(window(doc, 0), 0.0);   // A: logout at 02:02:00 kills the session
        QCOMPARE(window(doc, 1), 780.0); // B: 02:15:00 − 02:02:00
        QCOMPARE(window(doc, 2), 780.0); // D
        QCOMPARE(window(doc, 3), 180.0); // F: cookie dead at 02:02:00; stolen API token expires 02:05:00
        QVERIFY(window(doc, 3) <= 300.0);
    }

    // ---------------------------------------------------------------- determinism

    void sameSeedSameBytes()
    {
        const QByteArray a = QJsonDocument(runBuiltin(QStringLiteral("S1"), {}, 7)).toJson(QJsonDocument::Compact);
        const QByteArray b = QJsonDocument(runBuiltin(QStringLiteral("S1"), {}, 7)).toJson(QJsonDocument::Compact);
        QCOMPARE(a, b);
        QVERIFY(a.size() > 1000);
    }

    void otherSeedChangesSamplesNotWindows()
    {
        const QJsonObject a = runBuiltin(QStringLiteral("S1"), {}, 7);
        const QJsonObject b = runBuiltin(QStringLiteral("S1"), {}, 8);
        auto mean = [](const QJsonObject& doc, int i) {
            return lane(doc, i)
                .value(QStringLiteral("auth_latency_ms"))
                .toObject()
                .value(QStringLiteral("mean"))
                .toDouble();
        };
        QVERIFY(mean(a, 0) != mean(b, 0));
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(window(a, i), window(b, i));
            QCOMPARE(accepted(a, i), accepted(b, i));
        }
        QCOMPARE(num(lane(a, 0), "store_ops"), num(lane(b, 0), "store_ops"));
        // Latency is plausible: A's median near the 0.2 ms store RTT, B's near RS256's 20 µs.
        const double p50 =
            lane(a, 0).value(QStringLiteral("auth_latency_ms")).toObject().value(QStringLiteral("p50")).toDouble();
        QVERIFY(p50 > 0.19 && p50 < 0.21);
    }

    void timelineDataForTheGui()
    {
        const QJsonObject doc = runBuiltin(QStringLiteral("S1"));
        const QJsonObject t = lane(doc, 1).value(QStringLiteral("timeline")).toObject();
        bool exposure = false;
        for (const QJsonValue& v : t.value(QStringLiteral("intervals")).toArray()) {
            const QJsonObject i = v.toObject();
            if (i.value(QStringLiteral("kind")).toString() == QStringLiteral("exposure")) {
                exposure = true;
                QCOMPARE(i.value(QStringLiteral("start")).toString(), QStringLiteral("02:00:00"));
                QCOMPARE(i.value(QStringLiteral("end")).toString(), QStringLiteral("02:15:00"));
            }
        }
        QVERIFY(exposure);
        QVERIFY(t.value(QStringLiteral("sequence")).toArray().size() >= 3);
        QVERIFY(t.value(QStringLiteral("markers")).toArray().size() >= 3);
        const QJsonObject c = lane(doc, 2).value(QStringLiteral("timeline")).toObject();
        QVERIFY(c.value(QStringLiteral("series")).toObject().contains(QStringLiteral("denylist_size")));
    }

    void denylistSizeOverTimeHandComputed()
    {
        // Lane C alone, no background users, 02:00-03:40: one sample a minute (window / 100 = 60 s) at 02:01,
        // 02:02, ... 03:39 (99 samples). The victim's request every 10 s; access tokens live 900 s.
        // - 02:00:00 login: jti 1 (valid to 02:15:00), stolen at once.
        // - 02:05:30 revoke: entry for jti 1 until 02:15:00 (visible 02:05:35). The victim's 02:05:40 request is
        //   refused and logs in again: jti 2, valid to 02:20:40.
        // - 02:10:30 revoke: jti 1 again (until 02:15:00) and the victim's jti 2 (until 02:20:40).
        // A sample counts the entries whose token has not expired (expiry > sample time):
        // 02:01-02:05: 0 · 02:06-02:10: 1 · 02:11-02:14: 3 · 02:15-02:20: 1 (jti 2 only) · 02:21-03:39: 0.
        const QByteArray json = R"({"id":"X","title":"t","teaches":"t","lanes":["C"],
            "parameters":{"start":"02:00","end":"03:40","users":0},
            "events":[{"type":"login","at":"02:00"},{"type":"theft","at":"02:00","steals":"access"},
                      {"type":"revoke","at":"02:05:30"},{"type":"revoke","at":"02:10:30"}]})";
        auto scenario = parseScenario(json);
        QVERIFY2(scenario.has_value(), qPrintable(scenario ? QString() : scenario.error().message));
        const auto result = run(*scenario, RunOptions{});
        QVERIFY(result.has_value());
        const LaneResult& c = result->lanes.at(0);
        const auto series = [&c](const QString& name) -> const MetricSeries* {
            for (const MetricSeries& s : c.timeline.series) {
                if (s.name == name) {
                    return &s;
                }
            }
            return nullptr;
        };
        const MetricSeries* deny = series(QStringLiteral("denylist_size"));
        QVERIFY(deny);
        QCOMPARE(deny->unit, QStringLiteral("entries"));
        QCOMPARE(deny->points.size(), std::size_t(99));
        std::vector<double> expected;
        expected.insert(expected.end(), 5, 0);
        expected.insert(expected.end(), 5, 1);
        expected.insert(expected.end(), 4, 3);
        expected.insert(expected.end(), 6, 1);
        expected.insert(expected.end(), 79, 0);
        for (std::size_t i = 0; i < deny->points.size(); ++i) {
            QCOMPARE(deny->points[i].atUs, std::int64_t(7200 + 60 * (i + 1)) * 1000000);
            QCOMPARE(deny->points[i].value, expected[i]);
        }
        QCOMPARE(c.denylistPeak, std::uint64_t(3));

        // The victim's two refused requests (02:05:40, 02:10:40), one per minute-sample, as a rate.
        const MetricSeries* rejected = series(QStringLiteral("rejected_per_s"));
        QVERIFY(rejected);
        for (std::size_t i = 0; i < rejected->points.size(); ++i) {
            QCOMPARE(rejected->points[i].value, (i == 5 || i == 10) ? 1.0 / 60 : 0.0);
        }
        // The stolen jti 1 works until the first entry is visible (02:05:35): the samples 02:01-02:05.
        const MetricSeries* accepted = series(QStringLiteral("attacker_accepted"));
        QVERIFY(accepted);
        for (std::size_t i = 0; i < accepted->points.size(); ++i) {
            QCOMPARE(accepted->points[i].value, i < 5 ? 1.0 : 0.0);
        }

        // The same numbers in `simulate --json --timeline` ([seconds since 00:00, value] pairs).
        const QJsonArray points = toJson(*result, true)
                                      .value(QStringLiteral("lanes"))
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(QStringLiteral("timeline"))
                                      .toObject()
                                      .value(QStringLiteral("series"))
                                      .toObject()
                                      .value(QStringLiteral("denylist_size"))
                                      .toObject()
                                      .value(QStringLiteral("points"))
                                      .toArray();
        QCOMPARE(points.size(), 99);
        QCOMPARE(points.at(10).toArray(), (QJsonArray{7860.0, 3.0}));
        QCOMPARE(points.at(19).toArray(), (QJsonArray{8400.0, 1.0}));
        QCOMPARE(points.at(20).toArray(), (QJsonArray{8460.0, 0.0}));
    }

    // ---------------------------------------------------------------- bad input

    void badScenarioFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        const QByteArray ok = R"("id":"X","title":"t","teaches":"t","lanes":["A"])";
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("not valid JSON");
        QTest::newRow("not object") << QByteArray("[]") << QStringLiteral("must be a JSON object");
        QTest::newRow("missing title") << QByteArray(R"({"id":"X","teaches":"t","lanes":["A"],"events":[]})")
                                       << QStringLiteral("title: missing required field.");
        QTest::newRow("missing events") << "{" + ok + "}" << QStringLiteral("events: missing, or not an array.");
        QTest::newRow("unknown lane") << QByteArray(R"({"id":"X","title":"t","teaches":"t","lanes":["G"],"events":[]})")
                                      << QStringLiteral("lanes[0]: unknown lane 'G' (lanes are A to F).");
        QTest::newRow("wrong type") << "{" + ok + R"(,"parameters":{"users":"many"},"events":[]})"
                                    << QStringLiteral("parameters.users must be a number.");
        QTest::newRow("negative duration")
            << "{" + ok + R"(,"parameters":{"access_token_lifetime_s":-5},"events":[]})"
            << QStringLiteral("parameters.access_token_lifetime_s must not be negative (got -5).");
        QTest::newRow("unknown parameter") << "{" + ok + R"(,"parameters":{"nope":1},"events":[]})"
                                           << QStringLiteral("parameters.nope: unknown parameter 'nope'.");
        QTest::newRow("bad event type") << "{" + ok + R"(,"events":[{"type":"explode","at":"02:00"}]})"
                                        << QStringLiteral("events[0].type: unknown event type 'explode'.");
        QTest::newRow("bad time") << "{" + ok + R"(,"events":[{"type":"login","at":"25:99"}]})"
                                  << QStringLiteral("events[0].at: not a valid, non-negative time.");
        QTest::newRow("missing at") << "{" + ok + R"(,"events":[{"type":"login"}]})"
                                    << QStringLiteral("events[0].at: missing required field.");
        QTest::newRow("theft without steals") << "{" + ok + R"(,"events":[{"type":"theft","at":1}]})"
                                              << QStringLiteral("events[0].steals: missing required field.");
        QTest::newRow("bad choice") << "{" + ok + R"(,"parameters":{"alg":"RS1"},"events":[]})"
                                    << QStringLiteral("parameters.alg must be one of HS256, RS256");
        QTest::newRow("bad lane override")
            << QByteArray(
                   R"({"id":"X","title":"t","teaches":"t","lanes":[{"id":"C","set":{"leeway_s":-1}}],"events":[]})")
            << QStringLiteral("lanes[C].set.leeway_s must not be negative");
        QTest::newRow("end before start") << "{" + ok + R"(,"parameters":{"start":"03:00","end":"02:00"},"events":[]})"
                                          << QStringLiteral("parameter 'end' must be after 'start'.");
    }

    void badScenarioFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        const QString error = errorOf(json);
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void randomParametersNeverCrashOrHang()
    {
        // Every built-in scenario under random values of every parameter (within each spec's range, the
        // window and load kept small): the run either succeeds or returns an error; it never crashes.
        Rng rng(2026);
        int ran = 0;
        for (int id = 1; id <= 18; ++id) {
            auto scenario = parseScenario(*builtinScenarioBytes(QStringLiteral("S%1").arg(id)));
            QVERIFY(scenario.has_value());
            for (int round = 0; round < 6; ++round) {
                QStringList sets = {QStringLiteral("users=%1").arg(rng.below(200)), QStringLiteral("start=02:00"),
                                    QStringLiteral("end=02:20")};
                for (const ParamSpec& s : paramSpecs()) {
                    if (s.kind == Kind::Time || s.id == P::Users || s.id == P::AttackerIntervalS ||
                        s.id == P::RequestsPerMin || rng.below(3) != 0) {
                        continue;
                    }
                    const double hi = std::min(s.max, s.kind == Kind::Duration ? 4000.0 : 1e6);
                    double v = s.min + double(rng.below(1000)) / 1000.0 * (hi - s.min);
                    if (s.kind != Kind::Number && s.kind != Kind::Duration) {
                        v = std::floor(v);
                    }
                    if (s.kind == Kind::Bool || s.kind == Kind::Choice) {
                        v = double(rng.below(std::uint64_t(s.max) + 1));
                        sets.append(QStringLiteral("%1=%2").arg(
                            QLatin1String(s.key),
                            choicesOf(s).value(int(v), v != 0 ? QStringLiteral("true") : QStringLiteral("false"))));
                        continue;
                    }
                    sets.append(QStringLiteral("%1=%2").arg(QLatin1String(s.key)).arg(v, 0, 'g', 10));
                }
                RunOptions options;
                options.sets = sets;
                options.seed = rng.next();
                auto result = run(*scenario, options);
                if (result) {
                    ++ran;
                    for (const LaneResult& l : result->lanes) {
                        QVERIFY(l.exposureWindowS >= 0);
                        QVERIFY(l.exposureWindowS <= 1200.0 + 1e-6);
                        QVERIFY(l.availability() >= 0 && l.availability() <= 1);
                    }
                } else {
                    QVERIFY(!result.error().message.isEmpty());
                }
            }
        }
        QVERIFY(ran > 50);
    }

    void hugeScenarioFileIsRefused()
    {
        QByteArray huge = "{\"id\":\"X\",\"title\":\"t\",\"teaches\":\"";
        huge += QByteArray(int(tb::limits::maxScenarioBytes), 'x');
        huge += "\",\"lanes\":[\"A\"],\"events\":[]}";
        auto s = parseScenario(huge);
        QVERIFY(!s);
        QCOMPARE(s.error().code, tb::ErrorCode::TooLarge);
        QVERIFY(s.error().message.contains(QString::number(tb::limits::maxScenarioBytes)));
    }

    void badSetsNameTheKey()
    {
        QCOMPARE(runError(QStringLiteral("S1"), {QStringLiteral("nope=1")}),
                 QStringLiteral("unknown parameter 'nope'."));
        QCOMPARE(runError(QStringLiteral("S1"), {QStringLiteral("users=lots")}),
                 QStringLiteral("parameter 'users' expects a number (got 'lots')."));
        QCOMPARE(runError(QStringLiteral("S1"), {QStringLiteral("detection_delay_s=-1")}),
                 QStringLiteral("parameter 'detection_delay_s' must not be negative (got -1)."));
        QCOMPARE(runError(QStringLiteral("S1"), {QStringLiteral("fail_policy=maybe")}),
                 QStringLiteral("parameter 'fail_policy' expects one of closed, open (got 'maybe')."));
        QCOMPARE(runError(QStringLiteral("S1"), {QStringLiteral("noequals")}),
                 QStringLiteral("--set expects KEY=VALUE (got 'noequals')."));
        QVERIFY(runError(QStringLiteral("S1"), {QStringLiteral("users=10000000"), QStringLiteral("end=+1000000")})
                    .isEmpty() == false);
        QVERIFY(runError(QStringLiteral("S1"), {QStringLiteral("users=10000000"), QStringLiteral("end=200:00")})
                    .contains(QStringLiteral("past the limit")));
    }
};

QTEST_GUILESS_MAIN(TestSim)
#include "tst_sim.moc"
