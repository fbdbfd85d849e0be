package io.s3lfs.core.internal.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Jimfs;
import io.s3lfs.api.Digest;
import io.s3lfs.api.spi.HashAlgorithm;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileHashingTest {
  private static final int WINDOW = 4096;
  private static final int THRESHOLD = 1000;
  private static final HashAlgorithm SHA256 = new Sha256();

  @TempDir Path dir;

  private Path write(int size) throws IOException {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    return Files.write(dir.resolve("f" + size), data);
  }

  private static String expected(Path file) throws IOException, NoSuchAlgorithmException {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    return HexFormat.of().formatHex(digest);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, THRESHOLD - 1, THRESHOLD, WINDOW - 1, WINDOW, WINDOW + 1, 3 * WINDOW + 17})
  void hash_smallWindows_equalsWholeFileDigest(int size) throws Exception {
    Path file = write(size);

    Digest digest = FileHashing.hash(file, SHA256, () -> false, WINDOW, THRESHOLD);

    assertThat(digest.hex()).isEqualTo(expected(file));
    assertThat(digest.algorithm()).isEqualTo("sha256");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, THRESHOLD - 1, THRESHOLD, (256 << 10) + 3, (3 << 20) + 17})
  void hash_withChecksumBeside_feedsItEveryByteOnce(int size) throws Exception {
    Path file = write(size);
    var beside = new CRC32C();

    // 1 MiB windows: several of the 256 KiB slices the hash and the checksum share per window.
    Digest digest = FileHashing.hash(file, SHA256, () -> false, 1 << 20, THRESHOLD, beside);

    var whole = new CRC32C();
    whole.update(Files.readAllBytes(file));
    assertThat(beside.getValue()).isEqualTo(whole.getValue());
    assertThat(digest.hex()).isEqualTo(expected(file));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, FileHashing.BUFFER_SIZE + 1, (int) FileHashing.MAP_THRESHOLD + 5})
  void hash_defaultSizes_equalsWholeFileDigest(int size) throws Exception {
    Path file = write(size);

    assertThat(FileHashing.hash(file, SHA256).hex()).isEqualTo(expected(file));
  }

  @Test
  void hashMapped_defaultFileSystem_mapsEveryWindow() throws IOException {
    Path file = write(3 * WINDOW + 5);
    try (FileChannel channel = FileChannel.open(file)) {
      long hashed = FileHashing.hashMapped(file, channel, channel.size(), SHA256.newHasher(), null, () -> false, WINDOW);

      assertThat(hashed).isEqualTo(channel.size());
    }
  }

  @Test
  void hash_nonDefaultFileSystem_streamsToSameDigest() throws Exception {
    Path local = write(3 * (int) FileHashing.MAP_THRESHOLD + 1);
    try (FileSystem jimfs = Jimfs.newFileSystem()) {
      Path file = Files.copy(local, jimfs.getPath("/big.bin"));

      assertThat(FileHashing.hash(file, SHA256).hex()).isEqualTo(expected(local));
    }
  }

  @Test
  void hash_emptyFile_isKnownEmptyDigest() throws IOException {
    Path file = Files.createFile(dir.resolve("empty"));

    assertThat(FileHashing.hash(file, SHA256).hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void hash_md5_usesThatAlgorithm() throws Exception {
    Path file = Files.writeString(dir.resolve("t.txt"), "This is a test file.");

    assertThat(FileHashing.hash(file, new Md5()).hex()).isEqualTo("3de8f8b0dc94b8c2230fab9ec0ba0506");
  }

  @Test
  void hash_cancelledAfterFirstWindow_throwsCancellation() throws IOException {
    Path file = write(5 * WINDOW);
    var polls = new AtomicInteger();

    assertThatThrownBy(() -> FileHashing.hash(file, SHA256, () -> polls.incrementAndGet() > 1, WINDOW, THRESHOLD))
        .isInstanceOf(CancellationException.class).hasMessageContaining(file.toString());
    assertThat(polls).hasValue(2);
  }

  @Test
  void hash_missingFile_throwsNoSuchFile() {
    assertThatThrownBy(() -> FileHashing.hash(dir.resolve("missing"), SHA256))
        .isInstanceOf(NoSuchFileException.class);
  }
}
