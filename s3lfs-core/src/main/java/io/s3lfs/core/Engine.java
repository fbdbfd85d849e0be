package io.s3lfs.core;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.StorageException;
import io.s3lfs.api.spi.Codec;
import io.s3lfs.api.spi.HashAlgorithm;
import io.s3lfs.api.spi.ObjectStore;
import io.s3lfs.api.spi.ObjectStoreProvider;
import io.s3lfs.core.TransferListener.Action;
import io.s3lfs.core.internal.HashCache;
import io.s3lfs.core.internal.Hashed;
import io.s3lfs.core.internal.Sampling;
import io.s3lfs.core.internal.StoredObjects;
import io.s3lfs.core.internal.StoredObjects.Stored;
import io.s3lfs.core.internal.Transfers;
import io.s3lfs.core.internal.Workers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The s3lfs operations on one working copy: {@code track}, {@code checkout}, {@code remove},
 * {@code cleanup}, and the read-only {@code list} and {@code status}.
 *
 * {@snippet :
 * try (Engine engine = Engine.open(Repository.open(Path.of(".")), Settings.DEFAULTS)) {
 *   Result r = engine.track(List.of("data"), TransferListener.NONE);
 * }
 * }
 *
 * <p>Batches never stop at the first failure: every file is attempted, the successful ones are
 * recorded in the manifest, and the failures come back in the {@link Result}.
 */
public final class Engine implements AutoCloseable {
  private final Repository repo;
  private final Settings settings;
  private ObjectStore store;
  private HashCache cache;
  private Future<HashCache> cacheLoading;
  /** The cache {@link #cacheLoading} loads, before its stat pass (when it makes one) ends. */
  private CompletableFuture<HashCache> cacheLoaded;
  private final java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();

  private Engine(Repository repo, Settings settings) {
    this.repo = repo;
    this.settings = settings;
  }

  /** Opens the engine; the object store is connected on first use. */
  public static Engine open(Repository repo, Settings settings) {
    return new Engine(repo, settings);
  }

  /**
   * Asks the running operation to stop: no further file starts, and transfers in flight stop at
   * their next buffer (256 KiB) or part, leaving nothing of themselves behind: a stopped upload
   * stores no object (a multipart upload is aborted once its parts in flight are answered), a
   * stopped download removes its temp file and leaves the file as it was. Files that completed
   * are recorded in the manifest as usual; a stopped file is neither recorded nor reported as
   * failed. Requests already sent are not interrupted (no thread is: file channels close on
   * interrupts), so a small file whose single request is on its way completes. Safe from any
   * thread (a signal handler, for example).
   */
  public void cancel() {
    cancelled.set(true);
  }

  /** @return whether {@link #cancel()} was called */
  public boolean isCancelled() {
    return cancelled.get();
  }

  /** @return the working copy */
  public Repository repository() {
    return repo;
  }

  private synchronized ObjectStore store(Manifest m) {
    if (store == null) {
      StoreLocation loc = StoreLocation.parse(m.bucketName());
      var options = settings.store();
      if (options.endpointUrl() == null && m.endpointUrl() != null) {
        options = options.withEndpointUrl(m.endpointUrl());
      }
      ObjectStoreProvider provider;
      try {
        provider = ObjectStoreProvider.forScheme(loc.scheme());
      } catch (IllegalArgumentException e) {
        throw S3lfsException.usage("cannot open store " + loc.uri() + ": " + e.getMessage());
      }
      store = provider.open(loc.uri(), options);
    }
    return store;
  }

  private HashCache cache(Manifest m) {
    return cache(m.hashAlgorithm());
  }

  /** @param algorithm the hash the cache is for; null for whichever the loaded cache holds */
  private synchronized HashCache cache(String algorithm) {
    if (cache == null) {
      HashCache loaded = cacheLoading != null ? await(cacheLoading) : HashCache.load(cacheFile());
      cache = algorithm == null ? loaded : loaded.forAlgorithm(algorithm);
      cacheLoading = null;
      cacheLoaded = null;
    }
    return cache;
  }

  /**
   * For the commands that hash: starts reading the hash cache ({@link #preloadCache(boolean)})
   * and readies the hash beside it ({@link #prepareHashing()}).
   */
  private void preloadCacheAndHashing(boolean checkAll) {
    preloadCache(checkAll);
    prepareHashing();
  }

  /**
   * Readies the default hash on a virtual thread while the manifest is read and the store opened:
   * binding OpenSSL through FFM spins its call stubs and method-handle classes (~30 ms, not in
   * the AOT cache), which a command that hashes would otherwise wait for at its first file.
   */
  private static void prepareHashing() {
    Thread.ofVirtual().name("s3lfs-hash-prepare").start(() -> {
      try {
        var hasher = HashAlgorithm.forName("sha256").newHasher(); // the default; md5 binds the same calls
        hasher.update(java.nio.ByteBuffer.allocate(0));
        hasher.finish();
      } catch (RuntimeException e) { // only a head start: the command itself meets any failure
        // nothing to do
      }
    });
  }

  /**
   * Starts reading the hash cache on a virtual thread, so that it loads while the manifest is
   * parsed rather than after (at 200,000 entries each takes a sizeable part of {@code status});
   * with {@code checkAll}, the loaded cache then stats every file it knows
   * ({@link HashCache#checkAll}), also while the manifest is parsed. Only for commands that change
   * no working-copy file before they have asked about every file (status; checkout, whose
   * downloads come after).
   */
  private synchronized void preloadCache(boolean checkAll) {
    if (cache != null) {
      // A later command on this engine: files may have changed since the last stat pass, whose
      // answers must not stand (an embedder's second status missed an edit made between them).
      HashCache c = cache;
      c.forgetChecks();
      if (checkAll) {
        var task = new FutureTask<>(() -> {
          c.checkAll(repo.root(), settings.workers(), cancelled::get);
          return c;
        });
        Thread.ofVirtual().name("s3lfs-cache-check").start(task);
        cache = null;
        cacheLoading = task;
        cacheLoaded = CompletableFuture.completedFuture(c);
      }
      return;
    }
    if (cacheLoading == null) {
      var loaded = new CompletableFuture<HashCache>();
      var task = new FutureTask<>(() -> {
        HashCache c;
        try {
          c = HashCache.load(cacheFile());
        } catch (RuntimeException | Error e) { // not expected (a damaged cache loads empty)
          loaded.completeExceptionally(e);
          throw e;
        }
        loaded.complete(c);
        if (checkAll) {
          c.checkAll(repo.root(), settings.workers(), cancelled::get);
        }
        return c;
      });
      Thread.ofVirtual().name("s3lfs-cache-load").start(task);
      cacheLoading = task;
      cacheLoaded = loaded;
    }
  }

  private Path cacheFile() {
    return repo.tempDir().resolve("hash-cache");
  }

  /** Saves the hash cache, keeping entries for the given tracked keys only. */
  private void saveCache(Manifest current) {
    saveCache(current.files().keySet());
  }

  private void saveCache(Set<String> tracked) {
    HashCache c;
    synchronized (this) {
      c = cache;
    }
    if (c != null) {
      c.save(tracked);
    }
  }

  // ---- track ------------------------------------------------------------------------------

  /**
   * Hashes, stores and records the files the arguments name.
   *
   * @param args files, directories or globs relative to the current directory
   */
  public Result track(List<String> args, TransferListener listener) {
    preloadCacheAndHashing(false);
    Manifest m = repo.manifest();
    var keys = new TreeSet<String>(Manifest.CODE_POINT_ORDER);
    for (String arg : args) {
      keys.addAll(Selection.onDisk(repo, arg, this::excluded));
    }
    return upload(m, List.copyOf(keys), listener, false);
  }

  /**
   * Re-hashes every tracked file present on disk and stores and records the changed ones.
   * Missing files are left alone (use {@code remove} to untrack).
   */
  public Result trackModified(TransferListener listener) {
    // Every tracked file is asked about and track changes no working-copy file: the cache's files
    // are stat-ed while the manifest parses, as for status (200,000 files, nothing changed: 0.92 -> 0.79 s).
    preloadCache(true);
    // After init moved the repository, every file must be checked against the new store.
    Result nothingToDo = repo.relocatedFrom().isEmpty() ? nothingToDoFromCache(listener, Action.UNCHANGED) : null;
    if (nothingToDo != null) {
      return nothingToDo;
    }
    prepareHashing(); // only now: a run with nothing to do need not bind OpenSSL
    Manifest m = repo.manifest();
    return upload(m, List.copyOf(m.files().keySet()), listener, true);
  }

  private boolean excluded(String key) {
    return Repository.isInternal(key);
  }

  /** @param skipMissing leave files that are not on disk alone instead of failing them */
  private Result upload(Manifest m, List<String> keys, TransferListener listener, boolean skipMissing) {
    HashAlgorithm algorithm = HashAlgorithm.forName(m.hashAlgorithm());
    Codec codec = codec();
    var tally = new Tally(listener, keys.size(), 0, cancelled::get);

    // Phase 1: hash everything (one stat per file when the cache knows it); unchanged files are
    // done. Sizes are learned here, so progress gets its byte total without a separate pass.
    Map<String, Hashed> pending = new ConcurrentHashMap<>(); // to store: new or changed content
    // Hashed lookups: the manifest's code-point TreeMap compares ~18 strings per key.
    Map<String, String> known = new HashMap<>(m.files());
    // After init moved the repository to another store, a recorded hash no longer says the
    // object is stored: every file goes through the existence check (and upload) below.
    boolean relocated = repo.relocatedFrom().isPresent();
    HashCache cache = cache(m); // once: cache() takes this engine's lock
    Workers.forEach(keys, settings.workers(), cancelled::get, key -> {
      try {
        long same = relocated ? -1 : cache.checkedSize(key, known.get(key)); // found unchanged: no stat
        if (same >= 0) {
          tally.addTotal(same);
          tally.done(key, Action.UNCHANGED, "", same);
          return;
        }
        var h = cache.hashForUpload(key, repo.pathOf(key), algorithm);
        tally.addTotal(h.size());
        if (!relocated && h.hex().equals(known.get(key))) {
          tally.done(key, Action.UNCHANGED, "", h.size());
        } else {
          pending.put(key, h);
        }
      } catch (java.nio.file.NoSuchFileException e) {
        if (skipMissing) {
          tally.skip();
        } else {
          tally.failed(key, e);
        }
      } catch (IOException | RuntimeException e) {
        tally.failed(key, e);
      }
    });

    // Phase 2: one upload per distinct content; other paths with that content copy it inside
    // the store afterwards. Content already stored for a manifest path is copied from there.
    Map<String, List<String>> byHash = new TreeMap<>();
    new TreeMap<>(pending).forEach((k, h) -> byHash.computeIfAbsent(h.hex(), x -> new ArrayList<>()).add(k));
    Map<String, String> sourceOf = new LinkedHashMap<>();
    m.files().forEach((k, h) -> sourceOf.putIfAbsent(h, k));
    Map<String, String> recorded = new ConcurrentHashMap<>();
    // Many new files: one listing of the repository's assets (1 request per 1,000 objects)
    // answers "is it stored already?" for all of them, instead of one request per file.
    var listing = pending.isEmpty() ? KnownObjects.PER_STEM
        : KnownObjects.choose(pending.size(), m.files().size(), () -> store(m), StoredObjects.assetsPrefix(m.repoPrefix()));
    Workers.forEach(byHash.entrySet(), settings.workers(), () -> cancelled.get() || tally.stopped(), group -> {
      String hash = group.getKey();
      List<String> paths = group.getValue();
      Optional<Map.Entry<String, Stored>> origin = Optional.empty();
      for (String key : paths) {
        if (cancelled.get() || tally.stopped()) {
          break;
        }
        try {
          ObjectStore s = store(m);
          Hashed h = pending.get(key);
          String stem = StoredObjects.stem(m.repoPrefix(), hash, key);
          Optional<Stored> existing = StoredObjects.find(stem, listing.objects(s, stem));
          if (existing.isPresent()) {
            tally.done(key, Action.ALREADY_STORED, "", h.size());
            origin = origin.or(() -> Optional.of(Map.entry(stem, existing.get())));
          } else {
            if (origin.isEmpty() && sourceOf.containsKey(hash)) {
              String srcStem = StoredObjects.stem(m.repoPrefix(), hash, sourceOf.get(hash));
              origin = StoredObjects.find(srcStem, s.list(srcStem)).map(st -> Map.entry(srcStem, st));
            }
            if (origin.isPresent()) {
              Transfers.copy(s, origin.get().getValue(), origin.get().getKey(), stem);
              tally.done(key, Action.COPIED, "from " + origin.get().getKey(), h.size());
            } else {
              long before = tally.bytes.get();
              Path file = repo.pathOf(key);
              Transfers.Watch progress = tally.watch(before);
              long stored = settings.compression() == Compression.AUTO && h.size() <= Sampling.SAMPLE
                  ? Transfers.uploadSmall(s, file, stem, codec, settings.level(), settings.chunkSize(),
                      algorithm, h, progress)
                  : Transfers.upload(s, file, stem, chooseCodec(codec, file), settings.level(),
                      settings.chunkSize(), algorithm, h, progress);
              tally.moved(stored);
              tally.done(key, Action.UPLOADED, Units.human(h.size()) + " -> " + Units.human(stored), 0);
              if (paths.size() > 1) { // other paths will copy these bytes: learn their keys
                String finalStem = stem;
                origin = StoredObjects.find(stem, s.list(stem)).map(st -> Map.entry(finalStem, st));
              }
            }
          }
          recorded.put(key, hash);
        } catch (IOException | RuntimeException e) {
          tally.failed(key, e);
        }
      }
    });
    if (recorded.isEmpty()) {
      saveCache(known.keySet());
    } else {
      saveCache(repo.update(current -> current.withFiles(recorded)));
    }
    Result result = tally.result();
    if (relocated && result.failures().isEmpty() && !cancelled.get() && recorded.keySet().containsAll(known.keySet())) {
      try { // every tracked file is stored at the new location now
        repo.clearRelocated();
      } catch (IOException e) {
        // the next track checks again: slower, not wrong
      }
    }
    return result;
  }

  private Codec chooseCodec(Codec configured, Path file) throws IOException {
    return switch (settings.compression()) {
      case NEVER -> Codec.forName("identity");
      case ALWAYS -> configured;
      case AUTO -> Sampling.compressible(file) ? configured : Codec.forName("identity");
    };
  }

  private Codec codec() {
    try {
      return Codec.forName(settings.codec());
    } catch (IllegalArgumentException e) {
      throw S3lfsException.usage(e.getMessage());
    }
  }

  // ---- checkout ---------------------------------------------------------------------------

  /**
   * Writes tracked files from the store, verifying each before it replaces anything. Files whose
   * content already matches are not downloaded.
   *
   * @param args paths, directories or globs; empty means every tracked file
   */
  public Result checkout(List<String> args, TransferListener listener) {
    // A checkout of everything has the cache's files stat-ed while the manifest parses, as status
    // does: in a working copy that is already checked out, that is all there is to do (200,000
    // files: 0.99 -> 0.67 s). Its downloads start only after every file was asked about.
    preloadCache(args.isEmpty());
    Result nothingToDo = args.isEmpty() ? nothingToDoFromCache(listener, Action.UP_TO_DATE) : null;
    if (nothingToDo != null) {
      return nothingToDo;
    }
    prepareHashing(); // only now: a checkout with nothing to do need not bind OpenSSL
    Manifest m = repo.manifest();
    List<String> keys = select(m, args);
    String[] recorded = recordedHashes(m.files(), keys);
    HashAlgorithm algorithm = HashAlgorithm.forName(m.hashAlgorithm());
    var tally = new Tally(listener, keys.size(), 0, cancelled::get);
    HashCache cache = cache(m); // once: cache() takes this engine's lock

    // Phase 1, local only: files that already have the right content are done. No stat when the
    // cache has checked the file, else one (hash throws for a missing file or a directory). A
    // file whose directory is not there is missing without asking: in a fresh clone, where the
    // tracked directories are not, a failed stat and its exception per file took 90 ms of a
    // 2,000-file checkout's start; one stat per directory answers for all of them.
    List<String> needed = java.util.Collections.synchronizedList(new ArrayList<>());
    Map<String, Boolean> directories = new ConcurrentHashMap<>();
    Workers.forEach(keys.size(), settings.workers(), cancelled::get, i -> {
      String key = keys.get(i);
      try {
        boolean same = cache.checkedSame(key, recorded[i]);
        if (!same
            && directories.computeIfAbsent(parentKey(key), d -> d.isEmpty() || Files.isDirectory(repo.pathOf(d)))) {
          same = cache.hash(key, repo.pathOf(key), algorithm).hex().equals(recorded[i]);
        }
        if (same) {
          tally.done(key, Action.UP_TO_DATE, "", 0);
        } else {
          needed.add(key);
        }
      } catch (IOException | RuntimeException e) {
        needed.add(key); // missing, or unreadable: replace it from the store
      }
    });

    // Phase 2: download. Many files are found through one listing of the assets, not one each.
    var listing = needed.isEmpty() ? KnownObjects.PER_STEM
        : KnownObjects.choose(needed.size(), m.files().size(), () -> store(m), StoredObjects.assetsPrefix(m.repoPrefix()));
    // In the listing's order (by content hash), so the first files need only its first page. The
    // hashes are looked up once each, not per comparison (the manifest is a code-point TreeMap).
    List<String> order = needed.stream().map(key -> Map.entry(m.files().get(key), key))
        .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue(Manifest.CODE_POINT_ORDER)))
        .map(Map.Entry::getValue).toList();
    Workers.forEach(order, settings.workers(), () -> cancelled.get() || tally.stopped(), key -> {
      String expected = m.files().get(key);
      Path target = repo.pathOf(key);
      try {
        ObjectStore s = store(m);
        String stem = StoredObjects.stem(m.repoPrefix(), expected, key);
        Stored stored = StoredObjects.find(stem, listing.objects(s, stem)).orElseThrow(() -> new S3lfsException(
            S3lfsException.Kind.STORAGE, key + ": no stored object for content " + expected.substring(0, 12)
            + " under " + stem + " in " + s.uri() + " (deleted by cleanup, or never uploaded?)"));
        long before = tally.bytes.get();
        var got = Transfers.download(s, stored, target, algorithm, expected, tally.watch(before));
        if (!got.hex().equals(expected)) {
          throw new S3lfsException(S3lfsException.Kind.INTEGRITY, key + ": hash mismatch, expected "
              + expected + " but the stored object gives " + got.hex() + "; the local file was left unchanged");
        }
        long size = cache(m).record(key, target, expected);
        tally.moved(size);
        tally.done(key, Action.DOWNLOADED, Units.human(size), 0);
      } catch (IOException | RuntimeException e) {
        tally.failed(key, e);
      }
    });
    saveCache(m);
    return tally.result();
  }


  /**
   * A checkout of everything, or a {@code track --modified}, in a working copy where every file
   * is as recorded, answered from a hash cache that describes the manifest ({@link
   * HashCache#describesManifest}), without parsing the manifest: the CI case of checking out what
   * is already there, and the no-op run.
   *
   * @param action what each file is reported as: UP_TO_DATE (checkout) or UNCHANGED (track,
   *     which also counts its bytes)
   * @return the result; null when the cache does not describe the manifest (asked of its header
   *     first, without waiting for the load) or a file needs a look (changed or missing): then the
   *     usual path runs, with the cache already loaded and its files stat-ed
   */
  private Result nothingToDoFromCache(TransferListener listener, Action action) {
    if (!HashCache.describesManifest(cacheFile(), repo.manifestPath())) {
      return null;
    }
    HashCache loaded = loadedCache();
    if (!loaded.describes(repo.manifestPath())) {
      return null;
    }
    HashCache cache = cache((String) null); // the same cache, once its stat pass has ended
    for (Action a : compareStale(cache, staleEntries(cache))) {
      if (a != Action.UP_TO_DATE) {
        return null;
      }
    }
    cache.saveForSameManifest(); // files touched but unchanged have new entries
    int n = cache.loadedCount();
    var tally = new Tally(listener, n, 0, cancelled::get);
    for (int i = 0; i < n; i++) {
      long size = action == Action.UNCHANGED ? cache.size(i) : 0; // as upload() reports them
      tally.addTotal(size);
      tally.done(cache.key(i), action, "", size);
    }
    return tally.result();
  }

  // The hash cache as soon as it is loaded, before its stat pass (preloadCache) has ended.
  private HashCache loadedCache() {
    Future<HashCache> loading;
    synchronized (this) {
      loading = cache != null ? CompletableFuture.completedFuture(cache) : cacheLoaded;
    }
    return await(loading);
  }

  // The key of the directory a key is in, "" for the repository's root.
  private static String parentKey(String key) {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  // The keys in the manifest's order (recordedHashes walks both together).
  private List<String> select(Manifest m, List<String> args) {
    if (args.isEmpty()) {
      return List.copyOf(m.files().keySet());
    }
    var keys = new TreeSet<String>(Manifest.CODE_POINT_ORDER);
    for (String arg : args) {
      List<String> found = Selection.tracked(repo, m.files(), arg);
      if (found.isEmpty()) {
        throw S3lfsException.usage("'" + arg + "' matches no tracked file (see s3lfs ls)");
      }
      keys.addAll(found);
    }
    return List.copyOf(keys);
  }

  // ---- remove and cleanup ----------------------------------------------------------------

  /**
   * Untracks the files the arguments name; local files are kept. With {@code purge}, their
   * stored objects are deleted as well.
   */
  public Result remove(List<String> args, boolean purge, TransferListener listener) {
    Manifest before = repo.manifest();
    List<String> keys = select(before, args);
    Map<String, String> removed = new TreeMap<>();
    repo.update(m -> {
      removed.clear();
      for (String k : keys) {
        if (m.files().containsKey(k)) {
          removed.put(k, m.files().get(k));
        }
      }
      return m.withoutFiles(removed.keySet());
    });
    var tally = new Tally(listener, removed.size(), 0, cancelled::get);
    Map<String, String> objects = new TreeMap<>();
    if (purge && !removed.isEmpty()) {
      ObjectStore s = store(before);
      for (var e : removed.entrySet()) {
        String stem = StoredObjects.stem(before.repoPrefix(), e.getValue(), e.getKey());
        for (ObjectInfo o : s.list(stem)) {
          if (StoredObjects.covers(stem, o.key())) {
            objects.put(o.key(), e.getKey());
          }
        }
      }
      Map<String, StorageException> failed = s.delete(objects.keySet());
      failed.forEach((k, ex) -> tally.failed(objects.get(k), ex));
    }
    for (String key : removed.keySet()) {
      tally.done(key, Action.REMOVED, "", 0);
    }
    return tally.result();
  }

  /** @return the stored objects that no manifest entry references, sorted */
  public List<ObjectInfo> unreferenced() {
    Manifest m = repo.manifest();
    ObjectStore s = store(m);
    var live = liveStems(m);
    List<ObjectInfo> out = new ArrayList<>();
    for (ObjectInfo o : s.list(StoredObjects.assetsPrefix(m.repoPrefix()))) {
      if (StoredObjects.parseAsset(m.repoPrefix(), o.key()).isPresent() && !StoredObjects.referenced(live, o.key())) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * Deletes the given unreferenced objects, re-checking the manifest first so an object that
   * became referenced meanwhile is kept.
   */
  public Result cleanup(Collection<ObjectInfo> candidates, TransferListener listener) {
    Manifest m = repo.manifest();
    var live = liveStems(m);
    List<String> keys = new ArrayList<>();
    for (ObjectInfo o : candidates) {
      if (!StoredObjects.referenced(live, o.key())) {
        keys.add(o.key());
      }
    }
    var tally = new Tally(listener, keys.size(), 0, cancelled::get);
    Map<String, StorageException> failed = keys.isEmpty() ? Map.of() : store(m).delete(keys);
    for (String k : keys) {
      if (failed.containsKey(k)) {
        tally.failed(k, failed.get(k));
      } else {
        tally.done(k, Action.DELETED, "", 0);
      }
    }
    return tally.result();
  }

  private static Set<String> liveStems(Manifest m) {
    var live = new HashSet<String>();
    m.files().forEach((k, h) -> live.add(StoredObjects.stem(m.repoPrefix(), h, k)));
    return live;
  }



  // ---- ls and status -------------------------------------------------------------------

  /**
   * One tracked file as {@code ls} shows it ({@link #sizes} gives sizes on disk).
   *
   * @param key the manifest key
   * @param hash the recorded digest
   */
  public record Tracked(String key, String hash) {}

  /**
   * @param arg a path, directory or glob; {@code null} for every tracked file
   * @return the tracked files it names, sorted by key; empty when nothing is tracked there. Touches
   *     no file: listing 200,000 entries stat-ed each twice, 0.4 s of a 1.6 s {@code ls}
   */
  public List<Tracked> list(String arg) {
    Manifest m = repo.manifest();
    List<String> keys = Selection.tracked(repo, m.files(), arg);
    String[] hashes = recordedHashes(m.files(), keys);
    List<Tracked> out = new ArrayList<>(keys.size());
    for (int i = 0; i < hashes.length; i++) {
      out.add(new Tracked(keys.get(i), hashes[i]));
    }
    return out;
  }

  /**
   * @param keys keys of {@code files}, in its order (as {@link Selection} gives them)
   * @return their recorded hashes, by position, from one walk over the map: a lookup per key in
   *     its code-point order costs ~18 string comparisons, a sixth of an ls of 200,000 files, and a
   *     HashMap copy of it was the largest single item on status's main thread
   */
  private static String[] recordedHashes(NavigableMap<String, String> files, List<String> keys) {
    String[] hashes = new String[keys.size()];
    if (keys.isEmpty()) {
      return hashes;
    }
    var entries = files.tailMap(keys.getFirst(), true).entrySet().iterator();
    for (int i = 0; i < hashes.length; i++) {
      Map.Entry<String, String> e = entries.next();
      while (!e.getKey().equals(keys.get(i))) {
        e = entries.next();
      }
      hashes[i] = e.getValue();
    }
    return hashes;
  }

  /**
   * @return by position, the size of the file each key names, or -1 where it is missing or not a
   *     regular file; stat-ed in parallel (one by one, {@code ls --verbose} over 200,000 files
   *     waited 0.6 s for them)
   */
  public long[] sizes(List<String> keys) {
    long[] sizes = new long[keys.size()];
    Workers.forEach(keys.size(), settings.workers(), cancelled::get, i -> {
      try {
        var attributes = Files.readAttributes(repo.pathOf(keys.get(i)), BasicFileAttributes.class);
        sizes[i] = attributes.isRegularFile() ? attributes.size() : -1;
      } catch (IOException e) {
        sizes[i] = -1;
      }
    });
    return sizes;
  }

  /**
   * How the working copy differs from the manifest.
   *
   * @param upToDate keys whose file matches the manifest
   * @param modified keys whose file has other content
   * @param missing keys with no file
   * @param untracked files in directories that hold tracked files but that are not tracked
   */
  public record Status(List<String> upToDate, List<String> modified, List<String> missing, List<String> untracked) {
    public Status {
      // CachedKeys is immutable already; copying it would make the 200,000 strings it spares
      upToDate = upToDate instanceof CachedKeys ? upToDate : List.copyOf(upToDate);
      modified = List.copyOf(modified);
      missing = List.copyOf(missing);
      untracked = List.copyOf(untracked);
    }
  }

  /** @param arg a path, directory or glob; {@code null} for everything */
  public Status status(String arg) {
    // Checking every cached file pays only when every tracked file is asked about: 'status dir'
    // in a repository of 200,000 files would otherwise wait for 200,000 stat calls.
    preloadCache(arg == null);
    if (arg == null && HashCache.describesManifest(cacheFile(), repo.manifestPath())) {
      Status s = statusFromCache();
      if (s != null) {
        return s;
      }
    }
    // Marked before it is read, so that the cache can say later which manifest it describes.
    HashCache.Mark mark = arg == null ? HashCache.Mark.of(repo.manifestPath()) : null;
    Manifest m = repo.manifest();
    HashAlgorithm algorithm = HashAlgorithm.forName(m.hashAlgorithm());
    List<String> keys = Selection.tracked(repo, m.files(), arg);
    String[] recorded = recordedHashes(m.files(), keys);
    Map<String, Integer> dirs = directories(keys);
    // The untracked-file scan reads directories while the workers stat files: both wait on the
    // kernel, and the scan alone took a fifth of a status run over 200,000 files. It looks names
    // up in the manifest only in directories whose entry count differs from their tracked count.
    var untracked = new FutureTask<>(() -> untracked(dirs, m.files()::containsKey, null, mark != null));
    Thread.ofVirtual().name("s3lfs-untracked").start(untracked);
    HashCache cache = cache(m); // once: cache() takes this engine's lock
    // By position, not in a concurrent map: 200,000 map entries were garbage for the collector.
    Action[] state = new Action[keys.size()];
    int[] checked = new int[keys.size()]; // the cache entry found unchanged, for its save
    Workers.forEach(keys.size(), settings.workers(), cancelled::get, i -> {
      String key = keys.get(i);
      try { // no stat when the cache has checked the file, else one; missing and non-files throw
        String hex = recorded[i];
        checked[i] = cache.checkedIndex(key, hex);
        boolean same = checked[i] >= 0 || cache.hash(key, repo.pathOf(key), algorithm).hex().equals(hex);
        state[i] = same ? Action.UP_TO_DATE : Action.UPLOADED;
      } catch (IOException e) {
        state[i] = Action.FAILED;
      }
    });
    Scan scan = await(untracked);
    if (mark != null) {
      cache.saveDescribing(m.files(), m.hashAlgorithm(), mark, scan.listed(), checked); // keys: all, in order
    } else {
      saveCache(m.files().keySet());
    }
    Outcomes out = Outcomes.of(state, keys::get);
    List<String> ok = Arrays.stream(out.upToDate()).mapToObj(keys::get).toList();
    return new Status(ok, out.modified(), out.missing(), untracked(scan, out.unsure(), m.files()::containsKey));
  }

  /**
   * Per-file outcomes sorted into status's lists.
   *
   * @param upToDate positions of the files up to date: a caller whose keys are not strings yet
   *     (the cache's) need not make one for each
   * @param unsure directories where a tracked file may not exist
   */
  private record Outcomes(int[] upToDate, List<String> modified, List<String> missing, Set<String> unsure) {
    /** @param state by position: UP_TO_DATE, UPLOADED (modified), else missing (null: not examined) */
    static Outcomes of(Action[] state, java.util.function.IntFunction<String> key) {
      int[] ok = new int[state.length];
      int okCount = 0;
      List<String> modified = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      Set<String> unsure = new HashSet<>();
      for (int i = 0; i < state.length; i++) {
        // if, not a switch with 'case null': that one is an invokedynamic whose bootstrap spins
        // method-handle classes at run time (~5 ms)
        if (state[i] == Action.UP_TO_DATE) {
          ok[okCount++] = i;
        } else if (state[i] == Action.UPLOADED) {
          modified.add(key.apply(i));
        } else { // FAILED, or null: not examined (cancelled first)
          missing.add(key.apply(i));
          unsure.add(parent(key.apply(i)));
        }
      }
      return new Outcomes(Arrays.copyOf(ok, okCount), modified, missing, unsure);
    }
  }

  /**
   * Status over every tracked file from a hash cache that describes the manifest as it is
   * ({@link HashCache#describesManifest}): its entries are the manifest's files, in order, with
   * their recorded hashes, so the manifest need not be parsed, nor a string made per file.
   *
   * @return the status, or null when the loaded cache turns out not to describe the manifest
   *     (rewritten since its header was read)
   */
  private Status statusFromCache() {
    HashCache loaded = loadedCache();
    if (!loaded.describes(repo.manifestPath())) {
      return null;
    }
    // The untracked-file scan reads directories while the workers stat files, as in status().
    var untracked = new FutureTask<>(() -> untracked(loaded.directories(), loaded::holds, loaded, false));
    Thread.ofVirtual().name("s3lfs-untracked").start(untracked);
    HashCache cache = cache((String) null); // the same cache, once its stat pass has ended
    int[] stale = staleEntries(cache);
    Action[] staleState = compareStale(cache, stale);
    cache.saveForSameManifest();
    Action[] state = new Action[cache.loadedCount()];
    Arrays.fill(state, Action.UP_TO_DATE); // what the stat pass found unchanged
    for (int j = 0; j < stale.length; j++) {
      state[stale[j]] = staleState[j];
    }
    Outcomes out = Outcomes.of(state, cache::key);
    Scan scan = await(untracked);
    return new Status(new CachedKeys(cache, out.upToDate()), out.modified(), out.missing(),
        untracked(scan, out.unsure(), cache::holds));
  }

  // The loaded entries the stat pass did not find unchanged (all of them where it could not run),
  // in order.
  private static int[] staleEntries(HashCache cache) {
    int n = cache.loadedCount();
    int[] all = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (!cache.checkedUnchanged(i)) {
        all[count++] = i;
      }
    }
    return Arrays.copyOf(all, count);
  }

  // By position, each stale entry's file against the hash the manifest records (the cache
  // describes it): UP_TO_DATE, UPLOADED for other content, FAILED when missing or unreadable,
  // null when cancelled first. The file is read only if its stat changed.
  private Action[] compareStale(HashCache cache, int[] stale) {
    HashAlgorithm algorithm = HashAlgorithm.forName(cache.algorithm());
    Action[] state = new Action[stale.length];
    Workers.forEach(stale.length, settings.workers(), cancelled::get, j -> {
      int i = stale[j];
      try {
        String key = cache.key(i);
        boolean same = cache.hash(i, repo.pathOf(key), algorithm).hex().equals(cache.hex(i));
        state[j] = same ? Action.UP_TO_DATE : Action.UPLOADED;
      } catch (IOException e) {
        state[j] = Action.FAILED;
      }
    });
    return state;
  }

  /**
   * The keys of some of a hash cache's entries, each made when asked for: status over 200,000
   * files from the cache needs only how many are up to date, not 200,000 strings. Immutable.
   */
  private static final class CachedKeys extends AbstractList<String> implements RandomAccess {
    private final HashCache cache;
    private final int[] entries;

    CachedKeys(HashCache cache, int[] entries) {
      this.cache = cache;
      this.entries = entries;
    }

    @Override
    public String get(int index) {
      return cache.key(entries[index]);
    }

    @Override
    public int size() {
      return entries.length;
    }
  }

  // The untracked files found, with those of the directories the scan left for the stat pass
  // to decide: a file renamed in place, say, leaves one missing and one untracked.
  private List<String> untracked(Scan scan, Set<String> unsure, Predicate<String> tracked) {
    for (String dir : scan.sameCount()) {
      if (unsure.contains(dir)) {
        addUntracked(dir, repo.pathOf(dir).toFile().list(), tracked, scan.untracked());
      }
    }
    return List.copyOf(scan.untracked());
  }

  // Waits out a short local task; an interrupt is kept for the caller, not lost or half-handled.
  private static <T> T await(Future<T> task) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // The directories holding the keys, except the root (it holds the project's ordinary files),
  // each with how many keys it holds directly.
  private static Map<String, Integer> directories(List<String> keys) {
    Map<String, Integer> dirs = new HashMap<>();
    String last = null;
    int run = 0;
    for (String key : keys) { // sorted: a directory's files mostly come together, so few substrings
      int slash = key.lastIndexOf('/');
      if (last != null && slash == last.length() && key.startsWith(last)) {
        run++;
        continue;
      }
      if (last != null) {
        dirs.merge(last, run, Integer::sum);
      }
      last = slash > 0 ? key.substring(0, slash) : null;
      run = 1;
    }
    if (last != null) {
      dirs.merge(last, run, Integer::sum);
    }
    return dirs;
  }

  private static String parent(String key) {
    return key.substring(0, Math.max(0, key.lastIndexOf('/')));
  }

  /**
   * @param untracked the untracked files found, in code-point order
   * @param sameCount directories not examined, each with exactly as many entries as tracked files
   * @param listed directories listed with no untracked file in them, each with its mark taken
   *     before it was listed (when asked for)
   */
  private record Scan(Set<String> untracked, List<String> sameCount, Map<String, HashCache.Mark> listed) {}

  // A directory with exactly as many entries as tracked files in it has no untracked file if all
  // of those exist, which only the stat workers will know: it is left for the caller to examine
  // if one did not. Comparing every name with the manifest took a tenth of the CPU of status over
  // 200,000 files.
  //
  // A directory the cache saw listed with no untracked file in it and that has not changed since
  // holds the same names: it is not listed again (reading 200,000 names from 500 directories took
  // a fifth of the CPU of a status answered from the cache), only if one of its files is missing.
  //
  // @param listedIn the cache that describes the manifest, or null
  // @param mark whether to mark each directory before listing it, for the cache
  private Scan untracked(Map<String, Integer> dirs, Predicate<String> tracked, HashCache listedIn, boolean mark) {
    var untracked = new TreeSet<String>(Manifest.CODE_POINT_ORDER);
    List<String> sameCount = new ArrayList<>();
    Map<String, HashCache.Mark> listed = new HashMap<>();
    boolean trustDirectories = trustsDirectoryMtimes();
    dirs.forEach((dir, count) -> {
      Path path = repo.pathOf(dir);
      if (trustDirectories && listedIn != null && listedIn.listedUnchanged(dir, path)) {
        sameCount.add(dir);
        return;
      }
      HashCache.Mark before = mark && trustDirectories ? HashCache.Mark.of(path) : null;
      // Names, not paths: java.io.File.list builds no Path per entry (DirectoryStream's did, and
      // they cost more than reading the directories).
      String[] names = path.toFile().list();
      if (names != null && names.length == count) {
        sameCount.add(dir);
      } else {
        int found = untracked.size();
        addUntracked(dir, names, tracked, untracked);
        if (names == null || untracked.size() > found) {
          return; // nothing to remember: gone, or holding untracked files
        }
      }
      // As many entries as tracked files, or none of the others untracked (subdirectories,
      // scratch files): unchanged, it is as good as one with the same count.
      if (before != null) {
        listed.put(dir, before);
      }
    });
    return new Scan(untracked, sameCount, listed);
  }

  /**
   * Whether an unchanged directory mtime may stand for unchanged names: true on local file
   * systems; {@code -Ds3lfs.directoryMtimes=false} (in {@code S3LFS_JAVA_OPTS}) lists every
   * directory instead, for file systems that do not update a directory's mtime at once (NFS
   * clients may serve a cached one for up to a minute), as git's untracked cache is opt-in.
   */
  private static boolean trustsDirectoryMtimes() {
    return Boolean.parseBoolean(System.getProperty("s3lfs.directoryMtimes", "true"));
  }

  // Only the few untracked names are stat-ed. No names: a tracked directory that vanished, whose
  // files are already reported missing.
  private void addUntracked(String dir, String[] names, Predicate<String> tracked, Set<String> untracked) {
    if (names == null) {
      return;
    }
    for (String name : names) {
      String k = dir + "/" + name;
      if (!tracked.test(k) && !Repository.isInternal(k) && !isScratch(k)
          && Files.isRegularFile(repo.pathOf(k))) {
        untracked.add(k);
      }
    }
  }

  // Editor and OS droppings that would only be noise in an untracked-file report.
  private static boolean isScratch(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    return name.equals(".DS_Store") || name.equals("Thumbs.db") || name.endsWith("~") || name.endsWith(".swp")
        || name.endsWith(".tmp") || name.contains(".s3lfs-") && name.endsWith(".part");
  }

  // ---- helpers ------------------------------------------------------------------------------

  @Override
  public synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  /** Counts outcomes and forwards them to the listener. Thread-safe. */
  private static final class Tally {
    private final TransferListener listener;
    private final AtomicLong files;
    private final AtomicLong totalBytes;
    private final Map<Action, Integer> counts = new EnumMap<>(Action.class);
    private final List<Result.Failure> failures = new ArrayList<>();
    private final AtomicLong done = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    private final AtomicLong moved = new AtomicLong();
    private volatile StorageException stoppedBy;
    /** The engine's cancellation, asked by transfers between buffers. */
    private final BooleanSupplier cancelled;

    Tally(TransferListener listener, long files, long totalBytes, BooleanSupplier cancelled) {
      this.listener = listener;
      this.cancelled = cancelled;
      this.files = new AtomicLong(files);
      this.totalBytes = new AtomicLong(totalBytes);
      listener.started(new TransferListener.Progress(0, files, 0, totalBytes));
    }

    void progress(long base, long n) {
      listener.progress(new TransferListener.Progress(done.get(), files.get(), base + n, totalBytes.get()));
    }

    /** One file's transfer: its progress counted from {@code base}, stopped when cancelled. */
    Transfers.Watch watch(long base) {
      return new Transfers.Watch() {
        @Override
        public void moved(long n) {
          progress(base, n);
        }

        @Override
        public boolean cancelled() {
          return cancelled.getAsBoolean();
        }
      };
    }

    void addTotal(long n) {
      totalBytes.addAndGet(n);
    }

    /** A file that turned out not to be part of the operation (missing, left alone). */
    void skip() {
      files.decrementAndGet();
    }

    void moved(long n) {
      moved.addAndGet(n);
    }

    synchronized void done(String key, Action action, String detail, long skippedBytes) {
      counts.merge(action, 1, Integer::sum);
      long d = done.incrementAndGet();
      long b = bytes.addAndGet(skippedBytes);
      listener.file(key, action, detail);
      listener.progress(new TransferListener.Progress(d, files.get(), b, totalBytes.get()));
    }

    synchronized void failed(String key, Throwable e) {
      if (cancelled.getAsBoolean() && stoppedByCancel(e)) {
        // Not a failure: the file was in flight when the operation was cancelled, and nothing of
        // it was kept (no object, no temp file, no manifest entry). It is simply not done. Only
        // then: a CancellationException from elsewhere (a store's own cancelled request) is a
        // failure like any other, not a file silently left out of a successful run.
        skip();
        return;
      }
      // Our own failures carry their class; everything else (store, I/O) is a storage failure.
      S3lfsException.Kind kind = e instanceof S3lfsException s ? s.kind() : S3lfsException.Kind.STORAGE;
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      if (e instanceof java.nio.file.NoSuchFileException) {
        msg = "file not found: " + msg;
      } else if (!msg.contains(key)) {
        msg = key + ": " + msg;
      }
      counts.merge(Action.FAILED, 1, Integer::sum);
      done.incrementAndGet();
      listener.file(key, Action.FAILED, msg);
      StorageException whole = storeWide(e);
      if (whole != null) {
        if (stoppedBy != null) {
          return; // the same refusal again, for a file already in flight: reported once
        }
        stoppedBy = whole;
        msg += "; stopped there, as every other file would fail the same way";
      }
      failures.add(new Result.Failure(key, kind, msg, e));
    }

    // A store may wrap the CancellationException our streams throw into its own exception.
    private static boolean stoppedByCancel(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof CancellationException) {
          return true;
        }
      }
      return false;
    }

    /** @return whether a failure that every file would share stopped the operation */
    boolean stopped() {
      return stoppedBy != null;
    }

    // Failures of the store itself, not of one file: retrying file by file would only print the
    // same line thousands of times (for example 10,000 "encryption not supported").
    private static StorageException storeWide(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StorageException se) {
          return switch (se.kind()) {
            case ACCESS_DENIED, NO_CREDENTIALS, NO_SUCH_BUCKET, UNSUPPORTED, UNREACHABLE -> se;
            default -> null;
          };
        }
      }
      return null;
    }

    synchronized Result result() {
      failures.sort(java.util.Comparator.comparing(Result.Failure::key));
      return new Result(counts, failures, moved.get());
    }
  }
}
