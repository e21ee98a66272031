// Interoperability with an independent JOSE implementation from Debian, python3-jwcrypto (1.1), both ways, for
// every JWS algorithm it supports: its tokens verify in tokenbench (core verifyToken and the CLI) with PEM and JWK
// keys; tokenbench's tokens verify in it; keys made by `tokenbench-cli keygen` load and work in it; a tampered token is
// refused by both. The python side is jwcrypto_helper.py (a JSON batch of operations on stdin).
#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"
#include "jose/Algorithm.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using namespace tb;
using tb::test::CliRun;
using tb::test::runCli;

namespace {

QByteArray b64u(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QString str(const QByteArray& bytes)
{
    return QString::fromUtf8(bytes);
}

// The token with one bit of its signature flipped.
QByteArray tamperSignature(const QByteArray& token)
{
    const qsizetype dot = token.lastIndexOf('.');
    QByteArray sig = QByteArray::fromBase64(token.mid(dot + 1), QByteArray::Base64UrlEncoding);
    sig[sig.size() / 2] = char(sig.at(sig.size() / 2) ^ 0x01);
    return token.left(dot + 1) + b64u(sig);
}

// The token with its payload replaced (the signature left as it was).
QByteArray tamperPayload(const QByteArray& token)
{
    const QList<QByteArray> parts = token.split('.');
    return parts.value(0) + '.' + b64u(R"({"sub":"mallory","admin":true})") + '.' + parts.value(2);
}

struct AlgRow
{
    const char* tag;
    const char* alg;
    const char* crv; // EdDSA curve, else empty
};

// Every JWS algorithm python3-jwcrypto 1.1 supports (jws.default_allowed_algs), with both EdDSA curves.
const AlgRow algRows[] = {
    {"HS256", "HS256", ""},
    {"HS384", "HS384", ""},
    {"HS512", "HS512", ""},
    {"RS256", "RS256", ""},
    {"RS384", "RS384", ""},
    {"RS512", "RS512", ""},
    {"PS256", "PS256", ""},
    {"PS384", "PS384", ""},
    {"PS512", "PS512", ""},
    {"ES256", "ES256", ""},
    {"ES384", "ES384", ""},
    {"ES512", "ES512", ""},
    {"ES256K", "ES256K", ""},
    {"EdDSA Ed25519", "EdDSA", "Ed25519"},
    {"EdDSA Ed448", "EdDSA", "Ed448"},
};

void addAlgColumns()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QString>("crv");
    for (const AlgRow& row : algRows) {
        QTest::newRow(row.tag) << QString::fromLatin1(row.alg) << QString::fromLatin1(row.crv);
    }
}

jose::Alg algOf(const QString& name)
{
    return jose::algFromName(name).value_or(jose::Alg::None);
}

} // namespace

class TestInterop : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_python;
    QString m_helper;
    QStringList m_jwcryptoAlgs;
    double m_now = 0;

    QString write(const QString& name, const QByteArray& bytes) const
    {
        const QString p = m_dir.filePath(name);
        if (!tb::test::writeFileBytes(p, bytes)) {
            qWarning("cannot write %s", qPrintable(p));
        }
        return p;
    }

    QString fileName(const QString& what) const
    {
        return QStringLiteral("%1-%2").arg(QString::fromLatin1(QTest::currentTestFunction()),
                                           QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_')) +
               what;
    }

    // Runs a batch of operations through the helper; one result object per operation (empty on failure).
    QList<QJsonObject> jwcrypto(const QJsonArray& ops) const
    {
        QProcess process;
        process.start(m_python, {m_helper});
        QList<QJsonObject> out;
        if (!process.waitForStarted(10000)) {
            qWarning("cannot start %s", qPrintable(m_python));
            return out;
        }
        process.write(QJsonDocument(ops).toJson(QJsonDocument::Compact));
        process.closeWriteChannel();
        if (!process.waitForFinished(120000) || process.exitCode() != 0) {
            qWarning("jwcrypto helper failed: %s", process.readAllStandardError().constData());
            return out;
        }
        const QJsonArray results = QJsonDocument::fromJson(process.readAllStandardOutput()).array();
        for (const auto& r : results) {
            out << r.toObject();
            if (r.toObject().contains(QStringLiteral("exception"))) {
                qWarning("jwcrypto: %s", qPrintable(r.toObject().value(QStringLiteral("exception")).toString()));
            }
        }
        return out;
    }

    Result<validate::Report> coreVerify(const QByteArray& token, const keys::KeyPtr& key, const QString& alg) const
    {
        validate::Policy policy;
        policy.now = m_now;
        policy.allowedAlgs = QList<jose::Alg>{algOf(alg)};
        return validate::verifyToken(token, {key, {}, QStringLiteral("interop")}, policy);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_now = double(QDateTime::currentSecsSinceEpoch());
        m_helper = tb::test::sourceDir() + QStringLiteral("/tests/interop/jwcrypto_helper.py");
        QVERIFY2(QFileInfo::exists(m_helper), qPrintable(m_helper));
        // The first python3 that has jwcrypto: PATH's (it may be a pyenv or venv python), then Debian's.
        for (const QString& candidate : {QStringLiteral("python3"), QStringLiteral("/usr/bin/python3")}) {
            QProcess probe;
            probe.start(candidate, {QStringLiteral("-c"), QStringLiteral("import jwcrypto.jws, jwcrypto.jwk")});
            if (probe.waitForFinished(30000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0) {
                m_python = candidate;
                break;
            }
        }
        if (m_python.isEmpty()) {
            QSKIP("python3-jwcrypto is not installed (apt-get install python3-jwcrypto; `make test` installs it): "
                  "interop with jwcrypto is not checked");
        }
        const QList<QJsonObject> probe = jwcrypto({QJsonObject{{QStringLiteral("op"), QStringLiteral("probe")}}});
        QCOMPARE(probe.size(), 1);
        for (const auto& a : probe.first().value(QStringLiteral("algs")).toArray()) {
            m_jwcryptoAlgs << a.toString();
        }
        qInfo("using %s, jwcrypto %s", qPrintable(m_python),
              qPrintable(probe.first().value(QStringLiteral("version")).toString()));
        // Every algorithm tokenbench signs with, except none, is checked below when jwcrypto has it.
        for (jose::Alg alg : jose::allAlgs()) {
            if (alg != jose::Alg::None && !m_jwcryptoAlgs.contains(jose::algName(alg))) {
                qInfo("jwcrypto does not support %s: not checked", qPrintable(jose::algName(alg)));
            }
        }
    }

    // ---- jwcrypto -> tokenbench ----

    void jwcryptoTokensVerifyInTokenbench_data() { addAlgColumns(); }

    void jwcryptoTokensVerifyInTokenbench()
    {
        QFETCH(QString, alg);
        QFETCH(QString, crv);
        if (!m_jwcryptoAlgs.contains(alg)) {
            QSKIP("jwcrypto does not support this algorithm");
        }
        const QByteArray payload = R"({"sub":"interop","iss":"jwcrypto","name":"Zoë","n":1})";
        QJsonObject op{{QStringLiteral("op"), QStringLiteral("generate")},
                       {QStringLiteral("alg"), alg},
                       {QStringLiteral("payload"), str(payload)}};
        if (!crv.isEmpty()) {
            op.insert(QStringLiteral("crv"), crv);
        }
        const QList<QJsonObject> results = jwcrypto({op});
        QCOMPARE(results.size(), 1);
        const QJsonObject r = results.first();
        QVERIFY2(!r.contains(QStringLiteral("exception")), qPrintable(r.value(QStringLiteral("exception")).toString()));
        const QByteArray token = r.value(QStringLiteral("token")).toString().toUtf8();
        QVERIFY(!token.isEmpty());

        // The key in every form jwcrypto gives, through the core and through the CLI.
        struct Form
        {
            QString name;
            QByteArray bytes;
            bool secret;
        };
        QList<Form> forms;
        forms << Form{QStringLiteral("private_jwk"), r.value(QStringLiteral("private_jwk")).toString().toUtf8(), false};
        if (r.contains(QStringLiteral("secret_hex"))) {
            forms << Form{QStringLiteral("secret"), tb::test::fromHex(r.value(QStringLiteral("secret_hex")).toString()),
                          true};
        } else {
            for (const char* name : {"public_jwk", "public_pem", "private_pem"}) {
                forms << Form{QString::fromLatin1(name), r.value(QLatin1String(name)).toString().toUtf8(), false};
            }
        }
        for (const Form& form : forms) {
            const keys::KeyPtr key =
                form.secret ? keys::secretKey(form.bytes) : keys::importKey(form.bytes).value_or(nullptr);
            QVERIFY2(key, qPrintable(form.name + QStringLiteral(" does not import: ") + str(form.bytes.left(200))));
            const auto report = coreVerify(token, key, alg);
            QVERIFY2(report, qPrintable(form.name));
            QVERIFY2(report->valid, qPrintable(form.name + u' ' +
                                               (report->firstFailure() ? report->firstFailure()->detail : QString())));
            QCOMPARE(report->signature, validate::SignatureState::Valid);
            // Tampered signature and tampered payload: refused.
            const auto badSig = coreVerify(tamperSignature(token), key, alg);
            QVERIFY(badSig && !badSig->valid);
            QCOMPARE(badSig->signature, validate::SignatureState::Invalid);
            const auto badPayload = coreVerify(tamperPayload(token), key, alg);
            QVERIFY(badPayload && !badPayload->valid);
            QCOMPARE(badPayload->signature, validate::SignatureState::Invalid);

            const QString file = write(fileName(u'.' + form.name), form.bytes);
            const QString option = form.secret ? QStringLiteral("--secret-file") : QStringLiteral("--key");
            const CliRun cli = runCli({QStringLiteral("verify"), str(token), option, file, QStringLiteral("--json")});
            QVERIFY2(cli.code == 0, qPrintable(form.name + u' ' + str(cli.out) + str(cli.err)));
            QCOMPARE(QJsonDocument::fromJson(cli.out).object().value(QStringLiteral("signature")).toString(),
                     QStringLiteral("valid"));
            const CliRun tampered = runCli({QStringLiteral("verify"), str(tamperSignature(token)), option, file});
            QCOMPARE(tampered.code, 1);
            QVERIFY(tampered.out.startsWith("invalid: signature: "));
        }
    }

    // ---- tokenbench -> jwcrypto ----

    void tokenbenchTokensVerifyInJwcrypto_data() { addAlgColumns(); }

    void tokenbenchTokensVerifyInJwcrypto()
    {
        QFETCH(QString, alg);
        QFETCH(QString, crv);
        if (!m_jwcryptoAlgs.contains(alg)) {
            QSKIP("jwcrypto does not support this algorithm");
        }
        const jose::Alg a = algOf(alg);
        auto generated = keys::generateKey(a, 0, crv);
        QVERIFY2(generated, qPrintable(generated ? QString() : generated.error().message));
        const keys::KeyPtr key = *generated;
        const bool oct = key->type() == keys::KeyType::Oct;
        const QByteArray payload = R"({"sub":"interop","iss":"tokenbench","name":"Zoë","n":1})";

        // One token from the core, one from the CLI (with the key exported as PEM/raw bytes and as a JWK).
        auto coreToken = jose::signCompact(a, key.get(), jose::defaultHeader(a), payload);
        QVERIFY(coreToken);
        QJsonObject publicPem;
        QJsonObject publicJwk;
        QString privateFile;
        QString privateJwkFile;
        if (oct) {
            const QByteArray secret = key->secret().reveal();
            publicPem = {{QStringLiteral("secret_hex"), QString::fromLatin1(secret.toHex())}};
            privateFile = write(fileName(QStringLiteral(".secret")), secret);
        } else {
            const QByteArray pub = keys::exportPem(*key, keys::KeyPart::Public).value();
            publicPem = {{QStringLiteral("pem"), str(pub)}};
            privateFile =
                write(fileName(QStringLiteral(".key.pem")), keys::exportPem(*key, keys::KeyPart::Private).value());
        }
        const QByteArray jwk = keys::exportJwk(*key, oct ? keys::KeyPart::Private : keys::KeyPart::Public).value();
        publicJwk = {{QStringLiteral("jwk"), str(jwk)}};
        privateJwkFile =
            write(fileName(QStringLiteral(".key.jwk")), keys::exportJwk(*key, keys::KeyPart::Private).value());
        const CliRun cliPem = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), alg,
                                      oct ? QStringLiteral("--secret-file") : QStringLiteral("--key"), privateFile,
                                      QStringLiteral("--payload"), str(payload)});
        QCOMPARE(cliPem.code, 0);
        const CliRun cliJwk =
            runCli({QStringLiteral("sign"), QStringLiteral("--alg"), alg, QStringLiteral("--key"), privateJwkFile,
                    QStringLiteral("--kid"), QStringLiteral("k1"), QStringLiteral("--payload"), str(payload)});
        QCOMPARE(cliJwk.code, 0);

        struct Case
        {
            QString what;
            QByteArray token;
            QJsonObject key;
            bool valid;
        };
        const QList<Case> cases = {
            {QStringLiteral("core token, PEM key"), *coreToken, publicPem, true},
            {QStringLiteral("core token, JWK key"), *coreToken, publicJwk, true},
            {QStringLiteral("CLI token (PEM-signed), JWK key"), cliPem.out.trimmed(), publicJwk, true},
            {QStringLiteral("CLI token (JWK-signed), PEM key"), cliJwk.out.trimmed(), publicPem, true},
            {QStringLiteral("tampered signature"), tamperSignature(*coreToken), publicPem, false},
            {QStringLiteral("tampered payload"), tamperPayload(cliJwk.out.trimmed()), publicJwk, false},
        };
        QJsonArray ops;
        for (const Case& c : cases) {
            ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("verify")},
                                   {QStringLiteral("alg"), alg},
                                   {QStringLiteral("key"), c.key},
                                   {QStringLiteral("token"), str(c.token)}});
        }
        const QList<QJsonObject> results = jwcrypto(ops);
        QCOMPARE(results.size(), cases.size());
        for (qsizetype i = 0; i < cases.size(); ++i) {
            const QJsonObject& r = results.at(i);
            QVERIFY2(!r.contains(QStringLiteral("exception")),
                     qPrintable(cases.at(i).what + u' ' + r.value(QStringLiteral("exception")).toString()));
            QVERIFY2(r.value(QStringLiteral("valid")).toBool() == cases.at(i).valid,
                     qPrintable(cases.at(i).what + QStringLiteral(": jwcrypto says ") +
                                r.value(QStringLiteral("error")).toString()));
        }
    }

    // ---- keys from `tokenbench-cli keygen` in jwcrypto ----

    void keygenKeysWorkInJwcrypto_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("crv");
        QTest::addColumn<QString>("format");
        for (const AlgRow& row : algRows) {
            for (const char* format : {"pem", "jwk"}) {
                QTest::addRow("%s %s", row.tag, format)
                    << QString::fromLatin1(row.alg) << QString::fromLatin1(row.crv) << QString::fromLatin1(format);
            }
        }
    }

    void keygenKeysWorkInJwcrypto()
    {
        QFETCH(QString, alg);
        QFETCH(QString, crv);
        QFETCH(QString, format);
        if (!m_jwcryptoAlgs.contains(alg)) {
            QSKIP("jwcrypto does not support this algorithm");
        }
        const QString prefix = m_dir.filePath(fileName(QString()));
        QStringList args{QStringLiteral("keygen"),
                         QStringLiteral("--alg"),
                         alg,
                         QStringLiteral("--out"),
                         prefix,
                         QStringLiteral("--format"),
                         format};
        if (!crv.isEmpty()) {
            args << QStringLiteral("--curve") << crv;
        }
        const CliRun keygen = runCli(args);
        QVERIFY2(keygen.code == 0, keygen.err.constData());
        const bool oct = alg.startsWith(QStringLiteral("HS"));
        const QString keyFile = prefix + QStringLiteral(".key");
        const QString pubFile = oct ? keyFile : prefix + QStringLiteral(".pub");
        const QString keyFormat = oct && format == QStringLiteral("pem") ? QStringLiteral("raw") : format;
        const QJsonObject priv{{QStringLiteral("file"), keyFile}, {QStringLiteral("format"), keyFormat}};
        const QJsonObject pub{{QStringLiteral("file"), pubFile}, {QStringLiteral("format"), keyFormat}};
        const QString keyOption =
            oct && format == QStringLiteral("pem") ? QStringLiteral("--secret-file") : QStringLiteral("--key");

        const CliRun signedRun = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), alg, keyOption, keyFile,
                                         QStringLiteral("--payload"), QStringLiteral(R"({"sub":"keygen"})")});
        QCOMPARE(signedRun.code, 0);
        const QByteArray token = signedRun.out.trimmed();
        const QJsonArray ops{
            // jwcrypto signs with PREFIX.key and verifies with PREFIX.pub.
            QJsonObject{{QStringLiteral("op"), QStringLiteral("roundtrip")},
                        {QStringLiteral("alg"), alg},
                        {QStringLiteral("private"), priv},
                        {QStringLiteral("public"), pub},
                        {QStringLiteral("payload"), QStringLiteral(R"({"sub":"jwcrypto"})")}},
            // jwcrypto verifies tokenbench's token with PREFIX.pub...
            QJsonObject{{QStringLiteral("op"), QStringLiteral("verify")},
                        {QStringLiteral("alg"), alg},
                        {QStringLiteral("key"), pub},
                        {QStringLiteral("token"), str(token)}},
            // ...and refuses it tampered.
            QJsonObject{{QStringLiteral("op"), QStringLiteral("verify")},
                        {QStringLiteral("alg"), alg},
                        {QStringLiteral("key"), pub},
                        {QStringLiteral("token"), str(tamperSignature(token))}},
        };
        const QList<QJsonObject> results = jwcrypto(ops);
        QCOMPARE(results.size(), 3);
        for (const auto& r : results) {
            QVERIFY2(!r.contains(QStringLiteral("exception")),
                     qPrintable(r.value(QStringLiteral("exception")).toString()));
        }
        QVERIFY2(results.at(0).value(QStringLiteral("valid")).toBool(),
                 qPrintable(results.at(0).value(QStringLiteral("error")).toString()));
        QVERIFY2(results.at(1).value(QStringLiteral("valid")).toBool(),
                 qPrintable(results.at(1).value(QStringLiteral("error")).toString()));
        QVERIFY(!results.at(2).value(QStringLiteral("valid")).toBool());
        // jwcrypto's token (made with the keygen private key) verifies in tokenbench with PREFIX.pub.
        const QString theirs = results.at(0).value(QStringLiteral("token")).toString();
        const CliRun verify = runCli({QStringLiteral("verify"), theirs, keyOption, pubFile});
        QVERIFY2(verify.code == 0, verify.out.constData());
        QCOMPARE(runCli({QStringLiteral("verify"), str(tamperSignature(theirs.toUtf8())), keyOption, pubFile}).code, 1);
    }
};

QTEST_GUILESS_MAIN(TestInterop)
#include "tst_interop.moc"
