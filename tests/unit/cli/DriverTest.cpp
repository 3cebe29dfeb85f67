// The driver's last line of defence: an exception escaping a command is a polc bug, reported
// through the diagnostics engine as E0020 (E0021 for out of memory) in every output format,
// with exit status 2, instead of a bare line on stderr that JSON and SARIF consumers never see.
#include "Driver.h"

#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <optional>
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
  opts.lang = "en"; // the assertions read English, whatever the locale of the test run
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

// The language of diagnostics: --lang, then POLC_LANG, then the locale (LC_ALL, LC_MESSAGES,
// LANG: the first one set), then English.
struct FakeEnv {
  static inline std::map<std::string, std::string> vars;
  static const char *get(const char *name) {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  }
};

diag::Lang langWith(std::map<std::string, std::string> env, std::optional<std::string> flag = {}) {
  FakeEnv::vars = std::move(env);
  CommonOptions opts;
  opts.lang = std::move(flag);
  return diagnosticLanguage(opts, &FakeEnv::get);
}

TEST(DiagnosticLanguage, FlagThenPolcLangThenLocaleThenEnglish) {
  using diag::Lang;
  EXPECT_EQ(langWith({}), Lang::En);
  EXPECT_EQ(langWith({{"LANG", "ja_JP.UTF-8"}}), Lang::Ja);
  EXPECT_EQ(langWith({{"LANG", "ja_JP.UTF-8"}}, "en"), Lang::En);
  EXPECT_EQ(langWith({{"LANG", "C.UTF-8"}}, "ja"), Lang::Ja);
  EXPECT_EQ(langWith({{"POLC_LANG", "en"}, {"LC_ALL", "ja_JP.UTF-8"}}), Lang::En);
  EXPECT_EQ(langWith({{"POLC_LANG", "ja"}, {"LANG", "C"}}), Lang::Ja);
  // POSIX precedence: LC_ALL, then LC_MESSAGES, then LANG; the first one set decides.
  EXPECT_EQ(langWith({{"LC_ALL", "C"}, {"LANG", "ja_JP.UTF-8"}}), Lang::En);
  EXPECT_EQ(langWith({{"LC_MESSAGES", "ja_JP.eucJP"}, {"LANG", "en_US.UTF-8"}}), Lang::Ja);
  EXPECT_EQ(langWith({{"LC_ALL", ""}, {"LANG", "ja"}}), Lang::Ja); // empty means unset
  // A POLC_LANG polc cannot follow falls through to the locale; "japanese" is not "ja".
  EXPECT_EQ(langWith({{"POLC_LANG", "fr"}, {"LANG", "ja_JP.UTF-8"}}), Lang::Ja);
  EXPECT_EQ(langWith({{"LANG", "japanese"}}), Lang::En);
}

TEST(DiagnosticLanguage, RunGuardedReportsInTheChosenLanguage) {
  std::ostringstream err;
  std::streambuf *oldErr = std::cerr.rdbuf(err.rdbuf());
  CommonOptions opts;
  opts.color = ColorMode::Never;
  opts.lang = "ja";
  const int status = runGuarded(opts, [](diag::SourceManager &, diag::DiagnosticsEngine &) -> int {
    throw std::logic_error("boom");
  });
  std::cerr.rdbuf(oldErr);
  EXPECT_EQ(status, kExitUsage);
  EXPECT_EQ(err.str(), "polc: 致命的エラー[E0020]: 内部エラー: boom\n"
                       "   = ヒント: ポリシーではなく polc の不具合です。何も書き込んでいません。ポリシーを添えて報告してください\n"
                       "エラー 1 件を検出しました。\n");
}

} // namespace
} // namespace polc::cli
