#include "audit/crack/Crack.h"

#include <algorithm>
#include <bit>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/Bytes.h"
#include "crypto/Ossl.h"
#include "jose/Compact.h"

namespace tb::audit::crack {

namespace {

const char* digestName(HmacAlg alg)
{
    switch (alg) {
    case HmacAlg::HS256:
        return "SHA256";
    case HmacAlg::HS384:
        return "SHA384";
    case HmacAlg::HS512:
        return "SHA512";
    }
    return "SHA256";
}

int tagBytes(HmacAlg alg)
{
    return alg == HmacAlg::HS256 ? 32 : alg == HmacAlg::HS384 ? 48 : 64;
}

const unsigned char* keyPointer(const std::uint8_t* data, std::size_t size)
{
    // EVP_MAC_init refuses a null key even of length 0 (STYLE cheat sheet): give the empty secret a real address.
    static const unsigned char empty = 0;
    return size == 0 || data == nullptr ? &empty : data;
}

const unsigned char* u8(QByteArrayView v)
{
    return keyPointer(reinterpret_cast<const std::uint8_t*>(v.data()), std::size_t(v.size()));
}

std::uint32_t loadBe32(const std::uint8_t* p)
{
    std::uint32_t w = 0;
    std::memcpy(&w, p, sizeof w);
    if constexpr (std::endian::native == std::endian::little) {
        w = __builtin_bswap32(w);
    }
    return w;
}

QString unsupportedSentence(const QString& what)
{
    return QStringLiteral("Cracking applies only to HS256/HS384/HS512 tokens (HMAC with a shared secret); %1.")
        .arg(what);
}

// State shared by the workers of one search.
struct Shared
{
    const Target* target = nullptr;
    const CandidateSource* source = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    std::uint64_t end = 0;
    std::uint64_t chunk = 1;
    std::atomic<std::uint64_t> next{0};
    std::atomic<std::uint64_t> candidates{0};
    std::atomic<std::uint64_t> unitsDone{0};
    std::atomic<bool> stop{false};
    // Per worker: the first unit of the chunk it is on, or kIdle. Published before the claim (see claim()).
    static constexpr std::uint64_t kIdle = ~std::uint64_t(0);
    std::vector<std::atomic<std::uint64_t>> inFlight;
    std::mutex mutex;
    std::condition_variable finished;
    int running = 0;
    bool found = false;
    SecretBytes secret;
    std::optional<Error> error;

    bool cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }

    // The lowest unit that may not be done yet: a position from which a later run misses nothing.
    std::uint64_t resumeUnit() const
    {
        std::uint64_t lowest = std::min(next.load(), end);
        for (const auto& unit : inFlight) {
            lowest = std::min(lowest, unit.load());
        }
        return lowest;
    }

    // Claims the next chunk of units, or returns false when there is none. The worker's in-flight unit is stored
    // before `next` moves past it, so resumeUnit() never skips a chunk that is claimed but not done.
    bool claim(std::size_t worker, std::uint64_t* begin, std::uint64_t* stopAt)
    {
        std::uint64_t cur = next.load();
        while (true) {
            if (cur >= end) {
                inFlight[worker] = kIdle;
                return false;
            }
            inFlight[worker] = cur;
            const std::uint64_t to = end - cur > chunk ? cur + chunk : end;
            if (next.compare_exchange_weak(cur, to)) {
                *begin = cur;
                *stopAt = to;
                return true;
            }
        }
    }

    // Every hit is confirmed by OpenSSL before it is reported.
    bool report(const std::uint8_t* key, std::size_t size)
    {
        const QByteArrayView k(reinterpret_cast<const char*>(keyPointer(key, size)), qsizetype(size));
        const auto ref = referenceHmac(target->alg, k, target->signingInput);
        if (!ref || ref->size() != target->signature.size() ||
            CRYPTO_memcmp(ref->constData(), target->signature.constData(), std::size_t(ref->size())) != 0) {
            return false;
        }
        const std::lock_guard lock(mutex);
        if (!found) {
            found = true;
            secret = SecretBytes(std::span<const std::uint8_t>(keyPointer(key, size), size));
        }
        stop = true;
        return true;
    }
};

class Checker : public CandidateSink
{
public:
    // Runs what is buffered; false when the search should stop.
    virtual bool flush() = 0;
    std::uint64_t takeCount() { return std::exchange(m_count, 0); }

protected:
    std::uint64_t m_count = 0;
};

// HS256 on a multi-lane kernel: candidates are buffered lane by lane and checked a batch at a time.
class LaneChecker final : public Checker
{
public:
    LaneChecker(Shared& shared, const Sha256Kernel& kernel, const Sha256Plan& plan, const EVP_MD* sha256)
        : m_shared(shared)
        , m_kernel(kernel)
        , m_plan(plan)
        , m_sha256(sha256)
        , m_keyWords(16 * std::size_t(kernel.lanes), 0)
        , m_digests(8 * std::size_t(kernel.lanes), 0)
        , m_sizes(std::size_t(kernel.lanes), 0)
        , m_long(std::size_t(kernel.lanes))
    {
        const auto* sig = reinterpret_cast<const std::uint8_t*>(shared.target->signature.constData());
        for (std::size_t i = 0; i < 8; ++i) {
            m_tag[i] = loadBe32(sig + 4 * i);
        }
    }

    bool add(const std::uint8_t* data, std::size_t size) override
    {
        std::uint8_t block[64];
        if (size > 64) {
            // RFC 2104: a key longer than the block is replaced by its hash.
            unsigned int len = 0;
            if (EVP_Digest(data, size, block, &len, m_sha256, nullptr) != 1) {
                return false;
            }
            std::memset(block + 32, 0, 32);
            m_long[m_fill].assign(data, data + size);
        } else {
            if (size > 0) {
                std::memcpy(block, data, size);
            }
            std::memset(block + size, 0, 64 - size);
        }
        // Short keys are not copied: on a hit their bytes are read back from the key words.
        m_sizes[m_fill] = size;
        const auto lanes = std::size_t(m_kernel.lanes);
        for (std::size_t i = 0; i < 16; ++i) {
            m_keyWords[i * lanes + m_fill] = loadBe32(block + 4 * i);
        }
        if (++m_fill == lanes) {
            return flush();
        }
        return true;
    }

    bool flush() override
    {
        if (m_fill == 0) {
            return !m_shared.stop.load(std::memory_order_relaxed);
        }
        const auto lanes = std::size_t(m_kernel.lanes);
        m_kernel.fn(m_plan.wk.data(), m_plan.blocks, m_keyWords.data(), m_digests.data());
        for (std::size_t l = 0; l < m_fill; ++l) {
            if (m_digests[l] != m_tag[0]) {
                continue;
            }
            bool all = true;
            for (std::size_t i = 1; i < 8 && all; ++i) {
                all = m_digests[i * lanes + l] == m_tag[i];
            }
            if (all && reportLane(l)) {
                m_count += l + 1;
                m_fill = 0;
                return false;
            }
        }
        m_count += m_fill;
        m_fill = 0;
        return !m_shared.stop.load(std::memory_order_relaxed);
    }

private:
    bool reportLane(std::size_t lane)
    {
        if (m_sizes[lane] > 64) {
            return m_shared.report(m_long[lane].data(), m_long[lane].size());
        }
        const auto lanes = std::size_t(m_kernel.lanes);
        std::uint8_t key[64];
        for (std::size_t i = 0; i < 16; ++i) {
            const std::uint32_t w = m_keyWords[i * lanes + lane];
            key[4 * i] = std::uint8_t(w >> 24);
            key[4 * i + 1] = std::uint8_t(w >> 16);
            key[4 * i + 2] = std::uint8_t(w >> 8);
            key[4 * i + 3] = std::uint8_t(w);
        }
        const bool ok = m_shared.report(key, m_sizes[lane]);
        OPENSSL_cleanse(key, sizeof key);
        return ok;
    }

    Shared& m_shared;
    Sha256Kernel m_kernel;
    const Sha256Plan& m_plan;
    const EVP_MD* m_sha256;
    std::vector<std::uint32_t> m_keyWords;
    std::vector<std::uint32_t> m_digests;
    std::vector<std::size_t> m_sizes;
    std::vector<std::vector<std::uint8_t>> m_long; // keys over 64 bytes, kept for the report
    std::uint32_t m_tag[8] = {};
    std::size_t m_fill = 0;
};

std::uint64_t loadBe64(const std::uint8_t* p)
{
    std::uint64_t w = 0;
    std::memcpy(&w, p, sizeof w);
    if constexpr (std::endian::native == std::endian::little) {
        w = __builtin_bswap64(w);
    }
    return w;
}

// HS384/HS512 on a multi-lane SHA-512 kernel: the 64-bit twin of LaneChecker (128-byte key blocks).
class LaneChecker64 final : public Checker
{
public:
    LaneChecker64(Shared& shared, const Sha512Kernel& kernel, const Sha512Plan& plan, const EVP_MD* md)
        : m_shared(shared)
        , m_kernel(kernel)
        , m_plan(plan)
        , m_md(md)
        , m_sha384(shared.target->alg == HmacAlg::HS384)
        , m_tagWords(m_sha384 ? 6 : 8)
        , m_keyWords(16 * std::size_t(kernel.lanes), 0)
        , m_digests(8 * std::size_t(kernel.lanes), 0)
        , m_sizes(std::size_t(kernel.lanes), 0)
        , m_long(std::size_t(kernel.lanes))
    {
        const auto* sig = reinterpret_cast<const std::uint8_t*>(shared.target->signature.constData());
        for (std::size_t i = 0; i < m_tagWords; ++i) {
            m_tag[i] = loadBe64(sig + 8 * i);
        }
    }

    bool add(const std::uint8_t* data, std::size_t size) override
    {
        std::uint8_t block[128];
        if (size > 128) {
            // RFC 2104: a key longer than the block is replaced by its hash (SHA-384 or SHA-512).
            unsigned int len = 0;
            if (EVP_Digest(data, size, block, &len, m_md, nullptr) != 1) {
                return false;
            }
            std::memset(block + len, 0, 128 - len);
            m_long[m_fill].assign(data, data + size);
        } else {
            if (size > 0) {
                std::memcpy(block, data, size);
            }
            std::memset(block + size, 0, 128 - size);
        }
        m_sizes[m_fill] = size;
        const auto lanes = std::size_t(m_kernel.lanes);
        for (std::size_t i = 0; i < 16; ++i) {
            m_keyWords[i * lanes + m_fill] = loadBe64(block + 8 * i);
        }
        if (++m_fill == lanes) {
            return flush();
        }
        return true;
    }

    bool flush() override
    {
        if (m_fill == 0) {
            return !m_shared.stop.load(std::memory_order_relaxed);
        }
        const auto lanes = std::size_t(m_kernel.lanes);
        m_kernel.fn(m_sha384, m_plan.wk.data(), m_plan.blocks, m_keyWords.data(), m_digests.data());
        for (std::size_t l = 0; l < m_fill; ++l) {
            if (m_digests[l] != m_tag[0]) {
                continue;
            }
            bool all = true;
            for (std::size_t i = 1; i < m_tagWords && all; ++i) {
                all = m_digests[i * lanes + l] == m_tag[i];
            }
            if (all && reportLane(l)) {
                m_count += l + 1;
                m_fill = 0;
                return false;
            }
        }
        m_count += m_fill;
        m_fill = 0;
        return !m_shared.stop.load(std::memory_order_relaxed);
    }

private:
    bool reportLane(std::size_t lane)
    {
        if (m_sizes[lane] > 128) {
            return m_shared.report(m_long[lane].data(), m_long[lane].size());
        }
        const auto lanes = std::size_t(m_kernel.lanes);
        std::uint8_t key[128];
        for (std::size_t i = 0; i < 16; ++i) {
            const std::uint64_t w = m_keyWords[i * lanes + lane];
            for (std::size_t j = 0; j < 8; ++j) {
                key[8 * i + j] = std::uint8_t(w >> (56 - 8 * j));
            }
        }
        const bool ok = m_shared.report(key, m_sizes[lane]);
        OPENSSL_cleanse(key, sizeof key);
        return ok;
    }

    Shared& m_shared;
    Sha512Kernel m_kernel;
    const Sha512Plan& m_plan;
    const EVP_MD* m_md;
    bool m_sha384;
    std::size_t m_tagWords;
    std::vector<std::uint64_t> m_keyWords;
    std::vector<std::uint64_t> m_digests;
    std::vector<std::size_t> m_sizes;
    std::vector<std::vector<std::uint8_t>> m_long;
    std::uint64_t m_tag[8] = {};
    std::size_t m_fill = 0;
};

// One candidate at a time through a reused EVP_MAC context (HS384/HS512, or the OpenSSL kernel).
class EvpChecker final : public Checker
{
public:
    EvpChecker(Shared& shared, crypto::MacCtxPtr ctx)
        : m_shared(shared)
        , m_ctx(std::move(ctx))
    {}

    bool add(const std::uint8_t* data, std::size_t size) override
    {
        const QByteArray& msg = m_shared.target->signingInput;
        const QByteArray& tag = m_shared.target->signature;
        unsigned char out[EVP_MAX_MD_SIZE];
        std::size_t outLen = 0;
        ++m_count;
        if (EVP_MAC_init(m_ctx.get(), keyPointer(data, size), size, nullptr) != 1 ||
            EVP_MAC_update(m_ctx.get(), u8(msg), std::size_t(msg.size())) != 1 ||
            EVP_MAC_final(m_ctx.get(), out, &outLen, sizeof out) != 1) {
            const std::lock_guard lock(m_shared.mutex);
            m_shared.error = Error{ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not compute an HMAC."),
                                   crypto::takeOpensslErrors()};
            m_shared.stop = true;
            return false;
        }
        if (outLen == std::size_t(tag.size()) && CRYPTO_memcmp(out, tag.constData(), outLen) == 0 &&
            m_shared.report(data, size)) {
            return false;
        }
        return (m_count & 1023) != 0 || !m_shared.stop.load(std::memory_order_relaxed);
    }

    bool flush() override { return !m_shared.stop.load(std::memory_order_relaxed); }

private:
    Shared& m_shared;
    crypto::MacCtxPtr m_ctx;
};

void work(Shared& shared, std::size_t worker, Checker& checker)
{
    std::uint64_t begin = 0;
    std::uint64_t stopAt = 0;
    // The cancel flag is read between chunks only, so every claimed chunk is finished: the position stays exact.
    while (!shared.stop.load() && !shared.cancelled() && shared.claim(worker, &begin, &stopAt)) {
        const bool more = shared.source->generate(begin, stopAt, checker) && checker.flush();
        shared.candidates += checker.takeCount();
        shared.unitsDone += stopAt - begin;
        shared.inFlight[worker] = Shared::kIdle;
        if (!more) {
            break;
        }
    }
}

Result<crypto::MacCtxPtr> macTemplate(HmacAlg alg)
{
    const crypto::MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    crypto::MacCtxPtr ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
    char* digest = const_cast<char*>(digestName(alg));
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!ctx || EVP_MAC_CTX_set_params(ctx.get(), params) != 1) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not set up HMAC."),
                    crypto::takeOpensslErrors());
    }
    return ctx;
}

} // namespace

QString hmacAlgName(HmacAlg alg)
{
    switch (alg) {
    case HmacAlg::HS256:
        return QStringLiteral("HS256");
    case HmacAlg::HS384:
        return QStringLiteral("HS384");
    case HmacAlg::HS512:
        return QStringLiteral("HS512");
    }
    return {};
}

Result<Target> targetFromToken(QByteArrayView token)
{
    auto parsed = jose::parseCompact(token);
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    if (parsed->kind == jose::TokenKind::Jwe) {
        return fail(ErrorCode::Unsupported, unsupportedSentence(QStringLiteral("this is a JWE (an encrypted token)")));
    }
    QJsonParseError jsonError;
    const QJsonDocument header = QJsonDocument::fromJson(parsed->header, &jsonError);
    if (!header.isObject()) {
        return fail(ErrorCode::BadJson, QStringLiteral("The token's header is not a JSON object."));
    }
    const QJsonValue algValue = header.object().value(QStringLiteral("alg"));
    if (!algValue.isString()) {
        return fail(ErrorCode::Unsupported, unsupportedSentence(QStringLiteral("this header has no alg string")));
    }
    const QString alg = algValue.toString();
    Target t;
    if (alg == QStringLiteral("HS256")) {
        t.alg = HmacAlg::HS256;
    } else if (alg == QStringLiteral("HS384")) {
        t.alg = HmacAlg::HS384;
    } else if (alg == QStringLiteral("HS512")) {
        t.alg = HmacAlg::HS512;
    } else {
        return fail(ErrorCode::Unsupported, unsupportedSentence(QStringLiteral("this token's alg is \"%1\"").arg(alg)));
    }
    if (!parsed->signatureCanonical) {
        return fail(ErrorCode::MalformedToken,
                    QStringLiteral("The signature segment is not canonical base64url, so it is not an HMAC tag."));
    }
    if (parsed->signature.size() != tagBytes(t.alg)) {
        return fail(ErrorCode::MalformedToken,
                    QStringLiteral("The %1 signature is %2 bytes; an HMAC-%3 tag is %4 bytes.")
                        .arg(alg)
                        .arg(parsed->signature.size())
                        .arg(QLatin1String(digestName(t.alg)))
                        .arg(tagBytes(t.alg)));
    }
    t.token = parsed->raw;
    t.signingInput = parsed->signingInput();
    t.signature = parsed->signature;
    t.header = parsed->header;
    t.payload = parsed->payload;
    return t;
}

Result<QByteArray> referenceHmac(HmacAlg alg, QByteArrayView key, QByteArrayView message)
{
    QByteArray out(tagBytes(alg), '\0');
    std::size_t outLen = 0;
    if (EVP_Q_mac(nullptr, "HMAC", nullptr, digestName(alg), nullptr, u8(key), std::size_t(key.size()), u8(message),
                  std::size_t(message.size()), reinterpret_cast<unsigned char*>(out.data()), std::size_t(out.size()),
                  &outLen) == nullptr ||
        outLen != std::size_t(out.size())) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not compute an HMAC."),
                    crypto::takeOpensslErrors());
    }
    return out;
}

Result<SearchResult> search(const Target& target, const CandidateSource& source, const SearchOptions& options,
                            const ProgressFn& progress, const std::atomic<bool>* cancel)
{
    const auto start = std::chrono::steady_clock::now();
    SearchResult result;
    result.units = source.units();

    // Pick the path: multi-lane SHA-256 kernels exist for HS256 only.
    KernelKind kind = options.kernel;
    const bool sha512 = target.alg != HmacAlg::HS256;
    if (kind == KernelKind::Auto) {
        // SHA-512 lanes: AVX-512 or AVX2 beat OpenSSL's single stream; without them OpenSSL beats the scalar one.
        kind = !sha512                               ? fastestSha256Kernel()
               : kernelSupported(KernelKind::Avx512) ? KernelKind::Avx512
               : kernelSupported(KernelKind::Avx2)   ? KernelKind::Avx2
                                                     : KernelKind::OpenSsl;
    } else if (sha512 && kind == KernelKind::ShaNi) {
        return fail(ErrorCode::Unsupported, QStringLiteral("The sha-ni kernel computes SHA-256 only; %1 runs on "
                                                           "openssl, scalar, avx2 or avx512.")
                                                .arg(hmacAlgName(target.alg)));
    } else if (!kernelSupported(kind)) {
        return fail(ErrorCode::Unsupported, QStringLiteral("This CPU cannot run the %1 kernel.").arg(kernelName(kind)));
    }
    result.kernel = kind;

    Shared shared;
    shared.target = &target;
    shared.source = &source;
    shared.cancel = cancel;
    const std::uint64_t first = std::min(options.startUnit, result.units);
    shared.next = first;
    shared.end =
        options.maxUnits > 0 && result.units - first > options.maxUnits ? first + options.maxUnits : result.units;
    // ~32k candidates a chunk: a few milliseconds, so a cancel is felt at once and threads share the tail well.
    const double perUnit = std::max(1.0, source.candidatesPerUnit());
    shared.chunk = std::max<std::uint64_t>(1, std::uint64_t(32768.0 / perUnit));

    int threads = options.threads > 0 ? options.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::clamp(threads, 1, 256);
    const std::uint64_t chunks = (shared.end - first + shared.chunk - 1) / shared.chunk;
    threads = int(std::max<std::uint64_t>(1, std::min<std::uint64_t>(std::uint64_t(threads), chunks)));
    result.threads = threads;

    const bool lanes256 = kind != KernelKind::OpenSsl && !sha512;
    const bool lanes512 = kind != KernelKind::OpenSsl && sha512;
    const Sha256Plan plan = lanes256 ? makeSha256Plan(target.signingInput) : Sha256Plan{};
    const Sha512Plan plan512 = lanes512 ? makeSha512Plan(target.signingInput) : Sha512Plan{};
    const Sha256Kernel kernel = sha256Kernel(kind);
    const Sha512Kernel kernel512 = sha512Kernel(kind);
    // The hash of the HMAC, for keys longer than its block.
    const crypto::MdPtr hashMd(EVP_MD_fetch(nullptr, digestName(target.alg), nullptr));
    auto macTpl = macTemplate(target.alg);
    if (!macTpl || !hashMd) {
        return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not set up HMAC."),
                    crypto::takeOpensslErrors());
    }
    std::vector<std::unique_ptr<Checker>> checkers;
    for (int i = 0; i < threads; ++i) {
        if (kind == KernelKind::OpenSsl) {
            crypto::MacCtxPtr ctx(EVP_MAC_CTX_dup(macTpl->get()));
            if (!ctx) {
                return fail(ErrorCode::CryptoFailure, QStringLiteral("OpenSSL could not set up HMAC."),
                            crypto::takeOpensslErrors());
            }
            checkers.push_back(std::make_unique<EvpChecker>(shared, std::move(ctx)));
        } else if (lanes512) {
            checkers.push_back(std::make_unique<LaneChecker64>(shared, kernel512, plan512, hashMd.get()));
        } else {
            checkers.push_back(std::make_unique<LaneChecker>(shared, kernel, plan, hashMd.get()));
        }
    }

    const auto snapshot = [&] {
        Progress p;
        p.candidates = shared.candidates.load();
        p.units = result.units;
        p.position = first + shared.unitsDone.load();
        p.resumeUnit = shared.resumeUnit();
        p.keyspace = double(result.units) * source.candidatesPerUnit();
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        p.rate = secs > 0 ? double(p.candidates) / secs : 0;
        const std::uint64_t done = shared.unitsDone.load();
        if (done > 0 && secs > 0) {
            p.etaSeconds = double(shared.end - std::min(shared.end, p.position)) * secs / double(done);
        }
        return p;
    };

    shared.inFlight = std::vector<std::atomic<std::uint64_t>>(std::size_t(threads));
    for (auto& unit : shared.inFlight) {
        unit = Shared::kIdle;
    }
    shared.running = threads;
    std::vector<std::thread> pool;
    pool.reserve(std::size_t(threads));
    for (int i = 0; i < threads; ++i) {
        pool.emplace_back([&shared, i, checker = checkers[std::size_t(i)].get()] {
            work(shared, std::size_t(i), *checker);
            const std::lock_guard lock(shared.mutex);
            --shared.running;
            shared.finished.notify_all();
        });
    }
    {
        std::unique_lock lock(shared.mutex);
        while (!shared.finished.wait_for(lock, options.progressInterval, [&] { return shared.running == 0; })) {
            if (progress) {
                lock.unlock();
                progress(snapshot());
                lock.lock();
            }
        }
    }
    for (std::thread& t : pool) {
        t.join();
    }
    if (progress) {
        progress(snapshot());
    }
    if (shared.error) {
        return std::unexpected(*shared.error);
    }
    result.found = shared.found;
    result.secret = std::move(shared.secret);
    result.candidates = shared.candidates.load();
    result.position = std::min(shared.next.load(), shared.end);
    result.cancelled = !result.found && shared.cancelled() && result.position < shared.end;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

ExportLine hashcatLine(const Target& target)
{
    ExportLine e;
    e.line = target.token;
    const qsizetype dot = target.signingInput.indexOf('.');
    const qsizetype headerChars = dot;
    const qsizetype payloadChars = target.signingInput.size() - dot - 1;
    for (auto [what, chars] :
         {std::pair{QStringLiteral("header"), headerChars}, std::pair{QStringLiteral("payload"), payloadChars}}) {
        if (chars > hashcatMaxSegmentChars) {
            e.warnings.append(QStringLiteral("hashcat -m 16500 (6.2.6) refuses header and payload segments longer than "
                                             "%1 characters (\"Token length exception\"); this token's %2 segment has "
                                             "%3.")
                                  .arg(hashcatMaxSegmentChars)
                                  .arg(what)
                                  .arg(chars));
        }
    }
    return e;
}

ExportLine johnLine(const Target& target)
{
    ExportLine e;
    e.line = target.signingInput + '#' + target.signature.toHex();
    const int simdMax = target.alg == HmacAlg::HS256 ? johnSimdMaxMessageSha256 : johnSimdMaxMessageSha512;
    const qsizetype n = target.signingInput.size();
    const QString format = QStringLiteral("HMAC-%1").arg(QLatin1String(digestName(target.alg)));
    if (n > johnMaxMessage) {
        e.warnings.append(QStringLiteral("John the Ripper's %1 format takes messages of at most %2 bytes; this signing "
                                         "input has %3.")
                              .arg(format)
                              .arg(johnMaxMessage)
                              .arg(n));
    } else if (n > simdMax) {
        e.warnings.append(QStringLiteral("John the Ripper's SIMD builds of %1 take messages of at most %2 bytes (other "
                                         "builds %3); this signing input has %4.")
                              .arg(format)
                              .arg(simdMax)
                              .arg(johnMaxMessage)
                              .arg(n));
    }
    return e;
}

} // namespace tb::audit::crack
