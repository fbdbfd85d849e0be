/**
 * The {@code s3://} object store on the AWS SDK for Java v2 (CRT-based client, standard client as
 * fallback). The only module that sees {@code software.amazon.awssdk}; it exports nothing and is
 * reached through {@link io.s3lfs.api.spi.ObjectStoreProvider#forScheme}.
 */
module io.s3lfs.s3 {
  requires io.s3lfs.core;
  requires software.amazon.awssdk.services.s3;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.auth;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.utils;
  requires software.amazon.awssdk.profiles;
  requires aws.crt; // CrtRequests drives the CRT's S3 client directly
  requires software.amazon.awssdk.http.nio.netty;
  requires io.netty.transport;
  requires io.netty.common;
  // Not imported: the CRT client is reached through S3AsyncClient.crtBuilder(), but it must be
  // resolved on the module path for that builder to find it.
  requires software.amazon.awssdk.http.crt;

  provides io.s3lfs.api.spi.ObjectStoreProvider with io.s3lfs.s3.internal.S3StoreProvider;
}
