package io.s3lfs.core.internal.hash;

import io.s3lfs.api.Digest;
import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.Hasher;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.zip.Checksum;

/**
 * Hashes whole files without holding them in heap. Large files on the default file system are
 * read through read-only memory-mapped windows, each unmapped as soon as it is hashed by closing
 * its confined {@link Arena}; small files, other file systems (Jimfs cannot map) and any file
 * whose mapping fails are streamed through one reused 1 MiB direct buffer.
 *
 * {@snippet :
 * Digest digest = FileHashing.hash(path, HashAlgorithm.forName("sha256"));
 * }
 *
 * <p>Cancellation is a flag checked between windows, never a thread interrupt: interrupting a
 * thread in FileChannel I/O closes the channel (Lucene's MMapDirectory warns of the same).
 */
public final class FileHashing {
  /** Bytes mapped at a time; a guess until HashBenchmark measures it. */
  static final long WINDOW_SIZE = 64L << 20;
  /** Files smaller than this are streamed: mapping costs more than it saves on them. */
  static final long MAP_THRESHOLD = 1L << 20;
  /** The streaming buffer; big enough that system calls do not dominate. */
  static final int BUFFER_SIZE = 1 << 20;
  // ByteBuffer views of a segment are limited to 2 GiB; keep slices well under that.
  private static final long MAX_SLICE = 1L << 30;
  /**
   * Slices fed to both the hash and a checksum beside it: small enough to stay in the core's L2
   * cache between the two, so the checksum reads them from cache rather than from memory again.
   */
  private static final long SHARED_SLICE = 256 << 10;

  private FileHashing() {}

  /**
   * @return what computes SHA-256 and MD5 in this process: OpenSSL's version text, or "the JDK"
   *     when libcrypto is not used (for {@code --version}: benchmarks depend on it)
   */
  public static String backend() {
    return OpenSsl.get().map(OpenSsl::version).orElse("the JDK");
  }

  /**
   * @param file a regular file
   * @param algorithm the hash to compute
   * @return the digest of the file's bytes
   * @throws IOException when the file cannot be read
   */
  public static Digest hash(Path file, HashAlgorithm algorithm) throws IOException {
    return hash(file, algorithm, () -> false);
  }

  /**
   * @param file a regular file
   * @param algorithm the hash to compute
   * @param cancelled polled between windows and buffers; when it returns true, hashing stops
   * @return the digest of the file's bytes
   * @throws IOException when the file cannot be read
   * @throws CancellationException when {@code cancelled} returned true
   */
  public static Digest hash(Path file, HashAlgorithm algorithm, BooleanSupplier cancelled)
      throws IOException {
    return hash(file, algorithm, cancelled, WINDOW_SIZE, MAP_THRESHOLD);
  }

  /**
   * The work, with sizes that tests set small so every path runs on small files and that
   * HashBenchmark varies; public only for that benchmark (the package is exported to it alone).
   *
   * @param windowSize bytes mapped at a time
   * @param mapThreshold files smaller than this are streamed
   */
  public static Digest hash(Path file, HashAlgorithm algorithm, BooleanSupplier cancelled,
      long windowSize, long mapThreshold) throws IOException {
    return hash(file, algorithm, cancelled, windowSize, mapThreshold, null);
  }

  /**
   * As {@link #hash(Path, HashAlgorithm)}, also feeding every byte hashed to {@code beside} in the
   * same pass over the file.
   *
   * @param beside a checksum to update with the file's bytes (an upload checks its re-read of the
   *     file against it)
   */
  public static Digest hash(Path file, HashAlgorithm algorithm, Checksum beside) throws IOException {
    return hash(file, algorithm, () -> false, WINDOW_SIZE, MAP_THRESHOLD, Objects.requireNonNull(beside, "beside"));
  }

  static Digest hash(Path file, HashAlgorithm algorithm, BooleanSupplier cancelled,
      long windowSize, long mapThreshold, Checksum beside) throws IOException {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(cancelled, "cancelled");
    Hasher hasher = algorithm.newHasher();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long hashed = 0;
      if (size >= mapThreshold && file.getFileSystem() == FileSystems.getDefault()) {
        hashed = hashMapped(file, channel, size, hasher, beside, cancelled, windowSize);
      }
      if (hashed < size || size == 0) {
        hashStreamed(file, channel, hashed, hasher, beside, cancelled);
      }
    }
    return hasher.finish();
  }

  /** Feeds {@code data} to the hasher and, when there is one, the checksum. */
  private static void feed(ByteBuffer data, Hasher hasher, Checksum beside) {
    if (beside != null) {
      beside.update(data.duplicate());
    }
    hasher.update(data);
  }

  /** @return how many bytes were hashed: {@code size}, or fewer when mapping failed */
  static long hashMapped(Path file, FileChannel channel, long size, Hasher hasher, Checksum beside,
      BooleanSupplier cancelled, long windowSize) {
    long slice = beside == null ? MAX_SLICE : SHARED_SLICE;
    long position = 0;
    while (position < size) {
      checkCancelled(file, cancelled);
      long length = Math.min(windowSize, size - position);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment window;
        try {
          window = channel.map(FileChannel.MapMode.READ_ONLY, position, length, arena);
        } catch (UnsupportedOperationException | IOException e) {
          log().log(System.Logger.Level.DEBUG, "cannot map {0} at {1}, reading instead: {2}",
              file, position, e);
          return position;
        }
        for (long offset = 0; offset < length; offset += slice) {
          feed(window.asSlice(offset, Math.min(slice, length - offset)).asByteBuffer(), hasher, beside);
        }
      }
      position += length;
    }
    return position;
  }

  /** Hashes from {@code position} to the end of the file. */
  private static void hashStreamed(Path file, FileChannel channel, long position, Hasher hasher,
      Checksum beside, BooleanSupplier cancelled) throws IOException {
    // An arena-allocated buffer is freed when the arena closes, unlike allocateDirect's, which
    // waits for a garbage collection.
    try (Arena arena = Arena.ofConfined()) {
      // Sized to the file when it is small: allocate zeroes the memory, and 1 MiB per small
      // file was measurable when tracking thousands of them. The loop reads to the end anyway.
      long left = Math.max(1, channel.size() - position);
      ByteBuffer buffer = arena.allocate(Math.min(BUFFER_SIZE, left)).asByteBuffer();
      channel.position(position);
      while (true) {
        checkCancelled(file, cancelled);
        buffer.clear();
        if (channel.read(buffer) < 0) {
          return;
        }
        feed(buffer.flip(), hasher, beside);
      }
    }
  }

  private static void checkCancelled(Path file, BooleanSupplier cancelled) {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("hashing " + file + " was cancelled");
    }
  }

  // On use, not in a static field: the first getLogger starts the JDK's logging, ~25 ms of start-up.
  private static System.Logger log() {
    return System.getLogger(FileHashing.class.getName());
  }
}
