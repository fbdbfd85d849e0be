package io.s3lfs.core.internal;

import io.s3lfs.core.Manifest;
import io.s3lfs.core.S3lfsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * The manifest on disk: read, and changed under a lock so that two s3lfs processes never lose
 * each other's entries (re-read, apply the change, write, all inside the lock). Writes go to a
 * uniquely named temp file beside the manifest, are forced to disk, then renamed over it.
 *
 * <p>The lock is {@code <root>/.s3lfs_temp/.s3lfs.lock}, the reference's path. Java's
 * {@link FileChannel#lock} takes fcntl record locks, which exclude other JVMs and other
 * s3lfs-for-the-JVM processes, but on Linux not the Python tool's flock.
 */
public final class ManifestFile {
  private final Path path;
  private final Path lockFile;

  /**
   * @param path the manifest path
   * @param tempDir the directory holding the lock file
   */
  public ManifestFile(Path path, Path tempDir) {
    this.path = path;
    this.lockFile = tempDir.resolve(".s3lfs.lock");
  }

  /** @return the manifest path */
  public Path path() {
    return path;
  }

  /** @return whether a manifest exists */
  public boolean exists() {
    return Files.isRegularFile(path);
  }

  /**
   * @return the manifest
   * @throws S3lfsException INTEGRITY naming line and column when it cannot be parsed
   */
  public Manifest read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new S3lfsException(S3lfsException.Kind.USAGE,
          "no s3lfs manifest at " + path + "; run s3lfs init <bucket-or-URI> <prefix> first");
    }
    try {
      return ManifestJson.parse(bytes);
    } catch (ManifestJson.SyntaxException e) {
      String hint = new String(bytes, StandardCharsets.ISO_8859_1).contains("<<<<<<<") ? " (it holds git merge conflict markers: resolve them first)" : "";
      throw new S3lfsException(S3lfsException.Kind.INTEGRITY, "manifest " + path + " is malformed at line "
          + e.line() + ", column " + e.column() + ": " + e.getMessage() + hint
          + "; it was left unchanged");
    }
  }

  /**
   * Applies {@code change} to the current manifest under the lock and writes the result if it
   * differs.
   *
   * @return the manifest as written (or as it was, when unchanged)
   */
  public Manifest update(UnaryOperator<Manifest> change) throws IOException {
    return locked(() -> {
      Manifest current = read();
      Manifest next = change.apply(current);
      if (!next.equals(current)) {
        write(next);
      }
      return next;
    });
  }

  /** Creates or replaces the manifest, under the lock. */
  public void create(Manifest m) throws IOException {
    locked(() -> {
      write(m);
      return m;
    });
  }

  private interface Locked {
    Manifest run() throws IOException;
  }

  // File locks are held per JVM, not per thread (a second lock() in the same JVM throws), so
  // threads of one process queue on a JVM-wide lock first, then take the file lock that
  // excludes other processes.
  private Manifest locked(Locked body) throws IOException {
    Files.createDirectories(lockFile.getParent());
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
    local.lock();
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      return body.run();
    } finally {
      local.unlock();
    }
  }

  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private void write(Manifest m) throws IOException {
    byte[] bytes = ManifestJson.write(m).getBytes(StandardCharsets.US_ASCII);
    Path tmp = path.resolveSibling(path.getFileName() + "." + UUID.randomUUID().toString().replace("-", "") + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
