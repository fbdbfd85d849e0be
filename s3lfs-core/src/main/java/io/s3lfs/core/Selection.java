package io.s3lfs.core;

import io.s3lfs.core.internal.Glob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Turns a user's path argument into keys: files on disk (for {@code track}) or manifest entries
 * (for {@code checkout}, {@code remove}, {@code ls}, {@code status}). An argument is a file, a
 * directory (everything below it) or a glob in the dialect of {@link Glob}, relative to the
 * current directory.
 */
final class Selection {
  private Selection() {}

  /**
   * @return the keys of the regular files the argument names, sorted
   * @throws S3lfsException USAGE when the path does not exist or the glob matches nothing
   */
  static List<String> onDisk(Repository repo, String arg, Predicate<String> excluded) {
    String pattern = repo.toKey(arg);
    var keys = new TreeSet<String>(Manifest.CODE_POINT_ORDER);
    if (Glob.isGlob(pattern)) {
      Glob glob = Glob.compile(pattern);
      String base = Glob.literalPrefix(pattern);
      Path dir = base.isEmpty() ? repo.root() : repo.pathOf(base);
      if (Files.isDirectory(dir)) {
        walk(repo, dir, excluded, key -> {
          if (glob.matches(key)) {
            keys.add(key);
          }
        });
      }
      if (keys.isEmpty()) {
        throw S3lfsException.usage("no files match '" + arg + "'");
      }
      return List.copyOf(keys);
    }
    Path p = pattern.isEmpty() ? repo.root() : repo.pathOf(pattern);
    if (Files.isDirectory(p)) {
      walk(repo, p, excluded, keys::add);
      if (keys.isEmpty()) {
        throw S3lfsException.usage("directory '" + arg + "' holds no files to track");
      }
    } else if (Files.isRegularFile(p)) {
      if (excluded.test(pattern)) {
        throw S3lfsException.usage("'" + arg + "' is one of s3lfs's or git's own files and cannot be tracked");
      }
      keys.add(pattern);
    } else if (Files.exists(p)) {
      throw S3lfsException.usage("'" + arg + "' is not a regular file or directory");
    } else {
      throw S3lfsException.usage("no such file or directory: '" + arg + "'");
    }
    return List.copyOf(keys);
  }

  private static void walk(Repository repo, Path dir, Predicate<String> excluded, java.util.function.Consumer<String> sink) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          if (!d.equals(repo.root()) && excluded.test(repo.keyOf(d))) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
          String key = repo.keyOf(f);
          if ((attrs.isRegularFile() || attrs.isSymbolicLink() && Files.isRegularFile(f)) && !excluded.test(key)) {
            sink.accept(key);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param arg a path, directory or glob; {@code null} means everything
   * @return the tracked keys it names, in the order of {@code files} (callers walk both together); possibly empty
   */
  static List<String> tracked(Repository repo, NavigableMap<String, String> files, String arg) {
    if (arg == null) {
      return List.copyOf(files.keySet());
    }
    String pattern = repo.toKey(arg);
    if (pattern.isEmpty()) {
      return List.copyOf(files.keySet());
    }
    if (files.containsKey(pattern)) {
      return List.of(pattern);
    }
    List<String> out = new ArrayList<>();
    if (Glob.isGlob(pattern)) {
      Glob glob = Glob.compile(pattern);
      for (String key : files.keySet()) {
        if (glob.matches(key)) {
          out.add(key);
        }
      }
      return out;
    }
    String dir = pattern + "/";
    // keys under dir/ form one contiguous range in code point order
    for (String key : files.tailMap(dir, true).keySet()) {
      if (!key.startsWith(dir)) {
        break;
      }
      out.add(key);
    }
    return out;
  }
}
