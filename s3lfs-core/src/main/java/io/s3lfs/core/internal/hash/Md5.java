package io.s3lfs.core.internal.hash;

/**
 * MD5 ({@code md5}, 16 bytes): not a content address, but what S3 reports as the ETag of a
 * single-part upload, so it serves integrity checks against the store.
 * Public only because {@link java.util.ServiceLoader} instantiates it.
 */
public final class Md5 extends MessageDigestAlgorithm {
  /** Called by {@link java.util.ServiceLoader}. */
  public Md5() {
    super("md5", "MD5", 16);
  }
}
