#pragma once
// Builds and checks a Program from in-memory sources, the way the project loader would:
// entry files first (in order), then modules. Tests then look at the diagnostics and at the
// symbol and side tables, or lower the program to the IR.
#include "polc/diag/DiagnosticsEngine.h"
#include "polc/ir/IR.h"
#include "polc/ir/Lower.h"
#include "polc/sema/Program.h"
#include "polc/sema/Sema.h"
#include "polc/syntax/Parser.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace polc::test {

struct Source {
  Source(std::string name, std::string text, std::string moduleName = "")
      : name(std::move(name)), text(std::move(text)), moduleName(std::move(moduleName)) {}
  std::string name;
  std::string text;
  std::string moduleName; // non-empty: an imported module rather than an entry file
};

// Every entry file of these tests starts with this policy line.
inline std::string layerFile(std::string_view layer, std::string_view body,
                             std::string_view header = "public") {
  return "policy miyoshi \"みよし市情報セキュリティポリシー\";\n" + std::string("layer ") +
         std::string(layer) + " \"" + std::string(layer) + "\" " + std::string(header) + ";\n" +
         std::string(body);
}

inline std::string readRepoFile(const std::string &rel) {
  std::ifstream in(std::string(POLC_SOURCE_DIR) + "/" + rel, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// std.lgov as the loader would load it for `import std.lgov;`.
inline Source lgov() { return {"stdlib/std/lgov.pol", readRepoFile("stdlib/std/lgov.pol"), "std.lgov"}; }

// The layer order most tests use, as a module so that no entry file has to declare it.
inline Source order() { return {"order.pol", "layers basic > standard > procedure;\n", "local.order"}; }

class Checked {
public:
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags{sources};
  sema::Program program;
  bool parsed = true;
  bool ok = false;

  // The codes reported, less the publication warnings W0770/W0771 (internal addresses in a
  // public layer): these small policies write addresses in public layers, which is not what
  // they test. The goldens (tests/diagnostics/sema/public_internal_address.pol) test those.
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto &d : diags.diagnostics())
      if (d.code != "W0770" && d.code != "W0771")
        out.push_back(d.code);
    return out;
  }
  const diag::Diagnostic *find(std::string_view code) const {
    for (const auto &d : diags.diagnostics())
      if (d.code == code)
        return &d;
    return nullptr;
  }
  // Every diagnostic, one per line: for failure messages.
  std::string dump() const {
    std::string out;
    for (const auto &d : diags.diagnostics())
      out += d.code + " " + d.message + (d.help.empty() ? "" : " [" + d.help + "]") + "\n";
    return out;
  }
  const sema::Symbol *symbol(std::string_view name) const {
    auto it = program.byName.find(std::string(name));
    return it == program.byName.end() ? nullptr : it->second;
  }
  // The source text a range covers.
  std::string_view text(diag::SourceRange r) const {
    return sources.contents(r.file).substr(r.begin, r.end - r.begin);
  }
  std::unique_ptr<ir::Policy> lower() const { return ir::lower(program); }
};

// Parses every source, then runs semantic analysis when parsing was clean.
inline std::unique_ptr<Checked> check(const std::vector<Source> &files,
                                      const std::optional<sema::Manifest> &manifest = std::nullopt) {
  auto c = std::make_unique<Checked>();
  std::vector<std::unique_ptr<sema::Unit>> modules;
  for (const auto &f : files) {
    auto unit = std::make_unique<sema::Unit>();
    unit->file = c->sources.addBuffer(f.name, f.text);
    unit->path = f.name;
    unit->canonicalPath = f.name;
    unit->isModule = !f.moduleName.empty();
    unit->moduleName = f.moduleName;
    unit->ast = syntax::parseFile(unit->file, c->sources, c->diags);
    (unit->isModule ? modules : c->program.units).push_back(std::move(unit));
  }
  for (auto &m : modules)
    c->program.units.push_back(std::move(m));
  c->parsed = !c->diags.hasErrors();
  if (c->parsed)
    c->ok = sema::analyze(c->program, manifest, c->diags);
  c->diags.sortByLocation(); // as polc check does
  return c;
}

} // namespace polc::test
