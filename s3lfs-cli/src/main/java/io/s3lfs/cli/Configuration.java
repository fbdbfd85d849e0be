package io.s3lfs.cli;

import io.s3lfs.core.Compression;
import io.s3lfs.core.RepoConfig;
import io.s3lfs.core.S3lfsException;
import io.s3lfs.core.Settings;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Settings from every source, by precedence (DESIGN.md section 5): command-line flag, then
 * environment ({@code S3LFS_*}), then {@code .s3lfsconfig}, then the manifest (the endpoint),
 * then defaults. A boolean switched on anywhere stays on, as in the reference.
 */
final class Configuration {
  private Configuration() {}

  static Settings resolve(Commands.StoreFlags flags, Map<String, String> env, RepoConfig config) {
    Settings s = Settings.DEFAULTS;
    var store = s.store();

    boolean anonymous = flags.noSignRequest || bool(env, "S3LFS_NO_SIGN_REQUEST")
        || Boolean.TRUE.equals(config.noSignRequest());
    store = store.withAnonymous(anonymous);

    String endpoint = first(flags.endpointUrl, env.get("S3LFS_ENDPOINT_URL"), config.endpointUrl());
    if (endpoint != null) {
      store = store.withEndpointUrl(endpoint);
    }
    Boolean encryption = env.containsKey("S3LFS_ENCRYPTION") ? (Boolean) bool(env, "S3LFS_ENCRYPTION") : config.encryption();
    if (encryption != null) {
      store = store.withEncryption(encryption);
    }

    Integer workers = first(flags.workers, parse(env, "S3LFS_WORKERS", Integer::valueOf), config.workers());
    if (workers != null) {
      if (workers < 1) {
        throw new S3lfsException(S3lfsException.Kind.USAGE, "workers must be at least 1, got " + workers);
      }
      s = s.withWorkers(workers);
      store = store.withMaxConcurrency(Math.max(workers, store.maxConcurrency()));
    }
    Compression compression = first(parse(env, "S3LFS_COMPRESSION", Compression::parse), config.compression());
    if (compression != null) {
      s = s.withCompression(compression);
    }
    String codec = first(env.get("S3LFS_CODEC"), config.codec());
    Integer level = first(parse(env, "S3LFS_LEVEL", Integer::valueOf), config.level());
    if (codec != null || level != null) {
      s = s.withCodec(codec == null ? s.codec() : codec, level == null ? s.level() : level);
    }
    Long chunk = first(parse(env, "S3LFS_CHUNK_SIZE", Long::valueOf), config.chunkSize());
    if (chunk != null) {
      if (chunk < 2) {
        throw new S3lfsException(S3lfsException.Kind.USAGE, "chunk size must be at least 2 bytes, got " + chunk);
      }
      s = s.withChunkSize(chunk);
    }
    // Provider-specific settings, e.g. S3LFS_STORE_OPTIONS=s3.client=standard,s3.partSize=16777216
    String extra = env.get("S3LFS_STORE_OPTIONS");
    if (extra != null && !extra.isBlank()) {
      for (String pair : extra.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new S3lfsException(S3lfsException.Kind.USAGE,
              "S3LFS_STORE_OPTIONS must be key=value pairs separated by commas, got '" + pair + "'");
        }
        store = store.withExtra(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
    }
    return s.withStore(store);
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static boolean bool(Map<String, String> env, String name) {
    String v = env.get(name);
    if (v == null) {
      return false;
    }
    return switch (v.strip().toLowerCase(Locale.ROOT)) {
      case "1", "true", "yes", "on" -> true;
      case "0", "false", "no", "off", "" -> false;
      default -> throw new S3lfsException(S3lfsException.Kind.USAGE, name + " must be true or false, got '" + v + "'");
    };
  }

  private static <T> T parse(Map<String, String> env, String name, Function<String, T> parser) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return parser.apply(v.strip());
    } catch (NumberFormatException e) {
      throw new S3lfsException(S3lfsException.Kind.USAGE, name + " must be a number, got '" + v + "'");
    }
  }
}
