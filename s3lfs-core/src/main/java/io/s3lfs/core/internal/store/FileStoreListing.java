package io.s3lfs.core.internal.store;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException.Operation;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Lists a file store by prefix: walks only the deepest directory the prefix names, skips
 * subtrees that cannot match and temp files, and sorts by key.
 */
final class FileStoreListing {
  private final StoreKeys keys;

  FileStoreListing(StoreKeys keys) {
    this.keys = keys;
  }

  List<ObjectInfo> list(String prefix) {
    int slash = prefix.lastIndexOf('/');
    String directoryPart = slash < 0 ? "" : prefix.substring(0, slash);
    if (!directoryPart.isEmpty() && StoreKeys.problemWith(directoryPart) != null) {
      return List.of(); // no valid key starts with it, and walking it could leave the root
    }
    Path start = directoryPart.isEmpty() ? keys.root() : keys.root().resolve(directoryPart);
    List<ObjectInfo> found = new ArrayList<>();
    try {
      Files.walkFileTree(start, new Visitor(prefix, found));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw keys.failure(e, Operation.LIST, prefix);
    }
    found.sort(Comparator.comparing(ObjectInfo::key));
    return List.copyOf(found);
  }

  private final class Visitor extends SimpleFileVisitor<Path> {
    private final String prefix;
    private final List<ObjectInfo> found;

    Visitor(String prefix, List<ObjectInfo> found) {
      this.prefix = prefix;
      this.found = found;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      if (dir.equals(keys.root())) {
        return FileVisitResult.CONTINUE;
      }
      String dirKey = keys.keyOf(dir) + "/";
      boolean mayMatch = dirKey.startsWith(prefix) || prefix.startsWith(dirKey);
      return mayMatch ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(StoreKeys.TEMP_PREFIX)) {
        String key = keys.keyOf(file);
        if (key.startsWith(prefix)) {
          found.add(new ObjectInfo(key, attrs.size()));
        }
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      // Deleted while we walked (a concurrent delete pruning directories): simply not listed.
      if (e instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE;
      }
      throw e;
    }
  }
}
