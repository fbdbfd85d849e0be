package io.s3lfs.core;

/**
 * How the engine moves bytes. Built by the command line from flags, environment and
 * configuration, in that order of precedence.
 *
 * @param workers how many files are transferred at once
 * @param compression when new objects are compressed
 * @param codec the codec name new objects are written with ({@code gzip} by default)
 * @param level the codec level, or -1 for the codec's default
 * @param chunkSize stored objects larger than this are written as {@code .chunkN} pieces of
 *     {@code chunkSize - 1} bytes (the reference's rule); 5 GiB by default
 * @param store connection settings for the object store
 */
public record Settings(int workers, Compression compression, String codec, int level, long chunkSize, io.s3lfs.api.StoreOptions store) {
  /** The reference's chunk size: 5 GiB, the largest single S3 PUT. */
  public static final long DEFAULT_CHUNK_SIZE = 5L << 30;

  /** Defaults: 8 workers, gzip when it pays (auto) at its default level, 5 GiB chunks. */
  public static final Settings DEFAULTS =
      new Settings(8, Compression.AUTO, "gzip", -1, DEFAULT_CHUNK_SIZE, io.s3lfs.api.StoreOptions.DEFAULTS);

  public Settings {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (chunkSize < 2) {
      throw new IllegalArgumentException("chunk size must be >= 2 bytes, got " + chunkSize);
    }
    java.util.Objects.requireNonNull(codec, "codec");
    java.util.Objects.requireNonNull(compression, "compression");
    java.util.Objects.requireNonNull(store, "store");
  }

  /** @return a copy with another worker count */
  public Settings withWorkers(int value) {
    return new Settings(value, compression, codec, level, chunkSize, store);
  }

  /** @return a copy with another codec and level */
  public Settings withCodec(String name, int lvl) {
    return new Settings(workers, compression, name, lvl, chunkSize, store);
  }

  /** @return a copy with another compression mode */
  public Settings withCompression(Compression value) {
    return new Settings(workers, value, codec, level, chunkSize, store);
  }

  /** @return a copy with another chunk size */
  public Settings withChunkSize(long value) {
    return new Settings(workers, compression, codec, level, value, store);
  }

  /** @return a copy with other store options */
  public Settings withStore(io.s3lfs.api.StoreOptions value) {
    return new Settings(workers, compression, codec, level, chunkSize, value);
  }
}
