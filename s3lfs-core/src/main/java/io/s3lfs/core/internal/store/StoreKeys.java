package io.s3lfs.core.internal.store;

import io.s3lfs.api.StorageException;
import io.s3lfs.api.StorageException.Kind;
import io.s3lfs.api.StorageException.Operation;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Maps keys to paths under a store root and I/O failures to {@link StorageException}s. */
final class StoreKeys {
  /** Names of files being written; never objects, skipped by listings. */
  static final String TEMP_PREFIX = ".s3lfs-tmp-";

  private final Path root;

  StoreKeys(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  /** @throws StorageException of kind OTHER when {@code key} cannot name an object */
  Path pathOf(String key, Operation operation) {
    String problem = problemWith(key);
    if (problem != null) {
      throw new StorageException(Kind.OTHER, operation, key,
          "invalid key '" + key + "' for file store " + root + ": " + problem);
    }
    return root.resolve(key);
  }

  /** @return why {@code key} is not a valid key, or {@code null} when it is */
  static String problemWith(String key) {
    if (key == null || key.isEmpty()) {
      return "keys must not be empty";
    }
    if (key.startsWith("/")) {
      return "keys are relative, they must not start with '/'";
    }
    if (key.indexOf('\0') >= 0 || key.indexOf('\\') >= 0) {
      return "keys must not contain NUL or '\\'";
    }
    for (String segment : key.split("/", -1)) {
      String bad = segmentProblem(segment);
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  static String segmentProblem(String segment) {
    if (segment.isEmpty()) {
      return "keys must not have empty segments ('//' or a trailing '/')";
    }
    if (segment.equals(".") || segment.equals("..")) {
      return "keys must not have '.' or '..' segments";
    }
    if (segment.startsWith(TEMP_PREFIX)) {
      return "names starting with " + TEMP_PREFIX + " are reserved for files being written";
    }
    return null;
  }

  /** @return the key of a file under the root */
  String keyOf(Path file) {
    Path relative = root.relativize(file);
    var key = new StringBuilder();
    for (Path name : relative) {
      if (!key.isEmpty()) {
        key.append('/');
      }
      key.append(name);
    }
    return key.toString();
  }

  StorageException failure(IOException e, Operation operation, String key) {
    String where = "'" + key + "' in file store " + root;
    String reason = oneLine(e.getMessage() == null ? e.toString() : e.getMessage());
    if (e instanceof NoSuchFileException) {
      return new StorageException(Kind.NOT_FOUND, operation, key, "no object " + where, e);
    }
    if (e instanceof AccessDeniedException) {
      return new StorageException(Kind.ACCESS_DENIED, operation, key, "access denied ("
          + operation.name().toLowerCase(java.util.Locale.ROOT) + ") to " + where
          + ": check the permissions of " + reason, e);
    }
    return new StorageException(Kind.OTHER, operation, key,
        "cannot " + operation.name().toLowerCase(java.util.Locale.ROOT) + " " + where + ": "
            + e.getClass().getSimpleName() + ": " + reason, e);
  }

  StorageException notFound(Operation operation, String key) {
    return failure(new NoSuchFileException(key), operation, key);
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }
}
