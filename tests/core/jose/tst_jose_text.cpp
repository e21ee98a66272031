#include <cmath>

#include <QRandomGenerator>
#include <QTest>

#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/Decode.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"

using namespace tb;
using namespace tb::jose;

Q_DECLARE_METATYPE(tb::jose::InsertAt)

namespace {

QJsonObject findWycheproofCase(int tcId)
{
    const QJsonObject file = test::loadVectorFile(QStringLiteral("wycheproof/json_web_signature_test.json"));
    for (const auto& group : file.value(QStringLiteral("testGroups")).toArray()) {
        for (const auto& t : group.toObject().value(QStringLiteral("tests")).toArray()) {
            if (t.toObject().value(QStringLiteral("tcId")).toInt() == tcId) {
                return t.toObject();
            }
        }
    }
    return {};
}

QJsonObject rfcVector(const QString& file, const QString& id)
{
    for (const auto& v : test::loadVectorFile(file).value(QStringLiteral("vectors")).toArray()) {
        if (v.toObject().value(QStringLiteral("id")).toString() == id) {
            return v.toObject();
        }
    }
    return {};
}

QByteArray nested(int depth, const char* open, const char* close)
{
    return QByteArray(open).repeated(depth) + QByteArray(close).repeated(depth);
}

} // namespace

class TestJoseText : public QObject
{
    Q_OBJECT

private slots:
    // ---------------------------------------------------------------- base64url

    void base64UrlEncodeKnownAnswers_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("f") << QByteArray("f") << QByteArray("Zg");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
        QTest::newRow("foob") << QByteArray("foob") << QByteArray("Zm9vYg");
        QTest::newRow("url-alphabet") << QByteArray::fromHex("fbff") << QByteArray("-_8");
    }
    void base64UrlEncodeKnownAnswers()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, text);
        QCOMPARE(base64UrlEncode(bytes), text);
        const auto back = base64UrlDecode(text);
        QVERIFY(back.has_value());
        QCOMPARE(*back, bytes);
    }

    void base64UrlStrictRefuses_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("padding") << QByteArray("Zg==") << QStringLiteral("base64url must not be padded with '='.");
        QTest::newRow("std-alphabet") << QByteArray("+/8")
                                      << QStringLiteral("'+' and '/' belong to standard base64, not base64url.");
        QTest::newRow("non-canonical") << QByteArray("Zh")
                                       << QStringLiteral(
                                              "The last character has non-zero unused bits (non-canonical encoding).");
        QTest::newRow("length-4k+1") << QByteArray("Zm9vY")
                                     << QStringLiteral("A base64url text cannot have a length of 4k+1 characters (5).");
        QTest::newRow("question-mark") << QByteArray("Zm9v?g")
                                       << QStringLiteral("Character '?' at position 4 is not allowed in base64url.");
        QTest::newRow("space") << QByteArray("Zm 9")
                               << QStringLiteral("Character 0x20 at position 2 is not allowed in base64url.");
        QTest::newRow("inner-equals") << QByteArray("Zm=v")
                                      << QStringLiteral("Character '=' at position 2 is not allowed in base64url.");
    }
    void base64UrlStrictRefuses()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto r = base64UrlDecode(text);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::BadBase64);
        QCOMPARE(r.error().message, message);
    }

    void base64UrlLenientReportsQuirks_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<unsigned>("quirks");
        QTest::newRow("clean") << QByteArray("Zm9vYg") << QByteArray("foob") << unsigned(QuirkNone);
        QTest::newRow("padding-2") << QByteArray("Zg==") << QByteArray("f") << unsigned(QuirkPadding);
        QTest::newRow("padding-1") << QByteArray("Zm8=") << QByteArray("fo") << unsigned(QuirkPadding);
        QTest::newRow("std-alphabet") << QByteArray("+/8") << QByteArray::fromHex("fbff") << unsigned(QuirkStdAlphabet);
        QTest::newRow("mixed-alphabets") << QByteArray("-/8") << QByteArray::fromHex("fbff")
                                         << unsigned(QuirkStdAlphabet);
        QTest::newRow("non-canonical") << QByteArray("Zh") << QByteArray("f") << unsigned(QuirkNonCanonical);
        QTest::newRow("all-three") << QByteArray("+h==") << QByteArray::fromHex("fa")
                                   << unsigned(QuirkPadding | QuirkStdAlphabet | QuirkNonCanonical);
        QTest::newRow("empty") << QByteArray() << QByteArray() << unsigned(QuirkNone);
    }
    void base64UrlLenientReportsQuirks()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, bytes);
        QFETCH(unsigned, quirks);
        const auto r = base64UrlDecodeLenient(text);
        QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->bytes, bytes);
        QCOMPARE(r->quirks, quirks);
    }

    void base64UrlLenientRefuses_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("three-pads") << QByteArray("Zg===") << QStringLiteral("The base64 padding is wrong.");
        QTest::newRow("pad-not-needed") << QByteArray("Zm9v==") << QStringLiteral("The base64 padding is wrong.");
        QTest::newRow("pad-short") << QByteArray("Zg=") << QStringLiteral("The base64 padding is wrong.");
        QTest::newRow("only-pads") << QByteArray("==") << QStringLiteral("The base64 padding is wrong.");
        QTest::newRow("length") << QByteArray("Z")
                                << QStringLiteral("A base64url text cannot have a length of 4k+1 characters (1).");
        QTest::newRow("inner-equals") << QByteArray("Zm=9")
                                      << QStringLiteral("Character '=' at position 2 is not allowed in base64url.");
        QTest::newRow("dot") << QByteArray("Zm.9")
                             << QStringLiteral("Character '.' at position 2 is not allowed in base64url.");
        QTest::newRow("non-ascii") << QByteArray("Zm\xc3\xa9")
                                   << QStringLiteral("Character 0xc3 at position 2 is not allowed in base64url.");
    }
    void base64UrlLenientRefuses()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto r = base64UrlDecodeLenient(text);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::BadBase64);
        QCOMPARE(r.error().message, message);
    }

    void base64StandardIsPaddedOnly()
    {
        QCOMPARE(base64Decode("Zm9vYg==").value(), QByteArray("foob"));
        QCOMPARE(base64Decode("+/8=").value(), QByteArray::fromHex("fbff"));
        QCOMPARE(base64Decode("Zm9vYg").error().message,
                 QStringLiteral("Standard base64 must be padded to a multiple of 4 characters."));
        QCOMPARE(base64Decode("-_8=").error().message,
                 QStringLiteral("'-' and '_' belong to base64url, not standard base64."));
        QCOMPARE(base64Decode("Zh==").error().code, ErrorCode::BadBase64);
        QCOMPARE(base64Decode("Zm9v\nYg==").error().code, ErrorCode::BadBase64);
    }

    void describeQuirksSentences()
    {
        QCOMPARE(describeQuirks(QuirkNone, QStringLiteral("header")), QStringList());
        const QStringList all =
            describeQuirks(QuirkPadding | QuirkStdAlphabet | QuirkNonCanonical, QStringLiteral("payload"));
        QCOMPARE(all, (QStringList{
                          QStringLiteral("The payload segment is padded with '=' (base64url in JOSE has no padding)."),
                          QStringLiteral("The payload segment uses the standard base64 alphabet ('+' or '/')."),
                          QStringLiteral("The payload segment is non-canonical base64url: the unused bits of its "
                                         "last character are not zero."),
                      }));
    }

    // ---------------------------------------------------------------- compact

    void compactKeepsRfc7515A1Exactly()
    {
        const QJsonObject v = rfcVector(QStringLiteral("rfc7515_appendix_a.json"), QStringLiteral("RFC7515-A.1"));
        QVERIFY(!v.isEmpty());
        const QByteArray compact = v.value(QStringLiteral("compact")).toString().toUtf8();
        const auto t = parseCompact(compact);
        QVERIFY(t.has_value());
        QCOMPARE(t->kind, TokenKind::Jws);
        QCOMPARE(t->raw, compact);
        QCOMPARE(t->segments.size(), 3);
        QCOMPARE(t->segments[0], v.value(QStringLiteral("protected_b64")).toString().toUtf8());
        QCOMPARE(t->segments[1], v.value(QStringLiteral("payload_b64")).toString().toUtf8());
        QCOMPARE(t->segments[2], v.value(QStringLiteral("signature_b64")).toString().toUtf8());
        // The header keeps its CR LF and the space: no re-serialisation.
        QCOMPARE(t->header, QByteArray("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"));
        QCOMPARE(t->payload, v.value(QStringLiteral("payload")).toString().toUtf8());
        QCOMPARE(t->signature, test::fromHex(v.value(QStringLiteral("signature_hex")).toString()));
        QVERIFY(t->signatureCanonical);
        QCOMPARE(t->headerQuirks, 0u);
        QCOMPARE(t->payloadQuirks, 0u);
        QVERIFY(t->warnings.isEmpty());
        QVERIFY(!t->isUnsigned());
        QCOMPARE(t->signingInput(), v.value(QStringLiteral("signing_input")).toString().toUtf8());
    }

    void compactUnsignedToken()
    {
        const QJsonObject v = rfcVector(QStringLiteral("rfc7515_appendix_a.json"), QStringLiteral("RFC7515-A.5"));
        const auto t = parseCompact(v.value(QStringLiteral("compact")).toString().toUtf8());
        QVERIFY(t.has_value());
        QVERIFY(t->isUnsigned());
        QCOMPARE(t->segments[2], QByteArray());
        QCOMPARE(t->signature, QByteArray());
        QVERIFY(t->signatureCanonical);
        QCOMPARE(t->header, QByteArray("{\"alg\":\"none\"}"));
    }

    void compactJweHeader()
    {
        const QJsonObject file =
            test::loadVectorFile(QStringLiteral("jose-cookbook/jwe/5_6.direct_encryption_using_aes-gcm.json"));
        const QByteArray compact =
            file.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString().toUtf8();
        QVERIFY(!compact.isEmpty());
        const auto t = parseCompact(compact);
        QVERIFY(t.has_value());
        QCOMPARE(t->kind, TokenKind::Jwe);
        QCOMPARE(t->segments.size(), 5);
        QCOMPARE(t->segments[1], QByteArray()); // "dir": no encrypted key
        QCOMPARE(t->segments[2], QByteArray("refa467QzzKx6QAB"));
        QCOMPARE(t->segments[4], QByteArray("vbb32Xvllea2OtmHAdccRQ"));
        QCOMPARE(t->header,
                 QByteArray(R"({"alg":"dir","kid":"77c7e2b8-6e13-45cf-8672-617b5b45243a","enc":"A128GCM"})"));
        QCOMPARE(t->payload, QByteArray());
        QVERIFY(!t->isUnsigned());
        QCOMPARE(t->segments.join('.'), compact);
    }

    void compactSegmentCounts_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        const QString base =
            QStringLiteral("A compact token has 3 segments (JWS) or 5 (JWE) separated by '.'; this one has %1.");
        QTest::newRow("1") << QByteArray("eyJhbGciOiJub25lIn0")
                           << base.arg(1) + QStringLiteral(" This does not look like a JWT.");
        QTest::newRow("2-alg-none-without-dot")
            << QByteArray("eyJhbGciOiJub25lIn0.e30")
            << base.arg(2) + QStringLiteral(" An unsigned token (alg none) still ends with a '.' after the payload.");
        QTest::newRow("4") << QByteArray("eyJhbGciOiJub25lIn0.e30.e30.e30") << base.arg(4);
        QTest::newRow("6") << QByteArray("eyJhbGciOiJub25lIn0.a.b.c.d.e") << base.arg(6);
        QTest::newRow("only-dots") << QByteArray("...") << base.arg(4);
    }
    void compactSegmentCounts()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto t = parseCompact(text);
        QVERIFY(!t.has_value());
        QCOMPARE(t.error().code, ErrorCode::MalformedToken);
        QCOMPARE(t.error().message, message);
    }

    void compactIllegalCharacters_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("question-in-header")
            << QByteArray("eyJh?GciOiJub25lIn0.e30.")
            << QStringLiteral("The header segment holds '?' at position 4 of the token; only base64url characters "
                              "are allowed.");
        QTest::newRow("space-in-payload")
            << QByteArray("eyJhbGciOiJub25lIn0.e3 0.")
            << QStringLiteral("The payload segment holds a space at position 22 of the token; only base64url "
                              "characters are allowed.");
        QTest::newRow("newline-in-signature")
            << QByteArray("eyJhbGciOiJub25lIn0.e30.ab\ncd")
            << QStringLiteral("The signature segment holds byte 0x0a at position 26 of the token; only base64url "
                              "characters are allowed.");
        QTest::newRow("hash-in-jwe-tag")
            << QByteArray("eyJhbGciOiJkaXIifQ..aaaa.bbbb.cc#c")
            << QStringLiteral("The authentication tag segment holds '#' at position 32 of the token; only "
                              "base64url characters are allowed.");
        QTest::newRow("utf8") << QByteArray("eyJhbGciOiJub25lIn0.\xc3\xa9.")
                              << QStringLiteral("The payload segment holds byte 0xc3 at position 20 of the token; "
                                                "only base64url characters are allowed.");
    }
    void compactIllegalCharacters()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, message);
        const auto t = parseCompact(text);
        QVERIFY(!t.has_value());
        QCOMPARE(t.error().code, ErrorCode::MalformedToken);
        QCOMPARE(t.error().message, message);
    }

    // Wycheproof marks 372/373 "valid" (their MAC skips the '?'); RFC 7515 §2 forbids the character, so
    // tokenbench refuses them as malformed, as `jose` does. 360/361/366/371 are "invalid" there too.
    void compactRefusesWycheproofForeignCharacters_data()
    {
        QTest::addColumn<int>("tcId");
        QTest::addColumn<QString>("segment");
        QTest::addColumn<QString>("character");
        QTest::newRow("wycheproof-tcId-360") << 360 << QStringLiteral("signature") << QStringLiteral("a space");
        QTest::newRow("wycheproof-tcId-361") << 361 << QStringLiteral("signature") << QStringLiteral("'?'");
        QTest::newRow("wycheproof-tcId-366") << 366 << QStringLiteral("header") << QStringLiteral("'#'");
        QTest::newRow("wycheproof-tcId-371") << 371 << QStringLiteral("payload") << QStringLiteral("'?'");
        QTest::newRow("wycheproof-tcId-372-differs-from-wycheproof")
            << 372 << QStringLiteral("header") << QStringLiteral("'?'");
        QTest::newRow("wycheproof-tcId-373-differs-from-wycheproof")
            << 373 << QStringLiteral("payload") << QStringLiteral("'?'");
    }
    void compactRefusesWycheproofForeignCharacters()
    {
        QFETCH(int, tcId);
        QFETCH(QString, segment);
        QFETCH(QString, character);
        const QJsonObject c = findWycheproofCase(tcId);
        QVERIFY(!c.isEmpty());
        const auto t = parseCompact(c.value(QStringLiteral("jws")).toString().toUtf8());
        QVERIFY(!t.has_value());
        QCOMPARE(t.error().code, ErrorCode::MalformedToken);
        QVERIFY2(t.error().message.startsWith(QStringLiteral("The %1 segment holds %2 ").arg(segment, character)),
                 qPrintable(t.error().message));
    }

    void compactEmptyHeaderIsMalformed()
    {
        const auto t = parseCompact(".e30.");
        QVERIFY(!t.has_value());
        QCOMPARE(t.error().code, ErrorCode::MalformedToken);
        QCOMPARE(t.error().message, QStringLiteral("The header segment is empty."));
        QCOMPARE(parseCompact("....").error().message, QStringLiteral("The header segment is empty."));
        QCOMPARE(parseCompact("").error().code, ErrorCode::MalformedToken);
    }

    void compactUndecodableSegments()
    {
        const auto header = parseCompact("e.e30.");
        QCOMPARE(header.error().code, ErrorCode::BadBase64);
        QCOMPARE(header.error().message,
                 QStringLiteral("The header segment is not valid base64url: A base64url text cannot have a length of "
                                "4k+1 characters (1)."));
        const auto payload = parseCompact("e30.e30==.");
        QCOMPARE(payload.error().code, ErrorCode::BadBase64);
        QCOMPARE(payload.error().message,
                 QStringLiteral("The payload segment is not valid base64url: The base64 padding is wrong."));
        const auto signature = parseCompact("e30.e30.abcde");
        QCOMPARE(signature.error().code, ErrorCode::BadBase64);
        QVERIFY(signature.error().message.startsWith(QStringLiteral("The signature segment is not valid base64url")));
    }

    void compactToleratesAndReportsQuirks()
    {
        // Header "{}" padded, payload with '+' (standard alphabet), canonical signature.
        const auto t = parseCompact("e30=.-_-+.AAAA");
        QVERIFY2(t.has_value(), qPrintable(t ? QString() : t.error().message));
        QCOMPARE(t->header, QByteArray("{}"));
        QCOMPARE(t->payload, QByteArray::fromHex("fbffbe"));
        QCOMPARE(t->headerQuirks, unsigned(QuirkPadding));
        QCOMPARE(t->payloadQuirks, unsigned(QuirkStdAlphabet));
        QCOMPARE(t->segments[0], QByteArray("e30=")); // segments stay as they stood
        QCOMPARE(t->warnings,
                 (QStringList{
                     QStringLiteral("The header segment is padded with '=' (base64url in JOSE has no padding)."),
                     QStringLiteral("The payload segment uses the standard base64 alphabet ('+' or '/')."),
                 }));
        QVERIFY(t->signatureCanonical);
        QCOMPARE(t->signature, QByteArray(3, '\0'));
    }

    void compactNonCanonicalSignature_data()
    {
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<QString>("warning");
        const QString tail = QStringLiteral(" A signature must be canonical base64url: it cannot verify as it stands.");
        QTest::newRow("padded") << QByteArray("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk=")
                                << QStringLiteral("The signature segment is padded with '=' (base64url in JOSE has no "
                                                  "padding).") +
                                       tail;
        QTest::newRow("std-alphabet") << QByteArray("dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk")
                                      << QStringLiteral("The signature segment uses the standard base64 alphabet ('+' "
                                                        "or '/').") +
                                             tail;
        QTest::newRow("non-canonical-bits") << QByteArray("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl")
                                            << QStringLiteral("The signature segment is non-canonical base64url: the "
                                                              "unused bits of its last character are not zero.") +
                                                   tail;
    }
    void compactNonCanonicalSignature()
    {
        QFETCH(QByteArray, signature);
        QFETCH(QString, warning);
        const QByteArray token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.e30." + signature;
        const auto t = parseCompact(token);
        QVERIFY(t.has_value());
        QVERIFY(!t->signatureCanonical);
        QCOMPARE(t->signature, QByteArray());
        QCOMPARE(t->segments[2], signature);
        QCOMPARE(t->warnings, QStringList{warning});
    }

    void compactSizeLimit()
    {
        const QByteArray big = "e30.e30." + QByteArray(qsizetype(limits::maxTokenBytes) - 7, 'A');
        QCOMPARE(big.size(), qsizetype(limits::maxTokenBytes) + 1);
        const auto t = parseCompact(big);
        QVERIFY(!t.has_value());
        QCOMPARE(t.error().code, ErrorCode::TooLarge);
        QCOMPARE(t.error().message,
                 QStringLiteral("The token is 4194305 bytes, larger than the 4 MiB limit (4194304 bytes)."));
        // Exactly at the limit is accepted (the signature length is 4k, so it decodes).
        const QByteArray atLimit = "e30.e30." + QByteArray(qsizetype(limits::maxTokenBytes) - 8, 'A');
        QVERIFY(parseCompact(atLimit).has_value());
    }

    // ---------------------------------------------------------------- JSON tokenizer

    void jsonTokenStream()
    {
        const QByteArray text = " {\"a\" : [1, true,null], \"b\":\"x\\\"y\"} ";
        const JsonScan s = scanJson(text);
        QVERIFY(!s.error);
        QVERIFY(s.topLevelIsObject);
        using T = JsonTokenType;
        const QList<std::tuple<T, qsizetype, qsizetype, int, bool>> expected = {
            {T::BeginObject, 1, 1, 0, false}, {T::String, 2, 3, 1, true},   {T::Colon, 6, 1, 1, false},
            {T::BeginArray, 8, 1, 1, false},  {T::Number, 9, 1, 2, false},  {T::Comma, 10, 1, 2, false},
            {T::True, 12, 4, 2, false},       {T::Comma, 16, 1, 2, false},  {T::Null, 17, 4, 2, false},
            {T::EndArray, 21, 1, 1, false},   {T::Comma, 22, 1, 1, false},  {T::String, 24, 3, 1, true},
            {T::Colon, 27, 1, 1, false},      {T::String, 28, 6, 1, false}, {T::EndObject, 34, 1, 0, false},
        };
        QCOMPARE(s.tokens.size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const JsonToken& t = s.tokens[i];
            const auto& [type, offset, length, depth, isKey] = expected[i];
            QCOMPARE(int(t.type), int(type));
            QCOMPARE(t.offset, offset);
            QCOMPARE(t.length, length);
            QCOMPARE(t.depth, depth);
            QCOMPARE(t.isKey, isKey);
        }
        QCOMPARE(jsonStringValue(text.sliced(28, 6)), QStringLiteral("x\"y"));
        QVERIFY(s.duplicates.isEmpty());
        // Only the string written with an escape says so (the view decodes only those keys).
        for (qsizetype i = 0; i < s.tokens.size(); ++i) {
            QCOMPARE(s.tokens[i].escaped, i == 13);
        }
    }

    void jsonAcceptsValidText_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("scalar-number") << QByteArray("-0.5e+10");
        QTest::newRow("scalar-string") << QByteArray("\"s\"");
        QTest::newRow("literals") << QByteArray("[true,false,null]");
        QTest::newRow("zero") << QByteArray("0");
        QTest::newRow("minus-zero-exp") << QByteArray("-0E-0");
        QTest::newRow("surrogate-pair") << QByteArray("[\"\\ud83d\\ude00\"]");
        QTest::newRow("utf8-2-3-4-bytes") << QByteArray("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\"");
        QTest::newRow("all-escapes") << QByteArray("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\uFFFF\"");
        QTest::newRow("whitespace-everywhere") << QByteArray(" \t\r\n{ \"a\" :\t[ ] ,\"b\":{ }}\r\n");
        QTest::newRow("empty-key") << QByteArray(R"({"":1})");
        QTest::newRow("del-byte") << QByteArray("\"\x7f\"");
    }
    void jsonAcceptsValidText()
    {
        QFETCH(QByteArray, text);
        const JsonScan s = scanJson(text);
        QVERIFY2(!s.error, qPrintable(s.error ? s.error->message : QString()));
    }

    void jsonPositionedErrors_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray() << 1 << 1 << QStringLiteral("The text is empty; expected a JSON value.");
        QTest::newRow("blank") << QByteArray(" \n ") << 2 << 2
                               << QStringLiteral("The text holds only whitespace; expected a JSON value.");
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF{}") << 1 << 1
                             << QStringLiteral("The text starts with a byte order mark, which JSON does not allow.");
        QTest::newRow("missing-colon") << QByteArray(R"({"a" 1})") << 1 << 6
                                       << QStringLiteral("Expected ':' after an object key.");
        QTest::newRow("trailing-comma-object")
            << QByteArray(R"({"a":1,})") << 1 << 8
            << QStringLiteral("Expected an object key after ',' (a trailing comma?).");
        QTest::newRow("trailing-comma-array")
            << QByteArray("[1,2,]") << 1 << 6 << QStringLiteral("Expected a value before ']' (a trailing comma?).");
        QTest::newRow("non-string-key") << QByteArray("{1:2}") << 1 << 2
                                        << QStringLiteral("Expected a string as object key, found '1'.");
        QTest::newRow("single-quotes") << QByteArray("{'a':1}") << 1 << 2
                                       << QStringLiteral("Expected a string as object key, found '''.");
        QTest::newRow("missing-comma") << QByteArray("[1 2]") << 1 << 4
                                       << QStringLiteral("Expected ',' or ']' after an array element.");
        QTest::newRow("missing-comma-object") << QByteArray(R"({"a":1 "b":2})") << 1 << 8
                                              << QStringLiteral("Expected ',' or '}' after an object member.");
        QTest::newRow("unclosed-object") << QByteArray(R"({"a":1)") << 1 << 7
                                         << QStringLiteral("The text ends inside an object.");
        QTest::newRow("unclosed-array") << QByteArray("[1,") << 1 << 4
                                        << QStringLiteral("The text ends where a value was expected.");
        QTest::newRow("unclosed-key") << QByteArray("{") << 1 << 2
                                      << QStringLiteral("The text ends where an object key was expected.");
        QTest::newRow("unclosed-string") << QByteArray("[\"abc") << 1 << 2
                                         << QStringLiteral("The string that starts here is not closed.");
        QTest::newRow("leading-zero") << QByteArray("{\n  \"a\": 01\n}") << 2 << 8
                                      << QStringLiteral("Numbers must not have leading zeros.");
        QTest::newRow("dot-no-digit") << QByteArray("1.") << 1 << 3
                                      << QStringLiteral("Expected a digit after the decimal point.");
        QTest::newRow("exp-no-digit") << QByteArray("1e+") << 1 << 4
                                      << QStringLiteral("Expected a digit in the exponent.");
        QTest::newRow("minus-alone") << QByteArray("-") << 1 << 2 << QStringLiteral("Expected a digit after '-'.");
        QTest::newRow("plus-sign") << QByteArray("+1") << 1 << 1 << QStringLiteral("Expected a JSON value, found '+'.");
        QTest::newRow("leading-dot") << QByteArray(".5") << 1 << 1
                                     << QStringLiteral("Expected a JSON value, found '.'.");
        QTest::newRow("hex") << QByteArray("0x10") << 1 << 2 << QStringLiteral("Unexpected text after the JSON value.");
        QTest::newRow("NaN") << QByteArray("NaN") << 1 << 1 << QStringLiteral("Expected a JSON value, found 'N'.");
        QTest::newRow("Infinity") << QByteArray("[-Infinity]") << 1 << 3
                                  << QStringLiteral("Expected a digit after '-'.");
        QTest::newRow("bad-literal") << QByteArray("[tru]") << 1 << 2
                                     << QStringLiteral(
                                            "Expected a JSON value, found 't' (literals are true, false and null).");
        QTest::newRow("capital-literal") << QByteArray("True") << 1 << 1
                                         << QStringLiteral("Expected a JSON value, found 'T'.");
        QTest::newRow("two-values") << QByteArray("{} {}") << 1 << 4
                                    << QStringLiteral("Unexpected text after the JSON value.");
        QTest::newRow("control-char") << QByteArray("\"a\x01\"") << 1 << 3
                                      << QStringLiteral("Control character 0x01 must be escaped inside a string.");
        QTest::newRow("raw-newline-in-string") << QByteArray("[\"a\nb\"]") << 1 << 4
                                               << QStringLiteral("Control character 0x0a must be escaped inside a "
                                                                 "string.");
        QTest::newRow("bad-escape") << QByteArray("\"\\x\"") << 1 << 2
                                    << QStringLiteral("Invalid escape sequence '\\x' in a string.");
        QTest::newRow("short-unicode") << QByteArray("\"\\u12G4\"") << 1 << 2
                                       << QStringLiteral("'\\u' must be followed by four hexadecimal digits.");
        QTest::newRow("lone-high") << QByteArray("\"\\ud800\"") << 1 << 2
                                   << QStringLiteral("High surrogate \\ud800 is not followed by a low surrogate "
                                                     "escape.");
        QTest::newRow("high-then-bmp") << QByteArray("\"\\uD83D\\u0041\"") << 1 << 2
                                       << QStringLiteral("High surrogate \\ud83d is not followed by a low surrogate "
                                                         "escape.");
        QTest::newRow("lone-low") << QByteArray("[\"x\\udc00\"]") << 1 << 4
                                  << QStringLiteral("Lone low surrogate \\udc00 (it must follow a high surrogate).");
        QTest::newRow("utf8-continuation-first") << QByteArray("\"\x80\"") << 1 << 2
                                                 << QStringLiteral("Invalid UTF-8: byte 0x80 cannot start a "
                                                                   "character.");
        QTest::newRow("utf8-overlong") << QByteArray("\"\xc0\xaf\"") << 1 << 2
                                       << QStringLiteral("Invalid UTF-8: byte 0xc0 cannot start a character.");
        QTest::newRow("utf8-overlong-3") << QByteArray("\"\xe0\x80\xaf\"") << 1 << 2
                                         << QStringLiteral("Invalid UTF-8 sequence starting with byte 0xe0.");
        QTest::newRow("utf8-surrogate") << QByteArray("\"\xed\xa0\x80\"") << 1 << 2
                                        << QStringLiteral("Invalid UTF-8 sequence starting with byte 0xed.");
        QTest::newRow("utf8-above-10ffff") << QByteArray("\"\xf4\x90\x80\x80\"") << 1 << 2
                                           << QStringLiteral("Invalid UTF-8 sequence starting with byte 0xf4.");
        QTest::newRow("utf8-truncated") << QByteArray("\"\xe2\x82\"") << 1 << 2
                                        << QStringLiteral("Invalid UTF-8 sequence starting with byte 0xe2.");
        QTest::newRow("utf8-cut-at-end") << QByteArray("\"\xe2\x82") << 1 << 2
                                         << QStringLiteral("Invalid UTF-8: the text ends inside a character.");
        QTest::newRow("utf8-outside-string")
            << QByteArray("\xc3\xa9") << 1 << 1 << QStringLiteral("Expected a JSON value, found byte 0xc3.");
        QTest::newRow("crlf-lines") << QByteArray("{\r\n\"a\":x}") << 2 << 5
                                    << QStringLiteral("Expected a JSON value, found 'x'.");
        QTest::newRow("third-line") << QByteArray("[\n1,\n\t2 3]") << 3 << 4
                                    << QStringLiteral("Expected ',' or ']' after an array element.");
    }
    void jsonPositionedErrors()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const JsonScan s = scanJson(text);
        QVERIFY(s.error.has_value());
        QCOMPARE(s.error->message, message);
        QCOMPARE(s.error->position.line, line);
        QCOMPARE(s.error->position.column, column);
        QCOMPARE(s.error->kind, JsonErrorKind::Syntax);
        const Error e = toError(*s.error, QStringLiteral("The header"));
        QCOMPARE(e.code, ErrorCode::BadJson);
        QCOMPARE(e.message, QStringLiteral("The header is not valid JSON at line %1, column %2: %3")
                                .arg(line)
                                .arg(column)
                                .arg(message));
    }

    void jsonDepthLimit_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("ok");
        QTest::newRow("arrays-256") << nested(256, "[", "]") << true;
        QTest::newRow("arrays-257") << nested(257, "[", "]") << false;
        QTest::newRow("objects-256") << nested(255, "{\"a\":", "}").replace(":}", ":{}}") << true;
        QTest::newRow("objects-257") << nested(256, "{\"a\":", "}").replace(":}", ":{}}") << false;
        QTest::newRow("unclosed-100000") << QByteArray(100000, '[') << false;
    }
    void jsonDepthLimit()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, ok);
        const JsonScan s = scanJson(text);
        QCOMPARE(!s.error.has_value(), ok);
        if (!ok) {
            QCOMPARE(s.error->kind, JsonErrorKind::TooDeep);
            QCOMPARE(s.error->message, QStringLiteral("The JSON nesting is deeper than the limit of 256 levels."));
            QCOMPARE(toError(*s.error).code, ErrorCode::TooDeep);
        } else {
            QCOMPARE(s.tokens.first().depth, 0);
        }
    }

    void jsonDepthLimitIsAParameter()
    {
        QVERIFY(!scanJson("[[[1]]]", 3).error);
        const JsonScan s = scanJson("[[[[1]]]]", 3);
        QVERIFY(s.error.has_value());
        QCOMPARE(s.error->position.column, 4);
        QCOMPARE(s.error->message, QStringLiteral("The JSON nesting is deeper than the limit of 3 levels."));
    }

    void jsonMemberLimit()
    {
        QVERIFY(!scanJson(R"({"a":1,"b":2,"c":3})", 256, 3).error);
        const JsonScan o = scanJson(R"({"a":1,"b":2,"c":3,"d":4})", 256, 3);
        QVERIFY(o.error.has_value());
        QCOMPARE(o.error->kind, JsonErrorKind::TooManyMembers);
        QCOMPARE(o.error->message, QStringLiteral("An object has more than the limit of 3 members."));
        QCOMPARE(o.error->position.column, 20);
        QCOMPARE(toError(*o.error).code, ErrorCode::TooLarge);
        const JsonScan a = scanJson("[[1,2,3],[1,2,3,4]]", 256, 3);
        QCOMPARE(a.error->message, QStringLiteral("An array has more than the limit of 3 elements."));

        // The default limit (100000) per container.
        QByteArray big = "[0";
        big.append(QByteArray(",0").repeated(qsizetype(limits::maxJsonMembers) - 1));
        QVERIFY(!scanJson(big + "]").error);
        const JsonScan over = scanJson(big + ",0]");
        QCOMPARE(over.error->message, QStringLiteral("An array has more than the limit of 100000 elements."));
    }

    void jsonDuplicateKeys()
    {
        const QByteArray text = "{\"a\":1,\"b\":{\"c\":1,\n\"c\":2},\"a\":3,\"\\u0061\":4}";
        const JsonScan s = scanJson(text);
        QVERIFY(!s.error);
        QCOMPARE(s.duplicates.size(), 3);
        QCOMPARE(s.duplicates[0].key, QStringLiteral("c"));
        QCOMPARE(s.duplicates[0].path, QStringLiteral("/b"));
        QCOMPARE(s.duplicates[0].first.offset, 12);
        QCOMPARE(s.duplicates[0].first.line, 1);
        QCOMPARE(s.duplicates[0].first.column, 13);
        QCOMPARE(s.duplicates[0].duplicate.offset, 19);
        QCOMPARE(s.duplicates[0].duplicate.line, 2);
        QCOMPARE(s.duplicates[0].duplicate.column, 1);
        QCOMPARE(s.duplicates[1].key, QStringLiteral("a"));
        QCOMPARE(s.duplicates[1].path, QString());
        QCOMPARE(s.duplicates[1].first.column, 2);
        QCOMPARE(s.duplicates[1].duplicate.line, 2);
        QCOMPARE(s.duplicates[1].duplicate.column, 8);
        // An escaped spelling of the same key is the same key.
        QCOMPARE(s.duplicates[2].key, QStringLiteral("a"));
        QCOMPARE(s.duplicates[2].first.column, 2);
        QCOMPARE(s.duplicates[2].duplicate.column, 14);
    }

    void jsonDuplicatePathsAreJsonPointers()
    {
        const JsonScan s = scanJson(R"({"x/y":{"~":[0,{"k":1,"k":2}]},"k":1})");
        QVERIFY(!s.error);
        QCOMPARE(s.duplicates.size(), 1);
        QCOMPARE(s.duplicates[0].path, QStringLiteral("/x~1y/~0/1"));
        QCOMPARE(s.duplicates[0].key, QStringLiteral("k"));
        // Same key in sibling objects is not a duplicate.
        QVERIFY(scanJson(R"([{"a":1},{"a":2}])").duplicates.isEmpty());
        QVERIFY(scanJson(R"({"a":{"a":1}})").duplicates.isEmpty());
    }

    void jsonDuplicatesInLargeObjects()
    {
        QByteArray text = "{";
        for (int i = 0; i < 5000; ++i) {
            text += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ',';
        }
        text += "\"k4321\":0,\"\\u006b17\":1}";
        const JsonScan s = scanJson(text);
        QVERIFY(!s.error);
        QCOMPARE(s.duplicates.size(), 2);
        QCOMPARE(s.duplicates[0].key, QStringLiteral("k4321"));
        QCOMPARE(text.sliced(s.duplicates[0].first.offset, 7), QByteArray("\"k4321\""));
        QCOMPARE(s.duplicates[1].key, QStringLiteral("k17"));
        QCOMPARE(text.sliced(s.duplicates[1].first.offset, 5), QByteArray("\"k17\""));
    }

    void prettyAndCompactExact()
    {
        const QByteArray text = "{\"b\":1,\"a\":[1,2,{}],\"c\":{\"d\":\"x\\n\"},\"e\":[]}";
        const QByteArray pretty = "{\n"
                                  "  \"b\": 1,\n"
                                  "  \"a\": [\n"
                                  "    1,\n"
                                  "    2,\n"
                                  "    {}\n"
                                  "  ],\n"
                                  "  \"c\": {\n"
                                  "    \"d\": \"x\\n\"\n"
                                  "  },\n"
                                  "  \"e\": []\n"
                                  "}";
        QCOMPARE(prettyJson(text).value(), pretty);
        QCOMPARE(compactJson(pretty).value(), text);
        QCOMPARE(prettyJson("[1]", 4).value(), QByteArray("[\n    1\n]"));
        QCOMPARE(prettyJson(" 7 ").value(), QByteArray("7"));
    }

    void prettyCompactKeepSpellingAndOrder_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("compact");
        QTest::newRow("rfc7515-a1-header")
            << QByteArray("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}") << QByteArray(R"({"typ":"JWT","alg":"HS256"})");
        QTest::newRow("numbers") << QByteArray("{ \"n\" : 1.0e+2 , \"m\" : -0, \"big\": 12345678901234567890123 }")
                                 << QByteArray(R"({"n":1.0e+2,"m":-0,"big":12345678901234567890123})");
        QTest::newRow("escapes") << QByteArray("[ \"\\u00e9\\/\" , \"\xc3\xa9\", \"a b\" ]")
                                 << QByteArray("[\"\\u00e9\\/\",\"\xc3\xa9\",\"a b\"]");
        QTest::newRow("duplicates-kept") << QByteArray("{\"z\":1,\n\"a\":2,\n\"z\":3}")
                                         << QByteArray(R"({"z":1,"a":2,"z":3})");
    }
    void prettyCompactKeepSpellingAndOrder()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, compact);
        QCOMPARE(compactJson(text).value(), compact);
        const QByteArray pretty = prettyJson(text).value();
        QCOMPARE(compactJson(pretty).value(), compact);
        QCOMPARE(compactJson(prettyJson(pretty).value()).value(), compact);
        // Only whitespace was added: dropping it outside strings gives the compact form back.
        QByteArray stripped;
        bool inString = false;
        for (qsizetype i = 0; i < pretty.size(); ++i) {
            const char c = pretty[i];
            if (inString) {
                stripped += c;
                if (c == '\\') {
                    stripped += pretty[++i];
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                stripped += c;
            } else if (c != ' ' && c != '\n') {
                stripped += c;
            }
        }
        QCOMPARE(stripped, compact);
    }

    void prettyRefusesBadJson()
    {
        const auto r = prettyJson("{\"a\":}");
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, ErrorCode::BadJson);
        QCOMPARE(r.error().message, QStringLiteral("The JSON text is not valid JSON at line 1, column 6: Expected a "
                                                   "value before '}' (a trailing comma?)."));
        QCOMPARE(compactJson(nested(300, "[", "]")).error().code, ErrorCode::TooDeep);
    }

    void parseObjectReadsValues()
    {
        const auto o = parseObject("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\", \"n\": 1.5, \"e\": \"\\u00e9\"}");
        QVERIFY(o.has_value());
        QCOMPARE(o->value(QStringLiteral("alg")).toString(), QStringLiteral("HS256"));
        QCOMPARE(o->value(QStringLiteral("n")).toDouble(), 1.5);
        QCOMPARE(o->value(QStringLiteral("e")).toString(), QStringLiteral("\u00e9"));
        QCOMPARE(o->size(), 4);
    }

    void parseObjectRefuses()
    {
        QCOMPARE(parseObject("[1]").error().message, QStringLiteral("The JSON text is not an object."));
        QCOMPARE(parseObject("\"x\"").error().code, ErrorCode::BadJson);
        const auto bad = parseObject("{\n\"a\" 1}");
        QCOMPARE(bad.error().code, ErrorCode::BadJson);
        QCOMPARE(bad.error().message,
                 QStringLiteral("The JSON text is not valid JSON at line 2, column 5: Expected ':' after an object "
                                "key."));
        const auto deep = parseObject("{\"a\":" + nested(300, "[", "]") + "}");
        QCOMPARE(deep.error().code, ErrorCode::TooDeep);
        QVERIFY(deep.error().message.contains(QStringLiteral("limit of 256 levels")));
        // Valid RFC 8259 that Qt cannot hold as a double.
        QCOMPARE(parseObject(R"({"a":1e400})").error().code, ErrorCode::BadJson);
        QCOMPARE(parseObject("{\"a\":\"\\ud800\"}").error().code, ErrorCode::BadJson);
    }

    void setTopLevelMemberCases_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<InsertAt>("where");
        QTest::addColumn<QByteArray>("expected");
        const QByteArray hs = "\"HS256\"";
        const QByteArray kid = "\"k1\"";
        QTest::newRow("empty-alg-first") << QByteArray("{}") << QStringLiteral("alg") << hs << InsertAt::AtStart
                                         << QByteArray(R"({"alg":"HS256"})");
        QTest::newRow("empty-kid-last") << QByteArray("{}") << QStringLiteral("kid") << kid << InsertAt::AtEnd
                                        << QByteArray(R"({"kid":"k1"})");
        QTest::newRow("empty-with-space") << QByteArray(" { } ") << QStringLiteral("kid") << kid << InsertAt::AtEnd
                                          << QByteArray(R"( {"kid":"k1" } )");
        QTest::newRow("insert-alg-first") << QByteArray(R"({"typ":"JWT"})") << QStringLiteral("alg") << hs
                                          << InsertAt::AtStart << QByteArray(R"({"alg":"HS256","typ":"JWT"})");
        QTest::newRow("append-kid") << QByteArray(R"({"typ":"JWT"})") << QStringLiteral("kid") << kid << InsertAt::AtEnd
                                    << QByteArray(R"({"typ":"JWT","kid":"k1"})");
        QTest::newRow("alg-in-place") << QByteArray(R"({"typ":"JWT","alg":"none","x":1})") << QStringLiteral("alg")
                                      << hs << InsertAt::AtStart << QByteArray(R"({"typ":"JWT","alg":"HS256","x":1})");
        QTest::newRow("kid-in-place") << QByteArray(R"({"kid":"old","typ":"JWT"})") << QStringLiteral("kid") << kid
                                      << InsertAt::AtEnd << QByteArray(R"({"kid":"k1","typ":"JWT"})");
        QTest::newRow("object-value-replaced")
            << QByteArray(R"({"alg":{"a":[1,{}]},"b":2})") << QStringLiteral("alg") << QByteArray("\"RS256\"")
            << InsertAt::AtStart << QByteArray(R"({"alg":"RS256","b":2})");
        QTest::newRow("first-duplicate-replaced")
            << QByteArray(R"({"alg":"a","alg":"b"})") << QStringLiteral("alg") << hs << InsertAt::AtStart
            << QByteArray(R"({"alg":"HS256","alg":"b"})");
        QTest::newRow("escaped-key-matches") << QByteArray("{\"\\u0061lg\":\"x\"}") << QStringLiteral("alg") << hs
                                             << InsertAt::AtStart << QByteArray("{\"\\u0061lg\":\"HS256\"}");
        QTest::newRow("nested-alg-untouched")
            << QByteArray("{\n  \"typ\" : \"JWT\",\n  \"x\": {\"alg\":1}\n}") << QStringLiteral("alg") << hs
            << InsertAt::AtStart
            << QByteArray("{\n  \"alg\" : \"HS256\",\n  \"typ\" : \"JWT\",\n  \"x\": {\"alg\":1}\n}");
        QTest::newRow("pretty-append") << QByteArray("{\n  \"typ\" : \"JWT\",\n  \"x\": {\"alg\":1}\n}")
                                       << QStringLiteral("kid") << kid << InsertAt::AtEnd
                                       << QByteArray(
                                              "{\n  \"typ\" : \"JWT\",\n  \"x\": {\"alg\":1},\n  \"kid\": \"k1\"\n}");
        QTest::newRow("odd-whitespace") << QByteArray("\t{\r\n\"typ\"\t:\t\"JWT\"\r\n}\n") << QStringLiteral("alg")
                                        << hs << InsertAt::AtStart
                                        << QByteArray("\t{\r\n\"alg\"\t:\t\"HS256\",\r\n\"typ\"\t:\t\"JWT\"\r\n}\n");
        QTest::newRow("rfc7515-a1-header")
            << QByteArray("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}") << QStringLiteral("kid") << kid << InsertAt::AtEnd
            << QByteArray("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\",\r\n \"kid\":\"k1\"}");
        QTest::newRow("key-needing-escape") << QByteArray("{}") << QStringLiteral("a\"b") << QByteArray("[1, 2]")
                                            << InsertAt::AtEnd << QByteArray("{\"a\\\"b\":[1, 2]}");
    }
    void setTopLevelMemberCases()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, key);
        QFETCH(QByteArray, value);
        QFETCH(InsertAt, where);
        QFETCH(QByteArray, expected);
        const auto r = setTopLevelMember(text, key, value, where);
        QVERIFY2(r.has_value(), qPrintable(r ? QString() : r.error().message));
        QCOMPARE(*r, expected);
        QVERIFY(!scanJson(*r).error);
    }

    void setTopLevelMemberRefuses()
    {
        const QByteArray hs = "\"HS256\"";
        QCOMPARE(setTopLevelMember("[1]", QStringLiteral("alg"), hs, InsertAt::AtStart).error().message,
                 QStringLiteral("The JSON text is not an object."));
        QCOMPARE(setTopLevelMember("{\"a\":}", QStringLiteral("alg"), hs, InsertAt::AtStart).error().code,
                 ErrorCode::BadJson);
        const auto badValue = setTopLevelMember("{}", QStringLiteral("alg"), "HS256", InsertAt::AtStart);
        QCOMPARE(badValue.error().code, ErrorCode::BadJson);
        QVERIFY(badValue.error().message.startsWith(QStringLiteral("The value for \"alg\" is not valid JSON")));
    }

    void jsonQuoteMinimalEscapes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("quoted");
        QTest::newRow("empty") << QString() << QByteArray("\"\"");
        QTest::newRow("quote-backslash") << QStringLiteral("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("short-escapes") << QStringLiteral("\b\f\n\r\t") << QByteArray("\"\\b\\f\\n\\r\\t\"");
        QTest::newRow("other-controls") << QString(QChar(1)) + QChar(0x1f) + QChar(0)
                                        << QByteArray("\"\\u0001\\u001f\\u0000\"");
        QTest::newRow("slash-and-unicode")
            << QStringLiteral("/\u00e9\u20ac") << QByteArray("\"/\xc3\xa9\xe2\x82\xac\"");
        QTest::newRow("del") << QString(QChar(0x7f)) << QByteArray("\"\x7f\"");
    }
    void jsonQuoteMinimalEscapes()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, quoted);
        QCOMPARE(jsonQuote(text), quoted);
        QCOMPARE(jsonStringValue(quoted), text);
    }

    // Mutated inputs (fixed seed): nothing crashes, and the whitespace-only properties hold whenever the scan passes.
    void mutatedInputsKeepTheProperties()
    {
        const QList<QByteArray> seeds = {
            "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}",
            "{\"a\":[1,-2.5e+3,true,false,null,{\"b\":\"\\u00e9\\ud83d\\ude00\"}],\"c\":{}}",
            "[\"x\\\"y\", 0, [], {\"k\":1,\"k\":2}]",
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UifQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        };
        const QByteArray alphabet = "{}[]:,\"\\ \n\t0123456789-+.eEtrufalsn/uUdD\x80\xc3\xa9\xed\xff.=_A";
        QRandomGenerator rng(20261127);
        int scanned = 0;
        for (int round = 0; round < 20000; ++round) {
            QByteArray text = seeds[round % seeds.size()];
            const int edits = 1 + int(rng.bounded(4));
            for (int e = 0; e < edits && !text.isEmpty(); ++e) {
                const auto at = qsizetype(rng.bounded(int(text.size())));
                const char c = alphabet[qsizetype(rng.bounded(int(alphabet.size())))];
                switch (rng.bounded(3)) {
                case 0:
                    text[at] = c;
                    break;
                case 1:
                    text.insert(at, c);
                    break;
                default:
                    text.remove(at, 1);
                    break;
                }
            }
            (void)parseCompact(text);
            const JsonScan scan = scanJson(text);
            const auto pretty = prettyJson(text);
            const auto compact = compactJson(text);
            QCOMPARE(pretty.has_value(), !scan.error);
            QCOMPARE(compact.has_value(), !scan.error);
            (void)parseObject(text);
            (void)setTopLevelMember(text, QStringLiteral("alg"), "\"HS256\"", InsertAt::AtStart);
            for (const JsonToken& t : scan.tokens) {
                if (t.type == JsonTokenType::String) {
                    (void)jsonStringValue(text.sliced(t.offset, t.length));
                }
            }
            if (scan.error) {
                QVERIFY(scan.error->position.offset <= text.size());
                continue;
            }
            ++scanned;
            QCOMPARE(compactJson(*pretty).value(), *compact);
            if (scan.topLevelIsObject) {
                const auto edited = setTopLevelMember(text, QStringLiteral("kid"), "\"k\"", InsertAt::AtEnd);
                QVERIFY(edited.has_value());
                QVERIFY(!scanJson(*edited).error);
            }
        }
        QVERIFY(scanned > 100); // the property part really ran
    }

    void jsonStringValueStaysInBoundsOnUnscannedTokens()
    {
        QCOMPARE(jsonStringValue("\"\\\""), QString());
        QCOMPARE(jsonStringValue("\"a\\u12\""), QStringLiteral("a"));
        QCOMPARE(jsonStringValue("\"\\ud800\""), QStringLiteral("\ufffd"));
        QCOMPARE(jsonStringValue("\"\\udc00x\""), QStringLiteral("\ufffdx"));
        QCOMPARE(jsonStringValue("\""), QString());
    }

    void jsonStringValueDecodesEscapes()
    {
        QCOMPARE(jsonStringValue("\"\\ud83d\\ude00\\u00e9\\/\\n\""), QStringLiteral("\U0001F600\u00e9/\n"));
        QCOMPARE(jsonStringValue("\"plain\""), QStringLiteral("plain"));
    }

    // More tokens than the first guess of one per 4 bytes: the token list grows and keeps every token in order,
    // for a small text (a buffer copied once) and a large one (scanned straight into the list, grown in place).
    void jsonDenseTokensAllKept_data()
    {
        QTest::addColumn<int>("n");
        QTest::newRow("small text") << 5000;
        QTest::newRow("large text") << 90000; // under limits::maxJsonMembers
    }

    void jsonDenseTokensAllKept()
    {
        QFETCH(int, n);
        const QByteArray text = "[" + QByteArray("1,").repeated(n) + "1]";
        const JsonScan s = scanJson(text);
        QVERIFY(!s.error);
        QCOMPARE(s.tokens.size(), qsizetype(2 * n + 3));
        for (qsizetype i = 1; i + 1 < s.tokens.size(); ++i) {
            const JsonToken& t = s.tokens[i];
            if (t.type != (i % 2 == 1 ? JsonTokenType::Number : JsonTokenType::Comma) || t.offset != i ||
                t.length != 1 || t.depth != 1) {
                QFAIL(qPrintable(QStringLiteral("token %1 differs").arg(i)));
            }
        }
        QCOMPARE(int(s.tokens.constLast().type), int(JsonTokenType::EndArray));
        QCOMPARE(s.tokens.constLast().offset, text.size() - 1);
        // A failed scan keeps the tokens read before the error.
        const JsonScan bad = scanJson("[1,2,x]");
        QVERIFY(bad.error);
        QCOMPARE(bad.tokens.size(), qsizetype(5));
        const JsonScan badLarge = scanJson(text.first(text.size() - 1) + ",x]");
        QVERIFY(badLarge.error);
        QCOMPARE(badLarge.error->position.offset, text.size());
        QCOMPARE(badLarge.tokens.size(), qsizetype(2 * n + 3));
    }

    // A value's tokens joined as written (order, spelling, escapes), whitespace dropped, cut after a budget.
    void jsonObjectViewCompactRaw()
    {
        const QByteArray text = "{\"a\": { \"y\" : 1 ,\n \"b\":[1e3, \"x\\n\"] }, \"s\":\"v\"}";
        const JsonScan scan = scanJson(text);
        QVERIFY(!scan.error);
        const JsonObjectView view(text, scan);
        QCOMPARE(view.compactRaw("a", 100), QByteArray("{\"y\":1,\"b\":[1e3,\"x\\n\"]}"));
        QCOMPARE(view.compactRaw("a", 5), QByteArray("{\"y\":")); // '{', '"y"' (4 bytes), ':' reaches 5
        QCOMPARE(view.compactRaw("s", 100), QByteArray("\"v\""));
        QCOMPARE(view.compactRaw("missing", 100), QByteArray());
    }

    // ---------------------------------------------------------------- decodeToken

    void decodeTokenReadsRfc7515A1()
    {
        const QJsonObject v = rfcVector(QStringLiteral("rfc7515_appendix_a.json"), QStringLiteral("RFC7515-A.1"));
        const QByteArray compact = v.value(QStringLiteral("compact")).toString().toUtf8();
        const auto d = decodeToken(compact);
        QVERIFY(d.has_value());
        QVERIFY(d->isJws());
        QVERIFY(!d->isUnsigned());
        QCOMPARE(d->compact.raw, QByteArrayView(compact));
        QCOMPARE(d->compact.segments[1], QByteArrayView(v.value(QStringLiteral("payload_b64")).toString().toUtf8()));
        QCOMPARE(d->compact.header, QByteArray("{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}"));
        QVERIFY(d->warnings.isEmpty());
        const JsonObjectView header = d->header();
        QCOMPARE(header.memberCount(), qsizetype(2));
        QCOMPARE(header.string("alg"), std::optional<QString>(QStringLiteral("HS256")));
        QCOMPARE(header.string("typ"), std::optional<QString>(QStringLiteral("JWT")));
        QVERIFY(d->payloadIsObject());
        const JsonObjectView payload = d->payload();
        QCOMPARE(payload.keys(), QStringList({QStringLiteral("iss"), QStringLiteral("exp"),
                                              QStringLiteral("http://example.com/is_root")}));
        QCOMPARE(payload.string("iss"), std::optional<QString>(QStringLiteral("joe")));
        QCOMPARE(payload.number("exp"), std::optional<double>(1300819380));
        QCOMPARE(payload.typeOf("http://example.com/is_root"), std::optional(JsonTokenType::True));
    }

    // Warnings in order: base64url quirks, then duplicate keys of the header, then of the payload.
    void decodeTokenWarnsInOrder()
    {
        const QByteArray token = base64UrlEncode(R"({"alg":"HS256","alg":"none"})") + '.' +
                                 base64UrlEncode(R"({"a":{"b":1,"b":2}})") + "==." + base64UrlEncode("sig");
        const auto d = decodeToken(token);
        QVERIFY(d.has_value());
        QCOMPARE(d->warnings,
                 QStringList({QStringLiteral("The payload segment is padded with '=' (base64url in JOSE has no "
                                             "padding)."),
                              QStringLiteral("Duplicate key \"alg\" in the header at line 1, column 16 (first at "
                                             "line 1, column 2)."),
                              QStringLiteral("Duplicate key \"b\" in /a of the payload at line 1, column 13 (first at "
                                             "line 1, column 7).")}));
        QCOMPARE(d->header().string("alg"), std::optional<QString>(QStringLiteral("none"))); // the last one
    }

    void decodeTokenPayloadNeedNotBeJson()
    {
        const auto text = decodeToken(base64UrlEncode(R"({"alg":"none"})") + '.' + base64UrlEncode("hello") + '.');
        QVERIFY(text.has_value());
        QVERIFY(text->isUnsigned());
        QVERIFY(!text->payloadIsObject());
        QVERIFY(text->payloadScan.error.has_value());
        QCOMPARE(text->compact.payload, QByteArray("hello"));
        QVERIFY(!text->payload().isObject());
        QCOMPARE(text->payload().memberCount(), qsizetype(0));

        const auto empty = decodeToken(base64UrlEncode(R"({"alg":"none"})") + "..");
        QVERIFY(empty.has_value());
        QVERIFY(!empty->payloadIsObject());
        QVERIFY(!empty->payloadScan.error.has_value());
        QVERIFY(empty->payloadScan.tokens.isEmpty());

        const auto array = decodeToken(base64UrlEncode(R"({"alg":"none"})") + '.' + base64UrlEncode("[1]") + '.');
        QVERIFY(array.has_value());
        QVERIFY(!array->payloadIsObject());
        QVERIFY(!array->payloadScan.error.has_value());
    }

    void decodeTokenJweHasNoPayload()
    {
        const QJsonObject file =
            test::loadVectorFile(QStringLiteral("jose-cookbook/jwe/5_6.direct_encryption_using_aes-gcm.json"));
        const QByteArray compact =
            file.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString().toUtf8();
        const auto d = decodeToken(compact);
        QVERIFY(d.has_value());
        QVERIFY(!d->isJws());
        QVERIFY(!d->isUnsigned());
        QCOMPARE(d->header().string("enc"), std::optional<QString>(QStringLiteral("A128GCM")));
        QVERIFY(!d->payloadIsObject());
        QVERIFY(d->payloadScan.tokens.isEmpty());
    }

    void decodeTokenRefuses_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QByteArray sig = '.' + base64UrlEncode("sig");
        QTest::newRow("two segments") << QByteArray("e30.e30") << int(ErrorCode::MalformedToken)
                                      << QStringLiteral("A compact token has 3 segments (JWS) or 5 (JWE) separated by "
                                                        "'.'; this one has 2. An unsigned token (alg none) still ends "
                                                        "with a '.' after the payload.");
        QTest::newRow("header not JSON")
            << base64UrlEncode("{alg}") + '.' + base64UrlEncode("{}") + sig << int(ErrorCode::BadJson)
            << QStringLiteral("The header is not valid JSON at line 1, column 2: Expected a string as object key, "
                              "found 'a'.");
        QTest::newRow("header an array") << base64UrlEncode("[]") + '.' + base64UrlEncode("{}") + sig
                                         << int(ErrorCode::BadJson)
                                         << QStringLiteral("The header is valid JSON but not an object; a JOSE "
                                                           "header must be a JSON object.");
        QTest::newRow("payload too deep")
            << base64UrlEncode("{}") + '.' + base64UrlEncode(QByteArray(300, '[') + QByteArray(300, ']')) + sig
            << int(ErrorCode::TooDeep)
            << QStringLiteral("The payload is not valid JSON at line 1, column 257: The JSON nesting is deeper than "
                              "the limit of 256 levels.");
    }

    void decodeTokenRefuses()
    {
        QFETCH(QByteArray, token);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto d = decodeToken(token);
        QVERIFY(!d.has_value());
        QCOMPARE(int(d.error().code), code);
        QCOMPARE(d.error().message, message);
    }

    // Every length and byte value through the quantum decoder, against Qt's decoder.
    void base64UrlDecodeMatchesQt()
    {
        QRandomGenerator rng(7);
        for (int len = 0; len < 200; ++len) {
            QByteArray bytes(len, Qt::Uninitialized);
            for (char& b : bytes) {
                b = char(rng.bounded(256));
            }
            const QByteArray url = base64UrlEncode(bytes);
            QCOMPARE(base64UrlDecode(url).value(), bytes);
            const QByteArray std = bytes.toBase64();
            QCOMPARE(base64Decode(std).value(), bytes);
            const auto lenient = base64UrlDecodeLenient(std);
            QCOMPARE(lenient->bytes, bytes);
            QCOMPARE(lenient->quirks & QuirkNonCanonical, 0u);
        }
        // A foreign byte in any position of a quantum is found.
        for (int at = 0; at < 8; ++at) {
            QByteArray text = "AAAAAAAA";
            text[at] = '*';
            const auto r = base64UrlDecode(text);
            QVERIFY(!r);
            QCOMPARE(r.error().message,
                     QStringLiteral("Character '*' at position %1 is not allowed in base64url.").arg(at));
        }
        QCOMPARE(base64UrlDecodeLenient("ab+/").value().quirks, unsigned(QuirkStdAlphabet));
        QVERIFY(!base64UrlDecode("ab+/"));
    }

    void jsonObjectViewNumbers_data()
    {
        QTest::addColumn<QByteArray>("number");
        QTest::addColumn<double>("expected");
        QTest::newRow("zero") << QByteArray("0") << 0.0;
        QTest::newRow("epoch") << QByteArray("1516239022") << 1516239022.0;
        QTest::newRow("negative") << QByteArray("-12") << -12.0;
        QTest::newRow("15 digits") << QByteArray("999999999999999") << 999999999999999.0;
        QTest::newRow("19 digits") << QByteArray("1234567890123456789") << 1234567890123456789.0;
        QTest::newRow("fraction") << QByteArray("1.5") << 1.5;
        QTest::newRow("exponent") << QByteArray("1e3") << 1000.0;
        QTest::newRow("negative fraction") << QByteArray("-0.25") << -0.25;
    }

    void jsonObjectViewNumbers()
    {
        QFETCH(QByteArray, number);
        QFETCH(double, expected);
        const QByteArray text = "{\"n\":" + number + "}";
        const JsonScan scan = scanJson(text);
        const JsonObjectView view(text, scan);
        QCOMPARE(view.number("n"), std::optional<double>(expected));
    }

    void jsonObjectViewNegativeZeroAndLimits()
    {
        const QByteArray text = "{\"z\":-0,\"big\":1e400,\"s\":\"5\"}";
        const JsonScan scan = scanJson(text);
        const JsonObjectView view(text, scan);
        QVERIFY(view.number("z").has_value());
        QVERIFY(std::signbit(*view.number("z")));
        QCOMPARE(view.number("big"), std::nullopt);
        QCOMPARE(view.number("s"), std::nullopt);
        QCOMPARE(view.number("missing"), std::nullopt);
    }

    void jsonObjectViewMembersAndDuplicates()
    {
        const QByteArray text = "{\"a\":1,\"ab\":2,\"\":3,\"\\u0061\":4,\"abc\":{\"a\":5,\"a\":6},\"ab\":7}";
        const JsonScan scan = scanJson(text);
        QVERIFY(!scan.error);
        const JsonObjectView view(text, scan);
        QCOMPARE(view.duplicates(), QStringList({QStringLiteral("a"), QStringLiteral("ab")}));
        QCOMPARE(view.number("a"), std::optional<double>(4)); // the last occurrence wins
        QCOMPARE(view.number("ab"), std::optional<double>(7));
        QCOMPARE(view.number(""), std::optional<double>(3));
        QCOMPARE(view.raw("abc"), QByteArrayView("{\"a\":5,\"a\":6}"));
        QVERIFY(!view.contains("abcd"));
        QVERIFY(!view.contains("b"));

        // Without duplicates anywhere, no member is reported.
        const QByteArray plain = "{\"iss\":\"x\",\"iat\":1,\"exp\":2}";
        const JsonScan plainScan = scanJson(plain);
        const JsonObjectView plainView(plain, plainScan);
        QVERIFY(plainView.duplicates().isEmpty());
        QCOMPARE(plainView.string("iss"), std::optional<QString>(QStringLiteral("x")));
        QCOMPARE(plainView.number("exp"), std::optional<double>(2));
    }
};

QTEST_GUILESS_MAIN(TestJoseText)
#include "tst_jose_text.moc"
