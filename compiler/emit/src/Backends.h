#pragma once
// The firewall backends, one class per platform; makeFirewallBackends (Backends.cpp) lists them.
#include "polc/emit/FirewallBackend.h"

#include <memory>

namespace polc::emit {

std::unique_ptr<FirewallBackend> makeNftablesBackend(const FirewallPlatform &platform);
std::unique_ptr<FirewallBackend> makeIptablesBackend(const FirewallPlatform &platform);
std::unique_ptr<FirewallBackend> makeJunosBackend(const FirewallPlatform &platform);

} // namespace polc::emit
