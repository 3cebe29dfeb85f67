// Checklist files (Render.h).
#include "checklist/Render.h"

#include "text/Escape.h"
#include "text/Tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace polc::emit::checklist {

using text::Phrasing;

namespace {

constexpr std::string_view kCategoryOrder[] = {"physical", "personnel", "technical", "operational"};

bool isAudit(std::string_view kind) { return kind == "audit"; }

std::vector<std::string_view> columnKeys(std::string_view kind) {
  if (isAudit(kind))
    return {"no", "id", "category", "question", "clause", "owner", "frequency", "evidence", "method", "result", "remedy", "checker"};
  return {"no", "id", "category", "question", "clause", "owner", "frequency", "result", "remedy", "checker"};
}

// Printed widths (A4 landscape, 273 mm between the margins), padding included; the question
// takes what is left: 69 mm on the audit sheet, 101 mm on the self-inspection sheet, so a
// question reads in lines of 20 to 30 characters.
std::string_view columnWidth(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kWidths[] = {
      {"no", "9mm"},       {"id", "24mm"},       {"category", "12mm"}, {"clause", "32mm"},
      {"owner", "18mm"},   {"frequency", "14mm"}, {"evidence", "30mm"}, {"method", "16mm"},
      {"result", "17mm"},  {"remedy", "18mm"},    {"checker", "14mm"}};
  for (const auto &[k, w] : kWidths)
    if (k == key)
      return w;
  return {};
}

std::string categoryLabel(const std::string &category, const Phrasing &words) {
  return category.empty() ? words.word("checklist.labels.no_category") : words.category(category);
}

std::string ownerLabel(const Item &item, const Phrasing &words) {
  const std::string role = words.role(item.owner);
  return role.empty() ? words.word("checklist.labels.no_owner") : role;
}

std::string headerLine(const Phrasing &words, std::size_t count) {
  const ir::Policy &p = words.policy();
  std::string line = p.title.value_or(p.name);
  if (p.version)
    line += "　" + fill(words.word("document.version"), {{"version", *p.version}});
  const std::string &items = words.word("checklist.labels.items");
  return line + "　" + fill(countForm(items, static_cast<std::int64_t>(count)), {{"n", std::to_string(count)}});
}

} // namespace

std::vector<Group> groupItems(const std::vector<Item> &items, const Phrasing &words) {
  auto categoryRank = [](const std::string &c) -> std::pair<int, std::string> {
    if (c.empty())
      return {2, ""};
    for (std::size_t i = 0; i < std::size(kCategoryOrder); ++i)
      if (kCategoryOrder[i] == c)
        return {0, std::string(1, static_cast<char>('0' + i))};
    return {1, c};
  };
  auto ownerRank = [](const std::optional<ir::Id> &o) { return o ? std::pair<int, ir::Id>{0, *o} : std::pair<int, ir::Id>{1, 0}; };
  std::map<std::pair<std::pair<int, std::string>, std::pair<int, ir::Id>>, Group> groups;
  for (const Item &item : items) {
    // An owner this build may not name groups with the items that have none.
    const std::optional<ir::Id> owner = words.role(item.owner).empty() ? std::nullopt : item.owner;
    Group &g = groups[{categoryRank(item.category), ownerRank(owner)}];
    if (g.items.empty()) {
      g.category = categoryLabel(item.category, words);
      g.owner = ownerLabel(item, words);
    }
    g.items.push_back(&item);
  }
  std::vector<Group> out;
  for (auto &entry : groups)
    out.push_back(std::move(entry.second));
  return out;
}

std::vector<std::string> columns(std::string_view kind, const Phrasing &words) {
  std::vector<std::string> out;
  for (std::string_view key : columnKeys(kind))
    out.push_back(words.word(fmt::format("checklist.labels.columns.{}", key)));
  return out;
}

std::vector<std::string> rowOf(const Item &item, std::size_t number, std::string_view kind, const Phrasing &words) {
  std::vector<std::string> clauses;
  for (const ClauseRef &r : item.clauses) {
    const std::string module = r.layer == ir::kModuleLayer ? words.module(r.clause) : std::string();
    clauses.push_back(!module.empty() ? module
                                      : fill(words.word("checklist.labels.clause_ref"),
                                             {{"layer", words.layer(r.layer)}, {"clause", r.clause}, {"source", r.source}}));
  }
  std::string clauseText;
  for (const std::string &c : clauses)
    clauseText += (clauseText.empty() ? "" : "\n") + c;
  std::vector<std::string> methods;
  for (const std::string &m : item.methods)
    methods.push_back(words.method(m));
  std::vector<std::string> row = {std::to_string(number), item.id, categoryLabel(item.category, words), item.question, clauseText,
                                  ownerLabel(item, words), words.frequency(item.frequency)};
  if (isAudit(kind)) {
    row.push_back(item.evidence);
    row.push_back(words.join(methods));
  }
  row.insert(row.end(), {"", "", ""}); // 結果, 改善策, 確認者: filled in by hand
  return row;
}

std::vector<OutputFile> renderChecklist(const std::vector<Item> &items, std::string_view kind, const Phrasing &words) {
  const std::string title = words.word(fmt::format("checklist.labels.title.{}", kind));
  const std::string header = headerLine(words, items.size());
  const std::string form = words.word("checklist.labels.form");
  const std::vector<Group> groups = groupItems(items, words);

  std::string md = "# " + text::markdownInline(title) + "\n\n" + text::markdownParagraph(header) + "\n\n" +
                   text::markdownParagraph(form) + "\n";
  std::string body = "<header>\n<h1>" + text::html(title) + "</h1>\n<p class=\"meta\">" + text::html(header) +
                     "</p>\n<p class=\"form\">" + text::html(form) + "</p>\n</header>\n";
  std::string csv = "\xEF\xBB\xBF"; // UTF-8 BOM: Excel reads the file as UTF-8 only with it
  csv += text::csvRecord(columns(kind, words));

  std::string lastCategory;
  for (const Group &g : groups) {
    if (g.category != lastCategory) {
      md += "\n## " + text::markdownInline(g.category) + "\n";
      body += (lastCategory.empty() ? "" : "</section>\n") + std::string("<section class=\"group\">\n<h2>") + text::html(g.category) + "</h2>\n";
      lastCategory = g.category;
    }
    text::Table table;
    table.columns = columns(kind, words);
    for (std::string_view key : columnKeys(kind)) {
      table.classes.emplace_back(key);
      table.widths.emplace_back(columnWidth(key));
    }
    // Numbered 1…n within the group, as a printed sheet is read; the ID beside the number is
    // the one that stays when items are added or removed.
    std::size_t number = 0;
    for (const Item *item : g.items) {
      table.rows.push_back(rowOf(*item, ++number, kind, words));
      csv += text::csvRecord(table.rows.back());
    }
    md += "\n### " + text::markdownInline(g.owner) + "\n\n" + text::markdownTable(table);
    body += "<h3>" + text::html(g.owner) + "</h3>\n" + text::htmlTable(table);
  }
  if (!lastCategory.empty())
    body += "</section>\n";
  // A landscape A4 page: the columns' widths are in the tables' <col>s; each category starts a
  // page, and a row never splits across two.
  const std::string css = text::baseCss("A4 landscape") + R"(body { font-size: 9pt; }
@media screen { body { max-width: 80em; } }
.meta, .form { margin: 0.3em 0; }
.form { border-bottom: 0.5pt solid #000; padding-bottom: 0.5em; }
section.group + section.group { break-before: page; page-break-before: always; }
td.no, td.id, td.clause { font-size: 8pt; }
td.id { font-family: "Noto Sans Mono CJK JP", "IPAGothic", monospace; }
)";
  const std::string base = fmt::format("checklist/{}", kind);
  return {{base + ".md", md}, {base + ".csv", csv}, {base + ".html", text::htmlPage(words.language(), title, css, body)}};
}

} // namespace polc::emit::checklist
