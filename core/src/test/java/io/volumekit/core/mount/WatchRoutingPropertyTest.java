package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.core.VolumeKit;
import io.volumekit.core.controller.ChangeFacts;
import io.volumekit.core.controller.Controller;
import io.volumekit.core.controller.ForwardingController;
import io.volumekit.core.controller.WatchedKinds;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The routing of changes to watches ({@link WatchedKinds}: kinds, types, owners and the
 * {@link io.volumekit.core.controller.ChangeFact facts} a controller declares) keeps its promise:
 * over random histories, for every default controller and every committed change, when the routing
 * would hide the change from the controller, its {@code watch} called anyway (unfiltered: every
 * controller here is shown every change, as if it declared nothing) queues nothing. The facts are
 * asked of one {@link ChangeFacts} per change shared by all controllers, as the runtime does.
 *
 * <p>Histories: the node side's ({@link NodeSidePropertiesTest.Run}: provisioned claims of both
 * binding modes, pods placed by the caller or the scheduler, out-of-service taints, node removal,
 * failing CSI calls, deletions) and static volumes with claims ({@link BindingWatchPropertyTest}:
 * pre-bound or not, deletions, phases written behind the binder's back).
 */
class WatchRoutingPropertyTest {

  private static final long SEED = 0x5EED_F4C7L;

  /** Wraps every controller: shown everything, it checks its own declaration against its watch. */
  static final class Check {
    final List<String> violations = new ArrayList<>();
    /** Per controller, the changes its declaration hid (each checked). */
    final Map<String, long[]> hidden = new TreeMap<>();
    private Change lastChange;
    private ClusterState lastState;
    private ChangeFacts lastFacts;

    UnaryOperator<List<Controller>> wrap() {
      return list -> {
        list.replaceAll(this::wrapped);
        return list;
      };
    }

    private ChangeFacts facts(ClusterState state, Change change) {
      if (change != lastChange || state != lastState) {
        lastChange = change;
        lastState = state;
        lastFacts = new ChangeFacts(state, change);
      }
      return lastFacts;
    }

    private Controller wrapped(Controller c) {
      WatchedKinds declared = c.watches();
      return new ForwardingController(c) {
        @Override
        public WatchedKinds watches() {
          return WatchedKinds.all();
        }

        @Override
        public void watch(ClusterState state, Change change, Consumer<ObjectKey> enqueue) {
          boolean shown = declared.includes(change, facts(state, change));
          Set<ObjectKey> queued = new LinkedHashSet<>();
          c.watch(state, change, k -> {
            queued.add(k);
            enqueue.accept(k);
          });
          if (!shown) {
            hidden.computeIfAbsent(c.name(), n -> new long[1])[0]++;
            if (!queued.isEmpty()) {
              violations.add(c.name() + " was not shown " + change.type() + " " + change.key() + " but queues " + queued
                  + "\n  declared: " + declared + "\n  before: " + change.before() + "\n  after: " + change.after());
            }
          }
        }
      };
    }

    void addTo(Map<String, long[]> total) {
      hidden.forEach((c, n) -> total.computeIfAbsent(c, x -> new long[1])[0] += n[0]);
    }
  }

  @Test
  void noHiddenChangeWouldQueueOnNodeSideHistories() {
    Map<String, long[]> total = new TreeMap<>();
    qt().withFixedSeed(SEED).withExamples(60)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 30), longs().between(0, 1_000_000))
        .checkAssert((ops, seed) -> {
          Check check = new Check();
          NodeSidePropertiesTest.Run r = new NodeSidePropertiesTest.Run(seed, b -> b.controllers(check.wrap()));
          for (long op : ops) {
            r.step(op);
          }
          r.k.kit.settle();
          r.cleanUp();
          assertThat(check.violations).isEmpty();
          check.addTo(total);
        });
    // the fact-filtered declarations hid changes here, so the checks above are not vacuous
    assertThat(total.keySet()).contains(PodVolumeController.NAME, DeviceStagingController.NAME, "attachdetach-controller",
        "csi-attacher", "default-scheduler", "provisioning", "pv-protection", "pvc-protection", "reclaim",
        "external-resizer", "external-resizer-modify", "kubelet-volume-expansion", "first-consumer",
        "group-snapshot-controller", "snapshot-controller", "secret-protection", "volume-data-source-validator");
  }

  @Test
  void noHiddenChangeWouldQueueOnStaticVolumeHistories() {
    Map<String, long[]> total = new TreeMap<>();
    qt().withFixedSeed(SEED).withExamples(150).forAll(lists().of(longs().all()).ofSizeBetween(1, 40)).checkAssert(ops -> {
      Check check = new Check();
      Store[] store = new Store[1];
      VolumeKit kit = BindingWatchPropertyTest.staticVolumeKit(check.wrap(), store);
      for (long op : ops) {
        BindingWatchPropertyTest.step(kit, store[0], Math.abs(op));
      }
      kit.settle();
      assertThat(check.violations).isEmpty();
      check.addTo(total);
    });
    assertThat(total.keySet()).contains("default-scheduler", "pv-protection", "reclaim", "csi-attacher");
  }
}
