package io.s3lfs.s3.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import io.s3lfs.api.StoreOptions;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class S3ErrorsTest {
  private final S3Settings settings = S3Settings.of(URI.create("s3://bucket"),
      StoreOptions.DEFAULTS.withEndpointUrl("https://s3.example.test"), Map.<String, String>of()::get);
  private final S3Errors errors = new S3Errors(settings, settings.retry());

  @Test
  void translate_tlsNegotiationFailed_unreachableNamingTheCertificate() {
    var e = errors.translate(SdkClientException.create("Failed to send the request: TLS (SSL) negotiation failed"),
        Operation.LIST, "p/assets/");

    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(e.kind().retryable()).isFalse();
    assertThat(e.getMessage()).startsWith("cannot talk TLS with https://s3.example.test (")
        .contains("certificate").contains("/etc/ssl/certs").doesNotContain("\n");
  }

  @Test
  void translate_getFailures_retryableForServerErrorsThrottlingAndLostConnectionsOnly() {
    // What decides whether a big object's range is asked for again (RangedGet, through S3Store).
    assertThat(retryable(s3(500))).isTrue();
    assertThat(retryable(s3(503))).isTrue();
    assertThat(retryable(s3(429))).isTrue();
    assertThat(retryable(SdkClientException.create("socket closed"))).isTrue();
    assertThat(retryable(s3(403))).isFalse();
    assertThat(retryable(s3(404))).isFalse();
    assertThat(retryable(new IllegalStateException("no credentials"))).isFalse();
  }

  private boolean retryable(Throwable failure) {
    return errors.translate(failure, Operation.READ, "k").kind().retryable();
  }

  private static Throwable s3(int status) {
    return software.amazon.awssdk.services.s3.model.S3Exception.builder().statusCode(status).message("HTTP " + status).build();
  }

  @Test
  void translate_connectionReset_staysTransient() {
    var e = errors.translate(SdkClientException.create("socket closed"), Operation.READ, "k");

    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
  }
}
