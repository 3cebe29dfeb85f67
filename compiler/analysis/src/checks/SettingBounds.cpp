#include "SettingBounds.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace polc::analysis {

using sema::TypedValue;
using K = TypedValue::Kind;

namespace {

// Days since 1970-01-01 and back (proleptic Gregorian; H. Hinnant's civil-date algorithms), so
// that date bounds get the same "one day before/after" candidates as numbers.
std::int64_t dayNumber(const ast::Date &d) {
  std::int64_t y = d.year - (d.month <= 2);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

ast::Date fromDayNumber(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  ast::Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = static_cast<int>(yoe + era * 400 + (d.month <= 2));
  return d;
}

// The number an ordered value compares by.
std::int64_t key(const TypedValue &v) { return v.kind == K::Date ? dayNumber(v.date) : v.number; }

int threeWay(std::int64_t a, std::int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

bool isSentinel(const ir::Setting &setting, const TypedValue &v) {
  return setting.sentinel && sameValue(setting.sentinel->value, v);
}

// The order of `<`, `<=`, `>`, `>=`: the sentinel above everything else.
int compareOrdered(const ir::Setting &setting, const TypedValue &a, const TypedValue &b) {
  bool sa = isSentinel(setting, a), sb = isSentinel(setting, b);
  if (sa || sb)
    return sa == sb ? 0 : (sa ? 1 : -1);
  return threeWay(key(a), key(b));
}

const ir::Lattice *latticeOf(const ir::Policy &policy, const ir::Setting &setting) {
  if (!setting.lattice)
    return nullptr;
  for (const ir::Lattice &l : policy.lattices)
    if (l.name == *setting.lattice)
      return &l;
  return nullptr;
}

bool levelLeq(const ir::Lattice &lattice, const TypedValue &a, const TypedValue &b) {
  auto i = static_cast<std::size_t>(a.number), j = static_cast<std::size_t>(b.number);
  return i < lattice.leq.size() && j < lattice.leq[i].size() && lattice.leq[i][j];
}

// Whether lo <= v <= hi as written: a range names its values, so the sentinel is in it when
// the ends include it literally.
bool inRange(const ir::Lattice *lattice, const TypedValue &v, const TypedValue &lo,
             const TypedValue &hi) {
  if (v.kind == K::Level)
    return lattice && levelLeq(*lattice, lo, v) && levelLeq(*lattice, v, hi);
  return key(lo) <= key(v) && key(v) <= key(hi);
}

bool meetsOrder(const ir::Policy &policy, const ir::Setting &setting, const TypedValue &v,
                ast::CompareOp op, const TypedValue &b) {
  bool le = false, ge = false;
  if (v.kind == K::Level) {
    const ir::Lattice *lattice = latticeOf(policy, setting);
    if (!lattice)
      return true; // nothing to compare against: sema has reported the missing lattice
    le = levelLeq(*lattice, v, b);
    ge = levelLeq(*lattice, b, v);
  } else {
    int c = compareOrdered(setting, v, b);
    le = c <= 0;
    ge = c >= 0;
  }
  bool same = le && ge;
  switch (op) {
  case ast::CompareOp::Lt: return le && !same;
  case ast::CompareOp::Le: return le;
  case ast::CompareOp::Gt: return ge && !same;
  case ast::CompareOp::Ge: return ge;
  default: return true;
  }
}

TypedValue numberValue(K kind, std::int64_t n) {
  TypedValue v;
  v.kind = kind;
  if (kind == K::Date)
    v.date = fromDayNumber(n);
  else
    v.number = n;
  return v;
}

} // namespace

bool sameValue(const TypedValue &a, const TypedValue &b) {
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case K::Bool: return a.boolean == b.boolean;
  case K::String:
  case K::Role: return a.text == b.text; // two roles may share an authority
  case K::Date: return a.date == b.date;
  case K::Int:
  case K::Duration:
  case K::Enum:
  case K::Level: return a.number == b.number;
  }
  return false;
}

bool meetsBound(const ir::Policy &policy, const ir::Setting &setting, const TypedValue &value,
                const ir::SettingBound &bound) {
  const std::vector<TypedValue> &ops = bound.operand.values;
  auto member = [&] {
    if (bound.operand.shape == sema::TypedOperand::Shape::Range)
      return ops.size() == 2 && inRange(latticeOf(policy, setting), value, ops[0], ops[1]);
    return std::any_of(ops.begin(), ops.end(), [&](const TypedValue &o) { return sameValue(value, o); });
  };
  switch (bound.op) {
  case ast::CompareOp::Eq: return !ops.empty() && sameValue(value, ops[0]);
  case ast::CompareOp::Ne: return ops.empty() || !sameValue(value, ops[0]);
  case ast::CompareOp::In: return member();
  case ast::CompareOp::NotIn: return !member();
  case ast::CompareOp::Lt:
  case ast::CompareOp::Le:
  case ast::CompareOp::Gt:
  case ast::CompareOp::Ge: return ops.empty() || meetsOrder(policy, setting, value, bound.op, ops[0]);
  }
  return true;
}

std::string boundText(const ir::SettingBound &bound) {
  const auto &ops = bound.operand.values;
  std::string operand;
  switch (bound.operand.shape) {
  case sema::TypedOperand::Shape::Single:
    operand = ops.empty() ? "?" : ops[0].str();
    break;
  case sema::TypedOperand::Shape::List:
    operand = "[";
    for (std::size_t i = 0; i < ops.size(); ++i)
      operand += (i ? ", " : "") + ops[i].str();
    operand += "]";
    break;
  case sema::TypedOperand::Shape::Range:
    operand = ops.size() == 2 ? ops[0].str() + ".." + ops[1].str() : "?";
    break;
  }
  return fmt::format("{} {}", ast::compareOpSpelling(bound.op), operand);
}

std::vector<TypedValue> candidateValues(const ir::Policy &policy, const ir::Setting &setting,
                                        std::span<const ir::SettingBound *const> bounds) {
  using SK = sema::SettingType::Kind;
  std::vector<TypedValue> out;
  switch (setting.type) {
  case SK::Bool:
    for (bool b : {false, true}) {
      TypedValue v;
      v.kind = K::Bool;
      v.boolean = b;
      out.push_back(v);
    }
    return out;
  case SK::Enum:
    for (std::size_t i = 0; i < setting.members.size(); ++i) {
      TypedValue v;
      v.kind = K::Enum;
      v.number = static_cast<std::int64_t>(i);
      v.text = setting.members[i];
      out.push_back(v);
    }
    return out;
  case SK::Level:
    if (const ir::Lattice *lattice = latticeOf(policy, setting))
      for (std::size_t i = 0; i < lattice->levels.size(); ++i) {
        TypedValue v;
        v.kind = K::Level;
        v.number = static_cast<std::int64_t>(i);
        v.text = lattice->levels[i];
        out.push_back(v);
      }
    return out;
  case SK::Role:
    for (const ir::Role &r : policy.roles) {
      TypedValue v;
      v.kind = K::Role;
      v.number = r.authority;
      v.text = r.name;
      out.push_back(v);
    }
    return out;
  case SK::String: {
    // Every string a bound names, and one that none names (longer than all of them together).
    std::string fresh = "~";
    for (const ir::SettingBound *b : bounds)
      for (const TypedValue &o : b->operand.values) {
        out.push_back(o);
        fresh += o.text;
      }
    TypedValue v;
    v.kind = K::String;
    v.text = fresh;
    out.push_back(v);
    return out;
  }
  case SK::Int:
  case SK::Duration:
  case SK::Date: {
    // The set of values meeting a conjunction of bounds is a union of intervals; each interval
    // starts at the domain's low end or at an operand or just after one, so these points hit
    // every non-empty interval.
    K kind = setting.type == SK::Int ? K::Int : setting.type == SK::Duration ? K::Duration : K::Date;
    std::int64_t lo = 0, hi = 0;
    if (setting.lo && setting.hi) {
      lo = key(*setting.lo);
      hi = key(*setting.hi);
    } else if (kind == K::Int) {
      lo = std::numeric_limits<std::int64_t>::min() / 4;
      hi = std::numeric_limits<std::int64_t>::max() / 4;
    } else if (kind == K::Duration) {
      hi = std::numeric_limits<std::int64_t>::max() / 4;
    } else {
      lo = dayNumber({1, 1, 1});
      hi = dayNumber({9999, 12, 31});
    }
    std::vector<std::int64_t> points{lo, hi};
    for (const ir::SettingBound *b : bounds)
      for (const TypedValue &o : b->operand.values)
        for (std::int64_t d : {-1, 0, 1})
          points.push_back(key(o) + d);
    // The sentinel sits above every value, so the values next to it start intervals too.
    if (setting.sentinel)
      for (std::int64_t d : {-1, 0, 1})
        points.push_back(key(setting.sentinel->value) + d);
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    for (std::int64_t p : points)
      if (lo <= p && p <= hi)
        out.push_back(numberValue(kind, p));
    return out;
  }
  }
  return out;
}

std::string describeType(const ir::Setting &setting) {
  using SK = sema::SettingType::Kind;
  std::string base;
  switch (setting.type) {
  case SK::Int: base = "an integer"; break;
  case SK::Duration: base = "a duration"; break;
  case SK::Bool: base = "true or false"; break;
  case SK::String: base = "a string"; break;
  case SK::Date: base = "a date"; break;
  case SK::Enum:
    base = "one of ";
    for (std::size_t i = 0; i < setting.members.size(); ++i)
      base += (i ? ", " : "") + setting.members[i];
    break;
  case SK::Level: base = fmt::format("a level of `{}`", setting.lattice.value_or("?")); break;
  case SK::Role: base = "a role"; break;
  }
  if (setting.lo && setting.hi)
    base += fmt::format(" in {}..{}", setting.lo->str(), setting.hi->str());
  return base;
}

std::string boundScopeText(const ir::Policy &policy, const ir::SettingBound &bound) {
  if (bound.profile)
    return fmt::format(" in profile {}", policy.profiles[*bound.profile].name);
  std::string out;
  for (const ir::ScopeRef &ref : bound.scope) {
    out += out.empty() ? " on " : ", ";
    switch (ref.kind) {
    case ir::ScopeRef::Kind::Zone: out += "zone " + policy.zones[ref.id].name; break;
    case ir::ScopeRef::Kind::Host: out += "host " + policy.hosts[ref.id].name; break;
    case ir::ScopeRef::Kind::Profile: out += "profile " + policy.profiles[ref.id].name; break;
    }
  }
  return out;
}

} // namespace polc::analysis
