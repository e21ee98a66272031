#include "Commands.h"

namespace tb::cli {

namespace {

class KeygenCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("keygen"); }
    QString summary() const override { return QStringLiteral("Generate a key for any JOSE algorithm (PEM or JWK)."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("keygen --alg ALG --out PREFIX [--format pem|jwk] [--bits N]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("keygen is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeKeygenCommand()
{
    return std::make_unique<KeygenCommand>();
}

} // namespace tb::cli
