package io.s3lfs.api.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Loads every provider of one service type once, keyed by name. A provider that fails to load is
 * remembered as a problem (and logged) instead of breaking the lookup of the others; the first
 * provider for a name wins, as in Lucene's NamedSPILoader. Not exported.
 *
 * @param <T> the service type
 */
public final class NamedLookup<T> {
  private final String what;
  /** Every provider that loaded, by name, in discovery order; not yet asked whether usable. */
  private final Map<String, List<T>> candidates;
  private final Predicate<T> usable;
  private final List<String> problems;
  /** Per name asked about: its first usable provider, or {@link #NONE}. */
  private final Map<String, Object> resolved = new ConcurrentHashMap<>();
  /** Every usable provider, first per name; built on first use (see {@link #all}). */
  private volatile Map<String, T> all;
  private static final Object NONE = new Object();
  /** The first provider that loaded per name, usable or not. */
  private final Map<String, T> known;

  private NamedLookup(String what, Map<String, List<T>> candidates, Predicate<T> usable, List<String> problems) {
    this.what = what;
    this.candidates = candidates;
    Map<String, T> first = new LinkedHashMap<>();
    candidates.forEach((name, found) -> first.put(name, found.getFirst()));
    this.known = Collections.unmodifiableMap(first);
    this.usable = usable;
    this.problems = problems;
  }

  /**
   * @param loader the service loader, created in the module that declares {@code uses}
   * @param what a human name for the kind of provider, such as "hash algorithm"
   * @param nameOf the provider's lookup name
   * @param usable whether a loaded provider can be used (a codec whose library is absent cannot);
   *     asked only when a provider of that name is looked up, or all are listed, since the
   *     answer can be costly (zstd's loads a native library, which a checkout of gzip-coded
   *     files need not pay)
   */
  public static <T> NamedLookup<T> load(
      ServiceLoader<T> loader, String what, Function<T, String> nameOf, Predicate<T> usable) {
    Map<String, List<T>> candidates = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    var it = loader.stream().iterator();
    while (true) {
      ServiceLoader.Provider<T> provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError e) {
        problems.add(report(what, "?", e));
        continue;
      }
      try {
        T instance = provider.get();
        candidates.computeIfAbsent(nameOf.apply(instance), n -> new ArrayList<>(1)).add(instance);
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        problems.add(report(what, provider.type().getName(), e));
      }
    }
    return new NamedLookup<>(what, candidates, usable, Collections.synchronizedList(problems));
  }

  /**
   * A service loader for one of the API's services (this module declares {@code uses} for each).
   * When everything runs as modules of the boot layer with no class path, as in the jlink image,
   * it asks only the boot layer's modules: the class-path half of a plain
   * {@link ServiceLoader#load(Class)} can find nothing there (providers in named modules are
   * declared in their descriptors), yet it asks every module on the module path for a
   * {@code META-INF/services} file, about 19 ms per lookup over the image's 61 jars (a fifteenth
   * of the main thread's work in a {@code status} over 200,000 files). Anywhere else (a class
   * path, a context class loader of the embedder's own) it is the plain loader, unchanged.
   */
  public static <T> ServiceLoader<T> serviceLoader(Class<T> service) {
    boolean modulesOnly = service.getModule().isNamed()
        && service.getModule().getLayer() == ModuleLayer.boot()
        && System.getProperty("java.class.path", "").isEmpty()
        && Thread.currentThread().getContextClassLoader() == ClassLoader.getSystemClassLoader();
    return modulesOnly ? ServiceLoader.load(ModuleLayer.boot(), service) : ServiceLoader.load(service);
  }

  // The first usable provider of a name, or null. A provider whose check fails is a problem.
  private T firstUsable(String name, List<T> found) {
    T first = null;
    for (T instance : found) {
      boolean ok;
      try {
        ok = usable.test(instance);
      } catch (RuntimeException | LinkageError e) {
        problems.add(report(what, instance.getClass().getName(), e));
        continue;
      }
      if (!ok) {
        continue;
      }
      if (first == null) {
        first = instance;
      } else if (first.getClass() != instance.getClass()) {
        log().log(System.Logger.Level.DEBUG, "two {0} providers named {1}: using {2}, ignoring {3}",
            what, name, first.getClass().getName(), instance.getClass().getName());
      }
    }
    return first;
  }

  private static String report(String what, String type, Throwable e) {
    // ServiceConfigurationError says only "could not be instantiated"; the reason a user can act
    // on (a missing class, a failing constructor) is its innermost cause.
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String line = "could not load " + what + " provider " + type + ": " + e.getMessage()
        + (root == e ? "" : " (caused by " + root + ")");
    log().log(System.Logger.Level.WARNING, line);
    return line;
  }

  /**
   * @return the provider registered under {@code name}
   * @throws IllegalArgumentException naming the available providers when there is none
   */
  public T get(String name) {
    T found = resolve(name);
    if (found == null) {
      StringBuilder msg = new StringBuilder()
          .append("unknown ").append(what).append(" '").append(name).append("'; available: ")
          .append(all().isEmpty() ? "none" : String.join(", ", all().keySet()))
          .append(". Add the jar or module that provides it to the module path.");
      for (String problem : problems()) {
        msg.append(" (").append(problem).append(')');
      }
      throw new IllegalArgumentException(msg.toString());
    }
    return found;
  }

  // Only this name's providers are asked whether they are usable, once.
  @SuppressWarnings("unchecked")
  private T resolve(String name) {
    if (name == null) {
      return null; // unknown, as before: a ConcurrentHashMap takes no null key
    }
    Object found = resolved.computeIfAbsent(name, n -> {
      List<T> named = candidates.get(n);
      T first = named == null ? null : firstUsable(n, named);
      return first == null ? NONE : first;
    });
    return found == NONE ? null : (T) found;
  }

  /** @return every usable provider, in discovery order */
  public Map<String, T> all() {
    Map<String, T> result = all;
    if (result == null) {
      Map<String, T> usableByName = new LinkedHashMap<>();
      for (String name : candidates.keySet()) {
        T first = resolve(name);
        if (first != null) {
          usableByName.put(name, first);
        }
      }
      all = result = Collections.unmodifiableMap(usableByName); // racing callers build equal maps
    }
    return result;
  }

  /**
   * @return every provider that loaded, first per name, in discovery order, without asking
   *     whether it is usable here: for recognising what another machine may have written (a
   *     stored object's codec suffix) where only the name matters
   */
  public Map<String, T> known() {
    return known;
  }

  /** @return the providers that failed to load or to say whether they are usable, one line each */
  public List<String> problems() {
    all(); // every provider asked, so that its failure is among them
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  /**
   * Checks a provider name: ASCII letters and digits, under 128 characters, as Lucene does,
   * because names are persisted in manifests and keys.
   */
  public static String checkName(String name) {
    if (name == null || name.isEmpty() || name.length() >= 128 || !name.chars().allMatch(c -> c < 128
        && Character.isLetterOrDigit(c))) {
      throw new IllegalArgumentException(
          "provider names must be 1-127 ASCII letters or digits, got '" + name + "'");
    }
    return name;
  }

  // On use, not in a static field: the first getLogger starts the JDK's logging, ~25 ms of start-up.
  private static System.Logger log() {
    return System.getLogger(NamedLookup.class.getName());
  }
}
