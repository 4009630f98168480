package io.volumekit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShrinkerTest {

  @Test
  void findsTheTwoElementsThatTogetherFail() {
    List<Integer> all = IntStream.range(0, 100).boxed().collect(Collectors.toList());
    List<Integer> min = Shrinker.ddmin(all, l -> l.contains(17) && l.contains(83), 1000);
    assertThat(min).containsExactly(17, 83);
  }

  @Test
  void keepsOrder() {
    List<Integer> all = IntStream.range(0, 50).boxed().collect(Collectors.toList());
    // Fails when 40 comes after 10 (always true in the original order).
    List<Integer> min = Shrinker.ddmin(all, l -> l.indexOf(10) >= 0 && l.indexOf(40) > l.indexOf(10), 1000);
    assertThat(min).containsExactly(10, 40);
  }

  @Test
  void theResultStillFailsAndIsOneMinimal() {
    qt().forAll(lists().of(integers().between(0, 9)).ofSizeBetween(1, 40), integers().between(0, 9))
        .assuming((l, x) -> l.contains(x))
        .checkAssert((l, x) -> {
          List<Integer> min = Shrinker.ddmin(l, c -> c.contains(x), 10_000);
          assertThat(min).containsExactly(x);
        });
  }

  @Test
  void stopsAtTheBudget() {
    List<Integer> all = IntStream.range(0, 1000).boxed().collect(Collectors.toList());
    int[] calls = {0};
    List<Integer> min = Shrinker.ddmin(all, l -> {
      calls[0]++;
      return l.contains(500);
    }, 5);
    assertThat(calls[0]).isLessThanOrEqualTo(5);
    assertThat(min).contains(500);
  }
}
