#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkRefinement(Context &cx) { (void)cx; }

} // namespace polc::analysis
