package io.volumekit.core.podvolume;

import java.util.Objects;

/**
 * A bounded memo of values computed from three strings (an attachment name from a volume handle,
 * a driver and a node; a pod volume's effect id from a prefix, a pod uid and a volume name).
 *
 * <p>The strings usually come from stored objects and constants, which keep their hash: a look-up
 * combines three cached hashes, reads one array slot and compares by identity first, where
 * building the value's string each time meant a new long string to build, hash and compare. The
 * one value handed out for a triple also keeps the hash of its strings for the state's look-ups.
 *
 * <p>A direct-mapped table (a power of two of slots indexed by the triple's hash, no map nodes to
 * chase): a triple whose slot holds another is computed again and takes the slot. Entries are
 * immutable, so a racing thread sees a whole entry or another: thread-safe without locks.
 *
 * @param <V> the value
 */
public final class TripleMemo<V> {

  /** How a value is made from its three strings (a pure function). */
  @FunctionalInterface
  public interface Maker<V> {
    /** The value of the triple. */
    V make(String first, String second, String third);
  }

  /** A remembered triple and its value (only its fields are read: no equals or hashCode calls). */
  private record Entry<V>(String first, String second, String third, int hash, V value) {}

  private final Entry<V>[] table;
  private final Maker<V> maker;

  /**
   * A memo of {@code slots} entries (a power of two) of the maker's values.
   */
  @SuppressWarnings("unchecked")
  public TripleMemo(int slots, Maker<V> maker) {
    if (slots <= 0 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    this.table = (Entry<V>[]) new Entry<?>[slots];
    this.maker = Objects.requireNonNull(maker, "maker");
  }

  /** The maker's value of the triple: remembered, or made now. */
  public V get(String first, String second, String third) {
    int hash = (first.hashCode() * 31 + second.hashCode()) * 31 + third.hashCode();
    int slot = (hash ^ (hash >>> 16)) & (table.length - 1);
    Entry<V> e = table[slot];
    if (e != null && e.hash() == hash && e.first().equals(first) && e.second().equals(second)
        && e.third().equals(third)) {
      return e.value();
    }
    V value = Objects.requireNonNull(maker.make(first, second, third), "value");
    table[slot] = new Entry<>(first, second, third, hash, value);
    return value;
  }

  /** The number of slots. */
  public int slots() {
    return table.length;
  }
}
