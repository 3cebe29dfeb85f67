// libFuzzer target over the front end: lex -> parse -> AST -> text and JSON rendering.
//
// The contract under test (from the issue): every input gets either diagnostics located at
// file:line:col or a clean parse; never a crash, a hang or a stack overflow. Crashes, hangs and
// sanitizer reports are found by libFuzzer itself; the invariants below catch the quieter bugs
// (a range outside the file or outside its AST item, a name whose range holds other text, an
// unreported failure, an address that does not round-trip, invalid JSON) and abort() so that
// libFuzzer records the input like any other crash.
#include "Literals.h" // compiler/syntax/src: to re-parse canonical literal spellings

#include "polc/diag/DiagnosticsEngine.h"
#include "polc/diag/Renderers.h"
#include "polc/syntax/Parser.h"

#include <llvm/Support/Casting.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <string_view>

namespace {

using namespace polc;
using diag::SourceRange;

// The error limit is taken from the input's length, so both paths get fuzzed: unlimited
// (`--max-errors=0`, where only the nesting guards bound error recovery) and the CLI's
// default of 20 (the lexer, parser and AST builder stopping early). Deterministic, so a
// reproducer behaves the same when rerun.
unsigned maxErrorsFor(std::size_t size) { return size % 2 == 0 ? 0 : 20; }
// Rendering is O(diagnostics x line length); an unlimited run on one long line would spend
// its time there rather than in the parser. Ranges are still checked for every diagnostic.
constexpr std::size_t kMaxRendered = 100;

[[noreturn]] void fail(const char *what, const std::string &detail = {}) {
  std::fprintf(stderr, "polc_fuzz_parse: invariant violated: %s %s\n", what, detail.c_str());
  std::abort();
}

struct Context {
  diag::FileID file;
  std::string_view src;
  std::uint32_t size;
};

std::string describe(const SourceRange &r) {
  return "[file " + std::to_string(r.file) + " " + std::to_string(r.begin) + ".." +
         std::to_string(r.end) + ")";
}

// A range names our one file and lies inside it: begin <= end <= size.
void checkRange(const Context &c, const SourceRange &r, const char *what) {
  if (r.file != c.file || r.begin > r.end || r.end > c.size)
    fail(what, describe(r) + " size " + std::to_string(c.size));
}

// Diagnostics that are not about a place in the file. Everything else must be located.
bool mayBeUnlocated(const diag::Diagnostic &d) { return d.id == diag::DiagID::TooManyErrors; }

void checkDiagnostics(const Context &c, const diag::DiagnosticsEngine &diags) {
  bool locatedError = false;
  for (const diag::Diagnostic &d : diags.diagnostics()) {
    if (d.code.empty() || d.message.empty())
      fail("diagnostic without code or message", d.message);
    if (d.range.valid()) {
      checkRange(c, d.range, "diagnostic range");
      if (d.severity == diag::Severity::Error)
        locatedError = true;
    } else if (!mayBeUnlocated(d)) {
      fail("diagnostic without a location", d.code + " " + d.message);
    }
    for (const diag::Label &l : d.labels)
      checkRange(c, l.range, "label range");
    for (const diag::Note &n : d.notes)
      if (n.range)
        checkRange(c, *n.range, "note range");
    if (d.fixit)
      checkRange(c, d.fixit->range, "fix-it range");
  }
  if (diags.hasErrors() && !locatedError)
    fail("errors reported but none has file:line:col");
}

// ---- the AST -------------------------------------------------------------------------------

class AstChecker {
public:
  AstChecker(const Context &c, bool clean) : c_(c), clean_(clean) {}

  void items(const std::vector<ast::ItemPtr> &list) {
    for (const auto &it : list)
      if (it)
        item(*it);
  }

private:
  // In a clean parse every node lies inside the item that holds it; after recovery, parts
  // conjured at the end of the file may not, so only the file bound is checked then.
  void range(const SourceRange &r, const char *what) {
    checkRange(c_, r, what);
    if (clean_ && parent_ && (r.begin < parent_->begin || r.end > parent_->end))
      fail(what, describe(r) + " outside its item " + describe(*parent_));
  }
  void ident(const ast::Ident &i) {
    range(i.range, "identifier range");
    if (clean_ && i.name.empty())
      fail("empty name after a clean parse", describe(i.range));
    // A name's range is where its text came from (diagnostics and fix-its rely on it).
    if (clean_ && c_.src.substr(i.range.begin, i.range.end - i.range.begin) != i.name)
      fail("identifier text differs from its range", i.name + " " + describe(i.range));
  }
  void qname(const ast::QualifiedName &q) {
    if (q.parts.empty() && !clean_)
      return; // recovery may leave a name out entirely
    range(q.range, "qualified name range");
    for (const auto &p : q.parts)
      ident(p);
    (void)q.str();
  }
  void scope(const std::vector<ast::ScopeTarget> &targets) {
    for (const auto &t : targets) {
      range(t.range, "scope range");
      qname(t.target);
    }
  }

  // A canonical spelling must parse back to the same value: this is what emitters print.
  void roundTrip(const ast::IPPrefix &p) {
    std::string text = p.str();
    diag::SourceManager sm;
    diag::FileID f = sm.addBuffer("roundtrip", text);
    diag::DiagnosticsEngine diags(sm);
    syntax::LiteralParser lp(diags, f);
    auto back = p.family == ast::AddressFamily::V4 ? lp.ipv4(text, 0) : lp.ipv6(text, 0);
    if (!back || back->family != p.family || back->bytes != p.bytes ||
        back->prefixLen != p.prefixLen || diags.hasErrors())
      fail("address does not round-trip through str()", text);
  }

  void value(const ast::Value *v) {
    if (!v)
      return;
    range(v->range, "value range");
    if (auto *a = llvm::dyn_cast<ast::AddressValue>(v))
      roundTrip(a->value);
    else if (auto *d = llvm::dyn_cast<ast::DateValue>(v))
      (void)d->value.str();
    else if (auto *n = llvm::dyn_cast<ast::NameValue>(v))
      qname(n->name);
    else if (auto *l = llvm::dyn_cast<ast::ListValue>(v))
      for (const auto &i : l->items)
        value(i.get());
    else if (auto *r = llvm::dyn_cast<ast::RangeValue>(v)) {
      // RangeValue promises sema two bounds of one orderable kind, even after recovery.
      auto orderable = [](const ast::Value *b) {
        return b && (b->kind == ast::Value::Kind::Int || b->kind == ast::Value::Kind::Duration ||
                     b->kind == ast::Value::Kind::Date);
      };
      if (!orderable(r->lo.get()) || !orderable(r->hi.get()) || r->lo->kind != r->hi->kind)
        fail("range value with missing, mixed or unordered bounds", describe(r->range));
      value(r->lo.get());
      value(r->hi.get());
    } else if (auto *call = llvm::dyn_cast<ast::CallValue>(v)) {
      ident(call->callee);
      for (const auto &a : call->args)
        value(a.get());
    }
  }

  void endpoint(const ast::Endpoint &e) {
    if (e.kind == ast::Endpoint::Kind::Name)
      qname(e.name);
    else if (e.kind == ast::Endpoint::Kind::Address && e.range.valid())
      roundTrip(e.address);
    for (const auto &m : e.members)
      endpoint(m);
  }
  void flow(const ast::FlowSpec &f) {
    if (!f.range.valid() && !clean_)
      return;
    range(f.range, "flow range");
    endpoint(f.src);
    endpoint(f.dst);
    value(f.service.get());
  }

  void item(const ast::Item &it) {
    range(it.range, "item range");
    const SourceRange *outer = parent_;
    parent_ = &it.range;
    itemParts(it);
    parent_ = outer;
  }

  void itemParts(const ast::Item &it) {
    (void)ast::itemKindName(it.kind);
    if (auto *d = llvm::dyn_cast<ast::Decl>(&it)) {
      // A setting's name is its dotted path joined without the spaces the source may hold;
      // its parts are checked through `setting` below.
      if (!llvm::isa<ast::SettingDecl>(d))
        ident(d->name);
      items(d->members);
    }
    if (auto *s = llvm::dyn_cast<ast::Section>(&it)) {
      items(s->items);
    } else if (auto *svc = llvm::dyn_cast<ast::ServiceDecl>(&it)) {
      for (const auto &p : svc->ports)
        value(p.get());
    } else if (auto *set = llvm::dyn_cast<ast::SettingDecl>(&it)) {
      value(set->type.domain.get());
      qname(set->setting);
    } else if (auto *ep = llvm::dyn_cast<ast::EndpointProfileDecl>(&it)) {
      scope(ep->scope);
    } else if (auto *ex = llvm::dyn_cast<ast::ExceptionDecl>(&it)) {
      value(ex->until.get());
    } else if (auto *p = llvm::dyn_cast<ast::Property>(&it)) {
      ident(p->name);
      for (const auto &v : p->values)
        value(v.get());
    } else if (auto *i = llvm::dyn_cast<ast::InterfaceDecl>(&it)) {
      qname(i->zone);
      items(i->members);
    } else if (auto *f = llvm::dyn_cast<ast::FlowStmt>(&it)) {
      flow(f->flow);
      for (const auto &q : f->sanitizers)
        qname(q);
    } else if (auto *rf = llvm::dyn_cast<ast::RequireFlowStmt>(&it)) {
      flow(rf->flow);
      scope(rf->scope);
    } else if (auto *cs = llvm::dyn_cast<ast::ConstraintStmt>(&it)) {
      qname(cs->setting);
      value(cs->value.get());
      scope(cs->scope);
      (void)ast::compareOpSpelling(cs->op);
    } else if (auto *st = llvm::dyn_cast<ast::SetStmt>(&it)) {
      qname(st->setting);
      value(st->value.get());
      scope(st->scope);
    } else if (auto *ck = llvm::dyn_cast<ast::CheckStmt>(&it)) {
      if (ck->owner)
        qname(*ck->owner);
      value(ck->every.get());
    } else if (auto *e = llvm::dyn_cast<ast::ExpectStmt>(&it)) {
      if (e->setting) { // the setting form holds a constraint, checked like a `require`'s
        qname(e->setting->setting);
        value(e->setting->value.get());
        scope(e->setting->scope);
      } else {
        flow(e->flow);
      }
    }
  }

  const Context &c_;
  bool clean_;
  const SourceRange *parent_ = nullptr;
};

// ---- rendering -------------------------------------------------------------------------------

// A minimal JSON syntax check: the renderer's output must be one valid JSON document.
class JsonValidator {
public:
  explicit JsonValidator(std::string_view s) : s_(s) {}
  bool valid() {
    ws();
    if (!value(0))
      return false;
    ws();
    return i_ == s_.size();
  }

private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
      ++i_;
  }
  bool lit(std::string_view w) {
    if (s_.substr(i_, w.size()) != w)
      return false;
    i_ += w.size();
    return true;
  }
  bool string() {
    if (!lit("\""))
      return false;
    while (i_ < s_.size()) {
      auto c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"')
        return true;
      if (c < 0x20)
        return false;
      if (c == '\\') {
        if (i_ >= s_.size())
          return false;
        char e = s_[i_++];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k, ++i_)
            if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_])))
              return false;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool number() {
    std::size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-')
      ++i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])))
      ++i_;
    return i_ > start;
  }
  bool value(int depth) {
    if (depth > 32 || i_ >= s_.size())
      return false;
    char c = s_[i_];
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++i_;
      ws();
      if (lit(std::string_view(&close, 1)))
        return true;
      for (;;) {
        ws();
        if (c == '{') {
          if (!string())
            return false;
          ws();
          if (!lit(":"))
            return false;
          ws();
        }
        if (!value(depth + 1))
          return false;
        ws();
        if (lit(","))
          continue;
        return lit(std::string_view(&close, 1));
      }
    }
    if (c == '"')
      return string();
    if (lit("true") || lit("false") || lit("null"))
      return true;
    return number();
  }
  std::string_view s_;
  std::size_t i_ = 0;
};

bool validUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size())
      return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
        return false;
    i += n;
  }
  return true;
}

void checkRendering(const diag::SourceManager &sm, const diag::DiagnosticsEngine &diags) {
  const auto &all = diags.diagnostics();
  const std::vector<diag::Diagnostic> shown(all.begin(),
                                            all.begin() + std::min(all.size(), kMaxRendered));
  std::ostringstream text, color, json;
  try {
    diag::TextOptions plain;
    diag::renderText(text, sm, shown, plain);
    diag::TextOptions narrow;
    narrow.color = true;
    narrow.maxSnippetWidth = 20; // exercises the line-cutting window
    narrow.tabWidth = 8;
    diag::renderText(color, sm, shown, narrow);
    diag::renderJson(json, sm, shown);
  } catch (const std::exception &e) {
    fail("a renderer threw", e.what());
  } catch (...) {
    fail("a renderer threw a non-standard exception");
  }
  if (!JsonValidator(json.str()).valid())
    fail("renderJson wrote invalid JSON", json.str());
  // The source is valid UTF-8 whenever a snippet is drawn (the lexer stops at the first bad
  // byte), and the renderer escapes what it cannot show, so the text must be UTF-8 too.
  if (!validUtf8(json.str()) || !validUtf8(text.str()))
    fail("rendered output is not UTF-8");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  diag::SourceManager sm;
  diag::FileID file = sm.addBuffer("fuzz.pol", std::string(reinterpret_cast<const char *>(data), size));
  diag::DiagnosticsEngine diags(sm);
  diags.setMaxErrors(maxErrorsFor(size));
  Context c{file, sm.contents(file), static_cast<std::uint32_t>(size)};

  std::unique_ptr<ast::File> ast;
  try {
    ast = syntax::parseFile(file, sm, diags);
  } catch (const std::exception &e) {
    fail("parseFile threw", e.what());
  }
  if (!ast && !diags.hasErrors())
    fail("parseFile returned null without reporting an error");
  checkDiagnostics(c, diags);
  if (ast) {
    if (ast->file != file)
      fail("AST names the wrong file");
    AstChecker(c, !diags.hasErrors()).items(ast->items);
  }
  checkRendering(sm, diags);
  return 0;
}
