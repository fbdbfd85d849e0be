package io.s3lfs.api;

import java.util.Map;
import java.util.Objects;

/**
 * Settings an {@link io.s3lfs.api.spi.ObjectStoreProvider} opens a store with. Providers ignore
 * what does not apply to them (a local directory has no endpoint).
 *
 * @param endpointUrl an S3-compatible endpoint such as {@code http://localhost:9000}, or
 *     {@code null} for the provider's default
 * @param anonymous send unsigned requests (public buckets)
 * @param encryption ask the server to encrypt objects at rest (SSE-AES256 on S3)
 * @param maxConcurrency the most requests this store should have in flight at once
 * @param extra provider-specific settings, copied
 */
public record StoreOptions(
    String endpointUrl, boolean anonymous, boolean encryption, int maxConcurrency, Map<String, String> extra) {

  /** Defaults: provider endpoint, signed requests, encryption on, 16 requests in flight. */
  public static final StoreOptions DEFAULTS = new StoreOptions(null, false, true, 16, Map.of());

  public StoreOptions {
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
    }
    extra = Map.copyOf(Objects.requireNonNull(extra, "extra"));
  }

  /** @return a copy with the given endpoint */
  public StoreOptions withEndpointUrl(String url) {
    return new StoreOptions(url, anonymous, encryption, maxConcurrency, extra);
  }

  /** @return a copy with anonymous requests on or off */
  public StoreOptions withAnonymous(boolean value) {
    return new StoreOptions(endpointUrl, value, encryption, maxConcurrency, extra);
  }

  /** @return a copy with server-side encryption on or off */
  public StoreOptions withEncryption(boolean value) {
    return new StoreOptions(endpointUrl, anonymous, value, maxConcurrency, extra);
  }

  /** @return a copy with another concurrency bound */
  public StoreOptions withMaxConcurrency(int value) {
    return new StoreOptions(endpointUrl, anonymous, encryption, value, extra);
  }

  /** @return a copy with one provider-specific setting added or replaced */
  public StoreOptions withExtra(String key, String value) {
    var map = new java.util.HashMap<>(extra);
    map.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new StoreOptions(endpointUrl, anonymous, encryption, maxConcurrency, map);
  }
}
