#include "polc/analysis/PacketBuilders.h"

namespace polc::analysis {

Family familyOf(ast::AddressFamily f) {
  return f == ast::AddressFamily::V4 ? Family::V4 : Family::V6;
}

Interval prefixInterval(const ast::IPPrefix &prefix) {
  const unsigned width = prefix.width();
  u128 value = 0;
  for (unsigned i = 0; i < width / 8; ++i)
    value = value << 8 | prefix.bytes[i];
  const unsigned hostBits = width - std::min<unsigned>(prefix.prefixLen, width);
  const u128 host = hostBits >= 128 ? ~u128{0} : (u128{1} << hostBits) - 1;
  return {value & ~host, value | host};
}

ServiceDims serviceDims(const ir::PortRange &range) {
  const u128 number = ast::protocolNumber(range.protocol);
  return {{number, number}, {0, 0xFFFF}, {range.lo, range.hi}};
}

ServiceDims anyService() { return {{0, 0xFF}, {0, 0xFFFF}, {0, 0xFFFF}}; }

std::vector<ServiceDims> serviceDimsOf(const ir::ServiceSet &services) {
  std::vector<ServiceDims> dims;
  if (services.any)
    dims.push_back(anyService());
  else
    for (const ir::PortRange &r : services.ranges)
      dims.push_back(serviceDims(r));
  return dims;
}

bool serviceInFamily(const ServiceDims &service, Family f) {
  constexpr u128 kIcmp = 1, kIcmpV6 = 58;
  if (service.proto.lo != service.proto.hi)
    return true;
  if (service.proto.lo == kIcmp)
    return f == Family::V4;
  if (service.proto.lo == kIcmpV6)
    return f == Family::V6;
  return true;
}

std::optional<Cube> ruleCube(const ast::IPPrefix &src, const ast::IPPrefix &dst,
                             const ServiceDims &service) {
  if (src.family != dst.family || !serviceInFamily(service, familyOf(src.family)))
    return std::nullopt;
  Cube c;
  c.family = familyOf(src.family);
  c.dims[kSrc] = prefixInterval(src);
  c.dims[kDst] = prefixInterval(dst);
  c.dims[kProto] = service.proto;
  c.dims[kSport] = service.sport;
  c.dims[kDport] = service.dport;
  return c;
}

PacketSet flowPackets(std::span<const ast::IPPrefix> srcs, std::span<const ast::IPPrefix> dsts,
                      const ir::ServiceSet &services) {
  const std::vector<ServiceDims> dims = serviceDimsOf(services);
  std::vector<Cube> cubes;
  for (const ast::IPPrefix &s : srcs)
    for (const ast::IPPrefix &d : dsts)
      for (const ServiceDims &sd : dims)
        if (auto c = ruleCube(s, d, sd))
          cubes.push_back(*c);
  return PacketSet::unionOf(cubes);
}

} // namespace polc::analysis
