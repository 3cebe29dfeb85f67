// Value conversions of the endpoint tables: units, sentinels, platform limits, maps, host names.
#include "endpoint/Conversion.h"

#include <fmt/format.h>

#include <algorithm>

namespace polc::emit::endpoint {

using Kind = sema::TypedValue::Kind;

std::string spelling(const sema::TypedValue &value) {
  return value.kind == Kind::String ? value.text : value.str();
}

bool applies(const Condition &when, const sema::TypedValue &value) {
  if (!when.values.empty())
    return std::find(when.values.begin(), when.values.end(), spelling(value)) != when.values.end();
  if (when.min && value.number < *when.min)
    return false;
  if (when.max && value.number > *when.max)
    return false;
  return true;
}

namespace {

bool isSentinel(const sema::TypedValue &value, const ir::Setting &setting) {
  if (!setting.sentinel)
    return false;
  const sema::TypedValue &s = setting.sentinel->value;
  return s.kind == value.kind && s.number == value.number;
}

std::string withFormat(const std::string &format, const std::string &text) {
  std::string out = format;
  for (std::size_t at = out.find("{value}"); at != std::string::npos; at = out.find("{value}", at + text.size()))
    out.replace(at, 7, text);
  return out;
}

std::variant<std::string, Unrepresentable> number(const ValueRule &rule, const sema::TypedValue &value,
                                                  const ir::Setting &setting) {
  if (rule.sentinel && isSentinel(value, setting))
    return *rule.sentinel;
  std::int64_t n = value.number;
  if (rule.unitSeconds == 0) {
    if (value.kind != Kind::Int)
      return Unrepresentable{fmt::format("the table expects a count, but the value is {}", value.str())};
  } else {
    if (value.kind != Kind::Duration)
      return Unrepresentable{fmt::format("the table expects a duration, but the value is {}", value.str())};
    if (n % rule.unitSeconds != 0)
      return Unrepresentable{fmt::format("the platform counts in {}, and {} is not a whole number of them",
                                         rule.unitName, value.str())};
    n /= rule.unitSeconds;
  }
  if (rule.range && (n < rule.range->first || n > rule.range->second)) {
    const std::string unit = rule.unitSeconds == 0 ? "" : " " + rule.unitName;
    return Unrepresentable{fmt::format("{}{} is outside the platform's range {}..{}{}", n, unit,
                                       rule.range->first, rule.range->second, unit)};
  }
  return std::to_string(n);
}

bool isLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

} // namespace

bool isHostOrAddress(const std::string &text) {
  if (text.empty() || text.size() > 253)
    return false;
  if (text.find(':') != std::string::npos) // IPv6: hex digits, ':' and an optional dotted tail
    return std::all_of(text.begin(), text.end(), [](char c) {
      return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
    });
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    if (!isLabel(std::string_view(text).substr(start, dot == std::string::npos ? std::string::npos : dot - start)))
      return false;
    if (dot == std::string::npos)
      return true;
    start = dot + 1;
  }
}

std::variant<std::string, Unrepresentable> convert(const ValueRule &rule, const sema::TypedValue &value,
                                                   const ir::Setting &setting) {
  std::string text;
  switch (rule.kind) {
  case ValueRule::Kind::Constant:
    text = rule.constant;
    break;
  case ValueRule::Kind::Map: {
    auto it = rule.map.find(spelling(value));
    if (it == rule.map.end())
      return Unrepresentable{fmt::format("the platform has no equivalent of {}", value.str())};
    text = it->second;
    break;
  }
  case ValueRule::Kind::Number: {
    auto n = number(rule, value, setting);
    if (auto *u = std::get_if<Unrepresentable>(&n))
      return *u;
    text = std::get<std::string>(n);
    break;
  }
  case ValueRule::Kind::Text:
    if (value.kind != Kind::String)
      return Unrepresentable{fmt::format("the table expects a string, but the value is {}", value.str())};
    if (!isHostOrAddress(value.text))
      return Unrepresentable{fmt::format("{} is not a host name or an IP address", value.str())};
    text = value.text;
    break;
  }
  return withFormat(rule.format, text);
}

} // namespace polc::emit::endpoint
