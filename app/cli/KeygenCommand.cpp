#include <QFileInfo>

#include "Commands.h"
#include "KeyArgs.h"

#include "base/Files.h"

namespace tb::cli {

namespace {

class KeygenCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("keygen"); }
    QString summary() const override { return QStringLiteral("Generate a key for any JOSE algorithm (PEM or JWK)."); }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(
            name(), summary(),
            QStringLiteral(
                "keygen --alg ALG --out PREFIX [--format pem|jwk] [--bits N] [--curve Ed25519|Ed448] [--force]"));
        parser.addValue(QStringLiteral("alg"), QStringLiteral("ALG"), QStringLiteral("The algorithm the key is for."));
        parser.addValue(
            QStringLiteral("out"), QStringLiteral("PREFIX"),
            QStringLiteral("Writes PREFIX.key (private, 0600) and PREFIX.pub (public, 0644; not for HS*)."));
        parser.addValue(QStringLiteral("format"), QStringLiteral("pem|jwk"), QStringLiteral("Output format."),
                        QStringLiteral("pem"));
        parser.addValue(
            QStringLiteral("bits"), QStringLiteral("N"),
            QStringLiteral(
                "RSA modulus size (2048..16384, default 2048) or HMAC secret size (default: the hash size)."));
        parser.addValue(QStringLiteral("curve"), QStringLiteral("CURVE"),
                        QStringLiteral("For EdDSA: Ed25519 (default) or Ed448."));
        parser.addFlag(QStringLiteral("force"), QStringLiteral("Replace existing files."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (!parser.positional().isEmpty()) {
            return io.error(
                QStringLiteral("keygen takes no positional argument (got \"%1\").").arg(parser.positional().first()));
        }
        if (!parser.isSet(QStringLiteral("alg")) || !parser.isSet(QStringLiteral("out"))) {
            return io.error(QStringLiteral("--alg and --out are required."));
        }
        auto alg = parseAlg(parser.value(QStringLiteral("alg")));
        if (!alg) {
            return io.error(alg.error());
        }
        if (*alg == jose::Alg::None) {
            return io.error(QStringLiteral("alg none has no key to generate."));
        }
        const QString format = parser.value(QStringLiteral("format"));
        if (format != QStringLiteral("pem") && format != QStringLiteral("jwk")) {
            return io.error(QStringLiteral("--format must be pem or jwk (got \"%1\").").arg(format));
        }
        int bits = 0;
        if (parser.isSet(QStringLiteral("bits"))) {
            bool ok = false;
            bits = parser.value(QStringLiteral("bits")).toInt(&ok);
            if (!ok || bits <= 0) {
                return io.error(QStringLiteral("--bits must be a positive whole number."));
            }
            const auto family = jose::algFamily(*alg);
            if (family == jose::AlgFamily::Ecdsa || family == jose::AlgFamily::EdDsa) {
                io.warn(
                    QStringLiteral("--bits is ignored for %1: the curve fixes the key size.").arg(jose::algName(*alg)));
            }
        }
        auto key = keys::generateKey(*alg, bits, parser.value(QStringLiteral("curve")));
        if (!key) {
            return io.error(key.error());
        }
        return write(**key, *alg, format == QStringLiteral("jwk"), parser, io);
    }

private:
    static int write(const keys::Key& key, jose::Alg alg, bool jwk, const ArgParser& parser, const Io& io)
    {
        const QString prefix = parser.value(QStringLiteral("out"));
        const bool force = parser.isSet(QStringLiteral("force"));
        const bool symmetric = key.type() == keys::KeyType::Oct;
        keys::KeyMeta meta;
        if (jwk) {
            auto tp = keys::thumbprint(key);
            if (!tp) {
                return io.error(tp.error());
            }
            meta.alg = jose::algName(alg);
            meta.kid = *tp;
        }
        Result<QByteArray> priv = symmetric && !jwk ? Result<QByteArray>(key.secret().reveal())
                                  : jwk             ? keys::exportJwk(key, keys::KeyPart::Private, meta)
                                                    : keys::exportPem(key, keys::KeyPart::Private);
        if (!priv) {
            return io.error(priv.error());
        }
        Result<QByteArray> pub = QByteArray();
        if (!symmetric) {
            pub = jwk ? keys::exportJwk(key, keys::KeyPart::Public, meta) : keys::exportPem(key, keys::KeyPart::Public);
            if (!pub) {
                return io.error(pub.error());
            }
        }
        if (jwk) {
            *priv += '\n';
            *pub += '\n';
        }
        // Check both names before writing either, so a refusal leaves nothing half-written.
        const QString keyPath = prefix + QStringLiteral(".key");
        const QString pubPath = prefix + QStringLiteral(".pub");
        for (const QString& path : symmetric ? QStringList{keyPath} : QStringList{keyPath, pubPath}) {
            if (!force && QFileInfo::exists(path)) {
                cleanse(*priv);
                return io.error(QStringLiteral("%1 already exists (use --force to replace it).").arg(path));
            }
        }
        auto written = files::writeFile(keyPath, *priv, 0600, force);
        cleanse(*priv);
        if (written && !symmetric) {
            written = files::writeFile(pubPath, *pub, 0644, force);
        }
        if (!written) {
            return io.error(written.error());
        }
        io.print(symmetric ? QStringLiteral("wrote %1 (%2, mode 0600)\n").arg(keyPath, key.describe())
                           : QStringLiteral("wrote %1 (%2, mode 0600) and %3 (public, mode 0644)\n")
                                 .arg(keyPath, key.describe(), pubPath));
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeKeygenCommand()
{
    return std::make_unique<KeygenCommand>();
}

} // namespace tb::cli
