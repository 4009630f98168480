package io.volumekit.core.state;

import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.meta.ApiObject;
import java.util.Arrays;

/**
 * Where {@link ClusterState} keeps its objects: a persistent hash array mapped trie (32-way nodes
 * indexed by five bits of the key's hash at a time, a bitmap saying which slots are used).
 *
 * <p>Why a hash trie: lookups are the commonest thing a controller does, and a lookup in a
 * balanced tree of 200,000 objects compares three strings at each of about 18 levels. Here a
 * lookup hashes the key once (the strings cache their hashes) and follows about four nodes. An
 * update copies only the path to the changed slot (O(log32 n) nodes, each at most 32 slots), so
 * every older snapshot keeps its own trie and shares all other nodes with the new one: updates
 * stay O(log n) with structural sharing. A hash trie has no order; the state keeps the order of
 * listings in sorted sets of keys beside it, which an update of a stored object does not touch.
 *
 * <p>Objects are stored bare (no entry objects): a slot holds either an object, whose key is read
 * from its kind and metadata, or a child node. Keys whose 32-bit hashes are equal end in a
 * collision node (below the last five-bit level) searched linearly. Not thread-safe to build,
 * immutable once built, like the rest of the state.
 */
final class KeyTrie {

  /** A node: {@code bitmap} marks the used slots of 32; below 32 bits of hash, a collision list. */
  private static final class Node {
    final int bitmap;
    final Object[] slots;

    Node(int bitmap, Object[] slots) {
      this.bitmap = bitmap;
      this.slots = slots;
    }
  }

  private static final Node EMPTY_NODE = new Node(0, new Object[0]);

  /** The empty trie. */
  static final KeyTrie EMPTY = new KeyTrie(EMPTY_NODE);

  private final Node root;

  private KeyTrie(Node root) {
    this.root = root;
  }

  private static int hash(String kind, String namespace, String name) {
    int h = (kind.hashCode() * 31 + namespace.hashCode()) * 31 + name.hashCode();
    return h ^ (h >>> 16);
  }

  private static int hash(ObjectKey key) {
    return hash(key.kind(), key.namespace(), key.name());
  }

  private static int hash(ApiObject o) {
    return hash(o.kind(), o.metadata().namespaceOrEmpty(), o.metadata().name());
  }

  private static boolean hasKey(ApiObject o, ObjectKey key) {
    return o.metadata().name().equals(key.name())
        && o.kind().equals(key.kind())
        && o.metadata().namespaceOrEmpty().equals(key.namespace());
  }

  private static boolean sameKey(ApiObject a, ApiObject b) {
    return a.metadata().name().equals(b.metadata().name())
        && a.kind().equals(b.kind())
        && a.metadata().namespaceOrEmpty().equals(b.metadata().namespaceOrEmpty());
  }

  /** The stored object with the key, or {@code null}. */
  ApiObject get(ObjectKey key) {
    int h = hash(key);
    Node n = root;
    for (int shift = 0; ; shift += 5) {
      if (shift >= 32) {
        for (Object o : n.slots) {
          if (hasKey((ApiObject) o, key)) {
            return (ApiObject) o;
          }
        }
        return null;
      }
      int bit = 1 << ((h >>> shift) & 31);
      if ((n.bitmap & bit) == 0) {
        return null;
      }
      Object o = n.slots[Integer.bitCount(n.bitmap & (bit - 1))];
      if (o instanceof Node child) {
        n = child;
      } else {
        ApiObject v = (ApiObject) o;
        return hasKey(v, key) ? v : null;
      }
    }
  }

  /** A trie with the object stored under its key (replacing the object with the same key). */
  KeyTrie plus(ApiObject object) {
    return new KeyTrie(put(root, object, hash(object), 0));
  }

  /** A trie without the object with the key (this one if there is none). */
  KeyTrie minus(ObjectKey key) {
    Object r = remove(root, key, hash(key), 0);
    if (r == root) {
      return this;
    }
    if (r == null) {
      return EMPTY;
    }
    if (r instanceof Node n) {
      return new KeyTrie(n);
    }
    // a single object left: it sits in the root
    ApiObject v = (ApiObject) r;
    return new KeyTrie(new Node(1 << (hash(v) & 31), new Object[] {v}));
  }

  private static Node put(Node n, ApiObject v, int h, int shift) {
    if (shift >= 32) {
      for (int i = 0; i < n.slots.length; i++) {
        if (sameKey((ApiObject) n.slots[i], v)) {
          return new Node(0, replaced(n.slots, i, v));
        }
      }
      return new Node(0, inserted(n.slots, n.slots.length, v));
    }
    int bit = 1 << ((h >>> shift) & 31);
    int idx = Integer.bitCount(n.bitmap & (bit - 1));
    if ((n.bitmap & bit) == 0) {
      return new Node(n.bitmap | bit, inserted(n.slots, idx, v));
    }
    Object o = n.slots[idx];
    if (o instanceof Node child) {
      return new Node(n.bitmap, replaced(n.slots, idx, put(child, v, h, shift + 5)));
    }
    ApiObject e = (ApiObject) o;
    if (sameKey(e, v)) {
      return new Node(n.bitmap, replaced(n.slots, idx, v));
    }
    return new Node(n.bitmap, replaced(n.slots, idx, pair(e, hash(e), v, h, shift + 5)));
  }

  /** A node holding two objects whose hashes agree below {@code shift}. */
  private static Node pair(ApiObject a, int ha, ApiObject b, int hb, int shift) {
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
   * object if one object and no child is left (the parent then holds it directly).
   */
  private static Object remove(Node n, ObjectKey key, int h, int shift) {
    if (shift >= 32) {
      for (int i = 0; i < n.slots.length; i++) {
        if (hasKey((ApiObject) n.slots[i], key)) {
          Object[] rest = removed(n.slots, i);
          return rest.length == 1 ? rest[0] : new Node(0, rest);
        }
      }
      return n;
    }
    int bit = 1 << ((h >>> shift) & 31);
    if ((n.bitmap & bit) == 0) {
      return n;
    }
    int idx = Integer.bitCount(n.bitmap & (bit - 1));
    Object o = n.slots[idx];
    Object now;
    if (o instanceof Node child) {
      now = remove(child, key, h, shift + 5);
      if (now == child) {
        return n;
      }
    } else if (hasKey((ApiObject) o, key)) {
      now = null;
    } else {
      return n;
    }
    if (now == null) {
      if (n.slots.length == 1) {
        return null;
      }
      Object[] rest = removed(n.slots, idx);
      if (rest.length == 1 && !(rest[0] instanceof Node) && shift > 0) {
        return rest[0];
      }
      return new Node(n.bitmap & ~bit, rest);
    }
    if (!(now instanceof Node) && n.slots.length == 1 && shift > 0) {
      return now; // a lone object moves up
    }
    return new Node(n.bitmap, replaced(n.slots, idx, now));
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
