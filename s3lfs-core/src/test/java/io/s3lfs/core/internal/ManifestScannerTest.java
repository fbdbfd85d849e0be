package io.s3lfs.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.core.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ManifestScannerTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // Paths with what JSON escapes: quotes, backslashes, controls, BMP and astral characters.
  private static String randomPath(Random r) {
    String[] parts = {"data", "a\"b", "back\\slash", "tab\there", "nl\nx", "é", "日本", "😀", "x/y", "\u007f", "\uE000", " "};
    var sb = new StringBuilder();
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      sb.append(parts[r.nextInt(parts.length)]).append(r.nextInt(1000));
      if (i > 1) {
        sb.append('/');
      }
    }
    return sb.toString();
  }

  @Test
  void scan_writtenManifests_sameAsJackson() throws Exception {
    Random r = new Random(42);
    for (int round = 0; round < 200; round++) {
      var files = new TreeMap<String, String>(Manifest.CODE_POINT_ORDER);
      for (int i = r.nextInt(30); i > 0; i--) {
        files.put(randomPath(r), Long.toHexString(r.nextLong()));
      }
      var m = new Manifest("bucket-" + round, r.nextBoolean() ? "s3lfs" : "pre/fix\"" + round, files,
          new TreeMap<>(Manifest.CODE_POINT_ORDER)).withOther("endpoint_url", "http://127.0.0.1:" + round);
      byte[] bytes = utf8(ManifestJson.write(m));
      Manifest scanned = ManifestScanner.scan(bytes);
      assertThat(scanned).as("round %d", round).isEqualTo(ManifestJson.parseGeneral(bytes)).isEqualTo(m);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"bucket_name\":\"b\",\"files\":{\"b\":\"2\",\"a\":\"1\"}}", // compact, unsorted
      "\r\n\t{ \"files\" : { } , \"bucket_name\" : \"b\" }  \n",
      "{\"bucket_name\": \"b\", \"files\": {\"a\": \"1\", \"a\": \"2\"}}", // duplicate: the last wins
      "{\"bucket_name\": \"\\u0062\\/\", \"repo_prefix\": \"\\ud83d\\ude00\\ud800\"}",
      "{\"bucket_name\": \"a\", \"bucket_name\": \"b\"}"})
  void scan_otherValidForms_sameAsJackson(String json) throws Exception {
    Manifest scanned = ManifestScanner.scan(utf8(json));
    assertThat(scanned).isNotNull().isEqualTo(ManifestJson.parseGeneral(utf8(json)));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"bucket_name\": \"b\", \"n\": 1}", // a number: Jackson keeps its text
      "{\"bucket_name\": \"b\", \"x\": {\"nested\": true}}",
      "{\"bucket_name\": \"b\", \"files\": {\"é\": \"1\"}}", // raw UTF-8 needs validation
      "{\"bucket_name\": \"b\",}",
      "{\"bucket_name\": \"b\"} x",
      "{\"bucket_name\": \"b\", \"files\": {\"a\": \"1\"",
      "{\"bucket_name\": \"b\\q\"}",
      "{\"bucket_name\": \"b\\u12g4\"}",
      "{\"bucket_name\": \"b\n\"}",
      "{\"files\": {}}",
      "{}",
      "\uFEFF{\"bucket_name\": \"b\"}",
      ""})
  void scan_anythingElse_leftToJackson(String json) {
    assertThat(ManifestScanner.scan(utf8(json))).isNull();
  }

  @Test
  void parse_rawUtf8Key_readByJackson() throws Exception {
    Manifest m = ManifestJson.parse(utf8("{\"bucket_name\": \"b\", \"files\": {\"é/😀\": \"1\"}}"));
    assertThat(m.files()).containsEntry("é/😀", "1");
  }
}
