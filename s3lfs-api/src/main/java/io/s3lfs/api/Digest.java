package io.s3lfs.api;

import java.util.HexFormat;
import java.util.Objects;

/**
 * A content digest: the algorithm's name and the lowercase hex of its bytes, as stored in the
 * manifest. Held as hex so the value is immutable and compares by content.
 *
 * @param algorithm the {@link io.s3lfs.api.spi.HashAlgorithm} name, for example {@code sha256}
 * @param hex the digest in lowercase hexadecimal
 */
public record Digest(String algorithm, String hex) {
  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    if (hex.isEmpty() || hex.length() % 2 != 0 || !isLowerHex(hex)) {
      throw new IllegalArgumentException("digest must be lowercase hex, got '" + hex + "'");
    }
  }

  /**
   * @param algorithm the algorithm name
   * @param bytes the raw digest bytes
   * @return the digest
   */
  public static Digest of(String algorithm, byte[] bytes) {
    return new Digest(algorithm, HexFormat.of().formatHex(bytes));
  }

  /** @return a copy of the digest bytes */
  public byte[] bytes() {
    return HexFormat.of().parseHex(hex);
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return hex;
  }
}
