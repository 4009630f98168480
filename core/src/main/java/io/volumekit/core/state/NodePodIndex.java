package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.Pod;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

/**
 * Pods by the node they are placed on ({@code spec.nodeName}), and the pods not placed yet.
 *
 * <p>The kubelet's "pods on my node" (its pod manager fed by a {@code spec.nodeName} field
 * selector) and the scheduler's queue of unscheduled pods. It exists so that a node coming back,
 * a node going out of service or a CSINode change looks at the pods of that node only, and so that
 * a freed node re-examines the pending pods only, instead of every pod in the cluster: O(log n)
 * per pod change, O(answer) per lookup.
 */
public final class NodePodIndex implements ObjectIndex {

  private static final NodePodIndex EMPTY = new NodePodIndex(TreePMap.empty(), TreePSet.empty());

  private final TreePMap<String, TreePSet<ObjectKey>> podsByNode;
  private final TreePSet<ObjectKey> unscheduled;

  private NodePodIndex(TreePMap<String, TreePSet<ObjectKey>> podsByNode, TreePSet<ObjectKey> unscheduled) {
    this.podsByNode = podsByNode;
    this.unscheduled = unscheduled;
  }

  /** The empty index. */
  public static NodePodIndex empty() {
    return EMPTY;
  }

  /** Keys of the pods whose {@code spec.nodeName} is the node, in key order. */
  public Set<ObjectKey> podsOn(String node) {
    TreePSet<ObjectKey> s = podsByNode.get(node);
    return s == null ? Set.of() : s;
  }

  /** Keys of the pods without {@code spec.nodeName}, in key order. */
  public Set<ObjectKey> unscheduled() {
    return unscheduled;
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of(Pod.KIND));

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public ObjectIndex apply(Change change) {
    if (!change.kind().equals(Pod.KIND) || Unchanged.part(change, Pod.class, Pod::spec)) {
      return this;
    }
    Optional<Optional<String>> before = change.beforeAs(Pod.class).map(Pod::nodeName);
    Optional<Optional<String>> after = change.afterAs(Pod.class).map(Pod::nodeName);
    if (before.equals(after)) {
      return this;
    }
    ObjectKey key = change.key();
    TreePMap<String, TreePSet<ObjectKey>> m = podsByNode;
    TreePSet<ObjectKey> u = unscheduled;
    if (before.isPresent()) {
      if (before.get().isEmpty()) {
        u = u.minus(key);
      } else {
        String n = before.get().get();
        TreePSet<ObjectKey> s = Optional.ofNullable(m.get(n)).orElse(TreePSet.empty()).minus(key);
        m = s.isEmpty() ? m.minus(n) : m.plus(n, s);
      }
    }
    if (after.isPresent()) {
      if (after.get().isEmpty()) {
        u = u.plus(key);
      } else {
        String n = after.get().get();
        m = m.plus(n, m.getOrDefault(n, TreePSet.empty()).plus(key));
      }
    }
    return new NodePodIndex(m, u);
  }
}
