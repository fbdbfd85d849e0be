/**
 * The s3lfs engine and its built-in providers. No AWS SDK and no CLI library here: the S3 store
 * and the command line sit in modules that depend on this one.
 */
module io.s3lfs.core {
  requires transitive io.s3lfs.api;
  requires com.fasterxml.jackson.core;
  requires org.snakeyaml.engine;
  requires static com.github.luben.zstd_jni;

  exports io.s3lfs.core;
  // For HashBenchmark only: it sets FileHashing's window size, which no public API exposes.
  // Like Lucene's exports to its test framework, a qualified export to a module that ships
  // nothing users link against.
  exports io.s3lfs.core.internal.hash to io.s3lfs.bench;

  // Also listed in META-INF/services for class-path users (tests, the shaded bench jar).
  provides io.s3lfs.api.spi.HashAlgorithm with
      io.s3lfs.core.internal.hash.Sha256,
      io.s3lfs.core.internal.hash.Md5;
  provides io.s3lfs.api.spi.Codec with
      io.s3lfs.core.internal.codec.GzipCodec,
      io.s3lfs.core.internal.codec.IdentityCodec,
      io.s3lfs.core.internal.codec.ZstdCodec;
  provides io.s3lfs.api.spi.ObjectStoreProvider with
      io.s3lfs.core.internal.store.FileStoreProvider;
}
