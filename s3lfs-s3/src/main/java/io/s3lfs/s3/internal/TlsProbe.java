package io.s3lfs.s3.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Finds out within seconds what the AWS CRT takes minutes to report: that an https endpoint's
 * certificate is refused (no trusted CA, another name, expired), or that it does not speak TLS.
 *
 * <p>Why: s2n-tls, the CRT's TLS, waits a random 10 to 30 s after a failed handshake before it
 * closes the connection and reports ("blinding", a defence for servers), and the CRT's S3 client
 * retries that failure like any other. Against S3Proxy with a self-signed certificate, one
 * {@code track} waited 112-134 s for its one-line error (12-01). Here, when a request has had no
 * answer after {@link #PATIENCE} and none has been answered before, the JDK makes one handshake
 * with the endpoint, against the trust the CRT uses: {@code SSL_CERT_FILE}, else the system's CA
 * bundle and {@code SSL_CERT_DIR}. If that refuses the certificate, the waiting requests (and every later one) fail at
 * once with the reason. Any other outcome (the handshake works, times out, or fails for another
 * reason) changes nothing: the request goes on waiting for the CRT's answer, so a mistaken probe
 * can only fail to help. Not made when a proxy is set (the JDK would not reach the server the CRT
 * reaches), nor with {@code s3.tlsCheck=false}.
 */
final class TlsProbe {
  /** How long the first request may go unanswered before the probe is made. */
  static final Duration PATIENCE = Duration.ofSeconds(2);
  /** Where aws-c-io looks for the system's CA bundle on Linux, in its order, and macOS's. */
  static final List<String> SYSTEM_BUNDLES = List.of(
      "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem",
      "/etc/pki/tls/cacert.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem");
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");
  private static final int TIMEOUT_MILLIS = 10_000;
  /** What to do about a certificate no trusted CA signed; also S3Errors' advice when the CRT says only that TLS failed. */
  static final String UNTRUSTED_FIX = "check that the endpoint is https and that its certificate chains to a CA this"
      + " system trusts (/etc/ssl/certs; for a private or proxy CA, install it there or name a PEM bundle in"
      + " AWS_CA_BUNDLE)";

  private final String host;
  private final int port;
  private final List<Path> trust;
  private final Duration patience;
  /** Set once any request has been answered: the endpoint's TLS works, no probe is needed. */
  private volatile boolean answered;
  /** The probe, made once: the reason the certificate is refused, or empty. */
  private final AtomicReference<CompletableFuture<Optional<Refusal>>> verdict = new AtomicReference<>();

  TlsProbe(String host, int port, List<Path> trust, Duration patience) {
    this.host = host;
    this.port = port;
    this.trust = trust;
    this.patience = patience;
  }

  /**
   * @param endpoint where requests go
   * @param trust the CAs the CRT may trust, from {@link #trustOf}
   * @return a probe for an https endpoint with CAs to check against, else null
   */
  static TlsProbe of(URI endpoint, List<Path> trust) {
    if (endpoint == null || trust.isEmpty() || !"https".equalsIgnoreCase(endpoint.getScheme())
        || endpoint.getHost() == null) {
      return null;
    }
    String host = endpoint.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new TlsProbe(host, endpoint.getPort() < 0 ? 443 : endpoint.getPort(), trust, PATIENCE);
  }

  /**
   * The CAs the CRT may verify servers against, generously: {@code SSL_CERT_FILE}, the files in
   * {@code SSL_CERT_DIR}, and the first system bundle found (OpenSSL's default paths, which the
   * CRT's TLS loads, are a subset). The more the probe trusts, the less it can refuse wrongly.
   *
   * @param env environment lookup
   * @return bundle files and directories of certificates; empty when a proxy is set (the probe
   *     would not reach the server the CRT reaches) or nothing is found
   */
  static List<Path> trustOf(UnaryOperator<String> env) {
    for (String name : List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")) {
      String v = env.apply(name);
      if (v != null && !v.isBlank()) {
        return List.of();
      }
    }
    List<Path> trust = new ArrayList<>();
    for (String name : List.of("SSL_CERT_FILE", "SSL_CERT_DIR")) {
      String v = env.apply(name);
      if (v != null && !v.isBlank() && Files.isReadable(Path.of(v.strip()))) {
        trust.add(Path.of(v.strip()));
      }
    }
    SYSTEM_BUNDLES.stream().map(Path::of).filter(Files::isReadable).findFirst()
        .filter(p -> !trust.contains(p)).ifPresent(trust::add);
    return List.copyOf(trust);
  }

  /**
   * Waits for {@code request} as {@link CompletableFuture#join} does, but fails it early when
   * the probe finds that the endpoint's certificate is refused.
   *
   * @throws SdkClientException "TLS (SSL) negotiation failed: " and the reason, after
   *     cancelling {@code request}
   */
  <T> T await(CompletableFuture<T> request) {
    CompletableFuture<Optional<Refusal>> made = verdict.get();
    if (made != null && made.isDone()) {
      refuse(request, made.join());
      return request.join();
    }
    if (answered) {
      return request.join();
    }
    try {
      T value = request.get(patience.toMillis(), TimeUnit.MILLISECONDS);
      answered = true;
      return value;
    } catch (TimeoutException e) {
      CompletableFuture<Optional<Refusal>> probe = verdict();
      try {
        CompletableFuture.anyOf(request, probe).join(); // an answer that comes meanwhile wins
      } catch (CompletionException | CancellationException failed) {
        // the request's own failure, thrown by its join below
      }
      if (!request.isDone()) {
        refuse(request, probe.join());
      }
      return request.join();
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // kept for the caller; this wait goes on as join's would
      return request.join();
    }
  }

  /** @return whether the probe was made and refused the endpoint's certificate */
  boolean refused() {
    return refusal().isPresent();
  }

  /** @return why the probe refused the endpoint's certificate, once it has */
  Optional<Refusal> refusal() {
    CompletableFuture<Optional<Refusal>> made = verdict.get();
    return made != null && made.isDone() ? made.join() : Optional.empty();
  }

  /**
   * Why an endpoint's TLS was refused, and what the user can do about it.
   *
   * @param reason what is wrong, naming the host
   * @param fix what to change
   */
  record Refusal(String reason, String fix) {}

  private static void refuse(CompletableFuture<?> request, Optional<Refusal> refusal) {
    if (refusal.isPresent()) {
      request.cancel(false);
      throw SdkClientException.create("TLS (SSL) negotiation failed: " + refusal.get().reason());
    }
  }

  private CompletableFuture<Optional<Refusal>> verdict() {
    CompletableFuture<Optional<Refusal>> mine = new CompletableFuture<>();
    if (verdict.compareAndSet(null, mine)) {
      Thread.ofVirtual().name("s3lfs-tls-probe").start(() -> mine.complete(handshake()));
      return mine;
    }
    return verdict.get();
  }

  /** @return why the endpoint's certificate is refused, or empty when it is not (or it is unclear) */
  Optional<Refusal> handshake() {
    SSLContext context;
    try {
      context = context(trust);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return Optional.empty(); // a bundle the JDK cannot read says nothing about the CRT's view
    }
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      plain.setSoTimeout(TIMEOUT_MILLIS);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
        SSLParameters p = tls.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(p);
        tls.startHandshake();
      }
      return Optional.empty();
    } catch (IOException e) {
      return refusal(e);
    }
  }

  /** @return the refusal when {@code failure} is one the CRT would also refuse, else empty */
  Optional<Refusal> refusal(IOException failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
        return Optional.of(new Refusal("the certificate of " + host + " is outside its validity dates ("
            + t.getMessage() + ")", "the server needs a current certificate (or this machine's clock is wrong)"));
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException) {
        return Optional.of(new Refusal("the certificate of " + host + " is not signed by a trusted CA (checked"
            + " against " + String.join(" and ", trust.stream().map(Path::toString).toList()) + ")", UNTRUSTED_FIX));
      }
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof CertificateException && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
        return Optional.of(new Refusal("the certificate is not issued for " + host + " (" + m + ")",
            "name the endpoint by a host name its certificate is issued for"));
      }
    }
    String m = failure.getMessage() == null ? "" : failure.getMessage();
    if (failure instanceof SSLException && m.contains("Unsupported or unrecognized SSL message")) {
      return Optional.of(new Refusal(host + ":" + port + " does not answer in TLS",
          "if the server speaks plain http, name the endpoint http://" + host + ":" + port));
    }
    return Optional.empty();
  }

  private static SSLContext context(List<Path> trust) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    int n = 0;
    for (Path place : trust) {
      List<Path> files;
      if (Files.isDirectory(place)) {
        try (Stream<Path> listed = Files.list(place)) {
          files = listed.filter(Files::isRegularFile).toList();
        }
      } else {
        files = List.of(place);
      }
      for (Path file : files) {
        n += add(store, x509, file, n);
      }
    }
    if (n == 0) {
      throw new CertificateException("no certificate in " + trust);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  // PEM blocks one by one: system bundles carry comments between them, which
  // CertificateFactory.generateCertificates does not skip. Returns how many were added.
  private static int add(KeyStore store, CertificateFactory x509, Path file, int first) throws KeyStoreException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return 0; // an unreadable file in a directory of certificates: the others still count
    }
    Matcher m = PEM.matcher(text);
    int n = 0;
    while (m.find()) {
      try (InputStream in = new ByteArrayInputStream(Base64.getMimeDecoder().decode(m.group(1)))) {
        store.setCertificateEntry("ca" + (first + n), (X509Certificate) x509.generateCertificate(in));
        n++;
      } catch (CertificateException | IOException | IllegalArgumentException e) {
        // one unreadable entry does not make the others untrusted
      }
    }
    return n;
  }
}
