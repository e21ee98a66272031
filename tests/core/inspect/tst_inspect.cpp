// Token diff, identification and the malleability explorer (core/inspect).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"
#include "crypto/Signature.h"
#include "inspect/Identify.h"
#include "inspect/Malleate.h"
#include "inspect/TokenDiff.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using namespace tb;

namespace {

const QByteArray hsSecret = QByteArray("0123456789abcdef0123456789abcdef");

QByteArray hs256(const QByteArray& header, const QByteArray& payload)
{
    static const keys::KeyPtr key = keys::secretKey(hsSecret);
    auto t = jose::signCompact(jose::Alg::HS256, key.get(), header, payload);
    return t ? *t : QByteArray();
}

QJsonObject diffJson(const QByteArray& a, const QByteArray& b)
{
    const auto d = inspect::diffTokens(a, b);
    if (!d) {
        return {};
    }
    return QJsonDocument::fromJson(inspect::diffToJson(*d)).object();
}

QByteArray b64(const QByteArray& bytes)
{
    return jose::base64UrlEncode(bytes);
}

QByteArray base62Encode(const QByteArray& bytes)
{
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QList<int> digits; // little-endian base-62 digits
    for (const char c : bytes) {
        int carry = static_cast<unsigned char>(c);
        for (int& d : digits) {
            const int v = d * 256 + carry;
            d = v % 62;
            carry = v / 62;
        }
        while (carry) {
            digits.append(carry % 62);
            carry /= 62;
        }
    }
    QByteArray out;
    for (const char c : bytes) {
        if (c != 0) {
            break;
        }
        out.append('0');
    }
    for (qsizetype i = digits.size() - 1; i >= 0; --i) {
        out.append(alphabet[digits[i]]);
    }
    return out;
}

QByteArray le64(quint64 v)
{
    QByteArray out(8, '\0');
    for (int i = 0; i < 8; ++i) {
        out[i] = char((v >> (8 * i)) & 0xff);
    }
    return out;
}

QByteArray pae(const QList<QByteArray>& pieces)
{
    QByteArray out = le64(quint64(pieces.size()));
    for (const QByteArray& p : pieces) {
        out += le64(quint64(p.size())) + p;
    }
    return out;
}

QByteArray macaroonV1Packet(const QByteArray& key, const QByteArray& value)
{
    const QByteArray body = key + ' ' + value + '\n';
    return QByteArray::number(body.size() + 4, 16).rightJustified(4, '0') + body;
}

QByteArray v2Field(int type, const QByteArray& data)
{
    return QByteArray(1, char(type)) + QByteArray(1, char(data.size())) + data;
}

bool havePython(const char* module)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"), QStringLiteral("import ") + QLatin1String(module)});
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TstInspect : public QObject
{
    Q_OBJECT

private slots:
    // ---- diff ---------------------------------------------------------------------------------------------

    void diffIdentical()
    {
        const QByteArray t = hs256("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{\"sub\":\"a\"}");
        const auto d = inspect::diffTokens(t, t);
        QVERIFY(d);
        QVERIFY(d->identical);
        QVERIFY(d->header.isEmpty() && d->payload.isEmpty());
        QVERIFY(d->sameAlg && d->sameKid);
        for (const auto& s : d->segments) {
            QVERIFY(s.equal());
        }
    }

    void diffHeaderMemberAdded()
    {
        const QByteArray a = hs256("{\"alg\":\"HS256\"}", "{\"sub\":\"a\"}");
        const QByteArray b = hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"a\"}");
        const auto d = inspect::diffTokens(a, b);
        QVERIFY(d);
        QCOMPARE(QString::fromUtf8(inspect::diffToJson(*d)),
                 QStringLiteral("{\"identical\":false,\"kind_a\":\"JWS\",\"kind_b\":\"JWS\",\"header\":[{\"path\":"
                                "\"/typ\",\"op\":\"added\",\"a\":null,\"b\":\"JWT\"}],\"payload\":[],\"same_alg\":true,"
                                "\"same_kid\":true,\"alg\":{\"a\":\"HS256\",\"b\":\"HS256\"},\"kid\":{\"a\":null,\"b\":"
                                "null},\"same_key\":null,\"thumbprint\":{\"a\":null,\"b\":null},\"times\":{},"
                                "\"segments\":{\"header\":{\"equal\":false,\"length_a\":20,\"length_b\":36,"
                                "\"first_diff\":18},\"payload\":{\"equal\":true,\"length_a\":15,\"length_b\":15,"
                                "\"first_diff\":null},\"signature\":{\"equal\":false,\"length_a\":43,\"length_b\":43,"
                                "\"first_diff\":0}},\"notes\":[]}\n"));
    }

    void diffClaimChangedNestedArray()
    {
        const QByteArray h = "{\"alg\":\"HS256\"}";
        const QByteArray a = hs256(h, "{\"sub\":\"alice\",\"ctx\":{\"ip\":\"1.1.1.1\",\"a/b\":1,\"deep\":{\"x\":1}},"
                                      "\"roles\":[\"r1\",\"r2\"],\"gone\":null}");
        const QByteArray b = hs256(h, "{\"sub\":\"bob\",\"ctx\":{\"ip\":\"1.1.1.1\",\"a/b\":2,\"deep\":{\"x\":1,"
                                      "\"y\":[1]}},\"roles\":[\"r1\"],\"new\":{\"k\":true}}");
        const QJsonObject o = diffJson(a, b);
        const QJsonArray payload = o.value(QStringLiteral("payload")).toArray();
        QCOMPARE(QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact)),
                 QStringLiteral("[{\"a\":\"alice\",\"b\":\"bob\",\"op\":\"changed\",\"path\":\"/sub\"},"
                                "{\"a\":1,\"b\":2,\"op\":\"changed\",\"path\":\"/ctx/a~1b\"},"
                                "{\"a\":null,\"b\":[1],\"op\":\"added\",\"path\":\"/ctx/deep/y\"},"
                                "{\"a\":[\"r1\",\"r2\"],\"b\":[\"r1\"],\"op\":\"changed\",\"path\":\"/roles\"},"
                                "{\"a\":null,\"b\":null,\"op\":\"removed\",\"path\":\"/gone\"},"
                                "{\"a\":null,\"b\":{\"k\":true},\"op\":\"added\",\"path\":\"/new\"}]"));
        QCOMPARE(o.value(QStringLiteral("header")).toArray().size(), 0);
    }

    void diffNumberSpellingAndKeyOrder()
    {
        const QByteArray h = "{\"alg\":\"HS256\"}";
        // 1.0 and 1 are the same number to JSON but not the same bytes: the diff shows the spelling.
        const QJsonObject spelled = diffJson(hs256(h, "{\"n\":1}"), hs256(h, "{\"n\":1.0}"));
        QCOMPARE(spelled.value(QStringLiteral("payload")).toArray().size(), 1);
        const auto d = inspect::diffTokens(hs256(h, "{\"a\":1,\"b\":2}"), hs256(h, "{\"b\":2, \"a\":1}"));
        QVERIFY(d);
        QVERIFY(!d->identical);
        QVERIFY(d->payload.isEmpty());
        QCOMPARE(d->notes.size(), 1);
        QVERIFY(d->notes[0].contains(QStringLiteral("key order")));
    }

    void diffTimes()
    {
        const QByteArray h = "{\"alg\":\"HS256\"}";
        const QJsonObject o =
            diffJson(hs256(h, "{\"iat\":1000,\"exp\":4600}"), hs256(h, "{\"iat\":1100,\"nbf\":1100,\"exp\":8300.5}"));
        QCOMPARE(QString::fromUtf8(
                     QJsonDocument(o.value(QStringLiteral("times")).toObject()).toJson(QJsonDocument::Compact)),
                 QStringLiteral("{\"exp\":{\"a\":4600,\"b\":8300.5,\"delta\":3700.5},"
                                "\"iat\":{\"a\":1000,\"b\":1100,\"delta\":100},"
                                "\"lifetime\":{\"a\":3600,\"b\":7200.5,\"delta\":3600.5},"
                                "\"nbf\":{\"a\":null,\"b\":1100,\"delta\":null}}"));
        // Times are listed iat, nbf, exp, lifetime in the raw output.
        const auto d = inspect::diffTokens(hs256(h, "{\"iat\":1000,\"exp\":4600}"),
                                           hs256(h, "{\"iat\":1100,\"nbf\":1100,\"exp\":8300.5}"));
        QVERIFY(d);
        QCOMPARE(d->times.size(), 4);
        QCOMPARE(d->times[0].name, QStringLiteral("iat"));
        QCOMPARE(d->times[1].name, QStringLiteral("nbf"));
        QCOMPARE(d->times[3].name, QStringLiteral("lifetime"));
    }

    void diffKidAndAlg()
    {
        const QByteArray p = "{\"sub\":\"a\"}";
        QJsonObject o =
            diffJson(hs256("{\"alg\":\"HS256\",\"kid\":\"k1\"}", p), hs256("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{}"));
        QCOMPARE(o.value(QStringLiteral("same_kid")).toBool(), true);
        o = diffJson(hs256("{\"alg\":\"HS256\",\"kid\":\"k1\"}", p), hs256("{\"alg\":\"HS256\",\"kid\":\"k2\"}", p));
        QCOMPARE(o.value(QStringLiteral("same_kid")).toBool(), false);
        QCOMPARE(o.value(QStringLiteral("same_alg")).toBool(), true);
        const QByteArray unsignedToken = b64("{\"alg\":\"none\",\"kid\":\"k1\"}") + '.' + b64(p) + '.';
        o = diffJson(hs256("{\"alg\":\"HS256\",\"kid\":\"k1\"}", p), unsignedToken);
        QCOMPARE(o.value(QStringLiteral("same_alg")).toBool(), false);
        QCOMPARE(o.value(QStringLiteral("same_kid")).toBool(), true);
        const QJsonObject sig =
            o.value(QStringLiteral("segments")).toObject().value(QStringLiteral("signature")).toObject();
        QCOMPARE(sig.value(QStringLiteral("length_b")).toInt(), 0);
        QCOMPARE(sig.value(QStringLiteral("first_diff")).toInt(), 0);
    }

    void diffThumbprints()
    {
        const auto k1 = keys::generateKey(jose::Alg::ES256);
        const auto k2 = keys::generateKey(jose::Alg::ES256);
        QVERIFY(k1 && k2);
        const QByteArray h = "{\"alg\":\"ES256\"}";
        const auto a = jose::signCompact(jose::Alg::ES256, k1->get(), h, "{}");
        const auto b = jose::signCompact(jose::Alg::ES256, k2->get(), h, "{}");
        QVERIFY(a && b);
        auto d = inspect::diffTokens(*a, *b, k1->get(), k2->get());
        QVERIFY(d && d->sameKey.has_value());
        QCOMPARE(*d->sameKey, false);
        d = inspect::diffTokens(*a, *a, k1->get(), k1->get());
        QVERIFY(d && d->sameKey.value_or(false));
        // An embedded jwk header gives the thumbprint without a key file.
        const auto jwk = keys::exportJwk(**k1, keys::KeyPart::Public);
        QVERIFY(jwk);
        const QByteArray embedded = "{\"alg\":\"ES256\",\"jwk\":" + *jwk + '}';
        const auto c = jose::signCompact(jose::Alg::ES256, k1->get(), embedded, "{}");
        QVERIFY(c);
        d = inspect::diffTokens(*c, *a, nullptr, k1->get());
        QVERIFY(d && d->sameKey.value_or(false));
    }

    void diffJweHeaders()
    {
        const QByteArray a = b64("{\"alg\":\"dir\",\"enc\":\"A256GCM\",\"kid\":\"e1\"}") +
                             "..AAAAAAAAAAAAAAAA.Y2lwaGVy.dGFndGFndGFndGFn";
        const QByteArray b = b64("{\"alg\":\"dir\",\"enc\":\"A128GCM\",\"kid\":\"e1\"}") +
                             "..AAAAAAAAAAAAAAAB.Y2lwaGVy.dGFndGFndGFndGFn";
        const auto d = inspect::diffTokens(a, b);
        QVERIFY(d);
        QCOMPARE(d->kindA, QStringLiteral("JWE"));
        QCOMPARE(d->header.size(), 1);
        QCOMPARE(d->header[0].path, QStringLiteral("/enc"));
        QCOMPARE(d->segments.size(), 5);
        QCOMPARE(d->segments[2].name, QStringLiteral("iv"));
        QCOMPARE(d->segments[2].firstDiff, 15);
        QVERIFY(d->segments[3].equal());
    }

    void diffBadInput()
    {
        const QByteArray good = hs256("{\"alg\":\"HS256\"}", "{}");
        QVERIFY(!inspect::diffTokens(good, "not a token"));
        QVERIFY(!inspect::diffTokens("a.b", good));
        QVERIFY(!inspect::diffTokens(b64("[1]") + ".e30.", good)); // header not an object
        QVERIFY(!inspect::diffTokens(b64("{\"alg\":") + ".e30.", good));
    }

    void diffPayloadNotJson()
    {
        const QByteArray h = "{\"alg\":\"HS256\"}";
        const auto d = inspect::diffTokens(hs256(h, "hello"), hs256(h, "{\"a\":1}"));
        QVERIFY(d);
        QCOMPARE(d->payload.size(), 1);
        QCOMPARE(d->payload[0].path, QString());
        QCOMPARE(d->payload[0].a, QByteArray("\"hello\""));
    }

    // ---- identify -----------------------------------------------------------------------------------------

    void identifyLabelled_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("kind");
        // Real samples made with Debian 12's python3-itsdangerous 2.1, python3-django 3.2, python3-cryptography.
        QTest::newRow("itsdangerous-flask")
            << QByteArray("eyJ1c2VyIjoiYWxpY2UiLCJjc3JmIjoieCJ9.awj-lA.rUh0kNpUKOMFmGQsSbbAmGNEtyU")
            << QStringLiteral("itsdangerous");
        QTest::newRow("itsdangerous-compressed")
            << QByteArray(".eJyrVkpJLElUslJKHCZAqRYAjQNPHQ.awj-lA.p6uEg6dTtX8fecBaQXUR5pzdmRs")
            << QStringLiteral("itsdangerous");
        QTest::newRow("itsdangerous-untimed")
            << QByteArray("eyJ1c2VyIjoiYm9iIn0.vxNN55GAlwQmpiQTcIQ6ulGJWb4") << QStringLiteral("itsdangerous");
        QTest::newRow("django-dumps")
            << QByteArray("eyJ1c2VyIjoiYWxpY2UifQ:1xWn12:duy1Cm088e_mOPDhu-h3hKvquWe4x90F6WqpoBKhFjI")
            << QStringLiteral("django-signed");
        QTest::newRow("django-dumps-compressed")
            << QByteArray(".eJyrVqpQslJKHAVEA6VaAJ7Ic98:1xWn12:cbQlW7PCJLNBW83xEB6QJMtc4rqZnytzcKCZ4SZIuqo")
            << QStringLiteral("django-signed");
        QTest::newRow("django-cookie") << QByteArray("abc123value:1xWn12:p0nIPc7f9iJ7lS0UJ-p-xT2oAt-VRwhxqcQff8BbMBE")
                                       << QStringLiteral("django-signed");
        QTest::newRow("fernet") << QByteArray(
                                       "gAAAAABrCP6UXFtnon8OmOC3u3X7lmxYjA56BhM3f7zhn8K6K-J3UbV464Q-zNwRqJYc4vXax5"
                                       "8X2isb69POz7ujA-hrtqOGfQ==")
                                << QStringLiteral("fernet");
        const QByteArray xml = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_1\">"
                               "<saml:Issuer xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">https:/"
                               "/idp.example</saml:Issuer></samlp:Response>";
        QTest::newRow("saml-xml") << xml << QStringLiteral("saml");
        QTest::newRow("saml-base64") << xml.toBase64() << QStringLiteral("saml");
        QTest::newRow("saml-deflate")
            << QByteArray(
                   "fc5BCsIwFATQq5QcoFGXnzQguCnoxh5AQv1gIMn/ZFLo8cW6sCuXMzCPcQg5Kd0ZKgXcrTkV0FYOZqmFJCCCSsgMajNN59uVTv2"
                   "BtEqTWZLpxstgHkfj3WdFI7Bw3Tn/mQBwbVGK8a/WFGRtfGrPa8ia2Nmd6b/pd9a/AQ==")
            << QStringLiteral("saml");
        QTest::newRow("saml-redirect-param")
            << QByteArray(
                   "SAMLRequest=fc5BCsIwFATQq5QcoFGXnzQguCnoxh5AQv1gIMn%2FZFLo8cW6sCuXMzCPcQg5Kd0ZKgXcrTkV0FYOZqmFJCCC"
                   "SsgMajNN59uVTv2BtEqTWZLpxstgHkfj3WdFI7Bw3Tn%2FmQBwbVGK8a%2FWFGRtfGrPa8ia2Nmd6b%2Fpd9a%2FAQ%3D%3D"
                   "&RelayState=x")
            << QStringLiteral("saml");

        // JOSE.
        const QByteArray jws = hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"a\"}");
        QTest::newRow("jws") << jws << QStringLiteral("jws");
        QTest::newRow("bearer-jws") << QByteArray("Bearer " + jws) << QStringLiteral("jws");
        const QList<QByteArray> parts = jws.split('.');
        QTest::newRow("jws-json-general")
            << QByteArray("{\"payload\":\"" + parts[1] + "\",\"signatures\":[{\"protected\":\"" + parts[0] +
                          "\",\"signature\":\"" + parts[2] + "\"}]}")
            << QStringLiteral("jws-json");
        QTest::newRow("jws-json-flattened") << QByteArray("{\"payload\":\"" + parts[1] + "\",\"protected\":\"" +
                                                          parts[0] + "\",\"signature\":\"" + parts[2] + "\"}")
                                            << QStringLiteral("jws-json");
        QTest::newRow("unsecured") << QByteArray(b64("{\"alg\":\"none\"}") + '.' + b64("{\"sub\":\"a\"}") + '.')
                                   << QStringLiteral("unsecured-jwt");
        QTest::newRow("jwe") << QByteArray(b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}") +
                                           ".ZW5jcnlwdGVka2V5.aXZpdml2aXZpdml2.Y2lwaGVydGV4dA.dGFndGFndGFndGFndGFn")
                             << QStringLiteral("jwe");
        QTest::newRow("jwe-json") << QByteArray("{\"protected\":\"" + b64("{\"enc\":\"A128GCM\"}") +
                                                "\",\"recipients\":[],\"iv\":\"aXY\",\"ciphertext\":\"Y3Q\","
                                                "\"tag\":\"dGFn\"}")
                                  << QStringLiteral("jwe");

        // PASETO, all versions and purposes (bodies of the right sizes; v4.public really signed).
        const auto ed = keys::generateKey(jose::Alg::EdDSA);
        const QByteArray claims = "{\"sub\":\"alice\",\"exp\":\"2030-01-01T00:00:00+00:00\"}";
        const QByteArray footer = "{\"kid\":\"k1\"}";
        const auto sig = crypto::signBytes(jose::Alg::EdDSA, **ed, pae({"v4.public.", claims, footer, ""}));
        QTest::newRow("paseto-v4-public")
            << QByteArray("v4.public." + b64(claims + *sig) + '.' + b64(footer)) << QStringLiteral("paseto");
        const int localSizes[] = {32 + 48, 24 + 16, 32 + 48, 32 + 32};
        const int publicSizes[] = {256, 64, 96, 64};
        for (int v = 1; v <= 4; ++v) {
            QTest::addRow("paseto-v%d-local", v)
                << QByteArray("v" + QByteArray::number(v) + ".local." + b64(QByteArray(localSizes[v - 1] + 20, 'x')))
                << QStringLiteral("paseto");
            QTest::addRow("paseto-v%d-public", v) << QByteArray("v" + QByteArray::number(v) + ".public." +
                                                                b64(claims + QByteArray(publicSizes[v - 1], 's')))
                                                  << QStringLiteral("paseto");
        }

        // Branca: 0xBA, timestamp, 24-byte nonce, ciphertext, 16-byte tag, in base62.
        QByteArray branca =
            QByteArray::fromHex("BA5F000000") + QByteArray(24, 'n') + "ciphertext" + QByteArray(16, 't');
        QTest::newRow("branca") << base62Encode(branca) << QStringLiteral("branca");

        // Macaroons: v1 binary, v2 binary, v2 JSON.
        const QByteArray v1 = macaroonV1Packet("location", "https://example.org") +
                              macaroonV1Packet("identifier", "id-1") + macaroonV1Packet("cid", "account = 1") +
                              macaroonV1Packet("signature", QByteArray(32, 's'));
        QTest::newRow("macaroon-v1") << b64(v1) << QStringLiteral("macaroon");
        const QByteArray v2 = QByteArray(1, '\x02') + v2Field(1, "https://example.org") + v2Field(2, "id-2") +
                              QByteArray(1, '\0') + v2Field(2, "time < 2030") + QByteArray(1, '\0') +
                              QByteArray(1, '\0') + v2Field(6, QByteArray(32, 's'));
        QTest::newRow("macaroon-v2") << v2.toBase64() << QStringLiteral("macaroon");
        QTest::newRow("macaroon-v2-json") << QByteArray("{\"v\":2,\"l\":\"https://example.org\",\"i\":\"id\","
                                                        "\"c\":[{\"i\":\"a = 1\"}],\"s64\":\"c2lnbmF0dXJl\"}")
                                          << QStringLiteral("macaroon");

        // Opaque and unknown.
        QTest::newRow("opaque-hex") << QByteArray("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                                    << QStringLiteral("opaque");
        QTest::newRow("opaque-b64url") << QByteArray("Zm9vYmFyYmF6cXV4X-quux_0123456789ABCDEF")
                                       << QStringLiteral("opaque");
        QTest::newRow("uuid-v4") << QByteArray("3b241101-e2bb-4255-8caf-4136c566a962") << QStringLiteral("opaque");
        QTest::newRow("words") << QByteArray("hello world, this is not a token") << QStringLiteral("unknown");
        QTest::newRow("repetitive") << QByteArray("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") << QStringLiteral("unknown");
        QTest::newRow("jwt-shaped-junk") << QByteArray("abc.def.ghi") << QStringLiteral("unknown");
        QTest::newRow("json-not-token") << QByteArray("{\"a\":1}") << QStringLiteral("unknown");
        QTest::newRow("empty") << QByteArray("   ") << QStringLiteral("unknown");
    }

    void identifyLabelled()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, kind);
        const inspect::Identification id = inspect::identify(text);
        QVERIFY2(id.kind == kind, qPrintable(id.kind + QStringLiteral(": ") + id.reason));
        QVERIFY(!id.reason.isEmpty());
        const bool jwsLike = kind == QStringLiteral("jws");
        QCOMPARE(id.actions.contains(QStringLiteral("verify")),
                 jwsLike || kind == QStringLiteral("unsecured-jwt") || kind == QStringLiteral("jws-json"));
        QCOMPARE(id.actions.contains(QStringLiteral("decrypt")), kind == QStringLiteral("jwe"));
        QCOMPARE(id.actions.contains(QStringLiteral("lint")), jwsLike || kind == QStringLiteral("unsecured-jwt") ||
                                                                  kind == QStringLiteral("jws-json") ||
                                                                  kind == QStringLiteral("jwe"));
        QVERIFY(!id.actions.contains(QStringLiteral("crack")) || jwsLike);
        const QJsonObject json = QJsonDocument::fromJson(inspect::identificationToJson(id)).object();
        QCOMPARE(json.value(QStringLiteral("kind")).toString(), kind);
    }

    void identifyDetails()
    {
        auto id = inspect::identify("eyJ1c2VyIjoiYWxpY2UiLCJjc3JmIjoieCJ9.awj-lA.rUh0kNpUKOMFmGQsSbbAmGNEtyU");
        QCOMPARE(id.details.value(QStringLiteral("payload")).toObject().value(QStringLiteral("user")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(id.details.value(QStringLiteral("timestamp")).toObject().value(QStringLiteral("epoch")).toDouble(),
                 1795751572.0);
        id = inspect::identify("gAAAAABrCP6UXFtnon8OmOC3u3X7lmxYjA56BhM3f7zhn8K6K-J3UbV464Q-zNwRqJYc4vXax58X2isb69POz7"
                               "ujA-hrtqOGfQ==");
        QCOMPARE(id.details.value(QStringLiteral("timestamp")).toObject().value(QStringLiteral("utc")).toString(),
                 QStringLiteral("2026-11-27T03:52:52Z"));
        QCOMPARE(id.details.value(QStringLiteral("ciphertext_bytes")).toInt(), 16);
        const QByteArray claims = "{\"sub\":\"alice\"}";
        id = inspect::identify("v2.public." + b64(claims + QByteArray(64, 's')) + '.' + b64("footer-text"));
        QCOMPARE(id.details.value(QStringLiteral("version")).toString(), QStringLiteral("v2"));
        QCOMPARE(id.details.value(QStringLiteral("purpose")).toString(), QStringLiteral("public"));
        QCOMPARE(id.details.value(QStringLiteral("footer")).toString(), QStringLiteral("footer-text"));
        QCOMPARE(id.details.value(QStringLiteral("payload")).toObject().value(QStringLiteral("sub")).toString(),
                 QStringLiteral("alice"));
        id = inspect::identify("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        QCOMPARE(id.entropyBits, 256.0);
        id = inspect::identify(hs256("{\"alg\":\"HS256\"}", "{}"));
        QVERIFY(id.actions.contains(QStringLiteral("crack")));
        id = inspect::identify(b64("{\"alg\":\"dir\",\"enc\":\"A256GCM\"}") + "..aXY.Y3Q.dGFn");
        QVERIFY(!id.actions.contains(QStringLiteral("crack")) && !id.actions.contains(QStringLiteral("verify")));
    }

    void randomStringsAreNeverJwts()
    {
        QRandomGenerator rng(20261127);
        static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const QStringList jose = {QStringLiteral("jws"), QStringLiteral("jwe"), QStringLiteral("unsecured-jwt"),
                                  QStringLiteral("jws-json")};
        for (int i = 0; i < 20000; ++i) {
            const int len = 1 + int(rng.bounded(300));
            QByteArray s;
            for (int k = 0; k < len; ++k) {
                s.append(alphabet[rng.bounded(64)]);
            }
            // Dots where a JWT has them, in half the samples; random ones in a quarter.
            if (i % 2 == 0 && len > 10) {
                s[len / 3] = '.';
                s[2 * len / 3] = '.';
            } else if (i % 4 == 1) {
                s[int(rng.bounded(len))] = '.';
            }
            if (i % 8 == 3) {
                s = "eyJ" + s; // looks like a JSON object's base64url start
            }
            const inspect::Identification id = inspect::identify(s);
            QVERIFY2(!jose.contains(id.kind), s.constData());
        }
    }

    void randomBytesNeverCrash()
    {
        QRandomGenerator rng(7);
        for (int i = 0; i < 5000; ++i) {
            QByteArray s(1 + int(rng.bounded(400)), Qt::Uninitialized);
            for (char& c : s) {
                c = char(rng.bounded(256));
            }
            if (i % 3 == 0) {
                s.prepend(i % 2 ? "v2.public." : "eyJ");
            }
            const inspect::Identification id = inspect::identify(s);
            QVERIFY(!id.kind.isEmpty() && !id.reason.isEmpty());
            QVERIFY(!inspect::identificationToJson(id).isEmpty());
        }
    }

    // ---- malleate ------------------------------------------------------------------------------------------

    void malleateVariants_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QByteArray>("payload");
        for (const char* alg : {"ES256", "ES384", "ES512", "ES256K", "HS256", "RS256", "PS256", "EdDSA"}) {
            // Three payload lengths cover every base64url remainder (0, 2, 3 characters past a multiple of 4).
            for (const char* p : {"{\"sub\":\"a\",\"jti\":\"j1\"}", "{\"sub\":\"ab\",\"jti\":\"j1\"}",
                                  "{\"sub\":\"abc\",\"iss\":\"i\",\"jti\":\"j1\"}"}) {
                QTest::addRow("%s-%d", alg, int(qstrlen(p))) << QString::fromLatin1(alg) << QByteArray(p);
            }
        }
    }

    void malleateVariants()
    {
        QFETCH(QString, alg);
        QFETCH(QByteArray, payload);
        const auto a = jose::algFromName(alg);
        QVERIFY(a);
        const auto key = keys::generateKey(*a);
        QVERIFY(key);
        const QByteArray header = "{\"alg\":\"" + alg.toLatin1() + "\",\"kid\":\"k\"}";
        const auto token = jose::signCompact(*a, key->get(), header, payload);
        QVERIFY(token);
        validate::KeyInput input;
        input.key = *key;
        validate::Policy policy;
        policy.now = 1700000000;
        const auto report = inspect::malleate(*token, &input, policy);
        QVERIFY(report);
        QCOMPARE(report->originalSignature, validate::SignatureState::Valid);
        QVERIFY(report->variants.size() >= 4);
        const bool ecdsa = alg.startsWith(QStringLiteral("ES"));
        bool sawHighS = false;
        for (const inspect::Variant& v : report->variants) {
            QVERIFY(v.token != *token);
            // The explorer's own verdict matches a direct call of the one verify path.
            const auto direct = validate::verifyToken(v.token, input, policy);
            QVERIFY(direct);
            QCOMPARE(v.signature, direct->signature);
            QVERIFY2((direct->signature == validate::SignatureState::Valid) == v.tokenbenchExpected,
                     qPrintable(v.name));
            QVERIFY(v.defeats.tokenHash);
            QVERIFY(!v.defeats.jti && !v.defeats.issJti);
            QCOMPARE(v.defeats.signatureHash, v.segment == QStringLiteral("signature"));
            if (v.name == QStringLiteral("high-s")) {
                sawHighS = true;
                QVERIFY(v.defeats.signatureBytes);
                QVERIFY(v.tokenbenchExpected); // tokenbench accepts high-S, like OpenSSL
            }
            if (v.segment == QStringLiteral("signature") && v.name != QStringLiteral("high-s")) {
                QVERIFY(!v.tokenbenchExpected); // CLI.md edge case 10
                bool warned = false;
                for (const QString& w : direct->warnings) {
                    warned = warned || w.contains(QStringLiteral("signature segment"));
                }
                QVERIFY(warned);
            }
        }
        QCOMPARE(sawHighS, ecdsa);
        // High-S flips back: n - (n - s) = s.
        if (ecdsa) {
            const auto t = jose::parseCompact(*token);
            const QByteArray flipped = inspect::flipEcdsaS(t->signature, *a);
            QCOMPARE(inspect::flipEcdsaS(flipped, *a), t->signature);
        }
    }

    void malleateWithoutKeyAndBadInput()
    {
        const QByteArray t = hs256("{\"alg\":\"HS256\"}", "{\"sub\":\"x\"}");
        validate::Policy policy;
        const auto r = inspect::malleate(t, nullptr, policy);
        QVERIFY(r);
        QVERIFY(!r->originalSignature);
        QVERIFY(!r->hasJti);
        for (const auto& v : r->variants) {
            QVERIFY(!v.signature);
        }
        QVERIFY(!inspect::malleate("x.y", nullptr, policy));
        QVERIFY(!inspect::malleate(b64("{\"alg\":\"dir\",\"enc\":\"A256GCM\"}") + "..aXY.Y3Q.dGFn", nullptr, policy));
    }

    void malleateAgainstJwcrypto()
    {
        if (!havePython("jwcrypto")) {
            QSKIP("python3-jwcrypto is not installed for /usr/bin/python3");
        }
        QTemporaryDir dir;
        QJsonArray cases;
        QList<inspect::Variant> all;
        for (const jose::Alg alg : {jose::Alg::ES256, jose::Alg::ES384, jose::Alg::ES512, jose::Alg::HS256,
                                    jose::Alg::RS256, jose::Alg::EdDSA}) {
            const auto key = keys::generateKey(alg);
            QVERIFY(key);
            const auto jwk = keys::exportJwk(**key, (*key)->type() == keys::KeyType::Oct ? keys::KeyPart::Private
                                                                                         : keys::KeyPart::Public);
            QVERIFY(jwk);
            for (const QByteArray& payload :
                 {QByteArray("{\"a\":1,\"jti\":\"x\"}"), QByteArray("{\"ab\":1,\"jti\":\"x\"}"),
                  QByteArray("{\"abc\":1,\"jti\":\"x\"}")}) {
                const QByteArray header = "{\"alg\":\"" + jose::algName(alg).toLatin1() + "\",\"k\":\"" +
                                          QByteArray(int(payload.size() % 3), 'h') + "\"}";
                const auto token = jose::signCompact(alg, key->get(), header, payload);
                QVERIFY(token);
                const auto r = inspect::malleate(*token, nullptr, validate::Policy{});
                QVERIFY(r);
                for (const auto& v : r->variants) {
                    cases.append(QJsonObject{{QStringLiteral("jwk"), QString::fromUtf8(*jwk)},
                                             {QStringLiteral("token"), QString::fromLatin1(v.token)}});
                    all.append(v);
                }
            }
        }
        const QString in = dir.filePath(QStringLiteral("cases.json"));
        QVERIFY(test::writeFileBytes(in, QJsonDocument(cases).toJson(QJsonDocument::Compact)));
        const QString script = QStringLiteral(
            "import json,sys\n"
            "from jwcrypto import jwk, jws\n"
            "out=[]\n"
            "for c in json.load(open(sys.argv[1])):\n"
            "    try:\n"
            "        o=jws.JWS(); o.deserialize(c['token']); o.verify(jwk.JWK.from_json(c['jwk'])); out.append(True)\n"
            "    except Exception:\n"
            "        out.append(False)\n"
            "print(json.dumps(out))\n");
        QProcess p;
        p.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script, in});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const QJsonArray verdicts = QJsonDocument::fromJson(p.readAllStandardOutput()).array();
        QCOMPARE(verdicts.size(), all.size());
        for (qsizetype i = 0; i < all.size(); ++i) {
            // The explorer names jwcrypto among the verifiers that accept a variant exactly when it does.
            const bool claimed = all[i].verifiesUnder.join(u' ').contains(QStringLiteral("jwcrypto"));
            QVERIFY2(verdicts[i].toBool() == claimed,
                     qPrintable(all[i].name + QStringLiteral(" ") + QString::fromLatin1(all[i].token)));
        }
    }
};

QTEST_GUILESS_MAIN(TstInspect)
#include "tst_inspect.moc"
