package io.s3lfs.core;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The content of {@code .s3_manifest.json}: where the bytes live and which hash each tracked
 * path has. Immutable; the {@code with...} methods return changed copies.
 *
 * <p>Keys are POSIX-style paths relative to the repository root. {@code other} keeps every
 * top-level key this version does not interpret (the Python tool's {@code endpoint_url}, future
 * keys), so a round trip through this tool loses nothing.
 *
 * @param bucketName an S3 bucket name, or a store URI such as {@code file:///srv/store}
 * @param repoPrefix the key prefix under which this repository's objects live
 * @param files tracked path to lowercase hex digest, sorted by code point
 * @param other every other top-level key, sorted; values are String, Boolean, null,
 *     {@link JsonNumber}, Map or List
 */
public record Manifest(String bucketName, String repoPrefix, NavigableMap<String, String> files,
    NavigableMap<String, Object> other) {

  /** Python sorts keys by code point; String.compareTo compares UTF-16 units, which differs. */
  public static final Comparator<String> CODE_POINT_ORDER = Manifest::compareCodePoints;

  /** The prefix the reference uses when a manifest has none. */
  public static final String DEFAULT_PREFIX = "s3lfs";

  /** Manifest key naming the hash algorithm when it is not sha256 (absent means sha256). */
  public static final String HASH_KEY = "hash_algorithm";

  /** Manifest key of an S3-compatible endpoint, as the reference writes it. */
  public static final String ENDPOINT_KEY = "endpoint_url";

  /** A JSON number kept as its source text, so it is written back unchanged. */
  public record JsonNumber(String text) {}

  public Manifest {
    Objects.requireNonNull(bucketName, "bucketName");
    Objects.requireNonNull(repoPrefix, "repoPrefix");
    files = Collections.unmodifiableNavigableMap(sorted(Objects.requireNonNull(files, "files")));
    other = Collections.unmodifiableNavigableMap(sorted(Objects.requireNonNull(other, "other")));
  }

  /** @return an empty manifest for a new repository */
  public static Manifest create(String bucketName, String repoPrefix, String hashAlgorithm) {
    var other = new TreeMap<String, Object>(CODE_POINT_ORDER);
    if (!"sha256".equals(hashAlgorithm)) {
      other.put(HASH_KEY, hashAlgorithm);
    }
    return new Manifest(bucketName, repoPrefix, new TreeMap<>(CODE_POINT_ORDER), other);
  }

  /** @return the name of the hash algorithm tracked files are addressed by */
  public String hashAlgorithm() {
    return other.get(HASH_KEY) instanceof String s ? s : "sha256";
  }

  /** @return the S3-compatible endpoint recorded for this repository, or {@code null} */
  public String endpointUrl() {
    return other.get(ENDPOINT_KEY) instanceof String s ? s : null;
  }

  /** @return a copy with the given store location and prefix, entries kept */
  public Manifest withLocation(String bucket, String prefix) {
    return new Manifest(bucket, prefix, files, other);
  }

  /** @return a copy with one top-level key set, or removed when {@code value} is null */
  public Manifest withOther(String key, Object value) {
    var copy = new TreeMap<>(other);
    if (value == null) {
      copy.remove(key);
    } else {
      copy.put(key, value);
    }
    return new Manifest(bucketName, repoPrefix, files, copy);
  }

  /** @return a copy with the given entries added or replaced */
  public Manifest withFiles(Map<String, String> entries) {
    if (entries.isEmpty()) {
      return this;
    }
    var copy = new TreeMap<>(files);
    copy.putAll(entries);
    return new Manifest(bucketName, repoPrefix, copy, other);
  }

  /** @return a copy without the given keys */
  public Manifest withoutFiles(Collection<String> keys) {
    if (keys.isEmpty()) {
      return this;
    }
    var copy = new TreeMap<>(files);
    copy.keySet().removeAll(keys);
    return new Manifest(bucketName, repoPrefix, copy, other);
  }

  private static <V> NavigableMap<String, V> sorted(Map<String, V> map) {
    if (map instanceof TreeMap<String, V> t && t.comparator() == CODE_POINT_ORDER) {
      return new TreeMap<>(t);
    }
    var copy = new TreeMap<String, V>(CODE_POINT_ORDER);
    copy.putAll(map);
    return copy;
  }

  // Code point order from UTF-16 units without decoding: only the first differing unit matters,
  // and the two orders disagree only between surrogates (D800-DFFF) and E000-FFFF, so shifting
  // those two ranges past each other fixes the comparison (the ICU "code point order" trick).
  private static int compareCodePoints(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return Integer.compare(fixup(x), fixup(y));
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  private static int fixup(char c) {
    if (c >= 0xE000) {
      return c - 0x800;
    }
    if (c >= 0xD800) {
      return c + 0x2000;
    }
    return c;
  }
}
