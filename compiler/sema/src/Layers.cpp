// Layer order, file headers, visibility and `refines`.
#include "SemaImpl.h"
#include "Suggest.h"

#include <llvm/Support/Casting.h>

namespace polc::sema {

using diag::DiagID;
using diag::SourceRange;

namespace {

std::string joinLayers(const std::vector<LayerInfo> &layers, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < layers.size(); ++i)
    out += (i ? std::string(sep) : "") + layers[i].name;
  return out;
}

std::string orderText(const std::vector<std::string> &names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i ? " > " : "") + names[i];
  return out;
}

} // namespace

void Sema::buildLayerOrder() {
  // `layers a > b > c;` may appear in any unit (std.lgov declares the usual one).
  for (const auto &u : p_.units)
    if (u->ast)
      for (const auto &item : u->ast->items)
        if (auto *lo = llvm::dyn_cast<ast::LayerOrder>(item.get())) {
          orderDecls_.push_back(lo);
          orderUnits_.push_back(u.get());
        }

  std::vector<std::string> order;
  SourceRange orderAt;
  if (manifest_ && !manifest_->layers.empty()) {
    for (const auto &l : manifest_->layers) {
      if (std::find(order.begin(), order.end(), l.value) != order.end()) {
        diags_.report(DiagID::DuplicateLayerInOrder, l.range, l.value);
        continue;
      }
      order.push_back(l.value);
    }
    orderAt = manifest_->layers.front().range;
  }
  bool fromManifest = !order.empty();
  for (std::size_t k = 0; k < orderDecls_.size(); ++k) {
    const ast::LayerOrder *decl = orderDecls_[k];
    // The manifest is the project's own word: it overrides the default order a stdlib module
    // offers (a city with four layers can still import std.lgov), but not its entry files'.
    if (fromManifest && orderUnits_[k]->isModule)
      continue;
    std::vector<std::string> names;
    for (const auto &id : decl->layers) {
      if (std::find(names.begin(), names.end(), id.name) != names.end()) {
        diags_.report(DiagID::DuplicateLayerInOrder, id.range, id.name);
        continue;
      }
      names.push_back(id.name);
    }
    if (order.empty()) {
      order = names;
      orderAt = decl->range;
    } else if (names != order) {
      diags_.report(DiagID::LayerOrderConflict, decl->range, orderText(names), orderText(order))
          .note(orderAt, DiagID::NoteOrderDeclaredHere);
    }
  }
  for (const auto &name : order)
    p_.layers.push_back(LayerInfo{name, std::nullopt, true, false, {}});
}

void Sema::checkHeaders() {
  bool reportedNoOrder = false;
  std::vector<std::string> layerNames;
  for (const auto &l : p_.layers)
    layerNames.push_back(l.name);

  for (auto &uptr : p_.units) {
    Unit &u = *uptr;
    if (!u.ast)
      continue;
    if (u.isModule) {
      if (u.ast->policy)
        diags_.report(DiagID::ModuleHasHeader, u.ast->policy->range, u.moduleName, "policy");
      if (u.ast->layer && !u.moduleName.empty())
        diags_.report(DiagID::ModuleHasHeader, u.ast->layer->range, u.moduleName, "layer");
      continue;
    }
    if (const ast::PolicyHeader *ph = u.ast->policy) {
      if (p_.policyName.empty())
        p_.policyName = ph->name.name;
      else if (ph->name.name != p_.policyName && !ph->name.name.empty())
        diags_.report(DiagID::PolicyNameMismatch, ph->name.range, ph->name.name, p_.policyName);
      if (!p_.policyTitle)
        p_.policyTitle = ph->title;
      if (!p_.policyVersion)
        p_.policyVersion = ph->version;
    }
    const ast::LayerHeader *lh = u.ast->layer;
    if (!lh) {
      diags_.report(DiagID::EntryIsModule, SourceRange{u.file, 0, 0}, u.path);
      continue;
    }
    if (p_.layers.empty()) {
      if (!reportedNoOrder)
        diags_.report(DiagID::NoLayerOrder, lh->name.range);
      reportedNoOrder = true;
      continue;
    }
    int rank = p_.layerRankOf(lh->name.name);
    if (rank < 0) {
      auto d = diags_.report(DiagID::UnknownLayer, lh->name.range, lh->name.name,
                             joinLayers(p_.layers, ", "));
      if (auto best = closestMatch(lh->name.name, layerNames))
        d.help(DiagID::NoteDidYouMean, *best);
      continue;
    }
    u.layerRank = rank;
    LayerInfo &info = p_.layers[static_cast<std::size_t>(rank)];
    bool isPublic = lh->visibility == ast::Visibility::Public;
    if (!info.declared) {
      info.declared = true;
      info.isPublic = isPublic;
      info.title = lh->title;
      info.headerRange = lh->range;
    } else if (info.isPublic != isPublic && lh->visibilityIdent) {
      diags_.report(DiagID::VisibilityConflict, lh->visibilityIdent->range, info.name,
                    isPublic ? "public" : "nonpublic", info.isPublic ? "public" : "nonpublic")
          .note(info.headerRange, DiagID::NoteLayerHeaderHere);
    }
    if (lh->refines) {
      int target = p_.layerRankOf(lh->refines->name);
      if (target < 0) {
        auto d = diags_.report(DiagID::UnknownLayer, lh->refines->range, lh->refines->name,
                               joinLayers(p_.layers, ", "));
        if (auto best = closestMatch(lh->refines->name, layerNames))
          d.help(DiagID::NoteDidYouMean, *best);
      } else if (target >= rank) {
        diags_.report(DiagID::RefinesNotHigher, lh->refines->range, lh->name.name,
                      lh->refines->name,
                      target == rank ? "it is the same layer"
                                     : fmt::format("`{}` is below `{}`", lh->refines->name,
                                                   lh->name.name),
                      joinLayers(p_.layers, " > "));
      }
    }
  }
  // Publishing a layer that refines an unpublished one leaves the public text incomplete.
  for (std::size_t lower = 0; lower < p_.layers.size(); ++lower) {
    if (!p_.layers[lower].declared || !p_.layers[lower].isPublic)
      continue;
    for (std::size_t higher = 0; higher < lower; ++higher)
      if (p_.layers[higher].declared && !p_.layers[higher].isPublic) {
        diags_.report(DiagID::PublicBelowNonPublic, p_.layers[lower].headerRange,
                      p_.layers[lower].name, p_.layers[higher].name);
        break;
      }
  }
}

} // namespace polc::sema
