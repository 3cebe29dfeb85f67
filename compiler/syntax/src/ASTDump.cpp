#include "polc/syntax/ASTDump.h"

#include <fmt/format.h>

#include <llvm/Support/Casting.h>

namespace polc::ast {

namespace {

// One line per node, indented by depth. Strings are escaped so a value holding a line break
// cannot imitate another node.
class Dumper {
public:
  std::string take() { return std::move(out_); }

  void items(const std::vector<ItemPtr> &list) {
    for (const ItemPtr &i : list)
      item(*i);
  }

private:
  void line(const std::string &text) {
    out_.append(2 * depth_, ' ');
    out_ += text;
    out_ += '\n';
  }
  static std::string quote(const std::string &s) {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\')
        q += '\\';
      if (c == '\n')
        q += "\\n";
      else if (c == '\r')
        q += "\\r";
      else
        q += c;
    }
    return q + '"';
  }
  static std::string opt(const std::optional<std::string> &s) { return s ? quote(*s) : "-"; }
  static std::string opt(const std::optional<Ident> &s) { return s ? s->name : "-"; }
  static std::string opt(const std::optional<QualifiedName> &s) { return s ? s->str() : "-"; }
  static std::string idents(const std::vector<Ident> &ids) {
    std::string s;
    for (const Ident &i : ids)
      s += (s.empty() ? "" : ",") + i.name;
    return s;
  }

  struct Nest {
    explicit Nest(Dumper &d) : d(d) { ++d.depth_; }
    ~Nest() { --d.depth_; }
    Dumper &d;
  };

  std::string value(const Value *v) {
    if (!v)
      return "-";
    switch (v->kind) {
    case Value::Kind::Int: return fmt::format("int:{}", llvm::cast<IntValue>(v)->value);
    case Value::Kind::Bool: return llvm::cast<BoolValue>(v)->value ? "true" : "false";
    case Value::Kind::String: return "str:" + quote(llvm::cast<StringValue>(v)->value);
    case Value::Kind::Duration: return fmt::format("dur:{}s", llvm::cast<DurationValue>(v)->seconds);
    case Value::Kind::Date: return "date:" + llvm::cast<DateValue>(v)->value.str();
    case Value::Kind::Address: return "addr:" + llvm::cast<AddressValue>(v)->value.str();
    case Value::Kind::Port: {
      const PortSpec &p = llvm::cast<PortValue>(v)->value;
      return fmt::format("port:{}/{}-{}", protocolName(p.protocol), p.lo, p.hi);
    }
    case Value::Kind::Protocol: return fmt::format("proto:{}", protocolName(llvm::cast<ProtocolValue>(v)->value));
    case Value::Kind::Level: return "level:" + llvm::cast<LevelValue>(v)->text;
    case Value::Kind::Any: return "any";
    case Value::Kind::Name: return "name:" + llvm::cast<NameValue>(v)->name.str();
    case Value::Kind::List: {
      std::string s = "[";
      for (const ValuePtr &i : llvm::cast<ListValue>(v)->items)
        s += (s.size() > 1 ? ", " : "") + value(i.get());
      return s + "]";
    }
    case Value::Kind::Range: {
      const auto *r = llvm::cast<RangeValue>(v);
      return value(r->lo.get()) + ".." + value(r->hi.get());
    }
    case Value::Kind::Call: {
      const auto *c = llvm::cast<CallValue>(v);
      std::string s = c->callee.name + "(";
      for (std::size_t i = 0; i < c->args.size(); ++i)
        s += (i ? ", " : "") + value(c->args[i].get());
      return s + ")";
    }
    }
    return "?";
  }
  std::string values(const std::vector<ValuePtr> &vs) {
    std::string s;
    for (const ValuePtr &v : vs)
      s += (s.empty() ? "" : ", ") + value(v.get());
    return s;
  }
  std::string endpoint(const Endpoint &e) {
    std::string s = e.negated ? "!" : "";
    switch (e.kind) {
    case Endpoint::Kind::Any: return s + "any";
    case Endpoint::Kind::Name: return s + e.name.str();
    case Endpoint::Kind::Address: return s + e.address.str();
    case Endpoint::Kind::Group: {
      s += "[";
      for (std::size_t i = 0; i < e.members.size(); ++i)
        s += (i ? ", " : "") + endpoint(e.members[i]);
      return s + "]";
    }
    }
    return "?";
  }
  std::string flow(const FlowSpec &f) {
    return endpoint(f.src) + (f.direction == FlowDirection::Both ? " <-> " : " -> ") +
           endpoint(f.dst) + " service " + value(f.service.get());
  }
  std::string scope(const std::vector<ScopeTarget> &targets) {
    std::string s;
    for (const ScopeTarget &t : targets)
      s += (s.empty() ? " on " : ", ") + t.kind.name + " " + t.target.str();
    return s;
  }
  std::string clauses(const std::optional<QualifiedName> &owner, const std::vector<Ident> &methods,
                      const Value *every, const std::optional<Ident> &category,
                      const std::optional<std::string> &evidence) {
    return fmt::format(" owner={} methods={} every={} category={} evidence={}", opt(owner),
                       idents(methods), value(every), opt(category), opt(evidence));
  }

  void decl(const Decl &d, const std::string &head) {
    line(fmt::format("{} {} title={} refine={} body={}{}", itemKindName(d.kind), d.name.name,
                     opt(d.title), d.refine, d.hasBody, head));
    Nest n(*this);
    items(d.members);
  }

  void item(const Item &i) {
    using K = Item::Kind;
    switch (i.kind) {
    case K::PolicyHeader: {
      const auto &h = llvm::cast<PolicyHeader>(i);
      return line(fmt::format("policy {} {} version={}", h.name.name, quote(h.title), opt(h.version)));
    }
    case K::LayerHeader: {
      const auto &h = llvm::cast<LayerHeader>(i);
      return line(fmt::format("layer {} title={} visibility={} refines={}", h.name.name, opt(h.title),
                              opt(h.visibilityIdent), opt(h.refines)));
    }
    case K::Import: {
      const auto &h = llvm::cast<Import>(i);
      return line(fmt::format("import {} as={}", h.module.str(), opt(h.alias)));
    }
    case K::LayerOrder: return line("layers " + idents(llvm::cast<LayerOrder>(i).layers));
    case K::Section: {
      const auto &s = llvm::cast<Section>(i);
      line(fmt::format("section {} title={}", quote(s.number), opt(s.title)));
      Nest n(*this);
      return items(s.items);
    }
    case K::Host: {
      const auto &h = llvm::cast<HostDecl>(i);
      return decl(h, " in=" + opt(h.zone));
    }
    case K::Service: {
      const auto &s = llvm::cast<ServiceDecl>(i);
      return decl(s, " = " + values(s.ports));
    }
    case K::Role: {
      const auto &r = llvm::cast<RoleDecl>(i);
      return decl(r, r.authority ? fmt::format(" authority={}", *r.authority) : std::string(" authority=-"));
    }
    case K::Classification: {
      const auto &c = llvm::cast<ClassificationDecl>(i);
      std::string head;
      for (const ClassificationLevel &l : c.levels)
        head += fmt::format(" level({} {})", l.name.name, opt(l.title));
      for (const auto &chain : c.orders)
        head += " order(" + idents(chain) + ")";
      return decl(c, head);
    }
    case K::Setting: {
      const auto &s = llvm::cast<SettingDecl>(i);
      return decl(s, fmt::format(" setting={} type={}({}) domain={}", s.setting.str(), s.type.name.name,
                                 idents(s.type.args), value(s.type.domain.get())));
    }
    case K::Firewall: return decl(llvm::cast<FirewallDecl>(i), " platform=" + llvm::cast<FirewallDecl>(i).platform.name);
    case K::EndpointProfile: {
      const auto &p = llvm::cast<EndpointProfileDecl>(i);
      return decl(p, " platform=" + p.platform.name + scope(p.scope));
    }
    case K::Exception: {
      const auto &e = llvm::cast<ExceptionDecl>(i);
      return decl(e, fmt::format(" approved_by={} requested_by={} until={}{}", opt(e.approvedBy),
                                 opt(e.requestedBy), value(e.until.get()), scope(e.scope)));
    }
    case K::Glossary:
      return decl(llvm::cast<GlossaryDecl>(i),
                  fmt::format(" category={}", static_cast<int>(llvm::cast<GlossaryDecl>(i).category)));
    case K::Zone:
    case K::Asset: return decl(llvm::cast<Decl>(i), "");
    case K::Property: {
      const auto &p = llvm::cast<Property>(i);
      return line("property " + p.name.name + " " + values(p.values));
    }
    case K::Interface: {
      const auto &f = llvm::cast<InterfaceDecl>(i);
      line("interface " + f.name.name + " zone " + f.zone.str());
      Nest n(*this);
      return items(f.members);
    }
    case K::Text: return line("text " + quote(llvm::cast<TextStmt>(i).text));
    case K::Flow: {
      const auto &f = llvm::cast<FlowStmt>(i);
      std::string via;
      for (const QualifiedName &s : f.sanitizers)
        via += (via.empty() ? "" : ",") + s.str();
      return line(fmt::format("{} {} unless={}({})", f.action == FlowAction::Allow ? "allow" : "deny",
                              flow(f.flow), f.sanitizerKind, via));
    }
    case K::RequireFlow: {
      const auto &r = llvm::cast<RequireFlowStmt>(i);
      return line("require flow " + flow(r.flow) + scope(r.scope));
    }
    case K::Constraint: {
      const auto &c = llvm::cast<ConstraintStmt>(i);
      return line(fmt::format("require {} {} {}{}", c.setting.str(), compareOpSpelling(c.op),
                              value(c.value.get()), scope(c.scope)));
    }
    case K::Set: {
      const auto &s = llvm::cast<SetStmt>(i);
      std::string attested;
      if (s.attested)
        attested = clauses(s.attested->owner, s.attested->methods, s.attested->every.get(),
                           s.attested->category, s.attested->evidence);
      return line(fmt::format("{} {} = {}{}{}", s.attested ? "attest" : "set", s.setting.str(),
                              value(s.value.get()), scope(s.scope), attested));
    }
    case K::Check: {
      const auto &c = llvm::cast<CheckStmt>(i);
      return line("check " + c.checkKind.name + " " + quote(c.text) +
                  clauses(c.owner, c.methods, c.every.get(), c.category, c.evidence));
    }
    case K::Expect: {
      const auto &e = llvm::cast<ExpectStmt>(i);
      if (e.setting) {
        const ConstraintStmt &c = *e.setting;
        return line(fmt::format("expect {} {} {}{}", c.setting.str(), compareOpSpelling(c.op),
                                value(c.value.get()), scope(c.scope)));
      }
      return line(fmt::format("expect {} {}", e.action == FlowAction::Allow ? "allow" : "deny", flow(e.flow)));
    }
    case K::Revision: {
      const auto &r = llvm::cast<Revision>(i);
      return line(fmt::format("revision {} {} version={} approved_by={}", r.date.str(), quote(r.summary),
                              opt(r.version), opt(r.approvedBy)));
    }
    case K::Accept: {
      const auto &a = llvm::cast<AcceptStmt>(i);
      return line("accept " + a.acceptKind.name + " " + a.target.str());
    }
    }
  }

  std::string out_;
  unsigned depth_ = 0;
};

} // namespace

std::string dumpStructure(const File &file) {
  Dumper d;
  d.items(file.items);
  return d.take();
}

} // namespace polc::ast
