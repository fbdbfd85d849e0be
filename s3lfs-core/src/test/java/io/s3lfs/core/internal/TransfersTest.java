package io.s3lfs.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.Digest;
import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StoreOptions;
import io.s3lfs.api.spi.Codec;
import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import io.s3lfs.core.S3lfsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransfersTest {
  private static final HashAlgorithm SHA256 = HashAlgorithm.forName("sha256");
  private static final String STEM = "assets/h/data/f.bin";

  @TempDir Path dir;
  private ObjectStore store;
  private Path file;

  @BeforeEach
  void open() {
    store = ObjectStoreProvider.forScheme("file").open(dir.resolve("store").toUri(), StoreOptions.DEFAULTS);
    file = dir.resolve("f.bin");
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] data) {
    var h = SHA256.newHasher();
    h.update(ByteBuffer.wrap(data));
    return h.finish().hex();
  }

  private static long crc32c(byte[] data) {
    var crc = new CRC32C();
    crc.update(data);
    return crc.getValue();
  }

  /** An upload checked by hashing again: the digest came from the cache. */
  private long upload(String codec, long chunkSize, String expected, AtomicLong sent) throws IOException {
    return upload(codec, chunkSize, Hashed.of(expected, Files.size(file)), sent);
  }

  private long upload(String codec, long chunkSize, Hashed expected, AtomicLong sent) throws IOException {
    return Transfers.upload(store, file, STEM, Codec.forName(codec), -1, chunkSize, SHA256, expected, sent::set);
  }

  private byte[] read(String key) throws IOException {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }

  private byte[] concat(List<ObjectInfo> pieces) throws IOException {
    var out = new ByteArrayOutputStream();
    for (ObjectInfo p : pieces) {
      out.write(read(p.key()));
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @Test
  void upload_rawFileReadInOneLargeRequest_readsAtMostADefaultPartAtATime() throws IOException {
    // A store filling a whole part with one read: each read of the file stays small, or the JDK
    // reads through (and keeps) a temporary direct buffer as large as the part.
    byte[] data = random(3 * Transfers.MAX_FILE_READ + 5, 11);
    Files.write(file, data);
    var largest = new AtomicLong();
    var stored = new ByteArrayOutputStream();
    ObjectStore partFilling = new ObjectStore() {
      @Override public java.net.URI uri() { return store.uri(); }
      @Override public void put(String key, Path source) { throw new AssertionError("a raw upload streams"); }
      @Override public void put(String key, InputStream in, long length) {
        byte[] part = new byte[data.length + 100];
        try {
          for (int n; (n = in.read(part, 0, part.length)) >= 0; ) {
            largest.accumulateAndGet(n, Math::max);
            stored.write(part, 0, n);
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      @Override public InputStream get(String key) { return store.get(key); }
      @Override public InputStream get(String key, long offset, long length) { return store.get(key, offset, length); }
      @Override public java.util.Optional<ObjectInfo> head(String key) { return store.head(key); }
      @Override public List<ObjectInfo> list(String prefix) { return store.list(prefix); }
      @Override public java.util.Map<String, io.s3lfs.api.StorageException> delete(java.util.Collection<String> keys) {
        return store.delete(keys);
      }
      @Override public void close() { }
    };

    Transfers.upload(partFilling, file, STEM, Codec.forName("identity"), -1, Long.MAX_VALUE, SHA256,
        Hashed.of(sha256(data), data.length), n -> { });

    assertThat(stored.toByteArray()).isEqualTo(data);
    assertThat(largest.get()).isEqualTo(Transfers.MAX_FILE_READ);
  }

  @Test
  void upload_encodedFitsChunkSize_storesOneGzipObject() throws IOException {
    byte[] text = "level=INFO message=ok\n".repeat(5_000).getBytes(StandardCharsets.UTF_8);
    Files.write(file, text);
    var sent = new AtomicLong();

    long stored = upload("gzip", 4096, sha256(text), sent);

    assertThat(store.list("assets/")).extracting(ObjectInfo::key).containsExactly(STEM + ".gz");
    byte[] object = read(STEM + ".gz");
    assertThat(object).hasSize((int) stored);
    assertThat(gunzip(object)).isEqualTo(text);
    assertThat(sent.get()).isEqualTo(text.length);
  }

  @Test
  void upload_encodedLargerThanChunkSize_storesPiecesOfChunkSizeMinusOne() throws IOException {
    byte[] data = random(10_000, 1); // random: gzip cannot shrink it below the 4 KiB chunk size
    Files.write(file, data);

    long stored = upload("gzip", 4096, sha256(data), new AtomicLong());

    List<ObjectInfo> pieces = store.list("assets/");
    assertThat(pieces).extracting(ObjectInfo::key)
        .containsExactly(STEM + ".gz.chunk0", STEM + ".gz.chunk1", STEM + ".gz.chunk2");
    assertThat(pieces.subList(0, 2)).extracting(ObjectInfo::size).containsOnly(4095L);
    assertThat(pieces.stream().mapToLong(ObjectInfo::size).sum()).isEqualTo(stored);
    assertThat(gunzip(concat(pieces))).isEqualTo(data);
  }

  @Test
  void upload_rawLargerThanChunkSize_splitsAsTheReference() throws IOException {
    byte[] data = random(2_500, 2);
    Files.write(file, data);

    long stored = upload("identity", 1024, sha256(data), new AtomicLong());

    List<ObjectInfo> pieces = store.list("assets/");
    assertThat(pieces).extracting(ObjectInfo::size).containsExactly(1023L, 1023L, 454L);
    assertThat(pieces).extracting(ObjectInfo::key).allMatch(k -> k.startsWith(STEM + ".chunk"));
    assertThat(concat(pieces)).isEqualTo(data);
    assertThat(stored).isEqualTo(2_500);
  }

  @Test
  void upload_rawExactlyChunkSize_isOneObject() throws IOException {
    byte[] data = random(1024, 3);
    Files.write(file, data);

    upload("identity", 1024, sha256(data), new AtomicLong());

    assertThat(store.list("assets/")).extracting(ObjectInfo::key).containsExactly(STEM);
    assertThat(read(STEM)).isEqualTo(data);
  }

  @Test
  void upload_fileNoLongerMatchesItsDigest_storesNothing() throws IOException {
    byte[] data = random(100_000, 4);
    Files.write(file, data);
    String before = sha256(data);
    data[50_000] ^= 1; // the file changed after it was hashed
    Files.write(file, data);

    for (String codec : List.of("gzip", "identity")) {
      assertThatThrownBy(() -> upload(codec, 1L << 30, before, new AtomicLong()))
          .isInstanceOf(S3lfsException.class)
          .hasMessageContaining("changed while it was being stored");
    }
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void upload_fileChangedAfterItsCrcWasTaken_storesNothing() throws IOException {
    byte[] data = random(100_000, 4);
    var before = new Hashed(sha256(data), data.length, crc32c(data));
    data[99_999] ^= 1; // same size, one bit, at the very end
    Files.write(file, data);

    for (String codec : List.of("gzip", "identity")) {
      assertThatThrownBy(() -> upload(codec, 1L << 30, before, new AtomicLong()))
          .isInstanceOf(S3lfsException.class)
          .hasMessageContaining("changed while it was being stored");
    }
    assertThatThrownBy(() -> uploadSmall(before)).hasMessageContaining("changed while it was being stored");
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void upload_crcKnown_checksTheCrcInsteadOfHashingAgain() throws IOException {
    byte[] data = random(100_000, 6);
    Files.write(file, data);
    // A digest that does not match: passing proves the re-read was checked by the CRC alone.
    var crcOnly = new Hashed(sha256(new byte[] {1}), data.length, crc32c(data));

    upload("identity", 1L << 30, crcOnly, new AtomicLong());
    uploadSmall(crcOnly);

    assertThat(read(STEM)).isEqualTo(data);
  }

  @Test
  void upload_changedFileInPieces_removesThePiecesAlreadyStored() throws IOException {
    byte[] data = random(10_000, 5);
    Files.write(file, data);
    String wrong = sha256(new byte[] {1});

    assertThatThrownBy(() -> upload("identity", 1024, wrong, new AtomicLong()))
        .hasMessageContaining("changed while it was being stored");
    assertThatThrownBy(() -> upload("gzip", 1024, wrong, new AtomicLong()))
        .hasMessageContaining("changed while it was being stored");
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void upload_fileOverTheOldInMemoryLimit_roundTripsAndLeavesNoFileBesideIt() throws IOException {
    byte[] data = "x".repeat(6 << 20).getBytes(StandardCharsets.UTF_8); // above the old in-memory limit
    Files.write(file, data);
    List<Path> before = listDir();

    long stored = upload("gzip", 1L << 30, sha256(data), new AtomicLong());

    assertThat(listDir()).containsExactlyInAnyOrderElementsOf(withStore(before));
    assertThat(gunzip(read(STEM + ".gz"))).isEqualTo(data);
    assertThat(stored).isLessThan(data.length / 100);
  }

  /** Says "cancelled" once the first buffer has moved: the transfer is under way. */
  private static final class CancelAfterFirstBuffer implements Transfers.Watch {
    final AtomicLong moved = new AtomicLong();

    @Override
    public void moved(long bytes) {
      moved.set(bytes);
    }

    @Override
    public boolean cancelled() {
      return moved.get() > 0;
    }
  }

  @Test
  void upload_cancelledInFlight_throwsCancellationAndLeavesNothingInTheStore() throws IOException {
    byte[] data = random(3 << 20, 9);
    Files.write(file, data);
    var expected = new Hashed(sha256(data), data.length, crc32c(data));

    // one object and pieces (1 MiB chunks: the pieces stored before the cancel are removed)
    for (long chunkSize : new long[] {1L << 30, 1L << 20}) {
      for (String codec : List.of("gzip", "identity")) {
        var watch = new CancelAfterFirstBuffer();
        assertThatThrownBy(() -> Transfers.upload(store, file, STEM, Codec.forName(codec), -1, chunkSize, SHA256,
            expected, watch)).as(codec + " in chunks of " + chunkSize).isInstanceOf(CancellationException.class);
        assertThat(watch.moved.get()).as("stopped after its first buffer").isBetween(1L, data.length - 1L);
      }
    }
    try (var left = Files.walk(dir.resolve("store"))) {
      assertThat(left.filter(Files::isRegularFile)).as("no object, no temp file").isEmpty();
    }
  }

  @Test
  void download_cancelledInFlight_leavesTheFileAsItWasAndNoTempFile() throws IOException {
    byte[] data = random(2 << 20, 10);
    var stored = storedRaw(data);
    Path target = dir.resolve("out/f.bin");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "the old content");

    var watch = new CancelAfterFirstBuffer();
    assertThatThrownBy(() -> Transfers.download(store, stored, target, SHA256, sha256(data), watch))
        .isInstanceOf(CancellationException.class);

    assertThat(watch.moved.get()).isBetween(1L, data.length - 1L);
    assertThat(target).hasContent("the old content");
    try (var left = Files.list(target.getParent())) {
      assertThat(left.map(f -> f.getFileName().toString())).containsExactly("f.bin");
    }
    assertThat(Transfers.download(store, stored, target, SHA256, sha256(data), n -> {}).hex()).isEqualTo(sha256(data));
    assertThat(Files.readAllBytes(target)).isEqualTo(data);
  }

  @Test
  void download_bodyBreaksOffRetryably_startsOverAndSucceeds() throws IOException {
    byte[] data = random(3 << 20, 11);
    var stored = storedRaw(data);
    Path target = dir.resolve("out/f.bin");
    var breaks = new AtomicInteger(Transfers.DOWNLOAD_ATTEMPTS - 1);

    Digest got = Transfers.download(breakingOff(breaks, Kind.TRANSIENT), stored, target, SHA256, sha256(data), n -> {});

    assertThat(got.hex()).isEqualTo(sha256(data));
    assertThat(breaks).hasValue(0);
    assertThat(Files.readAllBytes(target)).isEqualTo(data);
    try (var left = Files.list(target.getParent())) {
      assertThat(left.map(f -> f.getFileName().toString())).containsExactly("f.bin");
    }
  }

  @Test
  void download_bodyBreaksOffEveryTimeOrForGood_failsWithTheStoresErrorAndNoTempFile() throws IOException {
    byte[] data = random(3 << 20, 12);
    var stored = storedRaw(data);
    Path target = dir.resolve("out/f.bin");

    for (Kind kind : List.of(Kind.TRANSIENT, Kind.ACCESS_DENIED)) {
      var breaks = new AtomicInteger(Transfers.DOWNLOAD_ATTEMPTS);
      assertThatThrownBy(() -> Transfers.download(breakingOff(breaks, kind), stored, target, SHA256, sha256(data), n -> {}))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(kind));
      assertThat(breaks).as("attempts for " + kind).hasValue(kind.retryable() ? 0 : Transfers.DOWNLOAD_ATTEMPTS - 1);
      try (var left = Files.list(target.getParent())) {
        assertThat(left).as("no temp file").isEmpty();
      }
    }
  }

  /** @return {@code data} stored whole and raw under {@link #STEM}, from {@link #file} */
  private StoredObjects.Stored storedRaw(byte[] data) throws IOException {
    Files.write(file, data);
    upload("identity", 1L << 30, sha256(data), new AtomicLong());
    return StoredObjects.find(STEM, store.list(STEM)).orElseThrow();
  }

  /** The store, whose bodies break off after 1 MiB with {@code kind} while {@code breaks} lasts. */
  private ObjectStore breakingOff(AtomicInteger breaks, Kind kind) {
    return new ObjectStore() {
      @Override public java.net.URI uri() { return store.uri(); }
      @Override public void put(String key, Path source) { store.put(key, source); }
      @Override public void put(String key, InputStream in, long length) { store.put(key, in, length); }
      @Override public InputStream get(String key) {
        InputStream real = store.get(key);
        if (breaks.get() <= 0) {
          return real;
        }
        breaks.decrementAndGet();
        return new java.io.FilterInputStream(real) {
          private long read;

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (read >= 1 << 20) {
              throw new StorageException(kind, StorageException.Operation.READ, key, "read " + key + " broke off");
            }
            int n = super.read(b, off, (int) Math.min(len, (1 << 20) - read));
            read += Math.max(n, 0);
            return n;
          }
        };
      }
      @Override public InputStream get(String key, long offset, long length) { return store.get(key, offset, length); }
      @Override public java.util.Optional<ObjectInfo> head(String key) { return store.head(key); }
      @Override public List<ObjectInfo> list(String prefix) { return store.list(prefix); }
      @Override public java.util.Map<String, StorageException> delete(java.util.Collection<String> keys) { return store.delete(keys); }
      @Override public void close() { }
    };
  }

  private List<Path> listDir() throws IOException {
    try (var s = Files.list(dir)) {
      return new ArrayList<>(s.toList());
    }
  }

  private List<Path> withStore(List<Path> before) {
    var all = new ArrayList<>(before);
    if (!all.contains(dir.resolve("store"))) {
      all.add(dir.resolve("store"));
    }
    return all;
  }

  private long uploadSmall(String expected) throws IOException {
    return uploadSmall(Hashed.of(expected, Files.size(file)));
  }

  private long uploadSmall(Hashed expected) throws IOException {
    return Transfers.uploadSmall(store, file, STEM, Codec.forName("gzip"), -1, 1L << 30, SHA256, expected,
        n -> {});
  }

  @Test
  void uploadSmall_gzipAtLevelOne_decidesExactlyAsSampling() throws IOException {
    // Files from all random to all text: around the 90% line the two must still agree.
    for (int textPercent = 0; textPercent <= 100; textPercent += 5) {
      byte[] data = random(20_000, textPercent);
      byte[] text = "abcabcabc ".repeat(2_000).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(text, 0, data, 0, 20_000 * textPercent / 100);
      Files.write(file, data);
      boolean compressible = Sampling.compressible(file);

      uploadSmall(sha256(data));

      String key = compressible ? STEM + ".gz" : STEM;
      assertThat(store.list("assets/")).as("%d%% text", textPercent).extracting(ObjectInfo::key).containsExactly(key);
      assertThat(compressible ? gunzip(read(key)) : read(key)).isEqualTo(data);
      store.delete(List.of(key));
    }
  }

  @Test
  void uploadSmall_emptyFile_isStoredRaw() throws IOException {
    Files.write(file, new byte[0]);

    assertThat(uploadSmall(sha256(new byte[0]))).isZero();

    assertThat(store.list("assets/")).extracting(ObjectInfo::key).containsExactly(STEM);
  }

  @Test
  void uploadSmall_fileNoLongerMatchesItsDigest_storesNothing() throws IOException {
    Files.writeString(file, "new content");

    assertThatThrownBy(() -> uploadSmall(sha256("old content".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(S3lfsException.class).hasMessageContaining("changed while it was being stored");
    assertThat(store.list("")).isEmpty();
  }
}
