#pragma once

#include <QObject>

// One suite for core/session, four test classes: the randomness analyser, the cookie analyser, the stores, the
// Public Suffix List.
int runAnalysisTests(int argc, char** argv);
int runCookieTests(int argc, char** argv);
int runStoreTests(int argc, char** argv);
int runPublicSuffixTests(int argc, char** argv);
