// A layer's document (Render.h). Markdown and HTML are built side by side from the same walk,
// so the two always hold the same text.
#include "document/Render.h"

#include "text/Escape.h"
#include "text/Tables.h"

#include <fmt/format.h>

#include <algorithm>

namespace polc::emit::document {

using text::Phrasing;

namespace {

class Writer {
public:
  Writer(const ir::Policy &policy, int layer, const Phrasing &words, const text::Visibility &visible)
      : p_(policy), layer_(layer), w_(words), visible_(visible) {}

  std::string md, html;

  void heading(int level, const std::string &textRaw) {
    level = std::clamp(level, 1, 6);
    md += "\n" + std::string(static_cast<std::size_t>(level), '#') + " " + text::markdownInline(textRaw) + "\n";
    html += fmt::format("<h{0}>{1}</h{0}>\n", level, text::html(textRaw));
  }

  void paragraph(const std::string &raw, const char *cls = nullptr) {
    md += "\n" + text::markdownParagraph(raw) + "\n";
    html += (cls ? fmt::format("<p class=\"{}\">", cls) : std::string("<p>")) + text::htmlLines(raw) + "</p>\n";
  }

  // "**title**：text": a definition or threat, its title in bold.
  void definition(const std::string &title, const std::vector<std::string> &texts) {
    const std::string &tmpl = w_.word("document.definition");
    const std::string first = texts.empty() ? std::string() : texts.front();
    md += "\n" + fill(tmpl, {{"term", "**" + text::markdownInline(title) + "**"}, {"text", text::markdownParagraph(first)}}) + "\n";
    html += "<p>" + fill(tmpl, {{"term", "<strong>" + text::html(title) + "</strong>"}, {"text", text::htmlLines(first)}}) + "</p>\n";
    for (std::size_t i = 1; i < texts.size(); ++i)
      paragraph(texts[i]);
  }

  void list(const std::vector<std::string> &items) {
    if (items.empty())
      return;
    md += "\n";
    html += "<ul>\n";
    for (const std::string &i : items) {
      md += "- " + text::markdownInline(i) + "\n";
      html += "<li>" + text::html(i) + "</li>\n";
    }
    html += "</ul>\n";
  }

  void table(const text::Table &t) {
    md += "\n" + text::markdownTable(t);
    html += text::htmlTable(t);
  }

  static std::string sectionHeading(const ir::Section &s) {
    return s.title ? s.number + " " + *s.title : s.number;
  }

  void section(const ir::Section &s, int depth) {
    html += "<section>\n";
    heading(depth + 2, sectionHeading(s));
    for (const std::string &t : s.texts)
      paragraph(t);
    std::vector<std::string> organizations;
    for (const ir::GlossaryEntry &g : p_.glossary) {
      if (g.origin.section != s.id || g.origin.layer != layer_ || !visible_.origin(g.origin))
        continue;
      if (g.kind == ir::GlossaryEntry::Kind::Organization && g.texts.empty())
        organizations.push_back(g.title.value_or(g.name));
      else
        definition(g.title.value_or(g.name), g.texts);
    }
    list(organizations);
    for (ir::Id child : s.children)
      if (p_.sections[child].origin.layer == layer_)
        section(p_.sections[child], depth + 1);
    html += "</section>\n";
  }

private:
  const ir::Policy &p_;
  int layer_;
  const Phrasing &w_;
  const text::Visibility &visible_;
};

// Sections of the layer in document order (depth first), for the appendix.
void outline(const ir::Policy &p, const ir::Section &s, int layer, std::vector<const ir::Section *> &out) {
  out.push_back(&s);
  for (ir::Id child : s.children)
    if (p.sections[child].origin.layer == layer)
      outline(p, p.sections[child], layer, out);
}

} // namespace

std::vector<OutputFile> renderLayer(const ir::Policy &policy, int layer, const Phrasing &words,
                                    const text::Visibility &visible, const OriginNamer &namer) {
  const ir::Layer &l = policy.layers[static_cast<std::size_t>(layer)];
  const auto rows = rowsOfLayer(policy, layer, words, visible, namer);
  // A layer the order names but no file declares has nothing to publish.
  if (rows.empty() && std::none_of(policy.sections.begin(), policy.sections.end(),
                                   [&](const ir::Section &s) { return s.origin.layer == layer; }))
    return {};
  const std::string title = l.title.value_or(l.name);
  Writer out(policy, layer, words, visible);
  out.md = "# " + text::markdownInline(title) + "\n";
  out.html = "<header>\n<h1>" + text::html(title) + "</h1>\n";
  std::string meta = policy.title.value_or(policy.name);
  if (policy.version)
    meta += "　" + fill(words.word("document.version"), {{"version", *policy.version}});
  out.paragraph(meta, "meta");
  if (!l.isPublic)
    out.paragraph(words.word("document.nonpublic_notice"), "notice");
  out.html += "</header>\n<main>\n";

  std::vector<const ir::Section *> sections;
  for (const ir::Section &s : policy.sections)
    if (!s.parent && s.origin.layer == layer) {
      out.section(s, 0);
      outline(policy, s, layer, sections);
    }

  if (!rows.empty()) {
    out.html += "<section class=\"appendix\">\n";
    out.heading(2, words.word("document.appendix"));
    out.paragraph(words.word("document.appendix_intro"));
    auto emit = [&](const std::optional<ir::Id> &section, const std::string &heading) {
      auto it = rows.find(section);
      if (it == rows.end())
        return;
      out.heading(3, heading);
      text::Table t;
      for (const char *c : {"kind", "meaning", "formal", "source"}) {
        t.columns.push_back(words.word(fmt::format("document.columns.{}", c)));
        t.classes.emplace_back(c);
      }
      for (const Row &r : it->second)
        t.rows.push_back({words.word("document.kinds." + r.kind), r.meaning, r.formal, r.source});
      out.table(t);
    };
    emit(std::nullopt, words.word("document.no_section"));
    for (const ir::Section *s : sections)
      emit(s->id, Writer::sectionHeading(*s));
    out.html += "</section>\n";
  }
  out.html += "</main>\n";

  const std::string css = text::baseCss("A4") + R"(.meta { color: #333; }
.notice { border: 1pt solid #000; padding: 0.4em; font-weight: bold; }
section.appendix { break-before: page; page-break-before: always; }
section.appendix table { font-size: 8.5pt; }
th.kind { width: 7em; }
th.formal { width: 32%; }
th.source { width: 8em; }
td.formal { font-family: "Noto Sans Mono CJK JP", "Source Han Code JP", monospace; }
)";
  const std::string base = "document/" + l.name;
  return {{base + ".md", out.md}, {base + ".html", text::htmlPage(words.language(), title, css, out.html)}};
}

} // namespace polc::emit::document
