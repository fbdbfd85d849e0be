package io.s3lfs.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.core.internal.hash.FileHashing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the hash of each working-copy file with the file's size, modification time and
 * identity (inode), as the reference's cache does (spec 3.12), so {@code track --modified},
 * {@code status} and {@code checkout} do not re-read files that did not change.
 *
 * <p>An entry is trusted only if the file was last modified more than {@link #RACY_NANOS} before
 * it was hashed: a file written in the same second as it was hashed could change again without
 * its mtime changing ("racy git"). A hash is stored only if the file's metadata is the same
 * after hashing as before. The cache is local ({@code .s3lfs_temp/}, never committed) and
 * disposable: a missing or unreadable cache just means hashing again.
 */
public final class HashCache {
  static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final JsonFactory JSON = new JsonFactory();

  /** What identifies one version of a file, cheaply. */
  record Stat(long size, long mtimeNanos, String identity) {
    static Stat of(Path file) throws IOException {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stat(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS),
          Objects.toString(a.fileKey(), ""));
    }
  }

  private record Entry(Stat stat, String hex, long hashedAtNanos) {
    boolean trusted() {
      return hashedAtNanos - stat.mtimeNanos() > RACY_NANOS;
    }
  }

  private final Path file;
  private final String algorithm;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile boolean dirty;

  private HashCache(Path file, String algorithm) {
    this.file = file;
    this.algorithm = algorithm;
  }

  /** Loads the cache, or starts an empty one when it is missing, unreadable or for another hash. */
  public static HashCache load(Path file, String algorithm) {
    HashCache cache = new HashCache(file, algorithm);
    try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return cache;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("algorithm") && !algorithm.equals(p.getText())) {
          return new HashCache(file, algorithm);
        } else if (name.equals("entries")) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken(); // [size, mtime, identity, hex, hashedAt]
            p.nextToken();
            long size = p.getLongValue();
            p.nextToken();
            long mtime = p.getLongValue();
            p.nextToken();
            String identity = p.getText();
            p.nextToken();
            String hex = p.getText();
            p.nextToken();
            long at = p.getLongValue();
            p.nextToken();
            cache.entries.put(key, new Entry(new Stat(size, mtime, identity), hex, at));
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (NoSuchFileException e) {
      return cache;
    } catch (IOException | RuntimeException e) {
      return new HashCache(file, algorithm); // a damaged cache is only a slower run
    }
    return cache;
  }

  /**
   * A file's hash and its size when hashed.
   *
   * @param hex the digest
   * @param size the file's size in bytes
   */
  public record Hashed(String hex, long size) {}

  /**
   * @param key the file's manifest key
   * @param path the file
   * @return the file's hash, from the cache when its metadata is unchanged, else computed
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   */
  public Hashed hash(String key, Path path, HashAlgorithm hashAlgorithm) throws IOException {
    Stat before = Stat.of(path);
    Entry e = entries.get(key);
    if (e != null && e.stat().equals(before) && e.trusted()) {
      return new Hashed(e.hex(), before.size());
    }
    long at = now();
    String hex = FileHashing.hash(path, hashAlgorithm).hex();
    if (Stat.of(path).equals(before)) {
      entries.put(key, new Entry(before, hex, at));
      dirty = true;
    }
    return new Hashed(hex, before.size());
  }

  /** Records a hash known without reading the file (it was just written from verified bytes). */
  public void record(String key, Path path, String hex) throws IOException {
    entries.put(key, new Entry(Stat.of(path), hex, now()));
    dirty = true;
  }

  /** Writes the cache if it changed, keeping only the given keys. Failures are ignored. */
  public void save(Set<String> keep) {
    if (!dirty && keep.containsAll(entries.keySet())) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(tmp); JsonGenerator g = JSON.createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("algorithm", algorithm);
        g.writeObjectFieldStart("entries");
        for (var e : entries.entrySet()) {
          if (!keep.contains(e.getKey())) {
            continue;
          }
          Entry v = e.getValue();
          g.writeArrayFieldStart(e.getKey());
          g.writeNumber(v.stat().size());
          g.writeNumber(v.stat().mtimeNanos());
          g.writeString(v.stat().identity());
          g.writeString(v.hex());
          g.writeNumber(v.hashedAtNanos());
          g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      dirty = false;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing more to do for a cache
      }
    }
  }

  // Wall-clock nanoseconds, comparable with file mtimes.
  private static long now() {
    java.time.Instant t = java.time.Instant.now();
    return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
  }
}
