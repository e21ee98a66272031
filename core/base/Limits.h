#pragma once

#include <cstddef>

namespace tb::limits {

// Every parser is bounded (DESIGN decision 8); the values are part of the CLI contract.
inline constexpr std::size_t maxTokenBytes = 4 * 1024 * 1024;
inline constexpr int maxJsonDepth = 256;
inline constexpr std::size_t maxJsonMembers = 100000;
inline constexpr std::size_t maxJwksKeys = 1000;
inline constexpr std::size_t maxKeyFileBytes = 1024 * 1024;
inline constexpr std::size_t maxWordlistLineBytes = 64 * 1024;
inline constexpr std::size_t maxScenarioBytes = 4 * 1024 * 1024;
inline constexpr std::size_t maxWorkspaceBytes = 64 * 1024 * 1024;
// JWE: PBES2 iterations (p2c, a CPU-time attack) and the size a zip:DEF plaintext may inflate to (zip bombs).
inline constexpr long long maxPbes2Iterations = 1000000;
inline constexpr long long maxJweInflatedBytes = 16 * 1024 * 1024;
// Encrypted private key files (PKCS#8): the passphrase KDF's work, checked before it runs. PBKDF2 and PKCS#12
// iterations (OpenSSL writes 2048, OWASP advises 600000), and scrypt's N * r * p (OpenSSL writes 2^14 * 8 * 1).
inline constexpr long long maxKeyKdfIterations = 10000000;
inline constexpr long long maxKeyScryptWork = 1LL << 24;

} // namespace tb::limits
