package io.volumekit.core.state;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A persistent sorted set kept as a B+-tree of wide nodes (at most {@value #MAX} entries each),
 * for the large sets of the binder's indexes: the available volumes of a bucket and the unbound
 * claims of a class, each up to one entry per object.
 *
 * <p>Why not a binary tree ({@code TreePSet}): binding removes one entry from each of two sets of
 * 100,000 entries per claim, and a balanced binary tree of that size is about 17 levels of separate
 * nodes, each a likely cache miss, and its removal rebuilds (joins) subtrees. Here the tree is a
 * few levels of arrays (five at 100,000 entries): a search reads one array per level (the upper
 * ones stay in cache, being shared by every search), and an update copies only the path of arrays
 * to the changed leaf, so every older snapshot keeps its own tree and shares the rest: updates stay
 * O(log n) with structural sharing, as the state's design asks.
 *
 * <p>Why {@value #MAX} entries a node: a search compares about log2(n) elements whatever the width
 * (a binary search in each node), but an update copies each node of its path whole, so the bytes
 * copied per update grow with the width (about {@code width / log(width)} per level of the
 * binary-tree height). Binding 100,000 claims (two removals from sets of 100,000 per claim)
 * allocated 6,233 bytes per claim with 32 entries a node, 6,039 with 16 and 5,896 with 8, at the
 * same CPU time within the benchmark's spread (docs/performance-log.md, "index", session 4); 16 keeps
 * the trees one level shallower than 8.
 *
 * <p>Layout: a leaf is an {@code Object[]} of its elements in order; a branch is an {@code
 * Object[]} of {@code 2k} slots, the first element of child {@code i} at {@code 2i} and the child
 * at {@code 2i + 1}. Which arrays are leaves follows from the height (every leaf is at the same
 * depth). A node left with fewer than a quarter of {@value #MAX} entries by a removal is merged
 * into a neighbour when both fit in one node; an emptied node is dropped and a root branch with one
 * child is replaced by that child. Immutable; iteration is in the comparator's order.
 */
public final class WideSortedSet<E> extends AbstractSet<E> {

  /** The most entries of a node. */
  static final int MAX = 16;
  private static final int MIN = MAX / 4;
  private static final Object[] NO_ENTRIES = new Object[0];

  private final Comparator<? super E> order;
  /** A leaf at height 0, else a branch; an empty leaf when the set is empty. */
  private final Object[] root;
  private final int height;
  private final int size;

  private WideSortedSet(Comparator<? super E> order, Object[] root, int height, int size) {
    this.order = order;
    this.root = root;
    this.height = height;
    this.size = size;
  }

  /** The empty set ordered by the comparator. */
  public static <E> WideSortedSet<E> empty(Comparator<? super E> order) {
    return new WideSortedSet<>(Objects.requireNonNull(order, "order"), NO_ENTRIES, 0, 0);
  }

  /** The empty set in the elements' natural order. */
  public static <E extends Comparable<? super E>> WideSortedSet<E> empty() {
    return empty(Comparator.naturalOrder());
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public boolean contains(Object o) {
    if (size == 0 || o == null) {
      return false;
    }
    @SuppressWarnings("unchecked")
    E e = (E) o;
    Object[] node = root;
    for (int h = height; h > 0; h--) {
      node = (Object[]) node[2 * childFor(node, e) + 1];
    }
    return search(node, e) >= 0;
  }

  /** The least element at least {@code e}, or {@code null}. O(log n). */
  public E ceiling(E e) {
    return above(root, height, e, false);
  }

  /** The least element greater than {@code e}, or {@code null}. O(log n). */
  public E higher(E e) {
    return above(root, height, e, true);
  }

  /** The set with the element (this one if an equal element is already in). O(log n). */
  public WideSortedSet<E> plus(E e) {
    return add(e, false);
  }

  /**
   * The set with the element in place of an equal one (in the comparator's order), or added if
   * there is none; this one if that very instance is already in. O(log n).
   */
  public WideSortedSet<E> with(E e) {
    return add(e, true);
  }

  private WideSortedSet<E> add(E e, boolean replace) {
    Objects.requireNonNull(e, "element");
    boolean replaced = replace && contains(e); // with() is rare: a second search is cheaper than tracking it
    Object r = insert(root, height, e, replace);
    if (r == root) {
      return this;
    }
    if (r instanceof Split s) {
      Object[] top = {s.left[0], s.left, s.right[0], s.right};
      return new WideSortedSet<>(order, top, height + 1, size + 1);
    }
    return new WideSortedSet<>(order, (Object[]) r, height, replaced ? size : size + 1);
  }

  /** The set without the element (this one if it is not in). O(log n). */
  public WideSortedSet<E> minus(E e) {
    if (size == 0 || e == null) {
      return this;
    }
    Object[] r = remove(root, height, e);
    if (r == root) {
      return this;
    }
    int h = height;
    while (h > 0 && r.length == 2) { // a branch with one child
      r = (Object[]) r[1];
      h--;
    }
    return new WideSortedSet<>(order, h > 0 && r.length == 0 ? NO_ENTRIES : r, r.length == 0 ? 0 : h, size - 1);
  }

  @Override
  public Iterator<E> iterator() {
    return new Iterator<E>() {
      private final Object[][] path = new Object[height + 1][];
      private final int[] at = new int[height + 1];
      private boolean more;

      {
        path[height] = root;
        more = size > 0 && descend(height);
      }

      /** Goes down the first children from the node at height {@code h}; false if it has none. */
      private boolean descend(int h) {
        for (int i = h; i > 0; i--) {
          path[i - 1] = (Object[]) path[i][2 * at[i] + 1];
          at[i - 1] = 0;
        }
        return path[0].length > 0;
      }

      @Override
      public boolean hasNext() {
        return more;
      }

      @Override
      @SuppressWarnings("unchecked")
      public E next() {
        if (!more) {
          throw new NoSuchElementException();
        }
        E e = (E) path[0][at[0]];
        if (++at[0] >= path[0].length) {
          int h = 1;
          while (h <= height && 2 * (at[h] + 1) >= path[h].length) {
            h++;
          }
          if (h > height) {
            more = false;
          } else {
            at[h]++;
            descend(h);
          }
        }
        return e;
      }
    };
  }

  // ---------------------------------------------------------------------------------------------

  /** Two halves of a node that overflowed. */
  private record Split(Object[] left, Object[] right) {}

  /** The index of the child of the branch whose range holds {@code e} (the first if none starts at or below it). */
  @SuppressWarnings("unchecked")
  private int childFor(Object[] branch, E e) {
    int lo = 1;
    int hi = branch.length / 2 - 1;
    while (lo <= hi) { // the last child whose first element is <= e
      int mid = (lo + hi) >>> 1;
      if (order.compare((E) branch[2 * mid], e) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return lo - 1;
  }

  /** The element's index in the leaf, or {@code -(insertion point) - 1}. */
  @SuppressWarnings("unchecked")
  private int search(Object[] leaf, E e) {
    int lo = 0;
    int hi = leaf.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = order.compare((E) leaf[mid], e);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }

  @SuppressWarnings("unchecked")
  private E above(Object[] node, int h, E e, boolean strictly) {
    if (h == 0) {
      int i = search(node, e);
      int at = i >= 0 ? (strictly ? i + 1 : i) : -i - 1;
      return at < node.length ? (E) node[at] : null;
    }
    int c = childFor(node, e);
    E r = above((Object[]) node[2 * c + 1], h - 1, e, strictly);
    if (r != null || 2 * (c + 1) >= node.length) {
      return r;
    }
    // nothing above e in the child whose range holds e: the answer is the first element of the
    // next child, which the branch holds (greater than e, or that child's range would hold e)
    return (E) node[2 * (c + 1)];
  }

  /**
   * The node with {@code e} inserted (or put in place of an equal element if {@code replace}): the
   * same node if nothing changes, a {@link Split} if it overflowed.
   */
  private Object insert(Object[] node, int h, E e, boolean replace) {
    if (h == 0) {
      int i = search(node, e);
      if (i >= 0) {
        if (!replace || node[i] == e) {
          return node;
        }
        Object[] copy = node.clone();
        copy[i] = e;
        return copy;
      }
      int at = -i - 1;
      Object[] n = new Object[node.length + 1];
      System.arraycopy(node, 0, n, 0, at);
      n[at] = e;
      System.arraycopy(node, at, n, at + 1, node.length - at);
      return splitIfFull(n, 1);
    }
    int c = childFor(node, e);
    Object[] child = (Object[]) node[2 * c + 1];
    Object r = insert(child, h - 1, e, replace);
    if (r == child) {
      return node;
    }
    if (r instanceof Split s) {
      return splitIfFull(withSlots(node, 2 * c, 2, s.left[0], s.left, s.right[0], s.right), 2);
    }
    Object[] copy = node.clone();
    copy[2 * c] = ((Object[]) r)[0];
    copy[2 * c + 1] = r;
    return copy;
  }

  /** The node, or its two halves if it has more than {@value #MAX} entries of {@code slots} slots each. */
  private static Object splitIfFull(Object[] node, int slots) {
    int entries = node.length / slots;
    if (entries <= MAX) {
      return node;
    }
    int half = entries / 2 * slots;
    return new Split(Arrays.copyOf(node, half), Arrays.copyOfRange(node, half, node.length));
  }

  /** The node with {@code removed} slots from {@code at} replaced by the given ones. */
  private static Object[] withSlots(Object[] node, int at, int removed, Object... added) {
    Object[] n = new Object[node.length - removed + added.length];
    System.arraycopy(node, 0, n, 0, at);
    System.arraycopy(added, 0, n, at, added.length);
    System.arraycopy(node, at + removed, n, at + added.length, node.length - at - removed);
    return n;
  }

  /** The node without {@code removed} slots from {@code at}. */
  private static Object[] without(Object[] node, int at, int removed) {
    if (node.length == removed) {
      return NO_ENTRIES;
    }
    Object[] n = new Object[node.length - removed];
    System.arraycopy(node, 0, n, 0, at);
    System.arraycopy(node, at + removed, n, at, n.length - at);
    return n;
  }

  /** The node without {@code e} (the same node if it was not there); an empty array if nothing is left. */
  private Object[] remove(Object[] node, int h, E e) {
    if (h == 0) {
      int i = search(node, e);
      return i < 0 ? node : without(node, i, 1);
    }
    int c = childFor(node, e);
    Object[] child = (Object[]) node[2 * c + 1];
    Object[] r = remove(child, h - 1, e);
    if (r == child) {
      return node;
    }
    int entries = h == 1 ? r.length : r.length / 2;
    if (entries == 0) {
      return without(node, 2 * c, 2);
    }
    if (entries < MIN && node.length > 2) {
      int s = c > 0 ? c - 1 : c + 1; // a neighbour to merge with
      Object[] sibling = (Object[]) node[2 * s + 1];
      if (r.length + sibling.length <= (h == 1 ? MAX : 2 * MAX)) {
        Object[] left = s < c ? sibling : r;
        Object[] right = s < c ? r : sibling;
        Object[] merged = Arrays.copyOf(left, left.length + right.length);
        System.arraycopy(right, 0, merged, left.length, right.length);
        return withSlots(node, 2 * Math.min(c, s), 4, merged[0], merged);
      }
    }
    Object[] copy = node.clone();
    copy[2 * c] = r[0];
    copy[2 * c + 1] = r;
    return copy;
  }
}
