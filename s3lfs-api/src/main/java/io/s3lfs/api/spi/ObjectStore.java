package io.s3lfs.api.spi;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A flat key-value object store: Amazon S3, an S3-compatible service, or a local directory.
 * Keys are {@code /}-separated strings relative to the store's root (for S3, the bucket).
 *
 * <p>Every method may be called from many threads at once. Failures are reported as
 * {@link StorageException} with a {@link StorageException.Kind}; implementations translate their
 * own exceptions once, at this boundary. A {@code put} is atomic: readers see the old object, no
 * object, or the complete new one, never a part.
 */
public interface ObjectStore extends AutoCloseable {
  /** @return the location this store was opened for */
  URI uri();

  /** Stores the whole content of {@code file} under {@code key}, replacing any object there. */
  void put(String key, Path file);

  /**
   * Stores {@code length} bytes read from {@code data} under {@code key}. The stream is read to
   * its end but not closed.
   *
   * @param length the exact number of bytes, or -1 when unknown
   */
  void put(String key, InputStream data, long length);

  /**
   * @return a stream of the object's bytes; the caller closes it
   * @throws StorageException of kind NOT_FOUND when there is no such object
   */
  InputStream get(String key);

  /**
   * @return a stream of {@code length} bytes of the object starting at {@code offset}
   * @throws StorageException of kind NOT_FOUND when there is no such object
   */
  InputStream get(String key, long offset, long length);

  /** @return the object's metadata, or empty when there is no object under {@code key} */
  Optional<ObjectInfo> head(String key);

  /** @return every object whose key starts with {@code prefix}, sorted by key */
  List<ObjectInfo> list(String prefix);

  /**
   * Lists as {@link #list(String)} does, handing the objects over a page at a time as the store
   * learns them, so that a caller can start on the first page while later ones are fetched. Pages
   * come in key order: each is sorted, and every key of a page comes after every key of the pages
   * before it (S3 orders by UTF-8 bytes, {@link #list(String)} by {@link String#compareTo}; the
   * two agree on ASCII, which is all a caller may rely on). The default hands over
   * {@link #list(String)} as one page; stores that list in pages (S3: 1,000 keys a request)
   * override it.
   *
   * @param prefix the key prefix
   * @param page called with each page, in order, on the calling thread
   */
  default void list(String prefix, java.util.function.Consumer<List<ObjectInfo>> page) {
    page.accept(list(prefix));
  }

  /**
   * Deletes the given keys; a key with no object counts as deleted.
   *
   * @return the keys that could not be deleted, with why; empty when all went
   */
  Map<String, StorageException> delete(Collection<String> keys);

  /**
   * Copies an object within the store. Stores that can copy on the server override this; the
   * default streams the bytes through this process.
   */
  default void copy(String sourceKey, String targetKey) {
    ObjectInfo info = head(sourceKey).orElseThrow(() -> new StorageException(
        StorageException.Kind.NOT_FOUND, StorageException.Operation.READ, sourceKey,
        "cannot copy " + sourceKey + ": no such object"));
    try (InputStream in = get(sourceKey)) {
      put(targetKey, in, info.size());
    } catch (IOException e) {
      throw new StorageException(StorageException.Kind.TRANSIENT, StorageException.Operation.READ,
          sourceKey, "cannot copy " + sourceKey + " to " + targetKey + ": " + e.getMessage(), e);
    }
  }

  /** Releases connections and threads. */
  @Override
  void close();
}
