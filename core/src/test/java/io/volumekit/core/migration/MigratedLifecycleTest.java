package io.volumekit.core.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Fixtures;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.api.Finalizers;
import io.volumekit.core.attach.Attachments;
import io.volumekit.core.csi.AccessMode;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.CreateVolumeRequest;
import io.volumekit.core.csi.InMemoryCsiDriver;
import io.volumekit.core.csi.VolumeCapability;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.mount.RecordingDriver;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.model.core.AWSElasticBlockStoreVolumeSource;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.VolumeAttachment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An old manifest on a cluster with the CSI driver of the translated name: the in-memory driver
 * registered as {@code ebs.csi.aws.com} serves a class with provisioner {@code kubernetes.io/aws-ebs}
 * and a static {@code awsElasticBlockStore} PV through their whole lifecycle, as Kubernetes with
 * CSI migration does.
 */
class MigratedLifecycleTest {

  static final String EBS = AwsEbsPlugin.DRIVER;

  final InMemoryCsiDriver memory = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults());
  final RecordingDriver.CallLog log = new RecordingDriver.CallLog(1, 0);
  final List<String> trace = new ArrayList<>();
  final List<CreateVolumeRequest> creates = new ArrayList<>();
  final Path root;

  MigratedLifecycleTest() throws IOException {
    root = Files.createTempDirectory("volumekit-migration-test");
  }

  VolumeKit kit(CsiMigration migration) {
    return kit(migration, memory);
  }

  VolumeKit kit(CsiMigration migration, InMemoryCsiDriver memory) {
    return VolumeKit.builder().deterministic(11).kubeletRoot(root).csiMigration(migration)
        .driver(EBS, new RecordingDriver(new io.volumekit.core.csi.ForwardingCsiDriver(memory) {
              @Override
              public io.volumekit.core.csi.CreateVolumeResponse createVolume(CreateVolumeRequest r) {
                creates.add(r);
                return super.createVolume(r);
              }
            }, "", log, Set.of()),
            node -> new RecordingDriver(memory.forNode(node), node, log, Set.of()))
        .trace(trace::add).node("node-1").build();
  }

  static StorageClass gp2() {
    return Fixtures.sc("gp2", AwsEbsPlugin.IN_TREE)
        .withParameters(ImmutableMap.of("type", "gp2", "fsType", "xfs"));
  }

  @Test
  void aClassOfTheInTreeProvisionerIsProvisionedAttachedMountedAndDeletedByTheCsiDriver() {
    VolumeKit kit = kit(CsiMigration.all());
    kit.apply(gp2());
    kit.apply(Fixtures.withClass(Fixtures.pvc("data", "1Gi"), "gp2"));
    kit.apply(Fixtures.pod("app", "node-1", "data"));
    kit.settle();

    // The binder handed the claim to the CSI driver (provisionClaimOperationExternal's name swap).
    PersistentVolumeClaim claim = kit.get(PersistentVolumeClaim.class, Fixtures.NS, "data").orElseThrow();
    assertThat(claim.phase()).isEqualTo("Bound");
    assertThat(claim.metadata().annotation(Annotations.STORAGE_PROVISIONER)).contains(EBS);
    assertThat(claim.metadata().annotation(Annotations.BETA_STORAGE_PROVISIONER)).contains(EBS);
    assertThat(claim.metadata().annotation(Annotations.MIGRATED_TO)).isEmpty();

    // CreateVolume got the translated class: fstype renamed (and stripped), other parameters kept.
    assertThat(creates).hasSize(1);
    CreateVolumeRequest create = creates.get(0);
    assertThat(create.parameters()).isEqualTo(Map.of("type", "gp2"));
    assertThat(create.volumeCapabilities()).singleElement().satisfies(c ->
        assertThat(((AccessType.Mount) c.accessType()).fsType()).isEqualTo("xfs"));

    // The PV is stored in its in-tree form, provisioned by the in-tree name, migrated to the driver.
    PersistentVolume pv = kit.get(PersistentVolume.class, "", claim.volumeName().orElseThrow()).orElseThrow();
    assertThat(pv.spec().awsElasticBlockStore()).as("%s", pv).isPresent();
    String handle = pv.spec().awsElasticBlockStore().orElseThrow().volumeID();
    assertThat(handle).startsWith("vol-");
    assertThat(pv.csi()).isEmpty();
    assertThat(pv.spec().awsElasticBlockStore().orElseThrow().fsType()).contains("xfs");
    assertThat(pv.metadata().annotation(Annotations.PROVISIONED_BY)).contains(AwsEbsPlugin.IN_TREE);
    assertThat(pv.metadata().annotation(Annotations.MIGRATED_TO)).contains(EBS);
    assertThat(pv.metadata().finalizers()).contains(Finalizers.EXTERNAL_PROVISIONER).doesNotContain(Finalizers.PV_CONTROLLER);

    // Attached, staged and published as the CSI volume of the translated name.
    String vaName = Attachments.name(handle, EBS, "node-1");
    VolumeAttachment va = kit.get(VolumeAttachment.class, "", vaName).orElseThrow();
    assertThat(va.spec().attacher()).isEqualTo(EBS);
    assertThat(va.status().attached()).isTrue();
    Pod pod = kit.get(Pod.class, Fixtures.NS, "app").orElseThrow();
    assertThat(pod.status().phase()).contains("Running");
    String staging = root.resolve("plugins/kubernetes.io/csi/" + EBS + "/" + VolumeHost.sha256(handle) + "/globalmount").toString();
    String target = root.resolve("pods/" + pod.metadata().uid().orElseThrow() + "/volumes/kubernetes.io~csi/"
        + pv.metadata().name() + "/mount").toString();
    assertThat(log.calls).containsSubsequence(
        "ControllerPublishVolume " + handle + " node-1",
        "NodeStageVolume " + handle + " node-1 " + staging,
        "NodePublishVolume " + handle + " node-1 " + target);
    assertStagedWithThenTornDown(kit, pod, "xfs", handle, staging, target);
    kit.delete(ObjectKey.namespaced(PersistentVolumeClaim.KIND, Fixtures.NS, "data"));
    kit.settle();
    assertThat(kit.get(PersistentVolume.class, "", pv.metadata().name())).isEmpty();
    assertThat(Fixtures.driverVolumes(memory)).isEmpty();
    assertThat(trace).anyMatch(l -> l.contains("DeleteVolume driver=" + EBS + " volumeId=" + handle));
    assertThat(kit.state().operations()).isEmpty();
  }

  /**
   * The volume was staged once with the fsType and the EBS partition attribute, the pod is ready;
   * deleting it unpublishes, unstages and detaches, in that order.
   */
  void assertStagedWithThenTornDown(VolumeKit kit, Pod pod, String fsType, String handle, String staging, String target) {
    assertThat(log.stages).singleElement().satisfies(s -> {
      assertThat(((AccessType.Mount) s.volumeCapability().orElseThrow().accessType()).fsType()).isEqualTo(fsType);
      assertThat(s.volumeContext()).containsEntry("partition", "0");
    });
    assertThat(kit.podVolumes(pod).ready()).isTrue();
    log.calls.clear();
    kit.delete(ObjectKey.of(pod));
    kit.settle();
    assertThat(log.calls).containsExactly(
        "NodeUnpublishVolume " + handle + " node-1 " + target,
        "NodeUnstageVolume " + handle + " node-1 " + staging,
        "ControllerUnpublishVolume " + handle + " node-1");
  }

  /** A pre-provisioned in-tree PV with a zone label and the {@code aws://<zone>/<id>} form. */
  @Test
  void aStaticInTreePvIsAttachedAndMountedByItsTranslatedHandle() {
    VolumeKit kit = kit(CsiMigration.all());
    String id = memory.createVolume(CreateVolumeRequest.of("old-disk", 1L << 30,
        VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER))).volume().volumeId();
    PersistentVolume pv = Fixtures.withLabels(Fixtures.pv("legacy", "1Gi"), "topology.kubernetes.io/zone", "us-east-1a");
    pv = pv.withSpec(pv.spec().withHostPath(Optional.empty()).withAwsElasticBlockStore(Optional.of(
        new AWSElasticBlockStoreVolumeSource("aws://us-east-1a/" + id, Optional.of("ext4"), Optional.empty(), Optional.empty()))));
    kit.apply(pv);
    kit.apply(Fixtures.withClass(Fixtures.pvc("old", "1Gi"), ""));
    kit.apply(Fixtures.pod("app", "node-1", "old"));
    kit.settle();

    Pod pod = kit.get(Pod.class, Fixtures.NS, "app").orElseThrow();
    assertThat(pod.status().phase()).as("%s", Fixtures.eventTexts(kit, ObjectKey.of(pod))).contains("Running");
    assertThat(log.calls).contains("ControllerPublishVolume " + id + " node-1");
    assertThat(kit.get(VolumeAttachment.class, "", Attachments.name(id, EBS, "node-1"))).isPresent();
    // A static PV has no provisioner: no migrated-to, and Retain keeps the disk.
    assertThat(kit.get(PersistentVolume.class, "", "legacy").orElseThrow().metadata().annotation(Annotations.MIGRATED_TO)).isEmpty();
    kit.delete(ObjectKey.namespaced(Pod.KIND, Fixtures.NS, "app"));
    kit.settle();
    assertThat(log.clean()).isTrue();
    assertThat(kit.list(VolumeAttachment.class)).isEmpty();
    assertThat(Fixtures.driverVolumes(memory)).containsExactly(id);
  }

  /** NodeVolumeLimits: a migrated in-tree PV counts against its CSI driver's attach limit. */
  @Test
  void migratedPvsCountAgainstTheDriversAttachLimit() {
    InMemoryCsiDriver limited = new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults().withMaxVolumesPerNode(1));
    VolumeKit kit = kit(CsiMigration.all(), limited);
    for (String name : List.of("a", "b")) {
      String id = limited.createVolume(CreateVolumeRequest.of(name, 1L << 30,
          VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER))).volume().volumeId();
      PersistentVolume pv = Fixtures.pv("pv-" + name, "1Gi");
      kit.apply(pv.withSpec(pv.spec().withHostPath(Optional.empty()).withAwsElasticBlockStore(Optional.of(
          new AWSElasticBlockStoreVolumeSource(id, Optional.empty(), Optional.empty(), Optional.empty())))));
      kit.apply(Fixtures.withVolumeName(Fixtures.withClass(Fixtures.pvc("c-" + name, "1Gi"), ""), "pv-" + name));
    }
    kit.apply(Fixtures.pod("first", "", "c-a"));
    kit.settle();
    kit.apply(Fixtures.pod("second", "", "c-b"));
    // An inline awsElasticBlockStore volume counts too, by its translated handle.
    kit.apply(inlinePod("third", "vol-other", Optional.empty()));
    kit.settle();
    assertThat(kit.get(Pod.class, Fixtures.NS, "first").orElseThrow().nodeName()).contains("node-1");
    for (String unscheduled : List.of("second", "third")) {
      assertThat(kit.get(Pod.class, Fixtures.NS, unscheduled).orElseThrow().nodeName()).isEmpty();
      assertThat(Fixtures.eventTexts(kit, ObjectKey.namespaced(Pod.KIND, Fixtures.NS, unscheduled)))
          .anyMatch(e -> e.contains("node(s) exceed max volume count"));
    }
  }

  @Test
  void untranslatableClassesAndVolumesAreReportedNotUsed() {
    VolumeKit kit = kit(CsiMigration.all());
    kit.apply(gp2().withParameters(ImmutableMap.of("zone", "us-east-1a"))
        .withAllowedTopologies(ImmutableList.of(new io.volumekit.model.core.TopologySelectorTerm(ImmutableList.of(
            new io.volumekit.model.core.TopologySelectorLabelRequirement("topology.kubernetes.io/zone",
                ImmutableList.of("us-east-1a")))))));
    kit.apply(Fixtures.withClass(Fixtures.pvc("data", "1Gi"), "gp2"));
    PersistentVolume pv = Fixtures.pv("bad", "1Gi");
    kit.apply(pv.withSpec(pv.spec().withHostPath(Optional.empty()).withAwsElasticBlockStore(Optional.of(
        new AWSElasticBlockStoreVolumeSource("aws://us-east-1a/02399794d890f9375", Optional.empty(), Optional.empty(),
            Optional.empty())))));
    kit.apply(Fixtures.withClass(Fixtures.pvc("old", "1Gi"), ""));
    kit.apply(Fixtures.pod("app", "node-1", "old"));
    kit.settle();
    assertThat(Fixtures.eventTexts(kit, Fixtures.pvcKey("data"))).contains("ProvisioningFailed: failed to translate in-tree"
        + " storage class \"gp2\": parameters: cannot simultaneously set allowed topologies and zone/zones parameters");
    assertThat(Fixtures.eventTexts(kit, ObjectKey.namespaced(Pod.KIND, Fixtures.NS, "app"))).anyMatch(e -> e.endsWith(
        "failed to translate kubernetes.io/aws-ebs volume to ebs.csi.aws.com: spec.awsElasticBlockStore.volumeID:"
            + " Invalid format for AWS volume (aws://us-east-1a/02399794d890f9375)"));
    assertThat(kit.get(Pod.class, Fixtures.NS, "app").orElseThrow().status().phase()).contains("Pending");
    assertThat(creates).isEmpty();
    assertThat(log.calls).isEmpty();
  }

  /** updateClaimMigrationAnnotations: a claim whose provisioner annotation is the in-tree name. */
  @Test
  void aBoundClaimOfTheInTreeProvisionerGetsMigratedTo() {
    VolumeKit kit = kit(CsiMigration.all());
    kit.apply(Fixtures.pv("pv-1", "1Gi"));
    PersistentVolumeClaim c = Fixtures.withVolumeName(Fixtures.withClass(Fixtures.pvc("legacy", "1Gi"), ""), "pv-1");
    kit.apply(c.withMetadata(c.metadata().withAnnotation(Annotations.STORAGE_PROVISIONER, AwsEbsPlugin.IN_TREE)));
    kit.settle();
    assertThat(kit.get(PersistentVolumeClaim.class, Fixtures.NS, "legacy").orElseThrow().metadata()
        .annotation(Annotations.MIGRATED_TO)).contains(EBS);
  }

  record AnnotationRow(String name, CsiMigration migration, Optional<String> annotation) { }

  @Test
  void nodeRegistrationPublishesTheMigratedPluginsInTheCsiNode() {
    List<AnnotationRow> rows = List.of(
        new AnnotationRow("all (default): every plugin, sorted", CsiMigration.all(), Optional.of(
            "kubernetes.io/aws-ebs,kubernetes.io/azure-disk,kubernetes.io/azure-file,kubernetes.io/cinder,"
                + "kubernetes.io/gce-pd,kubernetes.io/portworx-volume,kubernetes.io/vsphere-volume")),
        new AnnotationRow("some: only those, sorted", CsiMigration.of(List.of("kubernetes.io/gce-pd", "kubernetes.io/aws-ebs")),
            Optional.of("kubernetes.io/aws-ebs,kubernetes.io/gce-pd")),
        new AnnotationRow("none: no annotation", CsiMigration.none(), Optional.empty()));
    for (AnnotationRow row : rows) {
      VolumeKit kit = kit(row.migration(), new InMemoryCsiDriver(InMemoryCsiDriver.Config.defaults()));
      assertThat(kit.get(io.volumekit.model.storage.CSINode.class, "", "node-1").orElseThrow().metadata()
          .annotation(io.volumekit.core.mount.NodeRegistrar.MIGRATED_PLUGINS_ANNOTATION))
          .as(row.name()).isEqualTo(row.annotation());
    }
  }

  @Test
  void withMigrationOffTheInTreeNamesFailLoudly() {
    VolumeKit kit = kit(CsiMigration.none());
    kit.apply(gp2());
    kit.apply(Fixtures.withClass(Fixtures.pvc("data", "1Gi"), "gp2"));
    PersistentVolume pv = Fixtures.pv("legacy", "1Gi");
    kit.apply(pv.withSpec(pv.spec().withHostPath(Optional.empty()).withAwsElasticBlockStore(Optional.of(
        new AWSElasticBlockStoreVolumeSource("vol-1", Optional.empty(), Optional.empty(), Optional.empty())))));
    kit.apply(Fixtures.withClass(Fixtures.pvc("old", "1Gi"), ""));
    kit.apply(Fixtures.pod("app", "node-1", "old"));
    kit.apply(io.volumekit.model.core.PodBuilder.builder()
        .metadata(io.volumekit.model.meta.ObjectMeta.named(Fixtures.NS, "inline"))
        .spec(io.volumekit.model.core.PodSpecBuilder.builder().nodeName(Optional.of("node-1"))
            .volumes(ImmutableList.of(VolumeBuilder.builder().name("disk").awsElasticBlockStore(Optional.of(
                new AWSElasticBlockStoreVolumeSource("vol-1", Optional.empty(), Optional.empty(), Optional.empty()))).build()))
            .containers(ImmutableList.of(io.volumekit.model.core.ContainerBuilder.builder().name("c").image(Optional.of("busybox")).build())).build())
        .build());
    kit.settle();
    assertThat(Fixtures.eventTexts(kit, Fixtures.pvcKey("data")))
        .contains("ProvisioningFailed: no volume plugin matched name: kubernetes.io/aws-ebs");
    assertThat(Fixtures.eventTexts(kit, ObjectKey.namespaced(Pod.KIND, Fixtures.NS, "app")))
        .anyMatch(e -> e.contains("persistent volume source \"awsElasticBlockStore\" is not supported"));
    assertThat(Fixtures.eventTexts(kit, ObjectKey.namespaced(Pod.KIND, Fixtures.NS, "inline")))
        .anyMatch(e -> e.endsWith("volume source \"awsElasticBlockStore\" is not supported"));
    assertThat(log.calls).isEmpty();
  }

  static Pod inlinePod(String name, String volumeId) {
    return inlinePod(name, volumeId, Optional.of("node-1"));
  }

  static Pod inlinePod(String name, String volumeId, Optional<String> node) {
    return io.volumekit.model.core.PodBuilder.builder()
        .metadata(io.volumekit.model.meta.ObjectMeta.named(Fixtures.NS, name))
        .spec(io.volumekit.model.core.PodSpecBuilder.builder().nodeName(node)
            .volumes(ImmutableList.of(VolumeBuilder.builder().name("disk").awsElasticBlockStore(Optional.of(
                new AWSElasticBlockStoreVolumeSource(volumeId, Optional.of("ext4"), Optional.empty(), Optional.empty()))).build()))
            .containers(ImmutableList.of(io.volumekit.model.core.ContainerBuilder.builder().name("c")
                .image(Optional.of("busybox")).build())).build())
        .build();
  }

  /**
   * An inline {@code awsElasticBlockStore} volume: attached through a VolumeAttachment whose
   * source is the translated PV spec, staged and published as the PV {@code ebs.csi.aws.com-<id>},
   * and torn down and detached after the pod.
   */
  @Test
  void anInlineInTreeVolumeIsAttachedWithItsInlineSpecMountedAndTornDown() {
    VolumeKit kit = kit(CsiMigration.all());
    String id = memory.createVolume(CreateVolumeRequest.of("inline-disk", 1L << 30,
        VolumeCapability.mount("", AccessMode.SINGLE_NODE_WRITER))).volume().volumeId();
    kit.apply(inlinePod("inline", "aws://us-east-1a/" + id));
    kit.settle();

    Pod pod = kit.get(Pod.class, Fixtures.NS, "inline").orElseThrow();
    assertThat(pod.status().phase()).as("%s", Fixtures.eventTexts(kit, ObjectKey.of(pod))).contains("Running");
    VolumeAttachment va = kit.get(VolumeAttachment.class, "", Attachments.name(id, EBS, "node-1")).orElseThrow();
    assertThat(va.spec().attacher()).isEqualTo(EBS);
    assertThat(va.spec().source().persistentVolumeName()).isEmpty();
    io.volumekit.model.core.PersistentVolumeSpec inline = va.spec().source().inlineVolumeSpec().orElseThrow();
    assertThat(inline.csi().orElseThrow().volumeHandle()).isEqualTo(id);
    assertThat(inline.csi().orElseThrow().driver()).isEqualTo(EBS);
    assertThat(inline.accessModes()).containsExactly("ReadWriteOnce");
    assertThat(va.status().attached()).isTrue();
    assertThat(Fixtures.eventTexts(kit, ObjectKey.of(pod)))
        .contains("SuccessfulAttachVolume: AttachVolume.Attach succeeded for volume \"" + EBS + "-" + id + "\"");
    assertThat(kit.list(PersistentVolume.class)).isEmpty();

    String staging = root.resolve("plugins/kubernetes.io/csi/" + EBS + "/" + VolumeHost.sha256(id) + "/globalmount").toString();
    String target = root.resolve("pods/" + pod.metadata().uid().orElseThrow() + "/volumes/kubernetes.io~csi/"
        + EBS + "-" + id + "/mount").toString();
    assertThat(log.calls).containsExactly(
        "ControllerPublishVolume " + id + " node-1",
        "NodeStageVolume " + id + " node-1 " + staging,
        "NodePublishVolume " + id + " node-1 " + target);
    assertThat(kit.get(io.volumekit.model.core.Node.class, "", "node-1").orElseThrow().metadata()
        .annotation(Annotations.VOLUMES_IN_USE)).contains(EBS + "^" + id);
    assertStagedWithThenTornDown(kit, pod, "ext4", id, staging, target);
    assertThat(log.clean()).isTrue();
    assertThat(kit.list(VolumeAttachment.class)).isEmpty();
    assertThat(kit.get(io.volumekit.model.core.Node.class, "", "node-1").orElseThrow().metadata()
        .annotation(Annotations.VOLUMES_IN_USE).orElse("")).isEmpty();
    assertThat(Fixtures.driverVolumes(memory)).containsExactly(id);
    assertThat(kit.state().operations()).isEmpty();
  }

  /** An inline source that does not translate: the pod stays Pending with the translation error. */
  @Test
  void anInlineVolumeThatDoesNotTranslateIsReported() {
    VolumeKit kit = kit(CsiMigration.all());
    kit.apply(inlinePod("inline", "aws://us-east-1a/02399794d890f9375"));
    kit.settle();
    assertThat(Fixtures.eventTexts(kit, ObjectKey.namespaced(Pod.KIND, Fixtures.NS, "inline"))).anyMatch(e -> e.endsWith(
        "failed to translate kubernetes.io/aws-ebs volume to ebs.csi.aws.com: awsElasticBlockStore.volumeID:"
            + " Invalid format for AWS volume (aws://us-east-1a/02399794d890f9375)"));
    assertThat(kit.get(Pod.class, Fixtures.NS, "inline").orElseThrow().status().phase()).contains("Pending");
    assertThat(kit.list(VolumeAttachment.class)).isEmpty();
    assertThat(log.calls).isEmpty();
  }
}
