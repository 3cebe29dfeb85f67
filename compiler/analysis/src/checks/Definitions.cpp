#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkDefinitions(Context &cx) { (void)cx; }

} // namespace polc::analysis
