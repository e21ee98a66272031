#include "Verifier.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include <QJsonArray>
#include <QJsonObject>
#include <QStringBuilder>
#include <QVarLengthArray>

#include "base/Bytes.h"
#include "crypto/Signature.h"
#include "jose/Base64Url.h"
#include "jose/Compact.h"
#include "jose/JsonText.h"
#include "jose/JsonView.h"

namespace tb::validate {

using jose::Alg;

namespace {

// Header members a verifier must understand when listed in crit; tokenbench implements no extension.
const QStringList registeredHeaderNames = {QStringLiteral("alg"), QStringLiteral("jku"),      QStringLiteral("jwk"),
                                           QStringLiteral("kid"), QStringLiteral("x5u"),      QStringLiteral("x5c"),
                                           QStringLiteral("x5t"), QStringLiteral("x5t#S256"), QStringLiteral("typ"),
                                           QStringLiteral("cty"), QStringLiteral("crit")};

struct Context
{
    const jose::CompactView& token;
    const jose::JsonObjectView& header;
    const KeyInput& keys;
    const Policy& policy;
    Report& report;

    void add(const QString& name, bool ok, const QString& detail) const
    {
        report.checks.append({name, ok, Sentence(detail)});
    }
    void add(const QString& name, bool ok, Sentence detail) const
    {
        report.checks.append({name, ok, std::move(detail)});
    }
};

// A short Latin-1 text on the stack: sentence parts without temporary QStrings (this runs on every verify).
struct ShortText
{
    std::array<char, 48> buf{};
    int len = 0;

    [[nodiscard]] QLatin1String view() const { return QLatin1String(buf.data(), len); }
    void put(QLatin1String text)
    {
        const int n = std::min(int(text.size()), int(buf.size()) - 1 - len);
        std::copy_n(text.data(), n, buf.begin() + len);
        len += n;
    }
    // A non-negative integer in decimal (snprintf costs more than the whole time check).
    void put(long long value)
    {
        char digits[24];
        int n = 0;
        do {
            digits[n++] = char('0' + value % 10);
            value /= 10;
        } while (value > 0 && n < int(sizeof digits));
        while (n > 0 && len < int(buf.size()) - 1) {
            buf[std::size_t(len++)] = digits[--n];
        }
    }
    template <typename... Args>
    void print(const char* format, Args... args)
    {
        const int n = std::snprintf(buf.data() + len, buf.size() - std::size_t(len), format, args...);
        len = n < 0 ? len : std::min(len + n, int(buf.size()) - 1);
    }
};

ShortText stampText(double epoch)
{
    ShortText t;
    char utc[20];
    if (const qsizetype n = bytes::utcChars(epoch, utc); n > 0) {
        std::copy(utc, utc + n, t.buf.begin());
        t.len = int(n);
    } else {
        t.print("%.17g", epoch);
    }
    return t;
}

// "4 min 10 s", "2 h 5 min", "3 d 4 h".
ShortText durationText(double seconds)
{
    ShortText t;
    const double s = std::fabs(seconds);
    if (s < 60) {
        t.print("%g s", std::floor(s * 1000) / 1000);
        return t;
    }
    const auto total = static_cast<long long>(s);
    const long long d = total / 86400;
    const long long h = total % 86400 / 3600;
    const long long m = total % 3600 / 60;
    const long long sec = total % 60;
    if (d > 0) {
        t.put(d);
        t.put(QLatin1String(h > 0 ? " d " : " d"));
        if (h > 0) {
            t.put(h);
            t.put(QLatin1String(" h"));
        }
    } else if (h > 0) {
        t.put(h);
        t.put(QLatin1String(m > 0 ? " h " : " h"));
        if (m > 0) {
            t.put(m);
            t.put(QLatin1String(" min"));
        }
    } else {
        t.put(m);
        t.put(QLatin1String(sec > 0 ? " min " : " min"));
        if (sec > 0) {
            t.put(sec);
            t.put(QLatin1String(" s"));
        }
    }
    return t;
}

// " (leeway 30 s)" when there is a leeway.
ShortText leewayText(double leeway)
{
    ShortText t;
    if (leeway > 0) {
        t.print(" (leeway %g s)", leeway);
    }
    return t;
}

QList<keys::KeyPtr> allKeys(const KeyInput& keys)
{
    QList<keys::KeyPtr> out;
    if (keys.key) {
        out << keys.key;
    }
    if (keys.jwks) {
        out << keys.jwks->keys;
    }
    return out;
}

// What the given keys are, for a sentence: one key's description, or the distinct kinds in a set.
QString describeKeys(const KeyInput& keys)
{
    const QList<keys::KeyPtr> all = allKeys(keys);
    QStringList kinds;
    for (const keys::KeyPtr& key : all) {
        if (!kinds.contains(key->describe())) {
            kinds << key->describe();
        }
    }
    if (all.size() == 1) {
        return kinds.first();
    }
    constexpr qsizetype shown = 4;
    const QString list =
        kinds.mid(0, shown).join(QStringLiteral(", ")) + (kinds.size() > shown ? QStringLiteral(", …") : QString());
    return QStringLiteral("any of the %1 keys given (%2)").arg(all.size()).arg(list);
}

// Whether some given key can run `alg` (without building lists: this runs on every verify).
bool anyKeyFits(const KeyInput& keys, Alg alg)
{
    if (keys.key && keys.key->fits(alg)) {
        return true;
    }
    if (keys.jwks) {
        return std::any_of(keys.jwks->keys.begin(), keys.jwks->keys.end(),
                           [alg](const keys::KeyPtr& k) { return k->fits(alg); });
    }
    return false;
}

bool hasKeys(const KeyInput& keys)
{
    return keys.key || (keys.jwks && !keys.jwks->keys.isEmpty());
}

// The allow-list, or without one the algorithms that fit the key(s); none only when listed.
bool isAllowed(Alg alg, const KeyInput& keys, const Policy& policy)
{
    if (policy.allowedAlgs) {
        return policy.allowedAlgs->contains(alg);
    }
    return alg != Alg::None && anyKeyFits(keys, alg);
}

// CLI.md edge case 3: an allow-list none of whose entries can run with the given keys is a usage error.
Result<void> checkAllowListFits(const KeyInput& keys, const Policy& policy)
{
    if (!policy.allowedAlgs || !hasKeys(keys)) {
        return {};
    }
    for (Alg alg : *policy.allowedAlgs) {
        if (alg == Alg::None || anyKeyFits(keys, alg)) {
            return {};
        }
    }
    QStringList names;
    for (Alg alg : *policy.allowedAlgs) {
        names << jose::algName(alg);
    }
    return fail(ErrorCode::KeyMismatch, QStringLiteral("None of the allowed algorithms (%1) can be used with %2.")
                                            .arg(names.join(QStringLiteral(", ")), describeKeys(keys)));
}

void checkHeaderShape(const Context& c, const jose::JsonScan& scan)
{
    if (scan.duplicates.isEmpty()) {
        c.add(QStringLiteral("header"), true, QStringLiteral("The header is a JSON object without duplicate members."));
        return;
    }
    const auto& d = scan.duplicates.first();
    c.add(QStringLiteral("header"), false,
          QStringLiteral("The header has the member \"%1\" twice (line %2, column %3): a verifier and a reader could "
                         "see different values, so it is refused (RFC 7515 §5.2).")
              .arg(d.key)
              .arg(d.duplicate.line)
              .arg(d.duplicate.column));
}

// The header's alg. A known name written without escapes is the static name: no decoding or allocation per verify.
std::optional<QString> headerAlg(const jose::JsonObjectView& header)
{
    const QByteArrayView raw = header.raw("alg");
    std::array<char16_t, 8> name{};
    const qsizetype n = raw.size() - 2;
    if (n > 0 && n <= qsizetype(name.size()) && raw.front() == '"' && raw.back() == '"') {
        std::copy(raw.begin() + 1, raw.end() - 1, name.begin()); // known names are ASCII without escapes
        if (const std::optional<Alg> alg = jose::algFromName(QStringView(name.data(), n))) {
            return jose::algName(*alg);
        }
    }
    return header.string("alg");
}

// Returns the algorithm when the alg check passed or the key could still run it (to report the signature).
std::optional<Alg> checkAlg(const Context& c)
{
    const std::optional<QString>& value = c.report.alg; // read once in verifyToken
    if (!value) {
        c.add(QStringLiteral("alg"), false,
              !c.header.contains("alg") ? QStringLiteral("The header has no \"alg\" member.")
                                        : QStringLiteral("The header's \"alg\" is not a string."));
        return std::nullopt;
    }
    const QString& name = *value;
    const std::optional<Alg> alg = jose::algFromName(name);
    if (!alg) {
        c.add(QStringLiteral("alg"), false,
              jose::isNoneVariant(name)
                  ? QStringLiteral("\"%1\" is a letter-case variant of \"none\": algorithm names are case-sensitive "
                                   "(RFC 7515 §4.1.1) and an unsigned token is refused.")
                        .arg(name)
                  : QStringLiteral("\"%1\" is not a JWS algorithm tokenbench knows.").arg(name));
        return std::nullopt;
    }
    if (!isAllowed(*alg, c.keys, c.policy)) {
        c.add(QStringLiteral("alg"), false,
              *alg == Alg::None
                  ? QStringLiteral("alg none (an unsigned token) is refused unless it is allowed by name.")
                  : QStringLiteral("%1 is not among the allowed algorithms for this key.").arg(name));
        return *alg == Alg::None ? std::nullopt : alg;
    }
    // CLI.md edge case 3: an allowed alg that no given key can run fails the alg check.
    if (*alg != Alg::None && hasKeys(c.keys) && !anyKeyFits(c.keys, *alg)) {
        const qsizetype count = allKeys(c.keys).size();
        c.add(QStringLiteral("alg"), false,
              QStringLiteral("%1 is allowed, but cannot be used with %2%3.")
                  .arg(name, count == 1 ? QStringLiteral("the ") : QString(), describeKeys(c.keys)));
        return std::nullopt;
    }
    c.add(QStringLiteral("alg"), true,
          *alg == Alg::None
              ? Sentence(QStringLiteral("alg none is allowed by name: the token must carry no signature."))
              : Sentence::allowed(name));
    return alg;
}

void checkCrit(const Context& c)
{
    if (!c.header.contains("crit")) {
        return;
    }
    const std::optional<QStringList> crit = c.header.stringArray("crit");
    QString problem;
    if (!crit || crit->isEmpty()) {
        problem = QStringLiteral("\"crit\" must be a non-empty array of header names (RFC 7515 §4.1.11).");
    } else {
        for (const QString& name : *crit) {
            if (registeredHeaderNames.contains(name)) {
                problem = QStringLiteral("\"crit\" lists \"%1\", which is not an extension name.").arg(name);
            } else if (!c.header.contains(name.toUtf8())) {
                problem = QStringLiteral("\"crit\" lists \"%1\", which the header does not contain.").arg(name);
            } else {
                problem = QStringLiteral("\"crit\" lists the extension \"%1\", which tokenbench does not implement, so "
                                         "the token must be rejected (RFC 7515 §4.1.11).")
                              .arg(name);
            }
            break;
        }
    }
    c.add(QStringLiteral("crit"), false, problem);
}

bool secretLooksLikePublicKey(const keys::Key& key)
{
    const QByteArray secret = key.secret().reveal();
    const QByteArrayView text = bytes::trimmed(secret);
    const bool pem =
        text.startsWith("-----BEGIN") && (text.contains("PUBLIC KEY-----") || text.contains("CERTIFICATE-----"));
    const bool jwk = text.startsWith("{") && (text.contains("\"kty\":\"RSA\"") || text.contains("\"kty\":\"EC\"") ||
                                              text.contains("\"kty\":\"OKP\""));
    const bool der = text.size() > 64 && text.startsWith("\x30\x82") &&
                     text.contains("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01");
    return pem || jwk || der;
}

// Why `key` may not verify `alg` according to its JWK members (RFC 7517 §4.2-4.4), or empty when it may.
QString metaConflict(const keys::Key& key, Alg alg)
{
    const keys::KeyMeta& m = key.meta();
    if (!m.alg.isEmpty() && m.alg != jose::algName(alg)) {
        return QStringLiteral("the key is for %1, not %2").arg(m.alg, jose::algName(alg));
    }
    if (!m.use.isEmpty() && m.use != QStringLiteral("sig")) {
        return QStringLiteral("the key's use is \"%1\", not \"sig\"").arg(m.use);
    }
    if (m.keyOps && !m.keyOps->contains(QStringLiteral("verify"))) {
        return QStringLiteral("the key's key_ops do not include \"verify\"");
    }
    return {};
}

// A JWK Set for verification holds public keys, or secrets, never both; and kids are unique.
QString jwksProblem(const keys::JwkSet& set, const std::optional<QString>& kid)
{
    bool secret = false;
    bool asymmetric = false;
    int sameKid = 0;
    for (const auto& key : set.keys) {
        secret = secret || key->type() == keys::KeyType::Oct;
        asymmetric = asymmetric || key->type() != keys::KeyType::Oct;
        sameKid += kid && key->meta().kid == *kid ? 1 : 0;
    }
    sameKid += kid ? int(set.skippedKids.count(*kid)) : 0;
    if (secret && asymmetric) {
        return QStringLiteral("The JWK Set mixes secret (oct) keys with public keys; a published key set must not hold "
                              "secrets, so it is refused.");
    }
    if (sameKid > 1) {
        return QStringLiteral("The JWK Set has %1 keys with kid \"%2\": the choice is ambiguous, so it is refused.")
            .arg(sameKid)
            .arg(*kid);
    }
    return {};
}

QString keyLabel(const keys::Key& key, const QString& origin)
{
    const QString& kid = key.meta().kid;
    const QString& thumbprint = key.thumbprint();
    const bool showThumbprint = !thumbprint.isEmpty() && thumbprint != kid;
    // One expression, so one allocation; absent parts are empty pieces.
    const auto part = [](bool shown, const char* text) { return shown ? QLatin1String(text) : QLatin1String(); };
    return key.describe() % part(!kid.isEmpty(), ", kid \"") % QStringView(kid) % part(!kid.isEmpty(), "\"") %
           part(showThumbprint, ", thumbprint ") % (showThumbprint ? QStringView(thumbprint) : QStringView()) %
           part(!origin.isEmpty(), " (") % QStringView(origin) % part(!origin.isEmpty(), ")");
}

Result<keys::KeyPtr> embeddedKey(const jose::JsonObjectView& header)
{
    if (header.typeOf("jwk") == jose::JsonTokenType::BeginObject) {
        return keys::importJwk(header.value("jwk").toObject());
    }
    const QStringList x5c = header.stringArray("x5c").value_or(QStringList());
    if (!x5c.isEmpty()) {
        auto der = jose::base64Decode(x5c.first().toLatin1());
        if (!der) {
            return fail(ErrorCode::KeyUnreadable, QStringLiteral("x5c[0] is not standard base64 DER."));
        }
        return keys::importKey(*der);
    }
    return fail(ErrorCode::NotFound, QStringLiteral("The token carries no jwk or x5c key."));
}

void noteEmbeddedKeys(const Context& c)
{
    for (const char* name : {"jwk", "jku", "x5u", "x5c"}) {
        if (c.header.contains(name)) {
            c.report.warnings << QStringLiteral("The header offers its own key material in \"%1\"; it is self-asserted "
                                                "and %2.")
                                     .arg(QLatin1String(name), c.policy.trustEmbeddedKey
                                                                   ? QStringLiteral("was used because you asked for it")
                                                                   : QStringLiteral("was not used"));
        }
    }
}

// Picks the candidate keys for `alg` (CLI.md edge case 7) and records the key/kid checks.
// On the stack for a few keys: the usual single key costs no allocation per verify.
using Candidates = QVarLengthArray<keys::KeyPtr, 4>;

Candidates candidateKeys(const Context& c, Alg alg)
{
    if (c.keys.key) {
        if (!c.keys.key->fits(alg)) {
            return {}; // the alg check already says why
        }
        const QString conflict = metaConflict(*c.keys.key, alg);
        if (!conflict.isEmpty()) {
            c.add(QStringLiteral("key"), false,
                  QStringLiteral("The key cannot verify %1: %2.").arg(jose::algName(alg), conflict));
            return {};
        }
        return {c.keys.key};
    }
    if (!c.keys.jwks) {
        c.add(QStringLiteral("key"), false, QStringLiteral("No key was given."));
        return {};
    }
    if (const QString problem = jwksProblem(*c.keys.jwks, c.report.kid); !problem.isEmpty()) {
        c.add(QStringLiteral("key"), false, problem);
        return {};
    }
    Candidates out;
    QStringList refused;
    const bool byKid = c.report.kid.has_value();
    for (const auto& key : c.keys.jwks->keys) {
        if (byKid && key->meta().kid != *c.report.kid) {
            continue;
        }
        const QString conflict = key->fits(alg) ? metaConflict(*key, alg) : QStringLiteral("its type does not fit");
        if (conflict.isEmpty()) {
            out << key;
        } else {
            refused << conflict;
        }
    }
    if (byKid) {
        const bool any = !out.isEmpty() || !refused.isEmpty();
        c.add(QStringLiteral("kid"), !out.isEmpty(),
              !out.isEmpty() ? QStringLiteral("The JWK Set has a key with kid \"%1\".").arg(*c.report.kid)
              : any          ? QStringLiteral("The key with kid \"%1\" cannot verify %2: %3.")
                          .arg(*c.report.kid, jose::algName(alg), refused.join(QStringLiteral("; ")))
                    : QStringLiteral("No key in the JWK Set has kid \"%1\".").arg(*c.report.kid));
    } else if (out.isEmpty()) {
        c.add(QStringLiteral("key"), false,
              QStringLiteral("No key in the JWK Set can verify %1 (the token has no kid).").arg(jose::algName(alg)));
    }
    return out;
}

void checkSignature(const Context& c, Alg alg)
{
    if (alg == Alg::None) {
        const bool empty = c.token.segments[2].isEmpty();
        c.report.signature = empty ? SignatureState::Valid : SignatureState::Invalid;
        c.add(QStringLiteral("signature"), empty,
              empty ? QStringLiteral("The token is unsigned, as alg none requires.")
                    : QStringLiteral("alg none requires an empty signature, but the token carries one."));
        return;
    }
    const Candidates candidates = candidateKeys(c, alg);
    if (candidates.isEmpty()) {
        return;
    }
    if (!c.token.signatureCanonical) {
        c.report.signature = SignatureState::Invalid;
        c.report.keyUsed = Sentence::keyLabel(candidates.first(), c.keys.origin);
        c.add(QStringLiteral("signature"), false,
              QStringLiteral(
                  "The signature segment is not canonical base64url (padding, '+'/'/' or non-zero final bits): "
                  "refused, since such variants defeat token-hash denylists."));
        return;
    }
    QString lastReason;
    QString notChecked; // OpenSSL failed on a candidate: then no verdict may say the signature is wrong
    for (const auto& key : candidates) {
        if (const QString& unsafe = key->unsafeReason(); !unsafe.isEmpty()) {
            c.add(QStringLiteral("key"), false, unsafe);
            c.report.signature = SignatureState::Invalid;
            return;
        }
        if (key->type() == keys::KeyType::Oct && secretLooksLikePublicKey(*key)) {
            c.add(QStringLiteral("key"), false,
                  QStringLiteral("The HMAC secret is a public key's text: verifying %1 with public-key bytes is the "
                                 "algorithm-confusion attack, so it is refused.")
                      .arg(jose::algName(alg)));
            c.report.signature = SignatureState::Invalid;
            return;
        }
        auto verdict =
            crypto::verifyBytes(alg, *key, c.token.signingInput(), c.token.signature, crypto::Wording::FailuresOnly);
        c.report.keyUsed = Sentence::keyLabel(key, c.keys.origin);
        if (verdict && verdict->valid) {
            c.report.signature = SignatureState::Valid;
            c.add(QStringLiteral("signature"), true, Sentence::signatureValid(alg, key));
            return;
        }
        lastReason = verdict ? verdict->reason : verdict.error().message;
        if (verdict && !verdict->checked && notChecked.isEmpty()) {
            notChecked = verdict->reason;
        }
    }
    if (!notChecked.isEmpty()) {
        c.report.signature = SignatureState::NotChecked;
        c.add(QStringLiteral("signature"), false, notChecked);
        return;
    }
    c.report.signature = SignatureState::Invalid;
    if (candidates.size() > 1) {
        c.report.keyUsed = Sentence(QStringLiteral("%1 candidate keys").arg(candidates.size()));
        lastReason = QStringLiteral("None of the %1 candidate keys verifies the signature.").arg(candidates.size());
    }
    c.add(QStringLiteral("signature"), false, lastReason);
}

// ---- claims ----

std::optional<double> numericClaim(const Context& c, const jose::JsonObjectView& claims, const QString& name,
                                   QByteArrayView key)
{
    if (!claims.contains(key)) {
        return std::nullopt;
    }
    const std::optional<double> v = claims.number(key);
    if (!v) {
        c.add(
            name, false,
            QStringLiteral("\"%1\" must be a number of seconds since the epoch (RFC 7519 §2 NumericDate).").arg(name));
        return std::nullopt;
    }
    return v;
}

void checkTimes(const Context& c, const jose::JsonObjectView& claims)
{
    static const QString expName = QStringLiteral("exp");
    static const QString nbfName = QStringLiteral("nbf");
    static const QString iatName = QStringLiteral("iat");
    using K = Sentence::Kind;
    const double now = c.policy.now;
    const double leeway = c.policy.leeway;
    if (auto exp = numericClaim(c, claims, expName, "exp")) {
        const bool ok = now - leeway < *exp;
        c.add(expName, ok, Sentence::time(ok ? K::Expires : K::Expired, *exp, now, leeway));
    }
    if (auto nbf = numericClaim(c, claims, nbfName, "nbf")) {
        const bool ok = now + leeway >= *nbf;
        c.add(nbfName, ok, Sentence::time(ok ? K::ValidSince : K::NotYetValid, *nbf, now, leeway));
    }
    if (auto iat = numericClaim(c, claims, iatName, "iat")) {
        const bool ok = !(*iat > now + leeway);
        c.add(iatName, ok, Sentence::time(ok ? K::IssuedAt : K::IssuedInFuture, *iat, now, leeway));
    }
}

// The sentence of a time check, written when read.
QString timeSentence(Sentence::Kind kind, double at, double now, double leeway)
{
    using K = Sentence::Kind;
    const ShortText stamp = stampText(at);
    const ShortText note = leewayText(leeway);
    switch (kind) {
    case K::Expired:
        return QStringLiteral("Expired at ") % stamp.view() % QStringLiteral(", ") % durationText(at - now).view() %
               QStringLiteral(" ago") % note.view() % u'.';
    case K::Expires:
        return QStringLiteral("Expires at ") % stamp.view() % QStringLiteral(", in ") % durationText(at - now).view() %
               note.view() % u'.';
    case K::NotYetValid:
        return QStringLiteral("Not valid before ") % stamp.view() % QStringLiteral(", in ") %
               durationText(at - now).view() % note.view() % u'.';
    case K::ValidSince:
        return QStringLiteral("Valid since ") % stamp.view() % note.view() % u'.';
    case K::IssuedInFuture:
        return QStringLiteral("Issued in the future: ") % stamp.view() % QStringLiteral(" is ") %
               durationText(at - now).view() % QStringLiteral(" after now") % note.view() % u'.';
    default:
        return QStringLiteral("Issued at ") % stamp.view() % u'.';
    }
}

bool audienceIncludes(const jose::JsonObjectView& claims, const QString& audience)
{
    if (auto single = claims.string("aud")) {
        return *single == audience;
    }
    if (claims.typeOf("aud") != jose::JsonTokenType::BeginArray) {
        return false;
    }
    const QJsonArray list = claims.value("aud").toArray(); // rare: arrays may mix types
    return std::any_of(list.begin(), list.end(),
                       [&](const QJsonValue& a) { return a.isString() && a.toString() == audience; });
}

void checkIdentity(const Context& c, const jose::JsonObjectView& claims)
{
    const bool isObject = claims.isObject();
    if (c.policy.issuer) {
        const std::optional<QString> iss = claims.string("iss");
        const bool ok = iss == *c.policy.issuer;
        c.add(QStringLiteral("iss"), ok,
              ok          ? QStringLiteral("Issued by \"%1\".").arg(*c.policy.issuer)
              : !isObject ? QStringLiteral("The payload is not a JSON object, so it has no iss.")
              : !claims.contains("iss")
                  ? QStringLiteral("The token has no iss; \"%1\" is required.").arg(*c.policy.issuer)
                  : QStringLiteral("The issuer is %1, not \"%2\".")
                        .arg(QString::fromUtf8(claims.raw("iss")), *c.policy.issuer));
    }
    if (c.policy.audience) {
        const bool ok = audienceIncludes(claims, *c.policy.audience);
        c.add(QStringLiteral("aud"), ok,
              ok ? QStringLiteral("The audience includes \"%1\".").arg(*c.policy.audience)
              : !claims.contains("aud")
                  ? QStringLiteral("The token has no aud; \"%1\" is required.").arg(*c.policy.audience)
                  : QStringLiteral("The audience does not include \"%1\".").arg(*c.policy.audience));
    }
    for (const QString& name : c.policy.requiredClaims) {
        const bool ok = claims.contains(name.toUtf8());
        c.add(name, ok,
              ok ? QStringLiteral("The claim \"%1\" is present.").arg(name)
                 : QStringLiteral("The required claim \"%1\" is missing.").arg(name));
    }
}

void checkTyp(const Context& c)
{
    if (!c.policy.typ) {
        return;
    }
    const QString typ = c.header.string("typ").value_or(QString());
    // RFC 7515 §4.1.9: compare case-insensitively, with "application/" omitted.
    auto norm = [](QString t) {
        t = t.toLower();
        return t.startsWith(QStringLiteral("application/")) ? t.mid(12) : t;
    };
    const bool ok = norm(typ) == norm(*c.policy.typ);
    c.add(QStringLiteral("typ"), ok,
          ok ? QStringLiteral("typ is \"%1\".").arg(typ)
             : QStringLiteral("typ is \"%1\", not \"%2\" (RFC 8725 §3.11).").arg(typ, *c.policy.typ));
}

void addKeyWarnings(const Context& c, std::optional<Alg> alg)
{
    const auto warnAbout = [&c, alg](const keys::KeyPtr& key) {
        if (key->type() == keys::KeyType::Oct && alg && jose::algFamily(*alg) == jose::AlgFamily::Hmac &&
            int(key->secret().size()) < jose::algHashBytes(*alg)) {
            c.report.warnings << QStringLiteral("The HMAC secret is %1 bytes, shorter than the %2 bytes of the %3 hash "
                                                "(RFC 7518 §3.2).")
                                     .arg(key->secret().size())
                                     .arg(jose::algHashBytes(*alg))
                                     .arg(jose::algName(*alg));
        }
        if (key->type() == keys::KeyType::Rsa && key->bits() < 2048) {
            c.report.warnings
                << QStringLiteral("The RSA key has %1 bits; RFC 7518 §3.3 requires at least 2048.").arg(key->bits());
        }
    };
    if (c.keys.key) {
        warnAbout(c.keys.key);
    }
    if (c.keys.jwks) {
        for (const auto& key : c.keys.jwks->keys) {
            warnAbout(key);
        }
    }
}

} // namespace

Sentence Sentence::allowed(const QString& algName)
{
    Sentence s(algName);
    s.m_kind = Kind::Allowed;
    return s;
}

Sentence Sentence::time(Kind kind, double at, double now, double leeway)
{
    Sentence s;
    s.m_kind = kind;
    s.m_at = at;
    s.m_now = now;
    s.m_leeway = leeway;
    return s;
}

Sentence Sentence::keyLabel(keys::KeyPtr key, const QString& origin)
{
    Sentence s(origin);
    s.m_kind = Kind::KeyLabel;
    s.m_key = std::move(key);
    return s;
}

Sentence Sentence::signatureValid(jose::Alg alg, keys::KeyPtr key)
{
    Sentence s;
    s.m_kind = Kind::SignatureValid;
    s.m_alg = alg;
    s.m_key = std::move(key);
    return s;
}

QString Sentence::text() const
{
    switch (m_kind) {
    case Kind::Text:
        return m_text;
    case Kind::Allowed:
        return m_text % QStringLiteral(" is allowed.");
    case Kind::KeyLabel:
        return validate::keyLabel(*m_key, m_text);
    case Kind::SignatureValid:
        return crypto::validSentence(m_alg, *m_key);
    default:
        return timeSentence(m_kind, m_at, m_now, m_leeway);
    }
}

char* toString(const Sentence& s)
{
    return qstrdup(s.text().toUtf8().constData());
}

const Check* Report::firstFailure() const
{
    for (const auto& check : checks) {
        if (!check.ok) {
            return &check;
        }
    }
    return nullptr;
}

Result<Report> verifyToken(QByteArrayView token, const KeyInput& keys, const Policy& policy)
{
    auto parsed = jose::parseCompactView(bytes::trimmed(token));
    if (!parsed) {
        return std::unexpected(parsed.error());
    }
    if (parsed->kind == jose::TokenKind::Jwe) {
        return fail(ErrorCode::InvalidArgument, QStringLiteral("this is a JWE; use decrypt."));
    }
    const jose::JsonScan headerScan = jose::scanJson(parsed->header);
    if (headerScan.error || !headerScan.topLevelIsObject) {
        const QString why = headerScan.error ? jose::toError(*headerScan.error).message
                                             : QStringLiteral("The JSON text is not an object.");
        return fail(headerScan.error ? jose::toError(*headerScan.error).code : ErrorCode::BadJson,
                    QStringLiteral("The header is not a JSON object: %1").arg(why));
    }
    const jose::JsonObjectView header(parsed->header, headerScan);
    // Past a limit the claims cannot be checked at all: bad input, not "a payload without claims".
    const jose::JsonScan payloadScan = jose::scanJson(parsed->payload);
    if (payloadScan.error && payloadScan.error->kind != jose::JsonErrorKind::Syntax) {
        return fail(jose::toError(*payloadScan.error).code,
                    QStringLiteral("The payload is not usable: %1").arg(jose::toError(*payloadScan.error).message));
    }
    const jose::JsonObjectView claims(parsed->payload, payloadScan);
    Report report;
    report.checks.reserve(10);
    KeyInput embedded; // only set when the token's own key is trusted
    const KeyInput* effective = &keys;
    if (policy.trustEmbeddedKey && (header.contains("jwk") || header.contains("x5c"))) {
        auto key = embeddedKey(header);
        if (!key) {
            report.checks.append({QStringLiteral("key"), false, Sentence(key.error().message)});
            return report;
        }
        embedded = KeyInput{*key, std::nullopt, QStringLiteral("self-asserted by the token")};
        effective = &embedded;
        report.selfAsserted = true;
    }
    if (auto fits = checkAllowListFits(*effective, policy); !fits) {
        return std::unexpected(fits.error());
    }
    report.warnings = parsed->warnings;
    report.alg = headerAlg(header);
    report.kid = header.string("kid");
    const Context c{*parsed, header, *effective, policy, report};
    checkHeaderShape(c, headerScan);
    const std::optional<Alg> alg = checkAlg(c);
    checkCrit(c);
    noteEmbeddedKeys(c);
    if (alg) {
        checkSignature(c, *alg);
    }
    for (const QString& name : claims.duplicates()) {
        report.warnings
            << QStringLiteral("The payload has the claim \"%1\" more than once; its last value was used.").arg(name);
    }
    checkTimes(c, claims);
    checkIdentity(c, claims);
    checkTyp(c);
    addKeyWarnings(c, alg);
    report.valid = report.signature == SignatureState::Valid && report.firstFailure() == nullptr;
    return report;
}

QString formatDuration(double seconds)
{
    return durationText(seconds).view();
}

} // namespace tb::validate
