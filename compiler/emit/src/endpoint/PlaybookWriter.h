#pragma once
// Linux: a profile as an Ansible playbook (endpoint/PROFILE.yml) for ansible-core on Debian 12:
// one play for the profile's inventory group, ansible.builtin modules only. Every task's name
// names the clause and source line of the `set` it comes from. Emitted with yaml-cpp, every
// string double-quoted (so YAML 1.1 never reads "yes" or "0644" as something else) and tagged
// `!unsafe` when it holds '{' (so Ansible never evaluates policy text as a Jinja2 template).
#include "endpoint/Resolve.h"

#include "polc/emit/Output.h"

namespace polc::emit::endpoint {

// Whether `text` can go where `key` puts it; empty when it can.
std::string linuxDataProblem(const Key &key, const std::string &text);

OutputFile writePlaybook(const ResolvedProfile &profile);

} // namespace polc::emit::endpoint
