package io.s3lfs.s3.internal;

import static io.s3lfs.s3.internal.S3StoreITSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import io.s3lfs.s3.testing.S3ProxyExtension;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --no-sign-request}: public buckets can be read, nothing can be written. */
@ExtendWith(S3ProxyExtension.class)
class S3StoreAnonymousIT {
  private static String bucket;

  @BeforeAll
  static void publicBucketWithOneObject(S3ProxyServer server) {
    bucket = server.createPublicBucket("public");
    try (var signed = S3StoreITSupport.open(bucket, server.options(), server.credentials())) {
      signed.put("data/hello.txt", new ByteArrayInputStream("hello".getBytes()), 5);
    }
    server.makePublic(bucket, "data/hello.txt");
  }

  private static ObjectStore anonymous(S3ProxyServer server) {
    return ObjectStoreProvider.forScheme("s3").open(URI.create("s3://" + bucket + "/repo/prefix"),
        server.options().withAnonymous(true));
  }

  @Test
  void read_publicBucketAnonymously_succeeds(S3ProxyServer server) {
    try (var store = anonymous(server)) {
      assertThat(readAll(store.get("data/hello.txt"))).asString().isEqualTo("hello");
      assertThat(store.head("data/hello.txt")).contains(new ObjectInfo("data/hello.txt", 5));
      assertThat(store.list("data/")).extracting(ObjectInfo::key).containsExactly("data/hello.txt");
    }
  }

  @Test
  void put_anonymous_accessDeniedSayingAnonymousCannotWrite(S3ProxyServer server) {
    try (var store = anonymous(server)) {
      assertThatThrownBy(() -> store.put("data/new", new ByteArrayInputStream(new byte[1]), 1))
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
            assertThat(e.operation()).isEqualTo(Operation.WRITE);
            assertThat(e.getMessage()).contains("anonymous requests (--no-sign-request) cannot write")
                .doesNotContain("\n");
          });
    }
  }

  @Test
  void delete_anonymous_reportsTheKeyAsFailedAndKeepsIt(S3ProxyServer server) {
    try (var store = anonymous(server)) {
      var failed = store.delete(List.of("data/hello.txt"));

      // S3Proxy answers an anonymous DeleteObjects with 400 where Amazon S3 says 403 AccessDenied.
      assertThat(failed).containsOnlyKeys("data/hello.txt");
      assertThat(failed.get("data/hello.txt").operation()).isEqualTo(Operation.DELETE);
      assertThat(store.head("data/hello.txt")).isPresent();
    }
  }

  @Test
  void read_privateBucketAnonymously_accessDenied(S3ProxyServer server) {
    String closed = server.createBucket("private");
    try (var store = ObjectStoreProvider.forScheme("s3").open(URI.create("s3://" + closed),
        server.options().withAnonymous(true))) {
      assertThatThrownBy(() -> store.list("")).isInstanceOfSatisfying(StorageException.class, e -> {
        assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("access denied (list)");
      });
    }
  }
}
