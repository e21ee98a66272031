// Byte-level diff of token segments and the key-store lookup of the Compare pane (core/inspect).
#include <QTest>

#include "inspect/ByteDiff.h"
#include "inspect/KeyMatch.h"
#include "jose/Jws.h"
#include "jose/jwe/Jwe.h"
#include "keys/KeyIo.h"

using namespace tb;
using inspect::ByteSpan;

namespace {

QList<ByteSpan> spans(std::initializer_list<std::pair<qsizetype, qsizetype>> list)
{
    QList<ByteSpan> out;
    for (const auto& [start, length] : list) {
        out.append(ByteSpan{start, length});
    }
    return out;
}

} // namespace

class TestByteDiff final : public QObject
{
    Q_OBJECT

private slots:
    void equalInputsMarkNothing()
    {
        const auto d = inspect::diffAligned("{\"a\":1}", "{\"a\":1}");
        QVERIFY(d.equal());
        QVERIFY(d.aligned);
        QVERIFY(inspect::diffPositional("xyz", "xyz").equal());
        QVERIFY(inspect::diffAligned("", "").equal());
    }

    void changedValueIsTheOnlyMark()
    {
        // Common prefix {"role":" (9 bytes) and suffix "}; "user" and "admin" share no byte.
        const auto d = inspect::diffAligned("{\"role\":\"user\"}", "{\"role\":\"admin\"}");
        QCOMPARE(d.a, spans({{9, 4}}));
        QCOMPARE(d.b, spans({{9, 5}}));
        QVERIFY(d.aligned);
    }

    void numbersMarkOnlyTheirDifferingDigits()
    {
        // 1700000000 -> 1700003600: prefix 170000, suffix 00, middle "00" vs "36".
        const auto d = inspect::diffAligned("{\"exp\":1700000000}", "{\"exp\":1700003600}");
        QCOMPARE(d.a, spans({{13, 2}}));
        QCOMPARE(d.b, spans({{13, 2}}));
    }

    void insertionAndDeletion()
    {
        auto d = inspect::diffAligned("abc", "abXc");
        QVERIFY(d.a.isEmpty());
        QCOMPARE(d.b, spans({{2, 1}}));
        d = inspect::diffAligned("{\"a\":1,\"b\":2}", "{\"a\":1}");
        QCOMPARE(d.a, spans({{6, 6}}));
        QVERIFY(d.b.isEmpty());
    }

    void alignsOnALongestCommonSubsequence()
    {
        // Myers' example: ABCABBA vs CBABAC, LCS length 4, so 3 bytes of A and 2 of B are marked.
        const auto d = inspect::diffAligned("ABCABBA", "CBABAC");
        qsizetype markedA = 0;
        qsizetype markedB = 0;
        for (const ByteSpan& s : d.a) {
            markedA += s.length;
        }
        for (const ByteSpan& s : d.b) {
            markedB += s.length;
        }
        QCOMPARE(markedA, 3);
        QCOMPARE(markedB, 2);
        // The unmarked bytes of each side spell the same subsequence.
        auto keep = [](const QByteArray& text, const QList<ByteSpan>& marks) {
            QByteArray out;
            for (qsizetype i = 0; i < text.size(); ++i) {
                const bool marked = std::any_of(marks.begin(), marks.end(), [i](const ByteSpan& s) {
                    return i >= s.start && i < s.start + s.length;
                });
                if (!marked) {
                    out += text[i];
                }
            }
            return out;
        };
        QCOMPARE(keep("ABCABBA", d.a), keep("CBABAC", d.b));
        QCOMPARE(keep("ABCABBA", d.a).size(), 4);
    }

    void editLimitMarksTheWholeMiddle()
    {
        const QByteArray a = "[" + QByteArray(100, 'a') + "]";
        const QByteArray b = "[" + QByteArray(100, 'b') + "]";
        const auto d = inspect::diffAligned(a, b, 10);
        QVERIFY(!d.aligned);
        QCOMPARE(d.a, spans({{1, 100}}));
        QCOMPARE(d.b, spans({{1, 100}}));
    }

    void positionalMarksOffsetsAndTail()
    {
        const auto d = inspect::diffPositional(QByteArray("\x01\x02\x03", 3), QByteArray("\x01\xff\x03\x04", 4));
        QCOMPARE(d.a, spans({{1, 1}}));
        QCOMPARE(d.b, spans({{1, 1}, {3, 1}}));
        const auto tail = inspect::diffPositional("ab", "aXYZ");
        QCOMPARE(tail.b, spans({{1, 3}})); // the change at 1 and the tail merge into one span
    }

    void workspaceKeyThatVerifies()
    {
        const auto hs = keys::secretKey(QByteArrayLiteral("a-secret-of-at-least-thirty-two-bytes"));
        const auto other = keys::secretKey(QByteArrayLiteral("another-secret-of-thirty-two-bytes!!"));
        const auto ec = keys::generateKey(jose::Alg::ES256);
        QVERIFY(ec.has_value());
        const QByteArray payload = "{\"sub\":\"alice\"}";
        const auto token = jose::signCompact(jose::Alg::HS256, hs.get(), "{\"alg\":\"HS256\"}", payload);
        QVERIFY(token.has_value());
        QCOMPARE(inspect::verifyingKey(*token, {other, *ec, hs}), 2);
        QCOMPARE(inspect::verifyingKey(*token, {other, *ec}), -1);
        QCOMPARE(inspect::verifyingKey(*token, {}), -1);
        const auto es = jose::signCompact(jose::Alg::ES256, ec->get(), "{\"alg\":\"ES256\"}", payload);
        QVERIFY(es.has_value());
        QCOMPARE(inspect::verifyingKey(*es, {hs, nullptr, *ec}), 2);
        // A tampered payload verifies under no key.
        QByteArray tampered = *token;
        tampered.replace("eyJzdWIiOiJhbGljZSJ9", "eyJzdWIiOiJib2IifQ");
        QVERIFY(tampered != *token);
        QCOMPARE(inspect::verifyingKey(tampered, {hs}), -1);
        // A JWE has no signature to verify.
        const auto aes = keys::secretKey(QByteArray(32, 'k'));
        const auto jwe = jose::jwe::encryptCompact(*aes, jose::jwe::KeyAlg::Dir, jose::jwe::EncAlg::A256Gcm, payload);
        QVERIFY(jwe.has_value());
        QCOMPARE(inspect::verifyingKey(*jwe, {aes, hs}), -1);
        QCOMPARE(inspect::verifyingKey("not a token", {hs}), -1);
    }
};

QTEST_GUILESS_MAIN(TestByteDiff)
#include "tst_bytediff.moc"
