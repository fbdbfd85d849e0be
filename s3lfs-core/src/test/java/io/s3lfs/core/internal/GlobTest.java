package io.s3lfs.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {
  // Spec 4.4 item 43, plus the cases where this dialect deliberately differs from the seed's
  // string-prefix ** (data/** must not match database/...).
  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource({
    "file.txt, *.txt, true",
    "dir/file.txt, *.txt, false",
    "dir/file.txt, dir/*.txt, true",
    "dir/subdir/file.txt, dir/*.txt, false",
    "file.txt, **/*.txt, true",
    "dir/subdir/file.txt, **/*.txt, true",
    "logs/file.txt, data/**/*.txt, false",
    "data/file.txt, data/file.txt, true",
    "data/file.txt, other/file.txt, false",
    "database/x.txt, data/**, false",
    "data/a/b/c.bin, data/**, true",
    "data/x/nested.txt, data/**/*.txt, true",
    ".hidden.txt, *.txt, false",
    ".hidden.txt, .*.txt, true",
    "a1.bin, a?.bin, true",
    "a12.bin, a?.bin, false",
    "runs2024/a.bin, runs[0-9]*/a.bin, true",
    "runsx/a.bin, runs[!x]*/a.bin, false",
    "a b/\u00fc.bin, a b/*.bin, true",
    "x.txt.gz, *.txt, false"
  })
  void matches_table_asExpected(String key, String pattern, boolean expected) {
    assertThat(Glob.compile(pattern).matches(key)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"data/*.txt, data", "data/sub/**/x, data/sub", "*.txt, ''", "a/b/c.txt, a/b"})
  void literalPrefix_pattern_isLeadingLiteralDirectories(String pattern, String prefix) {
    assertThat(Glob.literalPrefix(pattern)).isEqualTo(prefix);
  }
}
