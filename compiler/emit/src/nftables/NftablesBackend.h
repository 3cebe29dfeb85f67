#pragma once
// nftables: one `table inet` per device. The forward base chain drops by default, accepts return
// traffic by conntrack state, and dispatches new connections through one verdict map keyed by
// (input interface . output interface) to one regular chain per interface path.
//
// Why a verdict map into per-path chains rather than one flat chain: the map is one hash lookup
// per packet however many boundaries the device has; each chain then holds only its own
// boundary's rules, so an auditor reads the mynumber → lgwan chain without the rest; and
// binding the rules to the interface pair means a packet spoofing an inside source on the
// outside interface never reaches the inside chain.
#include "polc/emit/FirewallBackend.h"

namespace polc::emit {

class NftablesBackend final : public FirewallBackend {
public:
  explicit NftablesBackend(const FirewallPlatform &platform) : platform_(platform) {}
  std::string_view platform() const override { return "nftables"; }
  std::vector<OutputFile> generate(const DeviceRules &device) const override;
  std::variant<ReadBack, ReadError> read(const std::vector<OutputFile> &files) const override;
  std::variant<ReadBack, ReadError> readTracing(const std::vector<OutputFile> &files,
                                                const analysis::Packet &probe) const override;

  std::optional<std::variant<ReadBack, ReadError>>
  readRunning(const std::string &name, const std::string &text, const DeviceRules &device) const override;
  std::string runningCommand() const override { return "nft list ruleset"; }

  static std::string fileName(std::string_view device);
  // The device's table: "polc_" and the device name as an identifier ("polc_fw_edge").
  std::string tableName(std::string_view device) const;

private:
  FirewallPlatform platform_;
};

// The reader behind read(): parses one file of the subset of nft syntax polc writes.
// With `probe`, also the lines that decide it on each path (ReadBack::traced).
std::variant<ReadBack, ReadError> readNftables(const std::string &fileName, const std::string &text,
                                               const analysis::Packet *probe = nullptr);
// The same for `nft list ruleset` output: polc's `table inet TABLE` among others. Without that
// table every one of `paths` (interface name pairs) accepts everything.
std::variant<ReadBack, ReadError> readNftablesRunning(const std::string &fileName, const std::string &text,
                                                      const std::string &table,
                                                      const std::vector<std::pair<std::string, std::string>> &paths);

} // namespace polc::emit
