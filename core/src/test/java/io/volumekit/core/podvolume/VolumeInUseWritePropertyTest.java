package io.volumekit.core.podvolume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.api.Annotations;
import io.volumekit.model.core.Node;
import io.volumekit.model.core.NodeBuilder;
import io.volumekit.model.meta.ObjectMeta;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.pcollections.TreePSet;

/**
 * {@link PodVolumeSupport#withVolumeInUse} (one pass into a sized buffer) writes the node the
 * spelled-out way would: {@link PodVolumeSupport#withVolumesInUse} of {@link
 * PodVolumeSupport#inUseWith}, i.e. the sorted names joined by commas, or no annotation when none
 * is left; for the persistent sets the state hands out, plain sorted sets and sets in another
 * order, adding names present or absent and removing them.
 */
class VolumeInUseWritePropertyTest {

  /** Names that share prefixes (pv-1, pv-10, pv-1a) so that the order is not the names' lengths'. */
  private static String name(int i) {
    return "pv-" + (i % 13) + (i % 3 == 0 ? "" : i % 3 == 1 ? "0" : "a");
  }

  private static Node node() {
    return NodeBuilder.builder().metadata(ObjectMeta.named("node-1").withAnnotation("other", "x")).build();
  }

  @Test
  void writesWhatTheJoinOfTheNewSetWrites() {
    qt().withFixedSeed(7L).withExamples(1000)
        .forAll(lists().of(integers().between(0, 60)).ofSizeBetween(0, 12), integers().between(0, 60),
            booleans().all(), integers().between(0, 2))
        .checkAssert((names, volume, add, kind) -> {
          List<String> given = names.stream().map(VolumeInUseWritePropertyTest::name).toList();
          NavigableSet<String> inUse = switch (kind) {
            case 0 -> TreePSet.from(given);
            case 1 -> new TreeSet<>(given);
            default -> {
              TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
              reversed.addAll(given);
              yield reversed;
            }
          };
          String v = name(volume);
          Node expected = PodVolumeSupport.withVolumesInUse(node(), PodVolumeSupport.inUseWith(inUse, v, add));
          Node actual = PodVolumeSupport.withVolumeInUse(node(), inUse, v, add);
          assertThat(actual).isEqualTo(expected);
          TreeSet<String> model = new TreeSet<>(given);
          if (add) {
            model.add(v);
          } else {
            model.remove(v);
          }
          String annotation = actual.metadata().annotations().get(Annotations.VOLUMES_IN_USE);
          assertThat(annotation).isEqualTo(model.isEmpty() ? null : String.join(",", model));
          assertThat(actual.metadata().annotations().get("other")).isEqualTo("x");
        });
  }
}
