#include "ReadText.h"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <charconv>

namespace polc::emit::readtext {

using analysis::Family;
using analysis::Interval;
using analysis::u128;

unsigned number(std::string_view s, unsigned max) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v > max)
    throw ReadFailure{fmt::format("'{}' is not a number up to {}", s, max)};
  return v;
}

Interval numberRange(std::string_view s, unsigned max, char separator) {
  const std::size_t at = s.find(separator);
  if (at == std::string_view::npos) {
    const unsigned v = number(s, max);
    return {v, v};
  }
  const unsigned lo = number(s.substr(0, at), max), hi = number(s.substr(at + 1), max);
  if (lo > hi)
    throw ReadFailure{fmt::format("empty range '{}'", s)};
  return {lo, hi};
}

u128 address(Family f, const std::string &text) {
  if (f == Family::V4) {
    in_addr a{};
    if (inet_pton(AF_INET, text.c_str(), &a) != 1)
      throw ReadFailure{fmt::format("'{}' is not an IPv4 address", text)};
    return ntohl(a.s_addr);
  }
  in6_addr a{};
  if (inet_pton(AF_INET6, text.c_str(), &a) != 1)
    throw ReadFailure{fmt::format("'{}' is not an IPv6 address", text)};
  u128 v = 0;
  for (unsigned char b : a.s6_addr)
    v = (v << 8) | b;
  return v;
}

Interval prefix(Family f, const std::string &text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos)
    throw ReadFailure{fmt::format("'{}' is not a prefix", text)};
  const unsigned bits = f == Family::V4 ? 32 : 128;
  const unsigned len = number(std::string_view(text).substr(slash + 1), bits);
  const u128 base = address(f, text.substr(0, slash));
  const u128 host = len == bits ? 0 : (len == 0 ? analysis::dimMax(f, analysis::kSrc) : ((u128{1} << (bits - len)) - 1));
  if (base & host)
    throw ReadFailure{fmt::format("'{}' has host bits set", text)};
  return {base, base | host};
}

namespace {

bool pairwiseDisjoint(std::vector<Interval> v) {
  std::sort(v.begin(), v.end(), [](const Interval &a, const Interval &b) { return a.lo < b.lo; });
  for (std::size_t i = 1; i < v.size(); ++i)
    if (v[i].lo <= v[i - 1].hi)
      return false;
  return true;
}

} // namespace

analysis::PacketSet product(Family f, const std::vector<Interval> &src, const std::vector<Interval> &dst,
                            const std::vector<Interval> &proto, const std::vector<Interval> &sport,
                            const std::vector<Interval> &dport) {
  auto orAll = [&](const std::vector<Interval> &v, analysis::Dim d) {
    return v.empty() ? std::vector<Interval>{{0, analysis::dimMax(f, d)}} : v;
  };
  // A rule's lists are normally disjoint (polc writes merged ranges); then so are the cubes of
  // their product, and the union needs no cutting.
  const bool disjoint = pairwiseDisjoint(src) && pairwiseDisjoint(dst) && pairwiseDisjoint(proto) &&
                        pairwiseDisjoint(sport) && pairwiseDisjoint(dport);
  std::vector<analysis::Cube> cubes;
  for (const Interval &s : orAll(src, analysis::kSrc))
    for (const Interval &d : orAll(dst, analysis::kDst))
      for (const Interval &p : orAll(proto, analysis::kProto))
        for (const Interval &sp : orAll(sport, analysis::kSport))
          for (const Interval &dp : orAll(dport, analysis::kDport)) {
            analysis::Cube c;
            c.family = f;
            c.dims = {s, d, p, sp, dp};
            cubes.push_back(c);
          }
  return disjoint ? analysis::PacketSet::unionOfDisjoint(cubes) : analysis::PacketSet::unionOf(cubes);
}

} // namespace polc::emit::readtext
