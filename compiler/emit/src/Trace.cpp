// emitTrace (Publications.h): trace.json, where each statement identity the outputs cite is.
#include "polc/diag/JsonWriter.h"
#include "polc/emit/Firewalls.h"
#include "polc/emit/Publications.h"
#include "text/Visibility.h"

#include <sstream>

namespace polc::emit {

OutputFile emitTrace(const ir::Policy &policy, const diag::SourceManager &sources, const PublicationOptions &options) {
  const text::Visibility visible(policy, options.publicBuild);
  FirewallEmitOptions roots;
  roots.projectRoot = options.projectRoot;
  roots.stdlibDir = options.stdlibDir;
  const OriginNamer namer(policy, sources, roots);
  // One line per statement, so a line shift changes only the lines of the statements it moves.
  std::ostringstream out;
  auto str = [&](std::string_view v) { diag::JsonWriter::writeString(out, v); };
  out << "{\n  \"format\": \"polc-trace-1\",\n  \"statements\": {";
  bool first = true;
  // Object keys in source order: each file's statements from top to bottom.
  for (const StatementIds::Entry &e : namer.statements().all()) {
    if (!visible.origin(e.origin))
      continue;
    const RuleOrigin o = namer.of(e.origin);
    const diag::LineCol at = sources.lineCol(e.origin.range.start());
    out << (first ? "\n    " : ",\n    ");
    first = false;
    str(e.id);
    out << ": {\"file\": ";
    str(o.file);
    out << ", \"line\": " << at.line << ", \"column\": " << at.column << ", \"layer\": ";
    str(o.layer);
    out << ", \"clause\": ";
    if (o.clause.empty())
      out << "null";
    else
      str(o.clause);
    out << "}";
  }
  out << "\n  }\n}\n";
  return {"trace.json", out.str()};
}

} // namespace polc::emit
