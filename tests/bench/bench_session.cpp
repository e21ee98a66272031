// Session lab figures (issue 5), measured in one run on this machine; asserts nothing.
// 1. 20,000 × 128-bit IDs: generation through tb::session::generateIds beside raw RAND_bytes, then the full
//    analysis battery (goal: well under 1 s), median of TB_BENCH_RUNS runs (default 3).
// 2. Session-store lookup latency p50/p99 (wall clock, one lookup per call) for the in-memory, SQLite (file) and
//    Redis (a redis-server this program starts on loopback) stores, beside the raw OpenSSL cost of verifying a
//    JWT signature (HMAC-SHA256 with EVP_Q_mac, ECDSA P-256 with EVP_DigestVerify) on a ~300-byte token, and
//    tokenbench's full verification path (tb::validate::verifyToken) per algorithm.
#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include "session/Analyzer.h"
#include "session/LocalRedis.h"
#include "session/MemoryStore.h"
#include "session/RedisStore.h"
#include "session/SessionId.h"
#include "session/SqliteStore.h"
#include "session/StoreBench.h"

using namespace tb::session;

namespace {

constexpr int sampleSize = 20000;
constexpr int storeSessions = 10000;
constexpr int storeLookups = 20000;
constexpr qint64 nowMs = 1795000000000;
volatile std::size_t g_sink = 0;

int runs()
{
    const int n = qEnvironmentVariableIntValue("TB_BENCH_RUNS");
    return n > 0 ? n : 3;
}

double medianMs(const std::function<void()>& work)
{
    std::vector<double> ms;
    for (int i = 0; i < runs(); ++i) {
        QElapsedTimer t;
        t.start();
        work();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

void analysisFigures()
{
    std::printf("-- %d x 128-bit session IDs (median of %d runs)\n", sampleSize, runs());
    QList<QByteArray> ids;
    const double genMs = medianMs([&] { ids = *generateIds(IdSpec{}, sampleSize); });
    const double rawMs = medianMs([] {
        std::array<unsigned char, 16> buf{};
        for (int i = 0; i < sampleSize; ++i) {
            if (RAND_bytes(buf.data(), int(buf.size())) == 1) {
                g_sink = g_sink + buf[0];
            }
        }
    });
    std::printf("%-44s %9.2f ms\n", "generate (tb, base64url)", genMs);
    std::printf("%-44s %9.2f ms   tb/raw %.2fx\n", "generate (raw RAND_bytes, 16 B each)", rawMs, genMs / rawMs);

    QByteArray text;
    for (const QByteArray& id : ids) {
        text += id + '\n';
    }
    const double parseMs = medianMs([&] { g_sink = g_sink + std::size_t(parseSample(text)->size()); });
    const double structureMs = medianMs([&] { g_sink = g_sink + detectStructure(ids, nowMs).size(); });
    Analysis last;
    const double analyseMs = medianMs([&] {
        AnalysisOptions options;
        options.captureMs = nowMs;
        last = *analyze(ids, options);
    });
    std::printf("%-44s %9.2f ms\n", "parse the sample text", parseMs);
    std::printf("%-44s %9.2f ms\n", "structure detection alone", structureMs);
    std::printf("%-44s %9.2f ms   (goal < 1000 ms: %.2fx of the budget)\n", "full battery (analyze, incl. structure)",
                analyseMs, analyseMs / 1000.0);
    std::printf("%-44s %s, %d bits tested, effective %d bits at 1 %%\n", "verdict",
                qPrintable(verdictName(last.verdict)), last.maxBits, effectiveBitsAt(last, 1.0));
}

// Raw OpenSSL verification of one JWT-sized input: the floor under any JWT library.
struct RawJwt
{
    QByteArray input = QByteArray(300, 'a');
    std::array<unsigned char, 32> key{};
    std::array<unsigned char, 32> mac{};
    EVP_PKEY* ec = nullptr;
    std::vector<unsigned char> sig;

    RawJwt()
    {
        RAND_bytes(key.data(), int(key.size()));
        std::size_t len = 0;
        EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                  reinterpret_cast<const unsigned char*>(input.constData()), std::size_t(input.size()), mac.data(),
                  mac.size(), &len);
        ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        std::size_t sigLen = 0;
        EVP_DigestSignInit_ex(ctx, nullptr, "SHA256", nullptr, nullptr, ec, nullptr);
        EVP_DigestSign(ctx, nullptr, &sigLen, reinterpret_cast<const unsigned char*>(input.constData()),
                       std::size_t(input.size()));
        sig.resize(sigLen);
        EVP_DigestSign(ctx, sig.data(), &sigLen, reinterpret_cast<const unsigned char*>(input.constData()),
                       std::size_t(input.size()));
        sig.resize(sigLen);
        EVP_MD_CTX_free(ctx);
    }
    ~RawJwt() { EVP_PKEY_free(ec); }
    RawJwt(const RawJwt&) = delete;
    RawJwt& operator=(const RawJwt&) = delete;

    bool hs256() const
    {
        std::array<unsigned char, 32> out{};
        std::size_t len = 0;
        EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, key.data(), key.size(),
                  reinterpret_cast<const unsigned char*>(input.constData()), std::size_t(input.size()), out.data(),
                  out.size(), &len);
        return CRYPTO_memcmp(out.data(), mac.data(), out.size()) == 0;
    }
    bool es256() const
    {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        const bool ok =
            EVP_DigestVerifyInit_ex(ctx, nullptr, "SHA256", nullptr, nullptr, ec, nullptr) == 1 &&
            EVP_DigestVerify(ctx, sig.data(), sig.size(), reinterpret_cast<const unsigned char*>(input.constData()),
                             std::size_t(input.size())) == 1;
        EVP_MD_CTX_free(ctx);
        return ok;
    }
};

LatencySummary timeCalls(const std::function<bool()>& op, int count)
{
    std::vector<double> us;
    us.reserve(std::size_t(count));
    QElapsedTimer t;
    for (int i = 0; i < count; ++i) {
        t.start();
        const bool ok = op();
        us.push_back(double(t.nsecsElapsed()) / 1000.0);
        g_sink = g_sink + (ok ? 1 : 0);
    }
    LatencySummary r;
    r.samples = count;
    double sum = 0;
    for (const double v : us) {
        sum += v;
    }
    r.meanUs = sum / count;
    r.p50Us = percentile(us, 50);
    r.p99Us = percentile(us, 99);
    return r;
}

void row(const char* name, const LatencySummary& s, double baseP50)
{
    std::printf("%-40s %10.2f %10.2f %10.2f %10.1fx\n", name, s.p50Us, s.p99Us, s.meanUs, s.p50Us / baseP50);
}

void storeFigures()
{
    std::printf("\n-- lookup latency, %d sessions, %d lookups (wall clock, microseconds)\n", storeSessions,
                storeLookups);
    std::printf("%-40s %10s %10s %10s %11s\n", "operation", "p50 us", "p99 us", "mean us", "p50/HS256");
    RawJwt jwt;
    const LatencySummary hs = timeCalls([&] { return jwt.hs256(); }, storeLookups);
    row("raw OpenSSL HMAC-SHA256 verify (HS256)", hs, hs.p50Us);
    row("raw OpenSSL ECDSA P-256 verify (ES256)", timeCalls([&] { return jwt.es256(); }, 5000), hs.p50Us);
    for (const tb::jose::Alg alg : {tb::jose::Alg::HS256, tb::jose::Alg::RS256, tb::jose::Alg::PS256,
                                    tb::jose::Alg::ES256, tb::jose::Alg::EdDSA}) {
        const QByteArray name = "tokenbench verifyToken " + tb::jose::algName(alg).toUtf8();
        if (auto r = measureJwtVerifyLatency(alg, 5000)) {
            row(name.constData(), *r, hs.p50Us);
        } else {
            std::printf("%-40s failed: %s\n", name.constData(), qPrintable(r.error().message));
        }
    }

    MemoryStore memory;
    if (auto r = measureLookupLatency(memory, storeSessions, storeLookups, nowMs)) {
        row("session store: memory", *r, hs.p50Us);
    }
    QTemporaryDir dir;
    if (auto sqlite = SqliteStore::open(dir.filePath(QStringLiteral("sessions.sqlite")))) {
        if (auto r = measureLookupLatency(**sqlite, storeSessions, storeLookups, nowMs)) {
            row("session store: SQLite (file, Qt Sql)", *r, hs.p50Us);
        } else {
            std::printf("SQLite store failed: %s\n", qPrintable(r.error().message));
        }
    }
    auto server = LocalRedisServer::start();
    if (!server) {
        std::printf("%-40s skipped: %s\n", "session store: Redis", qPrintable(server.error().message));
        return;
    }
    auto redis = RedisStore::connect((*server)->host(), (*server)->port(), 1000);
    if (!redis) {
        std::printf("Redis store failed: %s\n", qPrintable(redis.error().message));
        return;
    }
    if (auto r = measureLookupLatency(**redis, storeSessions, storeLookups, nowMs)) {
        row("session store: Redis (loopback, hiredis)", *r, hs.p50Us);
    } else {
        std::printf("Redis store failed: %s\n", qPrintable(r.error().message));
    }
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    analysisFigures();
    storeFigures();
    return 0;
}
