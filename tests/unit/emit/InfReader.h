#pragma once
// A strict reader of secedit security templates, written for the tests from the format as
// secedit writes it (not from polc's tables or writer): UTF-16LE with a byte order mark, CRLF
// line ends, [Unicode] first with Unicode=yes, [Version] with signature="$CHICAGO$" and
// Revision=1, and only the keys and value types secedit defines for the sections polc writes.
// Anything else is an error with its line number.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace polc::test {

struct InfRegistryValue {
  int type = 0;            // 1 REG_SZ, 4 REG_DWORD
  std::uint32_t dword = 0; // type 4
  std::string text;        // type 1, without the quotes
};

struct Inf {
  std::map<std::string, std::int64_t> systemAccess;
  std::map<std::string, std::int64_t> eventAudit;
  std::map<std::string, InfRegistryValue> registry; // by full path MACHINE\...
  std::map<std::string, int> services;              // start type by service name
  std::vector<std::string> comments;                // text after "; ", in order
  std::vector<std::string> sections;                // in order
};

struct InfError {
  std::size_t line = 0; // 1-based; 0 for the encoding
  std::string message;
};

std::variant<Inf, InfError> readInf(const std::string &bytes);

} // namespace polc::test
