#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkCoverage(Context &cx) { (void)cx; }

} // namespace polc::analysis
