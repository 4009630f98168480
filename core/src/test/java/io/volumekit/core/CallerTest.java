package io.volumekit.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.CapacityRange;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.NodeExpandVolumeRequest;
import io.volumekit.core.csi.NodePublishVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.CreateVolume;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.effect.EffectId;
import io.volumekit.core.effect.NodeExpand;
import io.volumekit.core.effect.NodePublish;
import io.volumekit.core.effect.RemoveLocalVolume;
import io.volumekit.core.expansion.NodeExpansionController;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.PodVolumeController;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which side makes an effect's call, told from the operation record: the kubelet of the effect's
 * node for the kubelet controllers' calls, the control plane (kube-controller-manager, CSI
 * sidecars) for the rest; and which roles own those operations.
 */
class CallerTest {

  private static final ObjectKey POD = ObjectKey.namespaced(Pod.KIND, "default", "app");
  private static final ObjectKey CLAIM = ObjectKey.namespaced(PersistentVolumeClaim.KIND, "default", "data");

  private static NodePublish publish(String node) {
    return new NodePublish(EffectId.of("publish-" + node), POD, PodVolumeController.NAME, "d", node, "uid", "data",
        "pv-1", new NodePublishVolumeRequest("h", ImmutableMap.of(), "", "/target", Optional.empty(), false,
            Secrets.none(), ImmutableMap.of()), ImmutableList.of());
  }

  private static final Effect CREATE = new CreateVolume(EffectId.of("create"), CLAIM, "persistentvolume-controller", "d",
      new CreateVolumeRequest("pvc-1", Optional.of(CapacityRange.atLeast(1L << 30)),
          ImmutableList.of(VolumeCapability.mount("", List.of(), AccessMode.SINGLE_NODE_WRITER)),
          ImmutableMap.of(), Secrets.none(), Optional.empty(), Optional.empty(), ImmutableMap.of()));

  private static final Effect EMPTY_DIR_REMOVAL = new RemoveLocalVolume(EffectId.of("remove"), POD,
      PodVolumeController.NAME, "node-2", "uid", "cache", "/var/lib/kubelet/pods/uid/volumes/cache", false);

  private static final Effect NODE_EXPAND = new NodeExpand(EffectId.of("expand"), CLAIM, NodeExpansionController.NAME,
      "d", "node-1", "pv-1", new NodeExpandVolumeRequest("h", "/target", Optional.empty(), "", Optional.empty(),
          Secrets.none()));

  @Test
  void theKubeletsCallsBelongToTheNodeTheyName() {
    assertThat(Caller.of(publish("node-1"))).isEqualTo(new Caller.Kubelet("node-1"));
    assertThat(Caller.of(EMPTY_DIR_REMOVAL)).isEqualTo(new Caller.Kubelet("node-2"));
  }

  @Test
  void controllerCallsAndCallsOfControlPlaneControllersBelongToTheControlPlane() {
    assertThat(Caller.of(CREATE)).isEqualTo(new Caller.ControlPlane());
    // A node call, but issued by a controller that runs in the control-plane role: the process
    // that started it is the control plane.
    assertThat(Caller.of(NODE_EXPAND)).isEqualTo(new Caller.ControlPlane());
  }

  @Test
  void aRoleOwnsTheOperationsOfTheSidesItRuns() {
    Role agent = Role.nodeAgent("node-1");
    assertThat(agent.owns(publish("node-1"))).isTrue();
    assertThat(agent.owns(publish("node-2"))).isFalse();
    assertThat(agent.owns(EMPTY_DIR_REMOVAL)).isFalse();
    assertThat(agent.owns(CREATE)).isFalse();
    assertThat(agent.owns(NODE_EXPAND)).isFalse();

    Role controlPlane = Role.controlPlane();
    assertThat(controlPlane.owns(CREATE)).isTrue();
    assertThat(controlPlane.owns(NODE_EXPAND)).isTrue();
    assertThat(controlPlane.owns(publish("node-1"))).isFalse();

    Role both = Role.controlPlane().andNodeAgent("node-2");
    assertThat(both.owns(CREATE)).isTrue();
    assertThat(both.owns(EMPTY_DIR_REMOVAL)).isTrue();
    assertThat(both.owns(publish("node-1"))).isFalse();

    Role all = Role.all();
    assertThat(List.of(CREATE, NODE_EXPAND, EMPTY_DIR_REMOVAL, publish("node-1"), publish("node-9")))
        .allMatch(all::owns);
  }
}
