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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
 *
 * <p>Saved by a status of the whole working copy, it can also describe the manifest ({@link
 * #saveDescribing}): then it holds exactly the manifest's files in its order, with their
 * recorded hashes, and the manifest's {@link Mark}; while the manifest keeps that stat,
 * status, checkout --all and track --modified take the manifest's files from here instead of
 * parsing it. With it come the marks of the directories listed with no untracked file ({@link
 * #listedUnchanged}). Both are trusted on the same terms as an entry.
 */
public final class HashCache {
  static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(2);
  /**
   * Binary, not JSON: at 200,000 entries a cold JVM parsed the JSON form in 0.9 s, most of a
   * {@code status} run; this layout (length-prefixed UTF-8 strings, big-endian longs) loads in a
   * fraction of that. Version 1 was JSON, version 2 kept the JDK's file key as text (building it
   * cost more than the stat call); a cache in another format is simply rebuilt.
   */
  private static final byte[] MAGIC = "s3lfs-hash-cache 5\n".getBytes(StandardCharsets.US_ASCII);
  // Version 4 had no listed directories; version 3 no manifest mark either. The layout: MAGIC,
  // the algorithm, the manifest's mark (a flag byte, then the four longs of a stat and the time
  // it was taken; zeros with no mark), the entry count and the entries, then the count of listed
  // directories and each one's key and mark.
  /** An entry's fixed part: two string lengths and six longs. */
  private static final int MIN_ENTRY_BYTES = 2 * Integer.BYTES + 6 * Long.BYTES;

  /** A cached hash with the stat its file had and when it was hashed. */
  record Entry(FileStat stat, String hex, long hashedAtNanos) {
    boolean trusted() {
      return hashedLateEnough(hashedAtNanos, stat.mtimeNanos());
    }
  }

  // Hashed more than the racy window after the last modification: see the class comment.
  static boolean hashedLateEnough(long hashedAtNanos, long mtimeNanos) {
    return hashedAtNanos - mtimeNanos > RACY_NANOS;
  }

  private final Path file;
  private final String algorithm;
  /** The entries as loaded, read in place. */
  private final CacheEntries loaded;
  /** The manifest the loaded entries describe exactly ({@link #describes}); null when none. */
  private final Mark loadedMark;
  /**
   * With {@link #loadedMark}: directories that held no untracked file when listed, by key
   * ({@link #listedUnchanged}).
   */
  private final Map<String, Mark> listedDirectories;
  /** CacheEntries entries hashed again by {@link #hash(int, Path, HashAlgorithm)}, by index. */
  private final Map<Integer, String> changedLoaded = new ConcurrentHashMap<>();
  /** Entries hashed or recorded since loading; they take precedence over {@link #loaded}'s. */
  private final Map<String, Entry> changed = new ConcurrentHashMap<>();
  /** How many keys of {@link #changed} {@link #loaded} does not hold. */
  private final AtomicInteger added = new AtomicInteger();
  private volatile boolean dirty;
  /** Per loaded entry, 1 when {@link #checkAll} found its file unchanged; null before that. */
  private volatile byte[] unchanged;

  private HashCache(Path file, String algorithm, CacheEntries loaded, Mark loadedMark, Map<String, Mark> listed) {
    this.file = file;
    this.algorithm = algorithm;
    this.loaded = loaded;
    this.loadedMark = loadedMark;
    this.listedDirectories = listed;
  }

  private HashCache(Path file, String algorithm) {
    this(file, algorithm, CacheEntries.EMPTY, null, Map.of());
  }

  /**
   * A file or directory as it was seen just before it was read (the manifest) or listed (a
   * directory): its stat and the time. Taken before, so that one changed during or after the
   * read has another stat than the mark (the same reasoning as for a hashed file's entry): while
   * its stat stays the mark's, its content (a directory's names) is what was read.
   */
  public static final class Mark {
    private final FileStat stat;
    private final long seenAtNanos;

    private Mark(FileStat stat, long seenAtNanos) {
      this.stat = stat;
      this.seenAtNanos = seenAtNanos;
    }

    /** @return the mark of {@code file} now, or null when it cannot be stat-ed */
    public static Mark of(Path file) {
      long at = now();
      try {
        return new Mark(FileStat.of(file), at);
      } catch (IOException e) {
        return null;
      }
    }

    /**
     * @return whether a file with the same stat later still has the content read after this
     *     mark: not if it was modified within the racy window before it was seen
     */
    public boolean trusted() {
      return hashedLateEnough(seenAtNanos, stat.mtimeNanos());
    }

    private boolean sameFile(Mark other) {
      return other != null && stat.equals(other.stat);
    }
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
      Mark mark = mark(in);
      int count = in.getInt();
      if (count < 0 || count > in.remaining() / MIN_ENTRY_BYTES) {
        return new HashCache(file, ""); // damaged: sizing a table by it could exhaust the heap
      }
      CacheEntries entries = CacheEntries.index(bytes, in.position(), count);
      in.position(entries.end());
      Map<String, Mark> listed = new HashMap<>();
      for (int d = in.getInt(); d > 0; d--) {
        int length = in.getInt();
        String dir = new String(bytes, in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        listed.put(dir, markBody(in));
      }
      return new HashCache(file, algorithm, entries, mark, mark == null ? Map.of() : listed);
    } catch (RuntimeException e) {
      return new HashCache(file, ""); // a damaged or older cache is only a slower run
    }
  }

  // The header's manifest part, read at the buffer's position: a flag byte, then the mark's
  // body (written either way); null for no mark.
  private static Mark mark(ByteBuffer in) {
    boolean present = in.get() == 1;
    Mark body = markBody(in);
    return present ? body : null;
  }

  // A mark's five longs: the stat's size, mtime, device and inode, and when it was taken.
  private static Mark markBody(ByteBuffer in) {
    var stat = new FileStat(in.getLong(), in.getLong(), in.getLong(), in.getLong());
    return new Mark(stat, in.getLong());
  }

  private static void writeMark(DataOutputStream out, Mark mark) throws IOException {
    out.writeByte(mark == null ? 0 : 1);
    writeMarkBody(out, mark == null ? new Mark(new FileStat(0, 0, 0, 0), 0) : mark);
  }

  private static void writeMarkBody(DataOutputStream out, Mark mark) throws IOException {
    out.writeLong(mark.stat.size());
    out.writeLong(mark.stat.mtimeNanos());
    out.writeLong(mark.stat.device());
    out.writeLong(mark.stat.inode());
    out.writeLong(mark.seenAtNanos);
  }

  /**
   * Whether the cache file's entries are exactly the files of {@code manifest} as it is now, each
   * with the hash the manifest records: then {@code status} can answer from the cache alone,
   * without parsing the manifest (at 200,000 entries the parse, the keys' strings and a lookup
   * per key were half of its CPU). Reads only the file's header, so it can be asked while the
   * cache loads.
   *
   * <p>Sound for the same reason as an entry: the manifest's size, mtime, device and inode are
   * those it had, outside the racy window, when the entries were checked against its content.
   */
  public static boolean describesManifest(Path cacheFile, Path manifest) {
    byte[] head = new byte[512];
    int n;
    try (var in = Files.newInputStream(cacheFile)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (IOException e) {
      return false;
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(head, 0, n);
      if (!Arrays.equals(head, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
        return false;
      }
      in.position(MAGIC.length);
      int length = in.getInt();
      in.position(in.position() + length);
      return describes(mark(in), manifest);
    } catch (RuntimeException e) { // a damaged header or an algorithm name longer than the peek
      return false;
    }
  }

  /** As {@link #describesManifest}, for the cache as loaded (the file may have changed since). */
  public boolean describes(Path manifest) {
    return describes(loadedMark, manifest);
  }

  private static boolean describes(Mark mark, Path manifest) {
    return mark != null && mark.trusted() && mark.sameFile(Mark.of(manifest));
  }

  /**
   * @param dir a directory's key
   * @param path the directory
   * @return whether the directory was listed, with no untracked file in it, when the cache was
   *     saved describing the manifest, and has not changed since (same stat, outside the racy
   *     window): then it holds the same names, and need not be listed again
   */
  public boolean listedUnchanged(String dir, Path path) {
    Mark m = listedDirectories.get(dir);
    return m != null && m.trusted() && m.sameFile(Mark.of(path));
  }

  /** @return the hash algorithm this cache's digests are of */
  public String algorithm() {
    return algorithm;
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

  /** Drops what {@link #checkAll} found: files may have changed since (a later command). */
  public void forgetChecks() {
    unchanged = null;
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
    return checkedIndex(key, hex) >= 0;
  }

  /**
   * As {@link #checkedSame}, for callers that also need the file's size (track's progress total).
   *
   * @return the file's size when {@link #checkedSame} would say true, else -1
   */
  public long checkedSize(String key, String hex) {
    int i = checkedIndex(key, hex);
    return i >= 0 ? loaded.size(i) : -1;
  }

  /**
   * As {@link #checkedSame}, with the loaded entry's index, which {@link #saveDescribing} can
   * then take instead of looking the key up again.
   *
   * @return the index of the loaded entry when {@link #checkedSame} would say true, else -1
   */
  public int checkedIndex(String key, String hex) {
    byte[] fresh = unchanged;
    if (fresh == null || hex == null || changed.containsKey(key)) {
      return -1;
    }
    int i = loaded.find(key.getBytes(StandardCharsets.UTF_8));
    return i >= 0 && fresh[i] == 1 && loaded.hexEquals(i, hex) ? i : -1;
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
    return hash(entry(key), path, hashAlgorithm, withCrc, e -> put(key, e));
  }

  /**
   * The hash of {@code path}: {@code known}'s when the file still has its stat and it is trusted,
   * else read, and handed to {@code remember} when the file did not change while it was read.
   */
  private static Hashed hash(Entry known, Path path, HashAlgorithm hashAlgorithm, boolean withCrc,
      Consumer<Entry> remember) throws IOException {
    FileStat before = FileStat.of(path);
    if (known != null && known.stat().equals(before) && known.trusted()) {
      return Hashed.of(known.hex(), before.size());
    }
    long at = now();
    var crc = withCrc ? new CRC32C() : null;
    String hex = (crc == null ? FileHashing.hash(path, hashAlgorithm) : FileHashing.hash(path, hashAlgorithm, crc)).hex();
    if (FileStat.of(path).equals(before)) {
      remember.accept(new Entry(before, hex, at));
    }
    return crc == null ? Hashed.of(hex, before.size()) : new Hashed(hex, before.size(), crc.getValue());
  }

  // ---- answers by entry index, for status from a cache that describes the manifest ----------

  /** @return how many entries were loaded; index them from 0 */
  public int loadedCount() {
    return loaded.count();
  }

  /** @return whether {@link #checkAll} found loaded entry {@code i}'s file unchanged */
  public boolean checkedUnchanged(int i) {
    byte[] fresh = unchanged;
    return fresh != null && fresh[i] == 1;
  }

  /** @return loaded entry {@code i}'s key */
  public String key(int i) {
    return loaded.key(i);
  }

  /** @return the size of loaded entry {@code i}'s file when it was hashed */
  public long size(int i) {
    return loaded.size(i);
  }

  /** @return loaded entry {@code i}'s hash, as loaded (not as hashed again since) */
  public String hex(int i) {
    return loaded.hex(i);
  }

  /** @return whether a loaded entry has this key */
  public boolean holds(String key) {
    return loaded.find(key.getBytes(StandardCharsets.UTF_8)) >= 0;
  }

  /**
   * @return the directories of the loaded keys, except the root, each with how many keys it
   *     holds directly; from the keys' bytes, with a string per directory only
   */
  public Map<String, Integer> directories() {
    return loaded.directories();
  }


  /**
   * As {@link #hash(String, Path, HashAlgorithm)} for loaded entry {@code i}, with no lookup by
   * key.
   */
  public Hashed hash(int i, Path path, HashAlgorithm hashAlgorithm) throws IOException {
    return hash(loaded.entry(i), path, hashAlgorithm, false, e -> {
      String key = loaded.key(i); // not put(): its lookup by key would build the table for nothing
      changed.put(key, e);
      changedLoaded.put(i, key);
      dirty = true;
    });
  }

  /**
   * Saves what {@link #hash(int, Path, HashAlgorithm)} changed, for a cache that {@link
   * #describes} the manifest: it still describes it when every file hashed again still has the
   * hash the manifest records (its entry's loaded hash).
   */
  public void saveForSameManifest() {
    if (!dirty) {
      return;
    }
    boolean same = changedLoaded.entrySet().stream()
        .allMatch(c -> loaded.hexEquals(c.getKey(), changed.get(c.getValue()).hex()));
    write(loaded.count(), same ? loadedMark : null, w -> {
      for (int i = 0; i < loaded.count(); i++) {
        String key = changedLoaded.get(i);
        if (key == null) {
          w.loaded(i);
        } else {
          w.changed(key, changed.get(key));
        }
      }
    }, listedDirectories);
  }

  /**
   * Records a hash known without reading the file (it was just written from verified bytes).
   *
   * @return the file's size, from the stat recorded (a caller needs no stat of its own)
   */
  public long record(String key, Path path, String hex) throws IOException {
    FileStat stat = FileStat.of(path);
    put(key, new Entry(stat, hex, now()));
    return stat.size();
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
    List<Integer> keptLoaded = new ArrayList<>();
    for (int i = 0; i < loaded.count(); i++) {
      String key = loaded.key(i);
      if (loaded.live(i) && !changed.containsKey(key) && keep.contains(key)) {
        keptLoaded.add(i);
      }
    }
    var keptChanged = changed.entrySet().stream().filter(e -> keep.contains(e.getKey())).toList();
    write(keptLoaded.size() + keptChanged.size(), null, w -> {
      for (int i : keptLoaded) {
        w.loaded(i);
      }
      for (var e : keptChanged) {
        w.changed(e.getKey(), e.getValue());
      }
    });
  }

  /**
   * Saves the cache for status over every file of {@code files}, a manifest read after {@code
   * mark} was taken: when the cache holds an entry for each file with the hash the manifest
   * records, it is written with those entries only, in the manifest's order, and the mark, so
   * that the next {@code status} can take its answers from the cache alone
   * ({@link #describesManifest}). Otherwise as {@link #save(Set)}.
   *
   * @param files the manifest's files, key to recorded hash, in code-point order
   * @param manifestAlgorithm the hash the manifest records
   * @param mark the manifest's mark, taken before it was read; null when it could not be taken
   * @param listed directories that held no untracked file, each with its mark taken before it
   *     was listed (the untrusted ones are left out)
   * @param checked by position in {@code files}, what {@link #checkedIndex} answered for the
   *     file, or -1: a lookup spared (200,000 took 90 ms); null when none was asked
   */
  public void saveDescribing(NavigableMap<String, String> files, String manifestAlgorithm, Mark mark,
      Map<String, Mark> listed, int[] checked) {
    if (mark == null || !mark.trusted() || !algorithm.equals(manifestAlgorithm)) {
      save(files.keySet());
      return;
    }
    if (!dirty && mark.sameFile(loadedMark) && loaded.count() == files.size()) {
      return; // written describing this very manifest, and nothing hashed since
    }
    // Per file in order: its loaded entry's index, or -1 for an entry in 'changed'.
    int[] order = new int[files.size()];
    int k = 0;
    for (var f : files.entrySet()) {
      Entry e = changed.get(f.getKey());
      if (e == null && checked != null && checked[k] >= 0) { // found unchanged with the recorded hash
        order[k] = checked[k];
        k++;
        continue;
      }
      int i = e != null ? -1 : loaded.find(f.getKey().getBytes(StandardCharsets.UTF_8));
      if (e != null ? !e.hex().equals(f.getValue()) : i < 0 || !loaded.hexEquals(i, f.getValue())) {
        save(files.keySet()); // a file never hashed, or hashed to other content: no mark
        return;
      }
      order[k++] = i;
    }
    var trustedListed = new HashMap<String, Mark>();
    listed.forEach((dir, m) -> {
      if (m.trusted()) {
        trustedListed.put(dir, m);
      }
    });
    write(files.size(), mark, w -> {
      int j = 0;
      for (String key : files.keySet()) {
        int i = order[j++];
        if (i >= 0) {
          w.loaded(i);
        } else {
          w.changed(key, changed.get(key));
        }
      }
    }, trustedListed);
  }

  /** Writes {@code count} entries, given to a {@link Writer} by {@code entries}. */
  @FunctionalInterface
  private interface Entries {
    void writeTo(Writer w) throws IOException;
  }

  /** Writes entries into the cache file being written. */
  private final class Writer {
    private final DataOutputStream out;
    // CacheEntries entries that lie one after the other in the loaded bytes go out in one write: a
    // cache saved in the manifest's order is mostly one run (200,000 writes took 60 ms).
    private int runFrom = -1;
    private int runTo = -1;

    Writer(DataOutputStream out) {
      this.out = out;
    }

    void loaded(int i) throws IOException {
      if (runTo != i) {
        flush();
        runFrom = i;
      }
      runTo = i + 1;
    }

    // Writes the pending run of loaded entries, as read: the layout has not changed.
    void flush() throws IOException {
      if (runFrom >= 0) {
        loaded.copyEntries(runFrom, runTo, out);
        runFrom = -1;
        runTo = -1;
      }
    }

    void changed(String key, Entry e) throws IOException {
      flush();
      string(out, key);
      out.writeLong(e.stat().size());
      out.writeLong(e.stat().mtimeNanos());
      out.writeLong(e.stat().device());
      out.writeLong(e.stat().inode());
      string(out, e.hex());
      out.writeLong(e.hashedAtNanos());
    }
  }

  // Replaces the cache file at once (a temporary file, renamed); failures are ignored.
  private void write(int count, Mark mark, Entries entries) {
    write(count, mark, entries, Map.of());
  }

  // listed: directories to remember with the mark (none without one).
  private void write(int count, Mark mark, Entries entries, Map<String, Mark> listed) {
    Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(file.getParent());
      try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
        out.write(MAGIC);
        string(out, algorithm);
        writeMark(out, mark);
        out.writeInt(count);
        var writer = new Writer(out);
        entries.writeTo(writer);
        writer.flush();
        Map<String, Mark> dirs = mark == null ? Map.of() : listed;
        out.writeInt(dirs.size());
        for (var d : dirs.entrySet()) {
          string(out, d.getKey());
          writeMarkBody(out, d.getValue());
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
