#pragma once
#include "Options.h"

namespace polc::cli {

int runCheck(const CheckOptions &opts);

} // namespace polc::cli
