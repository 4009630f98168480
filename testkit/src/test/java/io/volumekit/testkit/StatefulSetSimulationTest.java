package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.workload.StatefulSetController;
import io.volumekit.model.apps.StatefulSet;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Histories with StatefulSets created, scaled up and down and deleted, under every retention
 * policy, among the usual claims, pods, node failures and driver faults: every invariant holds,
 * among them {@link Invariants#STATEFULSET_RETAIN_KEEPS_CLAIMS}; and a StatefulSet controller that
 * deletes the claims of scaled-down ordinals whatever the policy is caught.
 */
class StatefulSetSimulationTest {

  /** Seeds per build for these histories: the default seeds 1..N of the StatefulSet generator. */
  static final int SEEDS = 500;

  static final HistoryGenerator GENERATOR = HistoryGenerator.defaults().withStatefulSets(2);

  @Test
  void seedsKeepEveryInvariant() {
    Simulation sim = Simulation.builder().generator(GENERATOR).build();
    List<String> failures = new ArrayList<>();
    int scaledDown = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      SimulationResult r = seed % 10 == 0 ? sim.runTwice(seed) : sim.run(seed);
      if (r.failed()) {
        failures.add(sim.report(r, sim.shrink(r)));
      }
      scaledDown += (int) r.history().stream().filter(s -> s instanceof Step.ScaleStatefulSet).count();
      if (failures.size() > 2) {
        break;
      }
    }
    assertThat(failures).isEmpty();
    assertThat(scaledDown).as("the histories scale StatefulSets").isGreaterThan(SEEDS);
  }

  @Test
  void aControllerThatDeletesClaimsOnScaleDownWhateverThePolicyIsCaught() {
    Simulation sim = Simulation.builder().generator(GENERATOR)
        .engine(BrokenEngines.replace(StatefulSetController.NAME, DeletingClaimsOnScaleDown::new)).build();
    SimulationResult failure = null;
    for (long seed = 1; seed <= 400 && failure == null; seed++) {
      SimulationResult r = sim.run(seed);
      if (r.failed()) {
        failure = r;
      }
    }
    assertThat(failure).as("a failing seed").isNotNull();
    assertThat(failure.violation().orElseThrow().invariant()).isEqualTo("statefulset-retain-keeps-claims");
  }

  /** The broken controller: also deletes every claim of an ordinal beyond the replicas, as if whenScaled were Delete. */
  static final class DeletingClaimsOnScaleDown extends BrokenEngines.Forwarding {
    DeletingClaimsOnScaleDown(Controller delegate) {
      super(delegate);
    }

    @Override
    public Decision reconcile(ClusterState state, ObjectKey key) {
      Decision d = delegate.reconcile(state, key);
      var set = state.get(key, StatefulSet.class);
      if (set.isEmpty() || set.get().metadata().isDeleting()) {
        return d;
      }
      Decision.Builder b = d.toBuilder();
      String prefix = "data-" + set.get().metadata().name() + "-";
      for (PersistentVolumeClaim c : state.list(PersistentVolumeClaim.KIND, PersistentVolumeClaim.class)) {
        String n = c.metadata().name();
        if (n.startsWith(prefix) && n.substring(prefix.length()).matches("[0-9]+") && !c.metadata().isDeleting()
            && Integer.parseInt(n.substring(prefix.length())) >= set.get().spec().replicasOrDefault()) {
          b.delete(ObjectKey.of(c), c.metadata().uid().orElseThrow());
        }
      }
      return b.build();
    }
  }
}
