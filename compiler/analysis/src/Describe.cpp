// Text for packet sets in findings: the exact sub-range a finding is about, in the policy's
// own terms (CIDR blocks, protocol/port).
#include "Context.h"

#include "polc/syntax/AST.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace polc::analysis {

namespace {

std::string addresses(Family f, Interval i) {
  if (i.lo == 0 && i.hi == dimMax(f, kSrc))
    return f == Family::V4 ? "any IPv4" : "any IPv6";
  std::vector<std::string> cidrs = intervalToCidrs(f, i);
  if (cidrs.size() == 1)
    return i.lo == i.hi ? formatAddress(f, i.lo) : cidrs[0]; // one address: no /32
  // A range that is not one block: show the range itself, it is shorter than many blocks.
  return fmt::format("{}-{}", formatAddress(f, i.lo), formatAddress(f, i.hi));
}

std::optional<ast::Protocol> protocolOf(u128 number) {
  for (auto p : {ast::Protocol::TCP, ast::Protocol::UDP, ast::Protocol::SCTP, ast::Protocol::ICMP,
                 ast::Protocol::ICMPv6, ast::Protocol::ESP, ast::Protocol::AH, ast::Protocol::GRE})
    if (ast::protocolNumber(p) == number)
      return p;
  return std::nullopt;
}

std::string service(const Cube &c) {
  const Interval proto = c.dims[kProto], dport = c.dims[kDport];
  if (proto.lo == 0 && proto.hi == 0xFF)
    return "any service";
  if (proto.lo != proto.hi)
    return fmt::format("protocols {}-{}", static_cast<unsigned>(proto.lo), static_cast<unsigned>(proto.hi));
  auto known = protocolOf(proto.lo);
  std::string name = known ? std::string(ast::protocolName(*known))
                           : fmt::format("proto {}", static_cast<unsigned>(proto.lo));
  if (dport.lo == 0 && dport.hi == 0xFFFF)
    return name;
  if (known && !ast::protocolHasPorts(*known) && *known != ast::Protocol::ICMP &&
      *known != ast::Protocol::ICMPv6)
    return name;
  if (dport.lo == dport.hi)
    return fmt::format("{}/{}", name, static_cast<unsigned>(dport.lo));
  return fmt::format("{}/{}-{}", name, static_cast<unsigned>(dport.lo), static_cast<unsigned>(dport.hi));
}

std::string cubeText(const Cube &c) {
  return fmt::format("{} -> {} {}", addresses(c.family, c.dims[kSrc]),
                     addresses(c.family, c.dims[kDst]), service(c));
}

// The set's cubes of one family projected on one dimension: sorted, merged intervals. A host
// with addresses far apart (two NICs) projects to two intervals, never to the span between them.
std::vector<Interval> projection(const PacketSet &set, Family f, Dim d) {
  std::vector<Interval> all;
  for (const Cube &c : set.cubes())
    if (c.family == f)
      all.push_back(c.dims[d]);
  std::sort(all.begin(), all.end(), [](const Interval &a, const Interval &b) { return a.lo < b.lo; });
  std::vector<Interval> out;
  for (const Interval &i : all)
    if (!out.empty() && (i.lo <= out.back().hi || i.lo - 1 == out.back().hi))
      out.back().hi = std::max(out.back().hi, i.hi);
    else
      out.push_back(i);
  return out;
}

// The hull of the set's cubes of one family along one dimension.
std::optional<Interval> hull(const PacketSet &set, Family f, Dim d) {
  std::optional<Interval> h;
  for (const Cube &c : set.cubes())
    if (c.family == f) {
      if (!h)
        h = c.dims[d];
      else
        h = Interval{std::min(h->lo, c.dims[d].lo), std::max(h->hi, c.dims[d].hi)};
    }
  return h;
}

std::string dimText(Family f, Dim d, Interval i, const Cube &context) {
  if (d == kSrc || d == kDst)
    return addresses(f, i);
  Cube c = context;
  c.dims[kDport] = i;
  return service(c);
}

// Addresses of a projection: "10.20.5.10", or "10.20.5.10, 10.30.5.10" (at most three pieces).
std::string addressList(Family f, const std::vector<Interval> &pieces) {
  std::string out;
  for (std::size_t i = 0; i < pieces.size() && i < 3; ++i)
    out += (i ? ", " : "") + addresses(f, pieces[i]);
  if (pieces.size() > 3)
    out += fmt::format(" and {} more", pieces.size() - 3);
  return out;
}

} // namespace

std::string Context::describe(const PacketSet &set) {
  if (set.empty())
    return "nothing";
  auto w = set.witness();
  const Cube *first = &set.cubes().front();
  for (const Cube &c : set.cubes())
    if (w && c.family == w->family && c.dims[kSrc].lo <= w->src && w->src <= c.dims[kSrc].hi &&
        c.dims[kDst].lo <= w->dst && w->dst <= c.dims[kDst].hi && c.dims[kProto].lo <= w->proto &&
        w->proto <= c.dims[kProto].hi && c.dims[kDport].lo <= w->dport && w->dport <= c.dims[kDport].hi) {
      first = &c;
      break;
    }
  std::string out = cubeText(*first);
  if (set.cubes().size() > 1)
    out += fmt::format(" (and {} more range{})", set.cubes().size() - 1,
                       set.cubes().size() == 2 ? "" : "s");
  return out;
}

std::string Context::subRange(const PacketSet &part, const PacketSet &whole) {
  if (part.empty())
    return {};
  const Cube &pc = part.cubes().front();
  const Family f = pc.family;
  for (Dim d : {kSrc, kDst}) {
    auto p = projection(part, f, d), w = projection(whole, f, d);
    if (p.empty() || w.empty() || p == w)
      continue;
    return fmt::format("{} inside the rule's {}", addressList(f, p), addressList(f, w));
  }
  for (Dim d : {kDport}) {
    auto p = hull(part, f, d), w = hull(whole, f, d);
    if (!p || !w || *p == *w)
      continue;
    if (d == kDport) {
      // Ports only compare within one protocol.
      auto pp = hull(part, f, kProto), wp = hull(whole, f, kProto);
      if (!pp || !wp || pp->lo != pp->hi || !(*pp == *wp))
        continue;
    }
    return fmt::format("{} inside the rule's {}", dimText(f, d, *p, pc), dimText(f, d, *w, pc));
  }
  return {};
}

} // namespace polc::analysis
