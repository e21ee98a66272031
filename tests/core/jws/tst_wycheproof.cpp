// Project Wycheproof (../shared/vectors/wycheproof): every JWS/JWK case and every primitive case gets its
// expected result. Rows are named after the file and tcId.
#include <functional>

#include <QJsonArray>
#include <QTest>

#include "TestSupport.h"
#include "crypto/Signature.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using namespace tb;

namespace {

struct Case
{
    QJsonObject group;
    QJsonObject test;
};

QHash<QString, Case> g_cases;

QString rowName(const QString& file, const QJsonObject& test)
{
    return QStringLiteral("%1 tcId %2 %3").arg(file).arg(test.value(QStringLiteral("tcId")).toInt()).arg(test.value(QStringLiteral("comment")).toString());
}

void addRows(const QString& file, const std::function<bool(const QJsonObject&)>& takeGroup)
{
    const QJsonObject doc = test::loadVectorFile(QStringLiteral("wycheproof/") + file);
    QVERIFY2(!doc.isEmpty(), qPrintable(file));
    for (const auto& g : doc.value(QStringLiteral("testGroups")).toArray()) {
        const QJsonObject group = g.toObject();
        if (!takeGroup(group)) {
            continue;
        }
        for (const auto& t : group.value(QStringLiteral("tests")).toArray()) {
            const QString name = rowName(file, t.toObject());
            g_cases.insert(name, {group, t.toObject()});
            QTest::newRow(qPrintable(name)) << name;
        }
    }
}

// Tokens with characters outside base64url whose MAC was computed with them removed: Wycheproof marks them
// valid, RFC 7515 §2 forbids such characters (see vectors/README.md "Known divergence").
bool knownDivergence(const QString& file, int tcId)
{
    return file == QStringLiteral("json_web_signature_test.json") && (tcId == 372 || tcId == 373);
}

validate::KeyInput keyInputFor(const QJsonObject& group)
{
    const QJsonObject key = group.contains(QStringLiteral("public")) ? group.value(QStringLiteral("public")).toObject()
                                                                     : group.value(QStringLiteral("private")).toObject();
    validate::KeyInput input;
    if (key.contains(QStringLiteral("keys"))) {
        auto set = keys::importJwks(QJsonDocument(key).toJson());
        if (set) {
            input.jwks = *set;
        }
    } else if (auto k = keys::importJwk(key)) {
        input.key = *k;
    }
    return input;
}

void checkJoseCase(const QString& name, const QString& file)
{
    const Case c = g_cases.value(name);
    const QString expected = c.test.value(QStringLiteral("result")).toString();
    const QString token = c.test.value(QStringLiteral("jws")).isString() ? c.test.value(QStringLiteral("jws")).toString()
                                                                         : QString();
    const validate::KeyInput input = keyInputFor(c.group);
    bool valid = false;
    QString why = QStringLiteral("no usable key");
    if (!token.isEmpty() && (input.key || (input.jwks && !input.jwks->keys.isEmpty()))) {
        validate::Policy policy;
        policy.now = 1700000000;
        auto report = validate::verifyToken(token.toUtf8(), input, policy);
        valid = report && report->valid;
        why = !report ? report.error().message
              : report->firstFailure() ? report->firstFailure()->name + u": " + report->firstFailure()->detail
                                       : QStringLiteral("valid");
    }
    if (knownDivergence(file, c.test.value(QStringLiteral("tcId")).toInt())) {
        QVERIFY2(!valid, "a token with a character outside base64url must be refused");
        return;
    }
    if (expected == QStringLiteral("acceptable")) {
        return;
    }
    QVERIFY2(valid == (expected == QStringLiteral("valid")), qPrintable(QStringLiteral("expected %1, got %2").arg(expected, why)));
}

} // namespace

class TestWycheproof : public QObject
{
    Q_OBJECT

private slots:
    void jsonWebSignature_data()
    {
        QTest::addColumn<QString>("name");
        addRows(QStringLiteral("json_web_signature_test.json"), [](const QJsonObject&) { return true; });
    }
    void jsonWebSignature()
    {
        QFETCH(QString, name);
        checkJoseCase(name, QStringLiteral("json_web_signature_test.json"));
    }

    void jsonWebKey_data()
    {
        QTest::addColumn<QString>("name");
        addRows(QStringLiteral("json_web_key_test.json"), [](const QJsonObject&) { return true; });
    }
    void jsonWebKey()
    {
        QFETCH(QString, name);
        checkJoseCase(name, QStringLiteral("json_web_key_test.json"));
    }

    void jsonWebCryptoJws_data()
    {
        QTest::addColumn<QString>("name");
        // The jwe_* groups belong to the JWE issue.
        addRows(QStringLiteral("json_web_crypto_test.json"), [](const QJsonObject& g) {
            return !g.value(QStringLiteral("comment")).toString().startsWith(QStringLiteral("jwe"));
        });
    }
    void jsonWebCryptoJws()
    {
        QFETCH(QString, name);
        checkJoseCase(name, QStringLiteral("json_web_crypto_test.json"));
    }

    void primitives_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("alg");
        const QList<std::pair<QString, QString>> files = {
            {QStringLiteral("ecdsa_secp256r1_sha256_p1363_test.json"), QStringLiteral("ES256")},
            {QStringLiteral("ecdsa_secp384r1_sha384_p1363_test.json"), QStringLiteral("ES384")},
            {QStringLiteral("ecdsa_secp521r1_sha512_p1363_test.json"), QStringLiteral("ES512")},
            {QStringLiteral("ecdsa_secp256k1_sha256_p1363_test.json"), QStringLiteral("ES256K")},
            {QStringLiteral("ed25519_test.json"), QStringLiteral("EdDSA")},
            {QStringLiteral("rsa_signature_2048_sha256_test.json"), QStringLiteral("RS256")},
            {QStringLiteral("rsa_pss_2048_sha256_mgf1_32_test.json"), QStringLiteral("PS256")},
        };
        for (const auto& [file, alg] : files) {
            const QJsonObject doc = test::loadVectorFile(QStringLiteral("wycheproof/") + file);
            QVERIFY2(!doc.isEmpty(), qPrintable(file));
            for (const auto& g : doc.value(QStringLiteral("testGroups")).toArray()) {
                for (const auto& t : g.toObject().value(QStringLiteral("tests")).toArray()) {
                    const QString name = rowName(file, t.toObject());
                    g_cases.insert(name, {g.toObject(), t.toObject()});
                    QTest::newRow(qPrintable(name)) << name << alg;
                }
            }
        }
    }

    void primitives()
    {
        QFETCH(QString, name);
        QFETCH(QString, alg);
        const Case c = g_cases.value(name);
        const QString pem = c.group.value(QStringLiteral("publicKeyPem")).toString();
        auto key = keys::importKey(pem.toUtf8());
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        const auto a = jose::algFromName(alg);
        auto verdict = crypto::verifyBytes(*a, **key, test::fromHex(c.test.value(QStringLiteral("msg")).toString()),
                                           test::fromHex(c.test.value(QStringLiteral("sig")).toString()));
        QVERIFY(verdict);
        const QString expected = c.test.value(QStringLiteral("result")).toString();
        if (expected != QStringLiteral("acceptable")) {
            QVERIFY2(verdict->valid == (expected == QStringLiteral("valid")),
                     qPrintable(QStringLiteral("expected %1: %2").arg(expected, verdict->reason)));
        }
    }
};

QTEST_GUILESS_MAIN(TestWycheproof)
#include "tst_wycheproof.moc"
