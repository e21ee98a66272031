// The sign, verify, keygen and jwk subcommands against ../shared/CLI.md: flags, JSON keys, exit codes and the
// "Edge cases (decided)" list, through runCli (in-process, captured streams) and a few through the real binary.
// Tokens the tests craft themselves are MACed with QMessageAuthenticationCode, independently of the core.
#include <sys/stat.h>

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"

using namespace tb::test;

namespace {

const QStringList rfcFiles = {QStringLiteral("rfc7515_appendix_a.json"), QStringLiteral("rfc7519_jwt.json"),
                              QStringLiteral("rfc7520_jws.json"), QStringLiteral("rfc8037_appendix_a.json")};

// The note sign prints for a payload that is not JSON (CLI.md edge case 9).
const QByteArray nonJsonNote = "note: the payload is not JSON; it is signed exactly as given.\n";

// An HS256 token over segments exactly as given (they may be padded or odd on purpose).
QByteArray hs256Segments(const QByteArray& secret, const QByteArray& headerSeg, const QByteArray& payloadSeg)
{
    const QByteArray input = headerSeg + '.' + payloadSeg;
    return input + '.' + b64u(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

QByteArray hs256(const QByteArray& secret, const QByteArray& header, const QByteArray& payload)
{
    return hs256Segments(secret, b64u(header), b64u(payload));
}

QString str(const QByteArray& bytes)
{
    return QString::fromUtf8(bytes);
}

// name -> ok of every check in a --json report.
QMap<QString, bool> checksOf(const QJsonObject& report)
{
    QMap<QString, bool> out;
    for (const auto& c : report.value(QStringLiteral("checks")).toArray()) {
        out.insert(c.toObject().value(QStringLiteral("name")).toString(),
                   c.toObject().value(QStringLiteral("ok")).toBool());
    }
    return out;
}

QString firstFailingCheck(const QJsonObject& report)
{
    for (const auto& c : report.value(QStringLiteral("checks")).toArray()) {
        if (!c.toObject().value(QStringLiteral("ok")).toBool()) {
            return c.toObject().value(QStringLiteral("name")).toString();
        }
    }
    return {};
}

// RFC 7638 thumbprint computed here, independently of the core.
QString thumbprintOf(const QJsonObject& jwk)
{
    const QString kty = jwk.value(QStringLiteral("kty")).toString();
    QStringList members;
    if (kty == QStringLiteral("RSA")) {
        members = {QStringLiteral("e"), QStringLiteral("kty"), QStringLiteral("n")};
    } else if (kty == QStringLiteral("EC")) {
        members = {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x"), QStringLiteral("y")};
    } else if (kty == QStringLiteral("OKP")) {
        members = {QStringLiteral("crv"), QStringLiteral("kty"), QStringLiteral("x")};
    } else {
        members = {QStringLiteral("k"), QStringLiteral("kty")};
    }
    QByteArray canonical = "{";
    for (const QString& m : members) {
        if (canonical.size() > 1) {
            canonical += ',';
        }
        canonical += '"' + m.toUtf8() + "\":\"" + jwk.value(m).toString().toUtf8() + '"';
    }
    canonical += '}';
    return QString::fromLatin1(b64u(QCryptographicHash::hash(canonical, QCryptographicHash::Sha256)));
}

// Exit 2, nothing on stdout, exactly one stderr line starting with "error:" that contains `needle`.
#define EXPECT_ERROR(runExpr, needle)                                                                                  \
    do {                                                                                                               \
        const CliRun r_ = (runExpr);                                                                                   \
        QVERIFY2(r_.code == 2, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r_.code).arg(str(r_.err))));       \
        QVERIFY2(r_.out.isEmpty(), r_.out.left(300).constData());                                                      \
        QVERIFY2(r_.err.startsWith("error: "), r_.err.left(300).constData());                                          \
        QVERIFY2(r_.err.endsWith('\n') && r_.err.count('\n') == 1, r_.err.left(300).constData());                      \
        QVERIFY2(str(r_.err).contains(needle), r_.err.left(300).constData());                                          \
    } while (false)

} // namespace

class TestCliJws : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QList<QJsonObject> m_vectors; // every JWS vector of the RFC files, with "file" added
    QByteArray m_secret;          // RFC 7515 A.1's HMAC key
    QString m_secretPath;
    QString m_rsaPrivate; // RFC 7515 A.2 PKCS#8
    QString m_rsaPublic;  // RFC 7515 A.2 SPKI
    QString m_rsa7520Public;
    QString m_ecPublic; // RFC 7515 A.3 SPKI

    QString path(const QString& name) const { return m_dir.filePath(name); }

    QString write(const QString& name, const QByteArray& bytes) const
    {
        return tb::test::writeFileIn(m_dir, name, bytes);
    }

    QJsonObject vector(const QString& id) const
    {
        for (const auto& v : m_vectors) {
            if (v.value(QStringLiteral("id")).toString() == id) {
                return v;
            }
        }
        qWarning("no vector %s", qPrintable(id));
        return {};
    }

    QByteArray jwt(const QByteArray& header, const QByteArray& payload) const
    {
        return hs256(m_secret, header, payload);
    }

    // verify TOKEN --secret-file <A.1 secret> --json <extra...>
    CliRun verifyJson(const QByteArray& token, const QStringList& extra = {}) const
    {
        return runCli(QStringList{QStringLiteral("verify"), str(token), QStringLiteral("--secret-file"), m_secretPath,
                                  QStringLiteral("--json")} +
                      extra);
    }

    CliRun verifyText(const QByteArray& token, const QStringList& extra = {}) const
    {
        return runCli(QStringList{QStringLiteral("verify"), str(token), QStringLiteral("--secret-file"), m_secretPath} +
                      extra);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const QString& file : rfcFiles) {
            const QJsonObject doc = tb::test::loadVectorFile(file);
            QVERIFY2(!doc.isEmpty(), qPrintable(file));
            for (const auto& v : doc.value(QStringLiteral("vectors")).toArray()) {
                QJsonObject o = v.toObject();
                o.insert(QStringLiteral("file"), file);
                m_vectors << o;
            }
        }
        QCOMPARE(m_vectors.size(), 12);
        const QJsonObject a1 = vector(QStringLiteral("RFC7515-A.1"));
        m_secret = tb::test::fromHex(a1.value(QStringLiteral("secret_hex")).toString());
        QCOMPARE(m_secret.size(), 64);
        m_secretPath = write(QStringLiteral("a1.secret"), m_secret);
        const QJsonObject a2pem = vector(QStringLiteral("RFC7515-A.2")).value(QStringLiteral("pem")).toObject();
        m_rsaPrivate =
            write(QStringLiteral("a2.key"), a2pem.value(QStringLiteral("private_pkcs8")).toString().toUtf8());
        m_rsaPublic = write(QStringLiteral("a2.pub"), a2pem.value(QStringLiteral("public_spki")).toString().toUtf8());
        m_rsa7520Public = write(QStringLiteral("rfc7520-rsa.pub"), vector(QStringLiteral("RFC7520-4.1"))
                                                                       .value(QStringLiteral("pem"))
                                                                       .toObject()
                                                                       .value(QStringLiteral("public_spki"))
                                                                       .toString()
                                                                       .toUtf8());
        m_ecPublic = write(QStringLiteral("a3.pub"), vector(QStringLiteral("RFC7515-A.3"))
                                                         .value(QStringLiteral("pem"))
                                                         .toObject()
                                                         .value(QStringLiteral("public_spki"))
                                                         .toString()
                                                         .toUtf8());
    }

    // ---- the RFC vectors ----

    void vectorsVerifyWithEveryKeyForm_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("keyPath");
        for (const auto& v : std::as_const(m_vectors)) {
            if (v.value(QStringLiteral("expected")).toObject().value(QStringLiteral("verify")).toString() !=
                QStringLiteral("valid")) {
                continue;
            }
            const QString id = v.value(QStringLiteral("id")).toString();
            const QJsonObject jwk = v.value(QStringLiteral("jwk")).toObject();
            auto row = [&](const QString& form, const QString& option, const QByteArray& bytes) {
                const QString p = write(QStringLiteral("%1.%2").arg(id, form), bytes);
                QTest::addRow("%s %s", qPrintable(id), qPrintable(form)) << id << option << p;
            };
            const QString key = QStringLiteral("--key");
            row(QStringLiteral("jwk"), key, QJsonDocument(jwk).toJson(QJsonDocument::Compact));
            if (jwk.value(QStringLiteral("kty")).toString() == QStringLiteral("oct")) {
                row(QStringLiteral("secret"), QStringLiteral("--secret-file"),
                    tb::test::fromHex(v.value(QStringLiteral("secret_hex")).toString()));
                continue;
            }
            row(QStringLiteral("public_jwk"), key,
                QJsonDocument(v.value(QStringLiteral("public_jwk")).toObject()).toJson(QJsonDocument::Indented));
            const QJsonObject pem = v.value(QStringLiteral("pem")).toObject();
            for (auto it = pem.begin(); it != pem.end(); ++it) {
                row(it.key(), key, it.value().toString().toUtf8());
            }
        }
    }

    void vectorsVerifyWithEveryKeyForm()
    {
        QFETCH(QString, id);
        QFETCH(QString, option);
        QFETCH(QString, keyPath);
        const QJsonObject v = vector(id);
        const QString token = v.value(QStringLiteral("compact")).toString();
        QStringList args{QStringLiteral("verify"), token, option, keyPath};
        const QJsonValue now = v.value(QStringLiteral("expected")).toObject().value(QStringLiteral("verify_now"));
        if (!now.isUndefined()) {
            args << QStringLiteral("--now") << QString::number(now.toInteger());
        }
        const CliRun text = runCli(args);
        QVERIFY2(text.code == 0, text.out.constData());
        QCOMPARE(firstLine(text.out), QByteArray("valid"));
        QCOMPARE(text.err, QByteArray());

        const CliRun run = runCli(args + QStringList{QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        QCOMPARE(run.err, QByteArray());
        QVERIFY(run.out.endsWith('\n'));
        QCOMPARE(run.out.count('\n'), 1);
        const QJsonObject o = stdoutJson(run);
        // The contract members, with their types (CLI.md: add members freely, never rename or drop these).
        for (const char* member : {"valid", "signature", "alg", "kid", "checks"}) {
            QVERIFY2(o.contains(QLatin1String(member)), member);
        }
        QCOMPARE(o.value(QStringLiteral("valid")), QJsonValue(true));
        QCOMPARE(o.value(QStringLiteral("signature")), QJsonValue(QStringLiteral("valid")));
        QCOMPARE(o.value(QStringLiteral("alg")), QJsonValue(v.value(QStringLiteral("alg"))));
        const QJsonObject header =
            QJsonDocument::fromJson(v.value(QStringLiteral("protected_header")).toString().toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("kid")), header.contains(QStringLiteral("kid"))
                                                     ? header.value(QStringLiteral("kid"))
                                                     : QJsonValue(QJsonValue::Null));
        const QJsonArray checks = o.value(QStringLiteral("checks")).toArray();
        QVERIFY(!checks.isEmpty());
        for (const auto& c : checks) {
            const QJsonObject check = c.toObject();
            QCOMPARE(QStringList(check.keys()),
                     (QStringList{QStringLiteral("detail"), QStringLiteral("name"), QStringLiteral("ok")}));
            QVERIFY(check.value(QStringLiteral("name")).isString());
            QVERIFY(check.value(QStringLiteral("detail")).isString());
            QVERIFY(!check.value(QStringLiteral("detail")).toString().isEmpty());
            QCOMPARE(check.value(QStringLiteral("ok")), QJsonValue(true));
        }
        const auto names = checksOf(o);
        QVERIFY(names.contains(QStringLiteral("signature")));
        QVERIFY(names.contains(QStringLiteral("alg")));
        QCOMPARE(names.contains(QStringLiteral("exp")), !now.isUndefined());
    }

    void rfcTokensAreExpiredAgainstTheClock_data()
    {
        QTest::addColumn<QString>("id");
        for (const auto& v : std::as_const(m_vectors)) {
            const QJsonObject expected = v.value(QStringLiteral("expected")).toObject();
            if (expected.contains(QStringLiteral("verify_now"))) {
                QTest::newRow(qPrintable(v.value(QStringLiteral("id")).toString()))
                    << v.value(QStringLiteral("id")).toString();
            }
        }
    }

    // Edge case 6 too: the signature is checked and reported although exp fails.
    void rfcTokensAreExpiredAgainstTheClock()
    {
        QFETCH(QString, id);
        const QJsonObject v = vector(id);
        const QJsonObject jwk = v.value(QStringLiteral("jwk")).toObject();
        const QString keyFile = write(id + QStringLiteral(".expired.jwk"), QJsonDocument(jwk).toJson());
        const QStringList args{QStringLiteral("verify"), v.value(QStringLiteral("compact")).toString(),
                               QStringLiteral("--key"), keyFile};
        const CliRun text = runCli(args);
        QCOMPARE(text.code, 1);
        QVERIFY2(firstLine(text.out).startsWith("invalid: exp: Expired at 2011-03-22T18:43:00Z"), text.out.constData());
        QCOMPARE(text.err, QByteArray());
        const CliRun run = runCli(args + QStringList{QStringLiteral("--json")});
        QCOMPARE(run.code, 1);
        const QJsonObject o = stdoutJson(run);
        QCOMPARE(o.value(QStringLiteral("valid")), QJsonValue(false));
        QCOMPARE(o.value(QStringLiteral("signature")), QJsonValue(QStringLiteral("valid")));
        QCOMPARE(checksOf(o).value(QStringLiteral("signature")), true);
        QCOMPARE(checksOf(o).value(QStringLiteral("exp"), true), false);
        QCOMPARE(firstFailingCheck(o), QStringLiteral("exp"));
    }

    void deterministicVectorsResignExactly_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QStringList>("keyArgs");
        for (const auto& v : std::as_const(m_vectors)) {
            if (!v.value(QStringLiteral("signature_deterministic")).toBool()) {
                continue;
            }
            const QString id = v.value(QStringLiteral("id")).toString();
            const QJsonObject jwk = v.value(QStringLiteral("jwk")).toObject();
            if (v.value(QStringLiteral("alg")).toString() == QStringLiteral("none")) {
                QTest::addRow("%s no key", qPrintable(id)) << id << QStringList();
                continue;
            }
            const QString jwkPath = write(id + QStringLiteral(".sign.jwk"), QJsonDocument(jwk).toJson());
            QTest::addRow("%s jwk", qPrintable(id)) << id << QStringList{QStringLiteral("--key"), jwkPath};
            if (jwk.value(QStringLiteral("kty")).toString() == QStringLiteral("oct")) {
                const QString secret = write(id + QStringLiteral(".sign.secret"),
                                             tb::test::fromHex(v.value(QStringLiteral("secret_hex")).toString()));
                QTest::addRow("%s secret", qPrintable(id))
                    << id << QStringList{QStringLiteral("--secret-file"), secret};
                continue;
            }
            const QJsonObject pem = v.value(QStringLiteral("pem")).toObject();
            for (const QString& form : pem.keys()) {
                if (form.startsWith(QStringLiteral("private"))) {
                    const QString p = write(id + QStringLiteral(".sign.") + form, pem.value(form).toString().toUtf8());
                    QTest::addRow("%s %s", qPrintable(id), qPrintable(form))
                        << id << QStringList{QStringLiteral("--key"), p};
                }
            }
        }
    }

    void deterministicVectorsResignExactly()
    {
        QFETCH(QString, id);
        QFETCH(QStringList, keyArgs);
        const QJsonObject v = vector(id);
        const QString h =
            write(id + QStringLiteral(".header"), v.value(QStringLiteral("protected_header")).toString().toUtf8());
        const QString p =
            write(id + QStringLiteral(".payload"), v.value(QStringLiteral("payload")).toString().toUtf8());
        const CliRun run = runCli(
            QStringList{QStringLiteral("sign"), QStringLiteral("--alg"), v.value(QStringLiteral("alg")).toString()} +
            keyArgs + QStringList{QStringLiteral("--header"), u'@' + h, QStringLiteral("--payload"), u'@' + p});
        QCOMPARE(run.code, 0);
        QCOMPARE(str(run.out), v.value(QStringLiteral("compact")).toString() + u'\n');
        QCOMPARE(run.err, v.value(QStringLiteral("payload_is_json_object")).toBool() ? QByteArray() : nonJsonNote);
    }

    void unsignedVectorsAreRefusedWithARealKey_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("keyPath");
        for (const char* id : {"RFC7515-A.5", "RFC7519-6.1"}) {
            QTest::addRow("%s RSA key", id) << QString::fromLatin1(id) << QStringLiteral("--key") << m_rsaPublic;
            QTest::addRow("%s EC key", id) << QString::fromLatin1(id) << QStringLiteral("--key") << m_ecPublic;
            QTest::addRow("%s secret", id)
                << QString::fromLatin1(id) << QStringLiteral("--secret-file") << m_secretPath;
        }
    }

    void unsignedVectorsAreRefusedWithARealKey()
    {
        QFETCH(QString, id);
        QFETCH(QString, option);
        QFETCH(QString, keyPath);
        const QString token = vector(id).value(QStringLiteral("compact")).toString();
        const CliRun run = runCli({QStringLiteral("verify"), token, option, keyPath, QStringLiteral("--now"),
                                   QStringLiteral("1300819320"), QStringLiteral("--json")});
        QCOMPARE(run.code, 1);
        const QJsonObject o = stdoutJson(run);
        QCOMPARE(o.value(QStringLiteral("valid")), QJsonValue(false));
        QCOMPARE(o.value(QStringLiteral("alg")), QJsonValue(QStringLiteral("none")));
        QCOMPARE(firstFailingCheck(o), QStringLiteral("alg"));
        QCOMPARE(o.value(QStringLiteral("signature")), QJsonValue(QStringLiteral("not-checked")));
        // Allowed by name, without a key: valid (edge case 2).
        const CliRun allowed = runCli({QStringLiteral("verify"), token, QStringLiteral("--alg"), QStringLiteral("none"),
                                       QStringLiteral("--now"), QStringLiteral("1300819320")});
        QCOMPARE(allowed.code, 0);
        QCOMPARE(firstLine(allowed.out), QByteArray("valid"));
    }

    // ---- edge case 1: whitespace and terminals ----

    void tokenWhitespaceIsTrimmed()
    {
        const QJsonObject v = vector(QStringLiteral("RFC7515-A.2"));
        const QByteArray token = v.value(QStringLiteral("compact")).toString().toUtf8();
        const QByteArray padded = " \t\r\n" + token + "\r\n \t\n";
        const QStringList base{QStringLiteral("verify"), QStringLiteral("--key"), m_rsaPublic, QStringLiteral("--now"),
                               QStringLiteral("1300819320")};
        const CliRun arg = runCli(base + QStringList{str(padded)});
        QCOMPARE(arg.code, 0);
        QCOMPARE(firstLine(arg.out), QByteArray("valid"));
        const CliRun dash = runCli(base + QStringList{QStringLiteral("-")}, padded);
        QCOMPARE(dash.code, 0);
        QCOMPARE(dash.out, arg.out);
        const CliRun absent = runCli(base, padded);
        QCOMPARE(absent.code, 0);
        QCOMPARE(absent.out, arg.out);
        // A vertical tab is not ASCII whitespace in the contract's sense: the token is then malformed.
        EXPECT_ERROR(runCli(base + QStringList{str("\v" + token)}), QStringLiteral("error: "));
    }

    void noTokenOnATerminalIsAnError()
    {
        const CliRun run = runCli({QStringLiteral("verify"), QStringLiteral("--key"), m_rsaPublic}, {}, true);
        EXPECT_ERROR(run, QStringLiteral("error: no token given"));
        // Empty standard input that is not a terminal: an empty token, also exit 2.
        EXPECT_ERROR(runCli({QStringLiteral("verify"), QStringLiteral("--key"), m_rsaPublic}, " \n"),
                     QStringLiteral("empty"));
        // sign without --payload on a terminal does not wait either.
        const CliRun sign = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                                    QStringLiteral("--secret-file"), m_secretPath},
                                   {}, true);
        EXPECT_ERROR(sign, QStringLiteral("payload"));
    }

    // ---- edge case 2: none ----

    void noneEdgeCases()
    {
        const QByteArray header = b64u(R"({"alg":"none"})");
        const QByteArray payload = b64u(R"({"sub":"x"})");
        EXPECT_ERROR(runCli({QStringLiteral("verify"), str(header + '.' + payload), QStringLiteral("--alg"),
                             QStringLiteral("none")}),
                     QStringLiteral("2"));
        EXPECT_ERROR(
            runCli({QStringLiteral("verify"), str(header + '.' + payload), QStringLiteral("--key"), m_rsaPublic}),
            QStringLiteral("segments"));
        const CliRun ok = runCli({QStringLiteral("verify"), str(header + '.' + payload + '.'), QStringLiteral("--alg"),
                                  QStringLiteral("none"), QStringLiteral("--json")});
        QCOMPARE(ok.code, 0);
        QCOMPARE(stdoutJson(ok).value(QStringLiteral("valid")), QJsonValue(true));
        QCOMPARE(ok.err, QByteArray());
        // A none token that carries a signature is not valid, even when none is allowed.
        const CliRun signedNone = runCli({QStringLiteral("verify"), str(header + '.' + payload + '.' + b64u("sig")),
                                          QStringLiteral("--alg"), QStringLiteral("none"), QStringLiteral("--json")});
        QCOMPARE(signedNone.code, 1);
        QCOMPARE(stdoutJson(signedNone).value(QStringLiteral("signature")), QJsonValue(QStringLiteral("invalid")));
        // Only the exact spelling.
        const QByteArray upper = b64u(R"({"alg":"NONE"})") + '.' + payload + '.';
        const CliRun variant = runCli({QStringLiteral("verify"), str(upper), QStringLiteral("--alg"),
                                       QStringLiteral("none"), QStringLiteral("--json")});
        QCOMPARE(variant.code, 1);
        QCOMPARE(firstFailingCheck(stdoutJson(variant)), QStringLiteral("alg"));
        // --alg none does not let a signed token through without a key.
        const CliRun hs = runCli({QStringLiteral("verify"), str(jwt(R"({"alg":"HS256"})", "{}")),
                                  QStringLiteral("--alg"), QStringLiteral("none"), QStringLiteral("--json")});
        QCOMPARE(hs.code, 1);
        QCOMPARE(firstFailingCheck(stdoutJson(hs)), QStringLiteral("alg"));
        // sign --alg none: no key, header.payload. exactly.
        const CliRun sign = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("none"),
                                    QStringLiteral("--payload"), QStringLiteral(R"({"a":1})")});
        QCOMPARE(sign.code, 0);
        QCOMPARE(sign.out, b64u(R"({"alg":"none","typ":"JWT"})") + '.' + b64u(R"({"a":1})") + ".\n");
        QCOMPARE(sign.err, QByteArray());
    }

    // ---- edge case 3: the allow-list against the key ----

    void allowListThatFitsNoKeyIsUsageError()
    {
        const QString token = vector(QStringLiteral("RFC7515-A.2")).value(QStringLiteral("compact")).toString();
        EXPECT_ERROR(runCli({QStringLiteral("verify"), token, QStringLiteral("--key"), m_rsaPublic,
                             QStringLiteral("--alg"), QStringLiteral("HS256,HS384")}),
                     QStringLiteral("HS256"));
        EXPECT_ERROR(runCli({QStringLiteral("verify"), token, QStringLiteral("--secret-file"), m_secretPath,
                             QStringLiteral("--alg"), QStringLiteral("RS256")}),
                     QStringLiteral("RS256"));
        EXPECT_ERROR(runCli({QStringLiteral("verify"), token, QStringLiteral("--key"), m_ecPublic,
                             QStringLiteral("--alg"), QStringLiteral("ES384")}),
                     QStringLiteral("ES384"));
    }

    // CLI.md edge case 3: "a token whose alg is allowed but does not fit the key fails the `alg` check (exit 1)".
    void allowedAlgThatDoesNotFitTheKeyFailsTheAlgCheck()
    {
        const QByteArray token = jwt(R"({"alg":"HS256"})", R"({"sub":"x"})");
        const CliRun run = runCli({QStringLiteral("verify"), str(token), QStringLiteral("--key"), m_rsaPublic,
                                   QStringLiteral("--alg"), QStringLiteral("RS256,HS256"), QStringLiteral("--json")});
        QCOMPARE(run.code, 1);
        const QJsonObject o = stdoutJson(run);
        QCOMPARE(o.value(QStringLiteral("valid")), QJsonValue(false));
        QCOMPARE(checksOf(o).value(QStringLiteral("alg"), true), false);
        QCOMPARE(firstFailingCheck(o), QStringLiteral("alg"));
        // Without --alg the allow-list is what fits the key: the alg check fails the same way.
        const CliRun implicit = runCli(
            {QStringLiteral("verify"), str(token), QStringLiteral("--key"), m_rsaPublic, QStringLiteral("--json")});
        QCOMPARE(implicit.code, 1);
        QCOMPARE(firstFailingCheck(stdoutJson(implicit)), QStringLiteral("alg"));
    }

    // ---- edge case 4: limits ----

    void limits()
    {
        const QByteArray big = QByteArray(10 * 1024 * 1024, 'A') + '.' + b64u("{}") + '.' + b64u("x");
        EXPECT_ERROR(runCli({QStringLiteral("verify"), str(big), QStringLiteral("--secret-file"), m_secretPath}),
                     QStringLiteral("4 MiB"));
        EXPECT_ERROR(runCli({QStringLiteral("verify"), QStringLiteral("--secret-file"), m_secretPath}, big),
                     QStringLiteral("4 MiB"));
        // A 1,001-key JWK Set (small enough to pass the 1 MiB file limit).
        QJsonArray keys;
        for (int i = 0; i < 1001; ++i) {
            keys.append(QJsonObject{{QStringLiteral("kty"), QStringLiteral("oct")},
                                    {QStringLiteral("kid"), QString::number(i)},
                                    {QStringLiteral("k"), QString::fromLatin1(b64u(m_secret))}});
        }
        const QString jwks =
            write(QStringLiteral("1001.jwks"),
                  QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}}).toJson(QJsonDocument::Compact));
        QVERIFY(QFileInfo(jwks).size() < 1024 * 1024);
        EXPECT_ERROR(
            runCli({QStringLiteral("verify"), str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--jwks"), jwks}),
            QStringLiteral("1000"));
        // A 2 MB key file, through every key option.
        const QString hugeKey = write(QStringLiteral("huge.key"), QByteArray(2 * 1024 * 1024, 'A'));
        const QString token = str(jwt(R"({"alg":"HS256"})", "{}"));
        for (const QString& option :
             {QStringLiteral("--key"), QStringLiteral("--secret-file"), QStringLiteral("--jwks")}) {
            const CliRun run = runCli({QStringLiteral("verify"), token, option, hugeKey});
            EXPECT_ERROR(run, QStringLiteral("limit"));
            QVERIFY2(run.err.contains("1048576") || run.err.contains("1 MiB"), run.err.constData());
        }
        EXPECT_ERROR(
            runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                    QStringLiteral("--secret-file"), hugeKey, QStringLiteral("--payload"), QStringLiteral("{}")}),
            QStringLiteral("limit"));
        // JSON nesting past 256 in the header.
        const QByteArray deep = QByteArray(300, '[') + QByteArray(300, ']');
        EXPECT_ERROR(verifyText(jwt(R"({"alg":"HS256","x":)" + deep + '}', "{}")), QStringLiteral("256"));
    }

    // Edge case 4 (JSON nesting depth 256) applied to the payload: a claims set past the limit must not be skipped.
    void payloadNestingPastTheLimitIsRefused()
    {
        const QByteArray deep = QByteArray(300, '[') + QByteArray(300, ']');
        // exp is long past: were the payload silently treated as "not JSON", the expired token would be valid.
        const QByteArray token = jwt(R"({"alg":"HS256"})", R"({"exp":1,"x":)" + deep + '}');
        EXPECT_ERROR(verifyText(token), QStringLiteral("256"));
    }

    // ---- edge case 5: time checks ----

    void timeChecks_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("now");
        QTest::addColumn<QString>("leeway");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("failing");
        const QByteArray claims = R"({"exp":1000,"nbf":900,"iat":900})";
        QTest::newRow("before exp") << claims << QStringLiteral("999.5") << QStringLiteral("0") << 0 << QString();
        QTest::newRow("at exp: expired") << claims << QStringLiteral("1000") << QStringLiteral("0") << 1
                                         << QStringLiteral("exp");
        QTest::newRow("leeway keeps it") << claims << QStringLiteral("1009") << QStringLiteral("10") << 0 << QString();
        QTest::newRow("now - leeway = exp")
            << claims << QStringLiteral("1010") << QStringLiteral("10") << 1 << QStringLiteral("exp");
        QTest::newRow("nbf reached with leeway")
            << claims << QStringLiteral("890") << QStringLiteral("10") << 0 << QString();
        QTest::newRow("before nbf") << claims << QStringLiteral("889.9") << QStringLiteral("10") << 1
                                    << QStringLiteral("nbf");
        QTest::newRow("at nbf") << claims << QStringLiteral("900") << QStringLiteral("0") << 0 << QString();
        QTest::newRow("fractional exp, before")
            << QByteArray(R"({"exp":1000.5})") << QStringLiteral("1000.4") << QStringLiteral("0") << 0 << QString();
        QTest::newRow("fractional exp, at") << QByteArray(R"({"exp":1000.5})") << QStringLiteral("1000.5")
                                            << QStringLiteral("0") << 1 << QStringLiteral("exp");
        QTest::newRow("iat in the future") << QByteArray(R"({"iat":2000})") << QStringLiteral("1000")
                                           << QStringLiteral("0") << 1 << QStringLiteral("iat");
        QTest::newRow("iat in the future within leeway")
            << QByteArray(R"({"iat":2000})") << QStringLiteral("1000") << QStringLiteral("1000") << 0 << QString();
        QTest::newRow("exp as a string") << QByteArray(R"({"exp":"99999999999"})") << QStringLiteral("1")
                                         << QStringLiteral("0") << 1 << QStringLiteral("exp");
        QTest::newRow("nbf as a string") << QByteArray(R"({"nbf":"1"})") << QStringLiteral("1000")
                                         << QStringLiteral("0") << 1 << QStringLiteral("nbf");
        QTest::newRow("iat as a bool") << QByteArray(R"({"iat":true})") << QStringLiteral("1000") << QStringLiteral("0")
                                       << 1 << QStringLiteral("iat");
        QTest::newRow("exp null") << QByteArray(R"({"exp":null})") << QStringLiteral("1000") << QStringLiteral("0") << 1
                                  << QStringLiteral("exp");
        QTest::newRow("no time claims") << QByteArray(R"({"sub":"x"})") << QStringLiteral("1000") << QStringLiteral("0")
                                        << 0 << QString();
    }

    void timeChecks()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, now);
        QFETCH(QString, leeway);
        QFETCH(int, code);
        QFETCH(QString, failing);
        const QByteArray token = jwt(R"({"alg":"HS256"})", payload);
        const QStringList extra{QStringLiteral("--now"), now, QStringLiteral("--leeway"), leeway};
        const CliRun run = verifyJson(token, extra);
        QCOMPARE(run.code, code);
        const QJsonObject o = stdoutJson(run);
        QCOMPARE(o.value(QStringLiteral("valid")), QJsonValue(code == 0));
        QCOMPARE(o.value(QStringLiteral("signature")), QJsonValue(QStringLiteral("valid"))); // edge case 6
        QCOMPARE(firstFailingCheck(o), failing);
        const CliRun text = verifyText(token, extra);
        QCOMPARE(text.code, code);
        QVERIFY2(code == 0 ? firstLine(text.out) == "valid"
                           : firstLine(text.out).startsWith("invalid: " + failing.toUtf8() + ": "),
                 text.out.constData());
    }

    void badClockOptionsAreUsageErrors()
    {
        const QByteArray token = jwt(R"({"alg":"HS256"})", "{}");
        EXPECT_ERROR(verifyText(token, {QStringLiteral("--now"), QStringLiteral("tomorrow")}), QStringLiteral("--now"));
        EXPECT_ERROR(verifyText(token, {QStringLiteral("--leeway"), QStringLiteral("-5")}), QStringLiteral("--leeway"));
        EXPECT_ERROR(verifyText(token, {QStringLiteral("--leeway"), QStringLiteral("ten")}),
                     QStringLiteral("--leeway"));
    }

    void issAndAud()
    {
        const QByteArray token = jwt(R"({"alg":"HS256"})", R"({"iss":"a","aud":["x","y"]})");
        QCOMPARE(verifyText(token, {QStringLiteral("--iss"), QStringLiteral("a"), QStringLiteral("--aud"),
                                    QStringLiteral("y")})
                     .code,
                 0);
        const CliRun bad = verifyJson(
            token, {QStringLiteral("--iss"), QStringLiteral("b"), QStringLiteral("--aud"), QStringLiteral("z")});
        QCOMPARE(bad.code, 1);
        const auto checks = checksOf(stdoutJson(bad));
        QCOMPARE(checks.value(QStringLiteral("iss"), true), false);
        QCOMPARE(checks.value(QStringLiteral("aud"), true), false);
        const QByteArray single = jwt(R"({"alg":"HS256"})", R"({"aud":"x"})");
        QCOMPARE(verifyText(single, {QStringLiteral("--aud"), QStringLiteral("x")}).code, 0);
        QCOMPARE(verifyText(single, {QStringLiteral("--aud"), QStringLiteral("X")}).code, 1);
    }

    // ---- edge case 6 ----

    void signatureIsReportedWhenClaimsFail()
    {
        const QByteArray token = jwt(R"({"alg":"HS256"})", R"({"exp":1})");
        const CliRun good = verifyJson(token, {QStringLiteral("--now"), QStringLiteral("5")});
        QCOMPARE(good.code, 1);
        QCOMPARE(stdoutJson(good).value(QStringLiteral("signature")), QJsonValue(QStringLiteral("valid")));
        // Same claims, wrong MAC: both failures reported.
        const QByteArray forged =
            hs256(QByteArray("another secret, 32 bytes long!!!"), R"({"alg":"HS256"})", R"({"exp":1})");
        const CliRun bad = verifyJson(forged, {QStringLiteral("--now"), QStringLiteral("5")});
        QCOMPARE(bad.code, 1);
        const QJsonObject o = stdoutJson(bad);
        QCOMPARE(o.value(QStringLiteral("signature")), QJsonValue(QStringLiteral("invalid")));
        QCOMPARE(checksOf(o).value(QStringLiteral("signature"), true), false);
        QCOMPARE(checksOf(o).value(QStringLiteral("exp"), true), false);
    }

    // ---- edge case 7: JWK Sets ----

    void jwksSelection()
    {
        const QJsonObject a2 = vector(QStringLiteral("RFC7515-A.2"));
        const QJsonObject a3 = vector(QStringLiteral("RFC7515-A.3"));
        const QJsonObject rsa7520 = vector(QStringLiteral("RFC7520-4.1"));
        auto withMembers = [](QJsonObject jwk, const QJsonObject& extra) {
            for (auto it = extra.begin(); it != extra.end(); ++it) {
                jwk.insert(it.key(), it.value());
            }
            return jwk;
        };
        const QJsonObject a2pub = a2.value(QStringLiteral("public_jwk")).toObject();
        const QJsonObject a3pub = a3.value(QStringLiteral("public_jwk")).toObject();
        const QJsonObject otherRsa = rsa7520.value(QStringLiteral("public_jwk")).toObject();
        auto set = [this](const QString& name, const QJsonArray& keys) {
            return write(name, QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}}).toJson());
        };
        const QString byKid =
            set(QStringLiteral("bykid.jwks"), {withMembers(a3pub, {{QStringLiteral("kid"), QStringLiteral("e1")}}),
                                               withMembers(a2pub, {{QStringLiteral("kid"), QStringLiteral("r1")}})});
        // Sign an RS256 token with kid r1 (RFC 7515 A.2's private key).
        const CliRun signed1 =
            runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("RS256"), QStringLiteral("--key"),
                    m_rsaPrivate, QStringLiteral("--kid"), QStringLiteral("r1"), QStringLiteral("--payload"),
                    QStringLiteral(R"({"sub":"jwks"})")});
        QCOMPARE(signed1.code, 0);
        const QString token = str(signed1.out.trimmed());
        const CliRun ok =
            runCli({QStringLiteral("verify"), token, QStringLiteral("--jwks"), byKid, QStringLiteral("--json")});
        QCOMPARE(ok.code, 0);
        QCOMPARE(stdoutJson(ok).value(QStringLiteral("kid")), QJsonValue(QStringLiteral("r1")));
        const CliRun okText = runCli({QStringLiteral("verify"), token, QStringLiteral("--jwks"), byKid});
        QCOMPARE(okText.code, 0);
        QVERIFY2(okText.out.contains("kid \"r1\""), okText.out.constData());

        // kid not in the set: exit 1, the kid check fails.
        const CliRun signedX = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("RS256"),
                                       QStringLiteral("--key"), m_rsaPrivate, QStringLiteral("--kid"),
                                       QStringLiteral("nope"), QStringLiteral("--payload"), QStringLiteral("{}")});
        const CliRun missing = runCli({QStringLiteral("verify"), str(signedX.out.trimmed()), QStringLiteral("--jwks"),
                                       byKid, QStringLiteral("--json")});
        QCOMPARE(missing.code, 1);
        QCOMPARE(firstFailingCheck(stdoutJson(missing)), QStringLiteral("kid"));
        // kid names a key that cannot verify: only that key is used, never another one.
        const QString wrongKid = set(QStringLiteral("wrongkid.jwks"),
                                     {withMembers(otherRsa, {{QStringLiteral("kid"), QStringLiteral("r1")}}),
                                      withMembers(a2pub, {{QStringLiteral("kid"), QStringLiteral("r2")}})});
        QCOMPARE(runCli({QStringLiteral("verify"), token, QStringLiteral("--jwks"), wrongKid}).code, 1);

        // Without kid: every fitting key in order; the report names the one that verified (the second).
        const QString noKid = set(QStringLiteral("nokid.jwks"), {otherRsa, a3pub, a2pub});
        const QString plain = vector(QStringLiteral("RFC7515-A.2")).value(QStringLiteral("compact")).toString();
        const CliRun tried = runCli({QStringLiteral("verify"), plain, QStringLiteral("--jwks"), noKid,
                                     QStringLiteral("--now"), QStringLiteral("1300819320"), QStringLiteral("--json")});
        QCOMPARE(tried.code, 0);
        const QString a2thumb = thumbprintOf(a2pub);
        QVERIFY2(str(tried.out).contains(a2thumb), tried.out.constData());
        QVERIFY(!str(tried.out).contains(thumbprintOf(otherRsa)));
        const CliRun triedText = runCli({QStringLiteral("verify"), plain, QStringLiteral("--jwks"), noKid,
                                         QStringLiteral("--now"), QStringLiteral("1300819320")});
        QCOMPARE(triedText.code, 0);
        QVERIFY2(str(triedText.out).contains(a2thumb), triedText.out.constData());

        // Keys whose alg, use or key_ops say otherwise are not tried.
        const QJsonObject refusals[] = {
            withMembers(a2pub, {{QStringLiteral("alg"), QStringLiteral("RS512")}}),
            withMembers(a2pub, {{QStringLiteral("use"), QStringLiteral("enc")}}),
            withMembers(a2pub, {{QStringLiteral("key_ops"), QJsonArray{QStringLiteral("encrypt")}}}),
        };
        int i = 0;
        for (const QJsonObject& refused : refusals) {
            const QString s = set(QStringLiteral("refused%1.jwks").arg(i++), {refused});
            const CliRun r = runCli({QStringLiteral("verify"), plain, QStringLiteral("--jwks"), s,
                                     QStringLiteral("--now"), QStringLiteral("1300819320"), QStringLiteral("--json")});
            QVERIFY2(r.code == 1, r.out.constData());
            QCOMPARE(stdoutJson(r).value(QStringLiteral("valid")), QJsonValue(false));
        }
        // ...and those that agree are.
        const QString agreeing =
            set(QStringLiteral("agree.jwks"),
                {withMembers(a2pub, {{QStringLiteral("alg"), QStringLiteral("RS256")},
                                     {QStringLiteral("use"), QStringLiteral("sig")},
                                     {QStringLiteral("key_ops"), QJsonArray{QStringLiteral("verify")}}})});
        QCOMPARE(runCli({QStringLiteral("verify"), plain, QStringLiteral("--jwks"), agreeing, QStringLiteral("--now"),
                         QStringLiteral("1300819320")})
                     .code,
                 0);
    }

    // ---- edge case 8: header bytes ----

    void signHeaderMemberOrder_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("default") << QStringList() << QByteArray(R"({"alg":"HS256","typ":"JWT"})");
        QTest::newRow("--kid") << QStringList{QStringLiteral("--kid"), QStringLiteral("k1")}
                               << QByteArray(R"({"alg":"HS256","typ":"JWT","kid":"k1"})");
        QTest::newRow("--header without alg: inserted first")
            << QStringList{QStringLiteral("--header"), QStringLiteral(R"({"typ":"at+jwt","x":1})")}
            << QByteArray(R"({"alg":"HS256","typ":"at+jwt","x":1})");
        QTest::newRow("--header without alg, --kid: kid appended")
            << QStringList{QStringLiteral("--header"), QStringLiteral(R"({"typ":"at+jwt","x":1})"),
                           QStringLiteral("--kid"), QStringLiteral("k1")}
            << QByteArray(R"({"alg":"HS256","typ":"at+jwt","x":1,"kid":"k1"})");
        QTest::newRow("--header alg and kid set in place")
            << QStringList{QStringLiteral("--header"), QStringLiteral(R"({"kid":"old","alg":"RS256","x":1})"),
                           QStringLiteral("--kid"), QStringLiteral("k1")}
            << QByteArray(R"({"kid":"k1","alg":"HS256","x":1})");
        QTest::newRow("--header keeps its own kid without --kid")
            << QStringList{QStringLiteral("--header"), QStringLiteral(R"({"x":[1,2],"kid":"mine"})")}
            << QByteArray(R"({"alg":"HS256","x":[1,2],"kid":"mine"})");
        QTest::newRow("--header with CR LF kept")
            << QStringList{QStringLiteral("--header"), QStringLiteral("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}")}
            << QByteArray("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");
    }

    void signHeaderMemberOrder()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, header);
        const QByteArray payload = R"({"sub":"order","n":1.50})";
        const CliRun run = runCli(QStringList{QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                                              QStringLiteral("--secret-file"), m_secretPath,
                                              QStringLiteral("--payload"), str(payload)} +
                                  args);
        QCOMPARE(run.code, 0);
        QCOMPARE(run.err, QByteArray());
        QCOMPARE(unb64u(run.out.split('.').value(0)), header);
        QCOMPARE(run.out, jwt(header, payload) + '\n');
    }

    void signHeaderThatIsNotJson()
    {
        const CliRun run = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                                   QStringLiteral("--secret-file"), m_secretPath, QStringLiteral("--payload"),
                                   QStringLiteral("{}"), QStringLiteral("--header"), QStringLiteral("{\"a\":}")});
        QCOMPARE(run.code, 2);
        QCOMPARE(run.out, QByteArray());
        QCOMPARE(run.err, QByteArray("error: --header is not valid JSON: Expected a value before '}' (a trailing "
                                     "comma?) (line 1, column 6).\n"));
    }

    void signReadsPayloadFromStdinAndFiles()
    {
        const QStringList base{QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                               QStringLiteral("--secret-file"), m_secretPath};
        const QByteArray expected = jwt(R"({"alg":"HS256","typ":"JWT"})", R"({"x":1})") + '\n';
        const CliRun stdinRun = runCli(base, " \n{\"x\":1}\r\n");
        QCOMPARE(stdinRun.code, 0);
        QCOMPARE(stdinRun.out, expected);
        const QString p = write(QStringLiteral("payload.json"), "\n\t{\"x\":1}\n");
        const CliRun fileRun = runCli(base + QStringList{QStringLiteral("--payload"), u'@' + p});
        QCOMPARE(fileRun.out, expected);
        // The secret file is not trimmed: a trailing newline is part of the secret.
        const QString nl = write(QStringLiteral("nl.secret"), m_secret + '\n');
        const CliRun nlRun =
            runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                    QStringLiteral("--secret-file"), nl, QStringLiteral("--payload"), QStringLiteral(R"({"x":1})")});
        QCOMPARE(nlRun.out, hs256(m_secret + '\n', R"({"alg":"HS256","typ":"JWT"})", R"({"x":1})") + '\n');
    }

    // ---- edge case 9: payloads that are not JSON ----

    void signNonJsonAndEmptyPayloads()
    {
        const QStringList base{QStringLiteral("sign"),
                               QStringLiteral("--alg"),
                               QStringLiteral("HS256"),
                               QStringLiteral("--secret-file"),
                               m_secretPath,
                               QStringLiteral("--payload")};
        const CliRun text = runCli(base + QStringList{QStringLiteral("hello world")});
        QCOMPARE(text.code, 0);
        QCOMPARE(text.out, jwt(R"({"alg":"HS256","typ":"JWT"})", "hello world") + '\n');
        QCOMPARE(text.err, nonJsonNote);
        const CliRun empty = runCli(base + QStringList{QString()});
        QCOMPARE(empty.code, 0);
        QCOMPARE(empty.out, jwt(R"({"alg":"HS256","typ":"JWT"})", "") + '\n');
        QVERIFY(empty.out.contains(".."));
        QCOMPARE(empty.err, QByteArray());
        // Both verify.
        QCOMPARE(verifyText(text.out.trimmed()).code, 0);
        QCOMPARE(verifyText(empty.out.trimmed()).code, 0);
    }

    // ---- edge case 10: padding and non-canonical base64url ----

    void nonCanonicalSignatureFails()
    {
        const QByteArray token = jwt(R"({"alg":"HS256"})", R"({"sub":"x"})");
        QCOMPARE(verifyText(token).code, 0);
        const qsizetype dot = token.lastIndexOf('.');
        const QByteArray sig = token.mid(dot + 1);
        QCOMPARE(sig.size(), 43); // 32 bytes: the last character carries 2 unused bits
        static const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        QByteArray odd = sig;
        odd[42] = alphabet.at(alphabet.indexOf(sig.at(42)) ^ 1);
        QCOMPARE(unb64u(odd), unb64u(sig)); // same bytes, different text
        for (const QByteArray& variant : {QByteArray(token + '='), QByteArray(token.left(dot + 1) + odd)}) {
            const CliRun run = verifyJson(variant);
            QVERIFY2(run.code == 1, qPrintable(str(variant) + u' ' + str(run.err)));
            const QJsonObject o = stdoutJson(run);
            QCOMPARE(o.value(QStringLiteral("signature")), QJsonValue(QStringLiteral("invalid")));
            QCOMPARE(firstFailingCheck(o), QStringLiteral("signature"));
            const CliRun text = verifyText(variant);
            QCOMPARE(text.code, 1);
            QVERIFY2(firstLine(text.out).startsWith("invalid: signature: "), text.out.constData());
        }
        // Standard-alphabet signature characters: malformed or non-canonical, never valid.
        QByteArray std = sig;
        std.replace('-', '+').replace('_', '/');
        if (std != sig) {
            QVERIFY(runCli({QStringLiteral("verify"), str(token.left(dot + 1) + std), QStringLiteral("--secret-file"),
                            m_secretPath})
                        .code != 0);
        }
    }

    void paddedHeaderAndPayloadVerifyAsTheyStand()
    {
        // 22 and 16 bytes: standard base64 pads both segments with "==".
        const QByteArray headerSeg = QByteArray(R"({"alg":"HS256","x":12})").toBase64(QByteArray::Base64UrlEncoding);
        const QByteArray payloadSeg = QByteArray(R"({"sub":"abcdef"})").toBase64(QByteArray::Base64UrlEncoding);
        QVERIFY(headerSeg.endsWith("==") && payloadSeg.endsWith("=="));
        const QByteArray token = hs256Segments(m_secret, headerSeg, payloadSeg);
        const CliRun run = verifyJson(token);
        QCOMPARE(run.code, 0);
        QVERIFY(!stdoutJson(run).value(QStringLiteral("warnings")).toArray().isEmpty());
        const CliRun text = verifyText(token);
        QCOMPARE(text.code, 0);
        QCOMPARE(firstLine(text.out), QByteArray("valid"));
        QVERIFY2(text.err.startsWith("warning: "), text.err.constData());
    }

    // ---- edge cases 11 and 12 ----

    void duplicateHeaderMemberFails()
    {
        const QByteArray token = jwt(R"({"alg":"HS256","kid":"a","kid":"b"})", "{}");
        const CliRun run = verifyJson(token);
        QCOMPARE(run.code, 1);
        QCOMPARE(stdoutJson(run).value(QStringLiteral("valid")), QJsonValue(false));
        QCOMPARE(firstFailingCheck(stdoutJson(run)), QStringLiteral("header"));
        const CliRun text = verifyText(token);
        QCOMPARE(text.code, 1);
        QVERIFY2(firstLine(text.out).startsWith("invalid: header: "), text.out.constData());
        // Duplicate alg, the classic one.
        QCOMPARE(verifyText(jwt(R"({"alg":"HS256","alg":"none"})", "{}")).code, 1);
    }

    void jweIsRefused()
    {
        const QByteArray jwe = b64u(R"({"alg":"RSA-OAEP","enc":"A256GCM"})") + ".AAAA.AAAA.AAAA.AAAA";
        const CliRun run = verifyText(jwe);
        QCOMPARE(run.code, 2);
        QVERIFY2(run.err.startsWith("error: this is a JWE; use decrypt"), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
        QCOMPARE(run.out, QByteArray());
    }

    void unknownCritFails()
    {
        const QByteArray token = jwt(R"({"alg":"HS256","crit":["ext"],"ext":1})", "{}");
        const CliRun run = verifyJson(token);
        QCOMPARE(run.code, 1);
        QCOMPARE(firstFailingCheck(stdoutJson(run)), QStringLiteral("crit"));
        QCOMPARE(stdoutJson(run).value(QStringLiteral("signature")), QJsonValue(QStringLiteral("valid")));
        QCOMPARE(verifyText(jwt(R"({"alg":"HS256","crit":[]})", "{}")).code, 1);
        QCOMPARE(verifyText(jwt(R"({"alg":"HS256","crit":["exp"]})", "{}")).code, 1);
    }

    void textOutputShape()
    {
        const QJsonObject v = vector(QStringLiteral("RFC7515-A.2"));
        const QString token = v.value(QStringLiteral("compact")).toString();
        const CliRun run = runCli({QStringLiteral("verify"), token, QStringLiteral("--key"), m_rsaPublic,
                                   QStringLiteral("--now"), QStringLiteral("1300819320")});
        QCOMPARE(run.code, 0);
        const QString thumb = thumbprintOf(v.value(QStringLiteral("public_jwk")).toObject());
        QCOMPARE(str(run.out),
                 QStringLiteral("valid\n"
                                "  ok   header: The header is a JSON object without duplicate members.\n"
                                "  ok   alg: RS256 is allowed.\n"
                                "  ok   signature: The RS256 signature verifies with the RSA 2048-bit public key.\n"
                                "  ok   exp: Expires at 2011-03-22T18:43:00Z, in 1 min.\n"
                                "  key: RSA 2048-bit public key, thumbprint %1 (key file %2)\n")
                     .arg(thumb, m_rsaPublic));
        // Invalid: "invalid: <first failing check>" then one line per check.
        const CliRun bad = runCli({QStringLiteral("verify"), token, QStringLiteral("--key"), m_rsaPublic});
        QCOMPARE(bad.code, 1);
        const QList<QByteArray> lines = bad.out.split('\n');
        QVERIFY(lines.first().startsWith("invalid: exp: "));
        QCOMPARE(lines.at(1), QByteArray("  ok   header: The header is a JSON object without duplicate members."));
        QVERIFY(bad.out.contains("\n  FAIL exp: Expired at 2011-03-22T18:43:00Z"));
        QCOMPARE(lines.first().mid(int(qstrlen("invalid: "))), lines.at(4).mid(int(qstrlen("  FAIL "))));
    }

    // ---- edge case 13: keygen ----

    void keygenPemFilesAndModes()
    {
        const mode_t old = ::umask(0);
        const QString prefix = path(QStringLiteral("kg-es256"));
        const CliRun run = runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                                   QStringLiteral("--out"), prefix});
        ::umask(old);
        QCOMPARE(run.code, 0);
        QCOMPARE(run.err, QByteArray());
        const QString key = prefix + QStringLiteral(".key");
        const QString pub = prefix + QStringLiteral(".pub");
        QCOMPARE(fileMode(key), 0600);
        QCOMPARE(fileMode(pub), 0644);
        QCOMPARE(QFileInfo(key).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                                 QFileDevice::WriteGroup | QFileDevice::WriteOther),
                 QFileDevice::Permissions());
        QVERIFY(tb::test::readFileBytes(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        QVERIFY(tb::test::readFileBytes(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        // The pair works: sign with .key, verify with .pub.
        const CliRun token = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                                     QStringLiteral("--key"), key, QStringLiteral("--payload"), QStringLiteral("{}")});
        QCOMPARE(token.code, 0);
        QCOMPARE(runCli({QStringLiteral("verify"), str(token.out), QStringLiteral("--key"), pub}).code, 0);

        // No overwrite without --force, and nothing written on refusal.
        const QByteArray before = tb::test::readFileBytes(key);
        EXPECT_ERROR(runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                             QStringLiteral("--out"), prefix}),
                     QStringLiteral("--force"));
        QCOMPARE(tb::test::readFileBytes(key), before);
        QVERIFY(QFile::remove(key));
        const QByteArray pubBefore = tb::test::readFileBytes(pub);
        EXPECT_ERROR(runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                             QStringLiteral("--out"), prefix}),
                     QStringLiteral("exists"));
        QVERIFY(!QFileInfo::exists(key));
        QCOMPARE(tb::test::readFileBytes(pub), pubBefore);
        const CliRun forced = runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                                      QStringLiteral("--out"), prefix, QStringLiteral("--force")});
        QCOMPARE(forced.code, 0);
        QVERIFY(tb::test::readFileBytes(pub) != pubBefore);
        QCOMPARE(fileMode(key), 0600);
    }

    void keygenRefusals_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("needle");
        QTest::newRow("RSA 1024") << QStringList{QStringLiteral("--alg"), QStringLiteral("RS256"),
                                                 QStringLiteral("--bits"), QStringLiteral("1024")}
                                  << QStringLiteral("2048");
        QTest::newRow("RSA 2047") << QStringList{QStringLiteral("--alg"), QStringLiteral("PS256"),
                                                 QStringLiteral("--bits"), QStringLiteral("2047")}
                                  << QStringLiteral("2048");
        QTest::newRow("HS256 128 bits") << QStringList{QStringLiteral("--alg"), QStringLiteral("HS256"),
                                                       QStringLiteral("--bits"), QStringLiteral("128")}
                                        << QStringLiteral("256");
        QTest::newRow("HS512 384 bits") << QStringList{QStringLiteral("--alg"), QStringLiteral("HS512"),
                                                       QStringLiteral("--bits"), QStringLiteral("384")}
                                        << QStringLiteral("512");
        QTest::newRow("HS256 260 bits") << QStringList{QStringLiteral("--alg"), QStringLiteral("HS256"),
                                                       QStringLiteral("--bits"), QStringLiteral("260")}
                                        << QStringLiteral("bits");
        QTest::newRow("bits not a number") << QStringList{QStringLiteral("--alg"), QStringLiteral("RS256"),
                                                          QStringLiteral("--bits"), QStringLiteral("lots")}
                                           << QStringLiteral("--bits");
        QTest::newRow("unknown alg") << QStringList{QStringLiteral("--alg"), QStringLiteral("RS999")}
                                     << QStringLiteral("RS999");
        QTest::newRow("alg none") << QStringList{QStringLiteral("--alg"), QStringLiteral("none")}
                                  << QStringLiteral("none");
        QTest::newRow("bad format") << QStringList{QStringLiteral("--alg"), QStringLiteral("ES256"),
                                                   QStringLiteral("--format"), QStringLiteral("der")}
                                    << QStringLiteral("--format");
    }

    void keygenRefusals()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, needle);
        const QString prefix =
            path(QStringLiteral("refused-%1").arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'_'));
        EXPECT_ERROR(runCli(QStringList{QStringLiteral("keygen"), QStringLiteral("--out"), prefix} + args), needle);
        QVERIFY(!QFileInfo::exists(prefix + QStringLiteral(".key")));
        QVERIFY(!QFileInfo::exists(prefix + QStringLiteral(".pub")));
        EXPECT_ERROR(runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256")}),
                     QStringLiteral("--out"));
    }

    void keygenJwk_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("kty");
        QTest::newRow("RS256") << QStringLiteral("RS256") << QStringList() << QStringLiteral("RSA");
        QTest::newRow("ES256") << QStringLiteral("ES256") << QStringList() << QStringLiteral("EC");
        QTest::newRow("ES512") << QStringLiteral("ES512") << QStringList() << QStringLiteral("EC");
        QTest::newRow("ES256K") << QStringLiteral("ES256K") << QStringList() << QStringLiteral("EC");
        QTest::newRow("EdDSA") << QStringLiteral("EdDSA") << QStringList() << QStringLiteral("OKP");
        QTest::newRow("EdDSA Ed448") << QStringLiteral("EdDSA")
                                     << QStringList{QStringLiteral("--curve"), QStringLiteral("Ed448")}
                                     << QStringLiteral("OKP");
        QTest::newRow("HS256") << QStringLiteral("HS256") << QStringList() << QStringLiteral("oct");
        QTest::newRow("HS384 512 bits") << QStringLiteral("HS384")
                                        << QStringList{QStringLiteral("--bits"), QStringLiteral("512")}
                                        << QStringLiteral("oct");
    }

    void keygenJwk()
    {
        QFETCH(QString, alg);
        QFETCH(QStringList, extra);
        QFETCH(QString, kty);
        const QString prefix =
            path(QStringLiteral("jwk-%1").arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'_'));
        const CliRun run =
            runCli(QStringList{QStringLiteral("keygen"), QStringLiteral("--alg"), alg, QStringLiteral("--out"), prefix,
                               QStringLiteral("--format"), QStringLiteral("jwk")} +
                   extra);
        QCOMPARE(run.code, 0);
        const QString keyPath = prefix + QStringLiteral(".key");
        const QString pubPath = prefix + QStringLiteral(".pub");
        QCOMPARE(fileMode(keyPath), 0600);
        const QJsonObject key = QJsonDocument::fromJson(tb::test::readFileBytes(keyPath)).object();
        QCOMPARE(key.value(QStringLiteral("kty")).toString(), kty);
        QCOMPARE(key.value(QStringLiteral("alg")).toString(), alg);
        QCOMPARE(key.value(QStringLiteral("kid")).toString(), thumbprintOf(key));
        const CliRun tp = runCli({QStringLiteral("jwk"), QStringLiteral("thumbprint"), keyPath});
        QCOMPARE(tp.code, 0);
        QCOMPARE(str(tp.out), key.value(QStringLiteral("kid")).toString() + u'\n');
        if (kty == QStringLiteral("oct")) {
            QVERIFY(!QFileInfo::exists(pubPath)); // HS: PREFIX.key only
            const int bits = extra.isEmpty() ? alg.mid(2).toInt() : extra.last().toInt();
            QCOMPARE(unb64u(key.value(QStringLiteral("k")).toString().toLatin1()).size(), bits / 8);
            const CliRun signedRun =
                runCli({QStringLiteral("sign"), QStringLiteral("--alg"), alg, QStringLiteral("--key"), keyPath,
                        QStringLiteral("--payload"), QStringLiteral("{}")});
            QCOMPARE(signedRun.code, 0);
            QCOMPARE(runCli({QStringLiteral("verify"), str(signedRun.out), QStringLiteral("--key"), keyPath}).code, 0);
            return;
        }
        QVERIFY(key.contains(QStringLiteral("d")));
        QCOMPARE(fileMode(pubPath) & 0600, 0600);
        QCOMPARE(fileMode(pubPath) & 022, 0);
        const QJsonObject pub = QJsonDocument::fromJson(tb::test::readFileBytes(pubPath)).object();
        QVERIFY(!pub.contains(QStringLiteral("d")));
        QCOMPARE(pub.value(QStringLiteral("alg")).toString(), alg);
        QCOMPARE(pub.value(QStringLiteral("kid")), key.value(QStringLiteral("kid")));
        if (kty == QStringLiteral("RSA")) {
            QVERIFY(!pub.contains(QStringLiteral("p")));
        }
        const CliRun signedRun = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), alg, QStringLiteral("--key"),
                                         keyPath, QStringLiteral("--kid"), key.value(QStringLiteral("kid")).toString(),
                                         QStringLiteral("--payload"), QStringLiteral("{}")});
        QCOMPARE(signedRun.code, 0);
        QCOMPARE(runCli({QStringLiteral("verify"), str(signedRun.out), QStringLiteral("--key"), pubPath}).code, 0);
        // The public JWK in a set, chosen by kid.
        const QString set = write(QFileInfo(prefix).fileName() + QStringLiteral(".jwks"),
                                  QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray{pub}}}).toJson());
        QCOMPARE(runCli({QStringLiteral("verify"), str(signedRun.out), QStringLiteral("--jwks"), set}).code, 0);
    }

    void keygenHsPemWritesRawBytes()
    {
        const QString prefix = path(QStringLiteral("hs-raw"));
        const CliRun run = runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("HS512"),
                                   QStringLiteral("--out"), prefix});
        QCOMPARE(run.code, 0);
        QCOMPARE(QFileInfo(prefix + QStringLiteral(".key")).size(), 64);
        QCOMPARE(fileMode(prefix + QStringLiteral(".key")), 0600);
        QVERIFY(!QFileInfo::exists(prefix + QStringLiteral(".pub")));
    }

    // The curve fixes an EC or OKP key's size: --bits there is named as ignored, and the key is still written.
    void keygenBitsIgnoredForCurves()
    {
        const QString prefix = path(QStringLiteral("ec-bits"));
        const CliRun run = runCli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                                   QStringLiteral("--out"), prefix, QStringLiteral("--bits"), QStringLiteral("4096")});
        QCOMPARE(run.code, 0);
        QCOMPARE(run.err, QByteArray("warning: --bits is ignored for ES256: the curve fixes the key size.\n"));
        QVERIFY(QFileInfo::exists(prefix + QStringLiteral(".pub")));
    }

    // CLI.md verify --key: "an X.509 certificate PEM" too (its public key is used).
    void certificateAsKey_data()
    {
        QTest::addColumn<QString>("id");
        QTest::newRow("RFC7515-A.2") << QStringLiteral("RFC7515-A.2");
        QTest::newRow("RFC7515-A.3") << QStringLiteral("RFC7515-A.3");
        QTest::newRow("RFC8037-A.4") << QStringLiteral("RFC8037-A.4");
    }

    void certificateAsKey()
    {
        QFETCH(QString, id);
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty()) {
            QSKIP("the openssl command line is not installed");
        }
        const QJsonObject v = vector(id);
        const QString key =
            write(id + QStringLiteral(".cert.key"),
                  v.value(QStringLiteral("pem")).toObject().value(QStringLiteral("private_pkcs8")).toString().toUtf8());
        const QString cert = path(id + QStringLiteral(".cert.pem"));
        QCOMPARE(QProcess::execute(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-new"),
                                             QStringLiteral("-key"), key, QStringLiteral("-subj"),
                                             QStringLiteral("/CN=tokenbench test"), QStringLiteral("-days"),
                                             QStringLiteral("1"), QStringLiteral("-out"), cert}),
                 0);
        QVERIFY(tb::test::readFileBytes(cert).startsWith("-----BEGIN CERTIFICATE-----"));
        QStringList args{QStringLiteral("verify"), v.value(QStringLiteral("compact")).toString(),
                         QStringLiteral("--key"), cert};
        const QJsonValue now = v.value(QStringLiteral("expected")).toObject().value(QStringLiteral("verify_now"));
        if (!now.isUndefined()) {
            args << QStringLiteral("--now") << QString::number(now.toInteger());
        }
        const CliRun run = runCli(args);
        QVERIFY2(run.code == 0, qPrintable(str(run.out) + str(run.err)));
        QCOMPARE(firstLine(run.out), QByteArray("valid"));
        // A certificate holds no private key: sign refuses it.
        EXPECT_ERROR(runCli({QStringLiteral("sign"), QStringLiteral("--alg"), v.value(QStringLiteral("alg")).toString(),
                             QStringLiteral("--key"), cert, QStringLiteral("--payload"), QStringLiteral("{}")}),
                     QStringLiteral("private"));
    }

    // ---- edge case 14: weak keys work, with a warning ----

    void shortHmacSecretWarns()
    {
        const QString shortSecret = write(QStringLiteral("short.secret"), "short");
        const CliRun sign = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                                    QStringLiteral("--secret-file"), shortSecret, QStringLiteral("--payload"),
                                    QStringLiteral(R"({"a":1})")});
        QCOMPARE(sign.code, 0);
        QCOMPARE(sign.out, hs256("short", R"({"alg":"HS256","typ":"JWT"})", R"({"a":1})") + '\n');
        QVERIFY2(sign.err.startsWith("warning: ") && sign.err.count('\n') == 1, sign.err.constData());
        QVERIFY(sign.err.contains("5 bytes"));
        const CliRun verify =
            runCli({QStringLiteral("verify"), str(sign.out), QStringLiteral("--secret-file"), shortSecret});
        QCOMPARE(verify.code, 0);
        QCOMPARE(firstLine(verify.out), QByteArray("valid"));
        QVERIFY2(verify.err.startsWith("warning: "), verify.err.constData());
        const CliRun json = runCli({QStringLiteral("verify"), str(sign.out), QStringLiteral("--secret-file"),
                                    shortSecret, QStringLiteral("--json")});
        QCOMPARE(json.code, 0);
        QCOMPARE(stdoutJson(json).value(QStringLiteral("warnings")).toArray().size(), 1);
    }

    void rsa1024Warns()
    {
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty()) {
            QSKIP("the openssl command line is not installed");
        }
        const QString priv = path(QStringLiteral("rsa1024.pem"));
        const QString pub = path(QStringLiteral("rsa1024.pub"));
        QCOMPARE(QProcess::execute(openssl, {QStringLiteral("genpkey"), QStringLiteral("-algorithm"),
                                             QStringLiteral("RSA"), QStringLiteral("-pkeyopt"),
                                             QStringLiteral("rsa_keygen_bits:1024"), QStringLiteral("-out"), priv}),
                 0);
        QCOMPARE(QProcess::execute(openssl, {QStringLiteral("pkey"), QStringLiteral("-in"), priv,
                                             QStringLiteral("-pubout"), QStringLiteral("-out"), pub}),
                 0);
        const CliRun sign = runCli({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("RS256"),
                                    QStringLiteral("--key"), priv, QStringLiteral("--payload"), QStringLiteral("{}")});
        QCOMPARE(sign.code, 0);
        QVERIFY2(sign.err.startsWith("warning: ") && sign.err.contains("1024"), sign.err.constData());
        const CliRun verify = runCli({QStringLiteral("verify"), str(sign.out), QStringLiteral("--key"), pub});
        QCOMPARE(verify.code, 0);
        QVERIFY2(verify.err.startsWith("warning: ") && verify.err.contains("1024"), verify.err.constData());
        const CliRun json =
            runCli({QStringLiteral("verify"), str(sign.out), QStringLiteral("--key"), pub, QStringLiteral("--json")});
        QCOMPARE(json.code, 0);
        QVERIFY(str(json.out).contains(QStringLiteral("1024")));
        QCOMPARE(stdoutJson(json).value(QStringLiteral("warnings")).toArray().size(), 1);
    }

    // ---- bad input: exit 2 and one "error:" line ----

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("needle");
        const QString s = m_secretPath;
        const QString v = QStringLiteral("verify");
        const QString sf = QStringLiteral("--secret-file");
        const QByteArray payload = b64u("{}");
        QTest::newRow("garbage") << QStringList{v, QStringLiteral("garbage"), sf, s} << QStringLiteral("segments");
        QTest::newRow("4 segments") << QStringList{v, QStringLiteral("a.b.c.d"), sf, s} << QStringLiteral("4");
        QTest::newRow("6 segments") << QStringList{v, QStringLiteral("a.b.c.d.e.f"), sf, s} << QStringLiteral("6");
        QTest::newRow("bad base64url") << QStringList{v, str("e@J." + payload + ".AAAA"), sf, s}
                                       << QStringLiteral("base64url");
        QTest::newRow("bad base64url in signature")
            << QStringList{v, str(b64u(R"({"alg":"HS256"})") + '.' + payload + ".AA*A"), sf, s} << QString();
        QTest::newRow("empty header segment")
            << QStringList{v, str('.' + payload + ".AAAA"), sf, s} << QStringLiteral("header");
        QTest::newRow("non-JSON header") << QStringList{v, str(b64u("not json") + '.' + payload + ".AAAA"), sf, s}
                                         << QStringLiteral("header");
        QTest::newRow("header an array") << QStringList{v, str(b64u("[1]") + '.' + payload + ".AAAA"), sf, s}
                                         << QStringLiteral("object");
        QTest::newRow("unknown --alg") << QStringList{v,
                                                      str(jwt(R"({"alg":"HS256"})", "{}")),
                                                      sf,
                                                      s,
                                                      QStringLiteral("--alg"),
                                                      QStringLiteral("HS257")}
                                       << QStringLiteral("HS257");
        QTest::newRow("--alg wrong case") << QStringList{v,
                                                         str(jwt(R"({"alg":"HS256"})", "{}")),
                                                         sf,
                                                         s,
                                                         QStringLiteral("--alg"),
                                                         QStringLiteral("hs256")}
                                          << QStringLiteral("hs256");
        QTest::newRow("no key option") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}"))} << QStringLiteral("key");
        QTest::newRow("two key options")
            << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), sf, s, QStringLiteral("--key"), m_rsaPublic}
            << QStringLiteral("--key");
        QTest::newRow("unknown option") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), sf, s,
                                                       QStringLiteral("--bogus")}
                                        << QStringLiteral("bogus");
        QTest::newRow("missing key file")
            << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--key"),
                           path(QStringLiteral("does-not-exist.pem"))}
            << QStringLiteral("does-not-exist.pem");
        const QString notKey = write(QStringLiteral("not-a-key.txt"), "hello, I am not a key\n");
        QTest::newRow("file not a key") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--key"),
                                                       notKey}
                                        << QStringLiteral("not a key");
        const QString emptyKey = write(QStringLiteral("empty.key"), "");
        QTest::newRow("empty key file") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--key"),
                                                       emptyKey}
                                        << QStringLiteral("empty");
        const QString noE = write(QStringLiteral("no-e.jwk"), R"({"kty":"RSA","n":"AQAB"})");
        QTest::newRow("JWK missing e") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--key"),
                                                      noE}
                                       << QStringLiteral("\"e\"");
        const QString noY = write(QStringLiteral("no-y.jwk"), R"({"kty":"EC","crv":"P-256","x":"AAAA"})");
        QTest::newRow("JWK missing y") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--key"),
                                                      noY}
                                       << QStringLiteral("JWK");
        const QString noKty = write(QStringLiteral("no-kty.jwk"), R"({"k":"AAAA"})");
        QTest::newRow("JWK missing kty") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")),
                                                        QStringLiteral("--key"), noKty}
                                         << QStringLiteral("kty");
        const QString noK = write(QStringLiteral("no-k.jwk"), R"({"kty":"oct"})");
        QTest::newRow("JWK missing k") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--key"),
                                                      noK}
                                       << QStringLiteral("\"k\"");
        const QString badJson = write(QStringLiteral("bad.jwk"), R"({"kty":"RSA",)");
        QTest::newRow("JWK not JSON") << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--key"),
                                                     badJson}
                                      << QStringLiteral("JSON");
        const QString noKeys = write(QStringLiteral("nokeys.jwks"), R"({"kids":[]})");
        QTest::newRow("JWKS without keys")
            << QStringList{v, str(jwt(R"({"alg":"HS256"})", "{}")), QStringLiteral("--jwks"), noKeys}
            << QStringLiteral("keys");
        const QString sg = QStringLiteral("sign");
        QTest::newRow("sign unknown alg") << QStringList{sg, QStringLiteral("--alg"),     QStringLiteral("XS256"), sf,
                                                         s,  QStringLiteral("--payload"), QStringLiteral("{}")}
                                          << QStringLiteral("XS256");
        QTest::newRow("sign without --alg")
            << QStringList{sg, sf, s, QStringLiteral("--payload"), QStringLiteral("{}")} << QStringLiteral("--alg");
        QTest::newRow("sign without key") << QStringList{sg, QStringLiteral("--alg"), QStringLiteral("RS256"),
                                                         QStringLiteral("--payload"), QStringLiteral("{}")}
                                          << QStringLiteral("--key");
        QTest::newRow("sign with a public key")
            << QStringList{sg,          QStringLiteral("--alg"),     QStringLiteral("RS256"), QStringLiteral("--key"),
                           m_rsaPublic, QStringLiteral("--payload"), QStringLiteral("{}")}
            << QStringLiteral("private");
        QTest::newRow("sign with a key of another type")
            << QStringList{sg,           QStringLiteral("--alg"),     QStringLiteral("ES256"), QStringLiteral("--key"),
                           m_rsaPrivate, QStringLiteral("--payload"), QStringLiteral("{}")}
            << QStringLiteral("ES256");
        QTest::newRow("sign HS with an RSA key")
            << QStringList{sg,           QStringLiteral("--alg"),     QStringLiteral("HS256"), QStringLiteral("--key"),
                           m_rsaPrivate, QStringLiteral("--payload"), QStringLiteral("{}")}
            << QStringLiteral("HS256");
        QTest::newRow("sign bad --header JSON") << QStringList{sg,
                                                               QStringLiteral("--alg"),
                                                               QStringLiteral("HS256"),
                                                               sf,
                                                               s,
                                                               QStringLiteral("--header"),
                                                               QStringLiteral(R"({"a":)"),
                                                               QStringLiteral("--payload"),
                                                               QStringLiteral("{}")}
                                                << QStringLiteral("--header");
        QTest::newRow("sign --header not an object") << QStringList{sg,
                                                                    QStringLiteral("--alg"),
                                                                    QStringLiteral("HS256"),
                                                                    sf,
                                                                    s,
                                                                    QStringLiteral("--header"),
                                                                    QStringLiteral("[1]"),
                                                                    QStringLiteral("--payload"),
                                                                    QStringLiteral("{}")}
                                                     << QStringLiteral("object");
        QTest::newRow("sign missing payload file") << QStringList{sg,
                                                                  QStringLiteral("--alg"),
                                                                  QStringLiteral("HS256"),
                                                                  sf,
                                                                  s,
                                                                  QStringLiteral("--payload"),
                                                                  u'@' + path(QStringLiteral("nope.json"))}
                                                   << QStringLiteral("nope.json");
        QTest::newRow("jwk bad action") << QStringList{QStringLiteral("jwk"), QStringLiteral("frobnicate"), m_rsaPublic}
                                        << QStringLiteral("jwk");
        QTest::newRow("jwk not a key") << QStringList{QStringLiteral("jwk"), QStringLiteral("thumbprint"), notKey}
                                       << QStringLiteral("not a key");
        QTest::newRow("jwk oct to pem") << QStringList{QStringLiteral("jwk"), QStringLiteral("convert"),
                                                       write(QStringLiteral("oct.jwk"), R"({"kty":"oct","k":"AAAA"})"),
                                                       QStringLiteral("--to"), QStringLiteral("pem")}
                                        << QStringLiteral("PEM");
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, needle);
        EXPECT_ERROR(runCli(args), needle);
    }

    // --json members in the order CLI.md lists them: valid, signature, alg, kid, checks (name, ok, detail).
    void verifyJsonMembersInContractOrder()
    {
        const QString token = str(jwt("{\"alg\":\"HS256\",\"kid\":\"k1\"}", "{}"));
        const CliRun run = runCliBinary(
            {QStringLiteral("verify"), token, QStringLiteral("--secret-file"), m_secretPath, QStringLiteral("--json")});
        QCOMPARE(run.code, 0);
        QVERIFY2(run.out.startsWith("{\"valid\":true,\"signature\":\"valid\",\"alg\":\"HS256\",\"kid\":\"k1\","
                                    "\"checks\":[{\"name\":\"header\",\"ok\":true,\"detail\":\"The header is"),
                 run.out.constData());
        QVERIFY2(run.out.contains("{\"name\":\"signature\",\"ok\":true,\"detail\":\"The HS256 MAC matches"),
                 run.out.constData());
    }

    // A second token or a stray word is a usage error (exit 2), never silently ignored; keygen writes nothing.
    void extraPositionalsAreUsageErrors()
    {
        const QString token = str(jwt("{\"alg\":\"HS256\"}", "{}"));
        const CliRun verify = runCliBinary({QStringLiteral("verify"), token, token, QStringLiteral("--secret-file"),
                                            m_secretPath, QStringLiteral("--json")});
        QCOMPARE(verify.code, 2);
        QCOMPARE(verify.out, QByteArray());
        QCOMPARE(verify.err, QByteArray("error: verify takes one token (see 'tokenbench-cli verify --help').\n"));

        const QString prefix = path(QStringLiteral("kg-extra"));
        const CliRun keygen = runCliBinary({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                                            QStringLiteral("--out"), prefix, QStringLiteral("stray")});
        QCOMPARE(keygen.code, 2);
        QCOMPARE(keygen.out, QByteArray());
        QCOMPARE(keygen.err, QByteArray("error: keygen takes no positional argument (got \"stray\").\n"));
        QVERIFY(!QFileInfo::exists(prefix + QStringLiteral(".key")));
        QVERIFY(!QFileInfo::exists(prefix + QStringLiteral(".pub")));
    }

    void helpExitsZero_data()
    {
        QTest::addColumn<QString>("command");
        for (const char* c : {"sign", "verify", "keygen", "jwk"}) {
            QTest::newRow(c) << QString::fromLatin1(c);
        }
    }

    void helpExitsZero()
    {
        QFETCH(QString, command);
        const CliRun run = runCli({command, QStringLiteral("--help")});
        QCOMPARE(run.code, 0);
        QVERIFY2(run.out.startsWith("Usage: tokenbench-cli " + command.toUtf8() + ' '), run.out.constData());
        QCOMPARE(run.err, QByteArray());
        const CliRun binary = runCliBinary({command, QStringLiteral("--help")});
        QCOMPARE(binary.code, 0);
        QCOMPARE(binary.out, run.out);
    }

    // ---- jwk ----

    void jwkThumbprints_data()
    {
        QTest::addColumn<QByteArray>("jwk");
        QTest::addColumn<QString>("thumbprint");
        const QJsonObject rfc7638 = tb::test::loadVectorFile(QStringLiteral("rfc7638_thumbprint.json"));
        const QJsonObject v = rfc7638.value(QStringLiteral("vectors")).toArray().first().toObject();
        QTest::newRow("RFC7638-3.1") << QJsonDocument(v.value(QStringLiteral("jwk")).toObject()).toJson()
                                     << v.value(QStringLiteral("thumbprint_b64url")).toString();
        QTest::newRow("RFC7638-3.1 PEM") << v.value(QStringLiteral("public_spki_pem")).toString().toUtf8()
                                         << v.value(QStringLiteral("thumbprint_b64url")).toString();
        const QJsonObject rfc8037 = tb::test::loadVectorFile(QStringLiteral("rfc8037_appendix_a.json"));
        const QJsonObject a3 = rfc8037.value(QStringLiteral("thumbprint")).toObject();
        QTest::newRow("RFC8037-A.3") << QJsonDocument(a3.value(QStringLiteral("jwk")).toObject()).toJson()
                                     << a3.value(QStringLiteral("thumbprint_b64url")).toString();
        const QJsonObject rfc7520 = tb::test::loadVectorFile(QStringLiteral("rfc7520_jws.json"));
        for (const auto& k : rfc7520.value(QStringLiteral("keys")).toArray()) {
            const QJsonObject key = k.toObject();
            const QString id = key.value(QStringLiteral("id")).toString();
            const QJsonObject jwk = key.value(QStringLiteral("jwk")).toObject();
            const QString expected = key.contains(QStringLiteral("thumbprint_sha256"))
                                         ? key.value(QStringLiteral("thumbprint_sha256")).toString()
                                         : thumbprintOf(jwk);
            QTest::newRow(qPrintable(id)) << QJsonDocument(jwk).toJson() << expected;
        }
    }

    void jwkThumbprints()
    {
        QFETCH(QByteArray, jwk);
        QFETCH(QString, thumbprint);
        const QString file =
            write(QStringLiteral("tp-%1").arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'_'), jwk);
        const CliRun run = runCli({QStringLiteral("jwk"), QStringLiteral("thumbprint"), file});
        QCOMPARE(run.code, 0);
        QCOMPARE(str(run.out), thumbprint + u'\n');
        QCOMPARE(run.err, QByteArray());
    }

    void jwkConvert_data()
    {
        QTest::addColumn<QString>("id");
        for (const char* id : {"RFC7515-A.2", "RFC7515-A.3", "RFC7515-A.4", "RFC8037-A.4"}) {
            QTest::newRow(id) << QString::fromLatin1(id);
        }
    }

    void jwkConvert()
    {
        QFETCH(QString, id);
        const QJsonObject v = vector(id);
        const QJsonObject pem = v.value(QStringLiteral("pem")).toObject();
        const QString spki =
            write(id + QStringLiteral(".convert.pub"), pem.value(QStringLiteral("public_spki")).toString().toUtf8());
        const QString pkcs8 =
            write(id + QStringLiteral(".convert.key"), pem.value(QStringLiteral("private_pkcs8")).toString().toUtf8());
        // PEM -> public JWK: the members of the vector's public_jwk, kty first.
        const CliRun toJwk = runCli({QStringLiteral("jwk"), QStringLiteral("convert"), spki});
        QCOMPARE(toJwk.code, 0);
        QVERIFY(toJwk.out.startsWith("{\"kty\":"));
        QCOMPARE(QJsonDocument::fromJson(toJwk.out).object(), v.value(QStringLiteral("public_jwk")).toObject());
        // Private PEM -> private JWK: the RFC's own JWK (private members included).
        const CliRun priv =
            runCli({QStringLiteral("jwk"), QStringLiteral("convert"), pkcs8, QStringLiteral("--private")});
        QCOMPARE(priv.code, 0);
        QJsonObject expected = v.value(QStringLiteral("jwk")).toObject();
        expected.remove(QStringLiteral("kid"));
        expected.remove(QStringLiteral("alg"));
        expected.remove(QStringLiteral("use"));
        QCOMPARE(QJsonDocument::fromJson(priv.out).object(), expected);
        // JWK -> PEM: the vector's SPKI text exactly.
        const QString jwkFile = write(id + QStringLiteral(".convert.jwk"),
                                      QJsonDocument(v.value(QStringLiteral("public_jwk")).toObject()).toJson());
        const CliRun toPem = runCli(
            {QStringLiteral("jwk"), QStringLiteral("convert"), jwkFile, QStringLiteral("--to"), QStringLiteral("pem")});
        QCOMPARE(toPem.code, 0);
        QCOMPARE(str(toPem.out), pem.value(QStringLiteral("public_spki")).toString());
        // --kid thumbprint
        const CliRun withKid =
            runCli({QStringLiteral("jwk"), QStringLiteral("convert"), spki, QStringLiteral("--kid"),
                    QStringLiteral("thumbprint"), QStringLiteral("--alg"), v.value(QStringLiteral("alg")).toString()});
        QCOMPARE(withKid.code, 0);
        const QJsonObject kidJwk = QJsonDocument::fromJson(withKid.out).object();
        QCOMPARE(kidJwk.value(QStringLiteral("kid")).toString(),
                 thumbprintOf(v.value(QStringLiteral("public_jwk")).toObject()));
        QCOMPARE(kidJwk.value(QStringLiteral("alg")), v.value(QStringLiteral("alg")));
    }

    // ---- the real binary ----

    void binaryRoundTrip()
    {
        const QJsonObject v = vector(QStringLiteral("RFC7515-A.1"));
        const QString token = v.value(QStringLiteral("compact")).toString();
        const CliRun arg =
            runCliBinary({QStringLiteral("verify"), token, QStringLiteral("--secret-file"), m_secretPath,
                          QStringLiteral("--now"), QStringLiteral("1300819320"), QStringLiteral("--json")});
        QCOMPARE(arg.code, 0);
        QCOMPARE(arg.err, QByteArray());
        QCOMPARE(stdoutJson(arg).value(QStringLiteral("valid")), QJsonValue(true));
        const CliRun piped = runCliBinary({QStringLiteral("verify"), QStringLiteral("--secret-file"), m_secretPath},
                                          "\n" + token.toUtf8() + "\n");
        QCOMPARE(piped.code, 1); // expired against the clock
        QVERIFY(piped.out.startsWith("invalid: exp: "));
        const QString h =
            write(QStringLiteral("bin.header"), v.value(QStringLiteral("protected_header")).toString().toUtf8());
        const CliRun sign =
            runCliBinary({QStringLiteral("sign"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                          QStringLiteral("--secret-file"), m_secretPath, QStringLiteral("--header"), u'@' + h},
                         v.value(QStringLiteral("payload")).toString().toUtf8());
        QCOMPARE(sign.code, 0);
        QCOMPARE(str(sign.out), token + u'\n');
        QCOMPARE(sign.err, QByteArray());
        // Bad input through the binary: exit 2, one error line, no crash.
        const CliRun garbage = runCliBinary(
            {QStringLiteral("verify"), QStringLiteral("x.y"), QStringLiteral("--secret-file"), m_secretPath});
        QCOMPARE(garbage.code, 2);
        QVERIFY(garbage.err.startsWith("error: "));
        QCOMPARE(garbage.err.count('\n'), 1);
        const QByteArray big = QByteArray(10 * 1024 * 1024, 'A') + ".e30.AAAA";
        const CliRun huge =
            runCliBinary({QStringLiteral("verify"), QStringLiteral("--secret-file"), m_secretPath}, big);
        QCOMPARE(huge.code, 2);
        QVERIFY2(huge.err.startsWith("error: ") && huge.err.contains("4 MiB"), huge.err.constData());
        const QString prefix = path(QStringLiteral("bin-ed"));
        const CliRun keygen = runCliBinary({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("EdDSA"),
                                            QStringLiteral("--out"), prefix});
        QCOMPARE(keygen.code, 0);
        QCOMPARE(fileMode(prefix + QStringLiteral(".key")), 0600);
    }
};

QTEST_GUILESS_MAIN(TestCliJws)
#include "tst_cli_jws.moc"
