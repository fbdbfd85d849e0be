package io.s3lfs.s3.internal;

import io.s3lfs.s3.testing.S3ProxyServer;

/** The object store contract on the standard (Netty) client, the fallback when CRT cannot load. */
class S3StoreContractStandardIT extends S3StoreContractIT {
  S3StoreContractStandardIT(S3ProxyServer server) {
    super(server);
  }

  @Override
  String client() {
    return "standard";
  }
}
