package io.s3lfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A temporary git repository and a file:// store, with the s3lfs command run in-process. */
final class Sandbox {
  final Path repo;
  final Path store;

  Sandbox(Path temp) throws IOException {
    this.repo = Files.createDirectories(temp.resolve("repo"));
    this.store = Files.createDirectories(temp.resolve("store"));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "user.email", "test@example.com");
    git(repo, "config", "user.name", "Test");
    git(repo, "config", "commit.gpgsign", "false");
  }

  String storeUri() {
    return store.toUri().toString().replaceFirst("^file:/(?!/)", "file:///");
  }

  /** The outcome of one command. */
  record Run(int status, String out, String err) {
    Run ok() {
      assertThat(status).as("exit status; stderr: %s", err).isZero();
      return this;
    }
  }

  Run s3lfs(String... args) {
    return s3lfsIn(repo, "", args);
  }

  Run s3lfsIn(Path dir, String input, String... args) {
    return s3lfsEnv(dir, java.util.Map.of(), input, args);
  }

  Run s3lfsEnv(Path dir, java.util.Map<String, String> env, String input, String... args) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var context = new Context(dir.toAbsolutePath(), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        false, env);
    int status = Main.run(context, args);
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Path write(String key, byte[] bytes) throws IOException {
    Path p = repo.resolve(key);
    Files.createDirectories(p.getParent());
    return Files.write(p, bytes);
  }

  Path write(String key, String text) throws IOException {
    return write(key, text.getBytes(StandardCharsets.UTF_8));
  }

  List<String> storedKeys() throws IOException {
    List<String> keys = new ArrayList<>();
    try (var walk = Files.walk(store)) {
      walk.filter(Files::isRegularFile).forEach(p -> keys.add(store.relativize(p).toString()));
    }
    keys.sort(null);
    return keys;
  }

  /** @return the stored object of a tracked path, whatever its suffix */
  Path storedObject(String key) throws IOException {
    for (String k : storedKeys()) {
      if (k.endsWith("/" + key) || k.endsWith("/" + key + ".gz")) {
        return store.resolve(k);
      }
    }
    throw new AssertionError("no stored object for " + key + " in " + storedKeys());
  }

  static String git(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("git " + String.join(" ", args) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return output;
  }

  /** @return the SHA-256 of {@code text}'s UTF-8 bytes, in hex */
  static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every Java runtime has SHA-256
    }
  }
}
