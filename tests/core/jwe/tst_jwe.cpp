// JWE core (issue 10): RFC 7520 §5/§6 cookbook examples (decrypt and re-encrypt with the published CEKs and IVs),
// RFC 7516 Appendix A.3, Wycheproof JWE vectors, round trips for every alg x enc, tampering, and the safety rules.
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>

#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/jwe/Jwe.h"
#include "keys/KeyIo.h"
#include "validate/Verifier.h"

using namespace tb;
using namespace tb::jose::jwe;

namespace {

QByteArray b64(const QByteArray& bytes)
{
    return jose::base64UrlEncode(bytes);
}

QByteArray unb64(const QJsonValue& v)
{
    return QByteArray::fromBase64(v.toString().toUtf8(), QByteArray::Base64UrlEncoding);
}

keys::KeyPtr jwkKey(const QJsonObject& jwk)
{
    auto key = keys::importJwk(jwk);
    if (!key) {
        qWarning("importJwk: %s", qPrintable(key.error().message));
        return {};
    }
    return *key;
}

QStringList cookbookFiles()
{
    QStringList out;
    QDirIterator it(test::vectorsDir() + QStringLiteral("/jose-cookbook/jwe"), {QStringLiteral("*.json")});
    while (it.hasNext()) {
        out << QStringLiteral("jose-cookbook/jwe/") + QFileInfo(it.next()).fileName();
    }
    out.sort();
    out << QStringLiteral("jose-cookbook/curve25519/ecdh-es.json");
    return out;
}

QList<keys::KeyPtr> cookbookKeys(const QJsonObject& input)
{
    QList<keys::KeyPtr> out;
    if (input.contains(QStringLiteral("pwd"))) {
        out << keys::secretKey(input.value(QStringLiteral("pwd")).toString().toUtf8());
    } else if (input.value(QStringLiteral("key")).isArray()) {
        for (const auto& k : input.value(QStringLiteral("key")).toArray()) {
            out << jwkKey(k.toObject());
        }
    } else {
        out << jwkKey(input.value(QStringLiteral("key")).toObject());
    }
    return out;
}

QByteArray jsonText(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

keys::KeyPtr octKey(int bytes, char fill = 'k')
{
    return keys::secretKey(QByteArray(bytes, fill));
}

keys::KeyPtr generated(const char* type, const char* curve = nullptr)
{
    // Test keys: generated through the core's PEM import from openssl's own generator output would need a
    // process; keys::generateKey covers RSA and EC, X25519/X448 come from JWKs built below.
    if (QByteArray(type) == "RSA") {
        return *keys::generateKey(jose::Alg::RS256, 2048);
    }
    if (QByteArray(type) == "EC") {
        const QByteArray c(curve);
        return *keys::generateKey(c == "P-256" ? jose::Alg::ES256 : c == "P-384" ? jose::Alg::ES384 : jose::Alg::ES512);
    }
    return {};
}

// X25519 / X448 key pairs (RFC 7748 §6.1 / §6.2: Bob's keys).
keys::KeyPtr x25519Key()
{
    QJsonObject jwk{{QStringLiteral("kty"), QStringLiteral("OKP")},
                    {QStringLiteral("crv"), QStringLiteral("X25519")},
                    {QStringLiteral("x"), QString::fromLatin1(b64(test::fromHex(QStringLiteral(
                                              "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"))))},
                    {QStringLiteral("d"), QString::fromLatin1(b64(test::fromHex(QStringLiteral(
                                              "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))))}};
    return jwkKey(jwk);
}

keys::KeyPtr x448Key()
{
    QJsonObject jwk{{QStringLiteral("kty"), QStringLiteral("OKP")},
                    {QStringLiteral("crv"), QStringLiteral("X448")},
                    {QStringLiteral("x"), QString::fromLatin1(b64(test::fromHex(QStringLiteral(
                                              "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb"
                                              "4232a13ca706dcb57aec3dae07bdc1c67bf33609"))))},
                    {QStringLiteral("d"), QString::fromLatin1(b64(test::fromHex(QStringLiteral(
                                              "1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee897"
                                              "2b0d3e21374c9c921b09d1b0366f10b65173992d"))))}};
    return jwkKey(jwk);
}

struct KeySet
{
    keys::KeyPtr rsa, p256, p384, p521, x25519, x448;
};

const KeySet& testKeys()
{
    static const KeySet set{
        generated("RSA"), generated("EC", "P-256"), generated("EC", "P-384"), generated("EC", "P-521"), x25519Key(),
        x448Key()};
    return set;
}

QList<QPair<QString, keys::KeyPtr>> keysFor(KeyAlg alg, EncAlg enc)
{
    const QString name = keyAlgName(alg);
    const KeySet& k = testKeys();
    if (name.startsWith(QStringLiteral("RSA"))) {
        return {{QStringLiteral("RSA-2048"), k.rsa}};
    }
    if (name.startsWith(QStringLiteral("ECDH"))) {
        return {{QStringLiteral("P-256"), k.p256},
                {QStringLiteral("P-384"), k.p384},
                {QStringLiteral("P-521"), k.p521},
                {QStringLiteral("X25519"), k.x25519},
                {QStringLiteral("X448"), k.x448}};
    }
    if (name == QStringLiteral("dir")) {
        return {{QStringLiteral("oct"), octKey(cekBytes(enc))}};
    }
    if (name.startsWith(QStringLiteral("PBES2"))) {
        return {{QStringLiteral("password"), keys::secretKey("correct horse battery staple")}};
    }
    const int bits = name.mid(1, 3).toInt();
    return {{QStringLiteral("oct"), octKey(bits / 8)}};
}

QByteArray tamper(const QByteArray& token, int segment)
{
    QList<QByteArray> parts = token.split('.');
    QByteArray bytes = QByteArray::fromBase64(parts[segment], QByteArray::Base64UrlEncoding);
    if (bytes.isEmpty()) {
        bytes = "x"; // an empty segment (dir, ECDH-ES) gains a byte
    } else {
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x01);
    }
    parts[segment] = b64(bytes);
    return parts.join('.');
}

} // namespace

class TestJwe : public QObject
{
    Q_OBJECT

private slots:
    void cookbookDecrypt_data();
    void cookbookDecrypt();
    void cookbookReencrypt_data();
    void cookbookReencrypt();
    void cookbookKeyWrap_data();
    void cookbookKeyWrap();
    void cookbookNested();
    void rfc7516A3();
    void wycheproof_data();
    void wycheproof();
    void roundTrip_data();
    void roundTrip();
    void tamperEachSegment_data();
    void tamperEachSegment();
    void p2cCap();
    void offCurveEpk();
    void wrongCurveEpk();
    void rsa15UniformError();
    void zipBombCap();
    void wrongKeyLength();
    void keyBinding();
    void compressedRoundTrip();
    void interopJwcrypto();
    void hostileHeaders_data();
    void hostileHeaders();
    void mutationsNeverCrash();
    void headerNotes();
};

void TestJwe::cookbookDecrypt_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("form");
    for (const QString& f : cookbookFiles()) {
        const QJsonObject out = test::loadVectorFile(f).value(QStringLiteral("output")).toObject();
        for (const QString& form : {QStringLiteral("compact"), QStringLiteral("json"), QStringLiteral("json_flat")}) {
            if (out.contains(form)) {
                QTest::addRow("%s %s", qPrintable(QFileInfo(f).baseName()), qPrintable(form)) << f << form;
            }
        }
    }
}

void TestJwe::cookbookDecrypt()
{
    QFETCH(QString, file);
    QFETCH(QString, form);
    const QJsonObject v = test::loadVectorFile(file);
    const QJsonObject input = v.value(QStringLiteral("input")).toObject();
    const QJsonValue out = v.value(QStringLiteral("output")).toObject().value(form);
    const QByteArray token = out.isString() ? out.toString().toUtf8() : jsonText(out.toObject());
    const QByteArray plaintext = input.value(QStringLiteral("plaintext")).toString().toUtf8();
    const auto keyList = cookbookKeys(input);
    QVERIFY(!keyList.isEmpty());
    for (qsizetype i = 0; i < keyList.size(); ++i) {
        QVERIFY(keyList[i]);
        auto result = decrypt(token, *keyList[i]);
        QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
        QCOMPARE(result->plaintext, plaintext);
        if (keyList.size() > 1) {
            QCOMPARE(result->recipient, int(i)); // 5.13: each recipient's key opens its own entry
        }
    }
}

void TestJwe::cookbookReencrypt_data()
{
    cookbookDecrypt_data();
}

// The content layer is deterministic given CEK and IV: every example re-encrypts to its published ciphertext and
// tag, and the compact ones to the published token byte for byte.
void TestJwe::cookbookReencrypt()
{
    QFETCH(QString, file);
    QFETCH(QString, form);
    const QJsonObject v = test::loadVectorFile(file);
    const QJsonObject input = v.value(QStringLiteral("input")).toObject();
    const QJsonObject gen = v.value(QStringLiteral("generated")).toObject();
    const QJsonObject ek = v.value(QStringLiteral("encrypting_key")).toObject();
    const QJsonObject content = v.value(QStringLiteral("encrypting_content")).toObject();
    const QJsonObject outJson = v.value(QStringLiteral("output")).toObject();
    QByteArray cek =
        unb64(gen.contains(QStringLiteral("cek")) ? gen.value(QStringLiteral("cek")) : ek.value(QStringLiteral("cek")));
    if (cek.isEmpty()) {
        cek = cookbookKeys(input).first()->secret().reveal(); // dir: the key is the CEK
    }
    const QByteArray iv = unb64(gen.value(QStringLiteral("iv")));
    const QJsonObject sample = outJson.value(QStringLiteral("json")).toObject();
    // enc from the protected header (5.13's input spells it "A128CBC-H256").
    QJsonObject joint = QJsonDocument::fromJson(unb64(sample.value(QStringLiteral("protected")))).object();
    const QJsonObject unprotected = sample.value(QStringLiteral("unprotected")).toObject();
    for (auto it = unprotected.begin(); it != unprotected.end(); ++it) {
        joint.insert(it.key(), it.value());
    }
    const auto enc = encAlgFromName(joint.value(QStringLiteral("enc")).toString());
    QVERIFY(enc);
    QByteArray aad = content.value(QStringLiteral("protected_b64u")).toString().toUtf8();
    if (gen.contains(QStringLiteral("aad_b64u"))) {
        aad += '.' + gen.value(QStringLiteral("aad_b64u")).toString().toUtf8();
    }
    QByteArray plaintext = input.value(QStringLiteral("plaintext")).toString().toUtf8();
    if (gen.contains(QStringLiteral("plaintext_c"))) {
        plaintext = unb64(gen.value(QStringLiteral("plaintext_c")));
    }
    if (cek.size() != cekBytes(*enc)) {
        // curve25519/ecdh-es.json ("reproducible": false) lists a 32-byte cek and an epk that differ from the
        // header's for A128GCM: its content cannot be re-derived from the file. It still decrypts (cookbookDecrypt).
        QSKIP("the example's published CEK does not fit its enc");
    }
    auto sealed = detail::encryptContent(*enc, cek, iv, aad, plaintext);
    QVERIFY(sealed);
    QCOMPARE(b64(sealed->ciphertext), content.value(QStringLiteral("ciphertext")).toString().toUtf8());
    QCOMPARE(b64(sealed->tag), content.value(QStringLiteral("tag")).toString().toUtf8());
    if (form == QStringLiteral("compact")) {
        const QByteArray header = unb64(content.value(QStringLiteral("protected_b64u")));
        auto token = detail::assembleCompact(header, unb64(ek.value(QStringLiteral("encrypted_key"))), *enc, cek, iv,
                                             plaintext, false);
        QVERIFY(token);
        QCOMPARE(*token, outJson.value(QStringLiteral("compact")).toString().toUtf8());
    }
}

void TestJwe::cookbookKeyWrap_data()
{
    QTest::addColumn<QString>("file");
    for (const QString& f : cookbookFiles()) {
        const QJsonObject v = test::loadVectorFile(f);
        const QString alg = v.value(QStringLiteral("input")).toObject().value(QStringLiteral("alg")).toString();
        if (alg.endsWith(QStringLiteral("KW")) && !alg.startsWith(QStringLiteral("ECDH"))) {
            QTest::newRow(qPrintable(QFileInfo(f).baseName())) << f;
        }
    }
}

// Deterministic key management: AES-KW, AES-GCM-KW (with the published IV) and PBES2 (published salt and count)
// wrap the published CEK to the published encrypted key.
void TestJwe::cookbookKeyWrap()
{
    QFETCH(QString, file);
    const QJsonObject v = test::loadVectorFile(file);
    const QJsonObject input = v.value(QStringLiteral("input")).toObject();
    const QJsonObject ek = v.value(QStringLiteral("encrypting_key")).toObject();
    const QByteArray cek = unb64(v.value(QStringLiteral("generated")).toObject().value(QStringLiteral("cek")));
    const auto alg = keyAlgFromName(input.value(QStringLiteral("alg")).toString());
    QVERIFY(alg);
    const keys::KeyPtr key = cookbookKeys(input).first();
    const QByteArray secret = key->secret().reveal();
    const QByteArray expected = ek.value(QStringLiteral("encrypted_key")).toString().toUtf8();
    const QString name = keyAlgName(*alg);
    if (name.startsWith(QStringLiteral("PBES2"))) {
        auto kek = detail::pbes2Kek(*alg, secret, unb64(ek.value(QStringLiteral("salt"))),
                                    ek.value(QStringLiteral("iteration_count")).toVariant().toLongLong());
        QVERIFY(kek);
        QCOMPARE(b64(*detail::aesKeyWrap(*kek, cek)), expected);
    } else if (name.contains(QStringLiteral("GCM"))) {
        auto w = detail::aesGcmKeyWrap(secret, unb64(ek.value(QStringLiteral("iv"))), cek);
        QVERIFY(w);
        QCOMPARE(b64(w->ciphertext), expected);
        QCOMPARE(b64(w->tag), ek.value(QStringLiteral("tag")).toString().toUtf8());
    } else {
        QCOMPARE(b64(*detail::aesKeyWrap(secret, cek)), expected);
    }
}

// RFC 7520 §6: a JWS nested in a JWE (cty JWT) decrypts, and the inner token verifies through the one verify path.
void TestJwe::cookbookNested()
{
    const QJsonObject v =
        test::loadVectorFile(QStringLiteral("jose-cookbook/6.nesting_signatures_and_encryption.json"));
    const QJsonObject enc = v.value(QStringLiteral("encrypt")).toObject();
    const QJsonObject sign = v.value(QStringLiteral("sign")).toObject();
    const keys::KeyPtr key =
        jwkKey(enc.value(QStringLiteral("input")).toObject().value(QStringLiteral("key")).toObject());
    QVERIFY(key);
    for (const QString& form : {QStringLiteral("compact"), QStringLiteral("json"), QStringLiteral("json_flat")}) {
        const QJsonValue out = enc.value(QStringLiteral("output")).toObject().value(form);
        const QByteArray token = out.isString() ? out.toString().toUtf8() : jsonText(out.toObject());
        auto result = decrypt(token, *key);
        QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
        QVERIFY(result->isNested());
        QCOMPARE(result->plaintext,
                 sign.value(QStringLiteral("output")).toObject().value(QStringLiteral("compact")).toString().toUtf8());
        validate::KeyInput input;
        input.key = jwkKey(sign.value(QStringLiteral("input")).toObject().value(QStringLiteral("key")).toObject());
        validate::Policy policy;
        policy.now = 1300819000;
        auto report = validate::verifyToken(result->plaintext, input, policy);
        QVERIFY(report);
        QVERIFY(report->valid);
    }
}

// RFC 7516 Appendix A.3: A128KW + A128CBC-HS256, typed in from the RFC text.
void TestJwe::rfc7516A3()
{
    const keys::KeyPtr key =
        keys::secretKey(QByteArray::fromBase64("GawgguFyGrWKav7AX4VKUg", QByteArray::Base64UrlEncoding));
    const QByteArray cek = QByteArray::fromHex("04d31fd2e0a2c8d3f9da4a2cd5cd42d0ff3d40a4ba2ad53e7dc7a6530ab6d8db"
                                               "");
    Q_UNUSED(cek);
    const QByteArray token = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0."
                             "6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ."
                             "AxY8DCtDaGlsbGljb3RoZQ."
                             "KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY."
                             "U0m_YmjN04DJvceFICbCVQ";
    auto result = decrypt(token, *key);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->plaintext, QByteArray("Live long and prosper."));
    // Re-encrypt with the RFC's CEK (A.3.2) and IV (A.3.4): the same token, byte for byte.
    const QByteArray rfcCek =
        QByteArray::fromBase64("BNMfxVSd_P4LZJ36P6pqzmt81C1vawnbyLEA8I-cLM8", QByteArray::Base64UrlEncoding);
    const QByteArray wrapped = *detail::aesKeyWrap(key->secret().reveal(), rfcCek);
    QCOMPARE(b64(wrapped), QByteArray("6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ"));
    auto again =
        detail::assembleCompact("{\"alg\":\"A128KW\",\"enc\":\"A128CBC-HS256\"}", wrapped, EncAlg::A128CbcHs256, rfcCek,
                                QByteArray::fromBase64("AxY8DCtDaGlsbGljb3RoZQ", QByteArray::Base64UrlEncoding),
                                "Live long and prosper.", false);
    QVERIFY(again);
    QCOMPARE(*again, token);
}

void TestJwe::wycheproof_data()
{
    QTest::addColumn<QJsonObject>("key");
    QTest::addColumn<QByteArray>("jwe");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QByteArray>("pt");
    QTest::addColumn<bool>("hasPt");
    QTest::addColumn<bool>("diverges");
    for (const QString& file : {QStringLiteral("wycheproof/json_web_encryption_test.json"),
                                QStringLiteral("wycheproof/json_web_crypto_test.json")}) {
        const QJsonObject v = test::loadVectorFile(file);
        for (const auto& g : v.value(QStringLiteral("testGroups")).toArray()) {
            const QJsonObject group = g.toObject();
            for (const auto& t : group.value(QStringLiteral("tests")).toArray()) {
                const QJsonObject tc = t.toObject();
                if (!tc.contains(QStringLiteral("jwe"))) {
                    continue;
                }
                QTest::addRow("%s tcId %d %s", file.contains(QStringLiteral("crypto")) ? "crypto" : "jwe",
                              tc.value(QStringLiteral("tcId")).toInt(),
                              qPrintable(tc.value(QStringLiteral("comment")).toString()))
                    << group.value(QStringLiteral("private")).toObject()
                    << (tc.value(QStringLiteral("jwe")).isObject()
                            ? jsonText(tc.value(QStringLiteral("jwe")).toObject())
                            : tc.value(QStringLiteral("jwe")).toString().toUtf8())
                    << tc.value(QStringLiteral("result")).toString()
                    << test::fromHex(tc.value(QStringLiteral("pt")).toString()) << tc.contains(QStringLiteral("pt"))
                    << tc.value(QStringLiteral("flags")).toArray().contains(QStringLiteral("JsonSerialization"));
            }
        }
    }
}

void TestJwe::wycheproof()
{
    QFETCH(QJsonObject, key);
    QFETCH(QByteArray, jwe);
    QFETCH(QString, result);
    QFETCH(QByteArray, pt);
    QFETCH(bool, hasPt);
    QFETCH(bool, diverges);
    auto k = keys::importJwk(key);
    QVERIFY2(k, qPrintable(k ? QString() : k.error().message));
    auto r = decrypt(jwe, **k);
    if (diverges) {
        // Deliberate divergence: Wycheproof's "rejectsValidJsonSerialization" expects a compact-only library to
        // refuse a valid JSON serialisation. Issue 10 asks for the flattened/general forms, so tokenbench decrypts it
        // (the ciphertext is authentic) and warns that the unprotected header members are not integrity-protected.
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QVERIFY(jwe.trimmed().startsWith('{'));
        // Its unprotected members ("unknown", "unknown2") are named as not integrity-protected.
        QVERIFY(r->warnings.join(QLatin1Char(' ')).contains(QStringLiteral("unknown2")));
        return;
    }
    if (result == QStringLiteral("valid")) {
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        if (hasPt) {
            QCOMPARE(r->plaintext, pt);
        }
    } else {
        // "invalid" (no "acceptable" rows here): refused, for any reason. Where the token itself is well formed and
        // only the crypto fails, the refusal is the one uniform decryption-failed sentence.
        QVERIFY(!r);
    }
}

void TestJwe::roundTrip_data()
{
    QTest::addColumn<int>("alg");
    QTest::addColumn<int>("enc");
    QTest::addColumn<int>("keyIndex");
    for (KeyAlg a : allKeyAlgs()) {
        for (EncAlg e : allEncAlgs()) {
            const auto list = keysFor(a, e);
            for (qsizetype i = 0; i < list.size(); ++i) {
                QTest::addRow("%s %s %s", qPrintable(keyAlgName(a)), qPrintable(encAlgName(e)),
                              qPrintable(list[i].first))
                    << int(a) << int(e) << int(i);
            }
        }
    }
}

void TestJwe::roundTrip()
{
    QFETCH(int, alg);
    QFETCH(int, enc);
    QFETCH(int, keyIndex);
    const auto a = KeyAlg(alg);
    const auto e = EncAlg(enc);
    const keys::KeyPtr key = keysFor(a, e).at(keyIndex).second;
    QVERIFY(key);
    const QByteArray plaintext = "{\"sub\":\"round trip\",\"n\":" + QByteArray::number(alg * 10 + enc) + "}";
    // PBES2 with a small count keeps the suite fast; the default count is tested once below.
    const QByteArray extra =
        keyAlgName(a).startsWith(QStringLiteral("PBES2")) ? "{\"kid\":\"k1\",\"p2c\":1000}" : "{\"kid\":\"k1\"}";
    auto token = encryptCompact(*key, a, e, plaintext, extra);
    QVERIFY2(token, qPrintable(token ? QString() : token.error().message));
    QCOMPARE(token->count('.'), 4);
    auto result = decrypt(*token, *key);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->plaintext, plaintext);
    QCOMPARE(result->alg, a);
    QCOMPARE(result->enc, e);
    QVERIFY(result->protectedHeader.startsWith("{\"kid\":\"k1\","));
}

void TestJwe::tamperEachSegment_data()
{
    QTest::addColumn<int>("alg");
    QTest::addColumn<int>("enc");
    QTest::addColumn<int>("segment");
    const QList<KeyAlg> algs = {KeyAlg::A128Kw, KeyAlg::Dir,       KeyAlg::RsaOaep256,       KeyAlg::EcdhEsA256Kw,
                                KeyAlg::EcdhEs, KeyAlg::A192GcmKw, KeyAlg::Pbes2Hs256A128Kw, KeyAlg::Rsa1_5};
    for (KeyAlg a : algs) {
        for (EncAlg e : {EncAlg::A128CbcHs256, EncAlg::A256Gcm}) {
            for (int s = 0; s < 5; ++s) {
                QTest::addRow("%s %s segment %d", qPrintable(keyAlgName(a)), qPrintable(encAlgName(e)), s)
                    << int(a) << int(e) << s;
            }
        }
    }
}

void TestJwe::tamperEachSegment()
{
    QFETCH(int, alg);
    QFETCH(int, enc);
    QFETCH(int, segment);
    const auto a = KeyAlg(alg);
    const auto e = EncAlg(enc);
    const keys::KeyPtr key = keysFor(a, e).first().second;
    const QByteArray extra = keyAlgName(a).startsWith(QStringLiteral("PBES2")) ? "{\"p2c\":1000}" : "";
    auto token = encryptCompact(*key, a, e, "attack at dawn", extra);
    QVERIFY(token);
    QVERIFY(decrypt(*token, *key));
    const QByteArray bad = tamper(*token, segment);
    auto result = decrypt(bad, *key);
    QVERIFY(!result);
    if (segment > 0 && !(segment == 1 && (a == KeyAlg::Dir || a == KeyAlg::EcdhEs))) {
        // Altered key, IV, ciphertext or tag: the one uniform sentence (exit 1 in the CLI).
        QVERIFY2(isDecryptionFailure(result.error()), qPrintable(result.error().message));
        QCOMPARE(result.error().message, decryptionFailedMessage());
    }
}

void TestJwe::p2cCap()
{
    const keys::KeyPtr key = keys::secretKey("password");
    auto token = encryptCompact(*key, KeyAlg::Pbes2Hs256A128Kw, EncAlg::A128Gcm, "x", "{\"p2c\":1000000}");
    QVERIFY(token);
    DecryptOptions small;
    small.maxP2c = 999999;
    auto refused = decrypt(*token, *key, small);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::TooLarge);
    QVERIFY2(refused.error().message.contains(QStringLiteral("999999")), qPrintable(refused.error().message));
    // A hostile header asking for 2^31 iterations: refused at once with the default cap named.
    QByteArray header =
        "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2s\":\"AAAAAAAAAAA\",\"p2c\":2147483647}";
    QList<QByteArray> parts = token->split('.');
    parts[0] = b64(header);
    auto hostile = decrypt(parts.join('.'), *key);
    QVERIFY(!hostile);
    QCOMPARE(hostile.error().code, ErrorCode::TooLarge);
    QVERIFY(hostile.error().message.contains(QStringLiteral("1000000")));
    QVERIFY(decrypt(*token, *key)); // exactly at the default cap: accepted
}

void TestJwe::offCurveEpk()
{
    const keys::KeyPtr key = testKeys().p256;
    auto token = encryptCompact(*key, KeyAlg::EcdhEs, EncAlg::A128Gcm, "x");
    QVERIFY(token);
    QJsonObject header =
        QJsonDocument::fromJson(QByteArray::fromBase64(token->split('.')[0], QByteArray::Base64UrlEncoding)).object();
    QJsonObject epk = header.value(QStringLiteral("epk")).toObject();
    QByteArray y = unb64(epk.value(QStringLiteral("y")));
    y[31] = char(y[31] ^ 1); // no longer on P-256
    epk.insert(QStringLiteral("y"), QString::fromLatin1(b64(y)));
    header.insert(QStringLiteral("epk"), epk);
    QList<QByteArray> parts = token->split('.');
    parts[0] = b64(jsonText(header));
    auto result = decrypt(parts.join('.'), *key);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::KeyMismatch);
    QVERIFY2(result.error().message.contains(QStringLiteral("epk")), qPrintable(result.error().message));
}

void TestJwe::wrongCurveEpk()
{
    // An epk on P-384 sent to a P-256 key (and an X25519 epk to a P-256 key): refused before any derivation.
    auto token = encryptCompact(*testKeys().p384, KeyAlg::EcdhEsA128Kw, EncAlg::A128Gcm, "x");
    QVERIFY(token);
    auto result = decrypt(*token, *testKeys().p256);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::KeyMismatch);
    QVERIFY2(result.error().message.contains(QStringLiteral("invalid-curve")), qPrintable(result.error().message));
    auto x = encryptCompact(*testKeys().x25519, KeyAlg::EcdhEs, EncAlg::A128Gcm, "x");
    QVERIFY(x);
    QVERIFY(!decrypt(*x, *testKeys().p256));
    QVERIFY(!decrypt(*x, *testKeys().x448));
}

// RSA1_5: a bad padding, a wrong-length CEK and a bad tag give the same error (Bleichenbacher, RFC 7516 §11.5).
void TestJwe::rsa15UniformError()
{
    const keys::KeyPtr key = testKeys().rsa;
    auto token = encryptCompact(*key, KeyAlg::Rsa1_5, EncAlg::A128CbcHs256, "secret");
    QVERIFY(token);
    QList<QByteArray> parts = token->split('.');
    QStringList messages;
    // 1. garbage encrypted key (padding check fails)
    QList<QByteArray> p1 = parts;
    p1[1] = b64(QByteArray(256, 'A'));
    // 2. a well-padded CEK of the wrong length (16 bytes for A128CBC-HS256, which needs 32)
    QList<QByteArray> p2 = parts;
    auto shortCek = encryptCompact(*key, KeyAlg::Rsa1_5, EncAlg::A128Gcm, "secret");
    p2[1] = shortCek->split('.')[1];
    // 3. a valid CEK, altered tag
    QList<QByteArray> p3 = parts;
    p3[4] = tamper(*token, 4).split('.')[4];
    for (const auto& p : {p1, p2, p3}) {
        auto r = decrypt(p.join('.'), *key);
        QVERIFY(!r);
        QVERIFY(isDecryptionFailure(r.error()));
        QVERIFY(r.error().detail.isEmpty());
        messages << r.error().message;
    }
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages[0], messages[1]);
    QCOMPARE(messages[1], messages[2]);
}

void TestJwe::zipBombCap()
{
    const keys::KeyPtr key = octKey(16);
    const QByteArray big(2 * 1024 * 1024, 'A');
    auto token = encryptCompact(*key, KeyAlg::A128Kw, EncAlg::A128Gcm, big, "{\"zip\":\"DEF\"}");
    QVERIFY(token);
    QVERIFY(token->size() < 20000); // 2 MiB of 'A' deflates to a few KiB
    QCOMPARE(decrypt(*token, *key)->plaintext, big);
    DecryptOptions small;
    small.maxInflatedBytes = 1024 * 1024;
    auto refused = decrypt(*token, *key, small);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::TooLarge);
    QVERIFY2(refused.error().message.contains(QStringLiteral("1 MiB")), qPrintable(refused.error().message));
    // The default cap: 17 MiB of zeros.
    auto bomb =
        encryptCompact(*key, KeyAlg::A128Kw, EncAlg::A128Gcm, QByteArray(17 * 1024 * 1024, '\0'), "{\"zip\":\"DEF\"}");
    QVERIFY(bomb);
    auto r = decrypt(*bomb, *key);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(QStringLiteral("16 MiB")), qPrintable(r.error().message));
}

void TestJwe::wrongKeyLength()
{
    auto dir = encryptCompact(*octKey(31), KeyAlg::Dir, EncAlg::A128CbcHs256, "x");
    QVERIFY(!dir);
    QCOMPARE(dir.error().code, ErrorCode::KeyMismatch);
    QVERIFY2(dir.error().message.contains(QStringLiteral("32-byte")), qPrintable(dir.error().message));
    auto kw = encryptCompact(*octKey(16), KeyAlg::A256Kw, EncAlg::A128Gcm, "x");
    QVERIFY(!kw);
    QVERIFY(kw.error().message.contains(QStringLiteral("32-byte")));
    auto token = encryptCompact(*octKey(24), KeyAlg::A192Kw, EncAlg::A128Gcm, "x");
    QVERIFY(token);
    auto r = decrypt(*token, *octKey(16));
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::KeyMismatch);
    QVERIFY(r.error().message.contains(QStringLiteral("24-byte")));
    auto gcmkw = decrypt(*encryptCompact(*octKey(32), KeyAlg::A256GcmKw, EncAlg::A128Gcm, "x"), *octKey(24));
    QVERIFY(!gcmkw);
    QCOMPARE(gcmkw.error().code, ErrorCode::KeyMismatch);
    // Wrong key type: an RSA key for A128KW, an oct key for RSA-OAEP.
    QCOMPARE(encryptCompact(*testKeys().rsa, KeyAlg::A128Kw, EncAlg::A128Gcm, "x").error().code,
             ErrorCode::KeyMismatch);
    QCOMPARE(encryptCompact(*octKey(16), KeyAlg::RsaOaep, EncAlg::A128Gcm, "x").error().code, ErrorCode::KeyMismatch);
}

void TestJwe::keyBinding()
{
    // A JWK whose alg is A128GCMKW must not unwrap an A128KW token (Wycheproof WrongCipher, here by construction).
    const QByteArray k = QByteArray(16, 'q');
    QJsonObject jwk{{QStringLiteral("kty"), QStringLiteral("oct")},
                    {QStringLiteral("k"), QString::fromLatin1(b64(k))},
                    {QStringLiteral("alg"), QStringLiteral("A128GCMKW")}};
    auto bound = keys::importJwk(jwk);
    QVERIFY(bound);
    auto token = encryptCompact(*keys::secretKey(k), KeyAlg::A128Kw, EncAlg::A128Gcm, "x");
    auto r = decrypt(*token, **bound);
    QVERIFY(!r);
    QCOMPARE(r.error().code, ErrorCode::KeyMismatch);
    jwk.insert(QStringLiteral("alg"), QStringLiteral("A128KW"));
    jwk.insert(QStringLiteral("use"), QStringLiteral("sig"));
    QVERIFY(!decrypt(*token, **keys::importJwk(jwk)));
    jwk.insert(QStringLiteral("use"), QStringLiteral("enc"));
    QVERIFY(decrypt(*token, **keys::importJwk(jwk)));
}

void TestJwe::compressedRoundTrip()
{
    const keys::KeyPtr key = octKey(32);
    const QByteArray text = QByteArray("compress me ").repeated(100);
    auto token = encryptCompact(*key, KeyAlg::Dir, EncAlg::A256Gcm, text, "{\"zip\":\"DEF\",\"cty\":\"text/plain\"}");
    QVERIFY(token);
    auto r = decrypt(*token, *key);
    QVERIFY(r);
    QVERIFY(r->compressed);
    QCOMPARE(r->plaintext, text);
    // Default PBES2 count (600,000) round trip, once.
    auto pbes = encryptCompact(*keys::secretKey("pw"), KeyAlg::Pbes2Hs512A256Kw, EncAlg::A256CbcHs512, "p");
    QVERIFY(pbes);
    QCOMPARE(decrypt(*pbes, *keys::secretKey("pw"))->plaintext, QByteArray("p"));
}

// Both ways with python3-jwcrypto 1.1 (Debian), every alg x enc and every curve: tokenbench encrypts, jwcrypto
// decrypts; jwcrypto encrypts, tokenbench decrypts. One batch through tests/core/jwe/jwcrypto_jwe.py.
void TestJwe::interopJwcrypto()
{
    const QString script = test::sourceDir() + QStringLiteral("/tests/core/jwe/jwcrypto_jwe.py");
    struct Case
    {
        QString name;
        KeyAlg alg;
        EncAlg enc;
        keys::KeyPtr key;
        QByteArray plaintext;
    };
    QList<Case> cases;
    QJsonArray ops;
    const QString password = QStringLiteral("correct horse battery staple");
    for (KeyAlg a : allKeyAlgs()) {
        for (EncAlg e : allEncAlgs()) {
            for (const auto& [keyName, key] : keysFor(a, e)) {
                Case c{QStringLiteral("%1 %2 %3").arg(keyAlgName(a), encAlgName(e), keyName), a, e, key,
                       "interop " + keyAlgName(a).toUtf8() + ' ' + encAlgName(e).toUtf8()};
                QJsonObject spec;
                if (keyAlgName(a).startsWith(QStringLiteral("PBES2"))) {
                    spec.insert(QStringLiteral("password"), password);
                } else {
                    auto jwk = keys::exportJwk(*key, key->type() == keys::KeyType::Oct || key->hasPrivate()
                                                         ? keys::KeyPart::Private
                                                         : keys::KeyPart::Public);
                    QVERIFY2(jwk, qPrintable(c.name));
                    spec.insert(QStringLiteral("jwk"), QString::fromUtf8(*jwk));
                }
                const QByteArray extra = keyAlgName(a).startsWith(QStringLiteral("PBES2")) ? "{\"p2c\":1000}" : "";
                auto ours = encryptCompact(*key, a, e, c.plaintext, extra);
                QVERIFY2(ours, qPrintable(c.name));
                ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("decrypt")},
                                       {QStringLiteral("key"), spec},
                                       {QStringLiteral("token"), QString::fromLatin1(*ours)}});
                ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("encrypt")},
                                       {QStringLiteral("key"), spec},
                                       {QStringLiteral("alg"), keyAlgName(a)},
                                       {QStringLiteral("enc"), encAlgName(e)},
                                       {QStringLiteral("plaintext_hex"), QString::fromLatin1(c.plaintext.toHex())}});
                cases << c;
            }
        }
    }
    QProcess py;
    for (const QString& python : {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
        py.start(python, {script});
        if (py.waitForStarted(10000)) {
            break;
        }
    }
    if (py.state() == QProcess::NotRunning) {
        QSKIP("no python3 to run jwcrypto");
    }
    py.write(QJsonDocument(ops).toJson(QJsonDocument::Compact));
    py.closeWriteChannel();
    QVERIFY(py.waitForFinished(300000));
    if (py.exitCode() == 3) {
        QSKIP("python3-jwcrypto is not installed");
    }
    const QJsonArray results = QJsonDocument::fromJson(py.readAllStandardOutput()).array();
    QCOMPARE(results.size(), ops.size());
    QStringList failures;
    for (qsizetype i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        const QJsonObject theirDecrypt = results.at(2 * i).toObject();
        if (QByteArray::fromHex(theirDecrypt.value(QStringLiteral("plaintext_hex")).toString().toLatin1()) !=
            c.plaintext) {
            failures << c.name + QStringLiteral(" (jwcrypto decrypting ours): ") +
                            theirDecrypt.value(QStringLiteral("error")).toString();
        }
        const QJsonObject theirToken = results.at(2 * i + 1).toObject();
        if (!theirToken.contains(QStringLiteral("token"))) {
            failures << c.name + QStringLiteral(" (jwcrypto encrypting): ") +
                            theirToken.value(QStringLiteral("error")).toString();
            continue;
        }
        auto mine = decrypt(theirToken.value(QStringLiteral("token")).toString().toUtf8(), *c.key);
        if (!mine || mine->plaintext != c.plaintext) {
            failures << c.name + QStringLiteral(" (decrypting jwcrypto's): ") +
                            (mine ? QStringLiteral("wrong plaintext") : mine.error().message);
        }
    }
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    qInfo("%lld cases both ways with jwcrypto", qlonglong(cases.size()));
}

void TestJwe::hostileHeaders_data()
{
    QTest::addColumn<int>("alg");
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("code");
    const auto row = [](const char* name, KeyAlg a, const QByteArray& h, ErrorCode c) {
        QTest::newRow(name) << int(a) << h << int(c);
    };
    row("p2c negative", KeyAlg::Pbes2Hs256A128Kw,
        "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2s\":\"AAAAAAAAAAA\",\"p2c\":-1}",
        ErrorCode::MalformedToken);
    row("p2c fractional", KeyAlg::Pbes2Hs256A128Kw,
        "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2s\":\"AAAAAAAAAAA\",\"p2c\":1.5}",
        ErrorCode::MalformedToken);
    row("p2c string", KeyAlg::Pbes2Hs256A128Kw,
        "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2s\":\"AAAAAAAAAAA\",\"p2c\":\"9\"}",
        ErrorCode::MalformedToken);
    row("p2c 1e300", KeyAlg::Pbes2Hs256A128Kw,
        "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2s\":\"AAAAAAAAAAA\",\"p2c\":1e300}",
        ErrorCode::TooLarge);
    row("p2s missing", KeyAlg::Pbes2Hs256A128Kw, "{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2c\":10}",
        ErrorCode::MalformedToken);
    row("gcmkw iv short", KeyAlg::A128GcmKw,
        "{\"alg\":\"A128GCMKW\",\"enc\":\"A128GCM\",\"iv\":\"AAAA\",\"tag\":\"AAAAAAAAAAAAAAAAAAAAAA\"}",
        ErrorCode::InvalidData);
    row("gcmkw tag missing", KeyAlg::A128GcmKw,
        "{\"alg\":\"A128GCMKW\",\"enc\":\"A128GCM\",\"iv\":\"AAAAAAAAAAAAAAAA\"}", ErrorCode::MalformedToken);
    row("epk missing", KeyAlg::EcdhEs, "{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\"}", ErrorCode::MalformedToken);
    row("epk not an object", KeyAlg::EcdhEs, "{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":\"x\"}",
        ErrorCode::MalformedToken);
    row("epk with d", KeyAlg::EcdhEs,
        "{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\","
        "\"d\":\"AA\"}}",
        ErrorCode::MalformedToken);
    row("epk oct", KeyAlg::EcdhEs, "{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}}",
        ErrorCode::KeyMismatch);
    row("zip unknown", KeyAlg::A128Kw, "{\"alg\":\"A128KW\",\"enc\":\"A128GCM\",\"zip\":\"GZ\"}",
        ErrorCode::Unsupported);
    row("crit", KeyAlg::A128Kw, "{\"alg\":\"A128KW\",\"enc\":\"A128GCM\",\"crit\":[\"exp\"],\"exp\":1}",
        ErrorCode::Unsupported);
    row("duplicate alg", KeyAlg::A128Kw, "{\"alg\":\"A128KW\",\"alg\":\"dir\",\"enc\":\"A128GCM\"}",
        ErrorCode::BadJson);
    row("no enc", KeyAlg::A128Kw, "{\"alg\":\"A128KW\"}", ErrorCode::MalformedToken);
    row("alg none", KeyAlg::A128Kw, "{\"alg\":\"none\",\"enc\":\"A128GCM\"}", ErrorCode::UnsupportedAlgorithm);
    row("not an object", KeyAlg::A128Kw, "[1,2]", ErrorCode::BadJson);
}

// Hostile header members are refused with a stable code before (or instead of) any expensive work.
void TestJwe::hostileHeaders()
{
    QFETCH(int, alg);
    QFETCH(QByteArray, header);
    QFETCH(int, code);
    const auto a = KeyAlg(alg);
    const keys::KeyPtr key = keysFor(a, EncAlg::A128Gcm).first().second;
    const QByteArray token = b64(header) + '.' + b64(QByteArray(24, 'e')) + '.' + b64(QByteArray(12, 'i')) + '.' +
                             b64("ciphertext") + '.' + b64(QByteArray(16, 't'));
    auto r = decrypt(token, *key);
    QVERIFY(!r);
    QCOMPARE(int(r.error().code), code);
}

// 3,000 random byte mutations of valid tokens (fixed seed): never a crash, and anything accepted is the original.
void TestJwe::mutationsNeverCrash()
{
    QRandomGenerator rng(20261127);
    DecryptOptions options;
    options.maxP2c = 5000;
    const QList<QPair<KeyAlg, keys::KeyPtr>> setups = {{KeyAlg::A128Kw, octKey(16)},
                                                       {KeyAlg::EcdhEsA128Kw, testKeys().p256},
                                                       {KeyAlg::EcdhEs, testKeys().x25519},
                                                       {KeyAlg::RsaOaep, testKeys().rsa},
                                                       {KeyAlg::Pbes2Hs256A128Kw, keys::secretKey("pw")},
                                                       {KeyAlg::A256GcmKw, octKey(32)}};
    const QByteArray plaintext = "mutation target";
    for (const auto& [a, key] : setups) {
        const QByteArray extra = a == KeyAlg::Pbes2Hs256A128Kw ? "{\"p2c\":1000,\"zip\":\"DEF\"}" : "{\"zip\":\"DEF\"}";
        auto token = encryptCompact(*key, a, EncAlg::A128CbcHs256, plaintext, extra);
        QVERIFY(token);
        for (int i = 0; i < 500; ++i) {
            QByteArray t = *token;
            const int edits = 1 + int(rng.bounded(3));
            for (int e = 0; e < edits; ++e) {
                const auto pos = qsizetype(rng.bounded(quint32(t.size())));
                switch (rng.bounded(3)) {
                case 0:
                    t[pos] = char(rng.bounded(256));
                    break;
                case 1:
                    t.remove(pos, 1);
                    break;
                default:
                    t.insert(pos, "-_.A"[rng.bounded(4)]);
                    break;
                }
            }
            auto r = decrypt(t, *key, options);
            if (r) {
                QCOMPARE(r->plaintext, plaintext);
            }
        }
    }
}

void TestJwe::headerNotes()
{
    const QJsonObject header =
        QJsonDocument::fromJson("{\"alg\":\"PBES2-HS256+A128KW\",\"enc\":\"A128GCM\",\"p2s\":\"AAAA\","
                                "\"p2c\":5000000,\"zip\":\"DEF\",\"jku\":\"https://x\",\"x-custom\":1}")
            .object();
    const auto notes = explainHeader(header);
    QHash<QString, QString> danger;
    for (const auto& n : notes) {
        QVERIFY(!n.meaning.isEmpty());
        danger.insert(n.member, n.danger);
    }
    QCOMPARE(notes.size(), header.size());
    QVERIFY(danger.value(QStringLiteral("p2c")).contains(QStringLiteral("1000000")));
    QVERIFY(danger.value(QStringLiteral("p2s")).contains(QStringLiteral("8 bytes")));
    QVERIFY(danger.value(QStringLiteral("zip")).contains(QStringLiteral("16 MiB")));
    QVERIFY(!danger.value(QStringLiteral("jku")).isEmpty());
    QVERIFY(danger.value(QStringLiteral("alg")).isEmpty());
    QVERIFY(danger.value(QStringLiteral("x-custom")).isEmpty());
    const auto rsa = explainHeader(QJsonDocument::fromJson("{\"alg\":\"RSA1_5\",\"enc\":\"A128GCM\"}").object());
    QVERIFY(rsa.first().danger.contains(QStringLiteral("Bleichenbacher")));
    const auto ecdh =
        explainHeader(QJsonDocument::fromJson("{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":{}}").object());
    QVERIFY(ecdh.last().danger.contains(QStringLiteral("invalid-curve")));
}

QTEST_GUILESS_MAIN(TestJwe)
#include "tst_jwe.moc"
