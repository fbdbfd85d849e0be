package io.s3lfs.api.spi;

import io.s3lfs.api.internal.NamedLookup;
import java.util.Set;

/**
 * A content hash used to address stored objects, looked up by the name persisted in the
 * manifest ({@code sha256}, {@code md5}).
 *
 * {@snippet :
 * Hasher hasher = HashAlgorithm.forName("sha256").newHasher();
 * hasher.update(ByteBuffer.wrap(bytes));
 * String hex = hasher.finish().hex();
 * }
 *
 * <p>Implementations are stateless singletons with a public no-argument constructor that only
 * assigns fields.
 */
public abstract class HashAlgorithm {
  private final String name;

  /** @param name the persisted name: ASCII letters and digits, under 128 characters */
  protected HashAlgorithm(String name) {
    this.name = NamedLookup.checkName(name);
  }

  /** @return the persisted name */
  public final String name() {
    return name;
  }

  /** @return the digest length in bytes */
  public abstract int digestLength();

  /** @return a new hasher */
  public abstract Hasher newHasher();

  @Override
  public String toString() {
    return name;
  }

  /**
   * @param name a persisted name such as {@code sha256}
   * @return the algorithm
   * @throws IllegalArgumentException listing the available names when none has this name
   */
  public static HashAlgorithm forName(String name) {
    return Holder.LOOKUP.get(name);
  }

  /** @return the names of every algorithm that can be used */
  public static Set<String> availableNames() {
    return Holder.LOOKUP.all().keySet();
  }

  // Lazy holder: loading providers from the class initializer of HashAlgorithm itself would
  // deadlock when a provider's initialization touches HashAlgorithm (Lucene's lesson).
  private static final class Holder {
    static final NamedLookup<HashAlgorithm> LOOKUP = NamedLookup.load(
        NamedLookup.serviceLoader(HashAlgorithm.class), "hash algorithm", HashAlgorithm::name, a -> true);
  }
}
