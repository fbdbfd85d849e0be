package io.s3lfs.core;

/** Byte counts for people. */
public final class Units {
  private Units() {}

  /** @return {@code bytes} in binary units with one decimal, such as {@code 1.5 MiB} */
  public static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String units = "KMGTPE";
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length() - 1) {
      v /= 1024;
      u++;
    }
    // One decimal, half up, as "%.1f" prints it, without String.format: engines describe every
    // file they move with this, and under C1 the formatter cost more than writing a small file.
    long tenths = Math.round(v * 10);
    return tenths / 10 + "." + tenths % 10 + " " + units.charAt(u) + "iB";
  }
}
