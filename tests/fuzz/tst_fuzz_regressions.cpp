// Every input a fuzz target once failed on (tests/fuzz/regressions/fuzz_NAME/*), replayed through the same
// target function in the normal suite, plus the exact outcome each fix decided.
#include <cstdint>

#include <QDir>
#include <QTest>

#include "TestSupport.h"
#include "keys/KeyIo.h"
#include "workspace/WorkspaceFile.h"

int tbFuzz_compact(const std::uint8_t* data, std::size_t size);
int tbFuzz_jwe(const std::uint8_t* data, std::size_t size);
int tbFuzz_base64url(const std::uint8_t* data, std::size_t size);
int tbFuzz_json(const std::uint8_t* data, std::size_t size);
int tbFuzz_keys(const std::uint8_t* data, std::size_t size);
int tbFuzz_cookie(const std::uint8_t* data, std::size_t size);
int tbFuzz_scenario(const std::uint8_t* data, std::size_t size);
int tbFuzz_workspace(const std::uint8_t* data, std::size_t size);
int tbFuzz_wordlist(const std::uint8_t* data, std::size_t size);
int tbFuzz_identify(const std::uint8_t* data, std::size_t size);

using namespace tb;

namespace {

using TargetFn = int (*)(const std::uint8_t*, std::size_t);

TargetFn targetNamed(const QString& folder)
{
    static const QList<std::pair<QString, TargetFn>> targets = {
        {QStringLiteral("fuzz_compact"), tbFuzz_compact},     {QStringLiteral("fuzz_jwe"), tbFuzz_jwe},
        {QStringLiteral("fuzz_base64url"), tbFuzz_base64url}, {QStringLiteral("fuzz_json"), tbFuzz_json},
        {QStringLiteral("fuzz_keys"), tbFuzz_keys},           {QStringLiteral("fuzz_cookie"), tbFuzz_cookie},
        {QStringLiteral("fuzz_scenario"), tbFuzz_scenario},   {QStringLiteral("fuzz_workspace"), tbFuzz_workspace},
        {QStringLiteral("fuzz_wordlist"), tbFuzz_wordlist},   {QStringLiteral("fuzz_identify"), tbFuzz_identify},
    };
    for (const auto& [name, fn] : targets) {
        if (name == folder) {
            return fn;
        }
    }
    return nullptr;
}

QString regressionsDir()
{
    return test::sourceDir() + QStringLiteral("/tests/fuzz/regressions");
}

QByteArray regression(const QString& relative)
{
    return test::readFileBytes(regressionsDir() + QLatin1Char('/') + relative);
}

} // namespace

class TestFuzzRegressions : public QObject
{
    Q_OBJECT

private slots:
    void replay_data();
    void replay();
    void ecPrivateKeyNotMatchingItsPoint_data();
    void ecPrivateKeyNotMatchingItsPoint();
    void secretKeysStayOutOfAResave();
};

void TestFuzzRegressions::replay_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("path");
    const QDir root(regressionsDir());
    QVERIFY2(root.exists(), qPrintable(root.path()));
    for (const QString& folder : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QDir dir(root.filePath(folder));
        for (const QString& file : dir.entryList(QDir::Files, QDir::Name)) {
            QTest::newRow(qPrintable(folder + QLatin1Char('/') + file)) << folder << dir.filePath(file);
        }
    }
}

void TestFuzzRegressions::replay()
{
    QFETCH(QString, folder);
    QFETCH(QString, path);
    const TargetFn target = targetNamed(folder);
    QVERIFY2(target != nullptr, qPrintable(QStringLiteral("no fuzz target for the folder %1").arg(folder)));
    const QByteArray input = test::readFileBytes(path);
    QVERIFY(!input.isEmpty());
    // A broken property aborts (the test binary dies with the property printed); a pass returns 0.
    QCOMPARE(target(reinterpret_cast<const std::uint8_t*>(input.constData()), std::size_t(input.size())), 0);
}

void TestFuzzRegressions::ecPrivateKeyNotMatchingItsPoint_data()
{
    QTest::addColumn<QString>("file");
    // fuzz_keys found SEC1 keys whose private scalar was changed by one bit: the DER import took them, and the
    // JWK they exported was refused (d does not match x and y). The DER/PEM import now checks the pair too.
    QTest::newRow("P-256 SEC1 DER") << QStringLiteral("fuzz_keys/sec1-p256-d-mismatch.der");
    QTest::newRow("P-384 SEC1 DER") << QStringLiteral("fuzz_keys/sec1-p384-d-mismatch.der");
}

void TestFuzzRegressions::ecPrivateKeyNotMatchingItsPoint()
{
    QFETCH(QString, file);
    const auto key = keys::importKey(regression(file));
    QVERIFY(!key);
    QCOMPARE(key.error().code, ErrorCode::KeyUnreadable);
    QCOMPARE(key.error().message, QStringLiteral("The EC private key does not match the public point stored with it."));
}

void TestFuzzRegressions::secretKeysStayOutOfAResave()
{
    // fuzz_workspace: a hand-made workspace holding HMAC secrets in the clear loads them; saving it again
    // without a passphrase leaves them out (DESIGN decision 5), so the round trip keeps public keys only.
    const auto loaded =
        workspace::parseWorkspace(regression(QStringLiteral("fuzz_workspace/oct-jwk-in-clear.json")), nullptr);
    QVERIFY(loaded);
    QCOMPARE(loaded->data.keys.size(), 5);
    QCOMPARE(loaded->data.keys.first().key->type(), keys::KeyType::Oct);
    const auto saved = workspace::serializeWorkspace(loaded->data, nullptr);
    QVERIFY(saved);
    QVERIFY(!saved->contains("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBka"));
    const auto again = workspace::parseWorkspace(*saved, nullptr);
    QVERIFY(again);
    QCOMPARE(again->data.keys.size(), 0);
    QCOMPARE(again->notes.first(), QStringLiteral("Key 'key 0': the secret was not saved, so it is left out."));
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"
