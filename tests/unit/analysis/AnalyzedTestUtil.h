#pragma once
// One policy built from text and analysed, with the ways the pass tests look at its findings.
// Each test file derives from it and keeps only the codes of the passes it tests (`codes()`).
#include "../sema/SemaTestUtil.h"

#include "polc/ir/IR.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace polc::test {

struct AnalyzedPolicy {
  std::unique_ptr<Checked> checked;
  std::unique_ptr<ir::Policy> policy;
  std::unique_ptr<diag::DiagnosticsEngine> findings;

  // The codes of every finding that `keep` accepts, in report order.
  template <typename Keep> std::vector<std::string> codesWhere(Keep keep) const {
    std::vector<std::string> out;
    for (const auto &d : findings->diagnostics())
      if (keep(d.code))
        out.push_back(d.code);
    return out;
  }
  const diag::Diagnostic &first(std::string_view code) const {
    for (const auto &d : findings->diagnostics())
      if (d.code == code)
        return d;
    ADD_FAILURE() << "no " << code;
    static diag::Diagnostic none;
    return none;
  }
  std::string dump() const {
    std::string out;
    for (const auto &d : findings->diagnostics()) {
      out += d.code + " " + d.message + "\n";
      for (const auto &n : d.notes)
        out += "  note: " + n.message + "\n";
    }
    return out;
  }
  static bool hasNote(const diag::Diagnostic &d, std::string_view part) {
    return std::any_of(d.notes.begin(), d.notes.end(),
                       [&](const auto &n) { return n.message.find(part) != std::string::npos; });
  }
};

} // namespace polc::test
