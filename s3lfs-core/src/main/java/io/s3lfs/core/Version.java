package io.s3lfs.core;

/** The s3lfs version, read from the jar manifest. */
public final class Version {
  private Version() {}

  /** @return the module version (or the jar's implementation version), {@code dev} from classes */
  public static String get() {
    var descriptor = Version.class.getModule().getDescriptor();
    if (descriptor != null && descriptor.rawVersion().isPresent()) {
      return descriptor.rawVersion().get();
    }
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** @return what hashes files here: OpenSSL's version text, or "the JDK" */
  public static String hashing() {
    return io.s3lfs.core.internal.hash.FileHashing.backend();
  }
}
