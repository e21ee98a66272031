#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include "TestSupport.h"

using namespace tb::test;

namespace {

const QByteArray good =
    "Set-Cookie: __Host-sid=3q2-7wEAAAA_x9PzXk1vQa8Ld0Gm2Rt4; Path=/; Secure; HttpOnly; SameSite=Strict";

QStringList lint(std::initializer_list<QString> extra)
{
    return QStringList{QStringLiteral("cookie"), QStringLiteral("lint")} + QStringList(extra);
}

} // namespace

class TestCliCookie : public QObject
{
    Q_OBJECT

private slots:
    void cleanHeaderHasNoFindings()
    {
        const auto r = runCli(lint({QString::fromLatin1(good), QStringLiteral("--json")}));
        QCOMPARE(r.code, 0);
        QCOMPARE(r.out, QByteArray("{\"findings\":[]}\n"));
        const auto text = runCli(lint({QString::fromLatin1(good)}));
        QCOMPARE(text.out, QByteArray("no findings\n"));
    }

    void findingsCarryTheContractKeys()
    {
        const auto r = runCli(lint({QStringLiteral("Set-Cookie: PHPSESSID=abc123; path=/"), QStringLiteral("--json")}));
        QCOMPARE(r.code, 0);
        const QJsonArray findings = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("findings")).toArray();
        QCOMPARE(findingIds(r.out),
                 QStringList({QStringLiteral("CK-28"), QStringLiteral("CK-01"), QStringLiteral("CK-02"),
                              QStringLiteral("CK-03"), QStringLiteral("CK-07"), QStringLiteral("CK-26")}));
        const QJsonObject first = findings.first().toObject();
        QCOMPARE(first.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        for (const auto v : findings) {
            const QJsonObject f = v.toObject();
            for (const char* key : {"id", "severity", "message", "reference"}) {
                QVERIFY2(f.value(QLatin1String(key)).isString() && !f.value(QLatin1String(key)).toString().isEmpty(),
                         key);
            }
        }
    }

    void failOnThresholds()
    {
        const QString highOnly =
            QStringLiteral("Set-Cookie: __Host-sid=3q2-7wEAAAA_x9PzXk1vQa8Ld0Gm2Rt4; Path=/; Secure; "
                           "SameSite=Strict"); // CK-02 (high) only
        QCOMPARE(runCli(lint({highOnly, QStringLiteral("--fail-on"), QStringLiteral("critical")})).code, 0);
        QCOMPARE(runCli(lint({highOnly, QStringLiteral("--fail-on"), QStringLiteral("high")})).code, 1);
        QCOMPARE(runCli(lint({highOnly, QStringLiteral("--fail-on"), QStringLiteral("low")})).code, 1);
        QCOMPARE(runCli(lint({QString::fromLatin1(good), QStringLiteral("--fail-on"), QStringLiteral("info")})).code,
                 0);
        expectUsageErrorLine(runCli(lint({highOnly, QStringLiteral("--fail-on"), QStringLiteral("severe")})));
    }

    void urlEnablesOriginAndDomainRules()
    {
        const auto r = runCli(lint({QString::fromLatin1(good) + QStringLiteral("\n"), QStringLiteral("--url"),
                                    QStringLiteral("http://app.example.com/"), QStringLiteral("--json")}));
        QCOMPARE(findingIds(r.out), QStringList{QStringLiteral("CK-12")});
        const auto d =
            runCli(lint({QStringLiteral("Set-Cookie: __Secure-a=1; Domain=other.org; Secure; SameSite=Lax"),
                         QStringLiteral("--url"), QStringLiteral("https://example.com/"), QStringLiteral("--json")}));
        QCOMPARE(findingIds(d.out), QStringList{QStringLiteral("CK-15")});
        expectUsageErrorLine(
            runCli(lint({QString::fromLatin1(good), QStringLiteral("--url"), QStringLiteral("ftp://x/")})));
        expectUsageErrorLine(
            runCli(lint({QString::fromLatin1(good), QStringLiteral("--url"), QStringLiteral("not a url")})));
    }

    void sessionCookieOption()
    {
        const QString theme = QStringLiteral("Set-Cookie: theme=dark; Path=/; SameSite=Lax");
        QCOMPARE(findingIds(runCli(lint({theme, QStringLiteral("--json")})).out), QStringList{QStringLiteral("CK-10")});
        const QStringList asSession = findingIds(
            runCli(lint({theme, QStringLiteral("--session-cookie"), QStringLiteral("theme"), QStringLiteral("--json")}))
                .out);
        QVERIFY(asSession.contains(QStringLiteral("CK-01")) && asSession.contains(QStringLiteral("CK-28")));
    }

    void severalLinesOnStdin()
    {
        const QByteArray response = "HTTP/1.1 302 Found\r\nLocation: /app;jsessionid=AAAABBBBCCCC\r\n"
                                    "Set-Cookie: JSESSIONID=AAAABBBBCCCC; Path=/; HttpOnly\r\n"
                                    "Set-Cookie: __Secure-pref=x; Secure; SameSite=Lax\r\n";
        const auto r = runCli(lint({QStringLiteral("-"), QStringLiteral("--json")}), response);
        QCOMPARE(r.code, 0);
        const QStringList ids = findingIds(r.out);
        for (const char* id : {"CK-01", "CK-26", "CK-28", "CK-30", "CK-32"}) {
            QVERIFY2(ids.contains(QLatin1String(id)), id);
        }
        QVERIFY(!ids.contains(QStringLiteral("CK-10"))); // the __Secure- cookie is fine
    }

    void badInput()
    {
        expectUsageErrorLine(runCli(lint({}), {}, true));                    // terminal, nothing given: no wait
        expectUsageErrorLine(runCli(lint({QStringLiteral("-")}), "  \n"));   // empty
        expectUsageErrorLine(runCli(lint({QStringLiteral("hello world")}))); // not a cookie
        expectUsageErrorLine(runCli(lint({QStringLiteral("Content-Type: text/html")})));
        expectUsageErrorLine(runCli({QStringLiteral("cookie")}));
        expectUsageErrorLine(runCli({QStringLiteral("cookie"), QStringLiteral("eat")}));
        const auto huge = runCli(lint({QStringLiteral("-")}), "Set-Cookie: a=" + QByteArray(2 * 1024 * 1024, 'x'));
        expectUsageErrorLine(huge);
        QVERIFY(huge.err.contains("limit"));
    }

    void recommendLintsClean()
    {
        const auto rec = runCli(
            {QStringLiteral("cookie"), QStringLiteral("recommend"), QStringLiteral("--name"), QStringLiteral("sid")});
        QCOMPARE(rec.code, 0);
        QVERIFY(rec.out.startsWith("Set-Cookie: __Host-sid="));
        const auto r = runCli(lint({QStringLiteral("--json")}), rec.out);
        QCOMPARE(r.out, QByteArray("{\"findings\":[]}\n"));
        expectUsageErrorLine(runCli({QStringLiteral("cookie"), QStringLiteral("recommend"), QStringLiteral("--max-age"),
                                     QStringLiteral("-5")}));
    }

    void flowFromJson()
    {
        const QByteArray flow =
            "{\"session_cookie\": \"sid\", \"exchanges\": ["
            "            {\"kind\": \"request\", \"time\": 100, \"set_cookie\": [\"sid=AAAA; Secure; HttpOnly\"]},"
            "            {\"kind\": \"login\", \"time\": 110, \"sent\": \"AAAA\", \"authenticated\": true},"
            "            {\"kind\": \"logout\", \"time\": 130, \"sent\": \"AAAA\", \"authenticated\": true,"
            "             \"headers\": {\"Clear-Site-Data\": \"\\\"cookies\\\"\"}},"
            "            {\"kind\": \"request\", \"time\": 140, \"sent\": \"AAAA\", \"authenticated\": true}]}";
        const auto r = runCli({QStringLiteral("cookie"), QStringLiteral("flow"), QStringLiteral("-"),
                               QStringLiteral("--json"), QStringLiteral("--fail-on"), QStringLiteral("critical")},
                              flow);
        QCOMPARE(r.code, 1);
        QCOMPARE(findingIds(r.out), QStringList({QStringLiteral("FL-01"), QStringLiteral("FL-03")}));
        expectUsageErrorLine(runCli({QStringLiteral("cookie"), QStringLiteral("flow"), QStringLiteral("-")}, "[1,2]"));
        expectUsageErrorLine(
            runCli({QStringLiteral("cookie"), QStringLiteral("flow"), QStringLiteral("-")},
                   "{\"session_cookie\": \"sid\", \"exchanges\": [{\"kind\": \"dance\", \"time\": 1}]}"));
        expectUsageErrorLine(runCli({QStringLiteral("cookie"), QStringLiteral("flow"), QStringLiteral("-")},
                                    "{\"session_cookie\": \"sid\", \"exchanges\": [{\"kind\": \"login\"}]}"));
        expectUsageErrorLine(runCli({QStringLiteral("cookie"), QStringLiteral("flow")}, {}, true));
    }

    // --json findings as lint prints them, members in CLI.md's order: id, severity, message, reference.
    void jsonMembersInContractOrder()
    {
        const auto r = runCliBinary({QStringLiteral("cookie"), QStringLiteral("lint"),
                                     QStringLiteral("Set-Cookie: sid=1; SameSite=None"), QStringLiteral("--json")});
        QCOMPARE(r.code, 0);
        const QRegularExpression shape(
            QStringLiteral("^\\{\"findings\":\\[\\{\"id\":\"CK-\\d+\",\"severity\":\"[a-z]+\","
                           "\"message\":\"[^\"]+\",\"reference\":\""));
        QVERIFY2(shape.match(QString::fromUtf8(r.out)).hasMatch(), r.out.constData());
    }

    void realBinary()
    {
        const auto r = runCliBinary({QStringLiteral("cookie"), QStringLiteral("lint"),
                                     QStringLiteral("Set-Cookie: sid=1; SameSite=None"), QStringLiteral("--json"),
                                     QStringLiteral("--fail-on"), QStringLiteral("high")});
        QCOMPARE(r.code, 1);
        QVERIFY(findingIds(r.out).contains(QStringLiteral("CK-04")));
    }
};

QTEST_GUILESS_MAIN(TestCliCookie)
#include "tst_cli_cookie.moc"
