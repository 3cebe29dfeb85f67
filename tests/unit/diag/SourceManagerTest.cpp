#include "polc/diag/SourceManager.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using namespace polc::diag;

namespace {

LineCol at(const SourceManager &sm, FileID f, std::uint32_t offset) {
  return sm.lineCol({f, offset});
}

void expectLineCol(LineCol got, std::uint32_t line, std::uint32_t column) {
  EXPECT_EQ(got.line, line);
  EXPECT_EQ(got.column, column);
}

} // namespace

TEST(SourceManager, FileIdsNamesAndContents) {
  SourceManager sm;
  EXPECT_EQ(sm.fileCount(), 0u);
  const FileID a = sm.addBuffer("a.pol", "zone a;");
  const FileID b = sm.addBuffer("dir/b.pol", "zone b;");
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(sm.fileCount(), 2u);
  EXPECT_EQ(sm.name(b), "dir/b.pol");
  EXPECT_EQ(sm.contents(a), "zone a;");
  EXPECT_THROW(sm.name(0), std::out_of_range);
  EXPECT_THROW(sm.contents(3), std::out_of_range);
}

TEST(SourceManager, LineTerminatorsLfCrlfAndLoneCr) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "a\r\nbc\rd\n\ne");
  ASSERT_EQ(sm.lineCount(f), 5u);
  EXPECT_EQ(sm.lineText(f, 1), "a");
  EXPECT_EQ(sm.lineText(f, 2), "bc");
  EXPECT_EQ(sm.lineText(f, 3), "d");
  EXPECT_EQ(sm.lineText(f, 4), "");
  EXPECT_EQ(sm.lineText(f, 5), "e");
  EXPECT_EQ(sm.lineStart(f, 1), 0u);
  EXPECT_EQ(sm.lineStart(f, 2), 3u);
  EXPECT_EQ(sm.lineStart(f, 3), 6u);
  EXPECT_EQ(sm.lineStart(f, 4), 8u);
  EXPECT_EQ(sm.lineStart(f, 5), 9u);
}

TEST(SourceManager, LineColAcrossCrlf) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "ab\r\ncd\r\n");
  expectLineCol(at(sm, f, 0), 1, 1);
  expectLineCol(at(sm, f, 2), 1, 3); // the '\r' is just past "ab"
  expectLineCol(at(sm, f, 3), 1, 4); // the '\n' of the same terminator stays on line 1
  expectLineCol(at(sm, f, 4), 2, 1);
  expectLineCol(at(sm, f, 5), 2, 2);
  expectLineCol(at(sm, f, 8), 3, 1); // end of file, after the final terminator
  EXPECT_EQ(sm.lineCount(f), 3u);
}

TEST(SourceManager, JapaneseColumnsCountCodePoints) {
  SourceManager sm;
  //                                     bytes: 17 ASCII, 9 for 接続系, then `";`
  const FileID f = sm.addBuffer("t.pol", "x;\nzone lgwan \"LGWAN接続系\";\n");
  const std::uint32_t line2 = sm.lineStart(f, 2);
  expectLineCol(at(sm, f, line2 + 17), 2, 18);      // 接
  expectLineCol(at(sm, f, line2 + 20), 2, 19);      // 続
  expectLineCol(at(sm, f, line2 + 27), 2, 22);      // ;
  EXPECT_EQ(sm.utf16Column({f, line2 + 27}), 22u); // BMP characters are one UTF-16 unit
}

TEST(SourceManager, OffsetInsideACharacterMapsToThatCharacter) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "接x");
  expectLineCol(at(sm, f, 1), 1, 1);
  expectLineCol(at(sm, f, 2), 1, 1);
  expectLineCol(at(sm, f, 3), 1, 2);
}

TEST(SourceManager, Utf16ColumnCountsSurrogatePairs) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "a\xF0\x9F\x98\x80" "b\xF0\x9F\x98\x80" "c"); // a😀b😀c
  expectLineCol(at(sm, f, 5), 1, 3); // b
  EXPECT_EQ(sm.utf16Column({f, 0}), 1u);
  EXPECT_EQ(sm.utf16Column({f, 1}), 2u);
  EXPECT_EQ(sm.utf16Column({f, 5}), 4u);
  EXPECT_EQ(sm.utf16Column({f, 10}), 7u); // c
  expectLineCol(at(sm, f, 10), 1, 5);
}

TEST(SourceManager, InvalidUtf8BytesCountOneEach) {
  SourceManager sm;
  // 0xFF and 0xFE can never appear; E6 8E is a truncated three-byte sequence.
  const FileID f = sm.addBuffer("t.pol", "a\xFF\xFE" "b\xE6\x8E" "c");
  expectLineCol(at(sm, f, 3), 1, 4);
  expectLineCol(at(sm, f, 6), 1, 7);
  EXPECT_EQ(sm.utf16Column({f, 6}), 7u);
}

TEST(SourceManager, OverlongAndSurrogateEncodingsAreInvalid) {
  SourceManager sm;
  // C0 AF is an overlong '/', ED A0 80 an encoded surrogate: 2 and 3 invalid bytes.
  const FileID f = sm.addBuffer("t.pol", "\xC0\xAF" "\xED\xA0\x80" "z");
  expectLineCol(at(sm, f, 5), 1, 6);
}

TEST(SourceManager, OffsetsPastTheEndClamp) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "ab\ncd");
  expectLineCol(at(sm, f, 5), 2, 3);
  expectLineCol(at(sm, f, 1000), 2, 3);
  EXPECT_EQ(sm.utf16Column({f, 1000}), 3u);
}

TEST(SourceManager, EmptyFileHasOneEmptyLine) {
  SourceManager sm;
  const FileID f = sm.addBuffer("empty.pol", "");
  EXPECT_EQ(sm.lineCount(f), 1u);
  EXPECT_EQ(sm.lineText(f, 1), "");
  expectLineCol(at(sm, f, 0), 1, 1);
}

TEST(SourceManager, OutOfRangeLinesAndInvalidLocations) {
  SourceManager sm;
  const FileID f = sm.addBuffer("t.pol", "a\nb");
  EXPECT_EQ(sm.lineText(f, 0), "");
  EXPECT_EQ(sm.lineText(f, 3), "");
  EXPECT_EQ(sm.lineStart(f, 3), 3u);
  expectLineCol(sm.lineCol(SourceLoc{}), 0, 0);
  EXPECT_EQ(sm.utf16Column(SourceLoc{}), 0u);
}

TEST(SourceManager, ManyLinesUseTheLineTable) {
  std::string text;
  for (int i = 0; i < 100000; ++i)
    text += (i % 2 ? "deny a -> b;\r\n" : "allow a -> b;\n"); // 14 and 14 bytes
  SourceManager sm;
  const FileID f = sm.addBuffer("big.pol", text);
  EXPECT_EQ(sm.lineCount(f), 100001u);
  expectLineCol(at(sm, f, 14 * 77777 + 5), 77778, 6);
  EXPECT_EQ(sm.lineText(f, 77778), "deny a -> b;");
  EXPECT_EQ(sm.lineText(f, 77779), "allow a -> b;");
}
