#include "Commands.h"

namespace tb::cli {

namespace {

class SignCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("sign"); }
    QString summary() const override { return QStringLiteral("Sign a payload as a compact JWS with any JOSE algorithm."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("sign --alg ALG (--key FILE | --secret-file FILE) [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("sign is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeSignCommand()
{
    return std::make_unique<SignCommand>();
}

} // namespace tb::cli
