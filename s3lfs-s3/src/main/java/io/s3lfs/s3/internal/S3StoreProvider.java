package io.s3lfs.s3.internal;

import io.s3lfs.api.StoreOptions;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Serves {@code s3://BUCKET} (any path after the bucket is the engine's prefix and ignored here).
 * Opening builds the SDK client; see {@link S3Clients} for which one and {@link S3Settings} for
 * the provider-specific options. Credentials come from the SDK's default chain (environment,
 * profiles including SSO, container and instance roles) unless {@link StoreOptions#anonymous()}.
 */
public final class S3StoreProvider implements ObjectStoreProvider {
  /** Only assigns nothing: all setup happens in {@link #open}. */
  public S3StoreProvider() {}

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public ObjectStore open(URI uri, StoreOptions options) {
    return open(uri, options, null);
  }

  /**
   * Opens a store with explicit credentials instead of the default chain (tests, embedders).
   *
   * @param credentials the credentials, or {@code null} for the SDK's default chain
   */
  public static ObjectStore open(URI uri, StoreOptions options, AwsCredentialsProvider credentials) {
    S3Settings settings = S3Settings.of(uri, options, System::getenv);
    return new S3Store(uri, settings, S3Clients.build(settings, credentials));
  }
}
