#pragma once
// Command-line parsing for polc. Hand-written rather than llvm::cl: llvm::cl exits with
// status 1 on bad usage, and polc's contract reserves 1 for policy errors (usage is 2).
#include "polc/diag/Diagnostic.h"
#include "polc/syntax/AST.h"

#include <optional>
#include <string>
#include <vector>

namespace polc::cli {

enum class OutputFormat { Text, Json, Sarif };
enum class ColorMode { Auto, Always, Never };

struct CommonOptions {
  OutputFormat format = OutputFormat::Text;
  ColorMode color = ColorMode::Auto;
  unsigned maxErrors = 20; // clang's default; 0 = unlimited
  bool werror = false;
  // --today=YYYY-MM-DD: the date exceptions expire against; the system date otherwise.
  std::optional<ast::Date> today;
  // --lang=ja|en as given; diagnosticLanguage() decides when it is not.
  std::optional<std::string> lang;
};

// The language of diagnostics: --lang, else $POLC_LANG, else the locale's messages language
// ($LC_ALL, $LC_MESSAGES, $LANG: the first one set; ja_JP.* etc. mean Japanese), else English.
// `getenv` is a parameter so that tests can give an environment of their own.
diag::Lang diagnosticLanguage(const CommonOptions &opts, const char *(*getenv)(const char *));
diag::Lang diagnosticLanguage(const CommonOptions &opts);

struct CheckOptions {
  CommonOptions common;
  bool parseOnly = false; // stop after lexing, parsing and literal checks
  std::optional<std::string> stdlib; // --stdlib=DIR
  bool dumpIr = false;               // print the IR as JSON on stdout
  std::vector<std::string> paths;
  // polc build
  std::string output;   // -o DIR: the folder that receives every generated file
  bool verify = true;   // --no-verify: skip reading the rule sets back (not recommended)
  bool publicBuild = false; // --public: only what public layers say; no device outputs
  // The language of checklist and document labels: --lang when given, else ja (the documents
  // are the city's); unlike diagnostics, never taken from the environment, so that a build's
  // outputs do not depend on who runs it.
  std::string language = "ja";
  // polc explain
  std::string flow;     // FLOW: "10.10.100.5 -> 10.20.1.25 tcp/25"
  // polc test
  std::string junit;    // --junit=FILE: also write the results as JUnit XML
  bool withTests = false; // load the project's test files; expectations become test results
  std::vector<std::string> extraEntries; // a findings case's files, relative to the project
  // polc verify
  std::string device;   // --device NAME: the firewall whose running configuration is given
  std::string running;  // --running FILE|-: what the device prints (`-`: standard input)
  std::string evidence; // --evidence FILE: write the dated evidence report there
};

// polc fmt [--check] [--diff] PATH...
struct FmtOptions {
  CommonOptions common;
  bool check = false; // change nothing; exit 1 and print a diff when a file is not formatted
  bool diff = false;  // change nothing; print a diff of what would change
  std::vector<std::string> paths; // files, folders, or `-` (stdin to stdout)
};

// polc init DIR
struct InitOptions {
  std::string dir;
};

// Exit statuses, the CLI contract.
enum ExitCode : int { kExitOk = 0, kExitPolicyErrors = 1, kExitUsage = 2, kExitDiffFailOn = 3 /* polc diff --fail-on */ };

struct ParsedArgs {
  enum class Action { Run, PrintedHelp, PrintedVersion, UsageError } action = Action::Run;
  std::string command;
  CheckOptions check;
  FmtOptions fmt;
  InitOptions init;
};

// YYYY-MM-DD with a real day of a real month (leap years included).
std::optional<ast::Date> parseIsoDate(std::string_view text);

// `polc diff --help` (DiffCommand.cpp), for `polc help diff`.
const char *diffHelp();

// Parses argv; prints help, version and usage errors itself.
ParsedArgs parseArgs(int argc, char **argv);

} // namespace polc::cli
