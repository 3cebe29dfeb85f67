#pragma once
// One layer's document as Markdown and HTML: title, the sections in order with their numbers,
// titles, prose and glossary entries (definitions, threats, organizations), then the appendix of
// formal statements per section.
#include "document/Rows.h"

#include "polc/emit/Output.h"

#include <vector>

namespace polc::emit::document {

// document/LAYER.md and document/LAYER.html.
std::vector<OutputFile> renderLayer(const ir::Policy &policy, int layer, const text::Phrasing &words,
                                    const text::Visibility &visible, const OriginNamer &namer);

} // namespace polc::emit::document
