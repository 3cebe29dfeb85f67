#include "Literals.h"

#include <charconv>
#include <limits>
#include <string>
#include <vector>

namespace polc::syntax {

using diag::DiagID;
using ast::AddressFamily;
using ast::IPPrefix;

namespace {

bool allDigits(std::string_view s) {
  if (s.empty())
    return false;
  for (char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

// Parses decimal digits; nullopt on overflow of `max` (or of uint64).
std::optional<std::uint64_t> decimal(std::string_view s, std::uint64_t max) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > max)
    return std::nullopt;
  return v;
}

bool hostBitsSet(const IPPrefix &p) {
  unsigned width = p.width();
  for (unsigned bit = p.prefixLen; bit < width; ++bit)
    if (p.bytes[bit / 8] & (0x80u >> (bit % 8)))
      return true;
  return false;
}

IPPrefix networkOf(IPPrefix p) {
  for (unsigned bit = p.prefixLen; bit < p.width(); ++bit)
    p.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80u >> (bit % 8)));
  return p;
}

struct Piece {
  std::string_view text;
  std::size_t offset; // within the literal
};

std::vector<Piece> split(std::string_view s, char sep) {
  std::vector<Piece> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back({s.substr(start, i - start), start});
      start = i + 1;
    }
  }
  return out;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int daysIn(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : days[m - 1];
}

} // namespace

std::optional<IPPrefix> LiteralParser::withPrefix(IPPrefix addr, std::string_view text,
                                                   std::size_t slash, std::uint32_t begin) {
  addr.prefixLen = static_cast<std::uint8_t>(addr.width());
  if (slash == std::string_view::npos)
    return addr;
  std::string_view digits = text.substr(slash + 1);
  auto len = decimal(digits, addr.width());
  if (!len) {
    diags_.report(DiagID::PrefixTooLong, at(begin, slash, text.size() - slash), digits,
                  addr.family == AddressFamily::V4 ? "IPv4" : "IPv6", addr.width());
    return std::nullopt;
  }
  addr.prefixLen = static_cast<std::uint8_t>(*len);
  addr.written_as_cidr = true;
  if (hostBitsSet(addr)) {
    IPPrefix net = networkOf(addr);
    diags_.report(DiagID::CidrHostBits, at(begin, 0, text.size()), text, net.str())
        .fixit(at(begin, 0, text.size()), net.str());
    return std::nullopt;
  }
  return addr;
}

std::optional<IPPrefix> LiteralParser::ipv4(std::string_view text, std::uint32_t begin) {
  std::size_t slash = text.find('/');
  std::string_view addrText = text.substr(0, slash);
  auto parts = split(addrText, '.');
  auto fail = [&](std::size_t from, std::size_t len, std::string_view why) {
    diags_.report(DiagID::InvalidIPv4, at(begin, from, len), addrText, why);
    return std::nullopt;
  };
  if (parts.size() != 4)
    return fail(0, addrText.size(), fmt::format("expected 4 numbers, found {}", parts.size()));
  IPPrefix p;
  p.family = AddressFamily::V4;
  for (std::size_t i = 0; i < 4; ++i) {
    const Piece &part = parts[i];
    if (part.text.empty())
      return fail(part.offset, 0, "empty number");
    if (part.text.size() > 1 && part.text[0] == '0')
      return fail(part.offset, part.text.size(),
                  fmt::format("'{}' has a leading zero (octal is ambiguous)", part.text));
    auto v = decimal(part.text, 255);
    if (!v)
      return fail(part.offset, part.text.size(), fmt::format("{} is greater than 255", part.text));
    p.bytes[i] = static_cast<std::uint8_t>(*v);
  }
  return withPrefix(p, text, slash, begin);
}

std::optional<IPPrefix> LiteralParser::ipv6(std::string_view text, std::uint32_t begin) {
  std::size_t slash = text.find('/');
  std::string_view addrText = text.substr(0, slash);
  auto fail = [&](std::size_t from, std::size_t len, std::string_view why) {
    diags_.report(DiagID::InvalidIPv6, at(begin, from, len), addrText, why);
    return std::nullopt;
  };
  std::size_t dbl = addrText.find("::");
  if (dbl != std::string_view::npos) {
    std::size_t second = addrText.find("::", dbl + 2);
    if (second != std::string_view::npos)
      return fail(second, 2, "`::` may appear only once");
    if (addrText.find(":::") != std::string_view::npos)
      return fail(addrText.find(":::"), 3, "`:::` is not valid");
  }
  // Split into the groups before and after `::`.
  std::vector<std::uint16_t> head, tail;
  auto parseGroups = [&](std::string_view part, std::size_t base,
                         std::vector<std::uint16_t> &out, bool allowV4Tail) -> bool {
    if (part.empty())
      return true;
    auto groups = split(part, ':');
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const Piece &g = groups[i];
      bool last = i + 1 == groups.size();
      if (last && allowV4Tail && g.text.find('.') != std::string_view::npos) {
        auto v4 = split(g.text, '.');
        bool ok = v4.size() == 4;
        std::uint32_t value = 0;
        for (auto &o : v4) {
          auto b = ok && allDigits(o.text) ? decimal(o.text, 255) : std::nullopt;
          ok = ok && b.has_value();
          value = (value << 8) | static_cast<std::uint32_t>(b.value_or(0));
        }
        if (!ok) {
          fail(base + g.offset, g.text.size(), "invalid embedded IPv4 address");
          return false;
        }
        out.push_back(static_cast<std::uint16_t>(value >> 16));
        out.push_back(static_cast<std::uint16_t>(value & 0xFFFF));
        continue;
      }
      if (g.text.empty()) {
        // Point at the lone `:` itself. A trailing empty group starts at the end of the
        // literal, so its own offset would mark the character after it (past EOF at the end
        // of the file).
        std::size_t colon = g.offset < part.size() ? g.offset : g.offset - 1;
        fail(base + colon, 1, "empty group (a single `:` at the start or end?)");
        return false;
      }
      if (g.text.size() > 4 || g.text.find('.') != std::string_view::npos) {
        fail(base + g.offset, g.text.size(),
             fmt::format("group '{}' must be 1 to 4 hex digits", g.text));
        return false;
      }
      std::uint16_t v = 0;
      for (char c : g.text) {
        unsigned d = (c >= '0' && c <= '9') ? unsigned(c - '0')
                     : (c >= 'a' && c <= 'f') ? unsigned(c - 'a' + 10)
                                              : unsigned(c - 'A' + 10);
        v = static_cast<std::uint16_t>(v * 16 + d);
      }
      out.push_back(v);
    }
    return true;
  };
  if (dbl == std::string_view::npos) {
    if (!parseGroups(addrText, 0, head, true))
      return std::nullopt;
    if (head.size() != 8)
      return fail(0, addrText.size(),
                  fmt::format("expected 8 groups, found {} (use `::` for zeros)", head.size()));
  } else {
    if (!parseGroups(addrText.substr(0, dbl), 0, head, false) ||
        !parseGroups(addrText.substr(dbl + 2), dbl + 2, tail, true))
      return std::nullopt;
    if (head.size() + tail.size() > 7)
      return fail(dbl, 2, "`::` must stand for at least one zero group");
  }
  IPPrefix p;
  p.family = AddressFamily::V6;
  std::vector<std::uint16_t> groups = head;
  groups.resize(8 - tail.size(), 0);
  groups.insert(groups.end(), tail.begin(), tail.end());
  for (std::size_t i = 0; i < 8; ++i) {
    p.bytes[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    p.bytes[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xFF);
  }
  return withPrefix(p, text, slash, begin);
}

std::optional<ast::PortSpec> LiteralParser::port(std::string_view text, std::uint32_t begin) {
  std::size_t slash = text.find('/');
  std::string_view protoText = text.substr(0, slash);
  auto proto = ast::protocolFromName(protoText);
  if (!proto) {
    diags_.report(DiagID::UnknownProtocol, at(begin, 0, protoText.size()), protoText);
    return std::nullopt;
  }
  std::string_view rest = text.substr(slash + 1);
  std::size_t restAt = slash + 1;
  bool typed = *proto == ast::Protocol::ICMP || *proto == ast::Protocol::ICMPv6;
  if (!ast::protocolHasPorts(*proto) && !typed) {
    diags_.report(DiagID::ProtocolWithoutPorts, at(begin, 0, text.size()), protoText);
    return std::nullopt;
  }
  std::size_t dash = rest.find('-');
  std::string_view loText = rest.substr(0, dash);
  std::string_view hiText = dash == std::string_view::npos ? loText : rest.substr(dash + 1);
  std::size_t hiAt = dash == std::string_view::npos ? restAt : restAt + dash + 1;
  if (!allDigits(loText) || !allDigits(hiText) ||
      (dash != std::string_view::npos && hiText.find('-') != std::string_view::npos)) {
    diags_.report(DiagID::MalformedLiteral, at(begin, restAt, rest.size()), "port", text,
                  "write a port (tcp/443) or a range (udp/1000-2000)");
    return std::nullopt;
  }
  if (typed) {
    if (dash != std::string_view::npos) {
      diags_.report(DiagID::PortlessProtocolRange, at(begin, restAt, rest.size()), protoText);
      return std::nullopt;
    }
    auto type = decimal(loText, 255);
    if (!type) {
      diags_.report(DiagID::IcmpTypeOutOfRange, at(begin, restAt, loText.size()), loText);
      return std::nullopt;
    }
    return ast::PortSpec{*proto, static_cast<std::uint16_t>(*type),
                         static_cast<std::uint16_t>(*type)};
  }
  auto lo = decimal(loText, 65535);
  if (!lo) {
    diags_.report(DiagID::PortOutOfRange, at(begin, restAt, loText.size()), loText);
    return std::nullopt;
  }
  auto hi = decimal(hiText, 65535);
  if (!hi) {
    diags_.report(DiagID::PortOutOfRange, at(begin, hiAt, hiText.size()), hiText);
    return std::nullopt;
  }
  if (*lo > *hi) {
    diags_.report(DiagID::PortRangeReversed, at(begin, restAt, rest.size()), *lo, *hi)
        .fixit(at(begin, restAt, rest.size()), fmt::format("{}-{}", *hi, *lo));
    return std::nullopt;
  }
  return ast::PortSpec{*proto, static_cast<std::uint16_t>(*lo), static_cast<std::uint16_t>(*hi)};
}

std::optional<std::int64_t> LiteralParser::duration(std::string_view text, std::uint32_t begin) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t numStart = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9')
      ++i;
    std::size_t unitStart = i;
    while (i < text.size() && !(text[i] >= '0' && text[i] <= '9'))
      ++i;
    std::string_view number = text.substr(numStart, unitStart - numStart);
    std::string_view unit = text.substr(unitStart, i - unitStart);
    if (number.empty() || unit.empty()) {
      diags_.report(DiagID::MalformedLiteral, at(begin, numStart, i - numStart), "duration", text,
                    "every number needs a unit, e.g. 1h30m");
      return std::nullopt;
    }
    std::int64_t scale = unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600
                         : unit == "d" ? 86400 : unit == "w" ? 604800 : 0;
    if (scale == 0) {
      diags_.report(DiagID::UnknownDurationUnit, at(begin, unitStart, unit.size()), unit);
      return std::nullopt;
    }
    auto n = decimal(number, static_cast<std::uint64_t>(kMax / scale));
    if (!n || total > kMax - static_cast<std::int64_t>(*n) * scale) {
      diags_.report(DiagID::DurationOverflow, at(begin, 0, text.size()), text);
      return std::nullopt;
    }
    total += static_cast<std::int64_t>(*n) * scale;
  }
  return total;
}

std::optional<ast::Date> LiteralParser::date(std::string_view text, std::uint32_t begin) {
  auto parts = split(text, '-');
  if (parts.size() != 3 || parts[0].text.size() != 4 || parts[1].text.size() != 2 ||
      parts[2].text.size() != 2 || !allDigits(parts[0].text) || !allDigits(parts[1].text) ||
      !allDigits(parts[2].text)) {
    // `1000-2000` is more often a port range that lost its protocol than a date.
    diags_.report(DiagID::InvalidDate, at(begin, 0, text.size()), text,
                  parts.size() == 2 ? "expected YYYY-MM-DD (a port range needs its protocol: tcp/1000-2000)"
                                    : "expected YYYY-MM-DD");
    return std::nullopt;
  }
  ast::Date d;
  d.year = static_cast<int>(*decimal(parts[0].text, 9999));
  d.month = static_cast<int>(*decimal(parts[1].text, 99));
  d.day = static_cast<int>(*decimal(parts[2].text, 99));
  if (d.month < 1 || d.month > 12) {
    diags_.report(DiagID::InvalidDate, at(begin, parts[1].offset, 2), text,
                  fmt::format("there is no month {}", d.month));
    return std::nullopt;
  }
  if (d.day < 1 || d.day > daysIn(d.year, d.month)) {
    diags_.report(DiagID::InvalidDate, at(begin, parts[2].offset, 2), text,
                  fmt::format("{:04}-{:02} has {} days", d.year, d.month, daysIn(d.year, d.month)));
    return std::nullopt;
  }
  return d;
}

std::optional<std::int64_t> LiteralParser::integer(std::string_view text, std::uint32_t begin) {
  auto v = decimal(text, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  if (!v) {
    diags_.report(DiagID::IntegerTooLarge, at(begin, 0, text.size()), text);
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*v);
}

} // namespace polc::syntax
