package io.s3lfs.core.internal.codec;

/** Level checks shared by the codecs. */
final class Levels {
  private Levels() {}

  /** @throws IllegalArgumentException naming the codec and its range when out of range */
  static int check(String codec, int level, int min, int max) {
    if (level < min || level > max) {
      throw new IllegalArgumentException(
          codec + " level must be " + min + " to " + max + ", got " + level);
    }
    return level;
  }
}
