package io.s3lfs.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
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
      URI uri;
      try {
        uri = new URI(location);
      } catch (URISyntaxException e) {
        uri = quotedFileUri(location).orElseThrow(
            () -> S3lfsException.usage("invalid store URI '" + location + "': " + e.getReason()));
      }
      if (uri.getScheme() == null) {
        throw S3lfsException.usage("store URI '" + location + "' has no scheme");
      }
      if (uri.getScheme().equals("file")) {
        if (uri.getRawAuthority() != null) { // file://./store, file://server/share: not a local path
          throw S3lfsException.usage("file store URI '" + location + "' has a host part ('" + uri.getRawAuthority()
              + "'); a local store is file:// followed by an absolute path, for example file:///srv/s3lfs-store");
        }
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
          throw S3lfsException.usage("file store URI '" + location
              + "' must be absolute, for example file:///srv/s3lfs-store");
        }
      }
      return new StoreLocation(uri);
    }
    if (!BUCKET.matcher(location).matches()) {
      throw S3lfsException.usage("invalid bucket name '" + location
          + "': use an S3 bucket name (3-63 lowercase letters, digits, '.', '-') or a URI such as file:///srv/store");
    }
    return new StoreLocation(URI.create("s3://" + location));
  }

  /**
   * @param location a bucket name or a store URI, as a user typed it
   * @return what the manifest records: the location itself, except that a {@code file://} path
   *     typed with spaces or other characters a URI must quote is recorded quoted
   *     ({@code file:///srv/my%20store}), so every later command reads it as it is
   * @throws S3lfsException USAGE when it is neither a bucket name nor a store URI
   */
  public static String canonical(String location) {
    StoreLocation parsed = parse(location);
    return "file".equals(parsed.scheme()) ? parsed.uri().toString() : location;
  }

  // file:///My Drive/store, typed as a path: the URI with its path quoted, if that is all it lacked.
  private static Optional<URI> quotedFileUri(String location) {
    String prefix = "file://";
    if (!location.regionMatches(true, 0, prefix, 0, prefix.length())
        || !location.startsWith("/", prefix.length())) {
      return Optional.empty();
    }
    try {
      return Optional.of(new URI("file", "", location.substring(prefix.length()), null, null));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** @return the URI scheme: {@code s3} or {@code file} (or a plugin's) */
  public String scheme() {
    return uri.getScheme();
  }
}
