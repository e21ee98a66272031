#include "Commands.h"
#include "KeyArgs.h"

namespace tb::cli {

namespace {

class JwkCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("jwk"); }
    QString summary() const override
    {
        return QStringLiteral("Convert keys between PEM and JWK, and compute RFC 7638 thumbprints.");
    }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(
            name(), summary(),
            QStringLiteral("jwk (convert | thumbprint) FILE [--to jwk|pem] [--private] [--alg ALG] [--kid KID]"));
        parser.addPositional(
            QStringLiteral("action"),
            QStringLiteral("convert: print the key in the other format; thumbprint: print its RFC 7638 "
                           "thumbprint."));
        parser.addPositional(QStringLiteral("file"),
                             QStringLiteral("A key: PEM, DER, certificate or JWK ('-' for stdin)."));
        parser.addValue(QStringLiteral("to"), QStringLiteral("jwk|pem"),
                        QStringLiteral("Output format of convert (default: JWK for PEM input, PEM for JWK input)."));
        parser.addFlag(QStringLiteral("private"),
                       QStringLiteral("Include the private members (default: public only)."));
        parser.addValue(QStringLiteral("alg"), QStringLiteral("ALG"), QStringLiteral("Add an alg member to a JWK."));
        parser.addValue(QStringLiteral("kid"), QStringLiteral("KID"),
                        QStringLiteral("Add a kid member to a JWK (\"thumbprint\" uses the RFC 7638 thumbprint)."));
        parser.addValue(QStringLiteral("passphrase-file"), QStringLiteral("FILE"),
                        QStringLiteral("Passphrase of an encrypted private key."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        const QStringList pos = parser.positional();
        if (pos.size() != 2 || (pos[0] != QStringLiteral("convert") && pos[0] != QStringLiteral("thumbprint"))) {
            return io.error(QStringLiteral("usage: tokenbench-cli jwk (convert | thumbprint) FILE"));
        }
        auto key = loadKeyFile(pos[1], parser.value(QStringLiteral("passphrase-file")), io);
        if (!key) {
            return io.error(key.error());
        }
        if (pos[0] == QStringLiteral("thumbprint")) {
            auto tp = keys::thumbprint(**key);
            if (!tp) {
                return io.error(tp.error());
            }
            io.print(*tp + u'\n');
            return ExitOk;
        }
        return convert(**key, parser, io);
    }

private:
    static int convert(const keys::Key& key, const ArgParser& parser, const Io& io)
    {
        const keys::KeyPart part =
            parser.isSet(QStringLiteral("private")) ? keys::KeyPart::Private : keys::KeyPart::Public;
        QString to = parser.value(QStringLiteral("to"));
        if (to.isEmpty()) {
            const bool fromJwk =
                !key.meta().kid.isEmpty() || !key.meta().alg.isEmpty() || key.type() == keys::KeyType::Oct;
            to = fromJwk ? QStringLiteral("pem") : QStringLiteral("jwk");
        }
        if (to == QStringLiteral("pem") && key.type() == keys::KeyType::Oct) {
            return io.error(QStringLiteral("an HMAC secret (oct JWK) has no PEM form."));
        }
        if (to == QStringLiteral("pem")) {
            auto pem = keys::exportPem(key, part);
            if (!pem) {
                return io.error(pem.error());
            }
            io.printBytes(*pem);
            return ExitOk;
        }
        if (to != QStringLiteral("jwk") && to != QStringLiteral("pem")) {
            return io.error(QStringLiteral("--to must be jwk or pem (got \"%1\").").arg(to));
        }
        keys::KeyMeta meta = key.meta();
        if (parser.isSet(QStringLiteral("alg"))) {
            auto alg = parseAlg(parser.value(QStringLiteral("alg")));
            if (!alg) {
                return io.error(alg.error());
            }
            meta.alg = jose::algName(*alg);
        }
        if (parser.isSet(QStringLiteral("kid"))) {
            meta.kid = parser.value(QStringLiteral("kid"));
            if (meta.kid == QStringLiteral("thumbprint")) {
                meta.kid = keys::thumbprint(key).value_or(QString());
            }
        }
        auto jwk = keys::exportJwk(key, key.type() == keys::KeyType::Oct ? keys::KeyPart::Private : part, meta);
        if (!jwk) {
            return io.error(jwk.error());
        }
        io.printBytes(*jwk + '\n');
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeJwkCommand()
{
    return std::make_unique<JwkCommand>();
}

} // namespace tb::cli
