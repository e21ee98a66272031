#include "Commands.h"

namespace tb::cli {

namespace {

class VerifyCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("verify"); }
    QString summary() const override { return QStringLiteral("Verify a token's signature and claims, with the reason for every verdict."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("verify [TOKEN|-] (--key FILE | --secret-file FILE | --jwks FILE) [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("verify is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeVerifyCommand()
{
    return std::make_unique<VerifyCommand>();
}

} // namespace tb::cli
