// Every lint rule: a token that triggers it (exact id, severity, sentence) and tokens that do not.
#include <QTest>

#include "audit/lint/Lint.h"
#include "jose/Base64Url.h"
#include "keys/KeyIo.h"

using namespace tb;
using audit::Severity;

namespace {

const double now = 1700000000;
const QByteArray cleanHeader = "{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}";
const QByteArray cleanPayload = "{\"iss\":\"https://issuer.example\",\"aud\":\"api\",\"sub\":\"user-42\","
                                "\"iat\":1700000000,\"exp\":1700000600}";

QByteArray fakeSignature()
{
    return jose::base64UrlEncode(QByteArray(64, '\x11'));
}

QByteArray token(const QByteArray& header, const QByteArray& payload, const QByteArray& sig = fakeSignature())
{
    return jose::base64UrlEncode(header) + '.' + jose::base64UrlEncode(payload) + '.' + sig;
}

QList<audit::Finding> lint(const QByteArray& t, const audit::LintOptions& options = {})
{
    audit::LintOptions o = options;
    if (o.now == 0) {
        o.now = now;
    }
    auto r = audit::lintToken(t, o);
    if (!r) {
        qWarning("lintToken failed: %s", qPrintable(r.error().message));
        return {};
    }
    return *r;
}

QStringList ids(const QList<audit::Finding>& findings)
{
    QStringList out;
    for (const auto& f : findings) {
        out << f.id;
    }
    return out;
}

const audit::Finding* find(const QList<audit::Finding>& findings, const QString& id)
{
    for (const auto& f : findings) {
        if (f.id == id) {
            return &f;
        }
    }
    return nullptr;
}

// Replaces (or adds) one top-level member of the clean payload/header by text surgery.
QByteArray withMember(QByteArray json, const QByteArray& member)
{
    json.chop(1);
    return json + ',' + member + '}';
}

} // namespace

class TestLint : public QObject
{
    Q_OBJECT

private slots:
    void cleanTokenHasNoFindings()
    {
        const auto findings = lint(token(cleanHeader, cleanPayload));
        QVERIFY2(findings.isEmpty(), qPrintable(ids(findings).join(QLatin1Char(' '))));
    }

    void everyRuleHasAReference()
    {
        QStringList seen;
        for (const auto& r : audit::lintRules()) {
            QVERIFY(!r.reference.isEmpty());
            QVERIFY(!r.title.isEmpty());
            QVERIFY(r.id.startsWith(QStringLiteral("JWT-")) || r.id.startsWith(QStringLiteral("JWE-")));
            QVERIFY2(!seen.contains(r.id), qPrintable(r.id));
            seen << r.id;
        }
        QVERIFY(seen.size() >= 35);
    }

    void rule_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("reference");
        const QByteArray sig = fakeSignature();
        const QString readable =
            QStringLiteral("anyone holding the token can read it (the payload is only base64url).");
        const QString owasp = QStringLiteral("OWASP JWT Cheat Sheet");

        QTest::newRow("alg none")
            << QByteArray("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") << cleanPayload << QByteArray() << "JWT-ALG-NONE"
            << int(Severity::Critical)
            << "The token is unsecured (alg \"none\"): anyone can forge it, and a verifier must never "
               "accept it."
            << "RFC 8725 §3.1";
        QTest::newRow("alg nOnE")
            << QByteArray("{\"alg\":\"nOnE\",\"typ\":\"at+jwt\"}") << cleanPayload << sig << "JWT-ALG-NONE"
            << int(Severity::Critical)
            << "The token is unsecured (alg \"nOnE\"): anyone can forge it, and a verifier must never "
               "accept it."
            << "RFC 8725 §3.1";
        QTest::newRow("alg missing") << QByteArray("{\"typ\":\"at+jwt\"}") << cleanPayload << sig << "JWT-ALG-MISSING"
                                     << int(Severity::High)
                                     << "The header has no string \"alg\", so no verifier can know how the token is "
                                        "protected."
                                     << "RFC 7515 §4.1.1";
        QTest::newRow("alg unknown") << QByteArray("{\"alg\":\"HS1\",\"typ\":\"at+jwt\"}") << cleanPayload << sig
                                     << "JWT-ALG-UNKNOWN" << int(Severity::High)
                                     << "\"HS1\" is not a registered JWS algorithm."
                                     << "RFC 7518 §3.1";
        QTest::newRow("empty signature") << cleanHeader << cleanPayload << QByteArray() << "JWT-SIG-EMPTY"
                                         << int(Severity::High)
                                         << "The header says ES256 but the signature segment is empty."
                                         << "RFC 8725 §3.1";
        QTest::newRow("RS256") << QByteArray("{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}") << cleanPayload << sig
                               << "JWT-ALG-RSA-PKCS1" << int(Severity::Low)
                               << "RS256 uses RSASSA-PKCS1-v1_5, which is not recommended: prefer PS*, ES* or EdDSA."
                               << owasp;
        QTest::newRow("typ missing") << QByteArray("{\"alg\":\"ES256\"}") << cleanPayload << sig << "JWT-TYP-MISSING"
                                     << int(Severity::Low)
                                     << "The header has no \"typ\": give each kind of token an explicit type (e.g. "
                                        "\"at+jwt\") so one kind cannot be used as another."
                                     << "RFC 8725 §3.11";
        QTest::newRow("typ JWT")
            << QByteArray("{\"alg\":\"ES256\",\"typ\":\"JWT\"}") << cleanPayload << sig << "JWT-TYP-GENERIC"
            << int(Severity::Info)
            << "typ \"JWT\" is generic: an explicit type such as \"at+jwt\" keeps tokens of one kind "
               "from being accepted as another."
            << "RFC 8725 §3.11";
        QTest::newRow("crit") << withMember(cleanHeader, "\"crit\":[\"b64\"],\"b64\":false") << cleanPayload << sig
                              << "JWT-CRIT-PRESENT" << int(Severity::Medium)
                              << "The header has \"crit\": verifiers that do not implement every listed extension must "
                                 "reject the token."
                              << "RFC 7515 §4.1.11";
        QTest::newRow("jku") << withMember(cleanHeader, "\"jku\":\"https://evil.example/jwks.json\"") << cleanPayload
                             << sig << "JWT-HDR-JKU" << int(Severity::High)
                             << "The header names a key set URL (jku): a verifier that follows it fetches keys the "
                                "attacker chose (and may be led to make internal requests)."
                             << "RFC 8725 §3.10";
        QTest::newRow("x5u") << withMember(cleanHeader, "\"x5u\":\"https://evil.example/cert.pem\"") << cleanPayload
                             << sig << "JWT-HDR-X5U" << int(Severity::High)
                             << "The header names a certificate URL (x5u): a verifier that follows it trusts a "
                                "certificate the attacker chose."
                             << "RFC 8725 §3.10";
        QTest::newRow("jwk") << withMember(cleanHeader, "\"jwk\":{\"kty\":\"oct\",\"k\":\"AA\"}") << cleanPayload << sig
                             << "JWT-HDR-JWK" << int(Severity::High)
                             << "The header embeds a public key (jwk): a verifier that uses it accepts tokens signed "
                                "with any key."
                             << "CVE-2018-0114";
        QTest::newRow("x5c") << withMember(cleanHeader, "\"x5c\":[\"MIIB\"]") << cleanPayload << sig << "JWT-HDR-X5C"
                             << int(Severity::Medium)
                             << "The header carries a certificate chain (x5c): it proves nothing unless the chain is "
                                "validated against a pinned trust anchor."
                             << "RFC 8725 §3.10";
        QTest::newRow("kid path")
            << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"../../dev/null\"}") << cleanPayload << sig
            << "JWT-KID-PATH" << int(Severity::High)
            << "kid \"../../dev/null\" contains path traversal: a server that reads the key from a "
               "file by kid can be pointed at any file (e.g. /dev/null, an empty key)."
            << owasp;
        QTest::newRow("kid sql")
            << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"x' UNION SELECT 'k\"}") << cleanPayload
            << sig << "JWT-KID-SQL" << int(Severity::High)
            << "kid \"x' UNION SELECT 'k\" contains SQL metacharacters: a server that looks the key "
               "up with string-built SQL can be made to return a key the attacker chose."
            << owasp;
        QTest::newRow("kid shell")
            << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"k1|id\"}") << cleanPayload << sig
            << "JWT-KID-SHELL" << int(Severity::High)
            << "kid \"k1|id\" contains shell metacharacters: a server that passes kid to a command "
               "can be made to run other commands."
            << owasp;
        QTest::newRow("kid nosql")
            << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"$ne\"}") << cleanPayload << sig
            << "JWT-KID-NOSQL" << int(Severity::High)
            << "kid \"$ne\" contains NoSQL operator characters: a server that builds a query from "
               "kid can be made to match any key."
            << owasp;
        QTest::newRow("dup header")
            << withMember(cleanHeader, "\"alg\":\"none\"") << cleanPayload << sig << "JWT-JSON-DUPLICATE"
            << int(Severity::High)
            << "The header has the member \"alg\" twice (line 1, column 42): parsers disagree on "
               "which value counts."
            << "RFC 7515 §5.2";
        QTest::newRow("dup payload")
            << cleanHeader << withMember(cleanPayload, "\"sub\":\"admin\"") << sig << "JWT-JSON-DUPLICATE"
            << int(Severity::High)
            << "The payload has the member \"sub\" twice (line 1, column 95): parsers disagree "
               "on which value counts."
            << "RFC 7515 §5.2";
        QTest::newRow("nested") << withMember(cleanHeader, "\"cty\":\"JWT\"") << cleanPayload << sig << "JWT-NESTED"
                                << int(Severity::Low)
                                << "cty \"JWT\" marks a nested JWT: the inner token must be verified too, with its own "
                                   "keys and policy."
                                << "RFC 7519 §5.2";
        QTest::newRow("exp missing") << cleanHeader
                                     << QByteArray(
                                            "{\"iss\":\"https://issuer.example\",\"aud\":\"api\",\"iat\":1700000000}")
                                     << sig << "JWT-EXP-MISSING" << int(Severity::Medium)
                                     << "The token has no \"exp\": it never expires, so a stolen copy works forever."
                                     << "RFC 7519 §4.1.4";
        QTest::newRow("lifetime") << cleanHeader
                                  << QByteArray("{\"iss\":\"i\",\"aud\":\"a\",\"iat\":1700000000,\"exp\":1700003600}")
                                  << sig << "JWT-LIFETIME-LONG" << int(Severity::Medium)
                                  << "The token lives 1 h (3600 s) from iat to exp, longer than the access-token "
                                     "maximum of 15 min (900 s)."
                                  << owasp;
        QTest::newRow("exp far")
            << cleanHeader << QByteArray("{\"iss\":\"i\",\"aud\":\"a\",\"exp\":1800000000}") << sig << "JWT-EXP-FAR"
            << int(Severity::Medium)
            << "exp is 1157 d 9 h (100000000 s) after now, more than 30 d (2592000 s) in the future." << owasp;
        QTest::newRow("iat future")
            << cleanHeader << QByteArray("{\"iss\":\"i\",\"aud\":\"a\",\"iat\":1700000100,\"exp\":1700000600}") << sig
            << "JWT-IAT-FUTURE" << int(Severity::Medium)
            << "iat is 1 min 40 s (100 s) after now: the token claims to be issued in the future."
            << "RFC 7519 §4.1.6";
        QTest::newRow("nbf after exp") << cleanHeader
                                       << QByteArray(
                                              "{\"iss\":\"i\",\"aud\":\"a\",\"nbf\":1700000600,\"exp\":1700000500}")
                                       << sig << "JWT-NBF-AFTER-EXP" << int(Severity::Medium)
                                       << "nbf (1700000600) is not before exp (1700000500): the token is never valid."
                                       << "RFC 7519 §4.1.5";
        QTest::newRow("time string") << cleanHeader
                                     << QByteArray("{\"iss\":\"i\",\"aud\":\"a\",\"exp\":\"1700000600\"}") << sig
                                     << "JWT-TIME-NOT-NUMBER" << int(Severity::Medium)
                                     << "\"exp\" is \"1700000600\", not a number of seconds since the epoch."
                                     << "RFC 7519 §2";
        QTest::newRow("time exponent") << cleanHeader << QByteArray("{\"iss\":\"i\",\"aud\":\"a\",\"exp\":1.7000006e9}")
                                       << sig << "JWT-TIME-PRECISION" << int(Severity::Medium)
                                       << "\"exp\" is written 1.7000006e9: past 2^53 or in exponent form, parsers read "
                                          "different instants."
                                       << "RFC 7493 §2.2";
        QTest::newRow("time 2^53")
            << cleanHeader
            << QByteArray("{\"iss\":\"i\",\"aud\":\"a\",\"iat\":1700000000,\"exp\":1700000600,"
                          "\"nbf\":-9007199254740993}")
            << sig << "JWT-TIME-PRECISION" << int(Severity::Medium)
            << "\"nbf\" is written -9007199254740993: past 2^53 or in exponent form, parsers read "
               "different instants."
            << "RFC 7493 §2.2";
        QTest::newRow("iss missing")
            << cleanHeader << QByteArray("{\"aud\":\"api\",\"exp\":1700000600}") << sig << "JWT-ISS-MISSING"
            << int(Severity::Low)
            << "The token has no \"iss\": a verifier cannot tell which issuer (and which keys) "
               "it belongs to."
            << "RFC 8725 §3.8";
        QTest::newRow("aud missing") << cleanHeader << QByteArray("{\"iss\":\"i\",\"exp\":1700000600}") << sig
                                     << "JWT-AUD-MISSING" << int(Severity::Low)
                                     << "The token has no \"aud\": any service that trusts the issuer accepts it."
                                     << "RFC 8725 §3.9";
        QTest::newRow("aud number") << cleanHeader << QByteArray("{\"iss\":\"i\",\"aud\":42,\"exp\":1700000600}") << sig
                                    << "JWT-AUD-SHAPE" << int(Severity::Low)
                                    << "\"aud\" is 42: it must be a non-empty string or a non-empty array of them."
                                    << "RFC 7519 §4.1.3";
        QTest::newRow("aud empty array") << cleanHeader << QByteArray("{\"iss\":\"i\",\"aud\":[],\"exp\":1700000600}")
                                         << sig << "JWT-AUD-SHAPE" << int(Severity::Low)
                                         << "\"aud\" is []: it must be a non-empty string or a non-empty array of them."
                                         << "RFC 7519 §4.1.3";
        QTest::newRow("b64 padded payload")
            << cleanHeader << QByteArray() << sig << "JWT-B64-NONCANONICAL" << int(Severity::Medium)
            << "The payload segment is not canonical base64url (padding, '+' or '/', or "
               "non-zero final bits): one token gets several spellings."
            << "RFC 7515 §2";
        QTest::newRow("b64 signature") << cleanHeader << cleanPayload << QByteArray(sig).append("==")
                                       << "JWT-B64-NONCANONICAL" << int(Severity::Medium)
                                       << "The signature segment is not canonical base64url (padding, '+' or '/', or "
                                          "non-zero final bits): one token gets several spellings."
                                       << "RFC 7515 §2";
        QTest::newRow("size 4k") << cleanHeader << withMember(cleanPayload, "\"pad\":\"" + QByteArray(3200, 'a') + '"')
                                 << sig << "JWT-SIZE-4K" << int(Severity::Low)
                                 << "The token is 4547 bytes, over the 4 KB a browser keeps in one cookie."
                                 << "RFC 6265 §6.1";
        QTest::newRow("size 8k") << cleanHeader << withMember(cleanPayload, "\"pad\":\"" + QByteArray(6400, 'a') + '"')
                                 << sig << "JWT-SIZE-8K" << int(Severity::Medium)
                                 << "The token is 8814 bytes, over the 8 KB many servers allow for a header."
                                 << "RFC 9110 §5.4";
        QTest::newRow("password") << cleanHeader << withMember(cleanPayload, "\"user\":{\"Password\":\"hunter2\"}")
                                  << sig << "JWT-PII-SECRET" << int(Severity::High)
                                  << QStringLiteral("The payload has members named like secrets (\"Password\"): ") +
                                         readable
                                  << owasp;
        QTest::newRow("ssn") << cleanHeader << withMember(cleanPayload, "\"ssn\":\"078-05-1120\"") << sig
                             << "JWT-PII-SECRET" << int(Severity::High)
                             << QStringLiteral("The payload has members named like secrets (\"ssn\"): ") + readable
                             << owasp;
        QTest::newRow("card") << cleanHeader << withMember(cleanPayload, "\"pm\":[\"4111-1111-1111-1111\"]") << sig
                              << "JWT-PII-CARD" << int(Severity::High)
                              << QStringLiteral(
                                     "The payload holds what looks like a card number (\"4111-1111-1111-1111\"): ") +
                                     readable
                              << owasp;
        QTest::newRow("email") << cleanHeader << withMember(cleanPayload, "\"contact\":\"Ann <ann.lee@example.co.uk>\"")
                               << sig << "JWT-PII-EMAIL" << int(Severity::Medium)
                               << QStringLiteral("The payload holds an e-mail address (\"ann.lee@example.co.uk\"): ") +
                                      readable
                               << owasp;
        QTest::newRow("phone") << cleanHeader << withMember(cleanPayload, "\"tel\":\"+44 20 7946 0958\"") << sig
                               << "JWT-PII-PHONE" << int(Severity::Medium)
                               << QStringLiteral("The payload holds a phone number (\"+44 20 7946 0958\"): ") + readable
                               << owasp;
        QTest::newRow("ipv4") << cleanHeader << withMember(cleanPayload, "\"ip\":\"192.168.10.4\"") << sig
                              << "JWT-PII-IP" << int(Severity::Low)
                              << QStringLiteral("The payload holds an IP address (\"192.168.10.4\"): ") + readable
                              << owasp;
        QTest::newRow("ipv6") << cleanHeader << withMember(cleanPayload, "\"ip\":\"2001:db8::1\"") << sig
                              << "JWT-PII-IP" << int(Severity::Low)
                              << QStringLiteral("The payload holds an IP address (\"2001:db8::1\"): ") + readable
                              << owasp;
        QTest::newRow("payload not object")
            << cleanHeader << QByteArray("hello") << sig << "JWT-PAYLOAD-NOT-OBJECT" << int(Severity::Info)
            << "The payload is not a JSON object, so it carries no claims to check."
            << "RFC 7519 §7.2";
    }

    void rule()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, signature);
        QFETCH(QString, id);
        QFETCH(int, severity);
        QFETCH(QString, message);
        QFETCH(QString, reference);
        QByteArray t = token(header, payload, signature);
        if (QByteArrayView(QTest::currentDataTag()) == "b64 padded payload") {
            // "{\"iss\":\"i\"}" encodes to 16 characters + padding when written with '='.
            t = jose::base64UrlEncode(header) + '.' + jose::base64UrlEncode(cleanPayload) + "==." + signature;
        }
        const auto findings = lint(t);
        const audit::Finding* f = find(findings, id);
        QVERIFY2(f, qPrintable(QStringLiteral("%1 not in: %2").arg(id, ids(findings).join(QLatin1Char(' ')))));
        QCOMPARE(int(f->severity), severity);
        QCOMPARE(f->message, message);
        QCOMPARE(f->reference, reference);
        // The clean token (and every other rule's trigger) does not fire this rule by accident.
        QVERIFY(!find(lint(token(cleanHeader, cleanPayload)), id));
    }

    void nearMissesDoNotTrigger_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("id");
        QTest::newRow("kid plain") << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"2024-01_key.v2\"}")
                                   << cleanPayload << "JWT-KID-PATH";
        QTest::newRow("kid plain sql") << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"orange-key\"}")
                                       << cleanPayload << "JWT-KID-SQL";
        QTest::newRow("kid with or") << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"read-or-write 2\"}")
                                     << cleanPayload << "JWT-KID-SQL";
        QTest::newRow("kid plain shell") << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"a.b-c_d\"}")
                                         << cleanPayload << "JWT-KID-SHELL";
        QTest::newRow("kid plain nosql") << QByteArray("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"price$\"}")
                                         << cleanPayload << "JWT-KID-NOSQL";
        QTest::newRow("PS256") << QByteArray("{\"alg\":\"PS256\",\"typ\":\"at+jwt\"}") << cleanPayload
                               << "JWT-ALG-RSA-PKCS1";
        QTest::newRow("typ at+jwt") << cleanHeader << cleanPayload << "JWT-TYP-GENERIC";
        QTest::newRow("cty json") << withMember(cleanHeader, "\"cty\":\"json\"") << cleanPayload << "JWT-NESTED";
        QTest::newRow("lifetime 15 min") << cleanHeader
                                         << QByteArray(
                                                "{\"iss\":\"i\",\"aud\":\"a\",\"iat\":1700000000,\"exp\":1700000900}")
                                         << "JWT-LIFETIME-LONG";
        QTest::newRow("exp 29 days") << cleanHeader << QByteArray("{\"iss\":\"i\",\"aud\":\"a\",\"exp\":1702505600}")
                                     << "JWT-EXP-FAR";
        QTest::newRow("iat now") << cleanHeader << cleanPayload << "JWT-IAT-FUTURE";
        QTest::newRow("nbf before exp") << cleanHeader
                                        << QByteArray(
                                               "{\"iss\":\"i\",\"aud\":\"a\",\"nbf\":1700000000,\"exp\":1700000500}")
                                        << "JWT-NBF-AFTER-EXP";
        QTest::newRow("time 2^53 exactly")
            << cleanHeader << QByteArray("{\"iss\":\"i\",\"aud\":\"a\",\"exp\":9007199254740992}")
            << "JWT-TIME-PRECISION";
        QTest::newRow("aud array") << cleanHeader
                                   << QByteArray("{\"iss\":\"i\",\"aud\":[\"a\",\"b\"],\"exp\":1700000600}")
                                   << "JWT-AUD-SHAPE";
        QTest::newRow("numeric sub") << cleanHeader << withMember(cleanPayload, "\"uid\":\"1234567890\"")
                                     << "JWT-PII-PHONE";
        QTest::newRow("iso date") << cleanHeader << withMember(cleanPayload, "\"d\":\"2024-01-15\"") << "JWT-PII-PHONE";
        QTest::newRow("non-Luhn card") << cleanHeader << withMember(cleanPayload, "\"n\":\"4111 1111 1111 1112\"")
                                       << "JWT-PII-CARD";
        QTest::newRow("not an ip") << cleanHeader << withMember(cleanPayload, "\"v\":\"1.2.3.400\"") << "JWT-PII-IP";
        QTest::newRow("not an email") << cleanHeader << withMember(cleanPayload, "\"h\":\"@handle\"")
                                      << "JWT-PII-EMAIL";
        QTest::newRow("harmless names") << cleanHeader << withMember(cleanPayload, "\"scope\":\"read\",\"passage\":1")
                                        << "JWT-PII-SECRET";
        QTest::newRow("size 4096") << cleanHeader
                                   << withMember(cleanPayload, "\"pad\":\"" + QByteArray(2800, 'a') + '"')
                                   << "JWT-SIZE-4K";
    }

    void nearMissesDoNotTrigger()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, payload);
        QFETCH(QString, id);
        const auto findings = lint(token(header, payload));
        QVERIFY2(!find(findings, id), qPrintable(ids(findings).join(QLatin1Char(' '))));
    }

    void maxLifetimeIsConfigurable()
    {
        const QByteArray t = token(cleanHeader, "{\"iss\":\"i\",\"aud\":\"a\",\"iat\":1700000000,\"exp\":1700003600}");
        audit::LintOptions o;
        o.maxLifetime = 3600;
        QVERIFY(!find(lint(t, o), QStringLiteral("JWT-LIFETIME-LONG")));
        o.maxLifetime = 3599;
        QVERIFY(find(lint(t, o), QStringLiteral("JWT-LIFETIME-LONG")));
    }

    void hmacSecretRules()
    {
        const QByteArray t = token("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", cleanPayload);
        audit::LintOptions o;
        o.key = keys::secretKey("secret");
        auto findings = lint(t, o);
        const auto* weak = find(findings, QStringLiteral("JWT-HMAC-WEAK-SECRET"));
        QVERIFY(weak);
        QCOMPARE(weak->severity, Severity::Critical);
        QCOMPARE(weak->message,
                 QStringLiteral("The HMAC secret is in the built-in list of common JWT secrets: anyone can "
                                "find it in seconds."));
        QCOMPARE(weak->reference, QStringLiteral("RFC 8725 §3.5"));
        const auto* shortSecret = find(findings, QStringLiteral("JWT-HMAC-SHORT-SECRET"));
        QVERIFY(shortSecret);
        QCOMPARE(shortSecret->severity, Severity::High);
        QCOMPARE(shortSecret->message,
                 QStringLiteral("The HMAC secret is 6 bytes, shorter than the 32 bytes of the hash."));
        QCOMPARE(shortSecret->reference, QStringLiteral("RFC 7518 §3.2"));
        // The empty secret is the first entry of the built-in list.
        o.key = keys::secretKey(QByteArray());
        QVERIFY(find(lint(t, o), QStringLiteral("JWT-HMAC-WEAK-SECRET")));
        // A long random secret triggers neither; HS512 wants 64 bytes.
        o.key = keys::secretKey(QByteArray(32, '\x5a') + "k9");
        findings = lint(t, o);
        QVERIFY(!find(findings, QStringLiteral("JWT-HMAC-WEAK-SECRET")));
        QVERIFY(!find(findings, QStringLiteral("JWT-HMAC-SHORT-SECRET")));
        const auto hs512 = lint(token("{\"alg\":\"HS512\",\"typ\":\"at+jwt\"}", cleanPayload), o);
        QVERIFY(find(hs512, QStringLiteral("JWT-HMAC-SHORT-SECRET")));
        // Without a key the key rules cannot run.
        QVERIFY(!find(lint(t), QStringLiteral("JWT-HMAC-SHORT-SECRET")));
    }

    void rsaKeySize()
    {
        const QByteArray t = token("{\"alg\":\"PS256\",\"typ\":\"at+jwt\"}", cleanPayload);
        // 1024-bit RSA cannot be generated through keys::generateKey (2048 minimum): use a fixed public key.
        const QByteArray pem = "-----BEGIN PUBLIC KEY-----\n"
                               "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC7kRm4cc7w8DN2EXzFJUx2fF3W\n"
                               "x6CXvplGUsbZJpB6NWuJeW9UBkfAmjlqWZrPiV+Ysy6l02BXwn6x3c5U+J1cBgXP\n"
                               "1PDdQq9ciT/VEYr1p6gMFbmkYtj29GYrJgxB5qdpRDYP7F8ni8JRy12vVY6ED1Ow\n"
                               "tAGOSqoDIw0pP55OAQIDAQAB\n"
                               "-----END PUBLIC KEY-----\n";
        auto key = keys::importKey(pem);
        if (!key) {
            QSKIP("the fixed 1024-bit key did not import");
        }
        audit::LintOptions o;
        o.key = *key;
        const QList<audit::Finding> findings = lint(t, o); // kept alive: find() points into it (ASan)
        const auto* f = find(findings, QStringLiteral("JWT-RSA-SHORT-KEY"));
        QVERIFY(f);
        QCOMPARE(f->severity, Severity::High);
        QCOMPARE(f->message, QStringLiteral("The RSA key has 1024 bits; at least 2048 are required."));
        QCOMPARE(f->reference, QStringLiteral("RFC 7518 §3.3"));
        o.key = keys::generateKey(jose::Alg::RS256, 2048).value();
        QVERIFY(!find(lint(t, o), QStringLiteral("JWT-RSA-SHORT-KEY")));
    }

    void orderedBySeverity()
    {
        const auto findings = lint(token("{\"alg\":\"none\"}", "{\"email\":\"a@b.io\"}", QByteArray()));
        QVERIFY(findings.size() >= 4);
        QCOMPARE(findings.first().id, QStringLiteral("JWT-ALG-NONE"));
        for (qsizetype i = 1; i < findings.size(); ++i) {
            QVERIFY(findings[i - 1].severity >= findings[i].severity);
        }
    }

    void badInputIsAnError()
    {
        QVERIFY(!audit::lintToken("abc", {}));
        QVERIFY(!audit::lintToken("e30", {}));
        QVERIFY(!audit::lintToken(jose::base64UrlEncode("[1]") + ".e30.", {}));
        QVERIFY(!audit::lintToken("a.b.c.d.e", {}));
    }

    // Each finding points at the segment, or at the base64url characters that encode the offending member.
    void locations()
    {
        const QByteArray header = "{\"alg\":\"none\",\"kid\":\"../../dev/null\"}";
        const QByteArray payload = "{\"sub\":\"u\",\"contact\":{\"mail\":\"ada@example.com\"},\"exp\":1e10}";
        const QByteArray t = token(header, payload, QByteArray());
        const auto findings = lint(t);
        const auto at = [&](const char* id) {
            const audit::Finding* f = find(findings, QString::fromLatin1(id));
            return f && f->locations.size() == 1 ? f->locations.first() : audit::FindingLocation{};
        };
        const audit::FindingLocation alg = at("JWT-ALG-NONE");
        QCOMPARE(alg.segment, QStringLiteral("header"));
        QCOMPARE(alg.pointer, QStringLiteral("/alg"));
        QCOMPARE(alg.jsonOffset, 1);
        QCOMPARE(alg.jsonLength, 12); // "alg":"none"
        QCOMPARE(alg.tokenOffset, 1); // bits 8..103 of the header: characters 1..17
        QCOMPARE(alg.tokenLength, 17);
        const audit::FindingLocation kid = at("JWT-KID-PATH");
        QCOMPARE(kid.pointer, QStringLiteral("/kid"));
        QCOMPARE(header.mid(kid.jsonOffset, kid.jsonLength), QByteArray("\"kid\":\"../../dev/null\""));
        // The characters decode to bytes that hold the member.
        const QByteArray segment = t.left(t.indexOf('.'));
        const qsizetype from = kid.jsonOffset * 8 / 6;
        QCOMPARE(kid.tokenOffset, from);
        QVERIFY(kid.tokenOffset + kid.tokenLength <= segment.size());
        const audit::FindingLocation mail = at("JWT-PII-EMAIL");
        QCOMPARE(mail.segment, QStringLiteral("payload"));
        QCOMPARE(mail.pointer, QStringLiteral("/contact/mail"));
        QCOMPARE(payload.mid(mail.jsonOffset, mail.jsonLength), QByteArray("\"mail\":\"ada@example.com\""));
        QCOMPARE(mail.tokenOffset, segment.size() + 1 + mail.jsonOffset * 8 / 6);
        const audit::FindingLocation exp = at("JWT-TIME-PRECISION");
        QCOMPARE(payload.mid(exp.jsonOffset, exp.jsonLength), QByteArray("\"exp\":1e10"));
        const audit::FindingLocation far = at("JWT-EXP-FAR");
        QCOMPARE(far.pointer, QStringLiteral("/exp"));
        const audit::FindingLocation iss = at("JWT-ISS-MISSING");
        QCOMPARE(iss.segment, QStringLiteral("payload"));
        QCOMPARE(iss.pointer, QString());
        QCOMPARE(iss.jsonOffset, -1);
        QCOMPARE(iss.tokenOffset, segment.size() + 1);
        QCOMPARE(iss.tokenLength, t.indexOf('.', segment.size() + 1) - segment.size() - 1);

        const auto dup = lint(token("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"alg\":\"HS256\"}", cleanPayload));
        const audit::Finding* d = find(dup, QStringLiteral("JWT-JSON-DUPLICATE"));
        QVERIFY(d);
        QCOMPARE(d->locations.size(), 1);
        QCOMPARE(d->locations.first().pointer, QStringLiteral("/alg"));
        QCOMPARE(d->locations.first().jsonOffset, 30); // the second "alg"
        QCOMPARE(d->locations.first().jsonLength, 13);
        const auto big = lint(token(cleanHeader, cleanPayload, QByteArray(5000, 'A')));
        const audit::Finding* size = find(big, QStringLiteral("JWT-SIZE-4K"));
        QVERIFY(size);
        QCOMPARE(size->locations.first().segment, QStringLiteral("token"));
        QCOMPARE(size->locations.first().tokenOffset, 0);
    }

    void base64CharRangeAndReferenceUrls()
    {
        QCOMPARE(audit::base64CharRange(0, 3), (std::pair<qsizetype, qsizetype>{0, 4}));
        QCOMPARE(audit::base64CharRange(0, 1), (std::pair<qsizetype, qsizetype>{0, 2}));
        QCOMPARE(audit::base64CharRange(1, 1), (std::pair<qsizetype, qsizetype>{1, 3}));
        QCOMPARE(audit::base64CharRange(2, 1), (std::pair<qsizetype, qsizetype>{2, 4}));
        QCOMPARE(audit::base64CharRange(3, 3), (std::pair<qsizetype, qsizetype>{4, 8}));
        QCOMPARE(audit::referenceUrl(QStringLiteral("RFC 8725 §3.11")),
                 QStringLiteral("https://www.rfc-editor.org/rfc/rfc8725#section-3.11"));
        QCOMPARE(audit::referenceUrl(QStringLiteral("RFC 7519")),
                 QStringLiteral("https://www.rfc-editor.org/rfc/rfc7519"));
        QCOMPARE(audit::referenceUrl(QStringLiteral("CVE-2018-0114")),
                 QStringLiteral("https://www.cve.org/CVERecord?id=CVE-2018-0114"));
        QVERIFY(audit::referenceUrl(QStringLiteral("OWASP JWT Cheat Sheet")).startsWith(QStringLiteral("https://")));
        for (const auto& r : audit::lintRules()) {
            QVERIFY2(!audit::referenceUrl(r.reference).isEmpty(), qPrintable(r.reference));
        }
    }

    void luhn()
    {
        QVERIFY(audit::luhnValid(u"4111111111111111"));
        QVERIFY(audit::luhnValid(u"79927398713"));
        QVERIFY(!audit::luhnValid(u"79927398710"));
        QVERIFY(!audit::luhnValid(u""));
    }
};

QTEST_GUILESS_MAIN(TestLint)
#include "tst_lint.moc"
