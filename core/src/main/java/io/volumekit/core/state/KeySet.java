package io.volumekit.core.state;

import com.google.common.collect.Iterators;
import io.volumekit.core.key.ObjectKey;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;

/**
 * A persistent set of object keys in key order, for indexes whose sets may hold every
 * object of a kind ({@link ClaimIndex}'s unbound claims, {@link AttributesClassIndex}'s claims by
 * class): a {@link WideSortedSet} of slots that keep each key's namespace, name and packed name
 * prefix ({@link PackedName}), so that a search compares slots without reading the key's strings
 * (in a set of 100,000 claims, each such read is a likely cache miss). Immutable; iteration and
 * {@code contains} are those of a set of keys.
 */
final class KeySet extends AbstractSet<ObjectKey> {

  /** A key with its name packed, ordered as keys are: kind, namespace, then name. */
  private static final class Slot implements Comparable<Slot> {
    final ObjectKey key;
    final String kind;
    final String namespace;
    final String name;
    final long head;
    final long tail;
    final boolean packed;

    Slot(ObjectKey key) {
      this.key = key;
      this.kind = key.kind();
      this.namespace = key.namespace();
      this.name = key.name();
      this.head = PackedName.head(name);
      this.tail = PackedName.tail(name);
      this.packed = PackedName.packable(name);
    }

    @Override
    public int compareTo(Slot o) {
      if (kind != o.kind) { // usually the same instance (the model's KIND constants)
        int c = kind.compareTo(o.kind);
        if (c != 0) {
          return c;
        }
      }
      if (namespace != o.namespace) { // usually the same instance
        int c = namespace.compareTo(o.namespace);
        if (c != 0) {
          return c;
        }
      }
      return PackedName.compare(packed && o.packed, head, tail, name, o.head, o.tail, o.name);
    }
  }

  /** The empty set. */
  static final KeySet EMPTY = new KeySet(WideSortedSet.empty(new Comparator<Slot>() {
    // a comparator of its own, not naturalOrder(): a direct call to Slot.compareTo rather than
    // the natural-order comparator's megamorphic one (see VolumeIndex's EMPTY_BUCKET)
    @Override
    public int compare(Slot a, Slot b) {
      return a.compareTo(b);
    }
  }));

  private final WideSortedSet<Slot> slots;

  private KeySet(WideSortedSet<Slot> slots) {
    this.slots = slots;
  }

  /** The set with the key (this one if it is in). */
  KeySet plus(ObjectKey key) {
    WideSortedSet<Slot> s = slots.plus(new Slot(key));
    return s == slots ? this : new KeySet(s);
  }

  /** The set without the key (this one if it is not in). */
  KeySet minus(ObjectKey key) {
    WideSortedSet<Slot> s = slots.minus(new Slot(key));
    return s == slots ? this : new KeySet(s);
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof ObjectKey k && slots.contains(new Slot(k));
  }

  @Override
  public int size() {
    return slots.size();
  }

  @Override
  public Iterator<ObjectKey> iterator() {
    return Iterators.transform(slots.iterator(), s -> s.key);
  }
}
