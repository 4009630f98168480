package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.mount.NodeKit.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.node.KubeletPathLayout;
import io.volumekit.core.node.NodeOs;
import io.volumekit.core.podvolume.VolumeHost;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.ContainerBuilder;
import com.google.common.collect.ImmutableList;
import io.volumekit.model.core.PodSecurityContextBuilder;
import io.volumekit.model.core.SELinuxOptions;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** SELinux {@code -o context=} mounts and Windows nodes, through the engine's kubelet. */
class SELinuxAndWindowsTableTest {

  static final String C12 = "system_u:object_r:container_file_t:s0:c1,c2";
  static final String C34 = "system_u:object_r:container_file_t:s0:c3,c4";

  record Row(String name, Consumer<NodeKit> setup, Consumer<NodeKit> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Pod labelled(String name, String level, Optional<Long> fsGroup) {
    Pod p = NodeKit.pod(name, "node-1", claim("data"));
    return p.withSpec(p.spec().withSecurityContext(Optional.of(PodSecurityContextBuilder.builder().fsGroup(fsGroup)
        .seLinuxOptions(Optional.of(new SELinuxOptions(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.of(level)))).build())));
  }

  static void seLinuxDriverAndClaim(NodeKit k) {
    k.apply(CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
        .spec(CSIDriverSpecBuilder.builder().seLinuxMount(Optional.of(true)).fsGroupPolicy(Optional.of("File")).build())
        .build());
    MountTableTest.claimOf(k, withModes(pvc("data", "1Gi"), "ReadWriteOncePod"));
  }

  static void windows(NodeKit k) {
    Node n = k.kit.get(Node.class, "", "node-1").orElseThrow();
    k.apply(n.withMetadata(n.metadata().withLabels(ImmutableMap.<String, String>builder()
        .putAll(n.metadata().labels()).put(NodeOs.LABEL, "windows").buildKeepingLast())));
  }

  static List<String> flags(Optional<io.volumekit.core.csi.VolumeCapability> cap) {
    return ((AccessType.Mount) cap.orElseThrow().accessType()).mountFlags();
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("seLinuxMount driver, RWOP claim, pod level: context= reaches NodeStage and NodePublish",
            k -> {
              seLinuxDriverAndClaim(k);
              k.apply(labelled("web", "s0:c1,c2", Optional.empty()));
            },
            k -> {
              k.assertRunning("web");
              assertThat(flags(k.log.stages.get(0).volumeCapability())).containsExactly("debug", "context=\"" + C12 + "\"");
              assertThat(flags(k.log.publishes.get(0).volumeCapability()))
                  .containsExactly("debug", "context=\"" + C12 + "\"");
            }),
        new Row("a driver without seLinuxMount gets no context= option",
            k -> {
              MountTableTest.claimOf(k, withModes(pvc("data", "1Gi"), "ReadWriteOncePod"));
              k.apply(labelled("web", "s0:c1,c2", Optional.empty()));
            },
            k -> {
              k.assertRunning("web");
              assertThat(flags(k.log.publishes.get(0).volumeCapability())).containsExactly("debug");
            }),
        new Row("the next pod with another label: staged and published with its own context",
            k -> {
              seLinuxDriverAndClaim(k);
              k.apply(labelled("first", "s0:c1,c2", Optional.empty()));
              k.settle();
              k.deletePod("first").settle();
              k.apply(labelled("second", "s0:c3,c4", Optional.empty()));
            },
            k -> {
              k.assertRunning("second");
              assertThat(k.log.stages).hasSizeGreaterThanOrEqualTo(2);
              assertThat(flags(k.log.stages.get(k.log.stages.size() - 1).volumeCapability()))
                  .containsExactly("debug", "context=\"" + C34 + "\"");
              assertThat(flags(k.log.publishes.get(k.log.publishes.size() - 1).volumeCapability()))
                  .containsExactly("debug", "context=\"" + C34 + "\"");
              assertThat(k.events("second")).noneMatch(e -> e.contains("conflicting SELinux labels"));
            }),
        new Row("Windows node: no context= option, no fsGroup ownership change",
            k -> {
              windows(k);
              seLinuxDriverAndClaim(k);
              k.apply(labelled("web", "s0:c1,c2", Optional.of(2000L)));
            },
            k -> {
              k.assertRunning("web");
              assertThat(flags(k.log.stages.get(0).volumeCapability())).containsExactly("debug");
              assertThat(flags(k.log.publishes.get(0).volumeCapability())).containsExactly("debug");
              assertThat(k.trace).noneMatch(l -> l.contains("SetVolumeOwnership"));
            }),
        new Row("Windows node: staging and target paths in the kubelet's c:\\var\\lib\\kubelet layout",
            k -> {
              windows(k);
              MountTableTest.claimOf(k, withModes(pvc("data", "1Gi"), "ReadWriteOnce"));
              k.apply(NodeKit.pod("web", "node-1", claim("data")));
            },
            k -> {
              k.assertRunning("web");
              String uid = k.pod("web").metadata().uid().orElseThrow();
              assertThat(k.log.stages.get(0).stagingTargetPath()).isEqualTo("c:\\var\\lib\\kubelet\\plugins\\kubernetes.io"
                  + "\\csi\\" + NodeKit.DRIVER + "\\" + VolumeHost.sha256(k.handleOf("data")) + "\\globalmount");
              assertThat(k.log.publishes.get(0).targetPath()).isEqualTo("c:\\var\\lib\\kubelet\\pods\\" + uid
                  + "\\volumes\\kubernetes.io~csi\\" + k.pvOf("data") + "\\mount");
              assertThat(k.log.publishes.get(0).stagingTargetPath()).isEqualTo(k.log.stages.get(0).stagingTargetPath());
              k.deletePod("web").settle();
              assertThat(k.log.calls).anyMatch(c -> c.startsWith("NodeUnpublishVolume") && c.endsWith(
                  k.log.publishes.get(0).targetPath()));
              assertThat(k.log.calls).anyMatch(c -> c.startsWith("NodeUnstageVolume") && c.endsWith(
                  k.log.stages.get(0).stagingTargetPath()));
            }),
        new Row("Windows node, Block volume: the block staging and publish paths in the Windows layout",
            k -> {
              windows(k);
              PersistentVolumeClaim c = withModes(pvc("data", "1Gi"), "ReadWriteOnce");
              MountTableTest.claimOf(k, c.withSpec(c.spec().withVolumeMode(Optional.of("Block"))));
              Pod p = NodeKit.pod("web", "node-1", claim("data"));
              k.apply(p.withSpec(p.spec().withContainers(ImmutableList.of(ContainerBuilder.builder().name("db")
                  .image(Optional.of("postgres")).build()))));
            },
            k -> {
              k.assertRunning("web");
              String uid = k.pod("web").metadata().uid().orElseThrow();
              String pv = k.pvOf("data");
              assertThat(k.log.stages.get(0).stagingTargetPath())
                  .isEqualTo("c:\\var\\lib\\kubelet\\plugins\\kubernetes.io\\csi\\volumeDevices\\staging\\" + pv);
              assertThat(k.log.publishes.get(0).targetPath()).isEqualTo(
                  "c:\\var\\lib\\kubelet\\plugins\\kubernetes.io\\csi\\volumeDevices\\publish\\" + pv + "\\" + uid);
            }),
        new Row("Linux node: the same paths under the kubelet root",
            k -> {
              MountTableTest.claimOf(k, withModes(pvc("data", "1Gi"), "ReadWriteOnce"));
              k.apply(NodeKit.pod("web", "node-1", claim("data")));
            },
            k -> {
              k.assertRunning("web");
              String uid = k.pod("web").metadata().uid().orElseThrow();
              assertThat(k.log.stages.get(0).stagingTargetPath()).isEqualTo(k.root.resolve("plugins/kubernetes.io/csi")
                  .resolve(NodeKit.DRIVER).resolve(VolumeHost.sha256(k.handleOf("data"))).resolve("globalmount").toString());
              assertThat(k.log.publishes.get(0).targetPath()).isEqualTo(k.root.resolve("pods").resolve(uid)
                  .resolve("volumes/kubernetes.io~csi").resolve(k.pvOf("data")).resolve("mount").toString());
            }),
        new Row("Linux node with the same pod: the kubelet changes ownership",
            k -> {
              seLinuxDriverAndClaim(k);
              k.apply(labelled("web", "s0:c1,c2", Optional.of(2000L)));
            },
            k -> {
              k.assertRunning("web");
              assertThat(k.trace).anyMatch(l -> l.contains("SetVolumeOwnership") && l.contains("fsGroup=2000"));
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void node(Row row) {
    NodeKit k = new NodeKit(2);
    row.setup().accept(k);
    k.settle();
    row.check().accept(k);
  }

  @Test
  void aConfiguredWindowsLayoutIsWhatTheDriverGets() {
    NodeKit k = new NodeKit(1, UnaryOperator.identity(), new RecordingDriver.CallLog(1, 0), Set.of(), 7,
        b -> b.windowsKubeletPaths(KubeletPathLayout.windows("d:\\k8s\\kubelet\\")));
    windows(k);
    MountTableTest.claimOf(k, withModes(pvc("data", "1Gi"), "ReadWriteOnce"));
    k.apply(NodeKit.pod("web", "node-1", claim("data"))).settle();
    k.assertRunning("web");
    assertThat(k.log.stages.get(0).stagingTargetPath()).startsWith("d:\\k8s\\kubelet\\plugins\\kubernetes.io\\csi\\");
    assertThat(k.log.publishes.get(0).targetPath()).startsWith("d:\\k8s\\kubelet\\pods\\");
  }

  @Test
  void kubeletPathLayoutJoinsWithItsSeparator() {
    KubeletPathLayout w = KubeletPathLayout.WINDOWS;
    assertThat(w.csiTarget("u1", "pv-1")).isEqualTo("c:\\var\\lib\\kubelet\\pods\\u1\\volumes\\kubernetes.io~csi\\pv-1\\mount");
    assertThat(w.stagingPath("d.example.com", "ab")).isEqualTo(
        "c:\\var\\lib\\kubelet\\plugins\\kubernetes.io\\csi\\d.example.com\\ab\\globalmount");
    assertThat(w.blockStagingPath("pv-1")).isEqualTo("c:\\var\\lib\\kubelet\\plugins\\kubernetes.io\\csi\\volumeDevices\\staging\\pv-1");
    assertThat(w.blockPublishPath("pv-1", "u1"))
        .isEqualTo("c:\\var\\lib\\kubelet\\plugins\\kubernetes.io\\csi\\volumeDevices\\publish\\pv-1\\u1");
    assertThat(KubeletPathLayout.linux("/var/lib/kubelet/").csiTarget("u1", "v"))
        .isEqualTo("/var/lib/kubelet/pods/u1/volumes/kubernetes.io~csi/v/mount");
    assertThat(KubeletPathLayout.linux("/").join("pods")).isEqualTo("/pods");
    assertThatThrownBy(() -> KubeletPathLayout.windows("")).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} on {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "/data|WINDOWS|c:/data",
      "\\data|WINDOWS|c:\\data",
      "data|WINDOWS|c:\\data",
      "d:\\data|WINDOWS|d:\\data",
      "\\\\server\\share|WINDOWS|\\\\server\\share",
      "/data|LINUX|/data"})
  void containerPathsAsTheKubeletOfTheOsMakesThem(String path, NodeOs os, String expected) {
    assertThat(os.containerPath(path)).isEqualTo(expected);
  }

  @Test
  void podVolumesOfAWindowsPodGiveDriveLetterContainerPaths() {
    NodeKit k = new NodeKit(1);
    windows(k);
    MountTableTest.claimOf(k, withModes(pvc("data", "1Gi"), "ReadWriteOnce"));
    k.apply(NodeKit.pod("web", "node-1", claim("data"))).settle();
    k.assertRunning("web");
    assertThat(k.kit.podVolumes(k.pod("web")).mounts()).extracting(PodVolumes.Mount::mountPath)
        .containsExactly("c:/data/v-data");
  }

  @Test
  void nodeOsFromTheWellKnownLabel() {
    assertThat(NodeOs.of(NodeKit.node("a", "kubernetes.io/os", "windows"))).isEqualTo(NodeOs.WINDOWS);
    assertThat(NodeOs.of(NodeKit.node("a", "kubernetes.io/os", "linux"))).isEqualTo(NodeOs.LINUX);
    assertThat(NodeOs.of(NodeKit.node("a"))).as("no label: Linux").isEqualTo(NodeOs.LINUX);
    assertThat(NodeOs.of(Optional.<Node>empty())).isEqualTo(NodeOs.LINUX);
    assertThat(NodeOs.WINDOWS.changesOwnership()).isFalse();
    assertThat(NodeOs.WINDOWS.hasSELinux()).isFalse();
    assertThat(NodeOs.LINUX.changesOwnership()).isTrue();
    assertThat(NodeOs.LINUX.hasSELinux()).isTrue();
  }
}
