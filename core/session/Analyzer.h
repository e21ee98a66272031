#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <vector>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include "base/Error.h"
#include "session/Stats.h"
#include "session/Structure.h"

namespace tb::session {

// Sequencer-style randomness analysis of a sample of session IDs (see SESSION-REFERENCE.md §1).
// All results are plain values so that a pane can chart them; a long run reports progress and can be
// cancelled through the flag.

inline constexpr qsizetype minSamples = 100; // below: "insufficient" (Burp refuses too)
inline constexpr qsizetype reliableSamples = 5000;
inline constexpr qsizetype maxSamples = 200000;
inline constexpr qsizetype maxIdLength = 1024;
inline constexpr qsizetype maxCorrelationBits = 1024;
// Significance levels of the effective-entropy summary, in percent (the CLI's JSON keys).
inline constexpr std::array<double, 6> significanceLevels{0.001, 0.01, 0.1, 1.0, 5.0, 10.0};
// The verdict is read at 1 % (Burp's summary level) and needs 64 bits (OWASP) with no predictable structure.
inline constexpr double verdictLevelPercent = 1.0;
inline constexpr int verdictMinBits = 64;

enum class Verdict
{
    Pass,
    Fail,
    Insufficient,
};
QString verdictName(Verdict v);

struct CharPosition
{
    int position = 0;
    int charsetSize = 0; // distinct symbols observed at this position
    bool isStatic = false;
    qsizetype present = 0;       // tokens long enough to have this position
    stats::ChiSquare count;      // symbol counts vs uniform over the observed charset
    stats::ChiSquare transition; // (symbol in token i+1 − symbol in token i) mod charset: uniform if independent
    int bits = 0;                // bits this position maps to in the bit-level tests
};

struct BitPosition
{
    int index = 0; // bit number across the ID, most significant bit of character 0 first
    int charPosition = 0;
    stats::Monobit monobit;
    stats::Poker poker;
    stats::Runs runs;
    stats::LongRun longRun;
    double correlationP = 1; // Bonferroni-adjusted p of the strongest correlation charged to this bit
    int correlatedWith = -1;
    double compressionRatio = 1; // zlib size / raw size of this bit's stream (informational)
    double minP = 1;             // lowest p over every test that applies to this bit (incl. its character's)
};

struct TestSummary
{
    QString
        name; // "char-count", "char-transition", "monobit", "poker", "runs", "long-run", "correlation", "compression"
    QString level;     // "character" or "bit"
    QString criterion; // what "failed" means here
    bool applicable = false;
    int tested = 0;
    int failed = 0;
    QList<int> failedPositions;
    double minP = 1;
    double value = 0; // the compression test's overall ratio
};

struct Analysis
{
    qsizetype samples = 0;
    Verdict verdict = Verdict::Insufficient;
    std::array<int, 6> effectiveBits{}; // at each of significanceLevels
    int maxBits = 0;                    // bits the bit-level mapping tests
    QString alphabet;                   // "hex", "base64url", "decimal", … or "observed"
    int alphabetSize = 0;
    int bitsPerSymbol = 0;
    std::vector<CharPosition> chars;
    std::vector<BitPosition> bits;
    std::vector<StructureFinding> structure;
    std::vector<TestSummary> tests;
    QString reliability;
    QStringList notes;
};

using Progress = std::function<void(int percent)>;

struct AnalysisOptions
{
    qint64 captureMs = 0; // capture time for timestamp detection (epoch ms); 0 = unknown
};

// One ID a line; blank lines skipped, surrounding whitespace trimmed. Fails past maxSamples/maxIdLength.
Result<QList<QByteArray>> parseSample(QByteArrayView text);
// Fails only on empty input, limits, or cancellation; fewer than minSamples gives Verdict::Insufficient.
Result<Analysis> analyze(const QList<QByteArray>& ids, const AnalysisOptions& options = {},
                         const Progress& progress = {}, const std::atomic<bool>* cancel = nullptr);

// Bits of effective entropy at `percent` (one of significanceLevels) from per-bit minimum p values.
int effectiveBitsAt(const Analysis& a, double percent);

} // namespace tb::session
