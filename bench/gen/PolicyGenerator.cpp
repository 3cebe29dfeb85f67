#include "PolicyGenerator.h"

#include <fmt/format.h>

#include <array>
#include <deque>
#include <iterator>
#include <vector>

namespace polc::bench {

std::string_view layerName(Layer layer) {
  switch (layer) {
  case Layer::Basic: return "basic";
  case Layer::Standard: return "standard";
  case Layer::Procedure: return "procedure";
  }
  return "basic";
}

std::optional<Layer> parseLayer(std::string_view name) {
  for (Layer l : {Layer::Basic, Layer::Standard, Layer::Procedure})
    if (layerName(l) == name)
      return l;
  return std::nullopt;
}

namespace {

// splitmix64: tiny, fast, and its output is fixed by definition, unlike <random>'s
// distributions, so a seed reproduces a file everywhere.
class Rng {
public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); n > 0. The modulo bias is far below anything a benchmark can notice.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }
  bool percent(unsigned p) { return below(100) < p; }
  template <typename T, std::size_t N> const T &pick(const std::array<T, N> &a) {
    return a[below(N)];
  }

private:
  std::uint64_t state_;
};

// ---- vocabulary (from the seed policy's register) ----------------------------------------

constexpr std::array<std::string_view, 16> kSubjects = {
    "本市が保有する情報資産",   "職員等",
    "情報セキュリティ管理者",   "システム管理者",
    "マイナンバー利用事務系",   "LGWAN接続系",
    "インターネット接続系",     "外部委託事業者",
    "情報システムの仕様書",     "電磁的記録媒体",
    "統括情報セキュリティ責任者", "ネットワーク及び情報システム",
    "教育委員会",               "市民病院の情報システム",
    "住民基本台帳のデータ",     "庁内の端末",
};
constexpr std::array<std::string_view, 16> kClauses = {
    "機密性、完全性及び可用性を維持するため",
    "他の領域との通信をできないようにした上で",
    "安全が確保された通信だけを許可できるようにするため",
    "情報資産の分類に基づき",
    "インターネットメール本文のテキスト化や端末への画面転送等により",
    "不正アクセスやサービス不能攻撃等のサイバー攻撃に備えて",
    "情報資産の無断持ち出しを防止するため",
    "地震、落雷、火災等の災害によるサービスの停止に備えて",
    "業務の遂行に当たって",
    "情報セキュリティポリシーの見直しに合わせて",
    "USBメモリ等の外部記録媒体の利用を制限した上で",
    "二要素認証を導入し",
    "通信経路の分割を行い",
    "委託管理の不備による漏えいを防ぐため",
    "操作・設定ミスを防止する観点から",
    "定期的に自己点検を実施し",
};
constexpr std::array<std::string_view, 12> kPredicates = {
    "情報セキュリティ対策を講じる",
    "端末からの情報持ち出し不可設定を行う",
    "適切に管理しなければならない",
    "必要な措置を講じるものとする",
    "情報セキュリティ実施手順を遵守しなければならない",
    "その結果を統括情報セキュリティ責任者に報告する",
    "無害化通信を行うものとする",
    "アクセス権限を必要最小限とする",
    "ログを取得し一定期間保存する",
    "速やかに対応手順を実施する",
    "全庁的な組織体制を確立する",
    "当該分類に基づき取り扱う",
};
constexpr std::array<std::string_view, 12> kSectionTitles = {
    "組織体制",           "情報資産の分類と管理", "情報システム全体の強靱性の向上",
    "物理的セキュリティ", "人的セキュリティ",     "技術的セキュリティ",
    "運用",               "業務委託と外部サービスの利用", "評価・見直し",
    "マイナンバー利用事務系", "LGWAN接続系",       "インターネット接続系",
};
constexpr std::array<std::string_view, 8> kZoneTitles = {
    "マイナンバー利用事務系", "LGWAN接続系", "インターネット接続系", "庁内基幹系",
    "教育系",                 "上下水道系",  "病院情報系",           "防災行政系",
};
constexpr std::array<std::string_view, 6> kHostTitles = {
    "メール無害化サーバ", "ファイル無害化サーバ", "バックアップサーバ",
    "認証サーバ",         "仮想デスクトップ基盤", "ログ管理サーバ",
};
constexpr std::array<std::string_view, 10> kCheckQuestions = {
    "端末の情報持ち出し不可設定がされているか",
    "パスワードの文字数と有効期間が基準を満たしているか",
    "不要な通信経路が遮断されているか",
    "アクセス記録が取得され保存されているか",
    "外部記録媒体の利用が許可制となっているか",
    "無害化通信の設定が維持されているか",
    "職員等への研修が年1回以上実施されているか",
    "委託先の管理状況を確認しているか",
    "バックアップからの復旧手順が検証されているか",
    "画面ロックの設定が基準を満たしているか",
};
constexpr std::array<std::string_view, 5> kEvidence = {
    "設定画面のスクリーンショット", "監査ログの抜粋", "研修の受講記録",
    "委託先の報告書",               "復旧試験の記録",
};
constexpr std::array<std::string_view, 3> kRoles = {"ciso", "system_admin", "section_head"};
constexpr std::array<std::string_view, 6> kServices = {"https", "smtp", "dns",
                                                       "rdp",   "ntp",  "backup"};
constexpr std::array<std::string_view, 6> kLevels = {"1", "2", "3C", "3B", "3A", "2"};
constexpr std::array<std::string_view, 4> kExportValues = {"blocked", "approved_only",
                                                           "allowed", "blocked"};
constexpr std::array<std::string_view, 4> kRemoteMethods = {"vpn", "rdp", "ssh", "none"};
constexpr std::array<std::string_view, 4> kKatakana = {"ア", "イ", "ウ", "エ"};
constexpr std::array<std::string_view, 3> kCompare = {"<=", ">=", "=="};

// Longest chunk other than a section, in lines (a set profile: header, 5 sets, `}`).
constexpr std::size_t kMaxLeafLines = 8;

struct Zone {
  std::string name;
  std::uint32_t ordinal; // decides its address block
  std::uint32_t hosts = 0;
};
struct Host {
  std::string name;
};

class Generator {
public:
  Generator(const GeneratorOptions &opts, std::string &out)
      : opts_(opts), out_(out), rng_(opts.seed ^ 0x706F6C632D67656Eull /* "polc-gen" */),
        startSize_(out.size()) {
    auto m = opts.mix;
    weights_ = {m.prose, m.sections, m.zones, m.hosts, m.flows, m.requireStmts, m.sets, m.checks};
    for (unsigned w : weights_)
      totalWeight_ += w;
    // Guarantee progress: a line target needs some kind of chunk, a rule target a rule kind.
    if (opts.rules > 0 && m.flows + m.requireStmts + m.sets + m.checks == 0) {
      weights_[Flow] = 1;
      ++totalWeight_;
    }
    if (totalWeight_ == 0) {
      weights_[Prose] = 1;
      totalWeight_ = 1;
    }
    layerTag_ = layerName(opts.layer).substr(0, 1);
  }

  GeneratorStats run() {
    header();
    prelude();
    if (opts_.rules > 0) {
      while (stats_.rules < opts_.rules)
        chunk(/*allowSection=*/true);
    } else {
      while (stats_.lines + kMaxLeafLines + 2 <= opts_.lines)
        chunk(/*allowSection=*/true);
      while (stats_.lines < opts_.lines)
        oneLineProse(0);
    }
    stats_.bytes = out_.size() - startSize_;
    return stats_;
  }

private:
  enum Kind { Prose, Section, ZoneK, HostK, Flow, Require, Set, Check };

  // ---- output -------------------------------------------------------------------------
  template <typename... Args>
  void line(int indent, fmt::format_string<Args...> f, Args &&...args) {
    out_.append(static_cast<std::size_t>(indent) * 2, ' ');
    fmt::format_to(std::back_inserter(out_), f, std::forward<Args>(args)...);
    out_ += '\n';
    ++stats_.lines;
  }

  bool budgetLeft(std::size_t reserveLines) const {
    if (opts_.rules > 0)
      return stats_.rules < opts_.rules;
    return stats_.lines + kMaxLeafLines + reserveLines <= opts_.lines;
  }
  std::size_t rulesLeft() const {
    return opts_.rules > 0 ? opts_.rules - stats_.rules : SIZE_MAX;
  }
  void countRule(std::size_t &kind) {
    ++kind;
    ++stats_.rules;
  }

  // ---- names and literals ---------------------------------------------------------------
  // Names a statement refers to. Half the time the oldest declared-but-unreferenced one, so
  // that few declarations end up unused (sema warns about those, W0601).
  std::size_t pick(std::size_t count, std::deque<std::size_t> &unused) {
    if (!unused.empty() && rng_.percent(50)) {
      std::size_t i = unused.front();
      unused.pop_front();
      return i;
    }
    return rng_.below(count);
  }
  const Zone &anyZone() { return zones_[pick(zones_.size(), unusedZones_)]; }
  const Host &anyHost() { return hosts_[pick(hosts_.size(), unusedHosts_)]; }

  // Each zone owns 10.X.Y.0/24 and 2001:db8:XY::/48, where XY is its ordinal; its k-th host
  // gets address k+2 in both.
  static std::string zoneV4(const Zone &z) {
    std::uint32_t g = z.ordinal & 0xFFFF;
    return fmt::format("10.{}.{}.0/24", g >> 8, g & 0xFF);
  }
  static std::string zoneV6(const Zone &z) {
    return fmt::format("2001:db8:{:x}::/48", z.ordinal & 0xFFFF);
  }
  static std::string hostV4(const Zone &z, std::uint32_t k) {
    std::uint32_t g = z.ordinal & 0xFFFF;
    return fmt::format("10.{}.{}.{}", g >> 8, g & 0xFF, k % 253 + 2);
  }
  static std::string hostV6(const Zone &z, std::uint32_t k) {
    return fmt::format("2001:db8:{:x}::{:x}", z.ordinal & 0xFFFF, k + 2);
  }
  std::string zoneAddress(const Zone &z) {
    return rng_.percent(opts_.ipv6Percent) ? zoneV6(z) : zoneV4(z);
  }
  std::string hostAddress(const Zone &z, std::uint32_t k) {
    return rng_.percent(opts_.ipv6Percent) ? hostV6(z, k) : hostV4(z, k);
  }
  std::string port() {
    const char *proto = rng_.percent(60) ? "tcp" : "udp";
    std::size_t lo = rng_.between(1, 60000);
    if (rng_.percent(opts_.portRangePercent))
      return fmt::format("{}/{}-{}", proto, lo, lo + rng_.between(1, 5000));
    return fmt::format("{}/{}", proto, lo);
  }
  std::string serviceSpec() {
    switch (rng_.below(4)) {
    case 0: return std::string(rng_.pick(kServices));
    case 1: return port();
    case 2: return fmt::format("[{}, {}]", port(), rng_.pick(kServices));
    default: return fmt::format("[{}, {}, icmp/8]", port(), port());
    }
  }
  std::string endpoint() {
    switch (rng_.below(8)) {
    case 0: return "any";
    case 1: return anyHost().name;
    case 2: {
      const Zone &z = zones_[rng_.below(zones_.size())]; // by address, not by name
      return rng_.percent(50) ? zoneAddress(z) : hostAddress(z, static_cast<std::uint32_t>(rng_.below(200)));
    }
    case 3: return fmt::format("[{}, {}]", anyHost().name, zoneAddress(anyZone()));
    default: return anyZone().name;
    }
  }
  // One sentence: "subject は、[clause、]predicate。".
  std::string sentence() {
    std::string s(rng_.pick(kSubjects));
    s += "は、";
    if (rng_.percent(50)) {
      s += rng_.pick(kClauses);
      s += "、";
    }
    s += rng_.pick(kPredicates);
    s += "。";
    return s;
  }
  // ---- fixed parts ----------------------------------------------------------------------
  void header() {
    line(0, "// Generated by polc-gen (seed {}, layer {}); synthetic benchmark input.",
         opts_.seed, layerName(opts_.layer));
    line(0, "policy {} \"合成ベンチマーク用ポリシー\" version \"{}\";", opts_.policyName,
         opts_.seed);
    switch (opts_.layer) {
    case Layer::Basic:
      line(0, "layer basic \"情報セキュリティ基本方針\" public;");
      break;
    case Layer::Standard:
      line(0, "layer standard \"情報セキュリティ対策基準\" public refines basic;");
      break;
    case Layer::Procedure:
      line(0, "layer procedure \"情報セキュリティ実施手順\" nonpublic refines standard;");
      break;
    }
    // The layer order is declared once per project: here when the file stands alone.
    if (opts_.prelude)
      line(0, "layers basic > standard > procedure;");
  }

  // The shared universe: zones, hosts, services, roles, settings and a classification that
  // every layer's statements may name.
  void prelude() {
    for (std::uint32_t i = 0; i < 8; ++i)
      zones_.push_back({fmt::format("seg_{}", i), i});
    for (std::uint32_t i = 0; i < 4; ++i)
      hosts_.push_back({fmt::format("host_{}", i)});
    if (!opts_.prelude)
      return;
    for (std::uint32_t i = 0; i < 8; ++i) {
      line(0, "zone {} \"{}\" {{", zones_[i].name, kZoneTitles[i]);
      line(1, "address {}, {};", zoneV4(zones_[i]), zoneV6(zones_[i]));
      line(1, "max_confidentiality {};", kLevels[i % kLevels.size()]);
      line(0, "}}");
      ++stats_.zones;
    }
    for (std::uint32_t i = 0; i < 4; ++i) {
      Zone &z = zones_[i];
      line(0, "host {} \"{}\" in {} {{", hosts_[i].name, kHostTitles[i], z.name);
      line(1, "address {};", hostAddress(z, z.hosts++));
      if (i < 2)
        line(1, "sanitizer {};", i == 0 ? "mail_text" : "file_sanitize");
      line(0, "}}");
      ++stats_.hosts;
    }
    // Sanitiser kinds, as std.lgov declares them; the generated file imports nothing.
    line(0, "term mail_text \"メール無害化（テキスト化）\";");
    line(0, "term file_sanitize \"ファイル無害化\";");
    line(0, "service https \"HTTPS\" = tcp/443;");
    line(0, "service smtp \"メール\" = tcp/25, tcp/587;");
    line(0, "service dns \"DNS\" = tcp/53, udp/53;");
    line(0, "service rdp \"リモートデスクトップ\" = tcp/3389;");
    line(0, "service ntp \"時刻同期\" = udp/123;");
    line(0, "service backup \"バックアップ\" = tcp/10000-10010, esp;");
    line(0, "role ciso \"最高情報セキュリティ責任者\" authority 3;");
    line(0, "role system_admin \"システム管理者\" authority 2;");
    line(0, "role section_head \"情報セキュリティ管理者\" authority 1;");
    line(0, "classification confidentiality \"機密性\" {{");
    line(1, "level 1 \"公開\"; level 2; level 3C; level 3B; level 3A \"秘密文書相当\";");
    line(1, "order 1 < 2 < 3C < 3B < 3A;");
    line(0, "}}");
    line(0, "setting screen_lock.idle \"画面ロックまでの時間\" : duration 1m..24h;");
    line(0, "setting password.min_length \"パスワードの最小文字数\" : int 1..128;");
    line(0, "setting password.max_age \"パスワードの有効期間\" : duration 1d..365d;");
    line(0, "setting lockout.threshold \"ロックアウトまでの失敗回数\" : int 1..100;");
    line(0, "setting endpoint.export \"情報持ち出し\" : enum(blocked, approved_only, allowed);");
    line(0, "setting remote_access.method \"リモート接続方式\" : enum(vpn, rdp, ssh, none);");
    line(0, "setting usb.allowed \"USBメモリの利用\" : bool;");
  }

  // ---- chunks ---------------------------------------------------------------------------
  void chunk(bool allowSection) {
    std::size_t r = rng_.below(totalWeight_);
    int kind = 0;
    while (r >= weights_[kind]) {
      r -= weights_[kind];
      ++kind;
    }
    // Sections do not nest; a nested draw becomes prose, the usual content of a clause.
    if (kind == Section && !allowSection)
      kind = Prose;
    int indent = allowSection ? 0 : 1;
    switch (kind) {
    case Prose: prose(indent); break;
    case Section: section(); break;
    case ZoneK: zone(indent); break;
    case HostK: host(indent); break;
    case Flow: flow(indent); break;
    case Require: require(indent); break;
    case Set: setProfile(indent); break;
    case Check: check(indent); break;
    }
  }

  // A long sentence wrapped the way authors wrap Japanese prose: one phrase per string, the
  // strings concatenated by the parser.
  void prose(int indent) {
    std::size_t n = rng_.between(1, 4);
    if (n == 1) {
      oneLineProse(indent);
      return;
    }
    line(indent, "text \"{}は、\"", rng_.pick(kSubjects));
    std::size_t first = rng_.below(kClauses.size());
    for (std::size_t i = 1; i + 1 < n; ++i) // distinct clauses: consecutive indices
      line(indent + 1, "\"{}、\"", kClauses[(first + i) % kClauses.size()]);
    line(indent + 1, "\"{}。\";", rng_.pick(kPredicates));
    ++stats_.proseStatements;
  }
  void oneLineProse(int indent) {
    line(indent, "text \"{}\";", sentence());
    ++stats_.proseStatements;
  }

  void section() {
    ++stats_.sections;
    line(0, "section \"{}({}){}\" \"{}\" {{", stats_.sections, rng_.between(1, 9),
         rng_.pick(kKatakana), rng_.pick(kSectionTitles));
    prose(1);
    // Closing brace reserved on top of the leaf reserve.
    for (std::size_t i = 0, n = rng_.between(3, 6); i < n && budgetLeft(1); ++i)
      chunk(/*allowSection=*/false);
    line(0, "}}");
  }

  void zone(int indent) {
    auto ordinal = static_cast<std::uint32_t>(static_cast<std::uint32_t>(opts_.layer) * 20000 +
                                              8 + bodyZones_++);
    Zone z{fmt::format("seg_{}{}", layerTag_, bodyZones_), ordinal};
    line(indent, "zone {} \"{}第{}区画\" {{", z.name, rng_.pick(kZoneTitles), bodyZones_);
    if (rng_.percent(50))
      line(indent + 1, "address {};", zoneAddress(z));
    else
      line(indent + 1, "address {}, {};", zoneV4(z), zoneV6(z));
    line(indent + 1, "max_confidentiality {};", rng_.pick(kLevels));
    line(indent, "}}");
    unusedZones_.push_back(zones_.size());
    zones_.push_back(std::move(z));
    ++stats_.zones;
  }

  void host(int indent) {
    Zone &z = zones_[pick(zones_.size(), unusedZones_)];
    Host h{fmt::format("host_{}{}", layerTag_, ++bodyHosts_)};
    line(indent, "host {} \"{}{}\" in {} {{", h.name, rng_.pick(kHostTitles), bodyHosts_, z.name);
    std::uint32_t k = z.hosts++;
    if (rng_.percent(30))
      line(indent + 1, "address {}, {};", hostV4(z, k), hostV6(z, k));
    else
      line(indent + 1, "address {};", hostAddress(z, k));
    if (rng_.percent(20))
      line(indent + 1, "sanitizer {};", rng_.percent(50) ? "mail_text" : "file_sanitize");
    line(indent, "}}");
    unusedHosts_.push_back(hosts_.size());
    hosts_.push_back(std::move(h));
    ++stats_.hosts;
  }

  void flow(int indent) {
    countRule(stats_.flows);
    // Upper layers mostly forbid; lower layers mostly open concrete paths.
    unsigned denyPercent = opts_.layer == Layer::Basic ? 70 : opts_.layer == Layer::Standard ? 40 : 20;
    if (rng_.percent(denyPercent)) {
      const Zone &a = anyZone();
      switch (rng_.below(4)) {
      case 0: line(indent, "deny {} -> !{};", a.name, a.name); return;
      case 1: line(indent, "deny {} <-> any;", a.name); return;
      case 2:
        line(indent, "deny {} <-> {} unless via sanitizer(mail_text, file_sanitize);", a.name,
             anyZone().name);
        return;
      default:
        line(indent, "deny {} -> {} service {};", endpoint(), endpoint(), serviceSpec());
        return;
      }
    }
    line(indent, "allow {} -> {} service {};", endpoint(), endpoint(), serviceSpec());
  }

  std::string scope() {
    switch (rng_.below(4)) {
    case 0: return fmt::format(" on zone {}", anyZone().name);
    case 1: return fmt::format(" on host {}", anyHost().name);
    default: return "";
    }
  }

  void require(int indent) {
    countRule(stats_.requireStmts);
    switch (rng_.below(7)) {
    case 0:
      line(indent, "require screen_lock.idle {} {}m{};", rng_.pick(kCompare), rng_.between(1, 30),
           scope());
      return;
    case 1:
      line(indent, "require password.min_length >= {}{};", rng_.between(8, 16), scope());
      return;
    case 2: {
      std::size_t lo = rng_.between(1, 5);
      line(indent, "require lockout.threshold in {}..{}{};", lo, lo + rng_.between(1, 20), scope());
      return;
    }
    case 3:
      line(indent, "require password.max_age in 1d..{}d{};", rng_.between(30, 365), scope());
      return;
    case 4:
      line(indent, "require endpoint.export == {}{};", rng_.pick(kExportValues), scope());
      return;
    case 5:
      line(indent, "require remote_access.method not in [{}, {}]{};", kRemoteMethods[0],
           kRemoteMethods[1 + rng_.below(3)], scope());
      return;
    default:
      line(indent, "require flow {} -> {} service {};", anyHost().name, anyZone().name,
           rng_.pick(kServices));
      return;
    }
  }

  void setProfile(int indent) {
    ++profiles_;
    line(indent, "endpoint_profile prof_{}{} \"端末プロファイル{}\" platform {} on zone {} {{",
         layerTag_, profiles_, profiles_, rng_.percent(70) ? "windows" : "linux",
         anyZone().name);
    // Distinct settings: a profile that sets one twice is an error (E0722).
    std::array<int, 6> order = {0, 1, 2, 3, 4, 5};
    for (std::size_t i = order.size() - 1; i > 0; --i)
      std::swap(order[i], order[rng_.below(i + 1)]);
    std::size_t n = std::min<std::size_t>(rng_.between(2, 5), rulesLeft());
    for (std::size_t i = 0; i < n; ++i) {
      countRule(stats_.sets);
      switch (order[i]) {
      case 0: line(indent + 1, "set screen_lock.idle = {}m;", rng_.between(1, 15)); break;
      case 1: line(indent + 1, "set password.min_length = {};", rng_.between(8, 20)); break;
      case 2: line(indent + 1, "set password.max_age = {}d;", rng_.between(30, 180)); break;
      case 3: line(indent + 1, "set usb.allowed = {};", rng_.percent(80) ? "false" : "true"); break;
      case 4:
        line(indent + 1, "set endpoint.export = {}{};", rng_.pick(kExportValues), scope());
        break;
      default: line(indent + 1, "set lockout.threshold = {};", rng_.between(3, 10)); break;
      }
    }
    line(indent, "}}");
  }

  void check(int indent) {
    countRule(stats_.checks);
    const char *kind = rng_.percent(70) ? "self_inspection" : "audit";
    std::string_view q = rng_.pick(kCheckQuestions);
    std::string_view owner = rng_.pick(kRoles);
    switch (rng_.below(3)) {
    case 0:
      line(indent, "check {} \"{}\" owner {} every {};", kind, q, owner,
           rng_.percent(50) ? "fiscal_year" : "1w");
      return;
    case 1:
      line(indent, "check {} \"{}\" owner {}", kind, q, owner);
      line(indent + 1, "method interview, document_review every fiscal_year category technical;");
      return;
    default:
      line(indent, "check {} \"{}\" owner {}", kind, q, owner);
      line(indent + 1, "method interview every {}d category operational", rng_.between(7, 365));
      line(indent + 1, "evidence \"{}\";", rng_.pick(kEvidence));
      return;
    }
  }

  const GeneratorOptions &opts_;
  std::string &out_;
  Rng rng_;
  std::size_t startSize_;
  std::array<unsigned, 8> weights_{};
  std::size_t totalWeight_ = 0;
  std::string_view layerTag_;
  GeneratorStats stats_;
  std::vector<Zone> zones_;
  std::vector<Host> hosts_;
  std::deque<std::size_t> unusedZones_, unusedHosts_;
  std::uint32_t bodyZones_ = 0;
  std::uint32_t bodyHosts_ = 0;
  std::uint32_t profiles_ = 0;
};

} // namespace

GeneratorStats generatePolicy(const GeneratorOptions &opts, std::string &out) {
  return Generator(opts, out).run();
}

std::string generatePolicy(const GeneratorOptions &opts, GeneratorStats *stats) {
  std::string out;
  // About 45 bytes a line on the default mix; one reservation avoids regrowth copies.
  out.reserve(opts.lines * 48 + opts.rules * 120 + 4096);
  GeneratorStats s = generatePolicy(opts, out);
  if (stats)
    *stats = s;
  return out;
}

} // namespace polc::bench
