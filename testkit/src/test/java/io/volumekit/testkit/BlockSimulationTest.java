package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.model.core.Event;
import io.volumekit.model.core.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The simulation with raw block volumes ({@link HistoryGenerator#withBlockVolumes()}): Block claims
 * and PVs among Filesystem ones, pods mapping claims through {@code volumeDevices} and mounting
 * others, sometimes against the claim's mode. Every invariant holds, in particular {@link
 * Invariants#BLOCK_VOLUME_PATHS}; a kubelet that ignores volume modes breaks it.
 */
class BlockSimulationTest {

  /** Seeds per CI run (a replay of one seed: {@code -Dvolumekit.sim.seed=N}). */
  static final int CI_SEEDS = 300;

  static Simulation simulation() {
    return SimulationTest.simulation(HistoryGenerator.defaults().withBlockVolumes(), BlockSimulationTest.class);
  }

  @Test
  void blockSeedsKeepEveryInvariant() {
    SimulationTest.assertSeedsPass(simulation(), "volumekit.sim.blockSeeds", CI_SEEDS);
  }

  @Test
  void theHistoriesRunPodsWithDevicesAndRefuseMismatchedOnes() {
    // The generator must reach both cases: a pod Running with a mapped Block volume, and a mode mismatch.
    Set<String> runningWithDevices = new TreeSet<>();
    List<String> mismatches = new ArrayList<>();
    Simulation sim = SimulationTest.observing(HistoryGenerator.defaults().withBlockVolumes(),
        BlockSimulationTest.class, change -> {
          change.afterAs(Pod.class)
              .filter(p -> p.status().phase().orElse("").equals("Running"))
              .filter(p -> p.spec().containers().stream().anyMatch(c -> !c.volumeDevices().isEmpty()))
              .ifPresent(p -> runningWithDevices.add(p.metadata().name()));
          change.afterAs(Event.class).flatMap(Event::message).filter(m -> m.contains(", but is specified in volume"))
              .ifPresent(mismatches::add);
        });
    for (long seed = 1; seed <= 40; seed++) {
      assertThat(sim.run(seed).violation()).isEmpty();
    }
    assertThat(runningWithDevices).as("some history runs a pod with a mapped Block volume").isNotEmpty();
    assertThat(mismatches).as("some history uses a claim against its volume mode").isNotEmpty();
    assertThat(mismatches).anyMatch(m -> m.contains("has volumeMode Block, but is specified in volumeMounts"))
        .anyMatch(m -> m.contains("has volumeMode Filesystem, but is specified in volumeDevices"));
  }

  @Test
  void aKubeletIgnoringVolumeModesIsCaught() {
    SimulationTest.assertCaught(HistoryGenerator.defaults().withBlockVolumes(), BlockSimulationTest.class,
        BrokenEngines.kubeletIgnoringVolumeMode(), Invariants.BLOCK_VOLUME_PATHS);
  }
}
