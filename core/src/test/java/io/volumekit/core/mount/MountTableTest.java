package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.csi.CsiCode;
import io.volumekit.core.csi.NodeCapability;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.AWSElasticBlockStoreVolumeSourceBuilder;
import io.volumekit.model.core.ContainerBuilder;
import io.volumekit.model.core.EmptyDirVolumeSourceBuilder;
import io.volumekit.model.core.GCEPersistentDiskVolumeSourceBuilder;
import io.volumekit.model.core.ImageVolumeSourceBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodSecurityContextBuilder;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeDevice;
import io.volumekit.model.core.VolumeMountBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import io.volumekit.model.storage.CSINodeBuilder;
import io.volumekit.model.storage.CSINodeSpecBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kubelet's volume manager: stage/publish requests, teardown order, events, pod readiness. */
class MountTableTest {

  record Row(String name, Supplier<NodeKit> kit, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    return new Row(name, () -> new NodeKit(2), setup, check);
  }

  static Row row(String name, Supplier<NodeKit> kit, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    return new Row(name, kit, setup, check);
  }

  static NodeKit kit(java.util.function.UnaryOperator<io.volumekit.core.csi.InMemoryCsiDriver.Config> c,
      RecordingDriver.CallLog log, NodeCapability... extra) {
    return new NodeKit(2, c, log, Set.of(extra), 7);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void mount(Row row) {
    NodeKit k = row.kit().get();
    row.setup().accept(k);
    k.settle();
    row.check().accept(k);
  }

  static void claimOf(NodeKit k, PersistentVolumeClaim c) {
    k.apply(sc("fast").withMountOptions(ImmutableList.of("debug"))
        .withParameters(ImmutableMap.of("csi.storage.k8s.io/fstype", "ext4")), withClass(c, "fast"));
    k.settle();
  }

  static Pod withFsGroup(Pod p, long gid) {
    return p.withSpec(p.spec().withSecurityContext(Optional.of(PodSecurityContextBuilder.builder()
        .fsGroup(Optional.of(gid)).build())));
  }

  static Stream<Row> rows() {
    return Stream.of(
        row("fsType and mountOptions reach NodeStage and NodePublish; volume_context without pod info by default",
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              k.assertRunning("web");
              var stage = k.log.stages.get(0);
              var mount = (AccessType.Mount) stage.volumeCapability().orElseThrow().accessType();
              assertThat(mount.fsType()).isEqualTo("ext4");
              assertThat(mount.mountFlags()).containsExactly("debug");
              assertThat(mount.volumeMountGroup()).isEmpty();
              assertThat(stage.volumeCapability().orElseThrow().accessMode())
                  .isEqualTo(io.volumekit.core.csi.AccessMode.SINGLE_NODE_MULTI_WRITER);
              var pub = k.log.publishes.get(0);
              assertThat(((AccessType.Mount) pub.volumeCapability().orElseThrow().accessType()).mountFlags())
                  .containsExactly("debug");
              assertThat(pub.volumeContext()).doesNotContainKey("csi.storage.k8s.io/pod.name");
            }),
        row("podInfoOnMount adds the pod's identity to NodePublish only",
            k -> {
              k.apply(CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
                  .spec(CSIDriverSpecBuilder.builder().podInfoOnMount(Optional.of(true)).build()).build());
              claimOf(k, pvc("data", "1Gi"));
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              Pod p = k.pod("web");
              assertThat(k.log.publishes.get(0).volumeContext()).containsEntry("csi.storage.k8s.io/pod.name", "web")
                  .containsEntry("csi.storage.k8s.io/pod.namespace", "default")
                  .containsEntry("csi.storage.k8s.io/pod.uid", p.metadata().uid().orElseThrow())
                  .containsEntry("csi.storage.k8s.io/serviceAccount.name", "default")
                  .containsEntry("csi.storage.k8s.io/ephemeral", "false");
              assertThat(k.log.stages.get(0).volumeContext()).doesNotContainKey("csi.storage.k8s.io/pod.name");
            }),
        row("VOLUME_MOUNT_GROUP: the pod's fsGroup is delegated to the driver",
            () -> kit(c -> c, new RecordingDriver.CallLog(1, 0), NodeCapability.VOLUME_MOUNT_GROUP),
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(withFsGroup(pod("web", "node-1", claim("data")), 2000));
            },
            k -> {
              k.assertRunning("web");
              assertThat(((AccessType.Mount) k.log.stages.get(0).volumeCapability().orElseThrow().accessType())
                  .volumeMountGroup()).isEqualTo("2000");
              assertThat(((AccessType.Mount) k.log.publishes.get(0).volumeCapability().orElseThrow().accessType())
                  .volumeMountGroup()).isEqualTo("2000");
              assertThat(k.trace).as("delegated: no kubelet-side chown").noneMatch(l -> l.contains("SetVolumeOwnership"));
            }),
        row("fsGroup: the kubelet changes ownership after NodePublish for RWO volumes with an fsType",
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(withFsGroup(pod("web", "node-1", claim("data")), 2000));
              Pod p = withFsGroup(pod("lazy", "node-1", claim("data")), 3000);
              k.apply(p.withSpec(p.spec().withSecurityContext(Optional.of(p.spec().securityContext().get()
                  .withFsGroupChangePolicy(Optional.of("OnRootMismatch"))))));
            },
            k -> {
              k.assertRunning("web");
              k.assertRunning("lazy");
              String uid = k.pod("web").metadata().uid().orElseThrow();
              assertThat(k.trace).anyMatch(l -> l.contains("SetVolumeOwnership node=node-1 path=" + k.root.resolve(
                  "pods/" + uid + "/volumes/kubernetes.io~csi/" + k.pvOf("data") + "/mount") + " fsGroup=2000 Always"));
              assertThat(k.trace).anyMatch(l -> l.contains("SetVolumeOwnership") && l.contains("fsGroup=3000 OnRootMismatch"));
              k.deletePod("web").deletePod("lazy").settle();
              assertThat(k.kit.state().operations()).isEmpty();
            }),
        row("fsGroup: no kubelet-side change with fsGroupPolicy None",
            k -> {
              k.apply(CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
                  .spec(CSIDriverSpecBuilder.builder().fsGroupPolicy(Optional.of("None")).build()).build());
              claimOf(k, pvc("data", "1Gi"));
              k.apply(withFsGroup(pod("web", "node-1", claim("data")), 2000));
            },
            k -> {
              k.assertRunning("web");
              assertThat(k.trace).noneMatch(l -> l.contains("SetVolumeOwnership"));
            }),
        row("node secrets: nodeStageSecretRef and nodePublishSecretRef reach the driver, never the trace or events",
            k -> {
              k.apply(io.volumekit.model.core.SecretBuilder.builder().metadata(ObjectMeta.named("ops", "node-creds"))
                  .stringData(ImmutableMap.of("key", "hunter2")).build());
              k.apply(sc("fast").withParameters(ImmutableMap.of(
                  "csi.storage.k8s.io/node-stage-secret-name", "node-creds",
                  "csi.storage.k8s.io/node-stage-secret-namespace", "ops",
                  "csi.storage.k8s.io/node-publish-secret-name", "node-creds",
                  "csi.storage.k8s.io/node-publish-secret-namespace", "ops")), withClass(pvc("data", "1Gi"), "fast"));
              k.settle();
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              k.assertRunning("web");
              assertThat(k.log.stages.get(0).secrets().asMap()).containsEntry("key", "hunter2");
              assertThat(k.log.publishes.get(0).secrets().asMap()).containsEntry("key", "hunter2");
              assertThat(k.trace).noneMatch(l -> l.contains("hunter2"));
              assertThat(k.kit.events()).noneMatch(e -> e.message().orElse("").contains("hunter2"));
              assertThat(k.kit.state().toString() + k.log.publishes.get(0).toString()).doesNotContain("hunter2");
            }),
        row("Block volumes: block capability, volumeDevices paths, FailedMapVolume on errors",
            () -> kit(c -> c, new RecordingDriver.CallLog(1, 0).fail("NodePublishVolume", CsiCode.INTERNAL)),
            k -> {
              PersistentVolumeClaim c = pvc("raw", "1Gi");
              claimOf(k, c.withSpec(c.spec().withVolumeMode(Optional.of("Block"))));
              Pod p = pod("db", "node-1", claim("raw"));
              k.apply(p.withSpec(p.spec().withContainers(ImmutableList.of(ContainerBuilder.builder().name("db")
                  .image(Optional.of("postgres")).build()))));
            },
            k -> {
              String pv = k.pvOf("raw");
              String uid = k.pod("db").metadata().uid().orElseThrow();
              k.assertRunning("db");
              assertThat(k.log.stages.get(0).volumeCapability().orElseThrow().isBlock()).isTrue();
              assertThat(k.log.stages.get(0).stagingTargetPath())
                  .isEqualTo(k.root.resolve("plugins/kubernetes.io/csi/volumeDevices/staging/" + pv).toString());
              assertThat(k.log.publishes.get(0).targetPath())
                  .isEqualTo(k.root.resolve("plugins/kubernetes.io/csi/volumeDevices/publish/" + pv + "/" + uid).toString());
              assertThat(k.events("db")).contains("FailedMapVolume: MapVolume.MapPodDevice failed for volume \"" + pv
                  + "\" : rpc error: code = Internal desc = injected INTERNAL");
            }),
        row("a Block claim in volumeDevices: Running, PodVolumes.devices gives the published device file per container",
            k -> {
              PersistentVolumeClaim c = pvc("raw", "1Gi");
              claimOf(k, c.withSpec(c.spec().withVolumeMode(Optional.of("Block"))));
              Pod p = pod("db", "node-1", claim("raw"));
              k.apply(p.withSpec(p.spec().withContainers(ImmutableList.of(ContainerBuilder.builder().name("db")
                  .image(Optional.of("postgres")).volumeDevices(ImmutableList.of(new VolumeDevice("v-raw", "/dev/xvda")))
                  .build()))));
            },
            k -> {
              String pv = k.pvOf("raw");
              String uid = k.pod("db").metadata().uid().orElseThrow();
              k.assertRunning("db");
              assertThat(k.log.publishes.get(0).volumeCapability().orElseThrow().isBlock()).isTrue();
              PodVolumes pv0 = k.kit.podVolumes(k.pod("db"));
              assertThat(pv0.mounts()).isEmpty();
              PodVolumes.Device d = pv0.devicesByContainer().get("db").get(0);
              assertThat(d.devicePath()).isEqualTo("/dev/xvda");
              assertThat(d.error()).isEmpty();
              assertThat(d.hostPath()).contains(
                  k.root.resolve("plugins/kubernetes.io/csi/volumeDevices/publish/" + pv + "/" + uid));
              assertThat(d.hostPath().orElseThrow().toString()).isEqualTo(k.log.publishes.get(0).targetPath());
            }),
        row("a Block claim in volumeMounts: Pending, the kubelet's FailedMount, nothing staged or published",
            k -> {
              PersistentVolumeClaim c = pvc("raw", "1Gi");
              claimOf(k, c.withSpec(c.spec().withVolumeMode(Optional.of("Block"))));
              k.apply(pod("db", "node-1", claim("raw")));
            },
            k -> {
              assertThat(k.pod("db").status().phase()).contains("Pending");
              assertThat(k.log.publishes).isEmpty();
              assertThat(k.events("db")).contains("FailedMount: Unable to attach or mount volumes: unmounted volumes=[v-raw],"
                  + " unattached volumes=[v-raw], failed to process volumes=[v-raw]: volume v-raw has volumeMode Block, but is"
                  + " specified in volumeMounts");
              assertThat(k.kit.podVolumes(k.pod("db")).mounts().get(0).error())
                  .contains("volume v-raw has volumeMode Block, but is specified in volumeMounts");
              assertThat(k.kit.podVolumes(k.pod("db")).mounts().get(0).hostPath()).isEmpty();
            }),
        row("a Filesystem claim in volumeDevices: Pending, the kubelet's FailedMount, nothing published",
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              Pod p = pod("db", "node-1", claim("data"));
              k.apply(p.withSpec(p.spec().withContainers(ImmutableList.of(ContainerBuilder.builder().name("db")
                  .image(Optional.of("postgres")).volumeDevices(ImmutableList.of(new VolumeDevice("v-data", "/dev/xvda")))
                  .build()))));
            },
            k -> {
              assertThat(k.pod("db").status().phase()).contains("Pending");
              assertThat(k.log.publishes).isEmpty();
              assertThat(k.events("db")).anyMatch(e -> e.endsWith(
                  "volume v-data has volumeMode Filesystem, but is specified in volumeDevices"));
              PodVolumes.Device d = k.kit.podVolumes(k.pod("db")).devices().get(0);
              assertThat(d.hostPath()).isEmpty();
              assertThat(d.error()).contains("volume v-data has volumeMode Filesystem, but is specified in volumeDevices");
            }),
        row("persistentVolumeClaim.readOnly publishes read-only",
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(pod("web", "node-1", claim("data", true)));
            },
            k -> {
              assertThat(k.log.publishes.get(0).readonly()).isTrue();
              assertThat(k.kit.podVolumes(k.pod("web")).mounts().get(0).readOnly()).isTrue();
            }),
        row("ReadOnlyMany volumes are published read-only, on several nodes",
            k -> {
              claimOf(k, withModes(pvc("data", "1Gi"), "ReadOnlyMany"));
              k.apply(pod("a", "node-1", claim("data")), pod("b", "node-2", claim("data")));
            },
            k -> {
              k.assertRunning("a");
              k.assertRunning("b");
              assertThat(k.log.publishes).allSatisfy(p -> assertThat(p.readonly()).isTrue());
              assertThat(k.log.publishes).allSatisfy(p -> assertThat(p.volumeCapability().orElseThrow().accessMode())
                  .isEqualTo(io.volumekit.core.csi.AccessMode.MULTI_NODE_READER_ONLY));
            }),
        row("a driver without STAGE_UNSTAGE_VOLUME: no NodeStage, NodePublish without staging path",
            () -> kit(c -> c.withStageUnstage(false), new RecordingDriver.CallLog(1, 0)),
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              k.assertRunning("web");
              assertThat(k.log.calls).noneMatch(c -> c.startsWith("NodeStageVolume"));
              assertThat(k.log.publishes.get(0).stagingTargetPath()).isEmpty();
              k.deletePod("web").settle();
              assertThat(k.log.calls).noneMatch(c -> c.startsWith("NodeUnstageVolume"));
              assertThat(k.attachments()).isEmpty();
            }),
        row("NodePublish fails: FailedMount with the gRPC error, retried with backoff until Running",
            () -> kit(c -> c, new RecordingDriver.CallLog(1, 0).fail("NodePublishVolume", CsiCode.INTERNAL, CsiCode.INTERNAL)),
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              String pv = k.pvOf("data");
              assertThat(k.events("web")).contains("FailedMount: MountVolume.SetUp failed for volume \"" + pv
                  + "\" : rpc error: code = Internal desc = injected INTERNAL");
              assertThat(k.log.calls.stream().filter(c -> c.startsWith("NodePublishVolume"))).hasSize(3);
              k.assertRunning("web");
            }),
        row("NodeStage fails: FailedMount MountDevice, then retried",
            () -> kit(c -> c, new RecordingDriver.CallLog(1, 0).fail("NodeStageVolume", CsiCode.NOT_FOUND)),
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              String pv = k.pvOf("data");
              assertThat(k.events("web")).contains("FailedMount: MountVolume.MountDevice failed for volume \"" + pv
                  + "\" : rpc error: code = NotFound desc = injected NOT_FOUND");
              k.assertRunning("web");
            }),
        row("two pods on one node share one stage; unstage only after the last one is gone",
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(pod("a", "node-1", claim("data")), pod("b", "node-1", claim("data")));
            },
            k -> {
              String h = k.handleOf("data");
              k.assertRunning("a");
              k.assertRunning("b");
              assertThat(k.log.stages).hasSize(1);
              assertThat(k.log.publicationCount(h)).isEqualTo(2);
              k.log.calls.clear();
              k.deletePod("a").settle();
              assertThat(k.log.calls).singleElement().satisfies(c -> assertThat(c).startsWith("NodeUnpublishVolume"));
              k.deletePod("b").settle();
              assertThat(k.log.calls).extracting(c -> c.split(" ")[0]).containsExactly("NodeUnpublishVolume",
                  "NodeUnpublishVolume", "NodeUnstageVolume", "ControllerUnpublishVolume");
              assertThat(k.log.violations).isEmpty();
            }),
        row("ReadWriteOncePod with nodeName set by the caller: the kubelet refuses the second pod",
            k -> {
              claimOf(k, withModes(pvc("once", "1Gi"), "ReadWriteOncePod"));
              k.apply(pod("a", "node-1", claim("once")));
              k.settle();
              k.apply(pod("b", "node-1", claim("once")));
            },
            k -> {
              String pv = k.pvOf("once");
              k.assertRunning("a");
              assertThat(k.phase("b")).isEqualTo("Pending");
              assertThat(k.events("b")).contains("FailedMount: MountVolume.SetUp failed for volume \"" + pv
                  + "\" : volume uses the ReadWriteOncePod access mode and is already in use by another pod");
              assertThat(k.log.publishes.get(0).volumeCapability().orElseThrow().accessMode())
                  .isEqualTo(io.volumekit.core.csi.AccessMode.SINGLE_NODE_SINGLE_WRITER);
              k.deletePod("a").settle();
              k.assertRunning("b");
              assertThat(k.log.publicationCount(k.handleOf("once"))).isEqualTo(1);
            }),
        row("a claim deleted while in use is kept until the pod is gone; the pod stays Running, no FailedMount",
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              k.apply(pod("web", "node-1", claim("data")));
              k.settle();
              k.deleteClaim("data");
            },
            k -> {
              assertThat(k.pvc("data").metadata().isDeleting()).isTrue();
              k.assertRunning("web");
              // The kubelet's desired-state populator does not look at a processed pod's claims again
              // (podPreviouslyProcessed): the deletion changes nothing on the node until the pod goes.
              assertThat(k.events("web")).noneMatch(e -> e.startsWith("FailedMount"));
              assertThat(k.log.calls).noneMatch(c -> c.startsWith("NodeUnpublishVolume"));
              k.deletePod("web").settle();
              assertThat(k.log.calls).anyMatch(c -> c.startsWith("NodeUnpublishVolume"));
              assertThat(k.kit.get(PersistentVolumeClaim.class, NodeKit.NS, "data")).isEmpty();
              assertThat(io.volumekit.core.Fixtures.driverVolumes(k.memory)).isEmpty();
            }),
        row("driver not registered on the node: FailedMount",
            k -> {
              claimOf(k, pvc("data", "1Gi"));
              var cn = k.kit.get(io.volumekit.model.storage.CSINode.class, "", "node-1").orElseThrow();
              k.apply(CSINodeBuilder.builder().metadata(cn.metadata()).spec(CSINodeSpecBuilder.builder().build()).build());
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              assertThat(k.phase("web")).isEqualTo("Pending");
              assertThat(k.events("web")).anyMatch(e -> e.contains("driver name " + NodeKit.DRIVER
                  + " not found in the list of registered CSI drivers"));
            }),
        row("a missing claim on a placed pod: FailedMount says so",
            k -> k.apply(pod("web", "node-1", claim("nope"))),
            k -> {
              assertThat(k.phase("web")).isEqualTo("Pending");
              assertThat(k.events("web")).anyMatch(e -> e.startsWith("FailedMount: ")
                  && e.contains("persistentvolumeclaim \"nope\" not found"));
              k.deletePod("web").settle();
              assertThat(k.hasPod("web")).isFalse();
            }),
        row("an unbound claim on a placed pod: FailedMount says it is not bound; Running once it binds",
            k -> k.apply(withClass(pvc("data", "1Gi"), ""), pod("web", "node-1", claim("data"))),
            k -> {
              assertThat(k.phase("web")).isEqualTo("Pending");
              assertThat(k.events("web")).containsExactly("FailedMount: Unable to attach or mount volumes:"
                  + " unmounted volumes=[v-data], unattached volumes=[v-data]: error processing PVC "
                  + NodeKit.NS + "/data is not bound");
              k.apply(io.volumekit.core.Fixtures.pv("pv1", "1Gi")).settle();
              k.assertRunning("web");
            }),
        row("an inline awsElasticBlockStore volume, migrated to a CSI driver that is not registered: Pending,"
            + " with a FailedMount naming the translated volume and driver, never Running",
            k -> k.apply(pod("web", "node-1", VolumeBuilder.builder().name("disk")
                .awsElasticBlockStore(Optional.of(AWSElasticBlockStoreVolumeSourceBuilder.builder()
                    .volumeID("vol-0123").build())).build())),
            k -> {
              assertThat(k.phase("web")).isEqualTo("Pending");
              assertThat(k.events("web")).containsExactly("FailedMount: MountVolume.MountDevice failed for volume"
                  + " \"ebs.csi.aws.com-vol-0123\" : kubernetes.io/csi: attacher.MountDevice failed to create"
                  + " newCsiDriverClient: driver name ebs.csi.aws.com not found in the list of registered CSI drivers");
              assertThat(k.log.publishes).isEmpty();
              k.deletePod("web").settle();
              assertThat(k.hasPod("web")).isFalse();
            }),
        row("a claim bound to a gcePersistentDisk PV, migrated to a CSI driver that is not registered: Pending,"
            + " with a FailedMount naming the translated driver",
            k -> {
              PersistentVolume gce = io.volumekit.core.Fixtures.pv("gce-pv", "1Gi");
              gce = gce.withSpec(gce.spec().withHostPath(Optional.empty()).withGcePersistentDisk(Optional.of(
                  GCEPersistentDiskVolumeSourceBuilder.builder().pdName("pd-1").build())));
              k.apply(gce, withClass(pvc("data", "1Gi"), ""));
              k.settle();
              k.apply(pod("web", "node-1", claim("data")));
            },
            k -> {
              assertThat(k.pvOf("data")).isEqualTo("gce-pv");
              assertThat(k.phase("web")).isEqualTo("Pending");
              assertThat(k.events("web")).containsExactly("FailedMount: MountVolume.MountDevice failed for volume"
                  + " \"gce-pv\" : kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver"
                  + " name pd.csi.storage.gke.io not found in the list of registered CSI drivers");
            }),
        row("an image volume without an image volume puller: Pending with a FailedMount, not ready",
            k -> k.apply(pod("web", "node-1", VolumeBuilder.builder().name("model")
                .image(Optional.of(ImageVolumeSourceBuilder.builder().reference(Optional.of("quay.io/models/m:1"))
                    .build())).build())),
            k -> {
              assertThat(k.phase("web")).isEqualTo("Pending");
              assertThat(k.events("web")).containsExactly("FailedMount: Unable to attach or mount volumes:"
                  + " unmounted volumes=[model], unattached volumes=[model]: failed to get Plugin from volumeSpec for"
                  + " volume \"model\" err=no volume plugin matched: image volumes need an image volume puller,"
                  + " and none is configured");
              assertThat(k.kit.podVolumes(ObjectKey.namespaced(Pod.KIND, NodeKit.NS, "web")).ready()).isFalse();
            }),
        row("podVolumes: host paths, subPath inside the volume, '..' (via subPathExpr) and symlink escapes refused",
            k -> {
              Volume scratch = VolumeBuilder.builder().name("scratch")
                  .emptyDir(Optional.of(EmptyDirVolumeSourceBuilder.builder().build())).build();
              Pod p = pod("web", "node-1", scratch);
              var c = ContainerBuilder.builder().name("app").image(Optional.of("busybox")).volumeMounts(ImmutableList.of(
                  VolumeMountBuilder.builder().name("scratch").mountPath("/a").subPath(Optional.of("sub/dir")).build(),
                  VolumeMountBuilder.builder().name("scratch").mountPath("/b").subPathExpr(Optional.of("$(UP)/etc")).build(),
                  VolumeMountBuilder.builder().name("scratch").mountPath("/c").subPath(Optional.of("escape/passwd")).build()))
                  .env(ImmutableList.of(io.volumekit.model.core.EnvVarBuilder.builder().name("UP").value(Optional.of("..")).build()))
                  .build();
              k.apply(p.withSpec(p.spec().withContainers(ImmutableList.of(c))));
            },
            k -> {
              Pod p = k.pod("web");
              Path dir = k.root.resolve("pods/" + p.metadata().uid().orElseThrow() + "/volumes/kubernetes.io~empty-dir/scratch");
              assertThat(Files.isDirectory(dir)).isTrue();
              try {
                Files.createSymbolicLink(dir.resolve("escape"), Path.of("/etc"));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              PodVolumes v = k.kit.podVolumes(ObjectKey.namespaced(Pod.KIND, NodeKit.NS, "web"));
              assertThat(v.ready()).isTrue();
              assertThat(v.mounts().get(0).hostPath()).contains(dir.resolve("sub/dir"));
              assertThat(v.mounts().get(1).hostPath()).isEmpty();
              assertThat(v.mounts().get(1).error()).hasValueSatisfying(e -> assertThat(e).contains("'..'"));
              assertThat(v.mounts().get(2).hostPath()).isEmpty();
              assertThat(v.mounts().get(2).error()).hasValueSatisfying(e -> assertThat(e).contains("outside the volume"));
            }));
  }
}
