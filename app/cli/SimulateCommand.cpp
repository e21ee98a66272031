#include <QJsonArray>
#include <QJsonObject>

#include "Commands.h"
#include "base/Limits.h"
#include "sim/Engine.h"
#include "sim/Report.h"
#include "sim/Scenario.h"

namespace tb::cli {

namespace {

class SimulateCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("simulate"); }
    QString summary() const override
    {
        return QStringLiteral("Simulate session and JWT designs side by side on a virtual clock.");
    }

    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(),
                         QStringLiteral("simulate (FILE | --builtin ID) [--set KEY=VALUE ...] [--seed N] [--json]"));
        parser.addPositional(QStringLiteral("FILE"), QStringLiteral("A scenario JSON file (- for standard input)."));
        parser.addValue(QStringLiteral("builtin"), QStringLiteral("ID"),
                        QStringLiteral("A built-in scenario, S1 to S18."));
        parser.addValue(QStringLiteral("set"), QStringLiteral("KEY=VALUE"),
                        QStringLiteral("Override a parameter (repeatable), e.g. detection_delay_s=300."));
        parser.addValue(QStringLiteral("seed"), QStringLiteral("N"), QStringLiteral("Random seed (default 1)."));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        parser.addFlag(QStringLiteral("timeline"), QStringLiteral("With --json: add each lane's timeline data."));
        parser.addFlag(QStringLiteral("list"), QStringLiteral("List the built-in scenarios."));
        parser.addFlag(QStringLiteral("params"), QStringLiteral("List the parameters --set accepts."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (parser.isSet(QStringLiteral("list"))) {
            return list(io, parser.isSet(QStringLiteral("json")));
        }
        if (parser.isSet(QStringLiteral("params"))) {
            return params(io);
        }
        auto scenario = load(parser, io);
        if (!scenario) {
            return io.error(scenario.error());
        }
        sim::RunOptions options;
        options.sets = parser.values(QStringLiteral("set"));
        options.uniformSamples = 60;
        if (parser.isSet(QStringLiteral("seed"))) {
            bool ok = false;
            options.seed = parser.value(QStringLiteral("seed")).toULongLong(&ok);
            if (!ok) {
                return io.error(QStringLiteral("--seed expects a non-negative integer (got '%1').")
                                    .arg(parser.value(QStringLiteral("seed"))));
            }
        }
        auto result = sim::run(*scenario, options);
        if (!result) {
            return io.error(result.error());
        }
        if (parser.isSet(QStringLiteral("json"))) {
            static const QStringList order = {QStringLiteral("scenario"),
                                              QStringLiteral("lanes"),
                                              QStringLiteral("id"),
                                              QStringLiteral("name"),
                                              QStringLiteral("exposure_window_s"),
                                              QStringLiteral("attacker_requests_accepted_after_revocation"),
                                              QStringLiteral("auth_latency_ms"),
                                              QStringLiteral("p50"),
                                              QStringLiteral("p99"),
                                              QStringLiteral("bytes_per_request"),
                                              QStringLiteral("store_ops_per_s")};
            io.printBytes(jsonLine(sim::toJson(*result, parser.isSet(QStringLiteral("timeline"))), order));
        } else {
            io.print(sim::toTable(*result));
        }
        return ExitOk;
    }

private:
    static Result<sim::Scenario> load(const ArgParser& parser, const Io& io)
    {
        const QStringList positional = parser.positional();
        const bool builtin = parser.isSet(QStringLiteral("builtin"));
        if (builtin == !positional.isEmpty() || positional.size() > 1) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("give exactly one scenario: a FILE or --builtin ID (see simulate --list)."));
        }
        if (!builtin && positional.first() == QStringLiteral("-") && io.stdinIsTerminal) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("no scenario on standard input (pipe a scenario file, or give FILE)."));
        }
        Result<QByteArray> bytes = builtin ? sim::builtinScenarioBytes(parser.value(QStringLiteral("builtin")))
                                           : readFile(positional.first(), qsizetype(limits::maxScenarioBytes), io);
        if (!bytes) {
            return std::unexpected(bytes.error());
        }
        return sim::parseScenario(*bytes);
    }

    static int list(const Io& io, bool json)
    {
        const auto scenarios = sim::builtinScenarios();
        if (json) {
            QJsonArray array;
            for (const auto& s : scenarios) {
                array.append(QJsonObject{{QStringLiteral("id"), s.id},
                                         {QStringLiteral("title"), s.title},
                                         {QStringLiteral("teaches"), s.teaches}});
            }
            io.printBytes(jsonLine(QJsonObject{{QStringLiteral("scenarios"), array}}));
            return ExitOk;
        }
        for (const auto& s : scenarios) {
            io.print(QStringLiteral("%1  %2\n").arg(s.id, -4).arg(s.title));
        }
        return ExitOk;
    }

    static int params(const Io& io)
    {
        const sim::Params defaults;
        for (const sim::ParamSpec& s : sim::paramSpecs()) {
            io.print(QStringLiteral("%1 = %2  %3\n")
                         .arg(QLatin1String(s.key), -28)
                         .arg(defaults.display(s.id), -10)
                         .arg(QLatin1String(s.help)));
        }
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeSimulateCommand()
{
    return std::make_unique<SimulateCommand>();
}

} // namespace tb::cli
