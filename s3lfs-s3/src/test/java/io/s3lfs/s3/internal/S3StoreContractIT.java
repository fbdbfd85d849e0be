package io.s3lfs.s3.internal;

import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.contract.ObjectStoreContract;
import io.s3lfs.s3.testing.S3ProxyExtension;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The object store contract on the {@code s3} store, against S3Proxy. */
@ExtendWith(S3ProxyExtension.class)
class S3StoreContractIT extends ObjectStoreContract {
  private final S3ProxyServer server;
  private final String bucket;

  S3StoreContractIT(S3ProxyServer server) {
    this.server = server;
    this.bucket = server.createBucket("contract");
  }

  String client() {
    return "auto";
  }

  @Override
  protected ObjectStore openStore(Path tempDir) {
    return S3StoreProvider.open(URI.create("s3://" + bucket),
        server.options().withExtra("s3.client", client()), server.credentials());
  }
}
