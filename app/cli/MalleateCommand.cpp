#include "Commands.h"

#include <QDateTime>

#include "KeyArgs.h"
#include "inspect/Malleate.h"

namespace tb::cli {

namespace {

class MalleateCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("malleate"); }
    QString summary() const override
    {
        return QStringLiteral("Byte-different variants of a JWS that still verify, and the denylists they slip.");
    }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(),
                         QStringLiteral("malleate [TOKEN|-] [--key FILE | --secret-file FILE | --jwks FILE] "
                                        "[--alg A,B,...] [--now EPOCH] [--json]"));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        parser.addValue(QStringLiteral("key"), QStringLiteral("FILE"),
                        QStringLiteral("Verify each variant with this key (PEM, JWK)."));
        parser.addValue(QStringLiteral("secret-file"), QStringLiteral("FILE"),
                        QStringLiteral("Verify each variant with this HMAC secret."));
        parser.addValue(QStringLiteral("jwks"), QStringLiteral("FILE"),
                        QStringLiteral("Verify each variant with this JWK Set."));
        parser.addValue(QStringLiteral("alg"), QStringLiteral("A,B,..."), QStringLiteral("Allowed algorithms."));
        parser.addValue(QStringLiteral("now"), QStringLiteral("EPOCH"),
                        QStringLiteral("Check times against this instant (default: the clock)."));
        parser.addPositional(QStringLiteral("token"), QStringLiteral("The token, or '-' for standard input."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (parser.positional().size() > 1) {
            return io.error(QStringLiteral("malleate takes one token (see 'tokenbench-cli malleate --help')."));
        }
        validate::Policy policy;
        policy.now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        if (parser.isSet(QStringLiteral("now"))) {
            bool ok = false;
            policy.now = parser.value(QStringLiteral("now")).toDouble(&ok);
            if (!ok) {
                return io.error(QStringLiteral("--now takes an epoch in seconds."));
            }
        }
        if (parser.isSet(QStringLiteral("alg"))) {
            auto algs = parseAlgList(parser.value(QStringLiteral("alg")));
            if (!algs) {
                return io.error(algs.error());
            }
            policy.allowedAlgs = *algs;
        }
        const int given = int(parser.isSet(QStringLiteral("key"))) + int(parser.isSet(QStringLiteral("secret-file"))) +
                          int(parser.isSet(QStringLiteral("jwks")));
        if (given > 1) {
            return io.error(QStringLiteral("give one of --key, --secret-file and --jwks."));
        }
        validate::KeyInput keys;
        if (parser.isSet(QStringLiteral("jwks"))) {
            auto set = loadJwksFile(parser.value(QStringLiteral("jwks")), io);
            if (!set) {
                return io.error(set.error());
            }
            keys.jwks = *set;
            keys.origin = QStringLiteral("JWK Set %1").arg(parser.value(QStringLiteral("jwks")));
        } else if (given == 1) {
            const bool secret = parser.isSet(QStringLiteral("secret-file"));
            const QString path = parser.value(secret ? QStringLiteral("secret-file") : QStringLiteral("key"));
            auto key = secret ? loadSecretFile(path, io) : loadKeyFile(path, QString(), io);
            if (!key) {
                return io.error(key.error());
            }
            keys.key = *key;
            keys.origin = QStringLiteral("key file %1").arg(path);
        }
        const auto text = readToken(parser.positional(), io);
        if (!text) {
            return io.error(text.error());
        }
        const auto report = inspect::malleate(*text, given ? &keys : nullptr, policy);
        if (!report) {
            return io.error(report.error());
        }
        io.printBytes(parser.isSet(QStringLiteral("json")) ? inspect::malleabilityToJson(*report)
                                                           : inspect::malleabilityToText(*report));
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeMalleateCommand()
{
    return std::make_unique<MalleateCommand>();
}

} // namespace tb::cli
