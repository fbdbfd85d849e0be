package io.s3lfs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import io.s3lfs.core.Engine;
import io.s3lfs.core.RepoConfig;
import io.s3lfs.core.Repository;
import io.s3lfs.core.Result;
import io.s3lfs.core.TransferListener;
import io.s3lfs.s3.testing.FaultProxy;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands against a real S3 server (S3Proxy on loopback), in temporary git repositories. */
class S3CliIT {
  static S3ProxyServer server;

  @TempDir
  Path temp;
  Sandbox box;
  String bucket;
  FaultProxy proxy;

  @BeforeAll
  static void startServer() {
    // The SDK's default chains read these before the environment: the CLI finds credentials
    // and region exactly as it would from AWS_ACCESS_KEY_ID and friends.
    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
    System.setProperty("aws.region", "us-east-1");
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    box = new Sandbox(temp);
    bucket = server.createBucket("s3lfs-cli");
    proxy = FaultProxy.start(server.endpoint());
  }

  @AfterEach
  void tearDown() throws Exception {
    proxy.close();
  }

  void init() throws Exception {
    box.s3lfs("init", bucket, "proj", "--endpoint-url", proxy.endpoint().toString()).ok();
  }

  ObjectStore store() {
    return ObjectStoreProvider.forScheme("s3").open(URI.create("s3://" + bucket), server.options());
  }

  List<String> keys() {
    try (ObjectStore s = store()) {
      return s.list("proj/").stream().map(ObjectInfo::key).toList();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void trackCloneCheckout_againstS3_bytesEqualLayoutAsReference() throws Exception {
    byte[] random = new byte[1 << 20];
    new Random(3).nextBytes(random);
    byte[] text = "timestamp=2026 level=INFO message=ok\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);
    box.write("data/big.bin", random);
    box.write("data/table.csv", text);
    box.write("data/dup/table copy.csv", text);
    box.write("data/empty.bin", new byte[0]);
    Files.writeString(box.repo.resolve(".s3lfsconfig"), "chunk_size: 262144\n");
    init();
    assertThat(box.repo.resolve(".s3_manifest.json")).content().contains("\"endpoint_url\": \"" + proxy.endpoint());

    var track = box.s3lfs("track", "data").ok();
    assertThat(track.out()).contains("3 uploaded, 1 copied in store");
    String big = "proj/assets/" + sha256(random) + "/data/big.bin";
    String table = "proj/assets/" + sha256(text) + "/data/table.csv.gz";
    assertThat(keys()).contains(big + ".chunk0", big + ".chunk1", big + ".chunk4", table,
        "proj/assets/" + sha256(text) + "/data/dup/table copy.csv.gz",
        "proj/assets/" + sha256(new byte[0]) + "/data/empty.bin")
        .noneMatch(k -> k.startsWith(big + ".gz"));

    Sandbox.git(box.repo, "add", ".s3_manifest.json", ".s3lfsconfig");
    Sandbox.git(box.repo, "commit", "-q", "-m", "track");
    Path clone = temp.resolve("clone");
    Sandbox.git(temp, "clone", "-q", box.repo.toString(), clone.toString());
    box.s3lfsIn(clone, "", "checkout", "--all").ok();
    assertThat(Files.readAllBytes(clone.resolve("data/big.bin"))).isEqualTo(random);
    assertThat(Files.readAllBytes(clone.resolve("data/dup/table copy.csv"))).isEqualTo(text);
    assertThat(clone.resolve("data/empty.bin")).isEmptyFile();
  }

  @Test
  void track_cancelledDuringAMultipartUpload_abortsItAndRecordsNothing() throws Exception {
    // What Ctrl-C does to a big upload: the part in flight is answered, the multipart upload is
    // aborted (no parts left billed in the bucket), and the file is neither recorded nor failed.
    byte[] random = new byte[20 << 20]; // random: stored raw, in 8 MiB parts
    new Random(12).nextBytes(random);
    box.write("big.bin", random);
    init();
    proxy.clearRequests();
    Repository repo = Repository.open(box.repo);
    Result result;
    try (Engine engine = Engine.open(repo, Configuration.resolve(new Commands.StoreFlags(), java.util.Map.of(),
        RepoConfig.load(repo.root())))) {
      result = engine.track(List.of("big.bin"), new TransferListener() {
        @Override
        public void progress(Progress now) {
          if (now.bytesDone() > 0) { // the first bytes went out: the upload is under way
            engine.cancel();
          }
        }
      });
      assertThat(engine.isCancelled()).isTrue();
    }

    assertThat(result.failures()).as("a stopped file is not a failure").isEmpty();
    assertThat(result.count(TransferListener.Action.UPLOADED)).isZero();
    assertThat(proxy.requests()).filteredOn(r -> r.method().equals("POST") && r.hasQuery("uploads")).hasSize(1);
    assertThat(proxy.requests()).filteredOn(r -> r.method().equals("DELETE") && r.hasQuery("uploadId")).hasSize(1);
    assertThat(proxy.requests()).noneMatch(r -> r.method().equals("POST") && r.hasQuery("uploadId"));
    assertThat(keys()).isEmpty();
    assertThat(box.s3lfs("ls").ok().out()).doesNotContain("big.bin");

    box.s3lfs("track", "big.bin").ok(); // the next run stores it whole
    assertThat(keys()).containsExactly("proj/assets/" + sha256(random) + "/big.bin");
  }

  @Test
  void track_everyWrite_carriesSseAndDuplicateIsServerSideCopy() throws Exception {
    box.write("a.txt", "same bytes ".repeat(1000));
    box.write("b/a.txt", "same bytes ".repeat(1000));
    init();
    proxy.clearRequests();
    box.s3lfs("track", "a.txt", "b/a.txt").ok();
    var writes = proxy.requests().stream().filter(r -> r.method().equals("PUT")
        || r.method().equals("POST") && r.hasQuery("uploads")).toList();
    assertThat(writes).isNotEmpty().allSatisfy(r ->
        assertThat(r.header("x-amz-server-side-encryption")).as(r.target()).isEqualTo("AES256"));
    assertThat(writes.stream().filter(r -> r.header("x-amz-copy-source") != null)).hasSize(1);
    assertThat(writes.stream().filter(r -> r.header("x-amz-copy-source") == null)).hasSize(1);
  }

  @Test
  void track_encryptionFalse_noSseHeader() throws Exception {
    box.write("a.txt", "x");
    Files.writeString(box.repo.resolve(".s3lfsconfig"), "encryption: false\n");
    init();
    proxy.clearRequests();
    box.s3lfs("track", "a.txt").ok();
    assertThat(proxy.requests()).filteredOn(r -> r.method().equals("PUT")).isNotEmpty()
        .allSatisfy(r -> assertThat(r.header("x-amz-server-side-encryption")).isNull());
  }

  @Test
  void track_sseRefused_storageErrorNamingTheFix() throws Exception {
    box.write("a.txt", "x");
    init();
    proxy.policy(r -> r.header("x-amz-server-side-encryption") != null
        ? FaultProxy.Fault.NOT_IMPLEMENTED : FaultProxy.Fault.NONE);
    var run = box.s3lfs("track", "a.txt");
    assertThat(run.status()).isEqualTo(4);
    assertThat(run.err()).contains("encryption: false").contains(".s3lfsconfig");
    assertThat(run.err().lines()).hasSize(1);
    Files.writeString(box.repo.resolve(".s3lfsconfig"), "encryption: false\n");
    box.s3lfs("track", "a.txt").ok();
  }

  @Test
  void track_sseRefusedForManyFiles_reportedOnceAndStopsEarly() throws Exception {
    for (int i = 0; i < 60; i++) {
      box.write("many/" + i + ".txt", "file " + i);
    }
    init();
    proxy.policy(r -> r.header("x-amz-server-side-encryption") != null
        ? FaultProxy.Fault.NOT_IMPLEMENTED : FaultProxy.Fault.NONE);
    proxy.clearRequests();
    var run = box.s3lfs("track", "many");
    assertThat(run.status()).isEqualTo(4);
    assertThat(run.err().lines()).singleElement().asString()
        .contains("encryption: false").contains("stopped there");
    // At most the files already in flight when the first refusal came back were tried.
    assertThat(proxy.requests()).filteredOn(r -> r.method().equals("PUT")).hasSizeLessThan(30);
    assertThat(box.repo.resolve(".s3_manifest.json")).content().doesNotContain("many/");
  }

  @Test
  void trackAndCheckout_transientFaults_retriedToCorrectFiles() throws Exception {
    for (int i = 0; i < 6; i++) {
      byte[] bytes = new byte[50_000 + i];
      new Random(i).nextBytes(bytes);
      box.write("f/" + i + ".bin", bytes);
    }
    init();
    proxy.policy(FaultProxy.everyNth(3, FaultProxy.Fault.SLOW_DOWN, FaultProxy.Fault.INTERNAL_ERROR,
        FaultProxy.Fault.DROP));
    box.s3lfs("track", "f").ok();
    byte[] expected = Files.readAllBytes(box.repo.resolve("f/3.bin"));
    for (int i = 0; i < 6; i++) {
      Files.delete(box.repo.resolve("f/" + i + ".bin"));
    }
    box.s3lfs("checkout", "--all").ok();
    assertThat(Files.readAllBytes(box.repo.resolve("f/3.bin"))).isEqualTo(expected);
  }

  @Test
  void checkout_objectsWrittenByPythonTool_rawGzAndChunkedRead() throws Exception {
    byte[] raw = "HEAD-era raw object".getBytes(StandardCharsets.UTF_8);
    byte[] old = new byte[5000];
    new Random(9).nextBytes(old);
    byte[] chunked = "seed-era chunked gzip ".repeat(300).getBytes(StandardCharsets.UTF_8);
    byte[] gzOld = gzip(old);
    byte[] gzChunked = gzip(chunked);
    try (ObjectStore s = store()) {
      put(s, "proj/assets/" + sha256(raw) + "/raw.txt", raw);
      put(s, "proj/assets/" + sha256(old) + "/old.bin.gz", gzOld);
      int piece = 99;
      for (int i = 0, off = 0; off < gzChunked.length; i++, off += piece) {
        byte[] part = java.util.Arrays.copyOfRange(gzChunked, off, Math.min(gzChunked.length, off + piece));
        put(s, "proj/assets/" + sha256(chunked) + "/dir/seed.txt.gz.chunk" + i, part);
      }
    }
    // A manifest as the Python tool writes it (no endpoint key: given on the command line).
    Files.writeString(box.repo.resolve(".s3_manifest.json"), "{\n    \"bucket_name\": \"" + bucket + "\",\n"
        + "    \"files\": {\n        \"dir/seed.txt\": \"" + sha256(chunked) + "\",\n"
        + "        \"old.bin\": \"" + sha256(old) + "\",\n        \"raw.txt\": \"" + sha256(raw) + "\"\n"
        + "    },\n    \"repo_prefix\": \"proj\"\n}");
    box.s3lfs("checkout", "--all", "--endpoint-url", server.endpoint().toString()).ok();
    assertThat(Files.readAllBytes(box.repo.resolve("raw.txt"))).isEqualTo(raw);
    assertThat(Files.readAllBytes(box.repo.resolve("old.bin"))).isEqualTo(old);
    assertThat(Files.readAllBytes(box.repo.resolve("dir/seed.txt"))).isEqualTo(chunked);
  }

  @Test
  void track_compressionAlwaysAndNever_honoured() throws Exception {
    byte[] random = new byte[10_000];
    new Random(5).nextBytes(random);
    box.write("r.bin", random);
    box.write("t.txt", "aaaa".repeat(10_000));
    Files.writeString(box.repo.resolve(".s3lfsconfig"), "compression: always\n");
    init();
    box.s3lfs("track", "r.bin").ok();
    Files.writeString(box.repo.resolve(".s3lfsconfig"), "compression: never\n");
    box.s3lfs("track", "t.txt").ok();
    assertThat(keys()).anyMatch(k -> k.endsWith("/r.bin.gz")).anyMatch(k -> k.endsWith("/t.txt"));
  }

  @Test
  void checkout_noSignRequestOnPublicObjects_worksWriteFails() throws Exception {
    String pub = server.createPublicBucket("s3lfs-pub");
    box.write("p.bin", "public data");
    box.s3lfs("init", pub, "proj", "--endpoint-url", server.endpoint().toString()).ok();
    box.s3lfs("track", "p.bin").ok();
    try (ObjectStore s = ObjectStoreProvider.forScheme("s3").open(URI.create("s3://" + pub), server.options())) {
      s.list("proj/").forEach(o -> server.makePublic(pub, o.key()));
    }
    Files.delete(box.repo.resolve("p.bin"));
    box.s3lfs("checkout", "--all", "--no-sign-request").ok();
    assertThat(box.repo.resolve("p.bin")).hasContent("public data");
    box.write("q.bin", "new");
    var run = box.s3lfs("track", "q.bin", "--no-sign-request");
    assertThat(run.status()).isEqualTo(4);
    assertThat(run.err()).containsIgnoringCase("anonymous");
  }

  @Test
  void commands_storageErrors_exit4OneLine() throws Exception {
    box.write("a.txt", "x");
    box.s3lfs("init", "no-such-bucket-s3lfs", "proj", "--endpoint-url", server.endpoint().toString()).ok();
    var noBucket = box.s3lfs("track", "a.txt");
    assertThat(noBucket.status()).isEqualTo(4);
    assertThat(noBucket.err()).containsIgnoringCase("bucket").contains("no-such-bucket-s3lfs");

    int closedPort;
    try (var socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    box.s3lfs("init", bucket, "proj", "--endpoint-url", "http://127.0.0.1:" + closedPort).ok();
    var unreachable = box.s3lfsEnv(box.repo, java.util.Map.of(), "", "track", "a.txt");
    assertThat(unreachable.status()).isEqualTo(4);
    assertThat(unreachable.err()).contains("127.0.0.1:" + closedPort);
    assertThat(unreachable.err().lines()).hasSize(1);
  }

  @Test
  void cleanup_onS3_deletesOnlyUnreferencedIncludingChunks() throws Exception {
    byte[] big = new byte[700_000];
    new Random(11).nextBytes(big);
    box.write("keep.bin", big);
    box.write("drop.bin", java.util.Arrays.copyOf(big, 600_000));
    Files.writeString(box.repo.resolve(".s3lfsconfig"), "chunk_size: 262144\n");
    init();
    box.s3lfs("track", "keep.bin", "drop.bin").ok();
    box.s3lfs("remove", "drop.bin").ok();
    var run = box.s3lfsEnv(box.repo, java.util.Map.of(), "yes\n", "cleanup").ok();
    assertThat(run.out()).contains("Deleted 3 object(s)");
    assertThat(keys()).hasSize(3).allMatch(k -> k.contains("/keep.bin.chunk"));
    Files.delete(box.repo.resolve("keep.bin"));
    box.s3lfs("checkout", "--all").ok();
    assertThat(Files.readAllBytes(box.repo.resolve("keep.bin"))).isEqualTo(big);
  }

  static void put(ObjectStore s, String key, byte[] bytes) {
    s.put(key, new ByteArrayInputStream(bytes), bytes.length);
  }

  static byte[] gzip(byte[] bytes) throws Exception {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
