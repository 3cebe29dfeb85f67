#include "endpoint/SummaryWriter.h"

#include "endpoint/Text.h"

#include <algorithm>
#include <set>

namespace polc::emit::endpoint {

namespace {

std::string settingCell(const ResolvedSetting &s) {
  return markdownText(s.setting->title.value_or("")) + " " + markdownCode(s.setting->name);
}

std::string clauseCell(const RuleOrigin &o) {
  return markdownText(o.clause + (o.clauseTitle.empty() ? "" : " " + o.clauseTitle));
}

std::string sourceCell(const RuleOrigin &o) {
  return markdownCode(o.statement);
}

std::string row(std::initializer_list<std::string> cells) {
  std::string out = "|";
  for (const std::string &c : cells)
    out += " " + c + " |";
  return out + "\n";
}

} // namespace

OutputFile writeSummary(const ResolvedProfile &p, const std::string &configFile) {
  const ir::EndpointProfile &profile = *p.profile;
  const bool windows = p.platform->name == "windows";
  std::string md = "# エンドポイント設定 " + markdownText(profile.name) + "\n\n";
  md += "| 項目 | 内容 |\n|---|---|\n";
  md += row({"プロファイル", markdownCode(profile.name) + " " + markdownText(profile.title.value_or(""))});
  md += row({"プラットフォーム", markdownText(p.platform->name)});
  md += row({"生成したファイル", markdownCode(configFile) +
                                   (windows ? " (secedit セキュリティテンプレート、UTF-16LE)" : " (Ansible プレイブック)")});
  std::string scope;
  for (const std::string &s : p.scope)
    scope += (scope.empty() ? "" : "、") + markdownCode(s);
  md += row({"適用範囲", scope.empty() ? "(指定なし)" : scope});
  if (!windows)
    md += row({"インベントリのグループ", markdownCode(p.group) + " (適用範囲のホストをこのグループに入れる)"});
  md += row({"定義", clauseCell(p.origin) + " " + sourceCell(p.origin) + " " + markdownText(p.origin.layer)});
  md += windows ? "\n適用: `secedit /configure /db polc.sdb /cfg " + p.stem + ".inf`\n"
                : "\n適用: `ansible-playbook -i INVENTORY " + p.stem + ".yml`\n";

  md += "\n## 設定値とプラットフォームのキー\n\n";
  md += "| 設定 | 値 | キー | 書き込む値 | 条項 | 出典 | 層 |\n|---|---|---|---|---|---|---|\n";
  for (const ResolvedSetting &s : p.settings) {
    auto line = [&](const std::string &key, const std::string &written) {
      md += row({settingCell(s), markdownCode(s.value.str()), key, written, clauseCell(s.origin),
                 sourceCell(s.origin), markdownText(s.origin.layer)});
    };
    for (const ResolvedKey &k : s.keys)
      line(markdownCode(keyLabel(*k.key)) + " " + markdownText(k.key->title),
           k.key->value ? markdownCode(k.text) : "-");
    for (const Step *step : s.steps)
      if (s.keys.empty())
        line("(前提の作業) " + markdownText(step->title), "-");
  }

  std::string manual;
  for (const ResolvedSetting &s : p.settings)
    if (s.manual)
      manual += row({settingCell(s), markdownCode(s.value.str()), markdownText(*s.manual),
                     s.attestation ? markdownText(s.attestation->first) : "-",
                     s.attestation ? markdownText(s.attestation->second) : "-", clauseCell(s.origin),
                     sourceCell(s.origin), markdownText(s.origin.layer)});
  // 確認者 and 証跡 come from `attest`; a `set` that only a manual entry covers has neither,
  // and the analysis reports it when a requirement relies on it (E0951).
  if (!manual.empty())
    md += "\n## 手作業・運用で行う項目\n\n| 設定 | 値 | 実施方法 | 確認者 | 証跡 | 条項 | 出典 | 層 |\n"
          "|---|---|---|---|---|---|---|---|\n" +
          manual;

  // One row per note and setting, naming every key the note is about.
  std::string notes;
  for (const ResolvedSetting &s : p.settings) {
    std::vector<std::pair<const std::string *, std::string>> byNote;
    for (const ResolvedKey &k : s.keys) {
      if (!k.note)
        continue;
      auto it = std::find_if(byNote.begin(), byNote.end(), [&](const auto &n) { return *n.first == *k.note; });
      const std::string label = markdownCode(keyLabel(*k.key));
      if (it == byNote.end())
        byNote.emplace_back(k.note, label);
      else
        it->second += "、" + label;
    }
    for (const auto &[note, keys] : byNote)
      notes += row({settingCell(s), markdownCode(s.value.str()), keys, markdownText(*note)});
  }
  if (!notes.empty())
    md += "\n## 注意事項\n\n| 設定 | 値 | キー | 注意 |\n|---|---|---|---|\n" + notes;

  std::string steps;
  std::set<const Step *> seen;
  for (const ResolvedSetting &s : p.settings)
    for (const Step *step : s.steps)
      if (seen.insert(step).second)
        steps += row({markdownText(step->title), markdownText(step->source)});
  if (!steps.empty())
    md += "\n## 前提の作業\n\n| 作業 | 出典 |\n|---|---|\n" + steps;

  if (!p.notSet.empty()) {
    md += "\n## このプロファイルが設定しない項目\n\n";
    md += "端末の現在の設定のままとなる。polc は既定値を代わりに書き込まない"
          "（既定値は上位の層の基準と照合されていないため）。\n\n| 設定 | 既定値（参考） |\n|---|---|\n";
    for (const ir::Setting *s : p.notSet)
      md += row({markdownText(s->title.value_or("")) + " " + markdownCode(s->name),
                 s->defaultValue ? markdownCode(s->defaultValue->str()) : "-"});
  }

  std::string sources;
  std::set<const Key *> listed;
  for (const ResolvedSetting &s : p.settings)
    for (const ResolvedKey &k : s.keys)
      if (listed.insert(k.key).second)
        sources += row({markdownCode(keyLabel(*k.key)), markdownText(k.key->source)});
  if (!sources.empty())
    md += "\n## プラットフォームの事実の出典\n\n| キー | 出典 |\n|---|---|\n" + sources;
  return {"endpoint/" + p.stem + ".md", md};
}

} // namespace polc::emit::endpoint
