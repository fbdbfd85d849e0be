package io.s3lfs.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.s3lfs.api.spi.Hasher;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpenSslTest {
  @BeforeAll
  static void openSslIsThere() {
    // Where the library is installed, the binding must load: a silent fallback would hide a bug.
    boolean installed = Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64")
        .anyMatch(d -> Files.exists(Path.of(d, "libcrypto.so.3")));
    assumeTrue(installed, "no libcrypto.so.3 on this machine");
    assertThat(OpenSsl.get()).isPresent();
  }

  static Stream<MessageDigestAlgorithm> algorithms() {
    return Stream.of(new Sha256(), new Md5());
  }

  @ParameterizedTest
  @MethodSource("algorithms")
  void newHasher_anyChunking_matchesTheJdk(MessageDigestAlgorithm algorithm) {
    Random random = new Random(7);
    for (int size : new int[] {0, 1, 55, 56, 64, 1000, 65_537, (4 << 20) + 3, 9 << 20}) {
      byte[] data = new byte[size];
      random.nextBytes(data);
      Hasher jdk = algorithm.jdkHasher();
      jdk.update(ByteBuffer.wrap(data));
      Hasher heap = algorithm.newHasher();
      Hasher direct = algorithm.newHasher();
      try (Arena arena = Arena.ofConfined()) {
        ByteBuffer native_ = arena.allocate(Math.max(1, size)).asByteBuffer().put(data).flip();
        for (int off = 0; off < size; ) {
          int n = Math.min(size - off, 1 + random.nextInt(1 << 21));
          heap.update(data, off, n);
          ByteBuffer slice = native_.slice(off, n);
          direct.update(slice);
          assertThat(slice.hasRemaining()).isFalse();
          off += n;
        }
        String expected = jdk.finish().hex();
        assertThat(heap.finish().hex()).as("heap, %d bytes", size).isEqualTo(expected);
        assertThat(direct.finish().hex()).as("direct, %d bytes", size).isEqualTo(expected);
      }
    }
  }

  @Test
  void newHasher_heapBufferWithOffset_hashesOnlyItsRemainingBytes() {
    byte[] data = "xxabcyy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Hasher hasher = new Sha256().newHasher();
    hasher.update(ByteBuffer.wrap(data, 2, 3));
    assertThat(hasher.finish().hex()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void backend_withLibcrypto_namesOpenSslAndItsVersion() {
    assertThat(FileHashing.backend()).matches("OpenSSL 3\\.\\d+\\.\\d+.*");
  }

  @Test
  void finish_calledTwice_fails() {
    Hasher hasher = new Sha256().newHasher();
    hasher.finish();
    assertThatThrownBy(hasher::finish).isInstanceOf(IllegalStateException.class);
  }
}
