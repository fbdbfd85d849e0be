package io.s3lfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the jlink image's launcher as a separate process with no JDK on PATH. */
class LauncherIT {
  static final Path IMAGE = Path.of(System.getProperty("s3lfs.image", "target/s3lfs"));

  @TempDir
  Path temp;
  Path bin;

  record Proc(int status, String out, String err) {}

  @BeforeEach
  void pathWithoutJava() throws IOException {
    // Only the tools the launcher and git need: no java anywhere on PATH.
    bin = Files.createDirectories(temp.resolve("bin"));
    for (String tool : List.of("sh", "git", "dirname", "ls", "sed", "cat", "basename", "uname", "expr", "kill")) {
      Path real = Path.of("/usr/bin", tool);
      if (Files.exists(real)) {
        Files.createSymbolicLink(bin.resolve(tool), real);
      }
    }
  }

  Map<String, String> extraEnv = Map.of();
  /** The image whose launcher {@link #run} starts. */
  Path image = IMAGE;

  Process start(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(image.resolve("bin/s3lfs").toAbsolutePath().toString());
    cmd.addAll(List.of(args));
    var pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", bin.toString());
    env.put("HOME", temp.toString());
    env.putAll(extraEnv);
    return pb.start();
  }

  Proc run(Path dir, String... args) throws Exception {
    Process p = start(dir, args);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Proc(p.exitValue(), out, err);
  }

  @Test
  void version_noJdkOnPath_runs() throws Exception {
    Proc p = run(temp, "--version");
    assertThat(p.status()).as(p.err()).isZero();
    assertThat(p.out()).startsWith("s3lfs 0.1.0").contains("Java 25");
    // The launcher enables native access for io.s3lfs.core, so libcrypto loads where installed.
    boolean libcrypto = java.nio.file.Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
        || java.nio.file.Files.exists(Path.of("/usr/lib64/libcrypto.so.3"));
    assertThat(p.out()).contains(libcrypto ? "SHA-256 and MD5: OpenSSL 3" : "SHA-256 and MD5: the JDK");
  }

  @Test
  void version_installedUnderADirectoryWithASpace_runs() throws Exception {
    // The launcher puts paths (AOT cache, native libraries) into JVM options: each must stay one word.
    image = copyOfImage(temp.resolve("my tools/s3lfs"), null);

    Proc p = run(temp, "--version");

    assertThat(p.status()).as(p.err()).isZero();
    assertThat(p.out()).startsWith("s3lfs 0.1.0");
  }

  @Test
  void version_picocliClasses_comeFromTheAotCache() throws Exception {
    // picocli's jar is rewritten at build time (class file version 49 -> 52) because the AOT
    // cache refuses classes that old; were it not, each would be loaded from the jar.
    Path log = temp.resolve("classes.log");
    extraEnv = Map.of("S3LFS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);

    Proc p = run(temp, "--version");

    assertThat(p.status()).as(p.err()).isZero();
    List<String> picocli = Files.readAllLines(log).stream().filter(l -> l.contains(" picocli.")).toList();
    assertThat(picocli).isNotEmpty();
    assertThat(picocli).allMatch(l -> l.contains("shared objects file"), "loaded from the AOT cache");
  }

  @Test
  void youngGeneration_largerForStatusAndLsThanForTransfers() throws Exception {
    extraEnv = Map.of("S3LFS_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    for (String command : List.of("status", "ls", "track", "checkout")) {
      Proc p = run(temp, command, "--help");
      assertThat(p.status()).as(p.err()).isZero();
      long expected = (List.of("status", "ls").contains(command) ? 128L : 24L) << 20;
      assertThat(p.out()).as(command).containsPattern("MaxNewSize += " + expected + " ");
    }
  }

  @Test
  void collector_serialForEveryCommand() throws Exception {
    // Measured faster than G1 for a command's short life (launcher); the AOT cache is trained
    // with it too (version_picocliClasses_comeFromTheAotCache would fail were it refused).
    extraEnv = Map.of("S3LFS_JAVA_OPTS", "-XX:+PrintFlagsFinal");
    for (String command : List.of("status", "checkout")) {
      Proc p = run(temp, command, "--help");
      assertThat(p.status()).as(p.err()).isZero();
      assertThat(p.out()).as(command).containsPattern("UseSerialGC += true ").containsPattern("UseG1GC += false ");
    }
  }

  @Test
  void zstd_roundTrip_usesZstdJnisJniClassesNotItsFfmBinding() throws Exception {
    // The image's zstd-jni has no META-INF/versions/22 (s3lfs-cli/pom.xml): its FFM binding
    // spun ~300 method-handle classes per process, which the AOT cache does not hold.
    var box = new Sandbox(temp);
    assertThat(run(box.repo, "init", box.storeUri(), "p").status()).isZero();
    String content = "zstd through JNI\n".repeat(1000);
    Files.writeString(box.repo.resolve("z.txt"), content);
    extraEnv = Map.of("S3LFS_CODEC", "zstd");
    assertThat(run(box.repo, "track", "z.txt").status()).isZero();
    Files.delete(box.repo.resolve("z.txt"));
    Path log = temp.resolve("zstd-classes.log");
    extraEnv = Map.of("S3LFS_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);

    Proc p = run(box.repo, "checkout", "z.txt");

    assertThat(p.status()).as(p.err()).isZero();
    assertThat(box.repo.resolve("z.txt")).hasContent(content);
    List<String> zstd = Files.readAllLines(log).stream().filter(l -> l.contains(" com.github.luben.zstd.")).toList();
    assertThat(zstd).as("zstd decoded the file").anyMatch(l -> l.contains("ZstdInputStreamNoFinalizer"));
    assertThat(zstd).noneMatch(l -> l.contains("ZstdBinding"));
  }

  @Test
  void zstdObjects_withoutZstdJni_keptByCleanupAndNamedByCheckout() throws Exception {
    // zstd-jni is optional (a library user may leave it out). Stored objects are recognised by
    // the suffix of every codec that loaded, usable or not: when only usable codecs counted, a
    // machine without zstd-jni took a live .zst object for unreferenced garbage (cleanup --force
    // would delete it) and checkout said it was never uploaded.
    var box = new Sandbox(temp);
    assertThat(run(box.repo, "init", box.storeUri(), "p").status()).isZero();
    Files.writeString(box.repo.resolve("z.txt"), "zstd without zstd-jni\n".repeat(500));
    extraEnv = Map.of("S3LFS_CODEC", "zstd");
    assertThat(run(box.repo, "track", "z.txt").status()).isZero();
    extraEnv = Map.of();
    Files.delete(box.repo.resolve("z.txt"));
    image = copyOfImage(temp.resolve("image-without-zstd"), "zstd-jni-");

    Proc cleanup = run(box.repo, "cleanup");
    Proc checkout = run(box.repo, "checkout", "z.txt");

    assertThat(cleanup.status()).as(cleanup.err()).isZero();
    assertThat(cleanup.out()).contains("No unreferenced objects").doesNotContain(".zst");
    assertThat(checkout.status()).isNotZero();
    assertThat(checkout.err()).contains("z.txt").contains("zstd needs zstd-jni");
  }

  // A copy of the image at target (hard links where the file system allows), without the jars
  // in app/ whose names start with leaveOut (null: all of them).
  private static Path copyOfImage(Path target, String leaveOut) throws IOException {
    try (var files = Files.walk(IMAGE)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path rel = IMAGE.relativize(from);
        Path to = target.resolve(rel.toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else if (leaveOut == null || !(rel.startsWith("app") && rel.getFileName().toString().startsWith(leaveOut))) {
          try {
            Files.createLink(to, from);
          } catch (IOException | UnsupportedOperationException e) { // another file system
            Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
    return target;
  }

  @Test
  void help_everyCommand_hasExamples() throws Exception {
    for (String cmd : List.of("init", "track", "checkout", "ls", "status", "remove", "cleanup")) {
      Proc p = run(temp, cmd, "--help");
      assertThat(p.status()).as(cmd).isZero();
      assertThat(p.out()).as(cmd).contains("Usage: s3lfs " + cmd).contains("Examples:");
    }
  }

  @Test
  void concurrentProcesses_trackDifferentFiles_noEntryLost() throws Exception {
    var box = new Sandbox(temp);
    assertThat(run(box.repo, "init", box.storeUri(), "p").status()).isZero();
    int n = 6;
    for (int i = 0; i < n; i++) {
      box.write("d/f" + i + ".bin", "content " + i);
    }
    List<Process> procs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      procs.add(start(box.repo, "track", "d/f" + i + ".bin"));
    }
    for (Process p : procs) {
      p.getOutputStream().close();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(err).isZero();
    }
    Proc ls = run(box.repo, "ls");
    assertThat(ls.out().lines()).hasSize(n);
  }

  @Test
  void awsCaBundle_endpointWithAPrivateCa_trustedAndAnotherCaRefusedInSeconds() throws Exception {
    // A server certificate no system CA vouches for, as behind a TLS-inspecting proxy or with a
    // private MinIO: AWS_CA_BUNDLE, as the AWS CLI reads it, names the PEM to trust instead.
    var served = io.s3lfs.s3.testing.TestCertificate.create(temp, "server", "ip:127.0.0.1", null, 2);
    var unrelated = io.s3lfs.s3.testing.TestCertificate.create(temp, "unrelated", "dns:unrelated.example.test", null, 2);
    Path pem = served.pem();
    try (var server = io.s3lfs.s3.testing.S3ProxyServer.startTls(served.keyStore(),
        io.s3lfs.s3.testing.TestCertificate.PASSWORD)) {
      String bucket = server.createBucket("tls");
      extraEnv = Map.of("AWS_ACCESS_KEY_ID", io.s3lfs.s3.testing.S3ProxyServer.IDENTITY,
          "AWS_SECRET_ACCESS_KEY", io.s3lfs.s3.testing.S3ProxyServer.CREDENTIAL, "AWS_REGION", "us-east-1",
          "AWS_CA_BUNDLE", pem.toString());
      var box = new Sandbox(temp);
      byte[] bytes = new byte[200_000];
      new java.util.Random(3).nextBytes(bytes);
      box.write("d/a.bin", bytes);
      assertThat(server.endpoint().getScheme()).isEqualTo("https");
      assertThat(run(box.repo, "init", bucket, "p", "--endpoint-url", server.endpoint().toString()).status()).isZero();
      Proc track = run(box.repo, "track", "d");
      assertThat(track.status()).as(track.err()).isZero();
      Files.delete(box.repo.resolve("d/a.bin"));
      Proc co = run(box.repo, "checkout", "--all");
      assertThat(co.status()).as(co.err()).isZero();
      assertThat(Files.readAllBytes(box.repo.resolve("d/a.bin"))).isEqualTo(bytes);

      // Trusting another CA: the AWS CRT alone took 112-134 s to say so (12-01); the JDK's
      // handshake (TlsProbe) names the reason after the first request's two seconds.
      extraEnv = new java.util.HashMap<>(extraEnv);
      extraEnv.put("AWS_CA_BUNDLE", unrelated.pem().toString());
      Files.delete(box.repo.resolve("d/a.bin"));
      Proc refused = run(box.repo, "checkout", "--all");
      assertThat(refused.status()).as(refused.err()).isEqualTo(4);
      assertThat(refused.err()).contains("cannot talk TLS with " + server.endpoint()
          + ": the certificate of 127.0.0.1 is not signed by a trusted CA (checked against " + unrelated.pem());
      assertThat(box.repo.resolve("d/a.bin")).doesNotExist();

      extraEnv.put("AWS_CA_BUNDLE", temp.resolve("no-such.pem").toString());
      Proc missing = run(box.repo, "checkout", "--all");
      assertThat(missing.status()).isNotZero();
      assertThat(missing.err()).contains("AWS_CA_BUNDLE names " + temp.resolve("no-such.pem"));
    }
  }

  @Test
  void s3NoCredentials_trackAndCheckout_oneLineErrorWithoutStackTraces() throws Exception {
    // The commonest first-run mistake. The CRT's JNI layer prints any exception a Java callback
    // throws (here, the credentials chain's) with its stack trace; the user must see one line.
    try (var server = io.s3lfs.s3.testing.S3ProxyServer.start()) {
      String bucket = server.createBucket("nocreds");
      extraEnv = Map.of("AWS_REGION", "us-east-1", "AWS_EC2_METADATA_DISABLED", "true");
      var box = new Sandbox(temp);
      box.write("a.txt", "some text");
      assertThat(run(box.repo, "init", bucket, "p", "--endpoint-url", server.endpoint().toString()).status()).isZero();
      for (String[] command : List.of(new String[] {"track", "a.txt"}, new String[] {"checkout", "--all"})) {
        if (command[0].equals("checkout")) { // something to download: a manifest entry with no object
          Files.writeString(box.repo.resolve(".s3_manifest.json"), Files.readString(box.repo.resolve(
              ".s3_manifest.json")).replace("\"files\": {}", "\"files\": {\"b.txt\": \"" + "0".repeat(64) + "\"}"));
        }
        Proc p = run(box.repo, command);
        assertThat(p.status()).as(p.err()).isEqualTo(4);
        assertThat(p.err()).contains("no AWS credentials found for s3://" + bucket).doesNotContain("Exception", "\tat ");
        assertThat(p.err().lines()).as(p.err()).hasSize(1);
      }
    }
  }

  @Test
  void s3RoundTrip_onTheModulePath_works() throws Exception {
    // The image resolves JDK modules differently from the test class path (automatic modules
    // read only what is resolved): this is the test that catches a module the SDK needs.
    try (var server = io.s3lfs.s3.testing.S3ProxyServer.start()) {
      String bucket = server.createBucket("launcher");
      // Credentials from a named profile, as most users have them; plus an SSO profile to
      // prove the SSO modules are on the image's module path.
      Path credentials = Files.writeString(temp.resolve("credentials"), "[ci]\naws_access_key_id = "
          + io.s3lfs.s3.testing.S3ProxyServer.IDENTITY + "\naws_secret_access_key = "
          + io.s3lfs.s3.testing.S3ProxyServer.CREDENTIAL + "\n");
      Path config = Files.writeString(temp.resolve("config"), "[profile ci]\nregion = us-east-1\n"
          + "[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
          + "sso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n");
      // A temp directory nobody can write to, not even root: the CRT, were it to extract its
      // native library there rather than load the copy the image unpacked at build time
      // (lib/native/, on java.library.path), would fail to load and the store would say so on
      // stderr, which must stay empty.
      extraEnv = Map.of("AWS_PROFILE", "ci", "AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
          "AWS_CONFIG_FILE", config.toString(), "S3LFS_JAVA_OPTS", "-Djava.io.tmpdir=/proc");
      var box = new Sandbox(temp);
      byte[] bytes = new byte[3_000_000];
      new java.util.Random(2).nextBytes(bytes);
      box.write("d/big.bin", bytes);
      box.write("d/t.txt", "text ".repeat(10_000));
      assertThat(run(box.repo, "init", bucket, "p", "--endpoint-url", server.endpoint().toString()).status()).isZero();
      Proc track = run(box.repo, "track", "d");
      assertThat(track.status()).as(track.err()).isZero();
      assertThat(track.err()).as("nothing on stderr: no SLF4J or native-access noise").isEmpty();
      Files.delete(box.repo.resolve("d/big.bin"));
      Proc co = run(box.repo, "checkout", "--all");
      assertThat(co.status()).as(co.err()).isZero();
      assertThat(co.err()).isEmpty();
      assertThat(Files.readAllBytes(box.repo.resolve("d/big.bin"))).isEqualTo(bytes);

      // SLF4J is told its provider by the launcher, not left to look for one in every jar of
      // app/; its note saying so, kept quiet above, shows at its INFO verbosity.
      Files.delete(box.repo.resolve("d/t.txt"));
      extraEnv = Map.of("AWS_PROFILE", "ci", "AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
          "AWS_CONFIG_FILE", config.toString(), "S3LFS_JAVA_OPTS", "-Dslf4j.internal.verbosity=INFO");
      Proc named = run(box.repo, "checkout", "--all");
      assertThat(named.status()).as(named.err()).isZero();
      assertThat(named.err()).contains("\"org.slf4j.nop.NOPServiceProvider\" specified via \"slf4j.provider\"");

      extraEnv = Map.of("AWS_PROFILE", "sso", "AWS_CONFIG_FILE", config.toString(),
          "AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
      box.write("d/new.bin", "new");
      Proc sso = run(box.repo, "track", "d/new.bin");
      assertThat(sso.status()).isEqualTo(4);
      assertThat(sso.err()).doesNotContainIgnoringCase("class path").doesNotContain("module");
    }
  }

  @Test
  void track_interrupted_recordsExactlyCompletedFilesAndCleansUp() throws Exception {
    var box = new Sandbox(temp);
    assertThat(run(box.repo, "init", box.storeUri(), "p").status()).isZero();
    int n = 3000;
    for (int i = 0; i < n; i++) {
      box.write("d/" + (i % 20) + "/f" + i + ".txt", "file " + i + " ".repeat(i % 50));
    }
    Process p = start(box.repo, "track", "d", "--workers", "1");
    p.getOutputStream().close();
    Path manifest = box.repo.resolve(".s3_manifest.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // Wait until uploads are under way (objects appear in the store), then press Ctrl-C.
    while (box.storedKeys().size() < 50 && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(50);
    }
    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(130);
    assertThat(err).contains("interrupted");

    List<String> tracked = run(box.repo, "ls").out().lines().toList();
    assertThat(tracked.size()).isBetween(1, n - 1);
    List<String> stored = box.storedKeys();
    for (String key : tracked) {
      assertThat(stored).as(key).anyMatch(k -> k.endsWith("/" + key) || k.endsWith("/" + key + ".gz"));
    }
    try (var leftovers = Files.walk(box.repo)) {
      assertThat(leftovers.map(Path::toString)).noneMatch(f -> f.endsWith(".part") || f.endsWith(".tmp"));
    }
    try (var temps = Files.list(box.repo.resolve(".s3lfs_temp"))) {
      assertThat(temps.map(f -> f.getFileName().toString())).allMatch(f -> f.equals(".s3lfs.lock") || f.equals("hash-cache"));
    }
    assertThat(manifest).exists();
    Proc rest = run(box.repo, "track", "d");
    assertThat(rest.status()).as(rest.err()).isZero();
    assertThat(run(box.repo, "ls").out().lines()).hasSize(n);
  }

  @Test
  void checkoutFromS3_interrupted_stopsInFlightAndLeavesNoTempFiles() throws Exception {
    // Ctrl-C starts the JVM's shutdown hooks at once, the AWS CRT's among them. Before the CRT's
    // link to the JVM was held until the store closed, that hook cut the callbacks that feed
    // downloads in flight: the command hung for the CLI's full 60 s wind-down and left its
    // .part files behind.
    try (var server = io.s3lfs.s3.testing.S3ProxyServer.start()) {
      String bucket = server.createBucket("interrupt");
      extraEnv = Map.of("AWS_ACCESS_KEY_ID", io.s3lfs.s3.testing.S3ProxyServer.IDENTITY,
          "AWS_SECRET_ACCESS_KEY", io.s3lfs.s3.testing.S3ProxyServer.CREDENTIAL, "AWS_REGION", "us-east-1");
      var box = new Sandbox(temp);
      var random = new java.util.Random(7);
      List<byte[]> contents = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        byte[] bytes = new byte[24 << 20];
        random.nextBytes(bytes);
        contents.add(bytes);
        box.write("d/f" + i + ".bin", bytes);
      }
      assertThat(run(box.repo, "init", bucket, "p", "--endpoint-url", server.endpoint().toString()).status()).isZero();
      Proc track = run(box.repo, "track", "d");
      assertThat(track.status()).as(track.err()).isZero();
      for (int i = 0; i < 6; i++) {
        Files.delete(box.repo.resolve("d/f" + i + ".bin"));
      }

      Process p = start(box.repo, "checkout", "--all", "--workers", "1");
      p.getOutputStream().close();
      Path dir = box.repo.resolve("d");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean downloading = false;
      while (!downloading && p.isAlive() && System.nanoTime() < deadline) {
        try (var files = Files.list(dir)) {
          downloading = files.anyMatch(f -> f.getFileName().toString().endsWith(".part"));
        } catch (java.nio.file.NoSuchFileException e) {
          // not created yet
        }
        Thread.sleep(2);
      }
      assertThat(downloading).as("a download was seen in flight").isTrue();
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

      assertThat(p.exitValue()).as(err).isEqualTo(130);
      assertThat(err).contains("interrupted").doesNotContain("Exception");
      try (var files = Files.list(dir)) {
        assertThat(files.map(f -> f.getFileName().toString())).as("temp files left")
            .noneMatch(f -> f.endsWith(".part"));
      }
      for (int i = 0; i < 6; i++) {
        Path f = dir.resolve("f" + i + ".bin");
        if (Files.exists(f)) { // finished before the interrupt: whole
          assertThat(Files.readAllBytes(f)).as(f.toString()).isEqualTo(contents.get(i));
        }
      }
    }
  }

  @Test
  void trackToS3_interruptedDuringAMultipartUpload_abortsItAndRecordsOnlyCompletedFiles() throws Exception {
    // Before Ctrl-C stopped transfers in flight, a multipart upload ran to its end (or, past the
    // CLI's 60 s wind-down, was cut off by the JVM's halt and left open in the bucket). The
    // 256 MiB file takes long enough on loopback that the signal lands while parts are going.
    try (var server = io.s3lfs.s3.testing.S3ProxyServer.start();
        var proxy = io.s3lfs.s3.testing.FaultProxy.start(server.endpoint())) {
      String bucket = server.createBucket("interrupt-up");
      extraEnv = Map.of("AWS_ACCESS_KEY_ID", io.s3lfs.s3.testing.S3ProxyServer.IDENTITY,
          "AWS_SECRET_ACCESS_KEY", io.s3lfs.s3.testing.S3ProxyServer.CREDENTIAL, "AWS_REGION", "us-east-1");
      var box = new Sandbox(temp);
      box.write("a.txt", "small, stored first");
      byte[] big = new byte[256 << 20]; // random: stored raw, 32 parts of 8 MiB
      new java.util.Random(13).nextBytes(big);
      box.write("z/big.bin", big);
      assertThat(run(box.repo, "init", bucket, "p", "--endpoint-url", proxy.endpoint().toString()).status()).isZero();

      Process p = start(box.repo, "track", "a.txt", "z/big.bin", "--workers", "1");
      p.getOutputStream().close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (p.isAlive() && System.nanoTime() < deadline
          && proxy.requests().stream().noneMatch(r -> r.hasQuery("partNumber"))) {
        Thread.sleep(2);
      }
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(p.exitValue()).as(err).isEqualTo(130);
      var requests = proxy.requests();
      assertThat(requests).as("the upload was aborted")
          .anyMatch(r -> r.method().equals("DELETE") && r.hasQuery("uploadId"))
          .noneMatch(r -> r.method().equals("POST") && r.hasQuery("uploadId"))
          .noneMatch(r -> r.method().equals("PUT") && r.target().contains("big.bin") && !r.hasQuery("uploadId"));
      // Files go in content-hash order: a.txt may come before or after the big one.
      assertThat(run(box.repo, "ls").out().lines()).isSubsetOf("a.txt");
      Proc rest = run(box.repo, "track", "a.txt", "z/big.bin");
      assertThat(rest.status()).as(rest.err()).isZero();
      assertThat(run(box.repo, "ls").out().lines()).containsExactly("a.txt", "z/big.bin");
    }
  }

  @Test
  void roundTrip_throughGitClone_bytesEqual() throws Exception {
    var box = new Sandbox(temp);
    byte[] bytes = new byte[2_000_000];
    new java.util.Random(1).nextBytes(bytes);
    box.write("models/w.bin", bytes);
    box.write("models/notes \u00e9.txt", "x".repeat(100_000));
    assertThat(run(box.repo, "init", box.storeUri(), "p").status()).isZero();
    Proc track = run(box.repo, "track", "models");
    assertThat(track.status()).as(track.err()).isZero();
    assertThat(track.err()).as("no progress drawn in a pipe").isEmpty();
    Sandbox.git(box.repo, "add", ".s3_manifest.json");
    Sandbox.git(box.repo, "commit", "-q", "-m", "m");
    Path clone = temp.resolve("clone");
    Sandbox.git(temp, "clone", "-q", box.repo.toString(), clone.toString());
    Proc co = run(clone, "checkout", "--all");
    assertThat(co.status()).as(co.err()).isZero();
    assertThat(Files.readAllBytes(clone.resolve("models/w.bin"))).isEqualTo(bytes);
    assertThat(clone.resolve("models/notes \u00e9.txt")).hasContent("x".repeat(100_000));
  }
}
