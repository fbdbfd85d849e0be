package io.s3lfs.core;

import java.util.Locale;

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
    return String.format(Locale.ROOT, "%.1f %siB", v, units.charAt(u));
  }
}
