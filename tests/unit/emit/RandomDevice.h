#pragma once
// Random devices for the backend tests: a few interfaces, and on each path a few disjoint rules
// (accepts and logged drops) over a small address, protocol and port space, so every backend's
// text can be read back and compared with what it was asked to accept. Comments are hostile.
#include "polc/emit/FirewallModel.h"
#include "polc/emit/PlatformData.h"

#include <random>

namespace polc::emit::testing {

// Strings that try to break out of a comment, a quoted string or a line on some platform.
const std::vector<std::string> &hostileStrings();

DeviceRules randomDevice(std::mt19937_64 &rng, const std::string &platform);

// The platform tables from the source tree's stdlib.
const PlatformTables &sourceTables();

} // namespace polc::emit::testing
