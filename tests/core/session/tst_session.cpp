#include <QCoreApplication>

#include "tst_session.h"

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int failures = 0;
    failures += runAnalysisTests(argc, argv);
    failures += runCookieTests(argc, argv);
    failures += runStoreTests(argc, argv);
    failures += runPublicSuffixTests(argc, argv);
    return failures == 0 ? 0 : 1;
}
