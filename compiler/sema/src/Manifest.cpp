#include "polc/sema/Project.h"

#include "Suggest.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace polc::sema {

using diag::DiagID;
using diag::SourceRange;

namespace {

constexpr std::string_view kKeys[] = {"policy", "entries", "layers", "outputs", "stdlib",
                                      "module_paths", "tests"};
constexpr std::string_view kOutputs[] = {"firewall", "endpoint", "checklist", "document",
                                         "report"};

class ManifestReader {
public:
  ManifestReader(diag::FileID file, const diag::SourceManager &sources,
                 diag::DiagnosticsEngine &diags)
      : file_(file), src_(sources.contents(file)), diags_(diags) {}

  std::optional<Manifest> read() {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(src_));
    } catch (const YAML::ParserException &e) {
      diags_.report(DiagID::ManifestSyntax, at(e.mark), e.msg);
      return std::nullopt;
    }
    Manifest m;
    m.file = file_;
    if (!root.IsMap()) {
      diags_.report(DiagID::ManifestWrongType, SourceRange{file_, 0, 0}, "the document",
                    "a mapping of keys (policy:, entries:, ...)");
      return std::nullopt;
    }
    bool ok = true;
    for (const auto &kv : root) {
      std::string key = kv.first.Scalar();
      const YAML::Node &value = kv.second;
      if (key == "policy")
        ok &= scalar(key, value, m.policy);
      else if (key == "stdlib")
        ok &= scalar(key, value, m.stdlib);
      else if (key == "entries")
        ok &= list(key, value, m.entries);
      else if (key == "layers")
        ok &= list(key, value, m.layers);
      else if (key == "outputs")
        ok &= list(key, value, m.outputs);
      else if (key == "module_paths")
        ok &= list(key, value, m.modulePaths);
      else if (key == "tests")
        ok &= list(key, value, m.tests);
      else {
        auto d = diags_.report(DiagID::ManifestUnknownKey, rangeOf(kv.first), key);
        if (auto best = closestMatch(key, std::vector<std::string_view>(std::begin(kKeys), std::end(kKeys))))
          d.help(DiagID::NoteDidYouMean, *best);
        ok = false;
      }
    }
    for (const auto &o : m.outputs) {
      if (std::find(std::begin(kOutputs), std::end(kOutputs), o.value) == std::end(kOutputs)) {
        auto d = diags_.report(DiagID::ManifestUnknownOutput, o.range, o.value);
        if (auto best = closestMatch(o.value, std::vector<std::string_view>(std::begin(kOutputs), std::end(kOutputs))))
          d.help(DiagID::NoteDidYouMean, *best);
        ok = false;
      }
    }
    if (!m.policy) {
      diags_.report(DiagID::ManifestMissingKey, SourceRange{file_, 0, 0}, "policy");
      ok = false;
    }
    if (m.entries.empty()) {
      diags_.report(DiagID::ManifestMissingKey, SourceRange{file_, 0, 0}, "entries");
      ok = false;
    }
    std::set<std::string> seen;
    for (const auto &e : m.entries)
      if (!seen.insert(e.value).second) {
        diags_.report(DiagID::DuplicateEntry, e.range, e.value);
        ok = false;
      }
    if (!ok)
      return std::nullopt;
    return m;
  }

private:
  SourceRange at(const YAML::Mark &mark) const {
    auto size = static_cast<std::uint32_t>(src_.size());
    auto pos = mark.pos < 0 ? 0u : std::min(static_cast<std::uint32_t>(mark.pos), size);
    return {file_, pos, pos};
  }
  SourceRange rangeOf(const YAML::Node &node) const {
    SourceRange r = at(node.Mark());
    if (node.IsScalar()) {
      std::string_view rest = src_.substr(r.begin);
      // A plain scalar (a key, or `basic.pol`) is exactly its text: stop before `: [...]`.
      if (!node.Scalar().empty() && rest.substr(0, node.Scalar().size()) == node.Scalar()) {
        r.end = r.begin + static_cast<std::uint32_t>(node.Scalar().size());
        return r;
      }
      // A quoted scalar's text starts one byte later than its mark; cover the token either way.
      std::size_t len = rest.find_first_of("\n,]}#");
      len = len == std::string_view::npos ? rest.size() : len;
      while (len > 0 && (rest[len - 1] == ' ' || rest[len - 1] == '\r'))
        --len;
      r.end = r.begin + static_cast<std::uint32_t>(len);
    }
    return r;
  }

  bool scalar(const std::string &key, const YAML::Node &node, std::optional<NamedPath> &out) {
    if (!node.IsScalar()) {
      diags_.report(DiagID::ManifestWrongType, rangeOf(node), key, "a string");
      return false;
    }
    out = NamedPath{node.Scalar(), rangeOf(node)};
    return true;
  }
  bool list(const std::string &key, const YAML::Node &node, std::vector<NamedPath> &out) {
    if (!node.IsSequence()) {
      diags_.report(DiagID::ManifestWrongType, rangeOf(node), key, "a list of strings");
      return false;
    }
    bool ok = true;
    for (const auto &item : node) {
      if (!item.IsScalar()) {
        diags_.report(DiagID::ManifestWrongType, rangeOf(item), key, "a list of strings");
        ok = false;
        continue;
      }
      out.push_back({item.Scalar(), rangeOf(item)});
    }
    return ok;
  }

  diag::FileID file_;
  std::string_view src_;
  diag::DiagnosticsEngine &diags_;
};

} // namespace

std::optional<Manifest> readManifest(diag::FileID file, const diag::SourceManager &sources,
                                     diag::DiagnosticsEngine &diags) {
  return ManifestReader(file, sources, diags).read();
}

} // namespace polc::sema
