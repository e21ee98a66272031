#include <cmath>

#include <QTest>

#include "session/Analyzer.h"
#include "session/DemoGenerators.h"
#include "session/PhaseSpace.h"
#include "session/SessionId.h"
#include "session/Stats.h"
#include "tst_session.h"

using namespace tb::session;

namespace {

constexpr qint64 captureMs = 1795000000000; // 2026-11-18T09:46:40Z, injected capture time

stats::BitSeq bitsOf(const QByteArray& pattern, qsizetype n)
{
    stats::BitSeq s;
    for (qsizetype i = 0; i < n; ++i) {
        s.push(pattern[i % pattern.size()] == '1');
    }
    return s;
}

Analysis analyseDemo(DemoKind kind, int count = 5000)
{
    auto ids = generateDemo(kind, count, captureMs, 7);
    if (!ids) {
        qFatal("demo generator failed");
    }
    AnalysisOptions options;
    options.captureMs = captureMs;
    auto a = analyze(*ids, options);
    if (!a) {
        qFatal("analysis failed");
    }
    return *a;
}

bool hasStructure(const Analysis& a, const QString& kind)
{
    return std::any_of(a.structure.begin(), a.structure.end(),
                       [&](const StructureFinding& f) { return f.kind == kind; });
}

QString structureText(const Analysis& a, const QString& kind)
{
    for (const StructureFinding& f : a.structure) {
        if (f.kind == kind) {
            return f.detail;
        }
    }
    return {};
}

} // namespace

class TestAnalysis : public QObject
{
    Q_OBJECT

private slots:
    // --- statistical tests on known sequences ---
    void monobitAllZeroFailsWithExactStatistic()
    {
        const auto r = stats::monobit(bitsOf("0", 20000));
        QCOMPARE(r.ones, qsizetype(0));
        QCOMPARE(r.z, std::sqrt(20000.0)); // |2·0 − 20000| / √20000 = 141.421…
        QVERIFY(r.p < 1e-300);
        QCOMPARE(r.low, 9725.0);
        QCOMPARE(r.high, 10275.0);
        QVERIFY(!r.pass);
    }

    void monobitFipsBoundsAreExclusive()
    {
        // 9725 ones fails, 9726 passes (FIPS 140-2: 9725 < ones < 10275).
        QByteArray pattern(20000, '0');
        pattern.replace(0, 9725, QByteArray(9725, '1'));
        QVERIFY(!stats::monobit(bitsOf(pattern, 20000)).pass);
        pattern[9725] = '1';
        QVERIFY(stats::monobit(bitsOf(pattern, 20000)).pass);
    }

    void monobitBalancedPasses()
    {
        const auto r = stats::monobit(bitsOf("01", 20000));
        QCOMPARE(r.ones, qsizetype(10000));
        QCOMPARE(r.z, 0.0);
        QCOMPARE(r.p, 1.0);
        QVERIFY(r.pass);
    }

    void monobitScalesBoundsWithN()
    {
        const auto r = stats::monobit(bitsOf("01", 5000));
        QCOMPARE(r.low, 2500.0 - 275.0 * 0.5);
        QCOMPARE(r.high, 2500.0 + 275.0 * 0.5);
    }

    void pokerAllZeroIsMaximal()
    {
        // All 5000 nibbles are 0000: X = 16/5000 · 5000² − 5000 = 75000.
        const auto r = stats::poker(bitsOf("0", 20000));
        QVERIFY(r.applicable);
        QCOMPARE(r.nibbles, qsizetype(5000));
        QCOMPARE(r.counts[0], qsizetype(5000));
        QCOMPARE(r.x, 75000.0);
        QVERIFY(!r.pass);
    }

    void pokerPerfectlyUniformIsTooGood()
    {
        // Every nibble value equally often: X = 0, under the FIPS lower bound 2.16.
        QByteArray pattern;
        for (int v = 0; v < 16; ++v) {
            for (int j = 3; j >= 0; --j) {
                pattern += ((v >> j) & 1) ? '1' : '0';
            }
        }
        const auto r = stats::poker(bitsOf(pattern, 20480));
        QCOMPARE(r.x, 0.0);
        QVERIFY(!r.pass);
        QVERIFY(r.p < 1e-4);
    }

    void pokerNeedsEightyNibbles()
    {
        QVERIFY(!stats::poker(bitsOf("01", 316)).applicable);
        QVERIFY(stats::poker(bitsOf("01", 320)).applicable);
    }

    void runsOfAlternatingBits()
    {
        // 0101…: 10000 runs of length 1 of each value, none longer.
        const auto r = stats::runs(bitsOf("01", 20000));
        QCOMPARE(r.zeros[0], qsizetype(10000));
        QCOMPARE(r.ones[0], qsizetype(10000));
        QCOMPARE(r.zeros[1], qsizetype(0));
        QCOMPARE(r.low[0], 2315.0);
        QCOMPARE(r.high[0], 2685.0);
        QCOMPARE(r.low[5], 103.0);
        QCOMPARE(r.high[5], 209.0);
        QVERIFY(!r.pass);
    }

    void runsCountsLengthsSixAndOver()
    {
        // 0000000 1 00 11: zero runs of 7 (counted as ≥ 6) and 2, one runs of 1 and 2.
        const auto r = stats::runs(bitsOf("000000010011", 12));
        QCOMPARE(r.zeros[5], qsizetype(1));
        QCOMPARE(r.zeros[1], qsizetype(1));
        QCOMPARE(r.zeros[0], qsizetype(0));
        QCOMPARE(r.ones[0], qsizetype(1));
        QCOMPARE(r.ones[1], qsizetype(1));
    }

    void longRunThresholds()
    {
        QByteArray pattern(20000, '0');
        for (int i = 0; i < 20000; i += 2) {
            pattern[i] = '1';
        }
        pattern.replace(100, 26, QByteArray(26, '1')); // one run of exactly 27 ones (26 + the 1 at 126)
        const auto r = stats::longRun(bitsOf(pattern, 20000));
        QCOMPARE(r.failAtOrAbove, qsizetype(26));
        QCOMPARE(r.longest, qsizetype(27));
        QVERIFY(!r.pass);
        const auto alternating = stats::longRun(bitsOf("01", 20000));
        QCOMPARE(alternating.longest, qsizetype(1));
        QCOMPARE(alternating.failAtOrBelow, qsizetype(10)); // exp(−20000/2^11) < 3e-4 but exp(−20000/2^12) is not
        QVERIFY(!alternating.pass);
    }

    void chiSquareKnownValues()
    {
        // χ²(1) upper tail at 3.841458820694124 is 0.05; χ²(15) at 46.17 is about 5e-5.
        QVERIFY(std::fabs(stats::chiSquareUpperP(3.841458820694124, 1) - 0.05) < 1e-9);
        QVERIFY(std::fabs(stats::chiSquareUpperP(46.17, 15) - 5.0e-5) < 1e-5);
        QVERIFY(std::fabs(stats::chiSquareLowerP(2.16, 15) - 5.0e-5) < 2e-5);
        const auto flat = stats::uniformChiSquare({25, 25, 25, 25});
        QVERIFY(flat.applicable);
        QCOMPARE(flat.x, 0.0);
        QCOMPARE(flat.p, 1.0);
        const auto skewed = stats::uniformChiSquare({40, 20, 20, 20}); // X = (15² + 3·5²)/25 = 12
        QCOMPARE(skewed.x, 12.0);
        QCOMPARE(skewed.df, 3.0);
        QVERIFY(std::fabs(skewed.p - 0.0073832) < 1e-6);
    }

    // --- generator and estimate ---
    void generatorLengthsAndAlphabets()
    {
        auto b64 = generateIds(IdSpec{}, 50);
        QVERIFY(b64.has_value());
        QCOMPARE(b64->size(), 50);
        for (const QByteArray& id : *b64) {
            QCOMPARE(id.size(), 22);
            for (const char c : id) {
                QVERIFY(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
            }
        }
        QVERIFY(b64->at(0) != b64->at(1));
        auto hex = generateIds(IdSpec{256, IdEncoding::Hex, {}}, 1);
        QCOMPARE(hex->first().size(), 64);
        auto custom = generateIds(IdSpec{64, IdEncoding::Custom, "0123456789"}, 3);
        QCOMPARE(custom->first().size(), 20); // ceil(64 / log2 10) = 20
        QVERIFY(!generateIds(IdSpec{100, IdEncoding::Hex, {}}, 1).has_value());
        QVERIFY(!generateIds(IdSpec{128, IdEncoding::Custom, "aa"}, 1).has_value());
        QVERIFY(!generateIds(IdSpec{}, 0).has_value());
    }

    void guessTimeMatchesOwasp()
    {
        const auto e = guessTime(64, 10000, 100000);
        constexpr double year = 365.25 * 86400;
        QVERIFY(std::fabs(e.owaspSeconds / year - 584.54) < 0.01); // OWASP's "≈ 585 years"
        QCOMPARE(e.meanSeconds, e.owaspSeconds / 2);
        QCOMPARE(humanDuration(e.owaspSeconds), QStringLiteral("584.5 years"));
        QVERIFY(e.formula.contains(QStringLiteral("2^B / (2·A·S)")));
    }

    // --- verdicts on the demo generators ---
    void csprngPasses()
    {
        const Analysis a = analyseDemo(DemoKind::Csprng);
        QCOMPARE(a.verdict, Verdict::Pass);
        QCOMPARE(a.alphabet, QStringLiteral("base64url"));
        QCOMPARE(a.maxBits, 132); // 22 characters × 6 bits; the last character carries 2 random bits
        QVERIFY(a.effectiveBits[0] >= 126 && a.effectiveBits[0] <= 128);
        QVERIFY(effectiveBitsAt(a, 1.0) >= 100);
        QVERIFY(a.structure.empty());
    }

    void md5CounterPassesWithCaveat()
    {
        const Analysis a = analyseDemo(DemoKind::Md5Counter);
        QCOMPARE(a.verdict, Verdict::Pass);
        QVERIFY(a.structure.empty());
        QVERIFY(a.notes.join(u' ').contains(QStringLiteral("hash of a counter")));
    }

    void lcgPassesStatistics() { QCOMPARE(analyseDemo(DemoKind::Lcg).verdict, Verdict::Pass); }

    void counterFails()
    {
        const Analysis a = analyseDemo(DemoKind::Counter);
        QCOMPARE(a.verdict, Verdict::Fail);
        QVERIFY(hasStructure(a, QStringLiteral("counter")));
        QVERIFY(structureText(a, QStringLiteral("counter")).contains(QStringLiteral("increases by 1")));
        QVERIFY(effectiveBitsAt(a, 1.0) < 20);
    }

    void epochMsFailsAsTimestamp()
    {
        const Analysis a = analyseDemo(DemoKind::EpochMs);
        QCOMPARE(a.verdict, Verdict::Fail);
        QVERIFY(structureText(a, QStringLiteral("timestamp")).contains(QStringLiteral("milliseconds")));
        QVERIFY(!hasStructure(a, QStringLiteral("counter")));
    }

    void counterEpochMsFindsGapAndWindow()
    {
        const Analysis a = analyseDemo(DemoKind::CounterEpochMs);
        QCOMPARE(a.verdict, Verdict::Fail);
        QVERIFY(structureText(a, QStringLiteral("delimiter")).contains(QStringLiteral("2 fields at '-'")));
        QVERIFY(structureText(a, QStringLiteral("timestamp"))
                    .startsWith(QStringLiteral("Field 2 is a Unix time in milliseconds")));
        const QString counter = structureText(a, QStringLiteral("counter"));
        QVERIFY(counter.startsWith(QStringLiteral("Field 1 is a decimal counter")));
        QVERIFY(counter.contains(QStringLiteral("(1 missing)")));
        QVERIFY(counter.contains(QStringLiteral("window of")));
    }

    void webGoatFixture()
    {
        // WebGoat "hijack a session": 10 cookies, counter skips 10005 (handed to the victim).
        QList<QByteArray> ids;
        const qint64 t0 = 1795000000000;
        const int counters[] = {10001, 10002, 10003, 10004, 10006, 10007, 10008, 10009, 10010, 10011};
        for (int i = 0; i < 10; ++i) {
            ids << QByteArray::number(counters[i]) + '-' + QByteArray::number(t0 + i * 40 + (i >= 4 ? 110 : 0));
        }
        const auto found = detectStructure(ids, t0);
        QString counter;
        for (const auto& f : found) {
            if (f.kind == QStringLiteral("counter")) {
                counter = f.detail;
            }
        }
        QVERIFY2(counter.contains(QStringLiteral("10004 → 10006 (1 missing), its time lies in a window of 151 values")),
                 qPrintable(counter));
    }

    void paddedFailsWithStaticPrefix()
    {
        const Analysis a = analyseDemo(DemoKind::Padded32);
        QCOMPARE(a.verdict, Verdict::Fail);
        QCOMPARE(structureText(a, QStringLiteral("static")),
                 QStringLiteral("24 of 32 character positions never change: 0-23 ('000000000000000000000000')."));
        // At 0.001 % only the 32 random bits can count (a random bit may still fail at that level, rarely).
        QVERIFY(a.effectiveBits[0] >= 28 && a.effectiveBits[0] <= 32);
        QCOMPARE(a.maxBits, 128);
    }

    void uuidV1FailsWithTime()
    {
        const Analysis a = analyseDemo(DemoKind::UuidV1);
        QCOMPARE(a.verdict, Verdict::Fail);
        QVERIFY(structureText(a, QStringLiteral("uuid")).startsWith(QStringLiteral("UUID v1")));
        QVERIFY(
            structureText(a, QStringLiteral("timestamp")).contains(QStringLiteral("within a day of the capture time")));
    }

    void uuidV7FailsWithTimeButKeepsRandomBits()
    {
        const Analysis a = analyseDemo(DemoKind::UuidV7);
        QCOMPARE(a.verdict, Verdict::Fail);
        QVERIFY(structureText(a, QStringLiteral("uuid")).startsWith(QStringLiteral("UUID v7")));
        QVERIFY(hasStructure(a, QStringLiteral("timestamp")));
        QVERIFY(a.effectiveBits[0] >= 70 && a.effectiveBits[0] <= 80); // the 74 random bits, give or take
    }

    void insufficientBelowHundred()
    {
        auto ids = generateIds(IdSpec{}, 99);
        auto a = analyze(*ids);
        QVERIFY(a.has_value());
        QCOMPARE(a->verdict, Verdict::Insufficient);
        QCOMPARE(a->effectiveBits[3], 0);
        QVERIFY(a->reliability.contains(QStringLiteral("at least 100")));
    }

    void hundredSamplesRunWithIndicativeNote()
    {
        auto ids = generateIds(IdSpec{}, 100);
        auto a = analyze(*ids);
        QVERIFY(a.has_value());
        QVERIFY(a->verdict != Verdict::Insufficient);
        QVERIFY(a->reliability.contains(QStringLiteral("indicative")));
    }

    void jwtAndJsonDetected()
    {
        QList<QByteArray> jwts(120, "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln");
        QVERIFY(detectStructure(jwts, 0).back().detail.contains(QStringLiteral("JWTs (alg HS256)")));
        QList<QByteArray> json(120, "eyJ1c2VyIjoiYWxpY2UiLCJyb2xlIjoidXNlciJ9"); // {"user":"alice","role":"user"}
        bool found = false;
        for (const auto& f : detectStructure(json, 0)) {
            found = found || (f.kind == QStringLiteral("json") && f.detail.contains(QStringLiteral("user")));
        }
        QVERIFY(found);
    }

    void parseSampleLimitsAndErrors()
    {
        auto ids = parseSample("  a1 \r\n\n b2\n");
        QCOMPARE(ids->size(), 2);
        QCOMPARE(ids->at(0), QByteArray("a1"));
        QCOMPARE(parseSample("\n \n").error().code, tb::ErrorCode::InvalidData);
        QCOMPARE(parseSample(QByteArray(2000, 'a')).error().code, tb::ErrorCode::TooLarge);
    }

    void cancelStopsTheRun()
    {
        auto ids = generateIds(IdSpec{}, 2000);
        std::atomic<bool> cancel{true};
        auto a = analyze(*ids, {}, {}, &cancel);
        QVERIFY(!a.has_value());
        QCOMPARE(a.error().code, tb::ErrorCode::Cancelled);
    }

    void progressReachesHundred()
    {
        auto ids = generateIds(IdSpec{}, 500);
        int last = -1;
        bool monotonic = true;
        auto a = analyze(*ids, {}, [&](int p) {
            monotonic = monotonic && p >= last;
            last = p;
        });
        QVERIFY(a.has_value());
        QVERIFY(monotonic);
        QCOMPARE(last, 100);
    }

    void identicalIdsFail()
    {
        auto a = analyze(QList<QByteArray>(200, "sameIdEveryTime"), {});
        QVERIFY(a.has_value());
        QCOMPARE(a->verdict, Verdict::Fail);
        QCOMPARE(a->effectiveBits[0], 0);
        QVERIFY(structureText(*a, QStringLiteral("static")).startsWith(QStringLiteral("15 of 15 character positions")));
    }

    void hostileInputDoesNotCrash()
    {
        QList<QByteArray> ids;
        for (int i = 0; i < 150; ++i) {
            ids << QByteArray(1 + i % 7, char(i % 256 == 0 ? 1 : i % 256));
        }
        ids << QByteArray("\xff\xfe\x00\x01", 4);
        auto a = analyze(ids, {});
        QVERIFY(a.has_value());
        QCOMPARE(a->verdict, Verdict::Fail);
        QVERIFY(std::any_of(a->structure.begin(), a->structure.end(),
                            [](const StructureFinding& f) { return f.kind == QStringLiteral("length"); }));
    }

    void phaseSpaceOfACounter()
    {
        QList<QByteArray> ids;
        for (int n = 0; n < 100; ++n) {
            ids << "sid-" + QByteArray::number(n).rightJustified(2, '0');
        }
        // The static "sid-" prefix is skipped; the two digits read as n / 100, scaled from [0, 0.99] to [0, 1].
        const auto points = phaseSpace(ids);
        QCOMPARE(points.size(), std::size_t(99));
        for (std::size_t i = 0; i < points.size(); ++i) {
            QCOMPARE(points[i].first, double(i) / 99.0);
            QCOMPARE(points[i].second, double(i + 1) / 99.0);
        }
        QCOMPARE(phaseSpace(ids, 10).size(), std::size_t(10));
        QVERIFY(phaseSpace(QList<QByteArray>(5, "same")).empty());
        QVERIFY(phaseSpace({"one"}).empty());
    }
};

int runAnalysisTests(int argc, char** argv)
{
    TestAnalysis t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_analysis.moc"
