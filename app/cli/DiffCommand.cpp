#include "Commands.h"

#include "KeyArgs.h"
#include "base/Bytes.h"
#include "inspect/TokenDiff.h"

namespace tb::cli {

namespace {

// One token: inline, @FILE or "-", with the whitespace around it trimmed (a file's does not count toward the limit).
Result<QByteArray> readOne(const QString& argument, const Io& io)
{
    if (argument.startsWith(u'@')) {
        auto text = readTokenFile(argument.mid(1), io);
        if (!text) {
            return std::unexpected(text.error());
        }
        return std::move(text->token);
    }
    if (argument != QStringLiteral("-") && bytes::trimmed(argument.toUtf8()).isEmpty()) {
        return QByteArray(); // the caller names the empty token
    }
    return readToken({argument}, io);
}

class DiffCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("diff"); }
    QString summary() const override { return QStringLiteral("Compare two tokens: claims, times, keys and bytes."); }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(), QStringLiteral("diff A B [--json] [--key-a FILE] [--key-b FILE]"));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        parser.addValue(QStringLiteral("key-a"), QStringLiteral("FILE"),
                        QStringLiteral("A key for token A (its thumbprint is compared with B's)."));
        parser.addValue(QStringLiteral("key-b"), QStringLiteral("FILE"),
                        QStringLiteral("A key for token B (its thumbprint is compared with A's)."));
        parser.addPositional(QStringLiteral("A"), QStringLiteral("The first token, @FILE, or '-' for standard input."));
        parser.addPositional(QStringLiteral("B"),
                             QStringLiteral("The second token, @FILE, or '-' for standard input."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        const QStringList positional = parser.positional();
        if (positional.size() != 2) {
            return io.error(QStringLiteral("diff takes two tokens, A and B (see 'tokenbench-cli diff --help')."));
        }
        if (positional[0] == QStringLiteral("-") && positional[1] == QStringLiteral("-")) {
            return io.error(QStringLiteral("only one of A and B can be read from standard input."));
        }
        QByteArray tokens[2];
        for (int i = 0; i < 2; ++i) {
            auto text = readOne(positional[i], io);
            if (!text) {
                return io.error(text.error());
            }
            tokens[i] = std::move(*text);
            if (tokens[i].isEmpty()) {
                return io.error(QStringLiteral("token %1 is empty.").arg(i == 0 ? u'A' : u'B'));
            }
        }
        keys::KeyPtr keyA;
        keys::KeyPtr keyB;
        for (const auto& [option, key] :
             {std::pair{QStringLiteral("key-a"), &keyA}, std::pair{QStringLiteral("key-b"), &keyB}}) {
            if (parser.isSet(option)) {
                auto loaded = loadKeyFile(parser.value(option), QString(), io);
                if (!loaded) {
                    return io.error(loaded.error());
                }
                *key = *loaded;
            }
        }
        const auto diff = inspect::diffTokens(tokens[0], tokens[1], keyA.get(), keyB.get());
        if (!diff) {
            return io.error(diff.error());
        }
        io.printBytes(parser.isSet(QStringLiteral("json")) ? inspect::diffToJson(*diff) : inspect::diffToText(*diff));
        return diff->identical ? ExitOk : ExitNegative;
    }
};

} // namespace

std::unique_ptr<Command> makeDiffCommand()
{
    return std::make_unique<DiffCommand>();
}

} // namespace tb::cli
