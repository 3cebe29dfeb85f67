// Every firewall backend against its own reader: random devices (hostile comments included) are
// rendered, read back from the text, and must accept exactly the permitted packets per path.
// A reader that is lenient or a generator that drops or widens a match fails here.
#include "RandomDevice.h"

#include "polc/emit/FirewallBackend.h"

#include <gtest/gtest.h>

namespace polc::emit {
namespace {

using testing::randomDevice;
using testing::sourceTables;

class RoundTripTest : public ::testing::TestWithParam<std::string> {
protected:
  const FirewallBackend &backend() {
    for (const auto &b : backends_)
      if (b->platform() == GetParam())
        return *b;
    throw std::runtime_error("no backend " + GetParam());
  }
  // The (from, to) key read() reports for a path, in the platform's interface names.
  std::pair<std::string, std::string> pathKey(const DeviceRules &device, const PathRules &p) {
    return {backend().readBackInterface(device.interfaces[p.from].name),
            backend().readBackInterface(device.interfaces[p.to].name)};
  }
  std::vector<std::unique_ptr<FirewallBackend>> backends_ = makeFirewallBackends(sourceTables());
};

TEST_P(RoundTripTest, RandomDevicesReadBackExactly) {
  std::mt19937_64 rng(20261130);
  for (int round = 0; round < 300; ++round) {
    const DeviceRules device = randomDevice(rng, GetParam());
    const std::vector<OutputFile> files = backend().generate(device);
    ASSERT_FALSE(files.empty());
    auto read = backend().read(files);
    if (auto *error = std::get_if<ReadError>(&read))
      FAIL() << "round " << round << ": " << error->file << ":" << error->line << ": " << error->message
             << "\n" << files.front().contents;
    const ReadBack &back = std::get<ReadBack>(read);
    for (const PathRules &p : device.paths) {
      const auto key = pathKey(device, p);
      auto it = back.accepted.find(key);
      const PacketSet accepted = it == back.accepted.end() ? PacketSet() : it->second;
      ASSERT_TRUE(accepted == p.permitted)
          << "round " << round << " path " << key.first << " -> " << key.second << "\nextra: "
          << (accepted.minus(p.permitted).witness() ? accepted.minus(p.permitted).witness()->str() : "-")
          << "\nmissing: "
          << (p.permitted.minus(accepted).witness() ? p.permitted.minus(accepted).witness()->str() : "-")
          << "\n" << files.front().contents;
    }
    for (const auto &[key, accepted] : back.accepted) {
      bool known = false;
      for (const PathRules &p : device.paths)
        known |= key == pathKey(device, p);
      ASSERT_TRUE(known || accepted.empty()) << key.first << " -> " << key.second;
    }
  }
}

// The generated text is deterministic: the same device renders to the same bytes.
TEST_P(RoundTripTest, OutputIsDeterministic) {
  std::mt19937_64 a(7), b(7);
  for (int round = 0; round < 20; ++round) {
    const auto fa = backend().generate(randomDevice(a, GetParam()));
    const auto fb = backend().generate(randomDevice(b, GetParam()));
    ASSERT_EQ(fa.size(), fb.size());
    for (std::size_t i = 0; i < fa.size(); ++i) {
      EXPECT_EQ(fa[i].path, fb[i].path);
      EXPECT_EQ(fa[i].contents, fb[i].contents);
    }
  }
}

std::vector<std::string> platforms() {
  std::vector<std::string> out;
  for (const auto &b : makeFirewallBackends(sourceTables()))
    out.emplace_back(b->platform());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Backends, RoundTripTest, ::testing::ValuesIn(platforms()),
                         [](const auto &info) { return info.param; });

} // namespace
} // namespace polc::emit
