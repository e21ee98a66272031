#include <QTest>

#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "workspace/InputDetect.h"
#include "workspace/Sealed.h"
#include "workspace/WorkspaceFile.h"

using namespace tb;
using workspace::InputKind;

namespace {
// RFC 7519 §3.1 example token (HS256).
const QByteArray kToken =
    QByteArrayLiteral("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
                      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9"
                      "pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

SecretBytes pass(const char* text)
{
    return SecretBytes::fromByteArray(QByteArray(text));
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

class TestWorkspace final : public QObject
{
    Q_OBJECT

private slots:
    void detect_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("payload");
        QTest::newRow("bare") << kToken << int(InputKind::Jws) << kToken;
        QTest::newRow("quoted") << ('"' + kToken + '"') << int(InputKind::Jws) << kToken;
        QTest::newRow("bearer") << ("Bearer " + kToken) << int(InputKind::Jws) << kToken;
        QTest::newRow("authorization") << ("Authorization: bearer " + kToken + "\r\n") << int(InputKind::Jws) << kToken;
        QTest::newRow("header block") << ("Host: a\nAuthorization: Bearer " + kToken + "\nAccept: */*")
                                      << int(InputKind::Jws) << kToken;
        QTest::newRow("cookie") << ("Cookie: theme=dark; session=" + kToken + "; x=1") << int(InputKind::Jws) << kToken;
        QTest::newRow("set-cookie") << ("Set-Cookie: id=\"" + kToken + "\"; HttpOnly; Secure") << int(InputKind::Jws)
                                    << kToken;
        QTest::newRow("jwe") << QByteArray("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn")
                             << int(InputKind::Jwe)
                             << QByteArray("eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y3Q.dGFn");
        QTest::newRow("pem") << QByteArray("\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                             << int(InputKind::Pem)
                             << QByteArray("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----");
        QTest::newRow("jwk") << QByteArray(R"({"kty":"oct","k":"AAAA"})") << int(InputKind::Jwk)
                             << QByteArray(R"({"kty":"oct","k":"AAAA"})");
        QTest::newRow("jwks") << QByteArray(R"({"keys":[]})") << int(InputKind::Jwks) << QByteArray(R"({"keys":[]})");
        QTest::newRow("json other") << QByteArray(R"({"a":1})") << int(InputKind::Unknown) << QByteArray();
        QTest::newRow("words") << QByteArray("hello world") << int(InputKind::Unknown) << QByteArray();
        QTest::newRow("cookie without token")
            << QByteArray("Cookie: a=b; c=d") << int(InputKind::CookieHeader) << QByteArray("Cookie: a=b; c=d");
        QTest::newRow("set-cookie without token")
            << QByteArray("  Set-Cookie: sid=abc123; Path=/; HttpOnly\r\n") << int(InputKind::SetCookieHeader)
            << QByteArray("Set-Cookie: sid=abc123; Path=/; HttpOnly");
        QTest::newRow("set-cookie case") << QByteArray("set-cookie: a=1") << int(InputKind::SetCookieHeader)
                                         << QByteArray("set-cookie: a=1");
        QTest::newRow("response block")
            << QByteArray("HTTP/1.1 302 Found\r\nLocation: /home\r\nSet-Cookie: a=1; Secure\r\nSet-Cookie: "
                          "b=2\r\nCache-Control: no-store\r\n\r\n<html>body</html>")
            << int(InputKind::SetCookieHeader)
            << QByteArray("HTTP/1.1 302 Found\nLocation: /home\nSet-Cookie: a=1; Secure\nSet-Cookie: b=2\n"
                          "Cache-Control: no-store");
        // A token in a cookie still opens as a token, wherever the cookie header sits in the block.
        QTest::newRow("set-cookie block with token")
            << ("Set-Cookie: theme=dark\nSet-Cookie: jwt=" + kToken + "; Secure") << int(InputKind::Jws) << kToken;
        QTest::newRow("empty set-cookie") << QByteArray("Set-Cookie:   ") << int(InputKind::Unknown) << QByteArray();
        QTest::newRow("empty cookie") << QByteArray("Cookie:") << int(InputKind::Unknown) << QByteArray();
        // Not header lines: a PEM whose text mentions cookies, and a JWT-like dotted value.
        QTest::newRow("pem mentioning cookie")
            << QByteArray("-----BEGIN PUBLIC KEY-----\nCookie: x=1\n-----END PUBLIC KEY-----") << int(InputKind::Pem)
            << QByteArray("-----BEGIN PUBLIC KEY-----\nCookie: x=1\n-----END PUBLIC KEY-----");
        QTest::newRow("cookie-like prose") << QByteArray("my cookie: sid=1") << int(InputKind::Unknown) << QByteArray();
    }
    void detect()
    {
        QFETCH(QByteArray, input);
        QFETCH(int, kind);
        QFETCH(QByteArray, payload);
        const auto found = workspace::detectInput(input);
        QCOMPARE(int(found.kind), kind);
        QCOMPARE(found.payload, payload);
    }

    void sealRoundTrip()
    {
        const workspace::ScryptParams fast{1u << 10, 8, 1};
        const SecretBytes plain = pass("the secrets");
        const auto sealed = workspace::seal(plain, pass("pw"), "aad", fast);
        QVERIFY(sealed);
        const auto opened = workspace::open(*sealed, pass("pw"), "aad");
        QVERIFY(opened);
        QCOMPARE(opened->reveal(), QByteArray("the secrets"));
        const auto wrong = workspace::open(*sealed, pass("pW"), "aad");
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, ErrorCode::WrongPassphrase);
        const auto otherAad = workspace::open(*sealed, pass("pw"), "aad2");
        QVERIFY(!otherAad);
        QJsonObject huge = *sealed;
        huge.insert(QStringLiteral("n"), double(1u << 30));
        QCOMPARE(workspace::open(huge, pass("pw"), "aad").error().code, ErrorCode::InvalidData);
    }

    void workspaceRoundTrip()
    {
        const auto ec = keys::generateKey(jose::Alg::ES256);
        QVERIFY(ec);
        const auto secret = keys::secretKey("0123456789abcdef0123456789abcdef");
        workspace::WorkspaceData data;
        data.tokens = {kToken};
        data.keys = {{QStringLiteral("ec"), *ec}, {QStringLiteral("hs"), secret}};
        const workspace::ScryptParams fast{1u << 10, 8, 1};

        const auto open = workspace::serializeWorkspace(data, nullptr, fast);
        QVERIFY(open);
        QVERIFY(!open->contains("\"d\""));
        QVERIFY(!open->contains("\"k\""));
        QVERIFY(!workspace::hasSealedSecrets(*open));
        const auto loaded = workspace::parseWorkspace(*open, nullptr);
        QVERIFY(loaded);
        QCOMPARE(loaded->data.tokens, data.tokens);
        QCOMPARE(loaded->data.keys.size(), 1);
        QVERIFY(!loaded->data.keys.at(0).key->hasPrivate());
        QCOMPARE(loaded->notes.size(), 2);

        const SecretBytes pw = pass("correct horse");
        const auto sealed = workspace::serializeWorkspace(data, &pw, fast);
        QVERIFY(sealed);
        QVERIFY(workspace::hasSealedSecrets(*sealed));
        const auto full = workspace::parseWorkspace(*sealed, &pw);
        QVERIFY(full);
        QCOMPARE(full->data.keys.size(), 2);
        QVERIFY(full->data.keys.at(0).key->hasPrivate());
        QCOMPARE(full->data.keys.at(1).key->secret().reveal(), QByteArray("0123456789abcdef0123456789abcdef"));
        QCOMPARE(*keys::thumbprint(*full->data.keys.at(0).key), *keys::thumbprint(**ec));
        const SecretBytes bad = pass("wrong");
        QCOMPARE(workspace::parseWorkspace(*sealed, &bad).error().code, ErrorCode::WrongPassphrase);
    }

    void timelineMarksRoundTrip()
    {
        workspace::WorkspaceData data;
        data.tokens = {kToken, "a.b.c"};
        inspect::SessionSpec s;
        s.label = QStringLiteral("Browser");
        s.created = 1000;
        s.idleTimeout = 60;
        s.activity = {1030};
        data.timeline.sessions = {s};
        data.timeline.roles.insert("a.b.c", inspect::TokenRole::Refresh);
        data.timeline.revoked.insert(kToken, {1500});
        const auto bytes = workspace::serializeWorkspace(data, nullptr);
        QVERIFY(bytes);
        QVERIFY(bytes->contains("\"timeline\""));
        const auto loaded = workspace::parseWorkspace(*bytes, nullptr);
        QVERIFY(loaded);
        QCOMPARE(loaded->notes, QStringList());
        QCOMPARE(loaded->data.timeline.sessions.size(), 1);
        QCOMPARE(loaded->data.timeline.sessions[0].label, QStringLiteral("Browser"));
        QCOMPARE(loaded->data.timeline.sessions[0].activity, QList<double>{1030});
        QCOMPARE(loaded->data.timeline.roles.value("a.b.c"), inspect::TokenRole::Refresh);
        QCOMPARE(loaded->data.timeline.revoked.value(kToken), QList<double>{1500});

        // The view alone is worth writing, and comes back exactly.
        data.timeline = {};
        data.timeline.view.leeway = 120;
        data.timeline.view.range = std::pair{900.5, 1600.0};
        data.timeline.view.now = 1234;
        const auto viewOnly = workspace::serializeWorkspace(data, nullptr);
        QVERIFY(viewOnly && viewOnly->contains("\"view\""));
        const auto viewBack = workspace::parseWorkspace(*viewOnly, nullptr);
        QVERIFY(viewBack);
        QCOMPARE(viewBack->notes, QStringList());
        QCOMPARE(viewBack->data.timeline.view, data.timeline.view);

        // Without marks nothing is written, and a file without "timeline" (older tokenbench) loads with none.
        data.timeline = {};
        const auto plain = workspace::serializeWorkspace(data, nullptr);
        QVERIFY(plain && !plain->contains("timeline"));
        QVERIFY(workspace::parseWorkspace(*plain, nullptr)->data.timeline.isEmpty());

        // A damaged entry costs that entry only, with a note; the rest of the workspace loads.
        const QByteArray damaged = "{\"format\":\"tokenbench-workspace\",\"version\":1,\"tokens\":[\"a.b.c\"],"
                                   "\"keys\":[],\"timeline\":{\"sessions\":[{\"created\":\"yesterday\"},"
                                   "{\"created\":5}]}}";
        const auto partly = workspace::parseWorkspace(damaged, nullptr);
        QVERIFY(partly);
        QCOMPARE(partly->data.tokens, QList<QByteArray>{"a.b.c"});
        QCOMPARE(partly->data.timeline.sessions.size(), 1);
        QCOMPARE(partly->notes, texts({"Timeline session 1 was skipped: its created time is missing or not a "
                                       "time (seconds since 1970, up to year 9999)."}));
    }

    void damagedAndNewer()
    {
        const auto damaged =
            workspace::parseWorkspace("{\"format\":\"tokenbench-workspace\",\n\"version\":1,", nullptr);
        QVERIFY(!damaged);
        QCOMPARE(damaged.error().code, ErrorCode::InvalidData);
        QVERIFY2(damaged.error().message.contains(QStringLiteral("line 2")), qPrintable(damaged.error().message));
        const auto newer = workspace::parseWorkspace(
            R"({"format":"tokenbench-workspace","version":7,"tokens":[],"keys":[]})", nullptr);
        QVERIFY(!newer);
        QCOMPARE(newer.error().code, ErrorCode::Unsupported);
        QVERIFY(newer.error().message.contains(QStringLiteral("newer")));
        const auto other = workspace::parseWorkspace(R"({"a":1})", nullptr);
        QCOMPARE(other.error().code, ErrorCode::InvalidData);
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "tst_workspace.moc"
