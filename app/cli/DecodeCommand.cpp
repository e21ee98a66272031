#include "Commands.h"

namespace tb::cli {

namespace {

class DecodeCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("decode"); }
    QString summary() const override { return QStringLiteral("Decode a JWS or JWE without verifying it."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("decode [TOKEN|-] [--json]"));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        parser.addPositional(QStringLiteral("token"), QStringLiteral("The token, or '-' for standard input."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(QStringLiteral("decode is not built yet."));
    }
};

} // namespace

std::unique_ptr<Command> makeDecodeCommand()
{
    return std::make_unique<DecodeCommand>();
}

} // namespace tb::cli
