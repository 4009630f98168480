package io.volumekit.csi.hostpath;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.CsiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The mounts of this process as listed by {@code /proc/self/mountinfo} (proc(5)): one line per
 * mount, the mount point in field 5 and the per-mount options ({@code rw}/{@code ro}, ...) in field
 * 6, with space, tab, newline and backslash written as three octal digits ({@code \040}). Mounts
 * stacked on one path appear oldest first. What the kubelet's mount utilities read to decide
 * whether a path is a mount point.
 */
record MountTable(ImmutableList<Entry> entries) {

  /** One mount: where it is and its per-mount options. */
  record Entry(String mountPoint, ImmutableSet<String> options) {}

  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  /** The current table; empty where there is no {@code /proc} (nothing can be a mount point). */
  static MountTable read() {
    if (!Files.isReadable(MOUNTINFO)) {
      return new MountTable(ImmutableList.of());
    }
    try {
      return parse(Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CsiException(CsiCode.INTERNAL, "cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
    }
  }

  /** Parses mountinfo lines; lines with fewer than six fields are skipped. */
  static MountTable parse(List<String> lines) {
    ImmutableList.Builder<Entry> out = ImmutableList.builder();
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length > 5) {
        out.add(new Entry(unescape(f[4]), ImmutableSet.copyOf(f[5].split(","))));
      }
    }
    return new MountTable(out.build());
  }

  /** Whether something is mounted at {@code path}. */
  boolean isMountPoint(Path path) {
    return top(path).isPresent();
  }

  /** Whether the topmost mount at {@code path} is read-only; false when nothing is mounted there. */
  boolean isReadOnly(Path path) {
    return top(path).map(e -> e.options().contains("ro")).orElse(false);
  }

  /** The mount points at or below {@code dir}, oldest first. */
  ImmutableList<String> mountPointsUnder(Path dir) {
    String root = canonical(dir);
    return entries.stream().map(Entry::mountPoint)
        .filter(m -> m.equals(root) || m.startsWith(root.endsWith("/") ? root : root + "/"))
        .collect(ImmutableList.toImmutableList());
  }

  private Optional<Entry> top(Path path) {
    String wanted = canonical(path);
    Entry found = null;
    for (Entry e : entries) {
      if (e.mountPoint().equals(wanted)) {
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }

  /**
   * The path as the kernel writes it: absolute, with symlinks in its parent resolved (the table
   * holds real paths, and /tmp may be a link). The last component is kept as is: it may itself be
   * a symlink the driver made.
   */
  static String canonical(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null || abs.getFileName() == null) {
      return abs.toString();
    }
    try {
      return parent.toRealPath().resolve(abs.getFileName()).toString();
    } catch (IOException e) {
      return abs.toString(); // no parent, so no such path: it is not in the table either way
    }
  }

  /** Undoes mountinfo's octal escapes ({@code \040} is a space). */
  static String unescape(String field) {
    StringBuilder b = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
