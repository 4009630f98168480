package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A seed replays exactly; different seeds give different histories. */
class DeterminismTest {

  private final Simulation sim = SimulationTest.simulation();

  @Test
  void aSeedReplaysToTheSameTraceAndState() {
    for (long seed = 1; seed <= 30; seed++) {
      SimulationResult a = sim.run(seed);
      SimulationResult b = sim.run(seed);
      assertThat(b.traceHash()).as("trace of seed %d", seed).isEqualTo(a.traceHash());
      assertThat(b.stateHash()).as("state of seed %d", seed).isEqualTo(a.stateHash());
      assertThat(b.traceTail()).isEqualTo(a.traceTail());
      assertThat(sim.runTwice(seed).violation()).isEmpty();
    }
  }

  @Test
  void theSameHistoryGivesTheSameRun() {
    SimulationResult a = sim.run(5);
    SimulationResult b = sim.run(5, sim.history(5));
    assertThat(b.traceHash()).isEqualTo(a.traceHash());
  }

  @Test
  void seedsDiffer() {
    assertThat(sim.history(1)).isNotEqualTo(sim.history(2));
    assertThat(sim.run(1).traceHash()).isNotEqualTo(sim.run(2).traceHash());
  }

  @Test
  void historiesExerciseFaults() {
    long faults = 0;
    long effects = 0;
    for (long seed = 1; seed <= 50; seed++) {
      SimulationResult r = sim.run(seed);
      faults += r.faults();
      effects += r.effects();
    }
    assertThat(effects).isGreaterThan(100);
    assertThat(faults).isGreaterThan(20);
  }
}
