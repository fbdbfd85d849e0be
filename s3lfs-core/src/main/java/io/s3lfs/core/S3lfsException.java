package io.s3lfs.core;

import java.util.Objects;

/**
 * A failure the user can act on, with the exit status the command line reports for it. The
 * message is one line: what failed, the value, and the fix.
 */
public final class S3lfsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Failure classes, each with its process exit status (DESIGN.md section 6). */
  public enum Kind {
    /** Bad input: unknown path, nothing matched, not initialised. Exit 2. */
    USAGE(2),
    /** Bytes or manifest not what they should be: hash mismatch, corrupt manifest. Exit 3. */
    INTEGRITY(3),
    /** The object store failed: auth, missing object, network after retries. Exit 4. */
    STORAGE(4),
    /** Some files failed; the rest were done and recorded. Exit 5. */
    PARTIAL(5);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    /** @return the process exit status for this kind */
    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;

  /**
   * @param kind the failure class
   * @param message one line: what failed, the value, and the fix
   */
  public S3lfsException(Kind kind, String message) {
    this(kind, message, null);
  }

  /**
   * @param kind the failure class
   * @param message one line: what failed, the value, and the fix
   * @param cause the underlying exception, or {@code null}
   */
  public S3lfsException(Kind kind, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** @return the failure class */
  public Kind kind() {
    return kind;
  }

  static S3lfsException usage(String message) {
    return new S3lfsException(Kind.USAGE, message);
  }
}
