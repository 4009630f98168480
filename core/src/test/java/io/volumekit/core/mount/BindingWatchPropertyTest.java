package io.volumekit.core.mount;

import static io.volumekit.core.Fixtures.RWO;
import static io.volumekit.core.Fixtures.RWX;
import static io.volumekit.core.Fixtures.pv;
import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.pvcKey;
import static io.volumekit.core.Fixtures.pvKey;
import static io.volumekit.core.Fixtures.preBound;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.Fixtures.withModes;
import static io.volumekit.core.Fixtures.withPolicy;
import static io.volumekit.core.Fixtures.withVolumeName;
import static io.volumekit.core.Fixtures.wffc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.core.Admissions;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.api.Volumes;
import io.volumekit.core.binding.BindingController;
import io.volumekit.core.key.Change;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.state.ClusterState;
import io.volumekit.core.state.VolumeIndex;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.InMemoryStore;
import io.volumekit.core.store.Store;
import io.volumekit.core.store.StoreException;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The binder's watch ({@code BindingWatch}) leaves out of the keys Kubernetes' informer handlers
 * queue (the changed volume or claim and the objects it names) only keys a sync would not act on:
 * settled pairs and idle keys ({@link WatchCompleteness} with those keys as candidates: every one
 * the watch leaves out of a change and whose sync decided nothing before the change still decides
 * nothing after it; one whose sync had work is queued already). Over two kinds of random histories: the node side's ({@link NodeSidePropertiesTest.Run}:
 * provisioned claims of both binding modes, pods, deletions, failing CSI calls), and static
 * volumes (pre-bound or not, with uid or not, of two sizes, classes and access modes, Retain or
 * Delete) with claims (naming a volume or not), deletions of both, and other writers setting a
 * volume's phase or a claim's phase behind the binder's back.
 */
class BindingWatchPropertyTest {

  private static final long SEED = 0xB1D_1DE5L;
  private static final Set<String> BINDING = Set.of(BindingController.NAME);

  @Test
  void noSkippedKeyHasWorkOnNodeSideHistories() {
    long[] checked = {0};
    qt().withFixedSeed(SEED).withExamples(40)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 30), longs().between(0, 1_000_000))
        .checkAssert((ops, seed) -> {
          WatchCompleteness check = new WatchCompleteness(BINDING, BindingWatchPropertyTest::informerKeys);
          check.replayNodeSide(seed, ops, NodeSidePropertiesTest.Run::step);
          assertThat(check.violations).isEmpty();
          checked[0] += check.checked.getOrDefault(BindingController.NAME, new long[1])[0];
        });
    assertThat(checked[0]).as("skipped keys were checked").isPositive();
  }

  @Test
  void noSkippedKeyHasWorkOnStaticVolumeHistories() {
    long[] checked = {0};
    qt().withFixedSeed(SEED).withExamples(150).forAll(lists().of(longs().all()).ofSizeBetween(1, 40)).checkAssert(ops -> {
      WatchCompleteness check = new WatchCompleteness(BINDING, BindingWatchPropertyTest::informerKeys);
      Store[] store = new Store[1];
      VolumeKit kit = staticVolumeKit(check.wrap(), store);
      for (long op : ops) {
        step(kit, store[0], Math.abs(op));
      }
      kit.settle();
      assertThat(check.violations).isEmpty();
      checked[0] += check.checked.getOrDefault(BindingController.NAME, new long[1])[0];
    });
    assertThat(checked[0]).as("skipped keys were checked").isPositive();
  }

  /** An engine for {@link #step} histories (two classes, one of them WaitForFirstConsumer), its store kept in {@code store}. */
  static VolumeKit staticVolumeKit(java.util.function.UnaryOperator<List<io.volumekit.core.controller.Controller>> controllers,
      Store[] store) {
    VolumeKit kit = VolumeKit.builder().deterministic(1)
        .store(clock -> store[0] = new InMemoryStore(ClusterState.empty(), clock, Ids.seeded(1), Admissions.defaults()))
        .controllers(controllers)
        .build();
    kit.apply(sc("fast"));
    kit.apply(wffc(sc("late")));
    return kit;
  }

  /**
   * The volume and claim keys the PV controller's informer handlers queue for a change, unfiltered:
   * the changed object, the volume a claim names (before and after), the claim a volume's claimRef
   * names (before and after), and for a claim added or deleted the volumes whose claimRef names it.
   */
  static Set<ObjectKey> informerKeys(ClusterState state, Change change) {
    Set<ObjectKey> out = new TreeSet<>();
    if (change.kind().equals(PersistentVolumeClaim.KIND)) {
      out.add(change.key());
      for (Optional<PersistentVolumeClaim> c : List.of(change.beforeAs(PersistentVolumeClaim.class),
          change.afterAs(PersistentVolumeClaim.class))) {
        c.flatMap(PersistentVolumeClaim::volumeName).filter(v -> !v.isEmpty()).ifPresent(v -> out.add(pvKey(v)));
      }
      if (change.after().isEmpty() || change.type() == Change.Type.ADDED) {
        state.index(VolumeIndex.class).volumesReferencing(change.key().namespace(), change.key().name())
            .forEach(v -> out.add(pvKey(v)));
      }
    } else if (change.kind().equals(PersistentVolume.KIND)) {
      out.add(change.key());
      for (Optional<PersistentVolume> v : List.of(change.beforeAs(PersistentVolume.class),
          change.afterAs(PersistentVolume.class))) {
        v.flatMap(x -> x.spec().claimRef())
            .ifPresent(r -> out.add(Volumes.claimKey(r.namespaceOrEmpty(), r.nameOrEmpty())));
      }
    }
    return out;
  }

  private static final String[] CLASSES = {"", "fast"};

  static void step(VolumeKit kit, Store store, long x) {
    int kind = (int) (x % 10);
    int a = (int) (x / 10 % 3);
    int b = (int) (x / 30 % 4);
    int c = (int) (x / 120 % 6);
    try {
      switch (kind) {
        case 0, 1 -> {
          if (kit.state().get(pvKey("pv-" + a), PersistentVolume.class).isEmpty()) {
            PersistentVolume v = withClass(pv("pv-" + a, (1 + b % 2) + "Gi"), CLASSES[c % 2]);
            v = c / 2 == 1 ? withModes(v, RWX) : v;
            v = b / 2 == 1 ? withPolicy(v, "Delete") : v;
            if (c / 2 == 2) { // pre-bound by the user, with the claim's uid if it exists
              String uid = kit.state().get(pvcKey("claim-" + b % 3), PersistentVolumeClaim.class)
                  .flatMap(p -> p.metadata().uid()).orElse("");
              v = preBound(v, "claim-" + b % 3, b % 2 == 0 ? uid : "");
            }
            kit.apply(v);
          }
        }
        case 2, 3 -> {
          if (kit.state().get(pvcKey("claim-" + a), PersistentVolumeClaim.class).isEmpty()) {
            PersistentVolumeClaim p = withClass(pvc("claim-" + a, (1 + b % 2) + "Gi"), CLASSES[c % 2]);
            p = c / 2 == 1 ? withModes(p, RWX) : p;
            kit.apply(c / 2 == 2 ? withVolumeName(p, "pv-" + b % 3) : p);
          }
        }
        case 4 -> kit.delete(pvKey("pv-" + a));
        case 5 -> kit.delete(pvcKey("claim-" + a));
        case 6 -> kit.state().get(pvKey("pv-" + a), PersistentVolume.class).ifPresent(v -> store.update(
            v.withStatus(v.status().withPhase(Optional.of(new String[] {"Available", "Released", "Failed", "Bound"}[b])))));
        case 7 -> kit.state().get(pvcKey("claim-" + a), PersistentVolumeClaim.class).ifPresent(p -> store.update(
            p.withStatus(p.status().withPhase(Optional.of(b % 2 == 0 ? "Pending" : "Lost")))));
        case 8 -> kit.settle(Duration.ZERO);
        default -> kit.settle();
      }
    } catch (StoreException e) {
      // refused requests change nothing
    }
  }
}
