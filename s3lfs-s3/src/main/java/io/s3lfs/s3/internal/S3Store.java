package io.s3lfs.s3.internal;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.s3.internal.S3Settings.ClientKind;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The {@code s3://} store on one bucket. Keys are used as given (the engine adds its prefix).
 *
 * <p>Uploads: up to {@code s3.multipartThreshold} (8 MiB) one PutObject, above it a
 * {@link MultipartUpload} with parts sized to the object. Every request is retried by
 * {@link RetryPolicy}; for {@link #get} that covers getting the response, not a connection lost
 * while the caller reads the body (the engine verifies the SHA-256 and fetches again).
 * Thread-safe.
 */
final class S3Store implements ObjectStore {
  private static final int DELETE_BATCH = 1000;
  /** The most keys S3 lists in one page. */
  private static final int PAGE_KEYS = 1000;
  /** The first page of a listing read page by page: see {@link #list(String, java.util.function.Consumer)}. */
  static final int FIRST_PAGE_KEYS = 100;

  private final URI uri;
  private final S3Settings settings;
  private final S3Clients.Built client;
  private final ClientKind clientKind;
  private final S3Errors errors;
  private final Requests requests;
  private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
  private final MultipartUpload multipart;

  S3Store(URI uri, S3Settings settings, S3Clients.Built client) {
    this.uri = Objects.requireNonNull(uri, "uri");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.client = client;
    this.clientKind = client.kind();
    this.errors = new S3Errors(settings, client.retry(), clientKind == ClientKind.CRT
        ? TlsProbe.of(client.direct() != null ? client.direct().endpoint() : settings.endpoint(), settings.tlsTrust())
        : null); // the standard client's TLS is the JDK's, which reports a refused certificate at once
    this.requests = new Requests(settings);
    this.multipart = new MultipartUpload(client.client()::get, settings, errors, requests, io);
  }

  @Override
  public URI uri() {
    return uri;
  }

  /** @return the SDK client in use: CRT, or STANDARD after a fallback or when asked for */
  ClientKind clientKind() {
    return clientKind;
  }

  /** @return whether whole-object GETs and single PUTs go to the CRT's S3 client directly */
  boolean directRequests() {
    return client.direct() != null && !client.direct().redirected();
  }

  /** @return whether the SDK's client was needed so far (direct requests may do without it) */
  boolean sdkClientBuilt() {
    return client.client().built();
  }

  @Override
  public void put(String key, Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " to upload it: " + e.getMessage(), e);
    }
    if (size > settings.multipartThreshold()) {
      multipart.fromFile(key, file, size);
      return;
    }
    retried(Operation.WRITE, key, () -> s3().putObject(requests.putObject(key, size), AsyncRequestBody.fromFile(file)));
  }

  @Override
  public void put(String key, InputStream data, long length) {
    long threshold = settings.multipartThreshold();
    if (length > threshold) {
      multipart.fromStream(key, new byte[0], data, length);
      return;
    }
    byte[] head;
    int next;
    try {
      // Known length: the whole object (at most the threshold). Unknown: up to the threshold,
      // then one byte more tells whether it fits a single PUT; if not, the head becomes the
      // first part as it is.
      head = data.readNBytes(Math.toIntExact(length >= 0 ? length : threshold));
      next = data.read();
      if (length >= 0 && (head.length < length || next != -1)) {
        throw new IOException("the stream does not hold exactly the " + length + " bytes announced");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the data for " + key + ": " + e.getMessage(), e);
    }
    if (next != -1) {
      var rest = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(new byte[] {(byte) next}), data);
      multipart.fromStream(key, head, rest, -1);
      return;
    }
    if (direct(client.retry(), Operation.WRITE, key, d -> d.put(key, head)).isPresent()) {
      return;
    }
    retried(Operation.WRITE, key,
        () -> s3().putObject(requests.putObject(key, head.length), AsyncRequestBody.fromBytesUnsafe(head)));
  }

  @Override
  public InputStream get(String key) {
    return body(key, null);
  }

  @Override
  public InputStream get(String key, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("offset and length must be >= 0, got " + offset + ", " + length);
    }
    if (length == 0) {
      head(key).orElseThrow(() -> notFound(key));
      return InputStream.nullInputStream();
    }
    return body(key, "bytes=" + offset + "-" + (offset + length - 1));
  }

  private InputStream body(String key, String range) {
    InputStream in;
    try {
      // Whole-object GETs start on the CRT's plain HTTP client, which does not retry: the store does.
      Optional<InputStream> direct = range == null
          ? direct(settings.retry(), Operation.READ, key,
              d -> d.get(key, t -> errors.translate(t, Operation.READ, key).kind().retryable()))
          : Optional.empty();
      in = direct.isPresent() ? direct.get() : retried(Operation.READ, key, () -> s3().getObject(
          r -> r.bucket(settings.bucket()).key(key).range(range), AsyncResponseTransformer.toBlockingInputStream()));
    } catch (StorageException e) {
      return emptyOr(e);
    }
    return translated(in, key);
  }

  /**
   * Sends a request through {@link CrtRequests} when they serve this store.
   *
   * @return the answer, or empty when the SDK must send it: no direct requests here, S3 said
   *     (now or earlier) that the bucket is in another region, which the SDK follows, or the
   *     answer was {@code null} (one the direct path could not read)
   */
  private <T> Optional<T> direct(RetryPolicy policy, Operation op, String key,
      Function<CrtRequests, CompletableFuture<T>> call) {
    CrtRequests direct = client.direct();
    if (direct == null || direct.redirected()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(errors.retried(policy, op, key, () -> call.apply(direct)));
    } catch (StorageException e) {
      if (!direct.redirected()) {
        throw e;
      }
      return Optional.empty();
    }
  }

  // 416 InvalidRange: the range starts at or after the end, so there are no bytes to read.
  // The CRT client asks for ranges even for a whole object, and gets 416 for an empty one.
  private static InputStream emptyOr(StorageException e) {
    if (e.getCause() instanceof AwsServiceException ase && ase.statusCode() == 416) {
      return InputStream.nullInputStream();
    }
    throw e;
  }

  /**
   * Failures while the body is read become StorageExceptions too, a lost connection among them
   * (the standard client's Netty reports it as a SocketException): the engine starts a download
   * that failed retryably over.
   */
  private InputStream translated(InputStream in, String key) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (InterruptedIOException e) {
          throw e;
        } catch (RuntimeException | IOException e) {
          throw errors.translate(e, Operation.READ, key);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (InterruptedIOException e) {
          throw e;
        } catch (RuntimeException | IOException e) {
          throw errors.translate(e, Operation.READ, key);
        }
      }
    };
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    try {
      var response = retried(Operation.READ, key, () -> s3().headObject(r -> r.bucket(settings.bucket()).key(key)));
      return Optional.of(new ObjectInfo(key, response.contentLength()));
    } catch (StorageException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<ObjectInfo> list(String prefix) {
    List<ObjectInfo> result = new ArrayList<>();
    list(prefix, PAGE_KEYS, result::addAll);
    result.sort(Comparator.comparing(ObjectInfo::key));
    return List.copyOf(result);
  }

  /**
   * In pages as S3 sends them, the first of at most {@value #FIRST_PAGE_KEYS} keys: the caller
   * starts on it sooner (S3Proxy answered 100 keys in 0.05 s, 1,000 in 0.14-0.17 s), for one
   * request more per listing.
   */
  @Override
  public void list(String prefix, java.util.function.Consumer<List<ObjectInfo>> pages) {
    list(prefix, FIRST_PAGE_KEYS, pages);
  }

  private void list(String prefix, int firstPageKeys, java.util.function.Consumer<List<ObjectInfo>> pages) {
    String token = null;
    do {
      String continuation = token;
      int keys = token == null ? firstPageKeys : PAGE_KEYS;
      List<ObjectInfo> page;
      Optional<ListPage> direct = direct(client.retry(), Operation.LIST, prefix, d -> d.list(prefix, continuation, keys));
      if (direct.isPresent()) {
        page = direct.get().objects();
        token = direct.get().next();
      } else {
        ListObjectsV2Response answer = retried(Operation.LIST, prefix, () -> s3().listObjectsV2(
            r -> r.bucket(settings.bucket()).prefix(prefix).continuationToken(continuation).maxKeys(keys)));
        page = answer.contents().stream().map(o -> new ObjectInfo(o.key(), o.size())).toList();
        // Like the reference: follow the token only while IsTruncated is exactly true (spec 3.14).
        token = Boolean.TRUE.equals(answer.isTruncated()) ? answer.nextContinuationToken() : null;
      }
      pages.accept(page); // in S3's order: UTF-8 bytes
    } while (token != null);
  }

  @Override
  public Map<String, StorageException> delete(Collection<String> keys) {
    List<String> all = List.copyOf(new LinkedHashSet<>(keys));
    Map<String, StorageException> failed = new LinkedHashMap<>();
    for (int from = 0; from < all.size(); from += DELETE_BATCH) {
      List<String> batch = all.subList(from, Math.min(from + DELETE_BATCH, all.size()));
      List<ObjectIdentifier> ids = batch.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
      try {
        var response = retried(Operation.DELETE, batch.getFirst(), () -> s3().deleteObjects(
            r -> r.bucket(settings.bucket()).delete(d -> d.objects(ids).quiet(true))));
        response.errors().forEach(e -> failed.put(e.key(),
            errors.forCode(0, e.code(), e.message(), Operation.DELETE, e.key(), null)));
      } catch (StorageException e) {
        batch.forEach(k -> failed.put(k, e));
      }
    }
    return failed;
  }

  @Override
  public void copy(String sourceKey, String targetKey) {
    ObjectInfo source = head(sourceKey).orElseThrow(() -> notFound(sourceKey));
    if (source.size() > S3Settings.MAX_SINGLE_OBJECT) {
      multipart.copy(sourceKey, targetKey, source.size());
      return;
    }
    retried(Operation.WRITE, targetKey, () -> s3().copyObject(requests.copyObject(sourceKey, targetKey)));
  }

  @Override
  public void close() {
    // After a refused certificate the connection whose handshake failed stays open for s2n's
    // 10-30 s blinding delay, and the CRT clients' shutdown waits for it (the SDK's for all of
    // it: 33 s in one test run). Nothing is gained by waiting: the direct client skips its
    // waits, and the rest is closed on a daemon thread, so the caller goes on at once.
    boolean refused = errors.tlsRefused();
    if (refused && client.direct() != null) {
      client.direct().abandon();
    }
    try {
      if (refused) {
        Thread.ofPlatform().daemon().name("s3lfs-store-close").start(client::close);
      } else {
        client.close();
      }
    } finally {
      io.close();
    }
  }

  /** The SDK's client, built on first use (see {@link S3Clients.SdkClient}). */
  private S3AsyncClient s3() {
    return client.client().get();
  }

  private <T> T retried(Operation op, String key, Supplier<CompletableFuture<T>> call) {
    return errors.retried(op, key, call);
  }

  private StorageException notFound(String key) {
    return new StorageException(Kind.NOT_FOUND, Operation.READ, key,
        "read s3://" + settings.bucket() + "/" + key + " failed: no such object");
  }
}
