package io.volumekit.core.state;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A persistent hash array mapped trie of values that carry their own keys: the structure under
 * {@link KeyTrie} (objects by kind, namespace and name) and {@link OperationTrie} (operations by
 * effect id). A subclass says how to hash a key and a value and how to tell whether a value has a
 * key; everything else is here.
 *
 * <p>32-way nodes are indexed by five bits of the 32-bit key hash at a time, so a lookup among
 * 200,000 values follows about four nodes, and an update copies only the path to the changed slot
 * (O(log32 n) nodes of at most 32 slots): every older snapshot keeps its own trie and shares all
 * other nodes with the new one. Values are stored bare (no entry objects). A node has one of two
 * layouts, chosen by how full it is:
 *
 * <ul>
 *   <li>a <em>dense</em> node, from {@value #DENSE} used slots on, is a bare {@code Object[32]}
 *       indexed directly ({@code null} for an empty slot): one object per node, so a lookup that
 *       misses the CPU cache pays one miss per level rather than two. The top levels of a large
 *       trie are full, and they are the nodes every lookup crosses;
 *   <li>a <em>sparse</em> node ({@link Node}) is a bitmap of the used slots and an array holding
 *       just those: small, for the many nearly empty nodes near the leaves. A dense node goes back
 *       to this layout when fewer than {@value #SPARSE} of its slots stay used (the gap keeps a
 *       node that gains and loses one value from switching layout on every write).
 * </ul>
 *
 * <p>Values whose 32-bit hashes are equal end in a collision node (a {@link Node} with no bitmap,
 * below the last five-bit level) searched linearly. Not thread-safe to build, immutable once built.
 *
 * @param <K> the key type
 * @param <V> the value type (never an array nor a {@link Node})
 * @param <T> the subclass, which {@link #withRoot} makes
 */
abstract class HashTrie<K, V, T extends HashTrie<K, V, T>> {

  /** A node becomes dense ({@code Object[32]}) when an insert brings it to this many slots. */
  static final int DENSE = 16;
  /** A dense node becomes sparse again when a removal leaves it fewer slots than this. */
  static final int SPARSE = 8;

  /** A sparse node: {@code bitmap} marks the used slots of 32; below 32 bits of hash, a collision list. */
  static final class Node {
    final int bitmap;
    final Object[] slots;

    Node(int bitmap, Object[] slots) {
      this.bitmap = bitmap;
      this.slots = slots;
    }
  }

  static final Node EMPTY_NODE = new Node(0, new Object[0]);

  /** The root: a {@link Node} or a dense {@code Object[]}. */
  final Object root;

  HashTrie(Object root) {
    this.root = root;
  }

  /** A trie of this type with the given root. */
  abstract T withRoot(Object root);

  /** The hash of a key; {@link #valueHash} of a value with that key must be equal. */
  abstract int keyHash(K key);

  abstract int valueHash(V value);

  abstract boolean hasKey(V value, K key);

  abstract boolean sameKey(V a, V b);

  /**
   * A 32-bit hash with its first four five-bit chunks in reverse order (bits 15-19 first, then
   * 10-14, 5-9, 0-4; bits 20-31 unchanged): a bijection, so it keeps every collision and the
   * statistics of each trie level, but the top levels now branch on the bits that vary slowly
   * and the fourth level on those that vary fastest. Names made in sequence ({@code claim-0001},
   * {@code claim-0002}, ...; String hashes differ in their low bits) then share their path down to
   * the fourth level instead of parting at the root, so that objects created together and read
   * together (a settle binding claims in the order they were created, and their volumes in name
   * order) find that path in the CPU cache: with 200,000 objects the fourth level is about 32,000
   * nodes, a likely miss per lookup when neighbours are spread over the whole trie.
   */
  static int localityOrder(int h) {
    return (h & 0xFFF00000)
        | ((h >>> 15) & 31)
        | (((h >>> 10) & 31) << 5)
        | (((h >>> 5) & 31) << 10)
        | ((h & 31) << 15);
  }

  private static boolean isNode(Object o) {
    return o instanceof Node || o instanceof Object[];
  }

  /** The stored value with the key, or {@code null}. */
  @SuppressWarnings("unchecked")
  final V get(K key) {
    int h = keyHash(key);
    Object n = root;
    for (int shift = 0; ; shift += 5) {
      Object o;
      if (n instanceof Node s) {
        if (shift >= 32) {
          for (Object v : s.slots) {
            if (hasKey((V) v, key)) {
              return (V) v;
            }
          }
          return null;
        }
        int bit = 1 << ((h >>> shift) & 31);
        if ((s.bitmap & bit) == 0) {
          return null;
        }
        o = s.slots[Integer.bitCount(s.bitmap & (bit - 1))];
      } else {
        o = ((Object[]) n)[(h >>> shift) & 31];
        if (o == null) {
          return null;
        }
      }
      if (isNode(o)) {
        n = o;
      } else {
        return hasKey((V) o, key) ? (V) o : null;
      }
    }
  }

  /** A trie with the value stored under its key (replacing the value with the same key). */
  final T plus(V value) {
    return withRoot(put(root, value, valueHash(value), 0));
  }

  /**
   * The trie with the stored value {@code before} (that very instance) replaced by {@code after},
   * a value with the same key and so the same hash {@code h}; {@code null} if {@code before} is
   * not stored. One descent, comparing slots by identity: no key is compared, where a check that
   * {@code before} is stored ({@link #get}) followed by {@link #plus} descends twice and compares
   * keys at the end of each descent. The layout is unchanged (same slots used), so the copy is
   * the path to the slot only. This is the store's update of an existing object.
   */
  final T replace(V before, V after, int h) {
    Object r = replace(root, before, after, h, 0);
    return r == null ? null : withRoot(r);
  }

  /** The hash of the key, for {@link #replace}. */
  final int hashOf(K key) {
    return keyHash(key);
  }

  private static Object replace(Object n, Object before, Object after, int h, int shift) {
    if (n instanceof Object[] dense) {
      int i = (h >>> shift) & 31;
      Object o = dense[i];
      Object now = replacedIn(o, before, after, h, shift);
      return now == null ? null : replaced(dense, i, now);
    }
    Node s = (Node) n;
    if (shift >= 32) {
      for (int i = 0; i < s.slots.length; i++) {
        if (s.slots[i] == before) {
          return new Node(0, replaced(s.slots, i, after));
        }
      }
      return null;
    }
    int bit = 1 << ((h >>> shift) & 31);
    if ((s.bitmap & bit) == 0) {
      return null;
    }
    int idx = Integer.bitCount(s.bitmap & (bit - 1));
    Object now = replacedIn(s.slots[idx], before, after, h, shift);
    return now == null ? null : new Node(s.bitmap, replaced(s.slots, idx, now));
  }

  /** What slot content {@code o} becomes: {@code after} if it is {@code before}, a replaced child, or {@code null}. */
  private static Object replacedIn(Object o, Object before, Object after, int h, int shift) {
    if (o == before) {
      return after;
    }
    return o != null && isNode(o) ? replace(o, before, after, h, shift + 5) : null;
  }

  /** A trie without the value with the key (this one if there is none). */
  @SuppressWarnings("unchecked")
  final T minus(K key) {
    Object r = remove(root, key, keyHash(key), 0);
    if (r == root) {
      return (T) this;
    }
    if (r == null) {
      return withRoot(EMPTY_NODE);
    }
    if (isNode(r)) {
      return withRoot(r);
    }
    // a single value left: it sits in the root
    return withRoot(new Node(1 << (valueHash((V) r) & 31), new Object[] {r}));
  }

  /** Calls {@code action} with every value, in no particular order. */
  @SuppressWarnings("unchecked")
  final void forEach(Consumer<? super V> action) {
    forEach(root, (Consumer<Object>) action);
  }

  private static void forEach(Object n, Consumer<Object> action) {
    Object[] slots = n instanceof Node s ? s.slots : (Object[]) n;
    for (Object o : slots) {
      if (o == null) {
        continue;
      }
      if (isNode(o)) {
        forEach(o, action);
      } else {
        action.accept(o);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Object put(Object n, V v, int h, int shift) {
    if (n instanceof Object[] dense) {
      int i = (h >>> shift) & 31;
      Object o = dense[i];
      Object now;
      if (o == null || (!isNode(o) && sameKey((V) o, v))) {
        now = v;
      } else if (isNode(o)) {
        now = put(o, v, h, shift + 5);
      } else {
        now = pair(o, valueHash((V) o), v, h, shift + 5);
      }
      return replaced(dense, i, now);
    }
    Node s = (Node) n;
    if (shift >= 32) {
      for (int i = 0; i < s.slots.length; i++) {
        if (sameKey((V) s.slots[i], v)) {
          return new Node(0, replaced(s.slots, i, v));
        }
      }
      return new Node(0, inserted(s.slots, s.slots.length, v));
    }
    int pos = (h >>> shift) & 31;
    int bit = 1 << pos;
    int idx = Integer.bitCount(s.bitmap & (bit - 1));
    if ((s.bitmap & bit) == 0) {
      if (s.slots.length + 1 >= DENSE) {
        Object[] dense = expanded(s);
        dense[pos] = v;
        return dense;
      }
      return new Node(s.bitmap | bit, inserted(s.slots, idx, v));
    }
    Object o = s.slots[idx];
    if (isNode(o)) {
      return new Node(s.bitmap, replaced(s.slots, idx, put(o, v, h, shift + 5)));
    }
    if (sameKey((V) o, v)) {
      return new Node(s.bitmap, replaced(s.slots, idx, v));
    }
    return new Node(s.bitmap, replaced(s.slots, idx, pair(o, valueHash((V) o), v, h, shift + 5)));
  }

  /** A node holding two values whose hashes agree below {@code shift}. */
  private static Node pair(Object a, int ha, Object b, int hb, int shift) {
    if (shift >= 32) {
      return new Node(0, new Object[] {a, b});
    }
    int pa = (ha >>> shift) & 31;
    int pb = (hb >>> shift) & 31;
    if (pa == pb) {
      return new Node(1 << pa, new Object[] {pair(a, ha, b, hb, shift + 5)});
    }
    return new Node((1 << pa) | (1 << pb), pa < pb ? new Object[] {a, b} : new Object[] {b, a});
  }

  /**
   * The node without the key: the same node if absent, {@code null} if nothing is left, a lone
   * value if one value and no child is left below the root (the parent then holds it directly).
   */
  @SuppressWarnings("unchecked")
  private Object remove(Object n, K key, int h, int shift) {
    if (n instanceof Object[] dense) {
      int i = (h >>> shift) & 31;
      Object o = dense[i];
      if (o == null) {
        return n;
      }
      Object now = null;
      if (isNode(o)) {
        now = remove(o, key, h, shift + 5);
        if (now == o) {
          return n;
        }
      } else if (!hasKey((V) o, key)) {
        return n;
      }
      if (now == null && used(dense) - 1 < SPARSE) {
        return compacted(dense, i);
      }
      return replaced(dense, i, now);
    }
    Node s = (Node) n;
    if (shift >= 32) {
      for (int i = 0; i < s.slots.length; i++) {
        if (hasKey((V) s.slots[i], key)) {
          Object[] rest = removed(s.slots, i);
          return rest.length == 1 ? rest[0] : new Node(0, rest);
        }
      }
      return n;
    }
    int bit = 1 << ((h >>> shift) & 31);
    if ((s.bitmap & bit) == 0) {
      return n;
    }
    int idx = Integer.bitCount(s.bitmap & (bit - 1));
    Object o = s.slots[idx];
    Object now;
    if (isNode(o)) {
      now = remove(o, key, h, shift + 5);
      if (now == o) {
        return n;
      }
    } else if (hasKey((V) o, key)) {
      now = null;
    } else {
      return n;
    }
    if (now == null) {
      if (s.slots.length == 1) {
        return null;
      }
      Object[] rest = removed(s.slots, idx);
      if (rest.length == 1 && !isNode(rest[0]) && shift > 0) {
        return rest[0];
      }
      return new Node(s.bitmap & ~bit, rest);
    }
    if (!isNode(now) && s.slots.length == 1 && shift > 0) {
      return now; // a lone value moves up
    }
    return new Node(s.bitmap, replaced(s.slots, idx, now));
  }

  private static int used(Object[] dense) {
    int n = 0;
    for (Object o : dense) {
      if (o != null) {
        n++;
      }
    }
    return n;
  }

  /** The sparse node's slots laid out densely, as an {@code Object[32]}. */
  private static Object[] expanded(Node s) {
    Object[] dense = new Object[32];
    int k = 0;
    for (int pos = 0; pos < 32; pos++) {
      if ((s.bitmap & (1 << pos)) != 0) {
        dense[pos] = s.slots[k++];
      }
    }
    return dense;
  }

  /** The dense node without slot {@code gone}, as a sparse node. */
  private static Node compacted(Object[] dense, int gone) {
    int bitmap = 0;
    for (int pos = 0; pos < 32; pos++) {
      if (pos != gone && dense[pos] != null) {
        bitmap |= 1 << pos;
      }
    }
    Object[] slots = new Object[Integer.bitCount(bitmap)];
    int k = 0;
    for (int pos = 0; pos < 32; pos++) {
      if ((bitmap & (1 << pos)) != 0) {
        slots[k++] = dense[pos];
      }
    }
    return new Node(bitmap, slots);
  }

  /**
   * Checks the layout rules (for tests): dense nodes have at least {@value #SPARSE} used slots,
   * sparse ones fewer than {@value #DENSE}, a node below the root holds a child or at least two
   * values, and every value sits where its hash says. Returns the number of values.
   */
  @SuppressWarnings("unchecked")
  final int checkLayout() {
    return checkLayout(root, 0, 0, true);
  }

  @SuppressWarnings("unchecked")
  private int checkLayout(Object n, int prefix, int shift, boolean top) {
    int count = 0;
    int used = 0;
    boolean child = false;
    int[] positions;
    Object[] slots;
    if (n instanceof Object[] dense) {
      check(dense.length == 32 && shift < 32, "a dense node has 32 slots, above the collision level");
      slots = dense;
      positions = new int[32];
      for (int i = 0; i < 32; i++) {
        positions[i] = i;
      }
    } else {
      Node s = (Node) n;
      slots = s.slots;
      positions = new int[slots.length];
      if (shift >= 32) {
        check(s.bitmap == 0 && slots.length >= 2, "a collision node has no bitmap and two values");
        for (Object o : slots) {
          check(!isNode(o) && valueHash((V) o) == prefix, "a collision node holds values of its hash");
        }
        return slots.length;
      }
      check(Integer.bitCount(s.bitmap) == slots.length, "a sparse node's bitmap counts its slots");
      check(slots.length < DENSE, "a sparse node has fewer than " + DENSE + " slots");
      int k = 0;
      for (int pos = 0; pos < 32; pos++) {
        if ((s.bitmap & (1 << pos)) != 0) {
          positions[k++] = pos;
        }
      }
    }
    for (int i = 0; i < slots.length; i++) {
      Object o = slots[i];
      if (o == null) {
        check(n instanceof Object[], "only a dense node has empty slots");
        continue;
      }
      used++;
      int p = prefix | (positions[i] << shift);
      if (isNode(o)) {
        child = true;
        count += checkLayout(o, p, shift + 5, false);
      } else {
        int mask = shift + 5 >= 32 ? -1 : (1 << (shift + 5)) - 1;
        check((valueHash((V) o) & mask) == p, "a value sits where its hash says");
        count++;
      }
    }
    if (n instanceof Object[]) {
      check(used >= SPARSE, "a dense node has at least " + SPARSE + " used slots");
    }
    check(top || child || used >= 2, "a node below the root holds a child or two values");
    return count;
  }

  private static void check(boolean ok, String rule) {
    if (!ok) {
      throw new IllegalStateException("trie layout broken: " + rule);
    }
  }

  private static Object[] replaced(Object[] a, int i, Object v) {
    Object[] out = a.clone();
    out[i] = v;
    return out;
  }

  private static Object[] inserted(Object[] a, int i, Object v) {
    Object[] out = new Object[a.length + 1];
    System.arraycopy(a, 0, out, 0, i);
    out[i] = v;
    System.arraycopy(a, i, out, i + 1, a.length - i);
    return out;
  }

  private static Object[] removed(Object[] a, int i) {
    Object[] out = Arrays.copyOf(a, a.length - 1);
    System.arraycopy(a, i + 1, out, i, a.length - i - 1);
    return out;
  }
}
