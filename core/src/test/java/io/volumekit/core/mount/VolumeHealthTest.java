package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.Fixtures;
import io.volumekit.core.csi.VolumeCondition;
import io.volumekit.core.health.VolumeHealthMonitor;
import io.volumekit.core.health.VolumeStats;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Volume statistics and health (docs/cases/node-side.md rows H1-H6): the kubelet's periodic
 * NodeGetVolumeStats feeding {@code VolumeKit.volumeStats} and pod events, and the
 * external-health-monitor's ControllerGetVolume feeding claim events.
 */
class VolumeHealthTest {

  static NodeKit kit(boolean monitor) {
    return new NodeKit(1, UnaryOperator.identity(), new RecordingDriver.CallLog(1, 0), Set.of(), 7,
        b -> monitor ? b.volumeHealthMonitor(VolumeHealthMonitor.DEFAULT_INTERVAL) : b);
  }

  static NodeKit running(NodeKit k) {
    k.apply(Fixtures.sc("fast"), Fixtures.withClass(pvc("data", "1Gi"), "fast"));
    k.settle();
    k.apply(pod("web", "node-1", claim("data")));
    k.settle();
    k.assertRunning("web");
    return k;
  }

  static List<String> claimEvents(NodeKit k) {
    return k.kit.events(ObjectKey.namespaced(PersistentVolumeClaim.KIND, NodeKit.NS, "data")).stream()
        .map(e -> e.type().orElse("") + " " + e.reason().orElse("") + ": " + e.message().orElse("")).toList();
  }

  @Test
  void statsAreCollectedEachPeriodFromThePublishTarget() {
    NodeKit k = running(kit(false));
    assertThat(k.kit.volumeStats(k.pod("web"))).as("nothing before the first period").isEmpty();
    k.memory.setUsedBytes(k.handleOf("data"), 300L << 20);
    k.kit.runFor(Duration.ofSeconds(61));
    List<VolumeStats> stats = k.kit.volumeStats(k.pod("web"));
    assertThat(stats).hasSize(1);
    VolumeStats s = stats.get(0);
    assertThat(s.podVolume()).isEqualTo("v-data");
    assertThat(s.volumeName()).isEqualTo(k.pvOf("data"));
    assertThat(s.claim()).contains(ObjectKey.namespaced(PersistentVolumeClaim.KIND, NodeKit.NS, "data"));
    assertThat(s.capacityBytes()).isEqualTo(OptionalLong.of(1L << 30));
    assertThat(s.usedBytes()).isEqualTo(OptionalLong.of(300L << 20));
    assertThat(s.availableBytes()).isEqualTo(OptionalLong.of((1L << 30) - (300L << 20)));
    assertThat(s.abnormal()).contains(false);
    assertThat(k.traceLines("NodeGetVolumeStats")).anyMatch(l -> l.contains("path=" + k.root));
    assertThat(k.kit.runtime().gauges()).as("the kubelet's volume metrics, by claim")
        .contains(io.volumekit.core.metrics.GaugeSample.of("kubelet_volume_stats_used_bytes",
            java.util.Map.of("namespace", NodeKit.NS, "persistentvolumeclaim", "data"), 300L << 20))
        .contains(io.volumekit.core.metrics.GaugeSample.of("kubelet_volume_stats_health_status_abnormal",
            java.util.Map.of("namespace", NodeKit.NS, "persistentvolumeclaim", "data"), 0));

    k.memory.setUsedBytes(k.handleOf("data"), 600L << 20);
    k.kit.runFor(Duration.ofSeconds(60));
    assertThat(k.kit.volumeStats(k.pod("web")).get(0).usedBytes()).isEqualTo(OptionalLong.of(600L << 20));
    assertThat(k.kit.settle().quiescent()).as("periodic collection is not work left to do").isTrue();
  }

  @Test
  void anAbnormalNodeConditionWarnsThePodEachPeriod() {
    NodeKit k = running(kit(false));
    k.memory.setVolumeCondition(k.handleOf("data"), new VolumeCondition(true, "disk has bad sectors"));
    k.kit.runFor(Duration.ofSeconds(150));
    assertThat(k.events("web")).contains("VolumeConditionAbnormal: Volume v-data: disk has bad sectors");
    assertThat(k.kit.events(ObjectKey.of(k.pod("web")))).filteredOn(e -> e.reason().orElse("").equals("VolumeConditionAbnormal"))
        .singleElement().satisfies(e -> {
          assertThat(e.type()).contains("Warning");
          assertThat(e.count()).as("reported at each of the two collections").isEqualTo(2);
        });
    assertThat(k.kit.volumeStats(k.pod("web")).get(0).message()).contains("disk has bad sectors");
  }

  @Test
  void teardownDropsTheStatsAndThePeriodicCall() {
    NodeKit k = running(kit(false));
    k.kit.runFor(Duration.ofSeconds(61));
    assertThat(k.kit.volumeStats()).hasSize(1);
    k.deletePod("web");
    k.settle();
    assertThat(k.hasPod("web")).isFalse();
    assertThat(k.kit.volumeStats()).isEmpty();
    assertThat(k.kit.state().operations()).isEmpty();
  }

  @Test
  void theHealthMonitorWarnsTheClaimWhileTheVolumeIsAbnormal() {
    NodeKit k = running(kit(true));
    k.kit.runFor(Duration.ofSeconds(61));
    assertThat(k.traceLines("ControllerGetVolume")).isNotEmpty();
    assertThat(claimEvents(k)).noneMatch(e -> e.contains("VolumeConditionAbnormal"));
    k.memory.setVolumeCondition(k.handleOf("data"), new VolumeCondition(true, "volume is degraded: 1 of 3 replicas lost"));
    k.kit.runFor(Duration.ofSeconds(60));
    assertThat(claimEvents(k)).contains("Warning VolumeConditionAbnormal: volume is degraded: 1 of 3 replicas lost");
  }

  @Test
  void withoutTheMonitorTheControllerSideIsNotAsked() {
    NodeKit k = running(kit(false));
    k.memory.setVolumeCondition(k.handleOf("data"), new VolumeCondition(true, "degraded"));
    k.kit.runFor(Duration.ofMinutes(3));
    assertThat(k.traceLines("ControllerGetVolume")).isEmpty();
    assertThat(claimEvents(k)).noneMatch(e -> e.contains("VolumeConditionAbnormal"));
  }

  @Test
  void theMonitorForgetsAVolumeOnceItIsNoLongerBound() {
    NodeKit k = running(kit(true));
    k.kit.runFor(Duration.ofSeconds(61));
    k.deletePod("web");
    k.settle();
    k.deleteClaim("data");
    k.settle();
    assertThat(k.kit.list(io.volumekit.model.core.PersistentVolume.class)).isEmpty();
    assertThat(k.kit.state().operations()).isEmpty();
  }
}
