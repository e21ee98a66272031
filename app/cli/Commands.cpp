#include "Command.h"

#include "Commands.h"
#include "Docs.h"

namespace tb::cli {

std::vector<std::unique_ptr<Command>> allCommands()
{
    std::vector<std::unique_ptr<Command>> commands;
    // One line per subcommand, in the order `--help` lists them.
    commands.push_back(makeDecodeCommand());
    commands.push_back(makeSignCommand());
    commands.push_back(makeVerifyCommand());
    commands.push_back(makeKeygenCommand());
    commands.push_back(makeJwkCommand());
    commands.push_back(makeSessionCommand());
    commands.push_back(makeCookieCommand());
    commands.push_back(makeSimulateCommand());
    commands.push_back(makeCrackCommand());
    commands.push_back(makeDecryptCommand());
    commands.push_back(makeEncryptCommand());
    commands.push_back(makeDiffCommand());
    commands.push_back(makeIdentifyCommand());
    commands.push_back(makeMalleateCommand());
    commands.push_back(makeLintCommand());
    commands.push_back(makeAttackCommand());
    return commands;
}

namespace {

QString overview(const std::vector<std::unique_ptr<Command>>& commands)
{
    QString text =
        QStringLiteral("Usage: tokenbench-cli <command> [options]\n\n%1\n\nCommands:\n").arg(docs::tagline());
    for (const auto& c : commands) {
        text += QStringLiteral("  %1%2\n").arg(c->name().leftJustified(12), c->summary());
    }
    text += QStringLiteral("\nRun 'tokenbench-cli <command> --help' for the options of one command.\n%1\n")
                .arg(docs::exitCodesLine());
    return text;
}

} // namespace

int dispatch(const QStringList& args, const Io& io)
{
    const auto commands = allCommands();
    if (args.isEmpty()) {
        // A usage error: the overview still helps, and stderr carries the one error line.
        io.print(overview(commands));
        return io.error(QStringLiteral("no command given (see 'tokenbench-cli --help')."));
    }
    if (args.first() == QStringLiteral("--help") || args.first() == QStringLiteral("-h") ||
        args.first() == QStringLiteral("help")) {
        io.print(overview(commands));
        return ExitOk;
    }
    if (args.first() == QStringLiteral("--version")) {
        io.print(QStringLiteral("tokenbench-cli %1\n").arg(QStringLiteral(TB_VERSION)));
        return ExitOk;
    }
    if (auto done = docs::runHiddenFlag(args, io)) {
        return *done;
    }
    for (const auto& c : commands) {
        if (c->name() == args.first()) {
            return c->run(args.mid(1), io);
        }
    }
    return io.error(QStringLiteral("unknown command '%1' (see 'tokenbench-cli --help').").arg(args.first()));
}

} // namespace tb::cli
