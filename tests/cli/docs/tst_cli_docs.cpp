#include <QRegularExpression>
#include <QTest>

#include "Command.h"
#include "Docs.h"
#include "TestSupport.h"

using tb::cli::CommandSpec;
using tb::cli::OptionSpec;
using tb::test::runCli;

namespace {

QStringList names(const QList<OptionSpec>& list)
{
    QStringList out;
    for (const OptionSpec& o : list) {
        out << o.name;
    }
    return out;
}

QStringList matches(const QString& text, const QRegularExpression& re)
{
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();) {
        out << it.next().captured(1);
    }
    return out;
}

// Option names as QCommandLineParser prints them: "  -h, --help", "  --key <FILE>".
QStringList helpOptions(const QString& help)
{
    static const QRegularExpression re(QStringLiteral("^  (?:-h, )?--([A-Za-z0-9-]+)"),
                                       QRegularExpression::MultilineOption);
    return matches(help.section(QStringLiteral("\nArguments:\n"), 0, 0), re);
}

QStringList helpArguments(const QString& help)
{
    static const QRegularExpression re(QStringLiteral("^  (\\S+)"), QRegularExpression::MultilineOption);
    const qsizetype at = help.indexOf(QStringLiteral("\nArguments:\n"));
    return at < 0 ? QStringList() : matches(help.mid(at), re);
}

// A made-up command covering what the generators escape and how values complete.
CommandSpec sample()
{
    return CommandSpec{
        QStringLiteral("demo"),
        QStringLiteral("First line.\n.dot line"),
        QStringLiteral("demo [X|-] --opt FILE"),
        {
            {QStringLiteral("opt"), QStringLiteral("FILE"), QStringLiteral("Help \u2014 it's \\ here"),
             QStringLiteral("7")},
            {QStringLiteral("flag"), {}, QStringLiteral("A flag."), {}},
            {QStringLiteral("to"), QStringLiteral("jwk|pem"), QStringLiteral("Format."), {}},
            {QStringLiteral("header"), QStringLiteral("JSON_OR_@FILE"), QStringLiteral("Header."), {}},
            {QStringLiteral("count"), QStringLiteral("N"), QStringLiteral("How many."), {}},
        },
        {{QStringLiteral("thing"), {}, QStringLiteral("'-' for stdin"), {}}},
    };
}

} // namespace

class TestCliDocs : public QObject
{
    Q_OBJECT

private slots:
    void describeListsEveryCommandAndAction()
    {
        QStringList expected;
        for (const auto& command : tb::cli::allCommands()) {
            expected << command->name();
            for (const QString& action : command->actions()) {
                expected << command->name() + u' ' + action;
            }
        }
        QStringList got;
        for (const CommandSpec& spec : tb::cli::describeCommands()) {
            got << spec.command;
        }
        QCOMPARE(got, expected);
        QVERIFY(got.contains(QStringLiteral("cookie lint")));
        QVERIFY(got.contains(QStringLiteral("session gen")));
    }

    // The docs read the very definitions --help prints: usage, description, options and arguments in order.
    void describeMatchesHelp()
    {
        const auto commands = tb::cli::allCommands();
        for (const CommandSpec& spec : tb::cli::describeCommands()) {
            const auto run = runCli(spec.command.split(u' ') + QStringList{QStringLiteral("--help")});
            QCOMPARE(run.code, 0);
            const QString help = QString::fromUtf8(run.out);
            QCOMPARE(help.section(u'\n', 0, 0), QStringLiteral("Usage: tokenbench-cli ") + spec.usage);
            QCOMPARE(help.section(u'\n', 1, 1), spec.description.section(u'\n', 0, 0));
            QCOMPARE(helpOptions(help), QStringList{QStringLiteral("help")} + names(spec.options));
            QCOMPARE(helpArguments(help), names(spec.positionals));
            for (const auto& command : commands) {
                if (command->name() == spec.command) {
                    QCOMPARE(spec.description, command->summary());
                }
            }
        }
    }

    void overviewKeepsItsText()
    {
        const auto run = runCli({QStringLiteral("--help")});
        QCOMPARE(run.code, 0);
        QVERIFY(run.out.startsWith("Usage: tokenbench-cli <command> [options]\n\nThe command-line front of tokenbench, "
                                   "a workbench for authentication tokens.\n\nCommands:\n  decode      Decode a JWS"));
        QVERIFY(run.out.endsWith("\nRun 'tokenbench-cli <command> --help' for the options of one command.\nExit codes: "
                                 "0 success, 1 a negative answer, 2 bad input or usage.\n"));
    }

    void versionComesFromTheProject()
    {
        const auto run = runCli({QStringLiteral("--version")});
        QCOMPARE(run.code, 0);
        QCOMPARE(run.out, QByteArray("tokenbench-cli " TB_VERSION "\n"));
    }

    void manSectionOfOneCommand()
    {
        const QString page = tb::cli::docs::manPage({sample()}, QStringLiteral("9.9"));
        QVERIFY(page.contains(QStringLiteral(".TH TOKENBENCH\\-CLI 1 \"\" \"tokenbench 9.9\" \"User Commands\"\n")));
        const QString section = QStringLiteral(".SS demo\n"
                                               "\\fBtokenbench\\-cli\\fR demo [X|\\-] \\-\\-opt FILE\n"
                                               ".PP\n"
                                               "First line.\n"
                                               ".br\n"
                                               "\\&.dot line\n"
                                               ".TP\n"
                                               "\\fIthing\\fR\n"
                                               "\\&'\\-' for stdin\n"
                                               ".TP\n"
                                               "\\fB\\-\\-opt\\fR \\fIFILE\\fR\n"
                                               "Help \\[u2014] it's \\e here [default: 7]\n"
                                               ".TP\n"
                                               "\\fB\\-\\-flag\\fR\n"
                                               "A flag.\n");
        QVERIFY2(page.contains(section), qPrintable(page));
    }

    void manPageIsPlainRoff()
    {
        const QString page = tb::cli::docs::manPage(tb::cli::describeCommands(), QStringLiteral(TB_VERSION));
        static const QStringList requests{QStringLiteral(".\\\""), QStringLiteral(".TH"), QStringLiteral(".nh"),
                                          QStringLiteral(".ad"),   QStringLiteral(".SH"), QStringLiteral(".SS"),
                                          QStringLiteral(".B"),    QStringLiteral(".I"),  QStringLiteral(".RI"),
                                          QStringLiteral(".BR"),   QStringLiteral(".br"), QStringLiteral(".PP"),
                                          QStringLiteral(".TP")};
        for (const QString& line : page.split(u'\n')) {
            QVERIFY2(!line.startsWith(u'\''), qPrintable(line));
            if (line.startsWith(u'.')) {
                QVERIFY2(requests.contains(line.section(u' ', 0, 0)), qPrintable(line));
            }
        }
        for (const QChar c : page) {
            QVERIFY2(c.unicode() < 0x80, "non-ASCII reaches groff unescaped");
        }
        QVERIFY(page.contains(QStringLiteral(".SS decode\n")));
        QVERIFY(page.contains(QStringLiteral(".SS \"cookie lint\"\n")));
        QVERIFY(page.contains(QStringLiteral(".TP\n\\fB\\-\\-secret\\-file\\fR \\fIFILE\\fR\n")));
        QVERIFY(page.contains(QStringLiteral(".TP\n\\fB2\\fR\nBad input or usage")));
    }

    void bashCompletesValuesByKind()
    {
        const QString script = tb::cli::docs::bashCompletion({sample()});
        QVERIFY2(
            script.contains(QStringLiteral("    'demo') options='--help --opt --flag --to --header --count' ;;\n")),
            qPrintable(script));
        QVERIFY(
            script.contains(QStringLiteral("    'demo --to')\n        mapfile -t COMPREPLY < <(compgen -W 'jwk pem' "
                                           "-- \"$cur\")\n        return\n")));
        QVERIFY(script.contains(QStringLiteral("    'demo --opt')\n        mapfile -t COMPREPLY < <(compgen -f -- "
                                               "\"$cur\")\n")));
        QVERIFY(script.contains(QStringLiteral("    'demo --header' | 'demo --count')\n        return\n")));
        QVERIFY(script.endsWith(QStringLiteral("complete -o filenames -F _tokenbench_cli tokenbench-cli\n")));
    }

    void zshEscapesDescriptions()
    {
        const QString script = tb::cli::docs::zshCompletion({sample()});
        QVERIFY(script.startsWith(QStringLiteral("#compdef tokenbench-cli\n")));
        QVERIFY2(
            script.contains(QStringLiteral("'*--opt[Help \u2014 it'\\''s \\\\ here \\[default: 7\\]]:FILE:_files'")),
            qPrintable(script));
        QVERIFY(script.contains(QStringLiteral("'*--to[Format.]:jwk|pem:(jwk pem)'")));
        QVERIFY(script.contains(QStringLiteral("'*--count[How many.]:N: '")));
        QVERIFY(script.contains(QStringLiteral("'demo:First line. .dot line'")));
    }

    // No command at all is a usage error: exit 2 and one "error:" line on stderr; the overview still helps.
    void noCommandIsAUsageError()
    {
        const auto run = tb::test::runCliBinary({});
        QCOMPARE(run.code, 2);
        QCOMPARE(run.err, QByteArray("error: no command given (see 'tokenbench-cli --help').\n"));
        QVERIFY(run.out.startsWith("Usage: tokenbench-cli <command> [options]\n"));
    }

    void hiddenFlags()
    {
        const auto man = runCli({QStringLiteral("--man")});
        QCOMPARE(man.code, 0);
        QVERIFY(man.out.startsWith(".\\\" Generated by 'tokenbench-cli --man'"));
        QVERIFY(man.out.contains("\"tokenbench " TB_VERSION "\""));
        const auto bash = runCli({QStringLiteral("--completions"), QStringLiteral("bash")});
        QCOMPARE(bash.code, 0);
        QVERIFY(bash.out.contains("_tokenbench_cli()"));
        const auto fish = runCli({QStringLiteral("--completions"), QStringLiteral("fish")});
        QCOMPARE(fish.code, 2);
        QCOMPARE(fish.err, QByteArray("error: --completions needs a shell: bash or zsh.\n"));
        QVERIFY(fish.out.isEmpty());
        // Hidden: the overview does not list them.
        QVERIFY(!runCli({QStringLiteral("--help")}).out.contains("--man"));
    }
};

QTEST_GUILESS_MAIN(TestCliDocs)
#include "tst_cli_docs.moc"
