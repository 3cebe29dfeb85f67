// E1104 / W1104: an `expect SETTING OP VALUE [on SCOPE];` that the policy does not bear out,
// or that is about no endpoint at all. The evaluation (SettingExpectations.h) is the one
// `polc test` reports per test, so the two commands agree.
#include "../Context.h"
#include "Checks.h"
#include "polc/analysis/SettingExpectations.h"

#include <fmt/format.h>

#include <algorithm>

namespace polc::analysis {

void checkSettingExpectations(Context &cx) {
  using diag::DiagID;
  const ir::Policy &p = cx.policy;
  for (const ir::SettingExpectation &e : p.settingExpectations) {
    const std::string text = settingExpectationText(p, e);
    const SettingExpectationResult r = evaluateSettingExpectation(p, e);
    if (r.vacuous) {
      cx.diags.report(DiagID::SettingExpectationVacuous, e.origin.range, text);
      continue;
    }
    if (r.holds)
      continue;
    std::string why;
    for (const SettingOutcome &o : r.outcomes)
      if (!o.meets)
        why += fmt::format("{}{}: {}", why.empty() ? "" : "; ", endpointList(o.endpoints),
                           outcomeValueText(p, e.setting, o));
    const ir::Setting &setting = p.settings[e.setting];
    auto d = cx.diags.report(DiagID::SettingExpectationFails, e.origin.range, text, why);
    for (const SettingOutcome &o : r.outcomes) {
      if (o.meets)
        continue;
      for (const ir::SettingValue *v : o.values)
        d.note(v->origin.range, DiagID::NoteSettingValueGiven, endpointList(o.endpoints), setting.name,
               v->value.str(), p.profiles[v->profile].name);
      if (!o.values.empty())
        continue;
      for (ir::Id prof : o.profiles)
        d.note(p.profiles[prof].origin.range, DiagID::NoteProfileOmitsSetting, p.profiles[prof].name,
               endpointList(o.endpoints), setting.name);
      if (o.profiles.empty())
        d.note(std::nullopt, DiagID::NoteNoProfileApplies, endpointList(o.endpoints));
    }
    if (setting.defaultValue &&
        std::any_of(r.outcomes.begin(), r.outcomes.end(), [](const SettingOutcome &o) { return o.values.empty(); }))
      d.note(setting.origin.range, DiagID::NoteDefaultNotCounted, setting.name, setting.defaultValue->str(), "");
  }
}

} // namespace polc::analysis
