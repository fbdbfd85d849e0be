package io.s3lfs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreLocationTest {
  @Test
  void parse_bucketName_s3Uri() {
    assertThat(StoreLocation.parse("my-bucket").uri()).hasToString("s3://my-bucket");
    assertThat(StoreLocation.canonical("my-bucket")).isEqualTo("my-bucket"); // as the Python tool writes it
  }

  @Test
  void parse_fileUriWithAHostPart_usageErrorNamingIt() {
    for (String location : new String[] {"file://./store", "file://server/share/store"}) {
      assertThatThrownBy(() -> StoreLocation.parse(location)).isInstanceOfSatisfying(S3lfsException.class, e -> {
        assertThat(e.kind()).isEqualTo(S3lfsException.Kind.USAGE);
        assertThat(e.getMessage()).startsWith("file store URI '" + location + "' has a host part")
            .contains("for example file:///srv/s3lfs-store");
      });
    }
  }

  @Test
  void canonical_filePathTypedWithSpacesAndPercent_recordedQuotedAndReadBackAsThePath() {
    String typed = "file:///tmp/My Drive/50% store";
    String recorded = StoreLocation.canonical(typed);

    assertThat(recorded).isEqualTo("file:///tmp/My%20Drive/50%25%20store");
    assertThat(Path.of(StoreLocation.parse(recorded).uri())).isEqualTo(Path.of("/tmp/My Drive/50% store"));
    assertThat(StoreLocation.canonical(recorded)).isEqualTo(recorded);
  }

  @Test
  void canonical_wellFormedFileUri_unchanged() {
    assertThat(StoreLocation.canonical("file:///srv/s3lfs-store")).isEqualTo("file:///srv/s3lfs-store");
  }

  @Test
  void parse_malformedUriOfAnotherScheme_usageError() {
    assertThatThrownBy(() -> StoreLocation.parse("s3://bad bucket")).isInstanceOf(S3lfsException.class)
        .hasMessageStartingWith("invalid store URI 's3://bad bucket'");
  }
}
