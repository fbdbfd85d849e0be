package io.s3lfs.api.spi;

import io.s3lfs.api.internal.NamedLookup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;

/**
 * A compression format for stored objects. The codec owns the key suffix its objects carry
 * ({@code .gz} for gzip, none for identity, {@code .zst} for zstd) so a reader can tell the
 * format from the key alone.
 *
 * {@snippet :
 * Codec gzip = Codec.forName("gzip");
 * try (OutputStream out = gzip.encode(Files.newOutputStream(target), gzip.defaultLevel())) {
 *   Files.copy(source, out);
 * }
 * }
 *
 * <p>Implementations are stateless singletons. A codec backed by an optional library reports
 * {@link #isAvailable()} false when the library is missing and is then left out of lookups
 * ({@link #forName}, {@link #available}; {@link #known} still lists it). That answer is asked for
 * only when a codec of that name is looked up, or all are listed.
 */
public abstract class Codec {
  private final String name;

  /** @param name the persisted name: ASCII letters and digits, under 128 characters */
  protected Codec(String name) {
    this.name = NamedLookup.checkName(name);
  }

  /** @return the persisted name */
  public final String name() {
    return name;
  }

  /** @return the suffix appended to keys of objects in this format, possibly empty */
  public abstract String suffix();

  /** @return the level used when none is configured */
  public abstract int defaultLevel();

  /** @return whether everything this codec needs at run time is present */
  public boolean isAvailable() {
    return true;
  }

  /**
   * Wraps {@code out} so bytes written to the result are stored encoded. Closing the result
   * finishes the format and closes {@code out}.
   */
  public abstract OutputStream encode(OutputStream out, int level) throws IOException;

  /** Wraps {@code in} so reading the result yields the original bytes. */
  public abstract InputStream decode(InputStream in) throws IOException;

  @Override
  public String toString() {
    return name;
  }

  /**
   * @param name a persisted name such as {@code gzip}
   * @return the codec
   * @throws IllegalArgumentException listing the available names when none has this name
   */
  public static Codec forName(String name) {
    return Holder.LOOKUP.get(name);
  }

  /** @return the names of every codec that can be used */
  public static Set<String> availableNames() {
    return Holder.LOOKUP.all().keySet();
  }

  /** @return every codec that can be used, in discovery order */
  public static java.util.Collection<Codec> available() {
    return Holder.LOOKUP.all().values();
  }

  /**
   * @return every codec whose provider loaded, in discovery order, including one that cannot be
   *     used here (zstd without its library): for recognising stored objects by their suffix,
   *     which must not depend on the libraries of the machine that looks (an object judged
   *     foreign could be taken for unreferenced garbage)
   */
  public static java.util.Collection<Codec> known() {
    return Holder.LOOKUP.known().values();
  }

  private static final class Holder {
    static final NamedLookup<Codec> LOOKUP = NamedLookup.load(
        NamedLookup.serviceLoader(Codec.class), "codec", Codec::name, Codec::isAvailable);
  }
}
