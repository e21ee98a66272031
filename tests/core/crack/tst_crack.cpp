#include <atomic>
#include <random>

#include <QTemporaryDir>
#include <QTest>

#include "TestSupport.h"

#include "audit/crack/Crack.h"
#include "audit/crack/Session.h"
#include "jose/Base64Url.h"

namespace crack = tb::audit::crack;

namespace {

// A compact token signed with `secret` through OpenSSL (the reference), header and payload as given.
QByteArray makeToken(const QByteArray& alg, const QByteArray& secret, const QByteArray& payload)
{
    const QByteArray header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
    const QByteArray si = tb::jose::base64UrlEncode(header) + '.' + tb::jose::base64UrlEncode(payload);
    const crack::HmacAlg a = alg == "HS256"   ? crack::HmacAlg::HS256
                             : alg == "HS384" ? crack::HmacAlg::HS384
                                              : crack::HmacAlg::HS512;
    return si + '.' + tb::jose::base64UrlEncode(crack::referenceHmac(a, secret, si).value());
}

QByteArray makeToken(const QByteArray& secret)
{
    return makeToken("HS256", secret, R"({"sub":"user-4711","name":"Ada Lovelace","iat":1767225600})");
}

crack::Target target(const QByteArray& token)
{
    auto t = crack::targetFromToken(token);
    if (!t) {
        qFatal("targetFromToken failed: %s", qPrintable(t.error().message));
    }
    return *t;
}

crack::SearchResult run(const QByteArray& token, const crack::CandidateSource& source, crack::SearchOptions o = {})
{
    auto r = crack::search(target(token), source, o);
    if (!r) {
        qFatal("search failed: %s", qPrintable(r.error().message));
    }
    return std::move(*r);
}

// Deterministic pseudo-random words, none of which is a secret used below.
QByteArray randomWords(int count, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    QByteArray out;
    for (int i = 0; i < count; ++i) {
        const int len = 6 + int(rng() % 7);
        for (int j = 0; j < len; ++j) {
            out.append(char('a' + rng() % 26));
        }
        out.append('\n');
    }
    return out;
}

// Collects every candidate a source generates.
class Collect final : public crack::CandidateSink
{
public:
    bool add(const std::uint8_t* data, std::size_t size) override
    {
        items.append(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)));
        return true;
    }
    QList<QByteArray> items;
};

QList<crack::KernelKind> allKernels()
{
    return {crack::KernelKind::OpenSsl, crack::KernelKind::Scalar, crack::KernelKind::ShaNi, crack::KernelKind::Avx2,
            crack::KernelKind::Avx512};
}

} // namespace

class TestCrack : public QObject
{
    Q_OBJECT

private slots:
    // Every multi-lane kernel equals OpenSSL's HMAC-SHA256 for messages of every length 0..300, with each
    // lane of a batch holding a key of a different length (0..64).
    void kernelsEqualOpenSsl_data()
    {
        QTest::addColumn<int>("kind");
        for (auto k : {crack::KernelKind::Scalar, crack::KernelKind::ShaNi, crack::KernelKind::Avx2,
                       crack::KernelKind::Avx512}) {
            QTest::newRow(qPrintable(crack::kernelName(k))) << int(k);
        }
    }
    void kernelsEqualOpenSsl()
    {
        QFETCH(int, kind);
        const auto kernel = crack::sha256Kernel(crack::KernelKind(kind));
        if (kernel.fn == nullptr) {
            QSKIP("this CPU lacks the instruction set of this kernel");
        }
        const auto lanes = std::size_t(kernel.lanes);
        std::mt19937 rng(20261127);
        int checked = 0;
        for (int len = 0; len <= 300; ++len) {
            QByteArray msg(len, '\0');
            for (char& c : msg) {
                c = char(rng());
            }
            const crack::Sha256Plan plan = crack::makeSha256Plan(msg);
            std::vector<std::uint32_t> words(16 * lanes, 0);
            std::vector<std::uint32_t> digests(8 * lanes, 0);
            std::vector<QByteArray> keys(lanes);
            for (std::size_t l = 0; l < lanes; ++l) {
                keys[l] = QByteArray(int((len + 7 * l) % 65), '\0');
                for (char& c : keys[l]) {
                    c = char(rng());
                }
                QByteArray block = keys[l];
                block.append(QByteArray(64 - block.size(), '\0'));
                for (std::size_t i = 0; i < 16; ++i) {
                    const auto* p = reinterpret_cast<const unsigned char*>(block.constData()) + 4 * i;
                    words[i * lanes + l] = (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) |
                                           (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
                }
            }
            kernel.fn(plan.wk.data(), plan.blocks, words.data(), digests.data());
            for (std::size_t l = 0; l < lanes; ++l) {
                QByteArray got;
                for (std::size_t i = 0; i < 8; ++i) {
                    const std::uint32_t w = digests[i * lanes + l];
                    got.append(char(w >> 24)).append(char(w >> 16)).append(char(w >> 8)).append(char(w));
                }
                const QByteArray want = crack::referenceHmac(crack::HmacAlg::HS256, keys[l], msg).value();
                if (got != want) {
                    QFAIL(qPrintable(QStringLiteral("message length %1, lane %2, key length %3")
                                         .arg(len)
                                         .arg(l)
                                         .arg(keys[l].size())));
                }
                ++checked;
            }
        }
        QCOMPARE(checked, 301 * kernel.lanes);
    }

    // The SHA-512 lanes equal OpenSSL's HMAC-SHA-384/512 for messages of every length 0..300, each lane of a batch
    // with a key of a different length (0..128).
    void sha512KernelsEqualOpenSsl_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("sha384");
        for (auto k : {crack::KernelKind::Scalar, crack::KernelKind::Avx2, crack::KernelKind::Avx512}) {
            for (bool s384 : {false, true}) {
                QTest::addRow("%s-%s", qPrintable(crack::kernelName(k)), s384 ? "HS384" : "HS512") << int(k) << s384;
            }
        }
    }
    void sha512KernelsEqualOpenSsl()
    {
        QFETCH(int, kind);
        QFETCH(bool, sha384);
        const auto kernel = crack::sha512Kernel(crack::KernelKind(kind));
        if (kernel.fn == nullptr) {
            QSKIP("this CPU lacks the instruction set of this kernel");
        }
        const auto lanes = std::size_t(kernel.lanes);
        std::mt19937 rng(512);
        for (int len = 0; len <= 300; ++len) {
            QByteArray msg(len, '\0');
            for (char& c : msg) {
                c = char(rng());
            }
            const crack::Sha512Plan plan = crack::makeSha512Plan(msg);
            std::vector<std::uint64_t> words(16 * lanes, 0);
            std::vector<std::uint64_t> digests(8 * lanes, 0);
            std::vector<QByteArray> keys(lanes);
            for (std::size_t l = 0; l < lanes; ++l) {
                keys[l] = QByteArray(int((len + 37 * l) % 129), '\0');
                for (char& c : keys[l]) {
                    c = char(rng());
                }
                QByteArray block = keys[l];
                block.append(QByteArray(128 - block.size(), '\0'));
                for (std::size_t i = 0; i < 16; ++i) {
                    std::uint64_t w = 0;
                    for (std::size_t j = 0; j < 8; ++j) {
                        w = (w << 8) | static_cast<unsigned char>(block[qsizetype(8 * i + j)]);
                    }
                    words[i * lanes + l] = w;
                }
            }
            kernel.fn(sha384, plan.wk.data(), plan.blocks, words.data(), digests.data());
            for (std::size_t l = 0; l < lanes; ++l) {
                QByteArray got;
                for (std::size_t i = 0; i < (sha384 ? 6u : 8u); ++i) {
                    for (int j = 7; j >= 0; --j) {
                        got.append(char(digests[i * lanes + l] >> (8 * j)));
                    }
                }
                const auto alg = sha384 ? crack::HmacAlg::HS384 : crack::HmacAlg::HS512;
                if (got != crack::referenceHmac(alg, keys[l], msg).value()) {
                    QFAIL(qPrintable(QStringLiteral("message length %1, lane %2, key length %3")
                                         .arg(len)
                                         .arg(l)
                                         .arg(keys[l].size())));
                }
            }
        }
    }

    void hs384Hs512LongAndEmptyKeysOnEveryPath_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("alg");
        QTest::addColumn<QByteArray>("secret");
        for (auto k : {crack::KernelKind::OpenSsl, crack::KernelKind::Scalar, crack::KernelKind::Avx2,
                       crack::KernelKind::Avx512}) {
            for (const char* alg : {"HS384", "HS512"}) {
                for (int len : {0, 127, 128, 129, 300}) {
                    QTest::addRow("%s-%s-%d", qPrintable(crack::kernelName(k)), alg, len)
                        << int(k) << QByteArray(alg) << QByteArray(len, 'k');
                }
            }
        }
    }
    void hs384Hs512LongAndEmptyKeysOnEveryPath()
    {
        QFETCH(int, kind);
        QFETCH(QByteArray, alg);
        QFETCH(QByteArray, secret);
        if (!crack::kernelSupported(crack::KernelKind(kind))) {
            QSKIP("this CPU lacks the instruction set of this kernel");
        }
        QList<QByteArray> words;
        for (int len : {1, 128, 129, 299, 301, 0, 127, 64, 65}) {
            if (len != secret.size()) {
                words.append(QByteArray(len, 'k'));
            }
        }
        words.insert(5, secret);
        const crack::WordsSource source(words, {});
        crack::SearchOptions o;
        o.kernel = crack::KernelKind(kind);
        o.threads = 1;
        const auto r = run(makeToken(alg, secret, "{}"), source, o);
        QVERIFY(r.found);
        QCOMPARE(r.secret.reveal(), secret);
        QCOMPARE(r.candidates, std::uint64_t(6));
        QCOMPARE(r.kernel, crack::KernelKind(kind));
    }

    void shaNiIsSha256Only()
    {
        const crack::WordsSource words({"a"}, {});
        crack::SearchOptions o;
        o.kernel = crack::KernelKind::ShaNi;
        const auto r = crack::search(target(makeToken("HS512", "a", "{}")), words, o);
        QVERIFY(!r);
        QCOMPARE(r.error().code, tb::ErrorCode::Unsupported);
    }

    // Keys longer than the 64-byte block are hashed first (RFC 2104) on every path, and the empty key works.
    void longAndEmptyKeysOnEveryPath_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("secret");
        for (auto k : allKernels()) {
            for (int len : {0, 63, 64, 65, 200}) {
                QTest::addRow("%s-%d", qPrintable(crack::kernelName(k)), len) << int(k) << QByteArray(len, 'k');
            }
        }
    }
    void longAndEmptyKeysOnEveryPath()
    {
        QFETCH(int, kind);
        QFETCH(QByteArray, secret);
        if (!crack::kernelSupported(crack::KernelKind(kind))) {
            QSKIP("this CPU lacks the instruction set of this kernel");
        }
        // Neighbours of every length around the secret, so the hit sits in a mixed batch.
        QList<QByteArray> words;
        for (int len : {1, 64, 65, 199, 201, 0, 63}) {
            if (len != secret.size()) {
                words.append(QByteArray(len, 'k'));
            }
        }
        words.insert(3, secret);
        const crack::WordsSource source(words, {});
        crack::SearchOptions o;
        o.kernel = crack::KernelKind(kind);
        o.threads = 1;
        const auto r = run(makeToken(secret), source, o);
        QVERIFY(r.found);
        QCOMPARE(r.secret.reveal(), secret);
        QCOMPARE(r.candidates, std::uint64_t(4));
    }

    void wordlistHitAtStartMiddleEnd_data()
    {
        QTest::addColumn<int>("index");
        QTest::newRow("start") << 0;
        QTest::newRow("middle") << 5000;
        QTest::newRow("end") << 9999;
    }
    void wordlistHitAtStartMiddleEnd()
    {
        QFETCH(int, index);
        QList<QByteArray> lines = randomWords(9999, 7).split('\n');
        lines.removeLast();
        lines.insert(index, "tokenbench42");
        const auto source = crack::WordlistSource::fromBytes(lines.join('\n') + '\n', {});
        QCOMPARE(source->units(), std::uint64_t(10000));
        crack::SearchOptions o;
        o.threads = 1;
        const auto r = run(makeToken("tokenbench42"), *source, o);
        QVERIFY(r.found);
        QCOMPARE(r.secret.reveal(), QByteArray("tokenbench42"));
        QCOMPARE(r.candidates, std::uint64_t(index + 1));
        // And on every core.
        const auto all = run(makeToken("tokenbench42"), *source);
        QVERIFY(all.found);
        QCOMPARE(all.secret.reveal(), QByteArray("tokenbench42"));
    }

    void wordlistIsRawBytes()
    {
        // Spaces kept, non-UTF-8 bytes kept, CRLF stripped, a lone CR inside a line kept, empty lines are the
        // empty secret, the last line needs no newline.
        const QByteArray list = "alpha\r\n  two spaces \n\xff\xfe\x80raw\nmid\rcr\n\nlast";
        const auto source = crack::WordlistSource::fromBytes(list, {});
        Collect all;
        QVERIFY(source->generate(0, source->units(), all));
        const QList<QByteArray> want = {"alpha", "  two spaces ", "\xff\xfe\x80raw", "mid\rcr", "", "last"};
        QCOMPARE(all.items, want);
        for (const QByteArray& secret : want) {
            const auto r = run(makeToken(secret), *source);
            QVERIFY2(r.found, secret.toHex().constData());
            QCOMPARE(r.secret.reveal(), secret);
        }
    }

    void wordlistFileAndOverLongLines()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("w.txt"));
        QByteArray bytes = "first\n" + QByteArray(64 * 1024 + 1, 'x') + "\nsecond\n";
        QVERIFY(tb::test::writeFileBytes(path, bytes));
        auto source = crack::WordlistSource::open(path, {});
        QVERIFY(source.has_value());
        QCOMPARE((*source)->units(), std::uint64_t(3));
        QCOMPARE((*source)->overLongLines(), std::uint64_t(1));
        QCOMPARE((*source)->firstOverLongLine(), std::uint64_t(2));
        Collect all;
        QVERIFY((*source)->generate(0, 3, all));
        QCOMPARE(all.items, (QList<QByteArray>{"first", "second"}));
        auto missing = crack::WordlistSource::open(dir.filePath(QStringLiteral("none.txt")), {});
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, tb::ErrorCode::IoError);
    }

    void maskHits()
    {
        auto mask = crack::MaskSource::create("?l?l?d", {});
        QVERIFY(mask.has_value());
        QCOMPARE((*mask)->units(), std::uint64_t(26 * 26 * 10));
        const auto r = run(makeToken("qz7"), **mask);
        QVERIFY(r.found);
        QCOMPARE(r.secret.reveal(), QByteArray("qz7"));
        // Literals and custom charsets (which may use built-in ones).
        crack::MaskOptions o;
        o.customCharsets = {"xyz?d", "", "", ""};
        auto custom = crack::MaskSource::create("k-?1?1??", o);
        QVERIFY(custom.has_value());
        QCOMPARE((*custom)->units(), std::uint64_t(13 * 13));
        const auto rc = run(makeToken("k-y4?"), **custom);
        QVERIFY(rc.found);
        QCOMPARE(rc.secret.reveal(), QByteArray("k-y4?"));
    }

    void maskIncrement()
    {
        crack::MaskOptions o;
        o.incrementMin = 1;
        auto mask = crack::MaskSource::create("?d?d?d?d", o);
        QVERIFY(mask.has_value());
        QCOMPARE((*mask)->units(), std::uint64_t(10 + 100 + 1000 + 10000));
        Collect firsts;
        QVERIFY((*mask)->generate(0, 12, firsts));
        QCOMPARE(firsts.items.mid(9), (QList<QByteArray>{"9", "00", "01"}));
        crack::SearchOptions so;
        so.threads = 1;
        const auto r = run(makeToken("42"), **mask, so);
        QVERIFY(r.found);
        QCOMPARE(r.secret.reveal(), QByteArray("42"));
        QCOMPARE(r.candidates, std::uint64_t(10 + 42 + 1));
        o.incrementMin = 2;
        o.incrementMax = 3;
        auto range = crack::MaskSource::create("?d?d?d?d", o);
        QCOMPARE((*range)->units(), std::uint64_t(1100));
        QVERIFY(!run(makeToken("4242"), **range).found);
    }

    void maskErrors()
    {
        for (const char* bad : {"", "abc?", "?x", "?1"}) {
            auto m = crack::MaskSource::create(bad, {});
            QVERIFY2(!m, bad);
            QCOMPARE(m.error().code, tb::ErrorCode::InvalidArgument);
            QVERIFY(!m.error().message.isEmpty());
        }
        auto huge = crack::MaskSource::create(QByteArray(9, '?').replace("?", "?b"), {});
        QVERIFY(!huge);
        QCOMPARE(huge.error().code, tb::ErrorCode::TooLarge);
        crack::MaskOptions o;
        o.incrementMin = 3;
        o.incrementMax = 5;
        QVERIFY(!crack::MaskSource::create("?d?d?d?d", o));
    }

    void ruleHits_data()
    {
        QTest::addColumn<QByteArray>("word");
        QTest::addColumn<QByteArray>("secret");
        QTest::newRow("capitalised+year") << QByteArray("summer") << QByteArray("Summer2024");
        QTest::newRow("upper") << QByteArray("Secret") << QByteArray("SECRET");
        QTest::newRow("leet digits") << QByteArray("password") << QByteArray("p455w0rd");
        QTest::newRow("leet symbols") << QByteArray("password") << QByteArray("p@$$w0rd");
        QTest::newRow("two digits") << QByteArray("admin") << QByteArray("admin07");
        QTest::newRow("bang") << QByteArray("letmein") << QByteArray("Letmein!");
    }
    void ruleHits()
    {
        QFETCH(QByteArray, word);
        QFETCH(QByteArray, secret);
        const auto source = crack::WordlistSource::fromBytes("alpha\n" + word + "\nomega\n", {true, false});
        const auto r = run(makeToken(secret), *source);
        QVERIFY(r.found);
        QCOMPARE(r.secret.reveal(), secret);
        const auto plain = crack::WordlistSource::fromBytes("alpha\n" + word + "\nomega\n", {});
        QVERIFY(!run(makeToken(secret), *plain).found);
    }

    void variantsAreDistinctAndCounted()
    {
        Collect c;
        QVERIFY(crack::forEachVariant("aBst", {true, false}, c));
        QCOMPARE(c.items.size(), crack::maxVariantsPerWord({true, false}));
        QCOMPARE(QSet<QByteArray>(c.items.begin(), c.items.end()).size(), c.items.size());
        Collect digits;
        QVERIFY(crack::forEachVariant("123", {true, false}, digits)); // no letters: no case or leet variants
        QCOMPARE(digits.items.size(), 1 + 176);
    }

    void base64Variant()
    {
        const QByteArray secret("\x01\x02secret-bytes\xff", 15);
        const QByteArray encoded = secret.toBase64();
        const QByteArray encodedUrl = tb::jose::base64UrlEncode(secret);
        for (const QByteArray& word : {encoded, encodedUrl}) {
            const auto with = crack::WordlistSource::fromBytes("x\n" + word + "\n", {false, true});
            const auto r = run(makeToken(secret), *with);
            QVERIFY(r.found);
            QCOMPARE(r.secret.reveal(), secret);
            const auto without = crack::WordlistSource::fromBytes("x\n" + word + "\n", {});
            QVERIFY(!run(makeToken(secret), *without).found);
        }
    }

    void tokenDerivedHits()
    {
        const QByteArray payload = "{\"iss\":\"https:/"
                                   "/auth.acme-corp.example/realms/main\",\"sub\":\"svc-billing\",\"aud\":[\"api\"],"
                                   "\"n\":8080}";
        const QList<QByteArray> words = crack::tokenWords(R"({"alg":"HS256","kid":"2024-key-7"})", payload);
        for (const char* w :
             {"HS256", "2024-key-7", "https://auth.acme-corp.example/realms/main", "auth.acme-corp.example", "auth",
              "acme-corp", "example", "acme-corp.example", "auth.acme-corp", "svc-billing", "api", "8080"}) {
            QVERIFY2(words.contains(QByteArray(w)), w);
        }
        for (const char* secret : {"acme-corp", "2024-key-7", "Svc-billing2024"}) {
            const QByteArray header = R"({"alg":"HS256","kid":"2024-key-7"})";
            const QByteArray si = tb::jose::base64UrlEncode(header) + '.' + tb::jose::base64UrlEncode(payload);
            const QByteArray withKid =
                si + '.' + tb::jose::base64UrlEncode(crack::referenceHmac(crack::HmacAlg::HS256, secret, si).value());
            const auto tk = target(withKid);
            const crack::WordsSource source(crack::tokenWords(tk.header, tk.payload), {true, false});
            const auto r = crack::search(tk, source, {});
            QVERIFY(r.has_value());
            QVERIFY2(r->found, secret);
            QCOMPARE(r->secret.reveal(), QByteArray(secret));
        }
    }

    void builtinListFindsKnownDefaults()
    {
        const auto source = crack::WordlistSource::fromBytes(crack::builtinWordlist().toByteArray(), {});
        QVERIFY(source->units() > 100);
        // jwt.io's example token.
        const QByteArray jwtio =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"
            "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        const auto r = run(jwtio, *source);
        QVERIFY(r.found);
        QCOMPARE(r.secret.reveal(), QByteArray("your-256-bit-secret"));
        for (const char* s : {"", "secret", "keyboard cat", "a-string-secret-at-least-256-bits-long"}) {
            QVERIFY2(run(makeToken(s), *source).found, s);
        }
    }

    void hs384AndHs512()
    {
        for (const QByteArray alg : {"HS384", "HS512"}) {
            const QByteArray token = makeToken(alg, "hunter2", R"({"sub":"x"})");
            const auto source = crack::WordlistSource::fromBytes(randomWords(3000, 3) + "hunter2\nzzz\n", {});
            const auto r = run(token, *source);
            QVERIFY(r.found);
            QCOMPARE(r.secret.reveal(), QByteArray("hunter2"));
            QCOMPARE(r.kernel, crack::kernelSupported(crack::KernelKind::Avx512) ? crack::KernelKind::Avx512
                               : crack::kernelSupported(crack::KernelKind::Avx2) ? crack::KernelKind::Avx2
                                                                                 : crack::KernelKind::OpenSsl);
            // Long keys too (hashed with the 128-byte block of SHA-384/512).
            const QByteArray longKey(150, 'L');
            const crack::WordsSource words({"a", longKey}, {});
            QVERIFY(run(makeToken(alg, longKey, "{}"), words).found);
        }
    }

    // A stopped search reports a position; resuming from it tries every remaining candidate exactly once.
    void resumeContinuesWithoutGapOrRepeat()
    {
        auto mask = crack::MaskSource::create("?d?d?d?d?d", {});
        const QByteArray token = makeToken("54321");
        crack::SearchOptions first;
        first.maxUnits = 12345;
        const auto a = run(token, **mask, first);
        QVERIFY(!a.found);
        QCOMPARE(a.position, std::uint64_t(12345));
        QCOMPARE(a.candidates, std::uint64_t(12345));
        crack::SearchOptions second;
        second.startUnit = a.position;
        second.threads = 1;
        const auto b = run(token, **mask, second);
        QVERIFY(b.found);
        QCOMPARE(b.secret.reveal(), QByteArray("54321"));
        QCOMPARE(a.candidates + b.candidates, std::uint64_t(54321 + 1));
    }

    void cancelThenResumeCountsEveryCandidateOnce()
    {
        auto mask = crack::MaskSource::create("?d?d?d?d?d?d?d", {}); // 10M, no hit
        const QByteArray token = makeToken("not-a-digit");
        std::atomic<bool> cancel{false};
        crack::SearchOptions o;
        o.progressInterval = std::chrono::milliseconds(20);
        int calls = 0;
        const auto progress = [&](const crack::Progress& p) {
            ++calls;
            QVERIFY(p.units == 10000000);
            cancel = true;
        };
        auto a = crack::search(target(token), **mask, o, progress, &cancel);
        QVERIFY(a.has_value());
        QVERIFY(a->cancelled);
        QVERIFY(calls >= 1);
        QVERIFY(a->position < 10000000);
        QCOMPARE(a->candidates, a->position); // one candidate per unit, all units before the position
        crack::SearchOptions rest;
        rest.startUnit = a->position;
        const auto b = run(token, **mask, rest);
        QVERIFY(!b.found);
        QCOMPARE(b.position, std::uint64_t(10000000));
        QCOMPARE(a->candidates + b.candidates, std::uint64_t(10000000));
    }

    // A run cancelled after about N candidates saves its position in a session file; a second run loads it, starts
    // there (the secret before it is not tried again) and finds the secret past it.
    void sessionFileStopsAndResumes()
    {
        QTemporaryDir dir;
        QByteArray words = randomWords(600000, 7);
        const QByteArray earlySecret = "early-secret-line";
        words.insert(qsizetype(words.indexOf('\n', 0)) + 1, earlySecret + '\n'); // line 1 (0-based)
        words.append("the-late-secret\n");                                       // last line: 600001
        const auto list = crack::WordlistSource::fromBytes(words, {});
        const QByteArray token = makeToken("the-late-secret");
        const crack::Target t = target(token);

        std::atomic<bool> cancel{false};
        crack::SearchOptions o;
        o.threads = 2;
        o.progressInterval = std::chrono::milliseconds(1);
        const std::uint64_t stopAfter = 50000;
        crack::CrackSession session{crack::sessionTokenDigest(t), QStringLiteral("test-list"), list->units()};
        const QString path = dir.filePath(QStringLiteral("s.json"));
        QList<std::uint64_t> saved;
        auto a = crack::search(
            t, *list, o,
            [&](const crack::Progress& p) {
                QVERIFY(p.resumeUnit <= p.position);
                session.position = p.resumeUnit;
                session.candidates = p.candidates;
                QVERIFY(crack::saveSession(path, session).has_value());
                saved << p.resumeUnit;
                if (p.candidates >= stopAfter) {
                    cancel = true;
                }
            },
            &cancel);
        QVERIFY(a.has_value());
        QVERIFY(a->cancelled);
        QVERIFY(!a->found);
        QVERIFY(a->position >= stopAfter);
        QVERIFY(a->position < list->units());
        QCOMPARE(saved.last(), a->position); // the final snapshot is exact
        session.position = a->position;
        session.candidates = a->candidates;
        QVERIFY(crack::saveSession(path, session).has_value());

        const auto loaded = crack::loadSession(path);
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->position, a->position);
        QCOMPARE(loaded->tokenDigest, crack::sessionTokenDigest(t));
        const auto start = crack::resumePosition(*loaded, session);
        QCOMPARE(start.value(), a->position);
        crack::SearchOptions rest;
        rest.threads = 1;
        rest.startUnit = *start;
        const auto b = run(token, *list, rest);
        QVERIFY(b.found);
        QCOMPARE(b.secret.reveal(), QByteArray("the-late-secret"));
        // From the saved position to the last line, nothing before it again.
        QCOMPARE(b.candidates, list->units() - a->position);
        QCOMPARE(a->candidates + b.candidates, list->units());

        // The early secret lies before the position: a resumed run cannot find it.
        const auto other = crack::search(target(makeToken(earlySecret)), *list, rest);
        QVERIFY(other.has_value());
        QVERIFY(!other->found);
        QCOMPARE(other->candidates, list->units() - a->position);
    }

    void sessionMismatchAndDamage()
    {
        const crack::CrackSession s{QString(64, QLatin1Char('a')), QStringLiteral("mask:?d"), 10, 4, 4, false, false};
        const auto back = crack::sessionFromJson(crack::sessionToJson(s));
        QVERIFY(back.has_value());
        QCOMPARE(back->source, s.source);
        QCOMPARE(back->units, std::uint64_t(10));
        QCOMPARE(back->position, std::uint64_t(4));
        QCOMPARE(crack::resumePosition(*back, s).value(), std::uint64_t(4));
        crack::CrackSession other = s;
        other.tokenDigest = QString(64, QLatin1Char('b'));
        QCOMPARE(crack::resumePosition(s, other).error().message,
                 QStringLiteral("The session belongs to another token."));
        other = s;
        other.source = QStringLiteral("mask:?d?d");
        QVERIFY(crack::resumePosition(s, other).error().message.contains(QStringLiteral("\"mask:?d\"")));
        other = s;
        other.units = 11;
        QVERIFY(crack::resumePosition(s, other).error().message.contains(QStringLiteral("10 units")));
        QCOMPARE(crack::sessionFromJson("{}").error().code, tb::ErrorCode::BadJson);
        QByteArray bad = crack::sessionToJson(s);
        bad.replace("\"position\": \"4\"", "\"position\": \"11\"");
        QCOMPARE(crack::sessionFromJson(bad).error().code, tb::ErrorCode::BadJson);
        QVERIFY(!crack::loadSession(QStringLiteral("/nonexistent/session.json")).has_value());
    }

    void progressReportsKeyspaceRateAndEta()
    {
        auto mask = crack::MaskSource::create("?d?d?d?d?d?d", {});
        crack::SearchOptions o;
        o.threads = 2;
        o.progressInterval = std::chrono::milliseconds(1);
        QList<crack::Progress> seen;
        const auto r =
            crack::search(target(makeToken("no")), **mask, o, [&](const crack::Progress& p) { seen.append(p); });
        QVERIFY(r.has_value());
        QVERIFY(!seen.isEmpty());
        const crack::Progress last = seen.last();
        QCOMPARE(last.units, std::uint64_t(1000000));
        QCOMPARE(last.keyspace, 1000000.0);
        QCOMPARE(last.candidates, r->candidates);
        QCOMPARE(last.position, std::uint64_t(1000000));
        QCOMPARE(r->candidates, std::uint64_t(1000000));
        QVERIFY(last.rate > 0);
        QCOMPARE(last.etaSeconds, 0.0);
        for (qsizetype i = 1; i < seen.size(); ++i) {
            QVERIFY(seen[i].candidates >= seen[i - 1].candidates);
        }
        QCOMPARE(r->threads, 2);
    }

    void unsupportedKernelIsAnError()
    {
        for (auto k : allKernels()) {
            if (crack::kernelSupported(k)) {
                continue;
            }
            const crack::WordsSource words({"a"}, {});
            crack::SearchOptions o;
            o.kernel = k;
            const auto r = crack::search(target(makeToken("a")), words, o);
            QVERIFY(!r);
            QCOMPARE(r.error().code, tb::ErrorCode::Unsupported);
        }
        crack::KernelKind parsed = crack::KernelKind::Auto;
        QVERIFY(crack::kernelFromName(QStringLiteral("sha-ni"), &parsed));
        QCOMPARE(parsed, crack::KernelKind::ShaNi);
        QVERIFY(!crack::kernelFromName(QStringLiteral("gpu"), &parsed));
    }

    // Generating [0, k) then [k, n) gives exactly what [0, n) gives, across the wordlist's index blocks.
    void generationSplitsExactly()
    {
        const auto source = crack::WordlistSource::fromBytes(randomWords(1000, 11), {true, true});
        Collect whole;
        QVERIFY(source->generate(0, 1000, whole));
        for (std::uint64_t k : {1u, 255u, 256u, 257u, 513u, 999u}) {
            Collect parts;
            QVERIFY(source->generate(0, k, parts));
            QVERIFY(source->generate(k, 1000, parts));
            QCOMPARE(parts.items, whole.items);
        }
        crack::ChainSource chain;
        chain.append(crack::WordlistSource::fromBytes("a\nb\n", {}));
        chain.append(crack::MaskSource::create("?d", {}).value());
        Collect c;
        QVERIFY(chain.generate(1, 4, c));
        QCOMPARE(c.items, (QList<QByteArray>{"b", "0", "1"}));
    }

    void exportsAreExact()
    {
        const QByteArray jwtio =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwia"
            "WF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        const auto t = target(jwtio);
        const auto hc = crack::hashcatLine(t);
        QCOMPARE(hc.line, jwtio);
        QVERIFY(hc.warnings.isEmpty());
        const auto john = crack::johnLine(t);
        QCOMPARE(john.line,
                 QByteArray("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9l"
                            "IiwiaWF0IjoxNTE2MjM5MDIyfQ#49f94ac7044948c78a285d904f87f0a4c7897f7e8f3a4eb2255fda"
                            "750b2cc397"));
        QVERIFY(john.warnings.isEmpty());
    }

    void exportWarnsPastToolLimits()
    {
        // A payload segment of exactly 2,047 characters passes hashcat; 2,048 does not.
        const QByteArray ok = makeToken("HS256", "k", "\"" + QByteArray(1532, 'a') + "\"");
        QCOMPARE(target(ok).signingInput.size() - target(ok).signingInput.indexOf('.') - 1, 2046);
        QVERIFY(crack::hashcatLine(target(ok)).warnings.isEmpty());
        const QByteArray big = makeToken("HS256", "k", "\"" + QByteArray(1534, 'a') + "\"");
        const auto hc = crack::hashcatLine(target(big));
        QCOMPARE(hc.line, big);
        QCOMPARE(hc.warnings.size(), 1);
        QVERIFY(hc.warnings[0].contains(QStringLiteral("2047")));
        QVERIFY(hc.warnings[0].contains(QStringLiteral("payload segment has 2048")));
        const auto john = crack::johnLine(target(big));
        QCOMPARE(john.warnings.size(), 1);
        QVERIFY(john.warnings[0].contains(QStringLiteral("1023")));
    }

    void nonHsTokensAreRefused_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("code");
        const auto seg = [](const QByteArray& s) { return tb::jose::base64UrlEncode(s); };
        QTest::newRow("RS256") << seg(R"({"alg":"RS256"})") + '.' + seg("{}") + '.' + seg(QByteArray(256, 'x'))
                               << int(tb::ErrorCode::Unsupported);
        QTest::newRow("none") << seg(R"({"alg":"none"})") + '.' + seg("{}") + '.' << int(tb::ErrorCode::Unsupported);
        QTest::newRow("JWE") << seg(R"({"alg":"dir","enc":"A128GCM"})") + "..AAAA.AAAA.AAAA"
                             << int(tb::ErrorCode::Unsupported);
        QTest::newRow("no alg") << seg(R"({"typ":"JWT"})") + '.' + seg("{}") + '.' + seg(QByteArray(32, 'x'))
                                << int(tb::ErrorCode::Unsupported);
        QTest::newRow("short tag") << seg(R"({"alg":"HS256"})") + '.' + seg("{}") + '.' + seg(QByteArray(31, 'x'))
                                   << int(tb::ErrorCode::MalformedToken);
        QTest::newRow("garbage") << QByteArray("not a token") << -1;
    }
    void nonHsTokensAreRefused()
    {
        QFETCH(QByteArray, token);
        QFETCH(int, code);
        const auto t = crack::targetFromToken(token);
        QVERIFY(!t);
        if (code >= 0) {
            QCOMPARE(int(t.error().code), code);
        }
        if (code == int(tb::ErrorCode::Unsupported)) {
            QVERIFY(t.error().message.contains(QStringLiteral("only to HS256/HS384/HS512")));
        }
    }
};

QTEST_GUILESS_MAIN(TestCrack)
#include "tst_crack.moc"
