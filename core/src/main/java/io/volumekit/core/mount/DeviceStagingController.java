package io.volumekit.core.mount;

import io.volumekit.core.controller.ChangeFact;
import java.util.NavigableSet;
import static io.volumekit.core.mount.KubeletOperations.failedMount;
import static io.volumekit.core.mount.KubeletOperations.mounted;
import static io.volumekit.core.mount.KubeletOperations.setupId;
import static io.volumekit.core.mount.KubeletOperations.stageId;
import static io.volumekit.core.mount.KubeletOperations.unstageId;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.NodeUnstage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.podvolume.InlineMigratedVolumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.NodeOperationIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The kubelet's device staging on every node (docs/cases/node-side.md rows M2, M3, U2, U3): stages a persistent CSI
 * volume once per node ({@code NodeStageVolume} to the global mount path, the kubelet's
 * MountDevice) while a pod on the node needs it, and unstages it ({@code NodeUnstageVolume},
 * UnmountDevice) when none does.
 *
 * <p>Reconciles {@link NodeVolumeKey.Device} keys (a PV on a node). Meanwhile the node's in-use
 * list ({@link io.volumekit.core.api.Annotations#VOLUMES_IN_USE}) holds the volume, so the
 * attach/detach controller does not detach it under a mount. A device is staged only once its
 * VolumeAttachment is attached (its {@code attachmentMetadata} is the publish_context) when the
 * driver requires attach; once staged, the pods waiting for it are handed to the {@link
 * PodVolumeController} to publish. A node that is out of service or gone does nothing (its
 * kubelet is down).
 *
 * <p>An inline in-tree pod volume of a migrated plugin is a device too, keyed by its {@link
 * Volumes#inlineVolumeName} ({@code <driver>^<handle>}, also what the node reports in use for
 * it): it is staged as the PV it translates to while a pod on the node has it.
 */
public final class DeviceStagingController implements Controller {

  /** The controller's name. */
  public static final String NAME = "kubelet-device-staging";

  private final VolumeHost host;

  /** Device staging for the host's drivers and root. */
  public DeviceStagingController(VolumeHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  @Override
  public String name() {
    return NAME;
  }

  // ---------------------------------------------------------------- watch

  /** The pod's spec changed, or whether it is terminating. */
  private static final ChangeFact POD_FOR_STAGING = ChangeFact.of("pod changed for staging", f -> {
    Pod b = f.change().beforeAs(Pod.class).orElseThrow();
    Pod a = f.change().afterAs(Pod.class).orElseThrow();
    return !b.spec().equals(a.spec()) || PodVolumeSupport.isTerminating(b) != PodVolumeSupport.isTerminating(a);
  });
  /** What staging reads of a claim changed, and a placed pod uses it. */
  private static final ChangeFact CLAIM_FOR_STAGING = ChangeFact.of("claim changed for staging",
      f -> f.holds(ChangeFact.CLAIM_USED_BY_PLACED_POD) && !DeviceStagingWatch.sameClaimForStaging(
          f.change().beforeAs(PersistentVolumeClaim.class), f.change().afterAs(PersistentVolumeClaim.class)));

  @Override
  public WatchedKinds watches() {
    // A claim's or volume's change matters only to the placed pods using the claim.
    // A pod's update only when its spec changed or it started terminating (podChanged's first test).
    return WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND, PersistentVolume.KIND, VolumeAttachment.KIND)
        .when(PersistentVolumeClaim.KIND, ChangeFact.CLAIM_USED_BY_PLACED_POD)
        .when(PersistentVolume.KIND, ChangeFact.CLAIM_USED_BY_PLACED_POD)
        .when(PersistentVolumeClaim.KIND, Change.Type.MODIFIED, CLAIM_FOR_STAGING)
        .when(PersistentVolume.KIND, Change.Type.MODIFIED, PodVolumeController.KUBELET_VOLUME)
        .when(Pod.KIND, Change.Type.MODIFIED, POD_FOR_STAGING);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case Pod.KIND -> DeviceStagingWatch.podChanged(state, change, device -> {
        if (!waitsForAttach(state, device)) {
          enqueue.accept(device);
        }
      }, host);
      case PersistentVolumeClaim.KIND -> {
        if (DeviceStagingWatch.sameClaimForStaging(change.beforeAs(PersistentVolumeClaim.class),
            change.afterAs(PersistentVolumeClaim.class))) {
          return; // its status, annotations, finalizers or deletion: staging reads only its volumeName and owners
        }
        DeviceStagingWatch.claimChanged(state, change.key(), change.afterAs(PersistentVolumeClaim.class), enqueue);
      }
      case PersistentVolume.KIND -> {
        if (PodVolumeSupport.samePersistentVolumeForKubelet(change.beforeAs(PersistentVolume.class),
            change.afterAs(PersistentVolume.class))) {
          return; // its phase or finalizers (the binder's, the attacher's): staging reads neither
        }
        change.beforeAs(PersistentVolume.class).flatMap(Volumes::claimRefKey)
            .ifPresent(c -> DeviceStagingWatch.claimChanged(state, c, enqueue));
        change.afterAs(PersistentVolume.class).flatMap(Volumes::claimRefKey)
            .ifPresent(c -> DeviceStagingWatch.claimChanged(state, c, enqueue));
      }
      case VolumeAttachment.KIND -> DeviceStagingWatch.attachmentChanged(state, change, enqueue);
      default -> { }
    }
  }


  /**
   * Whether the device of a PV has nothing to do until its attachment is usable: no stage or
   * unstage operation, not reported in use on the node, and its driver requires attach while the
   * attachment is missing, not attached yet or being deleted. Its reconcile then decides nothing
   * whatever the pods want; the attachment becoming usable queues it ({@link DeviceStagingWatch#attachmentChanged}).
   * A pod placed on a node thus does not sync its devices before the attacher has attached them.
   */
  private boolean waitsForAttach(ClusterState state, ObjectKey key) {
    Optional<NodeVolumeKey> k = NodeVolumeKey.from(key);
    if (k.isEmpty() || !(k.get() instanceof NodeVolumeKey.Device device) || Volumes.isInlineVolumeName(device.volume())) {
      return false;
    }
    String node = device.node();
    String pvName = device.volume();
    if (state.operation(stageId(node, pvName)).isPresent() || state.operation(unstageId(node, pvName)).isPresent()
        || PodVolumeSupport.volumesInUse(state, node).contains(pvName)) {
      return false;
    }
    Optional<CSIPersistentVolumeSource> csi = state.get(Volumes.volumeKey(pvName), PersistentVolume.class)
        .map(p -> host.migration().csiView(p).orElse(p)).flatMap(PersistentVolume::csi);
    if (csi.isEmpty()) {
      return true; // nothing to stage (the reconcile's stageEffect is empty too)
    }
    return PodVolumeSupport.attachRequired(state, csi.get().driver()) && PodVolumeSupport.usableAttachment(
        state.get(PodVolumeSupport.attachmentKey(csi.get().volumeHandle(), csi.get().driver(), node),
            VolumeAttachment.class)).isEmpty();
  }


  // ---------------------------------------------------------------- reconcile

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    return NodeVolumeKey.from(key).filter(NodeVolumeKey.Device.class::isInstance)
        .map(k -> reconcile(state, (NodeVolumeKey.Device) k))
        .orElse(Decision.none());
  }

  /** Stages or unstages the device. */
  public Decision reconcile(ClusterState state, NodeVolumeKey.Device device) {
    String node = device.node();
    String pvName = device.volume();
    // The node is read once: whether it is down, and later for its in-use list.
    Optional<Node> n = state.get(ObjectKey.cluster(Node.KIND, node), Node.class);
    if (PodVolumeSupport.nodeIsDown(n)) {
      return Decision.none();
    }
    EffectId stageId = stageId(node, pvName);
    EffectId unstageId = unstageId(node, pvName);
    Optional<Operation> stage = state.operation(stageId);
    Optional<Operation> unstage = state.operation(unstageId);
    Optional<PersistentVolume> pv;
    Users users;
    if (Volumes.isInlineVolumeName(pvName)) {
      // An inline migrated volume: staged as the PV it translates to, for the pods on this node.
      List<InlineMigratedVolumes.Use> uses = InlineMigratedVolumes.usersOnNode(state, host.migration(), node, pvName);
      pv = uses.isEmpty() ? Optional.empty() : Optional.of(firstUse(uses).inline().pv());
      users = inlineUsers(state, node, pvName, uses);
    } else {
      pv = state.get(Volumes.volumeKey(pvName), PersistentVolume.class)
          .map(p -> host.migration().csiView(p).orElse(p)); // a migrated in-tree PV is staged as its CSI form
      users = users(state, node, pvName, pv, stage.isPresent());
    }
    boolean needed = users.needed;
    if (needed && !users.published && stage.isPresent() && pv.flatMap(PersistentVolume::csi).isPresent()) {
      // Wanted but no longer attached here (detached by force, or the attachment is being deleted):
      // the device must be unmounted before the volume can be detached and attached again.
      CSIPersistentVolumeSource csi = pv.get().csi().get();
      if (PodVolumeSupport.attachRequired(state, csi.driver())) {
        Optional<VolumeAttachment> va = state.get(
            PodVolumeSupport.attachmentKey(csi.volumeHandle(), csi.driver(), node), VolumeAttachment.class);
        if (va.isEmpty() || va.get().metadata().isDeleting()) {
          needed = false;
        }
      }
    }
    boolean restage = false;
    if (needed && !users.published && stage.isPresent() && stage.get().succeeded() && pv.isPresent()
        && !users.pods.isEmpty() && pv.get().csi().isPresent()) {
      // Staged with another (gone) pod's SELinux context: the kubelet unmounts the device and
      // mounts it again with the context of the pod that wants it now.
      Pod first = firstUser(users.pods);
      if (!SELinuxMounts.stagedContext(stage.get()).equals(SELinuxMounts.context(state, host.seLinuxMount(), node, pv.get(), first))) {
        needed = false;
        restage = true;
      }
    }
    Decision.Builder b = Decision.builder();
    if (unstage.isPresent()) {
      if (unstage.get().inFlight()) {
        return Decision.none();
      }
      if (unstage.get().succeeded()) {
        b.forget(unstageId);
        if (stage.isPresent()) {
          b.forget(stageId);
        }
        stage = Optional.empty();
        needed |= restage; // unmounted to change the context: mount it again with the wanted one
      } else if (needed) {
        b.forget(unstageId); // still staged: keep using it
      }
    }
    return needed ? stage(state, device, stage, pv, users.pods, n, b) : unstage(state, device, stage, unstage, n, b);
  }

  /** The first pod of the (non-empty) list that does not terminate, else the first (no stream per sync). */
  private static Pod firstUser(List<Pod> pods) {
    for (Pod p : pods) {
      if (!PodVolumeSupport.isTerminating(p)) {
        return p;
      }
    }
    return pods.get(0);
  }

  /** {@link #firstUser} of an inline volume's (non-empty) uses. */
  private static InlineMigratedVolumes.Use firstUse(List<InlineMigratedVolumes.Use> uses) {
    for (InlineMigratedVolumes.Use u : uses) {
      if (!PodVolumeSupport.isTerminating(u.pod())) {
        return u;
      }
    }
    return uses.get(0);
  }

  /** The pods on the node that need the device, and whether one of them has it published. */
  private record Users(List<Pod> pods, boolean needed, boolean published) {}

  private static Users users(ClusterState state, String node, String pvName, Optional<PersistentVolume> pv,
      boolean staged) {
    Optional<ObjectKey> claim = pv.flatMap(Volumes::claimRefKey);
    boolean boundHere = claim.flatMap(c -> state.get(c, PersistentVolumeClaim.class))
        .flatMap(PersistentVolumeClaim::volumeName).filter(pvName::equals).isPresent();
    List<Pod> candidates = new ArrayList<>();
    if (staged && (claim.isEmpty() || !boundHere)) {
      // The PV or its claim went away: only pods that still have the PV published on this node
      // can need the device; NodeOperationIndex names them without a look at every pod.
      candidates = podsPublishing(state, node, pvName);
    } else if (claim.isPresent()) {
      for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim.get())) {
        state.get(pk, Pod.class).ifPresent(candidates::add);
      }
    }
    List<Pod> users = new ArrayList<>();
    boolean needed = false;
    boolean published = false;
    for (Pod p : candidates) {
      String uid = p.metadata().uid().orElse("");
      boolean user = false;
      for (Volume v : p.spec().volumes()) {
        Optional<Operation> op = state.operation(setupId(uid, v.name())).filter(KubeletOperations::mounted);
        if (op.isPresent() && op.get().effect() instanceof NodePublish np && np.node().equals(node)
            && np.volumeName().equals(pvName)) {
          needed = true;
          published = true;
          user = true;
        }
        if (boundHere && p.nodeName().filter(node::equals).isPresent() && !PodVolumeSupport.isTerminating(p)
            && claim.isPresent() && PodVolumeSupport.usesClaim(p, v, claim.get())
            && (v.ephemeral().isEmpty() || state.get(claim.get(), PersistentVolumeClaim.class)
                .map(c -> PodVolumeSupport.isOwnedBy(c, p)).orElse(false))) {
          needed = true;
          user = true;
        }
      }
      if (user) {
        users.add(p);
      }
    }
    return new Users(users, needed, published);
  }

  /** {@link #users} of an inline migrated volume: the pods on the node that have it. */
  private static Users inlineUsers(ClusterState state, String node, String name, List<InlineMigratedVolumes.Use> uses) {
    List<Pod> users = new ArrayList<>();
    boolean needed = false;
    boolean published = false;
    for (InlineMigratedVolumes.Use u : uses) {
      Optional<Operation> op = state.operation(setupId(u.pod().metadata().uid().orElse(""), u.inline().volume().name()))
          .filter(KubeletOperations::mounted);
      boolean here = op.isPresent() && op.get().effect() instanceof NodePublish np && np.node().equals(node)
          && np.volumeName().equals(name);
      if (here || !PodVolumeSupport.isTerminating(u.pod())) {
        users.add(u.pod());
        needed = true;
        published |= here;
      }
    }
    return new Users(users, needed, published);
  }

  private Decision stage(ClusterState state, NodeVolumeKey.Device device, Optional<Operation> stage,
      Optional<PersistentVolume> pv, List<Pod> users, Optional<Node> n, Decision.Builder b) {
    String node = device.node();
    String pvName = device.volume();
    if (stage.isPresent() && stage.get().inFlight()) {
      return b.build();
    }
    if (stage.isPresent() && stage.get().succeeded()) {
      users.forEach(p -> b.handOff(PodVolumeController.NAME, ObjectKey.of(p)));
      return b.build();
    }
    if (stage.isPresent() && stage.get().unreportedFailure()) {
      EffectId stageId = stage.get().id();
      b.acknowledge(stageId);
      boolean block = pv.map(x -> x.spec().effectiveVolumeMode().equals("Block")).orElse(false);
      for (Pod p : users) {
        if (!PodVolumeSupport.isTerminating(p)) {
          b.event(failedMount(p, (block ? "MapVolume.SetUpDevice" : "MountVolume.MountDevice") + " failed for volume \""
              + pv.map(x -> x.metadata().name()).orElse(pvName) + "\" : " + stage.get().failure().get().text()));
        }
      }
    }
    Optional<NodeStage> effect = pv.isEmpty() || users.isEmpty() ? Optional.empty()
        : stageEffect(state, device, pv.get(), users);
    if (effect.isEmpty()) {
      return b.build();
    }
    if (n.isPresent()) {
      NavigableSet<String> inUse = PodVolumeSupport.volumesInUse(state, node);
      if (!inUse.contains(pvName)) {
        b.update(PodVolumeSupport.withVolumeInUse(n.get(), inUse, pvName, true));
      }
    }
    b.effect(effect.get());
    return b.build();
  }

  /** Not needed: unmount the device if mounted, then stop reporting it in use. */
  private static Decision unstage(ClusterState state, NodeVolumeKey.Device device, Optional<Operation> stage,
      Optional<Operation> unstage, Optional<Node> n, Decision.Builder b) {
    String node = device.node();
    String pvName = device.volume();
    if (stage.isPresent() && stage.get().inFlight()) {
      return b.build();
    }
    if (stage.isPresent() && mounted(stage.get()) && publishedOnNode(state, node, pvName)) {
      return b.build(); // a pod that is gone (force-deleted) still has it published: the sweep unpublishes first
    }
    if (stage.isPresent() && mounted(stage.get())) {
      NodeStage s = (NodeStage) stage.get().effect();
      EffectId unstageId = unstageId(node, pvName);
      if (unstage.isPresent() && unstage.get().failed()) {
        b.acknowledge(unstageId);
      }
      b.effect(new NodeUnstage(unstageId, device.objectKey(), NAME, s.driver(), node, pvName, s.rpc(),
          new NodeUnstageVolumeRequest(s.request().volumeId(), s.request().stagingTargetPath())));
      return b.build();
    }
    if (stage.isPresent()) {
      b.forget(stage.get().id()); // failed for good: nothing mounted
    }
    if (n.isPresent()) {
      NavigableSet<String> inUse = PodVolumeSupport.volumesInUse(state, node);
      if (inUse.contains(pvName)) {
        b.update(PodVolumeSupport.withVolumeInUse(n.get(), inUse, pvName, false));
      }
    }
    return b.build();
  }

  /**
   * Whether any pod volume on the node has the PV published. Checked before every unstage, so it
   * reads {@link NodeOperationIndex} (that node's publishes of that PV) rather than every operation.
   */
  static boolean publishedOnNode(ClusterState state, String node, String pvName) {
    for (EffectId id : state.index(NodeOperationIndex.class).publishes(node, pvName)) {
      if (state.operation(id).filter(KubeletOperations::mounted).isPresent()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The existing pods (in key order) that have the PV published on the node by one of their setup
   * operations: the owner of each such NodePublish, if it is still the pod with that uid.
   */
  private static List<Pod> podsPublishing(ClusterState state, String node, String pvName) {
    Map<ObjectKey, Pod> out = new TreeMap<>();
    for (EffectId id : state.index(NodeOperationIndex.class).publishes(node, pvName)) {
      Optional<Operation> op = state.operation(id);
      if (op.isEmpty() || !(op.get().effect() instanceof NodePublish np)) {
        continue;
      }
      state.get(np.owner(), Pod.class)
          .filter(p -> p.metadata().uid().orElse("").equals(np.podUid()))
          .filter(p -> p.spec().volumes().stream().anyMatch(v -> setupId(np.podUid(), v.name()).equals(id)))
          .ifPresent(p -> out.put(ObjectKey.of(p), p));
    }
    return new ArrayList<>(out.values());
  }

  private Optional<NodeStage> stageEffect(ClusterState state, NodeVolumeKey.Device device, PersistentVolume pv,
      List<Pod> users) {
    if (pv.csi().isEmpty()) {
      return Optional.empty();
    }
    String node = device.node();
    CSIPersistentVolumeSource csi = pv.csi().get();
    String driver = csi.driver();
    Optional<DriverInfo> info = host.driver(driver);
    if (info.isEmpty() || PodVolumeSupport.nodeId(state, node, driver).isEmpty()) {
      return Optional.empty();
    }
    ImmutableMap<String, String> publishContext = ImmutableMap.of();
    if (PodVolumeSupport.attachRequired(state, driver)) {
      Optional<VolumeAttachment> va = state.get(PodVolumeSupport.attachmentKey(csi.volumeHandle(), driver, node),
          VolumeAttachment.class);
      if (va.isEmpty() || !va.get().status().attached() || va.get().metadata().isDeleting()) {
        return Optional.empty();
      }
      publishContext = va.get().status().attachmentMetadata();
    }
    Secrets secrets = Secrets.none();
    if (info.get().stages() && csi.nodeStageSecretRef().isPresent()) {
      var ref = csi.nodeStageSecretRef().get();
      Optional<Secrets> s = PodVolumeSupport.secrets(state, ref.namespace().orElse(""), ref.name());
      if (s.isEmpty()) {
        return Optional.empty();
      }
      secrets = s.get();
    }
    Pod first = firstUser(users);
    if (SELinuxMounts.twoContexts(state, host.seLinuxMount(), node, pv, first).isPresent()) {
      return Optional.empty(); // the volume manager does not take the volume (CsiVolumeSetup reports it)
    }
    VolumeCapability cap = KubeletOperations.capability(pv.spec().accessModes(), csi.fsType().orElse(""),
        pv.spec().mountOptions(), pv.spec().effectiveVolumeMode().equals("Block"), info.get(), first,
        SELinuxMounts.context(state, host.seLinuxMount(), node, pv, first));
    NodeStageVolumeRequest request = new NodeStageVolumeRequest(csi.volumeHandle(), publishContext,
        KubeletOperations.stagingPath(KubeletOperations.csiPaths(state, host, node), pv, driver, csi.volumeHandle()), Optional.of(cap), secrets,
        csi.volumeAttributes());
    return Optional.of(new NodeStage(stageId(node, device.volume()), device.objectKey(), NAME, driver, node,
        device.volume(), info.get().stages(), request));
  }
}
