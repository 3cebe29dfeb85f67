#pragma once
// Turning pieces of the IR into words of one language: setting values with their units,
// endpoints, services, scopes, roles and the checklist vocabulary. The checklist and the
// document both speak through this, so a value reads the same in both.
#include "text/Phrasebook.h"
#include "text/Visibility.h"

#include "polc/ir/IR.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace polc::emit::text {

class Phrasing {
public:
  Phrasing(const ir::Policy &policy, const Phrasebook &book, Language lang, const Visibility &visible,
           std::set<std::string> *untranslated = nullptr)
      : policy_(policy), book_(book), lang_(lang), visible_(visible), untranslated_(untranslated) {}

  Language language() const { return lang_; }
  const Phrasebook &book() const { return book_; }
  const ir::Policy &policy() const { return policy_; }
  // A required text of the phrasebook in this language.
  const std::string &word(std::string_view key) const { return book_.text(key).in(lang_); }
  std::string join(const std::vector<std::string> &parts) const;

  std::string duration(std::int64_t seconds) const;
  std::string value(const ir::Setting &setting, const sema::TypedValue &v) const;
  // {value}, {values}, {lo}, {hi} of a bound's operand (unused ones empty).
  Vars operandVars(const ir::Setting &setting, const sema::TypedOperand &operand) const;
  std::string settingTitle(const ir::Setting &setting) const;
  // "10分以下", "one of ..." (phrases.bound.OP).
  std::string bound(const ir::SettingBound &b) const;

  std::string zone(ir::Id id) const;
  std::string host(ir::Id id) const;
  std::string endpoint(const ir::Endpoint &e) const;
  // The services' titles when named services cover the set exactly, else their ports.
  std::string services(const ir::ServiceSet &set) const;
  std::string scope(const std::vector<ir::ScopeRef> &scope) const; // "" when empty
  std::string sanitizers(const std::vector<std::string> &kinds) const;

  std::string role(std::optional<ir::Id> id) const; // "" when absent or not visible
  std::string category(const std::string &name) const;
  std::string method(const std::string &name) const;
  std::string frequency(const std::string &name) const;
  // The layer's title (Japanese) or name (English); imported modules have phrases.module_layer.
  std::string layer(int layer) const;
  // A title the policy wrote (in Japanese, as std.lgov writes them). An English build takes
  // phrases.titles.KIND.NAME of phrases.yaml when there is one; else it prints the policy's
  // title and notes it as untranslated. KIND: setting, zone, host, sentinel.
  std::string titled(std::string_view kind, const std::string &name, const std::optional<std::string> &title) const;
  // In an English build, notes `text` (the policy's own prose: a check's question, a clause's
  // title) as printed without English when it holds any non-ASCII character.
  void noteUntranslated(std::string_view what, const std::string &text) const;
  // An imported module as people name it ("総務省ガイドライン（βモデル）", phrases.modules in
  // stdlib/templates/phrases.yaml); "" when the phrasebook has no name for it.
  std::string module(const std::string &dottedName) const;

private:
  // Japanese: the policy's own term title, then phrases.yaml; English: phrases.yaml. Else the name.
  std::string vocabulary(std::string_view group, const std::string &name) const;

  const ir::Policy &policy_;
  const Phrasebook &book_;
  Language lang_;
  const Visibility &visible_;
  std::set<std::string> *untranslated_;
};

// Operator key of templates for a bound: eq ... in_range.
std::string_view operatorKey(ast::CompareOp op, sema::TypedOperand::Shape shape);

// Named services whose union is exactly `set` (visible ones, in declaration order), or nothing.
std::vector<ir::Id> coveringServices(const ir::Policy &policy, const Visibility &visible,
                                     const ir::ServiceSet &set);
// "tcp/443", "udp/1000-2000", "icmp" (a whole protocol), as a policy writes them.
std::vector<std::string> portTexts(const ir::ServiceSet &set);

} // namespace polc::emit::text
