// polc init DIR: a starter project that checks clean and builds as written (tested by
// tests/golden/run_fmt_init.py), with Japanese comments that say what to replace.
#include "Commands.h"
#include "Driver.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace polc::cli {

namespace {

namespace fs = std::filesystem;

struct StarterFile {
  const char *name;
  const char *text;
};

// The files, in the order polc.yaml lists them. The layers import std.lgov and the α network
// model (std.lgov.alpha); every requirement of the model is met by a profile (or an `attest`
// where no generated file can configure the value), so `polc check` is clean.
constexpr StarterFile kStarter[] = {
    {"polc.yaml", R"STARTER(# polc のプロジェクト設定（polc init が作成）。各キーの意味は polc の docs/polc-yaml.md を参照。
# policy: ポリシーの名前。各 .pol ファイルの `policy` 行の名前と同じにする。
policy: example_city
# entries: ポリシーを構成するファイル。基本方針・対策基準・実施手順の順に並べる。
entries: [basic.pol, standard.pol, procedure.pol]
# layers: 階層の順（上位が先）。std.lgov の `layers basic > standard > procedure;` と一致させる。
layers: [basic, standard, procedure]
# outputs: polc build が作る成果物の種類（firewall, endpoint, checklist, document）。
outputs: [firewall, endpoint, checklist, document]
)STARTER"},
    {"basic.pol", R"STARTER(// 情報セキュリティ基本方針（polc init が作成した雛形）
//
// ここに自治体の基本方針を書きます。次の箇所を自分の団体に合わせて書き換えてください。
//   - `policy` 行: ポリシーの名前（polc.yaml の policy: と同じ）と題名、版
//   - 各 section の text: 基本方針の本文（例規の条文どおりに）
// 基本方針は公開する文書なので、アドレスや機器名はここに書かず、実施手順（procedure.pol）に書きます。
policy example_city "〇〇市情報セキュリティポリシー" version "2026.04";
layer basic "情報セキュリティ基本方針" public;
import std.lgov;
// ネットワークの三層の対策は、総務省ガイドラインのαモデル（std.lgov.alpha）を採用する例です。
// βモデルを採用する場合は std.lgov.beta に書き換えます。
import std.lgov.alpha;

section "1" "目的" {
  text "本基本方針は、本市が保有する情報資産の機密性、完全性及び可用性を維持するため、"
       "本市が実施する情報セキュリティ対策について基本的な事項を定めることを目的とする。";
}

section "2" "情報システム全体の強靱性の向上" {
  text "マイナンバー利用事務系は、他の領域との通信をできないようにする。";
  text "LGWAN接続系とインターネット接続系は、通信経路を分割し、無害化通信を経由する場合に限り通信する。";
  // 例: 全端末に画面ロックを求める基準。値は自団体の基準に書き換えてください。
  require screen_lock.idle <= 15m;
}
)STARTER"},
    {"standard.pol", R"STARTER(// 情報セキュリティ対策基準（polc init が作成した雛形）
//
// 基本方針を具体化する公開の文書です。サーバ、系の間で許す通信を書きます。アドレスは公表しない
// ため、実施手順（procedure.pol）に書きます。
// 次の箇所を自分の団体に合わせて書き換えてください。
//   - host: サーバや端末群の名前と題名
//   - allow: 系の中で許す通信（許していない通信は全て遮断されます）
policy example_city "〇〇市情報セキュリティポリシー" version "2026.04";
layer standard "情報セキュリティ対策基準" public refines basic;
import std.lgov;
import std.lgov.alpha;

section "1" "ネットワーク" {
  text "各系のアドレスは、実施手順に定める。";
  host lg_terminals "LGWAN接続系端末" in lgwan;
  host lg_file "ファイルサーバ" in lgwan;

  text "LGWAN接続系の端末は、ファイルサーバを利用できる。";
  allow lg_terminals -> lg_file service smb;
}
)STARTER"},
    {"procedure.pol", R"STARTER(// 情報セキュリティ実施手順（polc init が作成した雛形）
//
// 公開しない文書です（`nonpublic`）。機器の名前、インタフェース、端末の設定値を書きます。
// 次の箇所を自分の団体に合わせて書き換えてください。
//   - refine zone / refine host のアドレス: 各系とサーバに割り当てたアドレス
//   - firewall: 機器の名前、機種（platform）、インタフェース名とアドレス
//   - endpoint_profile: 端末の設定値（基本方針・対策基準の require を満たす値）
//   - ファイアウォールを置くときは、次のように宣言すると polc build がルールを生成します。
//       firewall fw-core "境界ファイアウォール" platform nftables {
//         interface eth0 zone lgwan { address 10.20.0.1; }
//         interface eth1 zone internet { address 10.30.0.1; }
//       }
policy example_city "〇〇市情報セキュリティポリシー" version "2026.04";
layer procedure "情報セキュリティ実施手順" nonpublic refines standard;
import std.lgov;

section "1" "アドレス" {
  text "各系及びサーバのアドレスは、次のとおりとする。";
  refine zone mynumber { address 10.10.0.0/16; }
  refine zone lgwan { address 10.20.0.0/16; }
  refine zone internet { address 10.30.0.0/16; }
  refine host lg_terminals { address 10.20.100.0/24; }
  refine host lg_file { address 10.20.1.10; }
}

section "2" "端末及びサーバの設定" {
  text "端末及びサーバは、系ごとに次の設定で構成する。";
  endpoint_profile mynumber_endpoints "マイナンバー利用事務系の端末及びサーバ" platform windows on zone mynumber {
    set screen_lock.idle = 10m;
  }
  endpoint_profile lgwan_endpoints "LGWAN接続系の端末及びサーバ" platform windows on zone lgwan {
    set screen_lock.idle = 10m;
    // 画面転送製品の設定はpolcが書けないため、設定した担当者と根拠（証跡）を attest で示す。
    attest screen_transfer.clipboard = blocked owner system_admin evidence "画面転送製品の設定画面";
  }
  endpoint_profile internet_endpoints "インターネット接続系の端末及びサーバ" platform windows on zone internet {
    set screen_lock.idle = 10m;
    attest internet.egress = security_cloud owner system_admin evidence "プロキシ設定及び境界ファイアウォールの設定";
  }
}
)STARTER"},
};

int init(const InitOptions &opts, diag::DiagnosticsEngine &diags) {
  const fs::path dir(opts.dir);
  std::error_code ec;
  bool created = false;
  if (fs::exists(fs::symlink_status(dir, ec))) {
    if (!fs::is_directory(fs::symlink_status(dir, ec))) {
      diags.report(diag::DiagID::InitWriteFailed, diag::SourceRange{}, opts.dir, "it exists and is not a folder");
      return kExitUsage;
    }
    if (!fs::is_empty(dir, ec) || ec) {
      diags.report(diag::DiagID::InitFolderNotEmpty, diag::SourceRange{}, opts.dir);
      return kExitUsage;
    }
  } else if (!(created = fs::create_directory(dir, ec))) {
    diags.report(diag::DiagID::InitWriteFailed, diag::SourceRange{}, opts.dir, ec.message());
    return kExitUsage;
  }
  std::vector<fs::path> written;
  for (const StarterFile &f : kStarter) {
    const fs::path path = dir / f.name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << f.text;
    out.close();
    if (!out) {
      const std::string why = std::strerror(errno);
      // Leave the folder as it was found: empty, or missing when polc made it.
      for (const fs::path &p : written)
        fs::remove(p, ec);
      fs::remove(path, ec);
      if (created)
        fs::remove(dir, ec);
      diags.report(diag::DiagID::InitWriteFailed, diag::SourceRange{}, opts.dir, why);
      return kExitUsage;
    }
    written.push_back(path);
  }
  return kExitOk;
}

} // namespace

int runInit(const InitOptions &opts) {
  CommonOptions common;
  return runGuarded(common, [&](diag::SourceManager &, diag::DiagnosticsEngine &diags) {
    const int status = init(opts, diags);
    if (!diags.diagnostics().empty())
      render(common, diags, false);
    return status;
  });
}

} // namespace polc::cli
