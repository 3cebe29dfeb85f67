#pragma once
// Tables and pages shared by the checklists and the document. Cells hold raw policy text; the
// renderers escape it (a cell's newlines become line breaks).
#include "polc/emit/Publications.h"

#include <string>
#include <string_view>
#include <vector>

namespace polc::emit::text {

struct Table {
  std::vector<std::string> columns;
  std::vector<std::string> classes; // one CSS class per column (HTML only)
  // One CSS width per column (HTML only), written as <col> widths: the tables use the fixed
  // layout, so a column's width never depends on the longest word of its cells (with the
  // automatic layout and wrapping anywhere, Chromium squeezed the question column to one glyph).
  // An empty width shares what the others leave.
  std::vector<std::string> widths;
  std::vector<std::vector<std::string>> rows;
};

// A GFM pipe table, ending with a newline.
std::string markdownTable(const Table &table);
// <table> with a <thead>, which browsers repeat at the top of every printed page.
std::string htmlTable(const Table &table);

// A standalone HTML5 page: `title` is raw text, `css` and `body` are already HTML.
std::string htmlPage(Language lang, std::string_view title, std::string_view css, std::string_view body);

// The CSS every page shares: fonts that have Japanese glyphs, tables that print on A4 with their
// header row repeated and rows kept whole. `pageSize` is the @page size ("A4", "A4 landscape").
std::string baseCss(std::string_view pageSize);

} // namespace polc::emit::text
