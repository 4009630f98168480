package io.volumekit.core.attach;

import static io.volumekit.core.NodeStates.PV;
import static io.volumekit.core.NodeStates.claim;
import static io.volumekit.core.NodeStates.node;
import static io.volumekit.core.NodeStates.pod;
import static io.volumekit.core.NodeStates.state;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.controller.EventRecord;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.AwsEbsPlugin;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.migration.PortworxPlugin;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.AWSElasticBlockStoreVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PortworxVolumeSource;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSINodeBuilder;
import io.volumekit.model.storage.CSINodeSpecBuilder;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentBuilder;
import io.volumekit.model.storage.VolumeAttachmentSourceBuilder;
import io.volumekit.model.storage.VolumeAttachmentSpecBuilder;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attach/detach controller's node check for migrated in-tree PVs ({@code
 * isCSIMigrationSupportedOnNode}): a plugin whose migration is not complete (Portworx) is attached
 * through CSI only on nodes whose CSINode lists it in {@code storage.alpha.kubernetes.io/migrated-plugins}.
 */
class MigratedAttachDecisionTest {

  record Row(String name, Supplier<ClusterState> state, Supplier<Decision> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    AttachDetachController c = new AttachDetachController(CsiMigration.all());
    assertEquals(row.expected().get(), c.reconcile(row.state().get(), Volumes.volumeKey(PV)), c.name() + ": " + row.name());
  }

  static PersistentVolume portworx() {
    PersistentVolume pv = io.volumekit.core.NodeStates.pv("ReadWriteOnce");
    return pv.withSpec(pv.spec().withCsi(Optional.empty())
        .withPortworxVolume(Optional.of(new PortworxVolumeSource("px-1", Optional.empty(), Optional.empty()))));
  }

  static PersistentVolume ebs() {
    PersistentVolume pv = io.volumekit.core.NodeStates.pv("ReadWriteOnce");
    return pv.withSpec(pv.spec().withCsi(Optional.empty()).withAwsElasticBlockStore(Optional.of(
        new AWSElasticBlockStoreVolumeSource("vol-1", Optional.empty(), Optional.empty(), Optional.empty()))));
  }

  static CSINode csiNode(Optional<String> migrated) {
    ObjectMeta meta = ObjectMeta.named("node-1");
    if (migrated.isPresent()) {
      meta = meta.withAnnotations(ImmutableMap.of(Annotations.MIGRATED_PLUGINS, migrated.get()));
    }
    return CSINodeBuilder.builder().metadata(meta).spec(CSINodeSpecBuilder.builder().build()).build();
  }

  static VolumeAttachment created(String handle, String driver) {
    return VolumeAttachmentBuilder.builder()
        .metadata(ObjectMeta.named(Attachments.name(handle, driver, "node-1")))
        .spec(VolumeAttachmentSpecBuilder.builder().attacher(driver).nodeName("node-1")
            .source(VolumeAttachmentSourceBuilder.builder().persistentVolumeName(Optional.of(PV)).build()).build())
        .build();
  }

  static Decision refused() {
    return Decision.event(EventRecord.warning(AttachDetachController.NAME, ObjectKey.of(pod("a", "node-1")),
        AttachDetachController.FAILED_ATTACH_VOLUME,
        "AttachVolume.FindAttachablePluginBySpec failed for volume \"pv-1\" : CSI migration of "
            + "kubernetes.io/portworx-volume is not enabled on node node-1 (CSINode annotation "
            + "storage.alpha.kubernetes.io/migrated-plugins does not list it) and the in-tree plugin is not supported"));
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("Portworx, the node lists it as migrated: attach through pxd.portworx.com with the translated handle",
            () -> state(node("node-1"), portworx(), claim(), pod("a", "node-1"),
                csiNode(Optional.of(AwsEbsPlugin.IN_TREE + "," + PortworxPlugin.IN_TREE))),
            () -> Decision.builder().create(created("px-1", PortworxPlugin.DRIVER)).build()),
        new Row("Portworx, the CSINode has no annotation: in-tree path, refused with FailedAttachVolume",
            () -> state(node("node-1"), portworx(), claim(), pod("a", "node-1"), csiNode(Optional.empty())),
            MigratedAttachDecisionTest::refused),
        new Row("Portworx, the annotation lists other plugins only: refused",
            () -> state(node("node-1"), portworx(), claim(), pod("a", "node-1"),
                csiNode(Optional.of(AwsEbsPlugin.IN_TREE))),
            MigratedAttachDecisionTest::refused),
        new Row("Portworx, no CSINode yet: wait, no event",
            () -> state(node("node-1"), portworx(), claim(), pod("a", "node-1")),
            Decision::none),
        new Row("AWS EBS (migration complete): the node is not asked",
            () -> state(node("node-1"), ebs(), claim(), pod("a", "node-1"), csiNode(Optional.empty())),
            () -> Decision.builder().create(created("vol-1", AwsEbsPlugin.DRIVER)).build()));
  }
}
