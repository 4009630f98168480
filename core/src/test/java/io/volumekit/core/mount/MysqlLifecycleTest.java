package io.volumekit.core.mount;

import io.volumekit.core.podvolume.VolumeHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.Fixtures;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.attach.Attachments;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.EnvVarBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodBuilder;
import io.volumekit.model.core.PodSpecBuilder;
import io.volumekit.model.core.VolumeMount;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.StorageClass;
import io.volumekit.model.storage.VolumeAttachment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The mysql example of the slides end to end with the in-memory driver: a WaitForFirstConsumer
 * class, a claim and a pod without nodeName; placed, provisioned, bound, attached, staged,
 * published, Running; then torn down step by step.
 */
class MysqlLifecycleTest {

  @Test
  void fullLifecycle() {
    NodeKit k = new NodeKit(2);
    StorageClass sc = Fixtures.wffc(Fixtures.sc("my-sc")).withMountOptions(ImmutableList.of("debug"));
    PersistentVolumeClaim claim = Fixtures.withClass(Fixtures.pvc("mysql-pvc", "1Gi"), "my-sc");
    Pod pod = PodBuilder.builder()
        .metadata(ObjectMeta.named(NodeKit.NS, "mysql"))
        .spec(PodSpecBuilder.builder()
            .volumes(ImmutableList.of(NodeKit.claim("mysql-pvc").withName("data")))
            .containers(ImmutableList.of(ContainerBuilder.builder().name("mysql").image(Optional.of("mysql:5.6"))
                .env(ImmutableList.of(EnvVarBuilder.builder().name("MYSQL_ROOT_PASSWORD").value(Optional.of("password")).build()))
                .volumeMounts(ImmutableList.of(VolumeMount.of("data", "/var/lib/mysql"))).build()))
            .build())
        .build();
    k.apply(sc, claim);
    k.settle();
    // WaitForFirstConsumer: nothing provisioned before a pod uses the claim.
    assertThat(k.pvc("mysql-pvc").phase()).isEqualTo("Pending");
    assertThat(Fixtures.driverVolumes(k.memory)).isEmpty();

    k.apply(pod);
    k.settle();

    // Placed on the first fitting node by name, the claim got selected-node, then provisioned and bound.
    Pod running = k.pod("mysql");
    assertThat(running.nodeName()).contains("node-1");
    assertThat(k.pvc("mysql-pvc").metadata().annotation(Annotations.SELECTED_NODE)).contains("node-1");
    assertThat(k.pvc("mysql-pvc").phase()).isEqualTo("Bound");
    String pv = k.pvOf("mysql-pvc");
    String handle = k.handleOf("mysql-pvc");
    assertThat(Fixtures.driverVolumes(k.memory)).containsExactly(handle);

    // Attached: the VolumeAttachment has Kubernetes' name and the driver's publish_context.
    String vaName = Attachments.name(handle, NodeKit.DRIVER, "node-1");
    assertThat(vaName).startsWith("csi-").hasSize(68);
    VolumeAttachment va = k.kit.get(VolumeAttachment.class, "", vaName).orElseThrow();
    assertThat(va.spec().nodeName()).isEqualTo("node-1");
    assertThat(va.spec().source().persistentVolumeName()).contains(pv);
    assertThat(va.status().attached()).isTrue();
    assertThat(va.metadata().finalizers()).contains("external-attacher/memory-csi-volumekit-io");

    // Staged once to the global mount path, published to the pod's volume path, with publish_context.
    String uid = running.metadata().uid().orElseThrow();
    String staging = k.root.resolve("plugins/kubernetes.io/csi/" + NodeKit.DRIVER + "/"
        + VolumeHost.sha256(handle) + "/globalmount").toString();
    String target = k.root.resolve("pods/" + uid + "/volumes/kubernetes.io~csi/" + pv + "/mount").toString();
    assertThat(k.log.stages).singleElement().satisfies(s -> {
      assertThat(s.stagingTargetPath()).isEqualTo(staging);
      assertThat(s.publishContext()).isEqualTo(va.status().attachmentMetadata());
      assertThat(s.volumeCapability().orElseThrow().accessType()).isInstanceOf(io.volumekit.core.csi.AccessType.Mount.class);
    });
    assertThat(k.log.publishes).singleElement().satisfies(p -> {
      assertThat(p.targetPath()).isEqualTo(target);
      assertThat(p.stagingTargetPath()).isEqualTo(staging);
      assertThat(p.publishContext()).isEqualTo(va.status().attachmentMetadata());
      assertThat(p.readonly()).isFalse();
    });
    k.assertRunning("mysql");
    assertThat(java.nio.file.Files.isDirectory(java.nio.file.Path.of(staging))).as("the CO creates the staging dir").isTrue();
    assertThat(java.nio.file.Files.isDirectory(java.nio.file.Path.of(target).getParent()))
        .as("the CO creates the target's parent").isTrue();
    assertThat(k.events("mysql")).contains(
        "Scheduled: Successfully assigned default/mysql to node-1",
        "SuccessfulAttachVolume: AttachVolume.Attach succeeded for volume \"" + pv + "\"");
    // The RPCs happened in Kubernetes' order.
    assertThat(k.log.calls).containsExactly(
        "ControllerPublishVolume " + handle + " node-1",
        "NodeStageVolume " + handle + " node-1 " + staging,
        "NodePublishVolume " + handle + " node-1 " + target);
    PodVolumes volumes = k.kit.podVolumes(running);
    assertThat(volumes.ready()).isTrue();
    assertThat(volumes.mounts()).singleElement().satisfies(m -> {
      assertThat(m.mountPath()).isEqualTo("/var/lib/mysql");
      assertThat(m.hostPath()).contains(java.nio.file.Path.of(target));
    });
    assertThat(k.kit.get(io.volumekit.model.core.Node.class, "", "node-1").orElseThrow().metadata()
        .annotation(Annotations.VOLUMES_IN_USE)).contains(pv);

    // Delete the pod: unpublish, unstage, detach; the pod goes away once unmounted.
    k.log.calls.clear();
    k.deletePod("mysql");
    assertThat(k.pod("mysql").metadata().isDeleting()).as("kept until unmounted").isTrue();
    k.settle();
    assertThat(k.hasPod("mysql")).isFalse();
    assertThat(k.log.calls).containsExactly(
        "NodeUnpublishVolume " + handle + " node-1 " + target,
        "NodeUnstageVolume " + handle + " node-1 " + staging,
        "ControllerUnpublishVolume " + handle + " node-1");
    assertThat(k.attachments()).isEmpty();
    assertThat(k.log.clean()).isTrue();
    assertThat(java.nio.file.Files.exists(java.nio.file.Path.of(staging).getParent())).isFalse();
    assertThat(java.nio.file.Files.exists(k.root.resolve("pods/" + uid))).isFalse();
    assertThat(k.kit.get(PersistentVolume.class, "", pv).orElseThrow().metadata().finalizers())
        .noneMatch(f -> f.startsWith("external-attacher/"));
    assertThat(k.kit.state().operations()).isEmpty();

    // Delete the claim: the PV is released and deleted with DeleteVolume.
    k.deleteClaim("mysql-pvc");
    k.settle();
    assertThat(k.kit.get(PersistentVolume.class, "", pv)).isEmpty();
    assertThat(k.kit.get(PersistentVolumeClaim.class, NodeKit.NS, "mysql-pvc")).isEmpty();
    assertThat(Fixtures.driverVolumes(k.memory)).isEmpty();
    assertThat(k.trace).anyMatch(l -> l.contains("DeleteVolume driver=" + NodeKit.DRIVER + " volumeId=" + handle));
  }

  @Test
  void podOnAKnownNodeIsRespected() {
    NodeKit k = new NodeKit(3);
    k.apply(Fixtures.wffc(Fixtures.sc("my-sc")), Fixtures.withClass(Fixtures.pvc("c", "1Gi"), "my-sc"),
        NodeKit.pod("p", "node-3", NodeKit.claim("c")));
    k.settle();
    assertThat(k.pod("p").nodeName()).contains("node-3");
    assertThat(k.pvc("c").metadata().annotation(Annotations.SELECTED_NODE)).contains("node-3");
    k.assertRunning("p");
    assertThat(k.events("p")).noneMatch(e -> e.startsWith("Scheduled"));
    List<String> keys = k.attachments().stream().map(a -> a.spec().nodeName()).toList();
    assertThat(keys).containsExactly("node-3");
  }
}
