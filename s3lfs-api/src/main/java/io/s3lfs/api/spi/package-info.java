/**
 * Service provider interfaces: {@link io.s3lfs.api.spi.HashAlgorithm},
 * {@link io.s3lfs.api.spi.Codec} and {@link io.s3lfs.api.spi.ObjectStoreProvider}.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}. A provider that fails to load
 * is reported and skipped; asking for an unknown name raises {@link IllegalArgumentException}
 * listing the names that are available.
 */
package io.s3lfs.api.spi;
