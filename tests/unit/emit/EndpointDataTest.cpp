// The endpoint tables' building blocks: value conversions (units, sentinels, platform limits,
// maps, host names), the strict table loader, and the text encodings (UTF-16LE, Markdown).
#include "InfReader.h"
#include "endpoint/Conversion.h"
#include "endpoint/EndpointData.h"
#include "endpoint/Text.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace polc::emit::endpoint {
namespace {

namespace fs = std::filesystem;
using TV = sema::TypedValue;

TV duration(std::int64_t seconds) {
  TV v;
  v.kind = TV::Kind::Duration;
  v.number = seconds;
  return v;
}
TV integer(std::int64_t n) {
  TV v;
  v.kind = TV::Kind::Int;
  v.number = n;
  return v;
}
TV member(const std::string &m) {
  TV v;
  v.kind = TV::Kind::Enum;
  v.text = m;
  return v;
}
TV boolean(bool b) {
  TV v;
  v.kind = TV::Kind::Bool;
  v.boolean = b;
  return v;
}
TV text(const std::string &s) {
  TV v;
  v.kind = TV::Kind::String;
  v.text = s;
  return v;
}

ValueRule numberRule(const std::string &unit, std::int64_t perUnit) {
  ValueRule r;
  r.kind = ValueRule::Kind::Number;
  r.unitName = unit;
  r.unitSeconds = perUnit;
  return r;
}

std::string ok(const std::variant<std::string, Unrepresentable> &v) {
  if (auto *u = std::get_if<Unrepresentable>(&v))
    return "ERROR: " + u->reason;
  return std::get<std::string>(v);
}
bool refused(const std::variant<std::string, Unrepresentable> &v) { return std::holds_alternative<Unrepresentable>(v); }

TEST(EndpointConversion, DurationsConvertToWholeUnitsOnly) {
  ir::Setting s;
  EXPECT_EQ(ok(convert(numberRule("minutes", 60), duration(1800), s)), "30");
  EXPECT_EQ(ok(convert(numberRule("seconds", 1), duration(300), s)), "300");
  EXPECT_EQ(ok(convert(numberRule("days", 86400), duration(1825 * 86400), s)), "1825");
  // 90 seconds is not a whole number of minutes: never rounded either way.
  EXPECT_TRUE(refused(convert(numberRule("minutes", 60), duration(90), s)));
  EXPECT_TRUE(refused(convert(numberRule("days", 86400), duration(36 * 3600), s)));
  // A count rule does not accept a duration, nor a duration rule a count.
  EXPECT_TRUE(refused(convert(numberRule("count", 0), duration(60), s)));
  EXPECT_TRUE(refused(convert(numberRule("seconds", 1), integer(60), s)));
}

TEST(EndpointConversion, RangeIsThePlatformsLimitAfterConversion) {
  ir::Setting s;
  ValueRule r = numberRule("days", 86400);
  r.range = std::make_pair(1, 999);
  EXPECT_EQ(ok(convert(r, duration(999 * 86400), s)), "999");
  const auto over = convert(r, duration(1000 * 86400), s);
  ASSERT_TRUE(refused(over));
  EXPECT_NE(std::get<Unrepresentable>(over).reason.find("1..999"), std::string::npos);
  EXPECT_TRUE(refused(convert(r, duration(0), s)));
}

TEST(EndpointConversion, SentinelReplacesTheNumberBeforeTheRangeCheck) {
  ir::Setting s;
  s.sentinel = ir::Sentinel{duration(0), "有効期限なし", {}};
  ValueRule r = numberRule("days", 86400);
  r.range = std::make_pair(1, 999);
  r.sentinel = "-1";
  EXPECT_EQ(ok(convert(r, duration(0), s)), "-1");
  EXPECT_EQ(ok(convert(r, duration(90 * 86400), s)), "90");
  // Without a sentinel in the schema, 0 days is just out of range.
  ir::Setting plain;
  EXPECT_TRUE(refused(convert(r, duration(0), plain)));
}

TEST(EndpointConversion, MapsByTheValuesSpelling) {
  ir::Setting s;
  ValueRule r;
  r.kind = ValueRule::Kind::Map;
  r.map = {{"blocked", "1"}, {"allowed", "0"}, {"true", "4"}, {"3", "x"}};
  EXPECT_EQ(ok(convert(r, member("blocked"), s)), "1");
  EXPECT_EQ(ok(convert(r, boolean(true), s)), "4");
  EXPECT_EQ(ok(convert(r, integer(3), s)), "x");
  EXPECT_TRUE(refused(convert(r, member("approved_only"), s)));
  EXPECT_TRUE(refused(convert(r, boolean(false), s)));
}

TEST(EndpointConversion, TextAcceptsHostsAndAddressesOnlyAndFormats) {
  ir::Setting s;
  ValueRule r;
  r.kind = ValueRule::Kind::Text;
  r.textKind = "host";
  r.format = "{value},0x8";
  EXPECT_EQ(ok(convert(r, text("10.10.0.123"), s)), "10.10.0.123,0x8");
  EXPECT_EQ(ok(convert(r, text("ntp.city.example"), s)), "ntp.city.example,0x8");
  EXPECT_EQ(ok(convert(r, text("2001:db8::123"), s)), "2001:db8::123,0x8");
  const std::vector<std::string> hostileNames = {"", "ntp\nserver evil", "a b", "ntp;rm", "x\"y", "-ntp", "ntp..x", "a%b",
                                            "{{ lookup('pipe','id') }}", "ｎｔｐ", "a\\b", "a#b", std::string(254, 'a')};
  for (const std::string &h : hostileNames)
    EXPECT_TRUE(refused(convert(r, text(h), s))) << h;
  EXPECT_TRUE(refused(convert(r, integer(1), s)));
}

TEST(EndpointConversion, ConditionsByValueOrByNumber) {
  Condition listed;
  listed.values = {"blocked", "allowed"};
  EXPECT_TRUE(applies(listed, member("blocked")));
  EXPECT_FALSE(applies(listed, member("approved_only")));
  Condition atLeastOne;
  atLeastOne.min = 1;
  EXPECT_TRUE(applies(atLeastOne, integer(5)));
  EXPECT_FALSE(applies(atLeastOne, integer(0)));
  EXPECT_TRUE(applies(Condition{}, integer(0)));
}

// ---- the loader -------------------------------------------------------------------------------

class TableFile : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("polc-endpoint-data-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // The loader's message for `yaml`, or "" when it loads.
  std::string load(const std::string &yaml) {
    const fs::path p = dir_ / "t.yaml";
    std::ofstream(p, std::ios::binary) << yaml;
    try {
      readPlatform(p.string());
      return "";
    } catch (const std::exception &e) {
      return e.what();
    }
  }
  fs::path dir_;
};

constexpr const char *kGoodKey = R"(    keys:
      - kind: system_access
        name: LockoutBadCount
        title: t
        source: s
        value: {number: count}
)";

TEST_F(TableFile, AGoodTableLoads) {
  EXPECT_EQ(load(std::string("platform: windows\nsettings:\n  lockout.threshold:\n") + kGoodKey), "");
}

TEST_F(TableFile, StrayOrMisplacedFieldsAreErrors) {
  EXPECT_NE(load(std::string("platform: windows\nsettings:\n  lockout.threshold:\n") + kGoodKey +
                 "        colour: red\n")
                .find("'colour' is not used"),
            std::string::npos);
  // `path` belongs to Linux keys.
  EXPECT_NE(load(std::string("platform: windows\nsettings:\n  x:\n") + kGoodKey + "        path: /etc/x\n")
                .find("'path' is not used"),
            std::string::npos);
  EXPECT_NE(load("platform: windows\nsettings:\n  x:\n    keys:\n      - kind: registry\n        name: MACHINE\\A\\B\n"
                 "        title: t\n        source: s\n        value: {constant: 1}\n")
                .find("needs 'type'"),
            std::string::npos);
  EXPECT_NE(load("platform: macos\n").find("no endpoint writer"), std::string::npos);
}

TEST_F(TableFile, EveryKeyNamesItsTitleAndSource) {
  EXPECT_NE(load("platform: windows\nsettings:\n  x:\n    keys:\n      - kind: system_access\n"
                 "        name: LockoutBadCount\n        value: {number: count}\n")
                .find("title"),
            std::string::npos);
}

TEST_F(TableFile, AnEntryThatMapsToNothingIsAnError) {
  EXPECT_NE(load("platform: windows\nsettings:\n  x: {}\n").find("maps to nothing"), std::string::npos);
}

TEST_F(TableFile, DanglingStepsAndHandlersAreErrors) {
  const std::string key = "    keys:\n      - kind: absent\n        path: /etc/x\n        title: t\n        source: s\n";
  EXPECT_NE(load("platform: linux\nsettings:\n  x:\n" + key + "        requires: [nothing]\n").find("no step 'nothing'"),
            std::string::npos);
  EXPECT_NE(load("platform: linux\nsettings:\n  x:\n" + key + "        notify: nobody\n").find("no handler 'nobody'"),
            std::string::npos);
}

TEST_F(TableFile, TwoSettingsWritingOneTargetIsAnError) {
  EXPECT_NE(load(std::string("platform: windows\nsettings:\n  a:\n") + kGoodKey + "  b:\n" + kGoodKey)
                .find("writes system_access LockoutBadCount, which settings.a writes too"),
            std::string::npos);
}

TEST_F(TableFile, ValueTemplatesAndTextsAreChecked) {
  // {value} without a value rule, and a value with nowhere to go.
  EXPECT_NE(load("platform: linux\nsettings:\n  x:\n    keys:\n      - kind: line\n        path: /etc/x\n"
                 "        match: a\n        line: \"a = {value}\"\n        title: t\n        source: s\n")
                .find("no 'value'"),
            std::string::npos);
  EXPECT_NE(load("platform: linux\nsettings:\n  x:\n    keys:\n      - kind: line\n        path: /etc/x\n"
                 "        match: a\n        line: \"a = 1\"\n        title: t\n        source: s\n"
                 "        value: {constant: 1}\n")
                .find("no {value}"),
            std::string::npos);
  EXPECT_NE(load("platform: linux\nsettings:\n  x:\n    keys:\n      - kind: absent\n        path: etc/x y\n"
                 "        title: t\n        source: s\n")
                .find("absolute path"),
            std::string::npos);
  EXPECT_NE(load("platform: windows\nsettings:\n  x:\n    keys:\n      - kind: registry\n        name: HKLM\\A\n"
                 "        type: dword\n        title: t\n        source: s\n        value: {constant: 1}\n")
                .find("MACHINE"),
            std::string::npos);
  EXPECT_NE(load("platform: windows\nsettings:\n  x:\n    keys:\n      - kind: system_access\n        name: A\n"
                 "        title: t\n        source: s\n        value: {number: hours}\n")
                .find("unknown unit"),
            std::string::npos);
}

// ---- encodings ------------------------------------------------------------------------------

TEST(EndpointText, Utf16leWithBomRoundTripsThroughTheStrictReader) {
  const std::string body = "[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n"
                           "; 日本語 𠮷 é\r\n";
  const std::string bytes = utf16leWithBom(body);
  ASSERT_EQ(bytes.substr(0, 2), "\xFF\xFE");
  // 𠮷 (U+20BB7) is a surrogate pair: D842 DFB7.
  EXPECT_NE(bytes.find(std::string("\x42\xD8\xB7\xDF", 4)), std::string::npos);
  auto inf = test::readInf(bytes);
  ASSERT_TRUE(std::holds_alternative<test::Inf>(inf)) << std::get<test::InfError>(inf).message;
  EXPECT_EQ(std::get<test::Inf>(inf).comments, std::vector<std::string>{"日本語 𠮷 é"});
}

TEST(EndpointText, StrictReaderRejectsWhatSeceditDoesNotWrite) {
  const std::string head = "[Unicode]\r\nUnicode=yes\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n";
  auto error = [&](const std::string &tail) {
    auto r = test::readInf(utf16leWithBom(head + tail));
    return std::holds_alternative<test::InfError>(r) ? std::get<test::InfError>(r).message : std::string();
  };
  EXPECT_EQ(error("[System Access]\r\nLockoutBadCount = 3\r\n"), "");
  EXPECT_NE(error("[System Access]\nLockoutBadCount = 3\r\n"), "");       // bare LF
  EXPECT_NE(error("[System Access]\r\nLockoutBadCount=3\r\n"), "");       // not secedit's spacing
  EXPECT_NE(error("[System Access]\r\nLockoutBadCounts = 3\r\n"), "");    // unknown key
  EXPECT_NE(error("[Registry Values]\r\nMACHINE\\A=3,00\r\n"), "");       // REG_BINARY: not polc's
  EXPECT_NE(error("[Registry Values]\r\nMACHINE\\A=1,\"a\"b\"\r\n"), ""); // quote inside REG_SZ
  EXPECT_NE(error("[Registry Values]\r\nMACHINE\\A=4,1\r\nMACHINE\\A=4,0\r\n"), "");
  EXPECT_NE(error("[Service General Setting]\r\n\"WlanSvc\",5,\"\"\r\n"), "");
  EXPECT_NE(error("[Event Audit]\r\nAuditLogonEvents = 4\r\n"), "");
  EXPECT_NE(error("[Privilege Rights]\r\n"), "");
  EXPECT_NE(error("[System Access]\r\nLockoutBadCount = 3"), ""); // no final CRLF
  auto noBom = test::readInf(head);
  EXPECT_TRUE(std::holds_alternative<test::InfError>(noBom));
}

TEST(EndpointText, MarkdownEscapesInlineSyntaxAndControlCharacters) {
  EXPECT_EQ(markdownText("a|b *c* _d_ [e](f) <script>&amp; `g` ~h~ \\"),
            "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<script\\>\\&amp; \\`g\\` \\~h\\~ \\\\");
  EXPECT_EQ(markdownText("1行目\n2行目\r\t"), "1行目 2行目  ");
  EXPECT_EQ(markdownCode("a`b"), "``a`b``");
  EXPECT_EQ(markdownCode("`x|y\n"), "`` `x\\|y  ``");
}

} // namespace
} // namespace polc::emit::endpoint
