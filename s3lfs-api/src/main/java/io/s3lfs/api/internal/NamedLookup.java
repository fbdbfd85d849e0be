package io.s3lfs.api.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
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
  private final Map<String, T> byName;
  private final List<String> problems;

  private NamedLookup(String what, Map<String, T> byName, List<String> problems) {
    this.what = what;
    this.byName = Collections.unmodifiableMap(byName);
    this.problems = List.copyOf(problems);
  }

  /**
   * @param loader the service loader, created in the module that declares {@code uses}
   * @param what a human name for the kind of provider, such as "hash algorithm"
   * @param nameOf the provider's lookup name
   * @param usable whether a loaded provider can be used (a codec whose library is absent cannot)
   */
  public static <T> NamedLookup<T> load(
      ServiceLoader<T> loader, String what, Function<T, String> nameOf, Predicate<T> usable) {
    Map<String, T> byName = new LinkedHashMap<>();
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
        if (!usable.test(instance)) {
          continue;
        }
        String name = nameOf.apply(instance);
        T previous = byName.putIfAbsent(name, instance);
        if (previous != null && previous.getClass() != instance.getClass()) {
          log().log(System.Logger.Level.DEBUG, "two {0} providers named {1}: using {2}, ignoring {3}",
              what, name, previous.getClass().getName(), instance.getClass().getName());
        }
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        problems.add(report(what, provider.type().getName(), e));
      }
    }
    return new NamedLookup<>(what, byName, problems);
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
    T found = byName.get(name);
    if (found == null) {
      StringBuilder msg = new StringBuilder()
          .append("unknown ").append(what).append(" '").append(name).append("'; available: ")
          .append(byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))
          .append(". Add the jar or module that provides it to the module path.");
      for (String problem : problems) {
        msg.append(" (").append(problem).append(')');
      }
      throw new IllegalArgumentException(msg.toString());
    }
    return found;
  }

  /** @return every usable provider, in discovery order */
  public Map<String, T> all() {
    return byName;
  }

  /** @return the providers that failed to load, one line each */
  public List<String> problems() {
    return problems;
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
