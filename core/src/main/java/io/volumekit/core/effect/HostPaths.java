package io.volumekit.core.effect;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@link NodeCsiEffect#onThisHost} and {@link NodeCsiEffect#parentOf} without building a {@link
 * Path} for the paths where the answer is plain from the string: on a filesystem whose separator
 * is {@code /} (every Unix), an absolute path is one starting with {@code /} (only a NUL makes a
 * path string invalid there), and the parent of a path with no doubled and no trailing separator
 * is the string up to its last separator. Any other path (or another filesystem) goes through
 * {@link Path}, so the answers are the same; node effects ask both on every call, and parsing a
 * {@code Path} was most of what the runtime did around a node call.
 */
final class HostPaths {
  private HostPaths() {}

  /** Whether this JVM's default filesystem separates names with {@code /}. */
  static final boolean SLASH = File.separatorChar == '/'
      && java.nio.file.FileSystems.getDefault().getSeparator().equals("/");

  /** Whether the path is an absolute path of this JVM's filesystem. */
  static boolean onThisHost(String path) {
    if (path.isEmpty()) {
      return false;
    }
    if (SLASH && path.indexOf('\0') < 0) {
      return path.charAt(0) == '/';
    }
    try {
      return Path.of(path).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** The parent of a path string ({@code ""} if none). */
  static String parentOf(String path) {
    if (SLASH && plain(path)) {
      int last = path.lastIndexOf('/');
      return last < 0 ? "" : last == 0 ? (path.length() == 1 ? "" : "/") : path.substring(0, last);
    }
    Path parent = Path.of(path).getParent();
    return parent == null ? "" : parent.toString();
  }

  /**
   * Whether {@link Path} would keep the string as it is: not empty, no NUL, no doubled separator,
   * no trailing one (except the root itself).
   */
  private static boolean plain(String path) {
    int n = path.length();
    if (n == 0 || (n > 1 && path.charAt(n - 1) == '/')) {
      return false;
    }
    char prev = 0;
    for (int i = 0; i < n; i++) {
      char c = path.charAt(i);
      if (c == '\0' || (c == '/' && prev == '/')) {
        return false;
      }
      prev = c;
    }
    return true;
  }
}
