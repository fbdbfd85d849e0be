package io.s3lfs.bench;

import io.s3lfs.api.spi.Codec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of 8 MiB in memory through the codecs as looked up by name. Production
 * path: {@code Transfers.upload}, which writes 1 MiB buffers into {@code Codec.encode(out,
 * level)}, and {@code Transfers.download}, which reads 1 MiB buffers from {@code
 * Codec.decode(in)}; here the file and the store are replaced by memory so only the codec costs.
 * Data is log-like text (compresses well) or random (incompressible; what {@code compression:
 * auto} avoids). Setup prints each codec's stored size, so the ratio sits in the run log.
 *
 * <p>Throughput is 8 MiB payloads per second; MB/s of uncompressed data is 8.39 times it.
 *
 * <pre>
 * java -jar s3lfs-bench/target/benchmarks.jar CodecBenchmark -f 1 -wi 2 -i 3 -rf json
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class CodecBenchmark {
  static final int SIZE = 8 << 20;
  private static final int BUFFER = 1 << 20;

  /** A codec at a level. */
  public enum CodecLevel {
    GZIP_1("gzip", 1), GZIP_5("gzip", 5), GZIP_9("gzip", 9),
    ZSTD_1("zstd", 1), ZSTD_3("zstd", 3), ZSTD_9("zstd", 9);

    final String codec;
    final int level;

    CodecLevel(String codec, int level) {
      this.codec = codec;
      this.level = level;
    }
  }

  /** What the payload looks like. */
  public enum Content { TEXT, RANDOM }

  @Param
  public CodecLevel codecLevel;

  @Param
  public Content content;

  private Codec codec;
  private byte[] plain;
  private byte[] encoded;
  private byte[] buffer;

  @Setup(Level.Trial)
  public void prepare() throws IOException {
    codec = Codec.forName(codecLevel.codec);
    plain = content == Content.TEXT ? Data.logText(SIZE, 7) : Data.random(SIZE, 7);
    var out = new ByteArrayOutputStream(SIZE + (SIZE >> 4));
    try (OutputStream enc = codec.encode(out, codecLevel.level)) {
      enc.write(plain);
    }
    encoded = out.toByteArray();
    buffer = new byte[BUFFER];
    System.out.printf(Locale.ROOT, "%n# stored size %s %s: %d -> %d bytes (%.1f%%)%n", codecLevel,
        content, SIZE, encoded.length, 100.0 * encoded.length / SIZE);
  }

  /** @return the encoded length */
  @Benchmark
  public long encode() throws IOException {
    var sink = new CountingSink();
    try (OutputStream enc = codec.encode(sink, codecLevel.level)) {
      for (int off = 0; off < SIZE; off += BUFFER) {
        enc.write(plain, off, Math.min(BUFFER, SIZE - off));
      }
    }
    return sink.count;
  }

  /** @return the decoded length (checked) */
  @Benchmark
  public long decode() throws IOException {
    long total = 0;
    try (InputStream dec = codec.decode(new ByteArrayInputStream(encoded))) {
      for (int n; (n = dec.read(buffer)) >= 0; ) {
        total += n;
      }
    }
    if (total != SIZE) {
      throw new IllegalStateException("decoded " + total + " bytes, expected " + SIZE);
    }
    return total;
  }

  /** Discards bytes and counts them, standing in for the temp file of an upload. */
  static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
