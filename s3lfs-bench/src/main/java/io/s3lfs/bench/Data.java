package io.s3lfs.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** Deterministic benchmark data: random bytes and log-like text, and temp-tree clean-up. */
final class Data {
  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
  private static final String[] LOGGERS = {"io.s3lfs.core.Engine", "io.s3lfs.s3.S3Store",
      "org.eclipse.jetty.server.Server", "com.example.billing.InvoiceService", "sun.net.www.http"};
  private static final String[] VERBS = {"uploaded", "downloaded", "hashed", "skipped", "retrying"};

  private Data() {}

  /** @return {@code size} random bytes from a fixed seed */
  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** @return about {@code size} bytes of ASCII application-log lines, cut to exactly size */
  static byte[] logText(int size, long seed) {
    var r = new SplittableRandom(seed);
    var sb = new StringBuilder(size + 256);
    long millis = 1_795_000_000_000L;
    while (sb.length() < size) {
      millis += r.nextInt(50);
      sb.append(java.time.Instant.ofEpochMilli(millis)).append(' ')
          .append(LEVELS[r.nextInt(LEVELS.length)]).append(" [worker-").append(r.nextInt(16))
          .append("] ").append(LOGGERS[r.nextInt(LOGGERS.length)]).append(" - ")
          .append(VERBS[r.nextInt(VERBS.length)]).append(" data/dir").append(r.nextInt(100))
          .append("/file_").append(r.nextInt(1_000_000)).append(".bin ").append(r.nextInt(1 << 24))
          .append(" bytes in ").append(r.nextInt(2000)).append(" ms request-id=")
          .append(Long.toHexString(r.nextLong())).append('\n');
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes {@code size} random bytes to {@code file}, 1 MiB at a time. */
  static void writeRandom(Path file, long size, long seed) throws IOException {
    var r = new SplittableRandom(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        r.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
  }

  /** Deletes {@code dir} and everything below it; absent is fine. */
  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
