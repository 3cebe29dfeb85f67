// From a device's placement to its platform-neutral rules (Firewalls.h: buildDeviceRules).
#include "Terms.h"
#include "polc/analysis/PacketBuilders.h"
#include "polc/emit/Firewalls.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

namespace polc::emit {

namespace fs = std::filesystem;

namespace {

// Declared address groups (hosts first: a host's name says more than a zone's when both have
// the same addresses), keyed by family and ranges so a term's addresses find their name.
class GroupCatalogue {
public:
  explicit GroupCatalogue(const ir::Policy &policy) {
    for (const ir::Host &h : policy.hosts)
      declare(h.name, h.addresses);
    for (const ir::Zone &z : policy.zones)
      declare(z.name, z.addresses);
  }

  // The group index in `groups` for these ranges, adding the group on first use; -1 if none.
  int lookup(Family f, const std::vector<Interval> &ranges, std::vector<AddressGroup> &groups) {
    auto it = declared_.find(keyOf(f, ranges));
    if (it == declared_.end())
      return -1;
    auto used = used_.find(it->first);
    if (used != used_.end())
      return used->second;
    AddressGroup g;
    g.name = uniqueName(it->second, f);
    g.family = f;
    g.ranges = ranges;
    groups.push_back(std::move(g));
    return used_[it->first] = static_cast<int>(groups.size()) - 1;
  }

private:
  using Key = std::string; // family and ranges, printed: ranges have no ordering of their own

  static Key keyOf(Family f, const std::vector<Interval> &ranges) {
    Key k = f == Family::V4 ? "4" : "6";
    for (const Interval &i : ranges)
      k += ' ' + analysis::formatAddress(f, i.lo) + '-' + analysis::formatAddress(f, i.hi);
    return k;
  }

  void declare(const std::string &name, const std::vector<ir::Address> &addresses) {
    for (Family f : {Family::V4, Family::V6}) {
      std::vector<Interval> ranges;
      for (const ir::Address &a : addresses)
        if (analysis::familyOf(a.prefix.family) == f)
          ranges.push_back(analysis::prefixInterval(a.prefix));
      if (ranges.empty())
        continue;
      // The set algebra sorts and merges the prefixes into canonical ranges.
      std::vector<analysis::Cube> cubes;
      for (const Interval &r : ranges) {
        analysis::Cube c = analysis::Cube::full(f);
        c.dims[analysis::kSrc] = r;
        cubes.push_back(c);
      }
      std::vector<Interval> canonical;
      const PacketSet merged = PacketSet::unionOf(cubes);
      for (const analysis::Cube &c : merged.cubes())
        canonical.push_back(c.dims[analysis::kSrc]);
      declared_.emplace(keyOf(f, canonical), name); // first declaration wins
    }
  }

  // Identifiers safe on every platform: [a-z0-9_], a family suffix, at most 40 characters.
  std::string uniqueName(const std::string &declared, Family f) {
    std::string base;
    for (char c : declared)
      base += (std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '_');
    if (base.size() > 32)
      base.resize(32);
    base += f == Family::V4 ? "_v4" : "_v6";
    std::string name = base;
    for (int n = 2; !taken_.insert(name).second; ++n)
      name = base + "_" + std::to_string(n);
    return name;
  }

  std::map<Key, std::string> declared_;
  std::map<Key, int> used_;
  std::set<std::string> taken_;
};

// An absolute, normalised path; never throws (a path that cannot be resolved stays as given).
std::string canonical(const std::string &path) {
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec);
  if (ec)
    return path;
  fs::path resolved = fs::weakly_canonical(abs, ec);
  return (ec ? abs.lexically_normal() : resolved).string();
}

// The smallest cubes holding the set: one per family and protocol with ports, and one per family
// for the protocols without ports, widened to every port. One box across protocol classes would
// be wrong, not only loose: the hull of tcp/53 and udp/53 is protocols 6..17 on port 53, and
// the permitted packets inside it would give gre or esp a port, which no rule can match.
PacketSet boundingBoxes(const PacketSet &set) {
  struct Keyed {
    analysis::Family family;
    unsigned protocol; // 256 for every protocol without ports
    analysis::Cube box;
  };
  std::vector<Keyed> boxes;
  for (const analysis::Cube &c : set.cubes()) {
    const analysis::Interval p = c.dims[analysis::kProto];
    const bool ported = p.lo == p.hi && protocolHasPortDims(c.family, static_cast<std::uint8_t>(p.lo));
    const unsigned key = ported ? static_cast<unsigned>(p.lo) : 256u;
    analysis::Cube piece = c;
    if (!ported)
      piece.dims[analysis::kSport] = piece.dims[analysis::kDport] = {0, 0xFFFF};
    auto it = std::find_if(boxes.begin(), boxes.end(),
                           [&](const Keyed &b) { return b.family == c.family && b.protocol == key; });
    if (it == boxes.end()) {
      boxes.push_back({c.family, key, piece});
      continue;
    }
    for (std::size_t d = 0; d < analysis::kDims; ++d) {
      it->box.dims[d].lo = std::min(it->box.dims[d].lo, piece.dims[d].lo);
      it->box.dims[d].hi = std::max(it->box.dims[d].hi, piece.dims[d].hi);
    }
  }
  std::vector<analysis::Cube> cubes;
  for (const Keyed &k : boxes)
    cubes.push_back(k.box);
  return PacketSet::unionOf(cubes);
}

} // namespace

OriginNamer::OriginNamer(const ir::Policy &policy, const diag::SourceManager &sources,
                         const FirewallEmitOptions &options)
    : policy_(policy), sources_(sources),
      root_(canonical(options.projectRoot.empty() ? "." : options.projectRoot)),
      stdlib_(options.stdlibDir.empty() ? std::string() : canonical(options.stdlibDir)),
      // Module scopes need fileName, hence root_ and stdlib_ first (declaration order).
      ids_(policy, sources, [this](diag::FileID f) { return moduleImportName(fileName(f)); }) {}

RuleOrigin OriginNamer::of(const ir::Origin &origin) const {
  RuleOrigin o;
  if (origin.section) {
    const ir::Section &s = policy_.sections[*origin.section];
    o.clause = s.number;
    o.clauseTitle = s.title.value_or("");
  }
  o.layer = origin.layer == ir::kModuleLayer ? "stdlib" : policy_.layers[origin.layer].name;
  if (!origin.range.valid())
    return o;
  o.line = sources_.lineCol(origin.range.start()).line;
  o.statement = ids_.of(origin);
  o.file = fileName(origin.range.file);
  return o;
}

std::string OriginNamer::fileName(diag::FileID id) const {
  auto cached = names_.find(id);
  if (cached != names_.end())
    return cached->second;
  const fs::path file = canonical(std::string(sources_.name(id)));
  auto under = [&](const std::string &root) -> std::optional<std::string> {
    if (root.empty())
      return std::nullopt;
    const fs::path rel = file.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..")
      return std::nullopt;
    return rel.generic_string();
  };
  std::string name;
  if (auto rel = under(root_))
    name = *rel;
  else if (auto lib = under(stdlib_))
    name = "stdlib/" + *lib;
  else
    name = file.filename().string();
  return names_[id] = name;
}

RuleOrigin OriginNamer::of(const ir::Flow &flow) const {
  RuleOrigin o = of(flow.origin);
  if (flow.exception)
    o.exception = policy_.exceptions[*flow.exception].name;
  return o;
}

DeviceRules buildDeviceRules(const ir::Policy &policy, const analysis::DevicePlacement &placement,
                             const OriginNamer &namer) {
  const ir::Firewall &fw = *placement.device;
  DeviceRules d;
  d.name = fw.name;
  d.title = fw.title.value_or("");
  d.platform = fw.platform;
  d.origin = namer.of(fw.origin);
  for (const ir::Interface &i : fw.interfaces)
    d.interfaces.push_back({i.name, policy.zones[i.zone].name});
  GroupCatalogue catalogue(policy);
  // Takes the terms already factorised: a deny's terms are computed to choose its rendering, and
  // termsOf is the costliest step of the build, so they are not computed twice.
  auto addRule = [&](std::vector<Rule> &out, const ir::Flow &flow, std::vector<Term> terms,
                     Verdict verdict) {
    Rule r;
    r.verdict = verdict;
    r.origin = namer.of(flow);
    r.terms = std::move(terms);
    if (r.terms.empty())
      return; // only ICMP types that do not exist
    for (Term &t : r.terms)
      for (AddressMatch *m : {&t.src, &t.dst})
        if (!m->any)
          m->group = catalogue.lookup(t.family, m->ranges, d.groups);
    out.push_back(std::move(r));
  };
  for (const analysis::InterfacePath &p : placement.paths) {
    PathRules path;
    path.from = p.from;
    path.to = p.to;
    path.permitted = onTheWire(p.permitted);
    for (const analysis::AttributedPackets &piece : p.allows)
      addRule(path.rules, *piece.flow, termsOf(onTheWire(piece.packets)), Verdict::Accept);
    // The drops follow every accept, so a drop may also cover permitted packets: they never reach
    // it, and what it logs is still exactly what its statement denies. A deny cut by an
    // exception's or a sanitiser's hole is often one term once the hole is filled back in; the
    // smaller rendering wins.
    // Only the permitted packets inside each deny's bounding box can fill its holes; one index
    // over the permitted set serves every deny of the path. The fillers come one at a time: each
    // can hold a large share of the permitted set, and all of them at once took gigabytes.
    // A deny whose terms no filling can reduce is not filled at all: one term, or (when no
    // permitted or denied packet has port 0) a term per family and protocol it has, as no
    // superset has fewer (Terms.h). Filling each deny costs O(|permitted|), O(n^2) in all.
    const bool permittedHasPortZero = hasPortZero(path.permitted);
    std::vector<PacketSet> exact;
    std::vector<std::vector<Term>> terms;
    std::vector<PacketSet> hulls;
    std::vector<std::size_t> toFill;
    for (const analysis::AttributedPackets &piece : p.denies) {
      exact.push_back(onTheWire(piece.packets));
      terms.push_back(termsOf(exact.back()));
      const std::size_t n = terms.back().size();
      const bool minimal = n <= 1 || (!permittedHasPortZero && !hasPortZero(exact.back()) &&
                                      n <= familyProtocolPairs(exact.back()));
      if (!minimal) {
        toFill.push_back(exact.size() - 1);
        hulls.push_back(boundingBoxes(exact.back()));
      }
    }
    std::vector<const PacketSet *> hullPtrs;
    for (const PacketSet &h : hulls)
      hullPtrs.push_back(&h);
    path.permitted.forEachIntersection(hullPtrs, [&](std::size_t k, PacketSet filler) {
      const std::size_t i = toFill[k];
      if (filler.empty())
        return;
      // A deny's packets were cut by the allowed set before they reached it, so they and the
      // permitted filler never overlap (onTheWire keeps that: it widens only types that reach
      // 255, and drops the ones above).
      std::vector<Term> filledTerms = termsOf(exact[i].uniteDisjoint(filler));
      if (filledTerms.size() < terms[i].size())
        terms[i] = std::move(filledTerms);
    });
    for (std::size_t i = 0; i < p.denies.size(); ++i)
      addRule(path.rules, *p.denies[i].flow, std::move(terms[i]), Verdict::DropAndLog);
    d.paths.push_back(std::move(path));
  }
  return d;
}

} // namespace polc::emit
