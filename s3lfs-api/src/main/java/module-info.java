/**
 * The s3lfs plugin API: what a third party compiles against to add a hash algorithm, a
 * compression codec or an object store. Requires only {@code java.base}.
 *
 * <p>Providers register with {@code provides ... with ...} in their module descriptor and, for
 * class-path users, in {@code META-INF/services}. Lookup is by name
 * ({@link io.s3lfs.api.spi.HashAlgorithm#forName}, {@link io.s3lfs.api.spi.Codec#forName}) or by
 * URI scheme ({@link io.s3lfs.api.spi.ObjectStoreProvider#forScheme}).
 */
module io.s3lfs.api {
  exports io.s3lfs.api;
  exports io.s3lfs.api.spi;

  uses io.s3lfs.api.spi.HashAlgorithm;
  uses io.s3lfs.api.spi.Codec;
  uses io.s3lfs.api.spi.ObjectStoreProvider;
}
