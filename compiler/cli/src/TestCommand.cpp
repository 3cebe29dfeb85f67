// polc test: every `expect` of the policy and of its test files as a test, with a result per
// test (a failure names a witness packet and why the policy treats it so), the statements no
// test exercises (coverage), and optionally JUnit XML for CI. docs/explain-and-test.md.
//
// The evaluation is the one `polc check` uses for E0960/W0962 (analysis/Verdict.h), so the two
// commands never disagree: an expectation `polc check` reports as E0960 fails here, and one
// about no packet at all (W0962 there) fails here too, because a test that cannot fail proves
// nothing.
#include "Commands.h"
#include "Driver.h"
#include "FlowQuery.h"

#include "polc/analysis/SettingExpectations.h"
#include "polc/analysis/Verdict.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace polc::cli {

namespace {

struct TestResult {
  StatementText text; // the expectation, or the findings case and what it expects
  std::string file;
  bool passed = false;
  std::string reason; // why it failed
  std::optional<analysis::PacketVerdict> witness;
  // A setting expectation: the endpoints' effective values, grouped, with the statements that
  // give them (shown whether it passes or fails: the value is what a reviewer checks).
  struct SettingGroup {
    std::string endpoints;
    std::string value; // "12 (set in profile `p`)" or "not set (default …)"
    bool meets = false;
    std::vector<StatementText> statements;
    std::vector<bool> attested; // per statement
  };
  std::vector<SettingGroup> settingGroups;
};

struct Coverage {
  std::size_t statements = 0;
  std::vector<const ir::Flow *> uncovered;
};

std::string verdictWhy(const ir::Policy &policy, const diag::SourceManager &sources, const analysis::PacketVerdict &v) {
  std::ostringstream out;
  out << "witness: " << v.packet.str() << '\n';
  printVerdictText(out, policy, sources, v, "  ");
  return out.str();
}

// A setting expectation (E1104/W1104 in polc check): passes when every endpoint of its scope has
// a value that meets it; an endpoint without a value, or a scope without endpoints, fails.
TestResult runSettingTest(const ir::Policy &policy, const diag::SourceManager &sources,
                          const ir::SettingExpectation &e) {
  TestResult r;
  r.text = statementText(sources, e.origin.range);
  r.file = std::string(sources.name(e.origin.range.file));
  const analysis::SettingExpectationResult result = analysis::evaluateSettingExpectation(policy, e);
  r.passed = result.holds;
  for (const analysis::SettingOutcome &o : result.outcomes) {
    TestResult::SettingGroup g;
    g.endpoints = analysis::endpointList(o.endpoints);
    g.value = analysis::outcomeValueText(policy, e.setting, o);
    g.meets = o.meets;
    for (const ir::SettingValue *v : o.values) {
      g.statements.push_back(statementText(sources, v->origin.range));
      g.attested.push_back(v->attestation.has_value());
    }
    if (!o.meets)
      r.reason += fmt::format("{}{}: {}", r.reason.empty() ? "" : "; ", g.endpoints, g.value);
    r.settingGroups.push_back(std::move(g));
  }
  if (result.vacuous)
    r.reason = "about no endpoint at all: the scope takes in no host and no zone that exists (W1104 in polc check)";
  else if (!r.passed)
    r.reason += " (E1104 in polc check)";
  return r;
}

// The effective values under a setting test, one line per group of endpoints, then the
// statements that give them.
void printSettingGroups(std::ostream &out, const TestResult &r, std::string_view indent) {
  for (const TestResult::SettingGroup &g : r.settingGroups) {
    out << fmt::format("{}{} {}: {}\n", indent, g.meets ? "ok " : "NOT", g.endpoints, g.value);
    for (std::size_t i = 0; i < g.statements.size(); ++i)
      out << fmt::format("{}    {} at {}  {}\n", indent, g.attested[i] ? "attested" : "set", g.statements[i].location,
                         g.statements[i].source);
  }
}

std::vector<TestResult> runTests(const ir::Policy &policy, const diag::SourceManager &sources,
                                 const analysis::FlowVerdicts &verdicts) {
  std::vector<TestResult> results;
  for (const ir::Expectation &e : policy.expectations) {
    TestResult r;
    r.text = statementText(sources, e.origin.range);
    r.file = std::string(sources.name(e.origin.range.file));
    const ir::Endpoint *empty = verdicts.isEmpty(e.traffic.src)   ? &e.traffic.src
                                : verdicts.isEmpty(e.traffic.dst) ? &e.traffic.dst
                                                                  : nullptr;
    if (empty) {
      const std::string_view name =
          sources.contents(empty->range.file).substr(empty->range.begin, empty->range.end - empty->range.begin);
      r.reason = fmt::format("about no packet at all: `{}` has no addresses (W0962 in polc check)", name);
      results.push_back(std::move(r));
      continue;
    }
    const analysis::ExpectationResult result = verdicts.evaluate(e.action, e.traffic);
    r.passed = result.holds;
    if (!result.holds) {
      const bool expectAllow = e.action == ir::Action::Allow;
      r.reason = fmt::format("the policy {} {} (E0960 in polc check)", expectAllow ? "denies" : "allows",
                             analysis::FlowVerdicts::describe(result.failing));
      r.witness = result.counterexample;
    }
    results.push_back(std::move(r));
  }
  for (const ir::SettingExpectation &e : policy.settingExpectations)
    results.push_back(runSettingTest(policy, sources, e));
  return results;
}

// A policy statement (not the stdlib's model) is exercised when some packet of some tested
// flow is one it decides: the first match of its layer, or an exception rule in force.
Coverage coverage(const ir::Policy &policy, const analysis::FlowVerdicts &verdicts) {
  std::vector<analysis::PacketSet> tested;
  for (const ir::Expectation &e : policy.expectations)
    tested.push_back(verdicts.packets(e.traffic));
  analysis::PacketSet all;
  for (const analysis::PacketSet &s : tested)
    all = all.unite(s);
  const std::vector<const ir::Flow *> decided = verdicts.decidingFlows(all);
  Coverage out;
  for (const ir::Flow &f : policy.flows) {
    if (f.origin.layer == ir::kModuleLayer)
      continue;
    ++out.statements;
    if (std::find(decided.begin(), decided.end(), &f) == decided.end())
      out.uncovered.push_back(&f);
  }
  return out;
}

void printText(std::ostream &out, const ir::Policy &policy, const diag::SourceManager &sources,
               const std::vector<TestResult> &results, const Coverage &cov) {
  std::size_t failed = 0;
  for (const TestResult &r : results) {
    out << fmt::format("{}  {}  {}\n", r.passed ? "PASS" : "FAIL", r.text.location, r.text.source);
    if (r.passed) {
      printSettingGroups(out, r, "      ");
      continue;
    }
    ++failed;
    out << fmt::format("      {}\n", r.reason);
    printSettingGroups(out, r, "      ");
    if (r.witness) {
      out << fmt::format("      witness: {}\n", r.witness->packet.str());
      printVerdictText(out, policy, sources, *r.witness, "        ");
    }
  }
  out << fmt::format("\n{} tests: {} passed, {} failed\n", results.size(), results.size() - failed, failed);
  out << fmt::format("coverage: {} of {} allow/deny statements decide some tested packet\n",
                     cov.statements - cov.uncovered.size(), cov.statements);
  if (!cov.uncovered.empty()) {
    out << "not exercised by any test:\n";
    for (const ir::Flow *f : cov.uncovered) {
      const StatementText s = statementText(sources, f->origin.range);
      out << fmt::format("  {}  {}\n", s.location, s.source);
    }
  }
}

void printJson(std::ostream &out, const ir::Policy &policy, const diag::SourceManager &sources,
               const std::vector<TestResult> &results, const Coverage &cov) {
  diag::JsonWriter json(out);
  json.beginObject();
  json.key("schema");
  json.value("polc.test/1");
  json.key("tests");
  json.beginArray();
  std::size_t failed = 0;
  for (const TestResult &r : results) {
    failed += r.passed ? 0 : 1;
    json.beginObject();
    json.key("location");
    json.value(r.text.location);
    json.key("statement");
    json.value(r.text.source);
    json.key("result");
    json.value(r.passed ? "pass" : "fail");
    if (!r.passed) {
      json.key("reason");
      json.value(r.reason);
    }
    if (!r.settingGroups.empty()) {
      json.key("values");
      json.beginArray();
      for (const TestResult::SettingGroup &g : r.settingGroups) {
        json.beginObject();
        json.key("endpoints");
        json.value(g.endpoints);
        json.key("value");
        json.value(g.value);
        json.key("meets");
        json.value(g.meets);
        json.key("statements");
        json.beginArray();
        for (std::size_t i = 0; i < g.statements.size(); ++i) {
          json.beginObject();
          json.key("location");
          json.value(g.statements[i].location);
          json.key("statement");
          json.value(g.statements[i].source);
          json.key("attested");
          json.value(static_cast<bool>(g.attested[i]));
          json.endObject();
        }
        json.endArray();
        json.endObject();
      }
      json.endArray();
    }
    if (r.witness) {
      json.key("witness");
      json.beginObject();
      writeVerdictJson(json, policy, sources, *r.witness);
      json.endObject();
    }
    json.endObject();
  }
  json.endArray();
  json.key("summary");
  json.beginObject();
  json.key("total");
  json.value(results.size());
  json.key("passed");
  json.value(results.size() - failed);
  json.key("failed");
  json.value(failed);
  json.endObject();
  json.key("coverage");
  json.beginObject();
  json.key("statements");
  json.value(cov.statements);
  json.key("exercised");
  json.value(cov.statements - cov.uncovered.size());
  json.key("not_exercised");
  json.beginArray();
  for (const ir::Flow *f : cov.uncovered) {
    const StatementText s = statementText(sources, f->origin.range);
    json.beginObject();
    json.key("location");
    json.value(s.location);
    json.key("layer");
    json.value(layerName(policy, f->origin.layer));
    json.key("statement");
    json.value(s.source);
    json.endObject();
  }
  json.endArray();
  json.endObject();
  json.endObject();
  out << '\n';
}

void xmlEscaped(std::ostream &out, std::string_view s) {
  for (char c : s) {
    switch (c) {
    case '&': out << "&amp;"; break;
    case '<': out << "&lt;"; break;
    case '>': out << "&gt;"; break;
    case '"': out << "&quot;"; break;
    default:
      // XML 1.0 admits no control characters but tab and newline.
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n')
        out << ' ';
      else
        out << c;
    }
  }
}

// One <testsuite> per file, one <testcase> per expectation (its location is the name, so
// CI tools show where to look); a failure carries the reason and the witness's explanation.
std::string junitXml(const ir::Policy &policy, const diag::SourceManager &sources,
                     const std::vector<TestResult> &results) {
  std::vector<std::string> files;
  for (const TestResult &r : results)
    if (std::find(files.begin(), files.end(), r.file) == files.end())
      files.push_back(r.file);
  std::size_t failed = 0;
  for (const TestResult &r : results)
    failed += r.passed ? 0 : 1;
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"polc test\" tests=\"{}\" failures=\"{}\">\n", results.size(), failed);
  for (const std::string &file : files) {
    std::size_t count = 0, fails = 0;
    for (const TestResult &r : results)
      if (r.file == file)
        ++count, fails += r.passed ? 0 : 1;
    out << "  <testsuite name=\"";
    xmlEscaped(out, file);
    out << fmt::format("\" tests=\"{}\" failures=\"{}\">\n", count, fails);
    for (const TestResult &r : results) {
      if (r.file != file)
        continue;
      out << "    <testcase classname=\"";
      xmlEscaped(out, file);
      out << "\" name=\"";
      xmlEscaped(out, r.text.location + " " + r.text.source);
      out << "\"";
      if (r.passed) {
        out << "/>\n";
        continue;
      }
      out << ">\n      <failure message=\"";
      xmlEscaped(out, r.reason);
      out << "\">";
      if (r.witness)
        xmlEscaped(out, verdictWhy(policy, sources, *r.witness));
      if (!r.settingGroups.empty()) {
        std::ostringstream groups;
        printSettingGroups(groups, r, "");
        xmlEscaped(out, groups.str());
      }
      out << "</failure>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
  return out.str();
}

// ---- findings cases ---------------------------------------------------------------------------
// A folder beneath the project holding `expected.findings` is a negative test: its .pol files are
// added to the policy as extra entry files (a change: "add this allow to the procedure"), and
// `polc check` of the result must report every finding the file lists and no error it does not.

struct ExpectedFinding {
  std::string code;
  std::string file; // empty: anywhere
  std::uint32_t line = 0;
  std::string text; // as written, for messages
};

bool isCode(std::string_view s) {
  return s.size() == 5 && (s[0] == 'E' || s[0] == 'W') &&
         std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One finding a line: `CODE` or `CODE FILE:LINE`; `#` starts a comment. A malformed line is
// the case's failure (with its line number), never a silent skip.
std::optional<std::vector<ExpectedFinding>> readExpected(const std::string &text, std::string &error) {
  std::vector<ExpectedFinding> out;
  std::istringstream in(text);
  std::string line;
  for (unsigned n = 1; std::getline(in, line); ++n) {
    if (auto hash = line.find('#'); hash != std::string::npos)
      line.erase(hash);
    std::istringstream words(line);
    std::string code, where, extra;
    if (!(words >> code))
      continue;
    ExpectedFinding f;
    f.code = code;
    f.text = code;
    if (!isCode(code)) {
      error = fmt::format("expected.findings:{}: `{}` is not a diagnostic code (E0901, W0905, ...)", n, code);
      return std::nullopt;
    }
    if (words >> where) {
      const std::size_t colon = where.rfind(':');
      unsigned lineNo = 0;
      auto [p, ec] = colon == std::string::npos
                         ? std::from_chars(where.data(), where.data(), lineNo)
                         : std::from_chars(where.data() + colon + 1, where.data() + where.size(), lineNo);
      if (colon == std::string::npos || colon == 0 || ec != std::errc() || p != where.data() + where.size() ||
          lineNo == 0) {
        error = fmt::format("expected.findings:{}: `{}` is not FILE:LINE", n, where);
        return std::nullopt;
      }
      f.file = where.substr(0, colon);
      f.line = lineNo;
      f.text += " " + where;
    }
    if (words >> extra) {
      error = fmt::format("expected.findings:{}: unexpected `{}` (a line is CODE or CODE FILE:LINE)", n, extra);
      return std::nullopt;
    }
    out.push_back(std::move(f));
  }
  if (out.empty())
    error = "expected.findings lists no finding; a case that expects nothing proves nothing";
  return error.empty() ? std::optional(out) : std::nullopt;
}

bool matches(const ExpectedFinding &f, const diag::Diagnostic &d, const diag::SourceManager &sources) {
  if (d.code != f.code)
    return false;
  if (f.file.empty())
    return true;
  if (!d.range.valid())
    return false;
  const std::string_view name = sources.name(d.range.file);
  const bool sameFile = name == f.file || (name.size() > f.file.size() && name.ends_with(f.file) &&
                                           name[name.size() - f.file.size() - 1] == '/');
  return sameFile && sources.lineCol(d.range.start()).line == f.line;
}

std::string where(const diag::Diagnostic &d, const diag::SourceManager &sources) {
  if (!d.range.valid())
    return d.code;
  return fmt::format("{} {}:{}", d.code, sources.name(d.range.file), sources.lineCol(d.range.start()).line);
}

std::vector<std::filesystem::path> findingsCases(const std::string &project) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(project, ec))
    return out;
  fs::recursive_directory_iterator it(project, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (!it->is_directory(ec))
      continue;
    if (it->path().filename().string().rfind('.', 0) == 0) {
      it.disable_recursion_pending();
      continue;
    }
    if (fs::exists(it->path() / "expected.findings", ec)) {
      out.push_back(it->path().lexically_relative(project));
      it.disable_recursion_pending();
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TestResult runCase(const CheckOptions &opts, const std::filesystem::path &relative) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(opts.paths.front()) / relative;
  TestResult r;
  r.file = dir.generic_string();
  r.text.location = dir.generic_string() + "/expected.findings";
  std::string error;
  std::string contents;
  {
    std::ifstream in(dir / "expected.findings", std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    contents = buffer.str();
    if (!in && !in.eof())
      error = "cannot read expected.findings";
  }
  std::optional<std::vector<ExpectedFinding>> expected;
  if (error.empty())
    expected = readExpected(contents, error);
  CheckOptions variant = opts;
  variant.withTests = false;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".pol")
      variant.extraEntries.push_back((relative / it->path().filename()).generic_string());
  std::sort(variant.extraEntries.begin(), variant.extraEntries.end());
  r.text.source = "findings case " + relative.generic_string();
  if (expected) {
    std::string list;
    for (const ExpectedFinding &f : *expected)
      list += (list.empty() ? ": expects " : ", ") + f.text;
    r.text.source += list;
  }
  if (!error.empty()) {
    r.reason = error;
    return r;
  }
  if (variant.extraEntries.empty()) {
    r.reason = "the case folder holds no .pol file: it changes nothing";
    return r;
  }
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  diags.setMaxErrors(0);
  const FrontendResult front = runFrontend(variant, sources, diags);
  std::vector<std::string> missing, unexpected;
  for (const ExpectedFinding &f : *expected)
    if (std::none_of(diags.diagnostics().begin(), diags.diagnostics().end(),
                     [&](const diag::Diagnostic &d) { return matches(f, d, sources); }))
      missing.push_back(f.text);
  for (const diag::Diagnostic &d : diags.diagnostics())
    if ((d.severity == diag::Severity::Error || d.severity == diag::Severity::Fatal) &&
        std::none_of(expected->begin(), expected->end(), [&](const ExpectedFinding &f) { return matches(f, d, sources); }))
      unexpected.push_back(where(d, sources));
  if (front.ioError)
    unexpected.insert(unexpected.begin(), "an I/O error (the case's files could not be read)");
  auto join = [](const std::vector<std::string> &v) {
    std::string s;
    for (const std::string &x : v)
      s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  r.passed = missing.empty() && unexpected.empty();
  if (!missing.empty())
    r.reason = "not reported: " + join(missing);
  if (!unexpected.empty())
    r.reason += (r.reason.empty() ? "" : "; ") + std::string("reported but not expected: ") + join(unexpected);
  return r;
}

int test(const CheckOptions &opts, diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
  FrontendResult front = runFrontend(opts, sources, diags);
  if (front.ioError) {
    render(opts.common, diags, false);
    return kExitUsage;
  }
  if (!front.policy || diags.hasErrors()) {
    render(opts.common, diags, false);
    return kExitPolicyErrors;
  }
  const ir::Policy &policy = *front.policy;
  analysis::AnalysisOptions analysisOptions;
  analysisOptions.today = front.today;
  diag::DiagnosticsEngine quiet(sources);
  const analysis::FlowVerdicts verdicts(policy, analysisOptions, quiet);
  std::vector<TestResult> results = runTests(policy, sources, verdicts);
  for (const std::filesystem::path &c : findingsCases(opts.paths.front()))
    results.push_back(runCase(opts, c));
  const Coverage cov = coverage(policy, verdicts);
  if (!opts.junit.empty()) {
    // Written whole or not at all: a CI job must never publish half a report.
    const std::string xml = junitXml(policy, sources, results);
    const std::string partial = opts.junit + ".tmp";
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    file << xml;
    file.close();
    std::error_code ec;
    if (!file || (std::filesystem::rename(partial, opts.junit, ec), ec)) {
      std::filesystem::remove(partial, ec);
      diags.report(diag::DiagID::OutputUnwritable, diag::SourceRange{},
                   fmt::format("cannot write the JUnit report '{}'", opts.junit));
      render(opts.common, diags, false);
      return kExitUsage;
    }
  }
  std::ostringstream out;
  if (opts.common.format == OutputFormat::Json)
    printJson(out, policy, sources, results, cov);
  else
    printText(out, policy, sources, results, cov);
  std::cout << out.str();
  std::cout.flush();
  for (const TestResult &r : results)
    if (!r.passed)
      return kExitPolicyErrors;
  return kExitOk;
}

} // namespace

int runTest(const CheckOptions &opts) {
  CheckOptions withTests = opts;
  withTests.withTests = true;
  return runGuarded(opts.common, [&](diag::SourceManager &sources, diag::DiagnosticsEngine &diags) {
    return test(withTests, sources, diags);
  });
}

} // namespace polc::cli
