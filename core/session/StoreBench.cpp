#include "StoreBench.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include <QElapsedTimer>

#include "jose/Jws.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

namespace tb::session {

namespace {

LatencySummary summarise(std::vector<double>& micros)
{
    LatencySummary r;
    r.samples = int(micros.size());
    r.meanUs = std::accumulate(micros.begin(), micros.end(), 0.0) / double(micros.size());
    r.p50Us = percentile(micros, 50);
    r.p99Us = percentile(micros, 99);
    return r;
}

bool cancelled(const std::atomic<bool>* cancel)
{
    return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

// A typical access token's claims (~300 bytes once signed with HS256).
const QByteArray benchPayload = R"({"iss":"https://auth.example.com","sub":"user-4711","aud":"api.example.com",)"
                                R"("iat":1795000000,"nbf":1795000000,"exp":1795000900,"scope":"orders:read )"
                                R"(orders:write","jti":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"})";
constexpr double benchNow = 1795000100; // inside [nbf, exp) of the payload

} // namespace

double percentile(std::vector<double>& samples, double p)
{
    if (samples.empty()) {
        return 0;
    }
    std::sort(samples.begin(), samples.end());
    const auto rank = std::size_t(std::ceil(p / 100.0 * double(samples.size())));
    return samples[std::clamp<std::size_t>(rank, 1, samples.size()) - 1];
}

Result<LatencySummary> measureLookupLatency(SessionStore& store, int sessions, int lookups, qint64 nowMs,
                                            const std::function<void(int)>& progress, const std::atomic<bool>* cancel)
{
    if (sessions < 1 || lookups < 1) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The benchmark needs at least one session and one look-up."));
    }
    std::vector<QByteArray> ids;
    for (int i = 0; i < sessions; ++i) {
        auto s = store.create(QStringLiteral("user%1").arg(i % 100), nowMs);
        if (!s) {
            return std::unexpected(s.error());
        }
        ids.push_back(s->id);
    }
    std::vector<double> micros;
    micros.reserve(std::size_t(lookups));
    quint64 pick = 0x9E3779B97F4A7C15ULL;
    QElapsedTimer timer;
    for (int i = 0; i < lookups; ++i) {
        if (cancelled(cancel)) {
            return fail(ErrorCode::Cancelled, QStringLiteral("The store benchmark was cancelled."));
        }
        pick = pick * 6364136223846793005ULL + 1442695040888963407ULL;
        const QByteArray& id = ids[std::size_t((pick >> 33) % ids.size())];
        timer.start();
        auto found = store.lookup(id, nowMs + 1);
        const double us = double(timer.nsecsElapsed()) / 1000.0;
        if (!found) {
            return std::unexpected(found.error());
        }
        if (!found->has_value()) {
            return fail(ErrorCode::InvalidData,
                        QStringLiteral("The %1 store lost a session during the benchmark.").arg(store.kind()));
        }
        micros.push_back(us);
        if (progress && i % 256 == 0) {
            progress(int(100LL * i / lookups));
        }
    }
    const LatencySummary r = summarise(micros);
    if (progress) {
        progress(100);
    }
    return r;
}

Result<LatencySummary> measureJwtVerifyLatency(jose::Alg alg, int count, const std::function<void(int)>& progress,
                                               const std::atomic<bool>* cancel)
{
    if (count < 1 || alg == jose::Alg::None) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The verification benchmark needs a signing algorithm and at least one run."));
    }
    auto key = keys::generateKey(alg);
    if (!key) {
        return std::unexpected(key.error());
    }
    auto token = jose::signCompact(alg, key->get(), jose::defaultHeader(alg), benchPayload);
    if (!token) {
        return std::unexpected(token.error());
    }
    validate::Policy policy;
    policy.allowedAlgs = QList<jose::Alg>{alg};
    policy.now = benchNow;
    // Public-key algorithms verify with the public half only, as a resource server would.
    keys::KeyPtr verifyKey = *key;
    if ((*key)->type() != keys::KeyType::Oct) {
        auto pem = keys::exportPem(**key, keys::KeyPart::Public);
        auto pub = pem ? keys::importKey(*pem) : Result<keys::KeyPtr>(std::unexpected(pem.error()));
        if (!pub) {
            return std::unexpected(pub.error());
        }
        verifyKey = *pub;
    }
    const validate::KeyInput keyInput{verifyKey, {}, QStringLiteral("benchmark key")};
    std::vector<double> micros;
    micros.reserve(std::size_t(count));
    QElapsedTimer timer;
    for (int i = 0; i < count; ++i) {
        if (cancelled(cancel)) {
            return fail(ErrorCode::Cancelled, QStringLiteral("The verification benchmark was cancelled."));
        }
        timer.start();
        auto report = validate::verifyToken(*token, keyInput, policy);
        const double us = double(timer.nsecsElapsed()) / 1000.0;
        if (!report || !report->valid) {
            return fail(ErrorCode::CryptoFailure,
                        QStringLiteral("A %1 token did not verify during the benchmark.").arg(jose::algName(alg)));
        }
        micros.push_back(us);
        if (progress && i % 64 == 0) {
            progress(int(100LL * i / count));
        }
    }
    const LatencySummary r = summarise(micros);
    if (progress) {
        progress(100);
    }
    return r;
}

} // namespace tb::session
