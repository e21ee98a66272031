#include "Analyzer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>

#include "base/Bytes.h"

namespace tb::session {

namespace {

constexpr int checkEvery = 16;

struct Alphabet
{
    QString name;
    std::array<int, 256> rank{}; // -1 when the byte is not in the alphabet
    int size = 0;
};

Alphabet makeAlphabet(const QString& name, QByteArrayView symbols)
{
    Alphabet a;
    a.name = name;
    a.rank.fill(-1);
    for (const char c : symbols) {
        a.rank[std::uint8_t(c)] = a.size++;
    }
    return a;
}

// The smallest well-known alphabet holding every symbol seen at varying positions keeps each symbol's
// natural value (hex digit, base64 sextet); otherwise the observed symbols in byte order.
Alphabet chooseAlphabet(const std::array<bool, 256>& seen)
{
    static const QByteArray decimal("0123456789");
    static const QByteArray hexLower("0123456789abcdef");
    static const QByteArray hexUpper("0123456789ABCDEF");
    static const QByteArray b64url("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    static const QByteArray b64std("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    auto within = [&seen](const QByteArray& set) {
        for (int c = 0; c < 256; ++c) {
            if (seen[std::size_t(c)] && !set.contains(char(c))) {
                return false;
            }
        }
        return true;
    };
    const std::pair<QString, QByteArray> known[] = {
        {QStringLiteral("decimal"), decimal},  {QStringLiteral("hex"), hexLower},  {QStringLiteral("hex"), hexUpper},
        {QStringLiteral("base64url"), b64url}, {QStringLiteral("base64"), b64std},
    };
    for (const auto& [name, set] : known) {
        if (within(set)) {
            return makeAlphabet(name, set);
        }
    }
    QByteArray observed;
    for (int c = 0; c < 256; ++c) {
        if (seen[std::size_t(c)]) {
            observed.append(char(c));
        }
    }
    return makeAlphabet(QStringLiteral("observed"), observed);
}

int floorLog2(int v)
{
    return v <= 1 ? 0 : int(std::bit_width(unsigned(v))) - 1;
}

QString reliabilityNote(qsizetype n)
{
    if (n < minSamples) {
        return QStringLiteral("%1 samples: at least %2 are needed to run the analysis.").arg(n).arg(minSamples);
    }
    if (n < reliableSamples) {
        return QStringLiteral("%1 samples: indicative only; about 5,000 are needed for a reliable result.").arg(n);
    }
    if (n < stats::fipsBits) {
        return QStringLiteral("%1 samples: reliable for most purposes; 20,000 make each bit a full FIPS-sized block.")
            .arg(n);
    }
    return QStringLiteral("%1 samples: FIPS-sized (each bit position is tested over at least 20,000 bits).").arg(n);
}

const QString hashCaveat = QStringLiteral(
    "Statistics cannot prove unpredictability: a hash of a counter, or an LCG, passes these tests yet the next ID "
    "can be computed. Check how the IDs are made, not only how they look.");

// One bit position's stream in token order, with the tokens where it is defined.
struct Stream
{
    stats::BitSeq aligned;                // N bits, zero where undefined
    const stats::BitSeq* valid = nullptr; // per character position; nullptr = defined for every token
    stats::BitSeq compact;                // defined bits only (what the FIPS tests read)
};

// The correlation test's inner loop: the hardware popcount where the CPU has one (GCC function clones).
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("popcnt", "default")))
#endif
std::uint64_t
popcountAnd(const std::uint64_t* a, const std::uint64_t* b, std::size_t words)
{
    std::uint64_t n = 0;
    for (std::size_t w = 0; w < words; ++w) {
        n += std::uint64_t(__builtin_popcountll(a[w] & b[w]));
    }
    return n;
}

double compressionRatio(const stats::BitSeq& bits)
{
    const qsizetype bytes = (bits.size + 7) / 8;
    if (bytes == 0) {
        return 1.0;
    }
    const QByteArray raw(reinterpret_cast<const char*>(bits.words.data()), bytes);
    return double(qCompress(raw, 6).size() - 4) / double(bytes); // qCompress prefixes a 4-byte length
}

TestSummary makeSummary(const QString& name, const QString& level, const QString& criterion)
{
    TestSummary s;
    s.name = name;
    s.level = level;
    s.criterion = criterion;
    return s;
}

struct Analyser
{
    Analyser(const QList<QByteArray>& sample, const AnalysisOptions& opts, const Progress& onProgress,
             const std::atomic<bool>* cancelFlag)
        : ids(sample)
        , options(opts)
        , progress(onProgress)
        , cancel(cancelFlag)
    {}

    const QList<QByteArray>& ids;
    const AnalysisOptions& options;
    const Progress& progress;
    const std::atomic<bool>* cancel;
    Analysis result;
    qsizetype n = 0;
    int maxLength = 0;
    std::vector<stats::BitSeq> validity; // per character position (empty when every token is defined)
    std::vector<Stream> streams;

    bool cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
    void report(int percent) const
    {
        if (progress) {
            progress(percent);
        }
    }

    void characterLevel()
    {
        for (int p = 0; p < maxLength; ++p) {
            CharPosition cp;
            cp.position = p;
            std::array<int, 256> rank{};
            rank.fill(-1);
            std::vector<int> symbols(std::size_t(n), -1);
            for (qsizetype t = 0; t < n; ++t) {
                if (ids[t].size() > p) {
                    const auto c = std::uint8_t(ids[t][p]);
                    if (rank[c] < 0) {
                        rank[c] = 0;
                    }
                    ++cp.present;
                }
            }
            int k = 0;
            for (int& r : rank) {
                if (r >= 0) {
                    r = k++;
                }
            }
            cp.charsetSize = k;
            cp.isStatic = k == 1 && cp.present == n;
            std::vector<qsizetype> counts(std::size_t(k), 0);
            std::vector<qsizetype> steps(std::size_t(k), 0);
            int previous = -1;
            for (qsizetype t = 0; t < n; ++t) {
                const int r = ids[t].size() > p ? rank[std::uint8_t(ids[t][p])] : -1;
                if (r >= 0) {
                    ++counts[std::size_t(r)];
                    if (previous >= 0) {
                        ++steps[std::size_t((r - previous + k) % k)];
                    }
                }
                previous = r;
            }
            if (k >= 2) {
                cp.count = stats::uniformChiSquare(counts);
                cp.transition = stats::uniformChiSquare(steps);
            }
            result.chars.push_back(cp);
        }
    }

    Alphabet varyingAlphabet() const
    {
        std::array<bool, 256> seen{};
        for (const CharPosition& cp : result.chars) {
            if (cp.isStatic) {
                continue;
            }
            for (const QByteArray& id : ids) {
                if (id.size() > cp.position) {
                    seen[std::uint8_t(id[cp.position])] = true;
                }
            }
        }
        return chooseAlphabet(seen);
    }

    // Maps each character to floor(log2 K) bits of its alphabet value; values ≥ 2^bits (non-power-of-two
    // alphabets) leave that token's bits undefined rather than biasing them.
    void mapBits(const Alphabet& alphabet)
    {
        const int b = floorLog2(alphabet.size);
        result.alphabet = alphabet.name;
        result.alphabetSize = alphabet.size;
        result.bitsPerSymbol = b;
        validity.resize(std::size_t(maxLength));
        for (CharPosition& cp : result.chars) {
            const int p = cp.position;
            if (cp.isStatic && alphabet.rank[std::uint8_t(ids[0][p])] < 0) {
                continue; // a delimiter: no bits
            }
            cp.bits = b;
            stats::BitSeq valid;
            bool allValid = true;
            std::vector<int> values(std::size_t(n), -1);
            for (qsizetype t = 0; t < n; ++t) {
                const int v = ids[t].size() > p ? alphabet.rank[std::uint8_t(ids[t][p])] : -1;
                const bool ok = v >= 0 && v < (1 << b);
                values[std::size_t(t)] = ok ? v : -1;
                valid.push(ok);
                allValid = allValid && ok;
            }
            if (!allValid) {
                validity[std::size_t(p)] = std::move(valid);
            }
            for (int j = 0; j < b; ++j) {
                Stream s;
                s.aligned.reserve(n);
                if (!allValid) {
                    s.valid = &validity[std::size_t(p)];
                }
                for (qsizetype t = 0; t < n; ++t) {
                    const int v = values[std::size_t(t)];
                    const bool bit = v >= 0 && ((v >> (b - 1 - j)) & 1) != 0;
                    s.aligned.push(bit);
                    if (v >= 0 && !allValid) {
                        s.compact.push(bit);
                    }
                }
                if (allValid) {
                    s.compact = s.aligned;
                }
                BitPosition bp;
                bp.index = int(result.bits.size());
                bp.charPosition = p;
                result.bits.push_back(bp);
                streams.push_back(std::move(s));
            }
        }
        result.maxBits = int(result.bits.size());
    }

    bool bitLevel()
    {
        for (std::size_t i = 0; i < streams.size(); ++i) {
            if (i % checkEvery == 0) {
                if (cancelled()) {
                    return false;
                }
                report(10 + int(60 * i / streams.size()));
            }
            const stats::BitSeq& bits = streams[i].compact;
            BitPosition& bp = result.bits[i];
            bp.monobit = stats::monobit(bits);
            bp.poker = stats::poker(bits);
            bp.runs = stats::runs(bits);
            bp.longRun = stats::longRun(bits);
            bp.compressionRatio = compressionRatio(bits);
            bp.minP = std::min({bp.monobit.p, bp.runs.p, bp.longRun.p});
            if (bp.poker.applicable) {
                bp.minP = std::min(bp.minP, bp.poker.p);
            }
            const CharPosition& cp = result.chars[std::size_t(bp.charPosition)];
            if (cp.count.applicable) {
                bp.minP = std::min(bp.minP, cp.count.p);
            }
            if (cp.transition.applicable) {
                bp.minP = std::min(bp.minP, cp.transition.p);
            }
            if (bits.size < minSamples) {
                bp.minP = 0; // too few tokens reach this position to judge it
            }
        }
        return true;
    }

    // Pairwise dependence between bit positions (phi coefficient, z = phi·√n); the lower-scoring bit of a
    // correlated pair carries the penalty, so two copies of one random bit count once.
    bool correlation()
    {
        std::vector<std::size_t> candidates;
        for (std::size_t i = 0; i < streams.size() && candidates.size() < std::size_t(maxCorrelationBits); ++i) {
            const stats::Monobit& m = result.bits[i].monobit;
            if (m.ones > 0 && m.ones < m.n) {
                candidates.push_back(i);
            }
        }
        if (streams.size() > std::size_t(maxCorrelationBits)) {
            result.notes << QStringLiteral("The correlation test covers the first %1 bit positions only.")
                                .arg(maxCorrelationBits);
        }
        const double family = std::max<double>(1.0, double(candidates.size()) - 1.0);
        const std::vector<double> base = [this] {
            std::vector<double> v;
            for (const BitPosition& bp : result.bits) {
                v.push_back(bp.minP);
            }
            return v;
        }();
        for (std::size_t ai = 0; ai < candidates.size(); ++ai) {
            if (ai % checkEvery == 0) {
                if (cancelled()) {
                    return false;
                }
                report(70 + int(25 * ai / std::max<std::size_t>(1, candidates.size())));
            }
            const std::size_t a = candidates[ai];
            for (std::size_t bi = ai + 1; bi < candidates.size(); ++bi) {
                const std::size_t b = candidates[bi];
                const double p = std::min(1.0, pairP(streams[a], streams[b], result.bits[a], result.bits[b]) * family);
                const std::size_t charged = base[a] < base[b] ? a : b;
                BitPosition& target = result.bits[charged];
                if (p < target.correlationP) {
                    target.correlationP = p;
                    target.correlatedWith = int(charged == a ? b : a);
                }
            }
        }
        for (BitPosition& bp : result.bits) {
            bp.minP = std::min(bp.minP, bp.correlationP);
        }
        return true;
    }

    static double pairP(const Stream& a, const Stream& b, const BitPosition& ba, const BitPosition& bb)
    {
        const auto& wa = a.aligned.words;
        const auto& wb = b.aligned.words;
        const std::size_t words = wa.size();
        const qsizetype bits = a.aligned.size;
        std::uint64_t total = 0;
        std::uint64_t onesA = 0;
        std::uint64_t onesB = 0;
        std::uint64_t both = 0;
        if (a.valid == nullptr && b.valid == nullptr) {
            // Defined for every token: the ones are known from monobit, only the joint count is needed.
            total = std::uint64_t(bits);
            onesA = std::uint64_t(ba.monobit.ones);
            onesB = std::uint64_t(bb.monobit.ones);
            both = popcountAnd(wa.data(), wb.data(), words); // bits past the end are zero in both
        } else {
            for (std::size_t w = 0; w < words; ++w) {
                std::uint64_t mask = ~std::uint64_t(0);
                if (w + 1 == words && (bits & 63) != 0) {
                    mask = (std::uint64_t(1) << (bits & 63)) - 1;
                }
                if (a.valid != nullptr) {
                    mask &= a.valid->words[w];
                }
                if (b.valid != nullptr) {
                    mask &= b.valid->words[w];
                }
                total += unsigned(std::popcount(mask));
                onesA += unsigned(std::popcount(wa[w] & mask));
                onesB += unsigned(std::popcount(wb[w] & mask));
                both += unsigned(std::popcount(wa[w] & wb[w] & mask));
            }
        }
        const double nn = double(total);
        const double va = double(onesA) * (nn - double(onesA));
        const double vb = double(onesB) * (nn - double(onesB));
        if (nn < 2 || va <= 0 || vb <= 0) {
            return 1.0;
        }
        const double phi = (nn * double(both) - double(onesA) * double(onesB)) / std::sqrt(va * vb);
        return stats::normalTwoSidedP(phi * std::sqrt(nn));
    }

    void summarise()
    {
        const double alpha = verdictLevelPercent / 100.0;
        auto charSummary = [this, alpha](const QString& name, const QString& criterion, auto member) {
            TestSummary s = makeSummary(name, QStringLiteral("character"), criterion);
            for (const CharPosition& cp : result.chars) {
                const stats::ChiSquare& c = cp.*member;
                if (!c.applicable) {
                    continue;
                }
                s.applicable = true;
                ++s.tested;
                s.minP = std::min(s.minP, c.p);
                if (c.p < alpha) {
                    ++s.failed;
                    s.failedPositions << cp.position;
                }
            }
            result.tests.push_back(s);
        };
        charSummary(QStringLiteral("char-count"), QStringLiteral("chi-square of symbol counts, p < 1 %"),
                    &CharPosition::count);
        charSummary(QStringLiteral("char-transition"),
                    QStringLiteral("chi-square of successive-symbol differences, p < 1 %"), &CharPosition::transition);

        auto bitSummary = [this](const QString& name, const QString& criterion, auto applies, auto failed, auto pOf) {
            TestSummary s = makeSummary(name, QStringLiteral("bit"), criterion);
            for (const BitPosition& bp : result.bits) {
                if (!applies(bp)) {
                    continue;
                }
                s.applicable = true;
                ++s.tested;
                s.minP = std::min(s.minP, pOf(bp));
                if (failed(bp)) {
                    ++s.failed;
                    s.failedPositions << bp.index;
                }
            }
            result.tests.push_back(s);
        };
        const auto always = [](const BitPosition&) { return true; };
        bitSummary(
            QStringLiteral("monobit"),
            QStringLiteral("FIPS 140-2 bounds scaled to the sample (9725 < ones < 10275 at 20,000)"), always,
            [](const BitPosition& b) { return !b.monobit.pass; }, [](const BitPosition& b) { return b.monobit.p; });
        bitSummary(
            QStringLiteral("poker"), QStringLiteral("FIPS 140-2: 2.16 < X < 46.17 (needs 320 samples)"),
            [](const BitPosition& b) { return b.poker.applicable; }, [](const BitPosition& b) { return !b.poker.pass; },
            [](const BitPosition& b) { return b.poker.p; });
        bitSummary(
            QStringLiteral("runs"), QStringLiteral("FIPS 140-2 run-length intervals scaled to the sample"), always,
            [](const BitPosition& b) { return !b.runs.pass; }, [](const BitPosition& b) { return b.runs.p; });
        bitSummary(
            QStringLiteral("long-run"), QStringLiteral("no run ≥ 26 at 20,000 bits (scaled), and not overly short"),
            always, [](const BitPosition& b) { return !b.longRun.pass; },
            [](const BitPosition& b) { return b.longRun.p; });
        bitSummary(
            QStringLiteral("correlation"), QStringLiteral("pairwise phi coefficient, Bonferroni-adjusted p < 1 %"),
            [](const BitPosition& b) { return b.monobit.ones > 0 && b.monobit.ones < b.monobit.n; },
            [alpha](const BitPosition& b) { return b.correlationP < alpha; },
            [](const BitPosition& b) { return b.correlationP; });

        TestSummary compression =
            makeSummary(QStringLiteral("compression"), QStringLiteral("bit"),
                        QStringLiteral("informational: zlib size / raw size over all bit streams"));
        stats::BitSeq all; // the streams end to end, each padded to whole words
        for (const Stream& s : streams) {
            all.words.insert(all.words.end(), s.compact.words.begin(), s.compact.words.end());
        }
        all.size = qsizetype(all.words.size()) * 64;
        compression.applicable = all.size > 0;
        compression.tested = int(streams.size());
        compression.value = compressionRatio(all);
        result.tests.push_back(compression);
    }

    void conclude()
    {
        for (std::size_t i = 0; i < significanceLevels.size(); ++i) {
            result.effectiveBits[i] = effectiveBitsAt(result, significanceLevels[i]);
        }
        const bool predictable = std::any_of(result.structure.begin(), result.structure.end(),
                                             [](const StructureFinding& f) { return f.predictable; });
        const int atVerdict = effectiveBitsAt(result, verdictLevelPercent);
        result.verdict = (predictable || atVerdict < verdictMinBits) ? Verdict::Fail : Verdict::Pass;
        if (atVerdict < verdictMinBits) {
            result.notes << QStringLiteral("%1 bits of effective entropy at 1 %: under the 64 bits OWASP requires.")
                                .arg(atVerdict);
        }
        if (predictable) {
            result.notes << QStringLiteral(
                "Predictable structure found: the verdict is fail whatever the statistics say.");
        }
        if (result.alphabetSize > 0 && (result.alphabetSize & (result.alphabetSize - 1)) != 0) {
            result.notes << QStringLiteral("The %1-symbol alphabet is folded to %2 bits per character; symbols beyond "
                                           "2^%2 leave those bits undefined for that ID.")
                                .arg(result.alphabetSize)
                                .arg(result.bitsPerSymbol);
        }
    }

    Result<Analysis> run()
    {
        n = ids.size();
        result.samples = n;
        result.reliability = reliabilityNote(n);
        result.notes << hashCaveat;
        result.structure = detectStructure(ids, options.captureMs);
        if (n < minSamples) {
            result.verdict = Verdict::Insufficient;
            return result;
        }
        for (const QByteArray& id : ids) {
            maxLength = std::max(maxLength, int(id.size()));
        }
        report(0);
        characterLevel();
        mapBits(varyingAlphabet());
        if (!bitLevel() || !correlation()) {
            return fail(ErrorCode::Cancelled, QStringLiteral("The analysis was cancelled."));
        }
        summarise();
        conclude();
        report(100);
        return std::move(result);
    }
};

} // namespace

QString verdictName(Verdict v)
{
    switch (v) {
    case Verdict::Pass:
        return QStringLiteral("pass");
    case Verdict::Fail:
        return QStringLiteral("fail");
    case Verdict::Insufficient:
        break;
    }
    return QStringLiteral("insufficient");
}

Result<QList<QByteArray>> parseSample(QByteArrayView text)
{
    QList<QByteArray> ids;
    qsizetype lineNo = 0;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype end = text.indexOf('\n', start);
        if (end < 0) {
            end = text.size();
        }
        ++lineNo;
        const QByteArrayView line = bytes::trimmed(text.sliced(start, end - start));
        start = end + 1;
        if (line.isEmpty()) {
            continue;
        }
        if (line.size() > maxIdLength) {
            return fail(ErrorCode::TooLarge, QStringLiteral("Line %1 is %2 characters long; session IDs are limited to "
                                                            "%3 characters.")
                                                 .arg(lineNo)
                                                 .arg(line.size())
                                                 .arg(maxIdLength));
        }
        if (ids.size() >= maxSamples) {
            return fail(ErrorCode::TooLarge,
                        QStringLiteral("The sample has more than %1 IDs, the limit of the analyser.").arg(maxSamples));
        }
        ids.append(line.toByteArray());
    }
    if (ids.isEmpty()) {
        return fail(ErrorCode::InvalidData, QStringLiteral("No session IDs given (one ID a line is expected)."));
    }
    return ids;
}

Result<Analysis> analyze(const QList<QByteArray>& ids, const AnalysisOptions& options, const Progress& progress,
                         const std::atomic<bool>* cancel)
{
    if (ids.isEmpty()) {
        return fail(ErrorCode::InvalidData, QStringLiteral("No session IDs given (one ID a line is expected)."));
    }
    if (ids.size() > maxSamples) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The sample has more than %1 IDs, the limit of the analyser.").arg(maxSamples));
    }
    for (const QByteArray& id : ids) {
        if (id.isEmpty() || id.size() > maxIdLength) {
            return fail(ErrorCode::InvalidData,
                        QStringLiteral("Every session ID must be 1 to %1 characters long.").arg(maxIdLength));
        }
    }
    Analyser analyser(ids, options, progress, cancel);
    return analyser.run();
}

int effectiveBitsAt(const Analysis& a, double percent)
{
    const double alpha = percent / 100.0;
    return int(std::count_if(a.bits.begin(), a.bits.end(), [alpha](const BitPosition& b) { return b.minP >= alpha; }));
}

} // namespace tb::session
