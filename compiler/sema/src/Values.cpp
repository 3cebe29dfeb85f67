// Setting constraints (`require`) and values (`set`) against their setting's type and domain.
#include "SemaImpl.h"
#include "Suggest.h"

#include <llvm/Support/Casting.h>

namespace polc::sema {

using diag::DiagID;
using namespace ast;

std::string describeValueKind(const Value &v) {
  switch (v.kind) {
  case Value::Kind::Int: return "an integer";
  case Value::Kind::Bool: return "a boolean";
  case Value::Kind::String: return "a string";
  case Value::Kind::Duration: return "a duration";
  case Value::Kind::Date: return "a date";
  case Value::Kind::Address: return "an address";
  case Value::Kind::Port: return "a port";
  case Value::Kind::Protocol: return "a protocol";
  case Value::Kind::Level: return "a classification level";
  case Value::Kind::Any: return "`any`";
  case Value::Kind::Name: return fmt::format("the name `{}`", llvm::cast<NameValue>(v).name.str());
  case Value::Kind::List: return "a list";
  case Value::Kind::Range: return "a range";
  case Value::Kind::Call: return "a call";
  }
  return "a value";
}

namespace {

int compare(const TypedValue &a, const TypedValue &b) {
  if (a.kind == TypedValue::Kind::Date)
    return a.date < b.date ? -1 : (b.date < a.date ? 1 : 0);
  return a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
}

} // namespace

bool Sema::inDomain(const TypedValue &v, const SettingType &type) const {
  if (!type.lo || !type.hi)
    return true;
  return compare(*type.lo, v) <= 0 && compare(v, *type.hi) <= 0;
}

std::optional<TypedValue> Sema::levelValue(const Value &value, const Lattice &lattice) {
  std::string text;
  if (auto *l = llvm::dyn_cast<LevelValue>(&value))
    text = l->text;
  else if (auto *i = llvm::dyn_cast<IntValue>(&value))
    text = std::to_string(i->value);
  else if (auto *n = llvm::dyn_cast<NameValue>(&value); n && n->name.parts.size() == 1)
    text = n->name.parts[0].name;
  else {
    diags_.report(DiagID::TypeMismatch, value.range, lattice.symbol->name,
                  fmt::format("a level of `{}`", lattice.symbol->name), describeValueKind(value));
    return std::nullopt;
  }
  auto index = lattice.indexOf(text);
  if (!index) {
    auto d = diags_.report(DiagID::UnknownLevel, value.range, text, lattice.symbol->name);
    if (auto best = closestMatch(text, lattice.levels))
      d.help(DiagID::NoteDidYouMean, *best);
    return std::nullopt;
  }
  TypedValue tv;
  tv.kind = TypedValue::Kind::Level;
  tv.number = static_cast<std::int64_t>(*index);
  tv.text = text;
  return tv;
}

std::optional<TypedValue> Sema::typeValue(const Value &value, const SettingType &type,
                                          const Symbol &setting, bool checkDomain,
                                          const Unit &from) {
  using K = SettingType::Kind;
  TypedValue tv;
  auto mismatch = [&] {
    diags_.report(DiagID::TypeMismatch, value.range, setting.name, type.describe(),
                  describeValueKind(value))
        .note(setting.decl->name.range, DiagID::NoteSettingDeclaredHere, setting.name, type.describe());
    return std::nullopt;
  };
  switch (type.kind) {
  case K::Int:
    if (auto *i = llvm::dyn_cast<IntValue>(&value)) {
      tv.kind = TypedValue::Kind::Int;
      tv.number = i->value;
      break;
    }
    return mismatch();
  case K::Duration:
    if (auto *d = llvm::dyn_cast<DurationValue>(&value)) {
      tv.kind = TypedValue::Kind::Duration;
      tv.number = d->seconds;
      break;
    }
    return mismatch();
  case K::Bool:
    if (auto *b = llvm::dyn_cast<BoolValue>(&value)) {
      tv.kind = TypedValue::Kind::Bool;
      tv.boolean = b->value;
      break;
    }
    return mismatch();
  case K::String:
    if (auto *s = llvm::dyn_cast<StringValue>(&value)) {
      tv.kind = TypedValue::Kind::String;
      tv.text = s->value;
      break;
    }
    return mismatch();
  case K::Date:
    if (auto *d = llvm::dyn_cast<DateValue>(&value)) {
      tv.kind = TypedValue::Kind::Date;
      tv.date = d->value;
      break;
    }
    return mismatch();
  case K::Enum: {
    auto *n = llvm::dyn_cast<NameValue>(&value);
    if (!n || n->name.parts.size() != 1)
      return mismatch();
    const std::string &member = n->name.parts[0].name;
    auto it = std::find(type.members.begin(), type.members.end(), member);
    if (it == type.members.end()) {
      std::string all;
      for (std::size_t i = 0; i < type.members.size(); ++i)
        all += (i ? ", " : "") + type.members[i];
      auto d = diags_.report(DiagID::UnknownEnumMember, value.range, member, setting.name, all);
      if (auto best = closestMatch(member, type.members))
        d.help(DiagID::NoteDidYouMean, *best);
      return std::nullopt;
    }
    tv.kind = TypedValue::Kind::Enum;
    tv.number = it - type.members.begin();
    tv.text = member;
    break;
  }
  case K::Level:
    if (!type.lattice)
      return std::nullopt;
    return levelValue(value, *type.lattice);
  case K::Role: {
    auto *n = llvm::dyn_cast<NameValue>(&value);
    if (!n)
      return mismatch();
    // lookup reports an unknown or ambiguous name itself.
    const Symbol *role = lookup(n->name, from, {SymbolKind::Role}, "a role");
    if (!role)
      return std::nullopt;
    tv.kind = TypedValue::Kind::Role;
    tv.text = role->name;
    tv.number = llvm::cast<RoleDecl>(*role->decl).authority.value_or(0);
    break;
  }
  }
  if (checkDomain && !inDomain(tv, type)) {
    diags_.report(DiagID::OutOfDomain, value.range, tv.str(), setting.name,
                  fmt::format("{}..{}", type.lo->str(), type.hi->str()))
        .note(setting.decl->name.range, DiagID::NoteSettingDeclaredHere, setting.name, type.describe());
    return std::nullopt;
  }
  return tv;
}

void Sema::checkConstraint(const Unit &unit, const ConstraintStmt &c) {
  checkScope(unit, c.scope);
  const Symbol *setting = lookupSetting(c.setting, unit);
  if (!setting || !p_.settingTypes.count(setting) || !c.value)
    return;
  const SettingType &type = p_.settingTypes.at(setting);
  p_.settingOf[&c] = setting;
  using K = SettingType::Kind;
  bool ordered = type.kind == K::Int || type.kind == K::Duration || type.kind == K::Date ||
                 type.kind == K::Level || type.kind == K::Role;
  bool isOrderOp = c.op == CompareOp::Lt || c.op == CompareOp::Le || c.op == CompareOp::Gt ||
                   c.op == CompareOp::Ge;
  if (isOrderOp && !ordered) {
    std::string_view hint = type.kind == K::Bool ? "a bool setting is compared with == or !="
                            : type.kind == K::Enum
                                ? "compare an enum setting with == or with `in [a, b]`"
                                : "compare it with == or `in [...]`";
    diags_.report(DiagID::OperatorType, c.opRange, compareOpSpelling(c.op),
                  type.kind == K::Bool ? "bool" : type.kind == K::Enum ? "enum" : "string", hint)
        .note(setting->decl->name.range, DiagID::NoteSettingDeclaredHere, setting->name,
              type.describe());
    return;
  }

  TypedOperand operand;
  bool membership = c.op == CompareOp::In || c.op == CompareOp::NotIn;
  if (membership) {
    if (auto *list = llvm::dyn_cast<ListValue>(c.value.get())) {
      operand.shape = TypedOperand::Shape::List;
      for (const auto &item : list->items)
        if (auto tv = typeValue(*item, type, *setting, true, unit)) {
          p_.typedValues[item.get()] = *tv;
          operand.values.push_back(*tv);
        } else
          return;
    } else if (auto *range = llvm::dyn_cast<RangeValue>(c.value.get())) {
      if (!ordered) {
        diags_.report(DiagID::OperatorType, c.opRange, "in lo..hi",
                      type.kind == K::Bool ? "bool" : type.kind == K::Enum ? "enum" : "string",
                      "list the allowed values instead: `in [a, b]`");
        return;
      }
      operand.shape = TypedOperand::Shape::Range;
      for (const Value *bound : {range->lo.get(), range->hi.get()})
        if (auto tv = typeValue(*bound, type, *setting, false, unit)) {
          p_.typedValues[bound] = *tv;
          operand.values.push_back(*tv);
        } else
          return;
    } else {
      diags_.report(DiagID::TypeMismatch, c.value->range, setting->name,
                    "a list `[a, b]` or a range `lo..hi` after `in`", describeValueKind(*c.value));
      return;
    }
  } else {
    // A comparison bound may lie outside the domain (then it is just loose), but not an
    // equality: `== 200` on a 1..128 setting can never hold.
    bool equality = c.op == CompareOp::Eq || c.op == CompareOp::Ne;
    auto tv = typeValue(*c.value, type, *setting, equality, unit);
    if (!tv)
      return;
    p_.typedValues[c.value.get()] = *tv;
    operand.values.push_back(*tv);
  }
  p_.operands[&c] = std::move(operand);
}

void Sema::checkSet(const Unit &unit, const SetStmt &s) {
  checkScope(unit, s.scope);
  const Symbol *setting = lookupSetting(s.setting, unit);
  if (!setting || !p_.settingTypes.count(setting) || !s.value)
    return;
  p_.settingOf[&s] = setting;
  if (llvm::isa<ListValue>(s.value.get()) || llvm::isa<RangeValue>(s.value.get())) {
    diags_.report(DiagID::SetNeedsOneValue, s.value->range, describeValueKind(*s.value));
    return;
  }
  auto tv = typeValue(*s.value, p_.settingTypes.at(setting), *setting, true, unit);
  if (!tv)
    return;
  p_.typedValues[s.value.get()] = *tv;
  TypedOperand operand;
  operand.values.push_back(*tv);
  p_.operands[&s] = std::move(operand);
}

} // namespace polc::sema
