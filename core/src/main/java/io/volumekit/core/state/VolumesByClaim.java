package io.volumekit.core.state;

import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The names of the volumes whose {@code claimRef} names each claim: a persistent hash trie keyed by
 * the claim's namespace and name, for {@link VolumeIndex}.
 *
 * <p>Why a hash trie: this map is only looked up by claim (the binder asks it for every claim it
 * syncs), never listed in order, and every bind adds an entry. A sorted tree of 100,000 claims is
 * about 17 levels of nodes and string comparisons, and its key would be a {@code "ns/name"} string
 * built per call. Here a lookup hashes the two strings (their hashes are cached) and reads about
 * four arrays of 32 slots; an update copies only that path, so older snapshots keep their own trie
 * and share the rest (O(log n) with structural sharing, as the state's design asks).
 *
 * <p>A node is an {@code Object[32]} indexed by five bits of the hash at a time; a slot is empty,
 * an entry, a child node, or (for claims whose 32-bit hashes are all equal) a list of entries. A
 * node left with a single entry is replaced by that entry. Volume names are kept in name order.
 */
final class VolumesByClaim {

  private static final int BITS = 5;
  private static final int WIDTH = 1 << BITS;

  /** A claim and the names of the volumes referencing it (never empty), in name order. */
  private record Entry(int hash, String namespace, String name, ImmutableSet<String> volumes) {
    boolean is(String ns, String n) {
      return name.equals(n) && namespace.equals(ns);
    }
  }

  /** Entries whose hashes are all equal, searched linearly. */
  private record Collisions(Entry[] entries) {}

  /** The empty map. */
  static final VolumesByClaim EMPTY = new VolumesByClaim(new Object[WIDTH]);

  private final Object[] root;

  private VolumesByClaim(Object[] root) {
    this.root = root;
  }

  private static int hash(String namespace, String name) {
    int h = namespace.hashCode() * 31 + name.hashCode();
    return h ^ (h >>> 16);
  }

  /** The volumes referencing the claim, in name order; empty if none. */
  Set<String> get(String namespace, String name) {
    int h = hash(namespace, name);
    Object[] node = root;
    for (int shift = 0; ; shift += BITS) {
      Object o = node[(h >>> shift) & (WIDTH - 1)];
      if (o instanceof Object[] child) {
        node = child;
      } else if (o instanceof Entry e) {
        return e.hash == h && e.is(namespace, name) ? e.volumes : Set.of();
      } else if (o instanceof Collisions c && c.entries[0].hash == h) {
        for (Entry e : c.entries) {
          if (e.is(namespace, name)) {
            return e.volumes;
          }
        }
        return Set.of();
      } else {
        return Set.of();
      }
    }
  }

  /** The map with the volume added to the claim's (this one if it is there). */
  VolumesByClaim plus(String namespace, String name, String volume) {
    Object[] r = update(root, 0, hash(namespace, name), namespace, name, volume, true);
    return r == root ? this : new VolumesByClaim(r);
  }

  /** The map with the volume removed from the claim's (this one if it is not there). */
  VolumesByClaim minus(String namespace, String name, String volume) {
    Object[] r = update(root, 0, hash(namespace, name), namespace, name, volume, false);
    return r == root ? this : new VolumesByClaim(r == null ? new Object[WIDTH] : r);
  }

  /**
   * The node with the volume added or removed: the same node if nothing changes, {@code null} if
   * nothing is left in it.
   */
  private static Object[] update(Object[] node, int shift, int h, String ns, String name, String volume, boolean add) {
    int i = (h >>> shift) & (WIDTH - 1);
    Object o = node[i];
    Object n;
    if (o == null) {
      n = add ? new Entry(h, ns, name, ImmutableSet.of(volume)) : null;
    } else if (o instanceof Object[] child) {
      Object[] c = update(child, shift + BITS, h, ns, name, volume, add);
      n = c == null ? null : single(c);
    } else if (o instanceof Entry e && e.hash == h) {
      n = e.is(ns, name) ? changed(e, volume, add) : add ? new Collisions(new Entry[] {e, fresh(h, ns, name, volume)}) : e;
    } else if (o instanceof Entry e) {
      n = add ? split(e, fresh(h, ns, name, volume), shift + BITS) : e;
    } else if (((Collisions) o).entries[0].hash != h) {
      n = add ? split(o, fresh(h, ns, name, volume), shift + BITS) : o;
    } else {
      n = changed((Collisions) o, h, ns, name, volume, add);
    }
    if (n == o) {
      return node;
    }
    Object[] copy = node.clone();
    copy[i] = n;
    if (n == null) {
      for (Object s : copy) {
        if (s != null) {
          return copy;
        }
      }
      return null;
    }
    return copy;
  }

  private static Entry fresh(int h, String ns, String name, String volume) {
    return new Entry(h, ns, name, ImmutableSet.of(volume));
  }

  /** The node's only slot if it is an entry (or a collision list) and nothing else is used, else the node. */
  private static Object single(Object[] node) {
    Object only = null;
    for (Object s : node) {
      if (s != null) {
        if (only != null || s instanceof Object[]) {
          return node;
        }
        only = s;
      }
    }
    return only;
  }

  /** A node (and below it, nodes as deep as needed) holding two slots of different hashes. */
  private static Object[] split(Object a, Entry b, int shift) {
    int ha = a instanceof Entry e ? e.hash : ((Collisions) a).entries[0].hash;
    int ia = (ha >>> shift) & (WIDTH - 1);
    int ib = (b.hash >>> shift) & (WIDTH - 1);
    Object[] node = new Object[WIDTH];
    if (ia == ib) {
      node[ia] = split(a, b, shift + BITS);
    } else {
      node[ia] = a;
      node[ib] = b;
    }
    return node;
  }

  /** The entry with the volume added or removed; the same entry if unchanged, {@code null} if no volume is left. */
  private static Entry changed(Entry e, String volume, boolean add) {
    if (e.volumes.contains(volume) == add) {
      return e;
    }
    List<String> names = new ArrayList<>(e.volumes);
    if (add) {
      names.add(volume);
      names.sort(null);
    } else {
      names.remove(volume);
    }
    return names.isEmpty() ? null : new Entry(e.hash, e.namespace, e.name, ImmutableSet.copyOf(names));
  }

  /** The collision list with the claim's volume added or removed; a single entry when one is left. */
  private static Object changed(Collisions c, int h, String ns, String name, String volume, boolean add) {
    Entry[] entries = c.entries;
    for (int k = 0; k < entries.length; k++) {
      if (entries[k].is(ns, name)) {
        Entry e = changed(entries[k], volume, add);
        if (e == entries[k]) {
          return c;
        }
        if (e != null) {
          Entry[] copy = entries.clone();
          copy[k] = e;
          return new Collisions(copy);
        }
        Entry[] rest = new Entry[entries.length - 1];
        System.arraycopy(entries, 0, rest, 0, k);
        System.arraycopy(entries, k + 1, rest, k, rest.length - k);
        return rest.length == 1 ? rest[0] : new Collisions(rest);
      }
    }
    if (!add) {
      return c;
    }
    Entry[] more = Arrays.copyOf(entries, entries.length + 1);
    more[entries.length] = fresh(h, ns, name, volume);
    return new Collisions(more);
  }
}
