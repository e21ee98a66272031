#include "Commands.h"

#include <QJsonDocument>
#include <QJsonObject>

#include "inspect/Identify.h"

namespace tb::cli {

namespace {

class IdentifyCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("identify"); }
    QString summary() const override { return QStringLiteral("Say what a pasted token is, and what applies to it."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("identify [TOKEN|-] [--json]"));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        parser.addPositional(QStringLiteral("token"), QStringLiteral("The string, or '-' for standard input."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (parser.positional().size() > 1) {
            return io.error(QStringLiteral("identify takes one string (see 'tokenbench-cli identify --help')."));
        }
        const auto text = readToken(parser.positional(), io);
        if (!text) {
            return io.error(text.error());
        }
        const inspect::Identification id = inspect::identify(*text);
        io.printBytes(parser.isSet(QStringLiteral("json")) ? kindFirst(inspect::identificationToJson(id))
                                                           : inspect::identificationToText(id));
        return ExitOk;
    }

private:
    // The contract's order, {"kind": K, "reason": "...", ...}; the decoded details inside stay as they are.
    static QByteArray kindFirst(const QByteArray& json)
    {
        QJsonObject rest = QJsonDocument::fromJson(json).object();
        const QJsonObject head{{QStringLiteral("kind"), rest.take(QStringLiteral("kind"))},
                               {QStringLiteral("reason"), rest.take(QStringLiteral("reason"))}};
        QByteArray out = jsonLine(head, {QStringLiteral("kind"), QStringLiteral("reason")}).chopped(2);
        const QByteArray tail = jsonLine(rest).chopped(1);
        return out + (rest.isEmpty() ? QByteArray() : ',' + tail.mid(1, tail.size() - 2)) + "}\n";
    }
};

} // namespace

std::unique_ptr<Command> makeIdentifyCommand()
{
    return std::make_unique<IdentifyCommand>();
}

} // namespace tb::cli
