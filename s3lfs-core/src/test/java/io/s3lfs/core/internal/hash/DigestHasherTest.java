package io.s3lfs.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.spi.Hasher;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DigestHasherTest {
  @Test
  void update_afterFinish_throws() {
    Hasher hasher = new Sha256().newHasher();
    hasher.finish();

    assertThatThrownBy(() -> hasher.update(ByteBuffer.allocate(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sha256");
    assertThatThrownBy(hasher::finish).isInstanceOf(IllegalStateException.class);
  }
}
