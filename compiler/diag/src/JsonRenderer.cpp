// The machine-readable report. Keys are written in a fixed order and every diagnostic has the
// same shape (optional parts are omitted, never reordered), so output is byte-stable.
#include "RenderCommon.h"
#include "polc/diag/JsonWriter.h"
#include "polc/diag/Renderers.h"

#include <algorithm>

namespace polc::diag {

namespace {

using detail::isKnown;

void writePosition(JsonWriter &w, const SourceManager &sm, FileID file, std::uint32_t offset) {
  const LineCol lc = sm.lineCol({file, offset});
  w.beginObject();
  w.key("offset");
  w.value(offset);
  w.key("line");
  w.value(lc.line);
  w.key("column");
  w.value(lc.column);
  w.key("utf16Column");
  w.value(sm.utf16Column({file, offset}));
  w.endObject();
}

// Offsets are clamped to the file and end >= begin, so consumers can slice without checks.
void writeRangeValue(JsonWriter &w, const SourceManager &sm, const SourceRange &r) {
  const auto size = static_cast<std::uint32_t>(sm.contents(r.file).size());
  const std::uint32_t begin = std::min(r.begin, size);
  const std::uint32_t end = std::clamp(r.end, begin, size);
  w.beginObject();
  w.key("begin");
  writePosition(w, sm, r.file, begin);
  w.key("end");
  writePosition(w, sm, r.file, end);
  w.endObject();
}

// "file" and "range"; both null when the location is unknown.
void writeLocation(JsonWriter &w, const SourceManager &sm, const SourceRange &r) {
  const bool known = isKnown(sm, r);
  w.key("file");
  if (known)
    w.value(sm.name(r.file));
  else
    w.null();
  w.key("range");
  if (known)
    writeRangeValue(w, sm, r);
  else
    w.null();
}

void writeLabels(JsonWriter &w, const SourceManager &sm, const std::vector<Label> &labels) {
  w.beginArray();
  for (const Label &l : labels) {
    w.beginObject();
    w.key("message");
    w.value(l.message);
    writeLocation(w, sm, l.range);
    w.endObject();
  }
  w.endArray();
}

void writeNotes(JsonWriter &w, const SourceManager &sm, const std::vector<Note> &notes) {
  w.beginArray();
  for (const Note &n : notes) {
    w.beginObject();
    w.key("message");
    w.value(n.message);
    if (n.range && isKnown(sm, *n.range))
      writeLocation(w, sm, *n.range);
    w.endObject();
  }
  w.endArray();
}

void writeFixit(JsonWriter &w, const SourceManager &sm, const FixIt &f) {
  w.beginObject();
  writeLocation(w, sm, f.range);
  w.key("replacement");
  w.value(f.replacement);
  w.endObject();
}

void writeDiagnostic(JsonWriter &w, const SourceManager &sm, const Diagnostic &d) {
  w.beginObject();
  w.key("code");
  w.value(d.code);
  w.key("severity");
  w.value(severityName(d.severity));
  w.key("message");
  w.value(d.message);
  writeLocation(w, sm, d.range);
  if (!d.primaryLabel.empty()) {
    w.key("primaryLabel");
    w.value(d.primaryLabel);
  }
  w.key("labels");
  writeLabels(w, sm, d.labels);
  w.key("notes");
  writeNotes(w, sm, d.notes);
  if (!d.help.empty()) {
    w.key("help");
    w.value(d.help);
  }
  if (d.fixit) {
    w.key("fixit");
    writeFixit(w, sm, *d.fixit);
  }
  w.endObject();
}

void writeSummary(JsonWriter &w, const std::vector<Diagnostic> &diags) {
  const detail::Counts counts = detail::countSeverities(diags);
  w.beginObject();
  w.key("errors");
  w.value(counts.errors);
  w.key("warnings");
  w.value(counts.warnings);
  w.endObject();
}

} // namespace

void renderJson(std::ostream &out, const SourceManager &sources,
                const std::vector<Diagnostic> &diags) {
  JsonWriter w(out);
  w.beginObject();
  w.key("version");
  w.value(1);
  w.key("diagnostics");
  w.beginArray();
  for (const Diagnostic &d : diags)
    writeDiagnostic(w, sources, d);
  w.endArray();
  w.key("summary");
  writeSummary(w, diags);
  w.endObject();
  out << '\n';
}

} // namespace polc::diag
