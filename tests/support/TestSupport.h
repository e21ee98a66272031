#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

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

// ---- helpers the CLI tests share ----

// base64url without padding, and its (lenient) decoding, done by Qt: independent of the core's codec.
QByteArray b64u(const QByteArray& bytes);
QByteArray unb64u(const QByteArray& text);
// b64u(header).b64u(payload).signature, the signature as given.
QByteArray compactToken(const QByteArray& header, const QByteArray& payload, const QByteArray& signature = {});
// The JSON object `bytes` holds; {} when they are not one.
QJsonObject jsonObject(const QByteArray& bytes);
// The JSON object a run printed; {} and a warning showing the output when stdout is not one.
QJsonObject stdoutJson(const CliRun& run);
// The string `member` of each object in the array `array` of `o`, in order.
QStringList stringsOf(const QJsonObject& o, const QString& array, const QString& member);
// The ids of the "findings" array of a lint --json output, in order.
QStringList findingIds(const QByteArray& out);
// `text` up to its first newline.
QByteArray firstLine(const QByteArray& text);
// Writes `bytes` to the file `name` in `dir` (a warning when it cannot) and returns its path.
QString writeFileIn(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes);
// The file's mode bits within `mask`, or -1 when it cannot be stat'ed.
int fileMode(const QString& path, int mask = 07777);
// A usage error (CLI.md): exit 2, one "error: " line on stderr and nothing on stdout.
void expectUsageError(const CliRun& r);
// The same, whatever stdout holds.
void expectUsageErrorLine(const CliRun& r);

} // namespace tb::test
