package io.s3lfs.core;

import java.util.Locale;

/** When stored objects are compressed (the reference's {@code compression} setting, spec 3.3). */
public enum Compression {
  /**
   * Compress a file only if a sample of it compresses: the first 256 KiB, gzip level 1, used
   * when the result is under 90% of the sample. Empty files are stored raw.
   */
  AUTO,
  /** Always compress; objects stay readable by seed-era clients that only know {@code .gz}. */
  ALWAYS,
  /** Never compress: objects hold the file's exact bytes. */
  NEVER;

  /**
   * @param value {@code auto}, {@code always} or {@code never}
   * @throws S3lfsException USAGE for anything else
   */
  public static Compression parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw S3lfsException.usage("compression must be auto, always or never, got '" + value + "'");
    }
  }
}
