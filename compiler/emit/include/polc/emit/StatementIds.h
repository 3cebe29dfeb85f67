#pragma once
// Stable statement identities: how generated files cite a statement without its line number.
//
// "standard:4.3#3fa9c2" = the scope (the layer's name; a module's import name, "std.lgov.alpha",
// for stdlib statements), the clause (section number) that holds the statement when there is one,
// and six hex digits of the SHA-256 of the statement's normalised header text. Statements with
// the same scope, clause and digits (a duplicated statement, or a hash collision) are numbered in
// source order from the second on: "…#3fa9c2-2". Inserting, removing or moving other statements
// leaves an identity unchanged; editing the statement itself (or moving it to another clause)
// gives it a new one. docs/build.md "Statement identities" gives the rationale; trace.json maps
// every identity back to file:line:col.
#include "polc/diag/SourceManager.h"
#include "polc/ir/IR.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace polc::emit {

// The text an identity hashes: the statement's source up to its first `{` (a block statement is
// identified by its header, not by what its block holds) or `;`, with comments removed and
// whitespace kept only where it separates two words, so layout and comments never change it.
std::string normalisedStatementText(std::string_view source);

// "stdlib/std/lgov/alpha.pol" -> "std.lgov.alpha": how a policy imports the module in that file.
std::string moduleImportName(std::string file);

class StatementIds {
public:
  // `scopeOfModule(file)`: the import name of a module file ("std.lgov.alpha").
  StatementIds(const ir::Policy &policy, const diag::SourceManager &sources,
               std::function<std::string(diag::FileID)> scopeOfModule);

  // The identity of the statement at `origin`; empty when it has no source.
  std::string of(const ir::Origin &origin) const;

  struct Entry {
    std::string id;
    ir::Origin origin;
  };
  // Every statement and declaration of the policy with its identity, in source order.
  const std::vector<Entry> &all() const { return entries_; }

private:
  std::string base(const ir::Origin &origin) const;

  const ir::Policy &policy_;
  const diag::SourceManager &sources_;
  std::function<std::string(diag::FileID)> scopeOfModule_;
  std::vector<Entry> entries_;
  std::map<std::pair<diag::FileID, std::uint32_t>, std::string> byLocation_;
};

} // namespace polc::emit
