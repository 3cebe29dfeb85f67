#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkAnomalies(Context &cx) { (void)cx; }

} // namespace polc::analysis
