package io.s3lfs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnitsTest {
  // What human() printed with String.format, which it no longer calls.
  private static String formatted(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < 5) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %siB", v, "KMGTPE".charAt(u));
  }

  @Test
  void human_examples_oneDecimalBinaryUnits() {
    assertThat(Units.human(0)).isEqualTo("0 B");
    assertThat(Units.human(1023)).isEqualTo("1023 B");
    assertThat(Units.human(1024)).isEqualTo("1.0 KiB");
    assertThat(Units.human(1536)).isEqualTo("1.5 KiB");
    assertThat(Units.human(1280)).isEqualTo("1.3 KiB"); // 1.25: half up
    assertThat(Units.human(1024 * 1024 - 1)).isEqualTo("1024.0 KiB");
    assertThat(Units.human(65_536_000)).isEqualTo("62.5 MiB");
    assertThat(Units.human(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
  }

  @Test
  void human_manySizes_sameAsStringFormat() {
    Random r = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      long bytes = i < 100_000 ? i * 13L : r.nextLong(Long.MAX_VALUE) >>> r.nextInt(63);
      assertThat(Units.human(bytes)).as("%d bytes", bytes).isEqualTo(formatted(bytes));
    }
  }
}
