package io.s3lfs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine kept open across commands, as an embedder may keep one. */
class EngineTest {
  @TempDir
  Path dir;
  Repository repo;
  Path a;

  @BeforeEach
  void trackOneFile() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(work.resolve(".git"));
    repo = Repository.at(work);
    repo.init(Files.createDirectories(dir.resolve("store")).toUri().toString(), "p", "sha256");
    a = Files.createDirectories(work.resolve("data")).resolve("a.bin");
    Files.writeString(a, "aaaa");
    try (Engine engine = Engine.open(repo, Settings.DEFAULTS)) {
      engine.track(List.of("data"), TransferListener.NONE);
    }
    settle(a, repo.manifestPath(), a.getParent());
    try (Engine engine = Engine.open(repo, Settings.DEFAULTS)) {
      engine.status(null); // hashes the settled file again: the cache now trusts it and describes the manifest
    }
  }

  // Dated back past the hash cache's racy window, each time to another instant.
  static void settle(Path... files) throws Exception {
    var past = FileTime.from(Instant.now().minusSeconds(30).minusNanos(System.nanoTime() % 1_000_000));
    for (Path f : files) {
      Files.setLastModifiedTime(f, past);
    }
  }

  @Test
  void status_fileEditedBetweenTwoCallsOnOneEngine_secondSeesTheEdit() throws Exception {
    try (Engine engine = Engine.open(repo, Settings.DEFAULTS)) {
      assertThat(engine.status(null).upToDate()).containsExactly("data/a.bin");
      Files.writeString(a, "edited, and longer");
      settle(a);
      assertThat(engine.status(null).modified()).containsExactly("data/a.bin");
    }
  }

  @Test
  void checkoutAll_fileEditedAfterAStatusOnOneEngine_restored() throws Exception {
    try (Engine engine = Engine.open(repo, Settings.DEFAULTS)) {
      engine.status(null);
      Files.writeString(a, "edited, and longer");
      settle(a);
      Result r = engine.checkout(List.of(), TransferListener.NONE);
      assertThat(r.failures()).isEmpty();
      assertThat(a).hasContent("aaaa");
    }
  }
}
