package io.s3lfs.core;

/** The s3lfs version, read from the jar manifest. */
public final class Version {
  private Version() {}

  /** @return the implementation version, or {@code dev} when run from classes */
  public static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
