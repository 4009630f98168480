package io.volumekit.core.runtime;

import io.volumekit.core.key.ObjectKey;
import java.util.ArrayDeque;

/**
 * The runtime's work queue: (controller, key) pairs in FIFO order, each pair at most once (a pair
 * queued again while it waits keeps its place), as client-go's workqueue dedupes a key that is
 * added while it is still queued.
 *
 * <p>Order is an {@link ArrayDeque} of items; membership is an open-addressing hash table of the
 * same items (linear probing, at most half full), each item carrying its hash and whether it is
 * waiting. A pair already waiting (most watches queue keys that are queued already) costs one key
 * hash and no allocation; a new one costs its item and nothing else (no map entry). Removing a pair
 * from the middle ({@link #remove}, only for {@code reconcileNow}) is O(queue length), which is
 * rare enough. A {@code LinkedHashSet} did the same with an entry, an iterator and two key hashes
 * per item.
 *
 * <p>Taking the head touches only the deque: the item is marked as no longer waiting and stays in
 * the table. Finding and deleting it there meant one or two cache misses per reconcile once the
 * table is large (a binding settle queues hundreds of thousands of keys), for an entry the next
 * {@code add} of the same pair would recreate. A pair added again finds its old item and reuses it;
 * the items no longer waiting are dropped when the table would exceed half full (rebuilt at the
 * same size if at least half of its entries are such items, otherwise at twice the size), so every
 * operation stays amortized O(1) and the table grows only when more than a quarter of its slots
 * hold waiting items: it stays under eight slots per item of the largest queue it has held (four
 * before, when taken items were deleted).
 *
 * <p>The slots' hashes are also kept in an {@code int} array beside the table: probing reads the
 * hashes of the slots it passes from that array, so it does not load every item it passes (with
 * hundreds of thousands of keys queued, as in a binding settle, each such load was a cache miss of
 * its own).
 */
final class WorkQueue {

  /** One unit of work: a controller (by index) and a key, with their hash. */
  static final class Item {
    final int controller;
    final ObjectKey key;
    private final int hash;
    /** Whether the item is in the queue's order (only the queue holding it in its table sets it). */
    private boolean waiting;

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
  /** Occupied slots: the waiting items and those taken or removed since the last rebuild. */
  private int used;

  /** Queues the pair unless it is waiting already. */
  void add(int controller, ObjectKey key) {
    int h = hash(controller, key);
    int mask = table.length - 1;
    int i = h & mask;
    for (Item t; (t = table[i]) != null; i = (i + 1) & mask) {
      if (hashes[i] == h && t.is(controller, key, h)) {
        requeue(t);
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
        requeue(t);
        return;
      }
    }
    insert(i, item);
  }

  /** Queues the table's item of a pair again if it is no longer waiting (its place: the end). */
  private void requeue(Item t) {
    if (!t.waiting) {
      t.waiting = true;
      order.addLast(t);
    }
  }

  private void insert(int slot, Item item) {
    table[slot] = item;
    hashes[slot] = item.hash;
    item.waiting = true;
    order.addLast(item);
    used++;
    if (used * 2 > table.length) {
      // At least half of the entries no longer wait: dropping them makes room; otherwise grow too.
      rebuild(order.size() * 2 <= used ? table.length : table.length * 2);
    }
  }

  /** A new table of {@code length} slots with the waiting items only. */
  private void rebuild(int length) {
    Item[] old = table;
    table = new Item[length];
    hashes = new int[length];
    used = 0;
    int mask = length - 1;
    for (Item t : old) {
      if (t != null && t.waiting) {
        int i = t.hash & mask;
        while (table[i] != null) {
          i = (i + 1) & mask;
        }
        table[i] = t;
        hashes[i] = t.hash;
        used++;
      }
    }
  }

  /** Takes the oldest item, or null when empty. */
  Item poll() {
    Item item = order.pollFirst();
    if (item != null) {
      item.waiting = false; // stays in the table until the next rebuild (see the class comment)
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
        if (!t.waiting) {
          return false;
        }
        t.waiting = false;
        order.removeFirstOccurrence(t);
        return true;
      }
    }
    return false;
  }

  boolean isEmpty() {
    return order.isEmpty();
  }

  int size() {
    return order.size();
  }

  /** The table's slots (for tests of its bound). */
  int capacity() {
    return table.length;
  }
}
