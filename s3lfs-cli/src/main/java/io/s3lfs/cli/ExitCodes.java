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

  /** The exit code list shown in every command's help. */
  static final String[] HELP = {
    "0:ok",
    "1:internal error",
    "2:usage: bad arguments, unknown path, not initialised",
    "3:integrity: hash mismatch, corrupt manifest",
    "4:storage: credentials, access, missing object, network",
    "5:partial: some files failed, the rest were done and recorded",
    "130:interrupted"
  };

  private ExitCodes() {}
}
