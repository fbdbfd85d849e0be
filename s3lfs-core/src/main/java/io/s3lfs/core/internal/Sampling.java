package io.s3lfs.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;

/**
 * Decides whether compressing a file pays, as the reference's {@code compression: auto} does
 * (spec 3.3): deflate the first 256 KiB at level 1 and compress only if the gzip-sized result
 * (18 bytes of header and trailer included) is under 90% of the sample.
 */
public final class Sampling {
  /** Bytes sampled from the start of a file: all of a file this size or smaller. */
  public static final int SAMPLE = 256 * 1024;
  private static final int GZIP_OVERHEAD = 18;

  private Sampling() {}

  /**
   * The reference's rule: compression pays when the gzip-sized result is under 90% of the input.
   *
   * @param encoded the encoded size, container overhead included
   */
  public static boolean pays(long encoded, long raw) {
    return encoded < 0.9 * raw;
  }

  /** @return whether {@code file} is worth compressing; false for an empty file */
  public static boolean compressible(Path file) throws IOException {
    byte[] sample;
    try (InputStream in = Files.newInputStream(file)) {
      sample = in.readNBytes(SAMPLE);
    }
    if (sample.length == 0) {
      return false;
    }
    Deflater deflater = new Deflater(1, true);
    try {
      deflater.setInput(sample);
      deflater.finish();
      byte[] out = new byte[64 * 1024];
      long compressed = GZIP_OVERHEAD;
      while (!deflater.finished()) {
        compressed += deflater.deflate(out);
      }
      return pays(compressed, sample.length);
    } finally {
      deflater.end();
    }
  }
}
