#include "Render.h"

#include <cctype>

namespace polc::emit {

std::vector<std::string> cidrsOf(Family family, const std::vector<Interval> &ranges) {
  std::vector<std::string> out;
  for (const Interval &r : ranges)
    for (std::string &c : analysis::intervalToCidrs(family, r))
      out.push_back(std::move(c));
  return out;
}

std::vector<std::string> rangeItems(Family family, const std::vector<Interval> &ranges) {
  std::vector<std::string> out;
  for (const Interval &r : ranges) {
    std::vector<std::string> cidrs = analysis::intervalToCidrs(family, r);
    if (cidrs.size() == 1)
      out.push_back(shortCidr(cidrs.front()));
    else
      out.push_back(analysis::formatAddress(family, r.lo) + "-" + analysis::formatAddress(family, r.hi));
  }
  return out;
}

std::string shortCidr(std::string_view cidr) {
  if (cidr.ends_with("/32") && cidr.find(':') == std::string_view::npos)
    cidr.remove_suffix(3);
  else if (cidr.ends_with("/128"))
    cidr.remove_suffix(4);
  return std::string(cidr);
}

std::string identifier(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += std::isalnum(u) && u < 0x80 ? static_cast<char>(std::tolower(u)) : '_';
  }
  if (out.size() > max)
    out.resize(max);
  return out;
}

std::string originText(const RuleOrigin &origin) {
  // The identity names the layer (or module) and the clause already.
  std::string out = origin.statement.empty() ? origin.layer : origin.statement;
  if (!origin.clauseTitle.empty())
    out += " " + origin.clauseTitle;
  if (!origin.exception.empty())
    out += " exception " + origin.exception;
  return out;
}

CommentRules headerCommentRules() {
  CommentRules r;
  r.maxBytes = 400;
  r.utf8 = true;
  return r;
}

} // namespace polc::emit
