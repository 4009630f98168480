package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.api.Annotations;
import io.volumekit.model.core.Node;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * The volumes each node's kubelet reports in use, as persistent sorted sets: the parsed form of the
 * node's {@link Annotations#VOLUMES_IN_USE} annotation (volumekit's {@code node.status.volumesInUse}).
 *
 * <p>The annotation stays the durable, user-visible record; this index exists so that readers (the
 * kubelet's volume manager on every stage and unstage, the attach/detach controller before every
 * detach) ask "is this volume in use on that node" in O(log n) instead of splitting the
 * comma-joined string into a new set each time: with many volumes on one node that parse made every
 * lifecycle O(volumes on the node). A Node change with an unchanged annotation costs one string
 * comparison; a changed one is diffed around the common prefix and suffix of the two strings, so a
 * one-volume change costs O(log n) set updates (plus a character comparison of the strings).
 */
public final class VolumesInUseIndex implements ObjectIndex {

  private static final VolumesInUseIndex EMPTY = new VolumesInUseIndex(TreePMap.empty());

  private final TreePMap<String, TreePSet<String>> byNode;

  private VolumesInUseIndex(TreePMap<String, TreePSet<String>> byNode) {
    this.byNode = byNode;
  }

  /** The empty index. */
  public static VolumesInUseIndex empty() {
    return EMPTY;
  }

  /** The volumes the node reports in use, sorted and unmodifiable (empty for an unknown node). */
  public NavigableSet<String> inUse(String node) {
    return set(node);
  }

  private TreePSet<String> set(String node) {
    TreePSet<String> s = byNode.get(node);
    return s == null ? TreePSet.empty() : s;
  }

  /** The raw annotation of a node ("" when absent). */
  public static String annotation(Node node) {
    return node.metadata().annotations().getOrDefault(Annotations.VOLUMES_IN_USE, "");
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(Node.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(Node.KIND) || Unchanged.part(change, Node.class, n -> n.metadata().annotations())) {
      return this;
    }
    Optional<String> before = change.beforeAs(Node.class).map(VolumesInUseIndex::annotation);
    Optional<String> after = change.afterAs(Node.class).map(VolumesInUseIndex::annotation);
    if (before.equals(after)) {
      return this;
    }
    String node = change.key().name();
    if (after.isEmpty() || after.get().isEmpty()) {
      return byNode.containsKey(node) ? new VolumesInUseIndex(byNode.minus(node)) : this;
    }
    TreePSet<String> set;
    if (before.isEmpty()) {
      set = TreePSet.from(parse(after.get()));
    } else {
      set = set(node);
      String b = before.get();
      String a = after.get();
      Middles m = middles(b, a);
      for (String t : tokens(b, m.beforeStart, m.beforeEnd)) {
        if (!containsToken(a, t)) {
          set = set.minus(t);
        }
      }
      set = set.plusAll(tokens(a, m.afterStart, m.afterEnd));
    }
    return new VolumesInUseIndex(set.isEmpty() ? byNode.minus(node) : byNode.plus(node, set));
  }

  /**
   * The volumes in exactly one of the two annotation values, sorted: the ones whose in-use state
   * changed. Only the part between the common prefix and suffix of the two strings is looked at.
   */
  public static SortedSet<String> changed(String before, String after) {
    SortedSet<String> out = new TreeSet<>();
    if (before.equals(after)) {
      return out;
    }
    Middles m = middles(before, after);
    for (String t : tokens(before, m.beforeStart, m.beforeEnd)) {
      if (!containsToken(after, t)) {
        out.add(t);
      }
    }
    for (String t : tokens(after, m.afterStart, m.afterEnd)) {
      if (!containsToken(before, t)) {
        out.add(t);
      }
    }
    return out;
  }

  /** The non-empty comma-separated entries of an annotation value, sorted and distinct. */
  public static SortedSet<String> parse(String value) {
    return tokens(value, 0, value.length());
  }

  private record Middles(int beforeStart, int beforeEnd, int afterStart, int afterEnd) {}

  /**
   * The differing middles of two comma-separated values: everything outside them is made of the
   * same whole entries in both (a common prefix ending at a comma and a common suffix starting
   * after one).
   */
  private static Middles middles(String b, String a) {
    int lb = b.length();
    int la = a.length();
    int min = Math.min(lb, la);
    int p0 = 0;
    while (p0 < min && b.charAt(p0) == a.charAt(p0)) {
      p0++;
    }
    int p = b.lastIndexOf(',', p0 - 1) + 1; // b[0,p) == a[0,p), ending at a comma (or empty)
    int s0 = 0;
    int maxSuffix = min - p;
    while (s0 < maxSuffix && b.charAt(lb - 1 - s0) == a.charAt(la - 1 - s0)) {
      s0++;
    }
    int c = b.indexOf(',', lb - s0); // the suffix starts after a comma
    int s = c < 0 ? 0 : lb - c - 1;
    return new Middles(p, lb - s, p, la - s);
  }

  private static SortedSet<String> tokens(String value, int from, int to) {
    SortedSet<String> out = new TreeSet<>();
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || value.charAt(i) == ',') {
        if (i > start) {
          out.add(value.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** Whether the annotation value lists the volume (whole entries only), without parsing it. */
  public static boolean containsVolume(String value, String volume) {
    return containsToken(value, volume);
  }

  /** Whether the comma-separated value has the entry (whole entries only). */
  static boolean containsToken(String value, String token) {
    int len = token.length();
    int i = value.indexOf(token);
    while (i >= 0) {
      boolean startOk = i == 0 || value.charAt(i - 1) == ',';
      boolean endOk = i + len == value.length() || value.charAt(i + len) == ',';
      if (startOk && endOk) {
        return true;
      }
      i = value.indexOf(token, i + 1);
    }
    return false;
  }
}
