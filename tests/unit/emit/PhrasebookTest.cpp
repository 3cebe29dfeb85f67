// stdlib/templates/*.yaml loads, and the loader rejects what would make a template silently
// not apply: a missing language, a misspelt key, an unknown placeholder, a missing fallback.
#include "PublicationTestUtil.h"

#include <fstream>
#include <sstream>

namespace polc::emit {
namespace {

std::string templateFile(const std::string &name) {
  std::ifstream in(std::string(POLC_SOURCE_DIR) + "/stdlib/templates/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Files {
  std::string phrases = templateFile("phrases.yaml");
  std::string checklist = templateFile("checklist.yaml");
  std::string document = templateFile("document.yaml");
  std::string error() const {
    try {
      parsePhrasebook(phrases, checklist, document);
    } catch (const std::runtime_error &e) {
      return e.what();
    }
    return "";
  }
};

void replaceOnce(std::string &s, const std::string &from, const std::string &to) {
  const auto at = s.find(from);
  ASSERT_NE(at, std::string::npos) << from;
  s.replace(at, from.size(), to);
}

TEST(PhrasebookTest, TheStdlibTemplatesLoad) {
  const Phrasebook &book = test::stdlibPhrasebook();
  EXPECT_EQ(book.text("checklist.fallback.le").ja, "{scope}{title}が{value}以下に設定されているか");
  EXPECT_NE(book.findText("checklist.settings.screen_lock.idle.questions.le"), nullptr);
  for (std::string_view op : kOperatorKeys)
    EXPECT_NE(book.findText("checklist.fallback." + std::string(op)), nullptr) << op;
}

TEST(PhrasebookTest, EveryTextNeedsBothLanguages) {
  Files f;
  replaceOnce(f.checklist, "no_owner: {ja: 担当未定, en: No owner}", "no_owner: {ja: 担当未定}");
  EXPECT_NE(f.error().find("checklist.labels.no_owner: a text has exactly the keys ja and en"), std::string::npos)
      << f.error();
}

TEST(PhrasebookTest, EveryOperatorNeedsAFallback) {
  Files f;
  replaceOnce(f.checklist, "  not_in: {ja: \"{scope}{title}が{values}のいずれでもない値に設定されているか\"",
              "  not_inn: {ja: \"{scope}{title}が{values}のいずれでもない値に設定されているか\"");
  const std::string error = f.error();
  EXPECT_NE(error.find("checklist.fallback.not_in: missing"), std::string::npos) << error;
}

TEST(PhrasebookTest, AMisspeltKeyIsAnError) {
  Files f;
  replaceOnce(f.checklist, "      le: {ja: \"{scope}端末の画面ロックが", "      lte: {ja: \"{scope}端末の画面ロックが");
  EXPECT_NE(f.error().find("checklist.settings.screen_lock.idle.questions.lte: not a key polc knows"), std::string::npos)
      << f.error();
}

TEST(PhrasebookTest, AnUnknownPlaceholderIsAnError) {
  Files f;
  replaceOnce(f.checklist, "{scope}端末の画面ロックが{value}以内", "{scope}端末の画面ロックが{valeu}以内");
  EXPECT_NE(f.error().find("unknown placeholder {valeu}"), std::string::npos) << f.error();
}

TEST(PhrasebookTest, ChecklistKindsAreChecked) {
  Files f;
  replaceOnce(f.checklist, "kinds: [self_inspection, audit]", "kinds: [self_inspection, audits]");
  EXPECT_NE(f.error().find("'audits' is not a checklist"), std::string::npos) << f.error();
}

TEST(PhrasebookTest, FillReplacesPlaceholdersAndLeavesValuesAlone) {
  // A value that looks like a placeholder is inserted as it is, never expanded again.
  EXPECT_EQ(fill("{a}と{b}", {{"a", "{b}"}, {"b", "x"}}), "{b}とx");
  EXPECT_THROW(fill("{missing}", {}), std::logic_error);
  EXPECT_EQ(countForm("{n} day|{n} days", 1), "{n} day");
  EXPECT_EQ(countForm("{n} day|{n} days", 2), "{n} days");
  EXPECT_EQ(countForm("{n}日", 2), "{n}日");
}

} // namespace
} // namespace polc::emit
