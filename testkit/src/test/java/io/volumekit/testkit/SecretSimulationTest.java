package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.api.Reasons;
import io.volumekit.model.core.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulation with secrets ({@link HistoryGenerator#withSecrets()}): classes whose volumes need
 * per-claim secrets, and secrets deleted at random while volumes are provisioned, staged, published
 * and deleted. Every invariant holds, in particular {@link Invariants#SECRET_KEPT_WHILE_NEEDED};
 * without the protection's check for users, the same histories break it.
 */
class SecretSimulationTest {

  /** Seeds per CI run (a replay of one seed: {@code -Dvolumekit.sim.seed=N}). */
  static final int CI_SEEDS = 300;

  static Simulation simulation() {
    return SimulationTest.simulation(HistoryGenerator.defaults().withSecrets(), SecretSimulationTest.class);
  }

  @Test
  void secretSeedsKeepEveryInvariant() {
    SimulationTest.assertSeedsPass(simulation(), "volumekit.sim.secretSeeds", CI_SEEDS);
  }

  @Test
  void theHistoriesDeleteSecretsThatAreInUse() {
    // The generator must reach the protected case: a held deletion (a SecretInUse event) in some seed.
    List<String> held = new ArrayList<>();
    Simulation sim = SimulationTest.observing(HistoryGenerator.defaults().withSecrets(),
        SecretSimulationTest.class, change -> {
          change.afterAs(Event.class).filter(e -> e.reason().orElse("").equals(Reasons.SECRET_IN_USE))
              .ifPresent(e -> held.add(e.message().orElse("")));
        });
    for (long seed = 1; seed <= 50 && held.isEmpty(); seed++) {
      assertThat(sim.run(seed).violation()).isEmpty();
    }
    assertThat(held).as("some history holds the deletion of a secret in use").isNotEmpty();
    assertThat(held.get(0)).contains("used by PersistentVolume");
  }

  @Test
  void aProtectionIgnoringUsersIsCaught() {
    SimulationTest.assertCaught(HistoryGenerator.defaults().withSecrets(), SecretSimulationTest.class,
        BrokenEngines.secretProtectionIgnoringUsers(), Invariants.SECRET_KEPT_WHILE_NEEDED);
  }
}
