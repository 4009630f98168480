package io.volumekit.core;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.migration.AwsEbsPlugin;
import io.volumekit.core.podvolume.DriverInfo;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.AWSElasticBlockStoreVolumeSource;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.core.PersistentVolumeClaimVolumeSource;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.Taint;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSINode;
import io.volumekit.model.storage.CSINodeBuilder;
import io.volumekit.model.storage.CSINodeDriverBuilder;
import io.volumekit.model.storage.CSINodeSpecBuilder;
import io.volumekit.model.storage.VolumeAttachment;
import io.volumekit.model.storage.VolumeAttachmentBuilder;
import io.volumekit.model.storage.VolumeAttachmentSourceBuilder;
import io.volumekit.model.storage.VolumeAttachmentSpecBuilder;
import io.volumekit.model.storage.VolumeAttachmentStatusBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Objects for decision tests: a cluster state built by hand (no runtime) in which a node-side
 * controller's {@code reconcile(state, key)} is called and its decision compared by equality.
 * One driver ({@link Fixtures#DRIVER}, staging), one claim {@code data} bound to the CSI PV
 * {@code pv-1} (handle {@code h-1}).
 */
public final class NodeStates {

  public static final String PV = "pv-1";
  public static final String HANDLE = "h-1";
  public static final String CLAIM = "data";

  /** The kubelet host of the tests: the driver stages. */
  public static final VolumeHost HOST = VolumeHost.of(Path.of("/var/lib/kubelet"),
      Map.of(Fixtures.DRIVER, new DriverInfo(Fixtures.DRIVER, ImmutableSet.of(),
          ImmutableSet.of(NodeCapability.STAGE_UNSTAGE_VOLUME)),
          AwsEbsPlugin.DRIVER, new DriverInfo(AwsEbsPlugin.DRIVER, ImmutableSet.of(),
          ImmutableSet.of(NodeCapability.STAGE_UNSTAGE_VOLUME))));

  /** An inline in-tree volume {@code disk} of a migrated plugin: the EBS disk {@code vol-1}. */
  public static final Volume INLINE_EBS = VolumeBuilder.builder().name("disk").awsElasticBlockStore(Optional.of(
      new AWSElasticBlockStoreVolumeSource("vol-1", Optional.empty(), Optional.empty(), Optional.empty()))).build();

  /** The inline volume name of {@link #INLINE_EBS}: its device key and in-use entry. */
  public static final String EBS_VOLUME = AwsEbsPlugin.DRIVER + "^vol-1";

  /** The name of the PV {@link #INLINE_EBS} translates to (its pod directory, its messages). */
  public static final String EBS_PV = AwsEbsPlugin.DRIVER + "-vol-1";

  private NodeStates() {}

  /** A ready node. */
  public static Node node(String name) {
    return NodeBuilder.builder().metadata(ObjectMeta.named(name)).build();
  }

  /** The node with the in-use list. */
  public static Node inUse(Node node, String... pvs) {
    return PodVolumeSupport.withVolumesInUse(node, Set.of(pvs));
  }

  /** The node tainted out of service (non-graceful shutdown). */
  public static Node outOfService(Node node) {
    return node.withSpec(node.spec().withTaints(ImmutableList.of(
        Taint.of(PodVolumeSupport.OUT_OF_SERVICE_TAINT, "nodeshutdown", Taint.NO_EXECUTE))));
  }

  /** The node's CSINode with the driver registered. */
  public static CSINode csiNode(String node) {
    return CSINodeBuilder.builder().metadata(ObjectMeta.named(node))
        .spec(CSINodeSpecBuilder.builder().drivers(ImmutableList.of(
            CSINodeDriverBuilder.builder().name(Fixtures.DRIVER).nodeID(node + "-id").build())).build())
        .build();
  }

  /** The CSI PV {@code pv-1} with the access mode, bound to the claim {@code data}. */
  public static PersistentVolume pv(String mode) {
    PersistentVolume pv = Fixtures.withModes(Fixtures.csiPv(PV, "1Gi", HANDLE), mode);
    return pv.withSpec(pv.spec().withClaimRef(Optional.of(Volumes.claimReference(claim()))));
  }

  /** The claim {@code data}, bound to {@code pv-1}. */
  public static PersistentVolumeClaim claim() {
    PersistentVolumeClaim c = Fixtures.withVolumeName(Fixtures.pvc(CLAIM, "1Gi"), PV);
    c = c.withMetadata(c.metadata().withUid(Optional.of("claim-uid")));
    return c.withStatus(c.status().withPhase(Optional.of(PersistentVolumeClaimStatus.BOUND)));
  }

  /** A pod (uid {@code uid-<name>}) on the node using the claim {@code data} as volume {@code vol}. */
  public static Pod pod(String name, String node) {
    Pod p = Fixtures.pod(name, node);
    p = p.withSpec(p.spec().withVolumes(ImmutableList.of(VolumeBuilder.builder().name("vol")
        .persistentVolumeClaim(Optional.of(new PersistentVolumeClaimVolumeSource(CLAIM, Optional.empty())))
        .build())));
    return p.withMetadata(p.metadata().withUid(Optional.of("uid-" + name)));
  }

  /** The VolumeAttachment of {@code pv-1} on the node, attached or not, with the metadata. */
  public static VolumeAttachment attachment(String node, boolean attached, Map<String, String> metadata) {
    return VolumeAttachmentBuilder.builder()
        .metadata(ObjectMeta.named(PodVolumeSupport.attachmentName(HANDLE, Fixtures.DRIVER, node)))
        .spec(VolumeAttachmentSpecBuilder.builder().attacher(Fixtures.DRIVER).nodeName(node)
            .source(VolumeAttachmentSourceBuilder.builder().persistentVolumeName(Optional.of(PV)).build()).build())
        .status(VolumeAttachmentStatusBuilder.builder().attached(attached)
            .attachmentMetadata(ImmutableMap.copyOf(metadata)).build())
        .build();
  }

  /** A pod (uid {@code uid-<name>}) on the node with the inline volume {@link #INLINE_EBS}. */
  public static Pod inlinePod(String name, String node) {
    Pod p = Fixtures.pod(name, node);
    p = p.withSpec(p.spec().withVolumes(ImmutableList.of(INLINE_EBS)));
    return p.withMetadata(p.metadata().withUid(Optional.of("uid-" + name)));
  }

  /** The attachment of {@link #INLINE_EBS} on the node: the translated spec as inlineVolumeSpec. */
  public static VolumeAttachment inlineAttachment(String node, boolean attached) {
    PersistentVolume translated = new AwsEbsPlugin().translateInTreeInlineVolumeToCSI(INLINE_EBS, Fixtures.NS);
    VolumeAttachment va = VolumeAttachmentBuilder.builder()
        .metadata(ObjectMeta.named(PodVolumeSupport.attachmentName("vol-1", AwsEbsPlugin.DRIVER, node)))
        .spec(VolumeAttachmentSpecBuilder.builder().attacher(AwsEbsPlugin.DRIVER).nodeName(node)
            .source(VolumeAttachmentSourceBuilder.builder().inlineVolumeSpec(Optional.of(translated.spec())).build())
            .build())
        .build();
    return attached ? va.withStatus(VolumeAttachmentStatusBuilder.builder().attached(true).build()) : va;
  }

  /** The node's CSINode with the driver (and EBS) registered. */
  public static CSINode csiNodeWithEbs(String node) {
    CSINode n = csiNode(node);
    return n.withSpec(n.spec().withDrivers(ImmutableList.<io.volumekit.model.storage.CSINodeDriver>builder()
        .addAll(n.spec().drivers())
        .add(CSINodeDriverBuilder.builder().name(AwsEbsPlugin.DRIVER).nodeID(node + "-ebs").build()).build()));
  }

  /** A state holding the objects. */
  public static ClusterState state(io.volumekit.model.meta.ApiObject... objects) {
    ClusterState s = ClusterState.empty();
    for (var o : objects) {
      s = s.put(o);
    }
    return s;
  }
}
