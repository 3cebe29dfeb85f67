#pragma once
// Pieces of text every firewall reader parses the same way: numbers, number ranges, addresses
// and prefixes. Each throws ReadFailure with a message saying what the text is not; the reader
// adds the file and line.
#include "polc/analysis/PacketSet.h"

#include <string>
#include <string_view>
#include <vector>

namespace polc::emit::readtext {

struct ReadFailure {
  std::string message;
};

// A decimal number up to `max`.
unsigned number(std::string_view s, unsigned max);
// "80" or "80<sep>90", both ends up to `max`, lo <= hi.
analysis::Interval numberRange(std::string_view s, unsigned max, char separator = '-');
// One address of the family.
analysis::u128 address(analysis::Family f, const std::string &text);
// "10.0.0.0/8", "2001:db8::/32": a prefix without host bits (which a platform would clear
// silently, and polc never writes).
analysis::Interval prefix(analysis::Family f, const std::string &text);

// The packets of a match read from a rule: the product of its dimensions, an empty list
// standing for the whole dimension.
analysis::PacketSet product(analysis::Family f, const std::vector<analysis::Interval> &src,
                            const std::vector<analysis::Interval> &dst,
                            const std::vector<analysis::Interval> &proto,
                            const std::vector<analysis::Interval> &sport,
                            const std::vector<analysis::Interval> &dport);

} // namespace polc::emit::readtext
