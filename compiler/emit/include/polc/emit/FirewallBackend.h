#pragma once
// One generator per firewall platform, behind one interface (Capirca's model): a backend renders
// a device's rules as text, and reads that text back into packet sets so the build can prove the
// text accepts exactly the device's permitted space. The reader is written against the text, not
// against the generator's data, so a rendering bug shows up as a difference with a witness.
#include "polc/emit/FirewallModel.h"
#include "polc/emit/Output.h"
#include "polc/emit/PlatformData.h"

#include <map>
#include <memory>
#include <optional>
#include <variant>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace polc::emit {

// What a rule set accepts, read back from its text: new connections accepted on each
// (from-interface, to-interface) path. A path the text never mentions accepts nothing.
// How a rule set decides one packet on one path (`polc explain`): the rule lines that decide it,
// the jumps that lead there first, then the rule that accepts or drops it. No lines: nothing
// matches it and the path's default (drop) decides.
struct RuleTrace {
  bool accepted = false;
  std::string file;
  std::vector<std::uint32_t> lines; // 1-based
};

struct ReadBack {
  std::map<std::pair<std::string, std::string>, PacketSet> accepted;
  // Only from readTracing: the probe packet's decision on each path of its address family.
  std::map<std::pair<std::string, std::string>, RuleTrace> traced;
  // Read from a running configuration only: objects beside polc's own ("table ip nat"),
  // which polc neither compares nor removes.
  std::vector<std::string> unmanaged;
};

// The reader found text it does not understand: the generated file is not what polc writes.
struct ReadError {
  std::string file;
  std::uint32_t line = 0; // 1-based
  std::string message;
};

class FirewallBackend {
public:
  virtual ~FirewallBackend() = default;
  // The `platform` name a firewall declaration uses.
  virtual std::string_view platform() const = 0;
  // The device's files, paths relative to the output folder ("firewall/fw-edge.nft").
  virtual std::vector<OutputFile> generate(const DeviceRules &device) const = 0;
  // Parses what generate() wrote (the same file names). Fails on anything unexpected.
  virtual std::variant<ReadBack, ReadError> read(const std::vector<OutputFile> &files) const = 0;
  // read(), and also which lines decide `probe` on each path (ReadBack::traced): the same strict
  // reader, so what `polc explain` cites is what the build proved. A backend that cannot trace
  // returns read()'s result, with no lines.
  virtual std::variant<ReadBack, ReadError> readTracing(const std::vector<OutputFile> &files,
                                                        const analysis::Packet &probe) const {
    return read(files);
  }
  // Parses the configuration the device prints (`nft list ruleset`), in the platform's canonical
  // form, as strictly as read(): polc's own objects for `device` must be exactly what it could
  // have written; everything else is listed in ReadBack::unmanaged. nullopt: not supported.
  virtual std::optional<std::variant<ReadBack, ReadError>>
  readRunning(const std::string & /*name*/, const std::string & /*text*/, const DeviceRules & /*device*/) const {
    return std::nullopt;
  }
  // The command whose output readRunning() takes, for messages.
  virtual std::string runningCommand() const { return {}; }
  // The name under which read() reports a declared interface: the platform's own spelling of it
  // when that differs from the declaration (Junos zones hold "ge-0/0/0.0" for "ge-0/0/0").
  virtual std::string readBackInterface(std::string_view declared) const { return std::string(declared); }
};

// Every backend polc has, built with the platform tables from the stdlib.
std::vector<std::unique_ptr<FirewallBackend>> makeFirewallBackends(const PlatformTables &tables);

} // namespace polc::emit
