#pragma once
// A small streaming JSON writer. Our own because llvm/Support/JSON.h does not compile with
// clang++-14 in C++20 (the fuzz build), and every stage needs byte-identical output.
#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

namespace polc::diag {

class JsonWriter {
public:
  explicit JsonWriter(std::ostream &out, bool pretty = true) : out_(out), pretty_(pretty) {}

  void beginObject();
  void endObject();
  void beginArray();
  void endArray();
  void key(std::string_view k);
  void value(std::string_view s);
  void value(const char *s) { value(std::string_view(s)); }
  void value(std::int64_t n);
  void value(std::uint64_t n);
  void value(int n) { value(static_cast<std::int64_t>(n)); }
  void value(unsigned n) { value(static_cast<std::uint64_t>(n)); }
  void value(bool b);
  void null();

  // Escapes per RFC 8259; invalid UTF-8 bytes become U+FFFD so output is always valid JSON.
  static void writeString(std::ostream &out, std::string_view s);

private:
  void beforeValue();
  void newline();
  std::ostream &out_;
  bool pretty_;
  struct Level { bool isObject; bool empty; };
  std::vector<Level> stack_;
  bool afterKey_ = false;
};

} // namespace polc::diag
