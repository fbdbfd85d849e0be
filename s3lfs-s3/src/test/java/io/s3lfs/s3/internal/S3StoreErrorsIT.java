package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import io.s3lfs.s3.testing.S3ProxyExtension;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Each failure the user can meet becomes one StorageException kind with a one-line message. */
@ExtendWith(S3ProxyExtension.class)
class S3StoreErrorsIT {
  @Test
  void put_wrongSecret_noCredentialsNamingTheFix(S3ProxyServer server) {
    var wrong = StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.IDENTITY, "wrong"));
    try (var store = S3StoreITSupport.open(server.createBucket("cred"), server.options(), wrong)) {
      assertFails(() -> store.put("k", new ByteArrayInputStream(new byte[1]), 1), Kind.NO_CREDENTIALS,
          "SignatureDoesNotMatch");
    }
  }

  @Test
  void list_unknownAccessKey_noCredentials(S3ProxyServer server) {
    var unknown = StaticCredentialsProvider.create(AwsBasicCredentials.create("nobody", "x"));
    try (var store = S3StoreITSupport.open(server.createBucket("cred"), server.options(), unknown)) {
      assertFails(() -> store.list(""), Kind.NO_CREDENTIALS, "InvalidAccessKeyId");
    }
  }

  @Test
  void get_noCredentialsAnywhere_noCredentialsWithFix(S3ProxyServer server) {
    var none = AwsCredentialsProviderChain.of(ProfileCredentialsProvider.create("s3lfs-no-such-profile-" + System.nanoTime()));
    try (var store = S3StoreITSupport.open(server.createBucket("cred"), server.options(), none)) {
      assertFails(() -> store.get("k"), Kind.NO_CREDENTIALS, "AWS_ACCESS_KEY_ID");
    }
  }

  @Test
  void putAndList_unknownBucket_noSuchBucket(S3ProxyServer server) {
    try (var store = S3StoreITSupport.open("no-such-bucket-here", server.options(), server.credentials())) {
      assertFails(() -> store.put("k", new ByteArrayInputStream(new byte[1]), 1), Kind.NO_SUCH_BUCKET,
          "no-such-bucket-here");
      assertFails(() -> store.list("p/"), Kind.NO_SUCH_BUCKET, "no-such-bucket-here");
    }
  }

  @Test
  void list_closedPort_unreachableNamingTheEndpoint(S3ProxyServer server) throws IOException {
    int port;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    for (var client : new S3Settings.ClientKind[] {S3Settings.ClientKind.CRT, S3Settings.ClientKind.STANDARD}) {
      var options = server.options().withEndpointUrl(endpoint).withExtra("s3.client", client.name());
      try (var store = S3StoreITSupport.open("bucket", options, server.credentials())) {
        assertFails(() -> store.list(""), Kind.UNREACHABLE, endpoint);
      }
    }
  }

  @Test
  void errors_operationNamedInAccessDenied(S3ProxyServer server) {
    var failure = new S3Errors(S3Settings.of(java.net.URI.create("s3://b"), server.options(), k -> null), null)
        .forCode(403, "AccessDenied", "Access Denied", Operation.DELETE, "x", null);

    assertThat(failure.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(failure.getMessage()).startsWith("access denied (delete) to s3://b/x");
  }

  private static void assertFails(ThrowingCallable call, Kind kind, String mentioned) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class, e -> {
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.getMessage()).contains(mentioned).doesNotContain("\n").doesNotContain("Request ID");
    });
  }
}
