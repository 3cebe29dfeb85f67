#pragma once
#include "Options.h"

namespace polc::cli {

int runCheck(const CheckOptions &opts);
int runBuild(const CheckOptions &opts);
int runVerify(const CheckOptions &opts);

} // namespace polc::cli
