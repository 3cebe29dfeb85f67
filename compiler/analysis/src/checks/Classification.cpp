#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkClassification(Context &cx) { (void)cx; }

} // namespace polc::analysis
