package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator with claims resized at random (grow, shrink after a failed expansion, sizes the
 * driver cannot give), with the default faults, on every build: every invariant, including
 * {@link Invariants#EXPANSION_BOUNDED}, holds. Replays one seed with {@code -Dvolumekit.sim.seed=N}.
 */
class ExpansionSimulationTest {

  static final int CI_SEEDS = 500;

  @Test
  void resizedClaimsKeepEveryInvariant() {
    Simulation sim = SimulationTest.simulation(HistoryGenerator.defaults().withResizes(15), ExpansionSimulationTest.class);
    String one = System.getProperty(Simulation.SEED_PROPERTY, "");
    long first = one.isEmpty() ? 1 : Long.parseLong(one.trim());
    long count = one.isEmpty() ? Long.getLong(Simulation.SEEDS_PROPERTY, CI_SEEDS) : 1;
    List<Long> failing = new ArrayList<>();
    SimulationResult firstFailure = null;
    long resizes = 0;
    for (long seed = first; seed < first + count; seed++) {
      SimulationResult r = sim.run(seed);
      resizes += r.history().stream().filter(s -> s instanceof Step.ResizeClaim).count();
      if (r.failed()) {
        failing.add(seed);
        if (firstFailure == null) {
          firstFailure = r;
        }
      }
    }
    if (firstFailure != null) {
      throw new AssertionError("failing seeds: " + failing + "\n" + sim.report(firstFailure, sim.shrink(firstFailure)));
    }
    assertThat(resizes).as("the histories resize claims").isPositive();
  }
}
