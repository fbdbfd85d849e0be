package io.s3lfs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static final String EMOJI = "\uD83D\uDE00.bin"; // U+1F600: after U+E000 by code point
  private static final String PRIVATE_USE = "\uE000.bin"; // but before it by UTF-16 unit

  private static TreeMap<String, Object> noOther() {
    return new TreeMap<>(Manifest.CODE_POINT_ORDER);
  }

  @Test
  void new_mapInUtf16Order_filesKeptApartAndReorderedByCodePoint() {
    var utf16 = new TreeMap<String, String>(Map.of(EMOJI, "1", PRIVATE_USE, "2"));
    assertThat(utf16.firstKey()).isEqualTo(EMOJI);

    Manifest m = new Manifest("bucket", "p", utf16, noOther());
    utf16.put("later.bin", "3");

    assertThat(m.files().keySet()).containsExactly(PRIVATE_USE, EMOJI);
  }

  @Test
  void withFilesAndWithoutFiles_changeTheCopyOnly() {
    Manifest m = Manifest.create("bucket", "p", "sha256").withFiles(Map.of("a", "1", "b", "2"));

    Manifest more = m.withFiles(Map.of("c", "3", "a", "9"));
    Manifest less = m.withoutFiles(List.of("a"));

    assertThat(m.files()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    assertThat(more.files()).containsExactly(Map.entry("a", "9"), Map.entry("b", "2"), Map.entry("c", "3"));
    assertThat(less.files()).containsExactly(Map.entry("b", "2"));
    assertThatThrownBy(() -> more.files().remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> less.files().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
