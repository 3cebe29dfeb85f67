#pragma once
// Platform facts kept as data in the stdlib (stdlib/platforms/firewall.yaml), not as code: how
// long a comment may be and which characters it may hold, how identifiers and interface names
// look, and the protocol names each platform spells out.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace polc::emit {

struct CommentRules {
  std::size_t maxBytes = 0;  // longer comments are cut on a character boundary
  bool utf8 = false;         // non-ASCII text is kept (else each non-ASCII character becomes '?')
  std::string forbidden;     // ASCII characters replaced by `replacement`
  char replacement = ' ';
};

struct FirewallPlatform {
  std::string name;
  CommentRules comment;
  std::size_t maxIdentifier = 0;     // chain, set, policy and address-book names
  std::size_t maxInterfaceName = 0;
  std::string interfaceChars;         // when not empty: the only characters besides [A-Za-z0-9]
  std::string interfaceRefused;       // characters refused in an interface name
  std::string interfaceRefusedSuffix; // a last character the platform reads as a wildcard
  std::vector<std::string> interfaceReserved; // whole names the platform refuses (".", "..")
  std::map<std::uint8_t, std::string> protocolNames; // protocols the platform names (6 -> tcp)
};

struct PlatformTables {
  std::map<std::string, FirewallPlatform, std::less<>> firewalls;
  const FirewallPlatform *firewall(std::string_view name) const;
};

// Reads `stdlib/platforms/firewall.yaml`. On failure returns nullopt and sets `error`.
std::optional<PlatformTables> loadPlatformTables(const std::string &stdlibDir, std::string &error);

// A comment cut and cleaned for a platform: control characters (newlines, C1 controls and the
// Unicode line separators included, by the rule of text::singleLine) become spaces, forbidden characters become the replacement, and the result never ends inside a
// UTF-8 sequence.
std::string sanitizeComment(std::string_view text, const CommentRules &rules);

} // namespace polc::emit
