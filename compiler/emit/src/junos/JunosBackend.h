#pragma once
// Juniper SRX: a Junos `set` command file per device, loaded with `load set FILE` and committed.
//
// Why SRX security policies rather than a stateless ACL: they are stateful (return traffic of an
// accepted session passes without a rule, as the policy language requires) and zone-based, which
// is polc's own model: each device interface gets a security zone of its own, and the rules of
// one (from-interface, to-interface) path become the policies of one (from-zone, to-zone) pair.
//
// The file replaces what polc manages and nothing else: it deletes the whole security policy
// table (the policy is the authority over what the device forwards; a policy left from elsewhere
// could only widen it), the interface list of each zone it declares, and each address-book entry
// and application it is about to define (a `set` on an existing address-set or application-set
// adds members, so without the delete a load would merge with the previous build). Objects of an
// earlier build that this one no longer names stay behind unreferenced; nothing matches on them.
#include "polc/emit/FirewallBackend.h"

namespace polc::emit {

// readJunos (below) for `show configuration | display set` of a live device: only `set` lines;
// the hierarchies polc writes are read strictly, every other one is listed in
// ReadBack::unmanaged, and a device without `security forwarding-options family inet6 mode`
// drops IPv6 (Junos's default).
std::variant<ReadBack, ReadError> readJunosRunning(const std::string &fileName, const std::string &text);

class JunosBackend final : public FirewallBackend {
public:
  explicit JunosBackend(const FirewallPlatform &platform) : platform_(platform) {}
  std::string_view platform() const override { return "juniper_srx"; }
  std::vector<OutputFile> generate(const DeviceRules &device) const override;
  std::variant<ReadBack, ReadError> read(const std::vector<OutputFile> &files) const override;
  std::variant<ReadBack, ReadError> readTracing(const std::vector<OutputFile> &files,
                                                const analysis::Packet &probe) const override;
  std::optional<std::variant<ReadBack, ReadError>>
  readRunning(const std::string &name, const std::string &text, const DeviceRules &) const override {
    return readJunosRunning(name, text);
  }
  std::string runningCommand() const override { return "show configuration | display set"; }
  std::string readBackInterface(std::string_view declared) const override {
    return logicalInterface(declared);
  }

  static std::string fileName(std::string_view device);
  // Security zones hold logical interfaces ("ge-0/0/0.0"). A declared name without a unit
  // ("ge-0/0/0") means its unit 0, which is also what the Junos CLI stores for it.
  static std::string logicalInterface(std::string_view declared);

private:
  FirewallPlatform platform_;
};

// The reader behind read(): parses one file of Junos `set`/`delete` commands (the subset polc
// writes) and evaluates the security policies per pair of interfaces.
// With `probe`, also the lines that decide it on each path (ReadBack::traced).
std::variant<ReadBack, ReadError> readJunos(const std::string &fileName, const std::string &text,
                                            const analysis::Packet *probe = nullptr);

} // namespace polc::emit
