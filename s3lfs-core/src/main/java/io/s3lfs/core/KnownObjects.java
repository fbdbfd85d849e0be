package io.s3lfs.core;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.spi.ObjectStore;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Answers "which objects start with this stem?" during a track or checkout: by one listing per
 * stem when few files need it, or from a single listing of the whole assets prefix when many do,
 * so that thousands of small files do not cost a request each.
 */
interface KnownObjects {
  /** Asks the store for each stem. */
  KnownObjects PER_STEM = ObjectStore::list;

  /** Listing pages hold 1,000 keys; list everything when that is fewer requests than per file. */
  int PAGE = 1000;

  /**
   * @return the objects whose keys start with {@code stem}, sorted
   * @throws io.s3lfs.api.StorageException when the listing that would answer failed
   */
  List<ObjectInfo> objects(ObjectStore store, String stem);

  /**
   * @param newFiles files that need a lookup
   * @param tracked entries in the manifest, an estimate of the objects under the prefix
   * @param assetsPrefix the prefix of every stem: stems are {@code assetsPrefix + hash + "/" + path}
   */
  static KnownObjects choose(int newFiles, int tracked, Supplier<ObjectStore> store, String assetsPrefix) {
    if ((long) newFiles * PAGE <= tracked + PAGE || newFiles < 16) {
      return PER_STEM;
    }
    return Listing.start(store.get(), assetsPrefix);
  }

  /**
   * One listing of the assets prefix, read on a virtual thread while the callers work: a stem is
   * answered as soon as the listing has gone past its hash's directory, not when the last page
   * arrives (S3 lists 1,000 keys a request, one request after another; work taken in stem order
   * can start on the first page). Waiting is on this object's monitor, only while pages arrive.
   */
  final class Listing implements KnownObjects {
    private final String assetsPrefix;
    private final NavigableMap<String, ObjectInfo> seen = new TreeMap<>();
    private String last; // the greatest key listed so far; guarded by this
    private boolean complete; // guarded by this
    private RuntimeException failure; // guarded by this

    private Listing(String assetsPrefix) {
      this.assetsPrefix = assetsPrefix;
    }

    /**
     * Starts the listing and returns once its first page is in, so that a listing that cannot
     * start at all (no such bucket, access denied) fails the command once, as before, rather than
     * every file.
     */
    static Listing start(ObjectStore store, String assetsPrefix) {
      var listing = new Listing(assetsPrefix);
      Thread.ofVirtual().name("s3lfs-listing").start(() -> {
        RuntimeException failure = null;
        try {
          store.list(assetsPrefix, listing::add);
        } catch (RuntimeException e) {
          failure = e;
        } catch (Error e) { // whatever happens, the listing ends: nobody may wait for it forever
          failure = new IllegalStateException("listing " + assetsPrefix + " failed: " + e, e);
          throw e;
        } finally {
          listing.end(failure);
        }
      });
      synchronized (listing) {
        listing.awaitUninterruptibly(() -> listing.last != null || listing.complete);
        if (listing.failure != null && listing.last == null) {
          throw listing.failure;
        }
      }
      return listing;
    }

    private synchronized void add(List<ObjectInfo> page) {
      for (ObjectInfo o : page) {
        seen.put(o.key(), o);
      }
      if (!page.isEmpty()) {
        last = page.getLast().key();
      }
      notifyAll();
    }

    private synchronized void end(RuntimeException e) {
      complete = true;
      failure = e;
      notifyAll();
    }

    @Override
    public synchronized List<ObjectInfo> objects(ObjectStore store, String stem) {
      String dir = hashDirectory(stem);
      awaitUninterruptibly(() -> complete || past(dir));
      if (!past(dir) && failure != null) {
        throw failure;
      }
      return List.copyOf(seen.subMap(stem, true, stem + Character.MAX_VALUE, true).values());
    }

    /**
     * Whether the listing went past every key under {@code dir}. Decided on the hash's directory,
     * which is ASCII, rather than on the stem: servers agree on the order of ASCII prefixes, not
     * all on the order of other characters in the paths after them.
     */
    private boolean past(String dir) {
      return last != null && last.compareTo(dir) > 0 && !last.startsWith(dir);
    }

    // assetsPrefix + hash + "/"; a stem of another shape is answered only by the whole listing.
    private String hashDirectory(String stem) {
      int slash = stem.startsWith(assetsPrefix) ? stem.indexOf('/', assetsPrefix.length()) : -1;
      return slash < 0 ? stem + Character.MAX_VALUE : stem.substring(0, slash + 1);
    }

    // Engine's cancellation is a flag, never an interrupt (file channels close on interrupts);
    // one that arrives anyway is kept for the caller.
    private void awaitUninterruptibly(java.util.function.BooleanSupplier done) {
      boolean interrupted = false;
      while (!done.getAsBoolean()) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
