package io.volumekit.core.ephemeral;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.api.Reasons;
import io.volumekit.core.mount.NodeKit;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.core.podvolume.PodVolumeSupport;
import io.volumekit.model.core.CSIVolumeSourceBuilder;
import io.volumekit.model.core.ConfigMapBuilder;
import io.volumekit.model.core.ConfigMapProjectionBuilder;
import io.volumekit.model.core.ConfigMapVolumeSourceBuilder;
import io.volumekit.model.core.DownwardAPIProjectionBuilder;
import io.volumekit.model.core.DownwardAPIVolumeFileBuilder;
import io.volumekit.model.core.DownwardAPIVolumeSourceBuilder;
import io.volumekit.model.core.EmptyDirVolumeSourceBuilder;
import io.volumekit.model.core.EphemeralVolumeSourceBuilder;
import io.volumekit.model.core.KeyToPath;
import io.volumekit.model.core.ObjectFieldSelectorBuilder;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimTemplateBuilder;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.ProjectedVolumeSourceBuilder;
import io.volumekit.model.core.SecretBuilder;
import io.volumekit.model.core.SecretProjectionBuilder;
import io.volumekit.model.core.SecretVolumeSourceBuilder;
import io.volumekit.model.core.Volume;
import io.volumekit.model.core.VolumeBuilder;
import io.volumekit.model.core.VolumeProjectionBuilder;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.meta.ObjectMetaBuilder;
import io.volumekit.model.quantity.Quantity;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Ephemeral volumes: emptyDir, secret, configMap, downwardAPI, projected, CSI inline, generic ephemeral. */
class EphemeralTableTest {

  record Row(String name, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Row row(String name, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    return new Row(name, setup, check);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void ephemeral(Row row) {
    NodeKit k = new NodeKit(2);
    row.setup().accept(k);
    k.settle();
    row.check().accept(k);
  }

  static Path volumeDir(NodeKit k, String pod, String plugin, String volume) {
    return k.root.resolve("pods/" + k.pod(pod).metadata().uid().orElseThrow() + "/volumes/" + plugin + "/" + volume);
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String mode(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static io.volumekit.model.core.Secret secret(String name, String key, String value) {
    return SecretBuilder.builder().metadata(ObjectMeta.named(NodeKit.NS, name))
        .data(ImmutableMap.of(key, Base64.getEncoder().encodeToString(value.getBytes()))).build();
  }

  static Volume secretVolume(String name, String secret, boolean optional, KeyToPath... items) {
    return VolumeBuilder.builder().name(name).secret(Optional.of(SecretVolumeSourceBuilder.builder()
        .secretName(Optional.of(secret)).optional(Optional.of(optional)).items(ImmutableList.copyOf(items)).build())).build();
  }

  static Volume generic(String name, String cls) {
    return VolumeBuilder.builder().name(name).ephemeral(Optional.of(EphemeralVolumeSourceBuilder.builder()
        .volumeClaimTemplate(Optional.of(PersistentVolumeClaimTemplateBuilder.builder()
            .metadata(Optional.of(ObjectMetaBuilder.builder().labels(ImmutableMap.of("type", "scratch")).build()))
            .spec(io.volumekit.core.Fixtures.withClass(pvc("x", "1Gi"), cls).spec()).build())).build())).build();
  }

  static Stream<Row> rows() {
    return Stream.of(
        row("emptyDir on disk and in memory: made before Running, removed with the pod",
            k -> k.apply(pod("web", "node-1",
                VolumeBuilder.builder().name("cache").emptyDir(Optional.of(EmptyDirVolumeSourceBuilder.builder().build())).build(),
                VolumeBuilder.builder().name("shm").emptyDir(Optional.of(EmptyDirVolumeSourceBuilder.builder()
                    .medium(Optional.of("Memory")).sizeLimit(Optional.of(Quantity.parse("64Mi"))).build())).build())),
            k -> {
              k.assertRunning("web");
              Path cache = volumeDir(k, "web", VolumeHost.EMPTY_DIR, "cache");
              assertThat(Files.isDirectory(cache)).isTrue();
              assertThat(mode(cache)).isEqualTo("rwxrwxrwx");
              assertThat(Files.isDirectory(volumeDir(k, "web", VolumeHost.EMPTY_DIR, "shm"))).isTrue();
              assertThat(k.trace).anyMatch(l -> l.contains("SetUp EMPTY_DIR node=node-1 path=" + cache));
              Path podDir = k.root.resolve("pods/" + k.pod("web").metadata().uid().orElseThrow());
              k.deletePod("web").settle();
              assertThat(Files.exists(cache)).isFalse();
              assertThat(k.hasPod("web")).isFalse();
              assertThat(Files.exists(podDir)).as("the pod directory is pruned").isFalse();
              assertThat(k.kit.state().operations()).isEmpty();
            }),
        row("secret: every key with defaultMode; items with their modes; refreshed when the Secret changes",
            k -> k.apply(secret("db", "password", "s3cret"),
                pod("web", "node-1", secretVolume("all", "db", false),
                    secretVolume("some", "db", false, new KeyToPath("password", "conf/pw", Optional.of(0400))))),
            k -> {
              k.assertRunning("web");
              Path all = volumeDir(k, "web", VolumeHost.SECRET_DIR, "all");
              Path some = volumeDir(k, "web", VolumeHost.SECRET_DIR, "some");
              assertThat(read(all.resolve("password"))).isEqualTo("s3cret");
              assertThat(Files.isSymbolicLink(all.resolve("..data"))).isTrue();
              assertThat(read(some.resolve("conf/pw"))).isEqualTo("s3cret");
              assertThat(mode(some.resolve("conf/pw").toAbsolutePath())).isEqualTo("r--------");
              assertThat(k.trace).noneMatch(l -> l.contains("s3cret"));
              k.apply(secret("db", "password", "rotated"));
              k.settle();
              assertThat(read(all.resolve("password"))).isEqualTo("rotated");
              assertThat(read(some.resolve("conf/pw"))).isEqualTo("rotated");
            }),
        row("secret missing: FailedMount; optional: an empty volume",
            k -> k.apply(pod("a", "node-1", secretVolume("creds", "nope", false)),
                pod("b", "node-1", secretVolume("creds", "nope", true))),
            k -> {
              assertThat(k.phase("a")).isEqualTo("Pending");
              assertThat(k.events("a")).contains(
                  "FailedMount: MountVolume.SetUp failed for volume \"creds\" : secret \"nope\" not found");
              k.assertRunning("b");
              k.apply(secret("nope", "k", "v"));
              k.settle();
              k.assertRunning("a");
            }),
        row("configMap: data and binaryData, a missing key fails unless optional",
            k -> k.apply(ConfigMapBuilder.builder().metadata(ObjectMeta.named(NodeKit.NS, "cfg"))
                    .data(ImmutableMap.of("app.conf", "x=1"))
                    .binaryData(ImmutableMap.of("blob", Base64.getEncoder().encodeToString(new byte[] {1, 2}))).build(),
                pod("web", "node-1", VolumeBuilder.builder().name("config").configMap(Optional.of(
                    ConfigMapVolumeSourceBuilder.builder().name(Optional.of("cfg")).defaultMode(Optional.of(0440)).build())).build()),
                pod("bad", "node-1", VolumeBuilder.builder().name("config").configMap(Optional.of(
                    ConfigMapVolumeSourceBuilder.builder().name(Optional.of("cfg"))
                        .items(ImmutableList.of(new KeyToPath("missing", "m", Optional.empty()))).build())).build())),
            k -> {
              k.assertRunning("web");
              Path d = volumeDir(k, "web", VolumeHost.CONFIGMAP_DIR, "config");
              assertThat(read(d.resolve("app.conf"))).isEqualTo("x=1");
              try {
                assertThat(Files.readAllBytes(d.resolve("blob"))).containsExactly(1, 2);
                assertThat(mode(d.resolve("..data").toRealPath().resolve("app.conf"))).isEqualTo("r--r-----");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              assertThat(k.events("bad")).contains("FailedMount: MountVolume.SetUp failed for volume \"config\" : "
                  + "configmap references non-existent config key: missing");
            }),
        row("downwardAPI and projected: pod fields and merged sources",
            k -> {
              Pod p = pod("web", "node-1",
                  VolumeBuilder.builder().name("info").downwardAPI(Optional.of(DownwardAPIVolumeSourceBuilder.builder()
                      .items(ImmutableList.of(
                          DownwardAPIVolumeFileBuilder.builder().path("labels").fieldRef(Optional.of(
                              ObjectFieldSelectorBuilder.builder().fieldPath("metadata.labels").build())).build(),
                          DownwardAPIVolumeFileBuilder.builder().path("name").fieldRef(Optional.of(
                              ObjectFieldSelectorBuilder.builder().fieldPath("metadata.name").build())).build()))
                      .build())).build(),
                  VolumeBuilder.builder().name("all").projected(Optional.of(ProjectedVolumeSourceBuilder.builder()
                      .sources(ImmutableList.of(
                          VolumeProjectionBuilder.builder().secret(Optional.of(SecretProjectionBuilder.builder()
                              .name(Optional.of("db")).build())).build(),
                          VolumeProjectionBuilder.builder().configMap(Optional.of(ConfigMapProjectionBuilder.builder()
                              .name(Optional.of("cfg")).build())).build(),
                          VolumeProjectionBuilder.builder().downwardAPI(Optional.of(DownwardAPIProjectionBuilder.builder()
                              .items(ImmutableList.of(DownwardAPIVolumeFileBuilder.builder().path("ns").fieldRef(Optional.of(
                                  ObjectFieldSelectorBuilder.builder().fieldPath("metadata.namespace").build())).build()))
                              .build())).build()))
                      .build())).build());
              p = p.withMetadata(p.metadata().withLabels(ImmutableMap.of("app", "web", "tier", "front")));
              k.apply(secret("db", "password", "pw"),
                  ConfigMapBuilder.builder().metadata(ObjectMeta.named(NodeKit.NS, "cfg")).data(ImmutableMap.of("k", "v")).build(),
                  p);
            },
            k -> {
              k.assertRunning("web");
              Path info = volumeDir(k, "web", VolumeHost.DOWNWARD_API_DIR, "info");
              assertThat(read(info.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front\"");
              assertThat(read(info.resolve("name"))).isEqualTo("web");
              Path all = volumeDir(k, "web", VolumeHost.PROJECTED_DIR, "all");
              assertThat(read(all.resolve("password"))).isEqualTo("pw");
              assertThat(read(all.resolve("k"))).isEqualTo("v");
              assertThat(read(all.resolve("ns"))).isEqualTo("default");
            }),
        row("CSI inline volume without a CSIDriver allowing Ephemeral: FailedMount",
            k -> k.apply(pod("web", "node-1", VolumeBuilder.builder().name("inline").csi(Optional.of(
                CSIVolumeSourceBuilder.builder().driver(NodeKit.DRIVER).build())).build())),
            k -> {
              assertThat(k.phase("web")).isEqualTo("Pending");
              assertThat(k.events("web")).contains("FailedMount: MountVolume.SetUp failed for volume \"inline\" : "
                  + "volume mode \"Ephemeral\" not supported by driver " + NodeKit.DRIVER + " (no CSIDriver object)");
            }),
        row("CSI inline volume: NodePublish only, generated volume id, ephemeral pod info",
            k -> k.apply(CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
                    .spec(CSIDriverSpecBuilder.builder().podInfoOnMount(Optional.of(true))
                        .volumeLifecycleModes(ImmutableList.of("Persistent", "Ephemeral")).build()).build(),
                pod("web", "node-1", VolumeBuilder.builder().name("inline").csi(Optional.of(
                    CSIVolumeSourceBuilder.builder().driver(NodeKit.DRIVER).readOnly(Optional.of(true))
                        .volumeAttributes(ImmutableMap.of("size", "1Mi")).build())).build())),
            k -> {
              k.assertRunning("web");
              String uid = k.pod("web").metadata().uid().orElseThrow();
              assertThat(k.log.publishes).singleElement().satisfies(p -> {
                assertThat(p.volumeId()).isEqualTo("csi-" + VolumeHost.sha256(uid + "inline"));
                assertThat(p.volumeId()).isEqualTo(PodVolumeSupport.inlineVolumeId(uid, "inline"));
                assertThat(p.stagingTargetPath()).isEmpty();
                assertThat(p.publishContext()).isEmpty();
                assertThat(p.readonly()).isTrue();
                assertThat(p.targetPath()).isEqualTo(k.root.resolve("pods/" + uid
                    + "/volumes/kubernetes.io~csi/inline/mount").toString());
                assertThat(p.volumeContext()).containsEntry("size", "1Mi")
                    .containsEntry("csi.storage.k8s.io/ephemeral", "true");
              });
              assertThat(k.log.calls).noneMatch(c -> c.startsWith("NodeStage") || c.startsWith("ControllerPublish"));
              assertThat(k.attachments()).isEmpty();
              k.deletePod("web").settle();
              assertThat(k.log.calls).last().satisfies(c -> assertThat(c).startsWith("NodeUnpublishVolume"));
              assertThat(k.log.clean()).isTrue();
            }),
        row("generic ephemeral volume: a claim <pod>-<volume> owned by the pod, deleted with it",
            k -> k.apply(sc("fast"), pod("web", "", generic("scratch", "fast"))),
            k -> {
              k.assertRunning("web");
              PersistentVolumeClaim c = k.pvc("web-scratch");
              assertThat(c.metadata().labels()).containsEntry("type", "scratch");
              assertThat(c.metadata().ownerReferences()).singleElement().satisfies(r -> {
                assertThat(r.kind()).isEqualTo("Pod");
                assertThat(r.name()).isEqualTo("web");
                assertThat(r.uid()).isEqualTo(k.pod("web").metadata().uid().orElseThrow());
                assertThat(r.controller()).contains(true);
                assertThat(r.blockOwnerDeletion()).contains(true);
              });
              String pv = k.pvOf("web-scratch");
              k.deletePod("web").settle();
              assertThat(k.kit.get(PersistentVolumeClaim.class, NodeKit.NS, "web-scratch")).isEmpty();
              assertThat(k.kit.get(PersistentVolume.class, "", pv)).isEmpty();
              assertThat(io.volumekit.core.Fixtures.driverVolumes(k.memory)).isEmpty();
            }),
        row("generic ephemeral volume: an existing claim the pod does not own blocks the pod",
            k -> k.apply(sc("fast"), io.volumekit.core.Fixtures.withClass(pvc("web-scratch", "1Gi"), "fast"),
                pod("web", "", generic("scratch", "fast"))),
            k -> {
              assertThat(k.pod("web").nodeName()).isEmpty();
              assertThat(k.events("web")).contains(Reasons.FAILED_BINDING
                  + ": ephemeral volume scratch: PVC default/web-scratch was not created for pod default/web (pod is not owner)",
                  "FailedScheduling: 0/2 nodes are available: PVC default/web-scratch was not created for pod default/web "
                  + "(pod is not owner).");
              assertThat(k.pvc("web-scratch").metadata().ownerReferences()).isEmpty();
            }));
  }
}
