#pragma once
// Text helpers every firewall backend shares: addresses as CIDR blocks, identifiers, and the
// provenance text each generated rule carries.
#include "polc/emit/FirewallModel.h"
#include "polc/emit/PlatformData.h"

#include <string>
#include <string_view>
#include <vector>

namespace polc::emit {

// The CIDR blocks that exactly cover the ranges, in order ("10.0.0.0/8", "10.1.0.1/32").
std::vector<std::string> cidrsOf(Family family, const std::vector<Interval> &ranges);
// A CIDR block without a full-length suffix: "10.1.0.1" rather than "10.1.0.1/32".
std::string shortCidr(std::string_view cidr);

// One item per range: a CIDR block when the range is exactly one ("10.20.0.0/16", "10.20.2.10"),
// else "first-last" ("10.20.0.0-10.20.2.9"), which nftables sets, iptables' iprange and Junos'
// range-address all take. A zone minus a few hosts stays three items instead of dozens of CIDRs.
std::vector<std::string> rangeItems(Family family, const std::vector<Interval> &ranges);

// Lower-case [a-z0-9_] only, other characters become '_', cut to `max` characters.
std::string identifier(std::string_view text, std::size_t max);

// "standard:3.2#3fa9c2 メール無害化 exception x": where a rule comes from, as the statement's
// stable identity (no line number, so an unrelated edit above leaves the comment alone; trace.json
// maps it to file:line:col), identity first so a platform's length limit cuts the title, not the
// citation. Raw text: each backend passes it through sanitizeComment with its own rules.
std::string originText(const RuleOrigin &origin);

// Rules for `#`-style header comments that hold policy text (titles): one line, any UTF-8.
CommentRules headerCommentRules();

} // namespace polc::emit
