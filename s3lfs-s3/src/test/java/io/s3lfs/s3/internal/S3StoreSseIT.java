package io.s3lfs.s3.internal;

import static io.s3lfs.s3.internal.S3StoreITSupport.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.s3.internal.S3Settings.ClientKind;
import io.s3lfs.s3.testing.FaultProxy;
import io.s3lfs.s3.testing.FaultProxy.Request;
import io.s3lfs.s3.testing.S3ProxyExtension;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Observes on the wire which requests carry {@code x-amz-server-side-encryption}. */
@ExtendWith(S3ProxyExtension.class)
class S3StoreSseIT {
  private static final String SSE = "x-amz-server-side-encryption";

  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void writes_encryptionOn_everyPutCreateMultipartAndCopyCarriesAes256(ClientKind client, S3ProxyServer server,
      @TempDir Path dir) throws IOException {
    List<Request> creating = writeEverything(client, server, dir, true);

    assertThat(creating).filteredOn(r -> r.header("x-amz-copy-source") != null).hasSize(1);
    assertThat(creating).hasSize(5).allSatisfy(r -> assertThat(r.header(SSE)).isEqualTo("AES256"));
  }

  @ParameterizedTest
  @EnumSource(value = ClientKind.class, names = {"CRT", "STANDARD"})
  void writes_encryptionOff_noRequestCarriesTheHeader(ClientKind client, S3ProxyServer server, @TempDir Path dir)
      throws IOException {
    List<Request> creating = writeEverything(client, server, dir, false);

    assertThat(creating).hasSize(5).allSatisfy(r -> assertThat(r.header(SSE)).isNull());
  }

  /**
   * Two PutObject, two CreateMultipartUpload, one CopyObject: a single PUT from a file and from a stream, multipart from a file and from a stream, and a
   * copy. Returns the requests that create objects: PutObject, CreateMultipartUpload, CopyObject
   * (UploadPart takes no SSE header; the upload's setting applies).
   */
  private static List<Request> writeEverything(ClientKind client, S3ProxyServer server, Path dir, boolean sse)
      throws IOException {
    try (var proxy = FaultProxy.start(server.endpoint());
        var store = S3StoreITSupport.open(server.createBucket("sse"),
            S3StoreITSupport.options(server, proxy.endpoint(), client).withEncryption(sse), server.credentials())) {
      store.put("small-file", Files.write(dir.resolve("small"), randomBytes(1000, 1)));
      store.put("small-stream", new ByteArrayInputStream(new byte[10]), 10);
      store.put("big-file", Files.write(dir.resolve("big"), randomBytes(11 * 1024 * 1024, 2)));
      store.put("big-stream", new ByteArrayInputStream(randomBytes(11 * 1024 * 1024, 3)), -1);
      store.copy("small-file", "copy");
      return proxy.requests().stream()
          .filter(r -> (r.method().equals("PUT") && !r.hasQuery("partNumber"))
              || (r.method().equals("POST") && r.hasQuery("uploads")))
          .toList();
    }
  }
}
