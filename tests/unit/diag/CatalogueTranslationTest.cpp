// Every diagnostic ships in both languages: each DIAG and NOTE of DiagnosticKinds.def has an
// entry in DiagnosticKinds.ja.def that formats with the same arguments. A diagnostic added
// without its Japanese text fails here (and would otherwise print English in a ja run).
#include "polc/diag/Diagnostic.h"

#include <gtest/gtest.h>

#include <fmt/args.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace polc::diag;

namespace {

// The arguments a template refers to, with each one's format spec ("02X" in `{:02X}`). Literal
// braces are doubled; `{}` takes the next argument, `{1}` names one.
struct Reference {
  std::size_t index;
  std::string spec;
};

std::vector<Reference> references(std::string_view tmpl) {
  std::vector<Reference> out;
  std::size_t next = 0;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '{') {
      ++i;
      continue;
    }
    if (tmpl[i] != '{')
      continue;
    const std::size_t close = tmpl.find('}', i);
    if (close == std::string_view::npos)
      break; // fmt rejects it; the formatting check below reports it
    const std::string_view field = tmpl.substr(i + 1, close - i - 1);
    const std::size_t colon = field.find(':');
    const std::string_view id = field.substr(0, colon);
    const std::string spec = colon == std::string_view::npos ? "" : std::string(field.substr(colon + 1));
    out.push_back({id.empty() ? next++ : std::stoul(std::string(id)), spec});
    i = close;
  }
  return out;
}

std::set<std::size_t> indexes(std::initializer_list<std::string_view> templates) {
  std::set<std::size_t> out;
  for (std::string_view t : templates)
    for (const Reference &r : references(t))
      out.insert(r.index);
  return out;
}

bool integerSpec(const std::string &spec) {
  return !spec.empty() && std::string_view("dxXbo").find(spec.back()) != std::string_view::npos;
}

// Dummy arguments for `count` positions: an integer where some template formats the argument as
// one (`{:04X}`), a string elsewhere.
fmt::dynamic_format_arg_store<fmt::format_context> dummyArgs(const DiagInfo &en, const DiagInfo &ja) {
  std::map<std::size_t, bool> isInt;
  std::size_t count = 0;
  for (std::string_view t : {en.message, en.help, ja.message, ja.help})
    for (const Reference &r : references(t)) {
      count = std::max(count, r.index + 1);
      isInt[r.index] = isInt[r.index] || integerSpec(r.spec);
    }
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  for (std::size_t i = 0; i < count; ++i) {
    if (isInt[i])
      args.push_back(42);
    else
      args.push_back(fmt::format("ARG{}", i));
  }
  return args;
}

// Text a person reads, beyond the placeholders: then the Japanese entry must be Japanese.
bool hasWords(std::string_view tmpl) {
  bool inField = false;
  for (char c : tmpl) {
    if (c == '{')
      inField = true;
    else if (c == '}')
      inField = false;
    else if (!inField && std::isalpha(static_cast<unsigned char>(c)))
      return true;
  }
  return false;
}

bool hasNonAscii(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

} // namespace

TEST(CatalogueTranslation, EveryEntryHasAJapaneseText) {
  std::vector<std::string> missing;
  for (const DiagInfo &info : allDiagInfos())
    if (!hasTranslation(info.id, Lang::Ja))
      missing.emplace_back(info.name);
  EXPECT_TRUE(missing.empty()) << "add these to DiagnosticKinds.ja.def: " << fmt::format("{}", fmt::join(missing, ", "));
}

TEST(CatalogueTranslation, BothLanguagesFormatWithTheSameArguments) {
  for (const DiagInfo &en : allDiagInfos()) {
    const DiagInfo &ja = diagInfo(en.id, Lang::Ja);
    SCOPED_TRACE(std::string(en.name));
    // The same facts in both languages: a translation may move an argument between the message
    // and the help, but must not drop one or invent one.
    EXPECT_EQ(indexes({en.message, en.help}), indexes({ja.message, ja.help}));
    EXPECT_EQ(en.help.empty(), ja.help.empty());
    EXPECT_EQ(en.code, ja.code);
    EXPECT_EQ(en.severity, ja.severity);
    const auto args = dummyArgs(en, ja);
    for (std::string_view t : {en.message, en.help, ja.message, ja.help}) {
      std::string formatted;
      EXPECT_NO_THROW(formatted = fmt::vformat(t, args)) << t;
      if (!t.empty()) {
        EXPECT_FALSE(formatted.empty());
      }
    }
    if (hasWords(en.message)) {
      EXPECT_TRUE(hasNonAscii(ja.message)) << "not translated: " << ja.message;
    }
    if (hasWords(en.help)) {
      EXPECT_TRUE(hasNonAscii(ja.help)) << "not translated: " << ja.help;
    }
  }
}

TEST(CatalogueTranslation, AnEnglishRunIsTheCatalogueItself) {
  for (const DiagInfo &info : allDiagInfos()) {
    EXPECT_EQ(&diagInfo(info.id, Lang::En), &diagInfo(info.id));
    EXPECT_TRUE(hasTranslation(info.id, Lang::En));
  }
}

// The checker itself must catch what it is for.
TEST(CatalogueTranslation, TheReferenceParserSeesWhatFmtSees) {
  EXPECT_EQ(indexes({"{} and {}"}), (std::set<std::size_t>{0, 1}));
  EXPECT_EQ(indexes({"{1} then {0}", "{2}"}), (std::set<std::size_t>{0, 1, 2}));
  EXPECT_EQ(indexes({"`}}` and \\u{{XXXX}}"}), (std::set<std::size_t>{}));
  EXPECT_EQ(indexes({"0x{:02X}"}), (std::set<std::size_t>{0}));
  EXPECT_NE(indexes({"{} {}"}), indexes({"{0}"})); // a dropped argument is noticed
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  args.push_back(std::string("a"));
  args.push_back(std::string("b"));
  EXPECT_THROW((void)fmt::vformat("{} {1}", args), fmt::format_error); // mixed indexing
}
