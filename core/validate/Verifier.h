#pragma once

#include <optional>
#include <utility>

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "base/Error.h"
#include "jose/Algorithm.h"
#include "keys/Key.h"
#include "keys/KeyIo.h"

namespace tb::validate {

// What a verification accepts. One policy object serves the GUI, the CLI and the audit code (DESIGN 9).
struct Policy
{
    // The alg allow-list. Unset: the algorithms that fit the key(s). `none` is allowed only when listed.
    std::optional<QList<jose::Alg>> allowedAlgs;
    double now = 0;    // injected clock, epoch seconds (DESIGN 4)
    double leeway = 0; // seconds, applied to exp, nbf and iat
    std::optional<QString> issuer;
    std::optional<QString> audience;
    std::optional<QString> typ; // expected header typ, compared case-insensitively (RFC 7515 §4.1.9)
    QStringList requiredClaims;
    // Use a key the token carries (jwk or x5c header). Off by default; such a key is labelled self-asserted.
    bool trustEmbeddedKey = false;
};

// The keys to verify with: one pinned key, or a JWK Set, or none (only for alg none).
struct KeyInput
{
    keys::KeyPtr key;
    std::optional<keys::JwkSet> jwks;
    QString origin; // where the key came from, for the report ("key file rsa.pub")
};

// A report sentence, written out when read: verifications run in loops (bench, simulator, audit) where nobody
// reads them, and formatting them there cost time and code footprint. Reads like a QString; each read builds the
// text anew (no cache, so a report stays safe to read from several threads).
class Sentence
{
public:
    enum class Kind : quint8
    {
        Text,
        Allowed,        // "<alg> is allowed."
        Expired,        // exp in the past
        Expires,        // exp in the future
        NotYetValid,    // nbf in the future
        ValidSince,     // nbf reached
        IssuedInFuture, // iat after now
        IssuedAt,       // iat reached
        KeyLabel,       // the key's description, kid, thumbprint and origin
        SignatureValid, // crypto::validSentence: the signature or MAC verifies with the key
    };

    Sentence() = default;
    explicit Sentence(QString text)
        : m_text(std::move(text))
    {}
    static Sentence allowed(const QString& algName);
    static Sentence time(Kind kind, double at, double now, double leeway);
    static Sentence keyLabel(keys::KeyPtr key, const QString& origin);
    static Sentence signatureValid(jose::Alg alg, keys::KeyPtr key);

    [[nodiscard]] QString text() const;
    operator QString() const { return text(); } // NOLINT(google-explicit-constructor): reads like a QString
    operator QVariant() const { return text(); }
    [[nodiscard]] bool isEmpty() const { return m_kind == Kind::Text && m_text.isEmpty(); }
    [[nodiscard]] bool startsWith(QStringView s) const { return text().startsWith(s); }
    [[nodiscard]] bool endsWith(QStringView s) const { return text().endsWith(s); }
    [[nodiscard]] bool contains(QStringView s) const { return text().contains(s); }
    friend bool operator==(const Sentence& a, const QString& b) { return a.text() == b; }
    friend char* toString(const Sentence& s); // for QCOMPARE messages

private:
    QString m_text; // the text, or the alg name / key origin it is built from
    keys::KeyPtr m_key;
    double m_at = 0;
    double m_now = 0;
    double m_leeway = 0;
    Kind m_kind = Kind::Text;
    jose::Alg m_alg = jose::Alg::None;
};

struct Check
{
    QString name; // "header", "alg", "crit", "key", "kid", "signature", "exp", "nbf", "iat", "iss", "aud", "typ", ...
    bool ok = false;
    Sentence detail; // one sentence
};

enum class SignatureState
{
    Valid,
    Invalid,
    NotChecked,
};

struct Report
{
    bool valid = false;
    SignatureState signature = SignatureState::NotChecked;
    std::optional<QString> alg; // the header's alg as written
    std::optional<QString> kid;
    QList<Check> checks;
    QStringList warnings;
    Sentence keyUsed;          // which key verified or was tried, and where it came from
    bool selfAsserted = false; // the key came from the token itself

    [[nodiscard]] const Check* firstFailure() const;
};

// Fails (exit 2 in the CLI) when the token is not a JWS (malformed, a JWE), its header is not a JSON
// object, or no allowed algorithm can run with the given key(s). Every other problem is a failed check.
Result<Report> verifyToken(QByteArrayView token, const KeyInput& keys, const Policy& policy);

// "4 min 10 s", "2 h 5 min", "3 d 4 h": for the time-check sentences.
QString formatDuration(double seconds);

} // namespace tb::validate
