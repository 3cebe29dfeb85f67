// emitFirewalls on whole policies: placement through the multi-hop sides, the verifier catching
// a tampered rendering with a witness (E1090), unreadable text (E1091), and E1001/E1002.
#include "RandomDevice.h"
#include "SemaTestUtil.h"

#include "polc/analysis/Placement.h"
#include "polc/emit/FirewallBackend.h"
#include "polc/emit/Firewalls.h"

#include <gtest/gtest.h>

namespace polc::emit {
namespace {

const char *kPolicy = R"(
layers basic > procedure;
zone office "事務" { address 10.1.0.0/16; }
zone dmz "公開" { address 10.2.0.0/16, 2001:db8:2::/48; }
zone outside "外部" { address 198.51.100.0/24; }
host web "Web" in dmz { address 10.2.0.80, 2001:db8:2::80; }
service https "HTTPS" = tcp/443;
section "1" "通信" {
  allow office -> web service https;
  allow outside -> web service https;
  deny outside -> office;
}
)";

const char *kDevices = R"(
section "2" "機器" {
  firewall fw_a "A" platform nftables { interface eth0 zone office; interface eth1 zone dmz; }
  firewall fw_b "B" platform nftables { interface eth0 zone dmz; interface eth1 zone outside; }
}
)";

struct Built {
  std::unique_ptr<test::Checked> checked;
  std::unique_ptr<ir::Policy> policy;
  std::vector<analysis::DevicePlacement> placements;
};

Built build(const std::string &devices) {
  Built b;
  b.checked = test::check({{"basic.pol", test::layerFile("basic", kPolicy)},
                           {"procedure.pol", test::layerFile("procedure", devices, "nonpublic refines basic")}});
  EXPECT_TRUE(b.checked->ok) << b.checked->dump();
  b.policy = b.checked->lower();
  analysis::AnalysisOptions options;
  options.today = {2026, 11, 30};
  b.placements = analysis::placeFirewalls(*b.policy, options);
  return b;
}

const analysis::InterfacePath &path(const analysis::DevicePlacement &d, std::size_t from, std::size_t to) {
  for (const auto &p : d.paths)
    if (p.from == from && p.to == to)
      return p;
  throw std::runtime_error("no path");
}

TEST(PlacementTest, SidesReachThroughOtherFirewalls) {
  Built b = build(kDevices);
  ASSERT_EQ(b.placements.size(), 2u);
  // outside -> web crosses fw_b (eth1 -> eth0) but not fw_a, whose dmz side holds outside.
  const auto &fwA = b.placements[0], &fwB = b.placements[1];
  analysis::Packet outsideToWeb{analysis::Family::V4, 0xC6336401, 0x0A020050, 6, 1234, 443};
  EXPECT_TRUE(path(fwB, 1, 0).permitted.contains(outsideToWeb));
  EXPECT_FALSE(path(fwA, 1, 0).permitted.contains(outsideToWeb));
  // office -> web crosses fw_a only.
  analysis::Packet officeToWeb{analysis::Family::V4, 0x0A010001, 0x0A020050, 6, 1234, 443};
  EXPECT_TRUE(path(fwA, 0, 1).permitted.contains(officeToWeb));
  EXPECT_FALSE(path(fwB, 0, 1).permitted.contains(officeToWeb));
  // The explicit deny outside -> office shows on both devices, on the path towards office.
  analysis::Packet outsideToOffice{analysis::Family::V4, 0xC6336401, 0x0A010001, 6, 1234, 22};
  auto denied = [&](const analysis::InterfacePath &p) {
    for (const auto &d : p.denies)
      if (d.packets.contains(outsideToOffice))
        return true;
    return false;
  };
  EXPECT_TRUE(denied(path(fwA, 1, 0)));
  EXPECT_TRUE(denied(path(fwB, 1, 0)));
  EXPECT_FALSE(path(fwA, 1, 0).permitted.contains(outsideToOffice));
}

// Wraps the real nftables backend and edits its text; the build must notice.
class Tampering final : public FirewallBackend {
public:
  Tampering(std::unique_ptr<FirewallBackend> real, std::string from, std::string to)
      : real_(std::move(real)), from_(std::move(from)), to_(std::move(to)) {}
  std::string_view platform() const override { return real_->platform(); }
  std::vector<OutputFile> generate(const DeviceRules &device) const override {
    auto files = real_->generate(device);
    for (OutputFile &f : files)
      if (auto at = f.contents.find(from_); at != std::string::npos)
        f.contents.replace(at, from_.size(), to_);
    return files;
  }
  std::variant<ReadBack, ReadError> read(const std::vector<OutputFile> &files) const override {
    return real_->read(files);
  }

private:
  std::unique_ptr<FirewallBackend> real_;
  std::string from_, to_;
};

std::vector<std::unique_ptr<FirewallBackend>> tampered(const std::string &from, const std::string &to) {
  std::vector<std::unique_ptr<FirewallBackend>> out;
  for (auto &b : makeFirewallBackends(testing::sourceTables()))
    if (b->platform() == "nftables")
      out.push_back(std::make_unique<Tampering>(std::move(b), from, to));
  return out;
}

std::vector<OutputFile> emit(Built &b, const std::vector<std::unique_ptr<FirewallBackend>> &backends) {
  return emitFirewallsWith(backends, *b.policy, b.placements, testing::sourceTables(), b.checked->sources,
                           FirewallEmitOptions{}, b.checked->diags);
}

TEST(FirewallsTest, CleanBuildWritesOneFilePerDevice) {
  Built b = build(kDevices);
  const auto files = emitFirewalls(*b.policy, b.placements, testing::sourceTables(), b.checked->sources,
                                   FirewallEmitOptions{}, b.checked->diags);
  ASSERT_EQ(files.size(), 2u) << b.checked->dump();
  EXPECT_EQ(files[0].path, "firewall/fw_a.nft");
  EXPECT_EQ(files[1].path, "firewall/fw_b.nft");
  EXPECT_FALSE(b.checked->diags.hasErrors());
}

TEST(FirewallsTest, AWidenedPortIsAnInternalErrorWithAWitness) {
  Built b = build(kDevices);
  const auto files = emit(b, tampered("tcp dport 443", "tcp dport 443-444"));
  EXPECT_TRUE(files.empty());
  const diag::Diagnostic *d = b.checked->find("E1090");
  ASSERT_NE(d, nullptr) << b.checked->dump();
  EXPECT_NE(d->message.find("accepts"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("tcp/444"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("that the policy denies"), std::string::npos) << d->message;
}

TEST(FirewallsTest, ADroppedRuleIsAnInternalError) {
  Built b = build(kDevices);
  const auto files = emit(b, tampered(" accept comment \"basic:", " drop comment \"basic:"));
  EXPECT_TRUE(files.empty());
  const diag::Diagnostic *d = b.checked->find("E1090");
  ASSERT_NE(d, nullptr) << b.checked->dump();
  EXPECT_NE(d->message.find("drops"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("that the policy allows"), std::string::npos) << d->message;
}

TEST(FirewallsTest, AnInjectedStatementIsUnreadable) {
  Built b = build(kDevices);
  const auto files = emit(b, tampered("ct state invalid drop\n", "ct state invalid drop\n    accept\n"));
  EXPECT_TRUE(files.empty());
  ASSERT_NE(b.checked->find("E1091"), nullptr) << b.checked->dump();
}

TEST(FirewallsTest, UnsupportedPlatformAndBadInterfaceNamesAreReported) {
  Built b = build(R"(
section "2" "機器" {
  firewall fw_a "A" platform cisco_ios { interface eth0 zone office; interface eth1 zone dmz; }
  firewall fw_b "B" platform nftables { interface "eth0; flush ruleset" zone dmz; interface eth1 zone outside; }
}
)");
  const auto files = emitFirewalls(*b.policy, b.placements, testing::sourceTables(), b.checked->sources,
                                   FirewallEmitOptions{}, b.checked->diags);
  EXPECT_TRUE(files.empty());
  EXPECT_NE(b.checked->find("E1001"), nullptr) << b.checked->dump();
  EXPECT_NE(b.checked->find("E1002"), nullptr) << b.checked->dump();
}

// fw-a, FW-A and fw_a would all be `table inet polc_fw_a` (and FW-A.nft, fw-a.nft one file on a
// case-insensitive file system): each later one is E1030, with a note at the first.
TEST(FirewallsTest, DeviceNamesThatFoldTogetherAreReportedWithBothLocations) {
  Built b = build(R"(
section "2" "機器" {
  firewall fw-a "A" platform nftables { interface eth0 zone office; interface eth1 zone dmz; }
  firewall FW-A "B" platform iptables { interface eth0 zone dmz; interface eth1 zone outside; }
  firewall fw_a "C" platform juniper_srx { interface ge-0/0/0.0 zone dmz; interface ge-0/0/1.0 zone outside; }
  firewall fw-b "D" platform nftables { interface eth0 zone dmz; interface eth1 zone outside; }
}
)");
  const auto files = emitFirewalls(*b.policy, b.placements, testing::sourceTables(), b.checked->sources,
                                   FirewallEmitOptions{}, b.checked->diags);
  EXPECT_TRUE(files.empty());
  std::vector<const diag::Diagnostic *> found;
  for (const diag::Diagnostic &d : b.checked->diags.diagnostics())
    if (d.code == "E1030")
      found.push_back(&d);
  ASSERT_EQ(found.size(), 2u) << b.checked->dump();
  EXPECT_NE(found[0]->message.find("`fw-a` and `FW-A`"), std::string::npos) << found[0]->message;
  EXPECT_NE(found[0]->message.find("`fw_a`"), std::string::npos) << found[0]->message;
  EXPECT_NE(found[1]->message.find("`fw-a` and `fw_a`"), std::string::npos) << found[1]->message;
  ASSERT_EQ(found[0]->notes.size(), 1u);
  ASSERT_TRUE(found[0]->notes[0].range.has_value());
  EXPECT_LT(found[0]->notes[0].range->begin, found[0]->range.begin);
}

// Interface names as the platforms write them need no quotes (eth0.20, ge-0/0/0.0, reth0.100,
// xe-0/0/0:1.0), and are refused only where the platform refuses them.
TEST(FirewallsTest, InterfaceNamesAsThePlatformsWriteThem) {
  for (const char *device : {
           R"(firewall fw_a "A" platform nftables { interface eth0.20 zone office; interface eth0.30 zone dmz; })",
           R"(firewall fw_a "A" platform juniper_srx { interface ge-0/0/0.0 zone office; interface reth0.100 zone dmz; })",
           R"(firewall fw_a "A" platform juniper_srx { interface xe-0/0/0:1.0 zone office; interface ae0 zone dmz; })",
           R"(firewall fw_a "A" platform iptables { interface bond0.7 zone office; interface 1 zone dmz; })"}) {
    Built b = build(std::string("section \"2\" \"機器\" {\n  ") + device + "\n}\n");
    const auto files = emitFirewalls(*b.policy, b.placements, testing::sourceTables(), b.checked->sources,
                                     FirewallEmitOptions{}, b.checked->diags);
    EXPECT_FALSE(files.empty()) << device << "\n" << b.checked->dump();
    EXPECT_FALSE(b.checked->diags.hasErrors()) << device << "\n" << b.checked->dump();
  }
}

// Each refused name with the platform's reason.
TEST(FirewallsTest, InterfaceNamesThePlatformRefusesAreE1002) {
  const std::pair<const char *, const char *> cases[] = {
      {R"(firewall fw_a "A" platform nftables { interface ge-0/0/0 zone office; interface eth1 zone dmz; })",
       "'/' is not allowed"},
      {R"(firewall fw_a "A" platform nftables { interface "eth*" zone office; interface eth1 zone dmz; })", "wildcard"},
      {R"(firewall fw_a "A" platform iptables { interface "eth+" zone office; interface eth1 zone dmz; })", "wildcard"},
      {R"(firewall fw_a "A" platform iptables { interface "." zone office; interface eth1 zone dmz; })", "reserves"},
      {R"(firewall fw_a "A" platform nftables { interface eth0:1 zone office; interface eth1 zone dmz; })",
       "':' is not allowed"},
      {R"(firewall fw_a "A" platform nftables { interface vlan_0123456789a zone office; interface eth1 zone dmz; })",
       "16 bytes"},
      {R"(firewall fw_a "A" platform juniper_srx { interface "ge-0/0/0 0" zone office; interface reth1 zone dmz; })",
       "'\\x20' is not allowed"},
  };
  for (const auto &[device, reason] : cases) {
    Built b = build(std::string("section \"2\" \"機器\" {\n  ") + device + "\n}\n");
    const auto files = emitFirewalls(*b.policy, b.placements, testing::sourceTables(), b.checked->sources,
                                     FirewallEmitOptions{}, b.checked->diags);
    EXPECT_TRUE(files.empty()) << device;
    const diag::Diagnostic *d = b.checked->find("E1002");
    ASSERT_NE(d, nullptr) << device << "\n" << b.checked->dump();
    EXPECT_NE(d->message.find(reason), std::string::npos) << d->message;
  }
}

} // namespace
} // namespace polc::emit
