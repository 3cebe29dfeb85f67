// The generator's contract: clean polc for every layer and mix, exact line and rule counts,
// and the same bytes for the same options.
#include "PolicyGenerator.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/diag/SourceManager.h"
#include "polc/syntax/Parser.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace polc::bench {
namespace {

// Parses `text` and returns the first diagnostic as "CODE line:col message", or "" if clean.
std::string firstProblem(std::string text) {
  diag::SourceManager sm;
  diag::FileID id = sm.addBuffer("gen.pol", std::move(text));
  diag::DiagnosticsEngine diags(sm);
  auto ast = syntax::parseFile(id, sm, diags);
  if (!diags.diagnostics().empty()) {
    const auto &d = diags.diagnostics().front();
    auto lc = sm.lineCol(d.range.start());
    return d.code + " " + std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " +
           d.message;
  }
  return ast ? "" : "no AST";
}

std::size_t countLines(const std::string &s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

class EveryLayer : public ::testing::TestWithParam<Layer> {};

TEST_P(EveryLayer, LinesModeIsCleanAndExact) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    GeneratorOptions o;
    o.layer = GetParam();
    o.seed = seed;
    o.lines = 3000;
    GeneratorStats st;
    std::string text = generatePolicy(o, &st);
    EXPECT_EQ(countLines(text), 3000u);
    EXPECT_EQ(st.lines, 3000u);
    EXPECT_EQ(st.bytes, text.size());
    EXPECT_GT(st.flows, 0u);
    EXPECT_GT(st.sections, 0u);
    EXPECT_EQ(firstProblem(std::move(text)), "") << "seed " << seed;
  }
}

TEST_P(EveryLayer, RulesModeIsCleanAndExact) {
  GeneratorOptions o;
  o.layer = GetParam();
  o.rules = 777;
  o.prelude = GetParam() == Layer::Basic;
  GeneratorStats st;
  std::string text = generatePolicy(o, &st);
  EXPECT_EQ(st.rules, 777u);
  EXPECT_EQ(st.flows + st.requireStmts + st.sets + st.checks, 777u);
  EXPECT_EQ(firstProblem(std::move(text)), "");
}

INSTANTIATE_TEST_SUITE_P(Layers, EveryLayer,
                         ::testing::Values(Layer::Basic, Layer::Standard, Layer::Procedure),
                         [](const auto &info) { return std::string(layerName(info.param)); });

TEST(PolicyGenerator, SameOptionsSameBytesOtherSeedOtherBytes) {
  GeneratorOptions o;
  o.lines = 500;
  std::string a = generatePolicy(o), b = generatePolicy(o);
  EXPECT_EQ(a, b);
  o.seed = 2;
  EXPECT_NE(a, generatePolicy(o));
}

TEST(PolicyGenerator, MixAndAddressOptionsTakeEffect) {
  GeneratorOptions o;
  o.lines = 2000;
  o.mix = MixRatios{0, 0, 0, 0, 1, 0, 0, 0}; // flows only
  o.ipv6Percent = 100;
  o.portRangePercent = 100;
  GeneratorStats st;
  std::string text = generatePolicy(o, &st);
  EXPECT_EQ(st.requireStmts + st.sets + st.checks + st.sections, 0u);
  EXPECT_GT(st.flows, 1500u);
  // Body addresses are all IPv6 (the prelude's zones carry both families), and every
  // tcp/udp port in a flow is a range.
  std::size_t body = text.find("setting usb.allowed");
  ASSERT_NE(body, std::string::npos);
  std::string rest = text.substr(body);
  EXPECT_EQ(rest.find("10."), std::string::npos);
  EXPECT_NE(rest.find("2001:db8:"), std::string::npos);
  for (std::size_t p = rest.find("tcp/"); p != std::string::npos; p = rest.find("tcp/", p + 1)) {
    std::size_t end = rest.find_first_of(",];", p);
    EXPECT_NE(rest.substr(p, end - p).find('-'), std::string::npos) << rest.substr(p, end - p);
  }
  EXPECT_EQ(firstProblem(std::move(text)), "");
}

TEST(PolicyGenerator, WithoutPreludeDeclaresNoSharedNames) {
  GeneratorOptions o;
  o.lines = 300;
  o.layer = Layer::Procedure;
  o.prelude = false;
  std::string text = generatePolicy(o);
  EXPECT_EQ(text.find("\nzone seg_0 \""), std::string::npos);
  EXPECT_EQ(text.find("setting "), std::string::npos);
  EXPECT_NE(text.find("nonpublic refines standard"), std::string::npos);
  EXPECT_EQ(firstProblem(std::move(text)), "");
}

TEST(PolicyGenerator, LayerLookup) {
  EXPECT_EQ(parseLayer("standard"), Layer::Standard);
  EXPECT_EQ(parseLayer("nope"), std::nullopt);
}

} // namespace
} // namespace polc::bench
