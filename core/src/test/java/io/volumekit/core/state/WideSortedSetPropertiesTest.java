package io.volumekit.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link WideSortedSet} behaves as a {@link TreeSet} under any sequence of additions and
 * removals (enough of them to build trees three and four levels deep, and to empty them again),
 * and every older version stays what it was.
 */
class WideSortedSetPropertiesTest {

  /** Each step: a value below 1,200 (added if step is even, removed if odd), sometimes many at once. */
  @Test
  void agreesWithTreeSetAndKeepsOldVersions() {
    qt().withExamples(60).forAll(lists().of(integers().between(0, 99_999)).ofSizeBetween(1, 60)).checkAssert(steps -> {
      WideSortedSet<Integer> set = WideSortedSet.empty(Comparator.reverseOrder());
      TreeSet<Integer> model = new TreeSet<>(Comparator.reverseOrder());
      List<WideSortedSet<Integer>> versions = new ArrayList<>();
      List<List<Integer>> contents = new ArrayList<>();
      for (int step : steps) {
        int value = (step / 2) % 1_200;
        int run = step % 10 == 0 ? 700 : 1; // a run of consecutive values: grows or empties whole subtrees
        for (int k = 0; k < run; k++) {
          int v = (value + k * 7) % 1_200;
          if (step % 2 == 0) {
            set = set.plus(v);
            model.add(v);
          } else {
            set = set.minus(v);
            model.remove(v);
          }
        }
        assertThat(set).containsExactlyElementsOf(model);
        assertThat(set.size()).isEqualTo(model.size());
        for (int probe = -1; probe <= 1_200; probe += 37) {
          assertThat(set.contains(probe)).isEqualTo(model.contains(probe));
          assertThat(set.ceiling(probe)).isEqualTo(model.ceiling(probe));
          assertThat(set.higher(probe)).isEqualTo(model.higher(probe));
        }
        versions.add(set);
        contents.add(List.copyOf(model));
      }
      for (int i = 0; i < versions.size(); i++) {
        assertThat(versions.get(i)).containsExactlyElementsOf(contents.get(i));
      }
    });
  }

  @Test
  void plusOfAPresentAndMinusOfAnAbsentElementReturnTheSameSet() {
    WideSortedSet<Integer> s = WideSortedSet.<Integer>empty();
    for (int i = 0; i < 5_000; i++) {
      s = s.plus(i * 2);
    }
    assertThat(s.plus(200)).isSameAs(s);
    assertThat(s.minus(201)).isSameAs(s);
    assertThat(s).hasSize(5_000).startsWith(0, 2, 4).endsWith(9_998);
    assertThat(WideSortedSet.<Integer>empty().ceiling(1)).isNull();
  }
}
