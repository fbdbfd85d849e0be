package io.s3lfs.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.s3lfs.api.spi.HashAlgorithm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashCacheTest {
  static final HashAlgorithm SHA256 = HashAlgorithm.forName("sha256");

  @TempDir
  Path dir;

  static String sha(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
  }

  /** Rewrites content in place keeping size, inode and mtime: only a re-read can notice. */
  static void sneakyRewrite(Path file, String content) throws Exception {
    FileTime mtime = Files.getLastModifiedTime(file);
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, mtime);
  }

  Path settled(String name, String content) throws Exception {
    Path f = Files.writeString(dir.resolve(name), content);
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(60)));
    return f;
  }

  /** A cache over {@code file} that has hashed a.bin ("aaaa") and b.bin ("gggg"), both settled. */
  HashCache hashedTwo(Path file) throws Exception {
    var cache = HashCache.load(file, "sha256");
    cache.hash("a.bin", settled("a.bin", "aaaa"), SHA256);
    cache.hash("b.bin", settled("b.bin", "gggg"), SHA256);
    return cache;
  }

  /**
   * Saves a cache holding a.bin ("aaaa"), damages its bytes, and rewrites a.bin where only a
   * re-read can notice: a load that still trusted the damaged cache would answer "aaaa".
   */
  void assertDamagedCacheIgnored(java.util.function.UnaryOperator<byte[]> damage) throws Exception {
    Path f = settled("a.bin", "aaaa");
    Path file = dir.resolve("cache.bin");
    var cache = HashCache.load(file, "sha256");
    cache.hash("a.bin", f, SHA256);
    cache.save(Set.of("a.bin"));
    Files.write(file, damage.apply(Files.readAllBytes(file)));
    sneakyRewrite(f, "cccc");
    assertThat(HashCache.load(file, "sha256").hash("a.bin", f, SHA256).hex()).isEqualTo(sha("cccc"));
  }

  @Test
  void hash_settledUnchangedFile_servedFromCache() throws Exception {
    Path f = settled("a.bin", "aaaa");
    var cache = HashCache.load(dir.resolve("cache.json"), "sha256");
    assertThat(cache.hash("a.bin", f, SHA256).hex()).isEqualTo(sha("aaaa"));
    sneakyRewrite(f, "bbbb");
    assertThat(cache.hash("a.bin", f, SHA256).hex()).isEqualTo(sha("aaaa"));
  }

  @Test
  void hashForUpload_readNow_carriesTheCrcOfTheBytesHashedAndFromCacheNone() throws Exception {
    Path f = settled("a.bin", "aaaa");
    var cache = HashCache.load(dir.resolve("cache.json"), "sha256");
    var crc = new java.util.zip.CRC32C();
    crc.update("aaaa".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    Hashed read = cache.hashForUpload("a.bin", f, SHA256);
    Hashed cached = cache.hashForUpload("a.bin", f, SHA256);

    assertThat(read).isEqualTo(new Hashed(sha("aaaa"), 4, crc.getValue()));
    assertThat(cached).isEqualTo(Hashed.of(sha("aaaa"), 4));
    assertThat(cached.hasCrc()).isFalse();
  }

  @Test
  void hash_readNow_takesNoCrc() throws Exception {
    Path f = settled("a.bin", "aaaa");
    var cache = HashCache.load(dir.resolve("cache.json"), "sha256");

    assertThat(cache.hash("a.bin", f, SHA256)).isEqualTo(Hashed.of(sha("aaaa"), 4));
  }

  @Test
  void hash_fileModifiedJustBeforeHashing_notTrusted() throws Exception {
    Path f = Files.writeString(dir.resolve("a.bin"), "aaaa");
    var cache = HashCache.load(dir.resolve("cache.json"), "sha256");
    cache.hash("a.bin", f, SHA256);
    sneakyRewrite(f, "bbbb");
    assertThat(cache.hash("a.bin", f, SHA256).hex()).isEqualTo(sha("bbbb"));
  }

  @Test
  void hash_sizeOrMtimeChanged_rehashes() throws Exception {
    Path f = settled("a.bin", "aaaa");
    var cache = HashCache.load(dir.resolve("cache.json"), "sha256");
    cache.hash("a.bin", f, SHA256);
    Files.writeString(f, "bbbbb");
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(30)));
    assertThat(cache.hash("a.bin", f, SHA256).hex()).isEqualTo(sha("bbbbb"));
  }

  @Test
  void save_thenLoad_keepsEntriesForKeptKeysOnly() throws Exception {
    Path file = dir.resolve("cache.json");
    var cache = hashedTwo(file);
    Path f = dir.resolve("a.bin");
    Path g = dir.resolve("b.bin");
    cache.save(Set.of("a.bin"));
    sneakyRewrite(f, "zzzz");
    sneakyRewrite(g, "yyyy");
    var reloaded = HashCache.load(file, "sha256");
    assertThat(reloaded.hash("a.bin", f, SHA256).hex()).isEqualTo(sha("aaaa"));
    assertThat(reloaded.hash("b.bin", g, SHA256).hex()).isEqualTo(sha("yyyy"));
  }

  @Test
  void save_unchanged_writesOnlyWhenFilesWereUntracked() throws Exception {
    Path file = dir.resolve("cache.json");
    var cache = hashedTwo(file);
    Path g = dir.resolve("b.bin");
    cache.save(Set.of("a.bin", "b.bin"));
    var before = Files.getLastModifiedTime(file);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(before.toMillis() - 60_000));
    var unchanged = Files.getLastModifiedTime(file);

    var reloaded = HashCache.load(file, "sha256");
    reloaded.save(Set.of("a.bin", "b.bin"));
    assertThat(Files.getLastModifiedTime(file)).as("nothing to write").isEqualTo(unchanged);

    reloaded.save(Set.of("a.bin")); // b.bin untracked
    sneakyRewrite(g, "yyyy");
    assertThat(HashCache.load(file, "sha256").hash("b.bin", g, SHA256).hex()).isEqualTo(sha("yyyy"));
  }

  @Test
  void load_corruptOrOtherAlgorithm_startsEmpty() throws Exception {
    Path f = settled("a.bin", "aaaa");
    Path file = dir.resolve("cache.json");
    var cache = HashCache.load(file, "sha256");
    cache.hash("a.bin", f, SHA256);
    cache.save(Set.of("a.bin"));
    sneakyRewrite(f, "cccc");
    assertThat(HashCache.load(file).forAlgorithm("sha256").hash("a.bin", f, SHA256).hex())
        .as("loaded before the algorithm was known, then matched").isEqualTo(sha("aaaa"));
    assertThat(HashCache.load(file).forAlgorithm("md5").hash("a.bin", f, SHA256).hex()).isEqualTo(sha("cccc"));
    assertThat(HashCache.load(file, "md5").hash("a.bin", f, SHA256).hex()).isEqualTo(sha("cccc"));
    Files.writeString(file, "{\"entries\": {\"a.bin\": [1, 2"); // the JSON of version 1
    assertThat(HashCache.load(file, "sha256").hash("a.bin", f, SHA256).hex()).isEqualTo(sha("cccc"));
  }

  @Test
  void load_truncatedCache_startsEmpty() throws Exception {
    assertDamagedCacheIgnored(bytes -> java.util.Arrays.copyOf(bytes, bytes.length - 5));
  }

  @Test
  void load_damagedEntryCount_startsEmpty() throws Exception {
    assertDamagedCacheIgnored(bytes -> {
      // the count follows the magic line, the length-prefixed algorithm name and the manifest's mark
      int at = "s3lfs-hash-cache 5\n".length() + Integer.BYTES + "sha256".length() + 1 + 5 * Long.BYTES;
      java.nio.ByteBuffer.wrap(bytes).putInt(at, 400_000_000); // a table for that many would not fit the heap
      return bytes;
    });
  }

  @Test
  void save_thenLoad_nonAsciiKeysRoundTrip() throws Exception {
    String key = "d\u00e9j\u00e0/\u65e5\u672c/\uD83D\uDE00.bin";
    Path f = settled("x.bin", "aaaa");
    Path file = dir.resolve("cache.bin");
    var cache = HashCache.load(file, "sha256");
    cache.hash(key, f, SHA256);
    cache.save(Set.of(key));
    sneakyRewrite(f, "eeee");
    assertThat(HashCache.load(file, "sha256").hash(key, f, SHA256).hex()).isEqualTo(sha("aaaa"));
  }

  @Test
  void load_manyKeysSomeWithEqualHashes_eachFoundByItsOwnKey() throws Exception {
    Path file = dir.resolve("cache.bin");
    var cache = HashCache.load(file, "sha256");
    // "Aa" and "BB" (and so "AaAa", "AaBB", ...) hash alike: lookups must compare the keys.
    List<String> keys = new ArrayList<>(List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"));
    for (int i = 0; i < 300; i++) {
      keys.add("d" + i % 7 + "/f" + i + ".bin");
    }
    for (String key : keys) {
      Files.createDirectories(dir.resolve("w").resolve(key).getParent());
      cache.hash(key, settled("w/" + key, key), SHA256);
    }
    cache.save(Set.copyOf(keys));
    var reloaded = HashCache.load(file, "sha256");
    for (String key : keys) {
      Path f = dir.resolve("w").resolve(key);
      sneakyRewrite(f, "x".repeat(key.length()));
      assertThat(reloaded.hash(key, f, SHA256).hex()).as(key).isEqualTo(sha(key));
    }
  }

  @Test
  void save_afterLoad_keepsLoadedAndNewEntriesOfKeptKeys() throws Exception {
    Path file = dir.resolve("cache.bin");
    hashedTwo(file).save(Set.of("a.bin", "b.bin"));
    var reloaded = HashCache.load(file, "sha256");
    Path c = settled("c.bin", "cccc");
    reloaded.hash("c.bin", c, SHA256);
    reloaded.save(Set.of("a.bin", "c.bin"));
    for (String name : List.of("a.bin", "b.bin", "c.bin")) {
      sneakyRewrite(dir.resolve(name), "zzzz");
    }
    var again = HashCache.load(file, "sha256");
    assertThat(again.hash("a.bin", dir.resolve("a.bin"), SHA256).hex()).isEqualTo(sha("aaaa"));
    assertThat(again.hash("c.bin", c, SHA256).hex()).isEqualTo(sha("cccc"));
    assertThat(again.hash("b.bin", dir.resolve("b.bin"), SHA256).hex()).as("not kept").isEqualTo(sha("zzzz"));
  }

  @Test
  void load_negativeLengthInAnEntry_startsEmpty() throws Exception {
    assertDamagedCacheIgnored(bytes -> {
      // the hex's length follows the key and four longs; the hex and one long end the entry, and
      // the count of listed directories (none) the file
      int at = bytes.length - Integer.BYTES - Long.BYTES - 64 - Integer.BYTES;
      assertThat(java.nio.ByteBuffer.wrap(bytes).getInt(at)).isEqualTo(64);
      java.nio.ByteBuffer.wrap(bytes).putInt(at, -8);
      return bytes;
    });
  }

  @Test
  void checkAll_unchangedSettledFile_answeredWithoutHashing() throws Exception {
    assumeTrue(FileStat.nativeCalls(), "checkAll needs direct stat calls");
    Path file = dir.resolve("cache.bin");
    hashedTwo(file).save(Set.of("a.bin", "b.bin"));
    var reloaded = HashCache.load(file, "sha256");
    assertThat(reloaded.checkedSame("a.bin", sha("aaaa"))).as("before checkAll").isFalse();
    reloaded.checkAll(dir, 4, () -> false);
    assertThat(reloaded.checkedSame("a.bin", sha("aaaa"))).isTrue();
    assertThat(reloaded.checkedSame("b.bin", sha("gggg"))).isTrue();
    assertThat(reloaded.checkedSame("a.bin", sha("gggg"))).as("another hash").isFalse();
    assertThat(reloaded.checkedSize("a.bin", sha("aaaa"))).isEqualTo(4);
    assertThat(reloaded.checkedSize("a.bin", sha("gggg"))).isEqualTo(-1);
    assertThat(reloaded.checkedSize("a.bin", null)).as("no recorded hash").isEqualTo(-1);
    assertThat(reloaded.checkedSame("a.bin", sha("aaaa").substring(1))).as("a shorter hash").isFalse();
    assertThat(reloaded.checkedSame("c.bin", sha("cccc"))).as("not in the cache").isFalse();
  }

  @Test
  void checkAll_changedMissingOrRacyFile_leftToHash() throws Exception {
    Path file = dir.resolve("cache.bin");
    var cache = hashedTwo(file);
    Path racy = Files.writeString(dir.resolve("c.bin"), "cccc"); // hashed in its own second
    cache.hash("c.bin", racy, SHA256);
    cache.save(Set.of("a.bin", "b.bin", "c.bin"));
    Files.writeString(dir.resolve("a.bin"), "a longer content");
    Files.delete(dir.resolve("b.bin"));
    var reloaded = HashCache.load(file, "sha256");
    reloaded.checkAll(dir, 4, () -> false);
    assertThat(reloaded.checkedSame("a.bin", sha("aaaa"))).as("changed").isFalse();
    assertThat(reloaded.checkedSame("b.bin", sha("gggg"))).as("missing").isFalse();
    assertThat(reloaded.checkedSame("c.bin", sha("cccc"))).as("racy").isFalse();
  }

  @Test
  void checkedSame_fileHashedAgainAfterCheckAll_leftToHash() throws Exception {
    Path file = dir.resolve("cache.bin");
    hashedTwo(file).save(Set.of("a.bin", "b.bin"));
    var reloaded = HashCache.load(file, "sha256");
    reloaded.checkAll(dir, 4, () -> false);
    Path a = Files.writeString(dir.resolve("a.bin"), "a longer content");
    Files.setLastModifiedTime(a, FileTime.from(Instant.now().minusSeconds(30)));
    assertThat(reloaded.hash("a.bin", a, SHA256).hex()).isEqualTo(sha("a longer content"));
    assertThat(reloaded.checkedSame("a.bin", sha("a longer content"))).isFalse();
    assertThat(reloaded.checkedSame("b.bin", sha("gggg"))).isTrue();
  }

  @Test
  void record_downloadedFile_trustedOnceSettled() throws Exception {
    Path f = settled("a.bin", "aaaa");
    var cache = HashCache.load(dir.resolve("cache.json"), "sha256");
    assertThat(cache.record("a.bin", f, sha("aaaa"))).isEqualTo(4); // the size, for the caller's count
    sneakyRewrite(f, "dddd");
    assertThat(cache.hash("a.bin", f, SHA256).hex()).isEqualTo(sha("aaaa"));
  }

  /** A manifest file, dated back past the racy window, whose mark is then taken. */
  Path settledManifest(String content) throws Exception {
    return settled("manifest.json", content);
  }

  static java.util.NavigableMap<String, String> files(String... keysAndHashes) {
    var files = new java.util.TreeMap<String, String>();
    for (int i = 0; i < keysAndHashes.length; i += 2) {
      files.put(keysAndHashes[i], keysAndHashes[i + 1]);
    }
    return files;
  }

  @Test
  void saveDescribing_entryForEveryFileWithItsHash_describesTheManifestUntilItChanges() throws Exception {
    Path file = dir.resolve("cache.bin");
    Path manifest = settledManifest("{two files}");
    var mark = HashCache.Mark.of(manifest);
    hashedTwo(file).saveDescribing(files("b.bin", sha("gggg"), "a.bin", sha("aaaa")), "sha256", mark, Map.of(), null);
    assertThat(HashCache.describesManifest(file, manifest)).isTrue();
    var loaded = HashCache.load(file, "sha256");
    assertThat(loaded.describes(manifest)).isTrue();
    assertThat(loaded.loadedCount()).isEqualTo(2);
    assertThat(List.of(loaded.key(0), loaded.key(1))).as("the manifest's order").containsExactly("a.bin", "b.bin");
    assertThat(loaded.hex(1)).isEqualTo(sha("gggg"));
    Files.writeString(manifest, "{two files, edited}");
    assertThat(HashCache.describesManifest(file, manifest)).isFalse();
    assertThat(loaded.describes(manifest)).isFalse();
  }

  @Test
  void saveDescribing_fileWithAnotherHashOrNoEntry_savedWithoutDescribing() throws Exception {
    Path manifest = settledManifest("{}");
    for (var files : List.of(files("a.bin", sha("aaaa"), "b.bin", sha("other")),
        files("a.bin", sha("aaaa"), "b.bin", sha("gggg"), "c.bin", sha("cccc")))) {
      Path file = dir.resolve("cache-" + files.size() + ".bin");
      hashedTwo(file).saveDescribing(files, "sha256", HashCache.Mark.of(manifest), Map.of(), null);
      assertThat(HashCache.describesManifest(file, manifest)).as(files.toString()).isFalse();
      assertThat(HashCache.load(file, "sha256").loadedCount()).as("saved all the same").isEqualTo(2);
    }
  }

  @Test
  void saveDescribing_manifestWrittenWithinTheRacyWindowOrOtherHash_notDescribed() throws Exception {
    Path file = dir.resolve("cache.bin");
    Path manifest = Files.writeString(dir.resolve("manifest.json"), "{just written}");
    hashedTwo(file).saveDescribing(files("a.bin", sha("aaaa"), "b.bin", sha("gggg")), "sha256",
        HashCache.Mark.of(manifest), Map.of(), null);
    assertThat(HashCache.describesManifest(file, manifest)).isFalse();
    Path settled = settledManifest("{}");
    hashedTwo(file).saveDescribing(files("a.bin", sha("aaaa"), "b.bin", sha("gggg")), "md5",
        HashCache.Mark.of(settled), Map.of(), null);
    assertThat(HashCache.describesManifest(file, settled)).as("a manifest of md5 digests").isFalse();
  }

  @Test
  void saveForSameManifest_fileHashedAgain_describesOnlyWhileItsHashIsTheRecordedOne() throws Exception {
    Path file = dir.resolve("cache.bin");
    Path manifest = settledManifest("{}");
    hashedTwo(file).saveDescribing(files("a.bin", sha("aaaa"), "b.bin", sha("gggg")), "sha256",
        HashCache.Mark.of(manifest), Map.of(), null);
    Path a = dir.resolve("a.bin");
    Files.setLastModifiedTime(a, FileTime.from(Instant.now().minusSeconds(30))); // touched, same content
    var loaded = HashCache.load(file, "sha256");
    assertThat(loaded.hash(0, a, SHA256).hex()).isEqualTo(sha("aaaa"));
    loaded.saveForSameManifest();
    assertThat(HashCache.describesManifest(file, manifest)).as("same content").isTrue();
    assertThat(HashCache.load(file, "sha256").hash("a.bin", a, SHA256).hex()).isEqualTo(sha("aaaa"));
    Files.writeString(a, "edited");
    Files.setLastModifiedTime(a, FileTime.from(Instant.now().minusSeconds(20)));
    loaded = HashCache.load(file, "sha256");
    assertThat(loaded.hash(0, a, SHA256).hex()).isEqualTo(sha("edited"));
    loaded.saveForSameManifest();
    assertThat(HashCache.describesManifest(file, manifest)).as("other content").isFalse();
    sneakyRewrite(a, "sneak!");
    assertThat(HashCache.load(file, "sha256").hash("a.bin", a, SHA256).hex()).as("the new hash kept").isEqualTo(sha("edited"));
  }

  @Test
  void describesManifest_noCacheOrAnotherFormat_false() throws Exception {
    Path manifest = settledManifest("{}");
    assertThat(HashCache.describesManifest(dir.resolve("none.bin"), manifest)).isFalse();
    // A cache that describes the manifest, its version line then changed: only the version differs.
    Path old = dir.resolve("old.bin");
    hashedTwo(old).saveDescribing(files("a.bin", sha("aaaa"), "b.bin", sha("gggg")), "sha256",
        HashCache.Mark.of(manifest), Map.of(), null);
    assertThat(HashCache.describesManifest(old, manifest)).as("as written").isTrue();
    byte[] bytes = Files.readAllBytes(old);
    bytes["s3lfs-hash-cache ".length()] = '4';
    Files.write(old, bytes);
    assertThat(HashCache.describesManifest(old, manifest)).isFalse();
  }

  @Test
  void directories_keysInNestedDirectories_countedPerDirectoryWithoutTheRoot() throws Exception {
    Path file = dir.resolve("cache.bin");
    var cache = HashCache.load(file, "sha256");
    var files = new java.util.TreeMap<String, String>();
    for (String key : List.of("d/a", "d/b", "d/e/f", "d/é", "top", "x/y/z")) {
      Path f = dir.resolve(key);
      Files.createDirectories(f.getParent());
      Files.writeString(f, key);
      files.put(key, cache.hash(key, f, SHA256).hex());
    }
    cache.saveDescribing(files, "sha256", HashCache.Mark.of(settledManifest("{}")), Map.of(), null);
    assertThat(HashCache.load(file, "sha256").directories())
        .isEqualTo(java.util.Map.of("d", 3, "d/e", 1, "x/y", 1));
  }

  @Test
  void listedUnchanged_directoryMarkedBeforeListing_trueUntilAnEntryIsAddedOrTheMarkIsRacy() throws Exception {
    Path file = dir.resolve("cache.bin");
    Path settledDir = Files.createDirectories(dir.resolve("set"));
    Files.writeString(settledDir.resolve("a.bin"), "aaaa");
    Files.setLastModifiedTime(settledDir, FileTime.from(Instant.now().minusSeconds(60)));
    Path freshDir = Files.createDirectories(dir.resolve("fresh")); // changed within the racy window
    Path manifest = settledManifest("{}");
    hashedTwo(file).saveDescribing(files("a.bin", sha("aaaa"), "b.bin", sha("gggg")), "sha256",
        HashCache.Mark.of(manifest), Map.of("set", HashCache.Mark.of(settledDir), "fresh", HashCache.Mark.of(freshDir)), null);
    var loaded = HashCache.load(file, "sha256");
    assertThat(loaded.listedUnchanged("set", settledDir)).isTrue();
    assertThat(loaded.listedUnchanged("fresh", freshDir)).as("racy").isFalse();
    assertThat(loaded.listedUnchanged("other", settledDir)).as("never listed").isFalse();
    Files.writeString(settledDir.resolve("new.bin"), "new");
    assertThat(loaded.listedUnchanged("set", settledDir)).as("an entry added").isFalse();
  }

  @Test
  void listedUnchanged_cacheSavedWithoutDescribingTheManifest_false() throws Exception {
    Path file = dir.resolve("cache.bin");
    Path settledDir = Files.createDirectories(dir.resolve("set"));
    Files.setLastModifiedTime(settledDir, FileTime.from(Instant.now().minusSeconds(60)));
    hashedTwo(file).saveDescribing(files("a.bin", sha("other"), "b.bin", sha("gggg")), "sha256",
        HashCache.Mark.of(settledManifest("{}")), Map.of("set", HashCache.Mark.of(settledDir)), null);
    assertThat(HashCache.load(file, "sha256").listedUnchanged("set", settledDir)).isFalse();
  }

  @Test
  void saveDescribing_entriesFoundByCheckedIndex_writtenInTheManifestsOrder() throws Exception {
    assumeTrue(FileStat.nativeCalls(), "checkedIndex needs checkAll's direct stat calls");
    Path file = dir.resolve("cache.bin");
    var first = HashCache.load(file, "sha256");
    for (String name : List.of("c.bin", "a.bin", "b.bin")) { // loaded in another order than the manifest's
      first.hash(name, settled(name, name.repeat(3)), SHA256);
    }
    first.save(java.util.Set.of("a.bin", "b.bin", "c.bin"));
    var files = files("a.bin", sha("a.bina.bina.bin"), "b.bin", sha("b.binb.binb.bin"), "c.bin", sha("c.binc.binc.bin"));
    var loaded = HashCache.load(file, "sha256");
    loaded.checkAll(dir, 2, () -> false);
    int[] checked = files.entrySet().stream().mapToInt(f -> loaded.checkedIndex(f.getKey(), f.getValue())).toArray();
    assertThat(checked).doesNotContain(-1).isNotEqualTo(new int[] {0, 1, 2});
    loaded.saveDescribing(files, "sha256", HashCache.Mark.of(settledManifest("{}")), Map.of(), checked);
    var again = HashCache.load(file, "sha256");
    assertThat(List.of(again.key(0), again.key(1), again.key(2))).containsExactly("a.bin", "b.bin", "c.bin");
    assertThat(List.of(again.hex(0), again.hex(1), again.hex(2))).containsExactlyElementsOf(files.values());
    assertThat(again.describes(dir.resolve("manifest.json"))).isTrue();
  }
}
