// The effective value of a setting at endpoints, for `expect SETTING OP VALUE [on SCOPE];`.
// The endpoint model (hosts, zones without hosts, which exist, which profiles apply) is the one
// the requirement checks use (checks/Obligations.cpp, E0950): an expectation passes exactly where
// a requirement with the same bound and scope would be met by values that meet it.
#include "polc/analysis/SettingExpectations.h"

#include "EndpointModel.h"
#include "checks/SettingBounds.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

namespace polc::analysis {

namespace {

constexpr std::size_t kMaxNamed = 6;

// The shared endpoint model, plus what an expectation asks of it.
class ExpectationModel : public EndpointModel {
public:
  explicit ExpectationModel(const ir::Policy &p) : EndpointModel(p), p_(p) {}

  // The endpoints an expectation is about: with no scope every governed endpoint (existing, not
  // in an external zone), as for an unscoped requirement; otherwise each named host, each named
  // zone's hosts (or the zone itself when it has none), and the existing endpoints each named
  // profile applies to.
  std::vector<std::size_t> endpointsOf(const std::vector<ir::ScopeRef> &scope) const {
    std::vector<std::size_t> out;
    const std::vector<bool> in = expand(scope);
    const std::vector<bool> named = scope.empty() ? std::vector<bool>(endpoints().size(), false) : expand(scope, false);
    for (std::size_t i = 0; i < endpoints().size(); ++i) {
      if (!in[i])
        continue;
      if (scope.empty() ? governed(i) : (named[i] || exists(i)))
        out.push_back(i);
    }
    return out;
  }

  // Every `set`/`attest` of `setting` that reaches endpoint i; the profiles that apply to i.
  std::vector<const ir::SettingValue *> valuesAt(ir::Id setting, std::size_t i, std::vector<ir::Id> &applying) const {
    std::vector<const ir::SettingValue *> out;
    for (const ir::EndpointProfile &prof : p_.profiles) {
      if (!appliesTo()[prof.id][i])
        continue;
      applying.push_back(prof.id);
      for (ir::Id vid : prof.values) {
        const ir::SettingValue &v = p_.values[vid];
        if (v.setting == setting && (v.scope.empty() || expand(v.scope)[i]))
          out.push_back(&v);
      }
    }
    return out;
  }

private:
  const ir::Policy &p_;
};

// The expectation as a bound, so it means exactly what `require` with the same text means.
ir::SettingBound asBound(const ir::SettingExpectation &e) {
  ir::SettingBound b;
  b.setting = e.setting;
  b.op = e.op;
  b.operand = e.operand;
  b.scope = e.scope;
  b.origin = e.origin;
  return b;
}

} // namespace

SettingExpectationResult evaluateSettingExpectation(const ir::Policy &policy, const ir::SettingExpectation &e) {
  const ExpectationModel model(policy);
  const ir::Setting &setting = policy.settings[e.setting];
  const ir::SettingBound bound = asBound(e);
  SettingExpectationResult out;
  const std::vector<std::size_t> endpoints = model.endpointsOf(e.scope);
  out.vacuous = endpoints.empty();
  // Group the endpoints by the statements that give them their value, in endpoint order.
  std::map<std::vector<const ir::SettingValue *>, std::size_t> groupOf;
  for (std::size_t i : endpoints) {
    std::vector<ir::Id> applying;
    std::vector<const ir::SettingValue *> values = model.valuesAt(e.setting, i, applying);
    auto [it, fresh] = groupOf.try_emplace(values, out.outcomes.size());
    if (fresh) {
      SettingOutcome o;
      o.values = values;
      o.meets = !values.empty() && std::all_of(values.begin(), values.end(), [&](const ir::SettingValue *v) {
        return meetsBound(policy, setting, v->value, bound);
      });
      out.outcomes.push_back(std::move(o));
    }
    SettingOutcome &o = out.outcomes[it->second];
    o.endpoints.push_back(model.name(i));
    if (o.values.empty())
      for (ir::Id prof : applying)
        if (std::find(o.profiles.begin(), o.profiles.end(), prof) == o.profiles.end())
          o.profiles.push_back(prof);
  }
  std::stable_partition(out.outcomes.begin(), out.outcomes.end(), [](const SettingOutcome &o) { return !o.meets; });
  out.holds = !out.vacuous && std::all_of(out.outcomes.begin(), out.outcomes.end(),
                                          [](const SettingOutcome &o) { return o.meets; });
  return out;
}

std::string settingExpectationText(const ir::Policy &policy, const ir::SettingExpectation &e) {
  const ir::SettingBound bound = asBound(e);
  return fmt::format("{} {}{}", policy.settings[e.setting].name, boundText(bound), boundScopeText(policy, bound));
}

std::string outcomeValueText(const ir::Policy &policy, ir::Id setting, const SettingOutcome &o) {
  if (o.values.empty()) {
    const ir::Setting &s = policy.settings[setting];
    return s.defaultValue ? fmt::format("not set (default {}, never written by polc)", s.defaultValue->str())
                          : std::string("not set (no profile sets it, and the setting has no default)");
  }
  std::string out;
  for (const ir::SettingValue *v : o.values) {
    out += out.empty() ? "" : ", ";
    const std::string &profile = policy.profiles[v->profile].name;
    if (v->attestation)
      out += fmt::format("{} (attested by {} in profile `{}`)", v->value.str(), policy.roles[v->attestation->owner].name,
                         profile);
    else
      out += fmt::format("{} (set in profile `{}`)", v->value.str(), profile);
  }
  return out;
}

std::string endpointList(const std::vector<std::string> &names) {
  std::string out;
  const std::size_t shown = std::min(names.size(), kMaxNamed);
  for (std::size_t i = 0; i < shown; ++i)
    out += (i ? ", " : "") + names[i];
  if (names.size() > shown)
    out += fmt::format(" and {} more", names.size() - shown);
  return out;
}

} // namespace polc::analysis
