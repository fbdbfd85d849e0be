package io.s3lfs.api.spi.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.s3lfs.api.spi.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conformance tests every {@link Codec} passes. Extend it and supply the codec, its key suffix
 * and the lowest level it accepts.
 *
 * {@snippet :
 * class GzipCodecTest extends CodecContract {
 *   protected Codec codec() { return new GzipCodec(); }
 *   protected String expectedSuffix() { return ".gz"; }
 *   protected int minLevel() { return 1; }
 * }
 * }
 */
public abstract class CodecContract {
  private static final int MIB = 1024 * 1024;

  /** @return a fresh instance of the codec under test */
  protected abstract Codec codec();

  /** @return the key suffix this codec must report */
  protected abstract String expectedSuffix();

  /** @return the lowest level the codec accepts */
  protected abstract int minLevel();

  /**
   * @return whether the format detects truncation and corruption; only a codec with no framing
   *     at all (identity) may say no
   */
  protected boolean detectsDamage() {
    return true;
  }

  /** Encodes {@code data} at {@code level}. */
  protected final byte[] encode(byte[] data, int level) throws IOException {
    var sink = new ByteArrayOutputStream();
    try (OutputStream out = codec().encode(sink, level)) {
      out.write(data);
    }
    return sink.toByteArray();
  }

  /** Decodes {@code encoded} completely. */
  protected final byte[] decode(byte[] encoded) throws IOException {
    try (InputStream in = codec().decode(new ByteArrayInputStream(encoded))) {
      return in.readAllBytes();
    }
  }

  /** @return {@code size} bytes that do not compress */
  protected static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    new Random(7).nextBytes(data);
    return data;
  }

  /** @return {@code size} bytes of repetitive text that compress well */
  protected static byte[] compressibleBytes(int size) {
    byte[] line = "s3lfs stores large files next to git; this line repeats.\n".getBytes();
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = line[i % line.length];
    }
    return data;
  }

  private void assertRoundTrip(byte[] data) throws IOException {
    for (int level : new int[] {minLevel(), codec().defaultLevel()}) {
      assertThat(decode(encode(data, level))).as("round trip at level %d", level).isEqualTo(data);
    }
  }

  @Test
  void encodeDecode_empty_roundTrips() throws IOException {
    assertRoundTrip(new byte[0]);
  }

  @Test
  void encodeDecode_oneByte_roundTrips() throws IOException {
    assertRoundTrip(new byte[] {(byte) 0xA5});
  }

  @Test
  void encodeDecode_oneMebibyteRandom_roundTrips() throws IOException {
    assertRoundTrip(randomBytes(MIB));
  }

  @Test
  void encodeDecode_fourMebibytesCompressible_roundTripsSmaller() throws IOException {
    byte[] data = compressibleBytes(4 * MIB);

    assertRoundTrip(data);
    if (detectsDamage()) {
      assertThat(encode(data, codec().defaultLevel()).length).isLessThan(data.length / 4);
    }
  }

  @Test
  void encode_byteAtATime_equalsBulkDecoded() throws IOException {
    byte[] data = compressibleBytes(10_000);
    var sink = new ByteArrayOutputStream();
    try (OutputStream out = codec().encode(sink, codec().defaultLevel())) {
      for (byte b : data) {
        out.write(b);
      }
    }

    assertThat(decode(sink.toByteArray())).isEqualTo(data);
  }

  @Test
  void decode_truncated_throwsIOException() throws IOException {
    assumeThat(detectsDamage()).as("format has framing").isTrue();
    byte[] encoded = encode(randomBytes(100_000), codec().defaultLevel());

    for (int cut : new int[] {encoded.length / 2, encoded.length - 1}) {
      byte[] truncated = Arrays.copyOf(encoded, cut);
      assertThatThrownBy(() -> decode(truncated)).as("cut at %d", cut).isInstanceOf(IOException.class);
    }
  }

  @Test
  void decode_corruptedPayload_throwsIOException() throws IOException {
    assumeThat(detectsDamage()).as("format has framing").isTrue();
    byte[] encoded = encode(randomBytes(100_000), codec().defaultLevel());
    encoded[encoded.length / 2] ^= 0x5A;

    assertThatThrownBy(() -> decode(encoded)).isInstanceOf(IOException.class);
  }

  @Test
  void encode_close_closesUnderlyingStream() throws IOException {
    var sink = new CloseTrackingOutputStream();
    OutputStream out = codec().encode(sink, codec().defaultLevel());
    out.write(1);
    out.close();

    assertThat(sink.closed).isTrue();
  }

  @Test
  void encode_closeTwice_writesNothingMore() throws IOException {
    var sink = new ByteArrayOutputStream();
    OutputStream out = codec().encode(sink, codec().defaultLevel());
    out.write(compressibleBytes(1000));
    out.close();
    int size = sink.size();
    out.close();

    assertThat(sink.size()).isEqualTo(size);
  }

  @Test
  void decode_close_closesUnderlyingStream() throws IOException {
    byte[] encoded = encode(new byte[] {1, 2, 3}, codec().defaultLevel());
    var source = new CloseTrackingInputStream(encoded);
    codec().decode(source).close();

    assertThat(source.closed).isTrue();
  }

  @Test
  void suffix_repeatedCalls_isStableAndWellFormed() {
    String suffix = codec().suffix();

    assertThat(suffix).isEqualTo(expectedSuffix()).isEqualTo(codec().suffix());
    assertThat(suffix).matches("|\\.[a-z0-9]+");
  }

  @Test
  void defaultLevel_isAtLeastMinLevel() {
    assertThat(codec().defaultLevel()).isGreaterThanOrEqualTo(minLevel());
  }

  @Test
  void name_isValidPersistedName() {
    assertThat(codec().name()).matches(Names.VALID);
    assertThat(codec()).hasToString(codec().name());
  }

  @Test
  void forName_ownName_findsThisImplementation() {
    assertThat(codec().isAvailable()).isTrue();
    assertThat(Codec.forName(codec().name())).isInstanceOf(codec().getClass());
    assertThat(Codec.availableNames()).contains(codec().name());
  }

  private static final class CloseTrackingOutputStream extends ByteArrayOutputStream {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  private static final class CloseTrackingInputStream extends ByteArrayInputStream {
    boolean closed;

    CloseTrackingInputStream(byte[] data) {
      super(data);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
