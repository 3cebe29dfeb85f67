#include "Options.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string_view>
#include <vector>

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
  diff OLD NEW | diff --git REV [PROJECT]
                  the semantic difference between two versions of a project
  fmt PATH...     rewrite .pol files in the canonical layout (--check only reports)
  init DIR        create a starter project (polc.yaml and three layers) in DIR
  help [COMMAND]  show this help, or the help of COMMAND
  explain PROJECT FLOW
                  why the policy allows or denies a flow, layer by layer, and the
                  generated rule line each firewall decides it with
  test PROJECT    run the policy's `expect` statements and its test files
                  (*_test.pol); coverage and JUnit XML

Run 'polc help <command>' or 'polc <command> --help' for a command's options.

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
  --lang=ja|en           the language of checklist and document labels (default: ja);
                         the policy's own text stays as written
  --no-verify            skip reading the generated rule sets back (not recommended)
  --format, --color, --max-errors, --werror, --today, --stdlib
                         as for 'polc check' (see 'polc check --help')
  -h, --help             show this help
)";

constexpr const char *kExplainHelp = R"(polc explain: why the policy allows or denies a flow

USAGE
  polc explain [options] PROJECT FLOW

  FLOW is one argument (quote it):
    SOURCE -> DESTINATION [SERVICE, ...]      or  SOURCE <-> DESTINATION ...
  SOURCE and DESTINATION are a zone or host name, an IPv4/IPv6 address or prefix, or `any`;
  a SERVICE is a declared service (smtp), PROTO/PORT (tcp/25, udp/1000-2000), an ICMP type
  (icmp/8), a protocol (tcp, icmp, icmpv6), or `any`. No service means every service.
  Examples:
    polc explain examples/miyoshi "10.10.100.5 -> 10.20.1.25 tcp/25"
    polc explain examples/miyoshi "lg_terminals -> inet_mail smtp"

  The project's names and types must check; analysis findings (E09xx) do not stop it (a
  note on stderr says how many errors `polc check` reports). polc prints
  the verdict; when the flow stands for many packets and the policy treats them differently,
  one witness packet per verdict. For each witness: the statement of each layer that decides
  it (first match) or that none does, the exception in force that allows it, exceptions that
  would but are not in force (expired, unapproved), the firewalls it crosses and, for each,
  the line of the generated rule set that accepts or drops it (read back with the reader
  `polc build` proves its output with).

OPTIONS
  --format=text|json     text (default) or JSON on stdout (schema: docs/explain-and-test.md)
  --color, --today, --stdlib
                         as for 'polc check' (see 'polc check --help')
  -h, --help             show this help

EXIT STATUS
  0  explained
  1  the policy has name, type or syntax errors (shown as by 'polc check')
  2  usage or I/O error, or a FLOW polc cannot read or that names nothing declared
)";

constexpr const char *kTestHelp = R"(polc test: run the policy's expectations and its test files

USAGE
  polc test [options] PROJECT

  Runs every `expect` statement of the policy and of its test files: polc.yaml's `tests:`
  list, or else every *_test.pol file beneath PROJECT. A test file is a .pol file with a
  layer header (whose names it sees) that holds only `expect` statements, `text` and
  sections; it is never part of the policy ('polc check' and 'polc build' ignore it).
  Each expectation is one test: it passes when every packet of its flow gets the expected
  verdict; a failure names a witness packet and the statement of each layer that decides it.
  Coverage lists the allow and deny statements that decide no tested packet.

OPTIONS
  --junit=FILE           also write the results as JUnit XML to FILE
  --format=text|json     text (default) or JSON on stdout (schema: docs/explain-and-test.md)
  --color, --today, --stdlib, --max-errors
                         as for 'polc check' (see 'polc check --help')
  -h, --help             show this help

EXIT STATUS
  0  every test passes
  1  a test fails, or the policy or a test file has errors
  2  usage or I/O error
)";

constexpr const char *kFmtHelp = R"(polc fmt: rewrite .pol files in the canonical layout

USAGE
  polc fmt [options] PATH...
  polc fmt [options] -        read a policy on stdin, write it formatted to stdout

  Each PATH is a .pol file or a folder (every .pol file beneath it; hidden folders are
  skipped). The layout (docs/fmt.md): two spaces per body level, one statement per line,
  one space between tokens but none before `;` `,` `)` `]` or around `.` `..`, at most one
  blank line, trailing comments of consecutive lines in one column. Every comment and every
  string is kept exactly; line breaks the author put inside a statement stay. The result is
  parsed again and must have the same syntax tree, or the file is left as it is (E1140).
  A file with lexical or syntax errors is reported and left as it is. A file is rewritten
  only when it changes, through a temporary file renamed over it.

OPTIONS
  --check                change nothing: print a unified diff for each file that is not
                         formatted, and exit 1 when there is one
  --diff                 change nothing: print a unified diff of what would change (exit 0)
  --format=text|json|sarif, --color=auto|always|never
                         how diagnostics are printed (as for 'polc check')
  -h, --help             show this help

EXIT STATUS
  0  every file is formatted (or has been rewritten)
  1  a file has syntax errors, or (--check) a file is not formatted
  2  usage or I/O error
)";

constexpr const char *kInitHelp = R"(polc init: create a starter project

USAGE
  polc init DIR

  Writes DIR/polc.yaml and three layer files: basic.pol (情報セキュリティ基本方針),
  standard.pol (情報セキュリティ対策基準) and procedure.pol (実施手順, not public). They
  import std.lgov and its α network model (std.lgov.alpha), give the zones addresses,
  declare two hosts, one allowed flow, one requirement and an endpoint profile per zone,
  and check clean and build as written; Japanese comments in each file say what to
  replace (and how to declare a firewall). DIR must be missing or empty, so polc never
  writes over a policy (E1145, exit 2); its parent must exist.
  polc.yaml's keys are documented in docs/polc-yaml.md.

OPTIONS
  -h, --help             show this help
)";

constexpr const char *kHelpHelp = R"(polc help: show polc's help, or one command's

USAGE
  polc help             the list of commands
  polc help COMMAND     the options of COMMAND (the same as 'polc COMMAND --help')
)";

// Every command polc knows, with its help: `polc help COMMAND`, and the did-you-mean for a
// mistyped command, read this table.
struct CommandInfo {
  std::string_view name;
  const char *help;
};
// polc diff parses its own arguments, so its help lives in DiffCommand.cpp.
const CommandInfo kCommands[] = {
    {"check", kCheckHelp}, {"build", kBuildHelp},     {"explain", kExplainHelp}, {"test", kTestHelp},
    {"diff", diffHelp()},  {"fmt", kFmtHelp},         {"init", kInitHelp},       {"help", kHelpHelp},
};

const CommandInfo *findCommand(std::string_view name) {
  for (const CommandInfo &c : kCommands)
    if (c.name == name)
      return &c;
  return nullptr;
}

// Levenshtein distance, for "did you mean" on a mistyped command.
std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// "unknown command 'chek'; did you mean 'check'?" when one command is close enough.
std::string unknownCommand(std::string_view name) {
  std::string message = fmt::format("unknown command '{}'", name);
  const CommandInfo *best = nullptr;
  std::size_t bestDistance = 3; // at most two edits, and fewer than the word's length
  for (const CommandInfo &c : kCommands) {
    std::size_t d = editDistance(name, c.name);
    if (d < bestDistance && d < name.size()) {
      best = &c;
      bestDistance = d;
    }
  }
  if (best)
    message += fmt::format("; did you mean '{}'?", best->name);
  return message;
}

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

// polc help [COMMAND]
ParsedArgs parseHelp(int argc, char **argv) {
  ParsedArgs out;
  out.command = "help";
  if (argc == 2) {
    std::fputs(kMainHelp, stdout);
    out.action = ParsedArgs::Action::PrintedHelp;
    return out;
  }
  std::string_view name = argv[2];
  if (name == "--help" || name == "-h")
    name = "help";
  const CommandInfo *command = findCommand(name);
  if (argc > 3 || !command) {
    usageError(argc > 3 ? std::string("'polc help' takes one COMMAND") : unknownCommand(name), "");
    out.action = ParsedArgs::Action::UsageError;
    return out;
  }
  std::fputs(command->help, stdout);
  out.action = ParsedArgs::Action::PrintedHelp;
  return out;
}

// polc fmt [--check] [--diff] PATH...
ParsedArgs parseFmt(int argc, char **argv) {
  ParsedArgs out;
  out.command = "fmt";
  FmtOptions &opts = out.fmt;
  bool onlyPaths = false;
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!onlyPaths && (arg == "--help" || arg == "-h")) {
      std::fputs(kFmtHelp, stdout);
      out.action = ParsedArgs::Action::PrintedHelp;
      return out;
    }
    if (!onlyPaths && arg == "--check") {
      opts.check = true;
      continue;
    }
    if (!onlyPaths && arg == "--diff") {
      opts.diff = true;
      continue;
    }
    if (!onlyPaths && arg == "--") {
      onlyPaths = true;
      continue;
    }
    if (!onlyPaths && arg.size() > 1 && arg[0] == '-') {
      bool error = false, matched = false;
      if (!parseCommon(arg, i, argc, argv, opts.common, error, matched) || error) {
        out.action = ParsedArgs::Action::UsageError;
        return out;
      }
      if (!matched) {
        usageError(fmt::format("unknown option '{}'", arg), "fmt");
        out.action = ParsedArgs::Action::UsageError;
        return out;
      }
      continue;
    }
    opts.paths.emplace_back(arg);
  }
  const bool stdinPath = std::find(opts.paths.begin(), opts.paths.end(), "-") != opts.paths.end();
  if (opts.paths.empty()) {
    usageError("'polc fmt' needs at least one PATH (or - for stdin)", "fmt");
    out.action = ParsedArgs::Action::UsageError;
  } else if (stdinPath && opts.paths.size() != 1) {
    usageError("'-' (stdin) cannot be combined with other paths", "fmt");
    out.action = ParsedArgs::Action::UsageError;
  }
  return out;
}

// polc init DIR
ParsedArgs parseInit(int argc, char **argv) {
  ParsedArgs out;
  out.command = "init";
  std::vector<std::string_view> dirs;
  bool onlyPaths = false;
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!onlyPaths && (arg == "--help" || arg == "-h")) {
      std::fputs(kInitHelp, stdout);
      out.action = ParsedArgs::Action::PrintedHelp;
      return out;
    }
    if (!onlyPaths && arg == "--") {
      onlyPaths = true;
      continue;
    }
    if (!onlyPaths && arg.size() > 1 && arg[0] == '-') {
      usageError(fmt::format("unknown option '{}'", arg), "init");
      out.action = ParsedArgs::Action::UsageError;
      return out;
    }
    dirs.push_back(arg);
  }
  if (dirs.size() != 1 || dirs[0].empty()) {
    usageError(dirs.empty() ? "'polc init' needs a DIR" : "'polc init' takes one DIR", "init");
    out.action = ParsedArgs::Action::UsageError;
    return out;
  }
  out.init.dir = std::string(dirs[0]);
  return out;
}

} // namespace

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

ParsedArgs parseArgs(int argc, char **argv) {
  ParsedArgs out;
  if (argc < 2) {
    std::fputs(kMainHelp, stderr);
    out.action = ParsedArgs::Action::UsageError;
    return out;
  }
  std::string_view first = argv[1];
  if (first == "--help" || first == "-h") {
    std::fputs(kMainHelp, stdout);
    out.action = ParsedArgs::Action::PrintedHelp;
    return out;
  }
  if (first == "help")
    return parseHelp(argc, argv);
  if (first == "--version") {
    fmt::print("polc {}\n", POLC_VERSION);
    out.action = ParsedArgs::Action::PrintedVersion;
    return out;
  }
  if (first == "fmt")
    return parseFmt(argc, argv);
  if (first == "init")
    return parseInit(argc, argv);
  if (first != "check" && first != "build" && first != "explain" && first != "test") {
    usageError(first.rfind("-", 0) == 0 ? fmt::format("unknown option '{}'", first)
                                        : unknownCommand(first),
               "");
    out.action = ParsedArgs::Action::UsageError;
    return out;
  }
  out.command = std::string(first);
  bool onlyPaths = false;
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    const bool build = out.command == "build";
    const bool check = out.command == "check";
    if (!onlyPaths && (arg == "--help" || arg == "-h")) {
      std::fputs(build ? kBuildHelp : out.command == "explain" ? kExplainHelp : out.command == "test" ? kTestHelp : kCheckHelp, stdout);
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
    if (std::string value; build && !onlyPaths && arg.rfind("--lang", 0) == 0) {
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
        continue;
      }
    }
    if (std::string value; out.command == "test" && !onlyPaths && arg.rfind("--junit", 0) == 0) {
      bool error = false;
      if (takeValue(arg, "--junit", i, argc, argv, value, error)) {
        if (!error && value.empty()) {
          usageError("--junit needs a file name", out.command);
          error = true;
        }
        if (error) {
          out.action = ParsedArgs::Action::UsageError;
          return out;
        }
        out.check.junit = value;
        continue;
      }
    }
    if (check && !onlyPaths && arg == "--dump-ir") {
      out.check.dumpIr = true;
      continue;
    }
    if (check && !onlyPaths && arg == "--parse-only") {
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
  if (out.command == "explain" || out.command == "test") {
    // Both answer questions in text or JSON; SARIF is for findings.
    if (out.check.common.format == OutputFormat::Sarif) {
      usageError(fmt::format("'polc {}' prints text or json, not sarif", out.command), out.command);
      out.action = ParsedArgs::Action::UsageError;
      return out;
    }
    const std::size_t want = out.command == "explain" ? 2 : 1;
    if (out.check.paths.size() != want) {
      usageError(out.command == "explain" ? "'polc explain' takes a PROJECT and a FLOW, e.g. polc explain "
                                            "examples/miyoshi \"10.10.100.5 -> 10.20.1.25 tcp/25\""
                                          : "'polc test' takes one PROJECT (a folder or a .pol file)",
                 out.command);
      out.action = ParsedArgs::Action::UsageError;
      return out;
    }
    if (out.command == "explain") {
      out.check.flow = out.check.paths.back();
      out.check.paths.pop_back();
    }
    return out;
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
