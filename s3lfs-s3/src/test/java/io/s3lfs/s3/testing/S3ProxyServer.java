package io.s3lfs.s3.testing;

import io.s3lfs.api.StoreOptions;
import java.net.URI;
import java.util.UUID;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * A real S3 server for tests: S3Proxy with its in-memory {@code transient-nio2} store on a
 * loopback ephemeral port, requiring AWS V2 or V4 signatures from {@link #IDENTITY}. Anonymous
 * requests may read buckets made with {@link #createPublicBucket} and nothing else.
 * Use through {@link S3ProxyExtension} to share one server per test run.
 */
public final class S3ProxyServer implements AutoCloseable {
  public static final String IDENTITY = "s3lfs-test-identity";
  public static final String CREDENTIAL = "s3lfs-test-credential";

  private final S3Proxy proxy;
  private final BlobStore blobStore;
  private final boolean tls;

  private S3ProxyServer(S3Proxy proxy, BlobStore blobStore, boolean tls) {
    this.proxy = proxy;
    this.blobStore = blobStore;
    this.tls = tls;
  }

  /** Starts a server; blocks until it accepts connections. */
  public static S3ProxyServer start() {
    return start(builder().endpoint(URI.create("http://127.0.0.1:0")), false);
  }

  /**
   * Starts a server that speaks only https, with the key and certificate in {@code keyStore}
   * (PKCS12 or JKS; the certificate must name 127.0.0.1); {@link #endpoint} is then https.
   */
  public static S3ProxyServer startTls(java.nio.file.Path keyStore, String password) {
    return start(builder().secureEndpoint(URI.create("https://127.0.0.1:0")).keyStore(keyStore.toString(), password),
        true);
  }

  private static S3Proxy.Builder builder() {
    return S3Proxy.builder()
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, IDENTITY, CREDENTIAL)
        // The default 128 MiB limit on unchunked bodies is above anything the tests send, but
        // say it here so a bigger test does not fail mysteriously.
        .v4MaxNonChunkedRequestSize(256L * 1024 * 1024);
  }

  private static S3ProxyServer start(S3Proxy.Builder builder, boolean tls) {
    BlobStore store = new TransientNio2BlobStore();
    S3Proxy proxy = builder.blobStore(store).build();
    try {
      proxy.start();
      for (int i = 0; i < 500 && !"STARTED".equals(proxy.getState()); i++) {
        Thread.sleep(10);
      }
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy did not start: " + e, e);
    }
    if (!"STARTED".equals(proxy.getState())) {
      throw new IllegalStateException("S3Proxy did not start: state " + proxy.getState());
    }
    return new S3ProxyServer(proxy, store, tls);
  }

  /** @return the endpoint URL, {@code http://127.0.0.1:PORT} ({@code https} for {@link #startTls}) */
  public URI endpoint() {
    return tls
        ? URI.create("https://127.0.0.1:" + proxy.getSecurePort())
        : URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** @return the credentials the server accepts */
  public AwsCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL));
  }

  /** @return options pointing at this server: its endpoint, a fixed region, encryption on */
  public StoreOptions options() {
    return StoreOptions.DEFAULTS.withEndpointUrl(endpoint().toString()).withExtra("s3.region", "us-east-1");
  }

  /** Creates a bucket with a fresh unique name starting with {@code prefix}; returns the name. */
  public String createBucket(String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    blobStore.createContainer(name);
    return name;
  }

  /** Creates a bucket that anonymous requests may list and read. */
  public String createPublicBucket(String prefix) {
    String name = createBucket(prefix);
    blobStore.setContainerAccess(name, BucketCannedACL.PUBLIC_READ);
    return name;
  }

  /**
   * Lets anonymous requests read one object. (S3Proxy checks object ACLs on anonymous reads where
   * Amazon S3 would use a bucket policy; a public-read bucket alone only allows listing.)
   */
  public void makePublic(String bucket, String key) {
    blobStore.setBlobAccess(bucket, key, ObjectCannedACL.PUBLIC_READ);
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
