package io.s3lfs.s3.internal;

import static io.s3lfs.s3.internal.S3StoreITSupport.randomBytes;
import static io.s3lfs.s3.internal.S3StoreITSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.s3.internal.S3Settings.ClientKind;
import io.s3lfs.s3.testing.FaultProxy;
import io.s3lfs.s3.testing.FaultProxy.Fault;
import io.s3lfs.s3.testing.S3ProxyExtension;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Transient faults are retried to a correct result; permanent ones are not retried. */
@ExtendWith(S3ProxyExtension.class)
class S3StoreFaultsIT {
  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void everyOperation_everyThirdRequestFails_endsCorrect(ClientKind client, S3ProxyServer server, @TempDir Path dir)
      throws IOException {
    byte[] big = randomBytes(12 * 1024 * 1024, 1);
    byte[] small = randomBytes(2000, 2);
    try (var proxy = FaultProxy.start(server.endpoint());
        var store = S3StoreITSupport.open(server, proxy, server.createBucket("faults"), client)) {
      proxy.policy(FaultProxy.everyNth(3, Fault.SLOW_DOWN, Fault.INTERNAL_ERROR, Fault.DROP));

      store.put("big", Files.write(dir.resolve("big"), big));
      store.put("stream", new ByteArrayInputStream(big), big.length);
      store.put("small", new ByteArrayInputStream(small), small.length);
      store.copy("small", "copy");

      assertThat(readAll(store.get("big"))).isEqualTo(big);
      assertThat(readAll(store.get("stream"))).isEqualTo(big);
      assertThat(readAll(store.get("copy", 5, 10))).isEqualTo(java.util.Arrays.copyOfRange(small, 5, 15));
      assertThat(store.head("small")).contains(new ObjectInfo("small", small.length));
      assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly("big", "copy", "small", "stream");
      assertThat(store.delete(List.of("big", "copy", "small", "stream"))).isEmpty();
      assertThat(store.list("")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void put_alwaysSlowDown_throttledAfterMaxAttempts(ClientKind client, S3ProxyServer server) throws IOException {
    try (var proxy = FaultProxy.start(server.endpoint());
        var store = S3StoreITSupport.open(server, proxy, server.createBucket("throttle"), client)) {
      proxy.policy(r -> Fault.SLOW_DOWN);

      assertThatThrownBy(() -> store.put("k", new ByteArrayInputStream(new byte[3]), 3))
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
            assertThat(e.getMessage()).contains("throttl").doesNotContain("\n");
          });
      assertThat(proxy.requests()).hasSize(5);
    }
  }

  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void get_alwaysInternalError_transientAfterMaxAttempts(ClientKind client, S3ProxyServer server) throws IOException {
    try (var proxy = FaultProxy.start(server.endpoint());
        var store = S3StoreITSupport.open(server, proxy, server.createBucket("internal"), client)) {
      proxy.policy(r -> Fault.INTERNAL_ERROR);

      assertThatThrownBy(() -> store.get("k")).isInstanceOfSatisfying(StorageException.class,
          e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
      assertThat(proxy.requests()).hasSize(5);
    }
  }

  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void get_connectionLostMidBody_readFailsRetryably(ClientKind client, S3ProxyServer server) throws IOException {
    // The engine starts such a download over (Transfers.download): the failure must say it may pass.
    try (var proxy = FaultProxy.start(server.endpoint());
        var store = S3StoreITSupport.open(server, proxy, server.createBucket("cut"), client)) {
      byte[] data = S3StoreITSupport.randomBytes(3 * FaultProxy.CUT_AFTER, 5);
      store.put("k", new ByteArrayInputStream(data), data.length);
      proxy.policy(r -> r.method().equals("GET") ? Fault.CUT : Fault.NONE);

      assertThatThrownBy(() -> {
        try (var in = store.get("k")) {
          in.readAllBytes();
        }
      }).isInstanceOfSatisfying(StorageException.class, e -> {
        assertThat(e.kind().retryable()).as(e.kind() + ": " + e.getMessage()).isTrue();
        assertThat(e.getMessage()).doesNotContain("\n");
      });
    }
  }

  /** A store on {@code client} through {@code proxy} with {@code s3.retry.maxAttempts=1}. */
  private static S3Store oneAttempt(S3ProxyServer server, FaultProxy proxy, String bucket, ClientKind client) {
    return S3StoreITSupport.open(server.createBucket(bucket),
        S3StoreITSupport.options(server, proxy.endpoint(), client).withExtra("s3.retry.maxAttempts", "1"),
        server.credentials());
  }

  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void maxAttemptsOne_getSingleAttemptPutFewestTheClientCanMake(ClientKind client, S3ProxyServer server)
      throws IOException {
    // A GET goes on the CRT's plain HTTP client, which leaves retries to the store: one attempt.
    // A small PUT goes on the CRT's S3 client, which cannot make a single attempt (0 retries is
    // its default of 3): two, not four.
    try (var proxy = FaultProxy.start(server.endpoint());
        var store = oneAttempt(server, proxy, "once", client)) {
      proxy.policy(r -> Fault.INTERNAL_ERROR);

      assertThatThrownBy(() -> store.get("k")).isInstanceOfSatisfying(StorageException.class,
          e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
      assertThat(proxy.requests()).as("GET").hasSize(1);

      proxy.clearRequests();
      assertThatThrownBy(() -> store.put("k", new ByteArrayInputStream(new byte[3]), 3))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
      assertThat(proxy.requests()).as("PUT").hasSize(client == ClientKind.CRT ? 2 : 1);
    }
  }

  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void get_maxAttemptsOneAndARangeFailingOnce_readFailsWithoutAskingAgain(ClientKind client, S3ProxyServer server)
      throws IOException {
    // The further ranges of a big object fetched alone are asked for again as often as
    // s3.retry.maxAttempts allows (AbstractS3StoreIT: once more with the default of 5).
    try (var proxy = FaultProxy.start(server.endpoint());
        var store = oneAttempt(server, proxy, "range-once", client)) {
      byte[] data = S3StoreITSupport.randomBytes(20 << 20, 6);
      store.put("big", new ByteArrayInputStream(data), data.length);
      var failed = new java.util.concurrent.atomic.AtomicBoolean();
      proxy.policy(r -> "bytes=8388608-16777215".equals(r.header("range")) && failed.compareAndSet(false, true)
          ? Fault.INTERNAL_ERROR : Fault.NONE);

      if (client == ClientKind.CRT) {
        assertThatThrownBy(() -> {
          try (var in = store.get("big")) {
            in.readAllBytes();
          }
        }).isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.TRANSIENT));
      } else { // one GET of the whole object: no range to fail
        try (var in = store.get("big")) {
          assertThat(in.readAllBytes()).isEqualTo(data);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void put_serverRefusesSse_unsupportedWithConfigFixAndNoRetry(ClientKind client, S3ProxyServer server)
      throws IOException {
    try (var proxy = FaultProxy.start(server.endpoint());
        var store = S3StoreITSupport.open(server, proxy, server.createBucket("nosse"), client)) {
      proxy.policy(r -> r.header("x-amz-server-side-encryption") != null ? Fault.NOT_IMPLEMENTED : Fault.NONE);

      assertThatThrownBy(() -> store.put("k", new ByteArrayInputStream(new byte[3]), 3))
          .isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
            assertThat(e.getMessage()).contains("add `encryption: false` to .s3lfsconfig").doesNotContain("\n");
          });
      assertThat(proxy.requests()).hasSize(1);
    }
  }
}
