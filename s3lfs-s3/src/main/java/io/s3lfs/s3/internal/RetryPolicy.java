package io.s3lfs.s3.internal;

import io.s3lfs.api.StorageException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries an S3 request that failed with a {@linkplain StorageException.Kind#retryable()
 * retryable} kind (throttling, 5xx, reset connections, timeouts): exponential backoff with full
 * jitter (sleep a uniform time in {@code [0, min(maxDelay, base * 2^n)]}), bounded both by
 * {@code maxAttempts} and by {@code maxTotal} elapsed time. Permanent failures (access denied, no
 * such bucket, bad credentials, other 4xx) go straight to the caller.
 *
 * <p>On the standard client this is the only retry layer (SDK retries are off); on the CRT client
 * the CRT retries and this policy runs {@link #singleAttempt()}; see {@link S3Clients}. Each attempt
 * must build its request body afresh (from the file, or from a buffered part), which is why
 * every upload here is replayable.
 *
 * @param maxAttempts attempts in total, including the first
 * @param baseDelay ceiling of the first backoff
 * @param maxDelay ceiling of any one backoff
 * @param maxTotal no new attempt starts after this much time since the first
 */
record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxTotal) {

  RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("s3.retry.maxAttempts must be >= 1, got " + maxAttempts);
    }
  }

  /**
   * @return the retries to ask the AWS CRT for: {@code maxAttempts - 1}, but at least 1. The CRT
   *     cannot make a single attempt: aws-c-io takes 0 retries as "its default" (the standard
   *     retry strategy logs max_retries 3, four attempts), so 1 is the nearest to what was asked
   */
  int crtRetries() {
    return Math.max(1, maxAttempts - 1);
  }

  /** @return this policy reduced to one attempt, for a client that retries by itself */
  RetryPolicy singleAttempt() {
    return new RetryPolicy(1, baseDelay, maxDelay, maxTotal);
  }

  /**
   * Runs {@code attempt} until it succeeds, fails permanently, or the budget is spent.
   *
   * @param attempt one try; throws an already translated StorageException
   * @return the first successful result
   */
  <T> T call(Supplier<T> attempt) {
    long start = System.nanoTime();
    for (int n = 1; ; n++) {
      try {
        return attempt.get();
      } catch (StorageException e) {
        if (!e.kind().retryable() || n >= maxAttempts) {
          throw e;
        }
        long sleep = backoffMillis(n);
        if (Duration.ofNanos(System.nanoTime() - start).plusMillis(sleep).compareTo(maxTotal) > 0) {
          throw e;
        }
        log().log(System.Logger.Level.DEBUG, "retry {0}/{1} in {2} ms: {3}", n, maxAttempts - 1, sleep, e.getMessage());
        sleep(sleep, e);
      }
    }
  }

  /** Full jitter: uniform in [0, min(maxDelay, base * 2^(n-1))]. */
  long backoffMillis(int failedAttempts) {
    long ceiling = baseDelay.toMillis() << Math.min(failedAttempts - 1, 20);
    ceiling = Math.min(ceiling, maxDelay.toMillis());
    return ThreadLocalRandom.current().nextLong(ceiling + 1);
  }

  private static void sleep(long millis, StorageException pending) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      pending.addSuppressed(ie);
      throw pending;
    }
  }

  // On use, not in a static field: the first getLogger starts the JDK's logging, ~25 ms of start-up.
  private static System.Logger log() {
    return System.getLogger(RetryPolicy.class.getName());
  }
}
