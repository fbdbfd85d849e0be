package io.s3lfs.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.crt.CRT;
import software.amazon.awssdk.crt.auth.credentials.Credentials;
import software.amazon.awssdk.crt.auth.credentials.CredentialsProvider;
import software.amazon.awssdk.crt.auth.credentials.DelegateCredentialsProvider;
import software.amazon.awssdk.crt.auth.signing.AwsSigningConfig;
import software.amazon.awssdk.crt.auth.signing.AwsSigner;
import software.amazon.awssdk.crt.http.HttpClientConnectionManager;
import software.amazon.awssdk.crt.http.HttpClientConnectionManagerOptions;
import software.amazon.awssdk.crt.http.HttpHeader;
import software.amazon.awssdk.crt.http.HttpRequest;
import software.amazon.awssdk.crt.http.HttpRequestBodyStream;
import software.amazon.awssdk.crt.io.ClientBootstrap;
import software.amazon.awssdk.crt.io.EventLoopGroup;
import software.amazon.awssdk.crt.io.ExponentialBackoffRetryOptions;
import software.amazon.awssdk.crt.io.HostResolver;
import software.amazon.awssdk.crt.io.SocketOptions;
import software.amazon.awssdk.crt.io.StandardRetryOptions;
import software.amazon.awssdk.crt.io.TlsCipherPreference;
import software.amazon.awssdk.crt.io.TlsConnectionOptions;
import software.amazon.awssdk.crt.io.TlsContext;
import software.amazon.awssdk.crt.io.TlsContextOptions;
import software.amazon.awssdk.crt.s3.S3Client;
import software.amazon.awssdk.crt.s3.S3ClientOptions;
import software.amazon.awssdk.crt.s3.S3FinishedResponseContext;
import software.amazon.awssdk.crt.s3.S3MetaRequest;
import software.amazon.awssdk.crt.s3.S3MetaRequestOptions;
import software.amazon.awssdk.crt.s3.S3MetaRequestResponseHandler;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Whole-object GETs, single PUTs and listings sent straight to the AWS CRT, beneath the SDK: its
 * S3 client, and for GETs also its plain HTTP client.
 *
 * <p>Why: a checkout of many small files paid about 1.5 ms of CPU per GET in the SDK's Java
 * request pipeline (interceptors, endpoint rules, auth-scheme resolution, header parsing, the
 * blocking-stream adapter), more than the CRT's native HTTP, signing and parts machinery beneath
 * it, and more than writing the file; uploads of small files paid the same per PUT. Single PUTs
 * and listings go to the CRT's S3 client directly, signed in native code. Multipart uploads,
 * ranged GETs, HEAD, DELETE and COPY stay on the SDK. Listings are read by {@link ListPage}.
 *
 * <p>Whole-object GETs go on the CRT's plain HTTP client ({@link PlainGet}, see {@link #get}):
 * requests on pooled connections, signed by the CRT's signer, each held to a read window of one
 * 8 MiB part. Against S3Proxy on loopback (s3lfs-bench/ab.sh --runs 8 checkout, 2 cores,
 * 2026-12-01 12:43-12:47 UTC), first with the S3 client still fetching big objects fetched
 * alone: 2,000 files of 32 KiB 0.99 -> 0.94 s; 8 x 128 MiB 1.52 -> 1.42 s, the server's CPU
 * 0.72 -> 0.45 s and peak RSS 298 -> 195 MiB, their rest coming whole with eight GETs in flight
 * instead of as 15 ranged parts each. The S3 client's GETs handed each part to Java as a fresh
 * 8 MiB array, which the serial collector promoted and piled up (ChunkPool); those parts now come
 * as ranged plain GETs too ({@link RangedGet}). The plain client does not retry: the store retries
 * a GET's first request under its own policy, {@link RangedGet} the other ranges.
 *
 * <p>Failures become the SDK's own exception types ({@link S3Exception} with the status and the
 * S3 error code from the body; {@link SdkClientException} with the CRT's error text for network
 * failures; the credentials provider's own exception), so {@link S3Errors} translates them
 * exactly as it does the SDK's. Used only where the address is plain: an explicit endpoint
 * (path-style), or AWS's regional endpoints in the standard partition. If S3 answers that the
 * bucket lives in another region, the store goes back to the SDK, which follows such redirects
 * ({@link #redirected}). {@code s3.direct=false} keeps every request on the SDK.
 */
final class CrtRequests implements AutoCloseable {
  private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
  private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
  /** A bucket name that is one DNS label, as virtual-hosted addressing needs. */
  private static final Pattern VIRTUAL_HOST_BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
  /** The part a GET is fetched and handed over in, whatever the store's upload part size. */
  private static final int PART = Math.toIntExact(S3Settings.DOWNLOAD_PART);
  /** How far a GET may run ahead of its reader. */
  private static final long WINDOW = (long) PART * S3Clients.READ_AHEAD_PARTS;
  /**
   * Objects up to this size come whole, in one request, when other GETs keep enough connections
   * busy; bigger ones always come in parallel ranged parts. rclone's multi-thread cutoff.
   */
  static final long WHOLE_MAX = 256L << 20;
  /**
   * Whole-object GETs in flight (this one included) from which an object of up to
   * {@link #WHOLE_MAX} comes whole; with fewer, its rest comes in parallel ranged parts.
   */
  static final int WHOLE_FROM = 4;
  /** Ranged GETs in flight for the rest of an object fetched with few other GETs. */
  static final int RANGES_ALONE = 4;
  /** Ranged GETs in flight for the rest of an object over {@link #WHOLE_MAX} among many GETs. */
  static final int RANGES_BUSY = 2;

  private final TlsContextOptions tlsOptions;
  private final TlsContext tls;
  private final ClientBootstrap bootstrap;
  private final EventLoopGroup loops;
  private final HostResolver resolver;
  /** Whether this client still holds the CRT's JVM link (see the constructor); released once. */
  private final AtomicBoolean shutdownHeld;
  private final CredentialsProvider credentials;
  private final AwsSigningConfig signing;
  private final S3Client client;
  private final SocketOptions socket;
  private final TlsConnectionOptions tlsConnection;
  private final HttpClientConnectionManager connections;
  /** What GET bodies are copied into: as many spare chunks as the GETs in flight can hold. */
  private final ChunkPool chunks;
  /** Whole-object GETs started and not yet closed. */
  private final java.util.concurrent.atomic.AtomicInteger gets = new java.util.concurrent.atomic.AtomicInteger();
  private final URI endpoint;
  private final String host;
  private final String pathPrefix;
  private final boolean encryption;
  /** Attempts at each further range of a big object: the store's {@code s3.retry.maxAttempts}. */
  private final int rangeAttempts;
  private volatile boolean redirected;
  private volatile boolean abandoned;
  private volatile RuntimeException credentialsFailure;
  private final AwsCredentialsProvider sdkCredentials;
  private volatile boolean credentialsResolved;

  private CrtRequests(S3Settings settings, AwsCredentialsProvider sdkCredentials, Region region, URI endpoint,
      String pathPrefix) {
    this.endpoint = endpoint;
    this.sdkCredentials = sdkCredentials;
    this.host = endpoint.getPort() < 0 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    this.pathPrefix = pathPrefix;
    this.encryption = settings.encryption();
    this.rangeAttempts = settings.retry().maxAttempts();
    TlsContextOptions t = null;
    TlsContext tls = null;
    ClientBootstrap b = null;
    EventLoopGroup l = null;
    HostResolver h = null;
    CredentialsProvider c = null;
    AwsSigningConfig s = null;
    SocketOptions so = null;
    TlsConnectionOptions tc = null;
    S3Client client = null;
    HttpClientConnectionManager cm = null;
    try {
      // Event loops of our own, as many as the CRT's shared default would have, ended by
      // close(): at the JVM's exit the CRT joins its threads with a 1 s timeout, and the shared
      // default's never end, so a program that had closed the store still lingered 1.0-1.7 s.
      // A TLS context with the system's ciphers and trust store, used for https endpoints, as
      // the SDK's own CRT client sets up.
      l = new EventLoopGroup(Runtime.getRuntime().availableProcessors());
      h = new HostResolver(l);
      b = new ClientBootstrap(l, h);
      t = TlsContextOptions.createDefaultClient().withCipherPreference(TlsCipherPreference.TLS_CIPHER_SYSTEM_DEFAULT);
      tls = new TlsContext(t);
      c = new DelegateCredentialsProvider.DelegateCredentialsProviderBuilder()
          .withHandler(() -> {
            try {
              Credentials resolved = crtCredentials(sdkCredentials);
              credentialsFailure = null;
              return resolved;
            } catch (RuntimeException e) {
              credentialsFailure = e; // the CRT only says that signing failed; this says why
              throw e;
            }
          }).build();
      s = AwsSigningConfig.getDefaultS3SigningConfig(region.id(), c);
      int retries = settings.retry().crtRetries();
      client = new S3Client(new S3ClientOptions()
          .withRegion(region.id())
          .withClientBootstrap(b)
          .withTlsContext(tls)
          .withSigningConfig(s)
          // Single PUTs and listings only: GETs go on the plain HTTP client below.
          .withPartSize(PART)
          .withMultipartUploadThreshold(S3Settings.MAX_SINGLE_OBJECT)
          .withMaxConnections(settings.maxConcurrency())
          .withMemoryLimitInBytes(1L << 30) // the CRT's smallest allowed limit
          .withConnectTimeoutMs(10_000)
          .withStandardRetryOptions(new StandardRetryOptions()
              .withBackoffRetryOptions(new ExponentialBackoffRetryOptions().withMaxRetries(retries))));
      // Plain HTTP connections for GETs: see PlainGet. The window is opened by hand, as the
      // reader consumes.
      so = new SocketOptions();
      so.connectTimeoutMs = 10_000;
      boolean https = "https".equals(endpoint.getScheme());
      var pool = new HttpClientConnectionManagerOptions()
          .withClientBootstrap(b)
          .withSocketOptions(so)
          .withUri(endpoint)
          .withPort(endpoint.getPort() >= 0 ? endpoint.getPort() : https ? 443 : 80)
          .withMaxConnections(settings.maxConcurrency())
          .withManualWindowManagement(true)
          .withWindowSize(WINDOW);
      if (https) {
        tc = new TlsConnectionOptions(tls).withServerName(endpoint.getHost());
        pool.withTlsConnectionOptions(tc);
      }
      cm = HttpClientConnectionManager.create(pool);
    } catch (RuntimeException | Error e) {
      closeAll(cm, client, tc, so, s, c, b, h, l, tls, t);
      throw e;
    }
    this.client = client;
    this.connections = cm;
    this.chunks = new ChunkPool((int) (settings.maxConcurrency() * (WINDOW / ChunkPool.CHUNK + 1)));
    this.socket = so;
    this.tlsConnection = tc;
    this.tlsOptions = t;
    this.tls = tls;
    this.bootstrap = b;
    this.loops = l;
    this.resolver = h;
    this.credentials = c;
    this.signing = s;
    // A hold on the CRT's JVM link until close(). On Ctrl-C the JVM runs its shutdown hooks at
    // once, the CRT's among them, and that one cut native callbacks into Java: downloads in
    // flight stopped receiving data, the command could not wind down, and after the CLI's
    // 60 s wait the process ended with their temp files left behind. The CRT counts holds
    // (acquireShutdownRef) and cuts the link only when the last is released.
    boolean held;
    try {
      CRT.acquireShutdownRef();
      held = true;
    } catch (RuntimeException e) { // the JVM is already shutting down: nothing to hold
      held = false;
    }
    this.shutdownHeld = new AtomicBoolean(held);
  }

  /**
   * @return direct requests for this store, or {@code null} where the address is not plain (see the
   *     class comment) or the CRT cannot be loaded here
   */
  static CrtRequests create(S3Settings settings, AwsCredentialsProvider credentials, Region region) {
    URI endpoint;
    String prefix;
    if (settings.endpoint() != null) {
      URI e = settings.endpoint();
      if (e.getHost() == null || e.getRawPath() != null && !e.getRawPath().isEmpty() && !e.getRawPath().equals("/")) {
        return null; // an endpoint with a path of its own: leave it to the SDK's rules
      }
      endpoint = URI.create(e.getScheme() + "://" + e.getRawAuthority());
      prefix = "/" + SdkHttpUtils.urlEncode(settings.bucket());
    } else {
      String id = region.id();
      if (id.startsWith("cn-") || id.startsWith("us-gov-") || id.startsWith("us-iso") || id.startsWith("eu-isoe")
          || !VIRTUAL_HOST_BUCKET.matcher(settings.bucket()).matches() || fipsOrDualStack(System::getenv)) {
        // Other partitions' domains, names that are not one DNS label (dots that TLS cannot
        // match, access point ARNs), and FIPS or dual-stack endpoints, which the SDK's endpoint
        // rules choose: left to the SDK.
        return null;
      }
      try {
        endpoint = new URI("https", settings.bucket() + ".s3." + id + ".amazonaws.com", null, null);
      } catch (java.net.URISyntaxException e) {
        return null; // an odd region name: the SDK's endpoint rules say what is wrong with it
      }
      prefix = "";
    }
    try {
      return new CrtRequests(settings, credentials, region, endpoint, prefix);
    } catch (RuntimeException | LinkageError e) {
      return null; // the SDK's client reports the same problem, if it is one
    }
  }

  /**
   * Whether FIPS or dual-stack endpoints are asked for, as the SDK reads it: the environment
   * ({@code AWS_USE_FIPS_ENDPOINT}, {@code AWS_USE_DUALSTACK_ENDPOINT}) or the profile's
   * {@code use_fips_endpoint} / {@code use_dualstack_endpoint}. Package-private for tests.
   */
  static boolean fipsOrDualStack(java.util.function.UnaryOperator<String> env) {
    for (String name : new String[] {"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"}) {
      if ("true".equalsIgnoreCase(String.valueOf(env.apply(name)).strip())) {
        return true;
      }
    }
    try {
      String profile = java.util.Objects.requireNonNullElse(env.apply("AWS_PROFILE"), "default");
      var settings = ProfileFile.defaultProfileFile().profile(profile);
      return settings.flatMap(p -> p.booleanProperty("use_fips_endpoint")).orElse(false)
          || settings.flatMap(p -> p.booleanProperty("use_dualstack_endpoint")).orElse(false);
    } catch (RuntimeException e) {
      return true; // an unreadable profile: the SDK decides, and reports it if it matters
    }
  }

  // The request path of an object: path-style under an explicit endpoint, the key alone on AWS.
  private String path(String key) {
    return pathPrefix + "/" + encodeKey(key);
  }

  /**
   * A key as a URL path: the SDK's encoding, except that a key of unreserved characters and
   * slashes, as stored objects' keys mostly are, is its own encoding and skips the encoder, which
   * took 12 µs per key under C1 (1% of the CPU of a 2,000-file checkout).
   */
  static String encodeKey(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '/' || c == '-' || c == '_' || c == '.' || c == '~')) {
        return SdkHttpUtils.urlEncodeIgnoreSlashes(key);
      }
    }
    return key;
  }

  /** @return how far a GET may run ahead of its reader, in bytes */
  long readWindow() {
    return WINDOW;
  }

  /** @return where requests go: scheme, host and port */
  URI endpoint() {
    return endpoint;
  }

  /** @return whether S3 said the bucket lives elsewhere: the SDK must take over for this store */
  boolean redirected() {
    return redirected;
  }

  /**
   * Starts a GET of the whole object. Its first part comes in one request ({@link PlainGet}),
   * which for an object of one part is the whole GET. The rest of a bigger object comes in one
   * more request when at least {@link #WHOLE_FROM} GETs are in flight and the object is at most
   * {@link #WHOLE_MAX}, the connections being busy anyway; otherwise in ranged requests of one
   * part, {@link #RANGES_ALONE} or {@link #RANGES_BUSY} in flight ({@link RangedGet}), which is
   * how one big object downloads fast.
   *
   * @param mayPass whether a failure of a further range may pass if it is asked for again (the
   *     store's classification of failures)
   * @return completes with the body once S3 has answered, or with the SDK exception describing
   *     the failure
   */
  CompletableFuture<InputStream> get(String key, java.util.function.Predicate<Throwable> mayPass) {
    RuntimeException missing = credentialsMissing();
    if (missing != null) {
      return CompletableFuture.failedFuture(missing);
    }
    gets.incrementAndGet();
    var counted = new java.util.concurrent.atomic.AtomicBoolean(true);
    Runnable done = () -> {
      if (counted.getAndSet(false)) {
        gets.decrementAndGet();
      }
    };
    PlainGet first = plain(key, "bytes=0-" + (PART - 1));
    CompletableFuture<InputStream> answer = first.answer().thenApply(got -> {
      long size = got.objectSize();
      if (got.status() != 206 || size <= PART) {
        return counted(got, done); // all of it (a server that ignores ranges sends 200)
      }
      // The rest is started now and read after the first part; a failure of its request is
      // thrown by its first read, as the SDK's exception, which the store translates.
      int inFlight = gets.get();
      InputStream rest = restWhole(size, inFlight) ? plain(key, "bytes=" + PART + "-" + (size - 1))
          : new RangedGet((from, to) -> plain(key, "bytes=" + from + "-" + to), PART, size, PART,
              inFlight < WHOLE_FROM ? RANGES_ALONE : RANGES_BUSY, mayPass, rangeAttempts);
      return counted(new SequenceInputStream(got, rest), done);
    });
    answer.whenComplete((in, failure) -> {
      if (failure != null) {
        done.run();
        if (answer.isCancelled()) {
          first.close(); // given up by the waiter (TlsProbe): stop it, connected or not
        }
      }
    });
    return answer;
  }

  /**
   * @param size the object's size, over one part
   * @param inFlight whole-object GETs in flight, this one included
   * @return whether the rest of the object after its first part comes in one request (else in
   *     parallel ranged parts)
   */
  static boolean restWhole(long size, int inFlight) {
    return size <= WHOLE_MAX && inFlight >= WHOLE_FROM;
  }

  /** Sends one signed GET of {@code range} on a plain connection. */
  private PlainGet plain(String key, String range) {
    var request = new HttpRequest("GET", path(key),
        new HttpHeader[] {new HttpHeader("Host", host), new HttpHeader("Range", range)}, null);
    AwsSigningConfig config = signing.clone();
    config.setTime(System.currentTimeMillis()); // a clone keeps the time the original was made at
    CompletableFuture<HttpRequest> signed = AwsSigner.signRequest(request, config);
    signed.whenComplete((r, t) -> config.close());
    return new PlainGet(connections, (status, errorCode, payload) -> failure(status, errorCode, payload, null), chunks)
        .send(signed);
  }

  /** {@code in}, which runs {@code done} when closed (once, whatever happens). */
  private static InputStream counted(InputStream in, Runnable done) {
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() throws IOException {
        try {
          super.close();
        } finally {
          done.run();
        }
      }
    };
  }

  /**
   * Stores {@code bytes} as the object {@code key} with one PUT (server-side encrypted unless
   * encryption is off, as every write of this store).
   *
   * @return completes with the number of bytes stored, or with the SDK exception describing the
   *     failure
   */
  CompletableFuture<Long> put(String key, byte[] bytes) {
    var headers = new java.util.ArrayList<HttpHeader>(4);
    headers.add(new HttpHeader("Host", host));
    headers.add(new HttpHeader("Content-Length", Integer.toString(bytes.length)));
    headers.add(new HttpHeader("Content-Type", "binary/octet-stream"));
    if (encryption) {
      headers.add(new HttpHeader("x-amz-server-side-encryption", "AES256"));
    }
    var request = new HttpRequest("PUT", path(key),
        headers.toArray(HttpHeader[]::new), new Bytes(bytes));
    return send("PUT", new S3MetaRequestOptions()
        .withMetaRequestType(S3MetaRequestOptions.MetaRequestType.PUT_OBJECT)
        .withHttpRequest(request), new Finished<Long>() {
          @Override
          Long answer() {
            return (long) bytes.length;
          }
        });
  }

  /**
   * Lists one page of the keys under {@code prefix}, keys URL-encoded on the wire (so any key
   * survives XML) and decoded here.
   *
   * @param token the continuation token of the page, or {@code null} for the first
   * @param maxKeys at most this many keys (S3 sends at most 1,000)
   * @return completes with the page, with {@code null} when {@link ListPage} cannot read the
   *     answer (the SDK then asks for that page), or with the SDK exception describing the failure
   */
  CompletableFuture<ListPage> list(String prefix, String token, int maxKeys) {
    var query = new StringBuilder(pathPrefix.isEmpty() ? "/" : pathPrefix)
        .append("?list-type=2&encoding-type=url&max-keys=").append(maxKeys)
        .append("&prefix=").append(SdkHttpUtils.urlEncode(prefix));
    if (token != null) {
      query.append("&continuation-token=").append(SdkHttpUtils.urlEncode(token));
    }
    var request = new HttpRequest("GET", query.toString(), new HttpHeader[] {new HttpHeader("Host", host)}, null);
    var received = new java.io.ByteArrayOutputStream(16 << 10);
    return send("LIST", new S3MetaRequestOptions()
        .withMetaRequestType(S3MetaRequestOptions.MetaRequestType.DEFAULT)
        .withOperationName("ListObjectsV2")
        .withHttpRequest(request), new Finished<ListPage>() {
          @Override
          public int onResponseBody(ByteBuffer bytes, long objectRangeStart, long objectRangeEnd) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            received.writeBytes(copy);
            return 0;
          }

          @Override
          ListPage answer() {
            return ListPage.parse(received.toByteArray());
          }
        });
  }

  /**
   * Starts a request whose answer is known once it finishes (not a GET, whose body is read while
   * it runs) and releases it then.
   *
   * @return completes with the handler's answer, or with the SDK exception describing the failure
   */
  private <T> CompletableFuture<T> send(String what, S3MetaRequestOptions options, Finished<T> handler) {
    RuntimeException missing = credentialsMissing();
    if (missing != null) {
      return CompletableFuture.failedFuture(missing);
    }
    S3MetaRequest started;
    try {
      started = client.makeMetaRequest(options.withEndpoint(endpoint).withResponseHandler(handler));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(SdkClientException.create("cannot start a " + what + ": " + e.getMessage(), e));
    }
    CompletableFuture<T> answer = handler.done.whenComplete((v, failure) -> {
      synchronized (handler) { // finished: nothing calls into it after
        handler.released = true;
        started.close();
      }
    });
    answer.whenComplete((v, failure) -> {
      if (answer.isCancelled()) { // given up by the waiter (TlsProbe): no more attempts
        synchronized (handler) {
          if (!handler.released) {
            started.cancel();
          }
        }
      }
    });
    return answer;
  }

  /** Completes {@link #done} when the request finishes: with {@link #answer()}, or the failure. */
  private abstract class Finished<T> implements S3MetaRequestResponseHandler {
    final CompletableFuture<T> done = new CompletableFuture<>();
    /** Guarded by this: the request was closed, so it must not be cancelled. */
    boolean released;

    /** @return the request's result, once it finished without error */
    abstract T answer();

    @Override
    public void onFinished(S3FinishedResponseContext context) {
      if (context.getErrorCode() != 0) {
        done.completeExceptionally(failure(context));
        return;
      }
      try {
        done.complete(answer());
      } catch (RuntimeException e) { // never into the CRT's callback thread
        done.completeExceptionally(e);
      }
    }
  }

  /** A request body from memory; the CRT rewinds it to retry. */
  private static final class Bytes implements HttpRequestBodyStream {
    private final byte[] bytes;
    private int position;

    Bytes(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public boolean sendRequestBody(ByteBuffer out) {
      int n = Math.min(out.remaining(), bytes.length - position);
      out.put(bytes, position, n);
      position += n;
      return position == bytes.length;
    }

    @Override
    public boolean resetPosition() {
      position = 0;
      return true;
    }

    @Override
    public long getLength() {
      return bytes.length;
    }
  }

  /**
   * Tells {@link #close} not to wait for the client's connections: one whose TLS handshake
   * failed stays open for s2n's 10-30 s blinding delay, and waiting for it gains nothing.
   */
  void abandon() {
    abandoned = true;
  }

  @Override
  public void close() {
    // The S3 client shuts down asynchronously and holds the bootstrap, and so the loops, until
    // it is done; closing the loops before that leaves their threads running into the JVM's
    // exit. Bounded waits: a client that does not finish is left to the process's end.
    client.close();
    connections.close();
    if (!abandoned) {
      await(client.getShutdownCompleteFuture());
      await(connections.getShutdownCompleteFuture());
    }
    closeAll(tlsConnection, socket, signing, credentials, bootstrap, resolver, loops, tls, tlsOptions);
    if (!abandoned) {
      await(loops.getShutdownCompleteFuture());
    }
    if (shutdownHeld.compareAndSet(true, false)) {
      CRT.releaseShutdownRef();
    }
  }

  private static void await(CompletableFuture<Void> shutdown) {
    try {
      shutdown.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // nothing to do: the process's end releases what is left
    }
  }

  /** @return completes when this client's event-loop threads have ended (after {@link #close}) */
  CompletableFuture<Void> loopsShutDown() {
    return loops.getShutdownCompleteFuture();
  }

  private static void closeAll(AutoCloseable... resources) {
    for (AutoCloseable r : resources) {
      if (r != null) {
        try {
          r.close();
        } catch (Exception e) {
          // released by the process's end at the latest
        }
      }
    }
  }

  /**
   * Resolves the credentials on the caller's thread until they once resolved. A failure in the
   * CRT's signing callback reaches the user twice: the CRT's JNI layer prints the exception with
   * its stack trace (ExceptionDescribe) to stderr, then the store reports it in one line. No
   * credentials at all (the commonest case) is found here instead, and only returned.
   *
   * @return why there are no credentials, or null when they resolve
   */
  private RuntimeException credentialsMissing() {
    if (credentialsResolved) {
      return null;
    }
    try {
      crtCredentials(sdkCredentials);
      credentialsResolved = true;
      return null;
    } catch (RuntimeException e) {
      credentialsFailure = e;
      return e;
    }
  }

  private static Credentials crtCredentials(AwsCredentialsProvider provider) {
    if (provider instanceof AnonymousCredentialsProvider) {
      return Credentials.createAnonymousCredentials(); // the CRT then sends requests unsigned
    }
    AwsCredentials c = provider.resolveCredentials();
    byte[] token = c instanceof AwsSessionCredentials s ? s.sessionToken().getBytes(StandardCharsets.UTF_8) : null;
    return new Credentials(c.accessKeyId().getBytes(StandardCharsets.UTF_8),
        c.secretAccessKey().getBytes(StandardCharsets.UTF_8), token);
  }

  /** An S3 error answer or a CRT failure, as the SDK would have reported it. */
  private Throwable failure(S3FinishedResponseContext context) {
    return failure(context.getResponseStatus(), context.getErrorCode(), context.getErrorPayload(), context.getCause());
  }

  /**
   * @param status the HTTP status, 0 when there was no answer
   * @param errorCode the CRT's error code, when there was no answer
   * @param errorPayload the error answer's body, or null
   * @param cause what the CRT reported as the cause, or null
   */
  private Throwable failure(int status, int errorCode, byte[] errorPayload, Throwable cause) {
    if (status == 0) {
      String name = CRT.awsErrorName(errorCode);
      RuntimeException credentials = credentialsFailure;
      // A Java callback that threw: ours only throw when the credentials cannot be resolved.
      if (credentials != null && (name.contains("CALLBACK") || name.contains("CREDENTIALS") || name.contains("SIGN"))) {
        return credentials;
      }
      return SdkClientException.create(CRT.awsErrorString(errorCode) + " (" + name + ")", cause);
    }
    String payload = errorPayload == null ? "" : new String(errorPayload, StandardCharsets.UTF_8);
    String code = first(CODE, payload);
    String message = first(MESSAGE, payload);
    if (status == 301 || status == 307 || "PermanentRedirect".equals(code)
        || "AuthorizationHeaderMalformed".equals(code)) {
      redirected = true;
    }
    return S3Exception.builder()
        .statusCode(status)
        .message(code == null ? "HTTP " + status : code + ": " + message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("S3").build())
        .build();
  }

  private static String first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : null;
  }
}
