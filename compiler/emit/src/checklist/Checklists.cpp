// emitChecklists (Publications.h): the self-inspection and the audit checklist.
#include "checklist/Items.h"
#include "checklist/Render.h"

namespace polc::emit {

std::vector<OutputFile> emitChecklists(const ir::Policy &policy, const diag::SourceManager &sources,
                                       const Phrasebook &book, const PublicationOptions &options) {
  const text::Visibility visible(policy, options.publicBuild);
  const text::Phrasing ja(policy, book, Language::Ja, visible);
  const text::Phrasing words(policy, book, options.language, visible, options.untranslated);
  FirewallEmitOptions roots;
  roots.projectRoot = options.projectRoot;
  roots.stdlibDir = options.stdlibDir;
  const OriginNamer namer(policy, sources, roots);
  const checklist::ItemContext ctx{policy, book, visible, ja, words, namer};
  std::vector<OutputFile> files;
  for (std::string_view kind : {"self_inspection", "audit"}) {
    auto rendered = checklist::renderChecklist(checklist::collectItems(ctx, kind), kind, words);
    std::move(rendered.begin(), rendered.end(), std::back_inserter(files));
  }
  return files;
}

} // namespace polc::emit
