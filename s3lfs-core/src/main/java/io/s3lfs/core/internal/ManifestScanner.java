package io.s3lfs.core.internal;

import io.s3lfs.core.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * The fast path of {@link ManifestJson#parse(byte[])}: a manifest whose values are all strings,
 * in ASCII (what this tool and the reference write, {@code ensure_ascii}), read straight from the
 * bytes. Anything else (numbers, nested values, raw UTF-8, a syntax error) makes it give up with
 * {@code null}, and Jackson reads the file instead, with the same result or the error's line and
 * column.
 *
 * <p>Why: {@code status} parses the manifest once, in a cold JVM, before it can stat anything.
 * At 200,000 entries Jackson took 130-200 ms there (with field-name canonicalization off, it
 * decodes bytes through a {@code Reader}; with it on, it hashes every unique path into a symbol
 * table); this takes about half.
 */
final class ManifestScanner {
  private final byte[] in;
  private int at;
  private final StringBuilder unescaped = new StringBuilder();

  private ManifestScanner(byte[] in) {
    this.in = in;
  }

  /** @return the manifest, or {@code null} when the bytes need the general parser */
  static Manifest scan(byte[] utf8) {
    try {
      return new ManifestScanner(utf8).manifest();
    } catch (GiveUp | ArrayIndexOutOfBoundsException e) { // the latter: input ended early
      return null;
    }
  }

  /** Not an error: the general parser takes over. Stackless, it costs next to nothing. */
  private static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final GiveUp INSTANCE = new GiveUp();

    private GiveUp() {
      super(null, null, false, false);
    }
  }

  private Manifest manifest() {
    space();
    expect('{');
    String bucket = null;
    String prefix = Manifest.DEFAULT_PREFIX;
    var files = new ManifestJson.SortedEntries();
    var other = new TreeMap<String, Object>(Manifest.CODE_POINT_ORDER);
    space();
    if (in[at] == '}') {
      throw GiveUp.INSTANCE; // no bucket: the general parser says so
    }
    do {
      space();
      String name = string();
      space();
      expect(':');
      space();
      switch (name) {
        case "files" -> files(files);
        case "bucket_name" -> bucket = string();
        case "repo_prefix" -> prefix = string();
        default -> other.put(name, string());
      }
      space();
    } while (comma());
    expect('}');
    space();
    if (at != in.length || bucket == null) {
      throw GiveUp.INSTANCE;
    }
    return new Manifest(bucket, prefix, files.toMap(), other);
  }

  private void files(ManifestJson.SortedEntries files) {
    expect('{');
    space();
    if (in[at] == '}') {
      at++;
      return;
    }
    do {
      space();
      String key = string();
      space();
      expect(':');
      space();
      files.add(key, string());
      space();
    } while (comma());
    expect('}');
  }

  private boolean comma() {
    if (in[at] == ',') {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (in[at] != c) {
      throw GiveUp.INSTANCE;
    }
    at++;
  }

  private void space() {
    byte c;
    while (at < in.length && ((c = in[at]) == ' ' || c == '\n' || c == '\r' || c == '\t')) {
      at++;
    }
  }

  private String string() {
    expect('"');
    int start = at;
    byte c;
    while ((c = in[at]) != '"') {
      if (c == '\\') {
        return escaped(start);
      }
      if (c < 0x20 || c > 0x7e) { // control characters are errors; raw UTF-8 needs validation
        throw GiveUp.INSTANCE;
      }
      at++;
    }
    at++;
    return new String(in, start, at - 1 - start, StandardCharsets.ISO_8859_1);
  }

  // JSON's escapes; \\u escapes are UTF-16 units, so surrogate pairs come out as pairs.
  private String escaped(int start) {
    StringBuilder out = unescaped;
    out.setLength(0);
    out.append(new String(in, start, at - start, StandardCharsets.ISO_8859_1));
    byte c;
    while ((c = in[at++]) != '"') {
      if (c < 0x20 || c > 0x7e) {
        throw GiveUp.INSTANCE;
      }
      if (c != '\\') {
        out.append((char) c);
        continue;
      }
      switch (in[at++]) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          int unit = 0;
          for (int i = 0; i < 4; i++) {
            int digit = Character.digit(in[at++], 16);
            if (digit < 0) {
              throw GiveUp.INSTANCE;
            }
            unit = unit << 4 | digit;
          }
          out.append((char) unit);
        }
        default -> throw GiveUp.INSTANCE;
      }
    }
    return out.toString();
  }
}
