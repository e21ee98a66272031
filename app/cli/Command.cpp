#include "Command.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
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
        QString text = m_parser.errorText(); // Qt's sentence ends in '.': the pointer to --help goes before it
        if (text.endsWith(u'.')) {
            text.chop(1);
        }
        io.error(QStringLiteral("%1 (see 'tokenbench-cli %2 --help').").arg(text, m_spec.command));
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

// Why a read failed (standard input is a directory, say) rather than reached the end; nothing when it did not.
std::optional<QString> readFailure(const QIODevice& device)
{
    const auto* file = qobject_cast<const QFileDevice*>(&device);
    if (file == nullptr || file->error() == QFileDevice::NoError) {
        return std::nullopt;
    }
    return file->errorString();
}

// The next chunk of `device`, waiting for a pipe; empty at the end.
QByteArray nextChunk(QIODevice& device)
{
    while (true) {
        QByteArray chunk = device.read(1 << 16);
        if (!chunk.isEmpty() || device.atEnd() || !device.waitForReadyRead(-1)) {
            return chunk;
        }
    }
}

Result<QByteArray> readLimited(QIODevice& device, qsizetype maxBytes, const QString& what)
{
    QByteArray data;
    for (QByteArray chunk = nextChunk(device); !chunk.isEmpty(); chunk = nextChunk(device)) {
        data += chunk;
        if (data.size() > maxBytes) {
            return fail(ErrorCode::TooLarge,
                        QStringLiteral("%1 is larger than the limit of %2 bytes.").arg(what).arg(maxBytes));
        }
    }
    if (auto failure = readFailure(device)) {
        return fail(ErrorCode::IoError, QStringLiteral("%1 cannot be read: %2.").arg(what, *failure));
    }
    return data;
}

Error tokenTooLarge()
{
    return Error{ErrorCode::TooLarge,
                 QStringLiteral("The token is larger than the 4 MiB limit (%1 bytes).").arg(limits::maxTokenBytes),
                 {}};
}

constexpr qsizetype maxTokenInputBytes = 16 * qsizetype(limits::maxTokenBytes);

// Streams `device`, keeping the token and dropping the whitespace around it, so that a token at the limit may
// come with any amount of it (a file of blank lines after the token, say).
Result<TokenText> readTrimmedToken(QIODevice& device, const QString& what)
{
    const auto limit = qsizetype(limits::maxTokenBytes);
    TokenText text;
    QByteArray pending;       // whitespace after the last token byte; kept, since more token bytes may follow
    bool pendingOver = false; // pending alone already puts the token past the limit if anything follows
    for (QByteArray chunk = nextChunk(device); !chunk.isEmpty(); chunk = nextChunk(device)) {
        text.total += chunk.size();
        // Any amount of whitespace is allowed, but not an endless stream of it (`yes ' ' | tokenbench-cli ...`).
        if (text.total > maxTokenInputBytes) {
            return fail(ErrorCode::TooLarge,
                        QStringLiteral("The input is larger than %1 bytes, even with the whitespace around the token.")
                            .arg(maxTokenInputBytes));
        }
        qsizetype begin = 0;
        if (text.token.isEmpty()) {
            while (begin < chunk.size() && bytes::isTrimSpace(chunk[begin])) {
                ++begin;
            }
            text.offset += begin;
        }
        qsizetype end = chunk.size();
        while (end > begin && bytes::isTrimSpace(chunk[end - 1])) {
            --end;
        }
        if (end > begin) {
            if (pendingOver || text.token.size() + pending.size() + (end - begin) > limit) {
                return std::unexpected(tokenTooLarge());
            }
            text.token += pending;
            text.token += QByteArrayView(chunk).sliced(begin, end - begin);
            pending.clear();
        }
        if (!text.token.isEmpty() && !pendingOver) {
            pending += QByteArrayView(chunk).sliced(end);
            if (text.token.size() + pending.size() > limit) {
                pendingOver = true;
                pending.clear();
            }
        }
    }
    if (auto failure = readFailure(device)) {
        return fail(ErrorCode::IoError, QStringLiteral("Cannot read %1: %2.").arg(what, *failure));
    }
    return text;
}

} // namespace

Result<QByteArray> readToken(const QStringList& positional, const Io& io)
{
    QByteArray token;
    if (positional.isEmpty() || positional.first() == QStringLiteral("-")) {
        if (positional.isEmpty() && io.stdinIsTerminal) {
            return fail(ErrorCode::InvalidArgument,
                        QStringLiteral("no token given (pass it as an argument, or on standard input with '-')."));
        }
        auto text = readTrimmedToken(*io.in, QStringLiteral("standard input"));
        if (!text) {
            return std::unexpected(text.error());
        }
        token = std::move(text->token);
    } else {
        token = bytes::trimmed(positional.first().toUtf8()).toByteArray();
    }
    if (token.size() > qsizetype(limits::maxTokenBytes)) {
        return std::unexpected(tokenTooLarge());
    }
    if (token.isEmpty()) {
        return fail(ErrorCode::MalformedToken, QStringLiteral("The token is empty."));
    }
    return token;
}

Result<TokenText> readTokenFile(const QString& path, const Io& io)
{
    if (path == QStringLiteral("-")) {
        return readTrimmedToken(*io.in, QStringLiteral("standard input"));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return fail(ErrorCode::IoError, QStringLiteral("Cannot read %1: %2.").arg(path, file.errorString()));
    }
    return readTrimmedToken(file, path);
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

namespace {

// A scalar (or a key) written by Qt, so numbers and escapes read exactly as in the unordered form.
QByteArray scalarJson(const QJsonValue& value)
{
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

void writeOrdered(QByteArray& out, const QJsonValue& value, const QStringList& order)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        out += '[';
        for (qsizetype i = 0; i < array.size(); ++i) {
            out += i ? "," : "";
            writeOrdered(out, array.at(i), order);
        }
        out += ']';
        return;
    }
    if (!value.isObject()) {
        out += scalarJson(value);
        return;
    }
    const QJsonObject object = value.toObject();
    QStringList keys;
    for (const QString& key : order) {
        if (object.contains(key) && !keys.contains(key)) {
            keys << key;
        }
    }
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!order.contains(it.key())) {
            keys << it.key();
        }
    }
    out += '{';
    for (qsizetype i = 0; i < keys.size(); ++i) {
        out += (i ? "," : "") + scalarJson(keys[i]) + ':';
        writeOrdered(out, object.value(keys[i]), order);
    }
    out += '}';
}

} // namespace

const QStringList& findingOrder()
{
    static const QStringList order = {QStringLiteral("findings"), QStringLiteral("id"), QStringLiteral("severity"),
                                      QStringLiteral("message"), QStringLiteral("reference")};
    return order;
}

QByteArray jsonLine(const QJsonObject& object, const QStringList& order)
{
    QByteArray out;
    writeOrdered(out, object, order);
    return out + '\n';
}

} // namespace tb::cli
