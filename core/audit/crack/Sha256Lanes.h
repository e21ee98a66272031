#pragma once

#include <cstdint>
#include <vector>

#include <QByteArrayView>
#include <QString>

namespace tb::audit::crack {

// What is constant for one HMAC-SHA256 target: the signing input's blocks that follow the ipad block, with
// their full message schedule and the round constants already added (W[t] + K[t]), computed once per token.
struct Sha256Plan
{
    std::vector<std::uint32_t> wk; // 64 words per block
    int blocks = 0;
};

Sha256Plan makeSha256Plan(QByteArrayView message);

// A kernel computes HMAC-SHA256 for `lanes` keys at once, one key per lane.
// keyWords: 16 words per lane, word-major (keyWords[i * lanes + l] is big-endian word i of lane l's 64-byte key
// block; keys longer than 64 bytes are hashed by the caller first, RFC 2104). digests: 8 words per lane, word-major.
using HmacLanesFn = void (*)(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords,
                             std::uint32_t* digests);

enum class KernelKind
{
    Auto,
    OpenSsl, // EVP_MAC, one candidate at a time (the reference; HS384/HS512 on CPUs without AVX2)
    Scalar,  // portable C++ with the precomputed schedule, one lane
    ShaNi,   // x86 SHA extensions, 2 candidates interleaved
    Avx2,    // 8 lanes
    Avx512,  // 16 lanes
};

struct Sha256Kernel
{
    KernelKind kind = KernelKind::Scalar;
    int lanes = 1;
    HmacLanesFn fn = nullptr;
};

QString kernelName(KernelKind kind);
// Parses "auto", "openssl", "scalar", "sha-ni", "avx2", "avx512".
bool kernelFromName(const QString& name, KernelKind* kind);
// Whether this CPU can run the kernel (OpenSsl, Scalar and Auto always can).
bool kernelSupported(KernelKind kind);
// The multi-lane kernel of that kind, or a null fn for OpenSsl/Auto/unsupported kinds.
Sha256Kernel sha256Kernel(KernelKind kind);
// The fastest supported SHA-256 kernel here, measured once per process (a few milliseconds).
KernelKind fastestSha256Kernel();

// The same for HMAC-SHA-384/512 (HS384/HS512): 128-byte blocks, 64-bit words, 80 rounds.
struct Sha512Plan
{
    std::vector<std::uint64_t> wk; // 80 words per block
    int blocks = 0;
};

Sha512Plan makeSha512Plan(QByteArrayView message);

// keyWords: 16 64-bit words per lane (the 128-byte key block), word-major; digests: 8 words per lane (HMAC-SHA-384
// uses the first 6). Keys longer than 128 bytes are hashed by the caller first.
using Hmac64LanesFn = void (*)(bool sha384, const std::uint64_t* wk, int blocks, const std::uint64_t* keyWords,
                               std::uint64_t* digests);

struct Sha512Kernel
{
    KernelKind kind = KernelKind::Scalar;
    int lanes = 1;
    Hmac64LanesFn fn = nullptr;
};

// Scalar (1 lane), Avx2 (4 lanes) or Avx512 (8 lanes); a null fn for other or unsupported kinds.
Sha512Kernel sha512Kernel(KernelKind kind);

// Kernel entry points (each in its own file, compiled for its instruction set).
void hmacSha256Scalar(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests);
void hmacSha256Avx2(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests);
void hmacSha256Avx512(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests);
void hmacSha512Scalar(bool sha384, const std::uint64_t* wk, int blocks, const std::uint64_t* keyWords,
                      std::uint64_t* digests);
void hmacSha512Avx2(bool sha384, const std::uint64_t* wk, int blocks, const std::uint64_t* keyWords,
                    std::uint64_t* digests);
void hmacSha512Avx512(bool sha384, const std::uint64_t* wk, int blocks, const std::uint64_t* keyWords,
                      std::uint64_t* digests);
void hmacSha256ShaNi(const std::uint32_t* wk, int blocks, const std::uint32_t* keyWords, std::uint32_t* digests);

} // namespace tb::audit::crack
