package io.s3lfs.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3lfs.api.spi.Codec;
import io.s3lfs.api.spi.contract.CodecContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZstdCodecTest extends CodecContract {
  @TempDir Path dir;

  @Override
  protected Codec codec() {
    return new ZstdCodec();
  }

  @Override
  protected String expectedSuffix() {
    return ".zst";
  }

  @Override
  protected int minLevel() {
    return ZstdCodec.MIN_LEVEL;
  }

  @Test
  void encode_anyInput_startsWithZstdFrameMagic() throws IOException {
    byte[] encoded = encode(new byte[] {1}, 3);

    assertThat(encoded).startsWith(0x28, 0xb5, 0x2f, 0xfd);
  }

  @Test
  void encode_anyInput_decodesWithSystemZstd() throws Exception {
    Path zstd = Path.of("/usr/bin/zstd");
    org.assertj.core.api.Assumptions.assumeThat(Files.isExecutable(zstd)).isTrue();
    byte[] data = compressibleBytes(100_000);
    Path in = Files.write(dir.resolve("in.zst"), encode(data, 3));
    Path out = dir.resolve("out");
    Process process = new ProcessBuilder(zstd.toString(), "-q", "-d", "-c", in.toString())
        .redirectOutput(out.toFile()).start();

    assertThat(process.waitFor()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(data);
  }

  @Test
  void encode_levelOutOfRange_throwsNamingRange() {
    for (int level : new int[] {0, 23}) {
      assertThatThrownBy(() -> codec().encode(new ByteArrayOutputStream(), level))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 22");
    }
  }
}
