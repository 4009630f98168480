package io.volumekit.core.mount;

import static io.volumekit.core.NodeStates.EBS_VOLUME;
import static io.volumekit.core.NodeStates.HANDLE;
import static io.volumekit.core.NodeStates.csiNodeWithEbs;
import static io.volumekit.core.NodeStates.inlineAttachment;
import static io.volumekit.core.NodeStates.inlinePod;
import static io.volumekit.core.NodeStates.HOST;
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
import static io.volumekit.core.mount.KubeletOperations.stageId;
import static io.volumekit.core.mount.KubeletOperations.unstageId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Fixtures;
import io.volumekit.core.migration.AwsEbsPlugin;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.NodeStageVolumeRequest;
import io.volumekit.core.csi.NodeUnstageVolumeRequest;
import io.volumekit.core.csi.Secrets;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.effect.EffectFailure;
import io.volumekit.core.effect.NodeStage;
import io.volumekit.core.effect.NodeUnstage;
import io.volumekit.core.effect.Operation;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.AccessModes;
import io.volumekit.model.core.Node;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device staging controller's decision for one device key ({@code pv-1} on {@code node-1}) in
 * a state built by hand, compared by equality: a failing row names this controller.
 */
class DeviceStagingDecisionTest {

  static final String NODE = "node-1";
  static final NodeVolumeKey.Device DEVICE = new NodeVolumeKey.Device(NODE, PV);
  static final Map<String, String> ATTACHED = Map.of("devicePath", "/dev/vdb");

  /** A row: the state, the device reconciled ({@code pv-1} on node-1 unless said), the decision expected. */
  record Row(String name, NodeVolumeKey.Device device, Supplier<ClusterState> state, Supplier<Decision> expected) {
    Row(String name, Supplier<ClusterState> state, Supplier<Decision> expected) {
      this(name, DEVICE, state, expected);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    DeviceStagingController c = new DeviceStagingController(HOST);
    ClusterState s = row.state().get();
    assertEquals(row.expected().get(), c.reconcile(s, row.device().objectKey()), c.name() + ": " + row.name());
    assertEquals(row.expected().get(), c.reconcile(s, row.device()), c.name() + " (typed key): " + row.name());
  }

  static Stream<Row> rows() {
    return Stream.concat(pvRows(), inlineRows());
  }

  static NodeStage stage() {
    VolumeCapability cap = new VolumeCapability(new AccessType.Mount("", ImmutableList.of(), ""),
        AccessMode.SINGLE_NODE_WRITER);
    return new NodeStage(stageId(NODE, PV), DEVICE.objectKey(), DeviceStagingController.NAME, Fixtures.DRIVER, NODE, PV,
        true, new NodeStageVolumeRequest(HANDLE, ImmutableMap.copyOf(ATTACHED),
            HOST.stagingPath(Fixtures.DRIVER, HANDLE).toString(), Optional.of(cap), Secrets.none(), ImmutableMap.of()));
  }

  static NodeUnstage unstage() {
    return new NodeUnstage(unstageId(NODE, PV), DEVICE.objectKey(), DeviceStagingController.NAME, Fixtures.DRIVER,
        NODE, PV, true, new NodeUnstageVolumeRequest(HANDLE, HOST.stagingPath(Fixtures.DRIVER, HANDLE).toString()));
  }

  static Operation staged() {
    return Operation.started(stage(), 1).succeeded(null);
  }

  static final EffectFailure FAILURE = new EffectFailure(CsiCode.INTERNAL, "mkfs failed");

  static ClusterState base(Node node) {
    return state(node, csiNode(NODE), pv(AccessModes.READ_WRITE_ONCE), claim(), attachment(NODE, true, ATTACHED));
  }

  static Stream<Row> pvRows() {
    Node n = node(NODE);
    ObjectKey web = ObjectKey.of(pod("web", NODE));
    return Stream.of(
        new Row("a pod on the node needs the attached volume: report it in use, then NodeStage",
            () -> base(n).put(pod("web", NODE)),
            () -> Decision.builder().update(inUse(n, PV)).effect(stage()).build()),
        new Row("already reported in use: NodeStage only",
            () -> base(inUse(n, PV)).put(pod("web", NODE)),
            () -> Decision.builder().effect(stage()).build()),
        new Row("not attached yet: wait (the VolumeAttachment change brings the key back)",
            () -> base(n).put(attachment(NODE, false, Map.of())).put(pod("web", NODE)),
            Decision::none),
        new Row("the driver is not registered on the node (no CSINode entry): wait",
            () -> state(n, pv(AccessModes.READ_WRITE_ONCE), claim(), attachment(NODE, true, ATTACHED), pod("web", NODE)),
            Decision::none),
        new Row("staged: hand the waiting pod to pod volume setup",
            () -> base(inUse(n, PV)).put(pod("web", NODE)).withOperation(staged()),
            () -> Decision.builder().handOff(PodVolumeController.NAME, web).build()),
        new Row("NodeStage failed: FailedMount on the pod, acknowledged, retried",
            () -> base(inUse(n, PV)).put(pod("web", NODE))
                .withOperation(Operation.started(stage(), 1).failed(FAILURE, Instant.EPOCH)),
            () -> Decision.builder().acknowledge(stageId(NODE, PV))
                .event(EventRecord.warning(KubeletOperations.EVENT_SOURCE, web, KubeletOperations.FAILED_MOUNT,
                    "MountVolume.MountDevice failed for volume \"" + PV + "\" : " + FAILURE.text()))
                .effect(stage()).build()),
        new Row("the last pod is gone: NodeUnstage",
            () -> base(inUse(n, PV)).withOperation(staged()),
            () -> Decision.builder().effect(unstage()).build()),
        new Row("unstaged: forget both operations and stop reporting the volume in use",
            () -> base(inUse(n, PV)).withOperation(staged())
                .withOperation(Operation.started(unstage(), 1).succeeded(null)),
            () -> Decision.builder().forget(unstageId(NODE, PV)).forget(stageId(NODE, PV)).update(n).build()),
        new Row("the pod is on another node: not needed here, nothing staged, nothing to do",
            () -> base(n).put(pod("web", "node-2")),
            Decision::none),
        new Row("the node is out of service: nothing (its kubelet is down)",
            () -> base(outOfService(n)).put(pod("web", NODE)),
            Decision::none));
  }

  // ---------------------------------------------------------------- inline in-tree volumes

  /** The device of the inline EBS volume on node-1: keyed by its inline volume name. */
  static final NodeVolumeKey.Device INLINE = new NodeVolumeKey.Device(NODE, EBS_VOLUME);

  static NodeStage inlineStage() {
    VolumeCapability cap = new VolumeCapability(new AccessType.Mount("", ImmutableList.of(), ""),
        AccessMode.SINGLE_NODE_WRITER);
    return new NodeStage(stageId(NODE, EBS_VOLUME), INLINE.objectKey(), DeviceStagingController.NAME, AwsEbsPlugin.DRIVER,
        NODE, EBS_VOLUME, true, new NodeStageVolumeRequest("vol-1", ImmutableMap.of(),
            HOST.stagingPath(AwsEbsPlugin.DRIVER, "vol-1").toString(), Optional.of(cap), Secrets.none(),
            ImmutableMap.of("partition", "0")));
  }

  static ClusterState inlineBase(Node node) {
    return state(node, csiNodeWithEbs(NODE), inlineAttachment(NODE, true));
  }

  /**
   * An inline EBS volume is staged as the PV it translates to, under its inline volume name
   * (stage id, in-use entry), while a pod on the node has it.
   */
  static Stream<Row> inlineRows() {
    Node n = node(NODE);
    Operation staged = Operation.started(inlineStage(), 1).succeeded(null);
    NodeUnstage unstage = new NodeUnstage(unstageId(NODE, EBS_VOLUME), INLINE.objectKey(), DeviceStagingController.NAME,
        AwsEbsPlugin.DRIVER, NODE, EBS_VOLUME, true,
        new NodeUnstageVolumeRequest("vol-1", HOST.stagingPath(AwsEbsPlugin.DRIVER, "vol-1").toString()));
    return Stream.of(
        new Row("inline EBS in a pod on the node, attached: report its inline name in use, NodeStage the translated volume",
            INLINE, () -> inlineBase(n).put(inlinePod("web", NODE)),
            () -> Decision.builder().update(inUse(n, EBS_VOLUME)).effect(inlineStage()).build()),
        new Row("inline EBS not attached yet: wait",
            INLINE, () -> inlineBase(n).put(inlineAttachment(NODE, false)).put(inlinePod("web", NODE)),
            Decision::none),
        new Row("inline EBS staged: hand the pod to pod volume setup",
            INLINE, () -> inlineBase(inUse(n, EBS_VOLUME)).put(inlinePod("web", NODE)).withOperation(staged),
            () -> Decision.builder().handOff(PodVolumeController.NAME, ObjectKey.of(inlinePod("web", NODE))).build()),
        new Row("inline EBS, the pod is on another node: nothing here",
            INLINE, () -> inlineBase(n).put(inlinePod("web", "node-2")),
            Decision::none),
        new Row("inline EBS, the pod is gone: NodeUnstage with the staged request",
            INLINE, () -> inlineBase(inUse(n, EBS_VOLUME)).withOperation(staged),
            () -> Decision.builder().effect(unstage).build()),
        new Row("inline EBS unstaged: forget both and stop reporting the inline name in use",
            INLINE, () -> inlineBase(inUse(n, EBS_VOLUME)).withOperation(staged)
                .withOperation(Operation.started(unstage, 1).succeeded(null)),
            () -> Decision.builder().forget(unstageId(NODE, EBS_VOLUME)).forget(stageId(NODE, EBS_VOLUME)).update(n).build()));
  }
}
