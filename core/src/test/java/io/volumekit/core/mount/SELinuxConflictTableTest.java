package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.SELinuxAndWindowsTableTest.C12;
import static io.volumekit.core.mount.SELinuxAndWindowsTableTest.C34;
import static io.volumekit.core.mount.SELinuxAndWindowsTableTest.flags;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableList;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.selinuxwarning.SELinuxWarningController;
import io.volumekit.model.core.Event;
import io.volumekit.model.core.Pod;
import io.volumekit.model.core.PodSecurityContextBuilder;
import io.volumekit.model.core.SELinuxOptions;
import io.volumekit.model.storage.CSIDriverBuilder;
import io.volumekit.model.storage.CSIDriverSpecBuilder;
import io.volumekit.model.meta.ObjectMeta;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code SELinuxMount} feature gate through the engine: {@code -o context=} for every access
 * mode, the kubelet's conflict between two pods on one node, the restage once the first pod is
 * gone, and the SELinux warning controller's events on both pods.
 */
class SELinuxConflictTableTest {

  record Row(String name, boolean gate, Consumer<NodeKit> scenario, Consumer<NodeKit> check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Pod pod(String name, String node, Optional<String> level, Optional<String> policy) {
    Pod p = NodeKit.pod(name, node, claim("data"));
    return p.withSpec(p.spec().withSecurityContext(Optional.of(PodSecurityContextBuilder.builder()
        .seLinuxOptions(level.map(l -> new SELinuxOptions(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.of(l))))
        .seLinuxChangePolicy(policy).build())));
  }

  static Pod pod(String name, String node, String level) {
    return pod(name, node, Optional.of(level), Optional.empty());
  }

  static void driverAndClaim(NodeKit k, String mode) {
    k.apply(CSIDriverBuilder.builder().metadata(ObjectMeta.named(NodeKit.DRIVER))
        .spec(CSIDriverSpecBuilder.builder().seLinuxMount(Optional.of(true)).build()).build());
    MountTableTest.claimOf(k, withModes(pvc("data", "1Gi"), mode));
  }

  static void twoLabelsOnTwoNodes(NodeKit k) {
    driverAndClaim(k, "ReadWriteMany");
    k.apply(pod("a", "node-1", "s0:c1,c2"), pod("b", "node-2", "s0:c3,c4")).settle();
  }

  static List<Event> warnings(NodeKit k, String pod, String reason) {
    return k.kit.events(ObjectKey.namespaced(Pod.KIND, NodeKit.NS, pod)).stream()
        .filter(e -> e.reason().orElse("").equals(reason)).toList();
  }

  static String labelMessage(String level, String other, String otherLevel) {
    return "SELinuxLabel \":::" + level + "\" conflicts with pod " + other + " that uses the same volume as this pod"
        + " with SELinuxLabel \":::" + otherLevel + "\". If both pods land on the same node, only one of them may"
        + " access the volume.";
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("gate on: a ReadWriteOnce volume is staged and published with context=", true,
            k -> {
              driverAndClaim(k, "ReadWriteOnce");
              k.apply(pod("web", "node-1", "s0:c1,c2")).settle();
            },
            k -> {
              k.assertRunning("web");
              assertThat(flags(k.log.stages.get(0).volumeCapability())).containsExactly("debug", "context=\"" + C12 + "\"");
              assertThat(flags(k.log.publishes.get(0).volumeCapability())).containsExactly("debug", "context=\"" + C12 + "\"");
            }),
        new Row("gate off: the same ReadWriteOnce volume gets no context=", false,
            k -> {
              driverAndClaim(k, "ReadWriteOnce");
              k.apply(pod("web", "node-1", "s0:c1,c2")).settle();
            },
            k -> {
              k.assertRunning("web");
              assertThat(flags(k.log.stages.get(0).volumeCapability())).containsExactly("debug");
            }),
        new Row("gate on, two pods on one node with one label: both run on one stage, no warning", true,
            k -> {
              driverAndClaim(k, "ReadWriteOnce");
              k.apply(pod("a", "node-1", "s0:c1,c2")).settle();
              k.apply(pod("b", "node-1", "s0:c1,c2")).settle();
            },
            k -> {
              k.assertRunning("a");
              k.assertRunning("b");
              assertThat(k.log.stages).hasSize(1);
              assertThat(warnings(k, "a", SELinuxWarningController.LABEL_CONFLICT)).isEmpty();
            }),
        new Row("gate on, two labels on one node: the second pod conflicts, both get SELinuxLabelConflict; "
            + "once the first is gone the device is restaged with the second's context", true,
            k -> {
              driverAndClaim(k, "ReadWriteOnce");
              k.apply(pod("a", "node-1", "s0:c1,c2")).settle();
              k.apply(pod("b", "node-1", "s0:c3,c4")).settle();
              assertThat(k.phase("b")).isNotEqualTo("Running");
              assertThat(k.events("b")).anyMatch(e -> e.equals("FailedMount: MountVolume.SetUp failed for volume \""
                  + k.pvOf("data") + "\" : conflicting SELinux labels of volume " + k.pvOf("data") + ": \"" + C12
                  + "\" and \"" + C34 + "\""));
              assertThat(warnings(k, "a", SELinuxWarningController.LABEL_CONFLICT)).singleElement()
                  .satisfies(e -> {
                    assertThat(e.message()).contains(labelMessage("s0:c1,c2", "b", "s0:c3,c4"));
                    assertThat(e.type()).contains("Normal");
                  });
              assertThat(warnings(k, "b", SELinuxWarningController.LABEL_CONFLICT)).singleElement()
                  .satisfies(e -> assertThat(e.message()).contains(labelMessage("s0:c3,c4", "a", "s0:c1,c2")));
              k.deletePod("a").settle();
            },
            k -> {
              k.assertRunning("b");
              assertThat(k.log.calls.stream().filter(c -> c.startsWith("NodeStageVolume")
                  || c.startsWith("NodeUnstageVolume")).map(c -> c.split(" ")[0]).toList())
                  .containsExactly("NodeStageVolume", "NodeUnstageVolume", "NodeStageVolume");
              assertThat(flags(k.log.stages.get(1).volumeCapability())).containsExactly("debug", "context=\"" + C34 + "\"");
              assertThat(flags(k.log.publishes.get(k.log.publishes.size() - 1).volumeCapability()))
                  .containsExactly("debug", "context=\"" + C34 + "\"");
            }),
        new Row("gate on, ReadWriteMany on two nodes with two labels: both run, each node its own context; "
            + "the warning controller still tells both", true,
            SELinuxConflictTableTest::twoLabelsOnTwoNodes,
            k -> {
              k.assertRunning("a");
              k.assertRunning("b");
              assertThat(k.log.stages).extracting(s -> flags(s.volumeCapability()))
                  .containsExactlyInAnyOrder(List.of("debug", "context=\"" + C12 + "\""),
                      List.of("debug", "context=\"" + C34 + "\""));
              assertThat(warnings(k, "a", SELinuxWarningController.LABEL_CONFLICT)).hasSize(1);
              assertThat(warnings(k, "b", SELinuxWarningController.LABEL_CONFLICT)).hasSize(1);
            }),
        new Row("MountOption and Recursive pods on one volume: SELinuxChangePolicyConflict on both", true,
            k -> {
              driverAndClaim(k, "ReadWriteMany");
              k.apply(pod("a", "node-1", Optional.of("s0:c1,c2"), Optional.empty()),
                  pod("b", "node-2", Optional.of("s0:c1,c2"), Optional.of("Recursive"))).settle();
            },
            k -> {
              assertThat(warnings(k, "a", SELinuxWarningController.POLICY_CONFLICT)).singleElement()
                  .satisfies(e -> assertThat(e.message()).contains("SELinuxChangePolicy \"MountOption\" conflicts with"
                      + " pod b that uses the same volume as this pod with SELinuxChangePolicy \"Recursive\". If both"
                      + " pods land on the same node, only one of them may access the volume."));
              assertThat(warnings(k, "b", SELinuxWarningController.POLICY_CONFLICT)).hasSize(1);
              assertThat(warnings(k, "a", SELinuxWarningController.LABEL_CONFLICT)).isEmpty();
            }),
        new Row("two containers of one pod with two labels on a context-mounted volume: not set up, FailedMount,"
            + " MultipleSELinuxLabels", true,
            k -> {
              driverAndClaim(k, "ReadWriteOnce");
              Pod p = pod("web", "node-1", "s0:c1,c2");
              k.apply(p.withSpec(p.spec().withContainers(ImmutableList.of(p.spec().containers().get(0),
                  SELinuxMountsTest.containerWith(Optional.of(SELinuxMountsTest.level("s0:c3,c4")), true))))).settle();
            },
            k -> {
              assertThat(k.phase("web")).isNotEqualTo("Running");
              assertThat(k.log.stages).isEmpty();
              assertThat(k.events("web")).contains("MultipleSELinuxLabels: Volume \"v-data\" is mounted twice with"
                  + " different SELinux labels inside this pod");
              assertThat(k.events("web")).contains("FailedMount: Unable to attach or mount volumes: unmounted volumes=[v-data],"
                  + " unattached volumes=[v-data], failed to process volumes=[v-data]: volume " + k.pvOf("data")
                  + " is used with two different SELinux contexts in the same pod: \"" + C12 + "\", \"" + C34 + "\"");
            }),
        new Row("gate off: ReadWriteMany is never mounted with a context, so no label conflict is reported", false,
            SELinuxConflictTableTest::twoLabelsOnTwoNodes,
            k -> {
              k.assertRunning("a");
              assertThat(warnings(k, "a", SELinuxWarningController.LABEL_CONFLICT)).isEmpty();
              assertThat(warnings(k, "b", SELinuxWarningController.POLICY_CONFLICT)).isEmpty();
            }));
  }

  @ParameterizedTest(name = "\"{0}\" vs \"{1}\": {2}")
  @CsvSource(delimiter = '|', value = {
      ":::s0:c1,c2|:::s0:c3,c4|true",
      ":::s0:c1,c2|:::s0:c1,c2|false",
      "system_u::container_t:s0:c1|:::s0:c1|false",
      "user_u:::s0:c1|system_u:::s0:c1|true",
      "''|:::s0:c1|false",
      ":::|:::s0:c1|false"})
  void controllerLabelsConflictWhenAPartSetInBothDiffers(String a, String b, boolean conflict) {
    assertThat(SELinuxWarningController.conflicts(a, b)).isEqualTo(conflict);
    assertThat(SELinuxWarningController.conflicts(b, a)).isEqualTo(conflict);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void engine(Row row) {
    UnaryOperator<io.volumekit.core.VolumeKit.Builder> gate =
        b -> b.seLinuxMount(row.gate()).controller(new SELinuxWarningController(row.gate()));
    NodeKit k = new NodeKit(2, UnaryOperator.identity(), new RecordingDriver.CallLog(1, 0), Set.of(), 7, gate);
    row.scenario().accept(k);
    row.check().accept(k);
  }
}
