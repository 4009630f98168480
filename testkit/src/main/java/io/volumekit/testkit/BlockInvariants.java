package io.volumekit.testkit;

import io.volumekit.core.api.Volumes;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.Container;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeDevice;
import io.volumekit.model.core.VolumeModes;
import java.util.Map;
import java.util.Optional;

/**
 * The invariant of raw block volumes: the volume mode of a PV decides how the node side uses it.
 *
 * <p>It checks, from the engine's operations and from what the driver underneath really holds,
 * that a Block PV is only staged and published with a block capability, at the kubelet's device
 * paths ({@code .../volumeDevices/publish/<pv>/<pod uid>}), never as a filesystem, and a
 * Filesystem PV never as a block device; and that every running pod on a live node has each of its
 * {@code volumeDevices} published at its device path.
 */
public final class BlockInvariants {

  private BlockInvariants() {}

  /** Where the kubelet publishes a Block PV for a pod, below its root. */
  static String devicePathSuffix(String pv, String podUid) {
    return "/volumeDevices/publish/" + pv + "/" + podUid;
  }

  /** Block volumes are mapped, never mounted, and running pods have their devices. */
  public static final Invariant BLOCK_VOLUME_PATHS = new Invariant() {
    @Override
    public String name() {
      return "block-volume-paths";
    }

    @Override
    public String description() {
      return "A Block PV is staged and published only with a block capability, at the kubelet's volumeDevices paths,"
          + " and the driver never holds it published at a filesystem target; a Filesystem PV is never published"
          + " as a block device; every running pod on a live node has each of its volumeDevices published at"
          + " <root>/plugins/kubernetes.io/csi/volumeDevices/publish/<pv>/<pod uid>.";
    }

    @Override
    public Optional<String> afterStep(SimView view) {
      ClusterState s = view.state();
      Map<String, PersistentVolume> byHandle = Invariants.csiVolumesByHandle(s);
      for (Operation op : s.operations()) {
        Optional<String> wrong = operation(s, op.effect());
        if (wrong.isPresent()) {
          return wrong;
        }
      }
      for (var e : view.driver().nodePublications().entrySet()) {
        PersistentVolume pv = byHandle.get(e.getKey());
        if (pv == null) {
          continue;
        }
        boolean block = block(pv);
        for (String target : e.getValue().keySet()) {
          if (block != target.contains("/volumeDevices/publish/")) {
            return Optional.of("the driver holds " + pv.spec().effectiveVolumeMode() + " PV " + pv.metadata().name()
                + " (volume " + e.getKey() + ") published at " + target
                + (block ? ", a filesystem target" : ", a block device path"));
          }
        }
      }
      for (Pod p : s.list(Pod.KIND, Pod.class)) {
        Optional<String> missing = runningPodDevices(view, p);
        if (missing.isPresent()) {
          return missing;
        }
      }
      return Optional.empty();
    }
  };

  private static boolean block(PersistentVolume pv) {
    return VolumeModes.BLOCK.equals(pv.spec().effectiveVolumeMode());
  }

  /** A NodeStage or NodePublish whose capability (or device path) disagrees with its PV's volume mode. */
  private static Optional<String> operation(ClusterState s, Effect effect) {
    String pvName;
    String volumeId;
    Optional<VolumeCapability> cap;
    String target;
    if (effect instanceof NodePublish p) {
      pvName = p.volumeName();
      volumeId = p.request().volumeId();
      cap = p.request().volumeCapability();
      target = p.request().targetPath();
    } else if (effect instanceof NodeStage st) {
      pvName = st.volumeName();
      volumeId = st.request().volumeId();
      cap = st.request().volumeCapability();
      target = "";
    } else {
      return Optional.empty();
    }
    Optional<PersistentVolume> pv = s.get(Volumes.volumeKey(pvName), PersistentVolume.class)
        .filter(v -> v.csi().map(c -> c.volumeHandle().equals(volumeId)).orElse(false));
    if (pv.isEmpty() || cap.isEmpty()) {
      return Optional.empty(); // an inline volume, or a PV gone (or replaced) since
    }
    boolean blockCap = cap.get().accessType() instanceof AccessType.Block;
    String what = effect.describe();
    if (block(pv.get()) && !blockCap) {
      return Optional.of("Block PV " + pvName + " is used as a filesystem: " + what);
    }
    if (!block(pv.get()) && blockCap) {
      return Optional.of("Filesystem PV " + pvName + " is used as a block device: " + what);
    }
    if (effect instanceof NodePublish p && block(pv.get()) && !target.endsWith(devicePathSuffix(pvName, p.podUid()))) {
      return Optional.of("Block PV " + pvName + " is published for pod " + p.podUid() + " at " + target
          + ", not at its device path");
    }
    return Optional.empty();
  }

  /**
   * A running pod (phase Running, not being deleted) on a live node (existing, Ready, not out of
   * service) one of whose volumeDevices is not published at its device path.
   */
  private static Optional<String> runningPodDevices(SimView view, Pod p) {
    ClusterState s = view.state();
    if (!"Running".equals(p.status().phase().orElse("")) || p.metadata().isDeleting() || p.nodeName().isEmpty()
        || !live(s, p.nodeName().get())) {
      return Optional.empty();
    }
    String uid = p.metadata().uid().orElse("");
    for (Container c : p.spec().allContainers()) {
      for (VolumeDevice d : c.volumeDevices()) {
        Optional<Volume> v = p.spec().volume(d.name());
        Optional<PersistentVolume> pv = v.flatMap(vol -> PodVolumeSupport.claimKey(p, vol))
            .flatMap(k -> s.get(k, PersistentVolumeClaim.class))
            .flatMap(PersistentVolumeClaim::volumeName)
            .flatMap(n -> s.get(Volumes.volumeKey(n), PersistentVolume.class));
        if (pv.isEmpty() || pv.get().csi().isEmpty()) {
          return Optional.of("running pod " + p.metadata().name() + " maps volume " + d.name()
              + " whose claim has no CSI PV");
        }
        if (!block(pv.get())) {
          return Optional.of("running pod " + p.metadata().name() + " maps volume " + d.name() + " of Filesystem PV "
              + pv.get().metadata().name());
        }
        String pvName = pv.get().metadata().name();
        boolean published = view.driver().nodePublications()
            .getOrDefault(pv.get().csi().get().volumeHandle(), com.google.common.collect.ImmutableMap.of())
            .keySet().stream().anyMatch(t -> t.endsWith(devicePathSuffix(pvName, uid)));
        if (!published) {
          return Optional.of("running pod " + p.metadata().name() + " maps volume " + d.name() + " (PV " + pvName
              + ") at " + d.devicePath() + " but the driver has nothing published at "
              + devicePathSuffix(pvName, uid));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the node's kubelet and plugin are up: the Node exists, is not out of service, and is Ready. */
  private static boolean live(ClusterState s, String node) {
    if (PodVolumeSupport.nodeIsDown(s, node)) {
      return false;
    }
    return s.get(Step.nodeKey(node), Node.class).map(n -> n.status().conditions().stream()
        .anyMatch(c -> c.type().equals("Ready") && c.status().equals("True"))).orElse(false);
  }
}
