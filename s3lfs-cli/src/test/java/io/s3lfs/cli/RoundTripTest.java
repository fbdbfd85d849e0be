package io.s3lfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
  @TempDir
  Path temp;

  @Test
  void trackCommitCloneCheckout_tree_bytesEqual() throws Exception {
    var box = new Sandbox(temp);
    byte[] random = new byte[300_000];
    new Random(7).nextBytes(random);
    Map<String, byte[]> files = new TreeMap<>();
    files.put("data/empty.bin", new byte[0]);
    files.put("data/one.bin", new byte[] {42});
    files.put("data/nested/deeper/random.bin", random);
    files.put("data/with space/na\u00efve \u00fcber \u65e5\u672c.txt", "non-ASCII name\n".getBytes(StandardCharsets.UTF_8));
    files.put("data/copy-a.txt", "same content\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
    files.put("data/nested/copy-b.txt", "same content\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
    for (var e : files.entrySet()) {
      box.write(e.getKey(), e.getValue());
    }

    box.s3lfs("init", box.storeUri(), "proj").ok();
    var track = box.s3lfs("track", "data").ok();
    assertThat(track.out()).contains("Tracked 6 file(s): 5 uploaded, 1 copied in store");
    Files.writeString(box.repo.resolve(".gitignore"), "data/\n", java.nio.file.StandardOpenOption.APPEND);
    Sandbox.git(box.repo, "add", ".s3_manifest.json", ".gitignore");
    Sandbox.git(box.repo, "commit", "-q", "-m", "track data");

    Path clone = temp.resolve("clone");
    Sandbox.git(temp, "clone", "-q", box.repo.toString(), clone.toString());
    assertThat(clone.resolve("data")).doesNotExist();
    var checkout = box.s3lfsIn(clone, "", "checkout", "--all").ok();
    assertThat(checkout.out()).contains("6 downloaded");
    for (var e : files.entrySet()) {
      assertThat(Files.readAllBytes(clone.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
    }
    var again = box.s3lfsIn(clone, "", "checkout", "--all").ok();
    assertThat(again.out()).contains("0 downloaded, 6 already up to date");
  }

  @Test
  void track_identicalContent_storedPerPathUploadedOnce() throws Exception {
    var box = new Sandbox(temp);
    box.write("a.bin", "twin");
    box.write("sub/b.bin", "twin");
    box.s3lfs("init", box.storeUri(), "p").ok();
    var run = box.s3lfs("track", "a.bin", "sub/b.bin", "--verbose").ok();
    assertThat(run.err()).contains("uploaded: a.bin").contains("copied: sub/b.bin");
    assertThat(box.storedKeys()).hasSize(2).allMatch(k -> k.startsWith("p/assets/"))
        .anyMatch(k -> k.endsWith("/a.bin")).anyMatch(k -> k.endsWith("/sub/b.bin"));
  }

  @Test
  void track_unchangedFile_notUploadedAgain() throws Exception {
    var box = new Sandbox(temp);
    box.write("a.bin", "x");
    box.s3lfs("init", box.storeUri(), "p").ok();
    box.s3lfs("track", "a.bin").ok();
    var second = box.s3lfs("track", "a.bin").ok();
    assertThat(second.out()).contains("0 uploaded").contains("1 unchanged");
  }

  @Test
  void trackModified_changedFile_reuploadedAndRecorded() throws Exception {
    var box = new Sandbox(temp);
    box.write("a.bin", "one");
    box.write("b.bin", "two");
    box.s3lfs("init", box.storeUri(), "p").ok();
    box.s3lfs("track", "a.bin", "b.bin").ok();
    String before = Files.readString(box.repo.resolve(".s3_manifest.json"));
    box.write("a.bin", "changed");
    var run = box.s3lfs("track", "--modified").ok();
    assertThat(run.out()).contains("1 uploaded").contains("1 unchanged");
    String after = Files.readString(box.repo.resolve(".s3_manifest.json"));
    String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest("changed".getBytes(StandardCharsets.UTF_8)));
    assertThat(after).isNotEqualTo(before).contains("\"a.bin\": \"" + sha + "\"");
    Files.delete(box.repo.resolve("a.bin"));
    box.s3lfs("checkout", "a.bin").ok();
    assertThat(box.repo.resolve("a.bin")).hasContent("changed");
  }

  @Test
  void trackModified_missingFile_leftAloneEntryKept() throws Exception {
    var box = new Sandbox(temp);
    box.write("a.bin", "one");
    box.write("b.bin", "two");
    box.s3lfs("init", box.storeUri(), "p").ok();
    box.s3lfs("track", "a.bin", "b.bin").ok();
    Files.delete(box.repo.resolve("b.bin"));
    var run = box.s3lfs("track", "--modified").ok();
    assertThat(run.out()).contains("Tracked 1 file(s)").contains("1 unchanged");
    assertThat(box.s3lfs("ls").ok().out().lines()).containsExactly("a.bin", "b.bin");
  }

  @Test
  void init_md5_hashesWithMd5() throws Exception {
    var box = new Sandbox(temp);
    box.write("t.txt", "This is a test file.");
    box.s3lfs("init", box.storeUri(), "p", "--hash", "md5").ok();
    box.s3lfs("track", "t.txt").ok();
    assertThat(box.repo.resolve(".s3_manifest.json")).content()
        .contains("\"t.txt\": \"3de8f8b0dc94b8c2230fab9ec0ba0506\"").contains("\"hash_algorithm\": \"md5\"");
    Files.delete(box.repo.resolve("t.txt"));
    box.s3lfs("checkout", "--all").ok();
    assertThat(box.repo.resolve("t.txt")).hasContent("This is a test file.");
  }

  @Test
  void init_manifest_matchesReferenceFormat() throws Exception {
    var box = new Sandbox(temp);
    box.s3lfs("init", "mock-bucket", "test_prefix").ok();
    assertThat(Files.readString(box.repo.resolve(".s3_manifest.json")))
        .isEqualTo("{\n    \"bucket_name\": \"mock-bucket\",\n    \"files\": {},\n    \"repo_prefix\": \"test_prefix\"\n}");
    assertThat(box.repo.resolve(".gitignore")).content().contains(".s3lfs_temp/");
  }
}
