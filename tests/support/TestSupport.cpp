#include "TestSupport.h"

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

} // namespace tb::test
