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

  /** What a broken engine's report prints instead of a command (no test replays a broken seed). */
  private static final String REPLAY = "mvn -pl testkit test -Dtest=BrokenEnginesTest (broken engine, seed %d)";

  private static SimulationResult hunt(UnaryOperator<List<Controller>> engine, String invariant) {
    Simulation broken = Simulation.builder().engine(engine).invariants(SimulationTest.invariants()).replayCommand(REPLAY)
        .build();
    SimulationResult r = SimulationTest.assertCaught(broken, SimulationTest.simulation(), invariant);
    SimulationResult minimal = broken.shrink(r);
    System.out.println(broken.report(r, minimal));
    assertThat(minimal.history().size()).isLessThanOrEqualTo(r.history().size());
    return r;
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
        .invariants(AttributesClassSimulationTest.invariants()).replayCommand(REPLAY).build();
    SimulationTest.assertCaught(broken, AttributesClassSimulationTest.simulation(),
        Invariants.ATTRIBUTES_CLASS_APPLIED.name());
  }
}
