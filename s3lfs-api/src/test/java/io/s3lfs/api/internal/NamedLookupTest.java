package io.s3lfs.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NamedLookupTest {
  /** A service type of its own, so these fixtures never reach the real lookups. */
  public interface Thing {
    String name();

    default boolean usable() {
      return true;
    }
  }

  public static final class Good implements Thing {
    @Override
    public String name() {
      return "good";
    }
  }

  public static final class GoodDuplicate implements Thing {
    @Override
    public String name() {
      return "good";
    }
  }

  public static final class Other implements Thing {
    @Override
    public String name() {
      return "other";
    }
  }

  public static final class Unusable implements Thing {
    /** How often any instance was asked whether it is usable. */
    static final java.util.concurrent.atomic.AtomicInteger ASKED = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String name() {
      return "unusable";
    }

    @Override
    public boolean usable() {
      ASKED.incrementAndGet();
      return false;
    }
  }

  public static final class Broken implements Thing {
    public Broken() {
      throw new IllegalStateException("broken on purpose");
    }

    @Override
    public String name() {
      return "broken";
    }
  }

  // Tests run on the class path: serviceLoader must then be the plain loader, which finds these
  // providers through META-INF/services (the image's module-only path is exercised by LauncherIT).
  private static NamedLookup<Thing> load() {
    return NamedLookup.load(NamedLookup.serviceLoader(Thing.class), "thing", Thing::name, Thing::usable);
  }

  @Nested
  class Load {
    @Test
    void load_brokenProvider_isSkippedAndReported() {
      NamedLookup<Thing> lookup = load();

      assertThat(lookup.all()).containsOnlyKeys("good", "other");
      assertThat(lookup.problems()).anySatisfy(p -> assertThat(p)
          .contains(Broken.class.getName()).contains("broken on purpose"));
    }

    @Test
    void load_missingProviderClass_isSkippedAndReported() {
      assertThat(load().problems()).anySatisfy(p -> assertThat(p).contains("NoSuchThing"));
    }

    @Test
    void load_twoProvidersOfOneName_firstWins() {
      assertThat(load().get("good")).isInstanceOf(Good.class);
    }

    @Test
    void load_unusableProvider_isLeftOut() {
      assertThat(load().all()).doesNotContainKey("unusable");
    }

    @Test
    void known_unusableProvider_isListedWithoutAsking() {
      int before = Unusable.ASKED.get();
      NamedLookup<Thing> lookup = load();

      assertThat(lookup.known()).containsOnlyKeys("good", "unusable", "other");
      assertThat(lookup.known().get("good")).isInstanceOf(Good.class);
      assertThat(Unusable.ASKED.get()).isEqualTo(before);
    }
  }

  @Nested
  class Usable {
    @Test
    void get_otherName_doesNotAskUnusableProvider() {
      int before = Unusable.ASKED.get();
      NamedLookup<Thing> lookup = load();

      assertThat(lookup.get("good")).isInstanceOf(Good.class);
      assertThat(Unusable.ASKED.get()).as("a lookup of 'good' asked 'unusable'").isEqualTo(before);
    }

    @Test
    void get_sameNameTwice_asksOnce() {
      NamedLookup<Thing> lookup = load();
      int before = Unusable.ASKED.get();

      assertThatThrownBy(() -> lookup.get("unusable")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("available: good, other");
      lookup.all();
      lookup.get("other");

      assertThat(Unusable.ASKED.get() - before).isEqualTo(1);
    }
  }

  @Nested
  class Get {
    @Test
    void get_knownName_returnsProvider() {
      assertThat(load().get("other")).isInstanceOf(Other.class);
    }

    @Test
    void get_null_unknownNameNotNullPointer() {
      assertThatThrownBy(() -> load().get(null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown thing 'null'");
    }

    @Test
    void get_unknownName_listsAvailableNamesAndProblems() {
      assertThatThrownBy(() -> load().get("nope"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown thing 'nope'")
          .hasMessageContaining("available: good, other")
          .hasMessageContaining("broken on purpose");
    }
  }

  @Nested
  class CheckName {
    @Test
    void checkName_lettersAndDigits_isReturned() {
      assertThat(NamedLookup.checkName("sha256")).isEqualTo("sha256");
      assertThat(NamedLookup.checkName("x".repeat(127))).hasSize(127);
    }

    @Test
    void checkName_invalid_throwsNamingIt() {
      for (String bad : new String[] {"", "sha-256", "g zip", "\u00fc", "x".repeat(128)}) {
        assertThatThrownBy(() -> NamedLookup.checkName(bad)).as("'%s'", bad)
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
      }
      assertThatThrownBy(() -> NamedLookup.checkName(null)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
