// Every input limit of DESIGN decision 8 (core/base/Limits.h), one row each, through the entry point that
// enforces it: the error code and the exact sentence, which names the limit and the value that broke it.
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "TestSupport.h"
#include "audit/crack/Candidates.h"
#include "base/Limits.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/Jws.h"
#include "jose/jwe/Jwe.h"
#include "keys/KeyIo.h"
#include "sim/Scenario.h"
#include "workspace/WorkspaceFile.h"

using namespace tb;

namespace {

QByteArray nested(int depth)
{
    return QByteArray(depth, '[') + QByteArray(depth, ']');
}

QByteArray objectWithMembers(qsizetype count)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < count; ++i) {
        out += (i ? ",\"m" : "\"m") + QByteArray::number(i) + "\":0";
    }
    return out + '}';
}

QByteArray jwksWithKeys(int count)
{
    QByteArray out = "{\"keys\":[";
    for (int i = 0; i < count; ++i) {
        out += (i ? "," : "") + QByteArrayLiteral("{\"kty\":\"oct\",\"k\":\"AAAA\"}");
    }
    return out + "]}";
}

QByteArray pemOfSize(qsizetype size)
{
    const QByteArray head = "-----BEGIN PUBLIC KEY-----\n";
    const QByteArray tail = "\n-----END PUBLIC KEY-----\n";
    return head + QByteArray(size - head.size() - tail.size(), 'A') + tail;
}

QByteArray scenarioWithEvents(int count)
{
    QJsonArray events;
    for (int i = 0; i < count; ++i) {
        events.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("request")}, {QStringLiteral("at"), i}});
    }
    const QJsonObject root{{QStringLiteral("id"), QStringLiteral("X")},
                           {QStringLiteral("title"), QStringLiteral("t")},
                           {QStringLiteral("teaches"), QStringLiteral("t")},
                           {QStringLiteral("lanes"), QJsonArray{QStringLiteral("A")}},
                           {QStringLiteral("events"), events}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

// A compact JWE whose protected header is `header`; the other segments only need to be well formed.
QByteArray jweWithHeader(const QByteArray& header)
{
    return jose::base64UrlEncode(header) + ".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA";
}

// An ENCRYPTED PRIVATE KEY PEM whose algorithm is `alg`; the ciphertext is never reached.
QByteArray encryptedKeyPem(X509_ALGOR* alg)
{
    X509_SIG* sig = X509_SIG_new();
    X509_ALGOR* sigAlg = nullptr;
    ASN1_OCTET_STRING* digest = nullptr;
    X509_SIG_getm(sig, &sigAlg, &digest);
    X509_ALGOR_copy(sigAlg, alg);
    ASN1_OCTET_STRING_set(digest, reinterpret_cast<const unsigned char*>("0123456789abcdef"), 16);
    unsigned char* der = nullptr;
    const int len = i2d_X509_SIG(sig, &der);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio(bio, PEM_STRING_PKCS8, "", der, len);
    char* pem = nullptr;
    const long pemLen = BIO_get_mem_data(bio, &pem);
    QByteArray out(pem, pemLen);
    BIO_free(bio);
    OPENSSL_free(der);
    X509_SIG_free(sig);
    X509_ALGOR_free(alg);
    return out;
}

QByteArray pbkdf2KeyPem(int iterations)
{
    unsigned char salt[16] = {};
    return encryptedKeyPem(
        PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), iterations, salt, sizeof salt, nullptr, NID_hmacWithSHA256));
}

} // namespace

class TestLimits final : public QObject
{
    Q_OBJECT

private slots:
    void limits_data();
    void limits();
    void limitValues();
    void affordableKdfStillTried();
    void decompressedJwe();
    void wordlistLine();
};

void TestLimits::limits_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    // clang-format off
    QTest::newRow("token size") << 0 << int(ErrorCode::TooLarge)
        << QStringLiteral("The token is 4194305 bytes, larger than the 4 MiB limit (4194304 bytes).");
    QTest::newRow("JWE token size") << 1 << int(ErrorCode::TooLarge)
        << QStringLiteral("The token is 4194305 bytes, larger than the 4 MiB limit (4194304 bytes).");
    QTest::newRow("JSON nesting depth") << 2 << int(ErrorCode::TooDeep)
        << QStringLiteral("The JSON text is not valid JSON at line 1, column 257: The JSON nesting is deeper than "
                          "the limit of 256 levels.");
    QTest::newRow("JSON member count") << 3 << int(ErrorCode::TooLarge)
        << QStringLiteral("The JSON text is not valid JSON at line 1, column 1088892: An object has more than the "
                          "limit of 100000 members.");
    QTest::newRow("JWK Set key count") << 4 << int(ErrorCode::TooLarge)
        << QStringLiteral("The JWK Set has 1001 keys, more than the limit of 1000.");
    QTest::newRow("JWK Set size") << 5 << int(ErrorCode::TooLarge)
        << QStringLiteral("The JWK Set is 1048577 bytes, larger than the 1 MiB key file limit (1048576 bytes).");
    QTest::newRow("PEM size") << 6 << int(ErrorCode::TooLarge)
        << QStringLiteral("The key file is 1048577 bytes, larger than the 1 MiB limit (1048576 bytes).");
    QTest::newRow("scenario size") << 7 << int(ErrorCode::TooLarge)
        << QStringLiteral("The scenario file is 4194305 bytes, larger than the limit of 4194304 bytes.");
    QTest::newRow("scenario events") << 8 << int(ErrorCode::TooLarge)
        << QStringLiteral("events: 10001 events, more than the limit of 10000.");
    QTest::newRow("workspace size") << 9 << int(ErrorCode::TooLarge)
        << QStringLiteral("The workspace file is 67108865 bytes, larger than the 64 MiB limit (67108864 bytes).");
    QTest::newRow("PBES2 iterations") << 10 << int(ErrorCode::TooLarge)
        << QStringLiteral("\"p2c\" is 1000001 PBES2 iterations, above the cap of 1000000 (a denial-of-service "
                          "vector).");
    QTest::newRow("key file PBKDF2 iterations") << 11 << int(ErrorCode::TooLarge)
        << QStringLiteral("The encrypted key asks for PBKDF2 iterations = 2147483647, above the limit of 10000000 "
                          "(a denial-of-service vector): it was not decrypted.");
    QTest::newRow("key file scrypt work") << 12 << int(ErrorCode::TooLarge)
        << QStringLiteral("The encrypted key asks for scrypt N * r * p (16384 * 8 * 1024) = 134217728, above the "
                          "limit of 16777216 (a denial-of-service vector): it was not decrypted.");
    // clang-format on
}

void TestLimits::limits()
{
    QFETCH(int, which);
    QFETCH(int, code);
    QFETCH(QString, message);
    const auto oversized = [](std::size_t limit) { return QByteArray(qsizetype(limit) + 1, 'A'); };
    std::optional<Error> error;
    auto take = [&error](const auto& result) {
        QVERIFY(!result.has_value());
        error = result.error();
    };
    const auto pbes2 = keys::secretKey("limits");
    const SecretBytes passphrase = SecretBytes::fromByteArray(QByteArray("limits"));
    switch (which) {
    case 0:
        take(jose::parseCompact(oversized(limits::maxTokenBytes)));
        break;
    case 1:
        take(jose::jwe::decrypt(oversized(limits::maxTokenBytes), *keys::secretKey(QByteArray(16, 'k'))));
        break;
    case 2:
        take(jose::parseObject(nested(limits::maxJsonDepth + 1)));
        break;
    case 3:
        take(jose::parseObject(objectWithMembers(qsizetype(limits::maxJsonMembers) + 1)));
        break;
    case 4:
        take(keys::importJwks(jwksWithKeys(int(limits::maxJwksKeys) + 1)));
        break;
    case 5:
        take(keys::importJwks(oversized(limits::maxKeyFileBytes)));
        break;
    case 6:
        take(keys::importKey(pemOfSize(qsizetype(limits::maxKeyFileBytes) + 1)));
        break;
    case 7:
        take(sim::parseScenario(oversized(limits::maxScenarioBytes)));
        break;
    case 8:
        take(sim::parseScenario(scenarioWithEvents(sim::maxScenarioEvents + 1)));
        break;
    case 9:
        take(workspace::parseWorkspace(oversized(limits::maxWorkspaceBytes), nullptr));
        break;
    case 10:
        take(jose::jwe::decrypt(jweWithHeader("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\","
                                              "\"p2s\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"p2c\":1000001}"),
                                *pbes2));
        break;
    case 11:
        take(keys::importKey(pbkdf2KeyPem(2147483647), &passphrase));
        break;
    case 12: {
        unsigned char salt[16] = {};
        take(keys::importKey(
            encryptedKeyPem(PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, sizeof salt, nullptr, 1 << 14, 8, 1024)),
            &passphrase));
        break;
    }
    default:
        QFAIL("unknown row");
    }
    QVERIFY(error);
    QCOMPARE(int(error->code), code);
    QCOMPARE(error->message, message);
}

void TestLimits::limitValues()
{
    // The values are part of the CLI contract (CLI.md edge case 4) and of SECURITY.md.
    QCOMPARE(limits::maxTokenBytes, std::size_t(4 * 1024 * 1024));
    QCOMPARE(limits::maxJsonDepth, 256);
    QCOMPARE(limits::maxJsonMembers, std::size_t(100000));
    QCOMPARE(limits::maxJwksKeys, std::size_t(1000));
    QCOMPARE(limits::maxKeyFileBytes, std::size_t(1024 * 1024));
    QCOMPARE(limits::maxWordlistLineBytes, std::size_t(64 * 1024));
    QCOMPARE(limits::maxScenarioBytes, std::size_t(4 * 1024 * 1024));
    QCOMPARE(limits::maxWorkspaceBytes, std::size_t(64 * 1024 * 1024));
    QCOMPARE(limits::maxPbes2Iterations, 1000000LL);
    QCOMPARE(limits::maxJweInflatedBytes, 16LL * 1024 * 1024);
    QCOMPARE(limits::maxKeyKdfIterations, 10000000LL);
    QCOMPARE(limits::maxKeyScryptWork, 1LL << 24);
    QCOMPARE(jose::jwe::DecryptOptions().maxP2c, qint64(limits::maxPbes2Iterations));
    QCOMPARE(jose::jwe::DecryptOptions().maxInflatedBytes, qsizetype(limits::maxJweInflatedBytes));
}

void TestLimits::affordableKdfStillTried()
{
    // Under the limit the KDF runs and the (fake) ciphertext then fails to decrypt: the usual message.
    const SecretBytes passphrase = SecretBytes::fromByteArray(QByteArray("limits"));
    const auto result = keys::importKey(pbkdf2KeyPem(2048), &passphrase);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::WrongPassphrase);
}

void TestLimits::decompressedJwe()
{
    // A zip bomb: 16 MiB + 1 of zeros deflates to a few KB; decryption stops at the cap with the cap named.
    const auto key = keys::secretKey(QByteArray(32, 'z'));
    const QByteArray bomb(qsizetype(limits::maxJweInflatedBytes) + 1, '\0');
    const auto token =
        jose::jwe::encryptCompact(*key, jose::jwe::KeyAlg::Dir, jose::jwe::EncAlg::A256Gcm, bomb, "{\"zip\":\"DEF\"}");
    QVERIFY(token);
    QVERIFY(token->size() < 100 * 1024);
    const auto refused = jose::jwe::decrypt(*token, *key);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::TooLarge);
    QCOMPARE(
        refused.error().message,
        QStringLiteral("The decompressed plaintext exceeds the cap of 16 MiB (16777216 bytes): zip bomb refused."));
    // One byte less inflates.
    const auto fits = jose::jwe::encryptCompact(*key, jose::jwe::KeyAlg::Dir, jose::jwe::EncAlg::A256Gcm,
                                                bomb.first(bomb.size() - 1), "{\"zip\":\"DEF\"}");
    QVERIFY(fits);
    const auto plain = jose::jwe::decrypt(*fits, *key);
    QVERIFY(plain);
    QCOMPARE(plain->plaintext.size(), qsizetype(limits::maxJweInflatedBytes));
}

void TestLimits::wordlistLine()
{
    // Over-long lines are skipped, counted and named (the rest of the list still runs).
    const QByteArray list = "first\n" + QByteArray(qsizetype(limits::maxWordlistLineBytes) + 1, 'x') + "\nthird\r\n" +
                            QByteArray(qsizetype(limits::maxWordlistLineBytes), 'y') + '\n';
    const auto source = audit::crack::WordlistSource::fromBytes(list, {});
    QCOMPARE(source->units(), std::uint64_t(4));
    QCOMPARE(source->overLongLines(), std::uint64_t(1));
    QCOMPARE(source->firstOverLongLine(), std::uint64_t(2));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("list.txt"));
    QVERIFY(test::writeFileBytes(path, list));
    // HS256 over {} with the secret "third": found, with the warning naming the limit, the count and the line.
    const auto signedToken =
        jose::signCompact(jose::Alg::HS256, keys::secretKey("third").get(), "{\"alg\":\"HS256\"}", "{}");
    QVERIFY(signedToken);
    const auto run =
        test::runCli({QStringLiteral("crack"), QString::fromLatin1(*signedToken), QStringLiteral("--wordlist"), path,
                      QStringLiteral("--threads"), QStringLiteral("1")});
    QCOMPARE(run.code, 0);
    QVERIFY2(run.err.contains("warning: 1 wordlist line(s) longer than 65536 bytes skipped (first: line 2).\n"),
             run.err.constData());
}

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
