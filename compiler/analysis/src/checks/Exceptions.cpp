#include "../Context.h"
#include "Checks.h"

namespace polc::analysis {

void checkExceptions(Context &cx) { (void)cx; }

} // namespace polc::analysis

namespace polc::analysis {

ExceptionStatus evaluateException(const ir::Policy &policy, const ir::Exception &exception,
                                  const AnalysisOptions &options) {
  ExceptionStatus status;
  status.expired = exception.until && *exception.until < options.today;
  status.authorityBound = unmetApproverBound(policy, exception);
  return status;
}

} // namespace polc::analysis
