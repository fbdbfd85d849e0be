package io.s3lfs.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.api.spi.Codec;
import io.s3lfs.api.spi.contract.CodecContract;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class IdentityCodecTest extends CodecContract {
  @Override
  protected Codec codec() {
    return new IdentityCodec();
  }

  @Override
  protected String expectedSuffix() {
    return "";
  }

  @Override
  protected int minLevel() {
    return 0;
  }

  @Override
  protected boolean detectsDamage() {
    return false;
  }

  @Test
  void encode_anyInput_storesBytesUnchanged() throws IOException {
    byte[] data = randomBytes(1000);

    assertThat(encode(data, 0)).isEqualTo(data);
  }
}
