package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.s3.testing.S3ProxyExtension;
import io.s3lfs.s3.testing.S3ProxyServer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;

/**
 * Closing direct requests ends their event loops: at the JVM's exit the AWS CRT waits up to a
 * second for native threads, so loops left running (or a client still shutting down) held every
 * program that used the store for that long.
 */
@ExtendWith(S3ProxyExtension.class)
class CrtRequestsCloseIT {
  @Test
  void close_afterRequests_eventLoopsEnded(S3ProxyServer server) throws Exception {
    String bucket = server.createBucket("close");
    var settings = S3Settings.of(URI.create("s3://" + bucket), server.options(), Map.<String, String>of()::get);
    CrtRequests requests = CrtRequests.create(settings, server.credentials(), Region.US_EAST_1);
    assertThat(requests).isNotNull();
    requests.put("k", new byte[] {1, 2, 3}).get(30, TimeUnit.SECONDS);
    try (var in = requests.get("k", failure -> false).get(30, TimeUnit.SECONDS)) {
      assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
    }

    requests.close();

    assertThat(requests.loopsShutDown()).as("close returned before its event loops ended").isDone();
  }
}
