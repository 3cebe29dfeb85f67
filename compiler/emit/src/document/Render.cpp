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
  Writer(const ir::Policy &policy, int layer, const Phrasing &words, const text::Visibility &visible,
         const std::map<std::optional<ir::Id>, std::vector<Row>> &rows)
      : p_(policy), layer_(layer), w_(words), visible_(visible), rows_(rows) {}

  std::string md, html;

  void heading(int level, const std::string &textRaw, const std::string &anchor = {}) {
    level = std::clamp(level, 1, 6);
    md += "\n" + std::string(static_cast<std::size_t>(level), '#') + " " + text::markdownInline(textRaw) + "\n";
    html += anchor.empty() ? fmt::format("<h{0}>{1}</h{0}>\n", level, text::html(textRaw))
                           : fmt::format("<h{0} id=\"{2}\">{1}</h{0}>\n", level, text::html(textRaw), anchor);
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

  // The full number, as the appendix and the checklists cite the clause ("2(1) ネットワーク").
  static std::string sectionHeading(const ir::Section &s) {
    return s.title ? s.number + " " + *s.title : s.number;
  }

  // The number as 例規 print it under their parent: 2 → (1) → ア. A child whose number starts
  // with its parent's and goes on with "(" or a character outside ASCII (ア, イ) shows only the
  // rest; any other number ("2.1", "別表1") shows whole.
  std::string ownNumber(const ir::Section &s) const {
    if (!s.parent)
      return s.number;
    const std::string &parent = p_.sections[*s.parent].number;
    if (s.number.size() > parent.size() && s.number.compare(0, parent.size(), parent) == 0) {
      const unsigned char next = static_cast<unsigned char>(s.number[parent.size()]);
      if (next == '(' || next >= 0x80)
        return s.number.substr(parent.size());
    }
    return s.number;
  }

  std::string ownHeading(const ir::Section &s) const {
    const std::string number = ownNumber(s);
    return s.title ? number + " " + *s.title : number;
  }

  static std::string anchorOf(const ir::Section &s) { return fmt::format("s{}", s.id); }

  void section(const ir::Section &s, int depth) {
    const std::string where = fmt::format("{} {}", p_.layers[static_cast<std::size_t>(layer_)].name, s.number);
    if (s.title)
      w_.noteUntranslated("clause title " + where, *s.title);
    for (std::size_t i = 0; i < s.texts.size(); ++i)
      w_.noteUntranslated(fmt::format("clause text {} #{}", where, i + 1), s.texts[i]);
    html += "<section>\n";
    heading(depth + 2, ownHeading(s), anchorOf(s));
    for (const std::string &t : s.texts)
      paragraph(t);
    const bool hasChildren = std::any_of(s.children.begin(), s.children.end(),
                                         [&](ir::Id c) { return p_.sections[c].origin.layer == layer_; });
    std::vector<std::string> organizations;
    for (const ir::GlossaryEntry &g : p_.glossary) {
      if (g.origin.section != s.id || g.origin.layer != layer_ || !visible_.origin(g.origin))
        continue;
      w_.noteUntranslated("glossary title " + g.name, g.title.value_or(g.name));
      for (const std::string &t : g.texts)
        w_.noteUntranslated("glossary text " + g.name, t);
      if (g.kind == ir::GlossaryEntry::Kind::Organization && g.texts.empty())
        organizations.push_back(g.title.value_or(g.name));
      else
        definition(g.title.value_or(g.name), g.texts);
    }
    list(organizations);
    // A clause the layer states only formally would read as an empty heading: its statements,
    // in words, stand in for the prose (the appendix still lists them with their spelling).
    const bool hasGlossary = std::any_of(p_.glossary.begin(), p_.glossary.end(), [&](const ir::GlossaryEntry &g) {
      return g.origin.section == s.id && g.origin.layer == layer_ && visible_.origin(g.origin);
    });
    if (s.texts.empty() && !hasGlossary && !hasChildren)
      if (auto it = rows_.find(s.id); it != rows_.end()) {
        std::vector<std::string> statements;
        for (const Row &r : it->second)
          statements.push_back(fill(w_.word("document.statement"), {{"kind", w_.word("document.kinds." + r.kind)}, {"meaning", r.meaning}}));
        list(statements);
      }
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
  const std::map<std::optional<ir::Id>, std::vector<Row>> &rows_;
};

// Sections of the layer in document order (depth first), for the appendix.
void outline(const ir::Policy &p, const ir::Section &s, int layer, std::vector<const ir::Section *> &out) {
  out.push_back(&s);
  for (ir::Id child : s.children)
    if (p.sections[child].origin.layer == layer)
      outline(p, p.sections[child], layer, out);
}

// A date as the document prints it: 例規 date in the Japanese era (令和8年4月1日; 令和元年 for
// 2019), English ones in ISO form. Dates before 平成 print in the Western calendar.
std::string dateText(const ast::Date &d, const Phrasing &words) {
  if (words.language() != Language::Ja)
    return d.str();
  auto era = [&](const char *name, int first) {
    const int n = d.year - first + 1;
    return fmt::format("{}{}年{}月{}日", name, n == 1 ? std::string("元") : std::to_string(n), d.month, d.day);
  };
  if (d >= ast::Date{2019, 5, 1})
    return era("令和", 2019);
  if (d >= ast::Date{1989, 1, 8})
    return era("平成", 1989);
  return fmt::format("{}年{}月{}日", d.year, d.month, d.day);
}

int depthOf(const ir::Policy &p, const ir::Section &s) {
  int depth = 0;
  for (const ir::Section *at = &s; at->parent; at = &p.sections[*at->parent])
    ++depth;
  return depth;
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
  words.noteUntranslated("layer title " + l.name, title);
  if (policy.title)
    words.noteUntranslated("policy title", *policy.title);
  Writer out(policy, layer, words, visible, rows);
  // The title page: the policy, the layer, the version; then the contents. Markdown has no
  // pages, so it gets the same lines without the break.
  const std::string policyTitle = policy.title.value_or(policy.name);
  out.md = "# " + text::markdownInline(title) + "\n";
  out.html = "<header class=\"cover\">\n<h1>" + text::html(title) + "</h1>\n";
  std::string meta = policyTitle;
  if (policy.version)
    meta += "　" + fill(words.word("document.version"), {{"version", *policy.version}});
  out.paragraph(meta, "meta");
  // The layer's history, oldest first (sema checked the order): the newest entry is the
  // 施行日 and the approval the title page carries.
  std::vector<const ir::Revision *> history;
  for (const ir::Revision &r : policy.revisions)
    if (r.origin.layer == layer)
      history.push_back(&r);
  if (!history.empty()) {
    const ir::Revision &newest = *history.back();
    out.paragraph(fill(words.word("document.effective"), {{"date", dateText(newest.date, words)}}), "meta");
    // The approval block: who approved this text and when, with room for the seal or signature.
    const std::string approver = words.role(newest.approvedBy);
    text::Table t;
    for (const auto &[c, width] : {std::pair{"approver", ""}, {"date", "42mm"}, {"seal", "30mm"}}) {
      t.columns.push_back(words.word(fmt::format("document.approval.{}", c)));
      t.classes.emplace_back(c);
      t.widths.emplace_back(width);
    }
    t.rows.push_back({approver, dateText(newest.date, words), ""});
    out.html += "<div class=\"approval\">\n";
    out.table(t);
    out.html += "</div>\n";
  }
  if (!l.isPublic)
    out.paragraph(words.word("document.nonpublic_notice"), "notice");
  out.html += "</header>\n";
  if (!history.empty()) {
    out.html += "<section class=\"history\">\n";
    out.heading(2, words.word("document.history"), "history");
    text::Table t;
    for (const auto &[c, width] : {std::pair{"version", "20mm"}, {"date", "38mm"}, {"summary", ""}, {"approver", "56mm"}}) {
      t.columns.push_back(words.word(fmt::format("document.history_columns.{}", c)));
      t.classes.emplace_back(c);
      t.widths.emplace_back(width);
    }
    for (const ir::Revision *r : history) {
      words.noteUntranslated(fmt::format("revision summary {} {}", l.name, r->date.str()), r->summary);
      t.rows.push_back({r->version.value_or(""), dateText(r->date, words), r->summary,
                        words.role(r->approvedBy)});
    }
    out.table(t);
    out.html += "</section>\n";
  }
  std::vector<const ir::Section *> sections;
  for (const ir::Section &s : policy.sections)
    if (!s.parent && s.origin.layer == layer)
      outline(policy, s, layer, sections);
  // 目次: the top-level clauses, as the seed's table of contents lists them, and the titled
  // clauses one level below (the standard's 2.1 最高情報セキュリティ責任者; not the seed's
  // untitled threats (1)…(5)).
  if (!sections.empty()) {
    out.html += "<nav class=\"toc\">\n";
    out.heading(2, words.word("document.contents"));
    out.html += "<ol>\n";
    out.md += "\n";
    for (const ir::Section *s : sections) {
      const int depth = depthOf(policy, *s);
      if (depth > 1 || (depth == 1 && !s->title))
        continue;
      out.md += std::string(static_cast<std::size_t>(depth) * 2, ' ') + "- " + text::markdownInline(out.ownHeading(*s)) + "\n";
      out.html += fmt::format("<li class=\"depth{}\"><a href=\"#{}\">{}</a></li>\n", depth, Writer::anchorOf(*s),
                              text::html(out.ownHeading(*s)));
    }
    if (!rows.empty()) {
      out.md += "- " + text::markdownInline(words.word("document.appendix")) + "\n";
      out.html += "<li class=\"depth0\"><a href=\"#appendix\">" + text::html(words.word("document.appendix")) + "</a></li>\n";
    }
    out.html += "</ol>\n</nav>\n";
  }
  out.html += "<main>\n";
  for (const ir::Section &s : policy.sections)
    if (!s.parent && s.origin.layer == layer)
      out.section(s, 0);

  if (!rows.empty()) {
    out.html += "<section class=\"appendix\">\n";
    out.heading(2, words.word("document.appendix"), "appendix");
    out.paragraph(words.word("document.appendix_intro"));
    auto emit = [&](const std::optional<ir::Id> &section, const std::string &heading) {
      auto it = rows.find(section);
      if (it == rows.end())
        return;
      out.heading(3, heading);
      text::Table t;
      for (const auto &[c, width] : {std::pair{"kind", "22mm"}, {"meaning", ""}, {"formal", "32%"}, {"source", "26mm"}}) {
        t.columns.push_back(words.word(fmt::format("document.columns.{}", c)));
        t.classes.emplace_back(c);
        t.widths.emplace_back(width);
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

  // Page numbers in the bottom margin (Chromium prints @page margin boxes); the title page and
  // the contents each end a page.
  const std::string css = text::baseCss("A4") + R"(@page { @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
header.cover { break-after: page; page-break-after: always; padding-top: 30%; text-align: center; }
header.cover h1 { font-size: 22pt; }
div.approval { margin: 4em auto 0; width: 80%; }
div.approval td.seal { height: 18mm; }
section.history { break-after: page; page-break-after: always; }
nav.toc { break-after: page; page-break-after: always; }
nav.toc ol { list-style: none; padding: 0; }
nav.toc li.depth1 { padding-left: 2em; }
nav.toc a { color: inherit; text-decoration: none; }
.meta { color: #333; }
.notice { border: 1pt solid #000; padding: 0.4em; font-weight: bold; }
section.appendix { break-before: page; page-break-before: always; }
section.appendix table { font-size: 8.5pt; }
td.formal { font-family: "Noto Sans Mono CJK JP", "Source Han Code JP", "IPAGothic", monospace; }
)";
  const std::string base = "document/" + l.name;
  return {{base + ".md", out.md}, {base + ".html", text::htmlPage(words.language(), title, css, out.html)}};
}

} // namespace polc::emit::document
