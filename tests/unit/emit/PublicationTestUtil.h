#pragma once
// Small three-layer policies (basic > standard > procedure, the last non-public, each importing
// std.lgov) run through the checklist and document emitters with the stdlib's templates.
#include "SemaTestUtil.h"
#include "text/Phrasebook.h"

#include "polc/emit/Publications.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

namespace polc::emit::test {

inline const Phrasebook &stdlibPhrasebook() {
  static const PhrasebookPtr book = [] {
    std::string error;
    PhrasebookPtr b = loadPhrasebook(std::string(POLC_SOURCE_DIR) + "/stdlib", error);
    EXPECT_TRUE(b) << error;
    return b;
  }();
  return *book;
}

struct Built {
  std::unique_ptr<polc::test::Checked> checked;
  std::unique_ptr<ir::Policy> policy;
  std::map<std::string, std::string> files; // path -> contents

  const std::string &file(const std::string &path) const {
    static const std::string none;
    auto it = files.find(path);
    EXPECT_NE(it, files.end()) << "no output " << path;
    return it == files.end() ? none : it->second;
  }
  // Every output concatenated, to search for strings.
  std::string all() const {
    std::string out;
    for (const auto &[path, contents] : files)
      out += contents + "\n";
    return out;
  }
};

// `extraImport` ("import std.lgov.alpha;\n") goes into basic.pol, with the module's source.
inline Built build(const std::string &basic, const std::string &standard, const std::string &procedure,
                   bool publicBuild = false, Language lang = Language::Ja, const std::string &extraImport = "",
                   std::set<std::string> *untranslated = nullptr) {
  using polc::test::Source;
  const std::string import = "import std.lgov;\n";
  std::vector<Source> sources{
      {"basic.pol", polc::test::layerFile("basic", import + extraImport + basic)},
      {"standard.pol", polc::test::layerFile("standard", import + standard, "public refines basic")},
      {"procedure.pol", polc::test::layerFile("procedure", import + procedure, "nonpublic refines standard")},
      polc::test::lgov(), polc::test::order()};
  if (extraImport == "import std.lgov.alpha;\n")
    sources.push_back({"stdlib/std/lgov/alpha.pol", polc::test::readRepoFile("stdlib/std/lgov/alpha.pol"), "std.lgov.alpha"});
  Built b;
  b.checked = polc::test::check(sources);
  EXPECT_TRUE(b.checked->ok) << b.checked->dump();
  if (!b.checked->ok)
    return b;
  b.policy = b.checked->lower();
  PublicationOptions options;
  options.language = lang;
  options.publicBuild = publicBuild;
  options.projectRoot = ".";
  options.stdlibDir = std::string(POLC_SOURCE_DIR) + "/stdlib";
  options.untranslated = untranslated;
  for (auto *emitter : {&emitChecklists, &emitPolicyDocuments})
    for (OutputFile &f : emitter(*b.policy, b.checked->sources, stdlibPhrasebook(), options))
      b.files[f.path] = std::move(f.contents);
  return b;
}

} // namespace polc::emit::test
