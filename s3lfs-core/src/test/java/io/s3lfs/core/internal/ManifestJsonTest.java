package io.s3lfs.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.core.Manifest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {
  private static final String H = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void write_emptyManifest_matchesReferenceBytes() {
    String text = ManifestJson.write(Manifest.create("bkt", "pfx", "sha256"));
    assertThat(text).isEqualTo("{\n    \"bucket_name\": \"bkt\",\n    \"files\": {},\n    \"repo_prefix\": \"pfx\"\n}");
  }

  @Test
  void write_entries_sortedIndentedNoTrailingNewline() {
    Manifest m = Manifest.create("bkt", "pfx", "sha256").withFiles(Map.of("b/x.bin", H, "a.bin", H));
    assertThat(ManifestJson.write(m)).isEqualTo("{\n    \"bucket_name\": \"bkt\",\n    \"files\": {\n"
        + "        \"a.bin\": \"" + H + "\",\n        \"b/x.bin\": \"" + H + "\"\n    },\n"
        + "    \"repo_prefix\": \"pfx\"\n}");
  }

  @Test
  void write_nonAscii_escapedLowercaseWithSurrogatePairs() {
    Manifest m = Manifest.create("bkt", "pfx", "sha256")
        .withFiles(Map.of("d\u00fcr/\u00e9 \"q\"\\.bin", H, "emoji\uD83D\uDE00.bin", H, "tab\t\u007f", H));
    String text = ManifestJson.write(m);
    assertThat(text).contains("\"d\\u00fcr/\\u00e9 \\\"q\\\"\\\\.bin\"")
        .contains("\"emoji\\ud83d\\ude00.bin\"")
        .contains("\"tab\\t\\u007f\"");
    assertThat(text.chars().allMatch(c -> c < 128)).isTrue();
  }

  @Test
  void write_keys_sortedByCodePointNotUtf16() {
    // U+FF21 sorts after U+1F600 by UTF-16 unit but before it by code point.
    Manifest m = Manifest.create("b", "p", "sha256").withFiles(Map.of("\uFF21", H, "\uD83D\uDE00", H));
    String text = ManifestJson.write(m);
    assertThat(text.indexOf("\\uff21")).isLessThan(text.indexOf("\\ud83d"));
  }

  @Test
  void parse_written_roundTripsIncludingUnknownKeys() throws Exception {
    var other = new TreeMap<String, Object>(Manifest.CODE_POINT_ORDER);
    other.put("endpoint_url", "http://localhost:9000");
    other.put("zz_future", Map.of("n", new Manifest.JsonNumber("1.5e3"), "list", List.of(true, "x")));
    other.put("nothing", null);
    var files = new TreeMap<String, String>(Manifest.CODE_POINT_ORDER);
    files.put("d\u00fcr/\uD83D\uDE00.bin", H);
    Manifest m = new Manifest("bkt", "pfx", files, other);
    Manifest back = ManifestJson.parse(ManifestJson.write(m));
    assertThat(back).isEqualTo(m);
    assertThat(ManifestJson.write(back)).isEqualTo(ManifestJson.write(m));
  }

  @Test
  void parse_pythonCompactOutput_reads() throws Exception {
    Manifest m = ManifestJson.parse("{\"files\": {\"a\": \"" + H + "\"}, \"bucket_name\": \"b\"}");
    assertThat(m.repoPrefix()).isEqualTo("s3lfs");
    assertThat(m.files()).containsEntry("a", H);
  }

  @Test
  void parse_unsortedEntries_sortedByCodePoint() throws Exception {
    Manifest m = ManifestJson.parse("{\"bucket_name\": \"b\", \"files\": {\"z\": \"" + H + "\", "
        + "\"\\uff21\": \"" + H + "\", \"a\": \"" + H + "\", \"\\ud83d\\ude00\": \"" + H + "\"}}");
    assertThat(m.files().keySet()).containsExactly("a", "z", "\uFF21", "\uD83D\uDE00");
  }

  @Test
  void codePointOrder_agreesWithCodePointComparison() {
    String[] samples = {"", "a", "ab", "\uD7FF", "\uE000", "\uFFFF", "\uD800\uDC00", "\uD83D\uDE00", "a\uFF21", "a\uD83D\uDE00"};
    for (String x : samples) {
      for (String y : samples) {
        int expected = Integer.signum(java.util.Arrays.compare(x.codePoints().toArray(), y.codePoints().toArray()));
        assertThat(Integer.signum(Manifest.CODE_POINT_ORDER.compare(x, y))).as(x + " vs " + y).isEqualTo(expected);
      }
    }
  }

  @Test
  void parse_brokenJson_reportsLineAndColumn() {
    assertThatThrownBy(() -> ManifestJson.parse("{\n    \"bucket_name\": \"b\",\n    \"files\": {\n        \"a\" \"x\"\n"))
        .isInstanceOfSatisfying(ManifestJson.SyntaxException.class, e -> {
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.column()).isGreaterThan(1);
        });
  }

  @Test
  void parse_notAnObject_fails() {
    assertThatThrownBy(() -> ManifestJson.parse("[1]")).isInstanceOf(ManifestJson.SyntaxException.class)
        .hasMessageContaining("JSON object");
  }

  @Test
  void parse_hashNotString_failsNamingKey() {
    assertThatThrownBy(() -> ManifestJson.parse("{\"bucket_name\": \"b\", \"files\": {\"a.bin\": 3}}"))
        .isInstanceOf(ManifestJson.SyntaxException.class).hasMessageContaining("a.bin");
  }
}
