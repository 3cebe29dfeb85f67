#include "Options.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <cstdio>
#include <string_view>

namespace polc::cli {

namespace {

constexpr const char *kMainHelp = R"(polc: the policy-as-code compiler for municipal information security policies

USAGE
  polc <command> [options] [arguments]
  polc --help | --version

COMMANDS
  check PATH...   parse and check .pol files or a project folder
  build PROJECT -o OUT
                  check, then generate every output of the project into OUT

Run 'polc <command> --help' for a command's options.

EXIT STATUS
  0  no errors
  1  the policy has errors
  2  usage or I/O error
)";

constexpr const char *kCheckHelp = R"(polc check: parse and check .pol files or a project folder

USAGE
  polc check [options] PATH...

  Each PATH is a .pol file or a folder; a folder is checked as a project (every .pol file
  beneath it, in path order).

OPTIONS
  --format=text|json|sarif
                         how diagnostics are printed (default: text, on stderr;
                         json and sarif go to stdout; sarif is SARIF 2.1.0, for
                         GitHub code scanning and SARIF viewers)
  --color=auto|always|never
                         colour text diagnostics (default: auto, i.e. when stderr is a
                         terminal and NO_COLOR is not set)
  --max-errors=N         stop after N errors (default: 20; 0 means no limit)
  --werror               treat warnings as errors
  --today=YYYY-MM-DD     the date exceptions are checked against (default: the
                         system date, in UTC); give it for reproducible results
  --stdlib=DIR           the stdlib folder (default: $POLC_STDLIB, then the
                         manifest's `stdlib:`, then the one installed with polc)
  --lang=ja|en           the language of diagnostics (default: $POLC_LANG, else
                         Japanese when the locale ($LC_ALL, $LC_MESSAGES, $LANG) is
                         ja_*, else English); codes like E0901 and JSON keys stay
  --dump-ir              print the lowered policy (the IR) as JSON on stdout when
                         the check is clean
  --parse-only           stop after parsing: report only lexical, syntax and literal
                         errors (no name, type or layer checks)
  -h, --help             show this help
)";

constexpr const char *kBuildHelp = R"(polc build: check a project, then generate its outputs

USAGE
  polc build [options] PROJECT -o OUT

  PROJECT is a project folder (or one .pol file). When the policy checks clean, polc writes:
    OUT/firewall/DEVICE.nft          nftables, one `table inet` per device
    OUT/firewall/DEVICE.v4.rules, DEVICE.v6.rules
                                     iptables-restore and ip6tables-restore
    OUT/firewall/DEVICE.set          Juniper SRX `set` commands
    OUT/endpoint/PROFILE.inf, .yml, .md
                                     Windows security template (secedit), Ansible
                                     playbook (Linux), and a readable summary
    OUT/checklist/self_inspection.{md,csv,html}
    OUT/checklist/audit.{md,csv,html}
                                     the 自己点検 and audit checklists (CSV: UTF-8 with BOM)
    OUT/document/LAYER.{md,html}     the policy document, one per layer
    OUT/manifest.json                every file with its sha256, polc's and the policy's version
  Every firewall rule set is read back and proven to accept exactly what the policy allows
  before anything is written. OUT is replaced in one step: a build with errors leaves an
  existing OUT untouched. When polc.yaml lists `outputs:`, only those kinds are written
  (firewall, endpoint, checklist, document).

OPTIONS
  -o, --output=DIR       the output folder (required); its parent must exist. It must be
                         missing, empty, or polc's own earlier output: polc refuses a
                         folder holding the project or the stdlib, a symbolic link, and
                         any other non-empty folder
  --public               a build for publication: leave out every non-public layer and
                         anything that would reveal one (its documents, checklist items
                         only it asks for, device names, its addresses); writes no
                         firewall rule sets or endpoint configurations
  --lang=ja|en           the language of checklist and document labels (default: ja)
                         and of diagnostics (default: as for 'polc check'); the
                         policy's own text stays as written
  --no-verify            skip reading the generated rule sets back (not recommended)
  --format, --color, --max-errors, --werror, --today, --stdlib
                         as for 'polc check' (see 'polc check --help')
  -h, --help             show this help
)";

void usageError(const std::string &message, std::string_view command) {
  fmt::print(stderr, "polc: error: {}\n", message);
  if (command.empty())
    fmt::print(stderr, "Try 'polc --help'.\n");
  else
    fmt::print(stderr, "Try 'polc {} --help'.\n", command);
}

// Splits "--name=value" or takes the value from the next argument.
bool takeValue(std::string_view arg, std::string_view name, int &i, int argc, char **argv,
               std::string &value, bool &error) {
  if (arg == name) {
    if (i + 1 >= argc) {
      usageError(fmt::format("option '{}' needs a value", name), "check");
      error = true;
      return true;
    }
    value = argv[++i];
    return true;
  }
  if (arg.size() > name.size() && arg.substr(0, name.size()) == name && arg[name.size()] == '=') {
    value = std::string(arg.substr(name.size() + 1));
    return true;
  }
  return false;
}

// YYYY-MM-DD with a real day of a real month (leap years included).
std::optional<ast::Date> parseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-')
    return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len, int &out) {
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc() && p == text.data() + pos + len;
  };
  ast::Date d;
  if (!number(0, 4, d.year) || !number(5, 2, d.month) || !number(8, 2, d.day))
    return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d.month < 1 || d.month > 12 || d.day < 1)
    return std::nullopt;
  const bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  const int days = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  if (d.day > days)
    return std::nullopt;
  return d;
}

bool parseCommon(std::string_view arg, int &i, int argc, char **argv, CommonOptions &opts,
                 bool &error, bool &matched) {
  std::string value;
  matched = true;
  if (takeValue(arg, "--format", i, argc, argv, value, error)) {
    if (error)
      return false;
    if (value == "text")
      opts.format = OutputFormat::Text;
    else if (value == "json")
      opts.format = OutputFormat::Json;
    else if (value == "sarif")
      opts.format = OutputFormat::Sarif;
    else {
      usageError(fmt::format("unknown format '{}' (expected text, json or sarif)", value),
                 "check");
      return false;
    }
    return true;
  }
  if (takeValue(arg, "--color", i, argc, argv, value, error)) {
    if (error)
      return false;
    if (value == "auto")
      opts.color = ColorMode::Auto;
    else if (value == "always")
      opts.color = ColorMode::Always;
    else if (value == "never")
      opts.color = ColorMode::Never;
    else {
      usageError(fmt::format("unknown colour mode '{}' (expected auto, always or never)", value),
                 "check");
      return false;
    }
    return true;
  }
  if (takeValue(arg, "--max-errors", i, argc, argv, value, error)) {
    if (error)
      return false;
    unsigned n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || p != value.data() + value.size()) {
      usageError(fmt::format("--max-errors takes a whole number, not '{}'", value), "check");
      return false;
    }
    opts.maxErrors = n;
    return true;
  }
  if (takeValue(arg, "--today", i, argc, argv, value, error)) {
    if (error)
      return false;
    auto date = parseIsoDate(value);
    if (!date) {
      usageError(fmt::format("--today takes a date as YYYY-MM-DD, not '{}'", value), "check");
      return false;
    }
    opts.today = *date;
    return true;
  }
  if (arg == "--werror") {
    opts.werror = true;
    return true;
  }
  matched = false;
  return true;
}

} // namespace

namespace {

// "ja", "ja_JP.UTF-8", "ja-JP" -> Ja; "en", "en_US.UTF-8" -> En; anything else (C, POSIX, fr_FR)
// says nothing polc can follow.
std::optional<diag::Lang> languageOf(std::string_view value) {
  auto is = [&](std::string_view code) {
    return value.substr(0, code.size()) == code &&
           (value.size() == code.size() || value[code.size()] == '_' || value[code.size()] == '-' ||
            value[code.size()] == '.' || value[code.size()] == '@');
  };
  if (is("ja"))
    return diag::Lang::Ja;
  if (is("en"))
    return diag::Lang::En;
  return std::nullopt;
}

const char *systemGetenv(const char *name) { return std::getenv(name); }

} // namespace

diag::Lang diagnosticLanguage(const CommonOptions &opts, const char *(*getenv)(const char *)) {
  if (opts.lang)
    return *opts.lang == "ja" ? diag::Lang::Ja : diag::Lang::En;
  if (const char *v = getenv("POLC_LANG"); v && *v)
    if (auto lang = languageOf(v))
      return *lang;
  // POSIX: LC_ALL overrides LC_MESSAGES, which overrides LANG; the first one set decides.
  for (const char *name : {"LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char *v = getenv(name); v && *v)
      return languageOf(v).value_or(diag::Lang::En);
  return diag::Lang::En;
}

diag::Lang diagnosticLanguage(const CommonOptions &opts) { return diagnosticLanguage(opts, systemGetenv); }

ParsedArgs parseArgs(int argc, char **argv) {
  ParsedArgs out;
  if (argc < 2) {
    std::fputs(kMainHelp, stderr);
    out.action = ParsedArgs::Action::UsageError;
    return out;
  }
  std::string_view first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    std::fputs(kMainHelp, stdout);
    out.action = ParsedArgs::Action::PrintedHelp;
    return out;
  }
  if (first == "--version") {
    fmt::print("polc {}\n", POLC_VERSION);
    out.action = ParsedArgs::Action::PrintedVersion;
    return out;
  }
  if (first != "check" && first != "build") {
    usageError(first.rfind("-", 0) == 0 ? fmt::format("unknown option '{}'", first)
                                        : fmt::format("unknown command '{}'", first),
               "");
    out.action = ParsedArgs::Action::UsageError;
    return out;
  }
  out.command = std::string(first);
  bool onlyPaths = false;
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    const bool build = out.command == "build";
    if (!onlyPaths && (arg == "--help" || arg == "-h")) {
      std::fputs(build ? kBuildHelp : kCheckHelp, stdout);
      out.action = ParsedArgs::Action::PrintedHelp;
      return out;
    }
    if (std::string value; !onlyPaths && arg.rfind("--stdlib", 0) == 0) {
      bool error = false;
      if (takeValue(arg, "--stdlib", i, argc, argv, value, error)) {
        if (error) {
          out.action = ParsedArgs::Action::UsageError;
          return out;
        }
        out.check.stdlib = value;
        continue;
      }
    }
    if (std::string value; build && !onlyPaths && (arg == "-o" || arg.rfind("--output", 0) == 0)) {
      bool error = false;
      if (takeValue(arg, arg == "-o" ? "-o" : "--output", i, argc, argv, value, error)) {
        if (error || value.empty()) {
          if (!error)
            usageError("the output folder must not be empty", out.command);
          out.action = ParsedArgs::Action::UsageError;
          return out;
        }
        out.check.output = value;
        continue;
      }
    }
    if (build && !onlyPaths && arg == "--no-verify") {
      out.check.verify = false;
      continue;
    }
    if (build && !onlyPaths && arg == "--public") {
      out.check.publicBuild = true;
      continue;
    }
    if (std::string value; !onlyPaths && arg.rfind("--lang", 0) == 0) {
      bool error = false;
      if (takeValue(arg, "--lang", i, argc, argv, value, error)) {
        if (!error && value != "ja" && value != "en") {
          usageError(fmt::format("unknown language '{}' (expected ja or en)", value), out.command);
          error = true;
        }
        if (error) {
          out.action = ParsedArgs::Action::UsageError;
          return out;
        }
        out.check.language = value;
        out.check.common.lang = value;
        continue;
      }
    }
    if (!build && !onlyPaths && arg == "--dump-ir") {
      out.check.dumpIr = true;
      continue;
    }
    if (!build && !onlyPaths && arg == "--parse-only") {
      out.check.parseOnly = true;
      continue;
    }
    if (!onlyPaths && arg == "--") {
      onlyPaths = true;
      continue;
    }
    if (!onlyPaths && arg.size() > 1 && arg[0] == '-') {
      bool error = false, matched = false;
      if (!parseCommon(arg, i, argc, argv, out.check.common, error, matched) || error) {
        out.action = ParsedArgs::Action::UsageError;
        return out;
      }
      if (!matched) {
        usageError(fmt::format("unknown option '{}'", arg), out.command);
        out.action = ParsedArgs::Action::UsageError;
        return out;
      }
      continue;
    }
    out.check.paths.emplace_back(arg);
  }
  if (out.check.paths.empty()) {
    usageError(out.command == "build" ? "'polc build' needs a PROJECT" : "'polc check' needs at least one PATH",
               out.command);
    out.action = ParsedArgs::Action::UsageError;
  } else if (out.command == "build" && out.check.paths.size() != 1) {
    usageError("'polc build' takes one PROJECT (a folder or a .pol file)", out.command);
    out.action = ParsedArgs::Action::UsageError;
  } else if (out.command == "build" && out.check.output.empty()) {
    usageError("'polc build' needs an output folder: -o OUT", out.command);
    out.action = ParsedArgs::Action::UsageError;
  }
  return out;
}

} // namespace polc::cli
