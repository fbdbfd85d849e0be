package io.s3lfs.core.internal;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.spi.Codec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The key layout shared with the Python tool (spec 1.3 and 3.3):
 * {@code <prefix>/assets/<hash>/<path><codec suffix>[.chunk<i>]}. One file's objects all start
 * with its stem {@code <prefix>/assets/<hash>/<path>}; which of them hold the file is decided
 * here, for reading and for garbage collection alike.
 */
public final class StoredObjects {
  private static final Pattern CHUNK = Pattern.compile("\\.chunk(0|[1-9][0-9]*)");

  private StoredObjects() {}

  /** @return the stem of a file's objects */
  public static String stem(String prefix, String hash, String key) {
    return prefix + "/assets/" + hash + "/" + key;
  }

  /** @return the listing prefix that holds every asset of a repository */
  public static String assetsPrefix(String prefix) {
    return prefix + "/assets/";
  }

  /**
   * The objects that make up one stored file: a codec and its pieces in order.
   *
   * @param codec how the bytes are encoded
   * @param pieces one object, or the chunks in index order
   */
  public record Stored(Codec codec, List<ObjectInfo> pieces) {
    public Stored {
      pieces = List.copyOf(pieces);
    }

    /** @return the stored (encoded) size */
    public long size() {
      return pieces.stream().mapToLong(ObjectInfo::size).sum();
    }
  }

  /**
   * Picks the stored form of a file from a listing of its stem, preferring raw single, raw
   * chunks, then each codec's single object and chunks (the reference's order). Every known codec
   * counts, usable here or not: a zstd object on a machine without zstd-jni is found, and its
   * decoding then fails saying what is missing, instead of the file being reported as not stored
   * (and without the codec's native library being loaded for a checkout of gzip files).
   *
   * @param stem the file's stem
   * @param listing the objects whose keys start with {@code stem}
   * @return the stored form, or empty when none is complete
   * @throws IllegalStateException when chunks are present but not numbered 0..n-1
   */
  public static Optional<Stored> find(String stem, List<ObjectInfo> listing) {
    List<Codec> order = new ArrayList<>();
    order.add(Codec.forName("identity"));
    for (Codec c : Codec.known()) {
      if (!c.suffix().isEmpty()) {
        order.add(c);
      }
    }
    for (Codec codec : order) {
      String base = stem + codec.suffix();
      for (ObjectInfo o : listing) {
        if (o.key().equals(base)) {
          return Optional.of(new Stored(codec, List.of(o)));
        }
      }
      List<ObjectInfo> chunks = new ArrayList<>();
      for (ObjectInfo o : listing) {
        if (o.key().startsWith(base) && CHUNK.matcher(o.key().substring(base.length())).matches()) {
          chunks.add(o);
        }
      }
      if (!chunks.isEmpty()) {
        chunks.sort(Comparator.comparingLong(o -> chunkIndex(base, o.key())));
        for (int i = 0; i < chunks.size(); i++) {
          if (chunkIndex(base, chunks.get(i).key()) != i) {
            throw new IllegalStateException("stored chunks of " + base + " are not numbered 0.."
                + (chunks.size() - 1) + "; the object is incomplete");
          }
        }
        return Optional.of(new Stored(codec, chunks));
      }
    }
    return Optional.empty();
  }

  private static long chunkIndex(String base, String key) {
    return Long.parseLong(key.substring(base.length() + ".chunk".length()));
  }

  /**
   * @return whether {@code key} is one of the objects a file with this stem may be stored as
   *     (any codec, single or chunked)
   */
  public static boolean covers(String stem, String key) {
    if (!key.startsWith(stem)) {
      return false;
    }
    String rest = key.substring(stem.length());
    if (rest.isEmpty() || CHUNK.matcher(rest).matches()) {
      return true;
    }
    for (Codec c : Codec.known()) {
      String s = c.suffix();
      if (!s.isEmpty() && rest.startsWith(s)) {
        String tail = rest.substring(s.length());
        if (tail.isEmpty() || CHUNK.matcher(tail).matches()) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * @param liveStems the stems of every file the manifest references
   * @return whether {@code key} is one of the objects of a live stem (the reverse of
   *     {@link #covers}: strip a chunk suffix, then a codec suffix, and look the stem up)
   */
  public static boolean referenced(java.util.Set<String> liveStems, String key) {
    var chunk = CHUNK.matcher(key);
    String k = key;
    int dot = key.lastIndexOf(".chunk");
    if (dot >= 0 && chunk.region(dot, key.length()).matches()) {
      k = key.substring(0, dot);
    }
    if (liveStems.contains(k)) {
      return true;
    }
    for (Codec c : Codec.known()) {
      String s = c.suffix();
      if (!s.isEmpty() && k.endsWith(s) && liveStems.contains(k.substring(0, k.length() - s.length()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Splits an asset key {@code <prefix>/assets/<hash>/<path...>} into hash and the rest.
   *
   * @return {hash, path-with-suffix}, or empty when the key is not shaped like an asset
   */
  public static Optional<String[]> parseAsset(String prefix, String key) {
    String assets = assetsPrefix(prefix);
    if (!key.startsWith(assets)) {
      return Optional.empty();
    }
    String rest = key.substring(assets.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new String[] {rest.substring(0, slash), rest.substring(slash + 1)});
  }
}
