package io.s3lfs.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One glob dialect for every command (the reference has three: spec section 6, item 7).
 * Patterns match {@code /}-separated keys segment by segment: {@code *} and {@code ?} never cross
 * {@code /}; {@code [abc]}, {@code [a-z]} and {@code [!a]} match one character; a segment that is
 * exactly {@code **} matches zero or more whole segments. As in a shell, a wildcard does not match
 * a leading dot unless the pattern segment starts with one.
 */
public final class Glob {
  private final String pattern;
  private final List<Pattern> segments; // null element = "**"

  private Glob(String pattern, List<Pattern> segments) {
    this.pattern = pattern;
    this.segments = segments;
  }

  /** @return whether {@code s} contains glob syntax ({@code * ? [}) */
  public static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  /** @return the compiled pattern */
  public static Glob compile(String pattern) {
    List<Pattern> parts = new ArrayList<>();
    for (String seg : pattern.split("/", -1)) {
      if (seg.equals("**")) {
        if (parts.isEmpty() || parts.getLast() != null) {
          parts.add(null);
        }
      } else {
        parts.add(Pattern.compile(segmentRegex(seg)));
      }
    }
    return new Glob(pattern, parts);
  }

  /** @return the leading segments that hold no glob syntax, joined by {@code /} */
  public static String literalPrefix(String pattern) {
    String[] segs = pattern.split("/", -1);
    var prefix = new StringBuilder();
    for (int i = 0; i < segs.length - 1 && !isGlob(segs[i]); i++) {
      if (!prefix.isEmpty()) {
        prefix.append('/');
      }
      prefix.append(segs[i]);
    }
    return prefix.toString();
  }

  /** @return whether {@code key} matches */
  public boolean matches(String key) {
    return match(key.split("/", -1), 0, 0);
  }

  private boolean match(String[] key, int k, int s) {
    while (s < segments.size()) {
      Pattern p = segments.get(s);
      if (p == null) {
        if (s == segments.size() - 1) {
          return true;
        }
        for (int skip = k; skip < key.length; skip++) {
          if (match(key, skip, s + 1)) {
            return true;
          }
        }
        return false;
      }
      if (k >= key.length || !p.matcher(key[k]).matches()) {
        return false;
      }
      k++;
      s++;
    }
    return k == key.length;
  }

  private static String segmentRegex(String seg) {
    var re = new StringBuilder();
    if (!seg.startsWith(".") && !seg.isEmpty() && "*?[".indexOf(seg.charAt(0)) >= 0) {
      re.append("(?!\\.)");
    }
    for (int i = 0; i < seg.length(); i++) {
      char c = seg.charAt(i);
      switch (c) {
        case '*' -> re.append("[^/]*");
        case '?' -> re.append("[^/]");
        case '[' -> {
          int close = seg.indexOf(']', i + 2);
          if (close < 0) {
            re.append("\\[");
          } else {
            String body = seg.substring(i + 1, close);
            re.append('[');
            if (body.startsWith("!")) {
              re.append('^');
              body = body.substring(1);
            }
            for (char b : body.toCharArray()) {
              if (b == '\\' || b == '[' || b == ']' || b == '^' || b == '&') {
                re.append('\\');
              }
              re.append(b);
            }
            re.append(']');
            i = close;
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  @Override
  public String toString() {
    return pattern;
  }
}
