#include "audit/lint/JweLint.h"

#include <QJsonObject>
#include <QStringList>

#include "audit/crack/Candidates.h"
#include "base/SecretBytes.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/jwe/Jwe.h"

namespace tb::audit {

namespace {

namespace jwe = jose::jwe;

const QString rfc8725 = QStringLiteral("RFC 8725 §%1");

QList<LintRule> buildRules()
{
    const auto r = [](const char* id, Severity s, const char* title, QString ref) {
        return LintRule{QString::fromLatin1(id), s, QString::fromUtf8(title), std::move(ref)};
    };
    return {
        r("JWE-KEY-COMMON", Severity::Critical,
          "Symmetric key or PBES2 password in the built-in list of common secrets", QStringLiteral("RFC 7518 §8.8")),
        r("JWE-ALG-MISSING", Severity::High, "JWE header without a string alg", QStringLiteral("RFC 7516 §4.1.1")),
        r("JWE-ALG-UNKNOWN", Severity::High, "alg that is not a JWE key management algorithm",
          QStringLiteral("RFC 7518 §4.1")),
        r("JWE-ENC-MISSING", Severity::High, "JWE header without a string enc", QStringLiteral("RFC 7516 §4.1.2")),
        r("JWE-ENC-UNKNOWN", Severity::High, "enc that is not a JWE content encryption algorithm",
          QStringLiteral("RFC 7518 §5.1")),
        r("JWE-ALG-RSA1_5", Severity::High, "RSA1_5 key encryption (Bleichenbacher padding oracle)",
          rfc8725.arg(QStringLiteral("3.2"))),
        r("JWE-P2C-HIGH", Severity::High, "PBES2 p2c above the iteration cap (denial of service)",
          QStringLiteral("CVE-2022-36083")),
        r("JWE-EPK-CURVE", Severity::High, "ECDH-ES epk on an unexpected curve, off its curve, or with a private part",
          rfc8725.arg(QStringLiteral("3.4"))),
        r("JWE-KEY-WEAK", Severity::High, "Key that does not fit the algorithm or is weak for it",
          QStringLiteral("RFC 7518 §8.9")),
        r("JWE-HDR-JKU", Severity::High, "jku in a JWE header: a key set URL chosen by the token",
          rfc8725.arg(QStringLiteral("3.10"))),
        r("JWE-HDR-X5U", Severity::High, "x5u in a JWE header: a certificate URL chosen by the token",
          rfc8725.arg(QStringLiteral("3.10"))),
        r("JWE-HDR-DUPLICATE", Severity::High, "Duplicate member names in a JWE header", QStringLiteral("RFC 7516 §4")),
        r("JWE-P2C-LOW", Severity::Medium, "PBES2 p2c under 1000 iterations", QStringLiteral("RFC 7518 §4.8.1.2")),
        r("JWE-P2S-SHORT", Severity::Medium, "PBES2 p2s salt shorter than 8 bytes",
          QStringLiteral("RFC 7518 §4.8.1.1")),
        r("JWE-ZIP", Severity::Medium, "Plaintext compressed before encryption (zip)",
          rfc8725.arg(QStringLiteral("3.6"))),
        r("JWE-CRIT-PRESENT", Severity::Medium, "crit in a JWE header", QStringLiteral("RFC 7516 §4.1.13")),
        r("JWE-HDR-JWK", Severity::Medium, "jwk or x5c in a JWE header: a key carried by the token",
          rfc8725.arg(QStringLiteral("3.10"))),
        r("JWE-UNPROTECTED", Severity::Medium, "Header members outside the integrity protection (JSON serialisation)",
          QStringLiteral("RFC 7516 §7.2.1")),
        r("JWE-NESTED", Severity::Low, "Nested JWT inside a JWE (cty JWT)", QStringLiteral("RFC 7519 §5.2")),
    };
}

struct Context
{
    const QJsonObject& header;
    const LintOptions& options;
    QList<Finding>& out;
    const MemberLocator& locate;

    // A finding about the header member `member`.
    void add(const char* id, const char* member, const QString& message) const
    {
        QList<FindingLocation> where;
        if (locate) {
            where.append(locate(QString::fromLatin1(member)));
        }
        out.append(ruleFinding(id, message, std::move(where)));
    }
    [[nodiscard]] std::optional<QString> string(const char* name) const
    {
        const QJsonValue v = header.value(QLatin1String(name));
        return v.isString() ? std::optional<QString>(v.toString()) : std::nullopt;
    }
    [[nodiscard]] bool contains(const char* name) const { return header.contains(QLatin1String(name)); }
};

// Whether `secret` is a line of the built-in list of common secrets.
bool inBuiltinList(QByteArrayView secret)
{
    const QByteArrayView list = crack::builtinWordlist();
    qsizetype pos = 0;
    while (pos < list.size()) {
        qsizetype end = list.indexOf('\n', pos);
        if (end < 0) {
            end = list.size();
        }
        QByteArrayView line = list.sliced(pos, end - pos);
        if (line.endsWith('\r')) {
            line.chop(1);
        }
        if (line == secret) {
            return true;
        }
        pos = end + 1;
    }
    return false;
}

void ruleAlgEnc(const Context& c)
{
    const std::optional<QString> alg = c.string("alg");
    const std::optional<QString> enc = c.string("enc");
    if (!alg) {
        c.add("JWE-ALG-MISSING", "alg",
              QStringLiteral("The JWE header has no string \"alg\": no recipient can know how the "
                             "content key was protected."));
    } else if (!jwe::keyAlgFromName(*alg)) {
        c.add("JWE-ALG-UNKNOWN", "alg", QStringLiteral("\"%1\" is not a JWE key management algorithm.").arg(*alg));
    } else if (*alg == QStringLiteral("RSA1_5")) {
        c.add("JWE-ALG-RSA1_5", "alg",
              QStringLiteral("RSA1_5 (RSAES-PKCS1-v1_5) key encryption is open to Bleichenbacher padding-oracle "
                             "attacks: a recipient whose errors or timing differ leaks the content key; use "
                             "RSA-OAEP-256."));
    }
    if (!enc) {
        c.add("JWE-ENC-MISSING", "enc",
              QStringLiteral("The JWE header has no string \"enc\": no recipient can know how the "
                             "content was encrypted."));
    } else if (!jwe::encAlgFromName(*enc)) {
        c.add("JWE-ENC-UNKNOWN", "enc", QStringLiteral("\"%1\" is not a JWE content encryption algorithm.").arg(*enc));
    }
}

void ruleKey(const Context& c)
{
    const keys::KeyPtr& key = c.options.key;
    const auto alg = jwe::keyAlgFromName(c.string("alg").value_or(QString()));
    if (!key || !alg) {
        return;
    }
    const QString problem = jwe::keyProblem(*alg, jwe::encAlgFromName(c.string("enc").value_or(QString())), *key);
    if (!problem.isEmpty()) {
        c.add("JWE-KEY-WEAK", "alg", problem);
    }
    if (key->type() == keys::KeyType::Oct && jwe::keyFits(*alg, *key)) {
        QByteArray secret = key->secret().reveal();
        if (inBuiltinList(secret)) {
            c.add("JWE-KEY-COMMON", "alg",
                  QStringLiteral("The %1 is in the built-in list of common secrets: anyone holding the token can "
                                 "find it in seconds and read the content.")
                      .arg(jwe::keyAlgName(*alg).startsWith(QStringLiteral("PBES2"))
                               ? QStringLiteral("PBES2 password")
                               : QStringLiteral("symmetric key")));
        }
        cleanse(secret);
    }
}

void rulePbes2(const Context& c)
{
    const QJsonValue p2c = c.header.value(QStringLiteral("p2c"));
    if (p2c.isDouble()) {
        const double n = p2c.toDouble();
        const QString count = QString::number(n, 'f', 0);
        if (n > double(jwe::defaultMaxP2c)) {
            c.add("JWE-P2C-HIGH", "p2c",
                  QStringLiteral("p2c asks for %1 PBES2 iterations, above the cap of %2: a recipient without a cap "
                                 "burns CPU on every such token before it can reject it (denial of service).")
                      .arg(count)
                      .arg(jwe::defaultMaxP2c));
        } else if (n < 1000) {
            c.add("JWE-P2C-LOW", "p2c",
                  QStringLiteral("p2c is %1 PBES2 iterations, under the 1000 recommended: each password "
                                 "guess costs an attacker almost nothing.")
                      .arg(count));
        }
    }
    if (c.contains("p2s")) {
        const auto salt = jose::base64UrlDecode(c.header.value(QStringLiteral("p2s")).toString().toUtf8());
        if (!salt || salt->size() < 8) {
            c.add("JWE-P2S-SHORT", "p2s",
                  QStringLiteral("The PBES2 salt p2s is %1, not the 8 or more bytes required: one "
                                 "precomputed table of password guesses serves many tokens.")
                      .arg(salt ? QStringLiteral("%1 bytes").arg(salt->size()) : QStringLiteral("not base64url")));
        }
    }
}

void ruleZip(const Context& c)
{
    if (c.contains("zip")) {
        c.add("JWE-ZIP", "zip",
              QStringLiteral("zip %1 compresses the plaintext before encryption: the ciphertext length then leaks "
                             "the content (CRIME/BREACH-style), and a recipient that inflates without a cap can be "
                             "hit by a zip bomb.")
                  .arg(c.string("zip").value_or(QStringLiteral("(not a string)"))));
    }
}

void ruleEpk(const Context& c)
{
    if (!c.contains("epk")) {
        return;
    }
    // The judgement the header explanation gives, with the recipient key when one is known.
    for (const auto& note : jwe::explainHeader(c.header, {}, c.options.key.get())) {
        if (note.member == QStringLiteral("epk") && !note.danger.isEmpty()) {
            c.add("JWE-EPK-CURVE", "epk", note.danger);
        }
    }
}

void ruleKeyHeaders(const Context& c)
{
    if (c.contains("jku")) {
        c.add("JWE-HDR-JKU", "jku",
              QStringLiteral("The JWE header names a key set URL (jku): a recipient that follows it "
                             "fetches what the sender chose (and may make internal requests)."));
    }
    if (c.contains("x5u")) {
        c.add("JWE-HDR-X5U", "x5u",
              QStringLiteral("The JWE header names a certificate URL (x5u): a recipient that follows it "
                             "fetches what the sender chose (and may make internal requests)."));
    }
    for (const char* name : {"jwk", "x5c"}) {
        if (c.contains(name)) {
            c.add("JWE-HDR-JWK", name,
                  QStringLiteral("The JWE header carries a key (%1): the decryption key must come from "
                                 "the recipient's own store, never from the token.")
                      .arg(QLatin1String(name)));
        }
    }
}

void ruleCrit(const Context& c)
{
    if (c.contains("crit")) {
        c.add("JWE-CRIT-PRESENT", "crit",
              QStringLiteral("The JWE header has \"crit\": recipients that do not implement every "
                             "listed extension must reject the token."));
    }
}

void ruleNested(const Context& c)
{
    const std::optional<QString> cty = c.string("cty");
    if (cty && cty->compare(QStringLiteral("JWT"), Qt::CaseInsensitive) == 0) {
        c.add("JWE-NESTED", "cty",
              QStringLiteral("cty \"%1\" marks a nested JWT: after decryption the inner token must be "
                             "verified too, with its own keys and policy.")
                  .arg(*cty));
    }
}

void runRules(const Context& c)
{
    using Rule = void (*)(const Context&);
    for (Rule rule : {ruleAlgEnc, ruleKey, rulePbes2, ruleZip, ruleEpk, ruleKeyHeaders, ruleCrit, ruleNested}) {
        rule(c);
    }
}

Result<QList<Finding>> lintCompact(const jose::CompactToken& token, const LintOptions& options,
                                   const MemberLocator& locate)
{
    const jose::JsonScan scan = jose::scanJson(token.header);
    if (scan.error || !scan.topLevelIsObject) {
        return fail(ErrorCode::BadJson, QStringLiteral("The JWE protected header is not a JSON object."));
    }
    const QJsonObject header = jose::parseObject(token.header, scan).value_or(QJsonObject());
    QList<Finding> out;
    const Context c{header, options, out, locate};
    for (const auto& d : scan.duplicates) {
        c.add("JWE-HDR-DUPLICATE", d.key.toUtf8().constData(),
              QStringLiteral("The protected header has the member \"%1\" twice (line %2, column "
                             "%3): recipients disagree on which value counts.")
                  .arg(d.key)
                  .arg(d.duplicate.line)
                  .arg(d.duplicate.column));
    }
    runRules(c);
    return out;
}

} // namespace

const QList<LintRule>& jweLintRules()
{
    static const QList<LintRule> rules = buildRules();
    return rules;
}

Result<QList<Finding>> lintJwe(QByteArrayView token, const LintOptions& options, const MemberLocator& locate)
{
    if (!token.isEmpty() && token.front() == '{') {
        auto view = jwe::readHeader(token);
        if (!view) {
            return std::unexpected(view.error());
        }
        QList<Finding> out;
        const Context c{view->header, options, out, locate};
        if (!view->unprotectedMembers.isEmpty()) {
            c.add("JWE-UNPROTECTED", "",
                  QStringLiteral("%1 stand outside the protected header: anyone on the way can change them without "
                                 "breaking decryption.")
                      .arg(view->unprotectedMembers.join(QStringLiteral(", "))));
        }
        runRules(c);
        return out;
    }
    auto compact = jose::parseCompact(token);
    if (!compact) {
        return std::unexpected(compact.error());
    }
    if (compact->kind != jose::TokenKind::Jwe) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("This is a JWS (3 segments), not a JWE (5 segments)."));
    }
    return lintCompact(*compact, options, locate);
}

} // namespace tb::audit
