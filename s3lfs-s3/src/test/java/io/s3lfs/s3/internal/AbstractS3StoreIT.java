package io.s3lfs.s3.internal;

import static io.s3lfs.s3.internal.S3StoreITSupport.randomBytes;
import static io.s3lfs.s3.internal.S3StoreITSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.s3.internal.S3Settings.ClientKind;
import io.s3lfs.s3.testing.FaultProxy;
import io.s3lfs.s3.testing.FaultProxy.Fault;
import io.s3lfs.s3.testing.S3ProxyExtension;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The store's behaviour against S3Proxy, run once per SDK client by the subclasses. */
@ExtendWith(S3ProxyExtension.class)
abstract class AbstractS3StoreIT {
  private static final int MIB = 1024 * 1024;

  private final S3ProxyServer server;
  private FaultProxy proxy;
  private S3Store store;

  AbstractS3StoreIT(S3ProxyServer server) {
    this.server = server;
  }

  abstract ClientKind client();

  @BeforeEach
  void openStore() throws IOException {
    proxy = FaultProxy.start(server.endpoint());
    store = S3StoreITSupport.open(server, proxy, server.createBucket("store"), client());
  }

  @AfterEach
  void closeStore() throws IOException {
    store.close();
    proxy.close();
  }

  @Test
  void open_clientRequested_usesThatClient() {
    assertThat(store.clientKind()).isEqualTo(client());
    assertThat(store.directRequests()).as("whole-object GETs beneath the SDK on the CRT client only")
        .isEqualTo(client() == ClientKind.CRT);
  }

  @Test
  void put_smallFile_getReturnsSameBytes(@TempDir Path dir) throws IOException {
    byte[] data = randomBytes(100_000, 1);
    Path file = Files.write(dir.resolve("small.bin"), data);

    store.put("a/small.bin", file);

    assertThat(readAll(store.get("a/small.bin"))).isEqualTo(data);
    assertThat(store.head("a/small.bin")).contains(new ObjectInfo("a/small.bin", data.length));
  }

  @Test
  void put_file20MiBWith5MiBParts_uploadsFourPartsAndRoundTrips(@TempDir Path dir) throws IOException {
    byte[] data = randomBytes(20 * MIB, 2);
    Path file = Files.write(dir.resolve("big.bin"), data);

    store.put("big.bin", file);

    assertThat(proxy.requests()).filteredOn(r -> r.hasQuery("partNumber")).hasSize(4);
    assertThat(readAll(store.get("big.bin"))).isEqualTo(data);
  }

  @Test
  void get_objectOfThreeDownloadParts_fetchedInEightMibPartsWhateverTheUploadPartSize() {
    // This store uploads in 5 MiB parts (S3StoreITSupport). GETs keep to 8 MiB parts, and
    // windows of one such part, whatever s3.partSize says: the heap holds a part or two per GET.
    byte[] data = randomBytes(20 * MIB, 9);
    store.put("three-parts.bin", new ByteArrayInputStream(data), data.length);

    assertThat(readAll(store.get("three-parts.bin"))).isEqualTo(data);

    List<String> ranges = getsOf("three-parts.bin");
    if (client() == ClientKind.CRT) { // the CRT splits a GET into parts; the standard client does not
      assertThat(ranges).containsExactly("bytes=0-8388607", "bytes=16777216-20971519", "bytes=8388608-16777215");
    } else {
      assertThat(ranges).containsExactly("null");
    }
  }

  @Test
  void get_objectOfOnePart_oneRequest() {
    byte[] data = randomBytes(300_000, 10);
    store.put("one-part.bin", new ByteArrayInputStream(data), data.length);

    assertThat(readAll(store.get("one-part.bin"))).isEqualTo(data);

    assertThat(getsOf("one-part.bin")).containsExactly(client() == ClientKind.CRT ? "bytes=0-8388607" : "null");
  }

  @Test
  void get_whileOtherGetsAreOpen_restOfTheObjectInOneRequest() throws IOException {
    // Three GETs held open, so this one is the fourth in flight (CrtRequests.WHOLE_FROM): the
    // connections are busy anyway, and the rest after the first part comes in one request.
    byte[] data = randomBytes(20 * MIB, 11);
    store.put("busy.bin", new ByteArrayInputStream(data), data.length);
    byte[] small = randomBytes(1000, 12);
    store.put("small.bin", new ByteArrayInputStream(small), small.length);
    List<InputStream> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(store.get("small.bin"));
      }

      assertThat(readAll(store.get("busy.bin"))).isEqualTo(data);
    } finally {
      for (InputStream in : open) {
        in.close();
      }
    }

    if (client() == ClientKind.CRT) {
      assertThat(getsOf("busy.bin")).containsExactly("bytes=0-8388607", "bytes=8388608-20971519");
    } else {
      assertThat(getsOf("busy.bin")).containsExactly("null");
    }
  }

  @Test
  void get_aRangeAnsweredWithAnErrorOnce_askedAgainAndTheObjectComesWhole() {
    // A lone GET's rest comes in ranged requests (RangedGet), each asked again when its answer
    // is an error that may pass; the reader sees none of it.
    byte[] data = randomBytes(20 * MIB, 13);
    store.put("flaky.bin", new ByteArrayInputStream(data), data.length);
    var failed = new java.util.concurrent.atomic.AtomicBoolean();
    proxy.policy(r -> "bytes=8388608-16777215".equals(r.header("range")) && failed.compareAndSet(false, true)
        ? Fault.INTERNAL_ERROR : Fault.NONE);

    assertThat(readAll(store.get("flaky.bin"))).isEqualTo(data);

    if (client() == ClientKind.CRT) {
      assertThat(failed).isTrue();
      assertThat(getsOf("flaky.bin")).containsExactly(
          "bytes=0-8388607", "bytes=16777216-20971519", "bytes=8388608-16777215", "bytes=8388608-16777215");
    } else {
      assertThat(getsOf("flaky.bin")).containsExactly("null");
    }
  }

  private List<String> getsOf(String key) {
    return proxy.requests().stream()
        .filter(r -> r.method().equals("GET") && r.target().contains(key))
        .map(r -> String.valueOf(r.header("range"))).sorted().toList();
  }

  @Test
  void put_streamKnownLengthAboveThreshold_uploadsPartsAndRoundTrips() {
    byte[] data = randomBytes(11 * MIB + 7, 3);

    store.put("stream.bin", new ByteArrayInputStream(data), data.length);

    assertThat(proxy.requests()).filteredOn(r -> r.hasQuery("partNumber")).hasSize(3);
    assertThat(readAll(store.get("stream.bin"))).isEqualTo(data);
  }

  @Test
  void put_streamUnknownLength_storesEveryByte() {
    byte[] small = randomBytes(1000, 4);
    byte[] big = randomBytes(17 * MIB + 3, 5);

    store.put("unknown-small", new ByteArrayInputStream(small), -1);
    store.put("unknown-big", new ByteArrayInputStream(big), -1);

    assertThat(readAll(store.get("unknown-small"))).isEqualTo(small);
    assertThat(readAll(store.get("unknown-big"))).isEqualTo(big);
  }

  @Test
  void put_streamUnknownLength_sendsTheHeadAsPartOneThenMinimumParts() {
    byte[] big = randomBytes(17 * MIB + 3, 5);

    store.put("unknown-parts", new ByteArrayInputStream(big), -1);

    // the 8 MiB head read to choose PutObject or multipart is part 1; then 5 MiB parts
    assertThat(proxy.requests()).filteredOn(r -> r.hasQuery("partNumber")).hasSize(3);
    assertThat(readAll(store.get("unknown-parts"))).isEqualTo(big);
  }

  @Test
  void put_streamUnknownLengthOfExactlyTheThreshold_isOnePutObject() {
    byte[] data = randomBytes(8 * MIB, 6);

    store.put("exact", new ByteArrayInputStream(data), -1);

    assertThat(proxy.requests()).noneMatch(r -> r.hasQuery("partNumber") || r.hasQuery("uploads"));
    assertThat(readAll(store.get("exact"))).isEqualTo(data);
  }

  @Test
  void put_streamShorterThanLength_failsAndStoresNothing() {
    assertThatThrownBy(() -> store.put("short", new ByteArrayInputStream(new byte[10]), 11))
        .isInstanceOf(java.io.UncheckedIOException.class);
    assertThat(store.head("short")).isEmpty();
  }

  @Test
  void put_streamCancelledAfterItsFirstPart_abortsTheUploadAndRethrowsTheCancellation() {
    // The engine stops an upload on Ctrl-C by having the stream it hands over throw: the part
    // in flight is answered, then the upload is aborted, not completed, and the cancellation
    // reaches the caller as it was thrown.
    byte[] data = randomBytes(20 * MIB, 11);
    var cancelling = new java.io.FilterInputStream(new ByteArrayInputStream(data)) {
      long read;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (read >= 5 * MIB) { // one 5 MiB part read (ByteArrayInputStream reads it at once)
          throw new java.util.concurrent.CancellationException("cancelled");
        }
        int n = super.read(b, off, len);
        read += Math.max(n, 0);
        return n;
      }
    };

    assertThatThrownBy(() -> store.put("cancelled.bin", cancelling, data.length))
        .isInstanceOf(java.util.concurrent.CancellationException.class);

    assertThat(proxy.requests()).filteredOn(r -> r.hasQuery("partNumber")).hasSize(1);
    assertThat(proxy.requests()).filteredOn(r -> r.method().equals("DELETE") && r.hasQuery("uploadId")).hasSize(1);
    assertThat(proxy.requests()).noneMatch(r -> r.method().equals("POST") && r.hasQuery("uploadId"));
    assertThat(store.head("cancelled.bin")).isEmpty();
  }

  @Test
  void put_zeroBytes_storesEmptyObject(@TempDir Path dir) throws IOException {
    store.put("empty-stream", new ByteArrayInputStream(new byte[0]), 0);
    store.put("empty-file", Files.createFile(dir.resolve("empty")));

    assertThat(store.head("empty-stream")).contains(new ObjectInfo("empty-stream", 0));
    assertThat(readAll(store.get("empty-stream"))).isEmpty();
    assertThat(readAll(store.get("empty-file"))).isEmpty();
  }

  @Test
  void put_sameKeyTwice_replacesObject() {
    store.put("k", new ByteArrayInputStream(new byte[] {1}), 1);
    store.put("k", new ByteArrayInputStream(new byte[] {2, 3}), 2);

    assertThat(readAll(store.get("k"))).containsExactly(2, 3);
  }

  @Test
  void get_range_returnsThoseBytes() {
    byte[] data = randomBytes(10_000, 6);
    store.put("r", new ByteArrayInputStream(data), data.length);

    assertThat(readAll(store.get("r", 100, 50))).isEqualTo(Arrays.copyOfRange(data, 100, 150));
    assertThat(readAll(store.get("r", 9_990, 100))).isEqualTo(Arrays.copyOfRange(data, 9_990, 10_000));
    assertThat(readAll(store.get("r", 0, 0))).isEmpty();
    assertThat(readAll(store.get("r", 20_000, 10))).isEmpty();
  }

  @Test
  void get_rangeOfMultipartObject_crossesPartBoundary() {
    byte[] data = randomBytes(12 * MIB, 7);
    store.put("mp", new ByteArrayInputStream(data), data.length);

    int from = 5 * MIB - 10;
    assertThat(readAll(store.get("mp", from, 20))).isEqualTo(Arrays.copyOfRange(data, from, from + 20));
  }

  @Test
  void get_closedBeforeTheEnd_stopsAndTheStoreStaysUsable() throws IOException {
    byte[] data = randomBytes(12 * MIB, 8);
    store.put("early", new ByteArrayInputStream(data), data.length);

    for (int i = 0; i < 3; i++) { // the direct CRT path cancels the rest and releases the request
      try (var in = store.get("early")) {
        assertThat(in.readNBytes(1000)).isEqualTo(Arrays.copyOf(data, 1000));
      }
    }
    assertThat(readAll(store.get("early"))).isEqualTo(data);
  }

  @Test
  void get_missingKey_throwsNotFound() {
    assertThatThrownBy(() -> store.get("missing"))
        .isInstanceOfSatisfying(StorageException.class, e -> {
          assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND);
          assertThat(e.operation()).isEqualTo(StorageException.Operation.READ);
          assertThat(e.getMessage()).contains("missing").doesNotContain("\n");
        });
    assertThatThrownBy(() -> store.get("missing", 0, 10)).isInstanceOfSatisfying(StorageException.class,
        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> store.get("missing", 0, 0)).isInstanceOfSatisfying(StorageException.class,
        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
  }

  @Test
  void head_missingKey_isEmpty() {
    assertThat(store.head("nothing/here")).isEmpty();
  }

  @Test
  void list_moreThan1000Keys_followsContinuationAndSortsByKey() throws Exception {
    List<String> keys = putMany("many/", 1_100);
    store.put("other/x", new ByteArrayInputStream(new byte[] {1}), 1);

    List<ObjectInfo> listed = store.list("many/");

    assertThat(listed).extracting(ObjectInfo::key).containsExactlyElementsOf(keys.stream().sorted().toList());
    assertThat(listed).allSatisfy(o -> assertThat(o.size()).isEqualTo(3));
    assertThat(proxy.requests()).filteredOn(r -> r.method().equals("GET") && r.hasQuery("list-type"))
        .hasSizeGreaterThan(1);

    // In pages as S3 sends them: each sorted, each after the one before, together the whole;
    // a small first page (to start on sooner), then full ones.
    List<List<ObjectInfo>> pages = new ArrayList<>();
    store.list("many/", pages::add);
    assertThat(pages).extracting(List::size).containsExactly(S3Store.FIRST_PAGE_KEYS, 1_100 - S3Store.FIRST_PAGE_KEYS);
    List<String> inOrder = pages.stream().flatMap(List::stream).map(ObjectInfo::key).toList();
    assertThat(inOrder).containsExactlyElementsOf(keys.stream().sorted().toList());
  }

  @Test
  void list_emptyPrefix_listsWholeBucket() {
    store.put("b", new ByteArrayInputStream(new byte[0]), 0);
    store.put("a/c", new ByteArrayInputStream(new byte[0]), 0);

    assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("a/c", "b");
  }

  @Test
  void delete_moreThan1000Keys_deletesAllInBatches() throws Exception {
    List<String> keys = new ArrayList<>(putMany("del/", 1_005));
    keys.add("del/never-existed");

    var failed = store.delete(keys);

    assertThat(failed).isEmpty();
    assertThat(store.list("del/")).isEmpty();
    assertThat(proxy.requests()).filteredOn(r -> r.method().equals("POST") && r.hasQuery("delete")).hasSize(2);
  }

  @Test
  void delete_noKeys_sendsNothing() {
    assertThat(store.delete(List.of())).isEmpty();
    assertThat(proxy.requests()).isEmpty();
  }

  @Test
  void copy_existingObject_copiesOnServer() {
    byte[] data = randomBytes(3000, 8);
    store.put("src", new ByteArrayInputStream(data), data.length);
    proxy.clearRequests();

    store.copy("src", "dst/copy");

    assertThat(readAll(store.get("dst/copy"))).isEqualTo(data);
    assertThat(proxy.requests()).filteredOn(r -> r.header("x-amz-copy-source") != null).hasSize(1);
    assertThat(proxy.requests()).noneMatch(r -> r.method().equals("PUT") && r.header("x-amz-copy-source") == null);
  }

  @Test
  void copy_missingSource_throwsNotFound() {
    assertThatThrownBy(() -> store.copy("nope", "dst")).isInstanceOfSatisfying(StorageException.class,
        e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
  }

  @Test
  void keys_withSpacesAndNonAscii_roundTripThroughEveryOperation() {
    String key = "dir with space/übergröße ñ 日本語 +%&=.bin";
    byte[] data = randomBytes(500, 9);

    store.put(key, new ByteArrayInputStream(data), data.length);
    store.copy(key, key + ".copy");

    assertThat(readAll(store.get(key))).isEqualTo(data);
    assertThat(readAll(store.get(key, 10, 5))).isEqualTo(Arrays.copyOfRange(data, 10, 15));
    assertThat(store.head(key + ".copy")).contains(new ObjectInfo(key + ".copy", 500));
    assertThat(store.list("dir with space/")).extracting(ObjectInfo::key).containsExactly(key, key + ".copy");
    assertThat(store.delete(List.of(key, key + ".copy"))).isEmpty();
    assertThat(store.list("dir with space/")).isEmpty();
  }

  @Test
  void list_keysThatXmlOrUrlEncodingWouldConfuse_comeBackExactly() {
    // A space and a plus are one character apart only if the listing's encoding is decoded
    // right; '%', '&', '<' and quotes test the percent and XML escapes.
    List<String> keys = List.of("enc/a b", "enc/a+b", "enc/100%.csv", "enc/100%25.csv", "enc/x&y<z>'\"",
        "enc/ü 日本/ñ+%20");
    for (String key : keys) {
      store.put(key, new ByteArrayInputStream(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)), -1);
    }

    List<ObjectInfo> listed = store.list("enc/");

    assertThat(listed).extracting(ObjectInfo::key).containsExactlyElementsOf(keys.stream().sorted().toList());
    assertThat(listed).allSatisfy(o ->
        assertThat(o.size()).isEqualTo(o.key().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
  }

  @Test
  void list_onePage_isOneRequestReadWhereItWasSent() {
    store.put("one/k", new ByteArrayInputStream(new byte[] {1}), 1);
    proxy.clearRequests();

    assertThat(store.list("one/")).containsExactly(new ObjectInfo("one/k", 1));

    // On the CRT client the listing goes beneath the SDK (ListPage reads it); had ListPage
    // refused the answer, the SDK would have asked again.
    var lists = proxy.requests().stream().filter(r -> r.hasQuery("list-type")).toList();
    assertThat(lists).hasSize(1);
    assertThat(lists.getFirst().header("User-Agent")).as("sent by the SDK")
        .is(new org.assertj.core.api.Condition<>(ua -> ua != null && ua.contains("aws-sdk-java") != store.directRequests(),
            store.directRequests() ? "not the SDK's" : "the SDK's"));
  }

  @Test
  void putGetList_smallObjects_needTheSdkClientOnlyWithoutDirectRequests() {
    store.put("lazy/a", new ByteArrayInputStream(new byte[] {1, 2}), 2);
    assertThat(readAll(store.get("lazy/a"))).containsExactly(1, 2);
    assertThat(store.list("lazy/")).containsExactly(new ObjectInfo("lazy/a", 2));

    // A checkout or a track of small files: with direct requests the SDK's client is not built.
    assertThat(store.sdkClientBuilt()).isNotEqualTo(store.directRequests());
    store.head("lazy/a");
    assertThat(store.sdkClientBuilt()).isTrue();
  }

  private List<String> putMany(String prefix, int count) throws Exception {
    List<String> keys = IntStream.range(0, count).mapToObj(i -> prefix + "k" + i).toList();
    try (var io = Executors.newVirtualThreadPerTaskExecutor()) {
      var permits = new java.util.concurrent.Semaphore(16);
      for (String key : keys) {
        permits.acquire();
        io.execute(() -> {
          try {
            store.put(key, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
          } finally {
            permits.release();
          }
        });
      }
    }
    return keys;
  }
}
