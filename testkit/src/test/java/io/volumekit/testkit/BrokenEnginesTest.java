package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.controller.Controller;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Proof that the invariants bite: each deliberately broken engine ({@link BrokenEngines}) is
 * caught within the CI budget of seeds, by the invariant that describes its bug, and the same
 * seed passes with the real engine.
 */
class BrokenEnginesTest {

  /** Seeds tried per broken engine before giving up (well within the CI budget). */
  private static final int BUDGET = 300;

  private static SimulationResult hunt(UnaryOperator<List<Controller>> engine, String invariant) {
    Simulation broken = Simulation.builder().engine(engine).invariants(SimulationTest.invariants())
        .replayCommand("mvn -pl testkit test -Dtest=BrokenEnginesTest (broken engine, seed %d)").build();
    for (long seed = 1; seed <= BUDGET; seed++) {
      SimulationResult r = broken.run(seed);
      if (r.violation().map(v -> v.invariant().equals(invariant)).orElse(false)) {
        SimulationResult minimal = broken.shrink(r);
        System.out.println(broken.report(r, minimal));
        assertThat(minimal.history().size()).isLessThanOrEqualTo(r.history().size());
        SimulationResult healthy = SimulationTest.simulation().run(seed);
        assertThat(healthy.violation()).as("the real engine passes seed %d", seed).isEmpty();
        return r;
      }
    }
    throw new AssertionError("no seed in 1.." + BUDGET + " caught the broken engine with " + invariant);
  }

  @Test
  void binderIgnoringAccessModesIsCaught() {
    hunt(BrokenEngines.binderIgnoringAccessModes(), Invariants.BINDING_HONOURS_REQUEST.name());
  }

  @Test
  void binderReusingBoundVolumesIsCaught() {
    hunt(BrokenEngines.binderReusingBoundVolumes(), Invariants.BINDING_ONE_TO_ONE.name());
  }

  @Test
  void reclaimerIgnoringRetainIsCaught() {
    hunt(BrokenEngines.reclaimerIgnoringRetain(), Invariants.RETAIN_NEVER_DELETED.name());
  }

  @Test
  void protectionIgnoringPodsIsCaught() {
    hunt(BrokenEngines.protectionIgnoringPods(), Invariants.CLAIM_PROTECTED_WHILE_USED.name());
  }

  @Test
  void detacherNotWaitingForUnmountIsCaught() {
    hunt(BrokenEngines.detacherNotWaitingForUnmount(), Invariants.DETACH_AFTER_UNMOUNT.name());
  }

  @Test
  void protectionNeverReleasingIsCaught() {
    hunt(BrokenEngines.protectionNeverReleasing(), Invariants.NO_STUCK_TERMINATING.name());
  }

  @Test
  void provisionerRepeatingInFlightCallsIsCaught() {
    hunt(BrokenEngines.provisionerRepeatingInFlightCalls(), Invariants.EFFECT_NOT_CONCURRENT.name());
  }

  @Test
  void aCrashingControllerIsReportedWithItsSeed() {
    hunt(BrokenEngines.binderCrashingOnRwop(), Invariants.ENGINE_ERROR);
  }

  @Test
  void aLivelockIsCaught() {
    hunt(BrokenEngines.protectionLivelocking(), Invariants.SETTLE_TERMINATES);
  }

  @Test
  void provisionerForgettingOrphansIsCaught() {
    hunt(BrokenEngines.provisionerForgettingOrphans(), Invariants.NO_LEAKED_VOLUMES.name());
  }

  @Test
  void modifierSkippingTheDriverIsCaught() {
    Simulation broken = Simulation.builder().engine(BrokenEngines.modifierSkippingTheDriver())
        .generator(HistoryGenerator.defaults().withAttributesClasses())
        .invariants(AttributesClassSimulationTest.invariants())
        .replayCommand("mvn -pl testkit test -Dtest=BrokenEnginesTest (broken engine, seed %d)").build();
    String invariant = Invariants.ATTRIBUTES_CLASS_APPLIED.name();
    for (long seed = 1; seed <= BUDGET; seed++) {
      SimulationResult r = broken.run(seed);
      if (r.violation().map(v -> v.invariant().equals(invariant)).orElse(false)) {
        assertThat(AttributesClassSimulationTest.simulation().run(seed).violation())
            .as("the real engine passes seed %d", seed).isEmpty();
        return;
      }
    }
    throw new AssertionError("no seed in 1.." + BUDGET + " caught the broken engine with " + invariant);
  }
}
