#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkRequiredFlows(Context &cx) { (void)cx; }

} // namespace polc::analysis
