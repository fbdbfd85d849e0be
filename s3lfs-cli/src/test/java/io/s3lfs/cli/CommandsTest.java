package io.s3lfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
  @TempDir
  Path temp;
  Sandbox box;

  @BeforeEach
  void setUp() throws Exception {
    box = new Sandbox(temp);
    // the spec's glob fixture (section 4.2, items 15-18)
    box.write("file1.txt", "1");
    box.write("file2.txt", "2");
    box.write("config.json", "{}");
    box.write("data/dataset1.txt", "d1");
    box.write("data/dataset2.csv", "d2");
    box.write("data/subdir/nested.txt", "n");
    box.s3lfs("init", box.storeUri(), "p").ok();
  }

  /** Sets the files' modification time 30 s back: past the hash cache's racy window once hashed. */
  void settle(String... files) throws java.io.IOException {
    var past = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(30));
    for (String f : files) {
      Files.setLastModifiedTime(box.repo.resolve(f), past);
    }
  }

  /** Rewrites content in place keeping size, inode and mtime: only a re-read can notice. */
  static void sneakyRewrite(Path file, String content) throws java.io.IOException {
    var mtime = Files.getLastModifiedTime(file);
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, mtime);
  }

  List<String> tracked() {
    return box.s3lfs("ls").ok().out().lines().toList();
  }

  @Nested
  class Track {
    @Test
    void track_storeCancelsItsOwnRequest_isAFailureNotASilentSkip() throws Exception {
      // Only the engine's own cancellation (Ctrl-C) makes a stopped file "not done"; a
      // CancellationException that a store throws for its own reasons is reported like any
      // failure (CancellingStoreProvider, registered for the tests).
      var other = new Sandbox(temp.resolve("other"));
      other.write("a.txt", "a");
      other.s3lfs("init", other.storeUri().replaceFirst("^file:", "cancelling:"), "p").ok();

      var run = other.s3lfs("track", "a.txt");

      assertThat(run.status()).as(run.err()).isEqualTo(ExitCodes.STORAGE);
      assertThat(run.err()).contains("a.txt").contains("cancelled by the store");
      assertThat(other.s3lfs("ls").ok().out()).doesNotContain("a.txt");
    }

    @Test
    void track_rootGlob_onlyRootLevel() {
      box.s3lfs("track", "*.txt").ok();
      assertThat(tracked()).containsExactly("file1.txt", "file2.txt");
    }

    @Test
    void track_directory_recursive() {
      box.s3lfs("track", "data").ok();
      assertThat(tracked()).containsExactly("data/dataset1.txt", "data/dataset2.csv", "data/subdir/nested.txt");
    }

    @Test
    void track_doubleStar_anyDepth() {
      box.s3lfs("track", "**/*.txt").ok();
      assertThat(tracked()).containsExactly("data/dataset1.txt", "data/subdir/nested.txt", "file1.txt", "file2.txt");
    }

    @Test
    void track_dirGlob_directChildrenOnly() {
      box.s3lfs("track", "data/*.txt").ok();
      assertThat(tracked()).containsExactly("data/dataset1.txt");
    }

    @Test
    void track_fromSubdirectory_keysRelativeToRoot() {
      box.s3lfsIn(box.repo.resolve("data"), "", "track", "*.txt").ok();
      assertThat(tracked()).containsExactly("data/dataset1.txt");
      var ls = box.s3lfsIn(box.repo.resolve("data/subdir"), "", "ls").ok();
      assertThat(ls.out().lines()).containsExactly("../dataset1.txt");
    }

    @Test
    void track_repositoryRoot_skipsGitAndOwnFiles() {
      box.s3lfs("track", ".").ok();
      assertThat(tracked()).doesNotContain(".s3_manifest.json").noneMatch(k -> k.startsWith(".git/"))
          .noneMatch(k -> k.startsWith(".s3lfs_temp")).contains("file1.txt", "data/subdir/nested.txt");
    }

    @Test
    void trackModified_fileChangedBehindTheHashCache_storesAndRecordsNothing() throws Exception {
      var old = java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
      Path file = box.repo.resolve("data/dataset1.txt");
      box.s3lfs("track", "data/dataset1.txt").ok();
      String manifest = Files.readString(box.repo.resolve(".s3_manifest.json"));
      // The cache learns "yy" under an old mtime; then the bytes change with size, inode and
      // mtime kept (an in-place rewrite that restores the time), so it still answers "yy".
      Files.writeString(file, "yy");
      Files.setLastModifiedTime(file, old);
      assertThat(box.s3lfs("status").ok().out()).contains("1 modified");
      Files.writeString(file, "zz");
      Files.setLastModifiedTime(file, old);

      var run = box.s3lfs("track", "--modified");

      assertThat(run.status()).isEqualTo(3);
      assertThat(run.err()).contains("data/dataset1.txt").contains("changed while it was being stored");
      assertThat(Files.readString(box.repo.resolve(".s3_manifest.json"))).isEqualTo(manifest);
      try (var stored = Files.walk(box.store)) {
        assertThat(stored.filter(Files::isRegularFile).map(Path::toString))
            .noneMatch(k -> k.contains(Sandbox.sha256("yy")) || k.contains(Sandbox.sha256("zz")));
      }
    }

    @Test
    void trackModified_cacheDescribesTheManifestNothingChanged_doneWithoutReadingIt() throws Exception {
      box.s3lfs("track", "data").ok();
      settle(".s3_manifest.json", "data/dataset1.txt", "data/dataset2.csv", "data/subdir/nested.txt");
      box.s3lfs("status").ok(); // hashes the settled files again and leaves the manifest's mark in the cache
      Path manifest = box.repo.resolve(".s3_manifest.json");
      String json = Files.readString(manifest);
      sneakyRewrite(manifest, "x".repeat(json.length())); // a track that parsed it would fail
      assertThat(box.s3lfs("track", "--modified").ok().out()).contains("0 uploaded").contains("3 unchanged");
      sneakyRewrite(manifest, json);
      box.write("data/dataset2.csv", "edited");
      assertThat(box.s3lfs("track", "--modified").ok().out()).contains("1 uploaded").contains("2 unchanged");
    }

    @Test
    void trackModified_settledFiles_unchangedFromTheCacheAndAnEditedOneStored() throws Exception {
      // Modified 30 s ago and hashed now: the cache trusts its entries, so track --modified takes
      // the unchanged files from its stat pass over the cache (HashCache.checkAll).
      settle("data/dataset1.txt", "data/dataset2.csv", "data/subdir/nested.txt");
      box.s3lfs("track", "data").ok();
      box.write("data/dataset2.csv", "edited, and longer");
      settle("data/dataset2.csv");

      var run = box.s3lfs("track", "--modified").ok();

      assertThat(run.out()).contains("1 uploaded").contains("2 unchanged");
      assertThat(box.s3lfs("ls", "--verbose", "data/dataset2.csv").ok().out())
          .startsWith(Sandbox.sha256("edited, and longer") + "\t18\t");
    }

    @Test
    void init_newLocationAfterTracking_trackModifiedStoresEveryFileThere() throws Exception {
      box.s3lfs("track", "data").ok();
      Path other = Files.createDirectories(temp.resolve("other-store"));
      String otherUri = other.toUri().toString().replaceFirst("^file:/(?!/)", "file:///");
      var init = box.s3lfs("init", otherUri, "moved").ok();
      assertThat(init.err()).contains("3 tracked file(s) are stored at").contains("s3lfs track --modified");

      assertThat(box.s3lfs("track", "--modified").ok().out()).contains("3 uploaded");
      try (var files = Files.walk(other)) {
        assertThat(files.filter(Files::isRegularFile).map(f -> other.relativize(f).toString()))
            .hasSize(3).allMatch(k -> k.startsWith("moved/assets/"));
      }
      // Everything is stored at the new location now: back to the no-network fast path.
      assertThat(box.s3lfs("track", "--modified").ok().out()).contains("3 unchanged");
      assertThat(box.s3lfs("init", otherUri, "moved").ok().err()).isEmpty();
    }

    @Test
    void track_nothing_usageError() {
      var run = box.s3lfs("track");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("give a path to track, or --modified");
    }

    @Test
    void track_missingPath_usageErrorNamingIt() {
      var run = box.s3lfs("track", "nope.bin");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).isEqualTo("s3lfs: error: no such file or directory: 'nope.bin'\n");
    }

    @Test
    void track_globMatchingNothing_usageError() {
      var run = box.s3lfs("track", "*.mp4");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("no files match '*.mp4'");
    }

    @Test
    void track_pathOutsideRepository_usageError() throws Exception {
      Files.writeString(temp.resolve("outside.bin"), "x");
      var run = box.s3lfs("track", "../outside.bin");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("outside the repository");
    }

    @Test
    void track_manyFilesAlreadyStored_notUploadedAgain() throws Exception {
      for (int i = 0; i < 40; i++) {
        box.write("many/f" + i + ".txt", "content " + i);
      }
      box.s3lfs("track", "many").ok();
      box.s3lfs("remove", "many").ok();
      var again = box.s3lfs("track", "many").ok();
      assertThat(again.out()).contains("0 uploaded").contains("40 already stored");
      box.write("few.txt", "few");
      box.s3lfs("track", "few.txt").ok();
      box.s3lfs("remove", "few.txt").ok();
      assertThat(box.s3lfs("track", "few.txt").ok().out()).contains("1 already stored");
    }

    @Test
    void track_concurrentProcesses_noEntryLost() throws Exception {
      for (int i = 0; i < 8; i++) {
        box.write("many/f" + i + ".bin", "content " + i);
      }
      try (var pool = Executors.newFixedThreadPool(8)) {
        List<Future<Sandbox.Run>> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
          String path = "many/f" + i + ".bin";
          runs.add(pool.submit(() -> box.s3lfs("track", path)));
        }
        for (var r : runs) {
          r.get().ok();
        }
      }
      assertThat(tracked()).filteredOn(k -> k.startsWith("many/")).hasSize(8);
    }
  }

  @Nested
  class Checkout {
    @BeforeEach
    void trackAll() {
      box.s3lfs("track", "data", "*.txt", "config.json").ok();
    }

    @Test
    void checkout_deletedFileInDirectory_restored() throws Exception {
      Files.delete(box.repo.resolve("data/subdir/nested.txt"));
      box.s3lfs("checkout", "data/").ok();
      assertThat(box.repo.resolve("data/subdir/nested.txt")).hasContent("n");
    }

    @Test
    void checkoutAll_trackedDirectoryGone_restoredAndOtherFilesLeftUpToDate() throws Exception {
      try (var files = Files.walk(box.repo.resolve("data"))) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
      box.write("file1.txt", "local edit");
      var run = box.s3lfs("checkout", "--all").ok();
      assertThat(run.out()).contains("4 downloaded, 2 already up to date");
      assertThat(box.repo.resolve("data/subdir/nested.txt")).hasContent("n");
      assertThat(box.repo.resolve("data/dataset1.txt")).exists();
      assertThat(box.repo.resolve("file1.txt")).hasContent("1");
    }

    @Test
    void checkoutAll_aFileWhereATrackedDirectoryGoes_thatFileFailsOthersRestored() throws Exception {
      Files.delete(box.repo.resolve("data/subdir/nested.txt"));
      Files.delete(box.repo.resolve("data/subdir"));
      box.write("data/subdir", "in the way");
      Files.delete(box.repo.resolve("file2.txt"));
      var run = box.s3lfs("checkout", "--all");
      assertThat(run.status()).as(run.err()).isEqualTo(5); // partial: file2.txt was restored
      assertThat(run.err()).startsWith("s3lfs: error: data/subdir/nested.txt: a file is where its directory "
          + box.repo.resolve("data/subdir") + " goes; move or remove it, then check out again\n");
      assertThat(box.repo.resolve("file2.txt")).hasContent("2");
      assertThat(box.repo.resolve("data/subdir")).hasContent("in the way");
    }

    @Test
    void checkout_glob_restoresMatchesOnly() throws Exception {
      Files.delete(box.repo.resolve("file1.txt"));
      Files.delete(box.repo.resolve("data/dataset1.txt"));
      box.s3lfs("checkout", "*.txt").ok();
      assertThat(box.repo.resolve("file1.txt")).hasContent("1");
      assertThat(box.repo.resolve("data/dataset1.txt")).doesNotExist();
    }

    @Test
    void checkout_modifiedFile_restored() throws Exception {
      box.write("file1.txt", "local edit");
      var run = box.s3lfs("checkout", "file1.txt").ok();
      assertThat(run.out()).contains("1 downloaded");
      assertThat(box.repo.resolve("file1.txt")).hasContent("1");
    }

    @Test
    void checkout_directoryWhereTheFileGoes_oneLineNamingTheKeyAndNoTemporaryLeft() throws Exception {
      Files.delete(box.repo.resolve("file1.txt"));
      Files.createDirectory(box.repo.resolve("file1.txt"));
      var run = box.s3lfs("checkout", "file1.txt");
      assertThat(run.status()).isEqualTo(4); // every file asked for failed
      assertThat(run.err()).startsWith("s3lfs: error: file1.txt: a directory is where the file goes; move or"
          + " remove it, then check out again\n").doesNotContain(".part");
      try (var left = Files.list(box.repo)) {
        assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
      }
    }

    @Test
    void checkout_upToDate_doesNotTouchStore() throws Exception {
      deleteStore();
      var run = box.s3lfs("checkout", "--all").ok();
      assertThat(run.out()).contains("6 already up to date");
    }

    @Test
    void checkoutAll_cacheDescribesTheManifestAndEveryFileThere_nothingDoneWithoutReadingIt() throws Exception {
      settle(".s3_manifest.json", "file1.txt", "file2.txt", "config.json", "data/dataset1.txt", "data/dataset2.csv",
          "data/subdir/nested.txt");
      box.s3lfs("status").ok(); // hashes the settled files again and leaves the manifest's mark in the cache
      Path manifest = box.repo.resolve(".s3_manifest.json");
      String json = Files.readString(manifest);
      sneakyRewrite(manifest, "x".repeat(json.length())); // a checkout that parsed it would fail
      assertThat(box.s3lfs("checkout", "--all").ok().out()).contains("0 downloaded, 6 already up to date");
      sneakyRewrite(manifest, json);
      box.write("file2.txt", "edited");
      var run = box.s3lfs("checkout", "--all").ok(); // a file to restore: the manifest is read
      assertThat(run.out()).contains("1 downloaded, 5 already up to date");
      assertThat(box.repo.resolve("file2.txt")).hasContent("2");
    }

    @Test
    void checkoutAll_settledFiles_upToDateAndAnEditedOneRestored() throws Exception {
      // Modified 30 s ago and hashed now: the cache trusts its entries, so checkout --all takes
      // them from its stat pass over the cache (HashCache.checkAll), not from hashing.
      settle("data/dataset1.txt", "data/dataset2.csv", "data/subdir/nested.txt", "file1.txt", "file2.txt",
          "config.json");
      box.s3lfs("track", "--modified").ok();
      box.write("file2.txt", "edited, and longer");
      settle("file2.txt");

      var run = box.s3lfs("checkout", "--all").ok();

      assertThat(run.out()).contains("1 downloaded, 5 already up to date");
      assertThat(box.repo.resolve("file2.txt")).hasContent("2");
      assertThat(box.repo.resolve("data/dataset1.txt")).hasContent("d1");
    }

    @Test
    void checkout_objectMissing_storageErrorNamingFile() throws Exception {
      deleteStore();
      Files.delete(box.repo.resolve("file2.txt"));
      var run = box.s3lfs("checkout", "--all");
      assertThat(run.status()).isEqualTo(4);
      assertThat(run.err()).contains("file2.txt").contains("no stored object");
    }

    @Test
    void checkout_tamperedObject_integrityErrorFileUntouched() throws Exception {
      Path object = box.storedObject("file1.txt");
      Files.write(object, object.toString().endsWith(".gz") ? gzip("evil") : "evil".getBytes());
      box.write("file1.txt", "my local edit");
      var run = box.s3lfs("checkout", "file1.txt");
      assertThat(run.status()).isEqualTo(3);
      assertThat(run.err()).contains("file1.txt").contains("hash mismatch");
      assertThat(box.repo.resolve("file1.txt")).hasContent("my local edit");
      try (var files = Files.list(box.repo)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
      }
    }

    @Test
    void checkout_someFail_partialStatusOthersDone() throws Exception {
      Files.delete(box.storedObject("file1.txt"));
      Files.delete(box.repo.resolve("file1.txt"));
      Files.delete(box.repo.resolve("file2.txt"));
      var run = box.s3lfs("checkout", "*.txt");
      assertThat(run.status()).isEqualTo(5);
      assertThat(box.repo.resolve("file2.txt")).hasContent("2");
    }

    @Test
    void checkout_untrackedPath_usageError() {
      var run = box.s3lfs("checkout", "nonexistent/*.txt");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("matches no tracked file");
    }

    @Test
    void checkout_nothing_usageError() {
      var run = box.s3lfs("checkout");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("--all");
    }

    void deleteStore() throws Exception {
      for (String k : box.storedKeys()) {
        Files.delete(box.store.resolve(k));
      }
    }

    static byte[] gzip(String s) throws Exception {
      var bytes = new java.io.ByteArrayOutputStream();
      try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
        gz.write(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return bytes.toByteArray();
    }
  }

  @Nested
  class RemoveAndCleanup {
    @BeforeEach
    void trackAll() {
      box.s3lfs("track", "data", "*.txt").ok();
    }

    @Test
    void remove_directory_untracksKeepsLocalAndObjects() throws Exception {
      int before = box.storedKeys().size();
      box.s3lfs("remove", "data").ok();
      assertThat(tracked()).containsExactly("file1.txt", "file2.txt");
      assertThat(box.repo.resolve("data/dataset1.txt")).exists();
      assertThat(box.storedKeys()).hasSize(before);
    }

    @Test
    void remove_purge_deletesObjects() throws Exception {
      box.s3lfs("remove", "data/subdir/nested.txt", "--purge-from-s3").ok();
      assertThat(box.storedKeys()).noneMatch(k -> k.contains("nested.txt")).hasSize(4);
    }

    @Test
    void remove_glob_crossesNoDirectories() {
      box.s3lfs("remove", "*.txt").ok();
      assertThat(tracked()).containsExactly("data/dataset1.txt", "data/dataset2.csv", "data/subdir/nested.txt");
    }

    @Test
    void remove_untracked_usageErrorManifestUnchanged() throws Exception {
      String before = Files.readString(box.repo.resolve(".s3_manifest.json"));
      var run = box.s3lfs("remove", "config.json");
      assertThat(run.status()).isEqualTo(2);
      assertThat(box.repo.resolve(".s3_manifest.json")).hasContent(before);
    }

    @Test
    void cleanup_nothingUnreferenced_says() {
      assertThat(box.s3lfs("cleanup").ok().out()).contains("No unreferenced objects");
    }

    @Test
    void cleanup_answerNo_deletesNothing() throws Exception {
      box.s3lfs("remove", "file1.txt").ok();
      int before = box.storedKeys().size();
      var run = box.s3lfsIn(box.repo, "no\n", "cleanup");
      assertThat(run.status()).isZero();
      assertThat(run.out()).contains("/file1.txt").contains("nothing was deleted");
      assertThat(box.storedKeys()).hasSize(before);
    }

    @Test
    void cleanup_answerYes_deletesOnlyUnreferenced() throws Exception {
      box.s3lfs("remove", "file1.txt").ok();
      var run = box.s3lfsIn(box.repo, "yes\n", "cleanup").ok();
      assertThat(run.out()).contains("Deleted 1 object(s)");
      assertThat(box.storedKeys()).hasSize(4).noneMatch(k -> k.contains("/file1.txt"));
      Files.delete(box.repo.resolve("file2.txt"));
      box.s3lfs("checkout", "--all").ok();
    }

    @Test
    void cleanup_renamedPathSharingContent_oldObjectCollected() throws Exception {
      box.write("copy.txt", "1");
      box.s3lfs("track", "copy.txt").ok();
      box.s3lfs("remove", "file1.txt").ok();
      box.s3lfs("cleanup", "--force").ok();
      assertThat(box.storedKeys()).anyMatch(k -> k.endsWith("/copy.txt")).noneMatch(k -> k.endsWith("/file1.txt"));
    }

    @Test
    void cleanup_eofAtPrompt_usageErrorPointingAtForce() throws Exception {
      // A script or CI job with no stdin cannot answer: exit 2 with the fix, not 1 ("internal error").
      box.s3lfs("remove", "file1.txt").ok();
      var run = box.s3lfsIn(box.repo, "", "cleanup");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).endsWith("s3lfs: error: no answer on standard input; nothing was deleted"
          + " (pass --force to delete without asking)\n");
      assertThat(box.storedKeys()).anyMatch(k -> k.endsWith("/file1.txt"));
    }
  }

  @Nested
  class Errors {
    @Test
    void anyCommand_noManifest_usageErrorSaysInit() throws Exception {
      Files.delete(box.repo.resolve(".s3_manifest.json"));
      for (String cmd : List.of("track", "checkout", "ls", "status", "remove", "cleanup")) {
        var run = cmd.equals("track") || cmd.equals("checkout") || cmd.equals("remove")
            ? box.s3lfs(cmd, "file1.txt") : box.s3lfs(cmd);
        assertThat(run.status()).as(cmd).isEqualTo(2);
        assertThat(run.err()).as(cmd).contains("run s3lfs init");
      }
    }

    @Test
    void anyCommand_malformedManifest_integrityErrorWithLineFileKept() throws Exception {
      String broken = "{\n    \"bucket_name\": \"b\",\n    \"files\": {\n        \"a\" \"x\"\n    }\n}";
      Files.writeString(box.repo.resolve(".s3_manifest.json"), broken);
      var run = box.s3lfs("track", "file1.txt");
      assertThat(run.status()).isEqualTo(3);
      assertThat(run.err()).contains("line 4").contains("column");
      assertThat(box.repo.resolve(".s3_manifest.json")).hasContent(broken);
    }

    @Test
    void report_anErrorFromTheJvmOrALibrary_oneLineInternalErrorStackOnlyWhenVerbose() {
      var bytes = new java.io.ByteArrayOutputStream();
      var err = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
      int status = Main.report(new NoClassDefFoundError("com/example/Gone"), err, false);
      assertThat(status).isEqualTo(ExitCodes.SOFTWARE);
      assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
          "s3lfs: error: internal error: java.lang.NoClassDefFoundError: com/example/Gone (rerun with --verbose for details)\n");
      bytes.reset();
      Main.report(new NoClassDefFoundError("com/example/Gone"), err, true);
      assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines()).hasSizeGreaterThan(1);
    }

    @Test
    void init_fileStorePathWithSpaces_recordedQuotedAndUsable() throws Exception {
      // A path as typed (macOS "My Drive", a NAS share name): URI syntax would need %20.
      Path spaced = Files.createDirectories(temp.resolve("My Drive/s3lfs store"));
      var init = box.s3lfs("init", "file://" + spaced, "p").ok();
      String quoted = "file://" + spaced.toString().replace(" ", "%20");
      assertThat(init.out()).contains("store:  " + quoted);
      assertThat(Files.readString(box.repo.resolve(".s3_manifest.json"))).contains("\"bucket_name\": \"" + quoted + "\"");
      box.s3lfs("track", "data").ok();
      try (var stored = Files.walk(spaced)) {
        assertThat(stored.filter(Files::isRegularFile)).hasSize(3);
      }
    }

    @Test
    void init_fileStoreUriWithAHostPart_usageErrorAtInitNotAtTrack() {
      var run = box.s3lfs("init", "file://./store", "p");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("file store URI 'file://./store' has a host part ('.')");
    }

    @Test
    void init_malformedEndpointUrl_usageErrorAndManifestUnchanged() throws Exception {
      String before = Files.readString(box.repo.resolve(".s3_manifest.json"));
      for (String url : List.of("localhost:9000", "htp://host:9000", "http://", "http://host:notaport", "s3://bucket")) {
        var run = box.s3lfs("init", "my-bucket", "p", "--endpoint-url", url);
        assertThat(run.status()).as(url).isEqualTo(2);
        assertThat(run.err()).as(url).isEqualTo("s3lfs: error: invalid --endpoint-url '" + url + "': give http:// or"
            + " https://, a host and an optional port, for example http://localhost:9000\n");
      }
      assertThat(box.repo.resolve(".s3_manifest.json")).hasContent(before);
      for (String url : List.of("http://localhost:9000", "https://s3.example.test", "http://[::1]:9000/", "http://[::1]")) {
        assertThat(box.s3lfs("init", "my-bucket", "p", "--endpoint-url", url).status()).as(url).isZero();
      }
    }

    @Test
    void init_badLocation_usageError() {
      var run = box.s3lfs("init", "Not_A_Bucket!", "p");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("invalid bucket name");
    }

    @Test
    void unknownCommand_usageWithSuggestion() {
      var run = box.s3lfs("trak");
      assertThat(run.status()).isEqualTo(2);
      assertThat(run.err()).contains("track");
    }

    @Test
    void rootHelp_listsEveryCommand() {
      String help = box.s3lfs("--help").ok().out();
      for (String name : List.of("init", "track", "checkout", "ls", "status", "remove, rm", "cleanup")) {
        assertThat(help).contains("\n  " + name + " ");
      }
    }

    @Test
    void rootHelp_givesEveryExitCodeALineOfItsOwn() throws Exception {
      String help = box.s3lfs("--help").ok().out();
      String codes = help.substring(help.indexOf("Exit codes:"));
      for (var field : ExitCodes.class.getDeclaredFields()) {
        if (field.getType() == int.class) {
          int code = field.getInt(null);
          assertThat(codes).as(field.getName()).containsPattern("\\n  " + code + " +[a-z]");
        }
      }
    }

    @Test
    void rootHelp_namesEveryVariableTheConfigurationReads() {
      // Every S3LFS_ variable Configuration asks for, recorded as it asks, must be in --help.
      java.util.Set<String> asked = new java.util.TreeSet<>();
      Map<String, String> env = new java.util.HashMap<>() {
        @Override
        public String get(Object key) {
          asked.add((String) key);
          return null;
        }

        @Override
        public boolean containsKey(Object key) {
          asked.add((String) key);
          return false;
        }
      };
      Configuration.resolve(new Commands.StoreFlags(), env, io.s3lfs.core.RepoConfig.EMPTY);
      String help = box.s3lfs("--help").ok().out();
      String environment = help.substring(help.indexOf("Environment:"));
      assertThat(asked).isNotEmpty().allSatisfy(name -> assertThat(environment).contains(name));
      assertThat(environment).contains("AWS_CA_BUNDLE", "S3LFS_JAVA_OPTS", "s3.tlsCheck");
    }

    @Test
    void everyCommand_takesVerbose() {
      // An internal error ends with "rerun with --verbose for details", whichever command it was.
      var root = Commands.commandLine(new Context(Path.of("."), InputStream.nullInputStream(), System.out, System.err,
          false, Map.of()), "--help");
      assertThat(root.getSubcommands()).isNotEmpty();
      root.getSubcommands().forEach((name, sub) ->
          assertThat(sub.getCommandSpec().findOption("--verbose")).as(name).isNotNull());
      box.s3lfs("status", "--verbose").ok();
    }

    @Test
    void alias_rm_buildsRemove() throws Exception {
      box.s3lfs("track", "file1.txt").ok();
      assertThat(box.s3lfs("rm", "--help").ok().out()).contains("--purge-from-s3");
      box.s3lfs("rm", "file1.txt").ok();
      assertThat(box.s3lfs("ls").ok().out()).doesNotContain("file1.txt");
    }

    @Test
    void commandLine_aSubcommandNameOrAlias_buildsThatSubcommandAlone() {
      var ctx = new Context(Path.of("."), InputStream.nullInputStream(), System.out, System.err, false, Map.of());
      assertThat(Commands.BY_NAME).containsKeys("init", "track", "checkout", "ls", "status", "remove", "rm", "cleanup");
      Commands.BY_NAME.forEach((name, sub) -> {
        var subcommands = Commands.commandLine(ctx, name, "--help").getSubcommands();
        assertThat(subcommands).as(name).containsKey(name);
        assertThat(subcommands.values().stream().distinct()).as(name).hasSize(1);
        assertThat(subcommands.get(name).getCommandName()).as(name).isEqualTo(sub.name());
        assertThat(subcommands.get(name).getCommandSpec().aliases()).as(name).containsExactlyElementsOf(sub.aliases());
      });
      assertThat(Commands.commandLine(ctx, "--help").getSubcommands().values().stream().distinct())
          .hasSize(Commands.SUBCOMMANDS.size());
    }
  }

  @Nested
  class LsAndStatus {
    @Test
    void ls_verbose_hashSizePath() {
      box.s3lfs("track", "file1.txt").ok();
      var run = box.s3lfs("ls", "--verbose").ok();
      assertThat(run.out()).isEqualTo(
          "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b\t1\tfile1.txt\n");
    }

    @Test
    void lsAndStatus_nameWithANewline_oneQuotedLineAsGitPrintsIt() throws Exception {
      box.write("odd\nname.txt", "x");
      box.write("tab\there.txt", "y");
      box.s3lfs("track", "odd\nname.txt", "tab\there.txt").ok();
      assertThat(box.s3lfs("ls").ok().out().lines()).contains("\"odd\\nname.txt\"", "\"tab\\there.txt\"");
      Files.delete(box.repo.resolve("odd\nname.txt"));
      assertThat(box.s3lfs("status", "--porcelain").ok().out().lines()).contains("D \"odd\\nname.txt\"");
    }

    @Test
    void quoted_controlQuoteBackslash_escapedOthersAsTheyAre() {
      assertThat(Commands.Shown.quoted("plain/é name.txt")).isEqualTo("plain/é name.txt");
      assertThat(Commands.Shown.quoted("a\"b\\c\u007fd\u0001")).isEqualTo("\"a\\\"b\\\\c\\177d\\001\"");
    }

    @Test
    void ls_fromSubdirectory_pathsRelativeToIt() throws Exception {
      box.write("data/.hidden", "h");
      box.write("database.txt", "a sibling whose name starts as the directory's does");
      box.s3lfs("track", "data", "file1.txt", "database.txt").ok();
      var ls = box.s3lfsIn(box.repo.resolve("data"), "", "ls").ok();
      assertThat(ls.out().lines()).containsExactly(
          ".hidden", "dataset1.txt", "dataset2.csv", "subdir/nested.txt", "../database.txt", "../file1.txt");
    }

    @Test
    void ls_verboseGlob_eachFileWithItsOwnHashAndSize() throws Exception {
      box.s3lfs("track", "data", "file1.txt").ok();
      Files.delete(box.repo.resolve("data/dataset2.csv"));
      var run = box.s3lfs("ls", "--verbose", "data/*").ok();
      assertThat(run.out().lines()).containsExactly(
          sha256("d1") + "\t2\tdata/dataset1.txt", sha256("d2") + "\tmissing\tdata/dataset2.csv");
    }

    private static String sha256(String text) throws Exception {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void status_porcelain_modifiedMissingUntracked() throws Exception {
      box.s3lfs("track", "data/dataset1.txt", "data/dataset2.csv").ok();
      box.write("data/dataset1.txt", "edited");
      Files.delete(box.repo.resolve("data/dataset2.csv"));
      box.write("data/new.bin", "new");
      box.write("data/.DS_Store", "junk");
      box.write("data/sub/nested.bin", "a directory is not an untracked file, and sub holds nothing tracked");
      box.write("root-level.txt", "the root holds the project's ordinary files");
      var run = box.s3lfs("status", "--porcelain").ok();
      assertThat(run.out().lines()).containsExactly("M data/dataset1.txt", "D data/dataset2.csv", "? data/new.bin");
    }

    @Test
    void status_fileRenamedInItsDirectory_missingAndUntracked() throws Exception {
      box.write("set/a.bin", "a");
      box.write("set/b.bin", "b");
      box.s3lfs("track", "set").ok();
      // As many entries as tracked files, yet one of them untracked: only the missing file says so.
      Files.move(box.repo.resolve("set/b.bin"), box.repo.resolve("set/c.bin"));
      var run = box.s3lfs("status", "--porcelain").ok();
      assertThat(run.out().lines()).containsExactly("D set/b.bin", "? set/c.bin");
    }

    @Test
    void status_everyTrackedFileThereAndOneMore_untracked() throws Exception {
      box.write("set/a.bin", "a");
      box.write("set/b.bin", "b");
      box.s3lfs("track", "set").ok();
      assertThat(box.s3lfs("status", "--porcelain").ok().out()).isEmpty();
      box.write("set/c.bin", "c");
      assertThat(box.s3lfs("status", "--porcelain").ok().out().lines()).containsExactly("? set/c.bin");
    }

    /** Tracks set/ (four new files) and more/ (one), settles everything, and runs status until the cache describes the manifest. */
    private void trackSetAndSettle() throws Exception {
      box.write("set/a.bin", "a");
      box.write("set/b.bin", "b");
      box.write("set/c.bin", "c");
      box.write("set/sub/d.bin", "d");
      box.write("more/f.bin", "f");
      box.s3lfs("track", "set", "more/f.bin").ok();
      settle(".s3_manifest.json", "set/a.bin", "set/b.bin", "set/c.bin", "set/sub/d.bin", "more/f.bin");
      if (Files.exists(box.repo.resolve("set/e.bin"))) {
        settle("set/e.bin");
      }
      settle("set", "set/sub", "more"); // directories too, so that status need not list them again
      box.s3lfs("status").ok(); // hashes the settled files again and saves the cache with the manifest's mark
      assertThat(box.s3lfs("status").ok().out()).contains("0 modified, 0 missing");
    }

    @Test
    void status_cacheDescribesTheManifest_answersWithoutReadingIt() throws Exception {
      trackSetAndSettle();
      box.write("set/a.bin", "edited");
      Files.delete(box.repo.resolve("set/b.bin"));
      Files.move(box.repo.resolve("set/sub/d.bin"), box.repo.resolve("set/sub/e.bin")); // as many entries as before
      box.write("set/new.bin", "new");
      box.write("more/extra.bin", "a directory with every tracked file there and one more");
      // Garbage of the same size and mtime: a status that parsed the manifest would fail.
      Path manifest = box.repo.resolve(".s3_manifest.json");
      String json = Files.readString(manifest);
      sneakyRewrite(manifest, "x".repeat(json.length()));
      var expected = List.of("M set/a.bin", "D set/b.bin", "D set/sub/d.bin", "? more/extra.bin", "? set/new.bin",
          "? set/sub/e.bin");
      assertThat(box.s3lfs("status", "--porcelain").ok().out().lines()).containsExactlyElementsOf(expected);
      // A modified file: the cache no longer describes the manifest, which the next status reads.
      sneakyRewrite(manifest, json);
      assertThat(box.s3lfs("status", "--porcelain").ok().out().lines()).containsExactlyElementsOf(expected);
      sneakyRewrite(manifest, "x".repeat(json.length()));
      assertThat(box.s3lfs("status").status()).as("read, so the garbage is seen").isNotZero();
    }

    @Test
    void status_fromTheCache_directoryHoldingAnUntrackedFileListedEveryTime() throws Exception {
      box.write("more/early.bin", "untracked before the cache describes the manifest");
      trackSetAndSettle(); // tracks more/f.bin only: more/ holds an untracked file throughout
      for (int i = 0; i < 2; i++) {
        assertThat(box.s3lfs("status", "--porcelain").ok().out().lines()).as("run " + i).containsExactly("? more/early.bin");
      }
    }

    @Test
    void status_directoryMtimeNotUpdatedByTheFileSystem_newFileFoundOnlyWithDirectoryMtimesOff() throws Exception {
      trackSetAndSettle();
      Path more = box.repo.resolve("more");
      var mtime = Files.getLastModifiedTime(more);
      box.write("more/late.bin", "added where the directory's mtime stays as it was (a stale NFS cache)");
      Files.setLastModifiedTime(more, mtime);
      assertThat(box.s3lfs("status", "--porcelain").ok().out()).as("the mtime trusted").isEmpty();
      System.setProperty("s3lfs.directoryMtimes", "false");
      try {
        assertThat(box.s3lfs("status", "--porcelain").ok().out().lines()).containsExactly("? more/late.bin");
      } finally {
        System.clearProperty("s3lfs.directoryMtimes");
      }
    }

    @Test
    void status_manifestReplacedAfterTheCacheDescribedIt_readsTheManifest() throws Exception {
      box.write("set/e.bin", "e");
      box.s3lfs("track", "set/e.bin").ok();
      String oneFile = Files.readString(box.repo.resolve(".s3_manifest.json"));
      trackSetAndSettle(); // six files now
      // As a git checkout of an older commit would, with the cache left as it was.
      Files.writeString(box.repo.resolve(".s3_manifest.json"), oneFile);
      assertThat(box.s3lfs("status").ok().out()).startsWith("1 tracked file(s): 1 up to date, 0 modified, 0 missing");
    }

    @Test
    void status_human_counts() {
      box.s3lfs("track", "*.txt").ok();
      assertThat(box.s3lfs("status").ok().out()).startsWith("2 tracked file(s): 2 up to date, 0 modified, 0 missing");
    }
  }
}
