package io.s3lfs.api.spi;

import io.s3lfs.api.StoreOptions;
import io.s3lfs.api.internal.NamedLookup;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Opens {@link ObjectStore}s for one URI scheme ({@code s3}, {@code file}), like a
 * {@link java.nio.file.spi.FileSystemProvider}. The constructor only assigns fields; clients and
 * connection pools are created by {@link #open}.
 */
public interface ObjectStoreProvider {
  /** @return the URI scheme this provider serves, lowercase */
  String scheme();

  /**
   * @param uri the store location, for example {@code s3://bucket} or {@code file:///srv/store}
   * @param options connection settings
   * @return an open store; the caller closes it
   * @throws io.s3lfs.api.StorageException when the store cannot be opened
   */
  ObjectStore open(URI uri, StoreOptions options);

  /**
   * @param scheme a URI scheme
   * @return the provider serving it
   * @throws IllegalArgumentException listing the available schemes when none serves it
   */
  static ObjectStoreProvider forScheme(String scheme) {
    return Lookup.LOOKUP.get(scheme.toLowerCase(Locale.ROOT));
  }

  /** @return every scheme that a loaded provider serves */
  static Set<String> availableSchemes() {
    return Lookup.LOOKUP.all().keySet();
  }

  /** Lazy holder for the provider table. */
  final class Lookup {
    private Lookup() {}

    static final NamedLookup<ObjectStoreProvider> LOOKUP = NamedLookup.load(
        NamedLookup.serviceLoader(ObjectStoreProvider.class), "object store scheme",
        ObjectStoreProvider::scheme, p -> true);
  }
}
