#pragma once

#include <memory>
#include <vector>

#include <QByteArray>
#include <QCommandLineParser>
#include <QIODevice>
#include <QString>
#include <QStringList>

#include "base/Error.h"

namespace tb::cli {

// Exit codes of the CLI contract.
enum Exit : int
{
    ExitOk = 0,
    ExitNegative = 1, // a well-formed negative answer
    ExitBadInput = 2, // bad input or usage
};

// The streams a subcommand uses; tests pass QBuffers.
struct Io
{
    QIODevice* in = nullptr;
    QIODevice* out = nullptr;
    QIODevice* err = nullptr;
    bool stdinIsTerminal = false;

    void print(const QString& text) const;          // UTF-8 to out
    void printBytes(const QByteArray& bytes) const; // raw bytes to out
    void warn(const QString& text) const;           // "warning: ..." line on err
    int error(const QString& text) const;           // "error: ..." line on err; returns ExitBadInput
    int error(const Error& e) const;
};

// One option or positional argument as an ArgParser defines it: --help, the man page and the
// shell completions are all made from these.
struct OptionSpec
{
    QString name;
    QString valueName; // empty for a flag and for a positional
    QString help;
    QString defaultValue;
};

// What one ArgParser defines: a subcommand ("decode") or one action of it ("cookie lint").
struct CommandSpec
{
    QString command;
    QString description;
    QString usage;
    QList<OptionSpec> options;
    QList<OptionSpec> positionals;
};

class Command
{
public:
    virtual ~Command() = default;
    [[nodiscard]] virtual QString name() const = 0;
    [[nodiscard]] virtual QString summary() const = 0;
    // Actions that take their own options ("cookie lint"), so docs can ask each for its parser.
    [[nodiscard]] virtual QStringList actions() const { return {}; }
    // `args` excludes the program and subcommand names.
    virtual int run(const QStringList& args, const Io& io) = 0;
};

std::vector<std::unique_ptr<Command>> allCommands();
// The parser of every subcommand and action, in --help order, collected by asking each for its
// --help (so the docs see exactly what --help prints).
std::vector<CommandSpec> describeCommands();
// Runs `tokenbench-cli <args...>` (args[0] is the subcommand).
int dispatch(const QStringList& args, const Io& io);

// A QCommandLineParser configured the same way for every subcommand, with --help.
class ArgParser
{
public:
    ArgParser(const QString& command, const QString& description, const QString& usage);
    void addFlag(const QString& name, const QString& help);
    void addValue(const QString& name, const QString& valueName, const QString& help, const QString& defaultValue = {});
    void addPositional(const QString& name, const QString& help);
    // Returns an exit code when the command should stop (help shown, or a usage error), else nothing.
    std::optional<int> parse(const QStringList& args, const Io& io);

    [[nodiscard]] bool isSet(const QString& name) const { return m_parser.isSet(name); }
    [[nodiscard]] QString value(const QString& name) const { return m_parser.value(name); }
    [[nodiscard]] QStringList values(const QString& name) const { return m_parser.values(name); }
    [[nodiscard]] QStringList positional() const { return m_parser.positionalArguments(); }
    [[nodiscard]] QString helpText() const;
    [[nodiscard]] const CommandSpec& spec() const { return m_spec; }

private:
    QCommandLineParser m_parser;
    CommandSpec m_spec;
};

// Reads a token from the first positional argument, or stdin when it is "-" or absent.
// Trims ASCII whitespace, enforces the token size limit, refuses to wait on a terminal.
Result<QByteArray> readToken(const QStringList& positional, const Io& io);
// A token read from a file or stream, with the whitespace around it dropped as it was read.
struct TokenText
{
    QByteArray token;
    qsizetype offset = 0; // bytes of whitespace before the token
    qsizetype total = 0;  // bytes read, whitespace included
};
// Reads a token from a file (or stdin for "-"). Whitespace around it is trimmed while reading, so any amount
// of it is allowed: only the token itself counts toward the 4 MiB limit.
Result<TokenText> readTokenFile(const QString& path, const Io& io);
// Reads a whole file (or stdin for "-"), failing past `maxBytes` with the limit in the sentence.
Result<QByteArray> readFile(const QString& path, qsizetype maxBytes, const Io& io);
// An argument that is inline JSON/text, or @FILE.
Result<QByteArray> readInlineOrFile(const QString& value, qsizetype maxBytes, const Io& io);
// Compact JSON text of a QJsonObject/QJsonValue, one line, with a final newline.
QByteArray jsonLine(const class QJsonObject& object);
// The same, with the members named in `order` first and in that order, in this object and every nested one
// (QJsonObject sorts its keys; CLI.md lists them in reading order). Other members follow, sorted.
QByteArray jsonLine(const class QJsonObject& object, const QStringList& order);
// The contract's member order of a lint finding (lint and cookie lint): id, severity, message, reference.
const QStringList& findingOrder();

} // namespace tb::cli
