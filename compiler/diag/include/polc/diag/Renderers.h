#pragma once
// Turn collected diagnostics into text (clang-style, with display-width carets) or JSON.
#include "polc/diag/Diagnostic.h"

#include <ostream>

namespace polc::diag {

struct TextOptions {
  bool color = false;
  unsigned tabWidth = 4;
  // Snippets of very long lines are cut to a window of this many display columns.
  unsigned maxSnippetWidth = 120;
  bool summary = true; // print "N errors and M warnings generated."
  // The language of the renderer's own words (severity labels, "note:", "help:", the summary).
  // Codes such as [E0901] and the "-->"-free clang layout are the same in every language.
  Lang lang = Lang::En;
};

void renderText(std::ostream &out, const SourceManager &sources,
                const std::vector<Diagnostic> &diags, const TextOptions &opts);

// {"version":1,"diagnostics":[...]} with each range given as byte offsets and as
// line/column (code points), plus the UTF-16 column.
void renderJson(std::ostream &out, const SourceManager &sources,
                const std::vector<Diagnostic> &diags);

// What SARIF's tool.driver says about the producer. Empty optional fields are omitted.
struct SarifToolInfo {
  std::string name = "polc";
  std::string version;         // as `polc --version` prints it
  std::string semanticVersion; // Semantic Versioning 2.0; empty = omitted
  // An absolute URI (the schema demands one); empty = omitted, as polc has no canonical URL.
  std::string informationUri;
};

// One SARIF 2.1.0 log with one run, for code-scanning services and editors. Byte-deterministic:
// no timestamps, no absolute paths beyond the ones polc was given.
// `lang` picks the rules' descriptions and the words polc adds to a result's message ("note:",
// "help:"); it is recorded as the run's `language` (en-US or ja-JP).
void renderSarif(std::ostream &out, const SourceManager &sources,
                 const std::vector<Diagnostic> &diags, const SarifToolInfo &tool,
                 Lang lang = Lang::En);

// Display width of UTF-8 text as a terminal shows it: CJK and other wide characters are two
// columns, combining marks zero. Tabs count as advancing to the next multiple of tabWidth.
unsigned displayWidth(std::string_view utf8, unsigned tabWidth = 4);

} // namespace polc::diag
