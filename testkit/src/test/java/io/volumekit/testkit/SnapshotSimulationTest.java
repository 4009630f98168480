package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.controller.Controller;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.PersistentVolumeClaimStatus;
import io.volumekit.model.snapshot.VolumeSnapshot;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The simulation with snapshots ({@link HistoryGenerator#withSnapshots()}): snapshots of claims,
 * restores, clones, and deletions of snapshots and contents, with the driver's faults. Every
 * invariant holds, in particular those of {@link SnapshotInvariants}; a snapshotter that forgets
 * DeleteSnapshot breaks one.
 */
class SnapshotSimulationTest {

  /** Seeds per CI run (a replay of one seed: {@code -Dvolumekit.sim.seed=N}). */
  static final int CI_SEEDS = 200;

  static Simulation simulation() {
    return SimulationTest.simulation(HistoryGenerator.defaults().withSnapshots(), SnapshotSimulationTest.class);
  }

  @Test
  void snapshotSeedsKeepEveryInvariant() {
    SimulationTest.assertSeedsPass(simulation(), "volumekit.sim.snapshotSeeds", CI_SEEDS);
  }

  @Test
  void theHistoriesCutSnapshotsAndBindRestoredAndClonedClaims() {
    // The generator must reach the cases the invariants are about.
    Set<String> seen = new TreeSet<>();
    Simulation sim = SimulationTest.observing(HistoryGenerator.defaults().withSnapshots(),
        SnapshotSimulationTest.class, change -> {
          change.afterAs(VolumeSnapshot.class).filter(v -> v.status().readyToUse().orElse(false))
              .ifPresent(v -> seen.add("ready snapshot"));
          change.afterAs(PersistentVolumeClaim.class)
              .filter(c -> c.phase().equals(PersistentVolumeClaimStatus.BOUND))
              .flatMap(c -> c.spec().dataSource())
              .ifPresent(d -> seen.add("bound " + d.kind()));
        });
    for (long seed = 1; seed <= 40; seed++) {
      assertThat(sim.run(seed).violation()).isEmpty();
    }
    assertThat(seen).contains("ready snapshot", "bound VolumeSnapshot", "bound PersistentVolumeClaim");
  }

  @Test
  void aSnapshotterForgettingDeleteSnapshotIsCaught() {
    assertCaught(BrokenEngines.snapshotterSkippingDeleteSnapshot(), Invariants.NO_SNAPSHOT_LEAKS);
  }

  @Test
  void aSnapshotterDeletingRetainedSnapshotsIsCaught() {
    assertCaught(BrokenEngines.snapshotterDeletingRetainedSnapshots(), Invariants.RETAIN_SNAPSHOT_KEPT);
  }

  @Test
  void aProvisionerIgnoringDataSourcesIsCaught() {
    assertCaught(BrokenEngines.provisionerIgnoringDataSources(), Invariants.RESTORED_FROM_SOURCE);
  }

  /** Some seed of 1..300 of these histories makes the broken engine violate the invariant, and the real engine passes it. */
  static void assertCaught(UnaryOperator<List<Controller>> engine, Invariant invariant) {
    SimulationTest.assertCaught(HistoryGenerator.defaults().withSnapshots(), SnapshotSimulationTest.class, engine, invariant);
  }
}
