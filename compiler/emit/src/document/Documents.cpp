// emitPolicyDocuments (Publications.h): one document per layer. Separate files per layer mean a
// public build's documents are byte for byte those of a full build, minus the non-public ones.
#include "document/Render.h"

namespace polc::emit {

std::vector<OutputFile> emitPolicyDocuments(const ir::Policy &policy, const diag::SourceManager &sources,
                                            const Phrasebook &book, const PublicationOptions &options) {
  const text::Visibility visible(policy, options.publicBuild);
  const text::Phrasing words(policy, book, options.language, visible, options.untranslated);
  FirewallEmitOptions roots;
  roots.projectRoot = options.projectRoot;
  roots.stdlibDir = options.stdlibDir;
  const OriginNamer namer(policy, sources, roots);
  std::vector<OutputFile> files;
  for (std::size_t i = 0; i < policy.layers.size(); ++i) {
    if (!visible.layer(static_cast<int>(i)))
      continue;
    auto rendered = document::renderLayer(policy, static_cast<int>(i), words, visible, namer);
    std::move(rendered.begin(), rendered.end(), std::back_inserter(files));
  }
  return files;
}

} // namespace polc::emit
