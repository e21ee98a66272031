#pragma once

#include <QObject>

// One suite for core/session, three test classes: the randomness analyser, the cookie analyser, the stores.
int runAnalysisTests(int argc, char** argv);
int runCookieTests(int argc, char** argv);
int runStoreTests(int argc, char** argv);
