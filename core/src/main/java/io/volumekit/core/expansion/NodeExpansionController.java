package io.volumekit.core.expansion;

import io.volumekit.core.controller.ChangeFact;
import static io.volumekit.core.expansion.ClaimResize.NODE_RESIZE_INFEASIBLE;
import static io.volumekit.core.expansion.ClaimResize.NODE_RESIZE_IN_PROGRESS;
import static io.volumekit.core.expansion.ClaimResize.NODE_RESIZE_PENDING;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.NodeExpandVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodeExpand;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.KubeletOperations;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.NodeOperationIndex;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.quantity.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The kubelet's volume expansion on the node (docs/cases/expansion.md rows N1-N6), reconciled
 * per claim: once the external-resizer grew the volume and set {@code NodeResizePending}, the
 * kubelet of a node where the volume is published (or staged) calls NodeExpandVolume with the
 * PV's new capacity ({@code NodeExpander.expandOnPlugin}), marking {@code NodeResizeInProgress}
 * first. On success the claim's {@code status.capacity} becomes the PV's capacity, the status
 * entry and the resize conditions go, and {@code FileSystemResizeSuccessful} is recorded on the
 * claim and the pod. A final failure sets the condition {@code NodeResizeError}; an infeasible one
 * (or one for a size the user no longer asks for) also {@code NodeResizeInfeasible}, which hands
 * the claim back to the resizer. Other failures are retried with the runtime's backoff.
 *
 * <p>While no pod has the volume mounted, nothing happens: the claim keeps {@code
 * FileSystemResizePending} until a pod starts. A node plugin without EXPAND_VOLUME has nothing to
 * grow: the claim is finished without a call.
 */
public final class NodeExpansionController implements Controller {

  /** The controller's name. */
  public static final String NAME = "kubelet-volume-expansion";

  /** The source of the kubelet's events. */
  static final String KUBELET = "kubelet";

  private final VolumeHost host;

  /** Node expansion for the host's drivers. */
  public NodeExpansionController(VolumeHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The id of the NodeExpandVolume call for a claim. */
  public static EffectId nodeExpandId(ObjectKey claim) {
    return EffectId.of("nodeexpand/" + claim.namespace() + "/" + claim.name());
  }

  /** The claim of the change (its own, or its volume's) waits for a node resize, by the watch's own test. */
  private static final ChangeFact NODE_RESIZE = ChangeFact.of("claim node resize",
      f -> f.claimKey().isPresent() && nodeResizing(f.state(), f.claimKey().get(), f.claim()));

  @Override
  public WatchedKinds watches() {
    // A volume and a pod as they are now (added or updated): the claim's resize, the pod's node.
    return WatchedKinds.of(PersistentVolumeClaim.KIND, PersistentVolume.KIND, Pod.KIND)
        .only(PersistentVolume.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .only(Pod.KIND, Change.Type.ADDED, Change.Type.MODIFIED)
        .when(PersistentVolumeClaim.KIND, NODE_RESIZE)
        .when(PersistentVolume.KIND, NODE_RESIZE);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      // the claim as it is now is the change's (no look-up in the state)
      case PersistentVolumeClaim.KIND -> enqueueIfNodeResize(state, change.key(), change.afterAs(PersistentVolumeClaim.class), enqueue);
      case PersistentVolume.KIND -> change.afterAs(PersistentVolume.class).flatMap(Volumes::claimRefKey)
          .ifPresent(k -> enqueueIfNodeResize(state, k, enqueue));
      case Pod.KIND -> change.afterAs(Pod.class).filter(p -> p.nodeName().isPresent())
          .ifPresent(p -> PodIndex.claimsOf(p).forEach(k -> enqueueIfNodeResize(state, k, enqueue)));
      default -> { }
    }
  }

  /**
   * Queues the claim unless {@link #reconcile} would decide nothing for it: with no NodeExpandVolume
   * operation recorded, only a claim whose resize status is {@code NodeResizePending} or {@code
   * NodeResizeInProgress} has a node step to take.
   */
  private static void enqueueIfNodeResize(ClusterState state, ObjectKey claim, Consumer<ObjectKey> enqueue) {
    enqueueIfNodeResize(state, claim, state.get(claim, PersistentVolumeClaim.class), enqueue);
  }

  /** {@link #enqueueIfNodeResize(ClusterState, ObjectKey, Consumer)} with the claim as the state has it. */
  private static void enqueueIfNodeResize(ClusterState state, ObjectKey claim, Optional<PersistentVolumeClaim> found,
      Consumer<ObjectKey> enqueue) {
    if (nodeResizing(state, claim, found)) {
      enqueue.accept(claim);
    }
  }

  /** Whether the claim waits for a node resize or has one in flight (the watch's test, and {@link #NODE_RESIZE}). */
  private static boolean nodeResizing(ClusterState state, ObjectKey claim, Optional<PersistentVolumeClaim> found) {
    boolean pending = found.flatMap(ClaimResize::status)
        .filter(s -> s.equals(NODE_RESIZE_PENDING) || s.equals(NODE_RESIZE_IN_PROGRESS)).isPresent();
    // (no operation at all: the id, a new string, is not built)
    return pending || (!state.operations().isEmpty() && state.operation(nodeExpandId(claim)).isPresent());
  }

  /** Where the volume is mounted on a node: the pod using it and the request's paths. */
  record Mount(Pod pod, String node, String volumePath, String stagingPath, Optional<VolumeCapability> capability) {}

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    EffectId id = nodeExpandId(key);
    Optional<Operation> op = state.operation(id);
    Optional<PersistentVolumeClaim> found = state.get(key, PersistentVolumeClaim.class);
    Optional<PersistentVolume> pv = found.flatMap(PersistentVolumeClaim::volumeName)
        .flatMap(n -> state.get(Volumes.volumeKey(n), PersistentVolume.class));
    if (found.isEmpty() || pv.isEmpty() || pv.get().csi().isEmpty() || !Volumes.isBoundToClaim(pv.get(), found.get())) {
      // OBSERVATION: nothing bound to expand; drop a finished call's record
      return op.filter(o -> !o.inFlight()).isPresent() ? Decision.builder().forget(id).build() : Decision.none();
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Decision.none(); // OBSERVATION: NodeExpandVolume is running
    }
    PersistentVolumeClaim claim = found.get();
    String status = ClaimResize.status(claim).orElse("");
    Quantity target = ClaimResize.capacity(pv.get());
    if (op.isPresent() && op.get().succeeded()) {
      NodeExpand call = (NodeExpand) op.get().effect();
      Decision.Builder b = Decision.builder().forget(id);
      if (status.equals(NODE_RESIZE_PENDING) || status.equals(NODE_RESIZE_IN_PROGRESS)) {
        Quantity size = Quantity.ofBytes(call.requiredBytes());
        b.update(ClaimResize.finished(claim, size));
        String msg = "MountVolume.NodeExpandVolume succeeded for volume \"" + call.volumeName() + "\" " + call.node();
        b.event(EventRecord.normal(KUBELET, key, "FileSystemResizeSuccessful", msg));
        podOn(state, key, call.node()).ifPresent(p ->
            b.event(EventRecord.normal(KUBELET, ObjectKey.of(p), "FileSystemResizeSuccessful", msg)));
      }
      return b.build();
    }
    if (!status.equals(NODE_RESIZE_PENDING) && !status.equals(NODE_RESIZE_IN_PROGRESS)) {
      return Decision.none(); // OBSERVATION: no node step asked for (or it was infeasible: the resizer's turn)
    }
    if (ClaimResize.allocated(claim).map(a -> target.compareTo(a) < 0).orElse(false)) {
      return Decision.none(); // OBSERVATION: the controller has not grown the PV to the allocated size yet
    }
    Optional<DriverInfo> info = host.driver(pv.get().csi().get().driver());
    if (info.isEmpty()) {
      return Decision.none(); // OBSERVATION: no kubelet plugin for the driver
    }
    if (!info.get().expandsOnNode()) {
      return Decision.update(ClaimResize.finished(claim, target)); // the node plugin has nothing to grow
    }
    if (op.isPresent()) {
      return failed(state, claim, pv.get(), op.get(), target);
    }
    Optional<Mount> mount = mount(state, key, pv.get());
    if (mount.isEmpty()) {
      return Decision.none(); // OBSERVATION: not mounted anywhere: FileSystemResizePending until a pod starts
    }
    return expand(state, claim, pv.get(), mount.get(), target, Decision.builder());
  }

  private Decision expand(ClusterState state, PersistentVolumeClaim claim, PersistentVolume pv, Mount m,
      Quantity target, Decision.Builder b) {
    ObjectKey key = ObjectKey.of(claim);
    PersistentVolumeClaim next = ClaimResize.withStatus(claim, Optional.of(NODE_RESIZE_IN_PROGRESS));
    if (!next.equals(claim)) {
      b.update(next);
    }
    var csi = pv.csi().get();
    Secrets secrets = csi.nodeExpandSecretRef()
        .flatMap(r -> PodVolumeSupport.secrets(state, r.namespace().orElse(""), r.name())).orElse(Secrets.none());
    NodeExpandVolumeRequest request = new NodeExpandVolumeRequest(csi.volumeHandle(), m.volumePath(),
        Optional.of(CapacityRange.atLeast(target.value())), m.stagingPath(), m.capability(), secrets);
    return b.effect(new NodeExpand(nodeExpandId(key), key, NAME, csi.driver(), m.node(), pv.metadata().name(), request))
        .build();
  }

  /** NodeExpandVolume failed: report once; stop if infeasible, else retry (or start over for a new size). */
  private Decision failed(ClusterState state, PersistentVolumeClaim claim, PersistentVolume pv, Operation op,
      Quantity target) {
    NodeExpand call = (NodeExpand) op.effect();
    EffectFailure f = op.failure().orElseThrow();
    Decision.Builder b = Decision.builder();
    ObjectKey key = ObjectKey.of(claim);
    Optional<Mount> now = mount(state, key, pv);
    if (now.isEmpty() || !now.get().node().equals(call.node())
        || !now.get().volumePath().equals(call.request().volumePath())) {
      // OBSERVATION: the volume was unmounted (or mounted elsewhere) since the call: its failure
      // says nothing about the size. Start over where it is mounted now, or wait for a mount.
      b.forget(op.id());
      PersistentVolumeClaim pending = ClaimResize.withStatus(claim, Optional.of(NODE_RESIZE_PENDING));
      if (now.isEmpty()) {
        return (pending.equals(claim) ? b : b.update(pending)).build();
      }
      return expand(state, claim, pv, now.get(), target, b);
    }
    PersistentVolumeClaim next = claim;
    if (op.unreportedFailure()) {
      b.acknowledge(op.id());
      podOn(state, ObjectKey.of(claim), call.node()).ifPresent(p -> b.event(EventRecord.warning(KUBELET, ObjectKey.of(p),
          "FileSystemResizeFailed", "MountVolume.NodeExpandVolume failed for volume \"" + call.volumeName() + "\" : "
              + f.text())));
      if (f.code().isFinal()) {
        next = ClaimResize.withCondition(next, ClaimResize.NODE_RESIZE_ERROR, "failed to expand pvc with " + f.text());
        // the user asks for another size than the one that failed: let the resizer recover
        boolean userChanged = ClaimResize.requested(claim).value() != call.requiredBytes();
        if (ExternalResizer.infeasible(f.code()) || userChanged) {
          next = ClaimResize.withStatus(next, Optional.of(NODE_RESIZE_INFEASIBLE));
        }
      }
    }
    if (ClaimResize.status(next).filter(NODE_RESIZE_INFEASIBLE::equals).isPresent()) {
      return (next.equals(claim) ? b : b.update(next)).build(); // the resizer decides what comes next
    }
    if (call.requiredBytes() != target.value()) {
      // OBSERVATION: the PV has another size now: start over with it
      return (next.equals(claim) ? b : b.update(next)).forget(op.id()).enqueue(ObjectKey.of(claim)).build();
    }
    PersistentVolumeClaim marked = ClaimResize.withStatus(next, Optional.of(NODE_RESIZE_IN_PROGRESS));
    if (!marked.equals(claim)) {
      b.update(marked);
    }
    return b.effect(call).build(); // the runtime holds the retry until the backoff is over
  }

  /** The first node (by pod) where the volume is published, else staged, with the request's paths. */
  static Optional<Mount> mount(ClusterState state, ObjectKey claim, PersistentVolume pv) {
    String pvName = pv.metadata().name();
    List<Pod> pods = new ArrayList<>();
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      state.get(pk, Pod.class).filter(p -> p.nodeName().isPresent() && !PodVolumeSupport.isTerminated(p))
          .ifPresent(pods::add);
    }
    for (Pod p : pods) {
      String node = p.nodeName().get();
      Optional<NodeStage> staged = state.operation(KubeletOperations.stageId(node, pvName))
          .filter(Operation::succeeded).map(Operation::effect)
          .filter(e -> e instanceof NodeStage s && s.rpc()).map(NodeStage.class::cast);
      String stagingPath = staged.map(s -> s.request().stagingTargetPath()).orElse("");
      for (EffectId pid : state.index(NodeOperationIndex.class).publishes(node, pvName)) {
        Optional<NodePublish> pub = state.operation(pid).filter(Operation::succeeded).map(Operation::effect)
            .filter(NodePublish.class::isInstance).map(NodePublish.class::cast);
        if (pub.isPresent()) {
          return Optional.of(new Mount(p, node, pub.get().request().targetPath(), stagingPath,
              pub.get().request().volumeCapability()));
        }
      }
      if (staged.isPresent()) {
        return Optional.of(new Mount(p, node, stagingPath, stagingPath,
            staged.get().request().volumeCapability()));
      }
    }
    return Optional.empty();
  }

  /** A pod on the node that uses the claim. */
  private static Optional<Pod> podOn(ClusterState state, ObjectKey claim, String node) {
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      Optional<Pod> p = state.get(pk, Pod.class).filter(x -> x.nodeName().filter(node::equals).isPresent());
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }
}
