// polc.yaml: what a valid manifest gives, and each way it can be wrong.
#include "polc/sema/Project.h"

#include <gtest/gtest.h>

using namespace polc;

namespace {

struct Read {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags{sources};
  diag::FileID file = 0;
  std::optional<sema::Manifest> manifest;
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto &d : diags.diagnostics())
      out.push_back(d.code);
    return out;
  }
  std::string_view text(diag::SourceRange r) const {
    return sources.contents(r.file).substr(r.begin, r.end - r.begin);
  }
};

std::unique_ptr<Read> read(std::string yaml) {
  auto r = std::make_unique<Read>();
  r->file = r->sources.addBuffer("polc.yaml", std::move(yaml));
  r->manifest = sema::readManifest(r->file, r->sources, r->diags);
  return r;
}

} // namespace

TEST(Manifest, ReadsEveryKeyWithItsPosition) {
  auto r = read("# みよし市\npolicy: miyoshi\nentries: [basic.pol, \"standard.pol\"]\n"
                "layers:\n  - basic\n  - standard\noutputs: [firewall, document]\n"
                "stdlib: vendor/stdlib\nmodule_paths: [modules]\n");
  ASSERT_TRUE(r->manifest) << r->codes().size();
  const sema::Manifest &m = *r->manifest;
  EXPECT_TRUE(r->codes().empty());
  EXPECT_EQ(m.policy->value, "miyoshi");
  EXPECT_EQ(r->text(m.policy->range), "miyoshi");
  ASSERT_EQ(m.entries.size(), 2u);
  EXPECT_EQ(m.entries[1].value, "standard.pol");
  EXPECT_EQ(r->sources.lineCol(m.entries[0].range.start()).line, 3u);
  EXPECT_EQ(r->text(m.entries[0].range), "basic.pol");
  ASSERT_EQ(m.layers.size(), 2u);
  EXPECT_EQ(r->text(m.layers[1].range), "standard");
  EXPECT_EQ(m.outputs.size(), 2u);
  EXPECT_EQ(m.stdlib->value, "vendor/stdlib");
  EXPECT_EQ(m.modulePaths.at(0).value, "modules");
}

TEST(Manifest, SyntaxErrorsHaveALineAndColumn) {
  auto r = read("policy: miyoshi\nentries: [basic.pol\nlayers: [basic]\n");
  EXPECT_FALSE(r->manifest);
  ASSERT_EQ(r->codes(), std::vector<std::string>{"E0501"});
  auto at = r->sources.lineCol(r->diags.diagnostics()[0].range.start());
  EXPECT_EQ(at.line, 3u); // where the parser noticed the unclosed `[`
  EXPECT_GE(at.column, 1u);
}

TEST(Manifest, UnknownKeysSuggestTheKnownOne) {
  auto r = read("policy: miyoshi\nentries: [basic.pol]\nmodules_paths: [m]\nauthor: 情報政策課\n");
  EXPECT_FALSE(r->manifest);
  ASSERT_EQ(r->codes(), (std::vector<std::string>{"E0502", "E0502"}));
  const auto &d = r->diags.diagnostics();
  EXPECT_EQ(d[0].help, "did you mean `module_paths`?");
  EXPECT_EQ(r->text(d[0].range), "modules_paths");
  EXPECT_EQ(d[1].help, "known keys: policy, entries, layers, outputs, stdlib, module_paths");
}

TEST(Manifest, WrongTypesMissingKeysDuplicatesAndOutputs) {
  auto types = read("policy: miyoshi\nentries: [basic.pol]\nlayers: {basic: 1}\nstdlib: [x]\n");
  EXPECT_EQ(types->codes(), (std::vector<std::string>{"E0503", "E0503"}));

  auto missing = read("layers: [basic]\n");
  EXPECT_EQ(missing->codes(), (std::vector<std::string>{"E0504", "E0504"}));
  EXPECT_EQ(missing->diags.diagnostics()[0].message, "polc.yaml has no `policy`");
  EXPECT_EQ(missing->diags.diagnostics()[1].message, "polc.yaml has no `entries`");

  auto dup = read("policy: miyoshi\nentries: [basic.pol, standard.pol, basic.pol]\n");
  ASSERT_EQ(dup->codes(), std::vector<std::string>{"E0513"});
  EXPECT_EQ(dup->diags.diagnostics()[0].range.begin, 51u); // the second basic.pol

  auto outputs = read("policy: miyoshi\nentries: [a.pol]\noutputs: [firewall, endpont, pdf]\n");
  ASSERT_EQ(outputs->codes(), (std::vector<std::string>{"E0514", "E0514"}));
  EXPECT_EQ(outputs->diags.diagnostics()[0].help, "did you mean `endpoint`?");
}
