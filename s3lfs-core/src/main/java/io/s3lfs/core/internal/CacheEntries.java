package io.s3lfs.core.internal;

import io.s3lfs.core.internal.HashCache.Entry;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The cache file's entries, looked up where they lie in the file's bytes: an open-addressing
 * table from a hash of each key's UTF-8 bytes to the entry. Making a key string, a hex string
 * and two objects per entry instead took 77 of 1,676 CPU samples of {@code status} over
 * 200,000 files to build, and kept some 35 MB alive that every young collection copied again (-Xlog:gc: live
 * data after the last collection 127 -> 91 MB). Immutable once
 * built, so any thread may read it.
 */
final class CacheEntries {
  static final CacheEntries EMPTY = new CacheEntries(new byte[0], new int[1]);

  private final byte[] bytes;
  private final int[] offsets; // entry i spans offsets[i] until offsets[i + 1]
  private final ByteBuffer in; // absolute reads only, which leave it unchanged: shareable
  /**
   * Built on the first lookup by key: status from a cache that describes the manifest looks up
   * none (or a few), so its load need not hash 200,000 keys.
   */
  private Table table;

  /**
   * @param hashes of entry i's key bytes
   * @param slots entry index + 1, 0 when empty; a power of two in size
   */
  private record Table(int[] hashes, int[] slots) {}

  private CacheEntries(byte[] bytes, int[] offsets) {
    this.bytes = bytes;
    this.offsets = offsets;
    this.in = ByteBuffer.wrap(bytes);
  }

  /**
   * @throws RuntimeException when an entry runs past the end or a length is negative
   */
  static CacheEntries index(byte[] bytes, int start, int count) {
    int[] offsets = new int[count + 1];
    var loaded = new CacheEntries(bytes, offsets);
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
    }
    offsets[count] = (int) at;
    return loaded;
  }

  int count() {
    return offsets.length - 1;
  }

  /** @return where the entries end in the bytes */
  int end() {
    return offsets[count()];
  }

  private synchronized Table table() {
    if (table == null) {
      int count = count();
      var t = new Table(new int[count], new int[Integer.highestOneBit(Math.max(1, count) * 2 - 1) << 1]);
      for (int i = 0; i < count; i++) {
        t.hashes[i] = hash(bytes, keyAt(i), keyLength(i));
        insert(t, i);
      }
      table = t;
    }
    return table;
  }

  // A later entry for the same key replaces the earlier (a damaged file's duplicates).
  private void insert(Table t, int i) {
    int mask = t.slots.length - 1;
    for (int s = mix(t.hashes[i]) & mask; ; s = (s + 1) & mask) {
      int j = t.slots[s] - 1;
      if (j < 0 || t.hashes[j] == t.hashes[i] && sameKey(j, bytes, keyAt(i), keyLength(i))) {
        t.slots[s] = i + 1;
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
    Table t = table();
    int h = hash(key, from, length);
    int mask = t.slots.length - 1;
    for (int s = mix(h) & mask; ; s = (s + 1) & mask) {
      int j = t.slots[s] - 1;
      if (j < 0) {
        return -1;
      }
      if (t.hashes[j] == h && sameKey(j, key, from, length)) {
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
        && HashCache.hashedLateEnough(in.getLong(offsets[i + 1] - Long.BYTES), now.mtimeNanos());
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

  /** Writes entries {@code from} (inclusive) to {@code to} (exclusive) as they were read. */
  void copyEntries(int from, int to, DataOutputStream out) throws IOException {
    out.write(bytes, offsets[from], offsets[to] - offsets[from]);
  }

  private int keyLength(int i) {
    return in.getInt(offsets[i]);
  }

  /** @return where entry {@code i}'s key bytes start */
  int keyAt(int i) {
    return offsets[i] + Integer.BYTES;
  }

  /** @return the position of the last '/' in entry {@code i}'s key, or -1 */
  int lastSlash(int i) {
    int from = keyAt(i);
    for (int k = keyLength(i) - 1; k >= 0; k--) {
      if (bytes[from + k] == '/') {
        return k;
      }
    }
    return -1;
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

  /** @return the directories of the keys, except the root, each with how many keys it holds directly */
  Map<String, Integer> directories() {
    Map<String, Integer> dirs = new HashMap<>();
    int lastFrom = -1;
    int lastLength = -1;
    String last = null;
    int run = 0;
    for (int i = 0; i < count(); i++) {
      int from = keyAt(i);
      int slash = lastSlash(i);
      if (last != null && slash == lastLength
          && Arrays.equals(bytes, from, from + slash, bytes, lastFrom, lastFrom + lastLength)) {
        run++;
        continue;
      }
      if (last != null) {
        dirs.merge(last, run, Integer::sum);
      }
      last = slash > 0 ? new String(bytes, from, slash, StandardCharsets.UTF_8) : null;
      lastFrom = from;
      lastLength = slash;
      run = 1;
    }
    if (last != null) {
      dirs.merge(last, run, Integer::sum);
    }
    return dirs;
  }
}
