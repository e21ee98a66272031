#include "TestSupport.h"

#include <sys/stat.h>

#include <QBuffer>
#include <QFile>
#include <QProcess>
#include <QTest>

#include "Command.h"

namespace tb::test {

QString vectorsDir()
{
    return qEnvironmentVariable("TB_VECTORS_DIR");
}

QString sourceDir()
{
    return qEnvironmentVariable("TB_SOURCE_DIR");
}

QByteArray readFileBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("cannot read %s", qPrintable(path));
        return {};
    }
    return file.readAll();
}

bool writeFileBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

QJsonObject loadVectorFile(const QString& relativePath)
{
    const QString path = vectorsDir() + u'/' + relativePath;
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(readFileBytes(path), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        qWarning("vector file %s missing or not JSON: %s", qPrintable(path), qPrintable(error.errorString()));
        return {};
    }
    return doc.object();
}

QByteArray fromHex(const QString& hex)
{
    return QByteArray::fromHex(hex.toLatin1());
}

CliRun runCli(const QStringList& args, const QByteArray& stdinBytes, bool stdinIsTerminal)
{
    QByteArray inBytes = stdinBytes;
    QBuffer in(&inBytes);
    QBuffer out;
    QBuffer err;
    in.open(QIODevice::ReadOnly);
    out.open(QIODevice::WriteOnly);
    err.open(QIODevice::WriteOnly);
    const cli::Io io{&in, &out, &err, stdinIsTerminal};
    CliRun run;
    run.code = cli::dispatch(args, io);
    run.out = out.data();
    run.err = err.data();
    return run;
}

CliRun runCliBinary(const QStringList& args, const QByteArray& stdinBytes)
{
    QProcess process;
    process.start(qEnvironmentVariable("TB_CLI"), args);
    CliRun run;
    if (!process.waitForStarted(10000)) {
        run.err = "could not start " + qEnvironmentVariable("TB_CLI").toUtf8();
        return run;
    }
    process.write(stdinBytes);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        run.err = "timed out";
        return run;
    }
    run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

QByteArray b64u(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray unb64u(const QByteArray& text)
{
    return QByteArray::fromBase64(text, QByteArray::Base64UrlEncoding);
}

QByteArray compactToken(const QByteArray& header, const QByteArray& payload, const QByteArray& signature)
{
    return b64u(header) + '.' + b64u(payload) + '.' + signature;
}

QJsonObject jsonObject(const QByteArray& bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

QJsonObject stdoutJson(const CliRun& run)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(run.out, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        qWarning("stdout is not one JSON object (%s):\n%s", qPrintable(error.errorString()),
                 run.out.left(2000).constData());
        return {};
    }
    return doc.object();
}

QStringList stringsOf(const QJsonObject& o, const QString& array, const QString& member)
{
    QStringList list;
    for (const auto v : o.value(array).toArray()) {
        list << v.toObject().value(member).toString();
    }
    return list;
}

QStringList findingIds(const QByteArray& out)
{
    return stringsOf(jsonObject(out), QStringLiteral("findings"), QStringLiteral("id"));
}

QByteArray firstLine(const QByteArray& text)
{
    const qsizetype nl = text.indexOf('\n');
    return nl < 0 ? text : text.left(nl);
}

namespace {

void usageError(const CliRun& r, bool stdoutEmpty)
{
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith("error: "), r.err.constData());
    QCOMPARE(r.err.count('\n'), 1);
    if (stdoutEmpty) {
        QVERIFY(r.out.isEmpty());
    }
}

} // namespace

void expectUsageError(const CliRun& r)
{
    usageError(r, true);
}

void expectUsageErrorLine(const CliRun& r)
{
    usageError(r, false);
}

QString writeFileIn(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    if (!writeFileBytes(path, bytes)) {
        qWarning("cannot write %s", qPrintable(path));
    }
    return path;
}

int fileMode(const QString& path, int mask)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        return -1;
    }
    return int(st.st_mode) & mask;
}

} // namespace tb::test
