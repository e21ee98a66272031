#include "Commands.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

#include "session/Analyzer.h"
#include "session/DemoGenerators.h"
#include "session/SessionId.h"

namespace tb::cli {

namespace {

constexpr qsizetype maxSampleBytes = 64 * 1024 * 1024;

QString percentKey(double percent)
{
    return QString::number(percent, 'g', 6);
}

QJsonObject testJson(const session::TestSummary& t)
{
    QJsonObject o{{QStringLiteral("name"), t.name},           {QStringLiteral("level"), t.level},
                  {QStringLiteral("criterion"), t.criterion}, {QStringLiteral("applicable"), t.applicable},
                  {QStringLiteral("tested"), t.tested},       {QStringLiteral("failed"), t.failed},
                  {QStringLiteral("min_p"), t.minP}};
    QJsonArray positions;
    for (const int p : t.failedPositions) {
        positions.append(p);
    }
    o.insert(QStringLiteral("failed_positions"), positions);
    if (t.name == QStringLiteral("compression")) {
        o.insert(QStringLiteral("ratio"), t.value);
    }
    return o;
}

QJsonObject analysisJson(const session::Analysis& a)
{
    QJsonObject entropy;
    for (std::size_t i = 0; i < session::significanceLevels.size(); ++i) {
        entropy.insert(percentKey(session::significanceLevels[i]), a.effectiveBits[i]);
    }
    QJsonArray structure;
    for (const session::StructureFinding& f : a.structure) {
        structure.append(QJsonObject{{QStringLiteral("kind"), f.kind}, {QStringLiteral("detail"), f.detail}});
    }
    QJsonArray tests;
    for (const session::TestSummary& t : a.tests) {
        tests.append(testJson(t));
    }
    QJsonArray perPosition;
    for (const session::CharPosition& c : a.chars) {
        perPosition.append(QJsonObject{{QStringLiteral("position"), c.position},
                                       {QStringLiteral("charset"), c.charsetSize},
                                       {QStringLiteral("bits"), c.bits},
                                       {QStringLiteral("static"), c.isStatic}});
    }
    return QJsonObject{{QStringLiteral("samples"), a.samples},
                       {QStringLiteral("verdict"), session::verdictName(a.verdict)},
                       {QStringLiteral("effective_entropy_bits"), entropy},
                       {QStringLiteral("max_bits"), a.maxBits},
                       {QStringLiteral("alphabet"), a.alphabet},
                       {QStringLiteral("structure"), structure},
                       {QStringLiteral("tests"), tests},
                       {QStringLiteral("positions"), perPosition},
                       {QStringLiteral("reliability"), a.reliability},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(a.notes)}};
}

// The contract's order; the significance levels ascending (a sorted object puts "10" before "5").
QStringList analysisOrder()
{
    QStringList order = {QStringLiteral("samples"), QStringLiteral("verdict"),
                         QStringLiteral("effective_entropy_bits")};
    for (const double level : session::significanceLevels) {
        order << percentKey(level);
    }
    order << QStringLiteral("structure") << QStringLiteral("kind") << QStringLiteral("detail")
          << QStringLiteral("tests");
    return order;
}

QString analysisText(const session::Analysis& a)
{
    QString text = QStringLiteral("verdict: %1\nsamples: %2 (%3)\n")
                       .arg(session::verdictName(a.verdict))
                       .arg(a.samples)
                       .arg(a.reliability);
    if (a.verdict != session::Verdict::Insufficient) {
        text += QStringLiteral("alphabet: %1 (%2 symbols, %3 bits per character), %4 bits tested\n")
                    .arg(a.alphabet)
                    .arg(a.alphabetSize)
                    .arg(a.bitsPerSymbol)
                    .arg(a.maxBits);
        text += QStringLiteral("effective entropy:");
        for (std::size_t i = 0; i < session::significanceLevels.size(); ++i) {
            text += QStringLiteral(" %1 bits at %2 %;")
                        .arg(a.effectiveBits[i])
                        .arg(percentKey(session::significanceLevels[i]));
        }
        text.chop(1);
        text += u'\n';
        for (const session::TestSummary& t : a.tests) {
            if (t.name == QStringLiteral("compression")) {
                text += QStringLiteral("test %1: ratio %2\n").arg(t.name).arg(t.value, 0, 'f', 3);
            } else if (t.applicable) {
                text += QStringLiteral("test %1: %2 of %3 positions failed\n").arg(t.name).arg(t.failed).arg(t.tested);
            } else {
                text += QStringLiteral("test %1: not applicable to this sample size\n").arg(t.name);
            }
        }
    }
    for (const session::StructureFinding& f : a.structure) {
        text += QStringLiteral("structure %1: %2\n").arg(f.kind, f.detail);
    }
    for (const QString& note : a.notes) {
        text += QStringLiteral("note: %1\n").arg(note);
    }
    return text;
}

Result<int> intOption(const ArgParser& parser, const QString& name, int fallback)
{
    if (!parser.isSet(name)) {
        return fallback;
    }
    bool ok = false;
    const int v = parser.value(name).toInt(&ok);
    if (!ok) {
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("--%1 needs a whole number (got '%2').").arg(name, parser.value(name)));
    }
    return v;
}

class SessionCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("session"); }
    QString summary() const override { return QStringLiteral("Generate session IDs and analyse their randomness."); }
    QStringList actions() const override
    {
        return {QStringLiteral("gen"), QStringLiteral("analyze"), QStringLiteral("demo")};
    }
    int run(const QStringList& args, const Io& io) override
    {
        const QString action = args.isEmpty() ? QString() : args.first();
        if (action == QStringLiteral("gen")) {
            return gen(args.mid(1), io);
        }
        if (action == QStringLiteral("analyze") || action == QStringLiteral("analyse")) {
            return analyse(args.mid(1), io);
        }
        if (action == QStringLiteral("demo")) {
            return demo(args.mid(1), io);
        }
        ArgParser parser(name(), summary(), QStringLiteral("session (gen|analyze|demo) [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(action.isEmpty()
                            ? QStringLiteral("session needs an action: gen, analyze or demo.")
                            : QStringLiteral("unknown session action '%1' (use gen, analyze or demo).").arg(action));
    }

private:
    static int gen(const QStringList& args, const Io& io)
    {
        ArgParser parser(
            QStringLiteral("session gen"), QStringLiteral("Print random session IDs from the OpenSSL CSPRNG."),
            QStringLiteral(
                "session gen [--bits N] [--encoding base64url|hex] [--alphabet CHARS] [--count N] [--explain]"));
        parser.addValue(QStringLiteral("bits"), QStringLiteral("N"),
                        QStringLiteral("Entropy per ID in bits (default 128)."));
        parser.addValue(QStringLiteral("encoding"), QStringLiteral("ENC"),
                        QStringLiteral("base64url (default) or hex."));
        parser.addValue(QStringLiteral("alphabet"), QStringLiteral("CHARS"),
                        QStringLiteral("Use these characters instead (unbiased; length from --bits)."));
        parser.addValue(QStringLiteral("count"), QStringLiteral("N"), QStringLiteral("How many IDs (default 1)."));
        parser.addFlag(QStringLiteral("explain"),
                       QStringLiteral("Print the entropy and the expected time to guess a live ID on stderr."));
        parser.addValue(QStringLiteral("guesses-per-second"), QStringLiteral("A"),
                        QStringLiteral("Attacker rate for --explain (default 10000)."));
        parser.addValue(QStringLiteral("live-sessions"), QStringLiteral("S"),
                        QStringLiteral("Live sessions for --explain (default 100000)."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (!parser.positional().isEmpty()) {
            return io.error(QStringLiteral("session gen takes no positional argument (got '%1').")
                                .arg(parser.positional().first()));
        }
        session::IdSpec spec;
        auto bits = intOption(parser, QStringLiteral("bits"), 128);
        auto count = intOption(parser, QStringLiteral("count"), 1);
        if (!bits) {
            return io.error(bits.error());
        }
        if (!count) {
            return io.error(count.error());
        }
        spec.bits = *bits;
        const QString encoding = parser.value(QStringLiteral("encoding"));
        if (parser.isSet(QStringLiteral("alphabet"))) {
            if (parser.isSet(QStringLiteral("encoding"))) {
                return io.error(QStringLiteral("--alphabet and --encoding cannot be combined."));
            }
            spec.encoding = session::IdEncoding::Custom;
            spec.alphabet = parser.value(QStringLiteral("alphabet")).toUtf8();
        } else if (encoding.isEmpty() || encoding == QStringLiteral("base64url")) {
            spec.encoding = session::IdEncoding::Base64Url;
        } else if (encoding == QStringLiteral("hex")) {
            spec.encoding = session::IdEncoding::Hex;
        } else {
            return io.error(QStringLiteral("unknown encoding '%1' (use base64url or hex).").arg(encoding));
        }
        auto ids = session::generateIds(spec, *count);
        if (!ids) {
            return io.error(ids.error());
        }
        QByteArray out;
        for (const QByteArray& id : *ids) {
            out += id + '\n';
        }
        io.printBytes(out);
        if (parser.isSet(QStringLiteral("explain"))) {
            explain(parser, spec, io);
        }
        return ExitOk;
    }

    static void explain(const ArgParser& parser, const session::IdSpec& spec, const Io& io)
    {
        bool okA = true;
        bool okS = true;
        const double a = parser.isSet(QStringLiteral("guesses-per-second"))
                             ? parser.value(QStringLiteral("guesses-per-second")).toDouble(&okA)
                             : 10000.0;
        const double s = parser.isSet(QStringLiteral("live-sessions"))
                             ? parser.value(QStringLiteral("live-sessions")).toDouble(&okS)
                             : 100000.0;
        if (!okA || !okS || a <= 0 || s <= 0) {
            io.warn(
                QStringLiteral("--guesses-per-second and --live-sessions need positive numbers; no estimate shown."));
            return;
        }
        const auto e = session::guessTime(spec.bits, a, s);
        io.err->write(QStringLiteral("entropy: %1 bits per ID (%2 characters)\n"
                                     "expected time to guess one of %3 live IDs at %4 guesses/s: %5 "
                                     "(OWASP's 2^B/(A*S): %6)\nformula: %7\n")
                          .arg(spec.bits)
                          .arg(session::idLength(spec))
                          .arg(s, 0, 'g', 12)
                          .arg(a, 0, 'g', 12)
                          .arg(session::humanDuration(e.meanSeconds), session::humanDuration(e.owaspSeconds), e.formula)
                          .toUtf8());
    }

    static int analyse(const QStringList& args, const Io& io)
    {
        ArgParser parser(QStringLiteral("session analyze"),
                         QStringLiteral("Sequencer-style randomness analysis of session IDs, one a line."),
                         QStringLiteral("session analyze [FILE|-] [--json] [--capture-time EPOCH_MS]"));
        parser.addPositional(QStringLiteral("file"),
                             QStringLiteral("File with one ID a line, or - for standard input."));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        parser.addValue(QStringLiteral("capture-time"), QStringLiteral("EPOCH_MS"),
                        QStringLiteral("When the IDs were captured, for timestamp detection (default: now)."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        const QStringList positional = parser.positional();
        if (positional.size() > 1) {
            return io.error(
                QStringLiteral("session analyze takes one file (got %1 arguments).").arg(positional.size()));
        }
        if (positional.isEmpty() && io.stdinIsTerminal) {
            return io.error(QStringLiteral("no session IDs given (pass a file, or '-' to read standard input)."));
        }
        auto text = readFile(positional.isEmpty() ? QStringLiteral("-") : positional.first(), maxSampleBytes, io);
        if (!text) {
            return io.error(text.error());
        }
        auto ids = session::parseSample(*text);
        if (!ids) {
            return io.error(ids.error());
        }
        session::AnalysisOptions options;
        options.captureMs = QDateTime::currentMSecsSinceEpoch();
        if (parser.isSet(QStringLiteral("capture-time"))) {
            bool ok = false;
            options.captureMs = parser.value(QStringLiteral("capture-time")).toLongLong(&ok);
            if (!ok || options.captureMs <= 0) {
                return io.error(QStringLiteral("--capture-time needs a positive epoch in milliseconds."));
            }
        }
        auto analysis = session::analyze(*ids, options);
        if (!analysis) {
            return io.error(analysis.error());
        }
        if (parser.isSet(QStringLiteral("json"))) {
            io.printBytes(jsonLine(analysisJson(*analysis), analysisOrder()));
        } else {
            io.print(analysisText(*analysis));
        }
        return analysis->verdict == session::Verdict::Pass ? ExitOk : ExitNegative;
    }

    static int demo(const QStringList& args, const Io& io)
    {
        ArgParser parser(QStringLiteral("session demo"), QStringLiteral("Print IDs from a teaching generator."),
                         QStringLiteral("session demo KIND [--count N] [--seed N]"));
        parser.addPositional(QStringLiteral("kind"), session::demoKindNames().join(QStringLiteral(", ")));
        parser.addValue(QStringLiteral("count"), QStringLiteral("N"), QStringLiteral("How many IDs (default 1000)."));
        parser.addValue(QStringLiteral("seed"), QStringLiteral("N"), QStringLiteral("Seed of the simulated arrivals."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        if (parser.positional().size() != 1) {
            return io.error(QStringLiteral("session demo needs one generator: %1.")
                                .arg(session::demoKindNames().join(QStringLiteral(", "))));
        }
        auto kind = session::demoKindFromName(parser.positional().first());
        auto count = intOption(parser, QStringLiteral("count"), 1000);
        auto seed = intOption(parser, QStringLiteral("seed"), 1);
        if (!kind) {
            return io.error(kind.error());
        }
        if (!count) {
            return io.error(count.error());
        }
        if (!seed) {
            return io.error(seed.error());
        }
        auto ids = session::generateDemo(*kind, *count, QDateTime::currentMSecsSinceEpoch(), quint64(*seed));
        if (!ids) {
            return io.error(ids.error());
        }
        QByteArray out;
        for (const QByteArray& id : *ids) {
            out += id + '\n';
        }
        io.printBytes(out);
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeSessionCommand()
{
    return std::make_unique<SessionCommand>();
}

} // namespace tb::cli
