package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.s3.testing.TestCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;

@Timeout(60)
class TlsProbeTest {
  @TempDir static Path certs;
  static TestCertificate server;
  static TestCertificate otherName;
  static TestCertificate ca;
  static TestCertificate expired;
  static TestCertificate unrelated;

  private Server running;

  @BeforeAll
  static void certificates() throws Exception {
    server = TestCertificate.create(certs, "server", "ip:127.0.0.1", null, 2);
    otherName = TestCertificate.create(certs, "other", "dns:other.example.test", null, 2);
    ca = TestCertificate.create(certs, "ca", "dns:ca.example.test", null, 30);
    expired = ca.issue(certs, "expired", "ip:127.0.0.1", "-3d", 1);
    unrelated = TestCertificate.create(certs, "unrelated", "dns:unrelated.example.test", null, 2);
  }

  @AfterEach
  void stop() throws IOException {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void handshake_certificateNoTrustedCaSigned_refusedNamingWhatWasChecked() throws Exception {
    running = Server.tls(server);
    Optional<TlsProbe.Refusal> verdict = probe(running, unrelated.pem()).handshake();
    assertThat(verdict).hasValue(new TlsProbe.Refusal(
        "the certificate of 127.0.0.1 is not signed by a trusted CA (checked against " + unrelated.pem() + ")",
        TlsProbe.UNTRUSTED_FIX));
  }

  @Test
  void handshake_trustedCertificate_empty() throws Exception {
    running = Server.tls(server);
    assertThat(probe(running, server.pem()).handshake()).isEmpty();
    assertThat(running.accepted.get()).isEqualTo(1);
  }

  @Test
  void handshake_trustedInADirectoryOfCertificates_empty() throws Exception {
    running = Server.tls(server);
    Path dir = Files.createDirectories(certs.resolve("dir"));
    Files.copy(server.pem(), dir.resolve("abcd1234.0"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(dir.resolve("README"), "not a certificate");
    var probe = new TlsProbe("127.0.0.1", running.port(), List.of(unrelated.pem(), dir), Duration.ofSeconds(1));
    assertThat(probe.handshake()).isEmpty();
  }

  @Test
  void handshake_trustedCertificateForAnotherName_refusedNamingTheHost() throws Exception {
    running = Server.tls(otherName);
    assertThat(probe(running, otherName.pem()).handshake())
        .hasValueSatisfying(v -> {
          assertThat(v.reason()).startsWith("the certificate is not issued for 127.0.0.1 (");
          assertThat(v.fix()).isEqualTo("name the endpoint by a host name its certificate is issued for");
        });
  }

  @Test
  void handshake_expiredCertificateFromATrustedCa_refusedAsOutsideItsDates() throws Exception {
    running = Server.tls(expired);
    assertThat(probe(running, ca.pem()).handshake())
        .hasValueSatisfying(v -> assertThat(v.reason()).startsWith("the certificate of 127.0.0.1 is outside its validity dates"));
  }

  @Test
  void handshake_plainHttpServer_refusedAsNotTls() throws Exception {
    running = Server.plain("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    assertThat(probe(running, server.pem()).handshake())
        .hasValue(new TlsProbe.Refusal("127.0.0.1:" + running.port() + " does not answer in TLS",
            "if the server speaks plain http, name the endpoint http://127.0.0.1:" + running.port()));
  }

  @Test
  void handshake_connectionClosedAtOnce_emptyAsUnclear() throws Exception {
    running = Server.plain("");
    assertThat(probe(running, server.pem()).handshake()).isEmpty();
  }

  @Test
  void await_answerWithinPatience_returnsItWithoutProbing() throws Exception {
    running = Server.tls(server);
    var probe = probe(running, unrelated.pem());
    assertThat(probe.await(CompletableFuture.completedFuture("answer"))).isEqualTo("answer");
    var later = new CompletableFuture<String>();
    assertThat(probe.await(later.completeOnTimeout("later", 10, TimeUnit.MILLISECONDS))).isEqualTo("later");
    assertThat(running.accepted.get()).isZero();
    assertThat(probe.refused()).isFalse();
  }

  @Test
  void await_unansweredAndCertificateRefused_failsAndCancelsEveryRequest() throws Exception {
    running = Server.tls(server);
    var probe = probe(running, unrelated.pem());
    var pending = new CompletableFuture<String>();
    assertThatThrownBy(() -> probe.await(pending)).isInstanceOf(SdkClientException.class)
        .hasMessage("TLS (SSL) negotiation failed: the certificate of 127.0.0.1 is not signed by a trusted CA"
            + " (checked against " + unrelated.pem() + ")");
    assertThat(pending).isCancelled();
    assertThat(probe.refused()).isTrue();
    // Later requests fail at once, without a second handshake.
    var next = new CompletableFuture<String>();
    assertThatThrownBy(() -> probe.await(next)).isInstanceOf(SdkClientException.class);
    assertThat(next).isCancelled();
    assertThat(running.accepted.get()).isEqualTo(1);
  }

  @Test
  void await_unansweredButCertificateTrusted_waitsForTheAnswer() throws Exception {
    running = Server.tls(server);
    var probe = probe(running, server.pem());
    var slow = new CompletableFuture<String>().completeOnTimeout("slow", 1500, TimeUnit.MILLISECONDS);
    assertThat(probe.await(slow)).isEqualTo("slow");
    assertThat(running.accepted.get()).isEqualTo(1);
    assertThat(probe.refused()).isFalse();
  }

  @Test
  void await_requestFails_throwsItsFailureAsJoinWould() throws Exception {
    running = Server.tls(server);
    var probe = probe(running, unrelated.pem());
    var failed = CompletableFuture.<String>failedFuture(SdkClientException.create("socket connection refused."));
    assertThatThrownBy(() -> probe.await(failed)).isInstanceOf(java.util.concurrent.CompletionException.class)
        .hasRootCauseMessage("socket connection refused.");
  }

  @Test
  void of_httpEndpointOrNoTrust_noProbe() {
    assertThat(TlsProbe.of(java.net.URI.create("http://127.0.0.1:9000"), List.of(server.pem()))).isNull();
    assertThat(TlsProbe.of(java.net.URI.create("https://127.0.0.1:9000"), List.of())).isNull();
    assertThat(TlsProbe.of(java.net.URI.create("https://s3.example.test"), List.of(server.pem()))).isNotNull();
  }

  @Test
  void trustOf_proxySet_emptyAsTheProbeWouldReachAnotherServer() {
    assertThat(TlsProbe.trustOf(Map.of("SSL_CERT_FILE", server.pem().toString(),
        "HTTPS_PROXY", "http://proxy.example.test:3128")::get)).isEmpty();
  }

  @Test
  void trustOf_certFileAndDir_bothFirst() throws IOException {
    Path dir = Files.createDirectories(certs.resolve("trusted-dir"));
    List<Path> trust = TlsProbe.trustOf(Map.of("SSL_CERT_FILE", server.pem().toString(),
        "SSL_CERT_DIR", dir.toString())::get);
    assertThat(trust).startsWith(server.pem(), dir);
    assertThat(trust.subList(2, trust.size())).allSatisfy(p -> assertThat(TlsProbe.SYSTEM_BUNDLES).contains(p.toString()));
  }

  @Test
  void trustOf_unreadableCertFile_skipped() {
    List<Path> trust = TlsProbe.trustOf(Map.of("SSL_CERT_FILE", certs.resolve("missing.pem").toString())::get);
    assertThat(trust).doesNotContain(certs.resolve("missing.pem"));
  }

  private static TlsProbe probe(Server s, Path trust) {
    return new TlsProbe("127.0.0.1", s.port(), List.of(trust), Duration.ofMillis(200));
  }

  /** A loopback server that answers each connection in TLS, or with fixed bytes. */
  private static final class Server implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger accepted = new AtomicInteger();

    private Server(ServerSocket socket, byte[] reply) {
      this.socket = socket;
      Thread.ofVirtual().start(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            accepted.incrementAndGet();
            Thread.ofVirtual().start(() -> serve(s, reply));
          } catch (IOException e) {
            return; // closed
          }
        }
      });
    }

    static Server tls(TestCertificate certificate) throws Exception {
      SSLServerSocket s = (SSLServerSocket) certificate.serverContext().getServerSocketFactory()
          .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      return new Server(s, null);
    }

    static Server plain(String reply) throws IOException {
      return new Server(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
          reply.getBytes(StandardCharsets.US_ASCII));
    }

    private static void serve(Socket s, byte[] reply) {
      try (s) {
        if (s instanceof SSLSocket tls) {
          tls.startHandshake();
        } else if (reply.length > 0) {
          s.getInputStream().read(new byte[512]);
          s.getOutputStream().write(reply);
          return;
        } else {
          return; // closed at once
        }
        InputStream in = s.getInputStream();
        while (in.read() >= 0) {
          // until the client closes
        }
      } catch (IOException e) {
        // a refused handshake: what the tests are about
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
