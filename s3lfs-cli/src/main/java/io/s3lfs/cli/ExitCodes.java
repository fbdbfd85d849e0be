package io.s3lfs.cli;

/** Exit statuses, extending picocli's 0, 1, 2 as DESIGN.md section 6 lists them. */
final class ExitCodes {
  static final int OK = 0;
  static final int SOFTWARE = 1;
  static final int USAGE = 2;
  static final int INTEGRITY = 3;
  static final int STORAGE = 4;
  static final int PARTIAL = 5;
  static final int INTERRUPTED = 130;

  private ExitCodes() {}
}
