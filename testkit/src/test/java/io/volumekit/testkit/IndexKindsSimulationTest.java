package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.ForwardingController;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.Indexes;
import io.volumekit.core.state.ObjectIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The state shows a change only to the indexes that declare its kind ({@code ObjectIndex.kinds()});
 * an index that read a kind it does not declare would silently miss that kind's updates. Over
 * simulated histories of every kind, each change is offered, in the state that follows it, to
 * every index that does not declare the change's kind: the index must come back unchanged (the
 * same instance), which is what it answers for a kind it does not cover.
 */
class IndexKindsSimulationTest {

  /** Seeds per history kind. */
  private static final int SEEDS = 15;

  /** Sees every change; offers it to the indexes that do not declare its kind. */
  private static final class IndexChecker extends ForwardingController {
    private final List<String> violations;
    private final Map<String, long[]> checked;

    IndexChecker(Controller delegate, List<String> violations, Map<String, long[]> checked) {
      super(delegate);
      this.violations = violations;
      this.checked = checked;
    }

    @Override
    public WatchedKinds watches() {
      return WatchedKinds.all();
    }

    @Override
    public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
      for (ObjectIndex empty : Indexes.defaults()) {
        Set<String> kinds = empty.kinds().orElse(null);
        if (kinds == null || kinds.contains(change.kind())) {
          continue; // shown every change of the kind: nothing hidden to check
        }
        ObjectIndex index = state.index(empty.getClass());
        if (index.apply(change) != index) {
          violations.add(empty.getClass().getSimpleName() + " changed on a " + change.type() + " " + change.key()
              + " of a kind it does not declare");
        }
        checked.computeIfAbsent(empty.getClass().getSimpleName(), n -> new long[1])[0]++;
      }
      if (delegate().watches().includes(change)) {
        delegate().watch(state, change, enqueue);
      }
    }
  }

  @Test
  void noIndexReadsAKindItDoesNotDeclare() {
    List<String> violations = new ArrayList<>();
    Map<String, long[]> checked = new TreeMap<>();
    for (HistoryGenerator g : WatchRoutingSimulationTest.HISTORIES) {
      Simulation sim = Simulation.builder().generator(g).engine(list -> {
        // one checker is enough: every change is shown to it once
        list.set(0, new IndexChecker(list.get(0), violations, checked));
        return list;
      }).build();
      for (long seed = 1; seed <= SEEDS && violations.isEmpty(); seed++) {
        SimulationResult r = sim.run(seed);
        assertThat(r.failed()).as("seed %d of %s", seed, g).isFalse();
      }
    }
    assertThat(violations).isEmpty();
    // every index that declares its kinds had changes of other kinds to check (no vacuous check)
    List<String> declaring = Indexes.defaults().stream().filter(i -> i.kinds().isPresent())
        .map(i -> i.getClass().getSimpleName()).toList();
    assertThat(checked.keySet()).containsAll(declaring);
  }
}
