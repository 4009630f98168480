package io.volumekit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.volumekit.core.effect.EffectId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link EffectIdGroups} answers as a sorted map of sorted sets after any sequence of additions
 * and removals, with enough ids to make trie nodes dense and ids whose strings have the same hash
 * ({@code "Aa"} and {@code "BB"}), and the empty groups gone.
 */
class EffectIdGroupsTest {

  private static final List<String> KEYS = List.of("node-a", "node-b", "Aa", "BB", "node-a\0pvc-1");

  private static EffectId id(int n) {
    // Pairs of "Aa"/"BB" prefixes give equal String hashes for different ids.
    return EffectId.of(((n & 1) == 0 ? "Aa" : "BB") + "stage-pvc-" + (n / 2));
  }

  @Test
  void behavesAsSortedMapOfSortedSets() {
    qt().withFixedSeed(20261207L).withExamples(400)
        .forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 300))
        .checkAssert(steps -> {
          EffectIdGroups g = EffectIdGroups.EMPTY;
          Map<String, TreeSet<EffectId>> model = new TreeMap<>();
          for (int step : steps) {
            String key = KEYS.get(step % KEYS.size());
            EffectId id = id((step / KEYS.size()) % 60);
            if ((step / 300) % 3 == 0) {
              g = g.without(key, id);
              TreeSet<EffectId> s = model.get(key);
              if (s != null && s.remove(id) && s.isEmpty()) {
                model.remove(key);
              }
            } else {
              g = g.with(key, id);
              model.computeIfAbsent(key, k -> new TreeSet<>()).add(id);
            }
          }
          for (String key : KEYS) {
            Set<EffectId> expected = model.getOrDefault(key, new TreeSet<>());
            assertThat(List.copyOf(g.ids(key))).isEqualTo(List.copyOf(expected));
            assertThat(g.get(key) == null).isEqualTo(!model.containsKey(key));
          }
        });
  }
}
