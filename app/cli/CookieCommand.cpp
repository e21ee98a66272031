#include "Commands.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

#include "session/Cookie.h"
#include "session/CookieFlow.h"
#include "session/CookieLint.h"

namespace tb::cli {

namespace {

QJsonObject findingJson(const session::CookieFinding& f)
{
    QJsonObject o{{QStringLiteral("id"), f.id},
                  {QStringLiteral("severity"), session::severityName(f.severity)},
                  {QStringLiteral("message"), f.message},
                  {QStringLiteral("reference"), f.reference}};
    if (!f.cookie.isEmpty()) {
        o.insert(QStringLiteral("cookie"), QString::fromUtf8(f.cookie));
    }
    if (f.line > 0) {
        o.insert(QStringLiteral("line"), f.line);
    }
    return o;
}

class CookieCommand final : public Command
{
public:
    QString name() const override { return QStringLiteral("cookie"); }
    QString summary() const override { return QStringLiteral("Lint Set-Cookie headers for session-cookie pitfalls."); }
    QStringList actions() const override
    {
        return {QStringLiteral("lint"), QStringLiteral("flow"), QStringLiteral("recommend")};
    }
    int run(const QStringList& args, const Io& io) override
    {
        const QString action = args.isEmpty() ? QString() : args.first();
        if (action == QStringLiteral("lint")) {
            return lint(args.mid(1), io);
        }
        if (action == QStringLiteral("recommend")) {
            return recommend(args.mid(1), io);
        }
        if (action == QStringLiteral("flow")) {
            return flow(args.mid(1), io);
        }
        ArgParser parser(name(), summary(), QStringLiteral("cookie (lint|flow|recommend) [options]"));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        return io.error(action.isEmpty()
                            ? QStringLiteral("cookie needs an action: lint, flow or recommend.")
                            : QStringLiteral("unknown cookie action '%1' (use lint, flow or recommend).").arg(action));
    }

private:
    static int lint(const QStringList& args, const Io& io)
    {
        ArgParser parser(QStringLiteral("cookie lint"),
                         QStringLiteral("Check Set-Cookie (and Cookie) headers against RFC 6265bis, OWASP and ASVS."),
                         QStringLiteral("cookie lint [HEADER|-] [--url URL] [--session-cookie NAME] [--json] "
                                        "[--fail-on critical|high|medium|low|info] [--now EPOCH]"));
        parser.addPositional(QStringLiteral("header"),
                             QStringLiteral("One or more 'Set-Cookie:' lines, or - (default) for standard input."));
        parser.addValue(QStringLiteral("url"), QStringLiteral("URL"),
                        QStringLiteral("The URL of the response (origin and Domain checks)."));
        parser.addValue(QStringLiteral("session-cookie"), QStringLiteral("NAME"),
                        QStringLiteral("The session cookie's name (repeatable); default: guessed from the names."));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print {\"findings\": [...]}."));
        parser.addValue(QStringLiteral("fail-on"), QStringLiteral("LEVEL"),
                        QStringLiteral("Exit 1 when a finding at or above LEVEL exists."));
        parser.addValue(QStringLiteral("now"), QStringLiteral("EPOCH"),
                        QStringLiteral("Current time for Expires checks (default: the clock)."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        std::optional<session::Severity> failOn;
        if (parser.isSet(QStringLiteral("fail-on"))) {
            failOn = session::severityFromName(parser.value(QStringLiteral("fail-on")));
            if (!failOn) {
                return io.error(
                    QStringLiteral("unknown --fail-on level '%1' (use critical, high, medium, low or info).")
                        .arg(parser.value(QStringLiteral("fail-on"))));
            }
        }
        session::CookieLintOptions options;
        options.now = QDateTime::currentSecsSinceEpoch();
        if (parser.isSet(QStringLiteral("now"))) {
            bool ok = false;
            options.now = parser.value(QStringLiteral("now")).toLongLong(&ok);
            if (!ok) {
                return io.error(QStringLiteral("--now needs an epoch in seconds."));
            }
        }
        if (parser.isSet(QStringLiteral("url"))) {
            options.url = QUrl(parser.value(QStringLiteral("url")), QUrl::StrictMode);
            if (!options.url.isValid() || options.url.host().isEmpty() ||
                (options.url.scheme() != QStringLiteral("http") && options.url.scheme() != QStringLiteral("https"))) {
                return io.error(QStringLiteral("--url needs an absolute http or https URL (got '%1').")
                                    .arg(parser.value(QStringLiteral("url"))));
            }
        }
        for (const QString& n : parser.values(QStringLiteral("session-cookie"))) {
            if (n.isEmpty()) {
                return io.error(QStringLiteral("--session-cookie needs a cookie name."));
            }
            options.sessionCookies << n.toUtf8();
        }
        if (parser.positional().size() > 1) {
            return io.error(
                QStringLiteral("cookie lint takes one argument; pass several headers on standard input, one a line."));
        }
        auto text = readToken(parser.positional(), io);
        if (!text) {
            if (text.error().code == ErrorCode::InvalidArgument) {
                return io.error(
                    QStringLiteral("no header given (pass it as an argument, or on standard input with '-')."));
            }
            return io.error(text.error().code == ErrorCode::MalformedToken ? QStringLiteral("the header is empty.")
                                                                           : text.error().message);
        }
        auto input = session::parseCookieInput(*text);
        if (!input) {
            return io.error(input.error());
        }
        return report(session::lintCookies(*input, options), parser.isSet(QStringLiteral("json")), failOn, io);
    }

    static int report(const std::vector<session::CookieFinding>& findings, bool json,
                      std::optional<session::Severity> failOn, const Io& io)
    {
        if (json) {
            QJsonArray list;
            for (const auto& f : findings) {
                list.append(findingJson(f));
            }
            io.printBytes(jsonLine(QJsonObject{{QStringLiteral("findings"), list}}, findingOrder()));
        } else if (findings.empty()) {
            io.print(QStringLiteral("no findings\n"));
        } else {
            QString out;
            for (const auto& f : findings) {
                out += QStringLiteral("%1 %2: %3 [%4]\n")
                           .arg(f.id, session::severityName(f.severity), f.message, f.reference);
            }
            io.print(out);
        }
        if (failOn) {
            for (const auto& f : findings) {
                if (f.severity >= *failOn) {
                    return ExitNegative;
                }
            }
        }
        return ExitOk;
    }

    static int flow(const QStringList& args, const Io& io)
    {
        ArgParser parser(
            QStringLiteral("cookie flow"),
            QStringLiteral("Check a recorded session flow (JSON) for renewal, logout and timeout faults."),
            QStringLiteral("cookie flow FILE|- [--json] [--fail-on LEVEL] [--idle SECONDS] [--absolute SECONDS]"));
        parser.addPositional(QStringLiteral("file"),
                             QStringLiteral("The recorded flow as JSON, or - for standard input."));
        parser.addFlag(QStringLiteral("json"), QStringLiteral("Print {\"findings\": [...]}."));
        parser.addValue(QStringLiteral("fail-on"), QStringLiteral("LEVEL"),
                        QStringLiteral("Exit 1 when a finding at or above LEVEL exists."));
        parser.addValue(QStringLiteral("idle"), QStringLiteral("SECONDS"),
                        QStringLiteral("Idle limit (default 1800)."));
        parser.addValue(QStringLiteral("absolute"), QStringLiteral("SECONDS"),
                        QStringLiteral("Absolute limit (default 43200)."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        std::optional<session::Severity> failOn;
        if (parser.isSet(QStringLiteral("fail-on"))) {
            failOn = session::severityFromName(parser.value(QStringLiteral("fail-on")));
            if (!failOn) {
                return io.error(
                    QStringLiteral("unknown --fail-on level '%1' (use critical, high, medium, low or info).")
                        .arg(parser.value(QStringLiteral("fail-on"))));
            }
        }
        session::FlowPolicy policy;
        for (const auto& [option, target] : {std::pair{QStringLiteral("idle"), &policy.idleLimit},
                                             std::pair{QStringLiteral("absolute"), &policy.absoluteLimit}}) {
            if (parser.isSet(option)) {
                bool ok = false;
                *target = parser.value(option).toLongLong(&ok);
                if (!ok || *target <= 0) {
                    return io.error(QStringLiteral("--%1 needs a positive number of seconds.").arg(option));
                }
            }
        }
        if (parser.positional().size() > 1 || (parser.positional().isEmpty() && io.stdinIsTerminal)) {
            return io.error(QStringLiteral("cookie flow needs one file (or '-' for standard input)."));
        }
        auto text = readFile(parser.positional().isEmpty() ? QStringLiteral("-") : parser.positional().first(),
                             qsizetype(4) * 1024 * 1024, io);
        if (!text) {
            return io.error(text.error());
        }
        auto recorded = session::parseFlowJson(*text);
        if (!recorded) {
            return io.error(recorded.error());
        }
        return report(session::lintFlow(recorded->exchanges, recorded->sessionCookie, policy),
                      parser.isSet(QStringLiteral("json")), failOn, io);
    }

    static int recommend(const QStringList& args, const Io& io)
    {
        ArgParser parser(QStringLiteral("cookie recommend"),
                         QStringLiteral("Print a recommended Set-Cookie header for a session ID."),
                         QStringLiteral("cookie recommend [--name NAME] [--value VALUE] [--max-age SECONDS]"));
        parser.addValue(QStringLiteral("name"), QStringLiteral("NAME"),
                        QStringLiteral("Cookie name (a __Host- prefix is added)."));
        parser.addValue(QStringLiteral("value"), QStringLiteral("VALUE"),
                        QStringLiteral("Value (default: a fresh 128-bit ID)."));
        parser.addValue(QStringLiteral("max-age"), QStringLiteral("SECONDS"),
                        QStringLiteral("Make it persistent (session cookies should not be)."));
        if (auto stop = parser.parse(args, io)) {
            return *stop;
        }
        session::RecommendedCookie spec;
        if (parser.isSet(QStringLiteral("name"))) {
            spec.name = parser.value(QStringLiteral("name")).toUtf8();
        }
        spec.value = parser.value(QStringLiteral("value")).toUtf8();
        if (parser.isSet(QStringLiteral("max-age"))) {
            bool ok = false;
            spec.maxAgeSeconds = parser.value(QStringLiteral("max-age")).toLongLong(&ok);
            if (!ok || *spec.maxAgeSeconds < 0) {
                return io.error(QStringLiteral("--max-age needs a whole number of seconds."));
            }
        }
        auto header = session::recommendedSetCookie(spec);
        if (!header) {
            return io.error(header.error());
        }
        io.printBytes(*header + '\n');
        return ExitOk;
    }
};

} // namespace

std::unique_ptr<Command> makeCookieCommand()
{
    return std::make_unique<CookieCommand>();
}

} // namespace tb::cli
