#pragma once
// A checklist as Markdown, CSV and HTML: grouped by 区分 and then by owner, with the columns of
// DOMAIN.md (an audit checklist adds evidence and method).
#include "checklist/Items.h"

#include "polc/emit/Output.h"

#include <string_view>
#include <vector>

namespace polc::emit::checklist {

struct Group {
  std::string category; // label
  std::string owner;    // label
  std::vector<const Item *> items;
};

// Categories in the order 物理, 人的, 技術, 運用, then any other by name, then items with none;
// within each, owners in the order the roles are declared, then items with none.
std::vector<Group> groupItems(const std::vector<Item> &items, const text::Phrasing &words);

// The cells of one row, in the order of columns(kind).
std::vector<std::string> rowOf(const Item &item, std::size_t number, std::string_view kind, const text::Phrasing &words);
std::vector<std::string> columns(std::string_view kind, const text::Phrasing &words);

// checklist/KIND.md, .csv, .html.
std::vector<OutputFile> renderChecklist(const std::vector<Item> &items, std::string_view kind,
                                        const text::Phrasing &words);

} // namespace polc::emit::checklist
