// Loads stdlib/platforms/firewall.yaml and cleans comments by its rules.
#include "polc/emit/PlatformData.h"

#include "polc/diag/FileReader.h"
#include "text/Escape.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

namespace polc::emit {

const FirewallPlatform *PlatformTables::firewall(std::string_view name) const {
  auto it = firewalls.find(name);
  return it == firewalls.end() ? nullptr : &it->second;
}

namespace {

template <typename T> T required(const YAML::Node &node, const char *key, const std::string &where) {
  const YAML::Node value = node[key];
  if (!value)
    throw std::runtime_error(where + ": missing key '" + key + "'");
  return value.as<T>();
}

FirewallPlatform readPlatform(const std::string &name, const YAML::Node &node) {
  FirewallPlatform p;
  p.name = name;
  const YAML::Node comment = node["comment"];
  if (!comment || !comment.IsMap())
    throw std::runtime_error(name + ": missing map 'comment'");
  p.comment.maxBytes = required<std::size_t>(comment, "max_bytes", name + ".comment");
  p.comment.utf8 = required<bool>(comment, "utf8", name + ".comment");
  p.comment.forbidden = required<std::string>(comment, "forbidden", name + ".comment");
  const auto replacement = required<std::string>(comment, "replacement", name + ".comment");
  if (replacement.size() != 1 || p.comment.forbidden.find(replacement[0]) != std::string::npos)
    throw std::runtime_error(name + ".comment.replacement must be one allowed ASCII character");
  p.comment.replacement = replacement[0];
  p.maxIdentifier = required<std::size_t>(node, "max_identifier", name);
  p.maxInterfaceName = required<std::size_t>(node, "max_interface_name", name);
  p.interfaceChars = required<std::string>(node, "interface_chars", name);
  p.interfaceRefused = required<std::string>(node, "interface_refused", name);
  p.interfaceRefusedSuffix = required<std::string>(node, "interface_refused_suffix", name);
  p.interfaceReserved = required<std::vector<std::string>>(node, "interface_reserved", name);
  const YAML::Node protocols = node["protocols"];
  if (!protocols || !protocols.IsMap())
    throw std::runtime_error(name + ": missing map 'protocols'");
  for (const auto &entry : protocols) {
    const int number = entry.first.as<int>();
    if (number < 0 || number > 255)
      throw std::runtime_error(name + ".protocols: " + std::to_string(number) + " is not a protocol number");
    p.protocolNames[static_cast<std::uint8_t>(number)] = entry.second.as<std::string>();
  }
  return p;
}

} // namespace

std::optional<PlatformTables> loadPlatformTables(const std::string &stdlibDir, std::string &error) {
  const std::string path = (std::filesystem::path(stdlibDir) / "platforms" / "firewall.yaml").string();
  try {
    const YAML::Node root = YAML::Load(diag::readDataFile(path, diag::canonicalText(stdlibDir)));
    if (!root.IsMap())
      throw std::runtime_error("the document is not a map of platforms");
    PlatformTables tables;
    for (const auto &entry : root) {
      const auto name = entry.first.as<std::string>();
      tables.firewalls.emplace(name, readPlatform(name, entry.second));
    }
    return tables;
  } catch (const std::exception &e) {
    error = path + ": " + e.what();
    return std::nullopt;
  }
}

std::string sanitizeComment(std::string_view raw, const CommentRules &rules) {
  // Control characters and line separators first, by the rule every output shares.
  const std::string clean = text::singleLine(raw, rules.utf8 ? text::Marker::Unicode : text::Marker::Ascii);
  const std::string_view text = clean;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    // The length of this character's UTF-8 sequence (the input is valid UTF-8: sema checked it).
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    len = std::min(len, text.size() - i);
    std::string piece;
    if (c < 0x20 || c == 0x7F)
      piece = " ";
    else if (c < 0x80)
      piece = rules.forbidden.find(static_cast<char>(c)) != std::string::npos
                  ? std::string(1, rules.replacement)
                  : std::string(1, static_cast<char>(c));
    else
      piece = rules.utf8 ? std::string(text.substr(i, len)) : "?";
    if (out.size() + piece.size() > rules.maxBytes)
      break;
    out += piece;
    i += len;
  }
  return out;
}

} // namespace polc::emit
