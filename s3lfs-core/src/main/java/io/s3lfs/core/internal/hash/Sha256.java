package io.s3lfs.core.internal.hash;

/**
 * SHA-256, the content hash of the manifest and of object keys ({@code sha256}, 32 bytes).
 * Public only because {@link java.util.ServiceLoader} instantiates it.
 */
public final class Sha256 extends MessageDigestAlgorithm {
  /** Called by {@link java.util.ServiceLoader}. */
  public Sha256() {
    super("sha256", "SHA-256", 32);
  }
}
