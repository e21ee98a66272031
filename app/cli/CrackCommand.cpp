#include <atomic>
#include <csignal>

#include <QFileInfo>
#include <QJsonObject>

#include "Commands.h"

#include "audit/crack/Crack.h"
#include "audit/crack/Session.h"
#include "base/Limits.h"

namespace tb::cli {

namespace {

namespace crack = tb::audit::crack;

std::atomic<bool> g_interrupted{false};

// Standard input is read whole for --wordlist -: past this, a file (read through a map) is the better way.
constexpr qsizetype maxStdinWordlistBytes = qsizetype(1) << 30;

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
        if (parser.positional().size() > 1) {
            return io.error(QStringLiteral("crack takes one token (see 'tokenbench-cli crack --help')."));
        }
        const bool tokenFromStdin = parser.positional().isEmpty() || parser.positional().first() == QStringLiteral("-");
        if (parser.value(QStringLiteral("wordlist")) == QStringLiteral("-") && tokenFromStdin) {
            return io.error(QStringLiteral("--wordlist - reads the words from standard input, so give the token as an "
                                           "argument."));
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
                   QStringLiteral("Candidates, one a line, as raw bytes (only \\n or \\r\\n is stripped); - reads "
                                  "standard input."));
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
        p.addValue(QStringLiteral("resume"), QStringLiteral("POSITION|FILE"),
                   QStringLiteral("Continue from a position printed by an earlier, stopped run, or from a session "
                                  "file written by --save-progress (which then keeps being updated)."));
        p.addValue(QStringLiteral("save-progress"), QStringLiteral("FILE"),
                   QStringLiteral("Keep the search's position in FILE (every progress interval and at the end), for "
                                  "--resume FILE."));
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

    // The wordlist file, or standard input for "-" (read whole, up to maxStdinWordlistBytes).
    static Result<std::unique_ptr<crack::WordlistSource>>
    openWordlist(const QString& path, const crack::VariantOptions& variants, const Io& io, QString* description)
    {
        if (path != QStringLiteral("-")) {
            *description = QStringLiteral("wordlist:%1:%2 bytes").arg(path).arg(QFileInfo(path).size());
            return crack::WordlistSource::open(path, variants);
        }
        auto bytes = readFile(path, maxStdinWordlistBytes, io);
        if (!bytes) {
            return std::unexpected(Error{bytes.error().code,
                                         bytes.error().message + QStringLiteral(" Give a larger list as a file."),
                                         bytes.error().detail});
        }
        *description = QStringLiteral("wordlist:-:%1 bytes").arg(bytes->size());
        return crack::WordlistSource::fromBytes(std::move(*bytes), variants);
    }

    // `description` names every option that shapes the unit space: a session resumes only the same search.
    static Result<std::unique_ptr<crack::CandidateSource>> buildSource(const ArgParser& p, const crack::Target& t,
                                                                       const Io& io, QString* description)
    {
        crack::VariantOptions variants;
        variants.rules = p.isSet(QStringLiteral("rules"));
        variants.base64 = p.isSet(QStringLiteral("base64"));
        QStringList parts;
        auto chain = std::make_unique<crack::ChainSource>();
        if (p.isSet(QStringLiteral("wordlist"))) {
            QString listDescription;
            auto list = openWordlist(p.value(QStringLiteral("wordlist")), variants, io, &listDescription);
            if (!list) {
                return std::unexpected(list.error());
            }
            parts << listDescription;
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
        for (const char* flag : {"builtin", "token-words", "rules", "base64", "increment"}) {
            if (p.isSet(QString::fromLatin1(flag))) {
                parts << QString::fromLatin1(flag);
            }
        }
        for (const char* option : {"mask", "increment-min", "increment-max", "custom-charset1", "custom-charset2",
                                   "custom-charset3", "custom-charset4"}) {
            if (p.isSet(QString::fromLatin1(option))) {
                parts << QStringLiteral("%1:%2").arg(QString::fromLatin1(option), p.value(QString::fromLatin1(option)));
            }
        }
        *description = parts.join(QLatin1Char(';'));
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
        if (p.isSet(QStringLiteral("limit"))) {
            const auto v = parseCount(p.value(QStringLiteral("limit")));
            if (!v) {
                return fail(ErrorCode::InvalidArgument, QStringLiteral("--limit takes a non-negative integer."));
            }
            o.maxUnits = *v;
        }
        if (p.isSet(QStringLiteral("kernel")) && !crack::kernelFromName(p.value(QStringLiteral("kernel")), &o.kernel)) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("--kernel takes auto, openssl, scalar, sha-ni, avx2 or avx512."));
        }
        return o;
    }

    // --resume VALUE: a session file (whose search must match `current`), else a position.
    static Result<std::uint64_t> resumeFrom(const QString& value, const crack::CrackSession& current,
                                            std::uint64_t* priorCandidates, QString* savePath)
    {
        if (!QFileInfo(value).isFile()) {
            const auto v = parseCount(value);
            if (!v) {
                return fail(
                    ErrorCode::InvalidArgument,
                    QStringLiteral("--resume takes a position or a session file; \"%1\" is neither.").arg(value));
            }
            return *v;
        }
        auto saved = crack::loadSession(value);
        if (!saved) {
            return std::unexpected(saved.error());
        }
        auto position = crack::resumePosition(*saved, current);
        if (!position) {
            return std::unexpected(position.error());
        }
        *priorCandidates = saved->candidates;
        if (savePath->isEmpty()) {
            *savePath = value; // the session goes on in the file it came from
        }
        return position;
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
        crack::CrackSession session;
        auto source = buildSource(p, target, io, &session.source);
        if (!source) {
            return io.error(source.error());
        }
        session.tokenDigest = crack::sessionTokenDigest(target);
        session.units = (*source)->units();
        std::uint64_t prior = 0;
        QString savePath = p.value(QStringLiteral("save-progress"));
        if (p.isSet(QStringLiteral("resume"))) {
            auto start = resumeFrom(p.value(QStringLiteral("resume")), session, &prior, &savePath);
            if (!start) {
                return io.error(start.error());
            }
            options->startUnit = *start;
        }
        if (options->startUnit > (*source)->units()) {
            return io.error(QStringLiteral("--resume %1 is past the end (%2 units).")
                                .arg(options->startUnit)
                                .arg((*source)->units()));
        }
        const bool print = p.isSet(QStringLiteral("progress"));
        bool saveFailed = false;
        crack::ProgressFn progress;
        if (print || !savePath.isEmpty()) {
            progress = [&](const crack::Progress& pr) {
                if (print) {
                    printProgress(pr, io);
                }
                if (!savePath.isEmpty() && !saveFailed) {
                    session.position = pr.resumeUnit;
                    session.candidates = prior + pr.candidates;
                    if (auto saved = crack::saveSession(savePath, session); !saved) {
                        io.warn(saved.error().message);
                        saveFailed = true;
                    }
                }
            };
        }
        const InterruptGuard guard;
        auto result = crack::search(target, **source, *options, progress, &g_interrupted);
        if (!result) {
            return io.error(result.error());
        }
        if (!savePath.isEmpty()) {
            session.position = result->position;
            session.candidates = prior + result->candidates;
            session.found = result->found;
            session.finished = result->found || result->position >= result->units;
            if (auto saved = crack::saveSession(savePath, session); !saved) {
                io.warn(saved.error().message);
            }
        }
        return report(p.isSet(QStringLiteral("json")), *result, target, savePath, io);
    }

    static void printProgress(const crack::Progress& pr, const Io& io)
    {
        io.err->write(
            QStringLiteral("progress: %1 candidates, %2/s, position %3/%4, keyspace %5, ETA %6\n")
                .arg(pr.candidates)
                .arg(qint64(pr.rate))
                .arg(pr.position)
                .arg(pr.units)
                .arg(pr.keyspace, 0, 'g', 4)
                .arg(pr.etaSeconds < 0 ? QStringLiteral("?") : QStringLiteral("%1 s").arg(qint64(pr.etaSeconds)))
                .toUtf8());
    }

    static int report(bool json, const crack::SearchResult& r, const crack::Target& target, const QString& session,
                      const Io& io)
    {
        const bool stopped = !r.found && r.position < r.units;
        if (stopped) {
            io.warn(QStringLiteral("stopped at position %1 of %2; continue with --resume %3")
                        .arg(r.position)
                        .arg(r.units)
                        .arg(session.isEmpty() ? QString::number(r.position) : session));
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
            static const QStringList order = {QStringLiteral("found"), QStringLiteral("secret"),
                                              QStringLiteral("secret_hex"), QStringLiteral("candidates"),
                                              QStringLiteral("seconds")};
            io.printBytes(jsonLine(o, order));
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
