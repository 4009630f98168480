package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.core.attach.AttachDetachController;
import io.volumekit.core.attach.ExternalAttacher;
import io.volumekit.core.scheduling.Scheduler;
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
          NodeSidePropertiesTest.Run r = new NodeSidePropertiesTest.Run(seed, b -> b.controllers(check.wrap()));
          for (long op : ops) {
            r.step(op);
          }
          r.k.kit.settle();
          r.cleanUp();
          assertThat(check.violations).isEmpty();
          check.checked.forEach((c, n) -> all.checked.computeIfAbsent(c, x -> new long[1])[0] += n[0]);
        });
    // every controller had skipped keys to check, so no check above is vacuous
    assertThat(all.checked.keySet()).containsAll(CONTROLLERS);
  }
}
