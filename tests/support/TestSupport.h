#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace tb::test {

// Folder of ../shared/vectors (TB_VECTORS_DIR, set by CTest).
QString vectorsDir();
// Root of the source tree (TB_SOURCE_DIR).
QString sourceDir();
// Reads and parses a JSON file under vectorsDir(); fails the current test through QFAIL-like abort when absent.
QJsonObject loadVectorFile(const QString& relativePath);
QByteArray readFileBytes(const QString& path);
bool writeFileBytes(const QString& path, const QByteArray& bytes);
QByteArray fromHex(const QString& hex);

struct CliRun
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a subcommand in-process with captured streams; `stdinBytes` feeds standard input.
CliRun runCli(const QStringList& args, const QByteArray& stdinBytes = {}, bool stdinIsTerminal = false);
// Runs the real tokenbench-cli binary (TB_CLI) with a 60 s limit.
CliRun runCliBinary(const QStringList& args, const QByteArray& stdinBytes = {});

} // namespace tb::test
