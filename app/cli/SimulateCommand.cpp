#include "Commands.h"

namespace tb::cli {

namespace {

class SimulateCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("simulate"); }
    QString summary() const override { return QStringLiteral("Simulate session and JWT designs side by side on a virtual clock."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("simulate (FILE | --builtin ID) [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("simulate is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeSimulateCommand()
{
    return std::make_unique<SimulateCommand>();
}

} // namespace tb::cli
