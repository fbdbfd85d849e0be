package io.s3lfs.s3.internal;

import io.s3lfs.s3.internal.S3Settings.ClientKind;
import io.s3lfs.s3.testing.S3ProxyServer;

/** {@link AbstractS3StoreIT} on the CRT-based client. */
class S3StoreCrtIT extends AbstractS3StoreIT {
  S3StoreCrtIT(S3ProxyServer server) {
    super(server);
  }

  @Override
  ClientKind client() {
    return ClientKind.CRT;
  }
}
