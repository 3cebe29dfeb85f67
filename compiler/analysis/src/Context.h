#pragma once
// What every analysis pass shares: the policy, address sets of zones and hosts, each flow
// statement as a packet set, the per-layer first-match decisions, and the effective policy.
//
// Semantics (docs/language.md §"Flow semantics"):
//  - Within one layer, flow statements are first-match in source order: a statement decides
//    the packets it covers that no earlier statement of the layer decided (its `effective` set).
//  - Across layers, deny wins: a lower layer may narrow (deny more), never widen. A packet is
//    allowed by the policy when some layer allows it and no layer denies it, or when an
//    exception in force allows it.
//  - `deny X <-> Y unless via sanitizer(K)` denies X/Y traffic except traffic to or from a
//    host that declares a sanitiser of kind K on the services kind K sanitises (its
//    `sanitizes` list in the stdlib); other traffic through that host is denied as usual.
//  - Exceptions sit outside the layers' first-match lists; an expired or insufficiently
//    approved exception is not in force.
#include "AddressSet.h"
#include "polc/analysis/Analyze.h"
#include "polc/analysis/PacketSet.h"
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/ir/IR.h"

#include <string>
#include <vector>

namespace polc::analysis {

struct Rule {
  const ir::Flow *flow = nullptr;
  PacketSet packets;   // every packet the statement covers (both directions for <->)
  PacketSet effective; // what it decides: first match within its layer
  bool allow() const { return flow->action == ir::Action::Allow; }
  int layer() const { return flow->origin.layer; }
  bool inException() const { return flow->exception.has_value(); }
};

// Why an exception is not in force (several can hold). docs/language.md §7.11.
struct ExceptionStatus {
  bool expired = false;
  const ir::SettingBound *authorityBound = nullptr; // the unmet approver bound, if any
  // The approver has less authority than `exception.approver`'s stdlib default, a floor that
  // holds whatever the layers write (an auditor never approves).
  bool belowDefaultAuthority = false;
  bool selfApproved = false; // requested_by and approved_by name the same role (E0741)
  // Validity from today to `until`, in days, and the lifetime limit it breaks: a layer's
  // `exception.lifetime` bound that binds the exception, else the setting's default.
  std::int64_t remainingDays = 0;
  const ir::SettingBound *lifetimeBound = nullptr;
  bool overDefaultLifetime = false;
  bool inForce() const {
    return !expired && !authorityBound && !belowDefaultAuthority && !selfApproved && !lifetimeBound &&
           !overDefaultLifetime;
  }
};

class Context {
public:
  Context(const ir::Policy &policy, const AnalysisOptions &options, diag::DiagnosticsEngine &diags);

  const ir::Policy &policy;
  const AnalysisOptions &options;
  diag::DiagnosticsEngine &diags;

  // ---- addresses ----
  const AddressSet &zoneAddresses(ir::Id zone) const { return zoneAddrs_[zone]; }
  const AddressSet &hostAddresses(ir::Id host) const { return hostAddrs_[host]; }
  AddressSet endpointAddresses(const ir::Endpoint &e) const;
  // The addresses of an `on zone/host/profile` scope (a profile stands for its own scope).
  AddressSet scopeAddresses(const std::vector<ir::ScopeRef> &scope) const;
  // Every packet of the traffic (both directions when bidirectional).
  PacketSet trafficPackets(const ir::Traffic &t) const;
  // Packets between two address sets on every service, in both directions when `both`.
  static PacketSet between(const AddressSet &src, const AddressSet &dst, bool both);
  // Addresses of hosts that declare one of `kinds` as a sanitiser.
  AddressSet sanitizerAddresses(const std::vector<std::string> &kinds) const;
  // What sanitisers of `kinds` clean: traffic to or from a host declaring kind K, on the
  // services K sanitises, for each K of `kinds`.
  PacketSet sanitisedPackets(const std::vector<std::string> &kinds) const;
  // The sanitiser kind named `name`; null when no term of that name declares `sanitizes`.
  const ir::SanitizerKind *sanitizerKind(const std::string &name) const;

  // ---- rules and decisions ----
  std::vector<Rule> rules;          // one per ir::Flow, same order
  int firstLayer() const { return ir::kModuleLayer; }
  int lastLayer() const { return static_cast<int>(policy.layers.size()) - 1; }
  const PacketSet &layerAllows(int layer) const { return allow_[layer + 1]; }
  const PacketSet &layerDenies(int layer) const { return deny_[layer + 1]; }
  // Packets that some layer strictly above `layer` denies, minus exceptions in force.
  const PacketSet &deniedAbove(int layer) const { return deniedAbove_[layer + 1]; }
  const PacketSet &exceptionAllows() const { return exceptionAllows_; }
  // What the whole policy allows.
  const PacketSet &effectiveAllowed() const { return effectiveAllowed_; }
  const ExceptionStatus &exceptionStatus(ir::Id exception) const { return exceptionStatus_[exception]; }

  // The first deny rule, from the highest layer down to (not including) `belowLayer`, that
  // decides `p`; null if none.
  const Rule *denyingRule(const Packet &p, int belowLayer) const;
  // The first rule at any layer whose effective allow covers `p` (exceptions last).
  const Rule *allowingRule(const Packet &p) const;
  // The statement of `layer` (outside exceptions) that decides `p`: first match, allow or
  // deny; null when no statement of the layer covers it.
  const Rule *decidingRule(const Packet &p, int layer) const;
  // A rule of an exception in force that allows `p`; null if none.
  const Rule *exceptionRule(const Packet &p) const;

  // ---- text ----
  // A layer's name as the layer order spells it ("basic"); above every layer, the module the
  // statement at `where` comes from ("std.lgov.alpha"), or "stdlib" when that is not known.
  std::string layerName(int layer, diag::SourceRange where = {}) const;
  // The layer as a message's subject, in the diagnostics' language: "the basic layer" /
  // 「basic 層」; a stdlib model by the name its users know (AnalysisOptions::moduleTitle):
  // "the MIC guideline's α model (std.lgov.alpha)" / 「総務省ガイドラインのαモデル（std.lgov.alpha）」.
  std::string layerPhrase(int layer, diag::SourceRange where) const;
  std::string layerPhrase(const ir::Origin &origin) const { return layerPhrase(origin.layer, origin.range); }
  std::string layerPhrase(const Rule &rule) const { return layerPhrase(rule.flow->origin); }
  // "allows" / 「許可しています」
  std::string verb(bool allows) const;
  // An endpoint as written: `lgwan`, `!mynumber`, `10.0.0.0/8`, `any`, `[a, b]`.
  std::string endpointName(const ir::Endpoint &e) const;
  // "lgwan <-> internet", "mynumber -> any"
  std::string trafficName(const ir::Traffic &t) const;
  // The narrowest declared thing holding an address: a host, else a zone, else the address.
  std::string placeOf(Family f, u128 address) const;
  // "basic (denies) > standard > procedure (allows)"
  // The roles are NOTE entries (NoteRoleDenies, ...), so the chain follows the language; `highAt`
  // locates the high statement, to name the module when it sits above every layer.
  std::string layerChain(int high, diag::DiagID highRole, int low, diag::DiagID lowRole,
                         diag::SourceRange highAt = {}) const;
  // One cube as "10.10.0.0/16 -> 203.0.113.0/24 tcp/443"; `more` cubes are summarised.
  static std::string describe(const PacketSet &set);
  // "10.10.0.0/16 inside the rule's 10.0.0.0/8" for the first dimension in which `part` is
  // narrower than `whole`; empty when no dimension is.
  static std::string subRange(const PacketSet &part, const PacketSet &whole);

private:
  void buildAddresses();
  void buildRules();
  void buildDecisions();

  std::vector<AddressSet> zoneAddrs_, hostAddrs_;
  std::vector<PacketSet> allow_, deny_, deniedAbove_; // index layer + 1
  std::vector<std::vector<const Rule *>> denyRules_;  // index layer + 1, outside exceptions
  PacketSet exceptionAllows_, effectiveAllowed_;
  std::vector<ExceptionStatus> exceptionStatus_;
};

// Computes whether an exception is in force (expiry and approver authority); shared by the
// context (which drops exceptions not in force) and the exception pass (which reports why).
// The first approver bound (`require exception.approver >= ROLE`) whose scope the exception
// touches and whose role outranks the exception's approver; null when every bound is met.
const ir::SettingBound *unmetApproverBound(const ir::Policy &policy, const ir::Exception &exception);
// Whether the approver has less authority than `exception.approver`'s stdlib default.
bool belowApproverDefault(const ir::Policy &policy, const ir::Exception &exception);
// Whether a (non-profile) bound on an exception setting binds this exception: unscoped, or
// scoped to a zone/host the exception's rules touch (by name or address).
bool bindsException(const ir::Policy &policy, const ir::SettingBound &bound, const ir::Exception &exception);

// `exception.approver` / `exception.lifetime` as declared (std.lgov), or null.
const ir::Setting *findSetting(const ir::Policy &policy, std::string_view name, sema::SettingType::Kind type);

// Days from `from` to `to` in the proleptic Gregorian calendar (negative when `to` is earlier).
std::int64_t daysBetween(const ast::Date &from, const ast::Date &to);

ExceptionStatus evaluateException(const ir::Policy &policy, const ir::Exception &exception,
                                  const AnalysisOptions &options);

} // namespace polc::analysis
