// Markdown and HTML tables and pages (Tables.h).
#include "text/Tables.h"

#include "text/Escape.h"

#include <fmt/format.h>

namespace polc::emit::text {

std::string markdownTable(const Table &table) {
  std::string out = "|";
  for (const std::string &c : table.columns)
    out += " " + markdownCell(c) + " |";
  out += "\n|";
  for (std::size_t i = 0; i < table.columns.size(); ++i)
    out += " --- |";
  out += "\n";
  for (const auto &row : table.rows) {
    out += "|";
    for (const std::string &cell : row)
      out += cell.empty() ? std::string("  |") : " " + markdownCell(cell) + " |";
    out += "\n";
  }
  return out;
}

std::string htmlTable(const Table &table) {
  auto cls = [&](std::size_t i) {
    return i < table.classes.size() && !table.classes[i].empty() ? fmt::format(" class=\"{}\"", table.classes[i])
                                                                 : std::string();
  };
  std::string out = "<table>\n";
  if (!table.widths.empty()) {
    out += "<colgroup>";
    for (std::size_t i = 0; i < table.columns.size(); ++i)
      out += i < table.widths.size() && !table.widths[i].empty()
                 ? fmt::format("<col{} style=\"width: {}\">", cls(i), table.widths[i])
                 : fmt::format("<col{}>", cls(i));
    out += "</colgroup>\n";
  }
  out += "<thead>\n<tr>";
  for (std::size_t i = 0; i < table.columns.size(); ++i)
    out += fmt::format("<th{}>{}</th>", cls(i), htmlLines(table.columns[i]));
  out += "</tr>\n</thead>\n<tbody>\n";
  for (const auto &row : table.rows) {
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i)
      out += fmt::format("<td{}>{}</td>", cls(i), htmlLines(row[i]));
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string htmlPage(Language lang, std::string_view title, std::string_view css, std::string_view body) {
  return fmt::format("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
                     lang == Language::Ja ? "ja" : "en", html(title), css, body);
}

std::string baseCss(std::string_view pageSize) {
  return fmt::format(R"(@page {{ size: {}; margin: 12mm; }}
body {{ font-family: "Noto Sans CJK JP", "Noto Sans JP", "IPAexGothic", "IPAGothic", "Hiragino Kaku Gothic ProN", "Yu Gothic", Meiryo, sans-serif; font-size: 10pt; line-height: 1.5; color: #000; margin: 1em auto; max-width: 60em; }}
h1 {{ font-size: 16pt; }}
h2 {{ font-size: 13pt; border-bottom: 1pt solid #000; }}
h3 {{ font-size: 11pt; }}
h1, h2, h3, h4, h5, h6 {{ break-after: avoid; page-break-after: avoid; }}
table {{ width: 100%; table-layout: fixed; border-collapse: collapse; margin: 0 0 1em; }}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; page-break-inside: avoid; }}
th, td {{ border: 0.5pt solid #000; padding: 0.3em 0.4em; vertical-align: top; text-align: left; box-sizing: border-box; word-break: normal; line-break: strict; overflow-wrap: anywhere; }}
th {{ background: #e8e8e8; }}
@media print {{ body {{ margin: 0; max-width: none; }} a {{ color: inherit; }} }}
)",
                     pageSize);
}

} // namespace polc::emit::text
