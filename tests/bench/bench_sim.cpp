// bench_sim: events per second of the simulator on one core, beside the same model run in SimPy
// (tests/bench/simpy_model.py, started here with QProcess and measured in the same run), and peak memory.
// Prints figures only; asserts nothing.
#include <ctime>
#include <sys/resource.h>

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTextStream>

#include "sim/Engine.h"
#include "sim/Scenario.h"

namespace {

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

long peakRssKiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

struct Measured
{
    std::uint64_t events = 0;
    std::uint64_t laneSteps = 0;
    double wall = 0;
    double cpu = 0;
    double storeOpsA = 0;
};

// The background-load model simpy_model.py mirrors: lanes A-F, no script events.
Measured runEngine(int users, double ratePerMin, int windowS)
{
    const QByteArray json = QStringLiteral(R"({"id":"bench","title":"bench","teaches":"bench",
        "lanes":["A","B","C","D","E","F"],
        "parameters":{"start":0,"end":%1,"users":%2,"requests_per_min":%3,"access_token_lifetime_s":300,
                      "bff_token_lifetime_s":300,"introspection_cache_ttl_s":5},
        "events":[]})")
                                .arg(windowS)
                                .arg(users)
                                .arg(ratePerMin)
                                .toUtf8();
    auto scenario = tb::sim::parseScenario(json);
    if (!scenario) {
        qFatal("bench scenario: %s", qPrintable(scenario.error().message));
    }
    tb::sim::RunOptions options;
    QElapsedTimer timer;
    const double cpu0 = cpuSeconds();
    timer.start();
    auto result = tb::sim::run(*scenario, options);
    Measured m;
    m.wall = double(timer.nsecsElapsed()) / 1e9;
    m.cpu = cpuSeconds() - cpu0;
    if (!result) {
        qFatal("bench run: %s", qPrintable(result.error().message));
    }
    m.events = result->events;
    m.laneSteps = result->laneSteps;
    m.storeOpsA = double(result->lanes.front().storeOps);
    return m;
}

QString python()
{
    // Debian's python3-simpy installs into the system interpreter; a pyenv/venv python3 may lack it.
    for (const QString& candidate : {QStringLiteral("/usr/bin/python3"), QStringLiteral("python3")}) {
        QProcess probe;
        probe.start(candidate, {QStringLiteral("-c"), QStringLiteral("import SimPy.Simulation")});
        if (probe.waitForFinished(20000) && probe.exitStatus() == QProcess::NormalExit && probe.exitCode() == 0) {
            return candidate;
        }
        QProcess probe3;
        probe3.start(candidate, {QStringLiteral("-c"), QStringLiteral("import simpy")});
        if (probe3.waitForFinished(20000) && probe3.exitStatus() == QProcess::NormalExit && probe3.exitCode() == 0) {
            return candidate;
        }
    }
    return {};
}

QJsonObject runSimpy(const QString& interpreter, int users, double ratePerMin, int windowS)
{
    const QString script = QFileInfo(QStringLiteral(__FILE__)).dir().filePath(QStringLiteral("simpy_model.py"));
    QProcess process;
    process.start(interpreter, {script, QString::number(users), QString::number(ratePerMin), QString::number(windowS)});
    if (!process.waitForFinished(600000) || process.exitCode() != 0) {
        return QJsonObject{{QStringLiteral("error"), QString::fromUtf8(process.readAllStandardError())}};
    }
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    out << "simulator: background load through lanes A-F (one event = one request evaluated by all six lanes)\n";

    // 1. Same model, same size, same run: tokenbench vs SimPy.
    const int users = 5000;
    const double rate = 6;
    const int window = 300;
    const Measured small = runEngine(users, rate, window);
    const QString py = python();
    if (py.isEmpty()) {
        out << "SimPy: not found (install python3-simpy); skipping the comparison\n";
    } else {
        const QJsonObject simpy = runSimpy(py, users, rate, window);
        if (simpy.contains(QStringLiteral("error"))) {
            out << "SimPy run failed: " << simpy.value(QStringLiteral("error")).toString() << "\n";
        } else {
            // Rates on CPU time: the machine is shared, so wall time mostly measures the neighbours.
            const double simpyEvents = simpy.value(QStringLiteral("events")).toDouble();
            const double simpyCpu = simpy.value(QStringLiteral("cpu_seconds")).toDouble();
            const double oursRate = double(small.events) / small.cpu;
            const double simpyRate = simpyEvents / simpyCpu;
            out << QStringLiteral("  same model, %1 users x %2 req/min x %3 s (%4 events; store ops A: ours %5, "
                                  "SimPy %6)\n")
                       .arg(users)
                       .arg(rate)
                       .arg(window)
                       .arg(small.events)
                       .arg(small.storeOpsA)
                       .arg(simpy.value(QStringLiteral("store_ops_A")).toDouble());
            out << QStringLiteral("  tokenbench  %1 events/s (%2 s CPU, %3 s wall)\n")
                       .arg(oursRate, 0, 'f', 0)
                       .arg(small.cpu, 0, 'f', 4)
                       .arg(small.wall, 0, 'f', 4);
            out << QStringLiteral("  SimPy %1  %2 events/s (%3 s CPU, %4 s wall, %5)\n")
                       .arg(simpy.value(QStringLiteral("simpy")).toString())
                       .arg(simpyRate, 0, 'f', 0)
                       .arg(simpyCpu, 0, 'f', 3)
                       .arg(simpy.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 3)
                       .arg(py);
            out << QStringLiteral("  ratio tokenbench / SimPy (CPU time): %1x (goal >= 100x)\n")
                       .arg(oursRate / simpyRate, 0, 'f', 0);
        }
    }

    // 2. A large scenario on one core (the engine is single-threaded).
    const long rssBefore = peakRssKiB();
    const Measured large = runEngine(100000, 6, 600);
    out << QStringLiteral("  large: 100000 users x 6 req/min x 600 s: %1 events in %2 s wall / %3 s CPU = "
                          "%4 M events/s (%5 M lane-steps/s)\n")
               .arg(large.events)
               .arg(large.wall, 0, 'f', 3)
               .arg(large.cpu, 0, 'f', 3)
               .arg(double(large.events) / large.cpu / 1e6, 0, 'f', 2)
               .arg(double(large.laneSteps) / large.cpu / 1e6, 0, 'f', 1);
    const long rssLarge = peakRssKiB();

    // 3. Memory grows with live credentials, not with events: 4x the events with the same users.
    const Measured longer = runEngine(100000, 6, 2400);
    const long rssLonger = peakRssKiB();
    out << QStringLiteral("  peak RSS: %1 MiB before, %2 MiB after 100k users / %3 events, %4 MiB after "
                          "100k users / %5 events (4x the events: +%6 MiB)\n")
               .arg(double(rssBefore) / 1024, 0, 'f', 1)
               .arg(double(rssLarge) / 1024, 0, 'f', 1)
               .arg(large.events)
               .arg(double(rssLonger) / 1024, 0, 'f', 1)
               .arg(longer.events)
               .arg(double(rssLonger - rssLarge) / 1024, 0, 'f', 1);
    const Measured bigger = runEngine(1000000, 0.6, 600);
    out << QStringLiteral("  1M users x 0.6 req/min x 600 s: %1 events, %2 M events/s CPU; peak RSS now %3 MiB\n")
               .arg(bigger.events)
               .arg(double(bigger.events) / bigger.cpu / 1e6, 0, 'f', 2)
               .arg(double(peakRssKiB()) / 1024, 0, 'f', 1);
    return 0;
}
