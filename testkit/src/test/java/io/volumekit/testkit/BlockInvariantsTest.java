package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableSet;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.VolumeModes;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockInvariants#BLOCK_VOLUME_PATHS} on states built by hand: each rule it states is
 * broken once, and the healthy variants pass.
 */
class BlockInvariantsTest {

  static final String ROOT = "/var/lib/kubelet";
  static final String UID = "uid-p0";

  final FaultInjectingCsiDriver driver = new FaultInjectingCsiDriver(
      new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults()), 1, FaultPlan.none(), Optional.empty());

  static PersistentVolume pv(String name, String mode, String handle) {
    PersistentVolume pv = SimObjects.volume(name, "", 1L << 30, List.of(AccessModes.READ_WRITE_ONCE), "Delete", handle);
    return pv.withSpec(pv.spec().withVolumeMode(Optional.of(mode)));
  }

  static PersistentVolumeClaim claim(String name, String pv) {
    return SimObjects.claim(name, Optional.of(""), 1L << 30, List.of(AccessModes.READ_WRITE_ONCE), pv);
  }

  /** Pod p0 on n0, Running, mapping claim c0 through volumeDevices. */
  static Pod running() {
    Pod p = SimObjects.podWithDevices("p0", "n0", List.of(), List.of("c0"));
    p = p.withMetadata(p.metadata().withUid(Optional.of(UID)));
    return p.withStatus(p.status().withPhase(Optional.of("Running")));
  }

  static ClusterState state(Node node, Pod pod, PersistentVolume pv, Operation... ops) {
    ClusterState s = ClusterState.empty().put(node).put(pv).put(claim("c0", pv.metadata().name()));
    if (pod != null) {
      s = s.put(pod);
    }
    for (Operation op : ops) {
      s = s.withOperation(op);
    }
    return s;
  }

  static Operation done(Effect e) {
    return Operation.started(e, 1).succeeded(null);
  }

  static NodePublish publish(String pv, String handle, VolumeCapability cap, String target) {
    return new NodePublish(EffectId.of("setup/" + UID + "/vol-c0"), ObjectKey.namespaced(Pod.KIND, "default", "p0"),
        "kubelet-pod-volumes", SimObjects.DRIVER, "n0", UID, "vol-c0", pv,
        NodePublishVolumeRequest.of(handle, "", target, cap, false));
  }

  static NodeStage stage(String pv, String handle, VolumeCapability cap) {
    return new NodeStage(EffectId.of("mountdevice/n0/" + pv), ObjectKey.cluster(Node.KIND, "n0"), "kubelet-device-staging",
        SimObjects.DRIVER, "n0", pv, true, NodeStageVolumeRequest.of(handle, ROOT + "/plugins/staging/" + pv, cap));
  }

  Optional<String> check(ClusterState s) {
    return BlockInvariants.BLOCK_VOLUME_PATHS.afterStep(new SimView() {
      @Override
      public ClusterState state() {
        return s;
      }

      @Override
      public FaultInjectingCsiDriver driver() {
        return driver;
      }

      @Override
      public ImmutableSet<String> staticVolumes() {
        return ImmutableSet.of();
      }

      @Override
      public ImmutableSet<String> retainedVolumes() {
        return ImmutableSet.of();
      }

      @Override
      public int step() {
        return 0;
      }
    });
  }

  static final VolumeCapability BLOCK = VolumeCapability.block(AccessMode.SINGLE_NODE_WRITER);
  static final VolumeCapability MOUNT = VolumeCapability.mount("ext4", AccessMode.SINGLE_NODE_WRITER);
  static final String DEVICE_TARGET = ROOT + "/plugins/kubernetes.io/csi/volumeDevices/publish/pv0/" + UID;

  @Test
  void aRunningPodWhoseDeviceTheDriverDoesNotHoldIsAViolationOnALiveNodeOnly() {
    PersistentVolume block = pv("pv0", VolumeModes.BLOCK, "h0");
    assertThat(check(state(SimObjects.node("n0"), running(), block))).hasValueSatisfying(m -> assertThat(m)
        .contains("running pod p0 maps volume vol-c0 (PV pv0) at /dev/c0 but the driver has nothing published"));
    assertThat(check(state(SimObjects.withReady(SimObjects.node("n0"), false), running(), block))).isEmpty();
    Pod pending = running().withStatus(running().status().withPhase(Optional.of("Pending")));
    assertThat(check(state(SimObjects.node("n0"), pending, block))).isEmpty();
  }

  @Test
  void aRunningPodMappingAFilesystemVolumeIsAViolation() {
    assertThat(check(state(SimObjects.node("n0"), running(), pv("pv0", VolumeModes.FILESYSTEM, "h0"))))
        .hasValueSatisfying(m -> assertThat(m).contains("maps volume vol-c0 of Filesystem PV pv0"));
  }

  @Test
  void aBlockVolumePublishedAsAFilesystemOrAtAnotherPathIsAViolation() {
    PersistentVolume block = pv("pv0", VolumeModes.BLOCK, "h0");
    String fsTarget = ROOT + "/pods/" + UID + "/volumes/kubernetes.io~csi/pv0/mount";
    assertThat(check(state(SimObjects.node("n0"), null, block, done(publish("pv0", "h0", MOUNT, fsTarget)))))
        .hasValueSatisfying(m -> assertThat(m).startsWith("Block PV pv0 is used as a filesystem: NodePublish"));
    assertThat(check(state(SimObjects.node("n0"), null, block, done(publish("pv0", "h0", BLOCK, fsTarget)))))
        .hasValueSatisfying(m -> assertThat(m).contains("is published for pod " + UID + " at " + fsTarget
            + ", not at its device path"));
    assertThat(check(state(SimObjects.node("n0"), null, block, done(stage("pv0", "h0", MOUNT)))))
        .hasValueSatisfying(m -> assertThat(m).startsWith("Block PV pv0 is used as a filesystem: NodeStage"));
    assertThat(check(state(SimObjects.node("n0"), null, block, done(publish("pv0", "h0", BLOCK, DEVICE_TARGET)),
        done(stage("pv0", "h0", BLOCK))))).isEmpty();
  }

  @Test
  void aFilesystemVolumeStagedAsABlockDeviceIsAViolationButAnOperationOfAReplacedPvIsNot() {
    PersistentVolume fs = pv("pv0", VolumeModes.FILESYSTEM, "h0");
    assertThat(check(state(SimObjects.node("n0"), null, fs, done(stage("pv0", "h0", BLOCK)))))
        .hasValueSatisfying(m -> assertThat(m).startsWith("Filesystem PV pv0 is used as a block device: NodeStage"));
    assertThat(check(state(SimObjects.node("n0"), null, fs, done(stage("pv0", "old-handle", BLOCK))))).isEmpty();
    assertThat(check(state(SimObjects.node("n0"), null, fs, done(stage("pv0", "h0", MOUNT))))).isEmpty();
  }
}
