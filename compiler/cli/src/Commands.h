#pragma once
#include "Options.h"

namespace polc::cli {

int runCheck(const CheckOptions &opts);
int runBuild(const CheckOptions &opts);
int runFmt(const FmtOptions &opts);
int runInit(const InitOptions &opts);

} // namespace polc::cli
