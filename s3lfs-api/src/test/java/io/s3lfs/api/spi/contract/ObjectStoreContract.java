package io.s3lfs.api.spi.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.spi.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conformance tests every {@link ObjectStore} passes. Extend it and open a store; each test
 * works under its own random key prefix ({@link #base}), so a shared bucket is fine.
 *
 * {@snippet :
 * class FileStoreTest extends ObjectStoreContract {
 *   protected ObjectStore openStore(Path tempDir) {
 *     return ObjectStoreProvider.forScheme("file").open(tempDir.resolve("store").toUri(), StoreOptions.DEFAULTS);
 *   }
 * }
 * }
 */
public abstract class ObjectStoreContract {
  /** A scratch directory for this test; stores may keep their data here. */
  @TempDir protected Path tempDir;

  /** The store under test, opened before each test and closed after it. */
  protected ObjectStore store;

  /** A key prefix unique to this test, ending in {@code /}. */
  protected String base;

  /**
   * @param tempDir an empty directory that lives as long as the test
   * @return a newly opened store
   */
  protected abstract ObjectStore openStore(Path tempDir);

  @BeforeEach
  void openStoreUnderTest() {
    store = openStore(tempDir);
    base = "t" + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  @AfterEach
  void closeStoreUnderTest() {
    if (store != null) {
      store.close();
    }
  }

  /** @return {@code size} reproducible random bytes */
  protected static byte[] bytes(int size) {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return data;
  }

  /** Stores {@code data} under {@code key} from a stream of known length. */
  protected void put(String key, byte[] data) {
    store.put(key, new ByteArrayInputStream(data), data.length);
  }

  /** @return the whole object under {@code key} */
  protected byte[] get(String key) {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private byte[] get(String key, long offset, long length) {
    try (InputStream in = store.get(key, offset, length)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> listKeys(String prefix) {
    return store.list(prefix).stream().map(ObjectInfo::key).toList();
  }

  @Test
  void put_file_storesItsBytes() throws IOException {
    byte[] data = bytes(10_000);
    Path file = Files.write(tempDir.resolve("upload.bin"), data);
    store.put(base + "file.bin", file);

    assertThat(get(base + "file.bin")).isEqualTo(data);
  }

  @Test
  void put_streamWithLength_storesItsBytes() {
    byte[] data = bytes(10_000);
    put(base + "stream.bin", data);

    assertThat(get(base + "stream.bin")).isEqualTo(data);
  }

  @Test
  void put_streamOfUnknownLength_storesItsBytes() {
    byte[] data = bytes(10_000);
    store.put(base + "unknown.bin", new ByteArrayInputStream(data), -1);

    assertThat(get(base + "unknown.bin")).isEqualTo(data);
  }

  @Test
  void put_stream_leavesStreamOpen() throws IOException {
    var closed = new boolean[1];
    InputStream in = new ByteArrayInputStream(bytes(10)) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    store.put(base + "open.bin", in, 10);

    assertThat(closed[0]).isFalse();
  }

  @Test
  void put_existingKey_replacesWholeObject() {
    put(base + "k", bytes(5000));
    byte[] shorter = "new".getBytes(UTF_8);
    put(base + "k", shorter);

    assertThat(get(base + "k")).isEqualTo(shorter);
    assertThat(store.head(base + "k")).contains(new ObjectInfo(base + "k", shorter.length));
  }

  @Test
  void put_zeroBytes_storesEmptyObject() throws IOException {
    put(base + "empty-stream", new byte[0]);
    store.put(base + "empty-unknown", new ByteArrayInputStream(new byte[0]), -1);
    store.put(base + "empty-file", Files.write(tempDir.resolve("empty"), new byte[0]));

    for (String key : List.of("empty-file", "empty-stream", "empty-unknown")) {
      assertThat(get(base + key)).as(key).isEmpty();
      assertThat(store.head(base + key)).as(key).contains(new ObjectInfo(base + key, 0));
    }
    assertThat(listKeys(base + "empty"))
        .containsExactly(base + "empty-file", base + "empty-stream", base + "empty-unknown");
  }

  @Test
  void put_fiveMebibytes_roundTripsWholeAndRanged() {
    byte[] data = bytes(5 * 1024 * 1024);
    store.put(base + "large.bin", new ByteArrayInputStream(data), -1);

    assertThat(get(base + "large.bin")).isEqualTo(data);
    assertThat(get(base + "large.bin", 3_000_000, 1_000_000))
        .isEqualTo(Arrays.copyOfRange(data, 3_000_000, 4_000_000));
    assertThat(store.head(base + "large.bin")).contains(new ObjectInfo(base + "large.bin", data.length));
  }

  @Test
  void get_range_returnsThoseBytes() {
    byte[] data = bytes(1000);
    put(base + "r", data);

    assertThat(get(base + "r", 0, 10)).isEqualTo(Arrays.copyOfRange(data, 0, 10));
    assertThat(get(base + "r", 100, 250)).isEqualTo(Arrays.copyOfRange(data, 100, 350));
    assertThat(get(base + "r", 990, 10)).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
  }

  @Test
  void get_missingKey_throwsNotFound() {
    assertThatThrownBy(() -> store.get(base + "missing"))
        .isInstanceOfSatisfying(StorageException.class,
            e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
  }

  @Test
  void get_rangeOfMissingKey_throwsNotFound() {
    assertThatThrownBy(() -> store.get(base + "missing", 0, 1))
        .isInstanceOfSatisfying(StorageException.class,
            e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
  }

  @Test
  void head_existingKey_reportsKeyAndSize() {
    put(base + "h", bytes(123));

    assertThat(store.head(base + "h")).contains(new ObjectInfo(base + "h", 123));
  }

  @Test
  void head_missingKey_isEmpty() {
    assertThat(store.head(base + "missing")).isEmpty();
  }

  @Test
  void list_prefix_returnsMatchingKeysSorted() {
    List<String> keys = List.of(
        base + "p/assets/ab/a b/\u00fc.bin.gz",
        base + "p/assets/ab/z.txt",
        base + "p/assets/ab/deep/er/still.bin",
        base + "p/assets/ab.other",
        base + "p/assets/abc/x",
        base + "p/assetsX",
        base + "q/outside");
    for (String key : keys.reversed()) {
      put(key, key.getBytes(UTF_8));
    }

    assertThat(listKeys(base + "p/assets/ab/")).containsExactly(
        base + "p/assets/ab/a b/\u00fc.bin.gz",
        base + "p/assets/ab/deep/er/still.bin",
        base + "p/assets/ab/z.txt");
    assertThat(listKeys(base + "p/assets/ab")).containsExactly(
        base + "p/assets/ab.other",
        base + "p/assets/ab/a b/\u00fc.bin.gz",
        base + "p/assets/ab/deep/er/still.bin",
        base + "p/assets/ab/z.txt",
        base + "p/assets/abc/x");
    assertThat(listKeys(base)).hasSize(keys.size()).isSorted();
  }

  @Test
  void list_inPages_togetherTheWholeListingInOrder() {
    List<String> keys = List.of(base + "pg/a/1", base + "pg/a/2", base + "pg/b", base + "pg/c/d/e");
    for (String key : keys.reversed()) {
      put(key, key.getBytes(UTF_8));
    }
    List<List<ObjectInfo>> pages = new java.util.ArrayList<>();

    store.list(base + "pg/", pages::add);

    assertThat(pages.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(store.list(base + "pg/"));
  }

  @Test
  void list_reportsSizes() {
    put(base + "a", bytes(3));
    put(base + "b", bytes(0));

    assertThat(store.list(base))
        .containsExactly(new ObjectInfo(base + "a", 3), new ObjectInfo(base + "b", 0));
  }

  @Test
  void list_noMatch_isEmpty() {
    put(base + "a/b", bytes(1));

    assertThat(store.list(base + "a/c")).isEmpty();
    assertThat(store.list(base + "nothing/here/")).isEmpty();
  }

  @Test
  void delete_batch_removesAllAndReportsNoFailures() {
    put(base + "d/1", bytes(1));
    put(base + "d/sub/2", bytes(2));
    put(base + "d/keep", bytes(3));

    assertThat(store.delete(List.of(base + "d/1", base + "d/sub/2"))).isEmpty();
    assertThat(listKeys(base)).containsExactly(base + "d/keep");
    assertThat(store.head(base + "d/1")).isEmpty();
  }

  @Test
  void delete_missingKeys_countsAsDeleted() {
    assertThat(store.delete(List.of(base + "never", base + "was/here"))).isEmpty();
    assertThat(store.delete(List.of())).isEmpty();
  }

  @Test
  void copy_existingKey_duplicatesBytes() {
    byte[] data = bytes(4096);
    put(base + "src", data);
    store.copy(base + "src", base + "dst/copy");

    assertThat(get(base + "dst/copy")).isEqualTo(data);
    assertThat(get(base + "src")).isEqualTo(data);
  }

  @Test
  void copy_ontoExistingKey_replacesIt() {
    put(base + "src", bytes(10));
    put(base + "dst", bytes(5000));
    store.copy(base + "src", base + "dst");

    assertThat(get(base + "dst")).isEqualTo(bytes(10));
  }

  @Test
  void copy_missingSource_throwsNotFound() {
    assertThatThrownBy(() -> store.copy(base + "missing", base + "dst"))
        .isInstanceOfSatisfying(StorageException.class,
            e -> assertThat(e.kind()).isEqualTo(StorageException.Kind.NOT_FOUND));
    assertThat(store.head(base + "dst")).isEmpty();
  }

  @Test
  void uri_isNotNull() {
    assertThat(store.uri()).isNotNull();
  }
}
