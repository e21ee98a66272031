#include "audit/crack/Sha256Lanes.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <mutex>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace tb::audit::crack {

namespace {

constexpr std::array<std::uint32_t, 64> kK = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

std::uint32_t rotr(std::uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

#if defined(__x86_64__) || defined(__i386__)
constexpr bool kX86 = true;
#else
constexpr bool kX86 = false;
#endif

// The SIMD kernels exist on x86 only; elsewhere only the scalar and OpenSSL paths run.
#if defined(__x86_64__) || defined(__i386__)
#define TB_CPU_HAS(feature) __builtin_cpu_supports(feature)
#else
#define TB_CPU_HAS(feature) false
#endif

// CPUID leaf 7, EBX bit 29; clang before 15 (the fuzz build) does not know "sha" in __builtin_cpu_supports.
bool cpuHasSha()
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid_count(7, 0, &a, &b, &c, &d) != 0 && (b & (1u << 29)) != 0;
#else
    return false;
#endif
}

// Runs `kind` for ~`budget` on a 157-byte message (the bench token's size) and returns candidates per second.
double measure(KernelKind kind, std::chrono::milliseconds budget)
{
    const Sha256Kernel k = sha256Kernel(kind);
    const Sha256Plan plan = makeSha256Plan(QByteArray(157, 'x'));
    std::vector<std::uint32_t> keys(16 * std::size_t(k.lanes), 0x61626364u);
    std::vector<std::uint32_t> out(8 * std::size_t(k.lanes));
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t done = 0;
    auto elapsed = std::chrono::steady_clock::duration::zero();
    while (elapsed < budget) {
        for (int i = 0; i < 64; ++i) {
            keys[0] += 1;
            k.fn(plan.wk.data(), plan.blocks, keys.data(), out.data());
        }
        done += 64 * std::uint64_t(k.lanes);
        elapsed = std::chrono::steady_clock::now() - start;
    }
    return double(done) / std::chrono::duration<double>(elapsed).count();
}

} // namespace

Sha256Plan makeSha256Plan(QByteArrayView message)
{
    // The inner hash covers ipad block (64 bytes) + message, so the message's padding counts those 64 bytes.
    QByteArray padded(message.data(), message.size());
    const std::uint64_t bits = (64 + std::uint64_t(message.size())) * 8;
    padded.append(char(0x80));
    while (padded.size() % 64 != 56) {
        padded.append('\0');
    }
    for (int i = 7; i >= 0; --i) {
        padded.append(char((bits >> (8 * i)) & 0xff));
    }
    Sha256Plan plan;
    plan.blocks = int(padded.size() / 64);
    plan.wk.resize(std::size_t(plan.blocks) * 64);
    const auto* p = reinterpret_cast<const unsigned char*>(padded.constData());
    for (int b = 0; b < plan.blocks; ++b) {
        std::array<std::uint32_t, 64> w{};
        for (int t = 0; t < 16; ++t) {
            const unsigned char* q = p + 64 * b + 4 * t;
            w[std::size_t(t)] = (std::uint32_t(q[0]) << 24) | (std::uint32_t(q[1]) << 16) | (std::uint32_t(q[2]) << 8) |
                                std::uint32_t(q[3]);
        }
        for (std::size_t t = 16; t < 64; ++t) {
            const std::uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            const std::uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        for (std::size_t t = 0; t < 64; ++t) {
            plan.wk[std::size_t(b) * 64 + t] = w[t] + kK[t];
        }
    }
    return plan;
}

Sha512Plan makeSha512Plan(QByteArrayView message)
{
    // After the 128-byte ipad block: message, 0x80, zeros, then the 128-bit length of ipad block + message.
    QByteArray padded(message.data(), message.size());
    const std::uint64_t bits = (128 + std::uint64_t(message.size())) * 8;
    padded.append(char(0x80));
    while (padded.size() % 128 != 112) {
        padded.append('\0');
    }
    padded.append(QByteArray(8, '\0'));
    for (int i = 7; i >= 0; --i) {
        padded.append(char((bits >> (8 * i)) & 0xff));
    }
    static constexpr std::uint64_t k512[80] = {
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
        0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
        0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
        0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
        0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
        0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
        0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
        0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
        0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
        0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
        0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
        0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
        0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817};
    const auto r = [](std::uint64_t x, int n) { return (x >> n) | (x << (64 - n)); };
    Sha512Plan plan;
    plan.blocks = int(padded.size() / 128);
    plan.wk.resize(std::size_t(plan.blocks) * 80);
    const auto* p = reinterpret_cast<const unsigned char*>(padded.constData());
    for (int b = 0; b < plan.blocks; ++b) {
        std::array<std::uint64_t, 80> w{};
        for (std::size_t t = 0; t < 16; ++t) {
            for (std::size_t i = 0; i < 8; ++i) {
                w[t] = (w[t] << 8) | p[128 * std::size_t(b) + 8 * t + i];
            }
        }
        for (std::size_t t = 16; t < 80; ++t) {
            const std::uint64_t s0 = r(w[t - 15], 1) ^ r(w[t - 15], 8) ^ (w[t - 15] >> 7);
            const std::uint64_t s1 = r(w[t - 2], 19) ^ r(w[t - 2], 61) ^ (w[t - 2] >> 6);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        for (std::size_t t = 0; t < 80; ++t) {
            plan.wk[std::size_t(b) * 80 + t] = w[t] + k512[t];
        }
    }
    return plan;
}

Sha512Kernel sha512Kernel(KernelKind kind)
{
    if (!kernelSupported(kind)) {
        return {kind, 1, nullptr};
    }
    switch (kind) {
    case KernelKind::Scalar:
        return {kind, 1, &hmacSha512Scalar};
#if defined(__x86_64__) || defined(__i386__)
    case KernelKind::Avx2:
        return {kind, 4, &hmacSha512Avx2};
    case KernelKind::Avx512:
        return {kind, 8, &hmacSha512Avx512};
#endif
    default:
        return {kind, 1, nullptr};
    }
}

QString kernelName(KernelKind kind)
{
    switch (kind) {
    case KernelKind::Auto:
        return QStringLiteral("auto");
    case KernelKind::OpenSsl:
        return QStringLiteral("openssl");
    case KernelKind::Scalar:
        return QStringLiteral("scalar");
    case KernelKind::ShaNi:
        return QStringLiteral("sha-ni");
    case KernelKind::Avx2:
        return QStringLiteral("avx2");
    case KernelKind::Avx512:
        return QStringLiteral("avx512");
    }
    return {};
}

bool kernelFromName(const QString& name, KernelKind* kind)
{
    for (KernelKind k : {KernelKind::Auto, KernelKind::OpenSsl, KernelKind::Scalar, KernelKind::ShaNi, KernelKind::Avx2,
                         KernelKind::Avx512}) {
        if (name == kernelName(k)) {
            *kind = k;
            return true;
        }
    }
    return false;
}

bool kernelSupported(KernelKind kind)
{
    switch (kind) {
    case KernelKind::ShaNi:
        return kX86 && cpuHasSha() && TB_CPU_HAS("sse4.1");
    case KernelKind::Avx2:
        return kX86 && TB_CPU_HAS("avx2");
    case KernelKind::Avx512:
        return kX86 && TB_CPU_HAS("avx512f");
    default:
        return true;
    }
}

Sha256Kernel sha256Kernel(KernelKind kind)
{
    if (!kernelSupported(kind)) {
        return {kind, 1, nullptr};
    }
    switch (kind) {
    case KernelKind::Scalar:
        return {kind, 1, &hmacSha256Scalar};
#if defined(__x86_64__) || defined(__i386__)
    case KernelKind::ShaNi:
        return {kind, 2, &hmacSha256ShaNi};
    case KernelKind::Avx2:
        return {kind, 8, &hmacSha256Avx2};
    case KernelKind::Avx512:
        return {kind, 16, &hmacSha256Avx512};
#endif
    default:
        return {kind, 1, nullptr};
    }
}

KernelKind fastestSha256Kernel()
{
    // Which of SHA-NI and the vector kernels wins depends on the microarchitecture, so measure instead of guess.
    static std::once_flag once;
    static KernelKind best = KernelKind::Scalar;
    std::call_once(once, [] {
        // Interleaved short slices, best of each: a burst of load elsewhere then penalises no kernel in particular.
        const KernelKind kinds[] = {KernelKind::Scalar, KernelKind::Avx2, KernelKind::ShaNi, KernelKind::Avx512};
        double rates[4] = {};
        for (int round = 0; round < 4; ++round) {
            for (std::size_t i = 0; i < 4; ++i) {
                if (kernelSupported(kinds[i])) {
                    rates[i] = std::max(rates[i], measure(kinds[i], std::chrono::milliseconds(2)));
                }
            }
        }
        best = kinds[std::max_element(rates, rates + 4) - rates];
    });
    return best;
}

} // namespace tb::audit::crack
