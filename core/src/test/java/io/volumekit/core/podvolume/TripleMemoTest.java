package io.volumekit.core.podvolume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import org.junit.jupiter.api.Test;

/**
 * A {@link TripleMemo} answers what its maker would, for any sequence of asks (a small table, so
 * that triples share slots and push each other out), and makes a value again only when its slot
 * was taken.
 */
class TripleMemoTest {

  @Test
  void answersAsItsMaker() {
    qt().withFixedSeed(99L).withExamples(300)
        .forAll(lists().of(integers().between(0, 9_999)).ofSizeBetween(1, 300))
        .checkAssert(asks -> {
          int[] made = {0};
          TripleMemo<String> memo = new TripleMemo<>(8, (a, b, c) -> {
            made[0]++;
            return a + "|" + b + "|" + c;
          });
          for (int x : asks) {
            String a = new String("a" + x % 7);
            String b = new String("b" + (x / 7) % 3);
            String c = new String("c" + (x / 21) % 5);
            assertThat(memo.get(a, b, c)).isEqualTo(a + "|" + b + "|" + c);
          }
          assertThat(made[0]).isBetween(1, asks.size());
        });
  }

  @Test
  void remembersATripleAskedAgain() {
    int[] made = {0};
    TripleMemo<String> memo = new TripleMemo<>(16, (a, b, c) -> a + b + c + made[0]++);
    String first = memo.get("x", "y", "z");
    assertThat(memo.get(new String("x"), new String("y"), new String("z"))).isSameAs(first);
    assertThat(made[0]).isEqualTo(1);
    assertThatThrownBy(() -> new TripleMemo<>(12, (a, b, c) -> a)).isInstanceOf(IllegalArgumentException.class);
  }
}
