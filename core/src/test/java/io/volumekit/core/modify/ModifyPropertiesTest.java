package io.volumekit.core.modify;

import static io.volumekit.core.Fixtures.sc;
import static io.volumekit.core.modify.ModifyScenario.claim;
import static io.volumekit.core.modify.ModifyScenario.vac;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.volumekit.model.core.ModifyVolumeStatus;
import io.volumekit.model.core.PersistentVolumeClaim;
import io.volumekit.model.storage.VolumeAttributesClass;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of class changes on two bound claims (to a feasible class, one the driver
 * refuses, one that does not exist yet; the missing one may be created), with ControllerModifyVolume
 * failing at random (UNAVAILABLE, DEADLINE_EXCEEDED after the driver applied the call, INTERNAL,
 * ABORTED) and time passing in between. Once faults stop, every claim ends where its spec says:
 * applied, Infeasible or Pending, with the PV, the claim's status and the driver agreeing.
 * QuickTheories with a fixed seed.
 */
class ModifyPropertiesTest {

  private static final long SEED = 0x3751_2026L;
  private static final List<String> CLASSES = List.of("gold", "silver", "bronze", "bad", "platinum");

  static ModifyScenario run(List<Long> ops, long faultSeed) {
    ModifyScenario s = new ModifyScenario();
    s.apply(sc("fast"), vac("gold", "iops", "100"), vac("silver", "iops", "200", "throughput", "50"),
        vac("bronze", "throughput", "10"), vac("bad", "burst", "on"), claim("a", "gold"), claim("b", "silver")).settle();
    s.random = new java.util.Random(faultSeed);
    s.faultRate = 0.4;
    for (long op : ops) {
      long x = Math.abs(op);
      String claim = x % 2 == 0 ? "a" : "b";
      int what = (int) ((x / 2) % 8);
      if (what < 5) {
        s.switchTo(claim, CLASSES.get(what));
      } else if (what == 5) {
        s.apply(vac("platinum", "iops", "900"));
      }
      // 6, 7: only time passes
      s.kit.settle(Duration.ofMillis(500L * ((x / 16) % 8)));
    }
    s.faultRate = 0;
    s.kit.settle(Duration.ofMinutes(10));
    return s;
  }

  @Test
  void everyClaimEndsWhereItsSpecSays() {
    qt().withFixedSeed(SEED).withExamples(60)
        .forAll(lists().of(longs().all()).ofSizeBetween(1, 25), longs().all())
        .checkAssert((ops, seed) -> {
          ModifyScenario s = run(ops, seed);
          for (String name : List.of("a", "b")) {
            PersistentVolumeClaim c = s.pvc(name);
            String spec = c.spec().volumeAttributesClassName().orElseThrow();
            Optional<String> current = c.status().currentVolumeAttributesClassName();
            Optional<ModifyVolumeStatus> status = c.status().modifyVolumeStatus();
            Optional<VolumeAttributesClass> wanted = s.kit.get(VolumeAttributesClass.class, "", spec);
            assertThat(current).as("claim %s current class", name).isPresent();
            assertThat(s.pvOf(name).spec().volumeAttributesClassName()).as("PV of %s", name).isEqualTo(current);
            Map<String, String> held = s.driverParams(name);
            Map<String, String> currentParams = s.kit.get(VolumeAttributesClass.class, "", current.get())
                .orElseThrow().parameters();
            assertThat(held).as("driver parameters of %s (current %s)", name, current.get())
                .containsAllEntriesOf(currentParams);
            if (wanted.isEmpty()) {
              assertThat(status).as("%s asks for missing %s", name, spec)
                  .contains(new ModifyVolumeStatus(Optional.of(spec), "Pending"));
            } else if (!ModifyScenario.KEYS.containsAll(wanted.get().parameters().keySet())) {
              assertThat(status).as("%s asks for refused %s", name, spec)
                  .contains(new ModifyVolumeStatus(Optional.of(spec), "Infeasible"));
              assertThat(held).doesNotContainKey("burst");
            } else {
              assertThat(status).as("%s asks for %s", name, spec).isEmpty();
              assertThat(current).contains(spec);
              assertThat(c.status().conditions()).isEmpty();
            }
          }
        });
  }
}
