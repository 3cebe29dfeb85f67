// Matches a profile's `set` values with the platform table. Only what a profile sets is written:
// a schema default is never applied on the profile's behalf, because the analysis checks `set`
// values against the layers' bounds (E0910) but not defaults, and writing an unchecked default
// could break a higher layer's bound. Settings left unset are listed in the summary instead.
#include "endpoint/Resolve.h"

#include "Render.h"
#include "endpoint/Conversion.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace polc::emit::endpoint {

using diag::DiagID;

std::string fileStemOf(const std::string &name) {
  std::string out;
  for (char c : name)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '_';
  return out.empty() ? "_" : out;
}

std::string groupOf(const std::string &name) {
  // Ansible group names are Python identifiers: no dashes, no leading digit.
  std::string g = identifier(name, 64);
  if (g.empty() || std::isdigit(static_cast<unsigned char>(g[0])))
    g = "profile_" + g;
  return g;
}

namespace {

std::string scopeText(const ir::Policy &policy, const ir::ScopeRef &ref) {
  switch (ref.kind) {
  case ir::ScopeRef::Kind::Zone: return "zone " + policy.zones[ref.id].name;
  case ir::ScopeRef::Kind::Host: return "host " + policy.hosts[ref.id].name;
  case ir::ScopeRef::Kind::Profile: return "profile " + policy.profiles[ref.id].name;
  }
  return {};
}

class Resolver {
public:
  Resolver(const ir::Policy &policy, const Platform &platform, const OriginNamer &namer, DataCheck check,
           diag::DiagnosticsEngine &diags)
      : policy_(policy), platform_(platform), namer_(namer), check_(check), diags_(diags) {}

  // False after reporting why the value cannot be written.
  bool resolve(const ir::SettingValue &sv, const ir::EndpointProfile &profile, ResolvedSetting &out) {
    const ir::Setting &setting = policy_.settings[sv.setting];
    out.setting = &setting;
    out.value = sv.value;
    out.origin = namer_.of(sv.origin);
    const SettingMap *map = platform_.find(setting.name);
    if (!map) {
      unmapped(sv, profile, setting);
      return false;
    }
    const std::string spelled = spelling(sv.value);
    bool ok = true;
    for (const Key &key : map->keys) {
      // One report per `set`: the first key that cannot hold the value says why.
      if (!ok || !applies(key.when, sv.value))
        continue;
      ResolvedKey rk{&key, {}, key.note.find(spelled)};
      if (key.value) {
        auto converted = convert(*key.value, sv.value, setting);
        if (auto *u = std::get_if<Unrepresentable>(&converted)) {
          unrepresentable(sv, setting, key, u->reason);
          ok = false;
          continue;
        }
        rk.text = std::get<std::string>(converted);
      }
      if (std::string problem = check_(key, rk.text); !problem.empty()) {
        unrepresentable(sv, setting, key, problem);
        ok = false;
        continue;
      }
      out.keys.push_back(std::move(rk));
    }
    out.manual = map->manual.find(spelled);
    if (sv.attestation) {
      const ir::Role &owner = policy_.roles[sv.attestation->owner];
      out.attestation = std::make_pair(owner.title.value_or(owner.name), sv.attestation->evidence);
    }
    auto need = [&](const std::string &step) {
      const Step *s = &platform_.steps.at(step);
      if (std::find(out.steps.begin(), out.steps.end(), s) == out.steps.end())
        out.steps.push_back(s);
    };
    for (const std::string &r : map->needs)
      need(r);
    for (const ResolvedKey &k : out.keys)
      for (const std::string &r : k.key->needs)
        need(r);
    // A value the table neither writes, nor needs a step for, nor explains is not mapped either.
    if (ok && out.keys.empty() && out.steps.empty() && !out.manual) {
      unmapped(sv, profile, setting);
      return false;
    }
    return ok;
  }

private:
  const ir::Policy &policy_;
  const Platform &platform_;
  const OriginNamer &namer_;
  DataCheck check_;
  diag::DiagnosticsEngine &diags_;

  void unmapped(const ir::SettingValue &sv, const ir::EndpointProfile &profile, const ir::Setting &setting) {
    diags_.report(DiagID::EndpointSettingUnmapped, sv.origin.range, platform_.name, setting.name, sv.value.str())
        .note(profile.origin.range, DiagID::NoteEndpointProfileHere, profile.name, platform_.name);
  }

  void unrepresentable(const ir::SettingValue &sv, const ir::Setting &setting, const Key &key,
                       const std::string &reason) {
    diags_.report(DiagID::EndpointValueUnrepresentable, sv.origin.range, setting.name, sv.value.str(),
                  platform_.name, key.title + " (" + keyLabel(key) + ")", reason);
  }
};

} // namespace

std::optional<ResolvedProfile> resolveProfile(const ir::Policy &policy, const ir::EndpointProfile &profile,
                                              const Platform &platform, const OriginNamer &namer,
                                              DataCheck check, diag::DiagnosticsEngine &diags) {
  ResolvedProfile rp;
  rp.profile = &profile;
  rp.platform = &platform;
  rp.origin = namer.of(profile.origin);
  rp.stem = fileStemOf(profile.name);
  rp.group = groupOf(profile.name);
  for (const ir::ScopeRef &ref : profile.scope)
    rp.scope.push_back(scopeText(policy, ref));
  Resolver resolver(policy, platform, namer, check, diags);
  bool ok = true;
  std::set<ir::Id> set;
  for (ir::Id id : profile.values) {
    const ir::SettingValue &sv = policy.values[id];
    set.insert(sv.setting);
    if (!sv.scope.empty()) {
      // One file per profile: a value for only some of its hosts has nowhere to go.
      std::string scope;
      for (const ir::ScopeRef &ref : sv.scope)
        scope += (scope.empty() ? "" : ", ") + scopeText(policy, ref);
      diags.report(DiagID::EndpointScopedSet, sv.origin.range, policy.settings[sv.setting].name, scope,
                   profile.name);
      ok = false;
      continue;
    }
    ResolvedSetting rs;
    if (resolver.resolve(sv, profile, rs))
      rp.settings.push_back(std::move(rs));
    else
      ok = false;
  }
  for (const ir::Setting &s : policy.settings)
    if (!set.count(s.id) && !ir::governsExceptions(s))
      rp.notSet.push_back(&s);
  if (!ok)
    return std::nullopt;
  return rp;
}

} // namespace polc::emit::endpoint
