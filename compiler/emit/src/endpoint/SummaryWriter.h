#pragma once
// The readable summary of a profile (endpoint/PROFILE.md): each set value with the platform key
// it becomes and the value written, its clause, source line and layer; what is done by hand;
// the tables' caveats; and the settings the profile leaves alone. Policy text is escaped.
#include "endpoint/Resolve.h"

#include "polc/emit/Output.h"

namespace polc::emit::endpoint {

// `configFile` is the name of the file the summary describes ("mynumber_pc.inf").
OutputFile writeSummary(const ResolvedProfile &profile, const std::string &configFile);

} // namespace polc::emit::endpoint
