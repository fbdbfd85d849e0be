package io.s3lfs.s3.internal;

import io.s3lfs.s3.internal.S3Settings.ClientKind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3CrtAsyncClientBuilder;

/**
 * Builds the SDK client a store uses.
 *
 * <p>Which client, when:
 * <ul>
 *   <li><b>CRT</b> ({@code S3AsyncClient.crtBuilder()}): the default ({@code s3.client=auto} or
 *       {@code crt}). Native HTTP and TLS, and whole-object GETs split into parallel ranged
 *       requests by the CRT itself, which is the fast path for checkout of big files.
 *   <li><b>Standard</b> ({@code S3AsyncClient.builder()} on Netty): when {@code s3.client=standard},
 *       or, in {@code auto} mode, when the CRT cannot be built, typically because its native
 *       library does not load (no build for this OS or libc, a {@code noexec} temp directory). The
 *       fallback is logged once per store at WARNING. With {@code s3.client=crt} such a failure is
 *       an error instead.
 * </ul>
 * Both clients are configured alike: the same credentials, region, endpoint with path-style
 * addressing, cross-region bucket access, checksums only where S3 requires them (like the
 * reference; integrity comes from the engine's SHA-256 verification), and one retry layer with
 * the same attempt bound: on the standard client SDK retries are off and {@link RetryPolicy}
 * retries; the CRT cannot switch its retries off (0 retries means its default of 3), so there the
 * CRT retries ({@code numRetries = maxAttempts - 1}, at least 1: {@link RetryPolicy#crtRetries};
 * exponential backoff with jitter in aws-c-io) and {@link RetryPolicy} makes a single attempt, so
 * attempts never multiply; except a whole-object GET's first request, which goes on the CRT's
 * plain HTTP client ({@link PlainGet}), which does not retry, so {@link RetryPolicy} does. Uploads never rely on the client's automatic
 * multipart: {@link MultipartUpload} chooses part sizes itself, so the CRT threshold is set to
 * the single-PUT limit. The HTTP client is set explicitly because the SDK's discovery of HTTP
 * implementations may fail on the module path.
 */
final class S3Clients {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Parts a CRT GET may buffer ahead of its reader. Measured on 8 x 128 MiB (loopback S3Proxy,
   * 2 cores): 1 part, checkout 4.0 s at 327-361 MiB RSS; 2 parts, 3.2-4.3 s at 544-597 MiB.
   */
  static final int READ_AHEAD_PARTS = 1;

  private S3Clients() {}

  /**
   * @param client the SDK client, perhaps not built yet
   * @param kind {@link ClientKind#CRT} or {@link ClientKind#STANDARD}: what was built
   * @param retry the retries this store adds around each request: the full policy on the
   *     standard client, a single attempt on the CRT client, which retries by itself
   * @param resources closed after the client (the standard client's event loops)
   * @param direct whole-object GETs, single PUTs and listings beneath the SDK
   *     ({@link CrtRequests}), or {@code null}
   */
  record Built(SdkClient client, ClientKind kind, RetryPolicy retry, AutoCloseable resources, CrtRequests direct)
      implements AutoCloseable {
    Built(S3AsyncClient client, ClientKind kind, RetryPolicy retry, AutoCloseable resources) {
      this(new SdkClient(() -> client), kind, retry, resources, null);
    }

    @Override
    public void close() {
      try (resources; direct) {
        client.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot release the S3 client: " + e, e);
      }
    }
  }

  /**
   * The SDK's client, built when first asked for. With direct requests a checkout, and a track
   * of files under the multipart threshold, never need it: building it (endpoint rules, the
   * SDK's CRT wrapper, their classes) was about 0.1 s of CPU on the main thread before the first
   * download could start.
   */
  static final class SdkClient implements AutoCloseable {
    private final Supplier<S3AsyncClient> build;
    private S3AsyncClient client;
    private boolean closed;

    SdkClient(Supplier<S3AsyncClient> build) {
      this.build = build;
    }

    synchronized S3AsyncClient get() {
      if (closed) {
        throw new IllegalStateException("the S3 store is closed");
      }
      if (client == null) {
        client = build.get();
      }
      return client;
    }

    /** @return whether the client was built */
    synchronized boolean built() {
      return client != null;
    }

    @Override
    public synchronized void close() {
      closed = true;
      if (client != null) {
        client.close();
      }
    }
  }

  /**
   * @param settings the store settings
   * @param credentials explicit credentials, or {@code null} for the SDK's default chain
   *     (ignored when the settings ask for anonymous requests)
   */
  static Built build(S3Settings settings, AwsCredentialsProvider credentials) {
    AwsCredentialsProvider creds = settings.anonymous() ? AnonymousCredentialsProvider.create()
        : credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
    Region region = region(settings);
    if (settings.client() == ClientKind.STANDARD) {
      return standard(settings, creds, region);
    }
    try {
      CrtRequests direct = settings.direct() ? CrtRequests.create(settings, creds, region) : null;
      // Direct requests loaded the CRT, so the SDK's CRT client will build when needed; without
      // them it is built now, which is also what finds out whether the CRT loads here.
      var client = new SdkClient(() -> crt(settings, creds, region));
      if (direct == null) {
        client.get();
      }
      return new Built(client, ClientKind.CRT, settings.retry().singleAttempt(), () -> { }, direct);
    } catch (RuntimeException | LinkageError e) {
      if (settings.client() == ClientKind.CRT) {
        throw new IllegalStateException("s3.client=crt but the AWS CRT client cannot be built: " + e, e);
      }
      log().log(System.Logger.Level.WARNING,
          "AWS CRT client unavailable ({0}); using the standard S3 client on Netty", e.toString());
      return standard(settings, creds, region);
    }
  }

  private static S3AsyncClient crt(S3Settings settings, AwsCredentialsProvider creds, Region region) {
    S3CrtAsyncClientBuilder b = S3AsyncClient.crtBuilder()
        .credentialsProvider(creds)
        .region(region)
        .crossRegionAccessEnabled(true)
        .maxConcurrency(settings.maxConcurrency())
        .minimumPartSizeInBytes(S3Settings.DOWNLOAD_PART) // GETs only: uploads are MultipartUpload's
        .thresholdInBytes(S3Settings.MAX_SINGLE_OBJECT)
        // How far a GET may run ahead of its reader. The default (10 parts, 80 MiB) let eight
        // concurrent checkouts of 128 MiB files push 640 MiB into a 384 MiB heap: OutOfMemoryError.
        // Workers download different files at once, so one part each still keeps 8 in flight.
        .initialReadBufferSizeInBytes(READ_AHEAD_PARTS * S3Settings.DOWNLOAD_PART)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .retryConfiguration(r -> r.numRetries(settings.retry().crtRetries()))
        .httpConfiguration(h -> h.connectionTimeout(CONNECT_TIMEOUT));
    if (settings.endpoint() != null) {
      b.endpointOverride(settings.endpoint()).forcePathStyle(true);
    }
    return b.build();
  }

  /**
   * The event loops are ours, not the SDK's: the SDK shuts its own down with Netty's default
   * two-second quiet period, which every CLI run would wait out on exit.
   */
  private static Built standard(S3Settings settings, AwsCredentialsProvider creds, Region region) {
    EventLoopGroup loops = new NioEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors() * 2));
    S3AsyncClientBuilder b = S3AsyncClient.builder()
        .httpClientBuilder(NettyNioAsyncHttpClient.builder()
            .eventLoopGroup(SdkEventLoopGroup.create(loops))
            .maxConcurrency(settings.maxConcurrency())
            .connectionTimeout(CONNECT_TIMEOUT))
        .credentialsProvider(creds)
        .region(region)
        .crossRegionAccessEnabled(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (settings.endpoint() != null) {
      b.endpointOverride(settings.endpoint()).forcePathStyle(true);
    }
    try {
      return new Built(b.build(), ClientKind.STANDARD, settings.retry(),
          () -> loops.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly());
    } catch (RuntimeException e) {
      loops.shutdownGracefully(0, 5, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The configured region, else the SDK's region chain, else us-east-1. */
  private static Region region(S3Settings settings) {
    if (settings.region() != null) {
      return Region.of(settings.region());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      return Region.US_EAST_1;
    }
  }

  // On use, not in a static field: the first getLogger starts the JDK's logging, ~25 ms of start-up.
  private static System.Logger log() {
    return System.getLogger(S3Clients.class.getName());
  }
}
