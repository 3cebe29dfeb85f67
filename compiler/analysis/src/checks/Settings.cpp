#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkSettings(Context &cx) { (void)cx; }

} // namespace polc::analysis
