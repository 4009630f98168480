package io.volumekit.core.runtime;

import io.volumekit.core.key.ObjectKey;
import java.util.ArrayDeque;

/**
 * The runtime's work queue: (controller, key) pairs in FIFO order, each pair at most once (a pair
 * queued again while it waits keeps its place), as client-go's workqueue dedupes a key that is
 * added while it is still queued.
 *
 * <p>Order is an {@link ArrayDeque} of items; membership is an open-addressing hash table of the
 * same items (linear probing, at most half full), each item carrying its hash. A pair already
 * waiting (most watches queue keys that are queued already) costs one key hash and no allocation;
 * a new one costs its item and nothing else (no map entry). Taking the head needs no iterator and
 * no hashing: the item is found in the table by its cached hash and identity. Removing a pair from
 * the middle ({@link #remove}, only for {@code reconcileNow}) is O(queue length), which is rare
 * enough. A {@code LinkedHashSet} did the same with an entry, an iterator and two key hashes per
 * item.
 *
 * <p>The slots' hashes are also kept in an {@code int} array beside the table: probing and the
 * deletion's backward shift read the hashes of the slots they pass from that array, so they do not
 * load every item they pass (with hundreds of thousands of keys queued, as in a binding settle,
 * each such load was a cache miss of its own).
 */
final class WorkQueue {

  /** One unit of work: a controller (by index) and a key, with their hash. */
  static final class Item {
    final int controller;
    final ObjectKey key;
    private final int hash;

    Item(int controller, ObjectKey key) {
      this(controller, key, hash(controller, key));
    }

    private Item(int controller, ObjectKey key, int hash) {
      this.controller = controller;
      this.key = key;
      this.hash = hash;
    }

    private boolean is(int controller, ObjectKey key, int hash) {
      return this.hash == hash && this.controller == controller && this.key.equals(key);
    }

    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof Item i && i.is(controller, key, hash);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return controller + ":" + key;
    }
  }

  private static int hash(int controller, ObjectKey key) {
    int h = (31 * controller + key.hashCode()) * 0x9E3779B9; // spread into the high bits, then down
    return h ^ (h >>> 16);
  }

  private final ArrayDeque<Item> order = new ArrayDeque<>();
  private Item[] table = new Item[64];
  /** {@code hashes[i]} is {@code table[i].hash} for an occupied slot (meaningless for an empty one). */
  private int[] hashes = new int[64];

  /** Queues the pair unless it is waiting already. */
  void add(int controller, ObjectKey key) {
    int h = hash(controller, key);
    int mask = table.length - 1;
    int i = h & mask;
    for (Item t; (t = table[i]) != null; i = (i + 1) & mask) {
      if (hashes[i] == h && t.is(controller, key, h)) {
        return;
      }
    }
    insert(i, new Item(controller, key, h));
  }

  /** Queues the item unless its pair is waiting already. */
  void add(Item item) {
    int mask = table.length - 1;
    int i = item.hash & mask;
    for (Item t; (t = table[i]) != null; i = (i + 1) & mask) {
      if (hashes[i] == item.hash && t.is(item.controller, item.key, item.hash)) {
        return;
      }
    }
    insert(i, item);
  }

  private void insert(int slot, Item item) {
    table[slot] = item;
    hashes[slot] = item.hash;
    order.addLast(item);
    if (order.size() * 2 > table.length) {
      grow();
    }
  }

  private void grow() {
    Item[] old = table;
    table = new Item[old.length * 2];
    hashes = new int[old.length * 2];
    int mask = table.length - 1;
    for (Item t : old) {
      if (t != null) {
        int i = t.hash & mask;
        while (table[i] != null) {
          i = (i + 1) & mask;
        }
        table[i] = t;
        hashes[i] = t.hash;
      }
    }
  }

  /** Takes the oldest item, or null when empty. */
  Item poll() {
    Item item = order.pollFirst();
    if (item != null) {
      int mask = table.length - 1;
      int i = item.hash & mask;
      while (table[i] != item) {
        i = (i + 1) & mask;
      }
      deleteAt(i);
    }
    return item;
  }

  /** The oldest item, or null when empty. */
  Item peek() {
    return order.peekFirst();
  }

  /** Removes the pair if it is waiting; whether it was. */
  boolean remove(Item item) {
    int mask = table.length - 1;
    for (int i = item.hash & mask; table[i] != null; i = (i + 1) & mask) {
      Item t = table[i];
      if (hashes[i] == item.hash && t.is(item.controller, item.key, item.hash)) {
        deleteAt(i);
        order.removeFirstOccurrence(t);
        return true;
      }
    }
    return false;
  }

  /**
   * Empties the slot, moving back the items after it that probing would no longer find (deletion
   * in a linear-probing table without tombstones).
   */
  private void deleteAt(int slot) {
    int mask = table.length - 1;
    int hole = slot;
    for (int j = (hole + 1) & mask; table[j] != null; j = (j + 1) & mask) {
      int home = hashes[j] & mask;
      // The item at j stays if its home slot lies cyclically in (hole, j]; else it moves to the hole.
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        table[hole] = table[j];
        hashes[hole] = hashes[j];
        hole = j;
      }
    }
    table[hole] = null;
  }

  boolean isEmpty() {
    return order.isEmpty();
  }

  int size() {
    return order.size();
  }
}
