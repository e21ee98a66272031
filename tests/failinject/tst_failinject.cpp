// OpenSSL failure injection (TB_FAIL_INJECT, run by `make test-asan`). OpenSSL's allocator is replaced before
// its first use (CRYPTO_set_mem_functions); each path then runs once per k = 1, 2, ... with only the k-th
// OpenSSL allocation failing, until a run makes fewer than k allocations. Every run must end in a value or a
// clean tb::Error (a sentence), never a crash; a value made under injection must still be right (a signature
// verifies, a plaintext matches, a key has its thumbprint); a tampered token never verifies. Under
// LeakSanitizer (the asan preset) a leak on any error path fails the run at exit.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

#include <openssl/crypto.h>

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTest>

#include "jose/Jws.h"
#include "jose/jwe/Jwe.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"
#include "workspace/Sealed.h"

using namespace tb;

namespace {

// ---- The failing allocator: counts OpenSSL allocations while armed and fails the k-th one.

std::atomic<long> g_calls{0};
std::atomic<long> g_failAt{0}; // 0: never fail
std::atomic<bool> g_failed{false};

bool failNow()
{
    const long at = g_failAt.load();
    if (at > 0 && ++g_calls == at) {
        g_failed = true;
        return true;
    }
    return false;
}

void* injMalloc(std::size_t num, const char*, int)
{
    if (num == 0 || failNow()) {
        return nullptr;
    }
    return std::malloc(num);
}

void* injRealloc(void* ptr, std::size_t num, const char*, int)
{
    if (ptr == nullptr) {
        return injMalloc(num, nullptr, 0);
    }
    if (num == 0) {
        std::free(ptr);
        return nullptr;
    }
    return failNow() ? nullptr : std::realloc(ptr, num);
}

void injFree(void* ptr, const char*, int)
{
    std::free(ptr);
}

void arm(long k)
{
    g_calls = 0;
    g_failed = false;
    g_failAt = k;
}

// Disarms and tells whether the k-th allocation was reached (and so failed).
bool disarm()
{
    g_failAt = 0;
    return g_failed.load();
}

// ---- Paths: each returns bytes that `valid` checks afterwards, without injection.

struct Path
{
    std::function<Result<QByteArray>()> run;
    std::function<bool(const QByteArray&)> valid;
    // Optional, after the sweep: a sentence when the values, taken together, are wrong; else empty.
    std::function<QString()> overall = {};
};

template <typename T>
Result<QByteArray> asBytes(const Result<T>& r, const std::function<QByteArray(const T&)>& f)
{
    if (!r) {
        return std::unexpected(r.error());
    }
    return f(*r);
}

struct Keys
{
    keys::KeyPtr hmac, rsa, rsaJwe, rsa15, ec, ec384, k1, ed, x25519, aes128, aes256, dir256;
};

const Keys& fixture()
{
    static const Keys k = [] {
        Keys out;
        out.hmac = keys::secretKey("failure-injection-secret-32bytes");
        out.rsa = *keys::generateKey(jose::Alg::RS256, 2048);
        out.rsaJwe = *keys::generateKey(jose::Alg::RS256, 2048);
        out.rsa15 = *keys::generateKey(jose::Alg::RS256, 2048);
        out.ec = *keys::generateKey(jose::Alg::ES256);
        out.ec384 = *keys::generateKey(jose::Alg::ES384);
        out.k1 = *keys::generateKey(jose::Alg::ES256K);
        out.ed = *keys::generateKey(jose::Alg::EdDSA);
        out.x25519 = *keys::importJwk(QJsonDocument::fromJson("{\"kty\":\"OKP\",\"crv\":\"X25519\","
                                                              "\"x\":\"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo\","
                                                              "\"d\":\"dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo\"}")
                                          .object());
        out.aes128 = keys::secretKey(QByteArray(16, '\x11'));
        out.aes256 = keys::secretKey(QByteArray(32, '\x22'));
        out.dir256 = keys::secretKey(QByteArray(32, '\x33'));
        return out;
    }();
    return k;
}

const QByteArray kPayload = QByteArrayLiteral("{\"sub\":\"failinject\",\"exp\":4102444800}");

validate::Report verifyNow(QByteArrayView token, const keys::KeyPtr& key)
{
    validate::KeyInput input;
    input.key = key;
    validate::Policy policy;
    policy.now = 1700000000;
    const auto report = validate::verifyToken(token, input, policy);
    return report ? *report : validate::Report{};
}

Path signPath(jose::Alg alg, keys::KeyPtr key)
{
    return {[alg, key] { return jose::signCompact(alg, key.get(), jose::defaultHeader(alg), kPayload); },
            [key](const QByteArray& token) { return verifyNow(token, key).valid; }};
}

QByteArray signatureState(const validate::Report& r)
{
    if (r.signature == validate::SignatureState::NotChecked) {
        return r.valid ? "not-checked but valid?" : "not-checked";
    }
    return r.signature == validate::SignatureState::Valid && r.valid ? "valid" : "invalid";
}

Path verifyPath(jose::Alg alg, keys::KeyPtr key, bool tamper)
{
    QByteArray token = *jose::signCompact(alg, key.get(), jose::defaultHeader(alg), kPayload);
    if (tamper) {
        token[token.indexOf('.') + 3] = token[token.indexOf('.') + 3] == 'A' ? 'B' : 'A';
    }
    struct Tally
    {
        int notChecked = 0;
        int invalid = 0;
    };
    auto tally = std::make_shared<Tally>();
    return {[token, key] {
                validate::KeyInput input;
                input.key = key;
                validate::Policy policy;
                policy.now = 1700000000;
                return asBytes<validate::Report>(validate::verifyToken(token, input, policy),
                                                 [](const validate::Report& r) { return signatureState(r); });
            },
            // Under injection a verdict may be "not checked" (valid false), never the wrong way round: a tampered
            // token is never valid. A good one fails closed, mostly as "not checked"; OpenSSL does not flag every
            // allocation failure as fatal, so a few read "invalid" (counted below).
            [tamper, tally](const QByteArray& verdict) {
                tally->notChecked += verdict == "not-checked" ? 1 : 0;
                tally->invalid += verdict == "invalid" ? 1 : 0;
                return verdict == "not-checked" || verdict == "invalid" || (!tamper && verdict == "valid");
            },
            [tamper, tally] {
                qInfo("verdicts under injection: %d not checked, %d invalid", tally->notChecked, tally->invalid);
                return tamper || tally->notChecked > tally->invalid
                           ? QString()
                           : QStringLiteral("a good signature read \"invalid\" %1 times and \"not checked\" %2 times")
                                 .arg(tally->invalid)
                                 .arg(tally->notChecked);
            }};
}

// What identifies an imported key: its thumbprint and whether the private half came with it (an allocation
// failure must not turn a private key file into a public key).
Result<QByteArray> identity(const Result<keys::KeyPtr>& key)
{
    if (!key) {
        return std::unexpected(key.error());
    }
    const auto thumb = keys::thumbprint(**key);
    if (!thumb) {
        return std::unexpected(thumb.error());
    }
    return thumb->toLatin1() + ((*key)->hasPrivate() ? " private" : " public");
}

Path importPath(const QByteArray& bytes, const keys::KeyPtr& key, keys::KeyPart part,
                const SecretBytes* passphrase = nullptr)
{
    const QByteArray expected = keys::thumbprint(*key).value_or(QString()).toLatin1() +
                                (part == keys::KeyPart::Private ? " private" : " public");
    return {[bytes, passphrase] { return identity(keys::importKey(bytes, passphrase)); },
            [expected](const QByteArray& id) { return id == expected; }};
}

Path generatePath(jose::Alg alg)
{
    return {[alg] {
                const auto key = keys::generateKey(alg);
                if (!key) {
                    return Result<QByteArray>(std::unexpected(key.error()));
                }
                return jose::signCompact(alg, key->get(), jose::defaultHeader(alg), kPayload);
            },
            [](const QByteArray& token) { return !token.isEmpty(); }};
}

Path jwePath(const keys::KeyPtr& key, jose::jwe::KeyAlg alg, jose::jwe::EncAlg enc, QByteArray extraHeader = {})
{
    return {[key, alg, enc, extraHeader] {
                const auto token = jose::jwe::encryptCompact(*key, alg, enc, kPayload, extraHeader);
                if (!token) {
                    return token;
                }
                return asBytes<jose::jwe::Decrypted>(jose::jwe::decrypt(*token, *key),
                                                     [](const jose::jwe::Decrypted& d) { return d.plaintext; });
            },
            [](const QByteArray& plain) { return plain == kPayload; }};
}

Path decryptPath(const keys::KeyPtr& key, jose::jwe::KeyAlg alg, jose::jwe::EncAlg enc)
{
    const QByteArray token = *jose::jwe::encryptCompact(*key, alg, enc, kPayload);
    return {[key, token] {
                return asBytes<jose::jwe::Decrypted>(jose::jwe::decrypt(token, *key),
                                                     [](const jose::jwe::Decrypted& d) { return d.plaintext; });
            },
            [](const QByteArray& plain) { return plain == kPayload; }};
}

const QStringList& pathNames()
{
    static const QStringList names = {
        QStringLiteral("sign HS256"),
        QStringLiteral("sign RS256"),
        QStringLiteral("sign PS256"),
        QStringLiteral("sign ES256"),
        QStringLiteral("sign ES256K"),
        QStringLiteral("sign EdDSA"),
        QStringLiteral("verify HS256"),
        QStringLiteral("verify RS256"),
        QStringLiteral("verify PS384"),
        QStringLiteral("verify ES384"),
        QStringLiteral("verify EdDSA"),
        QStringLiteral("verify tampered HS256"),
        QStringLiteral("verify tampered RS256"),
        QStringLiteral("verify tampered ES256"),
        QStringLiteral("import PKCS#8 PEM"),
        QStringLiteral("import SPKI PEM"),
        QStringLiteral("import EC PEM"),
        QStringLiteral("import Ed25519 PEM"),
        QStringLiteral("import encrypted PKCS#8"),
        QStringLiteral("import RSA JWK"),
        QStringLiteral("import EC JWK"),
        QStringLiteral("import JWK Set"),
        QStringLiteral("export encrypted PEM"),
        QStringLiteral("generate HS256"),
        QStringLiteral("generate ES256"),
        QStringLiteral("generate EdDSA"),
        QStringLiteral("JWE dir A256GCM"),
        QStringLiteral("JWE A128KW A128CBC-HS256"),
        QStringLiteral("JWE A256GCMKW A256GCM zip"),
        QStringLiteral("JWE RSA-OAEP-256 A256GCM"),
        QStringLiteral("JWE ECDH-ES+A128KW P-384"),
        QStringLiteral("JWE ECDH-ES X25519"),
        QStringLiteral("JWE PBES2-HS256+A128KW"),
        QStringLiteral("decrypt RSA1_5"),
        QStringLiteral("workspace seal/open"),
    };
    return names;
}

} // namespace

class TestFailInject : public QObject
{
    Q_OBJECT

private:
    void sweep(const Path& path);

private slots:
    void paths_data();
    void paths();
    void firstUseFailuresAreRetried();
};

// A key builds its HMAC pads, its prepared verify contexts and its thumbprint on first use; an allocation failing
// then must not leave the key broken for good: the next use, without the failure, gives the right bytes.
void TestFailInject::firstUseFailuresAreRetried()
{
    const QByteArray header = "{\"alg\":\"HS256\"}";
    const QByteArray payload = "{\"sub\":\"retry\"}";
    const QByteArray secret = "failure-injection-secret-32bytes";
    const auto reference = keys::secretKey(secret);
    const QByteArray expected = *jose::signCompact(jose::Alg::HS256, reference.get(), header, payload);
    const QString thumbprint = reference->thumbprint();
    QVERIFY(!thumbprint.isEmpty());
    long failures = 0;
    for (long k = 1;; ++k) {
        const auto key = keys::secretKey(secret);
        arm(k);
        (void)jose::signCompact(jose::Alg::HS256, key.get(), header, payload);
        (void)key->thumbprint();
        const bool injected = disarm();
        const auto again = jose::signCompact(jose::Alg::HS256, key.get(), header, payload);
        QVERIFY2(again && *again == expected, qPrintable(QStringLiteral("HS256 wrong after failure %1").arg(k)));
        QCOMPARE(key->thumbprint(), thumbprint);
        if (!injected) {
            break;
        }
        ++failures;
    }
    QVERIFY(failures > 0);

    // The same for the prepared verify context of an EC key (built on its first verify).
    const QByteArray ecToken = *jose::signCompact(jose::Alg::ES256, fixture().ec.get(), "{\"alg\":\"ES256\"}", payload);
    const QByteArray ecPublic = *keys::exportPem(*fixture().ec, keys::KeyPart::Public);
    failures = 0;
    for (long k = 1;; ++k) {
        const auto key = *keys::importKey(ecPublic);
        arm(k);
        (void)verifyNow(ecToken, key);
        const bool injected = disarm();
        QVERIFY2(verifyNow(ecToken, key).valid, qPrintable(QStringLiteral("ES256 refused after failure %1").arg(k)));
        QVERIFY(key->verifyTemplate(jose::Alg::ES256) != nullptr);
        if (!injected) {
            break;
        }
        ++failures;
    }
    QVERIFY(failures > 0);
}

void TestFailInject::sweep(const Path& path)
{
    const auto warm = path.run(); // lazy OpenSSL set-up happens here, outside the sweep
    QVERIFY2(warm && path.valid(*warm), qPrintable(warm ? QStringLiteral("wrong value") : warm.error().message));
    long errors = 0;
    long recovered = 0;
    for (long k = 1;; ++k) {
        arm(k);
        const auto result = path.run();
        const bool injected = disarm();
        if (!injected) {
            QVERIFY2(result && path.valid(*result),
                     qPrintable(QStringLiteral("the run without a failure must succeed: %1")
                                    .arg(result ? QStringLiteral("wrong value") : result.error().message)));
            qInfo("%ld OpenSSL allocations; %ld failures gave a clean error, %ld were recovered", k - 1, errors,
                  recovered);
            const QString overall = path.overall ? path.overall() : QString();
            QVERIFY2(overall.isEmpty(), qPrintable(overall));
            return;
        }
        if (result) {
            QVERIFY2(path.valid(*result), qPrintable(QStringLiteral("wrong value with allocation %1 failing: %2")
                                                         .arg(k)
                                                         .arg(QString::fromLatin1(result->left(120)))));
            ++recovered;
        } else {
            QVERIFY2(!result.error().message.isEmpty(), qPrintable(QStringLiteral("no message at %1").arg(k)));
            ++errors;
        }
    }
}

void TestFailInject::paths_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < pathNames().size(); ++i) {
        QTest::newRow(qPrintable(pathNames()[i])) << i;
    }
}

void TestFailInject::paths()
{
    QFETCH(int, index);
    using jose::Alg;
    using namespace jose::jwe;
    const Keys& k = fixture();
    static const SecretBytes passphrase = SecretBytes::fromByteArray("failinject passphrase");
    auto pem = [](const keys::KeyPtr& key, keys::KeyPart part, const SecretBytes* pass = nullptr) {
        return keys::exportPem(*key, part, pass).value_or(QByteArray());
    };
    auto jwk = [](const keys::KeyPtr& key, keys::KeyPart part) {
        return keys::exportJwk(*key, part).value_or(QByteArray());
    };
    const std::function<Path()> paths[] = {
        [&] { return signPath(Alg::HS256, k.hmac); },
        [&] { return signPath(Alg::RS256, k.rsa); },
        [&] { return signPath(Alg::PS256, k.rsa); },
        [&] { return signPath(Alg::ES256, k.ec); },
        [&] { return signPath(Alg::ES256K, k.k1); },
        [&] { return signPath(Alg::EdDSA, k.ed); },
        [&] { return verifyPath(Alg::HS256, k.hmac, false); },
        [&] { return verifyPath(Alg::RS256, k.rsa, false); },
        [&] { return verifyPath(Alg::PS384, k.rsa, false); },
        [&] { return verifyPath(Alg::ES384, k.ec384, false); },
        [&] { return verifyPath(Alg::EdDSA, k.ed, false); },
        [&] { return verifyPath(Alg::HS256, k.hmac, true); },
        [&] { return verifyPath(Alg::RS256, k.rsa, true); },
        [&] { return verifyPath(Alg::ES256, k.ec, true); },
        [&] { return importPath(pem(k.rsa, keys::KeyPart::Private), k.rsa, keys::KeyPart::Private); },
        [&] { return importPath(pem(k.rsa, keys::KeyPart::Public), k.rsa, keys::KeyPart::Public); },
        [&] { return importPath(pem(k.ec, keys::KeyPart::Private), k.ec, keys::KeyPart::Private); },
        [&] { return importPath(pem(k.ed, keys::KeyPart::Private), k.ed, keys::KeyPart::Private); },
        [&] {
            return importPath(pem(k.ec, keys::KeyPart::Private, &passphrase), k.ec, keys::KeyPart::Private,
                              &passphrase);
        },
        [&] { return importPath(jwk(k.rsa, keys::KeyPart::Private), k.rsa, keys::KeyPart::Private); },
        [&] { return importPath(jwk(k.ec384, keys::KeyPart::Private), k.ec384, keys::KeyPart::Private); },
        [&] {
            const QByteArray set =
                "{\"keys\":[" + jwk(k.ec, keys::KeyPart::Public) + ',' + jwk(k.rsa, keys::KeyPart::Public) + "]}";
            return Path{[set] {
                            return asBytes<keys::JwkSet>(keys::importJwks(set), [](const keys::JwkSet& s) {
                                return QByteArray::number(s.keys.size()) + ' ' + QByteArray::number(s.skipped.size());
                            });
                        },
                        // Both keys, or fewer with each missing one named as skipped (fail closed, not silent).
                        [](const QByteArray& n) { return n == "2 0" || n == "1 1" || n == "0 2"; }};
        },
        [&] {
            return Path{[&k] { return keys::exportPem(*k.ec, keys::KeyPart::Private, &passphrase); },
                        [&k](const QByteArray& text) {
                            const auto back = keys::importKey(text, &passphrase);
                            return back && keys::thumbprint(**back).value_or(QString()) ==
                                               keys::thumbprint(*k.ec).value_or(QString());
                        }};
        },
        [&] { return generatePath(Alg::HS256); },
        [&] { return generatePath(Alg::ES256); },
        [&] { return generatePath(Alg::EdDSA); },
        [&] { return jwePath(k.dir256, KeyAlg::Dir, EncAlg::A256Gcm); },
        [&] { return jwePath(k.aes128, KeyAlg::A128Kw, EncAlg::A128CbcHs256); },
        [&] { return jwePath(k.aes256, KeyAlg::A256GcmKw, EncAlg::A256Gcm, "{\"zip\":\"DEF\"}"); },
        // Keys of their own: after allocation failures in an RSA private operation, state OpenSSL caches in that
        // key (its blinding) makes later decryptions with it fail (a clean error, never a wrong plaintext). That
        // state is inside OpenSSL, not tokenbench; these rows check the JWE paths themselves.
        [&] { return jwePath(k.rsaJwe, KeyAlg::RsaOaep256, EncAlg::A256Gcm); },
        [&] { return jwePath(k.ec384, KeyAlg::EcdhEsA128Kw, EncAlg::A128Gcm); },
        [&] { return jwePath(k.x25519, KeyAlg::EcdhEs, EncAlg::A128CbcHs256); },
        [&] { return jwePath(k.hmac, KeyAlg::Pbes2Hs256A128Kw, EncAlg::A128Gcm, "{\"p2c\":1000}"); },
        [&] { return decryptPath(k.rsa15, KeyAlg::Rsa1_5, EncAlg::A128CbcHs256); },
        [&] {
            return Path{[] {
                            const SecretBytes plain = SecretBytes::fromByteArray("workspace secret bytes");
                            const auto sealed = workspace::seal(plain, passphrase, "aad", {1024, 8, 1});
                            if (!sealed) {
                                return Result<QByteArray>(std::unexpected(sealed.error()));
                            }
                            return asBytes<SecretBytes>(workspace::open(*sealed, passphrase, "aad"),
                                                        [](const SecretBytes& s) { return s.reveal(); });
                        },
                        [](const QByteArray& plain) { return plain == "workspace secret bytes"; }};
        },
    };
    QCOMPARE(qsizetype(std::size(paths)), pathNames().size());
    sweep(paths[index]());
}

int main(int argc, char** argv)
{
    // Before anything touches OpenSSL: afterwards CRYPTO_set_mem_functions refuses.
    if (!CRYPTO_set_mem_functions(injMalloc, injRealloc, injFree)) {
        std::fprintf(stderr, "tst_failinject: OpenSSL was used before main; cannot install the allocator\n");
        return 1;
    }
    QCoreApplication app(argc, argv);
    TestFailInject test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_failinject.moc"
