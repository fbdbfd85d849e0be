package io.s3lfs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.StoreOptions;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownObjectsTest {
  private static final String ASSETS = "p/assets/";

  @TempDir Path dir;
  private ObjectStore files;
  private Paged store;

  /**
   * The file:// store, listing in pages of two keys like S3 lists in pages of 1,000, each page
   * handed over only when the test releases it.
   */
  private static class Paged implements ObjectStore {
    final ObjectStore real;
    final Semaphore pages = new Semaphore(0);
    volatile RuntimeException failAfterFirstPage;

    Paged(ObjectStore real) {
      this.real = real;
    }

    @Override
    public void list(String prefix, Consumer<List<ObjectInfo>> page) {
      List<ObjectInfo> all = real.list(prefix);
      for (int i = 0; i < all.size() || i == 0; i += 2) {
        pages.acquireUninterruptibly();
        if (i > 0 && failAfterFirstPage != null) {
          throw failAfterFirstPage;
        }
        page.accept(all.subList(i, Math.min(i + 2, all.size())));
      }
    }

    @Override public URI uri() { return real.uri(); }
    @Override public void put(String key, Path file) { real.put(key, file); }
    @Override public void put(String key, InputStream data, long length) { real.put(key, data, length); }
    @Override public InputStream get(String key) { return real.get(key); }
    @Override public InputStream get(String key, long offset, long length) { return real.get(key, offset, length); }
    @Override public Optional<ObjectInfo> head(String key) { return real.head(key); }
    @Override public List<ObjectInfo> list(String prefix) { return real.list(prefix); }
    @Override public Map<String, StorageException> delete(Collection<String> keys) { return real.delete(keys); }
    @Override public void close() { real.close(); }
  }

  @BeforeEach
  void open() {
    files = ObjectStoreProvider.forScheme("file").open(dir.toUri(), StoreOptions.DEFAULTS);
    store = new Paged(files);
    // Two objects per hash directory: pages of two keys end exactly at a directory's end, or not.
    for (String key : List.of("p/assets/aa/x.bin.gz", "p/assets/bb/y.bin", "p/assets/bb/z.bin",
        "p/assets/cc/w.bin.chunk0", "p/assets/cc/w.bin.chunk1")) {
      files.put(key, new ByteArrayInputStream(key.getBytes()), key.length());
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  private KnownObjects listing() throws Exception {
    var started = CompletableFuture.supplyAsync(() -> KnownObjects.choose(100, 0, () -> store, ASSETS));
    store.pages.release(); // the first page: choose returns only once it is in
    return started.get(10, TimeUnit.SECONDS);
  }

  private static List<String> keys(List<ObjectInfo> objects) {
    return objects.stream().map(ObjectInfo::key).toList();
  }

  @Test
  void choose_fewFilesAgainstAManifest_asksPerStem() {
    assertThat(KnownObjects.choose(3, 1_000_000, () -> store, ASSETS)).isSameAs(KnownObjects.PER_STEM);
  }

  @Test
  void objects_stemOnTheFirstPage_answeredBeforeTheRestIsListed() throws Exception {
    KnownObjects known = listing(); // page 1: aa/x.bin.gz, bb/y.bin

    assertThat(keys(known.objects(store, "p/assets/aa/x.bin"))).containsExactly("p/assets/aa/x.bin.gz");
    // bb/ may go on past the page: its answer waits for the next one.
    var bb = CompletableFuture.supplyAsync(() -> keys(known.objects(store, "p/assets/bb/z.bin")));
    Thread.sleep(200);
    assertThat(bb).isNotDone();
    store.pages.release(); // page 2: bb/z.bin, cc/w.bin.chunk0
    assertThat(bb.get(10, TimeUnit.SECONDS)).containsExactly("p/assets/bb/z.bin");
    store.pages.release(); // page 3: cc/w.bin.chunk1, then the end
    assertThat(keys(known.objects(store, "p/assets/cc/w.bin")))
        .containsExactly("p/assets/cc/w.bin.chunk0", "p/assets/cc/w.bin.chunk1");
    assertThat(known.objects(store, "p/assets/dd/missing.bin")).isEmpty();
  }

  @Test
  void objects_listingFailsAfterItsFirstPage_failsOnlyTheStemsItDidNotReach() throws Exception {
    store.failAfterFirstPage = new StorageException(StorageException.Kind.TRANSIENT, StorageException.Operation.LIST,
        ASSETS, "list failed: connection reset");
    KnownObjects known = listing();
    store.pages.release();

    assertThat(keys(known.objects(store, "p/assets/aa/x.bin"))).containsExactly("p/assets/aa/x.bin.gz");
    assertThatThrownBy(() -> known.objects(store, "p/assets/cc/w.bin")).hasMessageContaining("connection reset");
  }

  @Test
  void choose_listingFailsAtOnce_throwsFromChooseOnce() {
    var denied = new StorageException(StorageException.Kind.ACCESS_DENIED, StorageException.Operation.LIST, ASSETS,
        "list failed: access denied");
    ObjectStore failing = new Paged(files) {
      @Override
      public void list(String prefix, Consumer<List<ObjectInfo>> page) {
        throw denied;
      }
    };

    assertThatThrownBy(() -> KnownObjects.choose(100, 0, () -> failing, ASSETS)).isSameAs(denied);
  }

  @Test
  void objects_listingDiesOfAnErrorAfterItsFirstPage_failsInsteadOfWaitingForever() throws Exception {
    ObjectStore dying = new Paged(files) {
      @Override
      public void list(String prefix, Consumer<List<ObjectInfo>> page) {
        page.accept(files.list(prefix).subList(0, 2));
        throw new StackOverflowError("deep trouble");
      }
    };
    KnownObjects known = KnownObjects.choose(100, 0, () -> dying, ASSETS);

    var later = CompletableFuture.supplyAsync(() -> known.objects(dying, "p/assets/cc/w.bin"));

    assertThat(later).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().withMessageContaining("deep trouble");
  }

  @Test
  void objects_everyStemAfterTheEnd_matchesAWholeListing() throws Exception {
    KnownObjects known = listing();
    store.pages.release(3);
    List<String> answered = new ArrayList<>();
    for (String stem : List.of("p/assets/aa/x.bin", "p/assets/bb/y.bin", "p/assets/bb/z.bin", "p/assets/cc/w.bin")) {
      answered.addAll(keys(known.objects(store, stem)));
    }

    assertThat(answered).containsExactlyElementsOf(keys(files.list(ASSETS)));
  }
}
