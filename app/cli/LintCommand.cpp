#include <cmath>

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

#include "Commands.h"
#include "KeyArgs.h"

#include "audit/lint/Lint.h"
#include "audit/lint/Sarif.h"

namespace tb::cli {

namespace {

class LintCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("lint"); }
    QString summary() const override
    {
        return QStringLiteral("Check a token for known JWT pitfalls, each finding with a rule ID and a reference.");
    }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(),
                         QStringLiteral("lint [TOKEN|-|@FILE] [--json | --sarif] [--fail-on critical|high|medium|low] "
                                        "[--now EPOCH] [--max-lifetime SECONDS] [--key FILE | --secret-file FILE]"));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print {\"findings\": [...]}."));
        parser.addFlag(QStringLiteral("sarif"), QStringLiteral("Print a SARIF 2.1.0 log."));
        parser.addValue(
            QStringLiteral("fail-on"), QStringLiteral("LEVEL"),
            QStringLiteral("Exit 1 when a finding at or above LEVEL exists (critical, high, medium, low, info)."));
        parser.addValue(QStringLiteral("now"), QStringLiteral("EPOCH"),
                        QStringLiteral("Judge times against this instant."));
        parser.addValue(QStringLiteral("max-lifetime"), QStringLiteral("SECONDS"),
                        QStringLiteral("Longest acceptable access-token lifetime (default 900)."));
        parser.addValue(QStringLiteral("key"), QStringLiteral("FILE"),
                        QStringLiteral("The verification key, for the key-strength rules."));
        parser.addValue(QStringLiteral("secret-file"), QStringLiteral("FILE"),
                        QStringLiteral("The HMAC secret (raw bytes), for the secret-strength rules."));
        parser.addValue(QStringLiteral("passphrase-file"), QStringLiteral("FILE"),
                        QStringLiteral("Passphrase of an encrypted private key."));
        parser.addPositional(
            QStringLiteral("token"),
            QStringLiteral("The token, '-' for standard input, or @FILE (SARIF then names the file)."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        const bool json = parser.isSet(QStringLiteral("json"));
        const bool sarif = parser.isSet(QStringLiteral("sarif"));
        if (json && sarif) {
            return io.error(QStringLiteral("give one of --json and --sarif."));
        }
        std::optional<audit::Severity> failOn;
        if (parser.isSet(QStringLiteral("fail-on"))) {
            failOn = audit::severityFromName(parser.value(QStringLiteral("fail-on")));
            if (!failOn) {
                return io.error(
                    QStringLiteral("unknown --fail-on level '%1' (use critical, high, medium, low or info).")
                        .arg(parser.value(QStringLiteral("fail-on"))));
            }
        }
        audit::LintOptions options;
        options.now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        if (parser.isSet(QStringLiteral("now"))) {
            auto now = number(parser, QStringLiteral("now"));
            if (!now) {
                return io.error(now.error());
            }
            options.now = *now;
        }
        if (parser.isSet(QStringLiteral("max-lifetime"))) {
            auto max = number(parser, QStringLiteral("max-lifetime"));
            if (!max || *max <= 0) {
                return io.error(QStringLiteral("--max-lifetime must be a positive number of seconds."));
            }
            options.maxLifetime = *max;
        }
        if (parser.isSet(QStringLiteral("key")) && parser.isSet(QStringLiteral("secret-file"))) {
            return io.error(QStringLiteral("give one of --key and --secret-file."));
        }
        if (parser.isSet(QStringLiteral("key")) || parser.isSet(QStringLiteral("secret-file"))) {
            auto key = parser.isSet(QStringLiteral("key"))
                           ? loadKeyFile(parser.value(QStringLiteral("key")),
                                         parser.value(QStringLiteral("passphrase-file")), io)
                           : loadSecretFile(parser.value(QStringLiteral("secret-file")), io);
            if (!key) {
                return io.error(key.error());
            }
            options.key = *key;
        }
        if (parser.positional().size() > 1) {
            return io.error(QStringLiteral("lint takes one token."));
        }
        audit::SarifArtifact artifact;
        auto token = readInput(parser.positional(), io, &artifact);
        if (!token) {
            return io.error(token.error());
        }
        auto findings = audit::lintToken(*token, options);
        if (!findings) {
            return io.error(findings.error());
        }
        if (sarif) {
            io.printBytes(QJsonDocument(audit::sarifLog(*findings, QStringLiteral(TB_VERSION), artifact))
                              .toJson(QJsonDocument::Indented));
        } else if (json) {
            QJsonArray list;
            for (const auto& f : *findings) {
                list.append(QJsonObject{{QStringLiteral("id"), f.id},
                                        {QStringLiteral("severity"), audit::severityName(f.severity)},
                                        {QStringLiteral("message"), f.message},
                                        {QStringLiteral("reference"), f.reference}});
            }
            io.printBytes(jsonLine(QJsonObject{{QStringLiteral("findings"), list}}, findingOrder()));
        } else if (findings->isEmpty()) {
            io.print(QStringLiteral("no findings\n"));
        } else {
            QString out;
            for (const auto& f : *findings) {
                out += QStringLiteral("%1 %2: %3 [%4]\n")
                           .arg(audit::severityName(f.severity), f.id, f.message, f.reference);
            }
            io.print(out);
        }
        if (failOn) {
            for (const auto& f : *findings) {
                if (f.severity >= *failOn) {
                    return ExitNegative;
                }
            }
        }
        return ExitOk;
    }

private:
    // The token from an argument, standard input, or @FILE (SARIF then names the file and counts its bytes).
    static Result<QByteArray> readInput(const QStringList& positional, const Io& io, audit::SarifArtifact* artifact)
    {
        if (positional.isEmpty() || !positional.first().startsWith(QLatin1Char('@'))) {
            auto token = readToken(positional, io);
            if (token) {
                artifact->contents = *token;
                artifact->length = token->size();
            }
            return token;
        }
        const QString path = positional.first().mid(1);
        auto text = readTokenFile(path, io);
        if (!text) {
            return std::unexpected(text.error());
        }
        if (text->token.isEmpty()) {
            return fail(ErrorCode::MalformedToken, QStringLiteral("The file %1 holds no token.").arg(path));
        }
        // SARIF wants a URI: file:// for an absolute path, else the relative path, percent-encoded.
        artifact->uri = QFileInfo(path).isAbsolute()
                            ? QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded)
                            : QString::fromLatin1(QUrl::toPercentEncoding(path, QByteArrayLiteral("/")));
        artifact->offset = text->offset;
        artifact->length = text->total;
        return std::move(text->token);
    }

    static Result<double> number(const ArgParser& parser, const QString& option)
    {
        bool ok = false;
        const double v = parser.value(option).toDouble(&ok);
        if (!ok || !std::isfinite(v)) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--%1 must be a number (got \"%2\").").arg(option, parser.value(option)));
        }
        return v;
    }
};

} // namespace

std::unique_ptr<Command> makeLintCommand()
{
    return std::make_unique<LintCommand>();
}

} // namespace tb::cli
