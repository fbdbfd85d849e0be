package io.s3lfs.s3.internal;

import io.s3lfs.api.StoreOptions;
import io.s3lfs.s3.internal.S3Settings.ClientKind;
import io.s3lfs.s3.testing.FaultProxy;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Small helpers shared by the S3 store integration tests. */
final class S3StoreITSupport {
  private S3StoreITSupport() {}

  /** Options for a store reaching {@code server} through {@code endpoint}, with quick retries. */
  static StoreOptions options(S3ProxyServer server, URI endpoint, ClientKind client) {
    return server.options().withEndpointUrl(endpoint.toString())
        .withExtra("s3.client", client.name().toLowerCase(java.util.Locale.ROOT))
        .withExtra("s3.partSize", String.valueOf(5 * S3Settings.MIB))
        .withExtra("s3.retry.baseDelayMillis", "5");
  }

  static S3Store open(String bucket, StoreOptions options, AwsCredentialsProvider credentials) {
    return (S3Store) S3StoreProvider.open(URI.create("s3://" + bucket), options, credentials);
  }

  static S3Store open(S3ProxyServer server, FaultProxy proxy, String bucket, ClientKind client) {
    return open(bucket, options(server, proxy.endpoint(), client), server.credentials());
  }

  static byte[] randomBytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
