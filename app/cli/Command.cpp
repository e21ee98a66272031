#include "Command.h"

#include <QBuffer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include "base/Bytes.h"
#include "base/Limits.h"

namespace tb::cli {

namespace {

// Set while describeCommands() runs: --help then hands the parser's definitions over instead of printing.
thread_local std::vector<CommandSpec>* t_specSink = nullptr;

} // namespace

std::vector<CommandSpec> describeCommands()
{
    std::vector<CommandSpec> specs;
    t_specSink = &specs;
    QBuffer in;
    QBuffer out;
    QBuffer err;
    in.open(QIODevice::ReadOnly);
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    const Io io{&in, &out, &err, false};
    const QString help = QStringLiteral("--help");
    for (const auto& command : allCommands()) {
        command->run({help}, io);
        for (const QString& action : command->actions()) {
            command->run({action, help}, io);
        }
    }
    t_specSink = nullptr;
    return specs;
}

void Io::print(const QString& text) const
{
    out->write(text.toUtf8());
}

void Io::printBytes(const QByteArray& bytes) const
{
    out->write(bytes);
}

void Io::warn(const QString& text) const
{
    err->write(QStringLiteral("warning: %1\n").arg(text).toUtf8());
}

int Io::error(const QString& text) const
{
    err->write(QStringLiteral("error: %1\n").arg(text).toUtf8());
    return ExitBadInput;
}

int Io::error(const Error& e) const
{
    return error(e.detail.isEmpty() ? e.message : QStringLiteral("%1 (%2)").arg(e.message, e.detail));
}

ArgParser::ArgParser(const QString& command, const QString& description, const QString& usage)
    : m_spec{command, description, usage, {}, {}}
{
    m_parser.setApplicationDescription(description);
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addOption(
        QCommandLineOption({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help and exit.")));
}

void ArgParser::addFlag(const QString& name, const QString& help)
{
    m_parser.addOption(QCommandLineOption(name, help));
    m_spec.options.append({name, {}, help, {}});
}

void ArgParser::addValue(const QString& name, const QString& valueName, const QString& help,
                         const QString& defaultValue)
{
    QCommandLineOption option(name, help, valueName);
    if (!defaultValue.isEmpty()) {
        option.setDefaultValue(defaultValue);
    }
    m_parser.addOption(option);
    m_spec.options.append({name, valueName, help, defaultValue});
}

void ArgParser::addPositional(const QString& name, const QString& help)
{
    m_parser.addPositionalArgument(name, help);
    m_spec.positionals.append({name, {}, help, {}});
}

QString ArgParser::helpText() const
{
    QString text = m_parser.helpText();
    // Qt's first line names the executable path; show the contract's usage line instead.
    const qsizetype firstBreak = text.indexOf(u'\n');
    return QStringLiteral("Usage: tokenbench-cli %1\n").arg(m_spec.usage) + text.mid(firstBreak + 1);
}

std::optional<int> ArgParser::parse(const QStringList& args, const Io& io)
{
    if (!m_parser.parse(QStringList{QStringLiteral("tokenbench-cli")} + args)) {
        io.error(QStringLiteral("%1 (see 'tokenbench-cli %2 --help')").arg(m_parser.errorText(), m_spec.command));
        return ExitBadInput;
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        if (t_specSink != nullptr) {
            t_specSink->push_back(m_spec);
        } else {
            io.print(helpText());
        }
        return ExitOk;
    }
    return std::nullopt;
}

namespace {

Result<QByteArray> readLimited(QIODevice& device, qsizetype maxBytes, const QString& what)
{
    QByteArray data;
    while (true) {
        const QByteArray chunk = device.read(1 << 16);
        if (chunk.isEmpty()) {
            if (device.atEnd() || !device.waitForReadyRead(-1)) {
                break;
            }
            continue;
        }
        data += chunk;
        if (data.size() > maxBytes) {
            return fail(ErrorCode::TooLarge,
                        QStringLiteral("%1 is larger than the limit of %2 bytes.").arg(what).arg(maxBytes));
        }
    }
    return data;
}

} // namespace

Result<QByteArray> readToken(const QStringList& positional, const Io& io)
{
    QByteArray raw;
    if (positional.isEmpty() || positional.first() == QStringLiteral("-")) {
        if (positional.isEmpty() && io.stdinIsTerminal) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("no token given (pass it as an argument, or on standard input with '-')."));
        }
        // Whitespace around the token is allowed, so read a little past the limit before judging.
        auto data = readLimited(*io.in, qsizetype(limits::maxTokenBytes) + 4096, QStringLiteral("The input"));
        if (!data) {
            return fail(
                ErrorCode::TooLarge,
                QStringLiteral("The token is larger than the 4 MiB limit (%1 bytes).").arg(limits::maxTokenBytes));
        }
        raw = std::move(*data);
    } else {
        raw = positional.first().toUtf8();
    }
    const QByteArrayView token = bytes::trimmed(raw);
    if (token.size() > qsizetype(limits::maxTokenBytes)) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The token is larger than the 4 MiB limit (%1 bytes).").arg(limits::maxTokenBytes));
    }
    if (token.isEmpty()) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("The token is empty."));
    }
    return token.toByteArray();
}

Result<QByteArray> readFile(const QString& path, qsizetype maxBytes, const Io& io)
{
    if (path == QStringLiteral("-")) {
        return readLimited(*io.in, maxBytes, QStringLiteral("Standard input"));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::IoError, QStringLiteral("Cannot read %1: %2.").arg(path, file.errorString()));
    }
    return readLimited(file, maxBytes, QStringLiteral("The file %1").arg(path));
}

Result<QByteArray> readInlineOrFile(const QString& value, qsizetype maxBytes, const Io& io)
{
    if (value.startsWith(u'@')) {
        return readFile(value.mid(1), maxBytes, io);
    }
    QByteArray bytes = value.toUtf8();
    if (bytes.size() > maxBytes) {
        return fail(ErrorCode::TooLarge,
                    QStringLiteral("The argument is larger than the limit of %1 bytes.").arg(maxBytes));
    }
    return bytes;
}

QByteArray jsonLine(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace tb::cli
