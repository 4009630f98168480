package io.volumekit.core.scheduling;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.migration.TranslationException;
import io.volumekit.core.podvolume.InlineMigratedVolumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.NodePodIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeCondition;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodCondition;
import io.volumekit.model.core.PodConditionBuilder;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Taint;
import io.volumekit.model.core.Toleration;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSINodeDriver;
import io.volumekit.model.storage.CSIStorageCapacity;
import io.volumekit.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Places pods without {@code spec.nodeName} on a node: the storage-relevant part of
 * kube-scheduler.
 *
 * <p>Runs, per node in name order, the filters {@code NodeUnschedulable}, {@code TaintToleration}
 * (NoSchedule/NoExecute taints, and a node whose Ready condition is not True as {@code
 * node.kubernetes.io/not-ready}), {@code NodeAffinity} (nodeSelector and required node affinity),
 * {@code NodeVolumeLimits} (CSINode {@code allocatable.count} per driver) and {@code
 * VolumeBinding} ({@link VolumeFilters}), after the pre-filters (missing or deleting claims,
 * unbound immediate claims, ReadWriteOncePod in use). The first fitting node by name is chosen
 * (deterministic). Like the scheduler's VolumeBinding PreBind, unbound WaitForFirstConsumer claims
 * are first pre-bound to a matching PV or given {@code volume.kubernetes.io/selected-node} for that
 * node, and the pod is bound only once all its claims are bound: then it gets {@code
 * spec.nodeName}, {@code PodScheduled=True} and a {@code Scheduled} event (a provisioning failure
 * that drops selected-node lets the pod be placed again).
 * A pod that fits nowhere stays Pending with {@code PodScheduled=False}, reason {@code
 * Unschedulable}, and a {@code FailedScheduling} event with the scheduler's message, e.g. {@code
 * 0/3 nodes are available: 1 node(s) had volume node affinity conflict, 2 node(s) didn't match
 * Pod's node affinity/selector.} (recorded again only when the message changes). Pods that set
 * {@code spec.nodeName} themselves are not touched.
 */
public final class Scheduler implements Controller {

  /** The controller's name (also the event source). */
  public static final String NAME = "default-scheduler";

  /** Event reason when no node fits. */
  public static final String FAILED_SCHEDULING = "FailedScheduling";

  /** Event reason when the pod is placed. */
  public static final String SCHEDULED = "Scheduled";

  static final String UNSCHEDULABLE_NODE = "node(s) were unschedulable";
  static final String AFFINITY_MISMATCH = "node(s) didn't match Pod's node affinity/selector";
  static final String MAX_VOLUME_COUNT = "node(s) exceed max volume count";

  private final CsiMigration migration;

  /** A scheduler with every in-tree plugin migrated. */
  public Scheduler() {
    this(CsiMigration.all());
  }

  /** A scheduler counting PVs of the migrated in-tree plugins against their CSI driver's attach limit. */
  public Scheduler(CsiMigration migration) {
    this.migration = java.util.Objects.requireNonNull(migration, "migration");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public WatchedKinds watches() {
    return SchedulerWatches.WATCHES;
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case Pod.KIND -> {
        Optional<Pod> after = change.afterAs(Pod.class);
        if (after.isPresent() && after.get().nodeName().isEmpty()) {
          enqueue.accept(change.key());
        }
        boolean freed = change.beforeAs(Pod.class).filter(p -> p.nodeName().isPresent()).isPresent()
            && (after.isEmpty() || PodVolumeSupport.isTerminated(after.get()));
        if (freed) {
          pending(state, enqueue);
        }
      }
      case PersistentVolumeClaim.KIND -> {
        Optional<PersistentVolumeClaim> before = change.beforeAs(PersistentVolumeClaim.class);
        Optional<PersistentVolumeClaim> after = change.afterAs(PersistentVolumeClaim.class);
        boolean rest = sameButSelectedNode(before, after); // (compared once for both tests below)
        if (rest && selectedNode(before.get()).equals(selectedNode(after.get()))) {
          return; // nothing the volume filters read changed
        }
        if (rest && onlyNodeSelected(before.get(), after.get()) && VolumeFilters.assumedVolume(state, after.get()).isEmpty()) {
          // (the scheduler's own PreBind write) a pod not recorded unschedulable had work before it
          pendingUsing(state, change.key(), p -> recordedUnschedulable(p), enqueue);
          return;
        }
        pendingUsing(state, change.key(), p -> true, enqueue);
      }
      case PersistentVolume.KIND -> {
        // A volume that became available may fit a pending pod; a pre-bound or bound one only its claim's pods.
        boolean availableNow = change.afterAs(PersistentVolume.class).filter(pv -> pv.spec().claimRef().isEmpty()).isPresent();
        boolean availableBefore = change.beforeAs(PersistentVolume.class).filter(pv -> pv.spec().claimRef().isEmpty()).isPresent();
        if (availableNow && !availableBefore) {
          pending(state, enqueue);
        } else {
          Optional<PersistentVolume> pv = change.afterAs(PersistentVolume.class);
          Optional<ObjectKey> claim = pv.flatMap(Volumes::claimRefKey);
          if (claim.isPresent() && change.before().isEmpty() && admitsClaimNode(state, pv.get(), claim.get())) {
            // a volume made for the claim (the provisioner's): see admitsClaimNode
            pendingUsing(state, claim.get(), p -> recordedUnschedulable(p), enqueue);
          } else {
            claim.ifPresent(c -> pendingUsing(state, c, p -> true, enqueue));
          }
        }
      }
      case Node.KIND, CSINode.KIND, CSIStorageCapacity.KIND, StorageClass.KIND, CSIDriver.KIND -> {
        if (change.kind().equals(Node.KIND) && change.before().isPresent() && change.after().isPresent()
            && sameForScheduling((Node) change.before().get(), (Node) change.after().get())) {
          return;
        }
        pending(state, enqueue);
      }
      default -> { }
    }
  }

  /**
   * Whether a claim change leaves what the volume filters read of it as it was, but for the {@code
   * selected-node} annotation: its spec (class, volumeName, selector), identity, owners, deletion
   * and the {@code bind-completed} annotation. With the same {@code selected-node} too, another
   * controller's annotation or a status change is skipped.
   */
  private static boolean sameButSelectedNode(Optional<PersistentVolumeClaim> before, Optional<PersistentVolumeClaim> after) {
    if (before.isEmpty() || after.isEmpty()) {
      return false;
    }
    io.volumekit.model.meta.ObjectMeta b = before.get().metadata();
    io.volumekit.model.meta.ObjectMeta a = after.get().metadata();
    return before.get().spec().equals(after.get().spec()) && b.uid().equals(a.uid()) && b.isDeleting() == a.isDeleting()
        && b.ownerReferences().equals(a.ownerReferences())
        && b.annotation(io.volumekit.core.api.Annotations.BIND_COMPLETED)
            .equals(a.annotation(io.volumekit.core.api.Annotations.BIND_COMPLETED));
  }

  private static Optional<String> selectedNode(PersistentVolumeClaim claim) {
    return claim.metadata().annotation(io.volumekit.core.api.Annotations.SELECTED_NODE);
  }

  /**
   * Whether an unbound claim gained the {@code selected-node} annotation (the caller checked that
   * nothing else the filters read changed: {@link #sameButSelectedNode}). Before such a change, a pending pod using
   * the claim that has no volume pre-bound to it ({@link VolumeFilters#assumedVolume}) always had
   * work: it fit a node (and PreBind would write the claim), or it fit none, or a claim was not
   * ready (and it would be marked unschedulable), unless that mark with the same message is
   * recorded already. So only the pods with such a mark ({@link #recordedUnschedulable}) can go
   * from nothing to do to something to do, and only those are queued.
   */
  private static boolean onlyNodeSelected(PersistentVolumeClaim before, PersistentVolumeClaim after) {
    return after.volumeName().isEmpty() && selectedNode(before).isEmpty() && selectedNode(after).isPresent();
  }

  /**
   * Whether a volume created pre-bound to the claim admits every node a pending pod of the claim
   * could be placed on: it has no required node affinity, or the claim selected a node that it
   * admits. A pending pod with nothing to do before such a volume appears (it fit a node, and every
   * delayed claim of it was pre-bound or selected for that node) fits that node with the volume
   * too and writes the same (nothing); any other pod not recorded unschedulable had work before
   * it. So only the pods recorded unschedulable ({@link #recordedUnschedulable}) are queued (the
   * provisioned volume of a claim waiting for its provisioner queues no pod otherwise).
   */
  private static boolean admitsClaimNode(ClusterState state, PersistentVolume pv, ObjectKey claim) {
    Optional<io.volumekit.model.core.NodeSelector> required = pv.spec().nodeAffinity().flatMap(a -> a.required());
    if (required.isEmpty()) {
      return true;
    }
    Optional<Node> node = state.get(claim, PersistentVolumeClaim.class).flatMap(Scheduler::selectedNode)
        .flatMap(n -> state.get(ObjectKey.cluster(Node.KIND, n), Node.class));
    return node.isPresent()
        && required.get().matches(node.get().metadata().labels(), Map.of("metadata.name", node.get().metadata().name()));
  }

  /** Whether the pod carries {@code PodScheduled=False} (the only state {@link #unschedulable} may leave as it is). */
  private static boolean recordedUnschedulable(Pod pod) {
    for (PodCondition c : pod.status().conditions()) {
      if (c.type().equals("PodScheduled") && c.status().equals("False")) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameForScheduling(Node a, Node b) {
    return a.spec().equals(b.spec()) && a.metadata().labels().equals(b.metadata().labels())
        && a.status().conditions().equals(b.status().conditions());
  }

  /**
   * Re-queues the pending pods (the scheduler's unschedulable queue moving to active on a cluster
   * event). O(pending pods) through {@link NodePodIndex}, not a listing of every pod: a freed node
   * (a pod deleted) must not cost a scan of the scheduled pods.
   */
  private static void pending(ClusterState state, Consumer<ObjectKey> enqueue) {
    for (ObjectKey k : state.index(NodePodIndex.class).unscheduled()) {
      state.get(k, Pod.class).filter(p -> !p.metadata().isDeleting()).ifPresent(p -> enqueue.accept(k));
    }
  }

  /** Queues the pods using the claim that are not placed yet and pass {@code which}. */
  private static void pendingUsing(ClusterState state, ObjectKey claim, java.util.function.Predicate<Pod> which,
      Consumer<ObjectKey> enqueue) {
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      state.get(pk, Pod.class).filter(p -> p.nodeName().isEmpty() && which.test(p)).ifPresent(p -> enqueue.accept(pk));
    }
  }

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    Optional<Pod> found = state.get(key, Pod.class);
    if (found.isEmpty()) {
      return Decision.none();
    }
    Pod pod = found.get();
    if (pod.nodeName().isPresent() || pod.metadata().isDeleting() || PodVolumeSupport.isTerminated(pod)
        || pod.spec().schedulerName().filter(n -> !n.equals(NAME)).isPresent()) {
      return Decision.none();
    }
    List<Node> nodes = state.list(Node.KIND, Node.class);
    Object pre = VolumeFilters.preFilter(state, pod);
    String message;
    if (pre instanceof String reason) {
      message = "0/" + nodes.size() + " nodes are available: " + reason + ".";
    } else {
      VolumeFilters.PodClaims claims = (VolumeFilters.PodClaims) pre;
      Map<String, Integer> reasons = new TreeMap<>();
      VolumeCounts counts = new VolumeCounts(state, migration);
      // The node the pod's volumes were made for (selected-node) is tried first: the scheduler's
      // assumed node survives the wait for provisioning.
      Set<String> selected = new java.util.TreeSet<>();
      for (PersistentVolumeClaim c : claims.bound()) {
        c.metadata().annotation(io.volumekit.core.api.Annotations.SELECTED_NODE).ifPresent(selected::add);
      }
      for (PersistentVolumeClaim c : claims.delayed()) {
        c.metadata().annotation(io.volumekit.core.api.Annotations.SELECTED_NODE).ifPresent(selected::add);
      }
      List<Node> ordered = nodes; // no selected node: the nodes in name order as they are
      if (!selected.isEmpty()) {
        ordered = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
          if (selected.contains(n.metadata().name())) {
            ordered.add(n);
          }
        }
        for (Node n : nodes) {
          if (!selected.contains(n.metadata().name())) {
            ordered.add(n);
          }
        }
      }
      for (Node n : ordered) {
        Optional<String> why = filter(state, pod, n, claims, counts);
        if (why.isEmpty()) {
          if (!claims.delayed().isEmpty()) {
            // PreBind: make the claims' volumes for this node first; the pod is bound once they are.
            Decision.Builder b = Decision.builder();
            VolumeFilters.assume(state, claims, n).forEach(b::update);
            return b.build();
          }
          return bind(pod, n.metadata().name());
        }
        reasons.merge(why.get(), 1, Integer::sum);
      }
      message = fitError(nodes.size(), reasons);
    }
    return unschedulable(pod, message);
  }

  /** {@code FitError.Error()}: {@code 0/N nodes are available: <count reason>, ... .} (sorted). */
  static String fitError(int nodes, Map<String, Integer> reasons) {
    List<String> parts = new ArrayList<>();
    reasons.forEach((r, n) -> parts.add(n + " " + r));
    parts.sort(null);
    return "0/" + nodes + " nodes are available" + (parts.isEmpty() ? "" : ": " + String.join(", ", parts)) + ".";
  }

  private static Decision bind(Pod pod, String node) {
    Pod placed = pod.withSpec(pod.spec().withNodeName(Optional.of(node)))
        .withStatus(pod.status().withConditions(scheduledCondition(pod.status().conditions(), "True", Optional.empty(),
            Optional.empty())));
    return Decision.builder()
        .update(placed)
        .event(EventRecord.normal(NAME, ObjectKey.of(pod), SCHEDULED,
            "Successfully assigned " + pod.metadata().namespaceOrEmpty() + "/" + pod.metadata().name() + " to " + node))
        .build();
  }

  private static Decision unschedulable(Pod pod, String message) {
    Optional<PodCondition> current = pod.status().conditions().stream()
        .filter(c -> c.type().equals("PodScheduled")).findFirst();
    if (current.isPresent() && current.get().status().equals("False")
        && current.get().message().filter(message::equals).isPresent()) {
      return Decision.none();
    }
    Pod next = pod.withStatus(pod.status().withPhase(Optional.of(PodStatus.PENDING))
        .withConditions(scheduledCondition(pod.status().conditions(), "False", Optional.of("Unschedulable"),
            Optional.of(message))));
    return Decision.builder()
        .update(next)
        .event(EventRecord.warning(NAME, ObjectKey.of(pod), FAILED_SCHEDULING, message))
        .build();
  }

  private static ImmutableList<PodCondition> scheduledCondition(List<PodCondition> conditions, String status,
      Optional<String> reason, Optional<String> message) {
    List<PodCondition> out = new ArrayList<>();
    for (PodCondition c : conditions) {
      if (!c.type().equals("PodScheduled")) {
        out.add(c);
      }
    }
    out.add(0, PodConditionBuilder.builder().type("PodScheduled").status(status).reason(reason).message(message).build());
    return ImmutableList.copyOf(out);
  }

  /** The first failing filter's reason for the node, or empty when the pod fits. */
  static Optional<String> filter(ClusterState state, Pod pod, Node node, VolumeFilters.PodClaims claims, VolumeCounts counts) {
    List<Toleration> tolerations = pod.spec().tolerations();
    if (node.spec().unschedulable().orElse(false)
        && !Toleration.anyTolerates(tolerations, Taint.of("node.kubernetes.io/unschedulable", "", Taint.NO_SCHEDULE))) {
      return Optional.of(UNSCHEDULABLE_NODE);
    }
    for (Taint t : node.spec().taints()) {
      if ((t.effect().equals(Taint.NO_SCHEDULE) || t.effect().equals(Taint.NO_EXECUTE))
          && !Toleration.anyTolerates(tolerations, t)) {
        return Optional.of("node(s) had untolerated taint {" + t.key() + ": " + t.value().orElse("") + "}");
      }
    }
    for (NodeCondition c : node.status().conditions()) {
      if (c.type().equals("Ready") && !c.status().equals("True")) {
        Taint notReady = Taint.of(c.status().equals("False") ? "node.kubernetes.io/not-ready" : "node.kubernetes.io/unreachable",
            "", Taint.NO_SCHEDULE);
        if (!Toleration.anyTolerates(tolerations, notReady)) {
          return Optional.of("node(s) had untolerated taint {" + notReady.key() + ": }");
        }
      }
    }
    for (Map.Entry<String, String> e : pod.spec().nodeSelector().entrySet()) {
      if (!e.getValue().equals(node.metadata().labels().get(e.getKey()))) {
        return Optional.of(AFFINITY_MISMATCH);
      }
    }
    boolean affinity = pod.spec().affinity().flatMap(a -> a.nodeAffinity())
        .flatMap(a -> a.requiredDuringSchedulingIgnoredDuringExecution()).map(s -> s.matches(node)).orElse(true);
    if (!affinity) {
      return Optional.of(AFFINITY_MISMATCH);
    }
    if (counts.exceeds(pod, node.metadata().name(), claims)) {
      return Optional.of(MAX_VOLUME_COUNT);
    }
    return VolumeFilters.volumeBinding(state, claims, node);
  }

  /**
   * {@code NodeVolumeLimits}: distinct CSI volumes per driver used on each node (computed once per
   * scheduling attempt, only if some CSINode declares a limit).
   */
  static final class VolumeCounts {
    private final ClusterState state;
    private final CsiMigration migration;
    private Map<String, Map<String, Set<String>>> byNode; // node -> driver -> volume handles

    VolumeCounts(ClusterState state, CsiMigration migration) {
      this.state = state;
      this.migration = migration;
    }

    boolean exceeds(Pod pod, String node, VolumeFilters.PodClaims claims) {
      Optional<CSINode> cn = state.get(ObjectKey.cluster(CSINode.KIND, node), CSINode.class);
      if (cn.isEmpty() || !declaresLimit(cn.get())) {
        return false;
      }
      if (byNode == null) {
        byNode = new HashMap<>();
      }
      // Only this node's pods (NodePodIndex), computed once per node per attempt.
      Map<String, Set<String>> used = byNode.computeIfAbsent(node, n -> {
        Map<String, Set<String>> m = new HashMap<>();
        for (ObjectKey k : state.index(NodePodIndex.class).podsOn(n)) {
          state.get(k, Pod.class).filter(p -> !PodVolumeSupport.isTerminated(p)).ifPresent(p ->
              volumes(p).forEach((handle, driver) -> m.computeIfAbsent(driver, d -> new HashSet<>()).add(handle)));
        }
        return m;
      });
      Map<String, Integer> extra = new HashMap<>();
      volumes(pod).forEach((handle, driver) -> {
        if (!used.getOrDefault(driver, Set.of()).contains(handle)) {
          extra.merge(driver, 1, Integer::sum);
        }
      });
      for (CSINodeDriver d : cn.get().spec().drivers()) {
        Optional<Integer> limit = d.allocatable().flatMap(a -> a.count());
        int add = extra.getOrDefault(d.name(), 0);
        if (limit.isPresent() && add > 0 && used.getOrDefault(d.name(), Set.of()).size() + add > limit.get()) {
          return true;
        }
      }
      return false;
    }

    /** Whether some driver of the CSINode declares an {@code allocatable.count} (a loop: asked per node per attempt). */
    private static boolean declaresLimit(CSINode cn) {
      for (CSINodeDriver d : cn.spec().drivers()) {
        if (d.allocatable().flatMap(a -> a.count()).isPresent()) {
          return true;
        }
      }
      return false;
    }

    /** The pod's CSI volumes: handle (or a placeholder for a claim to provision) to driver. */
    private Map<String, String> volumes(Pod pod) {
      Map<String, String> out = new HashMap<>();
      for (Volume v : pod.spec().volumes()) {
        if (v.csi().isPresent()) {
          out.put(PodVolumeSupport.inlineVolumeId(pod.metadata().uid().orElse(""), v.name()), v.csi().get().driver());
          continue;
        }
        if (migration.plugin(v).isPresent()) { // an inline migrated in-tree volume counts by its translated handle
          try {
            InlineMigratedVolumes.translate(migration, pod, v).ifPresent(i -> out.put(i.csi().volumeHandle(), i.csi().driver()));
          } catch (TranslationException e) {
            // the kubelet reports it
          }
          continue;
        }
        Optional<ObjectKey> ck = PodVolumeSupport.claimKey(pod, v);
        if (ck.isEmpty()) {
          continue;
        }
        Optional<PersistentVolumeClaim> c = state.get(ck.get(), PersistentVolumeClaim.class);
        if (c.isEmpty()) {
          continue;
        }
        Optional<PersistentVolume> pv = c.get().volumeName().flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class));
        Optional<io.volumekit.model.core.CSIPersistentVolumeSource> csi = pv.flatMap(migration::csiSource);
        if (csi.isPresent()) { // a migrated in-tree PV counts for its CSI driver
          out.put(csi.get().volumeHandle(), csi.get().driver());
        } else if (c.get().volumeName().isEmpty()) {
          String cls = Volumes.storageClass(c.get());
          state.get(Volumes.classKey(cls), StorageClass.class)
              .ifPresent(sc -> out.put("claim:" + ck.get(), migration.driverForProvisioner(sc.provisioner()).orElse(sc.provisioner())));
        }
      }
      return out;
    }
  }
}
