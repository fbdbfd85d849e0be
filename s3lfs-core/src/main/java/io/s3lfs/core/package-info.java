/**
 * The s3lfs engine: a {@link io.s3lfs.core.Repository} (manifest, configuration, store) and the
 * operations that move files between a working copy and an object store.
 */
package io.s3lfs.core;
