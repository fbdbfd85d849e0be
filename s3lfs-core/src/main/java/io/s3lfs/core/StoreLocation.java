package io.s3lfs.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * Where a repository's objects live, as written in the manifest's {@code bucket_name}: a plain
 * bucket name (S3, as the Python tool writes it) or a URI with a scheme
 * ({@code s3://bucket}, {@code file:///srv/store}).
 *
 * @param uri the store URI; for S3 {@code s3://bucket}
 */
public record StoreLocation(URI uri) {
  // S3 bucket naming rules, loosely: 3-63 of lowercase letters, digits, dots and hyphens.
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-_]{1,61}[a-z0-9]");

  /**
   * @param location a bucket name or a store URI
   * @return the location
   * @throws S3lfsException USAGE when it is neither
   */
  public static StoreLocation parse(String location) {
    if (location.contains("://")) {
      try {
        URI uri = new URI(location);
        if (uri.getScheme() == null) {
          throw S3lfsException.usage("store URI '" + location + "' has no scheme");
        }
        if (uri.getScheme().equals("file") && (uri.getPath() == null || !uri.getPath().startsWith("/"))) {
          throw S3lfsException.usage("file store URI '" + location
              + "' must be absolute, for example file:///srv/s3lfs-store");
        }
        return new StoreLocation(uri);
      } catch (URISyntaxException e) {
        throw S3lfsException.usage("invalid store URI '" + location + "': " + e.getReason());
      }
    }
    if (!BUCKET.matcher(location).matches()) {
      throw S3lfsException.usage("invalid bucket name '" + location
          + "': use an S3 bucket name (3-63 lowercase letters, digits, '.', '-') or a URI such as file:///srv/store");
    }
    return new StoreLocation(URI.create("s3://" + location));
  }

  /** @return the URI scheme: {@code s3} or {@code file} (or a plugin's) */
  public String scheme() {
    return uri.getScheme();
  }
}
