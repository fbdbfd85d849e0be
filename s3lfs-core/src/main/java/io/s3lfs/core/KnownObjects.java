package io.s3lfs.core;

import io.s3lfs.api.ObjectInfo;
import io.s3lfs.api.spi.ObjectStore;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Answers "which objects start with this stem?" during a track: by one listing per stem when few
 * files are new, or from a single listing of the whole assets prefix when many are, so that
 * checking thousands of new small files does not cost a request each.
 */
interface KnownObjects {
  /** Asks the store for each stem. */
  KnownObjects PER_STEM = ObjectStore::list;

  /** Listing pages hold 1,000 keys; list everything when that is fewer requests than per file. */
  int PAGE = 1000;

  /** @return the objects whose keys start with {@code stem}, sorted */
  List<ObjectInfo> objects(ObjectStore store, String stem);

  /**
   * @param newFiles files that need a lookup
   * @param tracked entries in the manifest, an estimate of the objects under the prefix
   */
  static KnownObjects choose(int newFiles, int tracked, Supplier<ObjectStore> store, String assetsPrefix) {
    if ((long) newFiles * PAGE <= tracked + PAGE || newFiles < 16) {
      return PER_STEM;
    }
    NavigableMap<String, ObjectInfo> all = new TreeMap<>();
    for (ObjectInfo o : store.get().list(assetsPrefix)) {
      all.put(o.key(), o);
    }
    return (s, stem) -> List.copyOf(all.subMap(stem, true, stem + Character.MAX_VALUE, true).values());
  }
}
