#include "Commands.h"

namespace tb::cli {

namespace {

class JwkCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("jwk"); }
    QString summary() const override { return QStringLiteral("Convert keys between PEM and JWK, and compute RFC 7638 thumbprints."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("jwk (convert|thumbprint) FILE [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("jwk is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeJwkCommand()
{
    return std::make_unique<JwkCommand>();
}

} // namespace tb::cli
