// Prototype for issue #14's design question: the first-match core of a Capirca-shaped policy in
// two representations, on the same input.
//
//   polc_proto_firstmatch PROJECT/policy.pol   (a project from `polc-gen --capirca-shape` or
//                                               from capirca2pol.py)
//
// It reads the hosts, services and allow/deny statements of that one file (only the forms those
// generators write), and computes, for every statement, its first-match piece (its packets minus
// every earlier statement's) and the union of the allows' pieces, i.e. the allowed set:
//  - with polc's cubes: PacketSet::unionOf per statement, then PacketSet::firstMatch, then
//    PacketSet::unionOf of the allow pieces (what the analysis Context does for a layer);
//  - with BuDDy BDDs over 1 + 128 + 128 + 8 + 16 bits (family, addresses, protocol, destination
//    port; source ports are all ports here): piece_i = r_i ∧ ¬(r_1 ∨ … ∨ r_{i-1}).
// It prints CPU time, the cubes or BDD nodes of the result, and checks that both agree on the
// number of allowed packets (in log2, to 1e-9: the counts reach 2^143, past a double's exact
// integers).
//
// It is a measuring tool, not part of polc: BuDDy is not a dependency of the compiler.
#include "polc/analysis/PacketSet.h"

#include <arpa/inet.h>
#include <bdd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace polc::analysis;

namespace {

struct Prefix {
  Family family;
  u128 value;
  int length;
};

struct Statement {
  bool allow;
  std::vector<Prefix> src, dst;
  std::vector<std::pair<int, int>> services; // (protocol, port)
};

double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

Prefix parsePrefix(std::string text) {
  int length = -1;
  if (auto slash = text.find('/'); slash != std::string::npos) {
    length = std::stoi(text.substr(slash + 1));
    text = text.substr(0, slash);
  }
  Prefix p{};
  unsigned char bytes[16];
  if (inet_pton(AF_INET, text.c_str(), bytes) == 1) {
    p.family = Family::V4;
    for (int i = 0; i < 4; ++i)
      p.value = (p.value << 8) | bytes[i];
    p.length = length < 0 ? 32 : length;
  } else if (inet_pton(AF_INET6, text.c_str(), bytes) == 1) {
    p.family = Family::V6;
    for (int i = 0; i < 16; ++i)
      p.value = (p.value << 8) | bytes[i];
    p.length = length < 0 ? 128 : length;
  } else {
    throw std::runtime_error("not an address: " + text);
  }
  return p;
}

std::vector<std::string> names(const std::string &list) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    out.push_back(item);
  }
  return out;
}

std::vector<Statement> readPolicy(const char *path) {
  std::ifstream in(path);
  const std::regex host(R"(^\s*host (\w+) in \w+ \{ address ([^;]*); \})");
  const std::regex service(R"(^\s*service (\w+) = ([^;]*);)");
  const std::regex rule(R"(^\s*(allow|deny) \[([^\]]*)\] -> \[([^\]]*)\] service \[([^\]]*)\];)");
  std::map<std::string, std::vector<Prefix>> hosts;
  std::map<std::string, std::vector<std::pair<int, int>>> services;
  std::vector<Statement> out;
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, host)) {
      for (const std::string &a : names(m[2]))
        hosts[m[1]].push_back(parsePrefix(a));
    } else if (std::regex_search(line, m, service)) {
      for (const std::string &s : names(m[2])) {
        const auto slash = s.find('/');
        services[m[1]].push_back({s.substr(0, slash) == "tcp" ? 6 : 17, std::stoi(s.substr(slash + 1))});
      }
    } else if (std::regex_search(line, m, rule)) {
      Statement st;
      st.allow = m[1] == "allow";
      for (const std::string &n : names(m[2]))
        st.src.insert(st.src.end(), hosts.at(n).begin(), hosts.at(n).end());
      for (const std::string &n : names(m[3]))
        st.dst.insert(st.dst.end(), hosts.at(n).begin(), hosts.at(n).end());
      for (const std::string &n : names(m[4]))
        st.services.insert(st.services.end(), services.at(n).begin(), services.at(n).end());
      out.push_back(std::move(st));
    }
  }
  return out;
}

Interval range(const Prefix &p) {
  const int width = p.family == Family::V4 ? 32 : 128;
  const u128 hostBits = p.length == 0 ? dimMax(p.family, kSrc) : ((u128{1} << (width - p.length)) - 1);
  return {p.value & ~hostBits & dimMax(p.family, kSrc), (p.value & ~hostBits) | hostBits};
}

// ---- cubes ----
PacketSet cubesOf(const Statement &st) {
  std::vector<Cube> cubes;
  for (const Prefix &s : st.src)
    for (const Prefix &d : st.dst) {
      if (s.family != d.family)
        continue;
      for (auto [proto, port] : st.services) {
        Cube c = Cube::full(s.family);
        c.dims[kSrc] = range(s);
        c.dims[kDst] = range(d);
        c.dims[kProto] = {static_cast<u128>(proto), static_cast<u128>(proto)};
        c.dims[kDport] = {static_cast<u128>(port), static_cast<u128>(port)};
        cubes.push_back(c);
      }
    }
  return PacketSet::unionOf(cubes);
}

// ---- BDDs: variable 0 the family, 1..128 source, 129..256 destination, 257..264 protocol,
// 265..280 destination port; most significant bit first.
constexpr int kFamilyVar = 0, kSrcVar = 1, kDstVar = 129, kProtoVar = 257, kPortVar = 265, kVars = 281;

bdd bits(int first, int width, u128 value, int significant) {
  bdd r = bddtrue;
  for (int i = 0; i < significant; ++i) {
    const bool one = (value >> (width - 1 - i)) & 1;
    r &= one ? bdd_ithvarpp(first + i) : bdd_nithvarpp(first + i);
  }
  return r;
}

bdd addressBdd(const Prefix &p, int first) {
  // v4 addresses sit in the low 32 bits of the 128-bit field, the high 96 bits zero.
  const bdd family = p.family == Family::V4 ? bdd_nithvarpp(kFamilyVar) : bdd_ithvarpp(kFamilyVar);
  if (p.family == Family::V4)
    return family & bits(first, 128, 0, 96) & bits(first + 96, 32, p.value, p.length);
  return family & bits(first, 128, p.value, p.length);
}

bdd bddOf(const Statement &st) {
  bdd src = bddfalse, dst = bddfalse, svc = bddfalse;
  for (const Prefix &s : st.src)
    src |= addressBdd(s, kSrcVar);
  for (const Prefix &d : st.dst)
    dst |= addressBdd(d, kDstVar);
  for (auto [proto, port] : st.services)
    svc |= bits(kProtoVar, 8, static_cast<u128>(proto), 8) & bits(kPortVar, 16, static_cast<u128>(port), 16);
  return src & dst & svc;
}

double log2Volume(const PacketSet &s) {
  // Sum of cube volumes in log2, per family: v4 cubes lack 96 zero bits per address of the BDD
  // domain, which does not change their count.
  double total = 0;
  for (const Cube &c : s.cubes()) {
    double v = 1;
    for (int d = 0; d < kDims; ++d)
      if (d != kSport)
        v *= static_cast<double>(c.dims[d].hi - c.dims[d].lo + 1);
    total += v;
  }
  return std::log2(total);
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: polc_proto_firstmatch POLICY.pol\n");
    return 2;
  }
  const std::vector<Statement> stmts = readPolicy(argv[1]);
  std::printf("statements: %zu\n", stmts.size());

  double t0 = cpuSeconds();
  std::vector<PacketSet> sets;
  for (const Statement &st : stmts)
    sets.push_back(cubesOf(st));
  std::vector<const PacketSet *> ptrs;
  for (const PacketSet &s : sets)
    ptrs.push_back(&s);
  const std::vector<PacketSet> pieces = PacketSet::firstMatch(ptrs);
  std::vector<Cube> allowCubes;
  std::size_t pieceCubes = 0;
  for (std::size_t i = 0; i < stmts.size(); ++i) {
    pieceCubes += pieces[i].cubes().size();
    if (stmts[i].allow)
      allowCubes.insert(allowCubes.end(), pieces[i].cubes().begin(), pieces[i].cubes().end());
  }
  const PacketSet allowed = PacketSet::unionOf(allowCubes);
  const double cubeTime = cpuSeconds() - t0;
  std::printf("cubes: %.3f s CPU, %zu cubes in the pieces, %zu in the allowed set\n", cubeTime,
              pieceCubes, allowed.cubes().size());

  t0 = cpuSeconds();
  bdd_init(4000000, 400000);
  bdd_setvarnum(kVars);
  bdd_gbc_hook(nullptr);
  bdd covered = bddfalse, allowedBdd = bddfalse;
  long pieceNodes = 0;
  for (const Statement &st : stmts) {
    const bdd r = bddOf(st);
    const bdd piece = r & !covered;
    pieceNodes += bdd_nodecount(piece);
    covered |= r;
    if (st.allow)
      allowedBdd |= piece;
  }
  const double bddTime = cpuSeconds() - t0;
  // Both sides leave the source port out (log2Volume skips it; the BDD has no variable for it).
  // A v4 address's 96 high bits are fixed to zero in the BDD, so it counts 2^32 addresses as
  // the cubes do.
  const double bddLog = bdd_satcountln(allowedBdd);
  std::printf("bdd:   %.3f s CPU, %ld nodes in the pieces, %d in the allowed set\n", bddTime,
              pieceNodes, bdd_nodecount(allowedBdd));
  const double cubeLog = log2Volume(allowed);
  std::printf("log2 |allowed|: cubes %.12f, bdd %.12f -> %s\n", cubeLog, bddLog,
              std::fabs(cubeLog - bddLog) < 1e-9 ? "agree" : "DISAGREE");
  std::fflush(stdout);
  bdd_done();
  return std::fabs(cubeLog - bddLog) < 1e-9 ? 0 : 1;
}
