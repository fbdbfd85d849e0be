package io.s3lfs.core.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.s3lfs.api.spi.Codec;
import io.s3lfs.api.spi.contract.CodecContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GzipCodecTest extends CodecContract {
  private static final Path GZIP = Path.of("/usr/bin/gzip");

  @TempDir Path dir;

  @Override
  protected Codec codec() {
    return new GzipCodec();
  }

  @Override
  protected String expectedSuffix() {
    return ".gz";
  }

  @Override
  protected int minLevel() {
    return GzipCodec.MIN_LEVEL;
  }

  /** Runs the system gzip with {@code args} on {@code input}; returns its standard output. */
  private byte[] systemGzip(byte[] input, String... args) throws IOException, InterruptedException {
    assumeThat(Files.isExecutable(GZIP)).as("system gzip at %s", GZIP).isTrue();
    Path in = Files.write(dir.resolve("in"), input);
    Path out = dir.resolve("out");
    var command = new java.util.ArrayList<>(List.of(GZIP.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command)
        .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    assertThat(process.waitFor()).as("gzip exit status").isZero();
    return Files.readAllBytes(out);
  }

  @Test
  void encode_anyInput_headerEqualsSystemGzipNoName() throws Exception {
    byte[] data = compressibleBytes(50_000);
    byte[] ours = encode(data, 5);
    byte[] theirs = systemGzip(data, "-n", "-5", "-c");

    assertThat(Arrays.copyOf(ours, 10)).isEqualTo(Arrays.copyOf(theirs, 10))
        .containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3);
  }

  @Test
  void encode_anyInput_decodesWithSystemGzip() throws Exception {
    byte[] data = randomBytes(300_000);

    assertThat(systemGzip(encode(data, 5), "-d", "-c")).isEqualTo(data);
    assertThat(systemGzip(encode(new byte[0], 1), "-d", "-c")).isEmpty();
  }

  @Test
  void decode_systemGzipOutput_roundTrips() throws Exception {
    byte[] data = compressibleBytes(200_000);

    assertThat(decode(systemGzip(data, "-n", "-5", "-c"))).isEqualTo(data);
  }

  @Test
  void decode_concatenatedMembers_returnsAllContent() throws Exception {
    byte[] first = compressibleBytes(1000);
    byte[] second = randomBytes(2000);
    var both = new ByteArrayOutputStream();
    both.write(encode(first, 5));
    both.write(systemGzip(second, "-n", "-c"));
    var expected = new ByteArrayOutputStream();
    expected.write(first);
    expected.write(second);

    assertThat(decode(both.toByteArray())).isEqualTo(expected.toByteArray());
  }

  @Test
  void decode_jdkGzipWithOtherHeader_roundTrips() throws IOException {
    byte[] data = compressibleBytes(5000);
    var sink = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(sink)) {
      out.write(data);
    }

    assertThat(decode(sink.toByteArray())).isEqualTo(data);
  }

  @Test
  void encode_levelOutOfRange_throwsNamingRange() {
    for (int level : new int[] {0, 10}) {
      assertThatThrownBy(() -> codec().encode(new ByteArrayOutputStream(), level))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 9");
    }
  }
}
