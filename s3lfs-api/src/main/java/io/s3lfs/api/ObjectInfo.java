package io.s3lfs.api;

import java.util.Objects;

/**
 * One stored object as a listing or a HEAD request reports it.
 *
 * @param key the full object key
 * @param size the stored size in bytes
 */
public record ObjectInfo(String key, long size) {
  public ObjectInfo {
    Objects.requireNonNull(key, "key");
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size + " for " + key);
    }
  }
}
