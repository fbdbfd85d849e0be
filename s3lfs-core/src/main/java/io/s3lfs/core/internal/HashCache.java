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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
      return hashedLateEnough(hashedAtNanos, stat.mtimeNanos());
    }
  }

  // Hashed more than the racy window after the last modification: see the class comment.
  private static boolean hashedLateEnough(long hashedAtNanos, long mtimeNanos) {
    return hashedAtNanos - mtimeNanos > RACY_NANOS;
  }

  private final Path file;
  private final String algorithm;
  /** The entries as loaded, read in place. */
  private final Loaded loaded;
  /** Entries hashed or recorded since loading; they take precedence over {@link #loaded}'s. */
  private final Map<String, Entry> changed = new ConcurrentHashMap<>();
  /** How many keys of {@link #changed} {@link #loaded} does not hold. */
  private final AtomicInteger added = new AtomicInteger();
  private volatile boolean dirty;
  /** Per loaded entry, 1 when {@link #checkAll} found its file unchanged; null before that. */
  private volatile byte[] unchanged;

  private HashCache(Path file, String algorithm, Loaded loaded) {
    this.file = file;
    this.algorithm = algorithm;
    this.loaded = loaded;
  }

  private HashCache(Path file, String algorithm) {
    this(file, algorithm, Loaded.EMPTY);
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
      int n = in.getInt();
      String algorithm = new String(bytes, in.position(), n, StandardCharsets.UTF_8);
      in.position(in.position() + n);
      int count = in.getInt();
      if (count < 0 || count > in.remaining() / MIN_ENTRY_BYTES) {
        return new HashCache(file, ""); // damaged: sizing a table by it could exhaust the heap
      }
      return new HashCache(file, algorithm, Loaded.index(bytes, in.position(), count));
    } catch (RuntimeException e) {
      return new HashCache(file, ""); // a damaged or older cache is only a slower run
    }
  }

  /** @return this cache if it holds digests of {@code algorithm}, else an empty one for it */
  public HashCache forAlgorithm(String algorithm) {
    return this.algorithm.equals(algorithm) ? this : new HashCache(file, algorithm);
  }

  /**
   * Stats every file the loaded cache knows, its key relative to {@code root} (an open directory:
   * the kernel walks only the key's own components), on up to {@code workers} virtual threads,
   * and remembers which still have the metadata of their trusted entry, for
   * {@link #checkedSame} to answer with no stat, path or string per file. For commands that ask
   * about every tracked file before they change any (status, checkout --all, track --modified):
   * run while the manifest is parsed, the stat calls need not wait for it (a tenth less time over
   * 200,000 files). Does nothing where stat calls do not go to the C
   * library directly.
   */
  public void checkAll(Path root, int workers, BooleanSupplier cancelled) {
    if (loaded.count() == 0 || !FileStat.nativeCalls()) {
      return;
    }
    int dir = FileStat.openDirectory(root);
    if (dir < 0) {
      return;
    }
    byte[] fresh = new byte[loaded.count()];
    try {
      Workers.forEach(loaded.count(), workers, cancelled, i -> {
        FileStat now = loaded.statOf(i, dir);
        if (now != null && loaded.settled(i, now)) {
          fresh[i] = 1;
        }
      });
    } finally {
      FileStat.close(dir);
    }
    unchanged = fresh; // published after the workers ended
  }

  /**
   * Answers without a stat or a string per file: status asks this for each of up to 200,000,
   * and building each cached hash as a String (here and in checkAll) was a fifth of what a status
   * run allocated.
   *
   * @return true when {@link #checkAll} found the file {@code key} names unchanged since it was
   *     hashed to {@code hex} (and it was not hashed or recorded since); false when that is not
   *     known: then ask {@link #hash}
   */
  public boolean checkedSame(String key, String hex) {
    return checkedSize(key, hex) >= 0;
  }

  /**
   * As {@link #checkedSame}, for callers that also need the file's size (track's progress total).
   *
   * @return the file's size when {@link #checkedSame} would say true, else -1
   */
  public long checkedSize(String key, String hex) {
    byte[] fresh = unchanged;
    if (fresh == null || hex == null || changed.containsKey(key)) {
      return -1;
    }
    int i = loaded.find(key.getBytes(StandardCharsets.UTF_8));
    return i >= 0 && fresh[i] == 1 && loaded.hexEquals(i, hex) ? loaded.size(i) : -1;
  }

  private Entry entry(String key) {
    Entry e = changed.get(key);
    if (e == null && loaded.count() > 0) {
      int i = loaded.find(key.getBytes(StandardCharsets.UTF_8));
      e = i < 0 ? null : loaded.entry(i);
    }
    return e;
  }

  private void put(String key, Entry e) {
    if (changed.put(key, e) == null && loaded.find(key.getBytes(StandardCharsets.UTF_8)) < 0) {
      added.incrementAndGet();
    }
    dirty = true;
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
    Entry e = entry(key);
    if (e != null && e.stat().equals(before) && e.trusted()) {
      return Hashed.of(e.hex(), before.size());
    }
    long at = now();
    var crc = withCrc ? new CRC32C() : null;
    String hex = (crc == null ? FileHashing.hash(path, hashAlgorithm) : FileHashing.hash(path, hashAlgorithm, crc)).hex();
    if (FileStat.of(path).equals(before)) {
      put(key, new Entry(before, hex, at));
    }
    return crc == null ? Hashed.of(hex, before.size()) : new Hashed(hex, before.size(), crc.getValue());
  }

  /** Records a hash known without reading the file (it was just written from verified bytes). */
  public void record(String key, Path path, String hex) throws IOException {
    put(key, new Entry(FileStat.of(path), hex, now()));
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
    if (!dirty && loaded.count() + added.get() <= keep.size()) {
      return;
    }
    Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      List<Integer> keptLoaded = new ArrayList<>();
      for (int i = 0; i < loaded.count(); i++) {
        String key = loaded.key(i);
        if (loaded.live(i) && !changed.containsKey(key) && keep.contains(key)) {
          keptLoaded.add(i);
        }
      }
      var keptChanged = changed.entrySet().stream().filter(e -> keep.contains(e.getKey())).toList();
      try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.write(MAGIC);
        string(out, algorithm);
        out.writeInt(keptLoaded.size() + keptChanged.size());
        for (int i : keptLoaded) {
          loaded.copyEntry(i, out); // as read: the layout has not changed
        }
        for (var e : keptChanged) {
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

  /**
   * The cache file's entries, looked up where they lie in the file's bytes: an open-addressing
   * table from a hash of each key's UTF-8 bytes to the entry. Making a key string, a hex string
   * and two objects per entry instead took 77 of 1,676 CPU samples of {@code status} over
   * 200,000 files to build, and kept some 35 MB alive that every young collection copied again (-Xlog:gc: live
   * data after the last collection 127 -> 91 MB). Immutable once
   * built, so any thread may read it.
   */
  private static final class Loaded {
    static final Loaded EMPTY = new Loaded(new byte[0], new int[1], new int[0], new int[1]);

    private final byte[] bytes;
    private final int[] offsets; // entry i spans offsets[i] until offsets[i + 1]
    private final int[] hashes; // of entry i's key bytes
    private final int[] slots; // entry index + 1, 0 when empty; a power of two in size
    private final ByteBuffer in; // absolute reads only, which leave it unchanged: shareable

    private Loaded(byte[] bytes, int[] offsets, int[] hashes, int[] slots) {
      this.bytes = bytes;
      this.offsets = offsets;
      this.hashes = hashes;
      this.slots = slots;
      this.in = ByteBuffer.wrap(bytes);
    }

    /**
     * @throws RuntimeException when an entry runs past the end or a length is negative
     */
    static Loaded index(byte[] bytes, int start, int count) {
      int[] offsets = new int[count + 1];
      int[] hashes = new int[count];
      int[] slots = new int[Integer.highestOneBit(Math.max(1, count) * 2 - 1) << 1];
      var loaded = new Loaded(bytes, offsets, hashes, slots);
      long at = start; // long: damaged lengths must not wrap around
      for (int i = 0; i < count; i++) {
        offsets[i] = (int) at;
        int keyLength = loaded.in.getInt((int) at);
        long stat = at + Integer.BYTES + keyLength;
        long hex = stat + 4 * Long.BYTES;
        int hexLength = keyLength < 0 || hex + Integer.BYTES > bytes.length ? -1 : loaded.in.getInt((int) hex);
        at = hex + Integer.BYTES + hexLength + Long.BYTES;
        if (hexLength < 0 || at > bytes.length) {
          throw new IllegalStateException("damaged entry " + i);
        }
        hashes[i] = hash(bytes, offsets[i] + Integer.BYTES, keyLength);
        loaded.insert(i);
      }
      offsets[count] = (int) at;
      return loaded;
    }

    int count() {
      return hashes.length;
    }

    // A later entry for the same key replaces the earlier (a damaged file's duplicates).
    private void insert(int i) {
      int mask = slots.length - 1;
      for (int s = mix(hashes[i]) & mask; ; s = (s + 1) & mask) {
        int j = slots[s] - 1;
        if (j < 0 || hashes[j] == hashes[i] && sameKey(j, bytes, offsets[i] + Integer.BYTES, keyLength(i))) {
          slots[s] = i + 1;
          return;
        }
      }
    }

    /** @return the index of the entry for this key, or -1 */
    int find(byte[] key) {
      return find(key, 0, key.length);
    }

    private int find(byte[] key, int from, int length) {
      if (count() == 0) {
        return -1;
      }
      int h = hash(key, from, length);
      int mask = slots.length - 1;
      for (int s = mix(h) & mask; ; s = (s + 1) & mask) {
        int j = slots[s] - 1;
        if (j < 0) {
          return -1;
        }
        if (hashes[j] == h && sameKey(j, key, from, length)) {
          return j;
        }
      }
    }

    /** @return whether entry {@code i} is the one its key finds (not replaced by a duplicate) */
    boolean live(int i) {
      return find(bytes, offsets[i] + Integer.BYTES, keyLength(i)) == i;
    }

    String key(int i) {
      return new String(bytes, offsets[i] + Integer.BYTES, keyLength(i), StandardCharsets.UTF_8);
    }

    String hex(int i) {
      int at = hexAt(i);
      // Hex digits are ASCII: Latin-1 decoding is a plain copy.
      return new String(bytes, at + Integer.BYTES, in.getInt(at), StandardCharsets.ISO_8859_1);
    }

    Entry entry(int i) {
      int at = statAt(i);
      var stat = new FileStat(in.getLong(at), in.getLong(at + 8), in.getLong(at + 16), in.getLong(at + 24));
      return new Entry(stat, hex(i), in.getLong(offsets[i + 1] - Long.BYTES));
    }

    /** @return whether entry {@code i} is trusted and {@code now} is its stat: entry(i)'s test, in place */
    boolean settled(int i, FileStat now) {
      int at = statAt(i);
      return in.getLong(at) == now.size() && in.getLong(at + 8) == now.mtimeNanos()
          && in.getLong(at + 16) == now.device() && in.getLong(at + 24) == now.inode()
          && hashedLateEnough(in.getLong(offsets[i + 1] - Long.BYTES), now.mtimeNanos());
    }

    /** @return the file size entry {@code i} recorded */
    long size(int i) {
      return in.getLong(statAt(i));
    }

    /** @return whether entry {@code i}'s hash is {@code hex}, compared in place */
    boolean hexEquals(int i, String hex) {
      int at = hexAt(i);
      int length = in.getInt(at);
      if (length != hex.length()) {
        return false;
      }
      for (int k = 0; k < length; k++) {
        if (bytes[at + Integer.BYTES + k] != hex.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    // Where entry i's stat is (size, mtime, device, inode): after its key.
    private int statAt(int i) {
      return offsets[i] + Integer.BYTES + keyLength(i);
    }

    // Where entry i's hex length is: after its stat's four longs.
    private int hexAt(int i) {
      return statAt(i) + 4 * Long.BYTES;
    }

    /**
     * @return the stat of entry {@code i}'s file relative to the directory {@code dirFd} (as
     *     {@code Path.resolve} does, an absolute key, which the Python tool can record, is taken
     *     as it is), or null (see FileStat.at)
     */
    FileStat statOf(int i, int dirFd) {
      int length = keyLength(i);
      return length == 0 ? null : FileStat.at(dirFd, bytes, offsets[i] + Integer.BYTES, length);
    }

    void copyEntry(int i, DataOutputStream out) throws IOException {
      out.write(bytes, offsets[i], offsets[i + 1] - offsets[i]);
    }

    private int keyLength(int i) {
      return in.getInt(offsets[i]);
    }

    private boolean sameKey(int j, byte[] key, int from, int length) {
      int at = offsets[j] + Integer.BYTES;
      return keyLength(j) == length && Arrays.equals(bytes, at, at + length, key, from, from + length);
    }

    // The same values as Arrays.hashCode(byte[]) over the range, so a key's bytes and an entry agree.
    private static int hash(byte[] b, int from, int length) {
      int h = 1;
      for (int k = from; k < from + length; k++) {
        h = 31 * h + b[k];
      }
      return h;
    }

    private static int mix(int h) {
      return h ^ (h >>> 16);
    }
  }
}
