package io.s3lfs.core.internal.store;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.core.internal.LimitedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An {@link ObjectStore} on a local directory: key {@code a/b/c.gz} is the file
 * {@code root/a/b/c.gz}. Writes go to a temp file beside the target ({@code .s3lfs-tmp-*}),
 * are forced to disk and renamed into place atomically, so a reader sees the old object or the
 * whole new one. Unlike S3, a key cannot also be a "directory" of other keys ({@code a/b} and
 * {@code a/b/c} cannot both exist); s3lfs's key layout never needs that.
 */
final class FileStore implements ObjectStore {
  private static final int COPY_BUFFER = 64 * 1024;
  // A concurrent delete may prune the directory while we create it or the temp file in it.
  private static final int CREATE_ATTEMPTS = 5;

  private final URI uri;
  private final StoreKeys keys;
  private final FileStoreListing listing;

  private FileStore(URI uri, Path root) {
    this.uri = uri;
    this.keys = new StoreKeys(root);
    this.listing = new FileStoreListing(keys);
  }

  static FileStore open(URI uri, Path root) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new StorageException(Kind.OTHER, Operation.WRITE, null,
          "cannot create file store directory " + root + ": " + e, e);
    }
    return new FileStore(uri, root);
  }

  @Override
  public URI uri() {
    return uri;
  }

  @Override
  public void put(String key, Path file) {
    writeAtomically(key, temp -> {
      if (!Files.isRegularFile(file)) {
        throw new StorageException(Kind.OTHER, Operation.WRITE, key,
            "cannot store " + file + " as '" + key + "': not a readable regular file");
      }
      Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
      force(temp);
    });
  }

  @Override
  public void put(String key, InputStream data, long length) {
    writeAtomically(key, temp -> {
      long copied;
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        copied = copy(data, channel, key);
        channel.force(true);
      }
      if (length >= 0 && copied != length) {
        throw new StorageException(Kind.INTEGRITY, Operation.WRITE, key, "cannot store '" + key
            + "' in file store " + keys.root() + ": expected " + length + " bytes, the stream had " + copied);
      }
    });
  }

  private static long copy(InputStream data, FileChannel channel, String key) throws IOException {
    byte[] buffer = new byte[COPY_BUFFER];
    long total = 0;
    while (true) {
      int n;
      try {
        n = data.read(buffer);
      } catch (IOException e) {
        // The caller's stream failed, not the store; and it is consumed, so retrying this call
        // cannot help: OTHER, not TRANSIENT.
        throw new StorageException(Kind.OTHER, Operation.WRITE, key,
            "cannot store '" + key + "': reading the data failed: " + e, e);
      }
      if (n < 0) {
        return total;
      }
      ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
      while (chunk.hasRemaining()) {
        channel.write(chunk);
      }
      total += n;
    }
  }

  @Override
  public InputStream get(String key) {
    return get(key, 0, Long.MAX_VALUE);
  }

  @Override
  public InputStream get(String key, long offset, long length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "range must not be negative, got offset " + offset + ", length " + length + " for " + key);
    }
    Path path = existingObject(key, Operation.READ);
    try {
      FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
      try {
        channel.position(offset);
        InputStream in = Channels.newInputStream(channel);
        return length == Long.MAX_VALUE ? in : new LimitedInputStream(in, length);
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
    } catch (IOException e) {
      throw keys.failure(e, Operation.READ, key);
    }
  }

  @Override
  public Optional<ObjectInfo> head(String key) {
    BasicFileAttributes attributes = attributes(keys.pathOf(key, Operation.READ), key);
    return attributes != null && attributes.isRegularFile()
        ? Optional.of(new ObjectInfo(key, attributes.size()))
        : Optional.empty();
  }

  @Override
  public List<ObjectInfo> list(String prefix) {
    return listing.list(prefix);
  }

  @Override
  public Map<String, StorageException> delete(Collection<String> keysToDelete) {
    Map<String, StorageException> failed = new LinkedHashMap<>();
    for (String key : keysToDelete) {
      try {
        Path path = keys.pathOf(key, Operation.DELETE);
        // A directory is not an object: it counts as already deleted.
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(path)) {
          pruneEmptyParents(path.getParent());
        }
      } catch (StorageException e) {
        failed.put(key, e);
      } catch (IOException e) {
        failed.put(key, keys.failure(e, Operation.DELETE, key));
      }
    }
    return failed;
  }

  @Override
  public void copy(String sourceKey, String targetKey) {
    Path source = existingObject(sourceKey, Operation.READ);
    writeAtomically(targetKey, temp -> {
      try {
        // Files.copy lets the OS copy in the kernel, or on the server for NFS 4.2.
        Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchFileException e) {
        throw keys.notFound(Operation.READ, sourceKey);
      }
      force(temp);
    });
  }

  @Override
  public void close() {
    // Nothing is held open between calls.
  }

  @Override
  public String toString() {
    return "FileStore[" + keys.root() + "]";
  }

  /** @return the path of the object under {@code key} */
  private Path existingObject(String key, Operation operation) {
    Path path = keys.pathOf(key, operation);
    BasicFileAttributes attributes = attributes(path, key);
    if (attributes == null || !attributes.isRegularFile()) {
      throw keys.notFound(operation, key);
    }
    return path;
  }

  /** @return the attributes, or {@code null} when nothing is there */
  private BasicFileAttributes attributes(Path path, String key) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      // Also what the JDK reports when a parent is a file (ENOTDIR): no object either way.
      return null;
    } catch (IOException e) {
      throw keys.failure(e, Operation.READ, key);
    }
  }

  @FunctionalInterface
  private interface TempWriter {
    void write(Path temp) throws IOException;
  }

  private void writeAtomically(String key, TempWriter writer) {
    Path target = keys.pathOf(key, Operation.WRITE);
    Path temp = null;
    boolean moved = false;
    try {
      temp = createTemp(target.getParent());
      writer.write(temp);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
    } catch (IOException e) {
      throw keys.failure(e, Operation.WRITE, key);
    } finally {
      if (temp != null && !moved) {
        deleteQuietly(temp);
      }
    }
  }

  private static Path createTemp(Path directory) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(directory);
        // Not Files.createTempFile: it makes the file owner-only (0600) on POSIX, and objects in
        // a shared store should get the umask's permissions like any other file.
        String name = StoreKeys.TEMP_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong());
        return Files.createFile(directory.resolve(name));
      } catch (NoSuchFileException | FileAlreadyExistsException e) {
        // NoSuchFile: the directory was pruned before the temp file was created in it.
        // FileAlreadyExists: createDirectories found the directory, then it was pruned before
        // createDirectories checked it is one. A file where a directory must be fails every time.
        if (attempt == CREATE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static void force(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      System.getLogger(FileStore.class.getName()).log(System.Logger.Level.WARNING,
          "could not remove temp file {0}: {1}", file, e.toString());
    }
  }

  /** Removes directories left empty by a delete, up to but never including the root. */
  private void pruneEmptyParents(Path directory) {
    for (Path dir = directory; dir != null && !dir.equals(keys.root()) && dir.startsWith(keys.root());
        dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (NoSuchFileException e) {
        // Another delete pruned it first; carry on upwards.
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (IOException e) {
        return; // Best effort: an empty directory is harmless.
      }
    }
  }
}
