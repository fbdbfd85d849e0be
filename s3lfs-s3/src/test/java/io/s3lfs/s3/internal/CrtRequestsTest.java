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
  void fipsOrDualStack_notAskedFor_direct() {
    assertThat(CrtRequests.fipsOrDualStack(
        Map.of("AWS_USE_FIPS_ENDPOINT", "false", "AWS_PROFILE", NO_PROFILE)::get)).isFalse();
    assertThat(CrtRequests.fipsOrDualStack(Map.of("AWS_PROFILE", NO_PROFILE)::get)).isFalse();
  }
}
