#pragma once

// The man page and the bash/zsh completions of tokenbench-cli. All three are made from
// describeCommands(), the same ArgParser definitions that --help prints, so they cannot drift.

#include <optional>
#include <vector>

#include <QList>
#include <QString>
#include <QStringList>

#include "Command.h"

namespace tb::cli::docs {

struct ExitCodeDoc
{
    int code = 0;
    QString brief;  // as the overview's "Exit codes:" line says it
    QString detail; // as the man page says it
};

// "The command-line front of tokenbench, a workbench for authentication tokens."
QString tagline();
QList<ExitCodeDoc> exitCodes();
// "Exit codes: 0 success, 1 a negative answer, 2 bad input or usage."
QString exitCodesLine();

QString manPage(const std::vector<CommandSpec>& specs, const QString& version);
QString bashCompletion(const std::vector<CommandSpec>& specs);
QString zshCompletion(const std::vector<CommandSpec>& specs);

// The hidden `--man` and `--completions bash|zsh` flags (used at build time); nothing for other args.
std::optional<int> runHiddenFlag(const QStringList& args, const Io& io);

} // namespace tb::cli::docs
