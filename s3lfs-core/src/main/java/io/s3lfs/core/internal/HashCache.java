package io.s3lfs.core.internal;

import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.core.internal.hash.FileHashing;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

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
  /**
   * Binary, not JSON: at 200,000 entries a cold JVM parsed the JSON form in 0.9 s, most of a
   * {@code status} run; this layout (length-prefixed UTF-8 strings, big-endian longs) loads in a
   * fraction of that. Version 1 was JSON, version 2 kept the JDK's file key as text (building it
   * cost more than the stat call); a cache in another format is simply rebuilt.
   */
  private static final byte[] MAGIC = "s3lfs-hash-cache 3\n".getBytes(StandardCharsets.US_ASCII);
  /** An entry's fixed part: two string lengths and six longs. */
  private static final int MIN_ENTRY_BYTES = 2 * Integer.BYTES + 6 * Long.BYTES;

  private record Entry(FileStat stat, String hex, long hashedAtNanos) {
    boolean trusted() {
      return hashedAtNanos - stat.mtimeNanos() > RACY_NANOS;
    }
  }

  private final Path file;
  private final String algorithm;
  private final Map<String, Entry> entries;
  private volatile boolean dirty;

  private HashCache(Path file, String algorithm, int expected) {
    this.file = file;
    this.algorithm = algorithm;
    this.entries = new ConcurrentHashMap<>(Math.max(16, expected));
  }

  private HashCache(Path file, String algorithm) {
    this(file, algorithm, 16);
  }

  /** Loads the cache, or starts an empty one when it is missing, unreadable or for another hash. */
  public static HashCache load(Path file, String algorithm) {
    return load(file).forAlgorithm(algorithm);
  }

  /**
   * Loads the cache for whichever hash it holds, so that it can be read before the manifest
   * says which hash is needed; {@link #forAlgorithm} then checks. Missing, unreadable or damaged:
   * an empty cache.
   */
  public static HashCache load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return new HashCache(file, ""); // missing or unreadable: only a slower run
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte[] magic = new byte[MAGIC.length];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        return new HashCache(file, "");
      }
      String algorithm = string(in);
      int count = in.getInt();
      if (count < 0 || count > in.remaining() / MIN_ENTRY_BYTES) {
        return new HashCache(file, ""); // damaged: sizing a map by it could exhaust the heap
      }
      HashCache cache = new HashCache(file, algorithm, count * 4 / 3 + 1);
      for (int i = 0; i < count; i++) {
        String key = string(in);
        long size = in.getLong();
        long mtime = in.getLong();
        long device = in.getLong();
        long inode = in.getLong();
        String hex = string(in);
        long at = in.getLong();
        cache.entries.put(key, new Entry(new FileStat(size, mtime, device, inode), hex, at));
      }
      return cache;
    } catch (RuntimeException e) {
      return new HashCache(file, ""); // a damaged or older cache is only a slower run
    }
  }

  /** @return this cache if it holds digests of {@code algorithm}, else an empty one for it */
  public HashCache forAlgorithm(String algorithm) {
    return this.algorithm.equals(algorithm) ? this : new HashCache(file, algorithm);
  }

  private static String string(ByteBuffer in) {
    int n = in.getInt();
    String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }

  /**
   * @param key the file's manifest key
   * @param path the file
   * @return the file's hash (with no CRC), from the cache when its metadata is unchanged, else
   *     computed
   * @throws java.nio.file.NoSuchFileException when the file does not exist
   */
  public Hashed hash(String key, Path path, HashAlgorithm hashAlgorithm) throws IOException {
    return hash(key, path, hashAlgorithm, false);
  }

  /**
   * As {@link #hash(String, Path, HashAlgorithm)}, with the CRC-32C of the bytes when they are
   * read (not when the hash comes from the cache), for an upload to check its re-read against.
   * Only uploads ask: the CRC costs a tenth of the hashing time more.
   */
  public Hashed hashForUpload(String key, Path path, HashAlgorithm hashAlgorithm) throws IOException {
    return hash(key, path, hashAlgorithm, true);
  }

  private Hashed hash(String key, Path path, HashAlgorithm hashAlgorithm, boolean withCrc) throws IOException {
    FileStat before = FileStat.of(path);
    Entry e = entries.get(key);
    if (e != null && e.stat().equals(before) && e.trusted()) {
      return Hashed.of(e.hex(), before.size());
    }
    long at = now();
    var crc = withCrc ? new CRC32C() : null;
    String hex = (crc == null ? FileHashing.hash(path, hashAlgorithm) : FileHashing.hash(path, hashAlgorithm, crc)).hex();
    if (FileStat.of(path).equals(before)) {
      entries.put(key, new Entry(before, hex, at));
      dirty = true;
    }
    return crc == null ? Hashed.of(hex, before.size()) : new Hashed(hex, before.size(), crc.getValue());
  }

  /** Records a hash known without reading the file (it was just written from verified bytes). */
  public void record(String key, Path path, String hex) throws IOException {
    entries.put(key, new Entry(FileStat.of(path), hex, now()));
    dirty = true;
  }

  /**
   * Writes the cache if it changed, keeping only the given keys. Failures are ignored.
   *
   * <p>Unchanged, it is written only when it holds more entries than {@code keep} (files were
   * untracked): proving that every entry is still kept took 200,000 lookups, 44 ms at the end of
   * every {@code status}. An entry for an untracked file that survives this (as many added as
   * removed) is harmless, since entries are checked against the file's metadata, and goes with
   * the next write.
   */
  public void save(Set<String> keep) {
    if (!dirty && entries.size() <= keep.size()) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      var kept = entries.entrySet().stream().filter(e -> keep.contains(e.getKey())).toList();
      try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.write(MAGIC);
        string(out, algorithm);
        out.writeInt(kept.size());
        for (var e : kept) {
          Entry v = e.getValue();
          string(out, e.getKey());
          out.writeLong(v.stat().size());
          out.writeLong(v.stat().mtimeNanos());
          out.writeLong(v.stat().device());
          out.writeLong(v.stat().inode());
          string(out, v.hex());
          out.writeLong(v.hashedAtNanos());
        }
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

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  // Wall-clock nanoseconds, comparable with file mtimes.
  private static long now() {
    java.time.Instant t = java.time.Instant.now();
    return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
  }
}
