// Secrets never leak (DESIGN decision 5, issue 7): the real tokenbench-cli binary, with every Qt logging
// category switched on, runs commands on bad input that hold known secrets (HMAC secrets, private key
// members, passphrases, JWE keys); its stdout and stderr must not contain any of them, raw or as base64,
// base64url or hex. A saved workspace without opt-in holds none of them either, and key files are 0600.
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "workspace/WorkspaceFile.h"

using namespace tb;

namespace {

struct Secret
{
    QString name;
    QByteArray bytes;
};

// Every spelling a secret could take in output.
QList<QByteArray> forms(const QByteArray& secret)
{
    return {secret, secret.toBase64(), jose::base64UrlEncode(secret), secret.toHex(), secret.toHex().toUpper()};
}

// The first secret (and form) found in `text`, or an empty string.
QString findLeak(const QByteArray& text, const QList<Secret>& secrets)
{
    for (const Secret& s : secrets) {
        const QList<QByteArray> all = forms(s.bytes);
        for (qsizetype f = 0; f < all.size(); ++f) {
            if (text.contains(all[f])) {
                static const char* names[] = {"raw", "base64", "base64url", "hex", "HEX"};
                return s.name + QStringLiteral(" (") + QLatin1String(names[f]) + QLatin1Char(')');
            }
        }
    }
    return {};
}

// The private members of a key, decoded: what must never be printed unless asked for.
QList<Secret> privateMembers(const QString& what, const keys::Key& key)
{
    QList<Secret> out;
    const QJsonObject jwk = QJsonDocument::fromJson(*keys::exportJwk(key, keys::KeyPart::Private)).object();
    for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
        if (jwk.contains(QLatin1String(member))) {
            out.append({what + QLatin1Char('.') + QLatin1String(member),
                        *jose::base64UrlDecode(jwk.value(QLatin1String(member)).toString().toLatin1())});
        }
    }
    return out;
}

} // namespace

class TestCliSecrets final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void noSecretInOutput_data();
    void noSecretInOutput();
    void detectorSeesAnExportedKey();
    void workspaceWithoutOptInHoldsNoSecret();
    void keygenFilesArePrivate_data();
    void keygenFilesArePrivate();

private:
    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }
    void write(const char* name, const QByteArray& bytes) const { QVERIFY(test::writeFileBytes(path(name), bytes)); }

    QTemporaryDir m_dir;
    QList<Secret> m_secrets;
    keys::KeyPtr m_ec, m_rsa, m_ed;
    QByteArray m_hsToken, m_esToken, m_jwe;
};

void TestCliSecrets::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QByteArray hmac = "S3cr3t-HMAC-k3y-for-leak-tests!!";
    const QByteArray wrong = "S3cr3t-HMAC-k3y-for-leak-tests!?";
    const QByteArray passphrase = "correct horse battery staple (leak test)";
    const QByteArray dirKey = QByteArray::fromHex("8f2ab0c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f");
    m_ec = *keys::generateKey(jose::Alg::ES256);
    m_rsa = *keys::generateKey(jose::Alg::RS256, 2048);
    m_ed = *keys::generateKey(jose::Alg::EdDSA);
    m_secrets = {{QStringLiteral("HMAC secret"), hmac},
                 {QStringLiteral("wrong HMAC secret"), wrong},
                 {QStringLiteral("passphrase"), passphrase},
                 {QStringLiteral("JWE dir key"), dirKey}};
    m_secrets += privateMembers(QStringLiteral("EC key"), *m_ec);
    m_secrets += privateMembers(QStringLiteral("RSA key"), *m_rsa);
    m_secrets += privateMembers(QStringLiteral("Ed25519 key"), *m_ed);
    const SecretBytes pass = SecretBytes::fromByteArray(passphrase);

    write("hmac", hmac);
    write("hmac31", hmac.first(31));
    write("wrong", wrong);
    write("pass", passphrase);
    write("wrongpass", "not the passphrase");
    write("dir", dirKey);
    write("ec.key", *keys::exportPem(*m_ec, keys::KeyPart::Private));
    write("rsa.key", *keys::exportPem(*m_rsa, keys::KeyPart::Private));
    write("ed.jwk", *keys::exportJwk(*m_ed, keys::KeyPart::Private));
    write("ec-encrypted.key", *keys::exportPem(*m_ec, keys::KeyPart::Private, &pass));
    const QByteArray ecJwk = *keys::exportJwk(*m_ec, keys::KeyPart::Private);
    write("ec-truncated.jwk", ecJwk.first(ecJwk.size() - 3));
    QJsonObject mismatched = QJsonDocument::fromJson(ecJwk).object();
    mismatched.insert(
        QStringLiteral("d"),
        QJsonDocument::fromJson(*keys::exportJwk(*keys::generateKey(jose::Alg::ES256).value(), keys::KeyPart::Private))
            .object()
            .value(QStringLiteral("d")));
    m_secrets.append({QStringLiteral("mismatched d"),
                      *jose::base64UrlDecode(mismatched.value(QStringLiteral("d")).toString().toLatin1())});
    write("ec-mismatched.jwk", QJsonDocument(mismatched).toJson());
    write("jwks-private.json", "{\"keys\":[" + ecJwk + ",{\"kty\":\"oct\",\"k\":\"" + jose::base64UrlEncode(hmac) +
                                   "\",\"alg\":\"RS256\"},{\"kty\":\"RSA\",\"n\":7}]}");

    m_hsToken = *jose::signCompact(jose::Alg::HS256, keys::secretKey(hmac).get(), jose::defaultHeader(jose::Alg::HS256),
                                   "{\"sub\":\"leak-test\"}");
    m_esToken = *jose::signCompact(jose::Alg::ES256, m_ec.get(), jose::defaultHeader(jose::Alg::ES256),
                                   "{\"sub\":\"leak-test\",\"iss\":\"a\"}");
    const auto jwe =
        test::runCliBinary({QStringLiteral("encrypt"), QStringLiteral("--alg"), QStringLiteral("dir"),
                            QStringLiteral("--enc"), QStringLiteral("A256GCM"), QStringLiteral("--secret-file"),
                            path("dir"), QStringLiteral("--payload"), QStringLiteral("{\"sub\":\"x\"}")});
    QCOMPARE(jwe.code, 0);
    m_jwe = jwe.out.trimmed();
}

void TestCliSecrets::noSecretInOutput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    const QString hs = QString::fromLatin1(m_hsToken);
    const QString es = QString::fromLatin1(m_esToken);
    QString tampered = hs;
    tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == u'A' ? u'B' : u'A';
    const QString jwe = QString::fromLatin1(m_jwe);
    auto p = [this](const char* name) { return path(name); };
    const QString S = QStringLiteral("--secret-file");
    const QString K = QStringLiteral("--key");
    // clang-format off
    QTest::newRow("sign: broken header") << QStringList{QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"), S, p("hmac"), QStringLiteral("--header"), QStringLiteral("{bad"), QStringLiteral("--payload"), QStringLiteral("{}")} << 2;
    QTest::newRow("sign: secret for RS256") << QStringList{QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("RS256"), S, p("hmac"), QStringLiteral("--payload"), QStringLiteral("{}")} << 2;
    QTest::newRow("sign: EC key for HS256") << QStringList{QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"), K, p("ec.key"), QStringLiteral("--payload"), QStringLiteral("{}")} << 2;
    QTest::newRow("sign: RSA key for ES256") << QStringList{QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("ES256"), K, p("rsa.key"), QStringLiteral("--payload"), QStringLiteral("{}")} << 2;
    QTest::newRow("sign: Ed25519 JWK for ES256") << QStringList{QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("ES256"), K, p("ed.jwk"), QStringLiteral("--payload"), QStringLiteral("{}")} << 2;
    QTest::newRow("verify: tampered") << QStringList{QStringLiteral("verify"), tampered, S, p("hmac")} << 1;
    QTest::newRow("verify: wrong secret --json") << QStringList{QStringLiteral("verify"), hs, S, p("wrong"), QStringLiteral("--json")} << 1;
    QTest::newRow("verify: alg outside key") << QStringList{QStringLiteral("verify"), hs, S, p("hmac"), QStringLiteral("--alg"), QStringLiteral("RS256")} << 2;
    QTest::newRow("verify: not a token") << QStringList{QStringLiteral("verify"), QStringLiteral("not.a-token"), S, p("hmac")} << 2;
    QTest::newRow("verify: secret as key file") << QStringList{QStringLiteral("verify"), hs, K, p("hmac")} << 2;
    QTest::newRow("verify: truncated private JWK") << QStringList{QStringLiteral("verify"), es, K, p("ec-truncated.jwk")} << 2;
    QTest::newRow("verify: mismatched private JWK") << QStringList{QStringLiteral("verify"), es, K, p("ec-mismatched.jwk")} << 2;
    QTest::newRow("verify: failing iss --json") << QStringList{QStringLiteral("verify"), es, K, p("ec.key"), QStringLiteral("--iss"), QStringLiteral("b"), QStringLiteral("--json")} << 1;
    QTest::newRow("verify: JWK Set with secrets") << QStringList{QStringLiteral("verify"), hs, QStringLiteral("--jwks"), p("jwks-private.json"), QStringLiteral("--json")} << 1;
    QTest::newRow("jwk: wrong passphrase") << QStringList{QStringLiteral("jwk"), QStringLiteral("convert"), p("ec-encrypted.key"), QStringLiteral("--passphrase-file"), p("wrongpass")} << 2;
    QTest::newRow("jwk: no passphrase") << QStringList{QStringLiteral("jwk"), QStringLiteral("convert"), p("ec-encrypted.key")} << 2;
    QTest::newRow("jwk: secret as key") << QStringList{QStringLiteral("jwk"), QStringLiteral("thumbprint"), p("hmac")} << 2;
    QTest::newRow("lint with the secret") << QStringList{QStringLiteral("lint"), hs, S, p("hmac"), QStringLiteral("--json")} << 0;
    QTest::newRow("malleate with the wrong secret") << QStringList{QStringLiteral("malleate"), hs, S, p("wrong"), QStringLiteral("--json")} << 0;
    QTest::newRow("decrypt: wrong key") << QStringList{QStringLiteral("decrypt"), jwe, S, p("hmac")} << 1;
    QTest::newRow("decrypt: bad --max-p2c") << QStringList{QStringLiteral("decrypt"), jwe, S, p("dir"), QStringLiteral("--max-p2c"), QStringLiteral("0")} << 2;
    QTest::newRow("decrypt: garbage") << QStringList{QStringLiteral("decrypt"), QStringLiteral("a.b.c.d.e"), S, p("dir")} << 2;
    QTest::newRow("encrypt: 31-byte dir key") << QStringList{QStringLiteral("encrypt"), QStringLiteral("--alg"), QStringLiteral("dir"), QStringLiteral("--enc"), QStringLiteral("A256GCM"), S, p("hmac31"), QStringLiteral("--payload"), QStringLiteral("x")} << 2;
    QTest::newRow("encrypt: PBES2 p2c 0") << QStringList{QStringLiteral("encrypt"), QStringLiteral("--alg"), QStringLiteral("PBES2-HS256+A128KW"), QStringLiteral("--enc"), QStringLiteral("A128GCM"), QStringLiteral("--password-file"), p("pass"), QStringLiteral("--header"), QStringLiteral("{\"p2c\":0}"), QStringLiteral("--payload"), QStringLiteral("x")} << 2;
    QTest::newRow("keygen: existing file") << QStringList{QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("--out"), p("ec")} << 2;
    // clang-format on
}

void TestCliSecrets::noSecretInOutput()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    if (args.first() == QStringLiteral("keygen")) {
        write("ec.key", *keys::exportPem(*m_ec, keys::KeyPart::Private)); // keygen refuses to replace it
    }
    const test::CliRun run = test::runCliBinary(args);
    QCOMPARE(run.code, code);
    const QString leak = findLeak(run.out + run.err, m_secrets);
    QVERIFY2(leak.isEmpty(), qPrintable(QStringLiteral("%1 in the output:\n%2%3")
                                            .arg(leak, QString::fromUtf8(run.out), QString::fromUtf8(run.err))));
}

void TestCliSecrets::detectorSeesAnExportedKey()
{
    // The control: asked for explicitly, the private key is printed, and the detector finds it.
    const test::CliRun run = test::runCliBinary(
        {QStringLiteral("jwk"), QStringLiteral("convert"), path("ec.key"), QStringLiteral("--private")});
    QCOMPARE(run.code, 0);
    QCOMPARE(findLeak(run.out, m_secrets), QStringLiteral("EC key.d (base64url)"));
    QCOMPARE(findLeak(m_secrets.first().bytes.toHex(), m_secrets), QStringLiteral("HMAC secret (hex)"));
}

void TestCliSecrets::workspaceWithoutOptInHoldsNoSecret()
{
    workspace::WorkspaceData data;
    data.tokens = {m_hsToken, m_esToken};
    data.keys = {{QStringLiteral("hmac"), keys::secretKey(m_secrets.first().bytes)},
                 {QStringLiteral("ec"), m_ec},
                 {QStringLiteral("rsa"), m_rsa},
                 {QStringLiteral("ed"), m_ed}};
    const QString file = path("plain.tbws");
    QVERIFY(workspace::saveWorkspaceFile(file, data, nullptr));
    const QByteArray saved = test::readFileBytes(file);
    QCOMPARE(findLeak(saved, m_secrets), QString());
    QCOMPARE(test::fileMode(file, 0777), 0600);
    // The public halves are there (the file is not simply empty).
    QVERIFY(saved.contains(QJsonDocument::fromJson(*keys::exportJwk(*m_ec, keys::KeyPart::Public))
                               .object()
                               .value(QStringLiteral("x"))
                               .toString()
                               .toLatin1()));
    // With opt-in the secrets are saved, sealed: still none of them in the clear.
    const SecretBytes pass = SecretBytes::fromByteArray("workspace passphrase");
    QVERIFY(workspace::saveWorkspaceFile(path("sealed.tbws"), data, &pass, {1024, 8, 1}));
    const QByteArray sealed = test::readFileBytes(path("sealed.tbws"));
    QVERIFY(sealed.contains("\"secrets\""));
    QCOMPARE(findLeak(sealed, m_secrets), QString());
    const auto back = workspace::parseWorkspace(sealed, &pass);
    QVERIFY(back);
    QCOMPARE(back->data.keys.size(), 4);
    QCOMPARE(back->data.keys.first().key->secret().reveal(), m_secrets.first().bytes);
}

void TestCliSecrets::keygenFilesArePrivate_data()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QString>("format");
    for (const char* alg : {"HS256", "RS256", "ES256", "EdDSA"}) {
        for (const char* format : {"pem", "jwk"}) {
            if (QByteArray(alg) == "HS256" && QByteArray(format) == "pem") {
                continue; // an HMAC secret is raw bytes in its "pem" form: covered by the jwk row's .key
            }
            QTest::newRow(qPrintable(QStringLiteral("%1 %2").arg(QLatin1String(alg), QLatin1String(format))))
                << QString::fromLatin1(alg) << QString::fromLatin1(format);
        }
    }
}

void TestCliSecrets::keygenFilesArePrivate()
{
    QFETCH(QString, alg);
    QFETCH(QString, format);
    const QString prefix = path("gen-") + alg + format;
    // An existing world-readable file replaced with --force becomes 0600 too.
    QVERIFY(test::writeFileBytes(prefix + QStringLiteral(".key"), "old"));
    QVERIFY(QFile::setPermissions(prefix + QStringLiteral(".key"),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
    const test::CliRun run =
        test::runCliBinary({QStringLiteral("keygen"), QStringLiteral("--alg"), alg, QStringLiteral("--out"), prefix,
                            QStringLiteral("--format"), format, QStringLiteral("--force")});
    QCOMPARE(run.code, 0);
    QCOMPARE(test::fileMode(prefix + QStringLiteral(".key"), 0777), 0600);
    if (alg != QStringLiteral("HS256")) {
        QCOMPARE(test::fileMode(prefix + QStringLiteral(".pub"), 0777), 0644);
    }
    // Nothing of the new private key on the terminal.
    const auto key = keys::importKey(test::readFileBytes(prefix + QStringLiteral(".key")));
    QVERIFY(key);
    const QList<Secret> generated = privateMembers(QStringLiteral("generated"), **key);
    QVERIFY(!generated.isEmpty());
    QCOMPARE(findLeak(run.out + run.err, generated), QString());
}

QTEST_GUILESS_MAIN(TestCliSecrets)
#include "tst_cli_secrets.moc"
