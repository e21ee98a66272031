#include <QTest>

#include "session/Cookie.h"
#include "session/CookieFlow.h"
#include "session/CookieLint.h"
#include "tst_session.h"

using namespace tb::session;

namespace {

constexpr qint64 now = 1795000000; // 2026-11-18T09:46:40Z, injected

// A compliant session cookie: triggers nothing.
const QByteArray good =
    "Set-Cookie: __Host-sid=3q2-7wEAAAA_x9PzXk1vQa8Ld0Gm2Rt4; Path=/; Secure; HttpOnly; SameSite=Strict";

std::vector<CookieFinding> lint(const QByteArray& text, const QString& url = {}, const QList<QByteArray>& session = {})
{
    auto input = parseCookieInput(text);
    if (!input) {
        qFatal("cookie input did not parse");
    }
    CookieLintOptions options;
    options.url = QUrl(url);
    options.sessionCookies = session;
    options.now = now;
    return lintCookies(*input, options);
}

QStringList ids(const std::vector<CookieFinding>& findings)
{
    QStringList out;
    for (const CookieFinding& f : findings) {
        out << f.id;
    }
    return out;
}

const CookieFinding* find(const std::vector<CookieFinding>& findings, const QString& id)
{
    for (const CookieFinding& f : findings) {
        if (f.id == id) {
            return &f;
        }
    }
    return nullptr;
}

SetCookie sc(const QByteArray& value)
{
    return parseSetCookie(value);
}

} // namespace

class TestCookie : public QObject
{
    Q_OBJECT

private slots:
    // --- parsing (RFC 6265bis §5.6) ---
    void parsesNameValueAndAttributes()
    {
        const SetCookie c =
            sc(" sid = abc ; Path=/app; Domain=.Example.COM; Max-Age=60; secure; HTTPONLY; SameSite=lax");
        QCOMPARE(c.name, QByteArray("sid"));
        QCOMPARE(c.value, QByteArray("abc"));
        QCOMPARE(*c.path, QByteArray("/app"));
        QCOMPARE(*c.domain, QByteArray("example.com"));
        QCOMPARE(*c.maxAge, qint64(60));
        QVERIFY(c.secure && c.httpOnly);
        QCOMPARE(c.sameSite, SameSite::Lax);
        QCOMPARE(int(c.attributes.size()), 6);
    }

    void namelessAndQuotedValues()
    {
        const SetCookie c = sc("justavalue; Secure");
        QVERIFY(!c.hasEquals);
        QCOMPARE(c.name, QByteArray());
        QCOMPARE(c.value, QByteArray("justavalue"));
        QCOMPARE(sc("a=\"b c\"").value, QByteArray("\"b c\""));
    }

    void maxAgeRules()
    {
        QVERIFY(!sc("a=b; Max-Age=+5").maxAge.has_value());
        QVERIFY(!sc("a=b; Max-Age=5s").maxAge.has_value());
        QCOMPARE(*sc("a=b; Max-Age=-1").maxAge, qint64(-1));
        QCOMPARE(*sc("a=b; Max-Age=1; Max-Age=2").maxAge, qint64(2)); // the last one wins
    }

    void cookieDates()
    {
        QCOMPARE(*parseCookieDate("Sun, 06 Nov 1994 08:49:37 GMT"), qint64(784111777));
        QCOMPARE(*parseCookieDate("Sunday, 06-Nov-94 08:49:37 GMT"), qint64(784111777)); // RFC 850 form
        QCOMPARE(*parseCookieDate("Sun Nov  6 08:49:37 1994"), qint64(784111777));       // asctime form
        QVERIFY(!parseCookieDate("tomorrow").has_value());
        QVERIFY(!parseCookieDate("31 Feb 2030 00:00:00").has_value());
        QVERIFY(isImfFixdate("Sun, 06 Nov 1994 08:49:37 GMT"));
        QVERIFY(!isImfFixdate("Sunday, 06-Nov-94 08:49:37 GMT"));
    }

    void cookieHeaderPairs()
    {
        const auto pairs = parseCookieHeader("a=1; b = 2 ;c");
        QCOMPARE(int(pairs.size()), 3);
        QCOMPARE(pairs[1].name, QByteArray("b"));
        QCOMPARE(pairs[1].value, QByteArray("2"));
        QCOMPARE(pairs[2].name, QByteArray());
    }

    void inputWithoutCookiesIsAnError()
    {
        QCOMPARE(parseCookieInput("Content-Type: text/html\n").error().code, tb::ErrorCode::InvalidData);
        QCOMPARE(parseCookieInput(QByteArray(2 * 1024 * 1024, 'a')).error().code, tb::ErrorCode::TooLarge);
    }

    // --- the good header triggers nothing; the recommended header is clean ---
    void compliantHeaderIsClean()
    {
        QVERIFY2(lint(good, QStringLiteral("https://app.example.com/")).empty(),
                 qPrintable(ids(lint(good)).join(u',')));
    }

    void recommendedHeaderIsClean()
    {
        auto header = recommendedSetCookie({});
        QVERIFY(header.has_value());
        QVERIFY(header->startsWith("Set-Cookie: __Host-session="));
        QVERIFY(header->endsWith("; Path=/; Secure; HttpOnly; SameSite=Strict"));
        QVERIFY(lint(*header, QStringLiteral("https://example.com/")).empty());
        RecommendedCookie spec;
        spec.name = "sid";
        spec.value = "abc";
        spec.maxAgeSeconds = 1800;
        QCOMPARE(*recommendedSetCookie(spec),
                 QByteArray("Set-Cookie: __Host-sid=abc; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=1800"));
        spec.name = "bad name";
        QVERIFY(!recommendedSetCookie(spec).has_value());
    }

    // --- one trigger and one non-trigger per rule ---
    void rules_data()
    {
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QByteArray>("triggers");
        QTest::addColumn<QByteArray>("clean");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("severity");

        const QByteArray v = "=3q2-7wEAAAA_x9PzXk1vQa8Ld0Gm2Rt4";
        const QByteArray tail = "; Path=/; Secure; HttpOnly; SameSite=Strict";
        QTest::newRow("CK-01") << "CK-01"
                               << "__Host-sid" + v + "; Path=/; HttpOnly; SameSite=Strict" << good << ""
                               << "high";
        QTest::newRow("CK-02") << "CK-02"
                               << "__Host-sid" + v + "; Path=/; Secure; SameSite=Strict" << good << ""
                               << "high";
        QTest::newRow("CK-03") << "CK-03"
                               << "__Host-sid" + v + "; Path=/; Secure; HttpOnly" << good << ""
                               << "medium";
        QTest::newRow("CK-04") << "CK-04" << QByteArray("__Host-pref=1; Path=/; SameSite=None")
                               << QByteArray("__Host-pref=1; Path=/; Secure; SameSite=None") << ""
                               << "high";
        QTest::newRow("CK-05") << "CK-05"
                               << "__Host-sid" + v + "; Path=/; Secure; HttpOnly; SameSite=None" << good << ""
                               << "medium";
        QTest::newRow("CK-06") << "CK-06"
                               << "__Host-sid" + v + "; Path=/; Secure; HttpOnly; SameSite=Strcit" << good << ""
                               << "low";
        QTest::newRow("CK-07") << "CK-07"
                               << "__Secure-sid" + v + tail << good << ""
                               << "medium";
        QTest::newRow("CK-08") << "CK-08"
                               << "__Host-sid" + v + "; Path=/; Domain=example.com; Secure; HttpOnly; SameSite=Strict"
                               << good << ""
                               << "high";
        QTest::newRow("CK-09") << "CK-09" << QByteArray("__Secure-pref=1; SameSite=Lax")
                               << QByteArray("__Secure-pref=1; Secure; SameSite=Lax") << ""
                               << "high";
        QTest::newRow("CK-10") << "CK-10" << QByteArray("theme=dark; Secure; SameSite=Lax")
                               << QByteArray("__Secure-theme=dark; Secure; SameSite=Lax") << ""
                               << "low";
        QTest::newRow("CK-11") << "CK-11"
                               << "__HOST-sid" + v + tail << good << ""
                               << "low";
        QTest::newRow("CK-12") << "CK-12" << good << good.mid(0) << "http://app.example.com/"
                               << "high";
        QTest::newRow("CK-13")
            << "CK-13" << QByteArray("__Secure-a=1; Secure; SameSite=Lax\nSet-Cookie: __Secure-a=2; SameSite=Lax")
            << QByteArray("__Secure-a=1; Secure; SameSite=Lax\nSet-Cookie: __Secure-a=2; Secure; SameSite=Lax") << ""
            << "medium";
        QTest::newRow("CK-14") << "CK-14"
                               << "sid" + v + "; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Strict"
                               << "sid" + v + "; Path=/; Secure; HttpOnly; SameSite=Strict"
                               << ""
                               << "medium";
        QTest::newRow("CK-15") << "CK-15" << QByteArray("__Secure-a=1; Domain=co.uk; Secure; SameSite=Lax")
                               << QByteArray("__Secure-a=1; Domain=example.co.uk; Secure; SameSite=Lax")
                               << "https://www.example.co.uk/"
                               << "high";
        QTest::newRow("CK-16") << "CK-16" << QByteArray("__Secure-a=1; Path=/; Secure; SameSite=Lax")
                               << QByteArray("__Secure-a=1; Path=/shop/; Secure; SameSite=Lax")
                               << "https://example.com/shop/cart"
                               << "info";
        QTest::newRow("CK-17") << "CK-17" << good + "; Max-Age=3600" << good << ""
                               << "low";
        QTest::newRow("CK-18") << "CK-18" << QByteArray("__Secure-a=1; Secure; SameSite=Lax; Max-Age=34560001")
                               << QByteArray("__Secure-a=1; Secure; SameSite=Lax; Max-Age=34560000") << ""
                               << "info";
        QTest::newRow("CK-19")
            << "CK-19"
            << QByteArray("__Secure-a=1; Secure; SameSite=Lax; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Max-Age=60")
            << QByteArray("__Secure-a=1; Secure; SameSite=Lax; Expires=Wed, 01 Jan 2031 00:00:00 GMT") << ""
            << "info";
        QTest::newRow("CK-19-date") << "CK-19" << QByteArray("__Secure-a=1; Secure; SameSite=Lax; Expires=soon")
                                    << QByteArray(
                                           "__Secure-a=1; Secure; SameSite=Lax; Expires=Wed, 01 Jan 2031 00:00:00 GMT")
                                    << ""
                                    << "low";
        QTest::newRow("CK-20") << "CK-20"
                               << "__Secure-a=" + QByteArray(4087, 'x') + "; Secure; SameSite=Lax"
                               << "__Secure-a=" + QByteArray(3490, 'x') + "; Secure; SameSite=Lax"
                               << ""
                               << "high";
        QTest::newRow("CK-21") << "CK-21"
                               << "__Secure-a=" + QByteArray(3491, 'x') + "; Secure; SameSite=Lax"
                               << "__Secure-a=" + QByteArray(3490, 'x') + "; Secure; SameSite=Lax"
                               << ""
                               << "medium";
        QTest::newRow("CK-22") << "CK-22"
                               << "__Secure-a=1; Secure; SameSite=Lax; Comment=" + QByteArray(1025, 'c')
                               << "__Secure-a=1; Secure; SameSite=Lax; Comment=" + QByteArray(1024, 'c') << ""
                               << "medium";
        QTest::newRow("CK-23") << "CK-23" << QByteArray("__Secure-a=x,y; Secure; SameSite=Lax")
                               << QByteArray("__Secure-a=\"xy\"; Secure; SameSite=Lax") << ""
                               << "low";
        QTest::newRow("CK-23-ctl") << "CK-23" << QByteArray("__Secure-a=x\x01y; Secure; SameSite=Lax")
                                   << QByteArray("__Secure-a=xy; Secure; SameSite=Lax") << ""
                                   << "high";
        QTest::newRow("CK-24") << "CK-24" << QByteArray("=abc; Secure; SameSite=Lax")
                               << QByteArray("__Secure-a=abc; Secure; SameSite=Lax") << ""
                               << "medium";
        QTest::newRow("CK-24-prefix") << "CK-24" << QByteArray("__Host-ab; Secure; SameSite=Lax")
                                      << QByteArray("__Secure-a=abc; Secure; SameSite=Lax") << ""
                                      << "high";
        QTest::newRow("CK-25") << "CK-25" << good + "; Path=/" << good << ""
                               << "low";
        QTest::newRow("CK-26") << "CK-26"
                               << "JSESSIONID" + v + tail << good << ""
                               << "info";
        QTest::newRow("CK-27") << "CK-27" << QByteArray("__Host-sid=eyJ1c2VyIjoiYWxpY2UiLCJyb2xlIjoidXNlciJ9") + tail
                               << good << ""
                               << "medium";
        QTest::newRow("CK-27-jwt") << "CK-27"
                                   << QByteArray("__Host-sid=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl") + tail
                                   << good << ""
                                   << "medium";
        QTest::newRow("CK-28") << "CK-28" << QByteArray("__Host-sid=123456") + tail << good << ""
                               << "critical";
        QTest::newRow("CK-29") << "CK-29" << QByteArray("__Host-sid=0123456789abcdef0123456789abcde") + tail
                               << QByteArray("__Host-sid=0123456789abcdef0123456789abcdef") + tail << ""
                               << "medium";
        QTest::newRow("CK-30") << "CK-30"
                               << "HTTP/1.1 200 OK\nContent-Type: text/html\n" + good
                               << "HTTP/1.1 200 OK\nCache-Control: no-store\n" + good << ""
                               << "low";
        QTest::newRow("CK-32") << "CK-32"
                               << "Location: /home;jsessionid=3q2-7wEAAAA\n" + good
                               << "Location: /home\nCache-Control: no-store\n" + good << ""
                               << "high";
    }

    void rules()
    {
        QFETCH(QString, rule);
        QFETCH(QByteArray, triggers);
        QFETCH(QByteArray, clean);
        QFETCH(QString, url);
        QFETCH(QString, severity);
        const auto hit = lint(triggers, url);
        const CookieFinding* f = find(hit, rule);
        QVERIFY2(f != nullptr, qPrintable(QStringLiteral("%1 not raised; got %2").arg(rule, ids(hit).join(u','))));
        QCOMPARE(severityName(f->severity), severity);
        QVERIFY(!f->message.isEmpty());
        QVERIFY(!f->reference.isEmpty());
        const QString cleanUrl = rule == QStringLiteral("CK-12") ? QStringLiteral("https://app.example.com/") : url;
        const auto miss = lint(clean, cleanUrl);
        QVERIFY2(find(miss, rule) == nullptr,
                 qPrintable(QStringLiteral("%1 raised on the clean header: %2").arg(rule, ids(miss).join(u','))));
    }

    void severityAndReferenceOfCk01()
    {
        const auto f = lint("Set-Cookie: PHPSESSID=abc; path=/");
        const CookieFinding* secure = find(f, QStringLiteral("CK-01"));
        QVERIFY(secure != nullptr);
        QCOMPARE(secure->message,
                 QStringLiteral("Session cookie 'PHPSESSID' lacks Secure: it can travel over plain HTTP."));
        QCOMPARE(secure->reference,
                 QStringLiteral("OWASP Session Management CS \"Secure Attribute\"; ASVS 4.0.3 3.4.1; ASVS 5.0 3.3.1"));
        QCOMPARE(f.front().severity, Severity::Critical); // sorted by severity: CK-28 (3 hex chars) first
    }

    void sessionCookieOptionOverridesGuess()
    {
        const QByteArray header = "Set-Cookie: theme=dark; Path=/";
        QVERIFY(find(lint(header), QStringLiteral("CK-01")) == nullptr);
        QVERIFY(find(lint(header, {}, {"theme"}), QStringLiteral("CK-01")) != nullptr);
    }

    void cookieRequestHeaderLinted()
    {
        const auto f = lint("Cookie: PHPSESSID=42; theme=dark");
        QVERIFY(find(f, QStringLiteral("CK-26")) != nullptr);
        QVERIFY(find(f, QStringLiteral("CK-28")) != nullptr);
    }

    // --- flow rules (FL-xx) ---
    void flowFixationAndLogout()
    {
        auto set = [](const QByteArray& header) { return std::vector<SetCookie>{parseSetCookie(header)}; };
        using K = FlowExchange::Kind;
        std::vector<FlowExchange> flow{
            {K::Request, 100, "", false, set("sid=AAAA; Secure; HttpOnly"), {}},
            {K::Login, 110, "AAAA", true, {}, {}}, // no new ID: fixation
            {K::Request, 120, "AAAA", true, {}, {}},
            {K::Logout, 130, "AAAA", true, {}, {}},             // cookie not expired, no Clear-Site-Data
            {K::Request, 140, "AAAA", true, {}, {}},            // still accepted
            {K::Request, 150, "ZZZZ", true, {}, {}},            // never issued, accepted
            {K::Request, 150 + 3 * 3600, "AAAA", true, {}, {}}, // idle for 3 h, accepted
        };
        const auto f = lintFlow(flow, "sid");
        QCOMPARE(ids(f), QStringList({QStringLiteral("FL-01"), QStringLiteral("CK-31"), QStringLiteral("FL-03"),
                                      QStringLiteral("FL-02"), QStringLiteral("FL-04")}));
        QCOMPARE(find(f, QStringLiteral("FL-01"))->severity, Severity::Critical);
        QCOMPARE(find(f, QStringLiteral("FL-03"))->severity, Severity::Critical);
    }

    void flowDoneRightIsClean()
    {
        auto set = [](const QByteArray& header) { return std::vector<SetCookie>{parseSetCookie(header)}; };
        using K = FlowExchange::Kind;
        std::vector<FlowExchange> flow{
            {K::Request, 100, "", false, set("sid=AAAA"), {}},
            {K::Login, 110, "AAAA", true, set("sid=BBBB"), {}},
            {K::Request, 120, "BBBB", true, {}, {}},
            {K::Request, 125, "AAAA", false, {}, {}}, // the pre-login ID is refused
            {K::Logout, 130, "BBBB", true, set("sid=; Max-Age=0"), {}},
            {K::Request, 140, "BBBB", false, {}, {}}, // refused after logout
            {K::Request, 140 + 3 * 3600, "BBBB", false, {}, {}},
        };
        QVERIFY2(lintFlow(flow, "sid").empty(), qPrintable(ids(lintFlow(flow, "sid")).join(u',')));
    }

    void flowRenewalGraceAndAbsoluteTimeout()
    {
        auto set = [](const QByteArray& header) { return std::vector<SetCookie>{parseSetCookie(header)}; };
        using K = FlowExchange::Kind;
        std::vector<FlowExchange> flow{
            {K::Login, 0, "", true, set("sid=AAAA"), {}},
            {K::Request, 100, "AAAA", true, set("sid=BBBB"), {}}, // renewal
            {K::Request, 400, "AAAA", true, {}, {}},              // old ID after 300 s > 60 s grace
        };
        QCOMPARE(ids(lintFlow(flow, "sid")), QStringList{QStringLiteral("FL-06")});
        std::vector<FlowExchange> longRun{{K::Login, 0, "", true, set("sid=AAAA"), {}}};
        for (qint64 t = 1200; t <= 13 * 3600; t += 1200) {
            longRun.push_back({K::Request, t, "AAAA", true, {}, {}});
        }
        const auto f = lintFlow(longRun, "sid");
        QCOMPARE(ids(f), QStringList{QStringLiteral("FL-04")});
        QVERIFY(f.front().message.contains(QStringLiteral("no absolute timeout")));
        FlowExchange logout{K::Logout, 10, "AAAA", true, {}, {{"clear-site-data", "\"cookies\""}}};
        QVERIFY(lintFlow({flow[0], logout}, "sid").empty());
    }
};

int runCookieTests(int argc, char** argv)
{
    TestCookie t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_cookie.moc"
