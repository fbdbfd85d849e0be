package io.s3lfs.s3.internal;

import io.s3lfs.api.ObjectInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of a ListObjectsV2 answer, read by a scanner that knows only what a listing holds.
 *
 * <p>Why not the SDK's unmarshaller: it builds an XML event stream, a DOM and a model object per
 * key, and parses every LastModified date; that was the one listing's cost in a checkout of
 * 2,000 files (about 130 ms of CPU, a good part of it compiling the XML parser), and this store
 * needs only keys, sizes and where the next page starts. The scanner gives up (returns
 * {@code null}, and the SDK reads the page instead) on anything beyond the plain form S3 sends:
 * comments, CDATA, attributes on the elements it reads, an entity it does not know, a
 * {@code Contents} without a key or size.
 *
 * @param objects the page's objects, keys decoded
 * @param next the continuation token of the next page, or {@code null} when this is the last
 */
record ListPage(List<ObjectInfo> objects, String next) {
  /**
   * @param body the answer's bytes; asked for with {@code encoding-type=url}, so keys arrive
   *     percent-encoded (a space as {@code +}) when the server honours it, which it says with
   *     {@code <EncodingType>url</EncodingType>}, and raw when it does not
   * @return the page, or {@code null} when the scanner is not sure it read it right
   */
  static ListPage parse(byte[] body) {
    String xml = new String(body, StandardCharsets.UTF_8);
    int at = xml.indexOf("<ListBucketResult");
    if (at < 0 || xml.indexOf("<!", at) >= 0 || xml.indexOf("<?", at) >= 0) {
      return null;
    }
    List<String> keys = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    String truncated = null;
    String next = null;
    String encoding = null;
    boolean inContents = false;
    String key = null;
    long size = -1;
    while (true) {
      int lt = xml.indexOf('<', at);
      if (lt < 0) {
        break;
      }
      int gt = xml.indexOf('>', lt);
      if (gt < 0) {
        return null;
      }
      String tag = xml.substring(lt + 1, gt);
      at = gt + 1;
      switch (tag) {
        case "Contents" -> {
          if (inContents) {
            return null;
          }
          inContents = true;
          key = null;
          size = -1;
        }
        case "/Contents" -> {
          if (!inContents || key == null || size < 0) {
            return null;
          }
          keys.add(key);
          sizes.add(size);
          inContents = false;
        }
        case "Key", "Size", "IsTruncated", "NextContinuationToken", "EncodingType" -> {
          int end = xml.indexOf("</" + tag + ">", at);
          if (end < 0) {
            return null;
          }
          String text = unescape(xml.substring(at, end));
          if (text == null) {
            return null;
          }
          at = end + tag.length() + 3;
          boolean object = tag.equals("Key") || tag.equals("Size");
          if (object != inContents) {
            return null; // a key outside an object, or a page field inside one
          }
          switch (tag) {
            case "Key" -> key = text;
            case "Size" -> size = parseSize(text);
            case "IsTruncated" -> truncated = text;
            case "NextContinuationToken" -> next = text;
            default -> encoding = text;
          }
        }
        default -> {
          // Another element (Name, LastModified, ETag, Owner, ...): its text is skipped.
        }
      }
    }
    if (inContents || encoding != null && !encoding.equals("url")) {
      return null;
    }
    boolean more;
    if ("true".equals(truncated)) {
      more = true;
    } else if ("false".equals(truncated)) {
      more = false;
    } else {
      return null;
    }
    if (more && (next == null || next.isEmpty())) {
      return null;
    }
    List<ObjectInfo> objects = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      String k = keys.get(i);
      if (encoding != null && (k = formDecode(k)) == null) {
        return null;
      }
      objects.add(new ObjectInfo(k, sizes.get(i)));
    }
    // Like the reference: the next page only while IsTruncated is exactly true (spec 3.14).
    return new ListPage(List.copyOf(objects), more ? next : null);
  }

  /**
   * Decodes S3's {@code encoding-type=url} form: {@code +} is a space, {@code %XX} a byte, and
   * the bytes UTF-8. Unlike {@link java.net.URLDecoder}, which puts U+FFFD in place of bytes that
   * are not UTF-8, a key that does not decode is refused rather than silently changed.
   *
   * @return the key, or null
   */
  static String formDecode(String encoded) {
    if (encoded.indexOf('%') < 0 && encoded.indexOf('+') < 0) {
      return encoded;
    }
    var bytes = new java.io.ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
        if (lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return null; // the encoding leaves only ASCII
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  private static long parseSize(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** @return the text with XML's five entities and character references replaced, or null */
  static String unescape(String text) {
    if (text.indexOf('<') >= 0) {
      return null; // markup inside: not the plain text element S3 sends
    }
    int amp = text.indexOf('&');
    if (amp < 0) {
      return text;
    }
    var out = new StringBuilder(text.length());
    int from = 0;
    while (amp >= 0) {
      out.append(text, from, amp);
      int semi = text.indexOf(';', amp);
      if (semi < 0) {
        return null;
      }
      String name = text.substring(amp + 1, semi);
      switch (name) {
        case "amp" -> out.append('&');
        case "lt" -> out.append('<');
        case "gt" -> out.append('>');
        case "quot" -> out.append('"');
        case "apos" -> out.append('\'');
        default -> {
          if (!name.startsWith("#") || name.length() < 2) {
            return null;
          }
          try {
            int cp = name.charAt(1) == 'x'
                ? Integer.parseInt(name.substring(2), 16)
                : Integer.parseInt(name.substring(1));
            out.appendCodePoint(cp);
          } catch (IllegalArgumentException e) { // NumberFormatException, or not a code point
            return null;
          }
        }
      }
      from = semi + 1;
      amp = text.indexOf('&', from);
    }
    out.append(text, from, text.length());
    return out.toString();
  }
}
