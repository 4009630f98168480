package io.volumekit.core.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.effect.EffectId;
import org.junit.jupiter.api.Test;

/**
 * The remembered pod volume ids are the ids spelled out ({@code <kind>/<uid>/<volume>}), whatever
 * was asked before: equal strings in other instances, triples that spell the same id, more
 * triples than the memo has slots.
 */
class PodVolumeIdsTest {

  @Test
  void idsAreSpelledOut() {
    assertThat(KubeletOperations.setupId("u-1", "data")).isEqualTo(EffectId.of("setup/u-1/data"));
    assertThat(KubeletOperations.teardownId("u-1", "data")).isEqualTo(EffectId.of("teardown/u-1/data"));
    assertThat(KubeletOperations.refreshId("u-1", "data")).isEqualTo(EffectId.of("refresh/u-1/data"));
    assertThat(KubeletOperations.statsId("u-1", "data")).isEqualTo(EffectId.of("stats/u-1/data"));
    assertThat(KubeletOperations.ownershipId("u-1", "data")).isEqualTo(EffectId.of("fsgroup/u-1/data"));
    assertThat(KubeletOperations.stageId("node-1", "pv-1")).isEqualTo(EffectId.of("mountdevice/node-1/pv-1"));
    assertThat(KubeletOperations.unstageId("node-1", "pv-1")).isEqualTo(EffectId.of("unmountdevice/node-1/pv-1"));
  }

  @Test
  void rememberedIdsMatchTheSpelledOnes() {
    String[] kinds = {"setup", "teardown", "refresh", "stats", "fsgroup", "mountdevice", "unmountdevice"};
    qt().withFixedSeed(1207L).withExamples(30)
        .forAll(lists().of(integers().between(0, 1_000_000)).ofSizeBetween(1, 3 * PodVolumeIds.IDS.slots()))
        .checkAssert(asks -> {
          for (int a : asks) {
            String kind = kinds[a % kinds.length];
            // new String: equal contents in other instances; "u1"+"/x/y" and "u1/x"+"/y" spell alike
            String uid = new String("u" + (a / 5) % 3_000 + ((a & 64) == 0 ? "" : "/x"));
            String volume = new String(((a & 64) == 0 ? "x/" : "") + "v" + (a / 15_000) % 3);
            EffectId id = switch (kind) {
              case "setup" -> KubeletOperations.setupId(uid, volume);
              case "teardown" -> KubeletOperations.teardownId(uid, volume);
              case "refresh" -> KubeletOperations.refreshId(uid, volume);
              case "stats" -> KubeletOperations.statsId(uid, volume);
              case "mountdevice" -> KubeletOperations.stageId(uid, volume);
              case "unmountdevice" -> KubeletOperations.unstageId(uid, volume);
              case "fsgroup" -> KubeletOperations.ownershipId(uid, volume);
              default -> throw new IllegalStateException(kind);
            };
            assertThat(id).isEqualTo(EffectId.of(kind + "/" + uid + "/" + volume));
          }
        });
  }
}
