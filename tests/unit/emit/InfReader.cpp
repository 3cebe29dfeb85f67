#include "InfReader.h"

#include <algorithm>
#include <set>

namespace polc::test {

namespace {

// Decodes UTF-16LE after the BOM into UTF-8; rejects odd lengths, lone surrogates and NUL.
bool decode(const std::string &bytes, std::string &out, std::string &why) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0xFF || static_cast<unsigned char>(bytes[1]) != 0xFE)
    return why = "no UTF-16LE byte order mark", false;
  if (bytes.size() % 2)
    return why = "odd number of bytes", false;
  auto unit = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8);
  };
  for (std::size_t i = 2; i < bytes.size(); i += 2) {
    std::uint32_t cp = unit(i);
    if (cp == 0)
      return why = "NUL character", false;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
      return why = "lone low surrogate", false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 2 >= bytes.size() || unit(i + 2) < 0xDC00 || unit(i + 2) > 0xDFFF)
        return why = "lone high surrogate", false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return true;
}

bool integer(const std::string &s, std::int64_t &out) {
  std::size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() - i > 10 || !std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(),
                                                           [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  out = std::stoll(s);
  return true;
}

// secedit's [System Access] and [Event Audit] vocabulary (numeric keys only: polc writes no names).
const std::set<std::string> kSystemAccess = {
    "MinimumPasswordAge", "MaximumPasswordAge", "MinimumPasswordLength", "PasswordComplexity",
    "PasswordHistorySize", "LockoutBadCount", "ResetLockoutCount", "LockoutDuration",
    "RequireLogonToChangePassword", "ForceLogoffWhenHourExpire", "ClearTextPassword",
    "LSAAnonymousNameLookup", "EnableAdminAccount", "EnableGuestAccount", "AllowAdministratorLockout"};
const std::set<std::string> kEventAudit = {
    "AuditSystemEvents", "AuditLogonEvents", "AuditObjectAccess", "AuditPrivilegeUse", "AuditPolicyChange",
    "AuditAccountManage", "AuditProcessTracking", "AuditDSAccess", "AuditAccountLogon"};
const std::set<std::string> kSections = {"Unicode", "Version", "System Access", "Event Audit",
                                         "Registry Values", "Service General Setting"};

} // namespace

std::variant<Inf, InfError> readInf(const std::string &bytes) {
  std::string text, why;
  if (!decode(bytes, text, why))
    return InfError{0, why};
  Inf inf;
  std::string section;
  std::size_t lineNo = 0;
  std::map<std::string, std::vector<std::string>> raw; // Unicode/Version lines
  std::size_t pos = 0;
  while (pos < text.size()) {
    ++lineNo;
    const std::size_t end = text.find("\r\n", pos);
    if (end == std::string::npos)
      return InfError{lineNo, "the last line does not end with CRLF"};
    const std::string line = text.substr(pos, end - pos);
    pos = end + 2;
    auto error = [&](const std::string &m) { return InfError{lineNo, m + ": " + line}; };
    if (line.find_first_of("\r\n") != std::string::npos)
      return error("a bare CR or LF");
    if (line.rfind("; ", 0) == 0) {
      inf.comments.push_back(line.substr(2));
      continue;
    }
    if (line.empty())
      return error("an empty line");
    if (line.front() == '[') {
      if (line.back() != ']')
        return error("a section header without ']'");
      section = line.substr(1, line.size() - 2);
      if (!kSections.count(section))
        return error("unknown section");
      if (std::find(inf.sections.begin(), inf.sections.end(), section) != inf.sections.end())
        return error("the section appears twice");
      if (inf.sections.empty() && section != "Unicode")
        return error("the first section is not [Unicode]");
      if (inf.sections.size() == 1 && section != "Version")
        return error("the second section is not [Version]");
      inf.sections.push_back(section);
      continue;
    }
    if (section.empty())
      return error("a line outside any section");
    if (section == "Unicode" || section == "Version") {
      raw[section].push_back(line);
      continue;
    }
    if (section == "System Access" || section == "Event Audit") {
      const std::size_t eq = line.find(" = ");
      std::int64_t value = 0;
      if (eq == std::string::npos || !integer(line.substr(eq + 3), value))
        return error("expected `Name = number`");
      const std::string name = line.substr(0, eq);
      auto &known = section == "System Access" ? kSystemAccess : kEventAudit;
      auto &into = section == "System Access" ? inf.systemAccess : inf.eventAudit;
      if (!known.count(name))
        return error("not a key of [" + section + "]");
      if (section == "Event Audit" && (value < 0 || value > 3))
        return error("an audit setting is 0..3");
      if (!into.emplace(name, value).second)
        return error("the key appears twice");
      continue;
    }
    if (section == "Registry Values") {
      const std::size_t eq = line.find('=');
      if (eq == std::string::npos || line.rfind("MACHINE\\", 0) != 0 || line.find('=', eq + 1) != std::string::npos)
        return error("expected `MACHINE\\...\\Value=TYPE,data`");
      const std::string path = line.substr(0, eq), data = line.substr(eq + 1);
      InfRegistryValue v;
      std::int64_t n = 0;
      if (data.rfind("4,", 0) == 0 && integer(data.substr(2), n) && n >= 0 && n <= 0xFFFFFFFFll) {
        v.type = 4, v.dword = static_cast<std::uint32_t>(n);
      } else if (data.rfind("1,\"", 0) == 0 && data.size() >= 4 && data.back() == '"' &&
                 data.find_first_of("\"%", 3) == data.size() - 1) {
        v.type = 1, v.text = data.substr(3, data.size() - 4);
      } else {
        return error("a registry value is 4,NUMBER or 1,\"TEXT\"");
      }
      if (!inf.registry.emplace(path, v).second)
        return error("the value appears twice");
      continue;
    }
    // [Service General Setting]: "Name",START,""
    if (line.size() < 8 || line[0] != '"' || line.substr(line.size() - 3) != ",\"\"")
      return error("expected `\"Service\",START,\"\"`");
    const std::size_t close = line.find('"', 1);
    const std::string name = line.substr(1, close - 1), start = line.substr(close + 1, line.size() - 3 - close - 1);
    if (name.empty() || start.size() != 2 || start[0] != ',' || start[1] < '2' || start[1] > '4')
      return error("a service start type is 2, 3 or 4");
    if (!inf.services.emplace(name, start[1] - '0').second)
      return error("the service appears twice");
  }
  if (inf.sections.size() < 2)
    return InfError{lineNo, "missing [Unicode] or [Version]"};
  if (raw["Unicode"] != std::vector<std::string>{"Unicode=yes"})
    return InfError{0, "[Unicode] must hold exactly Unicode=yes"};
  if (raw["Version"] != std::vector<std::string>{"signature=\"$CHICAGO$\"", "Revision=1"})
    return InfError{0, "[Version] must hold signature=\"$CHICAGO$\" and Revision=1"};
  return inf;
}

} // namespace polc::test
