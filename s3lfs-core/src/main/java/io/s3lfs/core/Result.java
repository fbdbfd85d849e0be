package io.s3lfs.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an operation did, file by file. Batches do not stop at the first failure: they finish the
 * other files and report the failures here.
 *
 * @param counts how many files ended with each action
 * @param failures the files that failed, with the reason, in key order
 * @param bytes payload bytes moved to or from the store
 */
public record Result(Map<TransferListener.Action, Integer> counts, List<Failure> failures, long bytes) {
  /**
   * One failed file.
   *
   * @param key the manifest key
   * @param kind the failure class, deciding the exit status
   * @param message one line saying what failed
   * @param cause the exception behind it, for --verbose; may be null
   */
  public record Failure(String key, S3lfsException.Kind kind, String message, Throwable cause) {
    public Failure {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  public Result {
    counts = Map.copyOf(counts);
    failures = List.copyOf(failures);
  }

  /** @return how many files ended with {@code action} */
  public int count(TransferListener.Action action) {
    return counts.getOrDefault(action, 0);
  }

  /** @return the total number of files handled */
  public int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }
}
