// Checklist items from checks and statement templates (Items.h).
#include "checklist/Items.h"

#include "polc/emit/StatementIds.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>

namespace polc::emit::checklist {

namespace {

using text::Phrasing;

// Public layers first, then imported modules, then non-public layers: an item's first clause
// (which names it) is then the same in a public build as in a full one.
int layerRank(const ir::Policy &policy, int layer) {
  const int n = static_cast<int>(policy.layers.size());
  if (layer == ir::kModuleLayer)
    return n;
  return policy.layers[static_cast<std::size_t>(layer)].isPublic ? layer : n + 1 + layer;
}

// Bounds that overlap: one-sided bounds (>=, > or <=, <) on the same setting with the same
// scope (the same `on` list, or the same profile). The strictest states them all (>= 12
// implies >= 8), so a checklist asks one question and cites every clause.
struct OverlapKey {
  ir::Id setting = 0;
  bool lower = true; // >=, > (else <=, <)
  std::vector<std::pair<int, ir::Id>> scope;
  std::optional<ir::Id> profile;
  auto operator<=>(const OverlapKey &) const = default;
};

// One item before merging: where it comes from and whether this build may show that.
struct Draft {
  Item item;
  std::vector<std::string> kinds;
  std::optional<OverlapKey> overlap;
  std::int64_t strictness = 0; // among drafts of one OverlapKey, the largest is the strictest
};

// Only bounds on integers and durations are compared: their values are numbers, and `> v` is
// `>= v+1` (durations count whole seconds).
std::optional<std::pair<OverlapKey, std::int64_t>> overlapOf(const ir::SettingBound &b) {
  using Op = ast::CompareOp;
  if (b.operand.shape != sema::TypedOperand::Shape::Single || b.operand.values.size() != 1)
    return std::nullopt;
  const sema::TypedValue &v = b.operand.values.front();
  if (v.kind != sema::TypedValue::Kind::Int && v.kind != sema::TypedValue::Kind::Duration)
    return std::nullopt;
  OverlapKey key;
  key.setting = b.setting;
  key.profile = b.profile;
  for (const ir::ScopeRef &r : b.scope)
    key.scope.emplace_back(static_cast<int>(r.kind), r.id);
  std::sort(key.scope.begin(), key.scope.end());
  switch (b.op) {
  case Op::Ge: return std::pair{key, v.number};
  case Op::Gt: return std::pair{key, v.number + 1};
  case Op::Le: key.lower = false; return std::pair{key, -v.number};
  case Op::Lt: key.lower = false; return std::pair{key, -(v.number - 1)};
  default: return std::nullopt;
  }
}

class Collector {
public:
  Collector(const ItemContext &ctx) : ctx_(ctx) {}

  std::vector<Draft> drafts;

  ClauseRef ref(const ir::Origin &origin, bool visible) const {
    const RuleOrigin o = ctx_.namer.of(origin);
    ClauseRef r;
    r.layer = origin.layer;
    r.clause = origin.layer == ir::kModuleLayer ? moduleImportName(o.file) : o.clause;
    r.source = o.statement;
    r.visible = visible;
    r.order = {layerRank(ctx_.policy, origin.layer), origin.range.file, origin.range.begin};
    return r;
  }

  void addCheck(const ir::Check &c) {
    if (ctx_.visible.check(c)) {
      const RuleOrigin o = ctx_.namer.of(c.origin);
      ctx_.words.noteUntranslated(fmt::format("check question {} {}", o.layer, o.clause), c.question);
      if (c.evidence)
        ctx_.words.noteUntranslated(fmt::format("check evidence {} {}", o.layer, o.clause), *c.evidence);
    }
    Draft d;
    d.kinds = {c.kind};
    d.item.category = c.category.value_or("");
    d.item.owner = c.owner;
    d.item.questionJa = d.item.question = c.question;
    d.item.frequency = c.frequency;
    d.item.methods = c.methods;
    d.item.evidence = c.evidence.value_or("");
    d.item.clauses = {ref(c.origin, ctx_.visible.check(c))};
    drafts.push_back(std::move(d));
  }

  // Category, owner, methods, evidence and kinds from `prefix` (a setting's or a statement's
  // template), else from checklist.defaults.
  void applyTemplate(Draft &d, const std::string &prefix) const {
    auto scalar = [&](const char *key) {
      const std::string *own = ctx_.book.findScalar(prefix + "." + key);
      return own ? *own : *ctx_.book.findScalar(std::string("checklist.defaults.") + key);
    };
    auto list = [&](const char *key) {
      const auto *own = ctx_.book.findList(prefix + "." + key);
      return own ? *own : *ctx_.book.findList(std::string("checklist.defaults.") + key);
    };
    d.item.category = scalar("category");
    d.item.owner = roleNamed(scalar("owner"));
    d.item.frequency = scalar("frequency");
    d.item.methods = list("methods");
    d.kinds = list("kinds");
    const PhraseText *evidence = ctx_.book.findText(prefix + ".evidence");
    d.item.evidence = (evidence ? *evidence : ctx_.book.text("checklist.defaults.evidence")).in(ctx_.words.language());
  }

  void addQuestion(Draft d, const PhraseText &question, const Vars &ja, const Vars &words, const ClauseRef &r) {
    d.item.questionJa = fill(question.ja, ja);
    d.item.question = fill(question.in(ctx_.words.language()), words);
    d.item.clauses = {r};
    drafts.push_back(std::move(d));
  }

  void addBound(const ir::SettingBound &b) {
    const ir::Setting &setting = ctx_.policy.settings[b.setting];
    const std::string op(text::operatorKey(b.op, b.operand.shape));
    const std::string prefix = "checklist.settings." + setting.name;
    const PhraseText *question = ctx_.book.findText(prefix + ".questions." + op);
    if (!question)
      question = &ctx_.book.text("checklist.fallback." + op);
    std::vector<ir::ScopeRef> scope = b.scope;
    if (scope.empty() && b.profile)
      scope.push_back({ir::ScopeRef::Kind::Profile, *b.profile});
    auto vars = [&](const Phrasing &p) {
      Vars v = p.operandVars(setting, b.operand);
      const std::string names = p.scope(scope);
      v.emplace_back("scope", names.empty() ? "" : fill(p.word("phrases.scope"), {{"names", names}}));
      v.emplace_back("title", p.settingTitle(setting));
      return v;
    };
    Draft d;
    applyTemplate(d, prefix);
    if (auto overlap = overlapOf(b)) {
      d.overlap = overlap->first;
      d.strictness = overlap->second;
    }
    addQuestion(std::move(d), *question, vars(ctx_.ja), vars(ctx_.words), ref(b.origin, ctx_.visible.bound(b)));
  }

  // `attest S = V owner R evidence "…"`: the role confirms by hand what no generated file sets.
  // The item's question comes from the template; who, how, how often and what shows it come
  // from the attestation itself (the template's defaults fill what it leaves out).
  void addAttestation(const ir::SettingValue &v) {
    const ir::Attestation &a = *v.attestation;
    const ir::Setting &setting = ctx_.policy.settings[v.setting];
    const ir::EndpointProfile &profile = ctx_.policy.profiles[v.profile];
    sema::TypedOperand operand;
    operand.values.push_back(v.value);
    auto vars = [&](const Phrasing &p) {
      Vars out = p.operandVars(setting, operand);
      out.emplace_back("title", p.settingTitle(setting));
      out.emplace_back("profile", profile.title.value_or(profile.name));
      out.emplace_back("name", profile.name);
      return out;
    };
    const std::string prefix = "checklist.statements.attestation";
    Draft d;
    applyTemplate(d, prefix);
    d.item.owner = a.owner;
    d.item.evidence = a.evidence;
    if (!a.methods.empty())
      d.item.methods = a.methods;
    if (!a.frequency.empty())
      d.item.frequency = a.frequency;
    if (a.category)
      d.item.category = *a.category;
    addQuestion(std::move(d), ctx_.book.text(prefix + ".question"), vars(ctx_.ja), vars(ctx_.words),
                ref(v.origin, ctx_.visible.profile(profile.id) && ctx_.visible.origin(v.origin)));
  }

  void addTraffic(const std::string &key, const ir::Traffic &t, const std::vector<std::string> &sanitizers,
                  const ir::Origin &origin, bool visible) {
    auto vars = [&](const Phrasing &p) {
      return Vars{{"src", p.endpoint(t.src)},
                  {"dst", p.endpoint(t.dst)},
                  {"services", t.services.any ? std::string()
                                              : fill(p.word("checklist.statements.services_phrase"),
                                                     {{"services", p.services(t.services)}})},
                  {"sanitizers", p.sanitizers(sanitizers)}};
    };
    const std::string prefix = "checklist.statements." + key;
    Draft d;
    applyTemplate(d, prefix);
    addQuestion(std::move(d), ctx_.book.text(prefix + ".question"), vars(ctx_.ja), vars(ctx_.words), ref(origin, visible));
  }

  void addDeny(const ir::Flow &f) {
    std::string key = f.viaSanitizers.empty() ? "deny" : "deny_via";
    if (f.traffic.bidirectional)
      key += "_bidirectional";
    addTraffic(key, f.traffic, f.viaSanitizers, f.origin, ctx_.visible.flow(f));
  }

  void addRequirement(const ir::FlowRequirement &r) {
    addTraffic(r.traffic.bidirectional ? "require_flow_bidirectional" : "require_flow", r.traffic, {}, r.origin,
               ctx_.visible.requirement(r));
  }

  void addDeclaration(const std::string &key, const std::function<Vars(const Phrasing &)> &vars,
                      const ir::Origin &origin, bool visible) {
    const std::string prefix = "checklist.statements." + key;
    Draft d;
    applyTemplate(d, prefix);
    addQuestion(std::move(d), ctx_.book.text(prefix + ".question"), vars(ctx_.ja), vars(ctx_.words), ref(origin, visible));
  }

  std::string targets(const Phrasing &p, const std::vector<ir::ScopeRef> &scope) const {
    const std::string names = p.scope(scope);
    return names.empty() ? p.word("checklist.statements.everywhere") : names;
  }

private:
  std::optional<ir::Id> roleNamed(const std::string &name) const {
    for (const ir::Role &r : ctx_.policy.roles)
      if (r.name == name)
        return r.id;
    return std::nullopt;
  }

  const ItemContext &ctx_;
};

std::vector<Draft> draftsOf(const ItemContext &ctx) {
  Collector c(ctx);
  const ir::Policy &p = ctx.policy;
  for (const ir::Check &check : p.checks)
    c.addCheck(check);
  for (const ir::SettingBound &b : p.bounds)
    c.addBound(b);
  for (const ir::SettingValue &v : p.values)
    if (v.attestation)
      c.addAttestation(v);
  for (const ir::Flow &f : p.flows)
    if (f.action == ir::Action::Deny) // an allow permits; the firewall read-back proves it
      c.addDeny(f);
  for (const ir::FlowRequirement &r : p.requirements)
    c.addRequirement(r);
  for (const ir::EndpointProfile &prof : p.profiles)
    c.addDeclaration("profile", [&](const Phrasing &w) {
      return Vars{{"name", prof.name}, {"title", prof.title.value_or(prof.name)}, {"platform", prof.platform},
                  {"targets", c.targets(w, prof.scope)}};
    }, prof.origin, ctx.visible.profile(prof.id) && ctx.visible.scope(prof.scope));
  for (const ir::Exception &e : p.exceptions)
    c.addDeclaration("exception", [&](const Phrasing &w) {
      return Vars{{"name", e.name}, {"title", e.title.value_or(e.name)}, {"approver", w.role(e.approvedBy)},
                  {"until", e.until ? e.until->str() : w.word("checklist.statements.no_end")},
                  {"targets", c.targets(w, e.scope)}};
    }, e.origin, ctx.visible.exception(e.id) && ctx.visible.scope(e.scope));
  for (const ir::Firewall &fw : p.firewalls)
    c.addDeclaration("firewall", [&](const Phrasing &) {
      return Vars{{"name", fw.name}, {"title", fw.title.value_or(fw.name)}, {"platform", fw.platform}};
    }, fw.origin, ctx.visible.origin(fw.origin));
  return std::move(c.drafts);
}

} // namespace

std::string questionHash(const std::string &questionJa) {
  llvm::SHA256 hash;
  hash.update(llvm::StringRef(questionJa));
  const auto digest = hash.final();
  return fmt::format("{:02x}{:02x}", static_cast<unsigned>(static_cast<unsigned char>(digest[0])),
                     static_cast<unsigned>(static_cast<unsigned char>(digest[1])));
}

std::string itemIdBase(const ir::Policy &policy, const ClauseRef &first) {
  if (first.layer == ir::kModuleLayer)
    return first.clause;
  const std::string &layer = policy.layers[static_cast<std::size_t>(first.layer)].name;
  return first.clause.empty() ? layer : layer + "-" + first.clause;
}

// Overlapping bounds (OverlapKey) become the strictest one's draft, citing every clause. A
// bound this build may not show never lends its (stricter) question to a visible clause: the
// strictest is chosen among the visible drafts when there is one.
static std::vector<Draft> mergeOverlaps(std::vector<Draft> drafts) {
  std::map<OverlapKey, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < drafts.size(); ++i)
    if (drafts[i].overlap)
      groups[*drafts[i].overlap].push_back(i);
  std::vector<bool> dropped(drafts.size(), false);
  for (const auto &[key, members] : groups) {
    if (members.size() < 2)
      continue;
    auto visible = [&](std::size_t i) { return drafts[i].item.clauses.front().visible; };
    const bool anyVisible = std::any_of(members.begin(), members.end(), visible);
    std::size_t strictest = members.front();
    for (std::size_t i : members) {
      if (anyVisible && !visible(i))
        continue;
      if ((anyVisible && !visible(strictest)) || drafts[i].strictness > drafts[strictest].strictness)
        strictest = i;
    }
    Draft &keep = drafts[strictest];
    for (std::size_t i : members) {
      if (i == strictest)
        continue;
      for (ClauseRef &r : drafts[i].item.clauses)
        keep.item.clauses.push_back(std::move(r));
      for (std::string &m : drafts[i].item.methods)
        if (std::find(keep.item.methods.begin(), keep.item.methods.end(), m) == keep.item.methods.end())
          keep.item.methods.push_back(std::move(m));
      for (std::string &k : drafts[i].kinds)
        if (std::find(keep.kinds.begin(), keep.kinds.end(), k) == keep.kinds.end())
          keep.kinds.push_back(std::move(k));
      dropped[i] = true;
    }
  }
  std::vector<Draft> out;
  for (std::size_t i = 0; i < drafts.size(); ++i)
    if (!dropped[i])
      out.push_back(std::move(drafts[i]));
  return out;
}

std::vector<Item> collectItems(const ItemContext &ctx, std::string_view kind) {
  // Merge drafts that ask the same question of the same owner, in the same category and at the
  // same frequency; the merged item keeps the first draft's evidence and every method.
  std::vector<Item> items;
  std::map<std::tuple<std::string, std::string, std::optional<ir::Id>, std::string>, std::size_t> byKey;
  for (Draft &d : mergeOverlaps(draftsOf(ctx))) {
    if (std::find(d.kinds.begin(), d.kinds.end(), kind) == d.kinds.end())
      continue;
    const auto key = std::make_tuple(d.item.questionJa, d.item.category, d.item.owner, d.item.frequency);
    auto [it, fresh] = byKey.emplace(key, items.size());
    if (fresh) {
      items.push_back(std::move(d.item));
      continue;
    }
    Item &merged = items[it->second];
    for (std::string &m : d.item.methods)
      if (std::find(merged.methods.begin(), merged.methods.end(), m) == merged.methods.end())
        merged.methods.push_back(std::move(m));
    if (merged.evidence.empty())
      merged.evidence = std::move(d.item.evidence);
    for (ClauseRef &r : d.item.clauses)
      merged.clauses.push_back(std::move(r));
  }
  // A public build keeps only what public layers (and modules) say; an item that only a
  // non-public layer asks for disappears.
  std::vector<Item> shown;
  for (Item &item : items) {
    std::erase_if(item.clauses, [](const ClauseRef &r) { return !r.visible; });
    if (item.clauses.empty())
      continue;
    std::stable_sort(item.clauses.begin(), item.clauses.end(),
                     [](const ClauseRef &a, const ClauseRef &b) { return a.order < b.order; });
    shown.push_back(std::move(item));
  }
  std::stable_sort(shown.begin(), shown.end(),
                   [](const Item &a, const Item &b) { return a.clauses.front().order < b.clauses.front().order; });
  // Four hex digits rarely collide within one clause; when they do, the later item (in source
  // order) gets a suffix.
  std::map<std::string, int> seen;
  for (Item &item : shown) {
    const std::string id = itemIdBase(ctx.policy, item.clauses.front()) + "-" + questionHash(item.questionJa);
    const int n = ++seen[id];
    item.id = n == 1 ? id : fmt::format("{}-{}", id, n);
  }
  return shown;
}

} // namespace polc::emit::checklist
