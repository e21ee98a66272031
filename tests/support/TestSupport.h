#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>

namespace tb::test {

// The child widget or object named `name` (objectName); a missing one ends the test run with its name, since
// every later line would dereference it.
template <typename T>
T* child(const QObject* parent, const char* name)
{
    T* found = parent->findChild<T*>(QLatin1String(name));
    if (found == nullptr) {
        qFatal("no child %s", name);
    }
    return found;
}

template <typename T>
T* child(const QObject& parent, const char* name)
{
    return child<T>(&parent, name);
}

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
