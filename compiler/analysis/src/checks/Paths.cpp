#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkPaths(Context &cx) { (void)cx; }

} // namespace polc::analysis
