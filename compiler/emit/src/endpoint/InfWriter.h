#pragma once
// Windows: a profile as a secedit security template (endpoint/PROFILE.inf), in the layout secedit
// itself writes: UTF-16LE with a byte order mark, CRLF line ends, `[Unicode]` and `[Version]`
// first, `Key = value` in [System Access] and [Event Audit], `MACHINE\...\Value=TYPE,data` in
// [Registry Values], `"Service",START,""` in [Service General Setting]. Each setting's keys follow
// a `;` comment naming its clause and source line.
#include "endpoint/Resolve.h"

#include "polc/emit/Output.h"

namespace polc::emit::endpoint {

// Whether `text` can be the data of `key` in an INF line; empty when it can.
std::string windowsDataProblem(const Key &key, const std::string &text);

OutputFile writeInf(const ResolvedProfile &profile);

} // namespace polc::emit::endpoint
