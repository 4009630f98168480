package io.volumekit.core.mount;

import io.volumekit.core.controller.ChangeFact;
import static io.volumekit.core.mount.KubeletOperations.failedMount;
import static io.volumekit.core.mount.KubeletOperations.podDirId;
import static io.volumekit.core.mount.KubeletOperations.setupId;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.RemoveLocalVolume;
import io.volumekit.core.mount.KubeletOperations.Outcome;
import io.volumekit.core.migration.InTreePlugin;
import io.volumekit.core.podvolume.InlineMigratedVolumes;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.NodePodIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.core.state.PodSourceIndex;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodCondition;
import io.volumekit.model.core.PodConditionBuilder;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The kubelet's pod volume setup on every node (docs/cases/node-side.md rows M1-M10, U1-U3): mounts the volumes of the
 * pods placed on a node, marks a pod Running once all are mounted, and unmounts them when the pod
 * goes away.
 *
 * <p>Reconciles Pod keys. A persistent or inline CSI volume is published ({@code
 * NodePublishVolume} to {@code <root>/pods/<uid>/volumes/kubernetes.io~csi/<pv>/mount}) once it is
 * attached and its device is staged by the {@link DeviceStagingController} ({@link
 * CsiVolumeSetup}); node-local volumes (emptyDir, secret, configMap, downwardAPI, projected,
 * hostPath) are written or checked on the node ({@link LocalVolumeSetup}) and rewritten when their
 * source changes; an inline in-tree volume of a migrated plugin is published as the PV it
 * translates to, like a claim's; image volumes are pulled by the configured puller ({@link ImageVolumeSetup}). A volume source volumekit cannot mount (the in-tree cloud and network plugins,
 * and image volumes without a puller) keeps the pod Pending with a FailedMount event naming it,
 * never Running with nothing mounted. A pod whose emptyDir holds more than its {@code sizeLimit}
 * is evicted ({@link EmptyDirEviction}). A terminating pod's volumes are torn down and then its
 * finalizer {@link #POD_FINALIZER} is removed, so the pod object goes away only after unmount
 * (kubelet-like graceful deletion); the directory it leaves is removed under a {@link
 * NodeVolumeKey.PodDirectory} key. A node that is out of service or gone does nothing (its kubelet
 * is down).
 */
public final class PodVolumeController implements Controller {

  /** The controller's name. */
  public static final String NAME = "kubelet-pod-volumes";

  /**
   * How often the kubelet syncs a running pod (its {@code syncFrequency}, one minute by default):
   * the period of NodePublishVolume republishes for CSIDriver {@code requiresRepublish}.
   */
  public static final java.time.Duration RESYNC_PERIOD = java.time.Duration.ofMinutes(1);

  /**
   * How often the kubelet collects volume statistics (its {@code volumeStatsAggPeriod}, one minute
   * by default): the period of NodeGetVolumeStats calls.
   */
  public static final java.time.Duration STATS_PERIOD = java.time.Duration.ofMinutes(1);

  /** Finalizer keeping a pod object until its volumes are unmounted. */
  public static final String POD_FINALIZER = "volumekit.io/pod-volumes";

  /** Key in volume_context telling the driver whether the volume is an inline ephemeral one. */
  public static final String EPHEMERAL_KEY = "csi.storage.k8s.io/ephemeral";

  private final VolumeHost host;
  private final CsiVolumeSetup csi;
  private final LocalVolumeSetup local;
  private final ImageVolumeSetup image;

  /** Pod volume setup for the host's drivers and root. */
  public PodVolumeController(VolumeHost host) {
    this.host = Objects.requireNonNull(host, "host");
    this.csi = new CsiVolumeSetup(host);
    this.local = new LocalVolumeSetup(host);
    this.image = new ImageVolumeSetup(host);
  }

  @Override
  public String name() {
    return NAME;
  }

  // ---------------------------------------------------------------- watch

  /** What the kubelet reads of a volume changed, and a placed pod uses its claim. */
  static final ChangeFact KUBELET_VOLUME = ChangeFact.of("volume changed for the kubelet",
      f -> f.holds(ChangeFact.CLAIM_USED_BY_PLACED_POD) && !PodVolumeSupport.samePersistentVolumeForKubelet(
          f.change().beforeAs(PersistentVolume.class), f.change().afterAs(PersistentVolume.class)));
  /** A node went into or out of service ({@link PodVolumeSupport#isOutOfService}). */
  static final ChangeFact OUT_OF_SERVICE_CHANGED = ChangeFact.of("node service changed",
      f -> !f.change().beforeAs(Node.class).map(PodVolumeSupport::isOutOfService)
          .equals(f.change().afterAs(Node.class).map(PodVolumeSupport::isOutOfService)));
  private static final ChangeFact ATTACHMENT_MATTERS = ChangeFact.of("attachment matters to pod volumes",
      f -> attachmentMatters(f.state(), f.change()));

  @Override
  public WatchedKinds watches() {
    // A claim's or volume's change matters only to the placed pods using the claim; an
    // attachment's only as attachmentMatters says; a node's only as it goes in or out of service.
    return WatchedKinds.of(Pod.KIND, PersistentVolumeClaim.KIND, PersistentVolume.KIND, VolumeAttachment.KIND,
        Node.KIND, CSINode.KIND, CSIDriver.KIND, Secret.KIND, ConfigMap.KIND)
        .when(PersistentVolumeClaim.KIND, ChangeFact.CLAIM_USED_BY_PLACED_POD)
        .when(PersistentVolume.KIND, ChangeFact.CLAIM_USED_BY_PLACED_POD)
        .when(VolumeAttachment.KIND, ATTACHMENT_MATTERS)
        .when(PersistentVolume.KIND, Change.Type.MODIFIED, KUBELET_VOLUME)
        .when(Node.KIND, Change.Type.MODIFIED, OUT_OF_SERVICE_CHANGED);
  }

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case Pod.KIND -> podChanged(state, change, enqueue);
      case PersistentVolumeClaim.KIND -> claimChanged(state, change.key(), enqueue);
      case PersistentVolume.KIND -> {
        if (PodVolumeSupport.samePersistentVolumeForKubelet(change.beforeAs(PersistentVolume.class),
            change.afterAs(PersistentVolume.class))) {
          return; // its phase or finalizers (the binder's, the attacher's): setup reads neither
        }
        change.beforeAs(PersistentVolume.class).flatMap(Volumes::claimRefKey).ifPresent(c -> claimChanged(state, c, enqueue));
        change.afterAs(PersistentVolume.class).flatMap(Volumes::claimRefKey).ifPresent(c -> claimChanged(state, c, enqueue));
      }
      case VolumeAttachment.KIND -> {
        if (!attachmentMatters(state, change)) {
          return;
        }
        VolumeAttachment va = (VolumeAttachment) change.object();
        String node = va.spec().nodeName();
        va.spec().source().persistentVolumeName()
            .flatMap(pv -> state.get(Volumes.volumeKey(pv), PersistentVolume.class)).flatMap(Volumes::claimRefKey)
            .ifPresent(c -> state.index(PodIndex.class).podsUsing(c).forEach(pk -> state.get(pk, Pod.class)
                .filter(p -> p.nodeName().filter(node::equals).isPresent()).ifPresent(p -> enqueue.accept(pk))));
        if (va.spec().source().inlineVolumeSpec().isPresent()) {
          Volumes.attachedVolume(va).ifPresent(n -> InlineMigratedVolumes.usersOnNode(state, host.migration(), node, n)
              .forEach(u -> enqueue.accept(ObjectKey.of(u.pod()))));
        }
      }
      case Node.KIND -> {
        boolean wasDown = change.beforeAs(Node.class).map(PodVolumeSupport::isOutOfService).orElse(true);
        boolean down = change.afterAs(Node.class).map(PodVolumeSupport::isOutOfService).orElse(true);
        if (wasDown && !down) {
          podsOn(state, change.key().name(), enqueue);
        }
      }
      case CSINode.KIND -> podsOn(state, change.key().name(), enqueue);
      case CSIDriver.KIND -> {
        // A CSIDriver change (rare, cluster configuration) retries every placed pod not yet Running:
        // O(pods), deliberately, as no index answers "pods waiting on this driver".
        for (Pod p : state.list(Pod.KIND, Pod.class)) {
          if (p.nodeName().isPresent() && !p.status().phase().filter(PodStatus.RUNNING::equals).isPresent()) {
            enqueue.accept(ObjectKey.of(p));
          }
        }
      }
      case Secret.KIND, ConfigMap.KIND -> {
        // The placed pods whose volumes project the object (PodSourceIndex), not the whole namespace.
        for (ObjectKey k : state.index(PodSourceIndex.class).podsUsing(change.key())) {
          state.get(k, Pod.class).filter(p -> p.nodeName().isPresent()).ifPresent(p -> enqueue.accept(k));
        }
      }
      default -> { }
    }
  }

  /**
   * Whether an attachment change can give a pod's setup work. Setup reads an attachment only as
   * {@link PodVolumeSupport#usableAttachment} (attached, not being deleted, its publish_context),
   * and only once the device is staged on the node: until then it waits for staging, whose
   * success hands the pods over. So an attachment that is created, gets a finalizer, becomes
   * attached before staging or stops being usable (a pod that waits again has nothing to do) queues
   * nothing; a spec change always does.
   */
  private static boolean attachmentMatters(ClusterState state, Change change) {
    Optional<VolumeAttachment> before = change.beforeAs(VolumeAttachment.class);
    Optional<VolumeAttachment> after = change.afterAs(VolumeAttachment.class);
    if (before.isPresent() && after.isPresent() && !before.get().spec().equals(after.get().spec())) {
      return true;
    }
    Optional<java.util.Map<String, String>> usable = PodVolumeSupport.usableAttachment(after);
    if (usable.isEmpty() || usable.equals(PodVolumeSupport.usableAttachment(before))) {
      return false;
    }
    VolumeAttachment va = after.get();
    return Volumes.attachedVolume(va).flatMap(v -> state.operation(KubeletOperations.stageId(va.spec().nodeName(), v)))
        .filter(io.volumekit.core.effect.Operation::succeeded).isPresent();
  }

  /**
   * The pod itself, and when it goes (or terminates) the other pods using its claims: a
   * ReadWriteOncePod volume it held may now be theirs.
   */
  private static void podChanged(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    Optional<Pod> unplaced = change.afterAs(Pod.class).filter(p -> p.nodeName().isEmpty());
    if (unplaced.isPresent() && change.beforeAs(Pod.class).flatMap(Pod::nodeName).isEmpty()) {
      // Not on a node (yet): the kubelet's only work is to let go of its finalizer when it is deleted.
      if (unplaced.get().metadata().isDeleting() && unplaced.get().metadata().hasFinalizer(POD_FINALIZER)) {
        enqueue.accept(change.key());
      }
      return;
    }
    Optional<Pod> before = change.beforeAs(Pod.class).filter(p -> p.nodeName().isPresent());
    Optional<Pod> after = change.afterAs(Pod.class).filter(p -> p.nodeName().isPresent());
    if (before.isEmpty() && after.isEmpty() && change.after().isEmpty()) {
      return;
    }
    if (before.isPresent() && after.isPresent() && onlySetupBookkeeping(before.get(), after.get())) {
      return; // setup's own first write (finalizer, Pending): nothing it reads changed
    }
    if (change.after().isPresent()) {
      enqueue.accept(change.key()); // a pod that is gone has nothing to reconcile (its directory has its own key)
    }
    if (change.after().isEmpty() || change.afterAs(Pod.class).map(PodVolumeSupport::isTerminating).orElse(false)) {
      // The claims of the placed pod before and after (made only for a pod that goes or terminates).
      Set<ObjectKey> claims = new LinkedHashSet<>();
      before.ifPresent(p -> claims.addAll(PodIndex.claimsOf(p)));
      after.ifPresent(p -> claims.addAll(PodIndex.claimsOf(p)));
      for (ObjectKey c : claims) {
        state.index(PodIndex.class).podsUsing(c).forEach(k -> {
          if (!k.equals(change.key())) {
            enqueue.accept(k);
          }
        });
      }
    }
  }

  /**
   * Whether a change of a placed pod that does not terminate is only {@link #setup}'s own pod write:
   * {@link #POD_FINALIZER} added and/or the phase {@code Pending} set on a pod without one (its first
   * write), or the pod marked Running and Ready ({@link #running}) from another non-terminal phase
   * (its write once every volume is ready, possibly with the finalizer). Setup writes these whenever
   * they are missing, so a reconcile before such a change had that write to make (the key was
   * queued, or is the one that made it), and nothing else it reads changed: setup reads of the pod's
   * status only the phase, for these writes and for a local volume being rewritten (ready while the
   * pod runs; none is in flight when setup writes Running, as such a volume is not ready before).
   * The pod's re-queue after its own write would decide nothing new.
   */
  static boolean onlySetupBookkeeping(Pod before, Pod after) {
    if (PodVolumeSupport.isTerminating(after) || !after.spec().equals(before.spec())) {
      return false;
    }
    io.volumekit.model.meta.ObjectMeta b = before.metadata();
    if (!after.metadata().withResourceVersion(b.resourceVersion()).equals(b.withFinalizer(POD_FINALIZER))) {
      return false;
    }
    PodStatus was = before.status();
    PodStatus now = after.status();
    if (now.equals(was)) {
      return true;
    }
    if (was.phase().isEmpty() && now.phase().filter(PodStatus.PENDING::equals).isPresent()) {
      return now.equals(was.withPhase(Optional.of(PodStatus.PENDING)));
    }
    return now.phase().filter(PodStatus.RUNNING::equals).isPresent()
        && !was.phase().filter(PodStatus.RUNNING::equals).isPresent() && !PodVolumeSupport.isTerminating(before)
        && now.equals(running(was));
  }

  /** The status setup writes once every volume of the pod is ready: Running, ContainersReady and Ready. */
  static PodStatus running(PodStatus status) {
    return status.withPhase(Optional.of(PodStatus.RUNNING))
        .withConditions(withCondition(withCondition(status.conditions(), "ContainersReady", "True"), "Ready", "True"));
  }

  private static void claimChanged(ClusterState state, ObjectKey claim, Consumer<ObjectKey> enqueue) {
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      state.get(pk, Pod.class).filter(p -> p.nodeName().isPresent()).ifPresent(p -> enqueue.accept(pk));
    }
  }

  /** The pods placed on the node, in key order: O(log n + answer) through {@link NodePodIndex}. */
  private static void podsOn(ClusterState state, String node, Consumer<ObjectKey> enqueue) {
    for (ObjectKey k : state.index(NodePodIndex.class).podsOn(node)) {
      if (state.contains(k)) {
        enqueue.accept(k);
      }
    }
  }

  // ---------------------------------------------------------------- reconcile

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    if (key.kind().equals(Pod.KIND)) {
      return reconcilePod(state, key);
    }
    // A pod directory's prune: the runtime forgets it when it succeeds (RemoveLocalVolume's
    // forgottenOnSuccess), so this sees its failures (forgotten too: the kubelet's cleanup of
    // orphaned pod directories does not retry one either) and prunes of an older runtime.
    return NodeVolumeKey.from(key).filter(NodeVolumeKey.PodDirectory.class::isInstance)
        .flatMap(k -> state.operation(podDirId(((NodeVolumeKey.PodDirectory) k).podUid())))
        .filter(op -> !op.inFlight())
        .map(op -> Decision.builder().forget(op.id()).build())
        .orElse(Decision.none());
  }

  private Decision reconcilePod(ClusterState state, ObjectKey key) {
    Optional<Pod> found = state.get(key, Pod.class);
    if (found.isEmpty()) {
      return Decision.none();
    }
    Pod pod = found.get();
    if (pod.nodeName().isEmpty()) {
      if (pod.metadata().isDeleting() && pod.metadata().hasFinalizer(POD_FINALIZER)) {
        return Decision.update(pod.withMetadata(pod.metadata().withoutFinalizer(POD_FINALIZER)));
      }
      return Decision.none();
    }
    if (PodVolumeSupport.nodeIsDown(state, pod.nodeName().get())) {
      return Decision.none();
    }
    return PodVolumeSupport.isTerminating(pod) ? teardown(state, pod) : setup(state, pod);
  }

  private Decision setup(ClusterState state, Pod pod) {
    Optional<String> eviction = EmptyDirEviction.exceeded(state, pod);
    if (eviction.isPresent()) {
      return EmptyDirEviction.evict(pod, eviction.get()); // Failed: the next pass tears its volumes down
    }
    String node = pod.nodeName().orElseThrow();
    String uid = pod.metadata().uid().orElse("");
    Decision.Builder b = Decision.builder();
    boolean ready = true;
    for (Volume v : pod.spec().volumes()) {
      if (setupVolume(state, pod, node, uid, v, b) != Outcome.READY) {
        ready = false;
      }
    }
    Pod next = pod;
    if (!pod.metadata().hasFinalizer(POD_FINALIZER)) {
      next = next.withMetadata(next.metadata().withFinalizer(POD_FINALIZER));
    }
    String phase = pod.status().phase().orElse("");
    if (ready && !phase.equals(PodStatus.RUNNING)) {
      next = next.withStatus(running(next.status()));
    } else if (!ready && phase.isEmpty()) {
      next = next.withStatus(next.status().withPhase(Optional.of(PodStatus.PENDING)));
    }
    if (next != pod) {
      return Decision.update(next).and(b.build());
    }
    return b.build();
  }

  static ImmutableList<PodCondition> withCondition(List<PodCondition> conditions, String type, String status) {
    List<PodCondition> out = new ArrayList<>();
    boolean found = false;
    for (PodCondition c : conditions) {
      if (c.type().equals(type)) {
        out.add(c.withStatus(status));
        found = true;
      } else {
        out.add(c);
      }
    }
    if (!found) {
      out.add(PodConditionBuilder.builder().type(type).status(status).build());
    }
    return ImmutableList.copyOf(out);
  }

  private Outcome setupVolume(ClusterState state, Pod pod, String node, String uid, Volume v, Decision.Builder b) {
    EffectId id = setupId(uid, v.name());
    Optional<Operation> existing = state.operation(id);
    if (existing.isPresent() && !KubeletOperations.nodeOf(existing.get().effect()).equals(node)) {
      // The pod moved (its nodeName was rewritten): unmount it from the old node first.
      KubeletOperations.teardownVolume(state, NAME, ObjectKey.of(pod), uid, v.name(), b);
      return Outcome.WAITING;
    }
    if (v.persistentVolumeClaim().isPresent() || v.ephemeral().isPresent()) {
      return csi.setupClaim(state, pod, node, uid, v, id, existing, b);
    }
    if (v.csi().isPresent()) {
      return csi.setupInline(state, pod, node, uid, v, v.csi().get(), b);
    }
    if (LocalVolumeSetup.handles(v)) {
      return local.setup(state, pod, node, uid, v, b);
    }
    if (v.image().isPresent()) {
      return image.setup(state, pod, node, uid, v, b);
    }
    Optional<InTreePlugin> migrated = host.migration().plugin(v);
    if (migrated.isPresent()) {
      return csi.setupInlineMigrated(state, pod, node, uid, v, migrated.get(), id, existing, b);
    }
    String source = v.sources().keySet().stream().findFirst().orElse("");
    b.event(failedMount(pod, unsupported(v.name(), v.name(), "volume source \"" + source + "\" is not supported")));
    return Outcome.WAITING;
  }

  /**
   * The FailedMount message of a volume no plugin mounts, as the kubelet reports a volume its
   * plugin manager cannot match ({@code no volume plugin matched}), with the reason.
   *
   * @param volume the pod volume
   * @param specName the volume name the kubelet's messages use (the pod volume, or the PV)
   */
  static String unsupported(String volume, String specName, String reason) {
    return "Unable to attach or mount volumes: unmounted volumes=[" + volume + "], unattached volumes=[" + volume
        + "]: failed to get Plugin from volumeSpec for volume \"" + specName + "\" err=no volume plugin matched: "
        + reason;
  }

  // ---------------------------------------------------------------- teardown

  private Decision teardown(ClusterState state, Pod pod) {
    String uid = pod.metadata().uid().orElse("");
    Decision.Builder b = Decision.builder();
    boolean pending = false;
    for (Volume v : pod.spec().volumes()) {
      pending |= KubeletOperations.teardownVolume(state, NAME, ObjectKey.of(pod), uid, v.name(), b);
    }
    if (!pending && pod.metadata().isDeleting() && pod.metadata().hasFinalizer(POD_FINALIZER)) {
      // Finalize: the pod object goes; its (now empty) directories are pruned, as cleanupOrphanedPodDirs does.
      String node = pod.nodeName().orElseThrow();
      ObjectKey podDir = new NodeVolumeKey.PodDirectory(node, uid).objectKey();
      return Decision.builder().update(pod.withMetadata(pod.metadata().withoutFinalizer(POD_FINALIZER)))
          .effect(new RemoveLocalVolume(podDirId(uid), podDir, NAME, node, uid, "", host.podDir(uid).toString(), true))
          .build()
          .and(b.build());
    }
    return b.build();
  }
}
