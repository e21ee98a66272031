#include <atomic>
#include <csignal>

#include <QJsonObject>

#include "Commands.h"

#include "audit/crack/Crack.h"
#include "base/Limits.h"

namespace tb::cli {

namespace {

namespace crack = tb::audit::crack;

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted = true;
}

// Ctrl-C stops the search between chunks, so the printed position resumes it exactly.
class InterruptGuard
{
public:
    InterruptGuard()
    {
        g_interrupted = false;
        m_previous = std::signal(SIGINT, &onInterrupt);
    }
    ~InterruptGuard() { std::signal(SIGINT, m_previous); }
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

private:
    void (*m_previous)(int) = SIG_DFL;
};

bool printable(const QByteArray& bytes)
{
    if (QString::fromUtf8(bytes).toUtf8() != bytes) {
        return false; // not valid UTF-8
    }
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            return false;
        }
    }
    return true;
}

// The secret as text when it is printable UTF-8, else hashcat's $HEX[...] form (secret_hex is always exact).
QString displaySecret(const QByteArray& bytes)
{
    return printable(bytes) ? QString::fromUtf8(bytes)
                            : QStringLiteral("$HEX[%1]").arg(QString::fromLatin1(bytes.toHex()));
}

std::optional<std::uint64_t> parseCount(const QString& text)
{
    bool ok = false;
    const qulonglong v = text.toULongLong(&ok);
    return ok ? std::optional<std::uint64_t>(v) : std::nullopt;
}

class CrackCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("crack"); }
    QString summary() const override
    {
        return QStringLiteral("Search for a weak HMAC secret (wordlist, rules, masks).");
    }
    int run(const QStringList& args, const Io& io) override
    {
        ArgParser parser(name(), summary(),
                         QStringLiteral("crack [TOKEN|-] (--wordlist FILE | --mask MASK | --builtin) [options]"));
        addOptions(parser);
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        auto token = readToken(parser.positional(), io);
        if (!token) {
            return io.error(token.error());
        }
        auto target = crack::targetFromToken(*token);
        if (!target) {
            return io.error(target.error());
        }
        if (parser.isSet(QStringLiteral("export"))) {
            return exportLine(parser.value(QStringLiteral("export")), *target, io);
        }
        return search(parser, *target, io);
    }

private:
    static void addOptions(ArgParser& p)
    {
        p.addPositional(QStringLiteral("token"),
                        QStringLiteral("The HS256/HS384/HS512 token, or - for standard input."));
        p.addValue(QStringLiteral("wordlist"), QStringLiteral("FILE"),
                   QStringLiteral("Candidates, one a line, as raw bytes (only \\n or \\r\\n is stripped)."));
        p.addValue(QStringLiteral("mask"), QStringLiteral("MASK"),
                   QStringLiteral("hashcat-style mask: ?l ?u ?d ?s ?a ?b ?h ?H ?1-?4 ??, other bytes literal."));
        p.addFlag(QStringLiteral("builtin"),
                  QStringLiteral("The built-in list of common JWT secrets, plus words taken from the token."));
        p.addFlag(QStringLiteral("rules"),
                  QStringLiteral("Also try case variants, leetspeak and appended digits/years."));
        p.addFlag(QStringLiteral("base64"), QStringLiteral("Also try what each word decodes to as base64/base64url."));
        p.addFlag(QStringLiteral("token-words"),
                  QStringLiteral("Also try values taken from the token (iss host parts, kid, claim strings)."));
        p.addFlag(QStringLiteral("increment"), QStringLiteral("Masks: try every length from 1 to the mask's length."));
        p.addValue(QStringLiteral("increment-min"), QStringLiteral("N"),
                   QStringLiteral("Masks: shortest length tried."));
        p.addValue(QStringLiteral("increment-max"), QStringLiteral("N"),
                   QStringLiteral("Masks: longest length tried."));
        for (int i = 1; i <= 4; ++i) {
            p.addValue(QStringLiteral("custom-charset%1").arg(i), QStringLiteral("CHARS"),
                       QStringLiteral("Masks: the characters of ?%1 (may use ?l ?u ?d ?s ?a ?b ?h ?H).").arg(i));
        }
        p.addValue(QStringLiteral("threads"), QStringLiteral("N"),
                   QStringLiteral("Worker threads (default: all cores)."));
        p.addValue(QStringLiteral("resume"), QStringLiteral("POSITION"),
                   QStringLiteral("Continue from a position printed by an earlier, stopped run."));
        p.addValue(QStringLiteral("limit"), QStringLiteral("UNITS"),
                   QStringLiteral("Stop after that many words or mask positions (prints the position to resume)."));
        p.addValue(QStringLiteral("kernel"), QStringLiteral("NAME"),
                   QStringLiteral("auto, openssl, scalar, sha-ni, avx2 or avx512 (HS256 only; default auto)."));
        p.addFlag(QStringLiteral("progress"),
                  QStringLiteral("Print progress (rate, keyspace, ETA) on standard error."));
        p.addFlag(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
        p.addValue(QStringLiteral("export"), QStringLiteral("TOOL"),
                   QStringLiteral("Print the line hashcat (-m 16500) or john reads, and exit."));
    }

    static int exportLine(const QString& tool, const crack::Target& target, const Io& io)
    {
        crack::ExportLine line;
        if (tool == QStringLiteral("hashcat")) {
            line = crack::hashcatLine(target);
        } else if (tool == QStringLiteral("john")) {
            line = crack::johnLine(target);
        } else {
            return io.error(QStringLiteral("--export takes hashcat or john, not \"%1\".").arg(tool));
        }
        for (const QString& w : line.warnings) {
            io.warn(w);
        }
        io.printBytes(line.line + '\n');
        return ExitOk;
    }

    static Result<std::unique_ptr<crack::CandidateSource>> buildSource(const ArgParser& p, const crack::Target& t,
                                                                       const Io& io)
    {
        crack::VariantOptions variants;
        variants.rules = p.isSet(QStringLiteral("rules"));
        variants.base64 = p.isSet(QStringLiteral("base64"));
        auto chain = std::make_unique<crack::ChainSource>();
        if (p.isSet(QStringLiteral("wordlist"))) {
            auto list = crack::WordlistSource::open(p.value(QStringLiteral("wordlist")), variants);
            if (!list) {
                return std::unexpected(list.error());
            }
            if ((*list)->units() == 0) {
                io.warn(QStringLiteral("the wordlist %1 is empty.").arg(p.value(QStringLiteral("wordlist"))));
            }
            if ((*list)->overLongLines() > 0) {
                io.warn(QStringLiteral("%1 wordlist line(s) longer than %2 bytes skipped (first: line %3).")
                            .arg((*list)->overLongLines())
                            .arg(limits::maxWordlistLineBytes)
                            .arg((*list)->firstOverLongLine()));
            }
            chain->append(std::move(*list));
        }
        if (p.isSet(QStringLiteral("builtin"))) {
            chain->append(crack::WordlistSource::fromBytes(crack::builtinWordlist().toByteArray(), variants));
        }
        if (p.isSet(QStringLiteral("builtin")) || p.isSet(QStringLiteral("token-words"))) {
            chain->append(std::make_unique<crack::WordsSource>(crack::tokenWords(t.header, t.payload), variants));
        }
        if (p.isSet(QStringLiteral("mask"))) {
            auto mask = buildMask(p);
            if (!mask) {
                return std::unexpected(mask.error());
            }
            chain->append(std::move(*mask));
        }
        return std::unique_ptr<crack::CandidateSource>(std::move(chain));
    }

    static Result<std::unique_ptr<crack::MaskSource>> buildMask(const ArgParser& p)
    {
        crack::MaskOptions options;
        for (int i = 1; i <= 4; ++i) {
            options.customCharsets.append(p.value(QStringLiteral("custom-charset%1").arg(i)).toUtf8());
        }
        const bool increment = p.isSet(QStringLiteral("increment")) || p.isSet(QStringLiteral("increment-min")) ||
                               p.isSet(QStringLiteral("increment-max"));
        if (increment) {
            options.incrementMin = 1;
            for (auto [flag, field] : {std::pair{QStringLiteral("increment-min"), &options.incrementMin},
                                       std::pair{QStringLiteral("increment-max"), &options.incrementMax}}) {
                if (!p.isSet(flag)) {
                    continue;
                }
                bool ok = false;
                *field = p.value(flag).toInt(&ok);
                if (!ok || *field < 1) {
                    return fail(ErrorCode::InvalidArgument,
                                QStringLiteral("--%1 takes a length of at least 1.").arg(flag));
                }
            }
        }
        return crack::MaskSource::create(p.value(QStringLiteral("mask")).toUtf8(), options);
    }

    static Result<crack::SearchOptions> searchOptions(const ArgParser& p)
    {
        crack::SearchOptions o;
        if (p.isSet(QStringLiteral("threads"))) {
            bool ok = false;
            o.threads = p.value(QStringLiteral("threads")).toInt(&ok);
            if (!ok || o.threads < 1 || o.threads > 256) {
                return fail(ErrorCode::InvalidArgument, QStringLiteral("--threads takes a number from 1 to 256."));
            }
        }
        for (auto [flag, field] :
             {std::pair{QStringLiteral("resume"), &o.startUnit}, std::pair{QStringLiteral("limit"), &o.maxUnits}}) {
            if (p.isSet(flag)) {
                const auto v = parseCount(p.value(flag));
                if (!v) {
                    return fail(ErrorCode::InvalidArgument,
                                QStringLiteral("--%1 takes a non-negative integer.").arg(flag));
                }
                *field = *v;
            }
        }
        if (p.isSet(QStringLiteral("kernel")) && !crack::kernelFromName(p.value(QStringLiteral("kernel")), &o.kernel)) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--kernel takes auto, openssl, scalar, sha-ni, avx2 or avx512."));
        }
        return o;
    }

    static int search(const ArgParser& p, const crack::Target& target, const Io& io)
    {
        if (!p.isSet(QStringLiteral("wordlist")) && !p.isSet(QStringLiteral("mask")) &&
            !p.isSet(QStringLiteral("builtin"))) {
            return io.error(QStringLiteral("crack needs candidates: --wordlist FILE, --mask MASK or --builtin."));
        }
        auto options = searchOptions(p);
        if (!options) {
            return io.error(options.error());
        }
        auto source = buildSource(p, target, io);
        if (!source) {
            return io.error(source.error());
        }
        if (options->startUnit > (*source)->units()) {
            return io.error(QStringLiteral("--resume %1 is past the end (%2 units).")
                                .arg(options->startUnit)
                                .arg((*source)->units()));
        }
        crack::ProgressFn progress;
        if (p.isSet(QStringLiteral("progress"))) {
            progress = [&io](const crack::Progress& pr) {
                io.err->write(QStringLiteral("progress: %1 candidates, %2/s, position %3/%4, keyspace %5, ETA %6\n")
                                  .arg(pr.candidates)
                                  .arg(qint64(pr.rate))
                                  .arg(pr.position)
                                  .arg(pr.units)
                                  .arg(pr.keyspace, 0, 'g', 4)
                                  .arg(pr.etaSeconds < 0 ? QStringLiteral("?")
                                                         : QStringLiteral("%1 s").arg(qint64(pr.etaSeconds)))
                                  .toUtf8());
            };
        }
        const InterruptGuard guard;
        auto result = crack::search(target, **source, *options, progress, &g_interrupted);
        if (!result) {
            return io.error(result.error());
        }
        return report(p.isSet(QStringLiteral("json")), *result, target, io);
    }

    static int report(bool json, const crack::SearchResult& r, const crack::Target& target, const Io& io)
    {
        const bool stopped = !r.found && r.position < r.units;
        if (stopped) {
            io.warn(
                QStringLiteral("stopped at position %1 of %2; continue with --resume %1").arg(r.position).arg(r.units));
        }
        if (json) {
            QJsonObject o{{QStringLiteral("found"), r.found},
                          {QStringLiteral("candidates"), double(r.candidates)},
                          {QStringLiteral("seconds"), r.seconds},
                          {QStringLiteral("alg"), crack::hmacAlgName(target.alg)},
                          {QStringLiteral("kernel"), crack::kernelName(r.kernel)},
                          {QStringLiteral("threads"), r.threads},
                          {QStringLiteral("position"), double(r.position)},
                          {QStringLiteral("units"), double(r.units)},
                          {QStringLiteral("stopped"), stopped}};
            if (r.found) {
                const QByteArray secret = r.secret.reveal();
                o.insert(QStringLiteral("secret"), displaySecret(secret));
                o.insert(QStringLiteral("secret_hex"), QString::fromLatin1(secret.toHex()));
            }
            io.printBytes(jsonLine(o));
        } else if (r.found) {
            io.print(displaySecret(r.secret.reveal()) + QLatin1Char('\n'));
        } else {
            io.print(QStringLiteral("not found (%1 candidates in %2 s)\n").arg(r.candidates).arg(r.seconds, 0, 'f', 2));
        }
        return r.found ? ExitOk : ExitNegative;
    }
};

} // namespace

std::unique_ptr<Command> makeCrackCommand()
{
    return std::make_unique<CrackCommand>();
}

} // namespace tb::cli
