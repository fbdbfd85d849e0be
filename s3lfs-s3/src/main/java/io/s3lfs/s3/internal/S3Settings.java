package io.s3lfs.s3.internal;

import io.s3lfs.api.StoreOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Everything an {@link S3Store} is opened with, resolved once from the URI, the
 * {@link StoreOptions} and the environment.
 *
 * <p>Provider-specific keys in {@link StoreOptions#extra()}:
 * <ul>
 *   <li>{@code s3.client}: {@code auto} (default: CRT, standard client if CRT cannot load),
 *       {@code crt} or {@code standard}
 *   <li>{@code s3.region}: signing region; otherwise the SDK's region chain, else us-east-1
 *   <li>{@code s3.partSize}: smallest multipart part in bytes (default 8 MiB; S3 needs 5 MiB)
 *   <li>{@code s3.multipartThreshold}: objects larger than this are uploaded in parts (8 MiB)
 *   <li>{@code s3.retry.maxAttempts} (5), {@code s3.retry.baseDelayMillis} (200),
 *       {@code s3.retry.maxTotalMillis} (120000)
 *   <li>{@code s3.direct}: {@code true} (default) sends whole-object GETs, single PUTs and
 *       listings to the CRT's S3 client directly ({@link CrtRequests}); {@code false} sends them
 *       through the SDK
 *   <li>{@code s3.tlsCheck}: {@code true} (default) lets a first request that has had no answer
 *       for two seconds check the https endpoint's certificate with the JDK ({@link TlsProbe}),
 *       so a refused one is reported at once rather than after the CRT's minutes of retries;
 *       {@code false} leaves it to the CRT
 * </ul>
 *
 * @param bucket the bucket name
 * @param endpoint an S3-compatible endpoint (path-style addressing), or {@code null} for AWS
 * @param region the signing region name, or {@code null} to use the SDK's region chain
 * @param anonymous unsigned requests
 * @param encryption send {@code x-amz-server-side-encryption: AES256} on every write
 * @param maxConcurrency requests in flight per store
 * @param client which SDK client to build
 * @param minPartSize smallest part of a multipart upload
 * @param multipartThreshold objects above this size are uploaded in parts
 * @param retry how failed requests are retried
 * @param direct whole-object GETs, single PUTs and listings beneath the SDK, on the CRT client
 * @param tlsTrust the CAs {@link TlsProbe} checks an https endpoint's certificate against; empty for
 *     no such check
 */
record S3Settings(
    String bucket, URI endpoint, String region, boolean anonymous, boolean encryption,
    int maxConcurrency, ClientKind client, long minPartSize, long multipartThreshold,
    RetryPolicy retry, boolean direct, List<Path> tlsTrust) {

  static final long MIB = 1024L * 1024;
  /** S3's smallest part (all but the last), and the reference's (boto3's) default part. */
  static final long S3_MIN_PART = 5 * MIB;
  static final long DEFAULT_PART = 8 * MIB;
  /**
   * The part a GET is fetched in (one ranged request each, handed over as one array), whatever
   * {@code s3.partSize} says: that option sizes upload parts. Each GET in flight holds a part or
   * two on the heap, so with the GET part following it, {@code s3.partSize=33554432} made a
   * checkout of eight 128 MiB files run out of the 384 MiB heap (OutOfMemoryError on the CRT's
   * event loop, three of the eight files failed).
   */
  static final long DOWNLOAD_PART = DEFAULT_PART;
  /** The largest single PUT or CopyObject S3 accepts. */
  static final long MAX_SINGLE_OBJECT = 5L * 1024 * MIB;
  static final int MAX_PARTS = 10_000;

  /** Which SDK client to build; see {@link S3Clients}. */
  enum ClientKind { AUTO, CRT, STANDARD }

  S3Settings {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(retry, "retry");
    if (minPartSize < S3_MIN_PART || minPartSize > MAX_SINGLE_OBJECT) {
      throw new IllegalArgumentException("s3.partSize must be between 5 MiB and 5 GiB, got " + minPartSize);
    }
    if (multipartThreshold < 1 || multipartThreshold > MAX_SINGLE_OBJECT) {
      throw new IllegalArgumentException(
          "s3.multipartThreshold must be between 1 byte and 5 GiB, got " + multipartThreshold);
    }
  }

  /**
   * @param uri {@code s3://bucket} or {@code s3://bucket/any/path} (the path is the engine's)
   * @param options the caller's options
   * @param env environment lookup ({@code System::getenv} outside tests)
   */
  static S3Settings of(URI uri, StoreOptions options, UnaryOperator<String> env) {
    String bucket = bucketOf(uri);
    Map<String, String> extra = options.extra();
    URI endpoint = endpoint(options.endpointUrl(), env);
    checkCaBundle(env.apply("AWS_CA_BUNDLE"));
    var retry = new RetryPolicy(
        intValue(extra, "s3.retry.maxAttempts", 5),
        Duration.ofMillis(longValue(extra, "s3.retry.baseDelayMillis", 200)),
        Duration.ofSeconds(10),
        Duration.ofMillis(longValue(extra, "s3.retry.maxTotalMillis", 120_000)));
    ClientKind client;
    String kind = extra.getOrDefault("s3.client", "auto");
    try {
      client = ClientKind.valueOf(kind.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("s3.client must be auto, crt or standard, got " + kind, e);
    }
    return new S3Settings(bucket, endpoint, extra.get("s3.region"), options.anonymous(),
        options.encryption(), options.maxConcurrency(), client,
        longValue(extra, "s3.partSize", DEFAULT_PART),
        longValue(extra, "s3.multipartThreshold", DEFAULT_PART), retry, booleanValue(extra, "s3.direct", true),
        booleanValue(extra, "s3.tlsCheck", true) ? TlsProbe.trustOf(env) : List.of());
  }

  private static boolean booleanValue(Map<String, String> extra, String key, boolean fallback) {
    String value = extra.get(key);
    if (value == null) {
      return fallback;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, got " + value);
    };
  }

  /**
   * The part size for an object of {@code size} bytes: at least {@link #minPartSize}, large
   * enough that the object fits in {@link #MAX_PARTS} parts, rounded up to a whole MiB.
   */
  long partSizeFor(long size) {
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    long rounded = (needed + MIB - 1) / MIB * MIB;
    return Math.max(minPartSize, rounded);
  }

  /** @return where requests go, for messages */
  String endpointName() {
    return endpoint != null ? endpoint.toString() : "Amazon S3";
  }

  private static String bucketOf(URI uri) {
    if (!"s3".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not an s3:// URI: " + uri);
    }
    // getHost() is null for names URI does not accept as host names (underscores).
    String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("no bucket in " + uri + "; expected s3://BUCKET");
    }
    return bucket;
  }

  /**
   * AWS_CA_BUNDLE, as the AWS CLI reads it: a PEM file of the CAs to trust instead of the
   * system's. The launcher hands it to the AWS CRT, which makes every request, as OpenSSL's
   * SSL_CERT_FILE; a file that cannot be read would leave no CA trusted and every request would
   * fail, slowly (the CRT spends over a minute on a failed TLS negotiation), so it is refused here.
   */
  private static void checkCaBundle(String bundle) {
    if (bundle != null && !bundle.isBlank()) {
      Path file = Path.of(bundle.strip());
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new IllegalArgumentException("AWS_CA_BUNDLE names " + bundle.strip()
            + ", which is not a readable file (a PEM bundle of the CAs to trust)");
      }
    }
  }

  /**
   * The explicit endpoint, else the SDK's standard environment variables. Resolved here rather
   * than left to the SDK because an endpoint override also switches on path-style addressing,
   * which S3-compatible servers (MinIO, S3Proxy, Ceph) need.
   */
  private static URI endpoint(String explicit, UnaryOperator<String> env) {
    for (String value : new String[] {explicit, env.apply("AWS_ENDPOINT_URL_S3"), env.apply("AWS_ENDPOINT_URL")}) {
      if (value != null && !value.isBlank()) {
        URI uri = URI.create(value.strip());
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException(
              "endpoint URL must look like http://host:port or https://host, got " + value);
        }
        return uri;
      }
    }
    return null;
  }

  private static long longValue(Map<String, String> extra, String key, long fallback) {
    String value = extra.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got " + value, e);
    }
  }

  private static int intValue(Map<String, String> extra, String key, int fallback) {
    return Math.toIntExact(longValue(extra, key, fallback));
  }
}
