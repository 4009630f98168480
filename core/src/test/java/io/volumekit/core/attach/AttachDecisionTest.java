package io.volumekit.core.attach;

import static io.volumekit.core.NodeStates.EBS_VOLUME;
import static io.volumekit.core.NodeStates.HANDLE;
import static io.volumekit.core.NodeStates.inlineAttachment;
import static io.volumekit.core.NodeStates.inlinePod;
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

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.migration.AwsEbsPlugin;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.migration.PortworxPlugin;
import io.volumekit.model.core.AWSElasticBlockStoreVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PortworxVolumeSource;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSINodeBuilder;
import io.volumekit.model.storage.CSINodeSpecBuilder;
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
 * The attach/detach controller's decision for one key (the PV {@code pv-1}, or an inline volume
 * on a node) in a state built by hand, compared by equality: a failing row names this controller.
 * Rows for CSI PVs, migrated in-tree PVs and inline in-tree volumes of migrated plugins.
 */
class AttachDecisionTest {

  /** A row: the state, the key reconciled ({@code pv-1} unless said), the decision expected. */
  record Row(String name, ObjectKey key, Supplier<ClusterState> state, Supplier<Decision> expected) {
    Row(String name, Supplier<ClusterState> state, Supplier<Decision> expected) {
      this(name, Volumes.volumeKey(PV), state, expected);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    AttachDetachController c = new AttachDetachController(CsiMigration.all());
    assertEquals(row.expected().get(), c.reconcile(row.state().get(), row.key()), c.name() + ": " + row.name());
  }

  static Stream<Row> rows() {
    return Stream.of(pvRows(), migratedRows(), inlineRows()).flatMap(r -> r);
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

  static Stream<Row> pvRows() {
    VolumeAttachment onNode1 = attachment("node-1", true, Map.of());
    ObjectKey onNode1Key = ObjectKey.of(onNode1);
    return Stream.of(
        new Row("a pod on node-1 uses the volume: create its VolumeAttachment",
            () -> nodes(AccessModes.READ_WRITE_ONCE).put(pod("a", "node-1")),
            () -> Decision.builder().create(created("node-1")).build()),
        new Row("the claim names the PV but is not Bound yet: no attachment (CreateVolumeSpec wants a Bound claim)",
            () -> nodes(AccessModes.READ_WRITE_ONCE).put(pod("a", "node-1"))
                .put(claim().withStatus(claim().status().withPhase(Optional.of("Pending")))),
            Decision::none),
        new Row("the PV's claimRef names an earlier claim of that name (another uid): no attachment",
            () -> {
              PersistentVolume stale = pv(AccessModes.READ_WRITE_ONCE);
              stale = stale.withSpec(stale.spec().withClaimRef(stale.spec().claimRef().map(r -> r.withUid(Optional.of("old-uid")))));
              return nodes(AccessModes.READ_WRITE_ONCE).put(pod("a", "node-1")).put(stale);
            },
            Decision::none),
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

  // ---------------------------------------------------------------- migrated in-tree PVs

  static PersistentVolume portworx() {
    PersistentVolume pv = pv(AccessModes.READ_WRITE_ONCE);
    return pv.withSpec(pv.spec().withCsi(Optional.empty())
        .withPortworxVolume(Optional.of(new PortworxVolumeSource("px-1", Optional.empty(), Optional.empty()))));
  }

  static PersistentVolume ebs() {
    PersistentVolume pv = pv(AccessModes.READ_WRITE_ONCE);
    return pv.withSpec(pv.spec().withCsi(Optional.empty()).withAwsElasticBlockStore(Optional.of(
        new AWSElasticBlockStoreVolumeSource("vol-1", Optional.empty(), Optional.empty(), Optional.empty()))));
  }

  /** node-1's CSINode with the migrated-plugins annotation, if any. */
  static CSINode migratedOn(Optional<String> migrated) {
    ObjectMeta meta = ObjectMeta.named("node-1");
    if (migrated.isPresent()) {
      meta = meta.withAnnotations(ImmutableMap.of(Annotations.MIGRATED_PLUGINS, migrated.get()));
    }
    return CSINodeBuilder.builder().metadata(meta).spec(CSINodeSpecBuilder.builder().build()).build();
  }

  /** The attachment of a migrated PV on node-1. */
  static VolumeAttachment createdFor(String handle, String driver) {
    return VolumeAttachmentBuilder.builder()
        .metadata(ObjectMeta.named(Attachments.name(handle, driver, "node-1")))
        .spec(VolumeAttachmentSpecBuilder.builder().attacher(driver).nodeName("node-1")
            .source(VolumeAttachmentSourceBuilder.builder().persistentVolumeName(Optional.of(PV)).build()).build())
        .build();
  }

  /** The FailedAttachVolume of a Portworx volume on node-1, whose CSINode does not list the plugin. */
  static Decision refused(String volume, String pod) {
    return Decision.event(EventRecord.warning(AttachDetachController.NAME, ObjectKey.namespaced(Pod.KIND, Fixtures.NS, pod),
        AttachDetachController.FAILED_ATTACH_VOLUME,
        "AttachVolume.FindAttachablePluginBySpec failed for volume \"" + volume + "\" : CSI migration of "
            + "kubernetes.io/portworx-volume is not enabled on node node-1 (CSINode annotation "
            + "storage.alpha.kubernetes.io/migrated-plugins does not list it) and the in-tree plugin is not supported"));
  }

  /**
   * Migrated in-tree PVs ({@code isCSIMigrationSupportedOnNode}): a plugin whose migration is not
   * complete (Portworx) is attached through CSI only on nodes whose CSINode lists it in {@code
   * storage.alpha.kubernetes.io/migrated-plugins}.
   */
  static Stream<Row> migratedRows() {
    return Stream.of(
        new Row("Portworx, the node lists it as migrated: attach through pxd.portworx.com with the translated handle",
            () -> state(node("node-1"), portworx(), claim(), pod("a", "node-1"),
                migratedOn(Optional.of(AwsEbsPlugin.IN_TREE + "," + PortworxPlugin.IN_TREE))),
            () -> Decision.builder().create(createdFor("px-1", PortworxPlugin.DRIVER)).build()),
        new Row("Portworx, the CSINode has no annotation: in-tree path, refused with FailedAttachVolume",
            () -> state(node("node-1"), portworx(), claim(), pod("a", "node-1"), migratedOn(Optional.empty())),
            () -> refused(PV, "a")),
        new Row("Portworx, the annotation lists other plugins only: refused",
            () -> state(node("node-1"), portworx(), claim(), pod("a", "node-1"), migratedOn(Optional.of(AwsEbsPlugin.IN_TREE))),
            () -> refused(PV, "a")),
        new Row("Portworx, no CSINode yet: wait, no event",
            () -> state(node("node-1"), portworx(), claim(), pod("a", "node-1")),
            Decision::none),
        new Row("AWS EBS (migration complete): the node is not asked",
            () -> state(node("node-1"), ebs(), claim(), pod("a", "node-1"), migratedOn(Optional.empty())),
            () -> Decision.builder().create(createdFor("vol-1", AwsEbsPlugin.DRIVER)).build()));
  }

  // ---------------------------------------------------------------- inline in-tree volumes

  static final Volume INLINE_PX = VolumeBuilder.builder().name("disk").portworxVolume(Optional.of(
      new PortworxVolumeSource("px-1", Optional.empty(), Optional.empty()))).build();

  static ObjectKey inlineKey(String node) {
    return Attachments.inlineKey(node, EBS_VOLUME);
  }

  /**
   * Inline in-tree volumes of migrated plugins, per node ({@code Attachments.inlineKey}): the
   * attachment carries {@code inlineVolumeSpec}; detach waits for the unmount.
   */
  static Stream<Row> inlineRows() {
    VolumeAttachment onNode1 = inlineAttachment("node-1", false);
    ClusterState nodes = state(node("node-1"), node("node-2"));
    return Stream.of(
        new Row("inline EBS in a pod on node-1: create the attachment with the translated spec as inlineVolumeSpec",
            inlineKey("node-1"), () -> nodes.put(inlinePod("a", "node-1")),
            () -> Decision.builder().create(onNode1).build()),
        new Row("inline EBS already attached there: nothing to do",
            inlineKey("node-1"), () -> nodes.put(inlinePod("a", "node-1")).put(onNode1),
            Decision::none),
        new Row("inline EBS (ReadWriteOnce) wanted on node-2 while attached to node-1: Multi-Attach error",
            inlineKey("node-2"),
            () -> nodes.put(inlinePod("a", "node-1")).put(inlinePod("b", "node-2")).put(onNode1),
            () -> Decision.event(EventRecord.warning(AttachDetachController.NAME,
                ObjectKey.namespaced(Pod.KIND, Fixtures.NS, "b"), AttachDetachController.FAILED_ATTACH_VOLUME,
                "Multi-Attach error for volume \"ebs.csi.aws.com-vol-1\" Volume is already used by pod(s) a"))),
        new Row("the pod is gone but node-1 reports the inline volume in use: wait for the unmount",
            inlineKey("node-1"), () -> nodes.put(inUse(node("node-1"), EBS_VOLUME)).put(onNode1),
            Decision::none),
        new Row("the pod is gone and unmounted: detach",
            inlineKey("node-1"), () -> nodes.put(onNode1),
            () -> Decision.builder().delete(ObjectKey.of(onNode1), "").build()),
        new Row("the pod is gone and node-1 out of service with the volume in use: forced detach",
            inlineKey("node-1"), () -> nodes.put(outOfService(inUse(node("node-1"), EBS_VOLUME))).put(onNode1),
            () -> Decision.builder().delete(ObjectKey.of(onNode1), "").build()),
        new Row("a PV's attachment on the node is not touched by the inline key",
            inlineKey("node-1"), () -> nodes.put(attachment("node-1", true, Map.of())),
            Decision::none),
        new Row("inline Portworx on a node whose CSINode does not list it: refused, no attachment",
            Attachments.inlineKey("node-1", PortworxPlugin.DRIVER + "^px-1"),
            () -> nodes.put(inlinePod("a", "node-1").withSpec(inlinePod("a", "node-1").spec().withVolumes(ImmutableList.of(INLINE_PX)))).put(migratedOn(Optional.empty())),
            () -> refused("pxd.portworx.com-px-1", "a")));
  }
}
