// Lowering to the IR: service sets, endpoints, refinements' addresses, exceptions, profiles,
// sections and origins.
#include "SemaTestUtil.h"
#include "polc/ir/Dump.h"

#include <sstream>

using namespace polc;
using ir::PortRange;
using polc::test::check;
using polc::test::layerFile;
using polc::test::order;
using P = ast::Protocol;

namespace {

std::unique_ptr<test::Checked> checked(std::string_view body) {
  auto c = check({{"basic.pol", layerFile("basic", body)}, order()});
  EXPECT_TRUE(c->ok) << c->dump();
  return c;
}

const ir::Service &service(const ir::Policy &p, std::string_view name) {
  for (const auto &s : p.services)
    if (s.name == name)
      return s;
  ADD_FAILURE() << "no service " << name;
  return p.services.front();
}

std::vector<PortRange> ranges(std::initializer_list<PortRange> r) { return r; }

} // namespace

TEST(IrServices, AdjacentAndOverlappingRangesMergePerProtocol) {
  auto c = checked(R"pol(
zone a { address 10.0.0.0/8; }
service web = tcp/80, tcp/81-90, tcp/85-100, tcp/443, tcp/8080, tcp/8000-8079;
service dns = udp/53, tcp/53, udp/54;
service gap = tcp/10, tcp/12;
allow a -> a service [web, dns, gap];
)pol");
  auto p = c->lower();
  EXPECT_EQ(service(*p, "web").ports.ranges,
            ranges({{P::TCP, 80, 100}, {P::TCP, 443, 443}, {P::TCP, 8000, 8080}}));
  // tcp/53 and udp/53 are different services: never merged across protocols.
  EXPECT_EQ(service(*p, "dns").ports.ranges, ranges({{P::TCP, 53, 53}, {P::UDP, 53, 54}}));
  EXPECT_EQ(service(*p, "gap").ports.ranges, ranges({{P::TCP, 10, 10}, {P::TCP, 12, 12}}));
  EXPECT_FALSE(service(*p, "web").ports.any);
}

// Each service is expanded once: `d(k+1) = d(k), d(k), tcp/k+1` used to be expanded 2^k times
// (a 40-deep diamond did not finish), and a chain 64 deep is within the nesting limit.
TEST(IrServices, DiamondsOfNamedServicesExpandOnce) {
  std::string body = "zone a { address 10.0.0.0/8; }\nservice d0 = tcp/1;\n";
  for (int k = 1; k < 64; ++k)
    body += "service d" + std::to_string(k) + " = d" + std::to_string(k - 1) + ", d" +
            std::to_string(k - 1) + ", tcp/" + std::to_string(k + 1) + ";\n";
  body += "allow a -> a service d63;\n";
  auto c = checked(body);
  auto p = c->lower();
  EXPECT_EQ(service(*p, "d63").ports.ranges, ranges({{P::TCP, 1, 64}}));
}

TEST(IrServices, ServicesNestedTooDeepAreOneError) {
  std::string body = "zone a { address 10.0.0.0/8; }\n";
  for (int k = 0; k < 200; ++k)
    body += "service s" + std::to_string(k) + " = " + (k == 199 ? std::string("tcp/1") : "s" + std::to_string(k + 1)) + ";\n";
  body += "allow a -> a service s0;\n";
  auto c = check({{"basic.pol", layerFile("basic", body)}, order()});
  EXPECT_FALSE(c->ok);
  ASSERT_EQ(c->codes(), std::vector<std::string>{"E0747"}) << c->dump();
  EXPECT_EQ(c->text(c->find("E0747")->range), "s135"); // 65 services deep
}

TEST(IrServices, NamedServicesExpandAndAnyAbsorbsEverything) {
  auto c = checked(R"pol(
zone a { address 10.0.0.0/8; }
service http = tcp/80;
service https = tcp/443;
service web = http, https;
service browse = web, tcp/443-444, udp/443;
service vpn = udp/500, esp, icmp/8;
allow a -> a service browse;
allow a -> a service [vpn, any];
allow a -> a;
allow a -> a service [web, tcp/79];
)pol");
  auto p = c->lower();
  EXPECT_EQ(service(*p, "browse").ports.ranges,
            ranges({{P::TCP, 80, 80}, {P::TCP, 443, 444}, {P::UDP, 443, 443}}));
  // Protocols without ports cover 0..65535; an ICMP type is a one-element interval.
  EXPECT_EQ(service(*p, "vpn").ports.ranges,
            ranges({{P::UDP, 500, 500}, {P::ICMP, 8, 8}, {P::ESP, 0, 65535}}));
  ASSERT_EQ(p->flows.size(), 4u);
  EXPECT_EQ(p->flows[0].traffic.services.ranges, service(*p, "browse").ports.ranges);
  EXPECT_TRUE(p->flows[1].traffic.services.any);
  EXPECT_TRUE(p->flows[1].traffic.services.ranges.empty());
  EXPECT_TRUE(p->flows[2].traffic.services.any); // no `service` clause: every service
  EXPECT_EQ(p->flows[3].traffic.services.ranges, ranges({{P::TCP, 79, 80}, {P::TCP, 443, 443}}));
}

TEST(IrEndpoints, ResolveToIdsPrefixesAndGroups) {
  auto c = checked(R"pol(
zone lgwan { address 10.20.0.0/16; }
zone internet { address 192.0.2.0/24; }
host relay in lgwan { address 10.20.1.25; }
deny lgwan <-> !lgwan;
allow [relay, 10.20.2.0/24, 2001:db8::/32] -> internet;
allow any -> relay;
)pol");
  auto p = c->lower();
  ASSERT_EQ(p->flows.size(), 3u);
  const ir::Flow &isolate = p->flows[0];
  EXPECT_EQ(isolate.action, ir::Action::Deny);
  EXPECT_TRUE(isolate.traffic.bidirectional);
  EXPECT_EQ(isolate.traffic.src.kind, ir::Endpoint::Kind::Zone);
  EXPECT_EQ(p->zones[isolate.traffic.src.ref].name, "lgwan");
  EXPECT_FALSE(isolate.traffic.src.negated);
  EXPECT_TRUE(isolate.traffic.dst.negated);
  EXPECT_EQ(isolate.traffic.dst.ref, isolate.traffic.src.ref);

  const ir::Endpoint &group = p->flows[1].traffic.src;
  EXPECT_EQ(group.kind, ir::Endpoint::Kind::Group);
  ASSERT_EQ(group.members.size(), 3u);
  EXPECT_EQ(group.members[0].kind, ir::Endpoint::Kind::Host);
  EXPECT_EQ(p->hosts[group.members[0].ref].name, "relay");
  EXPECT_EQ(group.members[1].kind, ir::Endpoint::Kind::Prefix);
  EXPECT_EQ(group.members[1].prefix.str(), "10.20.2.0/24");
  EXPECT_EQ(group.members[2].prefix.family, ast::AddressFamily::V6);
  EXPECT_EQ(p->flows[2].traffic.src.kind, ir::Endpoint::Kind::Any);
  EXPECT_EQ(p->flows[2].traffic.dst.kind, ir::Endpoint::Kind::Host);
  // The host knows its zone.
  EXPECT_EQ(p->hosts[0].zone, isolate.traffic.src.ref);
}

TEST(IrRefinements, EveryLayerContributesAddressesWithItsOrigin) {
  auto c = check({{"basic.pol", layerFile("basic", "section \"6\" { zone chosha \"本庁舎\"; }\n"
                                                   "deny chosha -> chosha;\n")},
                  {"standard.pol", layerFile("standard", "section \"3.1\" {\n"
                                                         "  refine zone chosha { address 10.20.0.0/16, 10.21.0.0/16; }\n}\n")},
                  {"procedure.pol", layerFile("procedure", "refine zone chosha { address 2001:db8:20::/48; }\n")},
                  order()});
  ASSERT_TRUE(c->ok) << c->dump();
  auto p = c->lower();
  ASSERT_EQ(p->zones.size(), 1u);
  const ir::Zone &z = p->zones[0];
  ASSERT_EQ(z.addresses.size(), 3u);
  EXPECT_EQ(z.addresses[0].prefix.str(), "10.20.0.0/16");
  EXPECT_EQ(z.addresses[0].origin.layer, 1);
  EXPECT_EQ(z.addresses[1].origin.layer, 1);
  EXPECT_EQ(z.addresses[2].prefix.family, ast::AddressFamily::V6);
  EXPECT_EQ(z.addresses[2].origin.layer, 2);
  // Each address keeps its own source; the zone keeps its declaration's layer and clause.
  EXPECT_EQ(c->text(z.addresses[1].origin.range), "10.21.0.0/16");
  EXPECT_EQ(z.origin.layer, 0);
  ASSERT_TRUE(z.origin.section);
  EXPECT_EQ(p->sections[*z.origin.section].number, "6");
  ASSERT_TRUE(z.addresses[0].origin.section);
  EXPECT_EQ(p->sections[*z.addresses[0].origin.section].number, "3.1");
  EXPECT_FALSE(z.addresses[2].origin.section);
}

TEST(IrExceptions, RulesInsideAnExceptionPointBackAtIt) {
  auto c = checked(R"pol(
zone lgwan { address 10.20.0.0/16; }
role ciso authority 5;
exception EXC-1 "保守" approved_by ciso until 2026-12-31 {
  allow 203.0.113.5 -> lgwan service tcp/3389;
}
deny lgwan -> lgwan;
)pol");
  auto p = c->lower();
  ASSERT_EQ(p->exceptions.size(), 1u);
  const ir::Exception &e = p->exceptions[0];
  EXPECT_EQ(e.name, "EXC-1");
  ASSERT_TRUE(e.approvedBy);
  EXPECT_EQ(p->roles[*e.approvedBy].name, "ciso");
  EXPECT_EQ(e.until, (ast::Date{2026, 12, 31}));
  ASSERT_EQ(e.flows.size(), 1u);
  const ir::Flow &f = p->flows[e.flows[0]];
  EXPECT_EQ(f.exception, e.id);
  EXPECT_EQ(f.traffic.src.kind, ir::Endpoint::Kind::Prefix);
  // The rule outside the exception belongs to none.
  EXPECT_FALSE(p->flows[1 - e.flows[0]].exception);
}

TEST(IrSettings, BoundsValuesAndProfilesAreLinked) {
  auto c = checked(R"pol(
zone lgwan { address 10.20.0.0/16; }
setting idle : duration 1m..24h { unit "分"; default 10m; }
setting media : enum(blocked, allowed);
endpoint_profile pc platform windows on zone lgwan {
  set idle = 5m;
  set media = blocked on zone lgwan;
  require idle <= 5m;
}
require idle <= 10m on zone lgwan, profile pc;
require media in [blocked];
)pol");
  auto p = c->lower();
  ASSERT_EQ(p->settings.size(), 2u);
  EXPECT_EQ(p->settings[0].unit, "分");
  ASSERT_TRUE(p->settings[0].defaultValue);
  EXPECT_EQ(p->settings[0].defaultValue->number, 600);
  EXPECT_EQ(p->settings[1].members, (std::vector<std::string>{"blocked", "allowed"}));
  ASSERT_EQ(p->profiles.size(), 1u);
  const ir::EndpointProfile &pc = p->profiles[0];
  ASSERT_EQ(pc.scope.size(), 1u);
  EXPECT_EQ(pc.scope[0].kind, ir::ScopeRef::Kind::Zone);
  ASSERT_EQ(pc.values.size(), 2u);
  EXPECT_EQ(p->values[pc.values[0]].value.number, 300);
  EXPECT_EQ(p->values[pc.values[1]].scope.size(), 1u);
  ASSERT_EQ(pc.bounds.size(), 1u);
  EXPECT_EQ(p->bounds[pc.bounds[0]].profile, pc.id);
  ASSERT_EQ(p->bounds.size(), 3u);
  const ir::SettingBound &scoped = p->bounds[1];
  EXPECT_FALSE(scoped.profile);
  EXPECT_EQ(scoped.op, ast::CompareOp::Le);
  ASSERT_EQ(scoped.scope.size(), 2u);
  EXPECT_EQ(scoped.scope[1].kind, ir::ScopeRef::Kind::Profile);
  EXPECT_EQ(scoped.scope[1].id, pc.id);
  EXPECT_EQ(p->bounds[2].operand.shape, sema::TypedOperand::Shape::List);
  EXPECT_EQ(p->bounds[2].op, ast::CompareOp::In);
}

TEST(IrSections, NestAndGiveEveryStatementItsClause) {
  auto c = checked(R"pol(
zone a { address 10.0.0.0/8; }
role auditor authority 1;
section "6" "対策" {
  text "前文";
  section "6(3)" {
    section "6(3)ア" { text "本文"; deny a -> a; }
    check audit "監査しているか" owner auditor every 90d;
  }
}
)pol");
  auto p = c->lower();
  ASSERT_EQ(p->sections.size(), 3u);
  EXPECT_FALSE(p->sections[0].parent);
  EXPECT_EQ(p->sections[0].texts, std::vector<std::string>{"前文"});
  EXPECT_EQ(p->sections[0].children, std::vector<ir::Id>{1});
  EXPECT_EQ(p->sections[2].parent, 1u);
  EXPECT_EQ(p->sections[2].origin.section, 1u); // a section's own clause is its parent
  EXPECT_EQ(p->flows[0].origin.section, 2u);
  EXPECT_EQ(p->checks[0].origin.section, 1u);
  EXPECT_EQ(p->checks[0].frequency, "90d");
  EXPECT_EQ(p->zones[0].origin.section, std::nullopt);
}

TEST(IrModules, StdlibDeclarationsComeFirstAndHaveNoLayer) {
  auto c = check({{"basic.pol", layerFile("basic", "zone chosha { address 10.20.0.0/16; }\n"
                                                   "deny chosha -> internet service web;\n")},
                  test::lgov()});
  ASSERT_TRUE(c->ok) << c->dump();
  auto p = c->lower();
  EXPECT_EQ(p->zones.front().name, "mynumber");
  EXPECT_EQ(p->zones.front().origin.layer, ir::kModuleLayer);
  EXPECT_EQ(p->zones.back().name, "chosha");
  EXPECT_EQ(p->zones.back().origin.layer, 0);
  EXPECT_EQ(service(*p, "web").ports.ranges, ranges({{P::TCP, 80, 80}, {P::TCP, 443, 443}}));
  EXPECT_EQ(service(*p, "dns").ports.ranges, ranges({{P::TCP, 53, 53}, {P::UDP, 53, 53}}));
  // The dump is deterministic.
  std::ostringstream a, b;
  ir::dumpJson(a, *p, c->sources);
  ir::dumpJson(b, *c->lower(), c->sources);
  EXPECT_EQ(a.str(), b.str());
  EXPECT_NE(a.str().find("\"layer\": \"module\""), std::string::npos);
}
