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
  void list_serverThatIsNotS3_saysSoInsteadOfNoSuchObject(S3ProxyServer server) throws IOException {
    // A web server or proxy at the endpoint answers a bare 404 (seen from a sandbox's transparent
    // proxy): "no such object" for a listing sent the user looking for a missing file.
    try (var web = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual().start(() -> {
        while (!web.isClosed()) {
          try {
            var connection = web.accept();
            Thread.ofVirtual().start(() -> answer404(connection));
          } catch (IOException e) {
            return; // closed
          }
        }
      });
      String endpoint = "http://127.0.0.1:" + web.getLocalPort();
      for (var client : new S3Settings.ClientKind[] {S3Settings.ClientKind.CRT, S3Settings.ClientKind.STANDARD}) {
        var options = server.options().withEndpointUrl(endpoint).withExtra("s3.client", client.name());
        try (var store = S3StoreITSupport.open("bucket", options, server.credentials())) {
          assertFails(() -> store.list("p/"), Kind.UNREACHABLE, "failed: HTTP 404 without an S3 error code from " + endpoint
              + "; check that the endpoint is an S3 server and that bucket bucket exists there");
        }
      }
    }
  }

  // Answers every request on the connection (bodiless, as listings are) with an empty 404.
  private static void answer404(java.net.Socket connection) {
    try (connection) {
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(connection.getInputStream(),
          java.nio.charset.StandardCharsets.ISO_8859_1));
      var out = connection.getOutputStream();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          out.flush();
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  @Test
  void errors_operationNamedInAccessDenied(S3ProxyServer server) {
    var failure = new S3Errors(S3Settings.of(java.net.URI.create("s3://b"), server.options(), k -> null), null)
        .forCode(403, "AccessDenied", "Access Denied", Operation.DELETE, "x", null);

    assertThat(failure.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(failure.getMessage()).startsWith("access denied (delete) to s3://b/x");
  }

  @Test
  @org.junit.jupiter.api.Timeout(120)
  void listAndGet_httpsEndpointWithAnUntrustedCertificate_unreachableNamingTheCertificate(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path temp) throws Exception {
    // The CRT alone reported this after 112-134 s (s2n's 10-30 s wait after a failed handshake,
    // retried); TlsProbe says why in seconds. The CRT here trusts the system's CAs, the probe the
    // unrelated certificate named by SSL_CERT_FILE: neither trusts the server's.
    var served = io.s3lfs.s3.testing.TestCertificate.create(temp, "server", "ip:127.0.0.1", null, 2);
    var unrelated = io.s3lfs.s3.testing.TestCertificate.create(temp, "unrelated", "dns:unrelated.example.test", null, 2);
    try (var tls = S3ProxyServer.startTls(served.keyStore(), io.s3lfs.s3.testing.TestCertificate.PASSWORD)) {
      String bucket = tls.createBucket("tls");
      var uri = java.net.URI.create("s3://" + bucket);
      var env = java.util.Map.of("SSL_CERT_FILE", unrelated.pem().toString());
      String why = "cannot talk TLS with " + tls.endpoint() + ": the certificate of 127.0.0.1 is not signed by a"
          + " trusted CA (checked against " + unrelated.pem();
      for (String direct : new String[] {"true", "false"}) {
        var settings = S3Settings.of(uri, tls.options().withExtra("s3.client", "crt").withExtra("s3.direct", direct),
            env::get);
        try (var store = new S3Store(uri, settings, S3Clients.build(settings, tls.credentials()))) {
          assertFails(() -> store.list(""), Kind.UNREACHABLE, why);
          assertFails(() -> store.get("k"), Kind.UNREACHABLE, why);
        }
      }
    }
  }

  private static void assertFails(ThrowingCallable call, Kind kind, String mentioned) {
    assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class, e -> {
      assertThat(e.kind()).isEqualTo(kind);
      assertThat(e.getMessage()).contains(mentioned).doesNotContain("\n").doesNotContain("Request ID");
    });
  }
}
