#pragma once
// What a `require SETTING OP VALUE` bound means for one value, shared by the settings pass
// (E0910/E0911) and the approval pass (E0931). docs/language.md §"Setting bounds".
//
// Values compare by type: numbers (int, duration), dates, enum members and bools by equality
// only where sema allows nothing else, levels through their lattice's partial order, roles by
// authority (`==` and lists by the role itself). A value equal to the setting's sentinel
// (`sentinel 0, "ロックしない";`) stands for "no limit": it is ordered above every other value,
// so it meets `>=`/`>` and breaks `<=`/`<`; `==`, lists and ranges name their values
// explicitly, so they accept it exactly when they name it.
#include "polc/ir/IR.h"

#include <span>
#include <string>
#include <vector>

namespace polc::analysis {

bool meetsBound(const ir::Policy &policy, const ir::Setting &setting, const sema::TypedValue &value,
                const ir::SettingBound &bound);

// Whether two values of one setting are the same choice.
bool sameValue(const sema::TypedValue &a, const sema::TypedValue &b);

// The bound as written after the setting's name: "<= 10m", "in 1..10", "not in [a, b]".
std::string boundText(const ir::SettingBound &bound);

// Values of the setting's domain such that, if any value meets every bound of `bounds`, one of
// these does: for ordered numbers the domain's ends and each operand and its neighbours, for
// finite types every member. Used to decide whether bounds can hold together.
std::vector<sema::TypedValue> candidateValues(const ir::Policy &policy, const ir::Setting &setting,
                                              std::span<const ir::SettingBound *const> bounds);

// Where the bound applies, as written after it: " on zone lgwan, host kiosk", " in profile
// lgwan_pc", or "" for a bound without a scope.
std::string boundScopeText(const ir::Policy &policy, const ir::SettingBound &bound);

// "an integer in 0..999", as sema describes a setting's type.
std::string describeType(const ir::Setting &setting);

} // namespace polc::analysis
