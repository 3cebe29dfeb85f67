// `polc explain` cites the rule lines that decide a packet, found by each backend's reader with a
// probe packet (FirewallBackend::readTracing). Property, over random devices and probes on both
// sides of every path's permitted set: the traced decision is the read-back one (the probe is
// accepted exactly when the path's accepted set holds it), an accepted probe cites at least one
// line, and the last cited line is an accepting rule when accepted and a dropping one otherwise.
#include "RandomDevice.h"
#include "Terms.h"

#include "polc/emit/FirewallBackend.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

namespace polc::emit {
namespace {

using testing::randomDevice;
using testing::sourceTables;

std::string lineOf(const std::vector<OutputFile> &files, const std::string &file, std::uint32_t line) {
  for (const OutputFile &f : files)
    if (f.path == file) {
      std::istringstream in(f.contents);
      std::string text;
      for (std::uint32_t n = 1; std::getline(in, text); ++n)
        if (n == line)
          return text;
    }
  return "<no such line>";
}

class TraceTest : public ::testing::TestWithParam<std::string> {
protected:
  const FirewallBackend &backend() {
    for (const auto &b : backends_)
      if (b->platform() == GetParam())
        return *b;
    throw std::runtime_error("no backend " + GetParam());
  }
  std::vector<std::unique_ptr<FirewallBackend>> backends_ = makeFirewallBackends(sourceTables());
};

TEST_P(TraceTest, TracedDecisionIsTheReadBackOne) {
  std::mt19937_64 rng(20261208);
  const std::regex accepting("\\baccept\\b|-j ACCEPT|then permit");
  int probes = 0;
  for (int round = 0; round < 30; ++round) {
    const DeviceRules device = randomDevice(rng, GetParam());
    const std::vector<OutputFile> files = backend().generate(device);
    for (const PathRules &p : device.paths) {
      const std::pair key{backend().readBackInterface(device.interfaces[p.from].name),
                          backend().readBackInterface(device.interfaces[p.to].name)};
      std::vector<analysis::Packet> sample;
      for (const analysis::PacketSet &s :
           {p.permitted, analysis::PacketSet::of(analysis::Cube::full(analysis::Family::V4)).minus(p.permitted),
            analysis::PacketSet::of(analysis::Cube::full(analysis::Family::V6)).minus(p.permitted)})
        if (auto w = s.witness())
          sample.push_back(*w);
      for (const Rule &r : p.rules)
        for (const Term &t : r.terms)
          if (auto w = packetsOf(t).witness())
            sample.push_back(*w);
      for (const analysis::Packet &probe : sample) {
        ++probes;
        auto read = backend().readTracing(files, probe);
        ASSERT_TRUE(std::holds_alternative<ReadBack>(read));
        const ReadBack &back = std::get<ReadBack>(read);
        auto accepted = back.accepted.find(key);
        const bool expected = accepted != back.accepted.end() && accepted->second.contains(probe);
        auto traced = back.traced.find(key);
        ASSERT_NE(traced, back.traced.end()) << "round " << round << ": no trace for " << probe.str();
        EXPECT_EQ(traced->second.accepted, expected) << "round " << round << ": " << probe.str();
        if (expected) {
          ASSERT_FALSE(traced->second.lines.empty()) << "round " << round << ": " << probe.str();
        }
        if (!traced->second.lines.empty()) {
          // Comments are hostile (they may say "accept"): judge the line without its quoted text.
          const std::string last = std::regex_replace(lineOf(files, traced->second.file, traced->second.lines.back()),
                                                      std::regex("\"([^\"\\\\]|\\\\.)*\""), "\"\"");
          EXPECT_EQ(std::regex_search(last, accepting), expected)
              << "round " << round << ": " << probe.str() << " decided by " << last;
        }
      }
    }
  }
  EXPECT_GT(probes, 250);
}

std::vector<std::string> platforms() {
  std::vector<std::string> out;
  for (const auto &b : makeFirewallBackends(sourceTables()))
    out.emplace_back(b->platform());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Backends, TraceTest, ::testing::ValuesIn(platforms()),
                         [](const auto &info) { return info.param; });

} // namespace
} // namespace polc::emit
