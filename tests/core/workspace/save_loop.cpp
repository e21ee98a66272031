// Test helper for tst_workspace_atomic: saves a large workspace to PATH again and again until it is killed.
// The three generations ROUND*1000000+1..3 are serialised once (serialising is most of a save's time, and a
// kill there proves nothing), then written in turn with the same atomic write saveWorkspaceFile uses, so
// the kills land inside writes. The settings record the generation and the token count, and every token is
// derived from both, so a reader can tell a whole file of one generation from a mix. Prints "saved" after
// the first complete save.
#include <cstdio>

#include <QCoreApplication>

#include "TestWorkspaceData.h"
#include "base/Files.h"
#include "workspace/WorkspaceFile.h"

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3) {
        std::fprintf(stderr, "usage: tb_workspace_save_loop PATH ROUND\n");
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    const qint64 round = QByteArray(argv[2]).toLongLong();
    QList<QByteArray> files;
    for (qint64 n = 1; n <= 3; ++n) {
        files.append(*tb::workspace::serializeWorkspace(tb::test::generationData(round * 1000000 + n), nullptr));
    }
    for (qint64 n = 0;; ++n) {
        const auto saved =
            n == 0 ? tb::workspace::saveWorkspaceFile(path, tb::test::generationData(round * 1000000 + 1), nullptr)
                   : tb::files::writeFileAtomic(path, files[n % 3], 0600);
        if (!saved) {
            std::fprintf(stderr, "%s\n", qPrintable(saved.error().message));
            return 1;
        }
        if (n == 0) {
            std::puts("saved");
            std::fflush(stdout);
        }
    }
}
