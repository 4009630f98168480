package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.volumekit.core.controller.ChangeFacts;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.ForwardingController;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The runtime shows a change only to the controllers whose {@link WatchedKinds} declare its kind,
 * type, (for {@link WatchedKinds#ownedOnly}) owners and (for {@link WatchedKinds#when}) a fact that
 * holds for the change; a declaration promises that the watch would queue nothing for a change it
 * hides. Over simulated histories of every kind (claims, pods
 * with generic ephemeral volumes, StatefulSets, resizes, attribute classes, snapshots, group
 * snapshots, secrets,
 * node failures, driver faults), every controller is shown every change and its watch is still
 * called; a change its declaration hides that makes the watch queue a key is a violation.
 */
class WatchRoutingSimulationTest {

  /** Histories of every kind of object the engine handles. */
  static final List<HistoryGenerator> HISTORIES = List.of(HistoryGenerator.defaults(),
      HistoryGenerator.defaults().withStatefulSets(2), HistoryGenerator.defaults().withResizes(15),
      HistoryGenerator.defaults().withAttributesClasses(), HistoryGenerator.defaults().withSnapshots(),
      HistoryGenerator.defaults().withSecrets(), HistoryGenerator.defaults().withGroupSnapshots());

  /** Seeds per history kind. */
  static final int SEEDS = 60;

  /** Shown every change; notes the changes the wrapped declaration hides that its watch reacts to. */
  static final class Unrouted extends ForwardingController {
    private final WatchedKinds declared;
    private final List<String> missed;
    private final Map<String, long[]> hidden;
    private final Facts facts;

    Unrouted(Controller delegate, List<String> missed, Map<String, long[]> hidden, Facts facts) {
      super(delegate);
      this.declared = delegate.watches();
      this.missed = missed;
      this.hidden = hidden;
      this.facts = facts;
    }

    @Override
    public WatchedKinds watches() {
      return WatchedKinds.all();
    }

    @Override
    public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
      boolean shown = declared.includes(change, facts.of(state, change));
      if (!shown && declared.includes(change.kind())) { // hidden by its type, owners or facts, not its kind
        hidden.computeIfAbsent(name(), n -> new long[1])[0]++;
      }
      delegate().watch(state, change, k -> {
        if (!shown) {
          missed.add(name() + " queued " + k + " on a hidden " + change.type() + " " + change.key());
        }
        enqueue.accept(k);
      });
    }
  }

  /** The facts of the change being shown, one {@link ChangeFacts} for all controllers (as the runtime asks them). */
  static final class Facts {
    private ClusterState state;
    private Change change;
    private ChangeFacts facts;

    ChangeFacts of(ClusterState state, Change change) {
      if (change != this.change || state != this.state) {
        this.state = state;
        this.change = change;
        facts = new ChangeFacts(state, change);
      }
      return facts;
    }
  }

  @Test
  void noDeclarationHidesAChangeItsWatchReactsTo() {
    List<String> missed = new ArrayList<>();
    Map<String, long[]> hidden = new TreeMap<>();
    for (HistoryGenerator g : HISTORIES) {
      Simulation sim = Simulation.builder().generator(g).engine(list -> {
        Facts facts = new Facts();
        list.replaceAll(c -> new Unrouted(c, missed, hidden, facts));
        return list;
      }).build();
      for (long seed = 1; seed <= SEEDS && missed.isEmpty(); seed++) {
        SimulationResult r = sim.run(seed);
        assertThat(r.failed()).as("seed %d of %s", seed, g).isFalse();
      }
    }
    assertThat(missed).isEmpty();
    // Every controller that declares change types, owners or facts had changes of a watched kind
    // hidden (no vacuous check).
    assertThat(hidden.keySet()).contains("garbage-collector", "statefulset-controller", "ephemeral_volume",
        "external-resizer", "kubelet-volume-expansion", "external-resizer-modify", "volume-data-source-validator",
        "group-snapshot-controller", "snapshot-controller", "secret-protection", "kubelet-pod-volumes",
        "kubelet-device-staging", "attachdetach-controller", "csi-attacher", "default-scheduler", "provisioning",
        "pv-protection", "pvc-protection", "reclaim", "first-consumer");
  }
}
