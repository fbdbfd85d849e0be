package io.s3lfs.core.internal.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StoreOptions;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import io.s3lfs.api.spi.contract.ObjectStoreContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FileStoreTest extends ObjectStoreContract {
  private Path root() {
    return tempDir.resolve("store");
  }

  @Override
  protected ObjectStore openStore(Path tempDir) {
    return ObjectStoreProvider.forScheme("file").open(tempDir.resolve("store").toUri(), StoreOptions.DEFAULTS);
  }

  private List<Path> filesUnderRoot() throws IOException {
    try (Stream<Path> files = Files.walk(root())) {
      return files.filter(Files::isRegularFile).toList();
    }
  }

  private static StorageException.Kind kindOf(Throwable e) {
    return ((StorageException) e).kind();
  }

  /** Yields some bytes, then fails as a dropped network connection would. */
  private static InputStream failingAfter(int bytes) {
    return new InputStream() {
      private int left = bytes;

      @Override
      public int read() throws IOException {
        if (left-- > 0) {
          return 'x';
        }
        throw new IOException("connection reset");
      }
    };
  }

  @Nested
  class Layout {
    @Test
    void put_nestedKey_isFileAtThatPathUnderRoot() throws IOException {
      String key = "p/assets/e3b0/a b/\u00fc.bin.gz";
      put(key, "data".getBytes(UTF_8));

      assertThat(root().resolve("p/assets/e3b0/a b/\u00fc.bin.gz")).hasContent("data");
    }

    @Test
    void put_success_leavesNoTempFiles() throws IOException {
      put(base + "a/b", bytes(100));
      store.put(base + "a/c", Files.write(tempDir.resolve("src"), bytes(10)));
      store.copy(base + "a/b", base + "a/d");

      assertThat(filesUnderRoot()).extracting(p -> p.getFileName().toString())
          .containsExactlyInAnyOrder("b", "c", "d");
    }

    @Test
    void delete_lastObjectInDirectories_prunesThemButNotRoot() throws IOException {
      put("x/y/z/obj", bytes(1));
      put("x/keep", bytes(1));
      store.delete(List.of("x/y/z/obj"));

      assertThat(root().resolve("x/y")).doesNotExist();
      assertThat(root().resolve("x/keep")).exists();
      store.delete(List.of("x/keep"));
      assertThat(root()).isEmptyDirectory();
    }
  }

  @Nested
  class Atomicity {
    @Test
    void put_streamFailsMidway_leavesNoObjectAndNoTemp() throws IOException {
      assertThatThrownBy(() -> store.put(base + "broken", failingAfter(100_000), 200_000))
          .isInstanceOf(StorageException.class).hasMessageContaining("connection reset");

      assertThat(store.head(base + "broken")).isEmpty();
      assertThat(filesUnderRoot()).isEmpty();
    }

    @Test
    void put_streamFailsMidway_keepsPreviousObject() throws IOException {
      put(base + "k", "old".getBytes(UTF_8));

      assertThatThrownBy(() -> store.put(base + "k", failingAfter(10), -1)).isInstanceOf(StorageException.class);
      assertThat(get(base + "k")).isEqualTo("old".getBytes(UTF_8));
      assertThat(filesUnderRoot()).hasSize(1);
    }

    @Test
    void put_streamShorterThanLength_failsWithIntegrityAndStoresNothing() throws IOException {
      assertThatThrownBy(() -> store.put(base + "short", new ByteArrayInputStream(bytes(10)), 11))
          .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.INTEGRITY))
          .hasMessageContaining("expected 11 bytes");
      assertThat(filesUnderRoot()).isEmpty();
    }

    @Test
    void get_objectReplacedWhileOpen_readsOldBytesWhole() throws IOException {
      put(base + "k", bytes(1000));
      try (InputStream in = store.get(base + "k")) {
        put(base + "k", bytes(10));

        assertThat(in.readAllBytes()).isEqualTo(bytes(1000));
      }
    }
  }

  @Nested
  class Keys {
    @Test
    void anyOperation_invalidKey_throwsOtherNamingKeyAndRoot() {
      for (String key : new String[] {"", "/abs", "a//b", "a/", "./a", "a/../b", "..", "a/.s3lfs-tmp-1"}) {
        assertThatThrownBy(() -> put(key, bytes(1))).as("'%s'", key)
            .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.OTHER))
            .hasMessageContaining("'" + key + "'").hasMessageContaining(root().toString());
        assertThatThrownBy(() -> store.head(key)).as("'%s'", key).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> store.get(key)).as("'%s'", key).isInstanceOf(StorageException.class);
      }
    }

    @Test
    void delete_invalidKey_isReportedNotThrown() {
      put(base + "ok", bytes(1));

      var failed = store.delete(List.of("../escape", base + "ok"));

      assertThat(failed).containsOnlyKeys("../escape");
      assertThat(store.head(base + "ok")).isEmpty();
    }

    @Test
    void list_prefixThatNoKeyCanHave_isEmptyEvenIfPathsExist() throws IOException {
      Files.writeString(tempDir.resolve("outside"), "x");

      assertThat(store.list("../")).isEmpty();
      assertThat(store.list("a//")).isEmpty();
      assertThat(store.list("/")).isEmpty();
    }

    @Test
    void headAndGet_keyBelowAnObject_isMissing() {
      put(base + "file", bytes(1));

      assertThat(store.head(base + "file/below")).isEmpty();
      assertThatThrownBy(() -> store.get(base + "file/below"))
          .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void headAndGet_directoryKey_isMissing() {
      put(base + "dir/obj", bytes(1));

      assertThat(store.head(base + "dir")).isEmpty();
      assertThatThrownBy(() -> store.get(base + "dir"))
          .satisfies(e -> assertThat(kindOf(e)).isEqualTo(Kind.NOT_FOUND))
          .hasMessageContaining(base + "dir").hasMessageContaining(root().toString());
      assertThat(store.delete(List.of(base + "dir"))).isEmpty();
      assertThat(store.head(base + "dir/obj")).isPresent();
    }
  }

  @Nested
  class Listing {
    @Test
    void list_tempFilesPresent_areSkipped() throws IOException {
      put(base + "d/real", bytes(3));
      Files.write(root().resolve(base + "d/.s3lfs-tmp-123"), bytes(5));

      assertThat(store.list(base)).containsExactly(new ObjectInfo(base + "d/real", 3));
    }

    @Test
    void list_emptyPrefix_listsEverything() {
      put("a", bytes(1));
      put("b/c", bytes(2));

      assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("a", "b/c");
    }
  }

  @Nested
  class Open {
    private final ObjectStoreProvider provider = new FileStoreProvider();

    @Test
    void open_missingDirectory_createsIt() {
      Path dir = tempDir.resolve("new/nested");
      URI uri = dir.toUri();
      try (ObjectStore opened = provider.open(uri, StoreOptions.DEFAULTS)) {
        assertThat(dir).isDirectory();
        assertThat(opened.uri()).isEqualTo(uri);
      }
    }

    @Test
    void open_relativeOrForeignUri_throwsWithExample() {
      for (String uri : new String[] {"file:relative/dir", "file://host/dir", "s3://bucket/x"}) {
        assertThatThrownBy(() -> provider.open(URI.create(uri), StoreOptions.DEFAULTS)).as(uri)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(uri).hasMessageContaining("file:///");
      }
    }

    @Test
    void open_directoryIsAFile_throwsStorageException() throws IOException {
      Path file = Files.writeString(tempDir.resolve("plain"), "x");

      assertThatThrownBy(() -> provider.open(file.resolve("sub").toUri(), StoreOptions.DEFAULTS))
          .isInstanceOf(StorageException.class).hasMessageContaining(file.toString());
    }

    @Test
    void forScheme_file_findsThisProvider() {
      assertThat(ObjectStoreProvider.forScheme("FILE")).isInstanceOf(FileStoreProvider.class);
    }
  }
}
