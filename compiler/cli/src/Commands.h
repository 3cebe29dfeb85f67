#pragma once
#include "Options.h"

namespace polc::cli {

int runCheck(const CheckOptions &opts);
int runBuild(const CheckOptions &opts);
// polc diff parses its own arguments (DiffCommand.cpp); argv[1] is "diff".
int runDiff(int argc, char **argv);
int runFmt(const FmtOptions &opts);
int runInit(const InitOptions &opts);
int runExplain(const CheckOptions &opts);
int runTest(const CheckOptions &opts);
int runVerify(const CheckOptions &opts);

} // namespace polc::cli
