package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.core.attach.AttachDetachController;
import io.volumekit.core.attach.ExternalAttacher;
import io.volumekit.core.scheduling.Scheduler;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.store.StoreException;
import io.volumekit.model.core.PersistentVolume;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The watch filters of the pod lifecycle's controllers (kubelet pod volumes and device staging,
 * attach/detach, external-attacher, scheduler, provisioning, protection, reclaim) never hide a
 * change a reconcile would act on: over random node-side histories ({@link NodeSidePropertiesTest.Run}:
 * pods placed by the caller or the scheduler, claims of every access mode, out-of-service taints,
 * node removal, random CSI failures), every key a watch leaves out of a change and whose reconcile
 * decided nothing before the change still decides nothing after it ({@link WatchCompleteness}).
 */
class WatchFiltersPropertyTest {

  private static final long SEED = 0x3A7C_4F11L;

  private static final Set<String> CONTROLLERS = Set.of(PodVolumeController.NAME, DeviceStagingController.NAME,
      AttachDetachController.NAME, ExternalAttacher.NAME, Scheduler.NAME, "provisioning", "pvc-protection",
      "pv-protection", "reclaim");

  @Test
  void noWatchHidesAChangeItsReconcileWouldActOn() {
    WatchCompleteness all = new WatchCompleteness(CONTROLLERS);
    qt().withFixedSeed(SEED).withExamples(60)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 30), longs().between(0, 1_000_000))
        .checkAssert((ops, seed) -> {
          WatchCompleteness check = new WatchCompleteness(CONTROLLERS);
          check.replayNodeSide(seed, ops, NodeSidePropertiesTest.Run::step);
          assertThat(check.violations).isEmpty();
          check.checked.forEach((c, n) -> all.checked.computeIfAbsent(c, x -> new long[1])[0] += n[0]);
        });
    // every controller had skipped keys to check, so no check above is vacuous
    assertThat(all.checked.keySet()).containsAll(CONTROLLERS);
  }

  /**
   * The same over histories where users also delete PersistentVolumes (bound, attached or mounted
   * ones included) and switch them to the Retain policy: the reclaim, attach/detach and protection
   * filters that skip a sync of a volume being deleted or still in use are checked there too.
   */
  @Test
  void noWatchHidesWorkWhenVolumesAreDeletedOrRetained() {
    WatchCompleteness all = new WatchCompleteness(CONTROLLERS);
    qt().withFixedSeed(SEED + 1).withExamples(40)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 30), longs().between(0, 1_000_000))
        .checkAssert((ops, seed) -> {
          WatchCompleteness check = new WatchCompleteness(CONTROLLERS);
          check.replayNodeSide(seed, ops, (r, op) -> {
            if (Math.floorMod(op, 5) == 0) {
              volumeStep(r, op / 5);
            } else {
              r.step(op);
            }
          });
          assertThat(check.violations).isEmpty();
          check.checked.forEach((c, n) -> all.checked.computeIfAbsent(c, x -> new long[1])[0] += n[0]);
        });
    assertThat(all.checked.keySet()).contains("reclaim", AttachDetachController.NAME, "pv-protection");
  }

  /** A user deletes a PersistentVolume, or sets its reclaim policy to Retain. */
  private static void volumeStep(NodeSidePropertiesTest.Run r, long op) {
    List<PersistentVolume> pvs = r.k.kit.list(PersistentVolume.class);
    if (pvs.isEmpty()) {
      return;
    }
    PersistentVolume pv = pvs.get((int) Math.floorMod(op / 2, (long) pvs.size()));
    try {
      if (Math.floorMod(op, 2) == 0) {
        r.k.kit.delete(ObjectKey.of(pv));
      } else {
        r.k.apply(pv.withSpec(pv.spec().withPersistentVolumeReclaimPolicy(Optional.of("Retain"))));
      }
    } catch (StoreException e) {
      // refused requests change nothing
    }
  }
}
