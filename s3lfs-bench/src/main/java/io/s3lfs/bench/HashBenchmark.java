package io.s3lfs.bench;

import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.core.internal.hash.FileHashing;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SHA-256 of one whole file that sits in the page cache (written and read once at setup, so the
 * cache is warm and no disk I/O is measured). Production path: {@link FileHashing#hash(Path,
 * HashAlgorithm)}, which {@code Engine.track}, {@code checkout} and {@code status} call for every
 * file: read-only mapped windows fed as direct ByteBuffers to the JCA digest. The other
 * implementations are what it could do instead; each returns the hex digest so nothing is
 * eliminated, and setup checks they all agree.
 *
 * <p>Throughput is files per second; MB/s is that times the size (see RESULTS.md). Compare with
 * {@code openssl speed -evp sha256 -bytes 16384}, single core.
 *
 * <pre>
 * java -jar s3lfs-bench/target/benchmarks.jar HashBenchmark -f 1 -wi 2 -i 3 -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class HashBenchmark {
  private static final int CHUNK = 1 << 20;

  /** How the bytes reach the digest. */
  public enum Impl {
    /** FileHashing with its defaults (64 MiB windows): the production path. */
    FILEHASHING,
    /** FileHashing with 1 MiB windows. */
    FILEHASHING_W1M,
    /** FileHashing with 8 MiB windows. */
    FILEHASHING_W8M,
    /** FileHashing with 256 MiB windows. */
    FILEHASHING_W256M,
    /** InputStream into a 1 MiB byte[], MessageDigest.update(byte[]). */
    HEAP_STREAM,
    /** FileChannel.read into a 1 MiB direct ByteBuffer, MessageDigest.update(ByteBuffer). */
    DIRECT_BUFFER,
    /** The whole file mapped as one MemorySegment, fed as ByteBuffer slices. */
    SEGMENT_WHOLE,
    /** The whole file mapped, copied 64 KiB at a time into a byte[] for MessageDigest. */
    SEGMENT_COPY_64K
  }

  @Param({"1", "64", "256"})
  public int sizeMiB;

  @Param
  public Impl impl;

  private Path dir;
  private Path file;
  private HashAlgorithm sha256;

  @Setup(Level.Trial)
  public void createFile() throws IOException {
    sha256 = HashAlgorithm.forName("sha256");
    dir = Files.createTempDirectory("s3lfs-hash-bench");
    file = dir.resolve("data.bin");
    Data.writeRandom(file, (long) sizeMiB << 20, 42);
    // Warm the page cache and check that this implementation gives the production answer.
    String expected = FileHashing.hash(file, sha256).hex();
    String actual = hash();
    if (!expected.equals(actual)) {
      throw new IllegalStateException(impl + " gives " + actual + ", FileHashing " + expected);
    }
  }

  @TearDown(Level.Trial)
  public void deleteFile() throws IOException {
    Data.deleteTree(dir);
  }

  @Benchmark
  public String hash() throws IOException {
    return switch (impl) {
      case FILEHASHING -> FileHashing.hash(file, sha256).hex();
      case FILEHASHING_W1M -> windowed(1L << 20);
      case FILEHASHING_W8M -> windowed(8L << 20);
      case FILEHASHING_W256M -> windowed(256L << 20);
      case HEAP_STREAM -> heapStream();
      case DIRECT_BUFFER -> directBuffer();
      case SEGMENT_WHOLE -> segmentWhole();
      case SEGMENT_COPY_64K -> segmentCopy();
    };
  }

  private String windowed(long window) throws IOException {
    return FileHashing.hash(file, sha256, () -> false, window, 1L << 20).hex();
  }

  private String heapStream() throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return hex(md);
  }

  private String directBuffer() throws IOException {
    MessageDigest md = digest();
    try (Arena arena = Arena.ofConfined();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = arena.allocate(CHUNK).asByteBuffer();
      while (ch.read(buf.clear()) >= 0) {
        md.update(buf.flip());
      }
    }
    return hex(md);
  }

  private String segmentWhole() throws IOException {
    MessageDigest md = digest();
    try (Arena arena = Arena.ofConfined();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      for (long off = 0; off < all.byteSize(); off += 1L << 30) {
        md.update(all.asSlice(off, Math.min(1L << 30, all.byteSize() - off)).asByteBuffer());
      }
    }
    return hex(md);
  }

  private String segmentCopy() throws IOException {
    MessageDigest md = digest();
    byte[] buf = new byte[64 << 10];
    try (Arena arena = Arena.ofConfined();
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      long size = all.byteSize();
      for (long off = 0; off < size; off += buf.length) {
        int n = (int) Math.min(buf.length, size - off);
        MemorySegment.copy(all, ValueLayout.JAVA_BYTE, off, buf, 0, n);
        md.update(buf, 0, n);
      }
    }
    return hex(md);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(MessageDigest md) {
    return HexFormat.of().formatHex(md.digest());
  }
}
