package io.volumekit.core.mount;

import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.podvolume.VolumeHost;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.attach.Attachments;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.NodeUnpublish;
import io.volumekit.core.effect.NodeUnstage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.RemoveLocalVolume;
import io.volumekit.core.effect.SetUpHostPath;
import io.volumekit.core.effect.WriteLocalVolume;
import io.volumekit.core.node.LocalVolume;
import io.volumekit.core.ephemeral.Payloads;
import io.volumekit.core.key.Change;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.NodeOperationIndex;
import io.volumekit.core.state.NodePodIndex;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.PodIndex;
import io.volumekit.core.state.PodSourceIndex;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.CSIPersistentVolumeSource;
import io.volumekit.model.core.CSIVolumeSource;
import io.volumekit.model.core.ConfigMap;
import io.volumekit.model.core.HostPathVolumeSource;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodCondition;
import io.volumekit.model.core.PodConditionBuilder;
import io.volumekit.model.core.PodSecurityContext;
import io.volumekit.model.core.PodStatus;
import io.volumekit.model.core.Secret;
import io.volumekit.model.core.Volume;
import io.volumekit.model.storage.CSIDriver;
import io.volumekit.model.storage.CSIDriverSpec;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The kubelet's volume manager for every node: mounts the volumes of the pods placed on a node and
 * unmounts them when the pods go away (spec/node-and-csi.md 5).
 *
 * <p>Reconciles three kinds of keys. A pod key: for each pod volume, a CSI volume is published
 * ({@code NodePublishVolume} to {@code <root>/pods/<uid>/volumes/kubernetes.io~csi/<pv>/mount})
 * once it is attached (VolumeAttachment {@code attached}, its {@code attachmentMetadata} as
 * publish_context) and its device is mounted; node-local volumes (emptyDir, secret, configMap,
 * downwardAPI, projected) are written through {@link WriteLocalVolume} effects and rewritten when
 * their source changes; the pod becomes Running once every volume is mounted. A terminating pod's
 * volumes are torn down and then its finalizer {@link #POD_FINALIZER} is removed, so the pod object
 * goes away only after unmount (kubelet-like graceful deletion). A device key ({@link
 * #DEVICE_KIND}, namespace = node, name = PV) stages a persistent CSI volume once per node ({@code
 * NodeStageVolume} to the global mount path, when the driver stages) while a pod on the node needs
 * it, and unstages it when none does; the node's in-use list ({@link
 * io.volumekit.core.api.Annotations#VOLUMES_IN_USE}) holds it meanwhile so it is not detached. A
 * node key sweeps mounts left by pods that were force-deleted while the node was down.
 *
 * <p>The actual state of the world is the set of recorded operations: a succeeded (or uncertain,
 * i.e. failed with a may-be-in-progress code) {@code setup/<pod uid>/<volume>} or {@code
 * mountdevice/<node>/<pv>} operation is a mount; its negation forgets it on success. A node that
 * is out of service or gone does nothing (its kubelet is down).
 */
public final class VolumeManager implements Controller {

  /** The controller's name (also the event source). */
  public static final String NAME = "kubelet";

  /** Finalizer keeping a pod object until its volumes are unmounted. */
  public static final String POD_FINALIZER = "volumekit.io/pod-volumes";

  /** The key kind of a removed pod's directory cleanup (namespace = node, name = pod uid). */
  public static final String POD_DIR_KIND = "kubelet.volumekit.io/PodDirectory";

  /** The key kind of a device mount (namespace = node, name = PV name). */
  public static final String DEVICE_KIND = "kubelet.volumekit.io/DeviceMount";

  /** kubelet event reason of a failed mount. */
  public static final String FAILED_MOUNT = "FailedMount";

  /** kubelet event reason of a failed block volume map. */
  public static final String FAILED_MAP = "FailedMapVolume";

  /** Key in volume_context telling the driver whether the volume is an inline ephemeral one. */
  public static final String EPHEMERAL_KEY = "csi.storage.k8s.io/ephemeral";

  private final VolumeHost host;

  /** A volume manager for the host's drivers and root. */
  public VolumeManager(VolumeHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The device key of a PV on a node. */
  public static ObjectKey deviceKey(String node, String pv) {
    return new ObjectKey(DEVICE_KIND, node, pv);
  }

  /** The id of the setup (publish / local write) of a pod volume. */
  public static EffectId setupId(String podUid, String volume) {
    return EffectId.of("setup/" + podUid + "/" + volume);
  }

  /** The id of the teardown of a pod volume. */
  public static EffectId teardownId(String podUid, String volume) {
    return EffectId.of("teardown/" + podUid + "/" + volume);
  }

  /** The id of the cleanup of a removed pod's directory. */
  public static EffectId podDirId(String podUid) {
    return EffectId.of("poddir/" + podUid);
  }

  /** The id of the device mount (stage) of a PV on a node. */
  public static EffectId stageId(String node, String pv) {
    return EffectId.of("mountdevice/" + node + "/" + pv);
  }

  /** The id of the device unmount (unstage) of a PV on a node. */
  public static EffectId unstageId(String node, String pv) {
    return EffectId.of("unmountdevice/" + node + "/" + pv);
  }

  /** Whether the operation stands for a mount: succeeded, in flight, or failed with an uncertain outcome. */
  public static boolean mounted(Operation op) {
    return op.succeeded() || op.inFlight() || op.failure().map(f -> f.mayBeInProgress()).orElse(false);
  }

  // ---------------------------------------------------------------- watch

  @Override
  public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
    switch (change.kind()) {
      case Pod.KIND -> {
        Set<String> nodes = new TreeSet<>();
        Set<ObjectKey> claims = new LinkedHashSet<>();
        for (Optional<Pod> p : List.of(change.beforeAs(Pod.class), change.afterAs(Pod.class))) {
          if (p.isPresent() && p.get().nodeName().isPresent()) {
            nodes.add(p.get().nodeName().get());
            claims.addAll(PodIndex.claimsOf(p.get()));
          }
        }
        if (nodes.isEmpty() && change.after().isEmpty()) {
          return;
        }
        enqueue.accept(change.key());
        for (ObjectKey c : claims) {
          Optional<String> pv = state.get(c, PersistentVolumeClaim.class).flatMap(PersistentVolumeClaim::volumeName);
          for (String n : nodes) {
            pv.ifPresent(v -> enqueue.accept(deviceKey(n, v)));
          }
          if (change.after().isEmpty() || change.afterAs(Pod.class).map(PodVolumeSupport::isTerminating).orElse(false)) {
            state.index(PodIndex.class).podsUsing(c).forEach(k -> {
              if (!k.equals(change.key())) {
                enqueue.accept(k);
              }
            });
          }
        }
      }
      case PersistentVolumeClaim.KIND -> claimChanged(state, change.key(), enqueue);
      case PersistentVolume.KIND -> {
        change.beforeAs(PersistentVolume.class).flatMap(Volumes::claimRefKey).ifPresent(c -> claimChanged(state, c, enqueue));
        change.afterAs(PersistentVolume.class).flatMap(Volumes::claimRefKey).ifPresent(c -> claimChanged(state, c, enqueue));
      }
      case VolumeAttachment.KIND -> {
        VolumeAttachment va = (VolumeAttachment) change.object();
        va.spec().source().persistentVolumeName().ifPresent(pv -> {
          enqueue.accept(deviceKey(va.spec().nodeName(), pv));
          state.get(Volumes.volumeKey(pv), PersistentVolume.class).flatMap(Volumes::claimRefKey)
              .ifPresent(c -> podsOnNode(state, c, va.spec().nodeName()).forEach(p -> enqueue.accept(ObjectKey.of(p))));
        });
      }
      case Node.KIND -> {
        boolean wasDown = change.beforeAs(Node.class).map(PodVolumeSupport::isOutOfService).orElse(true);
        boolean down = change.afterAs(Node.class).map(PodVolumeSupport::isOutOfService).orElse(true);
        if (wasDown && !down) {
          enqueue.accept(change.key());
          podsOn(state, change.key().name()).forEach(p -> enqueue.accept(ObjectKey.of(p)));
        }
      }
      case CSINode.KIND -> podsOn(state, change.key().name()).forEach(p -> enqueue.accept(ObjectKey.of(p)));
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

  private static void claimChanged(ClusterState state, ObjectKey claim, Consumer<ObjectKey> enqueue) {
    Optional<String> pv = state.get(claim, PersistentVolumeClaim.class).flatMap(PersistentVolumeClaim::volumeName);
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      Optional<Pod> p = state.get(pk, Pod.class);
      if (p.isPresent() && p.get().nodeName().isPresent()) {
        enqueue.accept(pk);
        pv.ifPresent(v -> enqueue.accept(deviceKey(p.get().nodeName().get(), v)));
      }
    }
  }

  /** The pods placed on the node, in key order: O(log n + answer) through {@link NodePodIndex}. */
  private static List<Pod> podsOn(ClusterState state, String node) {
    List<Pod> out = new ArrayList<>();
    for (ObjectKey k : state.index(NodePodIndex.class).podsOn(node)) {
      state.get(k, Pod.class).ifPresent(out::add);
    }
    return out;
  }

  private static List<Pod> podsOnNode(ClusterState state, ObjectKey claim, String node) {
    List<Pod> out = new ArrayList<>();
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      state.get(pk, Pod.class).filter(p -> p.nodeName().filter(node::equals).isPresent()).ifPresent(out::add);
    }
    return out;
  }

  // ---------------------------------------------------------------- reconcile

  @Override
  public Decision reconcile(ClusterState state, ObjectKey key) {
    return switch (key.kind()) {
      case Pod.KIND -> reconcilePod(state, key);
      case DEVICE_KIND -> reconcileDevice(state, key.namespace(), key.name());
      case Node.KIND -> sweep(state, key.name());
      case POD_DIR_KIND -> state.operation(podDirId(key.name())).filter(op -> !op.inFlight())
          .map(op -> Decision.builder().forget(op.id()).build()).orElse(Decision.none());
      default -> Decision.none();
    };
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

  /** What one volume's setup came to. */
  private enum Outcome { READY, WAITING }

  private Decision setup(ClusterState state, Pod pod) {
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
      next = next.withStatus(next.status().withPhase(Optional.of(PodStatus.RUNNING))
          .withConditions(withCondition(withCondition(next.status().conditions(), "ContainersReady", "True"), "Ready", "True")));
    } else if (!ready && phase.isEmpty()) {
      next = next.withStatus(next.status().withPhase(Optional.of(PodStatus.PENDING)));
    }
    if (next != pod) {
      Decision.Builder w = Decision.builder().update(next);
      return w.build().and(b.build());
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
    Optional<Operation> existing = state.operation(setupId(uid, v.name()));
    if (existing.isPresent() && !nodeOf(existing.get().effect()).equals(node)) {
      // The pod moved (its nodeName was rewritten): unmount it from the old node first.
      teardownVolume(state, ObjectKey.of(pod), uid, v.name(), b);
      return Outcome.WAITING;
    }
    if (v.persistentVolumeClaim().isPresent() || v.ephemeral().isPresent()) {
      return setupClaim(state, pod, node, uid, v, b);
    }
    if (v.csi().isPresent()) {
      return setupInline(state, pod, node, uid, v, v.csi().get(), b);
    }
    Optional<LocalVolume> local;
    Payloads.Result payload = null;
    Optional<Long> fsGroup = pod.spec().securityContext().flatMap(PodSecurityContext::fsGroup);
    if (v.emptyDir().isPresent()) {
      var e = v.emptyDir().get();
      local = Optional.of(LocalVolume.emptyDir(host.podVolumeDir(uid, VolumeHost.EMPTY_DIR, v.name()).toString(),
          e.medium().filter("Memory"::equals).isPresent(), e.sizeLimit().map(q -> q.value()), fsGroup));
    } else if (v.secret().isPresent()) {
      payload = Payloads.secret(state, pod, v.secret().get());
      local = payload.payload().map(p -> LocalVolume.atomic(
          host.podVolumeDir(uid, VolumeHost.SECRET_DIR, v.name()).toString(), true, p, fsGroup));
    } else if (v.configMap().isPresent()) {
      payload = Payloads.configMap(state, pod, v.configMap().get());
      local = payload.payload().map(p -> LocalVolume.atomic(
          host.podVolumeDir(uid, VolumeHost.CONFIGMAP_DIR, v.name()).toString(), false, p, fsGroup));
    } else if (v.downwardAPI().isPresent()) {
      payload = Payloads.downwardApi(pod, v.downwardAPI().get().items(),
          v.downwardAPI().get().defaultMode().orElse(Payloads.DEFAULT_MODE));
      local = payload.payload().map(p -> LocalVolume.atomic(
          host.podVolumeDir(uid, VolumeHost.DOWNWARD_API_DIR, v.name()).toString(), true, p, fsGroup));
    } else if (v.projected().isPresent()) {
      payload = Payloads.projected(state, pod, v.projected().get());
      local = payload.payload().map(p -> LocalVolume.atomic(
          host.podVolumeDir(uid, VolumeHost.PROJECTED_DIR, v.name()).toString(), true, p, fsGroup));
    } else if (v.hostPath().isPresent()) {
      return setupHostPath(state, pod, node, uid, v.name(), v.name(), v.hostPath().get(), b);
    } else {
      return Outcome.READY; // image and other sources need no node-side work here
    }
    if (local.isEmpty()) {
      b.event(failedMount(pod, "MountVolume.SetUp failed for volume \"" + v.name() + "\" : " + payload.error().orElse("")));
      return Outcome.WAITING;
    }
    EffectId id = setupId(uid, v.name());
    Optional<Operation> op = state.operation(id);
    WriteLocalVolume effect = new WriteLocalVolume(id, ObjectKey.of(pod), NAME, node, uid, v.name(), local.get());
    if (op.isEmpty()) {
      b.effect(effect);
      return Outcome.WAITING;
    }
    if (op.get().inFlight()) {
      return pod.status().phase().filter(PodStatus.RUNNING::equals).isPresent() ? Outcome.READY : Outcome.WAITING;
    }
    if (op.get().succeeded()) {
      if (!(op.get().effect() instanceof WriteLocalVolume w) || !w.volume().equals(local.get())) {
        b.forget(id).effect(effect); // the source changed: rewrite (readers keep the old files until the swap)
      }
      return Outcome.READY;
    }
    reportFailure(b, pod, id, op.get(), "MountVolume.SetUp failed for volume \"" + v.name() + "\" : ");
    b.effect(effect);
    return Outcome.WAITING;
  }

  /**
   * The hostPath plugin's SetUp: with a {@code type}, the path is created or checked on the node by
   * a {@link SetUpHostPath} effect (the runtime does the I/O); a failure becomes a FailedMount
   * event with the kubelet's message and is retried with backoff. Without a type nothing is
   * checked ({@code HostPathUnset}), as in Kubernetes.
   *
   * @param specName the volume name the kubelet's messages use (the pod volume, or the PV)
   */
  private Outcome setupHostPath(ClusterState state, Pod pod, String node, String uid, String volume, String specName,
      HostPathVolumeSource source, Decision.Builder b) {
    String type = source.type().orElse("");
    if (type.isEmpty()) {
      return Outcome.READY;
    }
    EffectId id = setupId(uid, volume);
    Optional<Operation> op = state.operation(id);
    if (op.isPresent() && op.get().succeeded()) {
      return Outcome.READY;
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    if (op.isPresent() && op.get().unreportedFailure()) {
      b.acknowledge(id);
      b.event(failedMount(pod, "MountVolume.SetUp failed for volume \"" + specName + "\" : "
          + op.get().failure().get().message()));
    }
    b.effect(new SetUpHostPath(id, ObjectKey.of(pod), NAME, node, uid, volume, source.path(), type));
    return Outcome.WAITING;
  }

  private void reportFailure(Decision.Builder b, Pod pod, EffectId id, Operation op, String prefix) {
    if (op.unreportedFailure()) {
      b.acknowledge(id);
      b.event(failedMount(pod, prefix + op.failure().get().text()));
    }
  }

  /** Whether the pod volume's claim exists, is not being deleted and is not bound (yet). */
  private static boolean claimNotBound(ClusterState state, Pod pod, Volume v) {
    return PodVolumeSupport.claimKey(pod, v)
        .flatMap(k -> state.get(k, PersistentVolumeClaim.class))
        .filter(c -> !c.metadata().isDeleting())
        .map(c -> c.volumeName().isEmpty() || !c.isBound())
        .orElse(false);
  }

  private static EventRecord failedMount(Pod pod, String message) {
    return EventRecord.warning(NAME, ObjectKey.of(pod), message.startsWith("MapVolume.") ? FAILED_MAP : FAILED_MOUNT,
        message);
  }

  private Outcome setupClaim(ClusterState state, Pod pod, String node, String uid, Volume v, Decision.Builder b) {
    PodVolumeSupport.ClaimLookup lookup = PodVolumeSupport.lookup(state, pod, v);
    if (lookup instanceof PodVolumeSupport.ClaimLookup.Problem p) {
      // An unbound claim is a wait too, but nothing else explains it to a pod put on the node
      // directly (spec.nodeName, so no scheduler event): the kubelet's populator fails with "PVC is
      // not bound" and reports FailedMount; here that is said at once instead of after its 2 min
      // timeout.
      if (!p.waiting() || claimNotBound(state, pod, v)) {
        b.event(failedMount(pod, "Unable to attach or mount volumes: unmounted volumes=[" + v.name()
            + "], unattached volumes=[" + v.name() + "]: error processing " + p.message()));
      }
      return Outcome.WAITING;
    }
    PodVolumeSupport.ClaimLookup.Bound bound = (PodVolumeSupport.ClaimLookup.Bound) lookup;
    PersistentVolume pv = bound.pv();
    String pvName = pv.metadata().name();
    if (pv.csi().isEmpty()) {
      if (pv.spec().hostPath().isPresent()) {
        return setupHostPath(state, pod, node, uid, v.name(), pvName, pv.spec().hostPath().get(), b);
      }
      return Outcome.READY; // local, nfs...: nothing for a CSI node plugin to do
    }
    CSIPersistentVolumeSource csi = pv.csi().get();
    String driver = csi.driver();
    Optional<DriverInfo> info = host.driver(driver);
    if (info.isEmpty() || PodVolumeSupport.nodeId(state, node, driver).isEmpty()) {
      b.event(failedMount(pod, "MountVolume.MountDevice failed for volume \"" + pvName
          + "\" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver name "
          + driver + " not found in the list of registered CSI drivers"));
      return Outcome.WAITING;
    }
    if (pv.spec().accessModes().equals(List.of(AccessModes.READ_WRITE_ONCE_POD))
        && usedByAnotherPod(state, pod, ObjectKey.of(bound.claim()))) {
      b.event(failedMount(pod, "MountVolume.SetUp failed for volume \"" + pvName
          + "\" : volume uses the ReadWriteOncePod access mode and is already in use by another pod"));
      return Outcome.WAITING;
    }
    ImmutableMap<String, String> publishContext = ImmutableMap.of();
    if (PodVolumeSupport.attachRequired(state, driver)) {
      Optional<VolumeAttachment> va = state.get(Attachments.key(Attachments.name(csi.volumeHandle(), driver, node)),
          VolumeAttachment.class);
      if (va.isEmpty() || !va.get().status().attached() || va.get().metadata().isDeleting()) {
        return Outcome.WAITING;
      }
      publishContext = va.get().status().attachmentMetadata();
    }
    if (!state.operation(stageId(node, pvName)).filter(Operation::succeeded).isPresent()) {
      return Outcome.WAITING;
    }
    EffectId id = setupId(uid, v.name());
    Optional<Operation> op = state.operation(id);
    boolean readOnly = v.persistentVolumeClaim().flatMap(s -> s.readOnly()).orElse(false)
        || csi.readOnly().orElse(false)
        || pv.spec().accessModes().equals(List.of(AccessModes.READ_ONLY_MANY));
    boolean block = pv.spec().effectiveVolumeMode().equals("Block");
    String prefix = (block ? "MapVolume.MapPodDevice" : "MountVolume.SetUp") + " failed for volume \"" + pvName + "\" : ";
    String target = block ? host.blockPublishPath(pvName, uid).toString() : host.csiTarget(uid, pvName).toString();
    if (op.isPresent() && op.get().succeeded()) {
      if (block) {
        return Outcome.READY; // no filesystem to chown
      }
      return ownership(state, pod, node, uid, v, target, readOnly,
          csi.fsType().orElse(""), pv.spec().accessModes(), driver, info.get(), b, prefix);
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    Optional<Secrets> secrets = Optional.of(Secrets.none());
    if (csi.nodePublishSecretRef().isPresent()) {
      var ref = csi.nodePublishSecretRef().get();
      secrets = PodVolumeSupport.secrets(state, ref.namespace().orElse(""), ref.name());
      if (secrets.isEmpty()) {
        b.event(failedMount(pod, prefix + "kubernetes.io/csi: mounter.SetUpAt failed to get CSI persistent source: "
            + "failed to fetch secret " + ref.namespace().orElse("") + "/" + ref.name()));
        return Outcome.WAITING;
      }
    }
    Map<String, String> context = new LinkedHashMap<>(csi.volumeAttributes());
    podInfo(state, driver, pod, false).ifPresent(context::putAll);
    VolumeCapability cap = capability(pv.spec().accessModes(), csi.fsType().orElse(""), pv.spec().mountOptions(),
        pv.spec().effectiveVolumeMode().equals("Block"), info.get(), pod);
    NodePublishVolumeRequest request = new NodePublishVolumeRequest(csi.volumeHandle(), publishContext,
        info.get().stages() ? stagingPath(pv, driver, csi.volumeHandle()) : "",
        target, Optional.of(cap), readOnly, secrets.get(), ImmutableMap.copyOf(context));
    if (op.isPresent()) {
      reportFailure(b, pod, id, op.get(), prefix);
    }
    b.effect(new NodePublish(id, ObjectKey.of(pod), NAME, driver, node, uid, v.name(), pvName, request));
    return Outcome.WAITING;
  }

  private Outcome setupInline(ClusterState state, Pod pod, String node, String uid, Volume v, CSIVolumeSource csi,
      Decision.Builder b) {
    String driver = csi.driver();
    String prefix = "MountVolume.SetUp failed for volume \"" + v.name() + "\" : ";
    Optional<CSIDriver> object = PodVolumeSupport.csiDriver(state, driver);
    if (object.isEmpty()) {
      b.event(failedMount(pod, prefix + "volume mode \"Ephemeral\" not supported by driver " + driver + " (no CSIDriver object)"));
      return Outcome.WAITING;
    }
    List<String> modes = object.get().spec().effectiveVolumeLifecycleModes();
    if (!modes.contains(CSIDriverSpec.EPHEMERAL)) {
      b.event(failedMount(pod, prefix + "volume mode \"Ephemeral\" not supported by driver " + driver
          + " (only supports " + modes.stream().map(m -> "\"" + m + "\"").toList() + ")"));
      return Outcome.WAITING;
    }
    Optional<DriverInfo> info = host.driver(driver);
    if (info.isEmpty() || PodVolumeSupport.nodeId(state, node, driver).isEmpty()) {
      b.event(failedMount(pod, prefix + "kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name "
          + driver + " not found in the list of registered CSI drivers"));
      return Outcome.WAITING;
    }
    EffectId id = setupId(uid, v.name());
    Optional<Operation> op = state.operation(id);
    if (op.isPresent() && op.get().succeeded()) {
      return ownership(state, pod, node, uid, v, host.csiTarget(uid, v.name()).toString(), csi.readOnly().orElse(false),
          csi.fsType().orElse(""), List.of(AccessModes.READ_WRITE_ONCE), driver, info.get(), b, prefix);
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    Secrets secrets = Secrets.none();
    if (csi.nodePublishSecretRef().isPresent()) {
      Optional<Secrets> s = PodVolumeSupport.secrets(state, pod.metadata().namespaceOrEmpty(),
          csi.nodePublishSecretRef().get().name());
      if (s.isEmpty()) {
        b.event(failedMount(pod, prefix + "kubernetes.io/csi: failed to fetch secret "
            + pod.metadata().namespaceOrEmpty() + "/" + csi.nodePublishSecretRef().get().name()));
        return Outcome.WAITING;
      }
      secrets = s.get();
    }
    Map<String, String> context = new LinkedHashMap<>(csi.volumeAttributes());
    podInfo(state, driver, pod, true).ifPresent(context::putAll);
    VolumeCapability cap = capability(List.of(AccessModes.READ_WRITE_ONCE), csi.fsType().orElse(""), List.of(), false,
        info.get(), pod);
    NodePublishVolumeRequest request = new NodePublishVolumeRequest(inlineVolumeId(uid, v.name()), ImmutableMap.of(),
        "", host.csiTarget(uid, v.name()).toString(), Optional.of(cap), csi.readOnly().orElse(false), secrets,
        ImmutableMap.copyOf(context));
    if (op.isPresent()) {
      reportFailure(b, pod, id, op.get(), prefix);
    }
    b.effect(new NodePublish(id, ObjectKey.of(pod), NAME, driver, node, uid, v.name(), v.name(), request));
    return Outcome.WAITING;
  }

  /** The id of the kubelet-side fsGroup change of a pod volume. */
  public static EffectId ownershipId(String podUid, String volume) {
    return EffectId.of("fsgroup/" + podUid + "/" + volume);
  }

  /**
   * The kubelet-side fsGroup change after NodePublish (spec/node-and-csi.md R5.6.2-R5.6.4): only
   * when the pod has an fsGroup, the node plugin does not take it as {@code volume_mount_group},
   * the volume is writable, and the CSIDriver's {@code fsGroupPolicy} (default
   * ReadWriteOnceWithFSType) allows it: {@code File}, or an fsType and ReadWriteOnce (inline
   * volumes count as ReadWriteOnce). {@code fsGroupChangePolicy: OnRootMismatch} skips an
   * unchanged tree.
   */
  private Outcome ownership(ClusterState state, Pod pod, String node, String uid, Volume v, String target,
      boolean readOnly, String fsType, List<String> pvModes, String driver, DriverInfo info, Decision.Builder b,
      String prefix) {
    Optional<Long> fsGroup = pod.spec().securityContext().flatMap(PodSecurityContext::fsGroup);
    if (fsGroup.isEmpty() || readOnly || info.node().contains(NodeCapability.VOLUME_MOUNT_GROUP)) {
      return Outcome.READY;
    }
    String policy = PodVolumeSupport.csiDriver(state, driver).flatMap(d -> d.spec().fsGroupPolicy())
        .orElse("ReadWriteOnceWithFSType");
    boolean applies = policy.equals("File") || (policy.equals("ReadWriteOnceWithFSType") && !fsType.isEmpty()
        && (pvModes.isEmpty() || pvModes.contains(AccessModes.READ_WRITE_ONCE)));
    if (!applies) {
      return Outcome.READY;
    }
    EffectId id = ownershipId(uid, v.name());
    Optional<Operation> op = state.operation(id);
    if (op.isPresent() && op.get().succeeded()) {
      return Outcome.READY;
    }
    if (op.isPresent() && op.get().inFlight()) {
      return Outcome.WAITING;
    }
    if (op.isPresent()) {
      reportFailure(b, pod, id, op.get(), prefix + "applyFSGroup failed for vol " + v.name() + ": ");
    }
    boolean onRootMismatch = pod.spec().securityContext().flatMap(PodSecurityContext::fsGroupChangePolicy)
        .filter("OnRootMismatch"::equals).isPresent();
    b.effect(new io.volumekit.core.effect.SetVolumeOwnership(id, ObjectKey.of(pod), NAME, node, uid, v.name(), target,
        fsGroup.get(), onRootMismatch, false));
    return Outcome.WAITING;
  }

  /** The volume id of an inline ephemeral CSI volume: {@code csi-<sha256(podUID + volumeName)>}. */
  public static String inlineVolumeId(String podUid, String volume) {
    return "csi-" + VolumeHost.sha256(podUid + volume);
  }

  /** The pod info keys a driver with {@code podInfoOnMount} gets in volume_context. */
  static Optional<Map<String, String>> podInfo(ClusterState state, String driver, Pod pod, boolean ephemeral) {
    boolean on = PodVolumeSupport.csiDriver(state, driver).flatMap(d -> d.spec().podInfoOnMount()).orElse(false);
    if (!on) {
      return Optional.empty();
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("csi.storage.k8s.io/pod.name", pod.metadata().name());
    m.put("csi.storage.k8s.io/pod.namespace", pod.metadata().namespaceOrEmpty());
    m.put("csi.storage.k8s.io/pod.uid", pod.metadata().uid().orElse(""));
    m.put("csi.storage.k8s.io/serviceAccount.name", pod.spec().serviceAccountName().orElse("default"));
    m.put(EPHEMERAL_KEY, Boolean.toString(ephemeral));
    return Optional.of(m);
  }

  /** The node-side capability: first access mode, fsType, mount flags, fsGroup delegation. */
  static VolumeCapability capability(List<String> modes, String fsType, List<String> mountOptions, boolean block,
      DriverInfo info, Pod pod) {
    AccessMode mode = PodVolumeSupport.accessMode(modes, info.node().contains(NodeCapability.SINGLE_NODE_MULTI_WRITER), true);
    if (block) {
      return VolumeCapability.block(mode);
    }
    String group = info.node().contains(NodeCapability.VOLUME_MOUNT_GROUP)
        ? pod.spec().securityContext().flatMap(PodSecurityContext::fsGroup).map(String::valueOf).orElse("")
        : "";
    return new VolumeCapability(new AccessType.Mount(fsType, ImmutableList.copyOf(mountOptions), group), mode);
  }

  private static boolean usedByAnotherPod(ClusterState state, Pod pod, ObjectKey claim) {
    for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim)) {
      if (pk.equals(ObjectKey.of(pod))) {
        continue;
      }
      Optional<Pod> other = state.get(pk, Pod.class);
      if (other.isEmpty()) {
        continue;
      }
      String ouid = other.get().metadata().uid().orElse("");
      for (Volume ov : other.get().spec().volumes()) {
        if (PodVolumeSupport.claimKey(other.get(), ov).filter(claim::equals).isPresent()
            && state.operation(setupId(ouid, ov.name())).filter(VolumeManager::mounted).isPresent()) {
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- teardown

  private Decision teardown(ClusterState state, Pod pod) {
    String uid = pod.metadata().uid().orElse("");
    Decision.Builder b = Decision.builder();
    boolean pending = false;
    for (Volume v : pod.spec().volumes()) {
      pending |= teardownVolume(state, ObjectKey.of(pod), uid, v.name(), b);
    }
    if (!pending && pod.metadata().isDeleting() && pod.metadata().hasFinalizer(POD_FINALIZER)) {
      // Finalize: the pod object goes; its (now empty) directories are pruned, as cleanupOrphanedPodDirs does.
      String node = pod.nodeName().orElseThrow();
      ObjectKey podDir = new ObjectKey(POD_DIR_KIND, node, uid);
      return Decision.builder().update(pod.withMetadata(pod.metadata().withoutFinalizer(POD_FINALIZER)))
          .effect(new RemoveLocalVolume(podDirId(uid), podDir, NAME, node, uid, "", host.podDir(uid).toString(), true))
          .build()
          .and(b.build());
    }
    return b.build();
  }

  /** Tears one pod volume down; whether something is still pending. */
  private static boolean teardownVolume(ClusterState state, ObjectKey owner, String uid, String volume, Decision.Builder b) {
    EffectId own = ownershipId(uid, volume);
    Optional<Operation> ownOp = state.operation(own);
    if (ownOp.isPresent()) {
      if (ownOp.get().inFlight()) {
        return true;
      }
      b.forget(own);
    }
    EffectId setup = setupId(uid, volume);
    EffectId teardown = teardownId(uid, volume);
    Optional<Operation> op = state.operation(setup);
    if (op.isEmpty()) {
      state.operation(teardown).filter(o -> !o.inFlight()).ifPresent(o -> b.forget(teardown));
      return false;
    }
    if (op.get().inFlight()) {
      return true;
    }
    if (!mounted(op.get()) || op.get().effect() instanceof SetUpHostPath) {
      // A final failure: nothing was mounted. A hostPath has nothing to tear down (the host keeps its files).
      b.forget(setup);
      return false;
    }
    Optional<Operation> down = state.operation(teardown);
    if (down.isPresent() && down.get().inFlight()) {
      return true;
    }
    if (down.isPresent() && down.get().succeeded()) {
      b.forget(setup).forget(teardown);
      return false;
    }
    if (down.isPresent()) {
      b.acknowledge(teardown);
    }
    Effect negation = negation(op.get().effect(), teardown, owner);
    b.effect(negation);
    return true;
  }

  private static String nodeOf(Effect e) {
    if (e instanceof NodePublish p) {
      return p.node();
    }
    if (e instanceof SetUpHostPath h) {
      return h.node();
    }
    return e instanceof WriteLocalVolume w ? w.node() : "";
  }

  private static Effect negation(Effect setup, EffectId id, ObjectKey owner) {
    if (setup instanceof NodePublish p) {
      return new NodeUnpublish(id, owner, NAME, p.driver(), p.node(), p.podUid(), p.podVolume(),
          new NodeUnpublishVolumeRequest(p.request().volumeId(), p.request().targetPath()));
    }
    WriteLocalVolume w = (WriteLocalVolume) setup;
    return new RemoveLocalVolume(id, owner, NAME, w.node(), w.podUid(), w.podVolume(), w.volume().path(), false);
  }

  // ---------------------------------------------------------------- device mounts

  private Decision reconcileDevice(ClusterState state, String node, String pvName) {
    if (PodVolumeSupport.nodeIsDown(state, node)) {
      return Decision.none();
    }
    ObjectKey key = deviceKey(node, pvName);
    EffectId stageId = stageId(node, pvName);
    EffectId unstageId = unstageId(node, pvName);
    Optional<Operation> stage = state.operation(stageId);
    Optional<Operation> unstage = state.operation(unstageId);
    Optional<PersistentVolume> pv = state.get(Volumes.volumeKey(pvName), PersistentVolume.class);
    List<Pod> users = new ArrayList<>();
    boolean needed = false;
    boolean published = false;
    Optional<ObjectKey> claim = pv.flatMap(Volumes::claimRefKey);
    boolean boundHere = claim.flatMap(c -> state.get(c, PersistentVolumeClaim.class))
        .flatMap(PersistentVolumeClaim::volumeName).filter(pvName::equals).isPresent();
    List<Pod> candidates = new ArrayList<>();
    if (stage.isPresent() && (claim.isEmpty() || !boundHere)) {
      // The PV or its claim went away: only pods that still have the PV published on this node
      // can need the device; NodeOperationIndex names them without a look at every pod.
      candidates = podsPublishing(state, node, pvName);
    } else if (claim.isPresent()) {
      for (ObjectKey pk : state.index(PodIndex.class).podsUsing(claim.get())) {
        state.get(pk, Pod.class).ifPresent(candidates::add);
      }
    }
    for (Pod p : candidates) {
      String uid = p.metadata().uid().orElse("");
      boolean user = false;
      for (Volume v : p.spec().volumes()) {
        Optional<Operation> op = state.operation(setupId(uid, v.name())).filter(VolumeManager::mounted);
        if (op.isPresent() && op.get().effect() instanceof NodePublish np && np.node().equals(node)
            && np.volumeName().equals(pvName)) {
          needed = true;
          published = true;
          user = true;
        }
        if (boundHere && p.nodeName().filter(node::equals).isPresent() && !PodVolumeSupport.isTerminating(p)
            && PodVolumeSupport.claimKey(p, v).equals(claim)
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
    if (needed && !published && stage.isPresent() && pv.flatMap(PersistentVolume::csi).isPresent()) {
      // Wanted but no longer attached here (detached by force, or the attachment is being deleted):
      // the device must be unmounted before the volume can be detached and attached again.
      CSIPersistentVolumeSource csi = pv.get().csi().get();
      if (PodVolumeSupport.attachRequired(state, csi.driver())) {
        Optional<VolumeAttachment> va = state.get(
            Attachments.key(Attachments.name(csi.volumeHandle(), csi.driver(), node)), VolumeAttachment.class);
        if (va.isEmpty() || va.get().metadata().isDeleting()) {
          needed = false;
        }
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
      } else if (needed) {
        b.forget(unstageId); // still staged: keep using it
      }
    }
    Optional<Node> n = state.get(ObjectKey.cluster(Node.KIND, node), Node.class);
    if (needed) {
      if (stage.isPresent() && stage.get().inFlight()) {
        return b.build();
      }
      if (stage.isPresent() && stage.get().succeeded()) {
        users.forEach(p -> b.enqueue(ObjectKey.of(p)));
        return b.build();
      }
      if (stage.isPresent() && stage.get().unreportedFailure()) {
        b.acknowledge(stageId);
        for (Pod p : users) {
          if (!PodVolumeSupport.isTerminating(p)) {
            boolean block = pv.map(x -> x.spec().effectiveVolumeMode().equals("Block")).orElse(false);
            b.event(failedMount(p, (block ? "MapVolume.SetUpDevice" : "MountVolume.MountDevice") + " failed for volume \""
                + pvName + "\" : " + stage.get().failure().get().text()));
          }
        }
      }
      Optional<NodeStage> effect = pv.isEmpty() || users.isEmpty() ? Optional.empty()
          : stageEffect(state, key, node, pv.get(), users);
      if (effect.isEmpty()) {
        return b.build();
      }
      if (n.isPresent()) {
        java.util.NavigableSet<String> inUse = PodVolumeSupport.volumesInUse(state, node);
        if (!inUse.contains(pvName)) {
          b.update(PodVolumeSupport.withVolumesInUse(n.get(), com.google.common.collect.Sets.union(inUse, java.util.Set.of(pvName))));
        }
      }
      b.effect(effect.get());
      return b.build();
    }
    // not needed: unmount the device if mounted, then stop reporting it in use
    if (stage.isPresent() && stage.get().inFlight()) {
      return b.build();
    }
    if (stage.isPresent() && mounted(stage.get()) && publishedOnNode(state, node, pvName)) {
      return b.build(); // a pod that is gone (force-deleted) still has it published: the sweep unpublishes first
    }
    if (stage.isPresent() && mounted(stage.get())) {
      NodeStage s = (NodeStage) stage.get().effect();
      if (unstage.isPresent() && unstage.get().failed()) {
        b.acknowledge(unstageId);
      }
      b.effect(new NodeUnstage(unstageId, key, NAME, s.driver(), node, pvName, s.rpc(),
          new NodeUnstageVolumeRequest(s.request().volumeId(), s.request().stagingTargetPath())));
      return b.build();
    }
    if (stage.isPresent()) {
      b.forget(stageId); // failed for good: nothing mounted
    }
    if (n.isPresent()) {
      java.util.NavigableSet<String> inUse = PodVolumeSupport.volumesInUse(state, node);
      if (inUse.contains(pvName)) {
        b.update(PodVolumeSupport.withVolumesInUse(n.get(), com.google.common.collect.Sets.difference(inUse, java.util.Set.of(pvName))));
      }
    }
    return b.build();
  }

  /** The staging path: the global mount of a filesystem volume, the block staging path of a Block one. */
  private String stagingPath(PersistentVolume pv, String driver, String handle) {
    return pv.spec().effectiveVolumeMode().equals("Block")
        ? host.blockStagingPath(pv.metadata().name()).toString()
        : host.stagingPath(driver, handle).toString();
  }

  /**
   * Whether any pod volume on the node has the PV published. Checked before every unstage, so it
   * reads {@link NodeOperationIndex} (that node's publishes of that PV) rather than every operation.
   */
  private static boolean publishedOnNode(ClusterState state, String node, String pvName) {
    for (EffectId id : state.index(NodeOperationIndex.class).publishes(node, pvName)) {
      if (state.operation(id).filter(VolumeManager::mounted).isPresent()) {
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
    Map<ObjectKey, Pod> out = new java.util.TreeMap<>();
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

  private Optional<NodeStage> stageEffect(ClusterState state, ObjectKey key, String node, PersistentVolume pv, List<Pod> users) {
    if (pv.csi().isEmpty()) {
      return Optional.empty();
    }
    CSIPersistentVolumeSource csi = pv.csi().get();
    String driver = csi.driver();
    Optional<DriverInfo> info = host.driver(driver);
    if (info.isEmpty() || PodVolumeSupport.nodeId(state, node, driver).isEmpty()) {
      return Optional.empty();
    }
    ImmutableMap<String, String> publishContext = ImmutableMap.of();
    if (PodVolumeSupport.attachRequired(state, driver)) {
      Optional<VolumeAttachment> va = state.get(Attachments.key(Attachments.name(csi.volumeHandle(), driver, node)),
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
    Pod first = users.stream().filter(p -> !PodVolumeSupport.isTerminating(p)).findFirst().orElse(users.get(0));
    VolumeCapability cap = capability(pv.spec().accessModes(), csi.fsType().orElse(""), pv.spec().mountOptions(),
        pv.spec().effectiveVolumeMode().equals("Block"), info.get(), first);
    NodeStageVolumeRequest request = new NodeStageVolumeRequest(csi.volumeHandle(), publishContext,
        stagingPath(pv, driver, csi.volumeHandle()), Optional.of(cap), secrets, csi.volumeAttributes());
    return Optional.of(new NodeStage(stageId(node, pv.metadata().name()), key, NAME, driver, node,
        pv.metadata().name(), info.get().stages(), request));
  }

  // ---------------------------------------------------------------- orphans

  /** Tears down mounts on the node whose pods no longer exist there (force-deleted while the node was down). */
  private Decision sweep(ClusterState state, String node) {
    if (PodVolumeSupport.nodeIsDown(state, node)) {
      return Decision.none();
    }
    // Only this node's pods and operations (NodePodIndex, NodeOperationIndex): a node coming back
    // costs what it holds, not a scan of the cluster. A pod that is elsewhere counts as gone here.
    Map<String, Pod> byUid = new HashMap<>();
    for (Pod p : podsOn(state, node)) {
      p.metadata().uid().ifPresent(u -> byUid.put(u, p));
    }
    Decision.Builder b = Decision.builder();
    ObjectKey owner = ObjectKey.cluster(Node.KIND, node);
    for (EffectId id : state.index(NodeOperationIndex.class).onNode(node)) {
      Optional<Operation> recorded = state.operation(id);
      if (recorded.isEmpty()) {
        continue;
      }
      Effect e = recorded.get().effect();
      if (!e.controller().equals(NAME)) {
        continue;
      }
      String podUid;
      String volume;
      if (e instanceof NodePublish p && p.node().equals(node)) {
        podUid = p.podUid();
        volume = p.podVolume();
      } else if (e instanceof WriteLocalVolume w && w.node().equals(node)) {
        podUid = w.podUid();
        volume = w.podVolume();
      } else if (e instanceof SetUpHostPath h && h.node().equals(node)) {
        podUid = h.podUid();
        volume = h.podVolume();
      } else if (e instanceof NodeStage s && s.node().equals(node)) {
        b.enqueue(deviceKey(node, s.volumeName()));
        continue;
      } else {
        continue;
      }
      Pod p = byUid.get(podUid);
      if (p != null && p.nodeName().filter(node::equals).isPresent()) {
        b.enqueue(ObjectKey.of(p));
        continue;
      }
      teardownVolume(state, owner, podUid, volume, b);
      if (e instanceof NodePublish orphan) {
        b.enqueue(deviceKey(node, orphan.volumeName()));
      }
    }
    return b.build();
  }
}
