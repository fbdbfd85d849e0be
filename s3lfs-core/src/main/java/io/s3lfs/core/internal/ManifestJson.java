package io.s3lfs.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.s3lfs.core.Manifest;
import io.s3lfs.core.Manifest.JsonNumber;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes {@code .s3_manifest.json} exactly as the Python reference does:
 * {@code json.dump(obj, indent=4, sort_keys=True)}: 4-space indent, keys sorted by code point at
 * every level, {@code ", "}-free separators ({@code ","} at line ends, {@code ": "} in pairs),
 * ASCII only with lowercase {@code \\uXXXX} escapes, {@code {}} for an empty map, no trailing
 * newline. Reading takes a fast path for the common all-strings ASCII form ({@link
 * ManifestScanner}) and otherwise Jackson's streaming parser, which reports line and column on
 * errors.
 */
public final class ManifestJson {
  // Paths are field names here: interning or canonicalizing 200,000 unique names only costs.
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();

  private ManifestJson() {}

  /** A manifest that cannot be parsed, with where. */
  public static final class SyntaxException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    SyntaxException(String message, int line, int column) {
      super(message);
      this.line = line;
      this.column = column;
    }

    /** @return the 1-based line of the problem */
    public int line() {
      return line;
    }

    /** @return the 1-based column of the problem */
    public int column() {
      return column;
    }
  }

  /**
   * @param text the manifest file's content
   * @return the manifest
   * @throws SyntaxException when the text is not a valid manifest, with line and column
   */
  public static Manifest parse(String text) throws SyntaxException {
    return parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * @param utf8 the manifest file's bytes
   * @return the manifest
   * @throws SyntaxException when the bytes are not a valid manifest, with line and column
   */
  public static Manifest parse(byte[] utf8) throws SyntaxException {
    Manifest m = ManifestScanner.scan(utf8);
    return m != null ? m : parseGeneral(utf8);
  }

  /** Jackson's reading, for what {@link ManifestScanner} leaves; package-private for tests. */
  static Manifest parseGeneral(byte[] utf8) throws SyntaxException {
    try (JsonParser p = JSON.createParser(utf8)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw error(p, "the manifest must be a JSON object");
      }
      String bucket = null;
      String prefix = Manifest.DEFAULT_PREFIX;
      var files = new SortedEntries();
      var other = new TreeMap<String, Object>(Manifest.CODE_POINT_ORDER);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "bucket_name" -> bucket = string(p, value, name);
          case "repo_prefix" -> prefix = string(p, value, name);
          case "files" -> readFiles(p, value, files);
          default -> other.put(name, readValue(p, value));
        }
      }
      if (p.nextToken() != null) {
        throw error(p, "unexpected content after the manifest object");
      }
      if (bucket == null) {
        throw new SyntaxException("the manifest has no \"bucket_name\"", 1, 1);
      }
      return new Manifest(bucket, prefix, files.toMap(), other);
    } catch (JsonParseException e) {
      var loc = e.getLocation();
      String msg = e.getOriginalMessage();
      int cut = msg.indexOf('\n');
      throw new SyntaxException(cut < 0 ? msg : msg.substring(0, cut),
          loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr());
    } catch (SyntaxException e) {
      throw e;
    } catch (IOException e) {
      throw new SyntaxException(e.getMessage(), 0, 0);
    }
  }

  private static void readFiles(JsonParser p, JsonToken value, SortedEntries files) throws IOException {
    if (value != JsonToken.START_OBJECT) {
      throw error(p, "\"files\" must be an object of path to hash");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      JsonToken t = p.nextToken();
      files.add(key, string(p, t, key));
    }
  }

  /**
   * Entries in file order. Manifests are written sorted, so the map is normally built in linear
   * time from the sorted run (TreeMap's sorted-map constructor) instead of by n inserts.
   */
  static final class SortedEntries {
    private final java.util.ArrayList<Map.Entry<String, String>> entries = new java.util.ArrayList<>();
    private boolean sorted = true;

    void add(String key, String value) {
      if (sorted && !entries.isEmpty() && Manifest.CODE_POINT_ORDER.compare(entries.getLast().getKey(), key) >= 0) {
        sorted = false;
      }
      entries.add(Map.entry(key, value));
    }

    TreeMap<String, String> toMap() {
      if (sorted) {
        return new TreeMap<>(new SortedView(entries));
      }
      var map = new TreeMap<String, String>(Manifest.CODE_POINT_ORDER);
      for (var e : entries) {
        map.put(e.getKey(), e.getValue());
      }
      return map;
    }
  }

  /** Just enough of a SortedMap for TreeMap's linear-time copy constructor. */
  private static final class SortedView extends java.util.AbstractMap<String, String>
      implements java.util.SortedMap<String, String> {
    private final java.util.List<Map.Entry<String, String>> entries;

    SortedView(java.util.List<Map.Entry<String, String>> entries) {
      this.entries = entries;
    }

    @Override
    public java.util.Comparator<? super String> comparator() {
      return Manifest.CODE_POINT_ORDER;
    }

    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public java.util.Set<Map.Entry<String, String>> entrySet() {
      return new java.util.AbstractSet<>() {
        @Override
        public java.util.Iterator<Map.Entry<String, String>> iterator() {
          return entries.iterator();
        }

        @Override
        public int size() {
          return entries.size();
        }
      };
    }

    @Override
    public java.util.SortedMap<String, String> subMap(String from, String to) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.SortedMap<String, String> headMap(String to) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.util.SortedMap<String, String> tailMap(String from) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String firstKey() {
      return entries.getFirst().getKey();
    }

    @Override
    public String lastKey() {
      return entries.getLast().getKey();
    }
  }

  private static String string(JsonParser p, JsonToken t, String name) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw error(p, "the value of \"" + name + "\" must be a string");
    }
    return p.getText();
  }

  private static Object readValue(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new JsonNumber(p.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
          list.add(readValue(p, next));
        }
        yield list;
      }
      case START_OBJECT -> {
        var map = new TreeMap<String, Object>(Manifest.CODE_POINT_ORDER);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          map.put(key, readValue(p, p.nextToken()));
        }
        yield map;
      }
      default -> throw error(p, "unexpected " + t);
    };
  }

  private static SyntaxException error(JsonParser p, String message) {
    var loc = p.currentTokenLocation();
    return new SyntaxException(message, loc.getLineNr(), loc.getColumnNr());
  }

  /** @return the manifest rendered byte-for-byte as the reference writes it */
  public static String write(Manifest m) {
    var top = new TreeMap<String, Object>(Manifest.CODE_POINT_ORDER);
    top.putAll(m.other());
    top.put("bucket_name", m.bucketName());
    top.put("repo_prefix", m.repoPrefix());
    top.put("files", m.files());
    var out = new StringBuilder(64 + m.files().size() * 120);
    writeValue(out, top, 0);
    return out.toString();
  }

  private static void writeValue(StringBuilder out, Object v, int depth) {
    switch (v) {
      case null -> out.append("null");
      case String s -> quote(out, s);
      case Boolean b -> out.append(b ? "true" : "false");
      case JsonNumber n -> out.append(n.text());
      case Map<?, ?> map -> {
        if (map.isEmpty()) {
          out.append("{}");
          return;
        }
        out.append('{');
        boolean first = true;
        for (var e : sortedByCodePoint(map).entrySet()) {
          out.append(first ? "\n" : ",\n");
          first = false;
          indent(out, depth + 1);
          quote(out, e.getKey());
          out.append(": ");
          writeValue(out, e.getValue(), depth + 1);
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
      }
      case List<?> list -> {
        if (list.isEmpty()) {
          out.append("[]");
          return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : list) {
          out.append(first ? "\n" : ",\n");
          first = false;
          indent(out, depth + 1);
          writeValue(out, item, depth + 1);
        }
        out.append('\n');
        indent(out, depth);
        out.append(']');
      }
      default -> throw new IllegalArgumentException("cannot write " + v.getClass() + " to a manifest");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> sortedByCodePoint(Map<?, ?> map) {
    if (map instanceof java.util.SortedMap<?, ?> s && s.comparator() == Manifest.CODE_POINT_ORDER) {
      return (Map<String, ?>) map; // the manifest's own maps: already in order, no copy
    }
    var sorted = new TreeMap<String, Object>(Manifest.CODE_POINT_ORDER);
    map.forEach((k, v) -> sorted.put((String) k, v));
    return sorted;
  }

  private static void indent(StringBuilder out, int depth) {
    out.repeat(' ', depth * 4);
  }

  // Python's ensure_ascii: escape " \ and everything outside space..tilde; named escapes for
  // \n \r \t \b \f; lowercase hex; UTF-16 units, so astral characters become surrogate pairs.
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c >= ' ' && c <= '~') {
            out.append(c);
          } else {
            out.append("\\u");
            String hex = Integer.toHexString(c);
            out.repeat('0', 4 - hex.length()).append(hex);
          }
        }
      }
    }
    out.append('"');
  }
}
