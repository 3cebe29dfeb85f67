// Generates docs/diagnostics.md from the diagnostic catalogue.
//
//   polc_gen_diag_docs DEF_FILE              print the Markdown to stdout
//   polc_gen_diag_docs DEF_FILE -o OUT       write it to OUT
//   polc_gen_diag_docs DEF_FILE --check OUT  exit 1 if OUT differs from what would be written
//   ... --examples DIR                       also show, per code, the golden report of each
//                                            example project under DIR that is about it
//
// The entries come from the compiled-in catalogue, in English (DiagnosticKinds.def) and in
// Japanese (DiagnosticKinds.ja.def); the .def file is read only for the code ranges in its
// header comment, so adding a range there is all a new section needs.
#include "polc/diag/Diagnostic.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <cctype>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

using polc::diag::DiagInfo;

struct CodeGroup {
  std::string prefix; // e.g. "E01" for "E01xx"
  std::string title;  // e.g. "lexical"
};

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos)
    return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Reads "E00xx  driver, files and I/O      E01xx  lexical" pairs from the leading comment.
std::vector<CodeGroup> readCodeGroups(std::istream &def) {
  static const std::regex range(R"(([A-Z]+[0-9]+)xx\b)");
  std::vector<CodeGroup> groups;
  std::string line;
  while (std::getline(def, line)) {
    const std::string text = trim(line);
    if (text.rfind("//", 0) != 0)
      break; // the header comment ends at the first line of code
    std::vector<std::smatch> matches(std::sregex_iterator(text.begin(), text.end(), range),
                                     std::sregex_iterator());
    for (std::size_t i = 0; i < matches.size(); ++i) {
      const auto titleBegin = matches[i].position(0) + matches[i].length(0);
      const auto titleEnd = i + 1 < matches.size() ? matches[i + 1].position(0)
                                                   : static_cast<std::ptrdiff_t>(text.size());
      groups.push_back({matches[i][1].str(), trim(std::string_view(text).substr(
                                                  titleBegin, titleEnd - titleBegin))});
    }
  }
  return groups;
}

// fmt's "{{" and "}}" are an implementation detail; readers should see the braces printed.
std::string unescapeBraces(std::string_view tmpl) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    out += tmpl[i];
    if ((tmpl[i] == '{' || tmpl[i] == '}') && i + 1 < tmpl.size() && tmpl[i + 1] == tmpl[i])
      ++i;
  }
  return out;
}

// An underscore inside a word (Shift_JIS) is never emphasis in GFM; leave it readable.
bool needsMarkdownEscape(std::string_view text, std::size_t i) {
  const char c = text[i];
  if (c == '_') {
    auto alnum = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0; };
    return !(i > 0 && i + 1 < text.size() && alnum(text[i - 1]) && alnum(text[i + 1]));
  }
  return std::string_view("\\`*[]<>~").find(c) != std::string_view::npos;
}

// Catalogue text uses backticks for code; keep those spans and escape everything else that
// Markdown or a GFM table would interpret (a `|` must be escaped even inside a code span).
std::string markdownCell(std::string_view tmpl) {
  const std::string text = unescapeBraces(tmpl);
  const auto ticks = static_cast<std::size_t>(std::count(text.begin(), text.end(), '`'));
  const std::size_t pairedTicks = ticks - ticks % 2;
  std::string out;
  std::size_t seenTicks = 0;
  bool inCode = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '`' && seenTicks < pairedTicks) {
      ++seenTicks;
      inCode = !inCode;
      out += c;
    } else if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (!inCode && needsMarkdownEscape(text, i)) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<const DiagInfo *> sortedDiags() {
  std::vector<const DiagInfo *> diags;
  for (const DiagInfo &info : polc::diag::allDiagInfos())
    if (!info.code.empty())
      diags.push_back(&info);
  std::sort(diags.begin(), diags.end(),
            [](const DiagInfo *a, const DiagInfo *b) { return a->code < b->code; });
  return diags;
}

void writeTable(std::ostream &out, const std::vector<const DiagInfo *> &diags) {
  out << "| Code | Severity | Name | Message | Help |\n";
  out << "| --- | --- | --- | --- | --- |\n";
  for (const DiagInfo *d : diags)
    out << fmt::format("| {} | {} | {} | {} | {} |\n", d->code,
                       polc::diag::severityName(d->severity), d->name, markdownCell(d->message),
                       markdownCell(d->help));
  // The same entries as `--lang=ja` prints them.
  out << "\n日本語（`--lang=ja`）:\n\n";
  out << "| コード | 重大度 | メッセージ | ヒント |\n";
  out << "| --- | --- | --- | --- |\n";
  for (const DiagInfo *d : diags) {
    const DiagInfo &ja = polc::diag::diagInfo(d->id, polc::diag::Lang::Ja);
    out << fmt::format("| {} | {} | {} | {} |\n", d->code,
                       polc::diag::severityLabel(d->severity, polc::diag::Lang::Ja),
                       markdownCell(ja.message), markdownCell(ja.help));
  }
}

bool inGroup(const DiagInfo &d, const CodeGroup &g) {
  return std::string_view(d.code).substr(0, g.prefix.size()) == g.prefix;
}

std::string generate(const std::vector<CodeGroup> &groups) {
  std::ostringstream out;
  out << "# polc diagnostics\n\n"
         "<!-- Generated by polc_gen_diag_docs from "
         "compiler/diag/include/polc/diag/DiagnosticKinds.def. Do not edit: run "
         "`cmake --build build --target diag_docs`. -->\n\n"
         "Every error and warning polc reports has a stable code. Codes are never renumbered "
         "or reused.\n"
         "A code of severity *note* (W0960, an accepted relay) is a remark: polc prints it on "
         "every check, with the same detail as a finding, but it never fails a check, is not "
         "counted as a warning and is not turned into an error by `--werror`.\n"
         "In the templates below, `{}` marks an argument filled in where the diagnostic is "
         "reported (`{1}` names the second one).\n"
         "\n## Languages\n\n"
         "Every message and help line exists in English and in Japanese (`DiagnosticKinds.def` and "
         "`DiagnosticKinds.ja.def`; a unit test fails for an entry without its Japanese text or "
         "with other arguments). `polc check` and `polc build` choose the language of their "
         "diagnostics in this order:\n\n"
         "1. `--lang=ja` or `--lang=en`;\n"
         "2. the environment variable `POLC_LANG` (`ja` or `en`);\n"
         "3. the locale: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set; `ja`, "
         "`ja_JP.UTF-8` and the like mean Japanese, any other value English;\n"
         "4. English.\n\n"
         "CI runners and containers usually run with `LANG=C.UTF-8` or no locale, so their logs stay "
         "English unless a job asks for Japanese; a desktop with a Japanese locale gets Japanese. "
         "In `polc build`, `--lang` also sets the language of the checklists and documents, which "
         "otherwise stay Japanese whatever the locale.\n\n"
         "What stays the same in both languages, for tools and for searching: the codes "
         "(`エラー[E0901]` in Japanese text output, `error[E0901]` in English), the "
         "`file:line:col` positions, the snippets and carets, code spans and names in the "
         "messages, every JSON key and the JSON/SARIF `severity`/`level` values (`error`, "
         "`warning`, `note`). What follows the language: the messages, notes and help lines, "
         "the text renderer's words (エラー, 警告, 注記, 致命的エラー, ヒント and the closing "
         "「エラー N 件、警告 M 件を検出しました。」), the `message` texts of the JSON and SARIF "
         "reports, and the SARIF rules' descriptions (a Japanese SARIF log says `\"language\": "
         "\"ja-JP\"`). Scripts that parse the text output should pass `--lang=en` or, better, read "
         "`--format=json`. Command-line usage errors (exit 2 before any check) are English.\n\n"
         "A statement of a stdlib network model sits above every layer of the policy; findings name "
         "it as its users know it, from `stdlib/module_names.yaml`: \"the MIC guideline's α model "
         "(std.lgov.alpha)\", 「総務省ガイドラインのαモデル（std.lgov.alpha）」. Parts of a message "
         "that describe packets, addresses and values (`10.0.0.0/8 -> 203.0.113.0/24 tcp/443`, "
         "\"(and 2 more ranges)\") and the kinds of things polc names in syntax errors stay as "
         "polc writes them in English.\n";
  const std::vector<const DiagInfo *> all = sortedDiags();
  std::vector<const DiagInfo *> placed;
  auto section = [&](const std::string &heading, auto &&belongs) {
    std::vector<const DiagInfo *> rows;
    std::copy_if(all.begin(), all.end(), std::back_inserter(rows), belongs);
    if (rows.empty())
      return;
    out << "\n## " << heading << "\n\n";
    writeTable(out, rows);
    placed.insert(placed.end(), rows.begin(), rows.end());
  };
  for (const CodeGroup &g : groups)
    section(fmt::format("{}xx: {}", g.prefix, g.title), [&](const DiagInfo *d) {
      return inGroup(*d, g) && std::find(placed.begin(), placed.end(), d) == placed.end();
    });
  // A code whose range is missing from the header comment still gets documented.
  section("Other codes", [&](const DiagInfo *d) {
    return std::find(placed.begin(), placed.end(), d) == placed.end();
  });
  return out.str();
}

std::string readFile(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Examples come from examples/contradictions/NAME/{expected.codes, expected.txt}: the golden
// test keeps them true, so the documentation cannot show a report polc no longer prints.
std::string examples(const std::filesystem::path &dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> cases;
  for (const auto &e : fs::directory_iterator(dir))
    if (e.is_directory() && e.path().filename().string()[0] != '_')
      cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  std::map<std::string, std::vector<fs::path>> byCode;
  for (const fs::path &c : cases) {
    std::istringstream codes(readFile(c / "expected.codes"));
    std::string code;
    std::vector<std::string> seen;
    while (std::getline(codes, code))
      if (!code.empty() && code[0] != '#' && std::find(seen.begin(), seen.end(), code) == seen.end()) {
        seen.push_back(code);
        byCode[code].push_back(c);
      }
  }
  std::ostringstream out;
  out << "\n## Examples of analysis findings\n\n"
         "Each example is a small project under `examples/contradictions/`; the report shown is "
         "its golden output (`polc check --today=2026-11-30 DIR`), checked by the "
         "`golden_examples` test.\n";
  for (const auto &[code, dirs] : byCode) {
    const DiagInfo *info = nullptr;
    for (const DiagInfo *d : sortedDiags())
      if (d->code == code)
        info = d;
    for (const fs::path &c : dirs) {
      std::string report = readFile(c / "expected.txt");
      // The golden ends with the exit status line; show it as the shell would.
      if (auto pos = report.rfind("[exit "); pos != std::string::npos)
        report = report.substr(0, pos);
      out << fmt::format("\n### {} {}: `{}`\n\n", code, info ? std::string(info->name) : "",
                         "examples/contradictions/" + c.filename().string());
      out << "```text\n" << report << "```\n";
    }
  }
  return out.str();
}

std::string firstDifference(const std::string &want, const std::string &have) {
  std::istringstream a(want), b(have);
  std::string la, lb;
  for (unsigned line = 1;; ++line) {
    const bool ga = static_cast<bool>(std::getline(a, la));
    const bool gb = static_cast<bool>(std::getline(b, lb));
    if (!ga && !gb)
      return "the files differ only in line endings";
    if (!ga || !gb || la != lb)
      return fmt::format("first difference at line {}:\n  expected: {}\n  found:    {}", line,
                         ga ? la : "<end of file>", gb ? lb : "<end of file>");
  }
}

int check(const std::string &docs, const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream have;
  have << in.rdbuf();
  if (in && have.str() == docs)
    return 0;
  std::cerr << path << " is out of date with DiagnosticKinds.def.\n"
            << (in ? firstDifference(docs, have.str()) : std::string("the file cannot be read"))
            << "\nRegenerate it with `cmake --build build --target diag_docs` and commit it.\n";
  return 1;
}

int usage() {
  std::cerr << "usage: polc_gen_diag_docs DEF_FILE [--examples DIR] [-o OUT | --check OUT]\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string examplesDir;
  if (args.size() >= 3 && args[1] == "--examples") {
    examplesDir = args[2];
    args.erase(args.begin() + 1, args.begin() + 3);
  }
  if (args.size() != 1 && args.size() != 3)
    return usage();
  std::ifstream def(args[0]);
  if (!def) {
    std::cerr << "polc_gen_diag_docs: cannot read " << args[0] << "\n";
    return 2;
  }
  std::string docs = generate(readCodeGroups(def));
  if (!examplesDir.empty())
    docs += examples(examplesDir);
  if (args.size() == 1) {
    std::cout << docs;
    return 0;
  }
  const std::string &mode = args[1];
  if (mode == "--check")
    return check(docs, args[2]);
  if (mode != "-o")
    return usage();
  std::ofstream out(args[2], std::ios::binary);
  out << docs;
  return out.good() ? 0 : 2;
}
