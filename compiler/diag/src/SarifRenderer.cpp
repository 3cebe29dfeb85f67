// SARIF 2.1.0 output, for GitHub code scanning and the VS Code SARIF viewer.
//
// Shape, and why:
// - rules: one reportingDescriptor per code that occurs, sorted by code. GitHub code scanning
//   wants the rules of the results it receives, and a full catalogue would put ~150 unused
//   rules in every upload.
// - columns are UTF-16 code units (SARIF's default columnKind, stated explicitly), computed by
//   the SourceManager exactly as for the JSON renderer's utf16Column; byteOffset/byteLength
//   carry the exact range.
// - notes with a location become relatedLocations (with ids) and are also linked from the
//   message text ("[file:line:col](id)"), which is how GitHub shows related locations. Notes
//   without a location (the witness, "treated as an error because of --werror") are lines of
//   the message text, so every viewer shows them.
// - the help that the rule already states is not repeated; a help specialised for this result
//   (formatted arguments, "did you mean ...?") is a line of the message.
#include "RenderCommon.h"
#include "polc/diag/JsonWriter.h"
#include "polc/diag/Renderers.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace polc::diag {

namespace {

using detail::isKnown;

// The OASIS-published schema of SARIF 2.1.0 (with errata 01).
constexpr std::string_view kSchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
// Relative paths are relative to the directory polc ran in; its absolute path is left out so
// that the log does not depend on where the checkout lives.
constexpr std::string_view kSrcRoot = "%SRCROOT%";
constexpr std::string_view kDocsPath = "docs/diagnostics.md";

// fmt's "{{" and "}}" are an implementation detail; rule texts show single braces, as
// docs/diagnostics.md does.
std::string unescapeBraces(std::string_view tmpl) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    out += tmpl[i];
    if ((tmpl[i] == '{' || tmpl[i] == '}') && i + 1 < tmpl.size() && tmpl[i + 1] == tmpl[i])
      ++i;
  }
  return out;
}

// SARIF 3.11.6: in message text "[...](...)" is an embedded link, so literal brackets are
// escaped with a backslash.
std::string escapeMessage(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '[' || c == ']')
      out += '\\';
    out += c;
  }
  return out;
}

std::string_view levelName(Severity s) {
  switch (s) {
  case Severity::Note: return "note";
  case Severity::Warning: return "warning";
  case Severity::Error:
  case Severity::Fatal: return "error";
  }
  return "error";
}

// RFC 3986: a path becomes a URI reference with every byte but the unreserved characters and
// '/' percent-encoded (so a ':' cannot read as a scheme, and non-ASCII names stay valid).
std::string encodePath(std::string_view path) {
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain)
      out += ch;
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// FNV-1a, 64 bits: stable across platforms and releases, unlike std::hash.
std::uint64_t fnv1a(std::string_view data, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos)
    return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// What the whole log refers to: the artifacts (files with a located range) and the rules.
struct Context {
  const SourceManager &sm;
  Lang lang;
  std::map<FileID, std::size_t> artifactIndex; // FileID -> index in run.artifacts
  std::vector<const DiagInfo *> rules;         // sorted by code
  std::map<std::string, std::size_t, std::less<>> ruleIndex;

  bool isAbsolute(FileID f) const { return !sm.name(f).empty() && sm.name(f)[0] == '/'; }
  std::string uri(FileID f) const {
    return isAbsolute(f) ? "file://" + encodePath(sm.name(f)) : encodePath(sm.name(f));
  }
};

const DiagInfo *catalogueEntry(std::string_view code, Lang lang) {
  static const auto index = [](Lang l) {
    std::map<std::string_view, const DiagInfo *> m;
    for (const DiagInfo &info : allDiagInfos(l))
      if (!info.code.empty())
        m.emplace(info.code, &info);
    return m;
  };
  static const std::map<std::string_view, const DiagInfo *> english = index(Lang::En);
  static const std::map<std::string_view, const DiagInfo *> japanese = index(Lang::Ja);
  const auto &byCode = lang == Lang::Ja ? japanese : english;
  const auto it = byCode.find(code);
  return it == byCode.end() ? nullptr : it->second;
}

Context buildContext(const SourceManager &sm, const std::vector<Diagnostic> &diags, Lang lang) {
  Context cx{sm, lang, {}, {}, {}};
  std::vector<FileID> files;
  auto use = [&](const SourceRange &r) {
    if (isKnown(sm, r))
      files.push_back(r.file);
  };
  for (const Diagnostic &d : diags) {
    use(d.range);
    for (const Label &l : d.labels)
      use(l.range);
    for (const Note &n : d.notes)
      if (n.range)
        use(*n.range);
    if (d.fixit)
      use(d.fixit->range);
    if (const DiagInfo *info = catalogueEntry(d.code, lang))
      cx.rules.push_back(info);
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  for (std::size_t i = 0; i < files.size(); ++i)
    cx.artifactIndex.emplace(files[i], i);
  std::sort(cx.rules.begin(), cx.rules.end(),
            [](const DiagInfo *a, const DiagInfo *b) { return a->code < b->code; });
  cx.rules.erase(std::unique(cx.rules.begin(), cx.rules.end()), cx.rules.end());
  for (std::size_t i = 0; i < cx.rules.size(); ++i)
    cx.ruleIndex.emplace(std::string(cx.rules[i]->code), i);
  return cx;
}

void writeText(JsonWriter &w, std::string_view key, std::string_view text) {
  w.key(key);
  w.beginObject();
  w.key("text");
  w.value(text);
  w.endObject();
}

void writeArtifactLocation(JsonWriter &w, const Context &cx, FileID file) {
  w.beginObject();
  w.key("uri");
  w.value(cx.uri(file));
  if (!cx.isAbsolute(file)) {
    w.key("uriBaseId");
    w.value(kSrcRoot);
  }
  w.key("index");
  w.value(static_cast<std::uint64_t>(cx.artifactIndex.at(file)));
  w.endObject();
}

// Offsets are clamped to the file and end >= begin, as in the JSON renderer. endColumn is the
// column just past the range, so an empty range (an insertion point) has endColumn ==
// startColumn.
void writeRegion(JsonWriter &w, const SourceManager &sm, const SourceRange &r) {
  const auto size = static_cast<std::uint32_t>(sm.contents(r.file).size());
  const std::uint32_t begin = std::min(r.begin, size);
  const std::uint32_t end = std::clamp(r.end, begin, size);
  w.beginObject();
  w.key("startLine");
  w.value(sm.lineCol({r.file, begin}).line);
  w.key("startColumn");
  w.value(sm.utf16Column({r.file, begin}));
  w.key("endLine");
  w.value(sm.lineCol({r.file, end}).line);
  w.key("endColumn");
  w.value(sm.utf16Column({r.file, end}));
  w.key("byteOffset");
  w.value(begin);
  w.key("byteLength");
  w.value(end - begin);
  w.endObject();
}

void writePhysicalLocation(JsonWriter &w, const Context &cx, const SourceRange &r) {
  w.key("physicalLocation");
  w.beginObject();
  w.key("artifactLocation");
  writeArtifactLocation(w, cx, r.file);
  w.key("region");
  writeRegion(w, cx.sm, r);
  w.endObject();
}

// A location; `id` is set for related locations, `message` may be empty.
void writeLocation(JsonWriter &w, const Context &cx, const SourceRange &r,
                   std::optional<unsigned> id, std::string_view message) {
  w.beginObject();
  if (id) {
    w.key("id");
    w.value(*id);
  }
  writePhysicalLocation(w, cx, r);
  if (!message.empty())
    writeText(w, "message", escapeMessage(message));
  w.endObject();
}

// "file:line:col" as the text renderer prints a position (columns in code points).
std::string position(const SourceManager &sm, const SourceRange &r) {
  const LineCol lc = sm.lineCol(r.start());
  return fmt::format("{}:{}:{}", sm.name(r.file), lc.line, lc.column);
}

// A located note's id among the related locations: labels come first, numbered from 1.
struct Related {
  const SourceRange *range;
  std::string_view message;
  unsigned id;
};

std::vector<Related> relatedLocations(const Context &cx, const Diagnostic &d) {
  std::vector<Related> out;
  for (const Label &l : d.labels)
    if (isKnown(cx.sm, l.range))
      out.push_back({&l.range, l.message, static_cast<unsigned>(out.size() + 1)});
  for (const Note &n : d.notes)
    if (n.range && isKnown(cx.sm, *n.range))
      out.push_back({&*n.range, n.message, static_cast<unsigned>(out.size() + 1)});
  return out;
}

std::string resultMessage(const Context &cx, const Diagnostic &d, const DiagInfo *info,
                          const std::vector<Related> &related) {
  std::string text = escapeMessage(d.message);
  for (const Note &n : d.notes) {
    text += fmt::format("\n{}: ", severityLabel(Severity::Note, cx.lang)) + escapeMessage(n.message);
    if (!n.range)
      continue;
    const auto it = std::find_if(related.begin(), related.end(),
                                 [&](const Related &r) { return r.range == &*n.range; });
    if (it != related.end())
      text += fmt::format(" ([{}]({}))", escapeMessage(position(cx.sm, *n.range)), it->id);
  }
  const bool ruleSaysIt =
      info && (d.help == info->help || d.help == unescapeBraces(info->help));
  if (!d.help.empty() && !ruleSaysIt)
    text += (cx.lang == Lang::Ja ? "\nヒント: " : "\nhelp: ") + escapeMessage(d.help);
  return text;
}

void writeFix(JsonWriter &w, const Context &cx, const FixIt &f) {
  w.key("fixes");
  w.beginArray();
  w.beginObject();
  w.key("artifactChanges");
  w.beginArray();
  w.beginObject();
  w.key("artifactLocation");
  writeArtifactLocation(w, cx, f.range.file);
  w.key("replacements");
  w.beginArray();
  w.beginObject();
  w.key("deletedRegion");
  writeRegion(w, cx.sm, f.range);
  w.key("insertedContent");
  w.beginObject();
  w.key("text");
  w.value(f.replacement);
  w.endObject();
  w.endObject();
  w.endArray();
  w.endObject();
  w.endArray();
  w.endObject();
  w.endArray();
}

// A key of our own (GitHub computes its primaryLocationLineHash itself): the code, the file and
// the trimmed text of the primary line, so a finding keeps its identity when lines above it
// move. `occurrence` tells apart identical findings on identical lines.
std::string fingerprint(const Context &cx, const Diagnostic &d,
                        std::map<std::uint64_t, unsigned> &seen) {
  const LineCol lc = cx.sm.lineCol(d.range.start());
  std::uint64_t h = fnv1a(d.code);
  h = fnv1a(std::string_view("\0", 1), h);
  h = fnv1a(cx.uri(d.range.file), h);
  h = fnv1a(std::string_view("\0", 1), h);
  h = fnv1a(trim(cx.sm.lineText(d.range.file, lc.line)), h);
  return fmt::format("{:016x}:{}", h, ++seen[h]);
}

void writeResult(JsonWriter &w, const Context &cx, const Diagnostic &d,
                 std::map<std::uint64_t, unsigned> &seen) {
  const DiagInfo *info = catalogueEntry(d.code, cx.lang);
  const std::vector<Related> related = relatedLocations(cx, d);
  const bool located = isKnown(cx.sm, d.range);
  w.beginObject();
  if (!d.code.empty()) {
    w.key("ruleId");
    w.value(d.code);
  }
  if (const auto it = cx.ruleIndex.find(d.code); it != cx.ruleIndex.end()) {
    w.key("ruleIndex");
    w.value(static_cast<std::uint64_t>(it->second));
  }
  w.key("level");
  w.value(levelName(d.severity));
  writeText(w, "message", resultMessage(cx, d, info, related));
  if (located) {
    w.key("locations");
    w.beginArray();
    writeLocation(w, cx, d.range, std::nullopt, d.primaryLabel);
    w.endArray();
  }
  if (!related.empty()) {
    w.key("relatedLocations");
    w.beginArray();
    for (const Related &r : related)
      writeLocation(w, cx, *r.range, r.id, r.message);
    w.endArray();
  }
  if (d.fixit && isKnown(cx.sm, d.fixit->range))
    writeFix(w, cx, *d.fixit);
  if (located) {
    w.key("partialFingerprints");
    w.beginObject();
    w.key("polcLineHash/v1");
    w.value(fingerprint(cx, d, seen));
    w.endObject();
  }
  w.endObject();
}

void writeRule(JsonWriter &w, const DiagInfo &info, Lang lang) {
  const std::string help = unescapeBraces(info.help);
  const std::string docs =
      lang == Lang::Ja
          ? fmt::format("{}（{}）の説明は polc の {} にあります。", info.code, info.name, kDocsPath)
          : fmt::format("polc documents {} ({}) in {}.", info.code, info.name, kDocsPath);
  w.beginObject();
  w.key("id");
  w.value(info.code);
  w.key("name");
  w.value(info.name);
  writeText(w, "shortDescription", unescapeBraces(info.message));
  if (!help.empty())
    writeText(w, "fullDescription", help);
  writeText(w, "help", help.empty() ? docs : help + "\n\n" + docs);
  w.key("defaultConfiguration");
  w.beginObject();
  w.key("level");
  w.value(levelName(info.severity));
  w.endObject();
  w.endObject();
}

void writeDriver(JsonWriter &w, const Context &cx, const SarifToolInfo &tool) {
  w.key("driver");
  w.beginObject();
  w.key("name");
  w.value(tool.name);
  if (!tool.version.empty()) {
    w.key("version");
    w.value(tool.version);
  }
  if (!tool.semanticVersion.empty()) {
    w.key("semanticVersion");
    w.value(tool.semanticVersion);
  }
  if (!tool.informationUri.empty()) {
    w.key("informationUri");
    w.value(tool.informationUri);
  }
  w.key("rules");
  w.beginArray();
  for (const DiagInfo *info : cx.rules)
    writeRule(w, *info, cx.lang);
  w.endArray();
  w.endObject();
}

std::string_view sourceLanguage(std::string_view name) {
  auto endsWith = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (endsWith(".pol"))
    return "pol";
  if (endsWith(".yaml") || endsWith(".yml"))
    return "yaml";
  return {};
}

void writeArtifacts(JsonWriter &w, const Context &cx) {
  std::vector<FileID> files(cx.artifactIndex.size());
  for (const auto &[file, index] : cx.artifactIndex)
    files[index] = file;
  w.key("artifacts");
  w.beginArray();
  for (FileID f : files) {
    w.beginObject();
    w.key("location");
    w.beginObject();
    w.key("uri");
    w.value(cx.uri(f));
    if (!cx.isAbsolute(f)) {
      w.key("uriBaseId");
      w.value(kSrcRoot);
    }
    w.endObject();
    if (const std::string_view lang = sourceLanguage(cx.sm.name(f)); !lang.empty()) {
      w.key("sourceLanguage");
      w.value(lang);
    }
    w.endObject();
  }
  w.endArray();
}

} // namespace

void renderSarif(std::ostream &out, const SourceManager &sources,
                 const std::vector<Diagnostic> &diags, const SarifToolInfo &tool, Lang lang) {
  const Context cx = buildContext(sources, diags, lang);
  JsonWriter w(out);
  w.beginObject();
  w.key("$schema");
  w.value(kSchemaUri);
  w.key("version");
  w.value("2.1.0");
  w.key("runs");
  w.beginArray();
  w.beginObject();
  w.key("tool");
  w.beginObject();
  writeDriver(w, cx, tool);
  w.endObject();
  w.key("originalUriBaseIds");
  w.beginObject();
  w.key(kSrcRoot);
  w.beginObject();
  writeText(w, "description",
            lang == Lang::Ja ? "polc を実行したディレクトリ。相対パスは polc が表示したとおり"
                             : "the directory polc ran in; relative paths are as polc printed them");
  w.endObject();
  w.endObject();
  writeArtifacts(w, cx);
  w.key("results");
  w.beginArray();
  std::map<std::uint64_t, unsigned> seen;
  for (const Diagnostic &d : diags)
    writeResult(w, cx, d, seen);
  w.endArray();
  // SARIF's default language is en-US; only a Japanese log says otherwise, so English logs stay
  // byte-identical to those of earlier versions.
  if (lang == Lang::Ja) {
    w.key("language");
    w.value("ja-JP");
  }
  w.key("columnKind");
  w.value("utf16CodeUnits");
  // SourceManager ends a line at "\r\n", "\n" and a lone "\r"; SARIF's default omits the last.
  w.key("newlineSequences");
  w.beginArray();
  w.value("\r\n");
  w.value("\n");
  w.value("\r");
  w.endArray();
  w.endObject();
  w.endArray();
  w.endObject();
  out << '\n';
}

} // namespace polc::diag
