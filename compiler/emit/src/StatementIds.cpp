// Stable statement identities (StatementIds.h).
#include "polc/emit/StatementIds.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <tuple>

namespace polc::emit {

namespace {

bool isWordByte(unsigned char c) { return std::isalnum(c) || c == '_' || c == '.' || c >= 0x80; }

std::string hashDigits(std::string_view text) {
  llvm::SHA256 hash;
  hash.update(llvm::StringRef(text.data(), text.size()));
  const auto digest = hash.final();
  return fmt::format("{:02x}{:02x}{:02x}", static_cast<unsigned char>(digest[0]),
                     static_cast<unsigned char>(digest[1]), static_cast<unsigned char>(digest[2]));
}

} // namespace

std::string normalisedStatementText(std::string_view s) {
  std::string out;
  bool pendingSpace = false;
  auto emit = [&](char c) {
    if (pendingSpace && !out.empty() && isWordByte(static_cast<unsigned char>(out.back())) &&
        isWordByte(static_cast<unsigned char>(c)))
      out += ' ';
    pendingSpace = false;
    out += c;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') { // a string literal, verbatim with its escapes
      emit(c);
      for (++i; i < s.size(); ++i) {
        out += s[i];
        if (s[i] == '\\' && i + 1 < s.size())
          out += s[++i];
        else if (s[i] == '"')
          break;
      }
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
      i = std::min(s.find('\n', i), s.size());
      pendingSpace = true;
      continue;
    }
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      const std::size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 1;
      pendingSpace = true;
      continue;
    }
    if (c == '{' || c == ';')
      break;
    if (std::isspace(static_cast<unsigned char>(c))) {
      pendingSpace = true;
      continue;
    }
    emit(c);
  }
  return out;
}

std::string moduleImportName(std::string file) {
  if (file.rfind("stdlib/", 0) == 0)
    file.erase(0, 7);
  if (file.size() > 4 && file.compare(file.size() - 4, 4, ".pol") == 0)
    file.resize(file.size() - 4);
  std::replace(file.begin(), file.end(), '/', '.');
  return file;
}

StatementIds::StatementIds(const ir::Policy &policy, const diag::SourceManager &sources,
                           std::function<std::string(diag::FileID)> scopeOfModule)
    : policy_(policy), sources_(sources), scopeOfModule_(std::move(scopeOfModule)) {
  std::vector<ir::Origin> origins;
  auto add = [&](const ir::Origin &o) {
    if (o.range.valid())
      origins.push_back(o);
  };
  auto addAll = [&](const auto &list) {
    for (const auto &x : list)
      add(x.origin);
  };
  addAll(policy.sections);
  addAll(policy.glossary);
  addAll(policy.zones);
  addAll(policy.hosts);
  addAll(policy.services);
  addAll(policy.roles);
  addAll(policy.lattices);
  addAll(policy.assets);
  addAll(policy.settings);
  addAll(policy.flows);
  addAll(policy.requirements);
  addAll(policy.expectations);
  addAll(policy.bounds);
  addAll(policy.values);
  addAll(policy.exceptions);
  addAll(policy.checks);
  addAll(policy.firewalls);
  addAll(policy.profiles);
  for (const ir::Zone &z : policy.zones)
    addAll(z.addresses);
  for (const ir::Host &h : policy.hosts)
    addAll(h.addresses);
  for (const ir::Exception &e : policy.exceptions)
    addAll(e.acceptedRelays);
  for (const ir::Firewall &fw : policy.firewalls) {
    addAll(fw.managementAddresses);
    for (const ir::Interface &i : fw.interfaces) {
      addAll(i.addresses);
      // An interface has no origin of its own (the document cites it the same way).
      ir::Origin o = i.addresses.empty() ? fw.origin : i.addresses.front().origin;
      o.range = i.range;
      add(o);
    }
  }
  std::sort(origins.begin(), origins.end(), [](const ir::Origin &a, const ir::Origin &b) {
    return std::tie(a.range.file, a.range.begin) < std::tie(b.range.file, b.range.begin);
  });
  std::map<std::string, unsigned> seen;
  for (const ir::Origin &o : origins) {
    const auto key = std::pair{o.range.file, o.range.begin};
    if (byLocation_.count(key))
      continue;
    std::string id = base(o);
    if (const unsigned n = ++seen[id]; n > 1)
      id += fmt::format("-{}", n);
    byLocation_[key] = id;
    entries_.push_back({id, o});
  }
}

std::string StatementIds::base(const ir::Origin &origin) const {
  std::string id = origin.layer == ir::kModuleLayer ? scopeOfModule_(origin.range.file)
                                                    : policy_.layers[static_cast<std::size_t>(origin.layer)].name;
  if (origin.section)
    id += ":" + policy_.sections[*origin.section].number;
  const std::string_view text = sources_.contents(origin.range.file);
  const std::size_t begin = std::min<std::size_t>(origin.range.begin, text.size());
  const std::size_t end = std::clamp<std::size_t>(origin.range.end, begin, text.size());
  return id + "#" + hashDigits(normalisedStatementText(text.substr(begin, end - begin)));
}

std::string StatementIds::of(const ir::Origin &origin) const {
  if (!origin.range.valid())
    return "";
  auto it = byLocation_.find({origin.range.file, origin.range.begin});
  return it != byLocation_.end() ? it->second : base(origin);
}

} // namespace polc::emit
