package io.volumekit.core.expansion;

import static io.volumekit.core.Fixtures.pvc;
import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.Fixtures.withClass;
import static io.volumekit.core.mount.NodeKit.claim;
import static io.volumekit.core.mount.NodeKit.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.core.csi.ControllerGetVolumeRequest;
import io.volumekit.core.effect.ControllerExpand;
import io.volumekit.core.effect.Effect;
import io.volumekit.core.key.ObjectKey;
import io.volumekit.core.runtime.EffectListener;
import io.volumekit.core.runtime.EffectOutcome;
import io.volumekit.core.store.StoreException;
import io.volumekit.model.core.PersistentVolume;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.core.Pod;
import io.volumekit.model.validation.InvalidObjectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Random grow and shrink sequences of one claim, with and without a pod, with random
 * ControllerExpandVolume and NodeExpandVolume failures (seeded; QuickTheories with a fixed seed).
 * After every step: a claim's capacity is never above its PV's, nor the PV's above what the
 * driver holds; allocatedResources is never below the capacity; no expansion call for a new
 * size starts while the previous one's outcome is uncertain. At the end, without faults: the
 * expansion finishes at least at the request.
 */
class ExpansionPropertiesTest {

  private static final long SEED = 0xE7A4_2026L;
  private static final long GI = 1L << 30;

  /** Watches the ControllerExpand calls: a new size while the last outcome is uncertain is a violation. */
  static final class UncertaintyWatch implements EffectListener {
    final List<String> violations = new ArrayList<>();
    long uncertainSize = -1;

    @Override
    public void started(Effect effect, int attempt) {
      if (effect instanceof ControllerExpand e && uncertainSize >= 0 && e.requiredBytes() != uncertainSize) {
        violations.add("ControllerExpandVolume " + e.requiredBytes() + " while " + uncertainSize + " is uncertain");
      }
    }

    @Override
    public void finished(Effect effect, EffectOutcome outcome) {
      if (effect instanceof ControllerExpand e) {
        uncertainSize = outcome instanceof EffectOutcome.Failed f && f.failure().mayBeInProgress() ? e.requiredBytes() : -1;
      }
    }
  }

  static void checkInvariants(ExpansionKit k, UncertaintyWatch watch, String when) {
    PersistentVolumeClaim c = k.pvc("data");
    PersistentVolume pv = k.pvOf("data");
    long pvBytes = ClaimResize.capacity(pv).value();
    long driverBytes = k.memory.controllerGetVolume(new ControllerGetVolumeRequest(pv.csi().orElseThrow().volumeHandle()))
        .volume().capacityBytes();
    long claimBytes = ClaimResize.capacity(c).value();
    assertThat(claimBytes).as(when + ": claim capacity <= PV capacity").isLessThanOrEqualTo(pvBytes);
    assertThat(pvBytes).as(when + ": PV capacity <= the driver's size").isLessThanOrEqualTo(driverBytes);
    ClaimResize.allocated(c).ifPresent(a ->
        assertThat(a.value()).as(when + ": allocatedResources >= capacity").isGreaterThanOrEqualTo(claimBytes));
    assertThat(watch.violations).as(when).isEmpty();
  }

  @Test
  void growAndShrinkWithFaultsKeepTheInvariantsAndFinish() {
    qt().withFixedSeed(SEED).withExamples(12)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 10), longs().all())
        .checkAssert((ops, seed) -> {
          UncertaintyWatch watch = new UncertaintyWatch();
          ExpansionKit k = new ExpansionKit(false, false, seed, watch);
          k.apply(sc("fast").withAllowVolumeExpansion(Optional.of(true)), withClass(pvc("data", "1Gi"), "fast")).settle();
          k.faultRate = 0.3;
          List<String> steps = new ArrayList<>();
          for (long op : ops) {
            long x = Math.abs(op % 1_000_000);
            PersistentVolumeClaim c = k.pvc("data");
            long request = ClaimResize.requested(c).value();
            long capacity = ClaimResize.capacity(c).value();
            String step;
            switch ((int) (x % 4)) {
              case 0, 1 -> step = "resize " + (request / GI + 1 + x / 4 % 3) + "Gi";
              case 2 -> step = "resize " + (capacity / GI + 1 + x / 4 % Math.max(1, (request - capacity) / GI)) + "Gi";
              default -> step = k.kit.get(Pod.class, ExpansionKit.NS, "app").isPresent() ? "delete pod" : "create pod";
            }
            steps.add(step);
            try {
              if (step.startsWith("resize ")) {
                k.resize("data", step.substring(7));
              } else if (step.equals("create pod")) {
                k.apply(pod("app", "node-1", claim("data")));
              } else {
                k.kit.delete(ObjectKey.namespaced(Pod.KIND, ExpansionKit.NS, "app"));
              }
            } catch (StoreException | InvalidObjectException refused) {
              steps.add("  refused: " + refused.getMessage());
            }
            k.kit.settle(Duration.ofSeconds(x % 7 * 10));
            checkInvariants(k, watch, String.join("\n", steps));
          }
          // Without faults and with a pod, the expansion finishes at least at the request.
          k.faultRate = 0;
          if (k.kit.get(Pod.class, ExpansionKit.NS, "app").isEmpty()) {
            k.apply(pod("app", "node-1", claim("data")));
          }
          k.kit.settle(Duration.ofMinutes(30));
          checkInvariants(k, watch, String.join("\n", steps) + "\nat the end");
          PersistentVolumeClaim c = k.pvc("data");
          assertThat(ClaimResize.capacity(c).value()).as(String.join("\n", steps) + "\n" + c.status())
              .isGreaterThanOrEqualTo(ClaimResize.requested(c).value());
          assertThat(c.status().allocatedResourceStatuses()).as(String.join("\n", steps)).isEmpty();
        });
  }
}
