package io.s3lfs.api;

import java.util.Objects;

/**
 * The one exception that crosses the object store boundary. Unchecked, like the AWS SDK's, and
 * classified by a {@link Kind} so callers decide on retries and exit codes without parsing
 * messages.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, in terms a caller can act on. */
  public enum Kind {
    /** The object (or bucket path) does not exist. */
    NOT_FOUND,
    /** The credentials are valid but not allowed to do this. */
    ACCESS_DENIED,
    /** No credentials could be found, or they were rejected as unknown. */
    NO_CREDENTIALS,
    /** The bucket does not exist. */
    NO_SUCH_BUCKET,
    /** The server asked us to slow down; worth retrying after a pause. */
    THROTTLED,
    /** A failure that may pass: 5xx, reset connection, timeout. Worth retrying. */
    TRANSIENT,
    /** Stored bytes are not what was expected (checksum, truncation). */
    INTEGRITY,
    /** The server refused a feature we asked for (for example server-side encryption). */
    UNSUPPORTED,
    /** The endpoint could not be reached at all. */
    UNREACHABLE,
    /** Anything else; not retried. */
    OTHER;

    /** Whether an operation failing with this kind may succeed if simply tried again. */
    public boolean retryable() {
      return this == THROTTLED || this == TRANSIENT;
    }
  }

  /** The operation that failed, named for messages such as "access denied (write)". */
  public enum Operation {
    /** Listing keys. */
    LIST,
    /** Reading an object or its metadata. */
    READ,
    /** Writing or copying an object. */
    WRITE,
    /** Deleting objects. */
    DELETE
  }

  private final Kind kind;
  private final Operation operation;
  private final String key;

  /**
   * @param kind what went wrong
   * @param operation the operation that failed
   * @param key the object key or prefix involved, or {@code null}
   * @param message one line saying what failed and, where known, how to fix it
   * @param cause the underlying exception, or {@code null}
   */
  public StorageException(Kind kind, Operation operation, String key, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.key = key;
  }

  /**
   * @param kind what went wrong
   * @param operation the operation that failed
   * @param key the object key or prefix involved, or {@code null}
   * @param message one line saying what failed and, where known, how to fix it
   */
  public StorageException(Kind kind, Operation operation, String key, String message) {
    this(kind, operation, key, message, null);
  }

  /** @return the classification of this failure */
  public Kind kind() {
    return kind;
  }

  /** @return the operation that failed */
  public Operation operation() {
    return operation;
  }

  /** @return the object key or prefix involved, or {@code null} when none applies */
  public String key() {
    return key;
  }
}
