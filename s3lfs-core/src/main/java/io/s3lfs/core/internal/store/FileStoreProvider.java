package io.s3lfs.core.internal.store;

import io.s3lfs.api.StoreOptions;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Opens {@code file:} stores: a local directory (or a NAS mount) holding one file per object,
 * for trying s3lfs without a bucket and for fast engine tests. The URI must be absolute, like
 * {@code file:///srv/s3lfs-store}; the directory is created when missing. Store options do not
 * apply and are ignored. Public only because {@link java.util.ServiceLoader} instantiates it.
 */
public final class FileStoreProvider implements ObjectStoreProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public FileStoreProvider() {}

  @Override
  public String scheme() {
    return "file";
  }

  /**
   * @throws IllegalArgumentException when {@code uri} is not an absolute {@code file:} URI of a
   *     local path
   * @throws io.s3lfs.api.StorageException when the directory cannot be created
   */
  @Override
  public ObjectStore open(URI uri, StoreOptions options) {
    Objects.requireNonNull(uri, "uri");
    return FileStore.open(uri, rootOf(uri));
  }

  static Path rootOf(URI uri) {
    String hint = "; use an absolute URI such as file:///srv/s3lfs-store";
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a file: URI: '" + uri + "'" + hint);
    }
    if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
      throw new IllegalArgumentException("file store URI must be absolute, got '" + uri + "'" + hint);
    }
    try {
      return Path.of(uri).normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new IllegalArgumentException(
          "file store URI '" + uri + "' names no local path (" + e.getMessage() + ")" + hint, e);
    }
  }
}
