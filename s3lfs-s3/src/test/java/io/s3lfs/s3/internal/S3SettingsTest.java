package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.StoreOptions;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3SettingsTest {
  private static final long MIB = S3Settings.MIB;

  private static S3Settings settings(StoreOptions options, Map<String, String> env) {
    return S3Settings.of(URI.create("s3://bucket/some/prefix"), options, env::get);
  }

  @Test
  void partSizeFor_smallObject_isTheMinimum() {
    assertThat(settings(StoreOptions.DEFAULTS, Map.of()).partSizeFor(20 * MIB)).isEqualTo(8 * MIB);
  }

  @Test
  void partSizeFor_hugeObject_keepsWithinTenThousandWholeMiBParts() {
    long size = 5L * 1024 * 1024 * MIB;
    long part = settings(StoreOptions.DEFAULTS, Map.of()).partSizeFor(size);

    assertThat(part % MIB).isZero();
    assertThat((size + part - 1) / part).isLessThanOrEqualTo(10_000);
  }

  @Test
  void of_caBundleThatIsNotAReadableFile_refusedWithItsName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path pem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    assertThat(settings(StoreOptions.DEFAULTS, Map.of("AWS_CA_BUNDLE", pem.toString())).bucket()).isEqualTo("bucket");
    assertThat(settings(StoreOptions.DEFAULTS, Map.of("AWS_CA_BUNDLE", " ")).bucket()).isEqualTo("bucket");
    for (String bad : new String[] {dir.resolve("missing.pem").toString(), dir.toString()}) {
      assertThatThrownBy(() -> settings(StoreOptions.DEFAULTS, Map.of("AWS_CA_BUNDLE", bad)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AWS_CA_BUNDLE names " + bad);
    }
  }

  @Test
  void of_uriWithPath_bucketIsTheHost() {
    assertThat(settings(StoreOptions.DEFAULTS, Map.of()).bucket()).isEqualTo("bucket");
  }

  @Test
  void of_noExplicitEndpoint_takesS3SpecificEnvironmentFirst() {
    var env = Map.of("AWS_ENDPOINT_URL", "http://general:1", "AWS_ENDPOINT_URL_S3", "http://s3only:2");

    assertThat(settings(StoreOptions.DEFAULTS, env).endpoint()).isEqualTo(URI.create("http://s3only:2"));
    assertThat(settings(StoreOptions.DEFAULTS, Map.of("AWS_ENDPOINT_URL", "http://general:1")).endpoint())
        .isEqualTo(URI.create("http://general:1"));
    assertThat(settings(StoreOptions.DEFAULTS.withEndpointUrl("http://explicit:3"), env).endpoint())
        .isEqualTo(URI.create("http://explicit:3"));
    assertThat(settings(StoreOptions.DEFAULTS, Map.of()).endpoint()).isNull();
  }

  @Test
  void of_direct_onByDefaultOffWhenAskedOtherwiseRejected() {
    assertThat(settings(StoreOptions.DEFAULTS, Map.of()).direct()).isTrue();
    assertThat(settings(StoreOptions.DEFAULTS.withExtra("s3.direct", " FALSE "), Map.of()).direct()).isFalse();
    assertThatThrownBy(() -> settings(StoreOptions.DEFAULTS.withExtra("s3.direct", "no"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("s3.direct must be true or false, got no");
  }

  @Test
  void of_tlsCheck_trustFromTheEnvironmentNoneWhenOffRejectedOtherwise(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path pem = java.nio.file.Files.writeString(dir.resolve("ca.pem"), "");
    assertThat(settings(StoreOptions.DEFAULTS, Map.of("SSL_CERT_FILE", pem.toString())).tlsTrust()).startsWith(pem);
    assertThat(settings(StoreOptions.DEFAULTS.withExtra("s3.tlsCheck", "false"), Map.of("SSL_CERT_FILE",
        pem.toString())).tlsTrust()).isEmpty();
    assertThatThrownBy(() -> settings(StoreOptions.DEFAULTS.withExtra("s3.tlsCheck", "off"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("s3.tlsCheck must be true or false, got off");
  }

  @Test
  void of_partSizeBelowS3Minimum_rejected() {
    assertThatThrownBy(() -> settings(StoreOptions.DEFAULTS.withExtra("s3.partSize", "1000"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3.partSize");
  }

  @Test
  void backoffMillis_anyAttempt_staysWithinTheCappedCeiling() {
    RetryPolicy retry = settings(StoreOptions.DEFAULTS, Map.of()).retry();

    for (int n = 1; n < 30; n++) {
      assertThat(retry.backoffMillis(n)).isBetween(0L, Math.min(10_000L, 200L << Math.min(n - 1, 20)));
    }
  }
}
