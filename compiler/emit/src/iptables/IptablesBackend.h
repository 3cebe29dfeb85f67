#pragma once
// iptables: two iptables-restore files per device, DEVICE.v4.rules (iptables-restore) and
// DEVICE.v6.rules (ip6tables-restore), each replacing the whole `filter` table. FORWARD drops by
// default, accepts return traffic by conntrack state, drops what conntrack calls invalid, and
// dispatches new connections by (-i, -o) to one user chain per interface path, as the nftables
// backend does with its verdict map: a packet spoofing an inside source on the outside interface
// never reaches the inside path's chain. polc governs forwarded traffic only; INPUT and OUTPUT
// are declared empty with policy ACCEPT.
//
// iptables matches one protocol, one ICMP type, one port range (or 15 multiport slots) per rule,
// so a rule's terms are rendered per (source, destination) address group as a list of
// protocol/port lines. When that list is one line (or the addresses are one match), the lines go
// straight into the path chain with the address matches; otherwise the addresses jump to a
// per-rule sub-chain holding the lines. Sub-chains are also where exclusions live: a line that
// RETURNs packets the rule does not cover, followed by the rule's verdict for the rest. That is
// the only exact encoding of a protocol range holding protocol 0 (`-p 0` means every protocol,
// so protocol 0 cannot be matched by itself) and of an ICMP type set holding type 255
// (`--icmp-type 255` is the kernel's "any type", ip_tables.c icmp_type_code_match).
//
// Denied packets jump to one shared chain that logs them ("polc deny: ") and drops them.
#include "polc/emit/FirewallBackend.h"

namespace polc::emit {

class IptablesBackend final : public FirewallBackend {
public:
  explicit IptablesBackend(const FirewallPlatform &platform) : platform_(platform) {}
  std::string_view platform() const override { return "iptables"; }
  // Both files, always (a family without rules still gets the default-drop skeleton).
  std::vector<OutputFile> generate(const DeviceRules &device) const override;
  std::variant<ReadBack, ReadError> read(const std::vector<OutputFile> &files) const override;
  std::variant<ReadBack, ReadError> readTracing(const std::vector<OutputFile> &files,
                                                const analysis::Packet &probe) const override;

  static std::string fileName(std::string_view device, Family family);

private:
  std::variant<ReadBack, ReadError> readBoth(const std::vector<OutputFile> &files,
                                             const analysis::Packet *probe) const;
  FirewallPlatform platform_;
};

// The reader behind read(): parses one iptables-restore file of the subset polc writes, for one
// address family, into the new connections it accepts per (in, out) interface pair.
// With `probe`, also the lines that decide it on each path (ReadBack::traced), when the probe is
// of this file's family.
std::variant<ReadBack, ReadError> readIptables(const std::string &fileName, const std::string &text,
                                               Family family, const analysis::Packet *probe = nullptr);

// The chain every denied packet jumps to: LOG, then DROP.
inline constexpr std::string_view kIptablesLogDropChain = "polc_log_drop";

} // namespace polc::emit
