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

} // namespace tb::limits
