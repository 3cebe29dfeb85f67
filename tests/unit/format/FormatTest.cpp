// polc fmt (compiler/format): the layout rules on small cases, and the properties over every
// .pol file of the repository that parses and over generated policies: idempotence, the same
// syntax tree, the same comments.
#include "polc/format/Format.h"
#include "polc/format/UnifiedDiff.h"
#include "polc/syntax/ASTDump.h"
#include "polc/syntax/Lexer.h"
#include "polc/syntax/Parser.h"

#include "PolicyGenerator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace polc::format {
namespace {

namespace fs = std::filesystem;

struct Parsed {
  bool ok = false;
  std::string dump;
  std::vector<std::string> comments;
};

// Parses `text` on its own; `comments` are the comments' texts with trailing blanks of `//`
// comments removed and block comments' line breaks as `\n` (what fmt promises to keep).
Parsed parse(const std::string &text) {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  diag::FileID file = sources.addBuffer("x.pol", text);
  Parsed p;
  std::unique_ptr<ast::File> tree = syntax::parseFile(file, sources, diags);
  if (!tree || diags.hasErrors())
    return p;
  p.ok = true;
  p.dump = ast::dumpStructure(*tree);
  syntax::LexOptions opts;
  opts.keepComments = true;
  diag::DiagnosticsEngine lexDiags(sources);
  for (const syntax::Comment &c : syntax::lex(file, text, lexDiags, opts).comments) {
    std::string t = text.substr(c.begin, c.end - c.begin);
    if (!c.block)
      t.erase(t.find_last_not_of(" \t") + 1);
    std::string n;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (t[i] == '\r') {
        n += '\n';
        if (i + 1 < t.size() && t[i + 1] == '\n')
          ++i;
      } else {
        n += t[i];
      }
    p.comments.push_back(n);
  }
  return p;
}

std::optional<std::string> fmtText(const std::string &text, std::string *errors = nullptr) {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags(sources);
  diag::FileID file = sources.addBuffer("x.pol", text);
  std::optional<std::string> out = formatFile(file, sources, diags);
  if (errors)
    for (const diag::Diagnostic &d : diags.diagnostics())
      *errors += d.code + " " + d.message + "\n";
  return out;
}

// The three properties on one text that parses.
void expectProperties(const std::string &name, const std::string &text) {
  Parsed before = parse(text);
  ASSERT_TRUE(before.ok) << name;
  std::string errors;
  std::optional<std::string> once = fmtText(text, &errors);
  ASSERT_TRUE(once) << name << ": " << errors;
  std::optional<std::string> twice = fmtText(*once);
  ASSERT_TRUE(twice) << name;
  EXPECT_EQ(*once, *twice) << name << " is not idempotent:\n" << unifiedDiff(*once, *twice, "once", "twice");
  Parsed after = parse(*once);
  ASSERT_TRUE(after.ok) << name;
  EXPECT_EQ(before.dump, after.dump) << name << ": the syntax tree changed";
  EXPECT_EQ(before.comments, after.comments) << name << ": the comments changed";
  // The layout step alone agrees with the checked path.
  EXPECT_EQ(layout(text), *once) << name;
}

std::string readFile(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FormatProperties, EveryPolFileOfTheRepository) {
  std::vector<fs::path> files;
  for (const char *dir : {"examples", "stdlib", "tests"})
    for (const auto &e : fs::recursive_directory_iterator(fs::path(POLC_SOURCE_DIR) / dir))
      if (e.is_regular_file() && e.path().extension() == ".pol")
        files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::size_t parsed = 0, fuzz = 0;
  for (const fs::path &p : files) {
    std::string text = readFile(p);
    if (!parse(text).ok)
      continue; // a case of a syntax error: fmt refuses it (tested below)
    ++parsed;
    if (p.generic_string().find("tests/fuzz/corpus") != std::string::npos)
      ++fuzz;
    expectProperties(p.lexically_relative(POLC_SOURCE_DIR).generic_string(), text);
  }
  // The corpora are there: a moved folder must not make this test pass on nothing.
  EXPECT_GT(parsed, 150u);
  EXPECT_GT(fuzz, 20u);
}

TEST(FormatProperties, GeneratedPolicies) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed)
    for (bench::Layer layer : {bench::Layer::Basic, bench::Layer::Standard, bench::Layer::Procedure}) {
      bench::GeneratorOptions opts;
      opts.seed = seed;
      opts.lines = 400;
      opts.layer = layer;
      expectProperties("generated seed " + std::to_string(seed), bench::generatePolicy(opts));
    }
}

// ---- the layout rules ------------------------------------------------------------------------

TEST(FormatLayout, IndentsBodiesAndPutsOneStatementOnALine) {
  EXPECT_EQ(layout("section \"1\" \"t\" {\nzone a;   zone b;\n      section \"1.1\" {\ntext \"x\";}}\n"),
            "section \"1\" \"t\" {\n  zone a;\n  zone b;\n  section \"1.1\" {\n    text \"x\";\n  }\n}\n");
}

TEST(FormatLayout, NormalisesSpacesInsideALine) {
  EXPECT_EQ(layout("allow [ a , b ]->!c service tcp/443 ;\n"), "allow [a, b] -> !c service tcp/443;\n");
  EXPECT_EQ(layout("setting x . y \"t\" : duration 1m .. 24h ;\n"), "setting x.y \"t\" : duration 1m..24h;\n");
  EXPECT_EQ(layout("deny a <-> b unless via sanitizer ( m , n );\n"),
            "deny a <-> b unless via sanitizer(m, n);\n");
  EXPECT_EQ(layout("setting s \"t\" : enum ( a , b ) ;\n"), "setting s \"t\" : enum(a, b);\n");
}

TEST(FormatLayout, KeepsOneLineBodiesAndEmptiesThem) {
  EXPECT_EQ(layout("refine zone a {address 10.0.0.0/8;sanitizer m;}\n"),
            "refine zone a { address 10.0.0.0/8; sanitizer m; }\n");
  EXPECT_EQ(layout("zone a { }\n"), "zone a {}\n");
  // Written over several lines, a body is laid out over several lines.
  EXPECT_EQ(layout("zone a { address 10.0.0.0/8;\n}\n"), "zone a {\n  address 10.0.0.0/8;\n}\n");
}

TEST(FormatLayout, KeepsTheAuthorsBreaksInsideAStatement) {
  EXPECT_EQ(layout("section \"1\" {\n text \"a\"\n \"b\"\n   \"c\";\n check audit \"q\"\n owner ciso\n every fiscal_year;\n}\n"),
            "section \"1\" {\n  text \"a\"\n       \"b\"\n       \"c\";\n  check audit \"q\"\n    owner ciso\n    every fiscal_year;\n}\n");
  // A break before `;` or `,` joins the line before.
  EXPECT_EQ(layout("service s = tcp/1\n, tcp/2\n;\n"), "service s = tcp/1, tcp/2;\n");
  // Inside brackets, continuation lines are indented one more step; a closer joins its line,
  // unless a line comment forces it onto one of its own (then one step less).
  EXPECT_EQ(layout("allow a -> [\nb,\nc\n];\n"), "allow a -> [\n    b,\n    c];\n");
  EXPECT_EQ(layout("allow a -> [\nb, // x\n];\n"), "allow a -> [\n    b,  // x\n  ];\n");
}

TEST(FormatLayout, BlankLines) {
  EXPECT_EQ(layout("\n\nzone a;\n\n\n\nzone b;\nsection \"1\" {\n\n zone c;\n\n}\n\n"),
            "zone a;\n\nzone b;\nsection \"1\" {\n  zone c;\n}\n");
}

TEST(FormatLayout, KeepsEveryComment) {
  EXPECT_EQ(layout("// head   \nzone a; // why\nzone bb;   // and why\n\nsection \"1\" {\n// inside\nzone c; /* b */ zone d;\n  // before the end\n}\n"),
            "// head\nzone a;   // why\nzone bb;  // and why\n\nsection \"1\" {\n  // inside\n  zone c; /* b */\n  zone d;\n  // before the end\n}\n");
  // Trailing comments line up by display width (a CJK character is two columns).
  EXPECT_EQ(layout("text \"日本\"; // a\ntext \"abcdef\"; // b\n"),
            "text \"日本\";    // a\ntext \"abcdef\";  // b\n");
  // A line comment inside a statement ends the line; the statement continues below.
  EXPECT_EQ(layout("allow a -> b // to b\n service https;\n"), "allow a -> b  // to b\n  service https;\n");
  // A block comment keeps its lines.
  EXPECT_EQ(layout("  /* one\n   two */\nzone a;\n"), "/* one\n   two */\nzone a;\n");
}

TEST(FormatLayout, LineEndingsAndByteOrderMark) {
  EXPECT_EQ(layout("\xEF\xBB\xBFzone a;\r\n\r\n\r\nzone b;\r\n"), "zone a;\n\nzone b;\n");
  EXPECT_EQ(layout(""), "");
  EXPECT_EQ(layout("// only a comment"), "// only a comment\n");
}

TEST(FormatFile, RefusesAFileWithSyntaxErrors) {
  std::string errors;
  EXPECT_FALSE(fmtText("zone a {\n", &errors));
  EXPECT_NE(errors.find("E0"), std::string::npos) << errors;
  EXPECT_EQ(errors.find("E1140"), std::string::npos) << errors;
}

TEST(FormatFile, LeavesASpacedInterfaceNameToTheParser) {
  // `interface 1 . 2` was once the name 1.2 written with spaces, which fmt could not join (it
  // would lex as an IPv4 address) and refused with E1140. An interface name is now one word
  // (docs/language.md), so the spaced form is a syntax error and fmt leaves the file untouched.
  // E1140 stays as the guard for any layout that would change the tokens.
  std::string errors;
  std::optional<std::string> out = fmtText("firewall f platform nftables { interface 1 . 2 zone a; }\n", &errors);
  EXPECT_FALSE(out);
  EXPECT_NE(errors.find("E0202"), std::string::npos) << errors;
  EXPECT_EQ(errors.find("E1140"), std::string::npos) << errors;
}

// ---- unified diffs ------------------------------------------------------------------------------

TEST(UnifiedDiff, EqualTextsGiveNothing) { EXPECT_EQ(unifiedDiff("a\nb\n", "a\nb\n", "x", "y"), ""); }

TEST(UnifiedDiff, OneHunkWithContext) {
  EXPECT_EQ(unifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n", "a", "b"),
            "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  EXPECT_EQ(unifiedDiff("", "x\n", "a", "b"), "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+x\n");
  EXPECT_EQ(unifiedDiff("x", "x\n", "a", "b"),
            "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+x\n");
}

TEST(UnifiedDiff, SeparateHunks) {
  std::string a, b;
  for (int i = 0; i < 30; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 2 || i == 25 ? "x" : std::to_string(i)) + "\n";
  }
  std::string d = unifiedDiff(a, b, "a", "b");
  EXPECT_NE(d.find("@@ -1,6 +1,6 @@"), std::string::npos) << d;
  EXPECT_NE(d.find("@@ -23,7 +23,7 @@"), std::string::npos) << d;
}

} // namespace
} // namespace polc::format
