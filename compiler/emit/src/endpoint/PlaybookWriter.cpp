#include "endpoint/PlaybookWriter.h"

#include "Render.h"
#include "endpoint/Text.h"

#include "polc/emit/PlatformData.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

namespace polc::emit::endpoint {

namespace {

std::string oneLine(const std::string &text) {
  CommentRules rules = headerCommentRules();
  rules.maxBytes = 1000;
  return sanitizeComment(singleLine(text), rules);
}

std::string expand(const std::string &templ, const std::string &value) {
  std::string out = templ;
  for (std::size_t at = out.find("{value}"); at != std::string::npos; at = out.find("{value}", at + value.size()))
    out.replace(at, 7, value);
  return out;
}

class Playbook {
public:
  Playbook() { out_.SetIndent(2); }

  void str(const std::string &s) {
    if (s.find('{') != std::string::npos)
      out_ << YAML::LocalTag("unsafe");
    out_ << YAML::DoubleQuoted << s;
  }
  void key(const char *k) { out_ << YAML::Key << k << YAML::Value; }
  void field(const char *k, const std::string &v) { key(k), str(v); }
  void flag(const char *k, bool v) { key(k), out_ << v; }

  // One task: `name`, the module with its arguments, and the handler it notifies.
  void task(const std::string &name, const Key &k, const std::string &value) {
    out_ << YAML::BeginMap;
    field("name", oneLine(name));
    module(k, value);
    if (!k.notify.empty()) {
      key("notify");
      out_ << YAML::BeginSeq;
      str(k.notify);
      out_ << YAML::EndSeq;
    }
    out_ << YAML::EndMap;
  }

  void directory(const std::string &name, const std::string &path) {
    out_ << YAML::BeginMap;
    field("name", oneLine(name));
    key("ansible.builtin.file");
    out_ << YAML::BeginMap;
    field("path", path);
    field("state", "directory");
    out_ << YAML::EndMap << YAML::EndMap;
  }

  YAML::Emitter &out() { return out_; }

private:
  YAML::Emitter out_;

  void module(const Key &k, const std::string &value) {
    if (k.kind == "line") {
      key("ansible.builtin.lineinfile");
      out_ << YAML::BeginMap;
      field("path", k.path);
      // The setting's line, whether it is there already, commented out, or missing.
      field("regexp", "^\\s*#?\\s*" + k.match + "(\\s|=|$)");
      field("line", expand(k.line, value));
      if (k.create)
        flag("create", true);
      if (!k.mode.empty())
        field("mode", k.mode);
      if (!k.validate.empty())
        field("validate", k.validate);
    } else if (k.kind == "file") {
      key("ansible.builtin.copy");
      out_ << YAML::BeginMap;
      field("dest", k.path);
      field("content", expand(k.content, value));
      field("owner", "root");
      field("group", "root");
      field("mode", k.mode.empty() ? "0644" : k.mode);
      if (!k.force)
        flag("force", false);
    } else if (k.kind == "absent") {
      key("ansible.builtin.file");
      out_ << YAML::BeginMap;
      field("path", k.path);
      field("state", "absent");
    } else if (k.kind == "command") {
      key("ansible.builtin.command");
      out_ << YAML::BeginMap;
      key("argv");
      out_ << YAML::BeginSeq;
      for (const std::string &a : k.argv)
        str(a);
      out_ << YAML::EndSeq;
      if (!k.removes.empty())
        field("removes", k.removes);
    } else if (k.kind == "package") {
      key("ansible.builtin.apt");
      out_ << YAML::BeginMap;
      field("name", k.name);
      field("state", "present");
    } else if (k.kind == "service") {
      key("ansible.builtin.systemd");
      out_ << YAML::BeginMap;
      field("name", k.name);
      if (k.enabled)
        flag("enabled", *k.enabled);
      if (!k.state.empty())
        field("state", k.state);
    } else { // replace (the loader admits no other kind)
      key("ansible.builtin.replace");
      out_ << YAML::BeginMap;
      field("path", k.path);
      field("regexp", k.regexp);
      field("replace", k.replace);
    }
    out_ << YAML::EndMap;
  }
};

} // namespace

std::string linuxDataProblem(const Key &, const std::string &text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
      return "a value written into a Linux configuration line cannot hold control characters";
  return {};
}

OutputFile writePlaybook(const ResolvedProfile &p) {
  const ir::EndpointProfile &profile = *p.profile;
  Playbook pb;
  YAML::Emitter &out = pb.out();
  out << YAML::Comment(oneLine("polc: endpoint profile " + profile.name + " " + profile.title.value_or("") +
                               " (linux, Ansible playbook)"));
  out << YAML::Newline << YAML::Comment(oneLine(originText(p.origin)));
  out << YAML::Newline << YAML::Comment(oneLine("summary: " + p.stem + ".md; inventory group " + p.group));
  out << YAML::BeginSeq << YAML::BeginMap;
  pb.field("name", oneLine(profile.name + " " + profile.title.value_or("") + " (" + originText(p.origin) + ")"));
  pb.field("hosts", p.group);
  pb.flag("become", true);
  pb.flag("gather_facts", false);
  pb.key("tasks");
  out << YAML::BeginSeq;
  std::set<const Step *> stepsDone;
  std::set<std::string> dirsDone, handlers;
  // ansible.builtin.copy does not create the destination's folder; make sure it is there.
  auto ensureDir = [&](const Key &k, const std::string &why) {
    if (k.kind != "file")
      return;
    const std::string dir = std::filesystem::path(k.path).parent_path().generic_string();
    if (dirsDone.insert(dir).second)
      pb.directory(why + ": folder " + dir, dir);
  };
  auto emit = [&](const Key &k, const std::string &name, const std::string &value) {
    ensureDir(k, name);
    pb.task(name, k, value);
    if (!k.notify.empty())
      handlers.insert(k.notify);
  };
  for (const ResolvedSetting &s : p.settings) {
    const std::string where = originText(s.origin) + ": " + s.setting->name + " = " + s.value.str();
    for (const Step *step : s.steps)
      if (stepsDone.insert(step).second)
        for (const Key &k : step->tasks)
          emit(k, where + " / " + step->title, "");
    for (const ResolvedKey &k : s.keys)
      emit(*k.key, where + " / " + k.key->title, k.text);
  }
  out << YAML::EndSeq;
  if (!handlers.empty()) {
    pb.key("handlers");
    out << YAML::BeginSeq;
    for (const auto &[name, k] : p.platform->handlers)
      if (handlers.count(name))
        pb.task(name, k, "");
    out << YAML::EndSeq;
  }
  out << YAML::EndMap << YAML::EndSeq;
  return {"endpoint/" + p.stem + ".yml", std::string(out.c_str()) + "\n"};
}

} // namespace polc::emit::endpoint
