#pragma once
// `polc build`'s human-readable outputs: the self-inspection and audit checklists and the policy
// document. Both are rendered from the IR with the words in stdlib/templates/*.yaml, in Japanese
// or English, and a public build leaves out everything that only a non-public layer says.
#include "polc/diag/SourceManager.h"
#include "polc/emit/Output.h"
#include "polc/ir/IR.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace polc::emit {

enum class Language { Ja, En };

// The templates and labels of stdlib/templates/{phrases,checklist,document}.yaml, checked on
// load (opaque: the emitters read it through library-private headers).
class Phrasebook;
struct PhrasebookDeleter {
  void operator()(const Phrasebook *book) const;
};
using PhrasebookPtr = std::unique_ptr<const Phrasebook, PhrasebookDeleter>;

// Reads the three files under `stdlibDir`/templates. On failure returns null and sets `error`.
PhrasebookPtr loadPhrasebook(const std::string &stdlibDir, std::string &error);

struct PublicationOptions {
  Language language = Language::Ja;
  bool publicBuild = false;  // leave out every non-public layer and whatever would reveal one
  std::string projectRoot;   // source references are relative to it
  std::string stdlibDir;     // ... or shown as "stdlib/…"
  // An English build adds here each text it prints in Japanese for want of an English one
  // ("setting password.min_length: パスワードの最小文字数", "check basic 6: 「…か」"), for the
  // build's summary. May be null.
  std::set<std::string> *untranslated = nullptr;
};

// trace.json: every statement identity (StatementIds.h) the outputs may cite, mapped to its
// file, line and column, layer and clause; in a public build, public layers and modules only.
// The generated files cite identities, not lines, so this is the one file a line shift changes.
OutputFile emitTrace(const ir::Policy &policy, const diag::SourceManager &sources, const PublicationOptions &options);

// checklist/self_inspection.{md,csv,html} and checklist/audit.{md,csv,html}.
std::vector<OutputFile> emitChecklists(const ir::Policy &policy, const diag::SourceManager &sources,
                                       const Phrasebook &book, const PublicationOptions &options);

// document/LAYER.{md,html}: one document per layer (public layers only in a public build).
std::vector<OutputFile> emitPolicyDocuments(const ir::Policy &policy, const diag::SourceManager &sources,
                                            const Phrasebook &book, const PublicationOptions &options);

} // namespace polc::emit
