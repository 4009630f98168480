package io.volumekit.core.state;

import io.volumekit.core.key.Change;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.LocalEffect;
import io.volumekit.core.effect.NodeCsiEffect;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.Operation;
import java.util.Optional;
import java.util.Set;
import org.pcollections.TreePMap;
import org.pcollections.TreePSet;

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
 * operations only ({@link #applyOperation}); object changes leave it alone.
 */
public final class NodeOperationIndex implements ObjectIndex {

  private static final NodeOperationIndex EMPTY = new NodeOperationIndex(TreePMap.empty(), TreePMap.empty());

  private final TreePMap<String, TreePSet<EffectId>> byNode;
  private final TreePMap<String, TreePSet<EffectId>> publishesByNodeAndVolume;

  private NodeOperationIndex(TreePMap<String, TreePSet<EffectId>> byNode,
      TreePMap<String, TreePSet<EffectId>> publishesByNodeAndVolume) {
    this.byNode = byNode;
    this.publishesByNodeAndVolume = publishesByNodeAndVolume;
  }

  /** The empty index. */
  public static NodeOperationIndex empty() {
    return EMPTY;
  }

  /** Ids of the recorded operations made on the node, in id order. */
  public Set<EffectId> onNode(String node) {
    TreePSet<EffectId> s = byNode.get(node);
    return s == null ? Set.of() : s;
  }

  /** Ids of the recorded NodePublish operations of the PV on the node, in id order. */
  public Set<EffectId> publishes(String node, String pvName) {
    TreePSet<EffectId> s = publishesByNodeAndVolume.get(pair(node, pvName));
    return s == null ? Set.of() : s;
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
    if (before.isPresent() && after.isPresent() && before.get().effect() == after.get().effect()) {
      return this; // the operation's state changed, not its effect: the effect is all this index reads
    }
    Optional<Effect> b = before.map(Operation::effect);
    Optional<Effect> a = after.map(Operation::effect);
    Optional<String> bn = b.flatMap(NodeOperationIndex::nodeOf);
    Optional<String> an = a.flatMap(NodeOperationIndex::nodeOf);
    Optional<String> bp = b.flatMap(NodeOperationIndex::publishPair);
    Optional<String> ap = a.flatMap(NodeOperationIndex::publishPair);
    if (bn.equals(an) && bp.equals(ap)) {
      return this;
    }
    EffectId id = (after.isPresent() ? after : before).get().effect().id();
    return new NodeOperationIndex(move(byNode, bn, an, id), move(publishesByNodeAndVolume, bp, ap, id));
  }

  private static Optional<String> nodeOf(Effect e) {
    if (e instanceof NodeCsiEffect<?> n) {
      return Optional.of(n.node());
    }
    if (e instanceof LocalEffect l) {
      return Optional.of(l.node());
    }
    return Optional.empty();
  }

  private static Optional<String> publishPair(Effect e) {
    return e instanceof NodePublish p ? Optional.of(pair(p.node(), p.volumeName())) : Optional.empty();
  }

  /** Node and PV names never contain a NUL. */
  private static String pair(String node, String pvName) {
    return node + '\0' + pvName;
  }

  private static TreePMap<String, TreePSet<EffectId>> move(TreePMap<String, TreePSet<EffectId>> m,
      Optional<String> from, Optional<String> to, EffectId id) {
    if (from.equals(to)) {
      return m;
    }
    if (from.isPresent()) {
      TreePSet<EffectId> s = Optional.ofNullable(m.get(from.get())).orElse(TreePSet.empty()).minus(id);
      m = s.isEmpty() ? m.minus(from.get()) : m.plus(from.get(), s);
    }
    if (to.isPresent()) {
      m = m.plus(to.get(), m.getOrDefault(to.get(), TreePSet.empty()).plus(id));
    }
    return m;
  }
}
