package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CrtRequestsTest {
  private static final String NO_PROFILE = "s3lfs-no-such-profile";

  @Test
  void fipsOrDualStack_askedForInTheEnvironment_leftToTheSdk() {
    assertThat(CrtRequests.fipsOrDualStack(
        Map.of("AWS_USE_FIPS_ENDPOINT", "true", "AWS_PROFILE", NO_PROFILE)::get)).isTrue();
    assertThat(CrtRequests.fipsOrDualStack(
        Map.of("AWS_USE_DUALSTACK_ENDPOINT", " TRUE ", "AWS_PROFILE", NO_PROFILE)::get)).isTrue();
  }

  @Test
  void create_awsBucketNameWithDots_leftToTheSdk() {
    var settings = S3Settings.of(java.net.URI.create("s3://my.dotted.bucket"), io.s3lfs.api.StoreOptions.DEFAULTS,
        Map.<String, String>of()::get);

    assertThat(CrtRequests.create(settings, software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create(),
        software.amazon.awssdk.regions.Region.US_EAST_1)).isNull();
  }

  @Test
  void close_eventLoopsOfItsOwn_end() {
    // Its own event loops, not the CRT's shared default (whose threads never end and which the
    // CRT's JVM shutdown hook then waits a second for): after close their threads are gone.
    var settings = S3Settings.of(java.net.URI.create("s3://bucket"),
        io.s3lfs.api.StoreOptions.DEFAULTS.withEndpointUrl("http://127.0.0.1:9"), Map.<String, String>of()::get);
    CrtRequests requests = CrtRequests.create(settings,
        software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create(),
        software.amazon.awssdk.regions.Region.US_EAST_1);
    assertThat(requests).isNotNull();
    assertThat(requests.loopsShutDown()).isNotDone();

    requests.close();

    assertThat(requests.loopsShutDown()).isDone(); // close waited for them
  }

  @Test
  void create_largeUploadPartSize_getsStillRunOnePartOfEightMibAhead() {
    // s3.partSize sizes upload parts. Were GET parts and windows to follow it, each GET in flight
    // would hold parts of that size on the heap: at 32 MiB, eight of them overran the 384 MiB heap.
    var settings = S3Settings.of(java.net.URI.create("s3://bucket"),
        io.s3lfs.api.StoreOptions.DEFAULTS.withEndpointUrl("http://127.0.0.1:9")
            .withExtra("s3.partSize", Long.toString(32 * S3Settings.MIB)), Map.<String, String>of()::get);
    assertThat(settings.minPartSize()).isEqualTo(32 * S3Settings.MIB);

    try (CrtRequests requests = CrtRequests.create(settings,
        software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create(),
        software.amazon.awssdk.regions.Region.US_EAST_1)) {
      assertThat(requests.readWindow()).isEqualTo(8 * S3Settings.MIB);
    }
  }

  @Test
  void encodeKey_plainOrNot_sameAsTheSdksEncoding() {
    for (String key : java.util.List.of("p/assets/0a1b/data/f-1_2.bin.gz", "a~b/C.D", "with space", "ü/日本", "a+b",
        "100%", "star*", "q?x=1&y", "semi;colon", "quote'", "hash#", "/lead//double/", "")) {
      assertThat(CrtRequests.encodeKey(key)).as(key)
          .isEqualTo(software.amazon.awssdk.utils.http.SdkHttpUtils.urlEncodeIgnoreSlashes(key));
    }
  }

  @Test
  void restWhole_busyOrSmallOrHuge_onlyBusyAndUpToTheCutoffComeWhole() {
    // Parallel ranged parts are how one big object downloads fast; with other GETs keeping the
    // connections busy they only add requests, and the server's CPU to answer them.
    assertThat(CrtRequests.restWhole(128L << 20, CrtRequests.WHOLE_FROM)).isTrue();
    assertThat(CrtRequests.restWhole(CrtRequests.WHOLE_MAX, 8)).isTrue();
    assertThat(CrtRequests.restWhole(128L << 20, CrtRequests.WHOLE_FROM - 1)).isFalse();
    assertThat(CrtRequests.restWhole(CrtRequests.WHOLE_MAX + 1, 8)).isFalse();
  }

  @Test
  void fipsOrDualStack_notAskedFor_direct() {
    assertThat(CrtRequests.fipsOrDualStack(
        Map.of("AWS_USE_FIPS_ENDPOINT", "false", "AWS_PROFILE", NO_PROFILE)::get)).isFalse();
    assertThat(CrtRequests.fipsOrDualStack(Map.of("AWS_PROFILE", NO_PROFILE)::get)).isFalse();
  }
}
