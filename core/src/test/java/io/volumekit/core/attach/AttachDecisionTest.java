package io.volumekit.core.attach;

import static io.volumekit.core.NodeStates.HANDLE;
import static io.volumekit.core.NodeStates.PV;
import static io.volumekit.core.NodeStates.attachment;
import static io.volumekit.core.NodeStates.claim;
import static io.volumekit.core.NodeStates.csiNode;
import static io.volumekit.core.NodeStates.inUse;
import static io.volumekit.core.NodeStates.node;
import static io.volumekit.core.NodeStates.outOfService;
import static io.volumekit.core.NodeStates.pod;
import static io.volumekit.core.NodeStates.pv;
import static io.volumekit.core.NodeStates.state;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.volumekit.core.Fixtures;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentBuilder;
import io.volumekit.model.storage.VolumeAttachmentSourceBuilder;
import io.volumekit.model.storage.VolumeAttachmentSpecBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attach/detach controller's decision for the PV {@code pv-1} in a state built by hand,
 * compared by equality: a failing row names this controller.
 */
class AttachDecisionTest {

  record Row(String name, Supplier<ClusterState> state, Supplier<Decision> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    AttachDetachController c = new AttachDetachController();
    assertEquals(row.expected().get(), c.reconcile(row.state().get(), Volumes.volumeKey(PV)), c.name() + ": " + row.name());
  }

  /** The attachment the controller creates for the node (no status: the external-attacher sets it). */
  static VolumeAttachment created(String node) {
    return VolumeAttachmentBuilder.builder()
        .metadata(ObjectMeta.named(Attachments.name(HANDLE, Fixtures.DRIVER, node)))
        .spec(VolumeAttachmentSpecBuilder.builder().attacher(Fixtures.DRIVER).nodeName(node)
            .source(VolumeAttachmentSourceBuilder.builder().persistentVolumeName(Optional.of(PV)).build()).build())
        .build();
  }

  static ClusterState nodes(String mode) {
    return state(node("node-1"), node("node-2"), csiNode("node-1"), csiNode("node-2"), pv(mode), claim());
  }

  static Stream<Row> rows() {
    VolumeAttachment onNode1 = attachment("node-1", true, Map.of());
    ObjectKey onNode1Key = ObjectKey.of(onNode1);
    return Stream.of(
        new Row("a pod on node-1 uses the volume: create its VolumeAttachment",
            () -> nodes(AccessModes.READ_WRITE_ONCE).put(pod("a", "node-1")),
            () -> Decision.builder().create(created("node-1")).build()),
        new Row("attached where the pod is: nothing to do",
            () -> nodes(AccessModes.READ_WRITE_ONCE).put(pod("a", "node-1")).put(onNode1),
            Decision::none),
        new Row("ReadWriteOnce wanted on node-2 while attached to node-1: Multi-Attach error on the new pod only",
            () -> nodes(AccessModes.READ_WRITE_ONCE).put(pod("a", "node-1")).put(pod("b", "node-2")).put(onNode1),
            () -> Decision.event(EventRecord.warning(AttachDetachController.NAME, ObjectKey.of(pod("b", "node-2")),
                AttachDetachController.FAILED_ATTACH_VOLUME,
                "Multi-Attach error for volume \"" + PV + "\" Volume is already used by pod(s) a"))),
        new Row("ReadWriteMany wanted on node-2 too: attach there as well",
            () -> nodes(AccessModes.READ_WRITE_MANY).put(pod("a", "node-1")).put(pod("b", "node-2")).put(onNode1),
            () -> Decision.builder().create(created("node-2")).build()),
        new Row("no pod left, but the kubelet still reports the volume in use: wait for the unmount",
            () -> nodes(AccessModes.READ_WRITE_ONCE).put(inUse(node("node-1"), PV)).put(onNode1),
            Decision::none),
        new Row("no pod left and unmounted (not in use): detach",
            () -> nodes(AccessModes.READ_WRITE_ONCE).put(onNode1),
            () -> Decision.builder().delete(onNode1Key, "").build()),
        new Row("node out of service with the volume still in use: forced detach",
            () -> nodes(AccessModes.READ_WRITE_ONCE).put(outOfService(inUse(node("node-1"), PV))).put(onNode1),
            () -> Decision.builder().delete(onNode1Key, "").build()),
        new Row("node gone with the volume still in use: forced detach",
            () -> nodes(AccessModes.READ_WRITE_ONCE).remove(ObjectKey.cluster("Node", "node-1")).put(onNode1),
            () -> Decision.builder().delete(onNode1Key, "").build()));
  }
}
