#include "polc/diag/DiagnosticsEngine.h"
#include "polc/diag/JsonWriter.h"
#include "polc/diag/Renderers.h"

#include <gtest/gtest.h>

#include <cctype>
#include <sstream>
#include <string>

using namespace polc::diag;

namespace {

// A strict RFC 8259 recogniser: enough to prove that the output parses, without a dependency.
class JsonChecker {
public:
  explicit JsonChecker(std::string_view s) : s_(s) {}
  bool valid() {
    ws();
    if (!value())
      return false;
    ws();
    return pos_ == s_.size();
  }

private:
  bool value() {
    if (pos_ >= s_.size())
      return false;
    switch (s_[pos_]) {
    case '{': return object();
    case '[': return array();
    case '"': return string();
    case 't': return literal("true");
    case 'f': return literal("false");
    case 'n': return literal("null");
    default: return number();
    }
  }
  bool object() {
    ++pos_;
    ws();
    if (eat('}'))
      return true;
    do {
      ws();
      if (!string())
        return false;
      ws();
      if (!eat(':'))
        return false;
      ws();
      if (!value())
        return false;
      ws();
    } while (eat(','));
    return eat('}');
  }
  bool array() {
    ++pos_;
    ws();
    if (eat(']'))
      return true;
    do {
      ws();
      if (!value())
        return false;
      ws();
    } while (eat(','));
    return eat(']');
  }
  bool string() {
    if (!eat('"'))
      return false;
    while (pos_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"')
        return true;
      if (c < 0x20)
        return false;
      if (c == '\\') {
        if (pos_ >= s_.size())
          return false;
        const char e = s_[pos_++];
        if (e == 'u') {
          for (int i = 0; i < 4; ++i)
            if (pos_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[pos_++])))
              return false;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool number() {
    const std::size_t begin = pos_;
    eat('-');
    while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
    return pos_ > begin && std::isdigit(static_cast<unsigned char>(s_[pos_ - 1]));
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word)
      return false;
    pos_ += word.size();
    return true;
  }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void ws() {
    while (pos_ < s_.size() && std::string_view(" \t\r\n").find(s_[pos_]) != std::string_view::npos)
      ++pos_;
  }
  std::string_view s_;
  std::size_t pos_ = 0;
};

bool isValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size())
      return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
        return false;
    i += len;
  }
  return true;
}

bool parses(const std::string &json) { return isValidUtf8(json) && JsonChecker(json).valid(); }

std::string escaped(std::string_view s) {
  std::ostringstream out;
  JsonWriter::writeString(out, s);
  return out.str();
}

} // namespace

TEST(JsonWriter, EscapesQuotesBackslashesAndNewlines) {
  EXPECT_EQ(escaped("say \"hi\"\\"), R"("say \"hi\"\\")");
  EXPECT_EQ(escaped("a\nb\r\tc\b\f"), R"("a\nb\r\tc\b\f")");
  EXPECT_EQ(escaped("/"), R"("/")");
}

TEST(JsonWriter, EscapesControlCharacters) {
  EXPECT_EQ(escaped(std::string_view("\0\x01\x1f\x7f", 4)), R"("\u0000\u0001\u001f\u007f")");
  EXPECT_EQ(escaped("\x1b[31m"), R"("\u001b[31m")");
  EXPECT_EQ(escaped("\xC2\x85"), R"("\u0085")");       // NEL, a C1 control
  EXPECT_EQ(escaped("\xE2\x80\xA8"), R"("\u2028")");   // LINE SEPARATOR
}

TEST(JsonWriter, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(escaped("LGWAN接続系 😀"), "\"LGWAN接続系 😀\"");
  EXPECT_EQ(escaped("a\xFF" "b"), "\"a\xEF\xBF\xBD" "b\"");
  EXPECT_EQ(escaped("\xE6\x8E"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\""); // truncated sequence
  EXPECT_EQ(escaped("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); // surrogate
  EXPECT_TRUE(parses(escaped("\xFF\xC0\x80\"\x01")));
}

TEST(JsonWriter, PrettyPrintsNestedValues) {
  std::ostringstream out;
  JsonWriter w(out);
  w.beginObject();
  w.key("a");
  w.value(1);
  w.key("list");
  w.beginArray();
  w.value("x");
  w.value(true);
  w.null();
  w.beginObject();
  w.endObject();
  w.beginArray();
  w.endArray();
  w.endArray();
  w.key("big");
  w.value(std::uint64_t{18446744073709551615u});
  w.key("neg");
  w.value(std::int64_t{-42});
  w.endObject();
  const std::string expected = R"({
  "a": 1,
  "list": [
    "x",
    true,
    null,
    {},
    []
  ],
  "big": 18446744073709551615,
  "neg": -42
})";
  EXPECT_EQ(out.str(), expected);
  EXPECT_TRUE(parses(out.str()));
}

TEST(JsonWriter, CompactMode) {
  std::ostringstream out;
  JsonWriter w(out, false);
  w.beginArray();
  w.beginObject();
  w.key("k");
  w.value("v");
  w.key("n");
  w.value(false);
  w.endObject();
  w.value(0u);
  w.endArray();
  EXPECT_EQ(out.str(), R"([{"k":"v","n":false},0])");
}

TEST(JsonRenderer, FullDocument) {
  SourceManager sm;
  const FileID f = sm.addBuffer("dir/t.pol", "zone a \"接続\";\r\nallow a -> b service tcp/70000 // 😀\n");
  const std::uint32_t line2 = sm.lineStart(f, 2);
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::PortOutOfRange, SourceRange{f, line2 + 25, line2 + 30}, 70000)
      .primaryLabel(DiagID::NoteDidYouMean, "7000")
      .label(SourceRange{f, 5, 6}, DiagID::NoteFirstDeclaredHere)
      .note(std::nullopt, DiagID::NoteWarningFlag)
      .note(SourceRange::point(f, 15), DiagID::NoteOpenedHere, "\"\n")
      .fixit(SourceRange{f, line2 + 25, line2 + 30}, "7000");
  engine.report(DiagID::FileNotFound, SourceRange{}, "bad\xFFname.pol");
  std::ostringstream out;
  renderJson(out, sm, engine.diagnostics());
  const std::string expected = R"({
  "version": 1,
  "diagnostics": [
    {
      "code": "E0305",
      "severity": "error",
      "message": "port 70000 is out of range",
      "file": "dir/t.pol",
      "range": {
        "begin": {
          "offset": 43,
          "line": 2,
          "column": 26,
          "utf16Column": 26
        },
        "end": {
          "offset": 48,
          "line": 2,
          "column": 31,
          "utf16Column": 31
        }
      },
      "primaryLabel": "did you mean `7000`?",
      "labels": [
        {
          "message": "first declared here",
          "file": "dir/t.pol",
          "range": {
            "begin": {
              "offset": 5,
              "line": 1,
              "column": 6,
              "utf16Column": 6
            },
            "end": {
              "offset": 6,
              "line": 1,
              "column": 7,
              "utf16Column": 7
            }
          }
        }
      ],
      "notes": [
        {
          "message": "treated as an error because of --werror"
        },
        {
          "message": "`\"\n` opened here",
          "file": "dir/t.pol",
          "range": {
            "begin": {
              "offset": 15,
              "line": 1,
              "column": 12,
              "utf16Column": 12
            },
            "end": {
              "offset": 15,
              "line": 1,
              "column": 12,
              "utf16Column": 12
            }
          }
        }
      ],
      "help": "ports are 0-65535",
      "fixit": {
        "file": "dir/t.pol",
        "range": {
          "begin": {
            "offset": 43,
            "line": 2,
            "column": 26,
            "utf16Column": 26
          },
          "end": {
            "offset": 48,
            "line": 2,
            "column": 31,
            "utf16Column": 31
          }
        },
        "replacement": "7000"
      }
    },
    {
      "code": "E0001",
      "severity": "error",
      "message": "no such file or directory: 'bad\uFFFDname.pol'",
      "file": null,
      "range": null,
      "labels": [],
      "notes": [],
      "help": "check the path; `polc check` takes .pol files or a project folder"
    }
  ],
  "summary": {
    "errors": 2,
    "warnings": 0
  }
}
)";
  // The raw string cannot hold U+FFFD's bytes portably, so it is spelled \uFFFD above.
  std::string want = expected;
  want.replace(want.find("\\uFFFD"), 6, "\xEF\xBF\xBD");
  EXPECT_EQ(out.str(), want);
  EXPECT_TRUE(parses(out.str()));
}

TEST(JsonRenderer, Utf16ColumnsAfterAnEmoji) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "\"\xF0\x9F\x98\x80\" x");
  DiagnosticsEngine engine(sm);
  engine.report(DiagID::ExpectedSemi, SourceRange{f, 7, 8}, "x");
  std::ostringstream out;
  renderJson(out, sm, engine.diagnostics());
  EXPECT_NE(out.str().find(R"("offset": 7,
          "line": 1,
          "column": 5,
          "utf16Column": 6)"),
            std::string::npos)
      << out.str();
}

TEST(JsonRenderer, EmptyReport) {
  SourceManager sm;
  std::ostringstream out;
  renderJson(out, sm, {});
  EXPECT_EQ(out.str(), "{\n  \"version\": 1,\n  \"diagnostics\": [],\n  \"summary\": {\n"
                       "    \"errors\": 0,\n    \"warnings\": 0\n  }\n}\n");
  EXPECT_TRUE(parses(out.str()));
}
