#include <cstdio>

#include <unistd.h>

#include <QCoreApplication>
#include <QFile>

#include "Command.h"

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("tokenbench-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TB_VERSION));

    QFile in;
    QFile out;
    QFile err;
    if (!in.open(stdin, QIODevice::ReadOnly) || !out.open(stdout, QIODevice::WriteOnly) ||
        !err.open(stderr, QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        std::fputs("error: cannot open the standard streams\n", stderr);
        return 2;
    }
    tb::cli::Io io{&in, &out, &err, isatty(STDIN_FILENO) == 1};
    const int code = tb::cli::dispatch(QCoreApplication::arguments().mid(1), io);
    // A result that could not be written (full disk, closed pipe end) is not a success.
    if (!out.flush() || out.error() != QFileDevice::NoError) {
        err.write(QStringLiteral("error: cannot write to standard output: %1.\n").arg(out.errorString()).toUtf8());
        return tb::cli::ExitBadInput;
    }
    return code;
}
