package io.volumekit.core.mount;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.csi.NodeUnpublishVolumeRequest;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeUnpublish;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.effect.PullImageVolume;
import io.volumekit.core.effect.RemoveLocalVolume;
import io.volumekit.core.effect.SetUpHostPath;
import io.volumekit.core.effect.WriteLocalVolume;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.node.KubeletPathLayout;
import io.volumekit.core.node.NodeOs;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodSecurityContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kubelet's record of what is mounted on a node, shared by its volume controllers ({@link
 * PodVolumeController}, {@link DeviceStagingController}, {@link OrphanSweeper}): the ids of its
 * operations and how to undo a pod volume's setup.
 *
 * <p>The actual state of the world is the set of recorded operations: a succeeded (or in flight,
 * or failed with a may-be-in-progress code) {@code setup/<pod uid>/<volume>} or {@code
 * mountdevice/<node>/<pv>} operation is a mount; its negation forgets it on success.
 */
public final class KubeletOperations {

  /** The source of the kubelet's events, whichever of its controllers records them. */
  public static final String EVENT_SOURCE = "kubelet";

  /** kubelet event reason of a failed mount. */
  public static final String FAILED_MOUNT = "FailedMount";

  /** kubelet event reason of a failed block volume map. */
  public static final String FAILED_MAP = "FailedMapVolume";

  private static final Set<String> CONTROLLERS =
      Set.of(PodVolumeController.NAME, DeviceStagingController.NAME, OrphanSweeper.NAME);

  private KubeletOperations() {}

  /** The id of the setup (publish / local write) of a pod volume. */
  public static EffectId setupId(String podUid, String volume) {
    return PodVolumeIds.id("setup/", podUid, volume);
  }

  /**
   * The id of the periodic redo of a pod volume's setup: a NodePublishVolume again for a CSIDriver
   * with {@code requiresRepublish}, or a rewrite of a projected volume whose tokens near expiry.
   */
  public static EffectId refreshId(String podUid, String volume) {
    return PodVolumeIds.id("refresh/", podUid, volume);
  }

  /** The id of the periodic NodeGetVolumeStats of a pod volume. */
  public static EffectId statsId(String podUid, String volume) {
    return PodVolumeIds.id("stats/", podUid, volume);
  }

  /** The id of the teardown of a pod volume. */
  public static EffectId teardownId(String podUid, String volume) {
    return PodVolumeIds.id("teardown/", podUid, volume);
  }

  /** The id of the kubelet-side fsGroup change of a pod volume. */
  public static EffectId ownershipId(String podUid, String volume) {
    return PodVolumeIds.id("fsgroup/", podUid, volume);
  }

  /** The id of the cleanup of a removed pod's directory. */
  public static EffectId podDirId(String podUid) {
    return EffectId.of("poddir/" + podUid);
  }

  /** The id of the device mount (stage) of a PV on a node. */
  public static EffectId stageId(String node, String pv) {
    return PodVolumeIds.id("mountdevice/", node, pv);
  }

  /** The id of the device unmount (unstage) of a PV on a node. */
  public static EffectId unstageId(String node, String pv) {
    return PodVolumeIds.id("unmountdevice/", node, pv);
  }

  /** Whether the operation stands for a mount: succeeded, in flight, or failed with an uncertain outcome. */
  public static boolean mounted(Operation op) {
    return op.succeeded() || op.inFlight() || op.failure().map(f -> f.mayBeInProgress()).orElse(false);
  }

  /** Whether one of the kubelet's volume controllers started the effect. */
  static boolean byKubelet(Effect e) {
    return CONTROLLERS.contains(e.controller());
  }

  /** What one volume's setup came to. */
  enum Outcome { READY, WAITING }

  /** A FailedMount (or FailedMapVolume, for a {@code MapVolume.} message) warning on the pod. */
  static EventRecord failedMount(Pod pod, String message) {
    return EventRecord.warning(EVENT_SOURCE, ObjectKey.of(pod),
        message.startsWith("MapVolume.") ? FAILED_MAP : FAILED_MOUNT, message);
  }

  /** Reports a failure not reported yet as a FailedMount with the prefix. */
  static void reportFailure(Decision.Builder b, Pod pod, EffectId id, Operation op, String prefix) {
    if (op.unreportedFailure()) {
      b.acknowledge(id);
      b.event(failedMount(pod, prefix + op.failure().get().text()));
    }
  }

  /**
   * Tears one pod volume down, by the controller, for the owner key (the pod, or the node of a
   * pod that is gone); whether something is still pending.
   */
  static boolean teardownVolume(ClusterState state, String controller, ObjectKey owner, String uid, String volume,
      Decision.Builder b) {
    for (EffectId periodic : List.of(refreshId(uid, volume), statsId(uid, volume))) {
      Optional<Operation> p = state.operation(periodic);
      if (p.isPresent()) {
        if (p.get().inFlight()) {
          return true; // a republish or stats call is under way: unpublish after it
        }
        b.forget(periodic);
      }
    }
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
    b.effect(negation(op.get().effect(), teardown, owner, controller));
    return true;
  }

  /** The node a pod volume's setup effect ran on. */
  static String nodeOf(Effect e) {
    if (e instanceof NodePublish p) {
      return p.node();
    }
    if (e instanceof SetUpHostPath h) {
      return h.node();
    }
    if (e instanceof PullImageVolume i) {
      return i.node();
    }
    return e instanceof WriteLocalVolume w ? w.node() : "";
  }

  private static Effect negation(Effect setup, EffectId id, ObjectKey owner, String controller) {
    if (setup instanceof NodePublish p) {
      return new NodeUnpublish(id, owner, controller, p.driver(), p.node(), p.podUid(), p.podVolume(),
          new NodeUnpublishVolumeRequest(p.request().volumeId(), p.request().targetPath()));
    }
    if (setup instanceof PullImageVolume i) {
      return new RemoveLocalVolume(id, owner, controller, i.node(), i.podUid(), i.podVolume(), i.path(), false);
    }
    WriteLocalVolume w = (WriteLocalVolume) setup;
    return new RemoveLocalVolume(id, owner, controller, w.node(), w.podUid(), w.podVolume(), w.volume().path(), false);
  }

  /** The staging path: the global mount of a filesystem volume, the block staging path of a Block one. */
  static String stagingPath(KubeletPathLayout paths, PersistentVolume pv, String driver, String handle) {
    return pv.spec().effectiveVolumeMode().equals("Block")
        ? paths.blockStagingPath(pv.metadata().name())
        : paths.stagingPath(driver, VolumeHost.sha256(handle));
  }

  /** The operating system of a node of the state (Linux when the node is not known). */
  static NodeOs nodeOs(ClusterState state, String node) {
    return NodeOs.of(state.get(ObjectKey.cluster(Node.KIND, node), Node.class));
  }

  /** The layout of the CSI paths the node's kubelet sends to drivers (by the node's OS). */
  static KubeletPathLayout csiPaths(ClusterState state, VolumeHost host, String node) {
    return host.csiPaths(nodeOs(state, node));
  }

  /** The node-side capability: first access mode, fsType, mount flags, fsGroup delegation. */
  static VolumeCapability capability(List<String> modes, String fsType, List<String> mountOptions, boolean block,
      DriverInfo info, Pod pod, Optional<String> seLinuxContext) {
    AccessMode mode = PodVolumeSupport.accessMode(modes, info.node().contains(NodeCapability.SINGLE_NODE_MULTI_WRITER), true);
    if (block) {
      return VolumeCapability.block(mode);
    }
    String group = info.node().contains(NodeCapability.VOLUME_MOUNT_GROUP)
        ? pod.spec().securityContext().flatMap(PodSecurityContext::fsGroup).map(String::valueOf).orElse("")
        : "";
    ImmutableList<String> flags = seLinuxContext.isEmpty() ? ImmutableList.copyOf(mountOptions)
        : ImmutableList.<String>builder().addAll(mountOptions).add(SELinuxMounts.mountOption(seLinuxContext.get())).build();
    return new VolumeCapability(new AccessType.Mount(fsType, flags, group), mode);
  }
}
