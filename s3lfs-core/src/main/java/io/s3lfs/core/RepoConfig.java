package io.s3lfs.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The repository's committed settings, {@code .s3lfsconfig} at the root: YAML with the
 * reference's keys (spec 3.8) plus {@code chunk_size}, {@code codec} and {@code level}. Every
 * value is optional ({@code null} when absent). Unknown keys are an error, so a typo never
 * silently does nothing.
 *
 * @param noSignRequest send anonymous requests
 * @param endpointUrl S3-compatible endpoint
 * @param workers files transferred at once
 * @param compression when to compress
 * @param encryption send the SSE-AES256 header
 * @param chunkSize objects above this size are stored in pieces
 * @param codec compression codec name
 * @param level compression level
 */
public record RepoConfig(Boolean noSignRequest, String endpointUrl, Integer workers, Compression compression,
    Boolean encryption, Long chunkSize, String codec, Integer level) {

  /** The file name, at the repository root. */
  public static final String FILE_NAME = ".s3lfsconfig";

  /** No settings. */
  public static final RepoConfig EMPTY = new RepoConfig(null, null, null, null, null, null, null, null);

  private static final Set<String> KEYS = new TreeSet<>(Set.of("no_sign_request", "use_acceleration",
      "endpoint_url", "workers", "compression", "encryption", "chunk_size", "codec", "level"));

  /**
   * @param root the repository root
   * @return the settings, {@link #EMPTY} when there is no file
   * @throws S3lfsException USAGE naming the key for unknown keys and bad values
   */
  public static RepoConfig load(Path root) {
    Path file = root.resolve(FILE_NAME);
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      return EMPTY;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Object doc;
    try {
      doc = new Load(LoadSettings.builder().setLabel(FILE_NAME).build()).loadFromString(text);
    } catch (YamlEngineException e) {
      throw S3lfsException.usage(FILE_NAME + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (doc == null) {
      return EMPTY;
    }
    if (!(doc instanceof Map<?, ?> map)) {
      throw S3lfsException.usage(FILE_NAME + " must be a mapping of key: value lines");
    }
    var unknown = new TreeSet<String>();
    map.keySet().forEach(k -> {
      if (!KEYS.contains(String.valueOf(k))) {
        unknown.add(String.valueOf(k));
      }
    });
    if (!unknown.isEmpty()) {
      throw S3lfsException.usage("unknown key(s) in " + FILE_NAME + ": " + String.join(", ", unknown)
          + "; known keys: " + String.join(", ", KEYS));
    }
    if (Boolean.TRUE.equals(bool(map, "use_acceleration"))) {
      throw S3lfsException.usage("use_acceleration in " + FILE_NAME
          + " is not supported yet; remove it or set it to false");
    }
    Object comp = map.get("compression");
    return new RepoConfig(bool(map, "no_sign_request"), str(map, "endpoint_url"), integer(map, "workers", 1),
        comp == null ? null : Compression.parse(String.valueOf(comp)), bool(map, "encryption"),
        map.get("chunk_size") == null ? null : (long) number(map, "chunk_size", 2), str(map, "codec"),
        integer(map, "level", -1));
  }

  private static Boolean bool(Map<?, ?> map, String key) {
    Object v = map.get(key);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    // YAML 1.2 reads yes/no/on/off as strings; PyYAML (YAML 1.1) reads them as booleans.
    return switch (String.valueOf(v).toLowerCase(Locale.ROOT)) {
      case "yes", "on", "true" -> true;
      case "no", "off", "false" -> false;
      default -> throw S3lfsException.usage(key + " in " + FILE_NAME + " must be true or false, got '" + v + "'");
    };
  }

  private static String str(Map<?, ?> map, String key) {
    Object v = map.get(key);
    return v == null ? null : String.valueOf(v);
  }

  private static Integer integer(Map<?, ?> map, String key, long min) {
    return map.get(key) == null ? null : Math.toIntExact(number(map, key, min));
  }

  private static long number(Map<?, ?> map, String key, long min) {
    Object v = map.get(key);
    if (v instanceof Number n && n.longValue() >= min && !(v instanceof Double)) {
      return n.longValue();
    }
    throw S3lfsException.usage(key + " in " + FILE_NAME + " must be a whole number >= " + min + ", got '" + v + "'");
  }
}
