#include "Commands.h"

namespace tb::cli {

namespace {

class CrackCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("crack"); }
    QString summary() const override { return QStringLiteral("Search for a weak HMAC secret (wordlist, rules, masks)."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("crack [TOKEN|-] (--wordlist FILE | --mask MASK | --builtin) [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("crack is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeCrackCommand()
{
    return std::make_unique<CrackCommand>();
}

} // namespace tb::cli
