// Requirements as obligations (docs/language.md §8.5, "When a requirement is met"):
//  E0950  some endpoint in a requirement's scope gets no value for the setting at all: no
//         profile applies to it, or those that do leave the setting out;
//  E0951  the only values that meet it are `set`s that no generated file configures (the
//         platform's mapping table has only a `manual:` entry for them) and nobody attests;
//  W0950  an `attest` for a value the platform's file does configure.
// A value that breaks the bound is E0910 (Settings.cpp), not repeated here.
//
// The endpoints polc knows are its hosts, and each zone that has addresses but no hosts (its
// whole address range is then one endpoint). A profile applies to the hosts and zones its scope
// names (a zone: every host in it), to every endpoint when it has no scope. A schema `default`
// never counts: polc writes no value a profile does not set, so the endpoint keeps its own.
#include "../Context.h"
#include "../EndpointModel.h"
#include "Checks.h"
#include "SettingBounds.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace polc::analysis {

using diag::DiagID;

namespace {


// Findings list at most this many endpoints by name; the rest are counted.
constexpr std::size_t kMaxNamed = 6;

class ObligationsPass {
public:
  explicit ObligationsPass(Context &cx)
      : cx_(cx), p_(cx.policy), model_(p_), all_(model_.endpoints()), hostsOf_(model_.hostsOf()),
        appliesTo_(model_.appliesTo()) {
    for (const ir::SettingValue &v : p_.values)
      valuesOf_[{v.profile, v.setting}].push_back(&v);
  }

  void run() {
    checkAttestations();
    // Where each bound holds, as E0911 sees it (an unscoped bound everywhere, existing or not).
    boundsOf_.resize(p_.settings.size());
    for (const ir::SettingBound &b : p_.bounds) {
      holds_.push_back(b.profile ? appliesTo_[*b.profile] : expand(b.scope));
      boundsOf_[b.setting].push_back(&b);
    }
    // Like E0903 for required flows: a requirement is an obligation for the layers below it
    // that configure endpoints. A basic policy alone, or a module checked on its own, is not
    // flagged for what its lower layers have yet to write.
    int lowestProfileLayer = ir::kModuleLayer - 1;
    for (const ir::EndpointProfile &prof : p_.profiles)
      lowestProfileLayer = std::max(lowestProfileLayer, prof.origin.layer);
    for (const ir::SettingBound &b : p_.bounds)
      if (!ir::governsExceptions(p_.settings[b.setting]) &&
          (b.profile || lowestProfileLayer > b.origin.layer))
        checkBound(b);
  }

private:
  Context &cx_;
  const ir::Policy &p_;
  const EndpointModel model_; // the endpoints, shared with setting expectations (E1104)
  const std::vector<Endpoint> &all_;
  const std::map<ir::Id, std::vector<ir::Id>> &hostsOf_;  // zone -> its hosts
  const std::vector<std::vector<bool>> &appliesTo_;       // per profile, per endpoint
  std::map<ir::Id, std::vector<bool>> valueRegion_; // per scoped value, per endpoint
  std::map<std::pair<ir::Id, ir::Id>, std::vector<const ir::SettingValue *>> valuesOf_; // (profile, setting)
  std::set<ir::Id> onPaperReported_; // values, each reported at its first unmet bound
  std::vector<std::vector<bool>> holds_; // per bound, per endpoint
  std::map<std::pair<ir::Id, std::size_t>, bool> satisfiable_; // (setting, endpoint)
  std::vector<std::vector<const ir::SettingBound *>> boundsOf_;  // per setting

  // Whether some value meets every bound on `setting` that holds at endpoint i. When none can,
  // E0911 reports the contradiction; asking for a value there (E0950) would not help. Decided
  // once per (setting, endpoint): linear in the bounds, however many repeat one another.
  bool satisfiableAt(const ir::Setting &setting, std::size_t i) {
    auto [it, fresh] = satisfiable_.try_emplace({setting.id, i}, false);
    if (!fresh)
      return it->second;
    std::vector<const ir::SettingBound *> here;
    for (const ir::SettingBound *b : boundsOf_[setting.id])
      if (holds_[b->id][i])
        here.push_back(b);
    for (const sema::TypedValue &v : candidateValues(p_, setting, here))
      if (std::all_of(here.begin(), here.end(), [&](const ir::SettingBound *b) { return meetsBound(p_, setting, v, *b); }))
        return it->second = true;
    return false;
  }

  // ---- which endpoints ----

  std::optional<ir::Id> zoneOf(const Endpoint &e) const { return model_.zoneOf(e); }
  std::vector<bool> expand(const std::vector<ir::ScopeRef> &scope, bool expandProfiles = true) const {
    return model_.expand(scope, expandProfiles);
  }
  bool exists(std::size_t i) const { return model_.exists(i); }
  bool governed(std::size_t i) const { return model_.governed(i); }

  // The endpoints a bound binds: for a bound written in a profile, the existing endpoints the
  // profile applies to; for no scope, every governed endpoint; otherwise each named zone's
  // hosts (or the zone itself when it has none: naming it says there are endpoints there,
  // addresses or not), each named host, and the existing endpoints each named profile
  // applies to.
  std::vector<std::size_t> boundEndpoints(const ir::SettingBound &b) const {
    std::vector<std::size_t> out;
    if (b.scope.empty() && !b.profile) {
      for (std::size_t i = 0; i < all_.size(); ++i)
        if (governed(i))
          out.push_back(i);
      return out;
    }
    const std::vector<bool> in = b.profile ? appliesTo_[*b.profile] : expand(b.scope);
    // A module's requirement (std.lgov.alpha's `on zone internet`) is a parameter for the policy
    // that imports it: it names no endpoints of its own.
    const bool ownNames = !b.profile && b.origin.layer != ir::kModuleLayer;
    const std::vector<bool> named = ownNames ? expand(b.scope, false) : std::vector<bool>(all_.size(), false);
    for (std::size_t i = 0; i < all_.size(); ++i)
      if (in[i] && (named[i] || exists(i)))
        out.push_back(i);
    return out;
  }

  // Whether value `v` (of a profile that applies to endpoint i) reaches endpoint i.
  bool reaches(const ir::SettingValue &v, std::size_t i) {
    if (v.scope.empty())
      return true;
    auto it = valueRegion_.find(v.id);
    if (it == valueRegion_.end())
      it = valueRegion_.emplace(v.id, expand(v.scope)).first;
    return it->second[i];
  }

  std::string name(const Endpoint &e) const {
    return e.isZone ? fmt::format("zone `{}`", p_.zones[e.id].name) : fmt::format("host `{}`", p_.hosts[e.id].name);
  }

  // "host `a`, host `b` and 3 more"; a zone whose every host is listed is named as the zone.
  std::string names(const std::vector<Endpoint> &list) const {
    std::vector<std::string> parts;
    std::set<ir::Id> listedHosts, wholeZones;
    for (const Endpoint &e : list)
      if (!e.isZone)
        listedHosts.insert(e.id);
    for (const auto &[zone, hosts] : hostsOf_)
      if (std::all_of(hosts.begin(), hosts.end(), [&](ir::Id h) { return listedHosts.count(h) > 0; }))
        wholeZones.insert(zone);
    std::set<ir::Id> named;
    for (const Endpoint &e : list) {
      std::optional<ir::Id> zone = zoneOf(e);
      if (!e.isZone && zone && wholeZones.count(*zone)) {
        if (named.insert(*zone).second)
          parts.push_back(fmt::format("zone `{}` (every host)", p_.zones[*zone].name));
        continue;
      }
      parts.push_back(name(e));
    }
    std::string out;
    std::size_t shown = std::min(parts.size(), kMaxNamed);
    for (std::size_t i = 0; i < shown; ++i)
      out += (i ? ", " : "") + parts[i];
    if (parts.size() > shown)
      out += fmt::format(" and {} more", parts.size() - shown);
    return out;
  }

  std::string scopeText(const ir::SettingBound &b) const { return boundScopeText(p_, b); }

  // ---- values ----

  // Whether nothing but a person makes `v` real: its platform's table has only a `manual:`
  // entry for it. Unknown platforms and settings count as configured (E1010 at build).
  bool manualOnly(const ir::SettingValue &v) const {
    if (!cx_.options.configuredByFile)
      return false;
    std::optional<bool> configured = cx_.options.configuredByFile(
        p_.profiles[v.profile].platform, p_.settings[v.setting].name, v.value);
    return configured && !*configured;
  }

  void checkAttestations() {
    if (!cx_.options.configuredByFile)
      return;
    for (const ir::SettingValue &v : p_.values) {
      if (!v.attestation)
        continue;
      const std::string &platform = p_.profiles[v.profile].platform;
      std::optional<bool> configured = cx_.options.configuredByFile(platform, p_.settings[v.setting].name, v.value);
      if (configured && *configured)
        cx_.diags
            .report(DiagID::AttestedButConfigured, v.origin.range, p_.settings[v.setting].name, v.value.str(),
                    platform)
            .note(p_.profiles[v.profile].origin.range, DiagID::NoteEndpointProfileHere, p_.profiles[v.profile].name,
                  platform);
    }
  }

  // ---- E0950 / E0951 ----

  void checkBound(const ir::SettingBound &b) {
    const ir::Setting &setting = p_.settings[b.setting];
    std::vector<Endpoint> unset;                        // no value from any profile
    std::map<ir::Id, std::vector<Endpoint>> omittedBy; // profile -> endpoints it leaves unset
    std::vector<Endpoint> noProfile;
    std::vector<const ir::SettingValue *> onPaper;
    for (std::size_t i : boundEndpoints(b)) {
      const Endpoint &e = all_[i];
      std::vector<ir::Id> applying;
      std::vector<const ir::SettingValue *> values;
      for (const ir::EndpointProfile &prof : p_.profiles) {
        if (!appliesTo_[prof.id][i])
          continue;
        applying.push_back(prof.id);
        if (auto it = valuesOf_.find({prof.id, b.setting}); it != valuesOf_.end())
          for (const ir::SettingValue *v : it->second)
            if (reaches(*v, i))
              values.push_back(v);
      }
      if (values.empty()) {
        if (!satisfiableAt(setting, i))
          continue;
        unset.push_back(e);
        if (applying.empty())
          noProfile.push_back(e);
        for (ir::Id prof : applying)
          omittedBy[prof].push_back(e);
        continue;
      }
      // Met when a value that meets the bound is real: written by a file, or attested.
      // Values that break it are E0910's.
      bool real = false;
      const ir::SettingValue *paper = nullptr;
      for (const ir::SettingValue *v : values) {
        if (!meetsBound(p_, setting, v->value, b))
          continue;
        if (v->attestation || !manualOnly(*v))
          real = true;
        else if (!paper)
          paper = v;
      }
      if (!real && paper && std::find(onPaper.begin(), onPaper.end(), paper) == onPaper.end())
        onPaper.push_back(paper);
    }
    for (const ir::SettingValue *v : onPaper)
      reportOnPaper(b, setting, *v);
    if (unset.empty())
      return;
    auto d = cx_.diags.report(DiagID::RequirementUnmet, b.origin.range, cx_.layerPhrase(b.origin),
                              setting.name, boundText(b), scopeText(b), names(unset));
    std::size_t shown = 0;
    for (const auto &[prof, endpoints] : omittedBy) {
      if (++shown > kMaxNamed)
        break;
      d.note(p_.profiles[prof].origin.range, DiagID::NoteProfileOmitsSetting, p_.profiles[prof].name,
             names(endpoints), setting.name);
    }
    if (omittedBy.size() > kMaxNamed)
      d.note(std::nullopt, DiagID::NoteMoreRules, omittedBy.size() - kMaxNamed, "profiles");
    if (!noProfile.empty())
      d.note(std::nullopt, DiagID::NoteNoProfileApplies, names(noProfile));
    if (setting.defaultValue) {
      bool breaks = !meetsBound(p_, setting, *setting.defaultValue, b);
      d.note(setting.origin.range, DiagID::NoteDefaultNotCounted, setting.name, setting.defaultValue->str(),
             breaks ? ", and it would break this bound" : "");
    }
  }

  void reportOnPaper(const ir::SettingBound &b, const ir::Setting &setting, const ir::SettingValue &v) {
    if (!onPaperReported_.insert(v.id).second)
      return;
    cx_.diags
        .report(DiagID::RequirementMetOnPaper, v.origin.range, setting.name, v.value.str(),
                cx_.layerPhrase(b.origin), boundText(b), p_.profiles[v.profile].platform)
        .note(b.origin.range, DiagID::NoteRequirementHere, cx_.layerPhrase(b.origin), setting.name,
              boundText(b));
  }
};

} // namespace

void checkObligations(Context &cx) { ObligationsPass(cx).run(); }

} // namespace polc::analysis
