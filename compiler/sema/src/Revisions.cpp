// The revision history (改定履歴): `revision DATE "summary" version "V" approved_by ROLE;`.
// Each layer is its own 例規 document with its own history; the newest revision of a layer is
// its 施行日 and the approval its document prints, so the order of the entries is meaning, not
// style, and the newest entries of the whole policy must carry the policy's version.
#include "SemaImpl.h"

#include <llvm/Support/Casting.h>

namespace polc::sema {

using diag::DiagID;

void Sema::checkRevision(const Unit &unit, const ast::Revision &rev) {
  if (rev.approvedBy)
    lookup(*rev.approvedBy, unit, {SymbolKind::Role}, "a role");
  else
    diags_.report(DiagID::RevisionNoApprover, rev.dateRange, rev.date.str());
  revisions_.emplace_back(unit.layerRank, &rev);
}

void Sema::checkRevisionHistory() {
  // Within a layer: strictly ascending dates in source order (entries first, manifest order).
  std::vector<const ast::Revision *> newestOf(p_.layers.size(), nullptr);
  for (const auto &[rank, rev] : revisions_) {
    if (rank < 0 || static_cast<std::size_t>(rank) >= p_.layers.size())
      continue;
    const ast::Revision *&newest = newestOf[static_cast<std::size_t>(rank)];
    if (newest && !(newest->date < rev->date)) {
      diags_.report(DiagID::RevisionDatesNotAscending, rev->dateRange,
                    p_.layers[static_cast<std::size_t>(rank)].name, rev->date.str(),
                    newest->date.str())
          .note(newest->dateRange, DiagID::NoteEarlierRevision, newest->date.str());
      continue; // keep the newest so far, so one misplaced entry is reported once
    }
    newest = rev;
  }

  // The policy's version is the version of its newest revision: the latest date over all layers.
  // Layers revised together on that date must each state it.
  const ast::Revision *newestOverall = nullptr;
  for (const ast::Revision *r : newestOf)
    if (r && (!newestOverall || newestOverall->date < r->date))
      newestOverall = r;
  if (newestOverall && p_.policyVersion)
    for (const ast::Revision *r : newestOf) {
      if (!r || r->date != newestOverall->date)
        continue;
      if (!r->version)
        diags_.report(DiagID::RevisionVersionMissing, r->dateRange, r->date.str(), *p_.policyVersion);
      else if (*r->version != *p_.policyVersion)
        diags_.report(DiagID::RevisionVersionMismatch, r->versionRange, r->date.str(), *r->version,
                      *p_.policyVersion);
    }

  // A history for some layers only: the others' documents silently lack 施行日 and approval.
  if (!newestOverall)
    return;
  for (std::size_t i = 0; i < p_.layers.size(); ++i) {
    const LayerInfo &layer = p_.layers[i];
    if (layer.declared && !newestOf[i])
      diags_.report(DiagID::LayerWithoutRevision, layer.headerRange, layer.name)
          .note(newestOverall->dateRange, DiagID::NoteNewestRevision);
  }
}

} // namespace polc::sema
