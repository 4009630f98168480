package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.LocalEffect;
import io.volumekit.core.effect.NodeCsiEffect;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.Operation;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Recorded node-side operations (node CSI calls and node-local writes) by node, and the
 * NodePublish operations by (node, PersistentVolume name).
 *
 * <p>The kubelet's actual state of the world is the set of its recorded operations; Kubernetes'
 * volume manager keeps it per node, with the pods mounting each device ({@code
 * actualStateOfWorld.GetMountedVolumesForPod}, {@code GetPodsMountedVolume}). This index exists
 * so that the kubelet's questions "does any pod on this node still have this PV published?"
 * (asked before every unstage) and "what is mounted on this node?" (asked when a node returns)
 * cost O(log n + answer) instead of a scan of every operation in the cluster. It changes with
 * operations only ({@link #applyOperation}); object changes leave it alone. Both maps are hash
 * tries ({@link EffectIdGroups}: why not sorted ones), sorted when read.
 */
public final class NodeOperationIndex implements ObjectIndex {

  private static final NodeOperationIndex EMPTY = new NodeOperationIndex(EffectIdGroups.EMPTY, EffectIdGroups.EMPTY);

  private final EffectIdGroups byNode;
  private final EffectIdGroups publishesByNodeAndVolume;

  private NodeOperationIndex(EffectIdGroups byNode, EffectIdGroups publishesByNodeAndVolume) {
    this.byNode = byNode;
    this.publishesByNodeAndVolume = publishesByNodeAndVolume;
  }

  /** The empty index. */
  public static NodeOperationIndex empty() {
    return EMPTY;
  }

  /** Ids of the recorded operations made on the node, in id order. */
  public Set<EffectId> onNode(String node) {
    return byNode.ids(node);
  }

  /** Ids of the recorded NodePublish operations of the PV on the node, in id order. */
  public Set<EffectId> publishes(String node, String pvName) {
    return publishesByNodeAndVolume.ids(pair(node, pvName));
  }

  private static final Optional<Set<String>> KINDS = Optional.of(Set.of());

  @Override
  public Optional<Set<String>> kinds() {
    return KINDS;
  }

  @Override
  public boolean indexesOperations() {
    return true;
  }

  @Override
  public ObjectIndex apply(Change change) {
    return this;
  }

  @Override
  public ObjectIndex applyOperation(Optional<Operation> before, Optional<Operation> after) {
    Effect b = before.isPresent() ? before.get().effect() : null;
    Effect a = after.isPresent() ? after.get().effect() : null;
    if (b == a) {
      return this; // the operation's state changed, not its effect: the effect is all this index reads
    }
    String bn = nodeOf(b);
    String an = nodeOf(a);
    String bp = publishPair(b);
    String ap = publishPair(a);
    if (Objects.equals(bn, an) && Objects.equals(bp, ap)) {
      return this;
    }
    EffectId id = (a != null ? a : b).id();
    return new NodeOperationIndex(move(byNode, bn, an, id), move(publishesByNodeAndVolume, bp, ap, id));
  }

  /** The node the effect is made on, or {@code null} (also for no effect). */
  private static String nodeOf(Effect e) {
    if (e instanceof NodeCsiEffect<?> n) {
      return n.node();
    }
    if (e instanceof LocalEffect l) {
      return l.node();
    }
    return null;
  }

  /** The node and PV of a NodePublish, or {@code null}. */
  private static String publishPair(Effect e) {
    return e instanceof NodePublish p ? pair(p.node(), p.volumeName()) : null;
  }

  /** Node and PV names never contain a NUL. */
  private static String pair(String node, String pvName) {
    return node + '\0' + pvName;
  }

  /** The groups with the id moved from the group of {@code from} to the one of {@code to} (either may be null). */
  private static EffectIdGroups move(EffectIdGroups m, String from, String to, EffectId id) {
    if (Objects.equals(from, to)) {
      return m;
    }
    if (from != null) {
      m = m.without(from, id);
    }
    if (to != null) {
      m = m.with(to, id);
    }
    return m;
  }
}
