// The RFC examples of ../shared/vectors: every signature verifies with every form of its key,
// deterministic ones re-sign to the same bytes, and thumbprints match.
#include <QJsonArray>
#include <QTest>

#include "TestSupport.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using namespace tb;

namespace {

const QStringList rfcFiles = {QStringLiteral("rfc7515_appendix_a.json"), QStringLiteral("rfc7520_jws.json"),
                              QStringLiteral("rfc8037_appendix_a.json"), QStringLiteral("rfc7519_jwt.json")};

QList<QJsonObject> allVectors()
{
    QList<QJsonObject> out;
    for (const QString& file : rfcFiles) {
        const QJsonObject doc = test::loadVectorFile(file);
        const QJsonObject keysById = [&] {
            QJsonObject m;
            for (const auto& k : doc.value(QStringLiteral("keys")).toArray()) {
                m.insert(k.toObject().value(QStringLiteral("id")).toString(), k);
            }
            return m;
        }();
        for (const auto& v : doc.value(QStringLiteral("vectors")).toArray()) {
            QJsonObject o = v.toObject();
            // RFC 7520 vectors name their key by section; fill in the key's forms from there.
            if (o.value(QStringLiteral("jwk")).isNull() && o.contains(QStringLiteral("key_ref"))) {
                const QJsonObject key = keysById.value(o.value(QStringLiteral("key_ref")).toString()).toObject();
                o.insert(QStringLiteral("jwk"), key.value(QStringLiteral("jwk")));
            }
            out << o;
        }
    }
    return out;
}

QJsonObject byId(const QString& id)
{
    for (const auto& v : allVectors()) {
        if (v.value(QStringLiteral("id")).toString() == id) {
            return v;
        }
    }
    return {};
}

keys::KeyPtr jwkKey(const QJsonValue& jwk)
{
    auto key = keys::importJwk(jwk.toObject());
    return key ? *key : keys::KeyPtr();
}

validate::Policy policyAt(double now)
{
    validate::Policy p;
    p.now = now;
    return p;
}

} // namespace

class TestJwsVectors : public QObject
{
    Q_OBJECT

private slots:
    void verifiesWithEveryKeyForm_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("form");
        for (const auto& v : allVectors()) {
            const QString id = v.value(QStringLiteral("id")).toString();
            if (v.value(QStringLiteral("alg")).toString() == QStringLiteral("none")) {
                continue;
            }
            QTest::addRow("%s jwk", qPrintable(id)) << id << QStringLiteral("jwk");
            if (!v.value(QStringLiteral("public_jwk")).isNull()) {
                QTest::addRow("%s public_jwk", qPrintable(id)) << id << QStringLiteral("public_jwk");
            }
            if (!v.value(QStringLiteral("secret_hex")).isUndefined() &&
                !v.value(QStringLiteral("secret_hex")).isNull()) {
                QTest::addRow("%s secret", qPrintable(id)) << id << QStringLiteral("secret");
            }
            const QJsonObject pem = v.value(QStringLiteral("pem")).toObject();
            for (auto it = pem.begin(); it != pem.end(); ++it) {
                QTest::addRow("%s pem %s", qPrintable(id), qPrintable(it.key()))
                    << id << QStringLiteral("pem:") + it.key();
            }
        }
    }

    void verifiesWithEveryKeyForm()
    {
        QFETCH(QString, id);
        QFETCH(QString, form);
        const QJsonObject v = byId(id);
        keys::KeyPtr key;
        if (form == QStringLiteral("secret")) {
            key = keys::secretKey(test::fromHex(v.value(QStringLiteral("secret_hex")).toString()));
        } else if (form.startsWith(QStringLiteral("pem:"))) {
            auto k = keys::importKey(v.value(QStringLiteral("pem")).toObject().value(form.mid(4)).toString().toUtf8());
            QVERIFY2(k.has_value(), k ? "" : qPrintable(k.error().message));
            key = *k;
        } else {
            key = jwkKey(v.value(form));
        }
        QVERIFY(key);
        const QJsonObject expected = v.value(QStringLiteral("expected")).toObject();
        const double now = expected.value(QStringLiteral("verify_now")).toDouble(1300819000);
        auto report =
            validate::verifyToken(v.value(QStringLiteral("compact")).toString().toUtf8(), {key, {}, {}}, policyAt(now));
        QVERIFY2(report.has_value(), report ? "" : qPrintable(report.error().message));
        const auto* failure = report->firstFailure();
        QVERIFY2(report->valid,
                 failure ? qPrintable(failure->name + QStringLiteral(": ") + failure->detail) : "signature");
        QCOMPARE(report->signature, validate::SignatureState::Valid);
    }

    void expiredAgainstTheRealClock()
    {
        // RFC 7515 A.1's token expired on 2011-03-22T18:43:00Z.
        const QJsonObject v = byId(QStringLiteral("RFC7515-A.1"));
        const auto key = keys::secretKey(test::fromHex(v.value(QStringLiteral("secret_hex")).toString()));
        auto report = validate::verifyToken(v.value(QStringLiteral("compact")).toString().toUtf8(), {key, {}, {}},
                                            policyAt(1300819380));
        QVERIFY(report);
        QVERIFY(!report->valid);
        QCOMPARE(report->signature, validate::SignatureState::Valid);
        QCOMPARE(report->firstFailure()->name, QStringLiteral("exp"));
        QCOMPARE(report->firstFailure()->detail, QStringLiteral("Expired at 2011-03-22T18:43:00Z, 0 s ago."));
    }

    void deterministicSignaturesReproduce_data()
    {
        QTest::addColumn<QString>("id");
        for (const auto& v : allVectors()) {
            if (v.value(QStringLiteral("signature_deterministic")).toBool()) {
                QTest::newRow(qPrintable(v.value(QStringLiteral("id")).toString()))
                    << v.value(QStringLiteral("id")).toString();
            }
        }
    }

    void deterministicSignaturesReproduce()
    {
        QFETCH(QString, id);
        const QJsonObject v = byId(id);
        const auto alg = jose::algFromName(v.value(QStringLiteral("alg")).toString());
        QVERIFY(alg);
        const keys::KeyPtr key = jwkKey(v.value(QStringLiteral("jwk")));
        QVERIFY(key || *alg == jose::Alg::None);
        if (*alg == jose::Alg::None) {
            auto unsigned_ =
                jose::signCompact(*alg, nullptr, v.value(QStringLiteral("protected_header")).toString().toUtf8(),
                                  v.value(QStringLiteral("payload")).toString().toUtf8());
            QCOMPARE(unsigned_.value(), v.value(QStringLiteral("compact")).toString().toUtf8());
            return;
        }
        auto sig = crypto::signBytes(*alg, *key, v.value(QStringLiteral("signing_input")).toString().toUtf8());
        QVERIFY(sig);
        QCOMPARE(jose::base64UrlEncode(*sig), v.value(QStringLiteral("signature_b64")).toString().toUtf8());
        // Through the compact signer, from the exact header and payload texts.
        auto token = jose::signCompact(*alg, key.get(), v.value(QStringLiteral("protected_header")).toString().toUtf8(),
                                       v.value(QStringLiteral("payload")).toString().toUtf8());
        QVERIFY(token);
        QCOMPARE(*token, v.value(QStringLiteral("compact")).toString().toUtf8());
    }

    void randomizedSignaturesRoundTrip_data()
    {
        QTest::addColumn<QString>("id");
        for (const auto& v : allVectors()) {
            const QString alg = v.value(QStringLiteral("alg")).toString();
            if (!v.value(QStringLiteral("signature_deterministic")).toBool() && alg != QStringLiteral("none")) {
                QTest::newRow(qPrintable(v.value(QStringLiteral("id")).toString()))
                    << v.value(QStringLiteral("id")).toString();
            }
        }
    }

    void randomizedSignaturesRoundTrip()
    {
        QFETCH(QString, id);
        const QJsonObject v = byId(id);
        const auto alg = jose::algFromName(v.value(QStringLiteral("alg")).toString());
        const keys::KeyPtr key = jwkKey(v.value(QStringLiteral("jwk")));
        QVERIFY(alg && key);
        const QByteArray input = v.value(QStringLiteral("signing_input")).toString().toUtf8();
        auto sig = crypto::signBytes(*alg, *key, input);
        QVERIFY(sig);
        QCOMPARE(sig->size(), test::fromHex(v.value(QStringLiteral("signature_hex")).toString()).size());
        auto verdict = crypto::verifyBytes(*alg, *key, input, *sig);
        QVERIFY(verdict && verdict->valid);
    }

    void unsecuredTokensRefusedWithRealKeys_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("RFC7515-A.5") << QStringLiteral("RFC7515-A.5");
        QTest::newRow("RFC7519-6.1") << QStringLiteral("RFC7519-6.1");
    }

    void unsecuredTokensRefusedWithRealKeys()
    {
        QFETCH(QString, id);
        const QByteArray token = byId(id).value(QStringLiteral("compact")).toString().toUtf8();
        const keys::KeyPtr hmac = keys::secretKey(QByteArray(32, 'k'));
        const keys::KeyPtr rsa = jwkKey(byId(QStringLiteral("RFC7515-A.2")).value(QStringLiteral("public_jwk")));
        for (const auto& key : {hmac, rsa}) {
            auto report = validate::verifyToken(token, {key, {}, {}}, policyAt(1300819000));
            QVERIFY(report);
            QVERIFY(!report->valid);
            QCOMPARE(report->firstFailure()->name, QStringLiteral("alg"));
            QCOMPARE(report->firstFailure()->detail,
                     QStringLiteral("alg none (an unsigned token) is refused unless it is allowed by name."));
        }
        // Allowed by name, without a key: valid (the signature segment is empty).
        validate::Policy p = policyAt(1300819000);
        p.allowedAlgs = QList<jose::Alg>{jose::Alg::None};
        auto report = validate::verifyToken(token, {}, p);
        QVERIFY(report && report->valid);
    }

    void thumbprints_data()
    {
        QTest::addColumn<QJsonObject>("jwk");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("canonical");
        const QJsonObject r7638 = test::loadVectorFile(QStringLiteral("rfc7638_thumbprint.json"))
                                      .value(QStringLiteral("vectors"))
                                      .toArray()
                                      .first()
                                      .toObject();
        QTest::newRow("RFC7638-3.1") << r7638.value(QStringLiteral("jwk")).toObject()
                                     << r7638.value(QStringLiteral("thumbprint_b64url")).toString()
                                     << r7638.value(QStringLiteral("canonical_json")).toString();
        const QJsonObject a3 = test::loadVectorFile(QStringLiteral("rfc8037_appendix_a.json"))
                                   .value(QStringLiteral("thumbprint"))
                                   .toObject();
        QTest::newRow("RFC8037-A.3") << a3.value(QStringLiteral("jwk")).toObject()
                                     << a3.value(QStringLiteral("thumbprint_b64url")).toString()
                                     << a3.value(QStringLiteral("canonical_json")).toString();
        for (const auto& k :
             test::loadVectorFile(QStringLiteral("rfc7520_jws.json")).value(QStringLiteral("keys")).toArray()) {
            const QJsonObject key = k.toObject();
            if (!key.contains(QStringLiteral("thumbprint_sha256"))) {
                continue;
            }
            QTest::newRow(qPrintable(key.value(QStringLiteral("id")).toString()))
                << key.value(QStringLiteral("jwk")).toObject()
                << key.value(QStringLiteral("thumbprint_sha256")).toString() << QString();
        }
    }

    void thumbprints()
    {
        QFETCH(QJsonObject, jwk);
        QFETCH(QString, expected);
        QFETCH(QString, canonical);
        auto key = keys::importJwk(jwk);
        QVERIFY2(key, key ? "" : qPrintable(key.error().message));
        if (!canonical.isEmpty()) {
            QCOMPARE(keys::thumbprintInput(**key).value(), canonical.toUtf8());
        }
        QCOMPARE(keys::thumbprint(**key).value(), expected);
    }
};

QTEST_GUILESS_MAIN(TestJwsVectors)
#include "tst_jws_vectors.moc"
