#include "Commands.h"

namespace tb::cli {

namespace {

class CookieCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("cookie"); }
    QString summary() const override { return QStringLiteral("Lint Set-Cookie headers for session-cookie pitfalls."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("cookie lint [HEADER|-] [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("cookie is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeCookieCommand()
{
    return std::make_unique<CookieCommand>();
}

} // namespace tb::cli
