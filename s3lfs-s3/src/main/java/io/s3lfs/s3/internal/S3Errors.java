package io.s3lfs.s3.internal;

import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates SDK failures into {@link StorageException}, once, at the store boundary. Messages
 * are one line: what failed, the bucket or key, and the fix where one is known. The SDK's own
 * message (with request ids and, for CRT, native error names) is kept only as the cause.
 */
final class S3Errors {
  private static final Set<String> THROTTLING = Set.of(
      "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded",
      "TooManyRequests", "RequestThrottled", "RequestThrottledException");
  private static final Set<String> TRANSIENT = Set.of(
      "RequestTimeout", "InternalError", "ServiceUnavailable", "RequestTimeTooSkewed");
  private static final Set<String> BAD_CREDENTIALS = Set.of(
      "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "TokenRefreshRequired");
  /**
   * The CRT client reports network failures, and with its retries off also 503 and 500 answers
   * to PutObject and GetObject, as SdkClientException with no cause, only aws-c-io/aws-c-s3
   * error strings ("socket connection refused.", "Response code indicates throttling"). These
   * lower-case fragments classify them.
   */
  private static final List<String> CRT_UNREACHABLE = List.of(
      "connection refused", "no route to host", "dns query failed", "host name was invalid",
      "no address found for host", "network is down");
  private static final List<String> CRT_THROTTLED = List.of("indicates throttling", "slow down");
  /** TLS handshake failures, from the CRT ("TLS (SSL) negotiation failed") or the JDK. */
  private static final List<String> TLS_FAILED = List.of(
      "negotiation failed", "aws_io_tls", "pkix path", "unable to find valid certification path");
  private static final List<String> CRT_TRANSIENT = List.of(
      "response code indicates", "internal server error", "socket closed", "connection closed",
      "connection reset", "timed out", "timeout", "unexpected eof", "broken pipe", "aws_io_", "aws_error_http_");

  private final S3Settings settings;
  private final RetryPolicy retry;
  private final TlsProbe probe;

  S3Errors(S3Settings settings, RetryPolicy retry) {
    this(settings, retry, null);
  }

  /** @param probe what checks the endpoint's certificate when a first request goes unanswered, or null */
  S3Errors(S3Settings settings, RetryPolicy retry, TlsProbe probe) {
    this.settings = settings;
    this.retry = retry;
    this.probe = probe;
  }

  /** @return whether {@link TlsProbe} found the endpoint's certificate refused */
  boolean tlsRefused() {
    return probe != null && probe.refused();
  }

  /** @return the retries this store adds around each request */
  RetryPolicy retry() {
    return retry;
  }

  /**
   * Waits for {@code future} and translates its failure.
   *
   * @return the future's value
   */
  <T> T await(CompletableFuture<T> future, Operation operation, String key) {
    try {
      return probe == null ? future.join() : probe.await(future);
    } catch (CompletionException | CancellationException | SdkException e) {
      throw translate(e, operation, key);
    }
  }

  /**
   * Sends a request (built afresh by {@code call} for each attempt) under the store's
   * {@link RetryPolicy}, translating failures.
   */
  <T> T retried(Operation operation, String key, Supplier<CompletableFuture<T>> call) {
    return retried(retry, operation, key, call);
  }

  /** As {@link #retried(Operation, String, Supplier)}, under {@code policy}. */
  <T> T retried(RetryPolicy policy, Operation operation, String key, Supplier<CompletableFuture<T>> call) {
    return policy.call(() -> await(call.get(), operation, key));
  }

  /**
   * @param failure what the SDK threw or completed a future with
   * @param operation the operation, for "access denied (write)" style messages
   * @param key the key or prefix involved, or {@code null}
   */
  StorageException translate(Throwable failure, Operation operation, String key) {
    Throwable t = unwrap(failure);
    if (t instanceof StorageException se) {
      return se;
    }
    if (t instanceof AwsServiceException ase) {
      return service(ase, operation, key);
    }
    if (t instanceof SdkClientException sce && isMissingCredentials(sce)) {
      return new StorageException(Kind.NO_CREDENTIALS, operation, key,
          "no AWS credentials found for s3://" + settings.bucket() + "; set AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY or AWS_PROFILE, or use --no-sign-request for a public bucket", t);
    }
    if (mentions(t, TLS_FAILED)) {
      // Not retried: a certificate the system does not trust stays untrusted.
      var refusal = probe == null ? java.util.Optional.<TlsProbe.Refusal>empty() : probe.refusal();
      if (refusal.isPresent()) {
        return new StorageException(Kind.UNREACHABLE, operation, key, "cannot talk TLS with "
            + settings.endpointName() + ": " + refusal.get().reason() + "; " + refusal.get().fix(), t);
      }
      return new StorageException(Kind.UNREACHABLE, operation, key,
          "cannot talk TLS with " + settings.endpointName() + " (" + rootMessage(t) + "); " + TlsProbe.UNTRUSTED_FIX, t);
    }
    if (isUnreachable(t)) {
      return new StorageException(Kind.UNREACHABLE, operation, key,
          "cannot reach " + settings.endpointName() + " (" + rootMessage(t) + "); check --endpoint-url"
              + " and the network", t);
    }
    if (mentions(t, CRT_THROTTLED)) {
      return new StorageException(Kind.THROTTLED, operation, key,
          verb(operation) + " " + where(key) + " throttled: " + rootMessage(t), t);
    }
    if (isTransient(t)) {
      return new StorageException(Kind.TRANSIENT, operation, key,
          verb(operation) + " " + where(key) + " failed: " + rootMessage(t), t);
    }
    return new StorageException(Kind.OTHER, operation, key,
        verb(operation) + " " + where(key) + " failed: " + rootMessage(t), t);
  }

  private StorageException service(AwsServiceException e, Operation op, String key) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    return forCode(e.statusCode(), code, message, op, key, e);
  }

  /**
   * Classifies an S3 error code, from an exception or from one key of a DeleteObjects answer.
   *
   * @param status the HTTP status, or 0 when there is none (per-key DeleteObjects errors)
   */
  StorageException forCode(int status, String errorCode, String message, Operation op, String key, Throwable e) {
    String code = errorCode == null ? "" : errorCode;
    String detail = (code.isEmpty() ? "HTTP " + status : code)
        + (message == null || message.isBlank() ? "" : ": " + oneLine(message));
    String subject = verb(op) + " " + where(key);
    if ("NoSuchBucket".equals(code)) {
      return new StorageException(Kind.NO_SUCH_BUCKET, op, key, "bucket " + settings.bucket()
          + " does not exist at " + settings.endpointName() + "; check the bucket name and endpoint", e);
    }
    if (status == 404 && code.isEmpty() && op == Operation.LIST) {
      // S3 answers a listing of a missing bucket with NoSuchBucket, and of anything else with a
      // page: a bare 404 is a server that is not S3 (a web server, a proxy) at the endpoint. As
      // with a failed TLS handshake, no S3 is reachable there: every request would fail alike.
      return new StorageException(Kind.UNREACHABLE, op, key, subject + " failed: HTTP 404 without an S3 error code from "
          + settings.endpointName() + "; check that the endpoint is an S3 server and that bucket "
          + settings.bucket() + " exists there", e);
    }
    if ("NoSuchKey".equals(code) || "NoSuchUpload".equals(code) || status == 404) {
      return new StorageException(Kind.NOT_FOUND, op, key, subject + " failed: no such object", e);
    }
    if (BAD_CREDENTIALS.contains(code)) {
      return new StorageException(Kind.NO_CREDENTIALS, op, key, subject + " failed: the server rejected"
          + " the credentials (" + code + "); check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_PROFILE", e);
    }
    if (status == 403 || "AccessDenied".equals(code) || "AllAccessDisabled".equals(code)) {
      return accessDenied(op, key, detail, e);
    }
    if (status == 501 || "NotImplemented".equals(code)) {
      String fix = op == Operation.WRITE && settings.encryption()
          ? "; the server does not support server-side encryption: add `encryption: false` to .s3lfsconfig"
          : "; the server does not support this request";
      return new StorageException(Kind.UNSUPPORTED, op, key, subject + " refused (" + detail + ")" + fix, e);
    }
    if (THROTTLING.contains(code) || status == 429 || status == 503) {
      return new StorageException(Kind.THROTTLED, op, key, subject + " throttled (" + detail + ")", e);
    }
    if (TRANSIENT.contains(code) || status >= 500) {
      return new StorageException(Kind.TRANSIENT, op, key, subject + " failed (" + detail + ")", e);
    }
    return new StorageException(Kind.OTHER, op, key, subject + " failed (" + detail + ")", e);
  }

  private StorageException accessDenied(Operation op, String key, String detail, Throwable e) {
    String name = op.name().toLowerCase(Locale.ROOT);
    if (settings.anonymous() && (op == Operation.WRITE || op == Operation.DELETE)) {
      // Anonymous requests are never allowed to change a bucket that is merely public-read.
      return new StorageException(Kind.ACCESS_DENIED, op, key, "access denied (" + name + ") to s3://"
          + settings.bucket() + ": anonymous requests (--no-sign-request) cannot " + name
          + "; drop --no-sign-request and configure credentials", e);
    }
    String fix = settings.anonymous()
        ? "; the bucket is not public for " + name + ": drop --no-sign-request and configure credentials"
        : "; the credentials lack permission to " + name + " here";
    return new StorageException(Kind.ACCESS_DENIED, op, key,
        "access denied (" + name + ") to " + where(key) + " (" + detail + ")" + fix, e);
  }

  private String where(String key) {
    return key == null || key.isEmpty()
        ? "s3://" + settings.bucket() : "s3://" + settings.bucket() + "/" + key;
  }

  private static String verb(Operation op) {
    return switch (op) {
      case LIST -> "list";
      case READ -> "read";
      case WRITE -> "write";
      case DELETE -> "delete";
    };
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isMissingCredentials(SdkClientException e) {
    String m = e.getMessage();
    return m != null && m.contains("Unable to load credentials");
  }

  private static boolean isUnreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof UnknownHostException
          || c instanceof NoRouteToHostException) {
        return true;
      }
    }
    return mentions(t, CRT_UNREACHABLE);
  }

  private static boolean mentions(Throwable t, List<String> fragments) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
      if (fragments.stream().anyMatch(m::contains)) {
        return true;
      }
    }
    return false;
  }

  /** Reset or closed connections, timeouts, and CRT's native I/O and HTTP errors. */
  private static boolean isTransient(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof IOException || c instanceof TimeoutException
          || c.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return mentions(t, CRT_TRANSIENT);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return oneLine(m);
  }

  private static String oneLine(String s) {
    // The SDK's attempt count counts its own attempts only, which misleads when we retried.
    String line = s.replaceAll("\\(SDK Attempt Count: \\d+\\)", "").strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
