package io.s3lfs.core;

import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.core.internal.ManifestFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A working copy under s3lfs: its root, its manifest and where user paths point.
 *
 * <p>The root is the nearest directory, from the current one upwards, that holds a
 * {@code .git} entry or a manifest; with neither, the current directory. Every command works
 * from any subdirectory: user paths are resolved against the current directory and stored as
 * keys relative to the root, with {@code /} separators.
 */
public final class Repository {
  /** The manifest's file name, at the root. */
  public static final String MANIFEST_NAME = ".s3_manifest.json";
  /** The directory for the lock and transfer temp files, at the root. */
  public static final String TEMP_DIR = ".s3lfs_temp";
  private static final String RELOCATED = "relocated-from";

  // Never tracked: git's own files, ours, and the reference's HEAD-era files.
  private static final Set<String> INTERNAL_TOP = Set.of(".git", TEMP_DIR, ".s3lfs_manifest",
      MANIFEST_NAME, ".s3_manifest.yaml", ".s3_manifest_cache.json", ".s3_manifest_cache.yaml");

  private final Path root;
  private final Path cwd;
  private final ManifestFile manifestFile;

  private Repository(Path root, Path cwd) {
    this.root = root;
    this.cwd = cwd;
    this.manifestFile = new ManifestFile(root.resolve(MANIFEST_NAME), root.resolve(TEMP_DIR));
  }

  /**
   * Finds the working copy that {@code cwd} belongs to; does not require a manifest.
   *
   * @param cwd the current directory
   */
  public static Repository at(Path cwd) {
    Path real;
    try {
      real = cwd.toRealPath();
    } catch (IOException e) {
      throw S3lfsException.usage("cannot open the current directory " + cwd + ": " + e.getMessage());
    }
    for (Path dir = real; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git")) || Files.isRegularFile(dir.resolve(MANIFEST_NAME))) {
        return new Repository(dir, real);
      }
    }
    return new Repository(real, real);
  }

  /**
   * Opens an initialised working copy.
   *
   * @throws S3lfsException USAGE when there is no manifest
   */
  public static Repository open(Path cwd) {
    Repository repo = at(cwd);
    if (!repo.manifestFile.exists()) {
      throw S3lfsException.usage("no s3lfs manifest (" + MANIFEST_NAME + ") in " + repo.root
          + "; run s3lfs init <bucket-or-URI> <prefix> first");
    }
    return repo;
  }

  /**
   * Writes a new manifest, or changes the location of an existing one keeping its entries.
   *
   * @param typed an S3 bucket name or a store URI ({@code s3://bucket}, {@code file:///dir}); a
   *     {@code file://} path with spaces is recorded quoted ({@link StoreLocation#canonical})
   * @param prefix the key prefix for this repository's objects
   * @param hashAlgorithm {@code sha256} or {@code md5}; ignored when a manifest exists
   * @return the manifest written
   */
  public Manifest init(String typed, String prefix, String hashAlgorithm) {
    String location = StoreLocation.canonical(typed);
    String cleanPrefix = cleanPrefix(prefix);
    HashAlgorithm.forName(hashAlgorithm);
    try {
      if (manifestFile.exists()) {
        var before = new Manifest[1]; // the manifest the change was applied to, read under the lock
        Manifest after = manifestFile.update(m -> {
          if (!m.files().isEmpty() && !m.hashAlgorithm().equals(hashAlgorithm)) {
            throw S3lfsException.usage("this repository already tracks files with " + m.hashAlgorithm()
                + "; the hash cannot be changed to " + hashAlgorithm);
          }
          before[0] = m;
          return m.withLocation(location, cleanPrefix);
        });
        if (!before[0].files().isEmpty() && !locationOf(before[0]).equals(locationOf(after))) {
          markRelocated(locationOf(before[0]));
        }
        return after;
      }
      Manifest m = Manifest.create(location, cleanPrefix, hashAlgorithm);
      manifestFile.create(m);
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String cleanPrefix(String prefix) {
    String p = prefix.strip();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty() || p.contains("//") || p.equals(".") || p.contains("..")) {
      throw S3lfsException.usage("invalid prefix '" + prefix + "': give a name such as my-project");
    }
    return p;
  }

  /**
   * Where a manifest's objects live: store, prefix and endpoint, as one comparable string.
   * Two manifests with the same location address the same objects.
   */
  static String locationOf(Manifest m) {
    return StoreLocation.parse(m.bucketName()).uri() + " prefix " + m.repoPrefix()
        + (m.endpointUrl() == null ? "" : " at " + m.endpointUrl());
  }

  // Marks this working copy as moved to a new store location: its manifest lists files whose
  // objects are still only at the old one, so "unchanged" no longer means "stored" until a
  // track has checked (and uploaded) every tracked file. Local state: other clones get the
  // objects through whoever re-uploads them.
  void markRelocated(String from) throws IOException {
    Files.createDirectories(tempDir());
    Files.writeString(tempDir().resolve(RELOCATED), from + "\n");
  }

  /** @return the old location when {@code init} moved this working copy to a new store and not every file was re-stored yet */
  public java.util.Optional<String> relocatedFrom() {
    try {
      return java.util.Optional.of(Files.readString(tempDir().resolve(RELOCATED)).strip());
    } catch (java.nio.file.NoSuchFileException e) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void clearRelocated() throws IOException {
    Files.deleteIfExists(tempDir().resolve(RELOCATED));
  }

  /** @return the working copy's root directory (real path) */
  public Path root() {
    return root;
  }

  /** @return the current directory (real path) */
  public Path cwd() {
    return cwd;
  }

  /** @return the manifest's path */
  public Path manifestPath() {
    return manifestFile.path();
  }

  /** @return whether a manifest exists */
  public boolean isInitialized() {
    return manifestFile.exists();
  }

  /**
   * @return the manifest as on disk now
   * @throws S3lfsException INTEGRITY when it is malformed, USAGE when missing
   */
  public Manifest manifest() {
    try {
      return manifestFile.read();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes the manifest under its lock; see {@link ManifestFile#update}. */
  public Manifest update(UnaryOperator<Manifest> change) {
    try {
      return manifestFile.update(change);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Turns a user's path argument into a key pattern relative to the root.
   *
   * @param arg a path relative to the current directory (or absolute inside the repository),
   *     possibly holding glob syntax
   * @return the root-relative key or pattern; empty for the root itself
   * @throws S3lfsException USAGE when the path lies outside the repository
   */
  public String toKey(String arg) {
    Path p = cwd.resolve(arg.isEmpty() ? "." : arg).normalize();
    if (!p.startsWith(root)) {
      throw S3lfsException.usage("path '" + arg + "' is outside the repository " + root);
    }
    String rel = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    return rel;
  }

  /** @return the file a key names */
  public Path pathOf(String key) {
    return root.resolve(key);
  }

  /** @return the key of a file inside the repository */
  public String keyOf(Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  /** @return whether a key names one of s3lfs's or git's own files, which are never tracked */
  public static boolean isInternal(String key) {
    int slash = key.indexOf('/');
    String top = slash < 0 ? key : key.substring(0, slash);
    if (INTERNAL_TOP.contains(top) || key.endsWith(".s3lfs.lock")) {
      return true;
    }
    return key.equals(".git") || key.contains("/.git/") || key.endsWith("/.git")
        || top.startsWith(MANIFEST_NAME + ".") && top.endsWith(".tmp");
  }

  /** @return the directory for temp files and the lock, created if needed */
  public Path tempDir() {
    Path dir = root.resolve(TEMP_DIR);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }
}
