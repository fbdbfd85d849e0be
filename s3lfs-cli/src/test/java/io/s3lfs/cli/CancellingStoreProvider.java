package io.s3lfs.cli;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.StoreOptions;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * Test store {@code cancelling:///dir}: a {@code file://} store whose stream puts fail with a
 * CancellationException of its own, as a store's request cancelled for its own reasons would.
 * Registered for the tests in META-INF/services.
 */
public final class CancellingStoreProvider implements ObjectStoreProvider {
  @Override
  public String scheme() {
    return "cancelling";
  }

  @Override
  public ObjectStore open(URI uri, StoreOptions options) {
    ObjectStore files = ObjectStoreProvider.forScheme("file").open(URI.create("file://" + uri.getPath()), options);
    return new ObjectStore() {
      @Override
      public URI uri() {
        return uri;
      }

      @Override
      public void put(String key, Path file) {
        throw new CancellationException("request for " + key + " cancelled by the store");
      }

      @Override
      public void put(String key, InputStream data, long length) {
        throw new CancellationException("request for " + key + " cancelled by the store");
      }

      @Override
      public InputStream get(String key) {
        return files.get(key);
      }

      @Override
      public InputStream get(String key, long offset, long length) {
        return files.get(key, offset, length);
      }

      @Override
      public Optional<ObjectInfo> head(String key) {
        return files.head(key);
      }

      @Override
      public List<ObjectInfo> list(String prefix) {
        return files.list(prefix);
      }

      @Override
      public Map<String, StorageException> delete(Collection<String> keys) {
        return files.delete(keys);
      }

      @Override
      public void close() {
        files.close();
      }
    };
  }
}
