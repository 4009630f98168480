package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.mount.NodeKit.claim;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import io.volumekit.core.csi.AccessType;
import io.volumekit.core.node.NodeOs;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodSecurityContextBuilder;
import io.volumekit.model.core.SELinuxOptions;
import io.volumekit.model.meta.ObjectMeta;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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
