#include "endpoint/InfWriter.h"

#include "Render.h"
#include "endpoint/Text.h"

#include "polc/emit/PlatformData.h"

#include <algorithm>
#include <array>

namespace polc::emit::endpoint {

namespace {

bool isInteger(const std::string &s, bool allowNegative) {
  std::size_t i = allowNegative && !s.empty() && s[0] == '-' ? 1 : 0;
  return i < s.size() && s.size() - i <= 10 &&
         std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The four sections polc writes, in the order secedit lists them.
struct Section {
  const char *kind;
  const char *header;
};
constexpr std::array<Section, 4> kSections = {{{"system_access", "[System Access]"},
                                               {"event_audit", "[Event Audit]"},
                                               {"registry", "[Registry Values]"},
                                               {"service_startup", "[Service General Setting]"}}};

std::string keyLine(const Key &key, const std::string &text) {
  if (key.kind == "registry")
    return key.name + "=" + (key.regType == "dword" ? "4," + text : "1,\"" + text + "\"");
  if (key.kind == "service_startup")
    return "\"" + key.name + "\"," + text + ",\"\"";
  return key.name + " = " + text;
}

// A `;` comment line: one line of any UTF-8, short enough for the INF line limit (4096 characters).
std::string comment(const std::string &text) {
  CommentRules rules = headerCommentRules();
  return "; " + sanitizeComment(singleLine(text), rules);
}

} // namespace

std::string windowsDataProblem(const Key &key, const std::string &text) {
  if (key.kind == "registry" && key.regType == "sz") {
    // Inside "...": a quote would end the string, '%' starts an INF string substitution.
    for (char c : text)
      if (c == '"' || c == '%' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
        return "a REG_SZ value in a security template cannot hold '\"', '%' or control characters";
    return {};
  }
  if (key.kind == "registry") {
    if (!isInteger(text, false) || std::stoull(text) > 0xFFFFFFFFull)
      return "\"" + text + "\" is not a REG_DWORD number";
    return {};
  }
  if (key.kind == "service_startup")
    return text == "2" || text == "3" || text == "4" ? "" : "a service start type is 2, 3 or 4";
  return isInteger(text, true) ? "" : "\"" + text + "\" is not a number";
}

OutputFile writeInf(const ResolvedProfile &p) {
  std::vector<std::string> lines = {"[Unicode]", "Unicode=yes", "[Version]", "signature=\"$CHICAGO$\"",
                                    "Revision=1"};
  const ir::EndpointProfile &profile = *p.profile;
  lines.push_back(comment("polc: endpoint profile " + profile.name + " " + profile.title.value_or("") +
                          " (windows security template)"));
  lines.push_back(comment(originText(p.origin)));
  lines.push_back(comment("summary: " + p.stem + ".md"));
  for (const Section &section : kSections) {
    std::vector<std::string> body;
    for (const ResolvedSetting &s : p.settings) {
      bool first = true;
      for (const ResolvedKey &k : s.keys) {
        if (k.key->kind != section.kind)
          continue;
        if (first)
          body.push_back(comment(originText(s.origin) + ": " + s.setting->name + " = " + s.value.str()));
        first = false;
        body.push_back(keyLine(*k.key, k.text));
      }
    }
    if (body.empty())
      continue;
    lines.push_back(section.header);
    lines.insert(lines.end(), body.begin(), body.end());
  }
  std::string text;
  for (const std::string &line : lines)
    text += line + "\r\n";
  return {"endpoint/" + p.stem + ".inf", utf16leWithBom(text)};
}

} // namespace polc::emit::endpoint
