package io.volumekit.core.state;

/**
 * The first 16 characters of a name packed in two longs, in the name's order, for the entries of
 * the binder's large sorted sets ({@link VolumeIndex.Entry}, {@link KeySet}): a search of a set of
 * 100,000 entries compares about 17 of them, and comparing names reads two objects per entry (the
 * string and its bytes), each a likely cache miss, where comparing packed prefixes kept in the
 * entry reads the entry alone. Names equal in their prefix are compared in full.
 *
 * <p>Each character below 256 takes a byte (object names are DNS names, all ASCII); a shorter name
 * is padded with zeros, so it sorts first unless the other name continues with character 0, where
 * the prefixes tie and the names decide. A name with a character of 256 or more among its first 16
 * is not packed ({@link #packable}), and its comparisons are {@link String#compareTo}'s.
 */
final class PackedName {

  private PackedName() {}

  /** Characters 0 to 7 of the name, a byte each (only meaningful if {@link #packable}). */
  static long head(String name) {
    return pack(name, 0);
  }

  /** Characters 8 to 15 of the name, a byte each (only meaningful if {@link #packable}). */
  static long tail(String name) {
    return pack(name, 8);
  }

  /** Whether the first 16 characters are all below 256. */
  static boolean packable(String name) {
    for (int i = 0, n = Math.min(16, name.length()); i < n; i++) {
      if (name.charAt(i) >= 256) {
        return false;
      }
    }
    return true;
  }

  private static long pack(String name, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = v << 8 | (i < name.length() ? name.charAt(i) & 0xFF : 0);
    }
    return v;
  }

  /**
   * {@code a.compareTo(b)} for two names with their packed prefixes ({@code packed} being whether
   * both are {@link #packable}); reads the strings only when the prefixes tie.
   */
  static int compare(boolean packed, long headA, long tailA, String a, long headB, long tailB, String b) {
    if (packed) {
      int c = Long.compareUnsigned(headA, headB);
      if (c == 0) {
        c = Long.compareUnsigned(tailA, tailB);
      }
      if (c != 0) {
        return c;
      }
    }
    return a.compareTo(b);
  }
}
