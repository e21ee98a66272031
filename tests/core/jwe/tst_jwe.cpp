// JWE core (issue 10): RFC 7520 §5/§6 cookbook examples (decrypt and re-encrypt with the published CEKs and IVs),
// RFC 7516 Appendix A.1-A.3, Wycheproof JWE vectors, round trips for every alg x enc, tampering, and the safety rules.
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

QByteArray decimalBytes(std::initializer_list<int> values)
{
    QByteArray out;
    for (int v : values) {
        out.append(char(v));
    }
    return out;
}

// An RSA private JWK from its base64url members (e = AQAB).
QJsonObject rsaJwk(const char* n, const char* d, const char* p, const char* q, const char* dp, const char* dq,
                   const char* qi)
{
    const auto s = [](const char* v) { return QString::fromLatin1(v); };
    return {{QStringLiteral("kty"), QStringLiteral("RSA")},
            {QStringLiteral("n"), s(n)},
            {QStringLiteral("e"), QStringLiteral("AQAB")},
            {QStringLiteral("d"), s(d)},
            {QStringLiteral("p"), s(p)},
            {QStringLiteral("q"), s(q)},
            {QStringLiteral("dp"), s(dp)},
            {QStringLiteral("dq"), s(dq)},
            {QStringLiteral("qi"), s(qi)}};
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
    void rfc7516AppendixA_data();
    void rfc7516AppendixA();
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
    void headerNotesWithKey();
    void readHeaderForms();
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

// RFC 7516 Appendix A, typed in from the RFC text: the recipient keys (A.1.3/A.2.3 RSA JWKs, A.3.3 oct KEK), the
// CEKs (A.x.2) and IVs (A.x.4) as the RFC lists them in decimal bytes, the ciphertexts and tags (A.x.6) and the
// complete compact serialisations (A.x.7).
void TestJwe::rfc7516AppendixA_data()
{
    QTest::addColumn<QJsonObject>("jwk");
    QTest::addColumn<QByteArray>("protectedHeader");
    QTest::addColumn<QByteArray>("cek");
    QTest::addColumn<QByteArray>("iv");
    QTest::addColumn<QByteArray>("plaintext");
    QTest::addColumn<QByteArray>("ciphertext");
    QTest::addColumn<QByteArray>("tag");
    QTest::addColumn<QByteArray>("token");
    // clang-format off
    QTest::newRow("RFC 7516 A.1 RSA-OAEP A256GCM")
        << rsaJwk(
               "oahUIoWw0K0usKNuOR6H4wkf4oBUXHTxRvgb48E-BVvxkeDNjbC4he8rUW"
               "cJoZmds2h7M70imEVhRU5djINXtqllXI4DFqcI1DgjT9LewND8MW2Krf3S"
               "psk_ZkoFnilakGygTwpZ3uesH-PFABNIUYpOiN15dsQRkgr0vEhxN92i2a"
               "sbOenSZeyaxziK72UwxrrKoExv6kc5twXTq4h-QChLOln0_mtUZwfsRaMS"
               "tPs6mS6XrgxnxbWhojf663tuEQueGC-FCMfra36C9knDFGzKsNa7LZK2dj"
               "YgyD3JR_MB_4NUJW_TqOQtwHYbxevoJArm-L5StowjzGy-_bq6Gw",
               "kLdtIj6GbDks_ApCSTYQtelcNttlKiOyPzMrXHeI-yk1F7-kpDxY4-WY5N"
               "WV5KntaEeXS1j82E375xxhWMHXyvjYecPT9fpwR_M9gV8n9Hrh2anTpTD9"
               "3Dt62ypW3yDsJzBnTnrYu1iwWRgBKrEYY46qAZIrA2xAwnm2X7uGR1hghk"
               "qDp0Vqj3kbSCz1XyfCs6_LehBwtxHIyh8Ripy40p24moOAbgxVw3rxT_vl"
               "t3UVe4WO3JkJOzlpUf-KTVI2Ptgm-dARxTEtE-id-4OJr0h-K-VFs3VSnd"
               "VTIznSxfyrj8ILL6MG_Uv8YAu7VILSB3lOW085-4qE3DzgrTjgyQ",
               "1r52Xk46c-LsfB5P442p7atdPUrxQSy4mti_tZI3Mgf2EuFVbUoDBvaRQ-"
               "SWxkbkmoEzL7JXroSBjSrK3YIQgYdMgyAEPTPjXv_hI2_1eTSPVZfzL0lf"
               "fNn03IXqWF5MDFuoUYE0hzb2vhrlN_rKrbfDIwUbTrjjgieRbwC6Cl0",
               "wLb35x7hmQWZsWJmB_vle87ihgZ19S8lBEROLIsZG4ayZVe9Hi9gDVCOBm"
               "UDdaDYVTSNx_8Fyw1YYa9XGrGnDew00J28cRUoeBB_jKI1oma0Orv1T9aX"
               "IWxKwd4gvxFImOWr3QRL9KEBRzk2RatUBnmDZJTIAfwTs0g68UZHvtc",
               "ZK-YwE7diUh0qR1tR7w8WHtolDx3MZ_OTowiFvgfeQ3SiresXjm9gZ5KL"
               "hMXvo-uz-KUJWDxS5pFQ_M0evdo1dKiRTjVw_x4NyqyXPM5nULPkcpU827"
               "rnpZzAJKpdhWAgqrXGKAECQH0Xt4taznjnd_zVpAmZZq60WPMBMfKcuE",
               "Dq0gfgJ1DdFGXiLvQEZnuKEN0UUmsJBxkjydc3j4ZYdBiMRAy86x0vHCj"
               "ywcMlYYg4yoC4YZa9hNVcsjqA3FeiL19rk8g6Qn29Tt0cj8qqyFpz9vNDB"
               "UfCAiJVeESOjJDZPYHdHY8v1b-o-Z2X5tvLx-TCekf7oxyeKDUqKWjis",
               "VIMpMYbPf47dT1w_zDUXfPimsSegnMOA1zTaX7aGk_8urY6R8-ZW1FxU7"
               "AlWAyLWybqq6t16VFd7hQd0y6flUK4SlOydB61gwanOsXGOAOv82cHq0E3"
               "eL4HrtZkUuKvnPrMnsUUFlfUdybVzxyjz9JF_XyaY14ardLSjf4L_FNY")
        << QByteArray("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}")
        << decimalBytes({177, 161, 244, 128, 84, 143, 225, 115, 63, 180, 3, 255, 107, 154, 212, 246,
                         138, 7, 110, 91, 112, 46, 34, 105, 47, 130, 203, 46, 122, 234, 64, 252})
        << decimalBytes({227, 197, 117, 252, 2, 219, 233, 68, 180, 225, 77, 219})
        << QByteArray("The true sign of intelligence is not knowledge but imagination.")
        << decimalBytes({229, 236, 166, 241, 53, 191, 115, 196, 174, 43, 73, 109, 39, 122, 233, 96,
                         140, 206, 120, 52, 51, 237, 48, 11, 190, 219, 186, 80, 111, 104, 50, 142,
                         47, 167, 59, 61, 181, 127, 196, 21, 40, 82, 242, 32, 123, 143, 168, 226,
                         73, 216, 176, 144, 138, 247, 106, 60, 16, 205, 160, 109, 64, 63, 192})
        << decimalBytes({92, 80, 104, 49, 133, 25, 161, 215, 173, 101, 219, 211, 136, 91, 210, 145})
        << QByteArray("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ."
                      "OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe"
                      "ipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDb"
                      "Sv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaV"
                      "mqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je8"
                      "1860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi"
                      "6UklfCpIMfIjf7iGdXKHzg."
                      "48V1_ALb6US04U3b."
                      "5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji"
                      "SdiwkIr3ajwQzaBtQD_A."
                      "XFBoMYUZodetZdvTiFvSkQ");
    QTest::newRow("RFC 7516 A.2 RSA1_5 A128CBC-HS256")
        << rsaJwk(
               "sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1Wl"
               "UzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDpre"
               "cbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_"
               "7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBI"
               "Y2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU"
               "7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw",
               "VFCWOqXr8nvZNyaaJLXdnNPXZKRaWCjkU5Q2egQQpTBMwhprMzWzpR8Sxq"
               "1OPThh_J6MUD8Z35wky9b8eEO0pwNS8xlh1lOFRRBoNqDIKVOku0aZb-ry"
               "nq8cxjDTLZQ6Fz7jSjR1Klop-YKaUHc9GsEofQqYruPhzSA-QgajZGPbE_"
               "0ZaVDJHfyd7UUBUKunFMScbflYAAOYJqVIVwaYR5zWEEceUjNnTNo_CVSj"
               "-VvXLO5VZfCUAVLgW4dpf1SrtZjSt34YLsRarSb127reG_DUwg9Ch-Kyvj"
               "T1SkHgUWRVGcyly7uvVGRSDwsXypdrNinPA4jlhoNdizK2zF2CWQ",
               "9gY2w6I6S6L0juEKsbeDAwpd9WMfgqFoeA9vEyEUuk4kLwBKcoe1x4HG68"
               "ik918hdDSE9vDQSccA3xXHOAFOPJ8R9EeIAbTi1VwBYnbTp87X-xcPWlEP"
               "krdoUKW60tgs1aNd_Nnc9LEVVPMS390zbFxt8TN_biaBgelNgbC95sM",
               "uKlCKvKv_ZJMVcdIs5vVSU_6cPtYI1ljWytExV_skstvRSNi9r66jdd9-y"
               "BhVfuG4shsp2j7rGnIio901RBeHo6TPKWVVykPu1iYhQXw1jIABfw-MVsN"
               "-3bQ76WLdt2SDxsHs7q7zPyUyHXmps7ycZ5c72wGkUwNOjYelmkiNS0",
               "w0kZbV63cVRvVX6yk3C8cMxo2qCM4Y8nsq1lmMSYhG4EcL6FWbX5h9yuv"
               "ngs4iLEFk6eALoUS4vIWEwcL4txw9LsWH_zKI-hwoReoP77cOdSL4AVcra"
               "Hawlkpyd2TWjE5evgbhWtOxnZee3cXJBkAi64Ik6jZxbvk-RR3pEhnCs",
               "o_8V14SezckO6CNLKs_btPdFiO9_kC1DsuUTd2LAfIIVeMZ7jn1Gus_Ff"
               "7B7IVx3p5KuBGOVF8L-qifLb6nQnLysgHDh132NDioZkhH7mI7hPG-PYE_"
               "odApKdnqECHWw0J-F0JWnUd6D2B_1TvF9mXA2Qx-iGYn8OVV1Bsmp6qU",
               "eNho5yRBEBxhGBtQRww9QirZsB66TrfFReG_CcteI1aCneT0ELGhYlRlC"
               "tUkTRclIfuEPmNsNDPbLoLqqCVznFbvdB7x-Tl-m0l_eFTj2KiqwGqE9PZ"
               "B9nNTwMVvH3VRRSLWACvPnSiwP8N5Usy-WRXS-V7TbpxIhvepTfE0NNo")
        << QByteArray("{\"alg\":\"RSA1_5\",\"enc\":\"A128CBC-HS256\"}")
        << decimalBytes({4, 211, 31, 197, 84, 157, 252, 254, 11, 100, 157, 250, 63, 170, 106, 206,
                         107, 124, 212, 45, 111, 107, 9, 219, 200, 177, 0, 240, 143, 156, 44, 207})
        << decimalBytes({3, 22, 60, 12, 43, 67, 104, 105, 108, 108, 105, 99, 111, 116, 104, 101})
        << QByteArray("Live long and prosper.")
        << decimalBytes({40, 57, 83, 181, 119, 33, 133, 148, 198, 185, 243, 24, 152, 230, 6, 75,
                         129, 223, 127, 19, 210, 82, 183, 230, 168, 33, 215, 104, 143, 112, 56, 102})
        << decimalBytes({246, 17, 244, 190, 4, 95, 98, 3, 231, 0, 115, 157, 242, 203, 100, 191})
        << QByteArray("eyJhbGciOiJSU0ExXzUiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0."
                      "UGhIOguC7IuEvf_NPVaXsGMoLOmwvc1GyqlIKOK1nN94nHPoltGRhWhw7Zx0-kFm"
                      "1NJn8LE9XShH59_i8J0PH5ZZyNfGy2xGdULU7sHNF6Gp2vPLgNZ__deLKxGHZ7Pc"
                      "HALUzoOegEI-8E66jX2E4zyJKx-YxzZIItRzC5hlRirb6Y5Cl_p-ko3YvkkysZIF"
                      "NPccxRU7qve1WYPxqbb2Yw8kZqa2rMWI5ng8OtvzlV7elprCbuPhcCdZ6XDP0_F8"
                      "rkXds2vE4X-ncOIM8hAYHHi29NX0mcKiRaD0-D-ljQTP-cFPgwCp6X-nZZd9OHBv"
                      "-B3oWh2TbqmScqXMR4gp_A."
                      "AxY8DCtDaGlsbGljb3RoZQ."
                      "KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY."
                      "9hH0vgRfYgPnAHOd8stkvw");
    QTest::newRow("RFC 7516 A.3 A128KW A128CBC-HS256")
        << QJsonObject{{QStringLiteral("kty"), QStringLiteral("oct")},
                       {QStringLiteral("k"), QStringLiteral("GawgguFyGrWKav7AX4VKUg")}}
        << QByteArray("{\"alg\":\"A128KW\",\"enc\":\"A128CBC-HS256\"}")
        << decimalBytes({4, 211, 31, 197, 84, 157, 252, 254, 11, 100, 157, 250, 63, 170, 106, 206,
                         107, 124, 212, 45, 111, 107, 9, 219, 200, 177, 0, 240, 143, 156, 44, 207})
        << decimalBytes({3, 22, 60, 12, 43, 67, 104, 105, 108, 108, 105, 99, 111, 116, 104, 101})
        << QByteArray("Live long and prosper.")
        << decimalBytes({40, 57, 83, 181, 119, 33, 133, 148, 198, 185, 243, 24, 152, 230, 6, 75,
                         129, 223, 127, 19, 210, 82, 183, 230, 168, 33, 215, 104, 143, 112, 56, 102})
        << decimalBytes({83, 73, 191, 98, 104, 205, 211, 128, 201, 189, 199, 133, 32, 38, 194, 85})
        << QByteArray("eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0."
                      "6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ."
                      "AxY8DCtDaGlsbGljb3RoZQ."
                      "KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY."
                      "U0m_YmjN04DJvceFICbCVQ");
    // clang-format on
}

void TestJwe::rfc7516AppendixA()
{
    QFETCH(QJsonObject, jwk);
    QFETCH(QByteArray, protectedHeader);
    QFETCH(QByteArray, cek);
    QFETCH(QByteArray, iv);
    QFETCH(QByteArray, plaintext);
    QFETCH(QByteArray, ciphertext);
    QFETCH(QByteArray, tag);
    QFETCH(QByteArray, token);
    const keys::KeyPtr key = jwkKey(jwk);
    QVERIFY(key);
    const QList<QByteArray> segments = token.split('.');
    QCOMPARE(segments.size(), 5);
    // A.x.1: the protected header's encoding; A.x.5: the AAD is that encoding's ASCII bytes.
    QCOMPARE(b64(protectedHeader), segments.at(0));
    QCOMPARE(b64(iv), segments.at(2));
    QCOMPARE(b64(ciphertext), segments.at(3));
    QCOMPARE(b64(tag), segments.at(4));

    // Decryption with the recipient key gives the RFC's plaintext.
    auto result = decrypt(token, *key);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().message));
    QCOMPARE(result->plaintext, plaintext);
    QCOMPARE(result->protectedHeader, protectedHeader);

    // Content encryption is deterministic given the CEK and IV: the same ciphertext and tag, byte for byte.
    const auto enc = encAlgFromName(result->header.value(QStringLiteral("enc")).toString());
    QVERIFY(enc);
    auto sealed = detail::encryptContent(*enc, cek, iv, segments.at(0), plaintext);
    QVERIFY(sealed);
    QCOMPARE(sealed->ciphertext, ciphertext);
    QCOMPARE(sealed->tag, tag);
    auto opened = detail::decryptContent(*enc, cek, iv, segments.at(0), ciphertext, tag);
    QVERIFY(opened);
    QCOMPARE(*opened, plaintext);

    // The key encryption: AES key wrap is deterministic (A.3.3), RSA padding is random (A.1.3, A.2.3), so the
    // RFC's encrypted key is reused as it stands; either way the whole token re-assembles to the same bytes.
    QByteArray encryptedKey = *jose::base64UrlDecode(segments.at(1));
    if (result->alg == KeyAlg::A128Kw) {
        auto wrapped = detail::aesKeyWrap(key->secret().reveal(), cek);
        QVERIFY(wrapped);
        QCOMPARE(*wrapped, encryptedKey);
    } else {
        QCOMPARE(encryptedKey.size(), 256); // one RSA-2048 block
    }
    auto again = detail::assembleCompact(protectedHeader, encryptedKey, *enc, cek, iv, plaintext, false);
    QVERIFY(again);
    QCOMPARE(*again, token);

    // A fresh encryption under the same key and algorithms decrypts back to the plaintext.
    auto fresh = encryptCompact(*key, result->alg, *enc, plaintext);
    QVERIFY2(fresh, qPrintable(fresh ? QString() : fresh.error().message));
    QVERIFY(fresh->startsWith(segments.at(0) + '.'));
    auto back = decrypt(*fresh, *key);
    QVERIFY(back);
    QCOMPARE(back->plaintext, plaintext);
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

// With the key about to be used, the alg and epk notes say what is wrong with that key.
void TestJwe::headerNotesWithKey()
{
    const auto note = [](const QByteArray& header, const keys::KeyPtr& key, const QString& member) {
        for (const auto& n : explainHeader(QJsonDocument::fromJson(header).object(), {}, key.get())) {
            if (n.member == member) {
                return n;
            }
        }
        return HeaderNote{};
    };
    const QByteArray dir = "{\"alg\":\"dir\",\"enc\":\"A128GCM\"}";
    QCOMPARE(note(dir, octKey(32), QStringLiteral("alg")).danger,
             QStringLiteral("dir with A128GCM needs a 16-byte key; this one has 32 bytes."));
    QCOMPARE(note(dir, keys::secretKey(QByteArray::fromHex("8d1e6bc3a45f0297e13bd84c6a2f5e90")), QStringLiteral("alg"))
                 .danger,
             QString());
    QVERIFY(note(dir, keys::secretKey("0123456789abcdef"), QStringLiteral("alg"))
                .danger.startsWith(QStringLiteral("The chosen key is printable text")));
    // RSA1_5 keeps its own warning and adds the key's.
    QCOMPARE(note("{\"alg\":\"RSA1_5\",\"enc\":\"A128GCM\"}", octKey(16), QStringLiteral("alg")).danger,
             QStringLiteral("RSA1_5 is open to Bleichenbacher padding-oracle attacks (RFC 8725 §3.2). The chosen key "
                            "(%1) cannot be used with RSA1_5.")
                 .arg(octKey(16)->describe()));
    // ECDH-ES: the epk's curve against the key's.
    const QByteArray epk = *keys::exportJwk(*testKeys().p256, keys::KeyPart::Public);
    const QByteArray ecdh = "{\"alg\":\"ECDH-ES\",\"enc\":\"A128GCM\",\"epk\":" + epk + "}";
    QCOMPARE(note(ecdh, testKeys().p256, QStringLiteral("epk")).danger, QString());
    QCOMPARE(note(ecdh, testKeys().p384, QStringLiteral("epk")).danger,
             QStringLiteral("The ephemeral key is on P-256 but the chosen key is on P-384: a curve mismatch is refused "
                            "(invalid-curve attack)."));
    QVERIFY(note(ecdh, {}, QStringLiteral("epk")).meaning.contains(QStringLiteral("on P-256")));
    // A missing alg or enc is a note of its own.
    const auto missing = explainHeader(QJsonDocument::fromJson("{\"kid\":\"k\"}").object());
    QCOMPARE(missing.size(), 3);
    QCOMPARE(missing.at(0).danger, QStringLiteral("A JWE must name its key management algorithm (RFC 7516 §4.1.1)."));
    QCOMPARE(missing.at(1).danger,
             QStringLiteral("A JWE must name its content encryption algorithm (RFC 7516 §4.1.2)."));
}

// The header of every serialisation, without a key.
void TestJwe::readHeaderForms()
{
    const QJsonObject v =
        test::loadVectorFile(QStringLiteral("jose-cookbook/jwe/5_13.encrypting_to_multiple_recipients.json"));
    auto general =
        readHeader(jsonText(v.value(QStringLiteral("output")).toObject().value(QStringLiteral("json")).toObject()));
    QVERIFY2(general, qPrintable(general ? QString() : general.error().message));
    QVERIFY(general->json);
    QCOMPARE(general->recipients, 3);
    QCOMPARE(general->protectedHeader, QByteArray("{\"enc\":\"A128CBC-HS256\"}"));
    QCOMPARE(general->header.value(QStringLiteral("alg")).toString(), QStringLiteral("RSA1_5")); // first recipient
    QCOMPARE(general->header.value(QStringLiteral("cty")).toString(), QStringLiteral("text/plain"));
    QCOMPARE(general->unprotectedMembers,
             (QStringList{QStringLiteral("cty"), QStringLiteral("alg"), QStringLiteral("kid")}));

    const QByteArray a3 = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0."
                          "6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ.AxY8DCtDaGlsbGljb3RoZQ."
                          "KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.U0m_YmjN04DJvceFICbCVQ";
    auto compact = readHeader(a3);
    QVERIFY(compact);
    QVERIFY(!compact->json);
    QCOMPARE(compact->protectedHeader, QByteArray("{\"alg\":\"A128KW\",\"enc\":\"A128CBC-HS256\"}"));
    QVERIFY(compact->unprotectedMembers.isEmpty());

    auto jws = readHeader("eyJhbGciOiJub25lIn0.e30.");
    QVERIFY(!jws);
    QCOMPARE(jws.error().message, QStringLiteral("This is a JWS (3 segments), not a JWE (5 segments)."));
    auto twice = readHeader("{\"protected\":\"" + b64("{\"alg\":\"A128KW\"}") +
                            "\",\"header\":{\"alg\":\"A128KW\"},\"iv\":\"\",\"ciphertext\":\"\",\"tag\":\"\"}");
    QVERIFY(!twice);
    QVERIFY(twice.error().message.contains(QStringLiteral("\"alg\" appears in more than one header")));
    QVERIFY(!readHeader("{\"protected\":\"e30\"}")); // no ciphertext
}

QTEST_GUILESS_MAIN(TestJwe)
#include "tst_jwe.moc"
