// Endpoint configurations end to end: the stdlib tables cover the schema; every INF the city
// example produces reads back strictly and holds exactly the keys and values the profile implies
// (by an oracle written here from Microsoft's documentation, independently of the tables); the
// playbooks carry the values; unmapped, scoped, unrepresentable and clashing profiles are errors
// at the right place; hostile titles inject nothing.
#include "InfReader.h"
#include "SemaTestUtil.h"
#include "endpoint/Conversion.h"
#include "endpoint/EndpointData.h"

#include "polc/emit/Endpoints.h"
#include "polc/emit/Firewalls.h"
#include "polc/sema/Project.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

namespace polc::emit {
namespace {

namespace fs = std::filesystem;
using test::Inf;
using test::InfRegistryValue;

const std::string kStdlib = std::string(POLC_SOURCE_DIR) + "/stdlib";

const EndpointTables &tables() {
  static const EndpointTables t = [] {
    std::string error;
    auto loaded = loadEndpointTables(kStdlib, error);
    if (!loaded)
      throw std::runtime_error(error);
    return std::move(*loaded);
  }();
  return t;
}

// A project folder loaded, checked and lowered as `polc build` does.
struct Project {
  diag::SourceManager sources;
  diag::DiagnosticsEngine diags{sources};
  std::unique_ptr<ir::Policy> policy;
  std::string root;
};

std::unique_ptr<Project> loadFolder(const std::string &dir) {
  auto p = std::make_unique<Project>();
  p->root = dir;
  sema::LoadOptions options;
  options.stdlibOverride = kStdlib;
  options.builtinStdlib = kStdlib;
  sema::LoadResult loaded = sema::loadProject({dir}, options, p->sources, p->diags);
  if (!loaded.ioError && !p->diags.hasErrors() && sema::analyze(*loaded.program, loaded.manifest, p->diags))
    p->policy = ir::lower(*loaded.program);
  return p;
}

std::vector<OutputFile> emit(const ir::Policy &policy, const diag::SourceManager &sources,
                             diag::DiagnosticsEngine &diags, const std::string &root = ".") {
  FirewallEmitOptions options;
  options.projectRoot = root;
  options.stdlibDir = kStdlib;
  return emitEndpoints(policy, tables(), sources, options, diags);
}

// The stable identity the outputs cite a statement by (polc/emit/StatementIds.h).
std::string identity(const ir::Policy &policy, const diag::SourceManager &sources, const ir::Origin &origin) {
  FirewallEmitOptions options;
  options.projectRoot = ".";
  options.stdlibDir = kStdlib;
  return OriginNamer(policy, sources, options).of(origin).statement;
}

const OutputFile *file(const std::vector<OutputFile> &files, const std::string &path) {
  for (const OutputFile &f : files)
    if (f.path == path)
      return &f;
  return nullptr;
}

Inf readBack(const OutputFile &f) {
  auto r = test::readInf(f.contents);
  if (auto *e = std::get_if<test::InfError>(&r))
    ADD_FAILURE() << f.path << ":" << e->line << ": " << e->message;
  return std::holds_alternative<Inf>(r) ? std::get<Inf>(r) : Inf{};
}

// ---- the oracle -----------------------------------------------------------------------------
// What a Windows security template must hold for a profile, from Microsoft's documentation of
// each policy setting (minutes for lockout, days and -1 for password age, seconds for the
// inactivity limit, the Removable Storage Access class GUIDs, ...).

struct WindowsExpectation {
  std::map<std::string, std::int64_t> systemAccess, eventAudit;
  std::map<std::string, std::pair<int, std::string>> registry; // path -> (type, data)
  std::map<std::string, int> services;
};

const std::string kRemovable = "MACHINE\\Software\\Policies\\Microsoft\\Windows\\RemovableStorageDevices\\";

WindowsExpectation expectWindows(const ir::Policy &policy, const ir::EndpointProfile &profile) {
  WindowsExpectation e;
  auto dword = [&](const std::string &path, std::int64_t v) { e.registry[path] = {4, std::to_string(v)}; };
  for (ir::Id id : profile.values) {
    const ir::SettingValue &sv = policy.values[id];
    const std::string &name = policy.settings[sv.setting].name;
    const sema::TypedValue &v = sv.value;
    if (name == "password.min_length") {
      e.systemAccess["MinimumPasswordLength"] = v.number;
      dword("MACHINE\\System\\CurrentControlSet\\Control\\SAM\\RelaxMinimumPasswordLengthLimits", 1);
    } else if (name == "password.complexity_classes") {
      e.systemAccess["PasswordComplexity"] = v.number >= 2 ? 1 : 0;
    } else if (name == "password.history") {
      e.systemAccess["PasswordHistorySize"] = v.number;
    } else if (name == "password.max_age") {
      e.systemAccess["MaximumPasswordAge"] = v.number == 0 ? -1 : v.number / 86400;
    } else if (name == "lockout.threshold") {
      e.systemAccess["LockoutBadCount"] = v.number;
    } else if (name == "lockout.duration") {
      e.systemAccess["LockoutDuration"] = v.number / 60;
      e.systemAccess["ResetLockoutCount"] = v.number / 60;
    } else if (name == "screen_lock.idle") {
      dword("MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\InactivityTimeoutSecs", v.number);
    } else if (name == "media.removable_storage" && v.text != "approved_only") {
      for (const char *cls : {"{53f5630d-b6bf-11d0-94f2-00a0c91efb8b}", "{6AC27878-A6FA-4155-BA85-F98F491D4F33}",
                              "{F33FDC04-D1AC-4E8E-9A30-19BBD4B108AE}"})
        for (const char *access : {"\\Deny_Read", "\\Deny_Write"})
          dword(kRemovable + cls + access, v.text == "blocked" ? 1 : 0);
    } else if (name == "media.optical") {
      dword(kRemovable + "{53f56308-b6bf-11d0-94f2-00a0c91efb8b}\\Deny_Read", v.text == "blocked" ? 1 : 0);
      dword(kRemovable + "{53f56308-b6bf-11d0-94f2-00a0c91efb8b}\\Deny_Write", v.text == "allowed" ? 0 : 1);
    } else if (name == "media.autorun") {
      const std::string explorer = "MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\Explorer\\";
      dword(explorer + "NoDriveTypeAutoRun", v.boolean ? 0x91 : 0xFF);
      dword(explorer + "NoAutorun", v.boolean ? 0 : 1);
    } else if (name == "host_firewall.enabled") {
      for (const char *prof : {"DomainProfile", "StandardProfile", "PublicProfile"})
        dword(std::string("MACHINE\\Software\\Policies\\Microsoft\\WindowsFirewall\\") + prof + "\\EnableFirewall",
              v.boolean ? 1 : 0);
    } else if (name == "patch.critical_within") {
      const std::string wu = "MACHINE\\Software\\Policies\\Microsoft\\Windows\\WindowsUpdate\\";
      dword(wu + "SetComplianceDeadline", 1);
      dword(wu + "ConfigureDeadlineForQualityUpdates", v.number / 86400);
    } else if (name == "log.monitoring" && v.text != "none") {
      for (const char *audit : {"AuditLogonEvents", "AuditAccountLogon", "AuditAccountManage", "AuditPolicyChange",
                                "AuditSystemEvents"})
        e.eventAudit[audit] = 3; // success and failure
      e.eventAudit["AuditPrivilegeUse"] = 2;
    } else if (name == "time.ntp_source") {
      const std::string w32 = "MACHINE\\Software\\Policies\\Microsoft\\W32Time\\";
      e.registry[w32 + "Parameters\\NtpServer"] = {1, v.text + ",0x8"};
      e.registry[w32 + "Parameters\\Type"] = {1, "NTP"};
      dword(w32 + "TimeProviders\\NtpClient\\Enabled", 1);
    } else if (name == "wireless.policy") {
      e.services["WlanSvc"] = v.text == "prohibited" ? 4 : 2;
    } else if (name == "bluetooth.enabled") {
      e.services["bthserv"] = v.boolean ? 3 : 4;
    }
    // Everything else is organisational or product-specific: no key (the tables say `manual`).
  }
  return e;
}

void expectInfMatches(const Inf &inf, const WindowsExpectation &e, const std::string &what) {
  EXPECT_EQ(inf.systemAccess, e.systemAccess) << what;
  EXPECT_EQ(inf.eventAudit, e.eventAudit) << what;
  std::map<std::string, std::pair<int, std::string>> registry;
  for (const auto &[path, v] : inf.registry)
    registry[path] = {v.type, v.type == 4 ? std::to_string(v.dword) : v.text};
  EXPECT_EQ(registry, e.registry) << what;
  EXPECT_EQ(inf.services, e.services) << what;
}

// ---- playbooks ------------------------------------------------------------------------------

struct Task {
  std::string name, module;
  YAML::Node args;
};

std::vector<Task> tasksOf(const OutputFile &f, std::string *hosts = nullptr) {
  const YAML::Node doc = YAML::Load(f.contents);
  EXPECT_TRUE(doc.IsSequence() && doc.size() == 1) << f.path;
  const YAML::Node play = doc[0];
  if (hosts)
    *hosts = play["hosts"].as<std::string>();
  EXPECT_TRUE(play["become"].as<bool>());
  std::vector<Task> out;
  for (const char *list : {"tasks", "handlers"})
    for (const auto &t : play[list]) {
      Task task;
      for (const auto &kv : t) {
        const auto k = kv.first.as<std::string>();
        if (k == "name")
          task.name = kv.second.as<std::string>();
        else if (k != "notify")
          task.module = k, task.args = kv.second;
      }
      out.push_back(task);
    }
  return out;
}

// The line a lineinfile task puts into `path`, or the content a copy task writes there.
std::string written(const std::vector<Task> &tasks, const std::string &path, const std::string &match = "") {
  for (const Task &t : tasks) {
    if (t.module == "ansible.builtin.copy" && t.args["dest"].as<std::string>() == path)
      return t.args["content"].as<std::string>();
    if (t.module == "ansible.builtin.lineinfile" && t.args["path"].as<std::string>() == path &&
        t.args["line"].as<std::string>().rfind(match, 0) == 0)
      return t.args["line"].as<std::string>();
  }
  return "(nothing)";
}

// ---- tests ----------------------------------------------------------------------------------

TEST(EndpointTables, EverySchemaSettingIsMappedOnEveryPlatform) {
  auto p = loadFolder(std::string(POLC_SOURCE_DIR) + "/examples/miyoshi");
  ASSERT_TRUE(p->policy);
  std::size_t schema = 0;
  for (const ir::Setting &s : p->policy->settings) {
    if (s.origin.layer != ir::kModuleLayer)
      continue;
    ++schema;
    for (const char *platform : {"windows", "linux"})
      EXPECT_TRUE(tables().maps(platform, s.name)) << platform << " " << s.name;
  }
  EXPECT_EQ(schema, 31u); // std.lgov's settings, exception.lifetime included
}

// Every value of every enum, bool and small int setting is written, needs a step or is explained
// as manual, on both platforms; the one exception is a fact of the platform.
TEST(EndpointTables, EveryValueOfSmallDomainsIsCovered) {
  auto p = loadFolder(std::string(POLC_SOURCE_DIR) + "/examples/miyoshi");
  ASSERT_TRUE(p->policy);
  // Three authentication factors cannot be asked for by sshd alone: an error, not a silent drop.
  const std::set<std::tuple<std::string, std::string, std::string>> uncovered = {{"linux", "auth.factors", "3"}};
  for (const ir::Setting &s : p->policy->settings) {
    std::vector<sema::TypedValue> values;
    auto add = [&](sema::TypedValue::Kind kind, std::int64_t n, const std::string &text, bool b) {
      sema::TypedValue v;
      v.kind = kind, v.number = n, v.text = text, v.boolean = b;
      values.push_back(v);
    };
    if (s.type == sema::SettingType::Kind::Enum)
      for (std::size_t i = 0; i < s.members.size(); ++i)
        add(sema::TypedValue::Kind::Enum, static_cast<std::int64_t>(i), s.members[i], false);
    else if (s.type == sema::SettingType::Kind::Bool)
      add(sema::TypedValue::Kind::Bool, 0, "", false), add(sema::TypedValue::Kind::Bool, 0, "", true);
    else if (s.type == sema::SettingType::Kind::Int && s.lo && s.hi && s.hi->number - s.lo->number < 10)
      for (std::int64_t n = s.lo->number; n <= s.hi->number; ++n)
        add(sema::TypedValue::Kind::Int, n, "", false);
    for (const char *platform : {"windows", "linux"}) {
      const endpoint::SettingMap *map = tables().platform(platform)->find(s.name);
      ASSERT_TRUE(map) << s.name;
      for (const sema::TypedValue &v : values) {
        const std::string spelled = endpoint::spelling(v);
        bool covered = map->manual.find(spelled) || !map->needs.empty();
        for (const endpoint::Key &k : map->keys)
          if (endpoint::applies(k.when, v) &&
              (!k.value || std::holds_alternative<std::string>(endpoint::convert(*k.value, v, s))))
            covered = true;
        EXPECT_EQ(covered, !uncovered.count({platform, s.name, spelled})) << platform << " " << s.name << " = " << spelled;
      }
    }
  }
}

// Every setting that a profile of any example sets has a mapping for that profile's platform.
TEST(EndpointTables, EveryExampleProfileIsMapped) {
  std::vector<fs::path> projects = {fs::path(POLC_SOURCE_DIR) / "examples/miyoshi"};
  for (const auto &e : fs::directory_iterator(fs::path(POLC_SOURCE_DIR) / "examples/contradictions"))
    if (e.is_directory())
      projects.push_back(e.path());
  std::size_t checked = 0;
  for (const fs::path &dir : projects) {
    auto p = loadFolder(dir.string());
    if (!p->policy)
      continue; // examples of front-end errors have no profiles to emit
    for (const ir::EndpointProfile &profile : p->policy->profiles)
      for (ir::Id id : profile.values) {
        const std::string &setting = p->policy->settings[p->policy->values[id].setting].name;
        EXPECT_TRUE(tables().maps(profile.platform, setting)) << dir << " " << profile.name << " " << setting;
        ++checked;
      }
  }
  EXPECT_GT(checked, 100u);
}

TEST(EndpointCity, EveryInfReadsBackWithExactlyTheProfilesValues) {
  auto p = loadFolder(std::string(POLC_SOURCE_DIR) + "/examples/miyoshi");
  ASSERT_TRUE(p->policy);
  const auto files = emit(*p->policy, p->sources, p->diags, p->root);
  ASSERT_FALSE(p->diags.hasErrors());
  ASSERT_EQ(files.size(), 2 * p->policy->profiles.size());
  std::size_t infs = 0;
  for (const ir::EndpointProfile &profile : p->policy->profiles) {
    ASSERT_TRUE(file(files, "endpoint/" + profile.name + ".md")) << profile.name;
    if (profile.platform != "windows")
      continue;
    const OutputFile *inf = file(files, "endpoint/" + profile.name + ".inf");
    ASSERT_TRUE(inf) << profile.name;
    const Inf read = readBack(*inf);
    expectInfMatches(read, expectWindows(*p->policy, profile), profile.name);
    ++infs;
  }
  EXPECT_EQ(infs, 4u);
}

TEST(EndpointCity, CommentsNameClauseAndLineOfEveryWrittenSetting) {
  auto p = loadFolder(std::string(POLC_SOURCE_DIR) + "/examples/miyoshi");
  ASSERT_TRUE(p->policy);
  const auto files = emit(*p->policy, p->sources, p->diags, p->root);
  const ir::EndpointProfile *pc = nullptr;
  for (const ir::EndpointProfile &profile : p->policy->profiles)
    if (profile.name == "mynumber_pc")
      pc = &profile;
  ASSERT_TRUE(pc);
  const Inf read = readBack(*file(files, "endpoint/mynumber_pc.inf"));
  for (const char *setting : {"password.min_length", "screen_lock.idle", "media.removable_storage", "wireless.policy"}) {
    for (ir::Id id : pc->values) {
      const ir::SettingValue &sv = p->policy->values[id];
      if (p->policy->settings[sv.setting].name != setting)
        continue;
      const std::string expected = identity(*p->policy, p->sources, sv.origin) + " マイナンバー利用事務系端末: " + setting +
                                   " = " + sv.value.str();
      EXPECT_EQ(expected.rfind("procedure:2.1#", 0), 0u) << expected;
      EXPECT_NE(std::find(read.comments.begin(), read.comments.end(), expected), read.comments.end()) << expected;
    }
  }
}

TEST(EndpointCity, PlaybooksCarryTheProfilesValues) {
  auto p = loadFolder(std::string(POLC_SOURCE_DIR) + "/examples/miyoshi");
  ASSERT_TRUE(p->policy);
  const auto files = emit(*p->policy, p->sources, p->diags, p->root);
  std::size_t playbooks = 0;
  for (const ir::EndpointProfile &profile : p->policy->profiles) {
    if (profile.platform != "linux")
      continue;
    ++playbooks;
    const OutputFile *yml = file(files, "endpoint/" + profile.name + ".yml");
    ASSERT_TRUE(yml) << profile.name;
    std::string hosts;
    const auto tasks = tasksOf(*yml, &hosts);
    EXPECT_EQ(hosts, profile.name);
    for (const Task &t : tasks)
      EXPECT_EQ(t.module.rfind("ansible.builtin.", 0), 0u) << t.module;
    std::size_t pwqualityPackage = tasks.size(), minlen = tasks.size();
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      if (tasks[i].module == "ansible.builtin.apt" && tasks[i].args["name"].as<std::string>() == "libpam-pwquality")
        pwqualityPackage = std::min(pwqualityPackage, i);
      if (tasks[i].module == "ansible.builtin.lineinfile" &&
          tasks[i].args["path"].as<std::string>() == "/etc/security/pwquality.conf")
        minlen = std::min(minlen, i);
    }
    EXPECT_LT(pwqualityPackage, minlen) << "the package that owns pwquality.conf comes first";
    for (ir::Id id : profile.values) {
      const ir::SettingValue &sv = p->policy->values[id];
      const std::string &name = p->policy->settings[sv.setting].name;
      const sema::TypedValue &v = sv.value;
      const std::string n = std::to_string(v.number);
      // Every task that comes from this `set` names its clause and line.
      const std::string where = identity(*p->policy, p->sources, sv.origin) + " サーバ: " + name + " = ";
      // What the playbook must write for the value: (path, line prefix or "") -> text, or a part of it.
      std::string path, match, expected;
      bool part = false;
      if (name == "password.min_length")
        path = "/etc/security/pwquality.conf", match = "minlen", expected = "minlen = " + n;
      else if (name == "password.complexity_classes")
        path = "/etc/security/pwquality.conf", match = "minclass", expected = "minclass = " + n;
      else if (name == "lockout.threshold")
        path = "/etc/security/faillock.conf", match = "deny", expected = "deny = " + n;
      else if (name == "lockout.duration")
        path = "/etc/security/faillock.conf", match = "unlock_time", expected = "unlock_time = " + n;
      else if (name == "password.max_age" && v.number == 0)
        path = "/etc/login.defs", expected = "PASS_MAX_DAYS 99999";
      else if (name == "password.history")
        path = "/usr/share/pam-configs/polc-pwhistory", expected = "remember=" + n + " ", part = true;
      else if (name == "screen_lock.idle")
        path = "/etc/profile.d/polc-idle-logout.sh", expected = "TMOUT=" + n + "\nreadonly TMOUT\nexport TMOUT\n";
      else if (name == "time.ntp_source")
        path = "/etc/chrony/sources.d/polc.sources", expected = "server " + v.text + " iburst\n";
      else if (name == "log.retention")
        path = "/etc/systemd/journald.conf.d/polc-retention.conf", expected = "MaxRetentionSec=" + n + "\n", part = true;
      else if (name == "auth.factors" && v.number == 2)
        path = "/etc/ssh/sshd_config.d/polc.conf", expected = "AuthenticationMethods publickey,password";
      else if (name == "media.removable_storage" && v.text == "blocked")
        path = "/etc/modprobe.d/polc-usb-storage.conf", expected = "install usb-storage /bin/false\n", part = true;
      if (!path.empty()) {
        const std::string actual = written(tasks, path, match);
        if (part)
          EXPECT_NE(actual.find(expected), std::string::npos) << path << ": " << actual;
        else
          EXPECT_EQ(actual, expected) << path;
      }
      const bool anyTask = std::any_of(tasks.begin(), tasks.end(), [&](const Task &t) { return t.name.rfind(where, 0) == 0; });
      const endpoint::SettingMap *map = tables().platform("linux")->find(name);
      ASSERT_TRUE(map) << name;
      const bool writesKeys = std::any_of(map->keys.begin(), map->keys.end(),
                                          [&](const endpoint::Key &k) { return endpoint::applies(k.when, v); });
      if (writesKeys) {
        EXPECT_TRUE(anyTask) << where;
      }
    }
  }
  EXPECT_EQ(playbooks, 3u);
}

TEST(EndpointCity, OutputIsDeterministic) {
  auto a = loadFolder(std::string(POLC_SOURCE_DIR) + "/examples/miyoshi");
  auto b = loadFolder(std::string(POLC_SOURCE_DIR) + "/examples/miyoshi");
  ASSERT_TRUE(a->policy && b->policy);
  const auto fa = emit(*a->policy, a->sources, a->diags, a->root);
  const auto fb = emit(*b->policy, b->sources, b->diags, b->root);
  ASSERT_EQ(fa.size(), fb.size());
  for (std::size_t i = 0; i < fa.size(); ++i) {
    EXPECT_EQ(fa[i].path, fb[i].path);
    EXPECT_EQ(fa[i].contents, fb[i].contents) << fa[i].path;
  }
}

// ---- errors ---------------------------------------------------------------------------------

struct Built {
  std::unique_ptr<test::Checked> checked;
  std::unique_ptr<ir::Policy> policy;
  std::unique_ptr<diag::DiagnosticsEngine> diags;
  std::vector<OutputFile> files;
  std::vector<std::string> codes() const {
    std::vector<std::string> out;
    for (const auto &d : diags->diagnostics())
      out.push_back(d.code);
    return out;
  }
  const diag::Diagnostic &first(const std::string &code) const {
    for (const auto &d : diags->diagnostics())
      if (d.code == code)
        return d;
    throw std::runtime_error("no " + code);
  }
};

Built build(const std::string &body) {
  Built b;
  b.checked = test::check({{"procedure.pol", test::layerFile("procedure", "import std.lgov;\n" + body)}, test::lgov()});
  EXPECT_TRUE(b.checked->ok) << b.checked->dump();
  b.policy = b.checked->lower();
  b.diags = std::make_unique<diag::DiagnosticsEngine>(b.checked->sources);
  b.files = emit(*b.policy, b.checked->sources, *b.diags);
  return b;
}

TEST(EndpointErrors, ASetValueWithoutMappingIsAnErrorAtTheSet) {
  auto b = build("setting city.kiosk_mode \"キオスク\" : bool { default false; }\n"
                 "endpoint_profile pc \"端末\" platform windows on zone lgwan {\n"
                 "  set screen_lock.idle = 5m;\n  set city.kiosk_mode = true;\n}\n");
  EXPECT_TRUE(b.files.empty());
  ASSERT_EQ(b.codes(), std::vector<std::string>{"E1010"});
  const auto &d = b.first("E1010");
  EXPECT_EQ(b.checked->text(d.range), "set city.kiosk_mode = true;");
  EXPECT_NE(d.message.find("windows"), std::string::npos) << d.message;
  EXPECT_NE(d.help.find("stdlib/platforms/endpoint/windows.yaml"), std::string::npos) << d.help;
  ASSERT_EQ(d.notes.size(), 1u);
}

TEST(EndpointErrors, AValueWithNoPlatformEquivalentIsAnError) {
  auto b = build("endpoint_profile srv platform linux on zone lgwan {\n  set auth.factors = 3;\n}\n");
  EXPECT_TRUE(b.files.empty());
  ASSERT_EQ(b.codes(), std::vector<std::string>{"E1012"});
  const auto &d = b.first("E1012");
  EXPECT_EQ(b.checked->text(d.range), "set auth.factors = 3;");
  EXPECT_NE(d.message.find("`auth.factors = 3`"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("no equivalent of 3"), std::string::npos) << d.message;
}

TEST(EndpointErrors, ValuesThePlatformCannotHoldAreErrors) {
  auto b = build("endpoint_profile pc platform windows on zone lgwan {\n"
                 "  set password.max_age = 1825d;\n  set lockout.duration = 90s;\n"
                 "  set time.ntp_source = \"ntp\\n[Registry Values]\";\n}\n"
                 "endpoint_profile srv platform linux on zone internet {\n  set time.ntp_source = \"a b\";\n"
                 "  set password.min_length = 5;\n}\n");
  EXPECT_TRUE(b.files.empty());
  EXPECT_EQ(b.codes(), std::vector<std::string>(5, "E1012"));
  for (const auto &d : b.diags->diagnostics())
    EXPECT_EQ(b.checked->text(d.range).rfind("set ", 0), 0u) << d.message;
  EXPECT_NE(b.first("E1012").message.find("1..999"), std::string::npos) << b.first("E1012").message;
}

TEST(EndpointErrors, AScopedSetInsideAProfileIsAnError) {
  auto b = build("host kiosk in lgwan { address 10.20.9.9; }\n"
                 "endpoint_profile pc platform windows on zone lgwan {\n"
                 "  set screen_lock.idle = 5m;\n  set screen_lock.idle = 1m on host kiosk;\n}\n");
  EXPECT_TRUE(b.files.empty());
  ASSERT_EQ(b.codes(), std::vector<std::string>{"E1011"});
  EXPECT_EQ(b.checked->text(b.first("E1011").range), "set screen_lock.idle = 1m on host kiosk;");
}

TEST(EndpointErrors, ProfilesThatShareAFileNameClash) {
  auto b = build("endpoint_profile pc platform windows on zone lgwan { set screen_lock.idle = 5m; }\n"
                 "endpoint_profile PC platform linux on zone internet { set screen_lock.idle = 5m; }\n");
  EXPECT_TRUE(b.files.empty());
  EXPECT_EQ(b.codes(), (std::vector<std::string>{"E1013", "E1013"})); // file name and inventory group
}

// ---- hostile text ---------------------------------------------------------------------------

TEST(EndpointHostile, TitlesInjectNothingIntoAnyOutput) {
  const std::string hostile =
      "x\\\"; [Registry Values]\\r\\nMACHINE\\\\evil=4,1\\n- hosts: all\\n# {{ lookup('pipe','id') }} {% raw %} "
      "| <script>&amp; `code` *b* \\u{2028}\\u{85}𠮷";
  auto b = build("section \"9\" \"" + hostile + "\" {\n"
                 "endpoint_profile pc \"" + hostile + "\" platform windows on zone lgwan { set screen_lock.idle = 5m; }\n"
                 "endpoint_profile srv \"" + hostile + "\" platform linux on zone lgwan { set screen_lock.idle = 5m; "
                 "set password.min_length = 12; }\n}\n");
  ASSERT_TRUE(b.codes().empty());
  const std::string title = b.policy->profiles[0].title.value_or("");
  ASSERT_NE(title.find('\n'), std::string::npos);

  // The INF: still exactly one registry value, and every comment is one line.
  const Inf inf = readBack(*file(b.files, "endpoint/pc.inf"));
  EXPECT_EQ(inf.registry.size(), 1u);
  EXPECT_TRUE(inf.systemAccess.empty());
  EXPECT_EQ(inf.sections, (std::vector<std::string>{"Unicode", "Version", "Registry Values"}));

  // The playbook: one play for the group, the title only in names, never evaluated by Jinja2.
  const YAML::Node doc = YAML::Load(file(b.files, "endpoint/srv.yml")->contents);
  ASSERT_EQ(doc.size(), 1u);
  EXPECT_EQ(doc[0]["hosts"].as<std::string>(), "srv");
  EXPECT_EQ(doc[0]["name"].Tag(), "!unsafe");
  EXPECT_NE(doc[0]["name"].as<std::string>().find("{{ lookup('pipe','id') }}"), std::string::npos);
  for (const auto &t : doc[0]["tasks"]) {
    const std::string name = t["name"].as<std::string>();
    EXPECT_EQ(name.find('\n'), std::string::npos);
    if (name.find('{') != std::string::npos) {
      EXPECT_EQ(t["name"].Tag(), "!unsafe") << name;
    }
  }

  // The summary: every table row keeps its column count; no raw HTML or emphasis survives.
  for (const char *md : {"endpoint/pc.md", "endpoint/srv.md"}) {
    const std::string text = file(b.files, md)->contents;
    EXPECT_EQ(text.find("<script>"), std::string::npos);
    EXPECT_EQ(text.find(" *b*"), std::string::npos);
    std::size_t columns = 0;
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      if (line.empty() || line[0] != '|') {
        columns = 0;
        continue;
      }
      std::size_t pipes = 0;
      for (std::size_t i = 0; i < line.size(); ++i)
        pipes += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
      if (columns == 0)
        columns = pipes;
      EXPECT_EQ(pipes, columns) << md << ": " << line;
    }
  }
}

} // namespace
} // namespace polc::emit
