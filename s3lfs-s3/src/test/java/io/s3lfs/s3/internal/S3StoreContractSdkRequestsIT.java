package io.s3lfs.s3.internal;

import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.net.URI;
import java.nio.file.Path;

/**
 * The object store contract on the CRT client with whole-object GETs through the SDK
 * ({@code s3.direct=false}), the path taken after a cross-region redirect.
 */
class S3StoreContractSdkRequestsIT extends S3StoreContractIT {
  private final S3ProxyServer server;
  private final String bucket;

  S3StoreContractSdkRequestsIT(S3ProxyServer server) {
    super(server);
    this.server = server;
    this.bucket = server.createBucket("sdkgets");
  }

  @Override
  protected ObjectStore openStore(Path tempDir) {
    return S3StoreProvider.open(URI.create("s3://" + bucket),
        server.options().withExtra("s3.client", "crt").withExtra("s3.direct", "false"), server.credentials());
  }
}
