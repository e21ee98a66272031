#include <cmath>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include "Commands.h"
#include "KeyArgs.h"

#include "validate/Verifier.h"

namespace tb::cli {

namespace {

QString signatureName(validate::SignatureState s)
{
    switch (s) {
    case validate::SignatureState::Valid:
        return QStringLiteral("valid");
    case validate::SignatureState::Invalid:
        return QStringLiteral("invalid");
    case validate::SignatureState::NotChecked:
        break;
    }
    return QStringLiteral("not-checked");
}

QJsonValue optionalString(const std::optional<QString>& s)
{
    return s ? QJsonValue(*s) : QJsonValue(QJsonValue::Null);
}

QByteArray reportJson(const validate::Report& r)
{
    QJsonArray checks;
    for (const auto& c : r.checks) {
        checks.append(QJsonObject{{QStringLiteral("name"), c.name},
                                  {QStringLiteral("ok"), c.ok},
                                  {QStringLiteral("detail"), c.detail.text()}});
    }
    QJsonObject o{
        {QStringLiteral("valid"), r.valid},
        {QStringLiteral("signature"), signatureName(r.signature)},
        {QStringLiteral("alg"), optionalString(r.alg)},
        {QStringLiteral("kid"), optionalString(r.kid)},
        {QStringLiteral("checks"), checks},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings)},
        {QStringLiteral("key"), r.keyUsed.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(r.keyUsed.text())},
        {QStringLiteral("self_asserted_key"), r.selfAsserted}};
    // The contract's order: valid, signature, alg, kid, checks (each name, ok, detail).
    static const QStringList order = {QStringLiteral("valid"), QStringLiteral("signature"), QStringLiteral("alg"),
                                      QStringLiteral("kid"),   QStringLiteral("checks"),    QStringLiteral("name"),
                                      QStringLiteral("ok"),    QStringLiteral("detail")};
    return jsonLine(o, order);
}

QString reportText(const validate::Report& r)
{
    QString text;
    if (r.valid) {
        text = QStringLiteral("valid\n");
    } else if (const auto* f = r.firstFailure()) {
        text = QStringLiteral("invalid: %1: %2\n").arg(f->name, f->detail);
    } else {
        text = QStringLiteral("invalid: signature: not checked\n");
    }
    for (const auto& c : r.checks) {
        text += QStringLiteral("  %1 %2: %3\n")
                    .arg(c.ok ? QStringLiteral("ok  ") : QStringLiteral("FAIL"), c.name, c.detail);
    }
    if (!r.keyUsed.isEmpty()) {
        text += QStringLiteral("  key: %1\n").arg(r.keyUsed);
    }
    return text;
}

class VerifyCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("verify"); }
    QString summary() const override
    {
        return QStringLiteral("Verify a token's signature and claims, with the reason for every verdict.");
    }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(
            name(), summary(),
            QStringLiteral("verify [TOKEN|-] (--key FILE | --secret-file FILE | --jwks FILE) "
                           "[--alg A,B,...] [--leeway SECONDS] [--now EPOCH] [--iss ISS] [--aud AUD] [--json]"));
        addOptions(parser);
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (parser.positional().size() > 1) {
            return io.error(QStringLiteral("verify takes one token (see 'tokenbench-cli verify --help')."));
        }
        auto policy = buildPolicy(parser);
        if (!policy) {
            return io.error(policy.error());
        }
        auto keyInput = loadKeys(parser, *policy, io);
        if (!keyInput) {
            return io.error(keyInput.error());
        }
        auto token = readToken(parser.positional(), io);
        if (!token) {
            return io.error(token.error());
        }
        auto report = validate::verifyToken(*token, *keyInput, *policy);
        if (!report) {
            return io.error(report.error());
        }
        if (parser.isSet(QStringLiteral("json"))) {
            io.printBytes(reportJson(*report));
        } else {
            for (const QString& w : report->warnings) {
                io.warn(w);
            }
            io.print(reportText(*report));
        }
        return report->valid ? ExitOk : ExitNegative;
    }

private:
    static void addOptions(ArgParser& parser)
    {
        parser.addValue(
            QStringLiteral("key"), QStringLiteral("FILE"),
            QStringLiteral("PEM public key (SPKI, PKCS#1), X.509 certificate, PEM private key, or one JWK."));
        parser.addValue(QStringLiteral("secret-file"), QStringLiteral("FILE"),
                        QStringLiteral("Raw HMAC secret bytes."));
        parser.addValue(QStringLiteral("jwks"), QStringLiteral("FILE"),
                        QStringLiteral("A JWK Set; the key is chosen by kid, else by kty/alg fit."));
        parser.addValue(QStringLiteral("passphrase-file"), QStringLiteral("FILE"),
                        QStringLiteral("Passphrase of an encrypted private key."));
        parser.addValue(QStringLiteral("alg"), QStringLiteral("A,B,..."),
                        QStringLiteral("Allowed algorithms (default: those that fit the key; none only by name)."));
        parser.addValue(QStringLiteral("leeway"), QStringLiteral("SECONDS"),
                        QStringLiteral("Clock leeway for exp/nbf/iat."), QStringLiteral("0"));
        parser.addValue(QStringLiteral("now"), QStringLiteral("EPOCH"),
                        QStringLiteral("Check times against this instant."));
        parser.addValue(QStringLiteral("iss"), QStringLiteral("ISS"), QStringLiteral("Required issuer."));
        parser.addValue(QStringLiteral("aud"), QStringLiteral("AUD"), QStringLiteral("Required audience."));
        parser.addValue(QStringLiteral("typ"), QStringLiteral("TYP"),
                        QStringLiteral("Required header typ (e.g. at+jwt)."));
        parser.addValue(QStringLiteral("require"), QStringLiteral("CLAIM"),
                        QStringLiteral("A claim that must be present (repeatable)."));
        parser.addFlag(
            QStringLiteral("embedded-key"),
            QStringLiteral("Verify with the key the token carries (jwk/x5c header): self-asserted, unsafe."));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        parser.addPositional(QStringLiteral("token"), QStringLiteral("The token, or '-' for standard input."));
    }

    static Result<double> number(const ArgParser& parser, const QString& name)
    {
        bool ok = false;
        const double v = parser.value(name).toDouble(&ok);
        if (!ok || !std::isfinite(v)) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--%1 must be a number (got \"%2\").").arg(name, parser.value(name)));
        }
        return v;
    }

    static Result<validate::Policy> buildPolicy(const ArgParser& parser)
    {
        validate::Policy policy;
        if (parser.isSet(QStringLiteral("alg"))) {
            auto algs = parseAlgList(parser.value(QStringLiteral("alg")));
            if (!algs) {
                return std::unexpected(algs.error());
            }
            policy.allowedAlgs = *algs;
        }
        auto leeway = number(parser, QStringLiteral("leeway"));
        if (!leeway || *leeway < 0) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("--leeway must be a number of seconds, 0 or more."));
        }
        policy.leeway = *leeway;
        policy.now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        if (parser.isSet(QStringLiteral("now"))) {
            auto now = number(parser, QStringLiteral("now"));
            if (!now) {
                return std::unexpected(now.error());
            }
            policy.now = *now;
        }
        if (parser.isSet(QStringLiteral("iss"))) {
            policy.issuer = parser.value(QStringLiteral("iss"));
        }
        if (parser.isSet(QStringLiteral("aud"))) {
            policy.audience = parser.value(QStringLiteral("aud"));
        }
        if (parser.isSet(QStringLiteral("typ"))) {
            policy.typ = parser.value(QStringLiteral("typ"));
        }
        policy.requiredClaims = parser.values(QStringLiteral("require"));
        policy.trustEmbeddedKey = parser.isSet(QStringLiteral("embedded-key"));
        return policy;
    }

    static Result<validate::KeyInput> loadKeys(const ArgParser& parser, const validate::Policy& policy, const Io& io)
    {
        const int given = int(parser.isSet(QStringLiteral("key"))) + int(parser.isSet(QStringLiteral("secret-file"))) +
                          int(parser.isSet(QStringLiteral("jwks")));
        if (given > 1) {
            return fail(ErrorCode::InvalidArgument, QStringLiteral("give one of --key, --secret-file and --jwks."));
        }
        validate::KeyInput input;
        if (given == 0) {
            const bool noneOnly = policy.allowedAlgs && policy.allowedAlgs->contains(jose::Alg::None);
            if (!noneOnly && !policy.trustEmbeddedKey) {
                return fail(ErrorCode::InvalidArgument,
                            QStringLiteral("a key is needed: --key FILE, --secret-file FILE or --jwks FILE."));
            }
            return input;
        }
        if (parser.isSet(QStringLiteral("jwks"))) {
            auto set = loadJwksFile(parser.value(QStringLiteral("jwks")), io);
            if (!set) {
                return std::unexpected(set.error());
            }
            input.jwks = *set;
            input.origin = QStringLiteral("JWK Set %1").arg(parser.value(QStringLiteral("jwks")));
            for (const QString& s : set->skipped) {
                io.warn(s);
            }
            return input;
        }
        const bool secret = parser.isSet(QStringLiteral("secret-file"));
        const QString path = parser.value(secret ? QStringLiteral("secret-file") : QStringLiteral("key"));
        auto key =
            secret ? loadSecretFile(path, io) : loadKeyFile(path, parser.value(QStringLiteral("passphrase-file")), io);
        if (!key) {
            return std::unexpected(key.error());
        }
        input.key = *key;
        input.origin =
            QStringLiteral("%1 %2").arg(secret ? QStringLiteral("secret file") : QStringLiteral("key file"), path);
        return input;
    }
};

} // namespace

std::unique_ptr<Command> makeVerifyCommand()
{
    return std::make_unique<VerifyCommand>();
}

} // namespace tb::cli
