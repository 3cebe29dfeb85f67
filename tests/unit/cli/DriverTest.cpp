// The driver's last line of defence: an exception escaping a command is a polc bug, reported
// through the diagnostics engine as E0020 (E0021 for out of memory) in every output format,
// with exit status 2, instead of a bare line on stderr that JSON and SARIF consumers never see.
#include "Driver.h"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <stdexcept>

namespace polc::cli {
namespace {

struct Captured {
  int status = 0;
  std::string out, err;
};

Captured runThrowing(OutputFormat format, const std::function<void()> &fail) {
  std::ostringstream out, err;
  std::streambuf *oldOut = std::cout.rdbuf(out.rdbuf()), *oldErr = std::cerr.rdbuf(err.rdbuf());
  CommonOptions opts;
  opts.format = format;
  opts.color = ColorMode::Never;
  Captured c;
  c.status = runGuarded(opts, [&](diag::SourceManager &, diag::DiagnosticsEngine &diags) {
    diags.report(diag::DiagID::UnusedDecl, diag::SourceRange{}, "zone", "found_before"); // kept
    fail();
    return kExitOk;
  });
  std::cout.rdbuf(oldOut);
  std::cerr.rdbuf(oldErr);
  c.out = out.str();
  c.err = err.str();
  return c;
}

void throwLogicError() { throw std::logic_error("a protocol without ports has partial ports"); }

TEST(DriverTest, AnInternalErrorIsATextDiagnostic) {
  const Captured c = runThrowing(OutputFormat::Text, throwLogicError);
  EXPECT_EQ(c.status, kExitUsage);
  EXPECT_EQ(c.out, "");
  EXPECT_NE(c.err.find("[E0020]: internal error: a protocol without ports has partial ports"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("found_before"), std::string::npos) << "what was found first is still shown";
}

TEST(DriverTest, AnInternalErrorIsInTheJsonReport) {
  const Captured c = runThrowing(OutputFormat::Json, throwLogicError);
  EXPECT_EQ(c.status, kExitUsage);
  EXPECT_NE(c.out.find("\"code\": \"E0020\""), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("partial ports"), std::string::npos) << c.out;
}

TEST(DriverTest, AnInternalErrorIsInTheSarifLog) {
  const Captured c = runThrowing(OutputFormat::Sarif, throwLogicError);
  EXPECT_EQ(c.status, kExitUsage);
  EXPECT_NE(c.out.find("\"ruleId\": \"E0020\""), std::string::npos) << c.out;
}

TEST(DriverTest, OutOfMemoryIsE0021) {
  const Captured c = runThrowing(OutputFormat::Json, [] { throw std::bad_alloc(); });
  EXPECT_EQ(c.status, kExitUsage);
  EXPECT_NE(c.out.find("\"code\": \"E0021\""), std::string::npos) << c.out;
}

TEST(DriverTest, ACommandThatReturnsIsUntouched) {
  CommonOptions opts;
  EXPECT_EQ(runGuarded(opts, [](diag::SourceManager &, diag::DiagnosticsEngine &) { return kExitPolicyErrors; }),
            kExitPolicyErrors);
}

} // namespace
} // namespace polc::cli
