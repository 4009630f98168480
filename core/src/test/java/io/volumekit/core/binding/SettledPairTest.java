package io.volumekit.core.binding;

import static io.volumekit.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.volumekit.core.Admissions;
import io.volumekit.core.VolumeKit;
import io.volumekit.core.store.Ids;
import io.volumekit.core.store.InMemoryStore;
import io.volumekit.core.store.Store;
import io.volumekit.core.api.Annotations;
import io.volumekit.core.controller.Decision;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.migration.CsiMigration;
import io.volumekit.core.state.ClusterState;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.quantity.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The binder's watch leaves out a volume and a claim that form a settled pair ({@link
 * BindingWatch#settledPair}): these tests check that this only ever skips syncs that would decide
 * nothing, that a static binding now takes one reconcile, and that the pair is synced again when
 * something else changes either half.
 */
class SettledPairTest {

  private static final long SEED = 0x5E77_1EDL;

  private final BindingController binder = new BindingController(new IndexedVolumeMatcher(), Set.of(DRIVER));
  private final BindingWatch watch = new BindingWatch(CsiMigration.all());

  /** A PV and a claim bound to each other by the engine, and the state holding them. */
  private static ClusterState boundPair() {
    VolumeKit kit = VolumeKit.builder().deterministic(1).build();
    kit.apply(withModes(pv("pv-1", "1Gi"), RWO, ROX));
    kit.settle();
    kit.apply(withClass(pvc("claim-1", "1Gi"), ""));
    kit.settle();
    return kit.state();
  }

  @Test
  void settledOnlyWhenNeitherSyncWouldDecideAnything() {
    ClusterState base = boundPair();
    PersistentVolume pv0 = base.get(pvKey("pv-1"), PersistentVolume.class).orElseThrow();
    PersistentVolumeClaim c0 = base.get(pvcKey("claim-1"), PersistentVolumeClaim.class).orElseThrow();
    assertThat(watch.settledPair(pv0, c0)).as("the pair the engine bound is settled").isTrue();
    assertThat(binder.reconcile(base, pvKey("pv-1")).isEmpty()).isTrue();
    assertThat(binder.reconcile(base, pvcKey("claim-1")).isEmpty()).isTrue();
    List<Boolean> settled = new ArrayList<>();
    qt().withFixedSeed(SEED).withExamples(2_000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      PersistentVolume pv = mutate(pv0, r);
      PersistentVolumeClaim c = mutate(c0, r);
      ClusterState s = base.put(pv).put(c);
      boolean isSettled = watch.settledPair(pv, c);
      settled.add(isSettled);
      if (isSettled) {
        Decision onVolume = binder.reconcile(s, ObjectKey.of(pv));
        Decision onClaim = binder.reconcile(s, ObjectKey.of(c));
        assertThat(onVolume.isEmpty()).as("volume sync of a settled pair: %s", onVolume).isTrue();
        assertThat(onClaim.isEmpty()).as("claim sync of a settled pair: %s", onClaim).isTrue();
        assertThat(watch.settledPartner(s, ObjectKey.of(pv))).isEqualTo(ObjectKey.of(c));
        assertThat(watch.settledPartner(s, ObjectKey.of(c))).isEqualTo(ObjectKey.of(pv));
      } else {
        assertThat(watch.settledPartner(s, ObjectKey.of(pv))).isNull();
        assertThat(watch.settledPartner(s, ObjectKey.of(c))).isNull();
      }
    });
    // both outcomes occur, so neither branch above is vacuous
    assertThat(settled).contains(true, false);
  }

  /** Each field the binder reads changed with probability 1/10. */
  private static PersistentVolume mutate(PersistentVolume pv, Random r) {
    var ref = pv.spec().claimRef().orElseThrow();
    if (r.nextInt(10) == 0) {
      ref = ref.withUid(r.nextBoolean() ? Optional.empty() : Optional.of("other-uid"));
    }
    if (r.nextInt(10) == 0) {
      ref = ref.withName(Optional.of("claim-2"));
    }
    if (r.nextInt(10) == 0) {
      ref = ref.withNamespace(Optional.of("elsewhere"));
    }
    PersistentVolume out = pv.withSpec(pv.spec().withClaimRef(r.nextInt(10) == 0 ? Optional.empty() : Optional.of(ref)));
    if (r.nextInt(10) == 0) {
      out = out.withStatus(out.status().withPhase(Optional.of(r.nextBoolean() ? "Available" : "Released")));
    }
    if (r.nextInt(10) == 0) {
      out = out.withStatus(out.status().withMessage(Optional.of("something happened")));
    }
    if (r.nextInt(10) == 0) {
      out = out.withSpec(out.spec().withVolumeAttributesClassName(Optional.of("fast")));
    }
    if (r.nextInt(10) == 0) {
      out = out.withSpec(out.spec().withAccessModes(ImmutableList.of(RWX)));
    }
    if (r.nextInt(10) == 0) {
      out = out.withSpec(out.spec().withVolumeMode(Optional.of("Block")));
    }
    if (r.nextInt(10) == 0) {
      out = out.withMetadata(out.metadata().withoutAnnotation(Annotations.BOUND_BY_CONTROLLER));
    }
    return out;
  }

  private static PersistentVolumeClaim mutate(PersistentVolumeClaim c, Random r) {
    PersistentVolumeClaim out = c;
    if (r.nextInt(10) == 0) {
      out = out.withSpec(out.spec().withVolumeName(r.nextBoolean() ? Optional.empty() : Optional.of("pv-2")));
    }
    if (r.nextInt(10) == 0) {
      out = out.withMetadata(out.metadata().withoutAnnotation(Annotations.BIND_COMPLETED));
    }
    if (r.nextInt(10) == 0) {
      out = out.withMetadata(out.metadata().withUid(Optional.of("other-uid")));
    }
    if (r.nextInt(10) == 0) {
      out = out.withMetadata(out.metadata().withAnnotation(Annotations.STORAGE_PROVISIONER,
          r.nextBoolean() ? "kubernetes.io/gce-pd" : DRIVER));
    }
    if (r.nextInt(10) == 0) {
      int p = r.nextInt(3);
      out = out.withStatus(out.status().withPhase(p == 0 ? Optional.empty() : Optional.of(p == 1 ? "Pending" : "Lost")));
    }
    if (r.nextInt(10) == 0) {
      out = out.withStatus(out.status().withAccessModes(ImmutableList.of(RWO)));
    }
    if (r.nextInt(10) == 0) {
      out = out.withStatus(out.status().withCurrentVolumeAttributesClassName(Optional.of("fast")));
    }
    if (r.nextInt(10) == 0) {
      out = out.withStatus(out.status().withCapacity(ImmutableMap.of("storage", Quantity.parse("3Gi"))));
    }
    if (r.nextInt(10) == 0) {
      out = out.withSpec(out.spec().withVolumeMode(Optional.of("Block")));
    }
    return out;
  }

  @Test
  void staticBindingTakesOneReconcilePerClaim() {
    List<String> reconciled = new ArrayList<>();
    VolumeKit kit = VolumeKit.builder().deterministic(1).build();
    for (int i = 0; i < 20; i++) {
      kit.apply(pv("pv-" + i, (1 + i % 3) + "Gi"));
    }
    kit.settle();
    for (int i = 0; i < 20; i++) {
      kit.apply(withClass(pvc("claim-" + i, (1 + i % 3) + "Gi"), ""));
    }
    kit.runtime().enqueue(BindingController.NAME, pvcKey("claim-0")); // queued twice: still one sync
    long steps = kit.settle().steps();
    assertThat(steps).as("one binder sync per claim, nothing else").isEqualTo(20);
    for (int i = 0; i < 20; i++) {
      assertThat(kit.state().get(pvcKey("claim-" + i), PersistentVolumeClaim.class).orElseThrow().isBound()).isTrue();
    }
  }

  @Test
  void aSettledPairIsSyncedAgainWhenSomethingElseChangesIt() {
    Store[] store = new Store[1];
    VolumeKit kit = VolumeKit.builder().deterministic(1)
        .store(clock -> store[0] = new InMemoryStore(ClusterState.empty(), clock, Ids.seeded(1), Admissions.defaults()))
        .build();
    kit.apply(pv("pv-1", "1Gi"));
    kit.settle();
    kit.apply(withClass(pvc("claim-1", "1Gi"), ""));
    kit.settle();
    // Another writer breaks each half in turn; the binder's sync (row V8 / row C4) repairs it.
    PersistentVolume pv = kit.state().get(pvKey("pv-1"), PersistentVolume.class).orElseThrow();
    store[0].update(pv.withStatus(pv.status().withPhase(Optional.of("Available"))));
    kit.settle();
    assertThat(kit.state().get(pvKey("pv-1"), PersistentVolume.class).orElseThrow().phase()).isEqualTo("Bound");
    PersistentVolumeClaim c = kit.state().get(pvcKey("claim-1"), PersistentVolumeClaim.class).orElseThrow();
    store[0].update(c.withStatus(c.status().withPhase(Optional.of("Pending"))));
    kit.settle();
    assertThat(kit.state().get(pvcKey("claim-1"), PersistentVolumeClaim.class).orElseThrow().phase()).isEqualTo("Bound");
    // A message on the bound PV is cleared by the volume's sync.
    pv = kit.state().get(pvKey("pv-1"), PersistentVolume.class).orElseThrow();
    store[0].update(pv.withStatus(pv.status().withMessage(Optional.of("set by someone else"))));
    kit.settle();
    assertThat(kit.state().get(pvKey("pv-1"), PersistentVolume.class).orElseThrow().status().message()).isEmpty();
  }
}
