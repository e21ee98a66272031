#include "Commands.h"

namespace tb::cli {

namespace {

class SessionCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("session"); }
    QString summary() const override { return QStringLiteral("Generate session IDs and analyse their randomness."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("session (gen|analyze) [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("session is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeSessionCommand()
{
    return std::make_unique<SessionCommand>();
}

} // namespace tb::cli
