// Endpoint settings (docs/language.md §"Setting bounds"):
//  E0910  a profile's `set` value breaks a `require` bound that covers it;
//  E0911  the bounds that cover one place cannot all hold (or cannot hold in the domain);
//  E0912  two profiles give the same endpoints two different values.
// A bound covers a profile's value when their scopes overlap: a global bound covers everything,
// `on zone Z` covers Z and its hosts, `on host H` covers H (and so a profile for H's zone),
// `on profile P` and bounds written inside P cover P's values only.
#include "../Context.h"
#include "Checks.h"
#include "SettingBounds.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>
#include <span>
#include <tuple>

namespace polc::analysis {

using diag::DiagID;

namespace {

// The endpoints a profile's value or a bound is about: everything, or some zones and hosts.
struct Region {
  bool all = false;
  std::set<ir::Id> zones, hosts;
};

// Findings note at most this many bounds by location; the chain note counts the rest.
constexpr std::size_t kMaxBoundNotes = 8;

class SettingsPass {
public:
  explicit SettingsPass(Context &cx) : cx_(cx), p_(cx.policy) {}

  void run() {
    boundsOf_.resize(p_.settings.size());
    for (const ir::SettingBound &b : p_.bounds)
      boundsOf_[b.setting].push_back(&b);
    // Highest layer first, then source order.
    for (auto &list : boundsOf_)
      std::stable_sort(list.begin(), list.end(), [](const ir::SettingBound *a, const ir::SettingBound *b) {
        return std::tuple(a->origin.layer, a->origin.range.file, a->origin.range.begin) <
               std::tuple(b->origin.layer, b->origin.range.file, b->origin.range.begin);
      });
    for (const ir::SettingValue &v : p_.values)
      checkValue(v);
    for (const ir::Setting &s : p_.settings)
      checkSatisfiable(s);
    checkConflicts();
  }

private:
  Context &cx_;
  const ir::Policy &p_;
  std::vector<std::vector<const ir::SettingBound *>> boundsOf_; // per setting, in order

  // ---- regions ----

  Region regionOf(const std::vector<ir::ScopeRef> &scope, bool expandProfiles = true) const {
    Region r;
    r.all = scope.empty();
    for (const ir::ScopeRef &ref : scope)
      switch (ref.kind) {
      case ir::ScopeRef::Kind::Zone: r.zones.insert(ref.id); break;
      case ir::ScopeRef::Kind::Host: r.hosts.insert(ref.id); break;
      case ir::ScopeRef::Kind::Profile:
        // `set X = v on profile P` inside another profile: P's endpoints (one level deep).
        if (expandProfiles) {
          Region inner = regionOf(p_.profiles[ref.id].scope, false);
          r.all = r.all || inner.all;
          r.zones.insert(inner.zones.begin(), inner.zones.end());
          r.hosts.insert(inner.hosts.begin(), inner.hosts.end());
        }
        break;
      }
    return r;
  }

  Region regionOf(const ir::SettingValue &v) const {
    return v.scope.empty() ? regionOf(p_.profiles[v.profile].scope) : regionOf(v.scope);
  }

  bool hostIn(ir::Id host, const std::set<ir::Id> &zones) const {
    const auto &zone = p_.hosts[host].zone;
    return zone && zones.count(*zone);
  }

  // The named zones and hosts both regions cover, as text, for a message.
  std::vector<std::string> common(const Region &a, const Region &b) const {
    std::vector<std::string> out;
    auto zone = [&](ir::Id z) { return fmt::format("zone `{}`", p_.zones[z].name); };
    auto host = [&](ir::Id h) { return fmt::format("host `{}`", p_.hosts[h].name); };
    if (a.all && b.all)
      return {"every endpoint"};
    if (a.all || b.all) {
      const Region &named = a.all ? b : a;
      for (ir::Id z : named.zones)
        out.push_back(zone(z));
      for (ir::Id h : named.hosts)
        out.push_back(host(h));
      return out;
    }
    for (ir::Id z : a.zones)
      if (b.zones.count(z))
        out.push_back(zone(z));
    for (ir::Id h : a.hosts)
      if (b.hosts.count(h) || hostIn(h, b.zones))
        out.push_back(host(h));
    for (ir::Id h : b.hosts)
      if (!a.hosts.count(h) && hostIn(h, a.zones))
        out.push_back(host(h));
    return out;
  }

  bool overlap(const Region &a, const Region &b) const {
    if (a.all || b.all)
      return true;
    for (ir::Id z : a.zones)
      if (b.zones.count(z))
        return true;
    for (ir::Id h : a.hosts)
      if (b.hosts.count(h) || hostIn(h, b.zones))
        return true;
    for (ir::Id h : b.hosts)
      if (hostIn(h, a.zones))
        return true;
    return false;
  }

  // ---- bounds ----

  bool namesProfile(const ir::SettingBound &b, ir::Id profile) const {
    if (b.profile)
      return *b.profile == profile;
    return std::any_of(b.scope.begin(), b.scope.end(), [&](const ir::ScopeRef &r) {
      return r.kind == ir::ScopeRef::Kind::Profile && r.id == profile;
    });
  }

  // Whether `b` covers a value of profile `profile` set for the endpoints `where`.
  bool covers(const ir::SettingBound &b, ir::Id profile, const Region &where) const {
    if (b.profile)
      return *b.profile == profile;
    if (b.scope.empty())
      return true;
    for (const ir::ScopeRef &ref : b.scope) {
      if (ref.kind == ir::ScopeRef::Kind::Profile) {
        if (ref.id == profile)
          return true;
        continue;
      }
      if (overlap(where, regionOf(std::vector<ir::ScopeRef>{ref})))
        return true;
    }
    return false;
  }

  std::string scopeText(const ir::SettingBound &b) const { return boundScopeText(p_, b); }

  // "basic >= 8, standard >= 12 on zone lgwan"; a long chain shows its first and last bounds.
  std::string chain(const std::vector<const ir::SettingBound *> &bounds) const {
    constexpr std::size_t kShown = 8;
    std::string out;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      if (bounds.size() > kShown && i == kShown / 2) {
        out += fmt::format(", … ({} more)", bounds.size() - kShown);
        i = bounds.size() - kShown / 2;
      }
      const ir::SettingBound &b = *bounds[i];
      out += fmt::format("{}{} {}{}", out.empty() ? "" : ", ", cx_.layerName(b.origin.layer, b.origin.range),
                         boundText(b), scopeText(b));
    }
    return out;
  }

  bool satisfiable(const ir::Setting &setting, const std::vector<const ir::SettingBound *> &bounds) const {
    for (const sema::TypedValue &v : candidateValues(p_, setting, bounds))
      if (std::all_of(bounds.begin(), bounds.end(),
                      [&](const ir::SettingBound *b) { return meetsBound(p_, setting, v, *b); }))
        return true;
    return false;
  }

  // ---- E0910 ----

  // `bounds` ordered strictest first: a bound comes before every bound it implies (every value
  // meeting it meets them), found over the candidate values of all of them, which decide
  // implication between these bounds exactly. Bounds that imply each other or none keep their
  // order (higher layer first, then source order).
  std::vector<const ir::SettingBound *> strictestFirst(const ir::Setting &setting,
                                                       const std::vector<const ir::SettingBound *> &bounds) const {
    std::vector<sema::TypedValue> values = candidateValues(p_, setting, bounds);
    std::vector<std::vector<bool>> meets(bounds.size());
    for (std::size_t i = 0; i < bounds.size(); ++i)
      for (const sema::TypedValue &v : values)
        meets[i].push_back(meetsBound(p_, setting, v, *bounds[i]));
    auto implies = [&](std::size_t a, std::size_t b) { // meets(a) is a subset of meets(b)
      for (std::size_t k = 0; k < values.size(); ++k)
        if (meets[a][k] && !meets[b][k])
          return false;
      return true;
    };
    // Rank: how many of the other bounds this one strictly implies.
    std::vector<std::size_t> stricter(bounds.size(), 0);
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      for (std::size_t j = 0; j < bounds.size(); ++j)
        if (i != j && implies(i, j) && !implies(j, i))
          ++stricter[i];
    }
    std::vector<std::size_t> order(bounds.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return stricter[a] > stricter[b]; });
    std::vector<const ir::SettingBound *> out;
    for (std::size_t i : order)
      out.push_back(bounds[i]);
    return out;
  }

  void checkValue(const ir::SettingValue &v) {
    const ir::Setting &setting = p_.settings[v.setting];
    Region where = regionOf(v);
    std::vector<const ir::SettingBound *> applicable, broken;
    for (const ir::SettingBound *b : boundsOf_[v.setting])
      if (covers(*b, v.profile, where)) {
        applicable.push_back(b);
        if (!meetsBound(p_, setting, v.value, *b))
          broken.push_back(b);
      }
    if (broken.empty())
      return;
    // The headline names the strictest broken bound, so that a value chosen to meet it meets
    // the weaker ones too; the others follow as notes, strictest first.
    std::vector<const ir::SettingBound *> ranked = strictestFirst(setting, broken);
    const ir::SettingBound &head = *ranked.front();
    auto d = cx_.diags.report(DiagID::SettingOutsideBound, v.origin.range, setting.name, v.value.str(),
                              cx_.layerPhrase(head.origin), boundText(head));
    for (const ir::SettingBound *b : std::span(ranked).first(std::min(ranked.size(), kMaxBoundNotes)))
      d.note(b->origin.range, DiagID::NoteBoundHere, cx_.layerPhrase(b->origin), boundText(*b));
    if (setting.sentinel && sameValue(setting.sentinel->value, v.value))
      d.note(setting.sentinel->range, DiagID::NoteSentinel, v.value.str(),
             setting.sentinel->meaning.value_or("no limit"));
    d.note(std::nullopt, DiagID::NoteBoundChain, setting.name,
           fmt::format("{}, {} = {}", chain(applicable), cx_.layerName(v.origin.layer, v.origin.range), v.value.str()));
  }

  // ---- E0911 ----

  // One place the bounds are checked at: its name in messages and which bounds cover it.
  struct Place {
    std::string where; // " on zone `lgwan`"; empty for everywhere
    std::vector<const ir::SettingBound *> bounds;
  };

  // A spot: everywhere (outside every zone), one zone (outside its hosts) or one host.
  struct Spot {
    std::optional<ir::Id> zone, host;
    std::string where;
  };

  // The bounds, not tied to a profile, that bind at a spot.
  std::vector<const ir::SettingBound *> located(const std::vector<const ir::SettingBound *> &bounds,
                                                const Spot &spot) const {
    std::optional<ir::Id> zone = spot.host ? p_.hosts[*spot.host].zone : spot.zone;
    std::vector<const ir::SettingBound *> out;
    for (const ir::SettingBound *b : bounds) {
      if (b->profile)
        continue;
      bool hit = b->scope.empty();
      for (const ir::ScopeRef &ref : b->scope)
        hit = hit || (ref.kind == ir::ScopeRef::Kind::Zone && zone == ref.id) ||
              (ref.kind == ir::ScopeRef::Kind::Host && spot.host == ref.id);
      if (hit)
        out.push_back(b);
    }
    return out;
  }

  bool inside(const Spot &spot, const Region &r) const {
    if (r.all)
      return true;
    if (spot.host)
      return r.hosts.count(*spot.host) || hostIn(*spot.host, r.zones);
    return spot.zone && r.zones.count(*spot.zone);
  }

  // Calls `visit` once for every distinct list of bounds that bind together somewhere: at
  // everywhere, each zone, each host, and each spot of a profile with bounds of its own. Spots
  // whose lists are sure to be equal (a host without host bounds in a zone without zone
  // bounds, …) are skipped by key, so big policies do not build one list per host.
  template <typename Visit>
  void forEachPlace(const std::vector<const ir::SettingBound *> &bounds, Visit visit) const {
    std::set<ir::Id> namedZones, namedHosts;
    for (const ir::SettingBound *b : bounds)
      for (const ir::ScopeRef &ref : b->scope) {
        if (ref.kind == ir::ScopeRef::Kind::Zone)
          namedZones.insert(ref.id);
        if (ref.kind == ir::ScopeRef::Kind::Host)
          namedHosts.insert(ref.id);
      }
    constexpr std::int64_t kNone = -1;
    // (zone whose bounds apply, host whose bounds apply, profile whose bounds apply)
    std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t>> seen;
    auto keyOf = [&](const Spot &spot, std::int64_t profile) {
      std::optional<ir::Id> zone = spot.host ? p_.hosts[*spot.host].zone : spot.zone;
      std::int64_t z = zone && namedZones.count(*zone) ? static_cast<std::int64_t>(*zone) : kNone;
      std::int64_t h = spot.host && namedHosts.count(*spot.host) ? static_cast<std::int64_t>(*spot.host) : kNone;
      return std::tuple(z, h, profile);
    };

    std::vector<Spot> spots{{std::nullopt, std::nullopt, ""}};
    for (const ir::Zone &z : p_.zones)
      spots.push_back({z.id, std::nullopt, fmt::format(" on zone `{}`", z.name)});
    for (const ir::Host &h : p_.hosts)
      spots.push_back({std::nullopt, h.id, fmt::format(" on host `{}`", h.name)});
    for (const Spot &spot : spots)
      if (seen.insert(keyOf(spot, kNone)).second)
        visit(Place{spot.where, located(bounds, spot)});

    // A profile's own bounds join the located bounds of every spot the profile covers.
    for (const ir::EndpointProfile &prof : p_.profiles) {
      std::set<const ir::SettingBound *> own;
      for (const ir::SettingBound *b : bounds)
        if (namesProfile(*b, prof.id))
          own.insert(b);
      if (own.empty())
        continue;
      Region covered = regionOf(prof.scope);
      for (const Spot &spot : spots) {
        if (!inside(spot, covered) || !seen.insert(keyOf(spot, prof.id)).second)
          continue;
        std::vector<const ir::SettingBound *> here = located(bounds, spot);
        std::set<const ir::SettingBound *> all(here.begin(), here.end());
        all.insert(own.begin(), own.end());
        Place place{fmt::format(" in profile `{}`", prof.name), {}};
        for (const ir::SettingBound *b : bounds) // keep the layer/source order
          if (all.count(b))
            place.bounds.push_back(b);
        visit(place);
      }
    }
  }

  void checkSatisfiable(const ir::Setting &setting) {
    const std::vector<const ir::SettingBound *> &bounds = boundsOf_[setting.id];
    if (bounds.empty())
      return;
    std::set<std::pair<ir::Id, std::int64_t>> reported; // (bound, partner or -1 for the domain)
    forEachPlace(bounds, [&](const Place &place) {
      // Add the bounds in order; the first that leaves no value is the finding (the lower,
      // later bound), and it is left out so later conflicts still show. The candidates of all
      // the place's bounds include those of every subset of them, so narrowing one pool bound
      // by bound decides each prefix: linear in the bounds, not cubic.
      std::vector<sema::TypedValue> alive = candidateValues(p_, setting, place.bounds);
      std::vector<const ir::SettingBound *> active;
      for (const ir::SettingBound *b : place.bounds) {
        std::vector<sema::TypedValue> next;
        for (const sema::TypedValue &v : alive)
          if (meetsBound(p_, setting, v, *b))
            next.push_back(v);
        if (!next.empty()) {
          alive = std::move(next);
          active.push_back(b);
          continue;
        }
        reportUnsatisfiable(setting, *b, active, place, reported);
      }
    });
  }

  void reportUnsatisfiable(const ir::Setting &setting, const ir::SettingBound &b,
                           const std::vector<const ir::SettingBound *> &active, const Place &place,
                           std::set<std::pair<ir::Id, std::int64_t>> &reported) {
    std::vector<const ir::SettingBound *> partners;
    bool domain = !satisfiable(setting, {&b});
    bool joint = false;
    if (!domain) {
      for (const ir::SettingBound *a : active)
        if (!satisfiable(setting, {a, &b})) {
          partners.push_back(a);
          break;
        }
      joint = partners.empty();
      if (joint) // only all of them together rule every value out
        partners.assign(active.begin(), active.begin() + std::min(active.size(), kMaxBoundNotes));
    }
    std::int64_t key = domain ? -1 : static_cast<std::int64_t>(partners.front()->id);
    if (!reported.insert({b.id, key}).second)
      return;
    auto d = cx_.diags.report(DiagID::BoundsUnsatisfiable, b.origin.range, setting.name, place.where);
    if (domain)
      d.note(setting.origin.range, DiagID::NoteSettingDeclaredHere, setting.name, describeType(setting));
    for (const ir::SettingBound *a : partners)
      d.note(a->origin.range, DiagID::NoteBoundHere, cx_.layerPhrase(a->origin), boundText(*a));
    std::vector<const ir::SettingBound *> shown = joint ? active : partners;
    shown.push_back(&b);
    d.note(std::nullopt, DiagID::NoteBoundChain, setting.name, chain(shown));
  }

  // ---- E0912 ----

  void checkConflicts() {
    std::vector<std::vector<const ir::SettingValue *>> bySetting(p_.settings.size());
    std::vector<Region> regions;
    regions.reserve(p_.values.size());
    for (const ir::SettingValue &v : p_.values) {
      bySetting[v.setting].push_back(&v);
      regions.push_back(regionOf(v));
    }
    for (const auto &values : bySetting)
      for (std::size_t j = 0; j < values.size(); ++j)
        for (std::size_t i = 0; i < j; ++i)
          checkConflict(*values[i], *values[j], regions[values[i]->id], regions[values[j]->id]);
  }

  void checkConflict(const ir::SettingValue &a, const ir::SettingValue &b, const Region &ra,
                     const Region &rb) {
    // One profile setting a value twice is sema's E0722; profiles for different platforms
    // never configure the same endpoint.
    if (a.profile == b.profile || sameValue(a.value, b.value) ||
        p_.profiles[a.profile].platform != p_.profiles[b.profile].platform || !overlap(ra, rb))
      return;
    std::vector<std::string> both = common(ra, rb);
    std::string where;
    for (std::size_t k = 0; k < both.size(); ++k)
      where += (k ? ", " : "") + both[k];
    cx_.diags
        .report(DiagID::ConflictingValues, b.origin.range, p_.settings[b.setting].name, where,
                a.value.str(), b.value.str())
        .note(a.origin.range, DiagID::NoteOtherValueHere, a.value.str());
  }
};

} // namespace

void checkSettings(Context &cx) { SettingsPass(cx).run(); }

} // namespace polc::analysis
