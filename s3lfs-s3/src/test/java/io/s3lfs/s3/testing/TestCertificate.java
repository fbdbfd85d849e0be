package io.s3lfs.s3.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made by the JDK's {@code keytool}: its key store (PKCS12,
 * password {@link #PASSWORD}) for a server, and the certificate as PEM for a client to trust.
 *
 * @param keyStore the key and certificate
 * @param pem the certificate alone, PEM-encoded
 */
public record TestCertificate(Path keyStore, Path pem) {
  public static final String PASSWORD = "password";

  /**
   * @param dir where the two files go, named after {@code name}
   * @param name a file name stem, also the certificate's CN
   * @param san the subjectAltName extension value, for example {@code ip:127.0.0.1}
   * @param startDate keytool's {@code -startdate} (for example {@code -3d}), or null for now
   * @param validityDays how long the certificate is valid from its start
   */
  public static TestCertificate create(Path dir, String name, String san, String startDate, int validityDays)
      throws IOException, InterruptedException {
    Path keyStore = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    List<String> generate = new ArrayList<>(keytool("-genkeypair", "-alias", "s3", "-keyalg", "EC",
        "-groupname", "secp256r1", "-validity", Integer.toString(validityDays), "-dname", "CN=" + name,
        "-ext", "SAN=" + san, "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD));
    if (startDate != null) {
      generate.addAll(List.of("-startdate", startDate));
    }
    run(generate);
    try {
      writePem((X509Certificate) load(keyStore).getCertificate("s3"), pem);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read " + keyStore + ": " + e, e);
    }
    return new TestCertificate(keyStore, pem);
  }

  /**
   * A certificate signed by this one (as a CA), its key store holding the chain.
   *
   * @param dir where the files go, named after {@code name}
   * @param name a file name stem, also the certificate's CN
   * @param san the subjectAltName extension value
   * @param startDate keytool's {@code -startdate}, or null for now
   * @param validityDays how long the certificate is valid from its start
   */
  public TestCertificate issue(Path dir, String name, String san, String startDate, int validityDays)
      throws IOException, InterruptedException {
    Path keyStore = dir.resolve(name + ".p12");
    Path request = dir.resolve(name + ".csr");
    Path pem = dir.resolve(name + ".pem");
    String store = keyStore.toString();
    run(keytool("-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-storetype", "PKCS12", "-keystore", store, "-storepass", PASSWORD));
    run(keytool("-certreq", "-alias", "s3", "-keystore", store, "-storepass", PASSWORD, "-file", request.toString()));
    List<String> sign = new ArrayList<>(keytool("-gencert", "-alias", "s3", "-keystore", keyStore().toString(),
        "-storepass", PASSWORD, "-infile", request.toString(), "-outfile", pem.toString(), "-rfc",
        "-validity", Integer.toString(validityDays), "-ext", "SAN=" + san));
    if (startDate != null) {
      sign.addAll(List.of("-startdate", startDate));
    }
    run(sign);
    // The signed certificate and this one as its chain, under the key (keytool -importcert
    // twice, in process: each keytool run is a JVM start).
    try {
      KeyStore leaf = load(keyStore);
      var x509 = CertificateFactory.getInstance("X.509");
      Certificate signed;
      Certificate issuer;
      try (InputStream a = Files.newInputStream(pem); InputStream b = Files.newInputStream(pem())) {
        signed = x509.generateCertificate(a);
        issuer = x509.generateCertificate(b);
      }
      leaf.setKeyEntry("s3", leaf.getKey("s3", PASSWORD.toCharArray()), PASSWORD.toCharArray(),
          new Certificate[] {signed, issuer});
      try (var out = Files.newOutputStream(keyStore)) {
        leaf.store(out, PASSWORD.toCharArray());
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot complete " + keyStore + ": " + e, e);
    }
    return new TestCertificate(keyStore, pem);
  }

  private static List<String> keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // A short-lived JVM: C1 only and the serial collector start it in 0.46 s instead of 0.76 s.
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
    command.addAll(List.of(args));
    return command;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
  }

  private static KeyStore load(Path keyStore) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static void writePem(X509Certificate certificate, Path pem) throws IOException, GeneralSecurityException {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(certificate.getEncoded());
    Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
  }

  /** @return a server-side TLS context presenting this certificate */
  public SSLContext serverContext() throws IOException, GeneralSecurityException {
    KeyStore store = load(keyStore);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }
}
