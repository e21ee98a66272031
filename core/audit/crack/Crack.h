#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include <QByteArray>
#include <QByteArrayView>
#include <QStringList>

#include "audit/crack/Candidates.h"
#include "audit/crack/Sha256Lanes.h"
#include "base/Error.h"
#include "base/SecretBytes.h"

namespace tb::audit::crack {

enum class HmacAlg
{
    HS256,
    HS384,
    HS512,
};

QString hmacAlgName(HmacAlg alg);

// What a search needs from an HS token: the signing input exactly as received and the tag.
struct Target
{
    HmacAlg alg = HmacAlg::HS256;
    QByteArray token;        // the compact token (trimmed)
    QByteArray signingInput; // segments[0] + '.' + segments[1]
    QByteArray signature;    // the decoded tag (32, 48 or 64 bytes)
    QByteArray header;       // decoded header JSON text
    QByteArray payload;      // decoded payload bytes
};

// Fails with Unsupported ("cracking applies only to HS256/HS384/HS512 tokens ...") for RS/PS/ES/EdDSA, none and
// JWE; with MalformedToken/BadJson/BadBase64 for tokens that do not parse or carry a tag of the wrong length.
Result<Target> targetFromToken(QByteArrayView token);

// HMAC of `message` under `key` through OpenSSL's EVP_MAC (the reference every fast path is tested against).
Result<QByteArray> referenceHmac(HmacAlg alg, QByteArrayView key, QByteArrayView message);

struct Progress
{
    std::uint64_t candidates = 0; // tried so far (this run)
    std::uint64_t position = 0;   // units done, counted from the source's start (resume point when stopped)
    std::uint64_t resumeUnit = 0; // every unit before it is done, even while threads still run (a safe save point)
    std::uint64_t units = 0;      // units in the source
    double keyspace = 0;          // candidates in the source (estimate when rules vary per word)
    double rate = 0;              // candidates per second
    double etaSeconds = -1;       // -1 while unknown
};
using ProgressFn = std::function<void(const Progress&)>;

struct SearchOptions
{
    int threads = 0; // 0: every core
    KernelKind kernel = KernelKind::Auto;
    std::uint64_t startUnit = 0; // resume from a saved position
    std::uint64_t maxUnits = 0;  // stop after that many units (0: no limit); the position says where
    std::chrono::milliseconds progressInterval{500};
};

struct SearchResult
{
    bool found = false;
    SecretBytes secret;
    std::uint64_t candidates = 0;
    // Units done from the start of the source. When stopped (cancel or maxUnits) every unit before it was tried
    // and none after it, so passing it as startUnit continues without a gap or a repeat.
    std::uint64_t position = 0;
    std::uint64_t units = 0;
    double seconds = 0;
    bool cancelled = false;
    KernelKind kernel = KernelKind::OpenSsl;
    int threads = 1;
};

// Searches `source` for the secret of `target` on worker threads; blocks the calling thread, which runs
// `progress` every progressInterval and once at the end. `cancel` (may be null) stops the search between chunks.
Result<SearchResult> search(const Target& target, const CandidateSource& source, const SearchOptions& options,
                            const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

// hashcat -m 16500 reads the token itself. hashcat 6.2.6 refuses a header or payload segment longer than 2,047
// characters ("Token length exception"; its esalt buffer holds 4,096 bytes of header.payload).
inline constexpr int hashcatMaxSegmentChars = 2047;
// John the Ripper (jumbo) HMAC-SHA256/384/512: "signing input#lower-case hex tag". Its SIMD builds take a message
// of at most 759 bytes (HMAC-SHA256) or 239 bytes (HMAC-SHA384/512), non-SIMD builds 1,023; keys up to 125 bytes.
inline constexpr int johnSimdMaxMessageSha256 = 759;
inline constexpr int johnSimdMaxMessageSha512 = 239;
inline constexpr int johnMaxMessage = 1023;

struct ExportLine
{
    QByteArray line;      // without the final newline
    QStringList warnings; // limits of the target tool that this token exceeds
};
ExportLine hashcatLine(const Target& target);
ExportLine johnLine(const Target& target);

} // namespace tb::audit::crack
