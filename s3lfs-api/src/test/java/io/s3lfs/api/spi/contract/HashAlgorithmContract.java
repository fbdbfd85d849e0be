package io.s3lfs.api.spi.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3lfs.api.Digest;
import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.Hasher;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conformance tests every {@link HashAlgorithm} passes. Extend it and supply the algorithm and
 * its digest of the empty input; add more known vectors by overriding {@link #knownVectors()}.
 *
 * {@snippet :
 * class Sha256Test extends HashAlgorithmContract {
 *   protected HashAlgorithm algorithm() { return new Sha256(); }
 *   protected String emptyDigestHex() { return "e3b0c442..."; }
 * }
 * }
 */
public abstract class HashAlgorithmContract {
  private static final int DATA_SIZE = 200_003;

  /** @return a fresh instance of the algorithm under test */
  protected abstract HashAlgorithm algorithm();

  /** @return the lowercase hex digest of zero bytes, from an independent source */
  protected abstract String emptyDigestHex();

  /** @return more known answers: UTF-8 input text to lowercase hex digest */
  protected Map<String, String> knownVectors() {
    return Map.of();
  }

  private static byte[] randomBytes(int size) {
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    return data;
  }

  private Digest oneShot(byte[] data) {
    Hasher hasher = algorithm().newHasher();
    hasher.update(ByteBuffer.wrap(data));
    return hasher.finish();
  }

  @Test
  void finish_emptyInput_matchesKnownDigest() {
    Digest digest = algorithm().newHasher().finish();

    assertThat(digest.hex()).isEqualTo(emptyDigestHex());
    assertThat(digest.algorithm()).isEqualTo(algorithm().name());
  }

  @Test
  void finish_knownVectors_matchKnownDigests() {
    knownVectors().forEach((text, hex) ->
        assertThat(oneShot(text.getBytes(UTF_8)).hex()).as("digest of '%s'", text).isEqualTo(hex));
  }

  @Test
  void finish_anyInput_hasDigestLength() {
    Digest digest = oneShot(randomBytes(1000));

    assertThat(digest.bytes()).hasSize(algorithm().digestLength());
  }

  @Test
  void update_splitIntoWindows_equalsOneShot() {
    byte[] data = randomBytes(DATA_SIZE);
    Digest expected = oneShot(data);

    for (int window : new int[] {1, 7, 64, 4096, 65_537, DATA_SIZE - 1}) {
      Hasher hasher = algorithm().newHasher();
      for (int pos = 0; pos < data.length; pos += window) {
        hasher.update(ByteBuffer.wrap(data, pos, Math.min(window, data.length - pos)));
      }
      assertThat(hasher.finish()).as("window %d", window).isEqualTo(expected);
    }
  }

  @Test
  void update_byteArrayRange_equalsBuffer() {
    byte[] data = randomBytes(10_000);
    Hasher hasher = algorithm().newHasher();
    hasher.update(data, 0, 3);
    hasher.update(data, 3, data.length - 3);

    assertThat(hasher.finish()).isEqualTo(oneShot(data));
  }

  @Test
  void update_directBuffer_equalsHeapBuffer() {
    byte[] data = randomBytes(DATA_SIZE);
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
    Hasher hasher = algorithm().newHasher();
    hasher.update(direct);

    assertThat(hasher.finish()).isEqualTo(oneShot(data));
  }

  @Test
  void update_bufferWithPositionAndLimit_hashesOnlyRemaining() {
    byte[] data = randomBytes(1000);
    byte[] padded = new byte[data.length + 20];
    System.arraycopy(data, 0, padded, 10, data.length);
    ByteBuffer direct = ByteBuffer.allocateDirect(padded.length).put(padded)
        .position(10).limit(10 + data.length);
    Hasher heapHasher = algorithm().newHasher();
    heapHasher.update(ByteBuffer.wrap(padded, 10, data.length));
    Hasher directHasher = algorithm().newHasher();
    directHasher.update(direct);

    assertThat(heapHasher.finish()).isEqualTo(oneShot(data));
    assertThat(directHasher.finish()).isEqualTo(oneShot(data));
  }

  @Test
  void update_heapAndDirect_advancePositionToLimit() {
    ByteBuffer heap = ByteBuffer.wrap(randomBytes(100), 5, 50);
    ByteBuffer direct = ByteBuffer.allocateDirect(100).position(5).limit(55);
    Hasher hasher = algorithm().newHasher();
    hasher.update(heap);
    hasher.update(direct);

    assertThat(heap.position()).isEqualTo(55);
    assertThat(direct.position()).isEqualTo(55);
  }

  @Test
  void newHasher_twoInterleaved_doNotInterfere() {
    byte[] a = randomBytes(5000);
    byte[] b = "other".getBytes(UTF_8);
    Hasher first = algorithm().newHasher();
    Hasher second = algorithm().newHasher();
    first.update(ByteBuffer.wrap(a, 0, 100));
    second.update(ByteBuffer.wrap(b));
    first.update(ByteBuffer.wrap(a, 100, a.length - 100));

    assertThat(first.finish()).isEqualTo(oneShot(a));
    assertThat(second.finish()).isEqualTo(oneShot(b));
  }

  @Test
  void name_isValidPersistedName() {
    String name = algorithm().name();

    assertThat(name).matches(Names.VALID);
    assertThat(algorithm()).hasToString(name);
  }

  @Test
  void forName_ownName_findsThisImplementation() {
    assertThat(HashAlgorithm.forName(algorithm().name())).isInstanceOf(algorithm().getClass());
    assertThat(HashAlgorithm.availableNames()).contains(algorithm().name());
  }
}
